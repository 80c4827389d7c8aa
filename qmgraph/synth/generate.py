"""Deterministic generator of realistic 质量月 notice corpora with linking ground truth.

``generate(n_notices, seed, out_dir)`` writes ``out_dir/notices/*.txt`` and
``out_dir/truth.json`` and returns the :class:`SynthTruth`. Places come from the real
gazetteer (nation → provinces → prefectures → counties), agencies from the sector table
(written the way notices write them: 省公安厅, 市市场监管局, 区教育局, with the bodies and
names of the document's year: :mod:`qmgraph.synth.eras`), activities from
:mod:`qmgraph.synth.templates`. A lower notice's activity either copies (verbatim) or adapts
(reworded, same campaign) an activity of the same sector in the nearest higher notice of the
same year, or is fresh; place blocks ("成都市：…", "（一）和平区") copy or adapt the agency
activities above them in the same notice. Everything is drawn from one ``random.Random(seed)``
in a fixed order, so the same seed gives byte-identical files.
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qmgraph.errors import InputError
from qmgraph.graphfile import check_text_file
from qmgraph.ingest.formats import chinese_number
from qmgraph.ingest.normalize import opencc_converter
from qmgraph.lexicon.organizations import STEM_COLUMNS
from qmgraph.lexicon.places import Gazetteer
from qmgraph.model import Jurisdiction
from qmgraph.parse.prose import prose_cues
from qmgraph.resolve.organizations import OrganizationResolver
from qmgraph.synth import templates as T
from qmgraph.synth.eras import TODAY, Eras
from qmgraph.tables import read_table

_SCOPE = {"national": "全国", "provincial": "全省", "prefectural": "全市", "county": "全县"}
_LVL = {"national": "国", "provincial": "省", "prefectural": "市", "county": "县"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_VERSION = "1"


# ------------------------------------------------------------------ truth


@dataclass
class TruthActivity:
    """One generated activity, identified by (file, block name, text)."""

    id: str  #: "<file>#<block index>.<item index>"
    file: str  #: file name under notices/
    block: str  #: block name as written (simplified): 省公安厅, 成都市
    text: str  #: simplified activity text
    sector: str = ""  #: sector of an agency block; "" for a place block
    campaign: str = ""  #: campaign core the activity carries
    #: (name as written, organization key) of each organization the text names as a
    #: co-organizer (联合B、C共同举办, 由A主办，B等单位协办, A主办，B承办)
    co_organizers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TruthNotice:
    """What the parser and resolver should find in one notice."""

    file: str
    place: str  #: "cn" or the 6-digit division code
    level: str
    year: int
    blocks: list[tuple[str, str]]  #: (kind, name): organizer/jurisdiction blocks in order
    encoding: str = "utf-8"
    script: str = "simplified"
    #: document genre (data/genre_cues.tsv): notice, press-release, meeting-report, work-report
    genre: str = "notice"
    #: sentences of a prose document that report no activity (background on the Quality
    #: Month, speeches, the theme, closing words): none may become an activity
    not_activities: list[str] = field(default_factory=list)
    #: the number of organizing departments a prose document states ("等17个部门")
    organizer_count: int | None = None
    #: the slogans a slogan page lists
    slogans: list[str] = field(default_factory=list)
    #: the doc number a formal notice writes ("" when none); a few are shared on purpose by
    #: notices of two places (``COLLISION_SHARE``): both are different documents, both kept
    doc_number: str = ""


@dataclass
class SynthTruth:
    """Ground truth of a generated corpus (also written as ``truth.json``)."""

    seed: int
    notices: list[TruthNotice] = field(default_factory=list)
    activities: list[TruthActivity] = field(default_factory=list)
    #: (lower activity id, higher activity id, "verbatim" | "adapted"): direct derivations
    mirrors: list[tuple[str, str, str]] = field(default_factory=list)

    def activity(self, aid: str) -> TruthActivity:
        """The activity with this id."""
        return self._by_id[aid]

    @functools.cached_property
    def _by_id(self) -> dict[str, TruthActivity]:
        """The activities by id, once they are all made."""
        return {a.id: a for a in self.activities}

    def closure(self) -> set[tuple[str, str]]:
        """Expected mirror pairs: each direct derivation plus its best source at every level
        above (a city copy of a provincial copy of a national activity mirrors both)."""
        up: dict[str, str] = {}
        for low, high, _ in self.mirrors:
            up.setdefault(low, high)
        pairs: set[tuple[str, str]] = set()
        for low in up:
            cur = low
            seen = {low}
            while cur in up and up[cur] not in seen:
                cur = up[cur]
                seen.add(cur)
                pairs.add((low, cur))
        return pairs

    def block_pairs(self, pairs: set[tuple[str, str]] | None = None
                    ) -> set[tuple[str, str, str, str]]:
        """(lower file, lower block, higher file, higher block) of each activity pair of
        ``pairs`` (default: every expected pair, :meth:`closure`)."""
        by = self._by_id
        return {(by[a].file, by[a].block, by[b].file, by[b].block)
                for a, b in (self.closure() if pairs is None else pairs)}

    def to_json(self) -> dict:
        """Plain JSON form (lists, not tuples)."""
        return {
            "version": _VERSION,
            "seed": self.seed,
            "notices": [asdict(n) for n in self.notices],
            "activities": [asdict(a) for a in self.activities],
            "mirrors": [list(m) for m in self.mirrors],
            "closure": sorted(list(p) for p in self.closure()),
            "block_mirrors": sorted(list(p) for p in self.block_pairs()),
        }

    @classmethod
    def load(cls, path: str | Path) -> SynthTruth:
        """Read a ``truth.json`` written by :func:`generate`; raises
        :class:`~qmgraph.errors.InputError` naming the file when it is not one."""
        check_text_file(path, "truth file")
        try:
            d = json.loads(Path(path).read_text(encoding="utf-8"))
            t = cls(seed=d["seed"])
            t.notices = [TruthNotice(**{**n, "blocks": [tuple(b) for b in n["blocks"]]})  # type: ignore[misc]
                         for n in d["notices"]]
            t.activities = [TruthActivity(**{**a, "co_organizers": [
                tuple(c) for c in a.get("co_organizers", [])]}) for a in d["activities"]]
            t.mirrors = [tuple(m) for m in d["mirrors"]]  # type: ignore[misc]
        except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError is a ValueError
            raise InputError(f"not a truth.json of qmgraph synth ({type(exc).__name__}: {exc})",
                             path=str(path)) from exc
        return t


# ------------------------------------------------------------------ agencies


def _prefix(j: Jurisdiction) -> str:
    """The relative place word a notice of ``j`` puts before its own agencies."""
    name = j.name
    if j.level == "provincial":
        return "市" if name.endswith("市") else ("区" if name.endswith("自治区") else "省")
    if name.endswith("自治州"):
        return "州"
    if name.endswith("地区"):
        return "地区"
    return name[-1]


class _Catalog:
    """Sectors usable in generated notices, with surfaces checked against the resolver."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.resolver = OrganizationResolver(gaz)
        sectors = {s.key: s for s in self.resolver.sectors()}
        aliases: dict[str, list[str]] = {}
        for row in read_table("agency_aliases.csv"):
            if "{" not in row["alias"] + row["full"]:
                aliases.setdefault(row["full"], []).append(row["alias"])
        self.rows = {r["key"]: r for r in read_table("sectors.csv")}
        self.aliases = aliases
        self.eras = Eras()
        #: present sectors (those standing for one take its place: ``sectors_in``)
        self.sectors = [k for k in T.SECTOR_CORES if k in sectors and not sectors[k].vertical
                        and self.rows[k]["national_name"] and k not in self.eras.stands_for]
        self._checked: dict[tuple[str | int, ...], tuple[str, ...]] = {}

    def sectors_in(self, year: int, level: str) -> list[str]:
        """The sectors a document of ``year`` at ``level`` may name: each of ``sectors`` that
        existed then, followed by the earlier bodies standing for it (质量技术监督局 and
        工商行政管理局 for market regulation before 2019)."""
        return [s for p in self.sectors for s in (p, *self.eras.stand_ins.get(p, ()))
                if self.eras.exists(s, level, year)]

    def lead(self, year: int, level: str) -> str:
        """The sector issuing a Quality Month notice in ``year``: market regulation, or the
        first body standing for it then (quality supervision)."""
        return next((s for s in ("market-regulation", *self.eras.stand_ins["market-regulation"])
                     if self.eras.exists(s, level, year)), "market-regulation")

    def cores(self, sector: str) -> tuple[str, ...]:
        """Activity cores of ``sector``, or of the present sector it stands for (quality
        supervision: market regulation's; a body beside another standing for the same
        sector has cores of its own, or the linker would see its copies as stock phrases)."""
        return T.SECTOR_CORES.get(sector) or T.SECTOR_CORES.get(
            self.eras.stands_for.get(sector, ""), ())

    def national_names(self, sector: str, year: int = TODAY) -> tuple[str, ...]:
        """The names of ``sector``'s central body in ``year`` that resolve back to it
        (national name and aliases, a former name only in its years); its national name
        when none does."""
        key = (sector, "national", year)
        if key not in self._checked:
            row = self.rows[sector]
            aliases = [a for a in row["national_aliases"].split("|") if a]
            former = tuple(f for f in row["former_names"].split("|") if f)
            names = self.eras.in_use(sector, "national", [row["national_name"], *aliases, *former],
                                     year, {a: row["national_name"] for a in aliases}, former)
            self._checked[key] = tuple(n for n in names
                                       if self._resolves(n, self.gaz.nation, f"cn/{sector}")
                                       ) or (row["national_name"],)
        return self._checked[key]

    def short_national(self, sector: str, year: int) -> str:
        """The shortest name of ``sector``'s central body in ``year`` (市场监管总局)."""
        return min(self.national_names(sector, year), key=len)

    def names(self, sector: str, j: Jurisdiction, year: int = TODAY) -> tuple[str, ...]:
        """How a notice of ``j`` in ``year`` names its agency of ``sector`` (national or
        local names)."""
        return self.national_names(sector, year) if j.code is None else \
            self.local_names(sector, j, year)

    def stem(self, sector: str, j: Jurisdiction, year: int = TODAY) -> str:
        """The name (without the place) of ``j``'s agency of ``sector`` in ``year``; "" if none."""
        stems = [s for s in self.rows[sector].get(STEM_COLUMNS[j.level], "").split("|")
                 if s and "{" not in s]
        return next(iter(self.eras.in_use(sector, j.level, stems, year)), "")

    def local_names(self, sector: str, j: Jurisdiction, year: int = TODAY) -> tuple[str, ...]:
        """Relative surfaces (省公安厅, 市市场监管局) that resolve to ``j``'s agency of
        ``sector`` in ``year``; empty when the sector has no agency at that level."""
        pre = _prefix(j)
        key = (sector, j.level, pre, year)
        if key not in self._checked:
            stem = self.stem(sector, j, year)
            cands = [pre + a for a in self.aliases.get(stem, [])] + [pre + stem] if stem else []
            self._checked[key] = tuple(c for c in cands
                                       if self._resolves(c, j, f"{j.code}/{sector}"))
        return self._checked[key]

    def _resolves(self, surface: str, j: Jurisdiction, key: str) -> bool:
        try:
            return self.resolver.resolve(surface, j).key == key
        except (ValueError, KeyError):
            return False


