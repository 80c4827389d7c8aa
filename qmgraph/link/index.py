"""Candidate generation: an inverted index over character n-grams, partitioned by year and
jurisdiction, with IDF gram weights learnt from the corpus itself.

Only pairs that can be mirrors are ever looked up: a lower activity is matched against the
activities of its own year at the jurisdictions above it (its parent chain up to the
nation), never against the whole corpus. Grams are integer ids and the matching is done
as array joins over all activities at once (decision 0034), not gram by gram.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, TypeVar

import numpy as np

from qmgraph.levels import LEVEL_RANK
from qmgraph.link.params import LinkParams
from qmgraph.link.text import NormText, normalize
from qmgraph.model import Campaign, Jurisdiction, ResolvedActivity

K = TypeVar("K")

NATION_KEY = "cn"

#: at most this many rows of the candidate join at once (a look's rows are never split)
ROW_BUDGET = 1 << 19


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
    """The corpus as the linker sees it: normalized texts, gram weights and candidates."""

    acts: list[ResolvedActivity]
    years: list[int | None]
    params: LinkParams
    hierarchy: Hierarchy
    norms: list[NormText] = field(default_factory=list)
    gramsets: list[frozenset[str]] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    capped: frozenset[str] = frozenset()
    camps: list[set[str]] = field(default_factory=list)
    n_units: int = 0
    #: every gram's holders (:meth:`_held`, for the stock test of shared stretches):
    #: activity indices sorted by gram id, where each gram's run starts, gram → id
    _holders: Any = None
    _starts: Any = None
    _ids: dict[str, int] = field(default_factory=dict)
    #: a mask over the activities for the stock test, reused (an allocation per check
    #: would cost more than the check at a million activities)
    _mask: Any = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: organizer sectors of each activity (place blocks: the place's government)
    act_sectors: list[tuple[str, ...]] = field(default_factory=list)
    _spread: dict[str, float] = field(default_factory=dict)
    ranks: list[int] = field(default_factory=list)  #: :func:`rank` of each activity's place
    iris: list[str] = field(default_factory=list)  #: each activity's IRI
    #: each activity's candidates (:meth:`candidates`), worked out for all at once
    _cands: list[dict[str, list[int]]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        acts: Sequence[ResolvedActivity],
        years: Sequence[int | None],
        hierarchy: Hierarchy,
        params: LinkParams,
    ) -> NgramIndex:
        """Normalize every text, learn gram weights, find every activity's candidates."""
        idx = cls(list(acts), list(years), params, hierarchy)
        idx.norms = [normalize(a.text) for a in idx.acts]
        t = _GramTable.of([nt.chars for nt in idx.norms], params.ngram)
        idx.gramsets = t.sets()
        idx.camps = [campaign_keys(a.campaigns) for a in idx.acts]
        idx.act_sectors = [tuple(sorted({o.sector for o in a.organizers if o.sector}))
                           for a in idx.acts]
        idx.ranks = [rank(a.jurisdiction) for a in idx.acts]
        idx.iris = [a.iri for a in idx.acts]
        idx._cands = idx._find_candidates(t, *idx._learn(t))
        return idx

    def _learn(self, t: _GramTable) -> tuple[np.ndarray, np.ndarray]:
        """Gram weights, capped grams and the stock test's holders, from the activities;
        returns the weight of each gram id and whether it is capped."""
        p = self.params
        n_grams = len(t.vocab)
        act_freq = np.bincount(t.gram, minlength=n_grams)
        # IDF over units (notice × jurisdiction), not over activities: see LinkParams.
        units: dict[tuple[str, str], int] = {}
        unit = np.fromiter(
            (units.setdefault((a.notice_key, jkey(a.jurisdiction)), len(units))
             for a in self.acts), np.int64, len(self.acts))
        df = np.bincount(_distinct(unit[t.act] * n_grams + t.gram) % n_grams,
                         minlength=n_grams)
        self.n_units = len(units)
        # a weight depends on the gram's df alone: computed once per df, with ``math``
        dfs, which = np.unique(df, return_inverse=True)
        weight = np.array([unit_weight(d, self.n_units, p.weight_floor, p.weight_power)
                           for d in dfs.tolist()], dtype=np.float64)[which]
        self.weights = GramWeights(dict(zip(t.vocab, weight.tolist(), strict=True)),
                                   self.is_stock)
        capped = act_freq > posting_cap(p, len(self.acts))
        self.capped = frozenset(t.vocab[k] for k in np.flatnonzero(capped).tolist())
        # every gram's holders in index order: the activities sorted by gram, stably
        self._holders = t.act[np.argsort(t.gram, kind="stable")]
        self._starts = np.concatenate(([0], np.cumsum(act_freq)))
        self._ids = t.ids
        return weight, capped

    def _find_candidates(self, t: _GramTable, weight: np.ndarray, capped: np.ndarray
                         ) -> list[dict[str, list[int]]]:
        """Every activity's candidates (see :meth:`candidates`), for all at once.

        A *part* is the activities of one year and place; a *look* is an activity and a
        part of its year whose place is above its own. The grams (not capped) a look
        shares with the part's activities are joined as arrays, and the weights of each
        (look, holder) pair summed; a shared campaign brings a holder in whatever its weight.
        """
        p = self.params
        n_acts, n_grams = len(self.acts), len(t.vocab)
        cands: list[dict[str, list[int]]] = [{} for _ in range(n_acts)]
        own = [(y, jkey(a.jurisdiction)) if y is not None else None
               for a, y in zip(self.acts, self.years, strict=True)]
        looks = [(i, (k[0], anc)) for i, (a, k) in enumerate(zip(self.acts, own, strict=True))
                 if k is not None for anc in self.hierarchy.ancestors(a.jurisdiction)]
        part_ids: dict[tuple[int, str] | None, int] = {}
        for _, k in looks:
            part_ids.setdefault(k, len(part_ids))
        part = np.array([part_ids.get(k, -1) for k in own], dtype=np.int64)
        posted = ~capped[t.gram] & (part[t.act] >= 0)
        # a part none of whose grams is posted gives no candidates, not even by campaign
        live = np.zeros(len(part_ids), dtype=bool)
        live[part[t.act[posted]]] = True
        looks = [lk for lk in looks if live[part_ids[lk[1]]]]
        if not looks:
            return cands
        look_act = np.array([i for i, _ in looks], dtype=np.int64)
        look_part = np.array([part_ids[k] for _, k in looks], dtype=np.int64)
        # the posted grams, keyed by part and gram; the campaigns held, keyed by part and id
        grams = _Keys(part[t.act[posted]] * n_grams + t.gram[posted])
        g_act, g_first = t.act[posted], t.first()
        camp_ids: dict[str, int] = {}
        held = np.array([(h, camp_ids.setdefault(c, len(camp_ids)))
                         for h, cs in enumerate(self.camps) for c in sorted(cs)],
                        dtype=np.int64).reshape(-1, 2)
        n_camps = len(camp_ids)
        camps = _Keys(part[held[:, 0]] * n_camps + held[:, 1])
        c_first = np.searchsorted(held[:, 0], np.arange(n_acts + 1))
        ranks = np.array(self.ranks, dtype=np.int64)
        by_iri = np.empty(n_acts, dtype=np.int64)
        by_iri[sorted(range(n_acts), key=self.iris.__getitem__)] = np.arange(n_acts)

        def ranked(look: np.ndarray, holder: np.ndarray, w: np.ndarray, c_look: np.ndarray,
                   c_holder: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """The kept (look, holder) pairs of some looks' rows, by look then rank."""
            pair, which = np.unique(np.concatenate((look, c_look)) * n_acts
                                    + np.concatenate((holder, c_holder)), return_inverse=True)
            mass = pair_sum(which, np.concatenate((w, np.zeros(len(c_look)))), len(pair))
            forced = np.zeros(len(pair), dtype=bool)
            forced[which[len(w):]] = True
            pl, ph = pair // n_acts, pair % n_acts
            # every activity of a part is of its place, which contains the looking
            # activity's: it is above when its level is
            ok = ((mass >= p.min_candidate_mass) | forced) & (ranks[ph] < ranks[look_act[pl]])
            pl, ph, mass = pl[ok], ph[ok], mass[ok]
            order = np.lexsort((by_iri[ph], -mass, pl))  # per look: heaviest, then by IRI
            pl, ph = pl[order], ph[order]
            keep = np.arange(len(pl)) - np.searchsorted(pl, pl) < p.top_k  # rank in its look
            return pl[keep], ph[keep]

        # The looks are taken in batches of at most ``ROW_BUDGET`` rows (a look alone may
        # be more), first of query rows (the looks' grams and campaigns), then of joined
        # rows, so that a window's temporary arrays stay bounded whatever its size. A
        # look's rows are all in one batch, in the order of a join of all looks at once.
        sizes = (g_first[1:] - g_first[:-1] + c_first[1:] - c_first[:-1])[look_act]
        for lo, hi in _spans(sizes, ROW_BUDGET):
            # each look's grams, ascending: the weights of a pair are summed in gram order,
            # so that two holders of equal weight tie exactly and are ranked by IRI at top_k
            q_look, q_gram = _rows_of(look_act[lo:hi], g_first, t.gram)
            q_at, q_hits = grams.hits(look_part[lo:hi][q_look] * n_grams + q_gram)
            # campaigns shared, joined the same way (a pair's weight + 0.0: unchanged)
            c_look, c_camp = _rows_of(look_act[lo:hi], c_first, held[:, 1])
            c_at, c_hits = camps.hits(look_part[lo:hi][c_look] * n_camps + c_camp)
            q_end = np.searchsorted(q_look, np.arange(hi - lo + 1))
            c_end = np.searchsorted(c_look, np.arange(hi - lo + 1))
            joined = (np.bincount(q_look, q_hits, hi - lo)
                      + np.bincount(c_look, c_hits, hi - lo)).astype(np.int64)
            for a, b in _spans(joined, ROW_BUDGET):
                q, k = grams.rows(q_at, q_hits, q_end[a], q_end[b])
                fq, fk = camps.rows(c_at, c_hits, c_end[a], c_end[b])
                pl, ph = ranked(lo + q_look[q], g_act[k], weight[q_gram[q]],
                                lo + c_look[fq], held[fk, 0])
                for j, h in zip(pl.tolist(), ph.tolist(), strict=True):
                    i, (_, anc) = looks[j]
                    cands[i].setdefault(anc, []).append(h)
        return cands

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
        if len(self._mask) != len(self.acts):
            self._mask = np.zeros(len(self.acts), dtype=bool)
        held = self._mask  # all False between calls: only the entries set are cleared
        for more in lists[1:3]:
            held[both] = True
            kept = more[held[more]]
            held[both] = False
            both = kept
        eff = spread_of(
            self.act_sectors[c] for c in both.tolist() if stretch in self.norms[c].chars
        )
        self._spread[stretch] = eff
        return eff

    def is_stock(self, stretch: str) -> bool:
        """A stock phrase: used across ``stock_sectors`` effective sectors or more."""
        return self.sector_spread(stretch) >= self.params.stock_sectors

    def candidates(self, i: int) -> dict[str, list[int]]:
        """Higher activities worth scoring against activity ``i``, by higher jurisdiction
        key (in the order of its ancestors).

        Each list holds at most ``top_k`` activities of that place and year, ranked higher
        than ``i``'s, whose shared grams weigh ``min_candidate_mass`` or more or which share
        a campaign with it: the heaviest first (weights summed in gram order), then by IRI.
        """
        return self._cands[i]


def pair_sum(which: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    """``weight`` summed per ``which`` (ids below ``n``), one by one in the order given,
    as Python would add them: ``np.bincount`` adds in input order, where ``np.add.reduceat``
    and ``np.add.at`` may sum pairwise or in another order."""
    return np.bincount(which, weights=weight, minlength=n)


def _rows_of(who: np.ndarray, first: np.ndarray, values: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """For each ``who[k]`` (an activity), the rows ``values[first[a]:first[a + 1]]`` of
    activity ``a``: each row's ``k`` and value, in that order."""
    sizes = (first[1:] - first[:-1])[who]
    return np.repeat(np.arange(len(who)), sizes), values[_ranges(first[who], sizes)]


class _Keys:
    """Keys sorted once, to join many batches of queries against: every pair (query, key)
    of equal value, the keys of one value in their order in the keys given."""

    def __init__(self, keys: np.ndarray) -> None:
        self.order = np.argsort(keys, kind="stable")
        keys = keys[self.order]
        self.start = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))[
            : len(keys)]
        self.values = keys[self.start]
        self.count = np.diff(np.append(self.start, len(keys)))

    def hits(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each query, where its value is among the distinct keys and how many keys
        have it (0: none)."""
        if not len(self.values):
            return np.zeros(len(queries), dtype=np.int64), np.zeros(len(queries), np.int64)
        at = np.minimum(np.searchsorted(self.values, queries), len(self.values) - 1)
        return at, np.where(self.values[at] == queries, self.count[at], 0)

    def rows(self, at: np.ndarray, hits: np.ndarray, a: int, b: int
             ) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of queries ``a`` to ``b`` (of a :meth:`hits`), as indices into the
        queries and the keys: in query order, the keys of one value in their order."""
        return (np.repeat(np.arange(a, b), hits[a:b]),
                self.order[_ranges(self.start[at[a:b]], hits[a:b])])


def _spans(sizes: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive ranges ``lo:hi`` of ``sizes`` summing to at most ``budget`` each (a
    single item may be more): the batches that cover them in order."""
    ends = np.cumsum(sizes)
    out: list[tuple[int, int]] = []
    lo = 0
    while lo < len(ends):
        base = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, base + budget, side="right")), lo + 1)
        out.append((lo, hi))
        lo = hi
    return out


def _distinct(x: np.ndarray) -> np.ndarray:
    """The distinct values of ``x``, ascending (``np.unique`` hashes first: slower here)."""
    x = np.sort(x)
    return x[np.concatenate((x[:1] == x[:1], x[1:] != x[:-1]))]


def _ranges(start: np.ndarray, size: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + k) for s, k in zip(start, size)])``, without the loop."""
    ends = np.cumsum(size)
    return np.repeat(start - (ends - size), size) + np.arange(ends[-1] if len(ends) else 0)


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
            hit = self._totals[gramset] = math.fsum(map(self.get, gramset, repeat(1.0)))
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


_CODES = 0x110000  #: Unicode code points


@dataclass(frozen=True)
class _GramTable:
    """The gram sets of an index as arrays: every distinct gram (``vocab``, in string
    order, with ``ids``) and, per distinct (activity, gram) pair, the activity and the
    gram's id, sorted by activity then gram. Counting and grouping these in numpy is what
    keeps building an index cheap: no gram is made a string but the distinct ones."""

    vocab: list[str]
    ids: dict[str, int]
    act: np.ndarray
    gram: np.ndarray
    texts: int  #: how many texts (activities)

    @classmethod
    def of(cls, texts: Sequence[str], n: int) -> _GramTable:
        """The table of the ``n``-grams of each of ``texts`` (see :func:`grams`)."""
        whole = "".join(texts)
        lengths = np.fromiter(map(len, texts), np.int64, len(texts))
        count = np.maximum(lengths - n + 1, 0)  # grams of each text
        # each gram's first character in ``whole``, and its activity
        where = _ranges(np.cumsum(lengths) - lengths, count)
        act = np.repeat(np.arange(len(texts), dtype=np.int64), count)
        # a gram's key: its code points as digits, so key order is string order (all grams
        # have n characters); three fit in 63 bits, a longer key is renumbered on the way
        codes = np.frombuffer(whole.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        key = np.zeros(len(where), dtype=np.int64)
        for k in range(n):
            if len(key) and int(key.max()) > (np.iinfo(np.int64).max - _CODES) // _CODES:
                key = np.unique(key, return_inverse=True)[1]  # fewer digits, same order
            key = key * _CODES + codes[where + k]
        _, at, gram = np.unique(key, return_index=True, return_inverse=True)
        vocab = [whole[s : s + n] for s in where[at].tolist()]
        size = max(len(vocab), 1)
        pairs = _distinct(act * size + gram)
        return cls(vocab, dict(zip(vocab, range(len(vocab)), strict=True)),
                   pairs // size, pairs % size, len(texts))

    def sets(self) -> list[frozenset[str]]:
        """Each activity's grams as a set of strings (of ``vocab``: one string a gram)."""
        first = self.first().tolist()
        ids = self.gram.tolist()
        return [frozenset(map(self.vocab.__getitem__, ids[s:e]))
                for s, e in zip(first, first[1:], strict=False)]

    def first(self) -> np.ndarray:
        """Where each activity's rows start (and, last, the number of rows)."""
        return np.searchsorted(self.act, np.arange(self.texts + 1))
