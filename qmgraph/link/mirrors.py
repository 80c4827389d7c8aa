"""``link``: lineage between activities — which lower activity mirrors which higher one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from qmgraph.link.index import Hierarchy, NgramIndex, rank
from qmgraph.link.params import LinkParams
from qmgraph.link.score import METHOD, PairScore, score_pair
from qmgraph.link.text import NormText
from qmgraph.link.windows import partition, placed
from qmgraph.model import Corpus, Jurisdiction, MirrorLink, ResolvedActivity

T = TypeVar("T")


@dataclass
class LinkStats:
    """What a run of the linker cost; the benchmark and the index test read it."""

    activities: int = 0
    scored_pairs: int = 0  #: pairs aligned and graded (the expensive part)
    links: int = 0
    capped_grams: int = 0
    units: int = 0


def _orig(act: ResolvedActivity, start: int, end: int) -> tuple[int, int]:
    """Offsets in the original file text of ``[start, end)`` of ``act.text``."""
    if act.source is None:  # hand-made activities without a source: text offsets
        return act.norm_start + start, act.norm_start + end
    return act.to_original(start, end)


def original_span(act: ResolvedActivity, norm: NormText, span: tuple[int, int]) -> tuple[int, int]:
    """Offsets in the original file text of ``span`` of the activity's normalized text."""
    return _orig(act, *norm.to_text_span(*span))


#: Where a link's evidence lies in its two activities' texts (``ResolvedActivity.text``,
#: not the file): ``(low start, low end, high start, high end)``. A link's file offsets
#: are these mapped through its activities' sources (:func:`placed_again`).
TextSpans = tuple[int, int, int, int]


def _make_link(
    low: ResolvedActivity, high: ResolvedActivity, idx: NgramIndex, i: int, h: int, ps: PairScore,
    spans: list[TextSpans] | None = None,
) -> MirrorLink:
    ht = idx.norms[h].to_text_span(*ps.high_span)
    lt = idx.norms[i].to_text_span(*ps.low_span)
    ls, le = _orig(low, *lt)
    hs, he = _orig(high, *ht)
    if spans is not None:
        spans.append((*lt, *ht))
    return MirrorLink(
        source=low.iri,
        target=high.iri,
        score=ps.score,
        grade=ps.grade or "",
        method=METHOD,
        source_start=ls,
        source_end=le,
        target_start=hs,
        target_end=he,
        evidence=high.text[ht[0] : ht[1]],
    )


def _leads_match(low: ResolvedActivity, high: ResolvedActivity) -> bool:
    """The lower activity's organizer is the counterpart or a branch of the higher one's."""
    targets = {o.key for o in high.organizers}
    return any(o.counterpart in targets or o.parent in targets for o in low.organizers)


def collect(corpus: Corpus) -> tuple[list[ResolvedActivity], list[int | None]]:
    """The activities the linker reads (the first of each IRI, in IRI order) and the year
    of each (its own, else its notice's)."""
    notice_year = {n.key: n.year for n in corpus.notices}
    seen: set[str] = set()
    acts: list[ResolvedActivity] = []
    for a in sorted(corpus.activities(), key=lambda a: a.iri):
        if a.iri not in seen:
            seen.add(a.iri)
            acts.append(a)
    years = [a.year if a.year is not None else notice_year.get(a.notice_key) for a in acts]
    return acts, years


def choice_key(leads: bool, score: float, grade: str, target: str) -> tuple[int, float, int, str]:
    """Order of the graded targets of one lower activity at one higher level: the first is
    kept. Among sources that qualify, the counterpart agency's own activity is the likelier
    original than a co-organized one with a higher text score."""
    return (0 if leads else 1, -score, 0 if grade == "verbatim" else 1, target)


@dataclass(frozen=True)
class Evidence:
    """What a graded pair shares, seen from the lower activity: its shared stretches that
    are no stock phrase (their text) and where they sit in the lower normalized text."""

    texts: frozenset[str]
    spans: tuple[tuple[int, int], ...]
    mass: float = 0.0  #: the pair's IDF mass (``PairScore.mass``)
    sectors: tuple[str, ...] = ()  #: the higher activity's organizer sectors

    def overlaps(self, other: Evidence) -> bool:
        return any(a < d and c < b for a, b in self.spans for c, d in other.spans)