# ------------------------------------------------------------------ activities


@dataclass
class _Act:
    verb: str
    core: str  #: filled in (year, scope)
    purpose: str
    lead: str = ""
    local: bool = False  #: a fresh local sentence (no core/campaign)
    detail: str = ""  #: what a prose document says it did, instead of the purpose
    co_before: str = ""  #: co-organizers named before the verb (联合B、C共同)
    co_after: str = ""  #: co-organizers named after the core (，由A主办，B等单位协办)
    co_orgs: tuple[tuple[str, str], ...] = ()  #: (name as written, key) of each of them

    @property
    def prose(self) -> str:
        """The activity as a prose document reports it (without its agency)."""
        return (f"{self.lead}{self.co_before}{self.verb}{self.core}{self.co_after}，"
                f"{self.detail or self.purpose}。")

    @property
    def text(self) -> str:
        return f"{self.lead}{self.co_before}{self.verb}{self.core}{self.co_after}，{self.purpose}。"


@dataclass
class _Block:
    kind: str  #: organizer | jurisdiction
    name: str
    sector: str
    acts: list[tuple[_Act, str]] = field(default_factory=list)  #: (activity, truth id)


@dataclass
class _Notice:
    file: str
    j: Jurisdiction
    year: int
    blocks: list[_Block] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  #: cores and topics used here and above
    theme: str = ""  #: the theme a formal notice states (``_render``)


