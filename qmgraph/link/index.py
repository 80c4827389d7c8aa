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

from qmgraph.link.params import LinkParams
from qmgraph.link.text import NormText, grams, normalize
from qmgraph.model import Campaign, Jurisdiction, ResolvedActivity

LEVEL_RANK: dict[str, int] = {"national": 0, "provincial": 1, "prefectural": 2, "county": 3}
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
    #: gram → every activity (index) holding it, for the stock test of shared stretches
    gram_acts: dict[str, list[int]] = field(default_factory=dict)
    #: organizer sectors of each activity (place blocks: the place's government)
    act_sectors: list[tuple[str, ...]] = field(default_factory=list)
    _spread: dict[str, float] = field(default_factory=dict)

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
        unit_grams: dict[tuple[str, str], set[str]] = defaultdict(set)
        act_freq: dict[str, int] = defaultdict(int)
        gram_acts: dict[str, list[int]] = defaultdict(list)
        for k, a in enumerate(idx.acts):
            nt = normalize(a.text)
            gs = frozenset(grams(nt.chars, n))
            idx.norms.append(nt)
            idx.gramsets.append(gs)
            idx.camps.append(campaign_keys(a.campaigns))
            idx.act_sectors.append(tuple(sorted({o.sector for o in a.organizers if o.sector})))
            unit_grams[(a.notice_key, jkey(a.jurisdiction))].update(gs)
            for g in gs:
                act_freq[g] += 1
                gram_acts[g].append(k)
        idx.gram_acts = dict(gram_acts)
        # IDF over units (notice × jurisdiction), not over activities: see LinkParams.
        df: dict[str, int] = defaultdict(int)
        for gs in unit_grams.values():
            for g in gs:
                df[g] += 1
        idx.n_units = len(unit_grams)
        idx.weights = GramWeights(
            unit_weights(df, idx.n_units, params.weight_floor, params.weight_power), idx.is_stock
        )
        cap = max(params.min_posting_cap, int(params.max_posting_share * len(idx.acts)))
        idx.capped = frozenset(g for g, f in act_freq.items() if f > cap)
        for i, a in enumerate(idx.acts):
            y = idx.years[i]
            if y is None:
                continue
            part = idx.postings.setdefault((y, jkey(a.jurisdiction)), {})
            for g in idx.gramsets[i]:
                if g not in idx.capped:
                    part.setdefault(g, []).append(i)
            cpart = idx.camp_postings.setdefault((y, jkey(a.jurisdiction)), {})
            for c in idx.camps[i]:
                cpart.setdefault(c, []).append(i)
        return idx

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
        lists = [self.gram_acts.get(stretch[k : k + n], ()) for k in range(len(stretch) - n + 1)]
        counts: dict[str, int] = defaultdict(int)
        if lists:
            for c in min(lists, key=len):  # the rarest gram's holders, checked exactly
                if stretch in self.norms[c].chars:
                    for sec in self.act_sectors[c]:
                        counts[sec] += 1
        total = sum(counts.values())
        eff = 1.0 / sum((v / total) ** 2 for v in counts.values()) if total else 0.0
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
        mine = [g for g in self.gramsets[i] if g not in self.capped]
        for anc in self.hierarchy.ancestors(low):
            part = self.postings.get((y, anc))
            if not part:
                continue
            acc: dict[int, float] = defaultdict(float)
            for g in mine:
                hits = part.get(g)
                if hits:
                    w = self.weights[g]
                    for h in hits:
                        acc[h] += w
            forced: set[int] = set()
            cpart = self.camp_postings.get((y, anc), {})
            for c in self.camps[i]:
                forced.update(cpart.get(c, ()))
            ranked = sorted(
                (
                    (-acc.get(h, 0.0), self.acts[h].iri, h)
                    for h in set(acc) | forced
                    if (acc.get(h, 0.0) >= p.min_candidate_mass or h in forced)
                    and self.hierarchy.contains(self.acts[h].jurisdiction, low)
                ),
            )
            if ranked:
                out[anc] = [h for _, _, h in ranked[: p.top_k]]
        return out


class GramWeights(dict[str, float]):
    """Gram → IDF weight (see :func:`unit_weights`), carrying the corpus's stock test.

    ``is_stock(stretch)`` tells whether a shared stretch is a stock phrase (many sectors
    use it, :meth:`NgramIndex.is_stock`); scoring drops such stretches from the evidence.
    A plain dict works too (no stretch is stock then).
    """

    def __init__(
        self, weights: dict[str, float], is_stock: Callable[[str], bool] | None = None
    ) -> None:
        super().__init__(weights)
        self.is_stock = is_stock


def unit_weights(
    df: dict[str, int], n_units: int, floor: float, power: float = 1.0
) -> dict[str, float]:
    """``w = (ln((N+1)/df) / ln((N+1)/2)) ** power`` clipped to ``[floor, 1]``.

    A gram in one or two units weighs 1 (a copy needs two units: the source and the copy);
    a gram in every unit weighs ``floor``.
    """
    top = math.log((n_units + 1) / 2) if n_units > 1 else 1.0
    if top <= 0:
        top = 1.0
    out: dict[str, float] = {}
    for g, d in df.items():
        w = math.log((n_units + 1) / max(d, 1)) / top
        out[g] = min(1.0, max(floor, max(w, 0.0) ** power))
    return out
