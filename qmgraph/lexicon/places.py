"""The administrative-division gazetteer: names in notices → GB/T 2260 jurisdictions.

``data/divisions.csv`` (built once from jionlp's bundled table by
``scripts/build_divisions.py``) lists every province, prefecture-level and county-level
division with its official name, short forms, level and parent. :class:`Gazetteer` loads it
and answers four kinds of question for the rest of the pipeline:

* navigation — :meth:`Gazetteer.get`, :meth:`~Gazetteer.children`,
  :meth:`~Gazetteer.ancestors`, :meth:`~Gazetteer.contains`;
* one name → one place — :meth:`Gazetteer.find` (凉山州 → 513400; 和平区 in a Tianjin context →
  120101; a bare 和平区 with no context → ``None``: ambiguous names stay unresolved, as in
  jionlp, rather than being guessed);
* every place in a text — :meth:`Gazetteer.find_all`, a longest-match scan over a character
  trie (河北区 in a Tianjin notice is the district, not the province 河北);
* what a notice is about — :meth:`Gazetteer.resolve_notice` (issuer, then title, then 全国,
  then the text's mentions weighted by 全省/全市… cues).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from qmgraph.levels import LEVEL_RANK
from qmgraph.lexicon.words import alternation, citation_words, patterns, words
from qmgraph.model import Jurisdiction
from qmgraph.tables import DATA_DIR, read_table

NATION = Jurisdiction(code=None, name="中华人民共和国", short_names=("全国", "中国"),
                      level="national", parent=None)
_NATION_SURFACES = frozenset({NATION.name, *NATION.short_names})

# Short forms that are also everyday words or common parts of other names (中山路, 大庆 =
# grand celebration): find() still resolves them when asked for exactly that name;
# find_all() does not count them in running text, where the everyday sense is far more
# frequent (data/place_words.tsv). Official names are never listed there.
_EVERYDAY = frozenset(words("place_words.tsv", "everyday-short-name"))


def _glued_after() -> dict[str, frozenset[str]]:
    """Name ending → characters after it that make one longer word with it (县 → 域, 级)."""
    out: dict[str, set[str]] = {}
    for pair in words("place_words.tsv", "glued-after"):
        out.setdefault(pair[:-1], set()).add(pair[-1])
    return {k: frozenset(v) for k, v in out.items()}


# A character after a name that shows the name is the first half of a longer word:
# 河南县域 is 河南 + 县域, not 河南县 (a county in Qinghai); 城区域 is not a district.
_GLUED_AFTER = _glued_after()
# The character before a short form that glues to its first character: 确保定期 is 确保 +
# 定期, not 保定.
_GLUED_BEFORE = frozenset(words("place_words.tsv", "glued-before"))

# Issuers that speak for the whole country when they name no place themselves.
_COUNTRY_ISSUER = re.compile(patterns("national_issuers.tsv"))
# "全省 / 本市 / 我区…" and "省政府 / 市市场监管局…": the notice's own level, named by the
# last character of the official names it applies to (四川省, 成都市, 和平区, 凉山州, 兴安盟…).
_LEVEL_CUE = re.compile(
    r"(?:[全本我]([省市区县州盟旗])(?![场域]))"
    r"|(?:(?<![省市区县州盟旗])([省市区县州盟旗])(?:"
    + alternation("place_words.tsv", "level-cue-agency") + "))"
)

# Place-like units below a county that GB/T 2260 does not list (镇, 街道, 开发区…).
_SUBCOUNTY = re.compile(
    r"^[\u4e00-\u9fff]{1,10}(?:" + alternation("place_words.tsv", "subcounty-ending") + ")$"
)


def subcounty_unit(name: str) -> bool:
    """Whether ``name`` is a unit below a county that GB/T 2260 does not list (雉城街道,
    经济开发区): such units head place blocks too."""
    return _SUBCOUNTY.match(name) is not None


_END = ""  # trie key marking "a surface ends here" (no character is the empty string)


def default_table_path() -> Path:
    """Where the packaged gazetteer lives: ``data/divisions.csv`` of the checkout, or its
    copy in an installed wheel (:func:`qmgraph.resources.data_dir`)."""
    return DATA_DIR / "divisions.csv"


def level_of(j: Jurisdiction | None) -> str:
    """The level word of a jurisdiction (``national`` for ``None``, i.e. the nation)."""
    return "national" if j is None else j.level


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> Gazetteer:
    return Gazetteer(_read_table(Path(path)))


def _read_table(path: Path) -> list[Jurisdiction]:
    """The divisions of a divisions table (``data/divisions.csv`` or one like it)."""
    return [Jurisdiction(code=row["code"], name=row["name"],
                         short_names=tuple(s for s in row["short_names"].split("|") if s),
                         level=row["level"], parent=row["parent"] or None)
            for row in read_table(path)]


#: Most answers ``Gazetteer.find`` keeps.
_FOUND_SIZE = 32768


class Gazetteer:
    """GB/T 2260 divisions with name lookup, text scanning and notice-level resolution.

    Build it with :meth:`load`; instances are immutable after construction and shared
    (``load`` caches one per table path), so treat them as read-only.
    """

    def __init__(self, divisions: Iterable[Jurisdiction]):
        self._by_code: dict[str, Jurisdiction] = {}
        self._children: dict[str | None, list[str]] = {}
        self._official: dict[str, list[str]] = {}  # official name → codes
        self._short: dict[str, list[str]] = {}  # short name → codes
        for j in sorted(divisions, key=lambda d: d.code or ""):
            if j.code is None:
                continue
            self._by_code[j.code] = j
            self._children.setdefault(j.parent, []).append(j.code)
            self._official.setdefault(j.name, []).append(j.code)
            for s in j.short_names:
                self._short.setdefault(s, []).append(j.code)
        # Ancestor codes, nearest first, for O(1) containment tests during scans.
        self._up: dict[str, tuple[str, ...]] = {}
        for code in self._by_code:
            chain: list[str] = []
            p = self._by_code[code].parent
            while p is not None and p in self._by_code and p not in chain:
                chain.append(p)
                p = self._by_code[p].parent
            self._up[code] = tuple(chain)
        self._trie: dict = {}
        for surface in self._official.keys() | self._short.keys():
            node = self._trie
            for ch in surface:
                node = node.setdefault(ch, {})
            node[_END] = surface
        #: what ``find`` answered, by (name, within): a build asks of the same few
        #: thousand names again and again (bounded: emptied when full)
        self._found: dict[tuple[str, str | None], Jurisdiction | None] = {}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The gazetteer of ``path`` (default :func:`default_table_path`), read once per path."""
        p = Path(path) if path is not None else default_table_path()
        return _load_cached(str(p.resolve()))

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Jurisdiction]:
        """All divisions (not the nation), in code order."""
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    # ------------------------------------------------------------------ navigation

    @property
    def nation(self) -> Jurisdiction:
        """The People's Republic as a whole: the root above every province (no code)."""
        return NATION

    def get(self, code: str | None) -> Jurisdiction:
        """The division with this 6-digit code; ``None`` gives the nation. KeyError if unknown."""
        if code is None:
            return NATION
        return self._by_code[code]

    def children(self, code: str | None) -> list[Jurisdiction]:
        """Direct subdivisions in code order; ``None`` gives the provinces."""
        if code is not None and code not in self._by_code:
            raise KeyError(code)
        return [self._by_code[c] for c in self._children.get(code, [])]

    def ancestors(self, code: str | None) -> list[Jurisdiction]:
        """Enclosing jurisdictions, nearest first, ending with the nation ([] for the nation)."""
        if code is None:
            return []
        if code not in self._by_code:
            raise KeyError(code)
        return [self._by_code[c] for c in self._up[code]] + [NATION]

    def contains(self, outer: str | None, inner: str | None) -> bool:
        """Whether ``inner`` is ``outer`` or lies inside it (``None`` = the nation)."""
        if outer is None:
            return True
        if inner is None:
            return False
        return inner == outer or outer in self._up.get(inner, ())

    # ------------------------------------------------------------------ lookup

    def candidates(self, name: str) -> list[Jurisdiction]:
        """Every division ``name`` could denote: official-name matches if any, else short."""
        codes = self._official.get(name) or self._short.get(name) or []
        return [self._by_code[c] for c in codes]

    def find(self, name: str, within: str | None = None) -> Jurisdiction | None:
        """The one jurisdiction ``name`` denotes, or ``None`` when unknown or ambiguous.

        ``name`` is an official name (凉山彝族自治州), a short form (凉山州, 四川), a chain
        (天津市和平区) or 全国/中国. ``within`` (any division code, usually the notice's
        province or city) decides between namesakes: matches inside it win, then matches
        inside its parent, and so on. Without a deciding context an ambiguous name gives
        ``None``; a short form shared across levels goes to the higher level (安阳 → 安阳市).
        """
        key = (name, within)
        if key in self._found:
            return self._found[key]
        if len(self._found) >= _FOUND_SIZE:
            self._found.clear()
        found = self._found[key] = self._find(name, within)
        return found

    def _find(self, name: str, within: str | None) -> Jurisdiction | None:
        name = name.strip()
        if name in _NATION_SURFACES:
            return NATION
        codes = self._official.get(name) or self._short.get(name)
        if codes:
            return self._pick(codes, within, None)
        # A chain of names (四川省凉山州, 天津市和平区): resolve left to right, each part in
        # the context of the one before, and accept only a full cover of the string.
        mentions = self.find_all(name, within)
        pos = 0
        for start, end, _ in mentions:
            if start != pos:
                return None
            pos = end
        if mentions and pos == len(name):
            return mentions[-1][2]
        return None

    def _scopes(self, code: str | None) -> tuple[str, ...]:
        """``code`` and its ancestors, narrowest first (empty for the nation)."""
        if code is None or code not in self._by_code:
            return ()
        return (code, *self._up[code])

    def _pick(
        self, codes: list[str], within: str | None, context: str | None
    ) -> Jurisdiction | None:
        """Choose among namesakes: narrowest scope first, then a unique highest level."""
        if len(codes) == 1:
            return self._by_code[codes[0]]
        for scope in self._scopes(within) + self._scopes(context):
            inside = [c for c in codes if c == scope or scope in self._up[c]]
            if inside:
                # Namesakes inside the scope decide; do not fall back to a place outside it.
                return self._unique(inside)
        return self._unique(codes)

    def _unique(self, codes: list[str]) -> Jurisdiction | None:
        if len(codes) == 1:
            return self._by_code[codes[0]]
        depths = sorted(LEVEL_RANK[self._by_code[c].level] for c in codes)
        if depths[0] < depths[1]:  # exactly one candidate at the highest level
            return min((self._by_code[c] for c in codes), key=lambda j: LEVEL_RANK[j.level])
        return None

    # ------------------------------------------------------------------ scanning

    def find_all(self, text: str, within: str | None = None) -> list[tuple[int, int, Jurisdiction]]:
        """Every place mentioned in ``text`` as ``(start, end, jurisdiction)``, in text order.

        At each position the longest name wins and consumes its span, so matches never
        overlap (天津市河北区 → 天津市, 河北区). Namesakes are decided by ``within``, then by
        the place mentioned just before (the text's own running context); a name that stays
        ambiguous is skipped, not guessed. Short forms that are everyday words
        (``data/place_words.tsv``) are not counted, and a county's two-character stem (福鼎) only
        counts right after a mention of a place containing it (宁德福鼎), because most such
        stems are ordinary words too (合作, 公安, 会同). The nation (全国) is not a mention
        here; :meth:`resolve_notice` looks for it itself.
        """
        out: list[tuple[int, int, Jurisdiction]] = []
        trie = self._trie
        n = len(text)
        i = 0
        context: str | None = None
        last_end = -1
        while i < n:
            node = trie.get(text[i])
            if node is None:
                i += 1
                continue
            # Walk the trie to collect every surface starting at i (shortest first).
            found: list[str] = []
            j = i
            while node is not None:
                if _END in node:
                    found.append(node[_END])
                j += 1
                node = node.get(text[j]) if j < n else None
            advance = 1
            for surface in reversed(found):  # longest first
                end = i + len(surface)
                official = surface in self._official
                if not self._plausible(text, i, end, surface, official):
                    continue
                codes = self._official[surface] if official else self._short[surface]
                place = self._pick(codes, within, context)
                if place is None:
                    # An ambiguous name (和平区 with no context): skip all of it, so its
                    # tail is not read as another name, and do not guess.
                    advance = len(surface)
                    break
                if not official and not self._short_ok(place, surface, i, last_end, context):
                    continue
                out.append((i, end, place))
                context = place.code
                last_end = end
                advance = len(surface)
                break
            i += advance
        return out

    def _plausible(self, text: str, start: int, end: int, surface: str, official: bool) -> bool:
        """Reject a match whose neighbours show it is part of a longer ordinary word."""
        nxt = text[end] if end < len(text) else ""
        if nxt and nxt in _GLUED_AFTER.get(surface[-1], ()):
            if surface[-1] == "区" or not official or nxt == "域":
                return False
        if not official:
            if surface in _EVERYDAY:
                return False
            if start > 0 and text[start - 1] + surface[0] in _GLUED_BEFORE:
                return False
        return True

    def _short_ok(
        self, j: Jurisdiction, surface: str, start: int, last_end: int, context: str | None
    ) -> bool:
        """A county's two-character stem counts only right after a place that contains it."""
        if j.level != "county" or len(surface) > 2:
            return True
        return start == last_end and context is not None and self.contains(context, j.code)

    # ------------------------------------------------------------------ notices

    def resolve_notice(self, title: str, issuer: str, text: str,
                       source: str = "") -> Jurisdiction | None:
        """The jurisdiction a notice is about, or ``None`` when nothing says.

        In order: a place named in the issuer (福鼎市市场监督管理局 → 福鼎市), then in the
        title (2022年天津市“质量月”… → 天津市); a place written before 质量月 in the text
        (:meth:`edition_place`; a lower place whose agency acts in the opening sentence wins
        over it); 全国 in the title or issuer, a national issuer (市场监管总局, 国务院…) or a
        central body acting in the opening sentences → the nation; the text's mentions (see
        :meth:`place_of_text`, narrowed by :meth:`branch_place`); last, the page's
        ``source`` line (来源：…).
        """
        text = text or ""
        place = self._place_of_headings(title or "", issuer or "", text)
        if place is not None:
            return place
        # A release names its own edition: "2021年福州市“质量月”活动", "湖南省“质量月”活动".
        mentions = self.find_all(text)
        edition = self.edition_place(text, mentions)
        if edition is not None:
            return self._acting_inside(text, mentions, edition) or edition
        if self._national(title or "", issuer or "", text, mentions):
            return NATION
        place = self.place_of_text(text, mentions)
        # "成都市市场监督管理局武侯分局" acting in a text about 成都市: the branch serves
        # 武侯区, and the document is that district's.
        branch = self.branch_place(text, place)
        if branch or place:
            return branch or place
        # Last, the page's source line ("来源：汤阴县融媒体中心") when the text itself says
        # only 我县 / 本市.
        return self._place_of_heading(source, None) if source else None

    def _place_of_headings(self, title: str, issuer: str, text: str) -> Jurisdiction | None:
        """The place the issuer names, else the one the title names. The text's dominant
        province decides namesakes in them (a 和平区 issuer in a notice full of 天津市 is
        Tianjin's); computed only when needed."""
        frame: list[str | None] = []
        for field in (issuer, title):
            place = self._place_of_heading(field, None)
            if place is None and field and self._has_ambiguous_name(field):
                if not frame:
                    frame.append(self._frame(self.find_all(text)))
                place = self._place_of_heading(field, frame[0])
            if place is not None:
                return place
        return None

    def _national(self, title: str, issuer: str, text: str,
                  mentions: list[tuple[int, int, Jurisdiction]]) -> bool:
        """全国 in the title or issuer, a national issuer, or a central body acting in the
        opening sentences while no local agency acts."""
        # A forwarding notice (关于转发…全国…的通知) names the national notice it forwards;
        # its 全国 says nothing about the forwarder's own jurisdiction.
        title_says_nation = "全国" in title and "转发" not in title
        if title_says_nation or "全国" in issuer or _is_national_issuer(issuer):
            return True
        return bool(national_actor(text)) and not self._local_agency_acts(text, mentions)

    def _acting_inside(self, text: str, mentions: list[tuple[int, int, Jurisdiction]],
                       outer: Jurisdiction) -> Jurisdiction | None:
        """A place inside ``outer`` whose agency acts in the opening sentence ("金牛区市场
        监督管理局召开…" in a text that also names 成都市's edition); None when none does."""
        lead_end = text.find("。")
        lead_end = len(text) if lead_end < 0 else lead_end
        for s, e, j in mentions:
            if s > lead_end:
                break
            if j.code != outer.code and self.contains(outer.code, j.code) \
                    and _AGENCY_AFTER_PLACE.match(text, e):
                return j
        return None

    def _local_agency_acts(self, text: str, mentions: list[tuple[int, int, Jurisdiction]]) -> bool:
        """Some place's own agency is named outside a citation ("汉阴县市场监督管理局举办…"):
        a text that opens with the national campaign as background is still that place's."""
        for s, e, _j in mentions:
            before = text[:s]
            if before.count("《") > before.count("》"):
                continue
            clause = re.split(r"[，。；]", before[-24:])[-1]
            if _AGENCY_AFTER_PLACE.match(text, e) and not any(w in clause for w in citation_words()):
                return True
        return False

    def branch_place(self, text: str, city: Jurisdiction | None) -> Jurisdiction | None:
        """The county or district a city agency's branch serves ("…局武侯分局" → 武侯区),
        when the text names one branch of ``city`` and no other."""
        if city is None or city.code is None:
            return None
        served: set[str] = set()
        for m in _BRANCH.finditer(text):
            stem = m.group(1)
            named = [j for name in (stem, stem + "区", stem + "县", stem + "市")
                     for j in self.candidates(name)]
            for j in named:
                if j.parent == city.code and j.level == "county":
                    served.add(j.code)
        if len(served) == 1:
            return self._by_code[served.pop()]
        return None

    def edition_place(self, text: str,
                      mentions: list[tuple[int, int, Jurisdiction]] | None = None) -> Jurisdiction | None:
        """The place written right before the words 质量月 ("2021年福州市“质量月”",
        "西双版纳州2017年质量月"), the one most often so written (the first on a tie)."""
        found: list[Jurisdiction] = []
        for s, e, j in mentions if mentions is not None else self.find_all(text):
            after = text[e:e + 16]
            k = after.find("质量月")
            if k < 0 or not _EDITION_GAP.match(after[:k]):
                continue
            # "按照天津市“质量月”活动统一部署": the edition followed, not the text's own
            clause = re.split(r"[，。；]", text[max(0, s - 24):s])[-1]
            if not any(w in clause for w in citation_words()):
                found.append(j)
        if not found:
            return None
        counts = Counter(j.code for j in found)
        top = max(counts.values())
        return next(j for j in found if counts[j.code] == top)

    def _has_ambiguous_name(self, s: str) -> bool:
        """Whether ``s`` contains an official name several divisions share (和平区)."""
        return any(
            len(self._official.get(s[i:k], ())) > 1
            for i in range(len(s))
            for k in range(i + 2, min(len(s), i + 12) + 1)
        )

    def _frame(self, mentions: list[tuple[int, int, Jurisdiction]]) -> str | None:
        """The province with most mentions (own name plus places inside); None on a tie."""
        per_province: Counter[str] = Counter()
        for _, _, j in mentions:
            per_province[self._scopes(j.code)[-1]] += 1
        ranked = per_province.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def _place_of_heading(self, s: str, within: str | None) -> Jurisdiction | None:
        """The place a title or issuer names: the deepest of a nested chain (天津市和平区).

        Several unrelated places (a joint issuance) → the first one and what lies inside it.
        """
        best: Jurisdiction | None = None
        for _, _, j in self.find_all(s, within):
            if best is None:
                best = j
            elif self.contains(best.code, j.code):
                best = j
            else:
                break
        return best

    def place_of_text(self, text: str,
                      mentions: list[tuple[int, int, Jurisdiction]] | None = None) -> Jurisdiction | None:
        """The place a notice's body is about, from the places it mentions.

        The province with most mentions (its own name plus places inside it) is the frame.
        The text's level cue — the most frequent of 全省/全市/全区/全县/全州/全盟/全旗 and
        省政府/市市场监管局… — then picks, inside that province, the most-mentioned place
        whose official name ends with the cue's character (全市 → 成都市 or 天津市;
        全区 → 和平区 or 广西壮族自治区). With no cue the most-mentioned place inside the
        province wins, the province on a tie. ``None`` when no place is mentioned, when two
        provinces tie, or when the cue names a level no mentioned place has.
        """
        if mentions is None:
            mentions = self.find_all(text)
        province = self._frame(mentions)
        if province is None:
            return None  # no place at all, or two provinces equally present
        direct = Counter(j.code for _, _, j in mentions)
        inside = {c: k for c, k in direct.items() if self.contains(province, c)}
        inside.setdefault(province, 0)

        def best(codes: list[str]) -> Jurisdiction | None:
            # Most mentions; on a tie the shallower place; still tied → undecided.
            order = sorted(codes, key=lambda c: (-inside[c], LEVEL_RANK[self._by_code[c].level]))
            if len(order) > 1 and (inside[order[0]], self._by_code[order[0]].level) == (
                inside[order[1]],
                self._by_code[order[1]].level,
            ):
                return None
            return self._by_code[order[0]]

        cues = Counter(a or b for a, b in _LEVEL_CUE.findall(text))
        if cues:
            top = cues.most_common()
            if len(top) == 1 or top[0][1] > top[1][1]:
                cue = top[0][0]
                fitting = [c for c in inside if self._by_code[c].name.endswith(cue)]
                return best(fitting) if fitting else None
        return best(list(inside))