class _Gen:
    def __init__(self, seed: int, gaz: Gazetteer) -> None:
        self.rng = random.Random(seed)
        #: co-organizers are drawn from a stream of their own, so a corpus with them keeps
        #: every other draw of the corpus without them
        self.co_rng = random.Random(f"co-organizers-{seed}")
        self.gaz = gaz
        self.cat = _Catalog(gaz)
        self.truth = SynthTruth(seed=seed)

    # -- places

    def plan(self, n: int, years: tuple[int, int] | None = None
             ) -> list[tuple[int, Jurisdiction]]:
        """(year, place) of every notice, parents before children within a year.

        ``years`` (first, last) spreads the corpus over that span with more documents in
        later years (``year_counts``); without it a corpus covers 1–3 years from 2021.
        """
        rng = self.rng
        if years is None:
            n_years = 1 if n < 8 else (2 if n < 40 else 3)
            span = [2021 + i for i in range(n_years)]
            per_year = [n // n_years + (1 if i < n % n_years else 0) for i in range(n_years)]
        else:
            span = list(range(years[0], years[1] + 1))
            per_year = year_counts(n, len(span))
        provinces = sorted(self.gaz.children(None), key=lambda j: j.code or "")
        rng.shuffle(provinces)
        out: list[tuple[int, Jurisdiction]] = []
        for year, m in zip(span, per_year, strict=True):
            if m == 0:
                continue
            places: list[Jurisdiction] = [self.gaz.nation]
            n_prov = min(len(provinces), max(1, round((m - 1) * 0.12)))
            provs = provinces[:n_prov]
            places += provs
            rest = m - len(places)
            n_pref = round(rest * 0.5) if rest > 1 else rest
            pref_pool = [c for p in provs for c in self.gaz.children(p.code)]
            rng.shuffle(pref_pool)
            # a 直辖市's districts are county-level children of the province itself
            prefs = [c for c in pref_pool if self._nameable(c)][:n_pref]
            places += prefs
            county_pool = [c for p in prefs if p.level == "prefectural"
                           for c in self.gaz.children(p.code)]
            rng.shuffle(county_pool)
            left = m - len(places)
            counties = [c for c in county_pool if self._nameable(c)][:left]
            places += counties
            if len(places) < m:  # small gazetteer branches: more prefectures from any province
                extra = [c for p in provinces[n_prov:] for c in self.gaz.children(p.code)
                         if c.level == "prefectural" and self._nameable(c)]
                places += extra[: m - len(places)]
            first = places[:m]
            # More documents than places in a year: places publish again (a launch report,
            # a summary…), in the same order, after every place's first document, so each
            # place's first document is the one its children copy.
            again = [first[k % len(first)] for k in range(m - len(first))]
            out += [(year, j) for j in first + again]
        return out

    def _nameable(self, j: Jurisdiction) -> bool:
        """A place whose market regulator a notice can name (not 中沙群岛的岛礁及其海域)."""
        return bool(self.cat.local_names("market-regulation", j))

    # -- sentences

    def fresh_high(self, sector: str, label: str, year: int, scope: str,
                   used: set[str], prose: bool = False) -> _Act | None:
        """A new activity from the sector's cores that is not in ``used`` (the cores of this
        notice and of the notices above it, level words neutralized); None if none is left."""
        rng = self.rng
        # keys: a sector core neutralized, a generic core by its template (the sector label
        # inside it changes nothing about how alike two sentences are)
        pool = [(_neutral(c.format(year=year, scope=scope)), c.format(year=year, scope=scope))
                for c in self.cat.cores(sector)]
        pool += [(g, g.replace("{label}", label)) for g in T.GENERIC_CORES]
        free = [(k, c) for k, c in pool if k not in used]
        if not free:
            return None
        key, core = rng.choice(free)
        used.add(key)
        return _Act(rng.choice(T.PROSE_VERBS if prose else T.VERBS), core, self.purpose())

    def purpose(self, avoid: str = "") -> str:
        """A purpose clause (adverb + phrase), different from ``avoid``."""
        rng = self.rng
        while True:
            lead, phrase = rng.choice(T.PURPOSE_LEADS), rng.choice(T.PURPOSES)
            p = phrase if lead and phrase.startswith(lead) else lead + phrase  # no 切实切实
            if p != avoid:
                return p

    def fresh_local(self, j: Jurisdiction, used: set[str], prose: bool = False) -> _Act:
        """A local sentence naming ``j``, with a topic not in ``used`` when one is left
        (in prose, a topic that names its action: 开展…, 实施…)."""
        rng = self.rng
        short = j.short_names[0] if j.short_names else j.name
        pool = T.PROSE_TOPICS if prose else T.TOPICS
        topics = [t for t in pool if t not in used] or list(pool)
        topic = rng.choice(topics)
        used.add(topic)
        core = f"{short}{rng.choice(T.INDUSTRIES)}{rng.choice(T.SUBJECTS)}{topic}"
        return _Act(rng.choice(T.LOCAL_VERBS), core, rng.choice(T.LOCAL_PURPOSES), local=True)

    def adapt(self, src: _Act, j: Jurisdiction, prose: bool = False) -> _Act:
        rng = self.rng
        scope = _SCOPE[j.level]
        short = j.short_names[0] if j.short_names else j.name
        lead = rng.choice(T.ADAPT_LEADS).format(scope=scope, short=short)
        core = src.core
        for word in _SCOPE.values():
            core = core.replace(word, scope)
        verbs = (T.PROSE_LOCAL_ADAPT_VERBS if src.local else T.PROSE_ADAPT_VERBS) if prose \
            else T.ADAPT_VERBS
        return _Act(rng.choice(verbs), core, self.purpose(src.purpose), lead=lead)

    # -- notices

    def notice(self, idx: int, year: int, j: Jurisdiction,
               done: dict[tuple[int, str], _Notice], prose: bool = False,
               earlier: _Notice | None = None) -> _Notice:
        """The activities of one document; ``prose`` (a release, meeting report or summary)
        reports fewer agencies and activities, every one with an action verb, and has no
        place blocks. ``earlier`` is the place's first document of the year when this is
        another one: nothing it copied or made is repeated, so the truth never has two
        equally good sources for a child's copy."""
        rng = self.rng
        code = j.code or "cn"
        nt = _Notice(file=f"{idx:05d}_{code}_{year}.txt", j=j, year=year)
        scope = _SCOPE[j.level]
        # the nearest higher notice of the same year (parent, grandparent…, nation);
        # ancestors() lists the parent first (reversing it made every notice copy the nation)
        uppers = [done[(year, a.code or "cn")] for a in self.gaz.ancestors(j.code)
                  if (year, a.code or "cn") in done] if j.code else []
        upper = uppers[0] if uppers else None
        upper_by_sector = {b.sector: b for b in upper.blocks if b.kind == "organizer"} \
            if upper else {}
        n_agencies = (2, 4) if prose else {"national": (10, 16), "provincial": (7, 13),
                                           "prefectural": (4, 9), "county": (3, 6)}[j.level]
        sectors = [s for s in self.cat.sectors_in(year, j.level)
                   if self.cat.names(s, j, year)]
        # market regulation (before it quality supervision) leads, the rest in a random order
        lead = self.cat.lead(year, j.level)
        rest = [s for s in sectors if s != lead]
        rng.shuffle(rest)
        chosen = ([lead] if lead in sectors else []) + rest[: rng.randint(*n_agencies) - 1]
        # cores already used here or above: a fresh activity must not repeat them, or the
        # truth would miss links the linker rightly finds
        used: set[str] = {k for u in uppers for k in u.keys}
        # cores copied into this notice, so none is copied twice
        mine: set[str] = set(earlier.keys) if earlier else set()
        used |= mine
        for sector in chosen:
            blk = _Block("organizer", rng.choice(self.cat.names(sector, j, year)), sector)
            label = self.cat.rows[sector]["label_zh"]
            src_blk = upper_by_sector.get(sector)
            n_acts = rng.randint(1, 2) if prose else rng.randint(1, 4 if j.level != "county" else 3)
            for _ in range(n_acts):
                r = rng.random()
                if src_blk and src_blk.acts and r < 0.55:
                    src, sid = rng.choice(src_blk.acts)
                    # prose copies verbatim only a sentence whose verb names an action
                    if r < 0.25 and not src.local and (not prose or _cued(src.verb)):
                        act, grade = _Act(src.verb, src.core, src.purpose, src.lead), "verbatim"
                    else:
                        act, grade = self.adapt(src, j, prose), "adapted"
                    if _neutral(act.core) in mine:
                        continue
                    mine.add(_neutral(act.core))
                    used.add(_neutral(act.core))
                    aid = self._add(nt, blk, act, detail=prose and grade == "adapted")
                    self.truth.mirrors.append((aid, sid, grade))
                else:  # fresh: from the sector's cores (higher levels), else a local one
                    high = j.level in ("national", "provincial") or r < 0.7
                    act = self.fresh_high(sector, label, year, scope, used, prose) if high else None
                    act = self.with_co(act or self.fresh_local(j, used, prose), blk, j, year, prose)
                    self._add(nt, blk, act, detail=prose)
            if blk.acts:
                nt.blocks.append(blk)
        if prose and not nt.blocks and chosen:
            # every activity drawn was one the place's earlier document had already copied:
            # a report of nothing would be its earlier report's opening alone, which a build
            # rightly keeps once as the same document cut short. It reports one of its own.
            # (Rare, so the draws of every other document stay the same.)
            sector = chosen[0]
            blk = _Block("organizer", rng.choice(self.cat.names(sector, j, year)), sector)
            self._add(nt, blk, self.fresh_local(j, used, prose), detail=True)
            nt.blocks.append(blk)
        # place blocks: the children of this place, copying this notice's agency activities
        children = self.gaz.children(j.code) if j.code else []
        if children and j.level != "national" and not prose and rng.random() < 0.45:
            kids = rng.sample(children, min(len(children), rng.randint(2, 5)))
            agency_acts = [(a, i) for b in nt.blocks for a, i in b.acts]
            for kid in kids:
                blk = _Block("jurisdiction", kid.name, "")
                for _ in range(rng.randint(1, 3)):
                    if agency_acts and rng.random() < 0.5:
                        src, sid = rng.choice(agency_acts)
                        verbatim = rng.random() < 0.4 and not src.local
                        act = _Act(src.verb, src.core, src.purpose, src.lead) if verbatim \
                            else self.adapt(src, kid)
                        aid = self._add(nt, blk, act)
                        self.truth.mirrors.append((aid, sid, "verbatim" if verbatim else "adapted"))
                    else:
                        self._add(nt, blk, self.fresh_local(kid, used))
                nt.blocks.append(blk)
        nt.keys = used
        return nt

    def with_co(self, act: _Act, blk: _Block, j: Jurisdiction, year: int, prose: bool) -> _Act:
        """``act`` naming co-organizers, ``CO_SHARE`` of the time: one to three agencies of
        other sectors at ``j``, in one of the forms of ``templates.CO_BEFORE_VERB`` /
        ``CO_AFTER_CORE`` / ``CO_CARRYING`` (a prose sentence: before the verb only)."""
        rng = self.co_rng
        if rng.random() >= CO_SHARE:
            return act
        code = j.code or "cn"
        others = [s for s in self.cat.sectors_in(year, j.level) if s != blk.sector
                  and self.cat.names(s, j, year)]
        picked = rng.sample(others, min(len(others), rng.choice((1, 1, 2, 3))))
        if not picked:
            return act
        orgs = tuple((rng.choice(self.cat.names(s, j, year)), f"{code}/{s}") for s in picked)
        names = [name for name, _ in orgs]
        if len(names) > 1 and rng.random() < CO_LAST_JOINED:
            co = "、".join(names[:-1]) + rng.choice(T.CO_LAST_JOINERS) + names[-1]
        else:
            co = "、".join(names)
        form = rng.random()
        if prose or form < 0.5:
            act.co_before = rng.choice(T.CO_BEFORE_VERB).format(co=co)
        elif len(orgs) == 1 and form < 0.7:
            act.co_after = T.CO_CARRYING.format(host=blk.name, co=co)
        else:
            act.co_after = rng.choice(T.CO_AFTER_CORE).format(host=blk.name, co=co)
        act.co_orgs = orgs
        return act

    def _add(self, nt: _Notice, blk: _Block, act: _Act, detail: bool = False) -> str:
        """Add ``act`` to ``blk``; ``detail``: a prose document reports what it did (a
        number of leaflets, visitors, firms) rather than its purpose."""
        if blk.acts and any(a.text == act.text for a, _ in blk.acts):
            act = _Act(act.verb, act.core, act.purpose, act.lead or "同时",
                       co_before=act.co_before, co_after=act.co_after, co_orgs=act.co_orgs)
        if detail and self.rng.random() < 0.6:
            rng = self.rng
            words = {k: rng.choice(v) for k, v in T.DETAIL_WORDS.items()}
            act.detail = rng.choice(T.DETAILS).format(n=rng.randint(2, 60) * 100,
                                                      k=rng.randint(3, 90), **words)
        bi = len(nt.blocks)
        aid = f"{nt.file}#{bi}.{len(blk.acts)}"
        blk.acts.append((act, aid))
        self.truth.activities.append(TruthActivity(aid, nt.file, blk.name, act.text,
                                                   blk.sector, "" if act.local else act.core,
                                                   list(act.co_orgs)))
        return aid


def _cued(verb: str) -> bool:
    """Whether a verb names an action a prose sentence is read by (开展, 组织, 举办…)."""
    return verb in T.PROSE_VERBS or verb in T.PROSE_ADAPT_VERBS or verb in T.PROSE_LOCAL_ADAPT_VERBS


def _neutral(core: str) -> str:
    """A core with its level word (全国/全省…) blanked, to compare across levels."""
    for word in _SCOPE.values():
        core = core.replace(word, "全X")
    return core


# ------------------------------------------------------------------ rendering


def _label(style: str, i: int) -> str:
    """Numbering label ``i`` (1-based) in ``style``."""
    cn = chinese_number(i)
    return {"cn": f"{cn}、", "paren-cn": f"（{cn}）", "num": f"{i}、", "paren-num": f"（{i}）",
            "circled": _CIRCLED[(i - 1) % len(_CIRCLED)], "num-dot": f"{i}."}[style]


_ITEM_STYLE = {"cn": "num", "paren-cn": "num", "num": "paren-num", "paren-num": "num",
               "circled": "num"}


def _render(nt: _Notice, rng: random.Random, national_doc: str | None,
            cat: _Catalog, taken: dict[str, list[str]] | None = None,
            collide: random.Random | None = None) -> tuple[str, list[tuple[str, str]], str]:
    """Text of one notice, its expected (kind, name) blocks and the doc number it writes
    ("" when none). ``taken``: doc numbers already given, by prefix — two places abbreviated
    alike (临夏 and 临汾) get distinct numbers, except that ``collide`` (a random source of
    its own, so the other draws stay the same) now and then gives a notice the number of
    another place's notice on purpose (``COLLISION_SHARE``): real prefixes collide too, and
    a build must keep both documents."""
    j, year = nt.j, nt.year
    scope = _SCOPE[j.level]
    short = j.short_names[0] if j.short_names else j.name
    # a county or district with its prefecture or municipality in front (上海市普陀区):
    # a district name alone is often shared (普陀区 is also Zhoushan's)
    full = "" if j.code is None else _headline_place(j, cat.gaz)
    lead = cat.lead(year, j.level)
    issuer = cat.national_names(lead, year)[0] if j.code is None else \
        f"{full}{'质量强省工作领导小组办公室' if j.level == 'provincial' else cat.stem(lead, j, year)}"
    lines: list[str] = []
    if rng.random() < 0.5:
        lines += [f"{issuer}文件", ""]
    prefix = f"{short[:1]}{T.DOC_MARKS[lead][0]}〔{year}〕"
    docnum = national_doc if j.code is None else f"{prefix}{rng.randint(2, 99)}号"
    given = taken.setdefault(prefix, []) if taken is not None else []
    while j.code is not None and docnum in given:
        docnum = f"{prefix}{rng.randint(2, 999)}号"
    shared = j.code is not None and collide is not None and given \
        and collide.random() < COLLISION_SHARE
    if shared:
        docnum = collide.choice(given)  # type: ignore[union-attr]
    elif j.code is not None:
        given.append(docnum)
    written = rng.random() < 0.7 or j.code is None or bool(shared)
    if written:
        lines += [docnum, ""]
    title = f"{issuer}关于开展{year}年{scope}“质量月”活动的通知"
    lines += [title, ""]
    lines.append("各有关单位，各成员单位：" if j.code else
                 "各省、自治区、直辖市和新疆生产建设兵团质量强省（区、市）工作领导小组办公室：")
    cite = "" if j.code is None or not national_doc else \
        f"按照{cat.short_national(cat.lead(year, 'national'), year)}等部门《关于开展{year}年全国“质量月”活动的通知》（{national_doc}）部署，"
    lines.append(f"为深入贯彻质量强国建设纲要，推动经济高质量发展，{cite}"
                 f"决定于9月开展{year}年{scope}“质量月”活动。现将有关事项通知如下：")
    nt.theme = rng.choice(T.THEMES)
    lines += ["", "一、活动主题", nt.theme, "", "二、活动内容"]
    for k, item in enumerate(rng.sample(T.BODY_ITEMS, 3), start=1):
        lines.append(item.format(n=chinese_number(k), scope=scope, short=short, lvl=_LVL[j.level]))
    lines += ["三、活动要求"] + [r.format(year=year) for r in T.REQUIREMENTS]
    lines += ["", issuer, f"{year}年8月{rng.randint(1, 28)}日", ""]
    # attachment 1: the blocks
    lines += ["附件1", f"{year}年{scope}“质量月”联合主办单位开展的主要活动", ""]
    expected: list[tuple[str, str]] = []
    orgs = [b for b in nt.blocks if b.kind == "organizer"]
    places = [b for b in nt.blocks if b.kind == "jurisdiction"]
    head_style = rng.choice(["cn", "paren-cn", "num", "paren-num", "circled"])
    name_style = rng.choice(["spaces", "colon", "run", "announce"])
    grouped = bool(places) or rng.random() < 0.3
    if grouped:
        lines.append(f"一、{_LVL[j.level]}级部门开展的活动" if j.code else "一、各部门开展的活动")
        if head_style == "cn":
            head_style = "paren-cn"
    # now and then the organizers' activities are a table copied one cell per line: its
    # own random source, and the lines it replaces are drawn all the same, so every other
    # draw (this document's and the next ones') stays what it was without tables
    tab = random.Random(f"cell-table-{j.code}-{year}-{len(orgs)}")
    tabled = bool(orgs) and not grouped and tab.random() < TABLE_SHARE
    org_start = len(lines)
    for i, b in enumerate(orgs, start=1):
        label = _label(head_style, i)
        texts = [a.text for a, _ in b.acts]
        expected.append(("organizer", b.name))
        if name_style == "announce":
            lines.append(f"{label}{b.name}开展的活动")
            item_style = _ITEM_STYLE[head_style]
            lines += [f"{_label(item_style, k)}{t}" for k, t in enumerate(texts, start=1)]
        else:
            sep = {"spaces": "  ", "colon": "：", "run": ""}[name_style]
            first = texts[0]
            if name_style == "run" and not first.startswith(tuple(T.VERBS + T.ADAPT_VERBS)):
                sep = "  "
            if rng.random() < 0.5:
                lines.append(f"{label}{b.name}{sep}{''.join(texts)}")
            else:
                lines.append(f"{label}{b.name}{sep}{first}")
                lines += texts[1:]
    org_end = len(lines)
    if places:
        group = {"provincial": "各市（州）开展的活动", "prefectural": "各县（市、区）开展的活动",
                 "county": "各乡镇开展的活动"}[j.level]
        if j.level == "provincial" and j.name.endswith("市"):
            group = "各区开展的活动"
        lines.append(f"二、{group}")
        pstyle = rng.choice(["colon", "header", "unnumbered"])
        for i, b in enumerate(places, start=1):
            texts = "".join(a.text for a, _ in b.acts)
            expected.append(("jurisdiction", b.name))
            if pstyle == "colon":
                lines.append(f"{_label('paren-cn', i)}{b.name}：{texts}")
            elif pstyle == "header":
                lines += [f"{_label('paren-cn', i)}{b.name}", texts]
            else:
                lines.append(f"{b.name}：{texts}")
    # attachment 2: slogans; attachment 3: roster
    att = 1
    if rng.random() < 0.6:
        att += 1
        lines += ["", f"附件{att}", f"{year}年全国“质量月”活动口号", ""]
        lines += [f"{k}.{s}" for k, s in enumerate(rng.sample(T.SLOGANS, 6), start=1)]
    if rng.random() < 0.6 and orgs:
        att += 1
        lines += ["", f"附件{att}", f"{year}年{scope}“质量月”活动联合主办单位名单", ""]
        lines.append("、".join(b.name for b in orgs) + "。")
    out = _paged(lines, rng)
    if tabled:
        lines[org_start:org_end] = _cell_table(orgs, tab)
        expected = [e for e in expected if e[0] != "organizer"] + \
            [("organizer", b.name) for b in orgs for _ in b.acts]  # a block a row
        out = _paged(lines, tab)
    return "\n".join(out) + "\n", expected, (docnum or "") if written else ""


def _paged(lines: list[str], rng: random.Random) -> list[str]:
    """``lines`` with page-number residue between paragraphs."""
    out: list[str] = []
    page = 1
    for k, ln in enumerate(lines):
        out.append(ln)
        if k and k % 23 == 0 and rng.random() < 0.6:
            page += 1
            out += ["", f"— {page} —", ""]
    return out


def _cell_table(orgs: list, rng: random.Random) -> list[str]:
    """The organizers' activities as a table flattened to one cell per line: header cells,
    then per activity its number (sometimes left out), text, time, lead and helpers."""
    blank = rng.random() < 0.7  # blank lines between the cells, as a page's copy has
    numbered = rng.random() < 0.6
    cells: list[str] = list(rng.choice(T.TABLE_HEADERS))
    k = 0
    for b in orgs:
        for a, _ in b.acts:
            k += 1
            co = "、".join(name for name, _ in a.co_orgs) or rng.choice((" ", ""))
            cells += ([str(k)] if numbered else []) + [a.text, rng.choice(T.TABLE_TIMES), b.name, co]
    out: list[str] = []
    for c in cells:
        if c:
            out += [c, ""] if blank else [c]
    return out


# ------------------------------------------------------------------ prose documents

#: genres of prose documents and their weights among them
PROSE_GENRES: tuple[tuple[str, float], ...] = (
    ("press-release", 0.6), ("meeting-report", 0.2), ("work-report", 0.2), ("slogans", 0.05),
)
_COUNT = {"national": (20, 30), "provincial": (12, 30), "prefectural": (8, 25), "county": (6, 20)}


@dataclass
class _Prose:
    """A rendered prose document: its text and what its truth must say."""

    text: str
    sentences: dict[str, str]  #: activity id → the sentence (or paragraph) that reports it
    leads: list[str]  #: activity sentences of the document's own (launch, meeting)
    not_activities: list[str]
    organizer_count: int | None = None  #: "等N个部门" the lead states
    #: per lead: (name as written, key) of the co-organizers it names (A联合B、C等N个部门)
    lead_co_organizers: list[list[tuple[str, str]]] = field(default_factory=list)


def _national_themes() -> dict[int, str]:
    return {int(r["year"]): r["theme"] for r in read_table("national_themes.tsv")}


def _headline_place(j: Jurisdiction, gaz: Gazetteer) -> str:
    """The place as a headline writes it (a county with its prefecture in front)."""
    if j.level == "county":
        parent = gaz.get(j.parent)
        return (parent.name if parent else "") + j.name
    return j.name


def _render_prose(nt: _Notice, genre: str, rng: random.Random, cat: _Catalog,
                  theme: str) -> _Prose:
    """A press release, meeting report or work summary reporting ``nt``'s activities."""
    j, year = nt.j, nt.year
    national = j.code is None
    scope = _SCOPE[j.level]
    lvl = _LVL[j.level]
    pre = "" if national else _prefix(j)
    place = "" if national else _headline_place(j, cat.gaz)
    issuing = cat.lead(year, j.level)
    stem = "" if national else cat.stem(issuing, j, year)
    # the issuer's short name, e.g. 市场监管总局 / 质检总局, 市场监管局 / 技监局
    regulator = cat.short_national(issuing, year) if national else cat.aliases.get(stem, [stem])[0]
    fmt = {"year": year, "scope": scope, "lvl": lvl, "theme": theme, "place": place,
           "regulator": regulator}
    orgs = [b for b in nt.blocks if b.kind == "organizer"]
    lead_blk = next((b for b in orgs if b.sector == issuing), None)
    lead = regulator if national else \
        (lead_blk.name if lead_blk else cat.local_names(issuing, j, year)[0])
    code = j.code or "cn"
    co_orgs = [(b.name, f"{code}/{b.sector}") for b in orgs
               if b is not lead_blk][:rng.randint(1, 3)]
    if not co_orgs:
        others = [s for s in cat.sectors_in(year, j.level) if s != issuing]
        for sector in rng.sample(others, len(others)):
            names = cat.names(sector, j, year)
            if names:
                co_orgs = [(names[0], f"{code}/{sector}")]
                break
    co_names = [name for name, _ in co_orgs]
    n_org = rng.randint(*_COUNT[j.level])
    source = cat.national_names(issuing, year)[0] if national else \
        f"{place}{stem if rng.random() < 0.6 else regulator}"
    month, day = (9, rng.randint(1, 15)) if genre != "meeting-report" else \
        rng.choice([(8, rng.randint(20, 31)), (9, rng.randint(1, 10))])
    office = rng.choice(T.OFFICIALS[j.level]).format(pre=pre, regulator=regulator).replace("副地区长", "行署副专员")
    who = office + rng.choice(T.SURNAMES) + rng.choice(T.GIVEN)
    not_acts: list[str] = []
    leads: list[str] = []
    lead_cos: list[list[tuple[str, str]]] = []
    sentences: dict[str, str] = {}
    acts = [(b.name, a, aid) for b in orgs for a, aid in b.acts]
    rng.shuffle(acts)

    def act_sentence(agency: str, a: _Act, connector: str, future: bool = False) -> str:
        return f"{connector}{agency}{'将' if future else ''}{a.prose}"

    def other(sentence: str) -> str:
        not_acts.append(sentence)
        return sentence

    lines: list[str] = []
    if rng.random() < 0.6:
        lines.append(rng.choice(T.BREADCRUMBS))
    with_year = rng.random() < 0.8
    heads = {"press-release": (T.NATIONAL_RELEASE_HEADLINES, T.RELEASE_HEADLINES),
             "meeting-report": (T.NATIONAL_MEETING_HEADLINES, T.MEETING_HEADLINES),
             "work-report": (("{year}年全国“质量月”活动工作总结",), T.SUMMARY_HEADLINES)}[genre]
    head = rng.choice(heads[0] if national else heads[1])
    # a release may name its place only in the lead ("2021年福州市“质量月”启动仪式"), and
    # its year only in the byline's date
    placeless = genre == "press-release" and not national and rng.random() < 0.15
    if placeless:
        head = rng.choice(T.PLACELESS_HEADLINES)
    if not with_year and "{place}" in head:
        head = head.replace("{year}年", "")
    year_in_lead = "{year}" in head or placeless or not national and rng.random() < 0.5
    lines += [head.format(n=n_org, **fmt), ""]
    # byline: the page's source and publication date
    pub_m, pub_d = (month, min(28, day + rng.randint(0, 2))) if genre != "work-report" else \
        (10, rng.randint(8, 28))
    date = f"{year}-{pub_m:02d}-{pub_d:02d}"
    clock = f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    byline = rng.choice([f"来源：{source} 发布时间：{date} {clock}",
                         f"发布时间：{date} {clock}  来源：{source}",
                         f"{year}年{pub_m:02d}月{pub_d:02d}日 {clock}  来源：{source}",
                         f"信息来源：{source}  发布日期：{date}"])
    if len(byline) >= 38 and byline[0].isdigit():
        # ingest rejoins a long line without sentence punctuation with the paragraph after
        # it (a paragraph cut by a page break), so a long date-first byline would become
        # part of the lead sentence; such bylines are written source first
        byline = f"来源：{source} 发布时间：{date} {clock}"
    if genre != "work-report" or rng.random() < 0.5:
        lines += [byline, ""]
    body: list[list[str]] = []  # paragraphs of sentences
    # the lead's roster may join its last two names with 和/及 (A联合B、C和D等N个部门): its
    # own random source, so the other draws stay the same
    joined = random.Random(f"roster-joiner-{nt.j.code}-{nt.year}-{lead}")
    co_text = "、".join(co_names)
    if len(co_names) > 1 and joined.random() < CO_LAST_JOINED:
        co_text = "、".join(co_names[:-1]) + joined.choice(T.CO_LAST_JOINERS) + co_names[-1]
    lead_fmt = {**fmt, "m": month, "d": day, "lead": lead, "co": co_text,
                "n": n_org, "venue": "京" if national else rng.choice(T.VENUES),
                "meeting": rng.choice(T.MEETINGS), "k": rng.randint(100, 900)}
    when = rng.choice(T.LEAD_WHEN)
    # A sentence stating a theme that itself names an action (深入实施质量提升行动…) reads
    # as an activity; such a theme is written inside the lead sentence only.
    theme_alone = not prose_cues()["action"].search(theme)
    if genre == "press-release":
        theme_in = not theme_alone or rng.random() < 0.6
        edition = "{year}年{place}" if placeless else ("{year}年{scope}" if year_in_lead else "{scope}")
        who_form = rng.choice(T.RELEASE_WHO)  # every form names the others as co-organizers
        tmpl = (f"{when}，{who_form}在{{venue}}{rng.choice(T.RELEASE_VERBS)}"
                f"{edition}“质量月”{rng.choice(T.RELEASE_EVENTS)}"
                f"{rng.choice(T.LEAD_THEMES) if theme_in else ''}{rng.choice(T.RELEASE_CLOSES)}。")
        first = tmpl.format(**lead_fmt)
        leads.append(first)
        lead_cos.append(co_orgs)
        p1 = [first]
        if not theme_in:
            p1.append(other(rng.choice(T.THEME_SENTENCES).format(**fmt)))
        # who attended the launch: its own random source, so the other draws stay the same
        att = random.Random(f"attendance-{nt.j.code}-{nt.year}-{head}")
        if att.random() < ATTENDANCE_SHARE:
            p1.append(other(att.choice(T.ATTENDANCE).format(who=who, k=att.randint(50, 300))))
        background = other(rng.choice(T.BACKGROUND))
        body.append(p1)
        if rng.random() < 0.5:
            p1.append(background)
        else:
            body.append([background])
        paras = _split(acts, rng, 3)
        speech_at = rng.randint(0, len(paras))
        for k, para in enumerate(paras):
            if k == speech_at:
                body.append([other(_speech(rng, who, lvl))])
            out = []
            for agency, a, aid in para:
                sentences[aid] = act_sentence(agency, a, rng.choice(T.RELEASE_CONNECTORS))
                out.append(sentences[aid])
            body.append(out)
        if speech_at == len(paras):
            body.append([other(_speech(rng, who, lvl))])
        if rng.random() < 0.7:
            body.append([other(rng.choice(T.RELEASE_CLOSINGS).format(**fmt))])
    elif genre == "meeting-report":
        first = (f"{when}，{rng.choice(T.MEETING_WHO)}召开{{year}}年{{scope}}“质量月”活动{{meeting}}"
                 f"{rng.choice(T.MEETING_CLOSES)}。").format(**lead_fmt)
        leads.append(first)
        lead_cos.append([])  # the others attend the meeting: no co-organizers
        body.append([first, other(T.MEETING_OTHER[0].format(**fmt))])
        if rng.random() < 0.5:
            body.append([other(_speech(rng, who, lvl))])
        else:
            body.append([other(T.MEETING_SPEECHES[1].format(who=who))])
        out = []
        for agency, a, aid in acts:
            sentences[aid] = act_sentence(agency, a, rng.choice(T.MEETING_CONNECTORS), future=True)
            out.append(sentences[aid])
        body.append(out)
        tail = [other(T.MEETING_SPEECHES[0])]
        if theme_alone and rng.random() < 0.5:
            tail.insert(0, other(rng.choice(T.THEME_SENTENCES).format(**fmt)))
        if rng.random() < 0.4:
            tail.append(other(T.MEETING_OTHER[1]))
        body.append(tail)
    else:  # work-report: an intro, then "一是…。" paragraphs, each one activity
        intro = rng.choice(T.SUMMARY_INTROS).format(**{**fmt, "place": place or "全国"})
        body.append([other(x + "。") for x in intro.rstrip("。").split("。")])
        if rng.random() < 0.4:
            body[-1].insert(0, other(rng.choice(T.BACKGROUND)))
        heads_ = rng.sample(T.SUMMARY_HEADS, len(acts))  # at most 4 agencies × 2 activities
        items = []
        for k, ((agency, a, aid), h) in enumerate(zip(acts, heads_, strict=True)):
            sentences[aid] = f"{h}。{act_sentence(agency, a, '')}"
            items.append(f"{chinese_number(k + 1)}是{sentences[aid]}")
        # one paragraph per item, or all in one paragraph ("一是…。二是…。")
        body += [items] if rng.random() < 0.4 else [[it] for it in items]
    # paragraphs set apart by blank lines, as a page's text is
    for p in body:
        lines += ["".join(p), ""]
    if genre == "work-report":
        lines += ["", source, f"{year}年10月{rng.randint(8, 28)}日"]
    if rng.random() < 0.5:
        lines.append(f"责任编辑：{rng.choice(T.SURNAMES)}{rng.choice(T.GIVEN)}")
    if rng.random() < 0.5:
        lines.append(rng.choice(T.PAGE_TAILS))
    # a meeting report counts the bodies attending (等N个部门参加会议): no organizer count
    return _Prose("\n".join(lines) + "\n", sentences, leads, not_acts,
                  n_org if genre == "press-release" else None, lead_cos)


def _render_slogans(nt: _Notice, rng: random.Random, cat: _Catalog,
                    theme: str) -> tuple[str, list[str]]:
    """A page listing the year's slogans (unnumbered lines under a headline), and them."""
    j, year = nt.j, nt.year
    place = "全国" if j.code is None else _headline_place(j, cat.gaz)
    slogans = rng.sample(T.SLOGANS, rng.randint(5, 8))
    if theme not in slogans and rng.random() < 0.5:
        slogans.insert(0, theme)
    issuing = cat.lead(year, j.level)
    source = cat.national_names(issuing, year)[0] if j.code is None else \
        f"{_headline_place(j, cat.gaz)}{cat.stem(issuing, j, year)}"
    title = (f"{year}年{place}“质量月”活动口号" if j.code is None or rng.random() < 0.5
             else f"{place}{year}年“质量月”活动宣传口号")
    lines = [rng.choice(T.BREADCRUMBS)] if rng.random() < 0.6 else []
    lines += [title, "", f"发布时间：{year}-08-{rng.randint(10, 31):02d} "
              f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}  来源：{source}", ""]
    lines += [*slogans, ""]
    if rng.random() < 0.5:
        lines.append(rng.choice(T.PAGE_TAILS))
    return "\n".join(lines) + "\n", slogans


def _speech(rng: random.Random, who: str, lvl: str) -> str:
    """"会上，{who}强调，要…。" — the speech word within the sentence's first 16 characters."""
    content = rng.choice(T.SPEECH_CONTENT).format(lvl=lvl)
    opener = rng.choice([o for o in ("", "会上，", "仪式上，") if len(o) + len(who) <= 14])
    return f"{opener}{who}{rng.choice(T.SPEECH_VERBS)}，{content}。"


def _split(items: list, rng: random.Random, most: int) -> list[list]:
    """``items`` in order, cut into 1…``most`` non-empty paragraphs."""
    n = min(len(items), rng.randint(1, most))
    if n <= 1:
        return [items] if items else []
    cuts = sorted(rng.sample(range(1, len(items)), n - 1))
    return [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)], strict=True)]


