"""Candidate generation: an inverted index over character n-grams, partitioned by year and
jurisdiction, with IDF gram weights learnt from the corpus itself.

Only pairs that can be mirrors are ever looked up: a lower activity queries the postings of
its own year and of the jurisdictions above it (its parent chain up to the nation), so the
cost per activity is the length of a few posting lists, not the size of the corpus.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

import numpy as np

from qmgraph.levels import LEVEL_RANK
from qmgraph.link.params import LinkParams
from qmgraph.link.text import NormText, grams, normalize
from qmgraph.model import Campaign, Jurisdiction, ResolvedActivity

K = TypeVar("K")

NATION_KEY = "cn"


def jkey(j: Jurisdiction) -> str:
    """The key of a jurisdiction in ``Corpus.jurisdictions``: its code, or ``cn``."""
    return j.code or NATION_KEY


def rank(j: Jurisdiction) -> int:
    """0 for the nation … 3 for a county/district; unknown levels rank lowest."""
    return LEVEL_RANK.get(j.level, 4)


class Hierarchy:
    """Containment of jurisdictions, from ``Jurisdiction.parent`` chains.

    When a chain breaks (a parent not in the corpus's table) GB/T 2260's prefix rule
    (``51xxxx`` ⊂ ``510000``, ``5101xx`` ⊂ ``510100``) fills in.
    """

    def __init__(self, table: dict[str, Jurisdiction]) -> None:
        self.table = table
        self._cache: dict[str, tuple[str, ...]] = {}

    def ancestors(self, j: Jurisdiction) -> tuple[str, ...]:
        """Keys of every jurisdiction strictly containing ``j`` (the nation included)."""
        key = jkey(j)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out: list[str] = []
        if j.code is not None:
            seen = {key}
            cur: Jurisdiction | None = j
            while cur is not None and cur.parent and cur.parent not in seen:
                out.append(cur.parent)
                seen.add(cur.parent)
                cur = self.table.get(cur.parent)
            r = rank(j)
            code = j.code
            if len(code) == 6 and code.isdigit():
                if r >= 2:
                    out.append(code[:2] + "0000")
                if r >= 3:
                    out.append(code[:4] + "00")
            out.append(NATION_KEY)
        res = tuple(dict.fromkeys(k for k in out if k != key))
        self._cache[key] = res
        return res

    def contains(self, high: Jurisdiction, low: Jurisdiction) -> bool:
        """Whether ``high`` is above ``low`` in level and contains it."""
        if rank(high) >= rank(low):
            return False
        return jkey(high) in self.ancestors(low)


def campaign_keys(campaigns: Iterable[Campaign]) -> set[str]:
    """What a shared campaign means: the same campaign, or the same series."""
    out: set[str] = set()
    for c in campaigns:
        out.add("c:" + c.key)
        if c.series:
            out.add("s:" + c.series)
    return out


def spread_of(holders: Iterable[tuple[str, ...]]) -> float:
    """Inverse Simpson index ``1 / Σ p_s²`` of the sectors of ``holders`` (each an
    activity's sectors, in corpus index order: the float sum follows that order)."""
    counts: dict[str, int] = defaultdict(int)
    for sectors in holders:
        for sec in sectors:
            counts[sec] += 1
    total = sum(counts.values())
    return 1.0 / sum((v / total) ** 2 for v in counts.values()) if total else 0.0


@dataclass
class NgramIndex:
    """The corpus as the linker sees it: normalized texts, gram weights and postings."""

    acts: list[ResolvedActivity]
    years: list[int | None]
    params: LinkParams
    hierarchy: Hierarchy
    norms: list[NormText] = field(default_factory=list)
    gramsets: list[frozenset[str]] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    capped: frozenset[str] = frozenset()
    postings: dict[tuple[int, str], dict[str, list[int]]] = field(default_factory=dict)
    camp_postings: dict[tuple[int, str], dict[str, list[int]]] = field(default_factory=dict)
    camps: list[set[str]] = field(default_factory=list)
    n_units: int = 0
    #: every gram's holders (:meth:`holders`, for the stock test of shared stretches):
    #: activity indices sorted by gram id, where each gram's run starts, gram → id
    _holders: Any = None
    _starts: Any = None
    _ids: dict[str, int] = field(default_factory=dict)
    #: organizer sectors of each activity (place blocks: the place's government)
    act_sectors: list[tuple[str, ...]] = field(default_factory=list)
    _spread: dict[str, float] = field(default_factory=dict)
    ranks: list[int] = field(default_factory=list)  #: :func:`rank` of each activity's place
    iris: list[str] = field(default_factory=list)  #: each activity's IRI

    @classmethod
    def build(
        cls,
        acts: Sequence[ResolvedActivity],
        years: Sequence[int | None],
        hierarchy: Hierarchy,
        params: LinkParams,
    ) -> NgramIndex:
        """Normalize every text, learn gram weights, fill the partitioned postings."""
        idx = cls(list(acts), list(years), params, hierarchy)
        n = params.ngram
        for a in idx.acts:
            nt = normalize(a.text)
            idx.norms.append(nt)
            idx.gramsets.append(frozenset(grams(nt.chars, n)))
            idx.camps.append(campaign_keys(a.campaigns))
            idx.act_sectors.append(tuple(sorted({o.sector for o in a.organizers if o.sector})))
        idx.ranks = [rank(a.jurisdiction) for a in idx.acts]
        idx.iris = [a.iri for a in idx.acts]
        grams_ = _GramTable.of(idx.gramsets)
        idx._learn(grams_)
        idx._post(grams_)
        for i, a in enumerate(idx.acts):
            y = idx.years[i]
            if y is None or not idx.camps[i]:
                continue
            cpart = idx.camp_postings.setdefault((y, jkey(a.jurisdiction)), {})
            for c in idx.camps[i]:
                cpart.setdefault(c, []).append(i)
        return idx

    def _learn(self, t: _GramTable) -> None:
        """Gram weights, capped grams and the stock test's holders, from the activities."""
        p = self.params
        n_grams = len(t.vocab)
        act_freq = np.bincount(t.gram, minlength=n_grams)
        # IDF over units (notice × jurisdiction), not over activities: see LinkParams.
        units: dict[tuple[str, str], int] = {}
        unit = np.fromiter(
            (units.setdefault((a.notice_key, jkey(a.jurisdiction)), len(units))
             for a in self.acts), np.int64, len(self.acts))
        pairs = np.sort(unit[t.act] * n_grams + t.gram)  # (unit, gram), once each below
        pairs = pairs[np.concatenate((pairs[:1] == pairs[:1], pairs[1:] != pairs[:-1]))]
        df = np.bincount(pairs % n_grams, minlength=n_grams)
        self.n_units = len(units)
        memo: dict[int, float] = {}  # a weight depends on the gram's df alone
        weights: dict[str, float] = {}
        for g, d in zip(t.vocab, df.tolist(), strict=True):
            w = memo.get(d)
            if w is None:
                w = memo[d] = unit_weight(d, self.n_units, p.weight_floor, p.weight_power)
            weights[g] = w
        self.weights = GramWeights(weights, self.is_stock)
        cap = posting_cap(p, len(self.acts))
        self.capped = frozenset(t.vocab[k] for k in np.flatnonzero(act_freq > cap).tolist())
        # every gram's holders in index order: the activities sorted by gram, stably
        self._holders = t.act[np.argsort(t.gram, kind="stable")]
        self._starts = np.concatenate(([0], np.cumsum(act_freq)))
        self._ids = t.ids

    def _post(self, t: _GramTable) -> None:
        """The postings: per (year, jurisdiction) part, each gram not capped → the
        activities holding it, in index order."""
        n_grams = len(t.vocab)
        # only the parts some activity looks up: a year's places above another place of it
        # (most activities are county or city ones no other place lies under)
        looked = {(y, anc) for a, y in zip(self.acts, self.years, strict=True)
                  if y is not None for anc in self.hierarchy.ancestors(a.jurisdiction)}
        parts: dict[tuple[int, str], int] = {}
        part = np.fromiter(
            (parts.setdefault(k, len(parts)) if (k := (y, jkey(a.jurisdiction))) in looked
             else -1 for a, y in zip(self.acts, self.years, strict=True)),
            np.int64, len(self.acts))
        capped = np.zeros(n_grams, dtype=bool)
        capped[[t.ids[g] for g in self.capped if g in t.ids]] = True
        keep = ~capped[t.gram] & (part[t.act] >= 0)
        key = part[t.act[keep]] * n_grams + t.gram[keep]
        if not len(key):
            return
        order = np.argsort(key, kind="stable")  # t.act ascends: holders stay in index order
        key, acts = key[order], t.act[keep][order].tolist()
        cuts = np.flatnonzero(np.diff(key)) + 1
        starts = [0, *cuts.tolist()]
        names = list(parts)
        self.postings = {k: {} for k in names}
        for s, e, k in zip(starts, [*starts[1:], len(acts)], key[starts].tolist(), strict=True):
            self.postings[names[k // n_grams]][t.vocab[k % n_grams]] = acts[s:e]

    def _held(self, gram: str) -> np.ndarray:
        """The activities (indices, ascending) whose gram set holds ``gram``."""
        k = self._ids.get(gram)
        if k is None:
            return np.empty(0, dtype=np.int64)
        return self._holders[self._starts[k] : self._starts[k + 1]]

    def sector_spread(self, stretch: str) -> float:
        """Effective number of sectors among the activities whose normalized text holds
        ``stretch``: the inverse Simpson index ``1 / Σ p_s²`` of their organizer sectors
        (an activity counts once per sector it has; activities without one do not count).

        1 when every holder is of one sector (a sector's action copied down its line, with
        the place blocks that took it); about the number of sectors when a clause is used
        evenly by many (a stock purpose clause). Cached per stretch.
        """
        hit = self._spread.get(stretch)
        if hit is not None:
            return hit
        n = self.params.ngram
        # the activities holding its three rarest grams (in index order), checked exactly
        lists = sorted((self._held(stretch[k : k + n]) for k in range(len(stretch) - n + 1)),
                       key=len)
        both = lists[0] if lists else np.empty(0, dtype=np.int64)
        for more in lists[1:3]:
            both = np.intersect1d(both, more, assume_unique=True)
        eff = spread_of(
            self.act_sectors[c] for c in both.tolist() if stretch in self.norms[c].chars
        )
        self._spread[stretch] = eff
        return eff

    def is_stock(self, stretch: str) -> bool:
        """A stock phrase: used across ``stock_sectors`` effective sectors or more."""
        return self.sector_spread(stretch) >= self.params.stock_sectors

    def candidates(self, i: int) -> dict[str, list[int]]:
        """Higher activities worth scoring against activity ``i``, by higher jurisdiction key.

        Each list holds at most ``top_k`` indices, best accumulated gram weight first.
        """
        y = self.years[i]
        low = self.acts[i].jurisdiction
        out: dict[str, list[int]] = {}
        if y is None:
            return out
        p = self.params
        mine = self.gramsets[i]
        ranks, iris, mine_rank = self.ranks, self.iris, self.ranks[i]
        for anc in self.hierarchy.ancestors(low):
            part = self.postings.get((y, anc))
            if not part:
                continue
            acc: dict[int, float] = defaultdict(float)
            # the grams both hold, found in C (capped grams are never posted), summed in
            # gram order: float sums in a set's order (the hash seed's) differ in the last
            # bit, and two candidates of equal weight would be ranked by that bit, not by
            # IRI, at the ``top_k`` cut
            for g in sorted(part.keys() & mine):
                w = self.weights[g]
                for h in part[g]:
                    acc[h] += w
            forced: set[int] = set()
            cpart = self.camp_postings.get((y, anc), {})
            for c in self.camps[i]:
                forced.update(cpart.get(c, ()))
            # every activity of the part is of the place ``anc``, which contains ``low``:
            # it is above ``low`` when its level is
            ranked = [(-v, iris[h], h) for h, v in acc.items()
                      if (v >= p.min_candidate_mass or h in forced) and ranks[h] < mine_rank]
            ranked += [(-0.0, iris[h], h) for h in forced
                       if h not in acc and ranks[h] < mine_rank]
            ranked.sort()
            if ranked:
                out[anc] = [h for _, _, h in ranked[: p.top_k]]
        return out


class GramWeights(dict[str, float]):
    """Gram → IDF weight (see :func:`unit_weight`), carrying the corpus's stock test.

    ``is_stock(stretch)`` tells whether a shared stretch is a stock phrase (many sectors
    use it, :meth:`NgramIndex.is_stock`); scoring drops such stretches from the evidence.
    A plain dict works too (no stretch is stock then).
    """

    def __init__(
        self, weights: dict[str, float], is_stock: Callable[[str], bool] | None = None
    ) -> None:
        super().__init__(weights)
        self.is_stock = is_stock
        self._totals: dict[frozenset[str], float] = {}

    def total(self, gramset: frozenset[str]) -> float:
        """The summed weight of ``gramset`` (unknown grams 1), kept per set: an activity's
        total is read by every pair it is the shorter text of."""
        hit = self._totals.get(gramset)
        if hit is None:
            # fsum: the same total whatever the set's (the hash seed's) order
            hit = self._totals[gramset] = math.fsum(self.get(g, 1.0) for g in gramset)
        return hit


def posting_cap(params: LinkParams, n_acts: int) -> int:
    """A gram held by more than this many activities is capped (never posted)."""
    return max(params.min_posting_cap, int(params.max_posting_share * n_acts))


def unit_weight(d: int, n_units: int, floor: float, power: float = 1.0) -> float:
    """``w = (ln((N+1)/df) / ln((N+1)/2)) ** power`` clipped to ``[floor, 1]``.

    A gram in one or two units weighs 1 (a copy needs two units: the source and the copy);
    a gram in every unit weighs ``floor``.
    """
    top = math.log((n_units + 1) / 2) if n_units > 1 else 1.0
    if top <= 0:
        top = 1.0
    w = math.log((n_units + 1) / max(d, 1)) / top
    return min(1.0, max(floor, max(w, 0.0) ** power))


@dataclass(frozen=True)
class _GramTable:
    """The gram sets of an index as arrays: every distinct gram (``vocab``, with ``ids``)
    and, per (activity, gram) pair, the activity and the gram's id, activities ascending.
    Counting and grouping these in numpy is what keeps building an index cheap."""

    vocab: list[str]
    ids: dict[str, int]
    act: np.ndarray
    gram: np.ndarray

    @classmethod
    def of(cls, gramsets: Sequence[frozenset[str]]) -> _GramTable:
        vocab = list(set().union(*gramsets))
        ids = dict(zip(vocab, range(len(vocab)), strict=True))
        sizes = np.fromiter(map(len, gramsets), np.int64, len(gramsets))
        gram = np.fromiter(chain.from_iterable(map(ids.__getitem__, gs) for gs in gramsets),
                           np.int64, int(sizes.sum()))
        return cls(vocab, ids, np.repeat(np.arange(len(gramsets), dtype=np.int64), sizes), gram)
