"""``link``: lineage between activities — which lower activity mirrors which higher one."""

from __future__ import annotations

from dataclasses import dataclass

from qmgraph.link.index import Hierarchy, NgramIndex, rank
from qmgraph.link.params import LinkParams
from qmgraph.link.score import METHOD, PairScore, score_pair
from qmgraph.model import Corpus, MirrorLink, ResolvedActivity


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


def _make_link(
    low: ResolvedActivity, high: ResolvedActivity, idx: NgramIndex, i: int, h: int, ps: PairScore
) -> MirrorLink:
    lt = idx.norms[i].to_text_span(*ps.low_span)
    ht = idx.norms[h].to_text_span(*ps.high_span)
    ls, le = _orig(low, *lt)
    hs, he = _orig(high, *ht)
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


def link_with_stats(
    corpus: Corpus, *, params: LinkParams | None = None
) -> tuple[list[MirrorLink], LinkStats]:
    """:func:`link`, also returning what the run cost."""
    p = params or LinkParams()
    notice_year = {n.key: n.year for n in corpus.notices}
    seen: set[str] = set()
    acts: list[ResolvedActivity] = []
    for a in sorted(corpus.activities(), key=lambda a: a.iri):
        if a.iri not in seen:
            seen.add(a.iri)
            acts.append(a)
    years = [a.year if a.year is not None else notice_year.get(a.notice_key) for a in acts]
    idx = NgramIndex.build(acts, years, Hierarchy(corpus.jurisdictions), p)
    stats = LinkStats(activities=len(acts), capped_grams=len(idx.capped), units=idx.n_units)
    links: list[MirrorLink] = []
    for i, low in enumerate(acts):
        best: dict[int, tuple[tuple[float, int, str], int, PairScore]] = {}
        for hs in idx.candidates(i).values():
            for h in hs:
                high = acts[h]
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
                    p,
                )
                if ps.grade is None:
                    continue
                level = rank(high.jurisdiction)
                # Among sources that qualify, the counterpart agency's own activity is the
                # likelier original than a co-organized one with a higher text score.
                key = (0 if _leads_match(low, high) else 1, -ps.score,
                       0 if ps.grade == "verbatim" else 1, high.iri)
                if level not in best or key < best[level][0]:
                    best[level] = (key, h, ps)
        for level in sorted(best):
            _, h, ps = best[level]
            links.append(_make_link(low, acts[h], idx, i, h, ps))
    links.sort(key=lambda m: (m.source, m.target))
    stats.links = len(links)
    return links, stats


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