# ------------------------------------------------------------------ API


#: default share of prose documents (releases, meeting reports, summaries) in a corpus
PROSE_SHARE = 0.35
#: share of local formal notices given, on purpose, the doc number of another place's
#: notice with the same prefix (平市监质〔2021〕2号 of 平潭县 and 平顶山市)
COLLISION_SHARE = 0.01
#: share of fresh activities of an agency that name co-organizers (联合B共同举办, 由A主办，
#: B、C等单位协办, A主办，B承办): the truth records them, synth-score scores the graph's
CO_SHARE = 0.15
#: share of press releases that say who attended or presided over the launch ceremony
ATTENDANCE_SHARE = 0.4
#: share of formal notices without place blocks whose organizers' activities are a table
#: flattened to one cell per line
TABLE_SHARE = 0.12
#: share of those lists of two or more whose last two names are joined by 和 or 及
CO_LAST_JOINED = 0.3
#: yearly growth of the number of documents a span of years holds (more places publish
#: online every year): the last year of a 20-year span has ~9× the first
YEAR_GROWTH = 1.12


def year_counts(n: int, n_years: int) -> list[int]:
    """``n`` documents over ``n_years`` years, growing by ``YEAR_GROWTH`` a year (largest
    remainders get the rest, so the counts add up to ``n``)."""
    weights = [YEAR_GROWTH ** i for i in range(n_years)]
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [int(x) for x in exact]
    by_rest = sorted(range(n_years), key=lambda i: (-(exact[i] - counts[i]), -i))
    for i in by_rest[: n - sum(counts)]:
        counts[i] += 1
    return counts