def evidence_of(low_chars: str, short_chars: str,
                stretches: Iterable[tuple[int, int, bool]], mass: float,
                sectors: tuple[str, ...] = ()) -> Evidence:
    """:class:`Evidence` from a pair's stretches (start and length in the shorter text)."""
    texts = {short_chars[s : s + c] for s, c, stock in stretches if not stock}
    spans = []
    for t in sorted(texts):
        k = low_chars.find(t)
        if k >= 0:
            spans.append((k, k + len(t)))
    return Evidence(frozenset(texts), tuple(sorted(spans)), mass, sectors)


def best_per_level(
    graded: Iterable[tuple[int, tuple[int, float, int, str], T, Evidence | None]],
    second_mass: float = 0.0,
) -> list[T]:
    """The items kept per higher level ``(level, key, item, evidence)``, by level, then key.

    The item of the smallest :func:`choice_key` is kept. Another graded item of the same
    level is kept too when it shares exactly the same evidence, is of other sectors than
    those kept, and neither or both are the counterpart's own (the notice body restating an
    agency's item: the lower text cannot tell which of the two it took; one body saying a
    thing twice is one source), or when the lower activity holds its evidence
    elsewhere, not overlapping what the kept ones explain, with an IDF mass of at least
    ``second_mass`` (a list of actions adopting each from a different agency:
    职工职业技能大赛 from the trade union, 计量便民服务日 from market regulation; a second
    source resting on a generic phrase is not believed).
    """
    by_level: dict[int, list[tuple[tuple[int, float, int, str], T, Evidence | None]]] = {}
    for level, key, item, ev in graded:
        by_level.setdefault(level, []).append((key, item, ev))
    out: list[T] = []
    for level in sorted(by_level):
        ranked = sorted(by_level[level], key=lambda x: x[0])
        key0, first, ev0 = ranked[0]
        out.append(first)
        kept = [ev0] if ev0 is not None else []
        for key, item, ev in ranked[1:]:
            if ev is None or ev0 is None or not ev.texts:
                continue
            tie = (ev.texts == ev0.texts and key[0] == key0[0]
                   and all(ev.sectors != k.sectors for k in kept))
            apart = (ev.mass >= second_mass and bool(ev.spans)
                     and not any(ev.overlaps(k) for k in kept))
            if tie or apart:
                out.append(item)
                kept.append(ev)
    return out


def link_low(idx: NgramIndex, i: int, stats: LinkStats,
             spans: list[TextSpans] | None = None) -> list[MirrorLink]:
    """The links of activity ``i`` as the lower one: its candidates scored, the best graded
    target per higher level kept (``spans``: each link's :data:`TextSpans` appended)."""
    low = idx.acts[i]
    cands = idx.candidates(i)
    graded: list[tuple[int, tuple[int, float, int, str], tuple[int, PairScore], Evidence]] = []
    for hs in cands.values():
        for h in hs:
            high = idx.acts[h]
            stats.scored_pairs += 1
            ps = score_pair(
                low,
                high,
                idx.norms[i],
                idx.norms[h],
                idx.gramsets[i],
                idx.gramsets[h],
                idx.camps[i],
                idx.camps[h],
                idx.weights,
                idx.params,
                graded_only=True,
            )
            if ps.grade is None:
                continue
            key = choice_key(_leads_match(low, high), ps.score, ps.grade, high.iri)
            short = idx.norms[i].chars if len(idx.norms[i].chars) <= len(idx.norms[h].chars) \
                else idx.norms[h].chars
            ev = evidence_of(idx.norms[i].chars, short, ps.stretches, ps.mass,
                             idx.act_sectors[h])
            graded.append((rank(high.jurisdiction), key, (h, ps), ev))
    return [_make_link(low, idx.acts[h], idx, i, h, ps, spans)
            for h, ps in best_per_level(graded, idx.params.adopted_min_mass)]


