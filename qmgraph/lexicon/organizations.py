"""Organization names and sectors: the tables every stage reads names with.

All naming knowledge lives in three tables under ``data/`` (see
``docs/decisions/0004-organizations.md``):

- ``sectors.csv``: one row per sector — the central body, the name stems agencies of that
  sector use at each level, and vertical-branch templates. The sector is the pivot that
  links 海南省水务厅 to 水利部 although their names share nothing.
- ``agency_aliases.csv``: abbreviation → official stem (市场监管局 → 市场监督管理局).
- ``org_lexicon.csv``: relative place markers (省/市/区/县…), kind suffixes, verbs that
  follow a name, English patterns.

:class:`OrgTables` holds them indexed for lookup (``qmgraph.resolve.organizations``
resolves names with it); :func:`org_name_length` uses them to tell where a name at the
start of a sentence stops ("省公安厅围绕…" → 4), for the parser and the extractor.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from qmgraph.model import Jurisdiction
from qmgraph.tables import DATA_DIR, read_table

SECTORS_CSV = DATA_DIR / "sectors.csv"
ALIASES_CSV = DATA_DIR / "agency_aliases.csv"
LEXICON_CSV = DATA_DIR / "org_lexicon.csv"

#: Level names of ``Jurisdiction.level`` in the order of the stem columns of sectors.csv.
STEM_COLUMNS = {
    "provincial": "provincial_stems",
    "prefectural": "municipal_stems",
    "county": "county_stems",
}
ALL_LEVELS = frozenset(STEM_COLUMNS)

#: Placeholders a table entry may contain: a place written inside a name.
SLOT_RE = re.compile(r"\{(place|seat)\}")
_WS_RE = re.compile(r"\s+")


class GazetteerLike(Protocol):
    """What the resolver needs of ``qmgraph.lexicon.places.Gazetteer``."""

    nation: Jurisdiction

    def get(self, code: str | None) -> Jurisdiction | None: ...

    def find(self, name: str, within: str | None = None) -> Jurisdiction | None: ...

    def find_all(
        self, text: str, within: str | None = None
    ) -> list[tuple[int, int, Jurisdiction]]: ...


@dataclass(frozen=True)
class Sector:
    """One row of ``data/sectors.csv`` (a ``skos:Concept`` in the graph)."""

    key: str
    label_zh: str
    label_en: str
    national_name: str = ""  #: label of the central body ``cn/{key}``; "" when none
    national_en: str = ""
    vertical: bool = False  #: branches are parts of the central body (海关, 人民银行…)
    branch_of: str = ""  #: sector whose central body the branches belong to, if not this one


@dataclass(frozen=True)
class Branch:
    """A vertical-branch template such as ``中国人民银行{seat}分行``."""

    sector: str
    index: int  #: position among the sector's templates; 0 gets the plain key
    prefix: str  #: canonical text before the seat ("" for ``{seat}海关``)
    optional: bool  #: the prefix may be left out in a surface
    slot: str  #: ``seat`` (as written) or ``place`` (official full name)
    suffix: str
    regex: re.Pattern[str]


def split_cell(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def template_regex(template: str) -> re.Pattern[str]:
    """Whole-string regex for a template; the place slot is the group ``p``."""
    parts = SLOT_RE.split(template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif "(?P<p>" not in "".join(out):
            out.append(r"(?P<p>.+?)")
        else:
            out.append(r"(?P=p)")
    return re.compile("^" + "".join(out) + "$")


class OrgTables:
    """The three data tables, indexed for lookup. Built once per set of paths."""

    def __init__(self, sectors_path: Path, aliases_path: Path, lexicon_path: Path) -> None:
        self.sectors: dict[str, Sector] = {}
        self.rows: dict[str, dict[str, str]] = {}
        self.national: dict[str, str] = {}  # name or alias of a central body → sector
        self.stems: dict[str, tuple[str, frozenset[str]]] = {}  # stem → (sector, levels)
        self.template_sector: dict[str, str] = {}  # "共青团{place}委员会" → youth-league
        self.stem_templates: list[tuple[re.Pattern[str], str, str]] = []
        self.branches: list[Branch] = []
        self._load_sectors(sectors_path)

        self.alias: dict[str, str] = {}
        self.alias_templates: list[tuple[re.Pattern[str], str]] = []
        for row in read_table(aliases_path):
            key, full = row["alias"], row["full"]
            if SLOT_RE.search(key):
                self.alias_templates.append((template_regex(key), full))
            else:
                self.alias.setdefault(key, full)
        # Longer fixed text first, so 中共{place}委网信办 is tried before {place}委.
        self.alias_templates.sort(key=lambda t: -len(SLOT_RE.sub("", t[0].pattern)))

        lex: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in read_table(lexicon_path):
            lex[row["category"]].append((row["text"], row["value"]))
        self.relative = sorted(lex["relative"], key=lambda r: -len(r[0]))
        self.relative_blockers = tuple(t for t, _ in lex["relative-blocker"])
        self.strip_prefixes = tuple(t for t, _ in lex["strip-prefix"])
        self.national_prefixes = tuple(t for t, _ in lex["national-prefix"])
        self.association_suffixes = tuple(t for t, _ in lex["association-suffix"])
        self.enterprise_markers = tuple(t for t, _ in lex["enterprise-marker"])
        self.enterprise_suffixes = tuple(t for t, _ in lex["enterprise-suffix"])
        self.followers = tuple(sorted((t for t, _ in lex["follower"]), key=len, reverse=True))
        self.not_start = tuple(t for t, _ in lex["not-start"])
        self.short_suffixes = lex["short-suffix"]
        self.sub_branch_suffixes = tuple(t for t, _ in lex["sub-branch"])
        self.en_place = dict(lex["en-place"])
        self.en_adjective = sorted(lex["en-adjective"], key=lambda r: -len(r[0]))
        self.en_pattern = sorted(lex["en-pattern"], key=lambda r: -len(r[0]))
        # a stem an earlier body used, folded into a sector whose English names another
        # mandate (国土资源局 under natural-resources: "Land and Resources", not "Natural Resources")
        self.en_sector = dict(lex["en-sector"])

        # Where an organization name may end, and full names that may follow a short
        # one (省委 + 宣传部): both for org_name_length.
        self.known_names: set[str] = set(self.stems) | set(self.alias) | set(self.national)
        self.suffixes: set[str] = (
            self.known_names
            | {t for t, _ in lex["org-suffix"]}
            | set(self.association_suffixes)
            | set(self.enterprise_markers)
            | set(self.enterprise_suffixes)
            | {b.suffix for b in self.branches}
        )
        #: last character → lengths of the suffixes ending with it, longest last (what
        #: ``_ends_with_suffix`` tries: most characters end no suffix)
        self.suffix_lengths: dict[str, tuple[int, ...]] = {}
        for suffix in self.suffixes:
            if suffix:
                lengths = set(self.suffix_lengths.get(suffix[-1], ())) | {len(suffix)}
                self.suffix_lengths[suffix[-1]] = tuple(sorted(lengths))
        self.max_known = max(map(len, self.known_names))

    def _load_sectors(self, path: Path) -> None:
        for row in read_table(path):
            key = row["key"]
            templates = split_cell(row["vertical"])
            self.sectors[key] = Sector(
                key=key, label_zh=row["label_zh"], label_en=row["label_en"],
                national_name=row["national_name"], national_en=row["national_en"],
                vertical=bool(templates), branch_of=row.get("branch_of", ""))
            self.rows[key] = row
            aliases = split_cell(row["national_aliases"])
            # names before a reform resolve like aliases (a 2009 notice's 卫生部) but are
            # kept apart so that nothing writes them for today (0043)
            former = split_cell(row.get("former_names", ""))
            for name in [row["national_name"], *aliases, *former]:
                if name:
                    self.national.setdefault(name, key)
            levels: dict[str, set[str]] = defaultdict(set)
            for level, column in STEM_COLUMNS.items():
                for stem in split_cell(row[column]):
                    levels[stem].add(level)
            for stem, lv in levels.items():
                if SLOT_RE.search(stem):
                    self.template_sector.setdefault(stem, key)
                    self.stem_templates.append((template_regex(stem), stem, key))
                else:
                    # First sector listing a stem wins; the table keeps stems unique.
                    self.stems.setdefault(stem, (key, frozenset(lv)))
            for index, template in enumerate(templates):
                self.branches.append(self._branch(key, index, template, aliases, row))

    @staticmethod
    def _branch(
        sector: str, index: int, template: str, aliases: list[str], row: dict[str, str]
    ) -> Branch:
        m = re.fullmatch(r"(\[?)([^\[\]{]*)\]?\{(seat|place)\}(.+)", template)
        if not m:
            raise ValueError(f"bad vertical template {template!r} in sector {sector}")
        optional, prefix, slot, suffix = bool(m[1]), m[2], m[3], m[4]
        alts = [prefix] if prefix else []
        if prefix and prefix == row["national_name"]:
            alts += aliases  # 人行成都分行 = 中国人民银行成都分行
        alts.sort(key=len, reverse=True)
        pre = "(?P<pre>" + "|".join(map(re.escape, alts)) + ")" if alts else "(?P<pre>)"
        if optional:
            pre += "?"
        regex = re.compile("^" + pre + "(?P<p>.+?)" + re.escape(suffix) + "$")
        return Branch(sector, index, prefix, optional, slot, suffix, regex)


@lru_cache(maxsize=8)
def org_tables(sectors: str, aliases: str, lexicon: str) -> OrgTables:
    return OrgTables(Path(sectors), Path(aliases), Path(lexicon))


def _defaultorg_tables() -> OrgTables:
    return org_tables(str(SECTORS_CSV), str(ALIASES_CSV), str(LEXICON_CSV))


def clean_surface(surface: str) -> str:
    """The surface with all whitespace (inner spaces, line breaks) removed."""
    return _WS_RE.sub("", surface)


def short_name(j: Jurisdiction) -> str:
    """The shortest short name that begins the full name (四川省 → 四川), else the name."""
    shorts = [s for s in j.short_names if s and j.name.startswith(s)]
    return min(shorts, key=len) if shorts else j.name


def inside_known_name(text: str, pos: int) -> bool:
    """True when ``text[pos]`` sits inside a known organization name written there: the 和
    of 工业和信息化局 or 住房和城乡建设局 joins nobody. Names come from the sector and alias
    tables (their stems, aliases and national names)."""
    return any(pos >= offset and text[pos - offset:pos - offset + length] in names
               for offset, length, names in _names_holding(text[pos]))


@lru_cache(maxsize=64)
def _names_holding(ch: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """The known names holding ``ch`` past their first char, grouped by the offset of
    ``ch`` and their length (one slice and one set lookup per group, not per name)."""
    names = _defaultorg_tables().known_names
    groups: dict[tuple[int, int], set[str]] = defaultdict(set)
    for n in names:
        if not SLOT_RE.search(n):
            for i, c in enumerate(n):
                if c == ch and i > 0:
                    groups[(i, len(n))].add(n)
    return tuple((i, length, frozenset(g)) for (i, length), g in sorted(groups.items()))


# ---------------------------------------------------------------------- name length

_SCAN = 48  #: longest organization name looked for at the start of a sentence
_BREAKS = frozenset(' \t\r\n\u3000，,。；;：:、！!？?“”"《》')


def org_name_length(text: str) -> int:
    """Length of the organization name at the very start of ``text``, 0 if none.

    For headers where the name runs into the verb: "省公安厅围绕…" → 4,
    "省自然资源和规划厅联合市场监管局开展" → 9. A candidate ends at an organization
    suffix (from the data tables) and must be followed by a verb or function word,
    punctuation, a space or the end; the shortest such candidate wins, except that a
    known name that continues it (省委 + 宣传部) is taken whole.
    """
    return _name_length(text[:_SCAN])


@lru_cache(maxsize=16384)
def _name_length(head: str) -> int:
    t = _defaultorg_tables()
    if not head or head.startswith(t.not_start) or head.startswith(t.followers):
        return 0
    limit = next((i for i, ch in enumerate(head) if ch in _BREAKS), len(head))
    # A closing bracket with no opening one before it ends the name too: "（联合市教育局）".
    depth = 0
    for i, ch in enumerate(head[:limit]):
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            if depth == 0:
                limit = i
                break
            depth -= 1
    e = 2
    while e <= limit:
        if _ends_with_suffix(t, head, e):
            e = _extend_known(t, head, e, limit)
            if e == limit or head.startswith(t.followers, e):
                return e
        e += 1
    return 0


def _ends_with_suffix(t: OrgTables, head: str, e: int) -> bool:
    """Whether ``head[:e]`` ends with an organization suffix."""
    return any(head[e - k : e] in t.suffixes
               for k in t.suffix_lengths.get(head[e - 1], ()) if k <= e)


def _extend_known(t: OrgTables, head: str, e: int, limit: int) -> int:
    """Extend ``e`` over a known name stem that directly continues it (省委|宣传部)."""
    for k in range(min(t.max_known, limit - e), 1, -1):
        if head[e : e + k] in t.known_names:
            return e + k
    return e