def generate(n_notices: int, seed: int, out_dir: str | Path,
             prose_share: float = PROSE_SHARE, years: tuple[int, int] | None = None
             ) -> SynthTruth:
    """Write ``n_notices`` synthetic documents to ``out_dir/notices`` and the ground truth to
    ``out_dir/truth.json``; same arguments → byte-identical files. About ``prose_share`` of
    them are prose (press releases, meeting reports, work summaries and a few slogan pages:
    ``PROSE_GENRES``), the rest formal notices. ``years`` (first, last) spreads them over
    that span (``year_counts``); by default they cover 1–3 years from 2021."""
    if n_notices < 1:
        raise ValueError("n_notices must be at least 1")
    if not 0.0 <= prose_share <= 1.0:
        raise ValueError("prose_share must be between 0 and 1")
    if years is not None and not 1900 <= years[0] <= years[1] <= 2100:
        raise ValueError(f"years must be a span such as 2005-2024, not {years[0]}-{years[1]}")
    gaz = Gazetteer.load()
    gen = _Gen(seed, gaz)
    out = Path(out_dir)
    ndir = out / "notices"
    ndir.mkdir(parents=True, exist_ok=True)
    for old in ndir.glob("*.txt"):
        old.unlink()
    s2t = opencc_converter("s2t")
    done: dict[tuple[int, str], _Notice] = {}
    plan = gen.plan(n_notices, years)
    national_docs = {year: f"{T.DOC_MARKS['national-' + gen.cat.lead(year, 'national')][0]}"
                           f"〔{year}〕{gen.rng.randint(10, 99)}号"
                     for year in sorted({y for y, _ in plan})}
    themes = _national_themes()
    docnums: dict[str, list[str]] = {}
    collide = random.Random(f"collide-{seed}")
    genres, weights = zip(*PROSE_GENRES, strict=True)
    #: (year, place) → the theme its first document stated: a place's documents of a year
    #: (its notice, the release about the launch, the summary) state one theme
    stated: dict[tuple[int, str], str] = {}
    for idx, (year, j) in enumerate(plan):
        # a place's further documents of a year are prose: one formal notice a year
        place = (year, j.code or "cn")
        earlier = done.get(place)
        genre = gen.rng.choices(genres, weights)[0] \
            if earlier is not None or gen.rng.random() < prose_share else "notice"
        if genre == "slogans":  # a page of slogans reports no activity
            nt = _Notice(file=f"{idx:05d}_{j.code or 'cn'}_{year}.txt", j=j, year=year)
        else:
            nt = gen.notice(idx, year, j, done, prose=genre != "notice", earlier=earlier)
        done.setdefault(place, nt)
        not_acts: list[str] = []
        count = None
        doc_number = ""
        slogans: list[str] = []
        if genre == "slogans":
            theme = stated.setdefault(place, themes.get(year) or gen.rng.choice(T.THEMES))
            text, slogans = _render_slogans(nt, gen.rng, gen.cat, theme)
            expected = []
        elif genre == "notice":
            text, expected, doc_number = _render(nt, gen.rng, national_docs[year], gen.cat,
                                                 docnums, collide)
            stated.setdefault(place, nt.theme)
        else:
            theme = stated.setdefault(place, themes.get(year) or gen.rng.choice(T.THEMES))
            pr = _render_prose(nt, genre, gen.rng, gen.cat, theme)
            text, expected, not_acts, count = pr.text, [], pr.not_activities, pr.organizer_count
            _prose_truth(gen.truth, nt, pr, gen.cat.lead(year, j.level))
        r = gen.rng.random()
        script, encoding = "simplified", "utf-8"
        if r < 0.1:
            text, script = s2t.convert(text), "traditional"
        elif r < 0.2:
            encoding = "gb18030"
        (ndir / nt.file).write_bytes(text.encode(encoding))
        gen.truth.notices.append(TruthNotice(nt.file, j.code or "cn", j.level, year, expected,
                                             encoding, script, genre, not_acts, count,
                                             slogans, doc_number))
    (out / "truth.json").write_text(
        json.dumps(gen.truth.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return gen.truth


def _prose_truth(truth: SynthTruth, nt: _Notice, pr: _Prose, issuer: str) -> None:
    """A prose document's activities are its sentences, in its one body block (name ""):
    the generated activities get the sentence that reports them, and the document's own
    launch or meeting is one more activity (mirroring nothing), of the ``issuer`` sector."""
    for a in reversed(truth.activities):  # this document's activities come last
        if a.file != nt.file:
            break
        a.block, a.text = "", pr.sentences[a.id]
    for k, text in enumerate(pr.leads):
        truth.activities.append(TruthActivity(f"{nt.file}#lead.{k}", nt.file, "", text,
                                              issuer, "",
                                              list(pr.lead_co_organizers[k])))