def link_with_stats(
    corpus: Corpus, *, params: LinkParams | None = None
) -> tuple[list[MirrorLink], LinkStats]:
    """:func:`link`, also returning what the run cost."""
    p = params or LinkParams()
    stats = LinkStats()
    links: list[MirrorLink] = []
    notices = placed(corpus.notices)
    for _, part in partition(notices, [n.year for n in notices], p.window_min_notices):
        links += link_window(replace(corpus, notices=part), p, stats)
    links.sort(key=lambda m: (m.source, m.target))
    stats.links = len(links)
    return links, stats


def link_window(corpus: Corpus, params: LinkParams, stats: LinkStats) -> list[MirrorLink]:
    """The links among the notices of ``corpus`` judged with their own statistics: one
    window of :mod:`qmgraph.link.windows` (unsorted)."""
    acts, years = collect(corpus)
    return link_activities(acts, years, corpus.jurisdictions, params, stats)


def link_activities(acts: Sequence[ResolvedActivity], years: Sequence[int | None],
                    jurisdictions: dict[str, Jurisdiction], params: LinkParams,
                    stats: LinkStats | None = None,
                    spans: list[TextSpans] | None = None) -> list[MirrorLink]:
    """:func:`link_window` of the activities ``collect`` read of a window (a unit a
    cluster worker runs: activities and the places they read, not whole notices);
    ``spans``: each link's :data:`TextSpans` appended, in the order of the links."""
    stats = stats if stats is not None else LinkStats()
    idx = NgramIndex.build(acts, years, Hierarchy(jurisdictions), params)
    stats.activities += len(acts)
    stats.capped_grams += len(idx.capped)
    stats.units += idx.n_units
    links: list[MirrorLink] = []
    for i in range(len(acts)):
        links.extend(link_low(idx, i, stats, spans))
    return links


def link_view(a: ResolvedActivity) -> ResolvedActivity:
    """Activity ``a`` as the linker's choices read it: everything but where its text lies
    in its file (``norm_start``, ``norm_end``, ``source``), which only the offsets of its
    links read (``_orig``). Two activities of equal views get the same links, scores,
    grades and evidence from the same window; only their offsets may differ."""
    return replace(a, norm_start=0, norm_end=0, source=None)


def placed_again(links: Sequence[MirrorLink], spans: Sequence[TextSpans],
                 acts: dict[str, ResolvedActivity]) -> list[MirrorLink]:
    """``links`` with each side found in ``acts`` (its IRI then → the activity now) named
    and placed as that activity is: its IRI, and the file offsets worked out again from
    the link's :data:`TextSpans`. For a window whose activities kept their
    :func:`link_view` while some moved in their files or were renamed with their notice
    (an edit outside them, decision 0042); a side not in ``acts`` is left as it is."""
    out: list[MirrorLink] = []
    for m, (l0, l1, h0, h1) in zip(links, spans, strict=True):
        low, high = acts.get(m.source), acts.get(m.target)
        if low is not None:
            start, end = _orig(low, l0, l1)
            m = replace(m, source=low.iri, source_start=start, source_end=end)
        if high is not None:
            start, end = _orig(high, h0, h1)
            m = replace(m, target=high.iri, target_start=start, target_end=end)
        out.append(m)
    return out


def link(corpus: Corpus, *, params: LinkParams | None = None) -> list[MirrorLink]:
    """Find every lower activity that copies or adapts a higher activity of the same year.

    A pair is eligible when both have the same year and the higher activity's jurisdiction
    is above and contains the lower one's (the nation contains all). Candidates come from a
    char n-gram inverted index (never all pairs); each is scored by shared distinctive
    stretches and local alignment, boosted by shared campaigns and counterpart organizers.
    Per lower activity at most one target is kept per higher level (the best). The result is
    sorted by (source, target) and does not depend on the order of the notices.
    """
    return link_with_stats(corpus, params=params)[0]