_AGENCY_AFTER_PLACE = re.compile(patterns("place_cues.tsv"))
# "…市场监督管理局武侯分局": a city bureau's branch named by the district it serves.
_BRANCH = re.compile(r"局([\u4e00-\u9fff]{2,3}?)分局")
# What may stand between a place and 质量月 when the place names its own edition.
_EDITION_GAP = re.compile(r"^[\d年度“\"全省市区县州盟旗第届的 ]*$")


@functools.lru_cache(maxsize=1)
def _national_bodies() -> re.Pattern[str]:
    return re.compile(patterns("national_bodies.tsv"))


def national_actor(text: str, window: int = 600) -> str:
    """The central body the opening sentences have acting, as written ("国家质检总局" in
    "国家质检总局以…为主题", "建设部" in "建设部近日发出通知"); "" when none does (one cited
    after 根据/按照 or inside 《》 does not act)."""
    lead = text[:window]
    for m in _national_bodies().finditer(lead):
        before = lead[:m.start()]
        if before.count("《") > before.count("》"):
            continue
        clause = re.split(r"[，。；]", before[-24:])[-1]
        if any(w in clause for w in citation_words()):
            continue
        if _ACTING.match(lead[m.end():m.end() + 16]):
            return m.group(0)
    return ""


# What follows a body that acts: "国家质检总局以…为主题", "市场监管总局等16个部门定于",
# "国家市场监督管理总局、中共中央宣传部…联合印发", "建设部近日发出通知" (a bracketed
# short name may come between).
_ACTING = re.compile(
    r"^(?:[（(][^）)]{0,8}[）)])?(?:" + alternation("place_words.tsv", "acting-after") + ")"
)


def _is_national_issuer(issuer: str) -> bool:
    """An issuer that names no place and is a central body (市场监管总局, 国务院, 公安部…)."""
    issuer = issuer.strip()
    return bool(issuer) and any(
        _COUNTRY_ISSUER.search(part) for part in re.split(r"[\s,，、;；]+", issuer) if part
    )
