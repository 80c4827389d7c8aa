"""Scoring one (lower, higher) pair: shared stretches, local alignment, boosts, grade."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from qmgraph.link.params import LinkParams
from qmgraph.link.text import NormText, plain_length
from qmgraph.model import Organization, ResolvedActivity

METHOD = "char-ngram-index+partial-ratio"


@dataclass(frozen=True)
class PairScore:
    """Features and verdict of one pair; spans are in the normalized texts."""

    score: float
    grade: str | None  #: verbatim | adapted | None (not a mirror)
    align: float  #: rapidfuzz partial_ratio / 100 of the normalized texts
    cover: float  #: share of the shorter text's characters inside shared stretches
    wcover: float  #: the same, weighted by gram IDF (boilerplate counts little)
    mass: float  #: IDF mass of the distinct shared grams (≈ distinctive shared trigrams)
    longest: int  #: longest shared stretch, characters besides its years (2024年)
    campaign: bool
    org: bool
    low_span: tuple[int, int]
    high_span: tuple[int, int]
    #: every exact shared stretch of the shorter text (start, characters, stock phrase?):
    #: the non-stock ones are the pair's evidence (``mirrors.evidence_of``)
    stretches: tuple[tuple[int, int, bool], ...] = ()
    #: both activities are in one notice (a notice's place blocks under its own plan)
    same_notice: bool = False


def _runs(short: str, other: str, n: int, min_run: int,
          shared: frozenset[str] | set[str]) -> list[tuple[int, int, int]]:
    """Exact common substrings of ``short`` and ``other`` at least ``min_run`` grams long.

    Returns maximal diagonals ``(start in short, start in other, length in grams)``; a
    stretch of ``k`` grams is ``k + n - 1`` characters. ``shared``: the grams the two texts
    have in common (only their positions are looked at).
    """
    if not shared:
        return []
    where: dict[str, list[int]] = {}
    for j in range(len(other) - n + 1):
        g = other[j : j + n]
        if g in shared:
            where.setdefault(g, []).append(j)
    # every matching position as (diagonal, position in short); runs are consecutive
    # positions of one diagonal
    hits = sorted((j - i, i) for i in range(len(short) - n + 1)
                  for j in where.get(short[i : i + n], ()))
    out: list[tuple[int, int, int]] = []
    k = 0
    for x, (d, i) in enumerate(hits):
        k += 1
        nxt = hits[x + 1] if x + 1 < len(hits) else None
        if nxt != (d, i + 1):  # the diagonal stops here
            if k >= min_run:
                out.append((i - k + 1, i - k + 1 + d, k))
            k = 0
    out.sort()
    return out


def org_match(low: ResolvedActivity, high: ResolvedActivity) -> bool:
    """A lower organizer is the counterpart or branch of an organizer (or co-organizer) of
    the higher activity, or of the same sector. The lower activity's own co-organizers do
    not count: 联合省国资委… does not make an association the counterpart of 国资委."""
    lows: list[Organization] = list(low.organizers)
    highs: list[Organization] = [*high.organizers, *high.co_organizers]
    hkeys = {o.key for o in highs}
    hsectors = {o.sector for o in highs if o.sector}
    for o in lows:
        if o.counterpart and o.counterpart in hkeys:
            return True
        if o.parent and o.parent in hkeys:
            return True
        if o.sector and o.sector in hsectors:
            return True
    return False


def campaign_match(
    low: ResolvedActivity, high: ResolvedActivity, keys_low: set[str], keys_high: set[str]
) -> bool:
    """Same campaign, same series, or one name inside the other (药品安全宣传周 ⊂
    全国药品安全宣传周: a place runs its edition of the national week)."""
    if keys_low & keys_high:
        return True
    for a in low.campaigns:
        for b in high.campaigns:
            x, y = sorted((a.label, b.label), key=len)
            if len(x) >= 4 and x in y:
                return True
    return False


def _aligned_spans(
    low: str, high: str, low_is_short: bool, runs: list[tuple[int, int, int]], n: int
) -> tuple[tuple[int, int], tuple[int, int], float]:
    """Aligned spans of both texts: partial_ratio_alignment trimmed to its matching
    blocks; when that region is mostly mismatch, the longest exact shared stretch."""
    al = fuzz.partial_ratio_alignment(low, high)
    align = al.score / 100.0 if al is not None else 0.0
    if al is not None:
        ls, le, hs, he = al.src_start, al.src_end, al.dest_start, al.dest_end
        blocks = [
            b for b in Indel.editops(low[ls:le], high[hs:he]).as_matching_blocks() if b.size >= 2
        ]
        if blocks:
            first, last = blocks[0], blocks[-1]
            matched = sum(b.size for b in blocks)
            lspan = (ls + first.a, ls + last.a + last.size)
            hspan = (hs + first.b, hs + last.b + last.size)
            if matched >= 0.5 * max(lspan[1] - lspan[0], hspan[1] - hspan[0]):
                return lspan, hspan, align
    if runs:
        s, o, k = max(runs, key=lambda r: (r[2], -r[0]))
        width = k + n - 1
        sspan, ospan = (s, s + width), (o, o + width)
        return (sspan, ospan, align) if low_is_short else (ospan, sspan, align)
    return (0, 0), (0, 0), align


def score_pair(
    low: ResolvedActivity,
    high: ResolvedActivity,
    nlow: NormText,
    nhigh: NormText,
    glow: frozenset[str],
    ghigh: frozenset[str],
    camps_low: set[str],
    camps_high: set[str],
    weights: dict[str, float],
    params: LinkParams,
    graded_only: bool = False,
) -> PairScore:
    """Score ``low`` as a copy of ``high`` and grade it (``grade`` None = no mirror).

    ``graded_only``: a pair no alignment could grade is returned ungraded without being
    aligned (its ``score``, ``align`` and spans are then 0), the linker's case.

    Shared stretches that are stock phrases (``weights.is_stock``, when ``weights`` is a
    :class:`qmgraph.link.index.GramWeights`) are not evidence: they count neither in
    ``cover``/``wcover``/``mass``/``longest`` nor as the fallback evidence span.
    """
    p = params
    n = p.ngram
    a, b = nlow.chars, nhigh.chars
    campaign = campaign_match(low, high, camps_low, camps_high)
    org = org_match(low, high)
    same = low.notice_key == high.notice_key
    if len(a) < n or len(b) < n:
        return PairScore(0.0, None, 0.0, 0.0, 0.0, 0.0, 0, campaign, org, (0, 0), (0, 0),
                         same_notice=same)
    low_is_short = len(a) <= len(b)
    short, other, sgrams = (a, b, glow) if low_is_short else (b, a, ghigh)
    runs = _runs(short, other, n, p.min_run_grams, glow & ghigh)
    is_stock = getattr(weights, "is_stock", None)
    stock = [
        # a stretch many sectors use is a stock phrase, not a copy
        is_stock is not None and is_stock(short[s : s + k + n - 1])
        for s, _, k in runs
    ]
    stretches = tuple((s, k + n - 1, st) for (s, _, k), st in zip(runs, stock, strict=True))
    runs = [r for r, st in zip(runs, stock, strict=True) if not st]
    shared = {short[i : i + n] for s, _, k in runs for i in range(s, s + k)}
    covered = 0  # characters of ``short`` inside a stretch (runs are sorted by start)
    reach = 0
    for s, _, k in runs:
        end = s + k + n - 1
        if end > reach:
            covered += end - max(s, reach)
            reach = end
    cover = covered / len(short)
    total = getattr(weights, "total", None)
    # weights of a set of grams: fsum, whose result does not depend on the set's order
    # (the hash seed's), where a plain sum's last bit does
    total_w = (total(sgrams) if total is not None
               else math.fsum(weights.get(g, 1.0) for g in sgrams)) or 1.0
    mass = math.fsum(map(weights.get, shared, repeat(1.0)))
    wcover = mass / total_w
    # a year written as a year lengthens no stretch (开展2024年 is 2 characters of evidence)
    longest = max((plain_length(short[s : s + k + n - 1]) for s, _, k in runs), default=0)
    if graded_only and verdict(p, len(short), cover, wcover, mass, longest, 1.0, campaign,
                               org, True, len(other), same, len(shared))[1] is None:
        # no alignment can grade it (score and grade only rise with ``align``): not aligned
        return PairScore(0.0, None, 0.0, cover, wcover, mass, longest, campaign, org, (0, 0),
                         (0, 0), stretches, same)
    lspan, hspan, align = _aligned_spans(a, b, low_is_short, runs, n)
    score, grade = verdict(
        p, len(short), cover, wcover, mass, longest, align, campaign, org, hspan[1] > hspan[0],
        long_len=len(other), same_notice=same, n_shared=len(shared),
    )
    return PairScore(
        score, grade, align, cover, wcover, mass, longest, campaign, org, lspan, hspan, stretches,
        same,
    )


def verdict(
    p: LinkParams,
    short_len: int,
    cover: float,
    wcover: float,
    mass: float,
    longest: int,
    align: float,
    campaign: bool,
    org: bool,
    has_evidence: bool,
    long_len: int | None = None,
    same_notice: bool = False,
    n_shared: int = 0,
) -> tuple[float, str | None]:
    """Score and grade of a pair from its features (``long_len``: the longer text's length;
    ``same_notice``: both in one notice; ``n_shared``: the number of distinct shared grams
    whose IDF weights sum to ``mass``).

    Non-decreasing in ``wcover``, ``mass`` and ``align`` (score, and grade in the order
    None < adapted < verbatim): ``score_pair(graded_only=True)`` relies on it to skip
    aligning a pair that even ``align`` 1 would not grade. Thresholds in LinkParams.
    """
    raw = (
        p.w_cover * wcover
        + p.w_align * align
        + (p.campaign_boost if campaign else 0.0)
        + (p.org_boost if org else 0.0)
        + (p.notice_boost if same_notice else 0.0)
    )
    score = round(min(1.0, max(0.0, raw)), 4)
    # the same-notice rule trusts shared text that is distinctive on average, not a long
    # formula of light grams
    dense = same_notice and n_shared > 0 and mass >= p.notice_min_density * n_shared
    grade: str | None = None
    if (short_len >= p.verbatim_min_chars and cover >= p.verbatim_cover
            and wcover >= p.verbatim_wcover and align >= p.verbatim_align):
        grade = "verbatim"
    elif ((campaign and mass >= p.campaign_min_mass)
          or (org and mass >= p.adapted_min_mass and longest >= p.adapted_min_run_chars)
          or (mass >= p.adopted_min_mass and longest >= p.adopted_min_run_chars)
          or (dense and mass >= p.notice_min_mass and longest >= p.notice_min_run_chars)
          or (cover >= p.short_copy_cover and mass >= p.short_copy_mass
              and longest >= p.short_copy_run)):
        grade = "adapted"
    if grade == "verbatim" and long_len and short_len < p.verbatim_length_ratio * long_len:
        # the shorter text is copied whole, but it is only a small part of the longer one
        # (one item of a long list): a copy of a part, not of the activity
        grade = "adapted"
    if grade is not None and score < p.min_score:
        grade = None
    if not has_evidence:
        grade = None  # no evidence to show: never emit a link without it
    return score, grade


