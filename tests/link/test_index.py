"""The array index of ``qmgraph.link.index`` against straightforward Python on small
corpora: its gram table, its weight sums and its candidates."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from qmgraph.link import LinkParams, index
from qmgraph.link.index import (
    Hierarchy,
    NgramIndex,
    _GramTable,
    jkey,
    pair_sum,
    posting_cap,
    spread_of,
)
from qmgraph.link.mirrors import collect
from qmgraph.link.text import grams
from qmgraph.synth.corpus import SynthSpec, synthetic_corpus
from tests.link.factory import CHENGDU, NATION, SAMR, SICHUAN, TABLE, Act, notice

TEXTS = ["质量月活动开展质量", "", "ab", "Abc质量abc", "质量月活动开展质量", "𠀀𠀁𠀂质量𠀀𠀁", "z"]


@pytest.mark.parametrize("n", [1, 3, 7])
def test_gram_table_holds_each_texts_grams_in_string_order(n: int) -> None:
    """Distinct grams in string order (code points beyond the BMP too), each text's
    distinct grams as (activity, id) rows by activity then gram; a 7-gram key is longer
    than 62 bits of character ranks and is compacted on the way."""
    texts = [t * 9 for t in TEXTS] if n == 7 else TEXTS
    t = _GramTable.of(texts, n)
    assert t.vocab == sorted({g for x in texts for g in grams(x, n)})
    assert t.ids == {g: k for k, g in enumerate(t.vocab)}
    rows = [(i, t.ids[g]) for i, x in enumerate(texts) for g in sorted(set(grams(x, n)))]
    assert list(zip(t.act.tolist(), t.gram.tolist(), strict=True)) == rows
    assert t.sets() == [frozenset(grams(x, n)) for x in texts]


def test_pair_sums_add_in_the_order_given() -> None:
    """Sums per pair are those of Python adding one by one in row order, so that two
    pairs with the same weights in gram order tie exactly (summed another way, the same
    three weights differ in the last bit: a ``top_k`` cut would not be by IRI)."""
    ws = (0.7, 1.1, 1.3)
    assert (ws[0] + ws[1]) + ws[2] != ws[0] + (ws[1] + ws[2])  # the test can fail
    which = np.array([0, 1, 0, 1, 0, 1, 2])
    weight = np.array([ws[0], ws[0], ws[1], ws[1], ws[2], ws[2], 0.0])
    got = pair_sum(which, weight, 3).tolist()
    assert got == [(ws[0] + ws[1]) + ws[2]] * 2 + [0.0]
    many = np.random.default_rng(1).random(1000)
    assert pair_sum(np.zeros(1000, dtype=np.int64), many, 1)[0] == sum(many.tolist())


def reference_candidates(idx: NgramIndex, i: int) -> dict[str, list[int]]:
    """:meth:`NgramIndex.candidates` as plain loops over the index's gram sets."""
    p, n = idx.params, len(idx.acts)
    out: dict[str, list[int]] = {}
    y = idx.years[i]
    if y is None:
        return out
    freq = Counter(g for gs in idx.gramsets for g in gs)
    cap = posting_cap(p, n)
    for anc in idx.hierarchy.ancestors(idx.acts[i].jurisdiction):
        part = [h for h in range(n)
                if idx.years[h] == y and jkey(idx.acts[h].jurisdiction) == anc]
        posted = {g for h in part for g in idx.gramsets[h] if freq[g] <= cap}
        if not posted:
            continue
        acc: dict[int, float] = {}
        for g in sorted(posted & idx.gramsets[i]):
            for h in part:
                if g in idx.gramsets[h]:
                    acc[h] = acc.get(h, 0.0) + idx.weights[g]
        forced = {h for h in part if idx.camps[h] & idx.camps[i]}
        ranked = sorted((-acc.get(h, 0.0), idx.iris[h], h) for h in set(acc) | forced
                        if (acc.get(h, 0.0) >= p.min_candidate_mass or h in forced)
                        and idx.ranks[h] < idx.ranks[i])
        if ranked:
            out[anc] = [h for _, _, h in ranked[: p.top_k]]
    return out


@pytest.mark.parametrize("params", [LinkParams(top_k=1),
                                    LinkParams(top_k=3, max_posting_share=0.02, min_posting_cap=5)])
def test_candidates_are_those_of_plain_loops(params: LinkParams) -> None:
    """Every activity's candidates (order of places, of holders, the ``top_k`` cut by
    weight then IRI, campaigns, capped grams) as the plain loops find them."""
    sc = synthetic_corpus(SynthSpec(provinces=2, cities_per_province=2, national_acts=30,
                                    provincial_acts=20, city_acts=10))
    acts, years = collect(sc.corpus)
    idx = NgramIndex.build(acts, years, Hierarchy(sc.corpus.jurisdictions), params)
    assert bool(idx.capped) == (params.min_posting_cap == 5)  # the cap, when low, caps
    assert any(idx.camps)
    found = [idx.candidates(i) for i in range(len(acts))]
    assert sum(map(len, found)) >= 20
    for i in range(len(acts)):
        assert found[i] == reference_candidates(idx, i), i


@pytest.mark.parametrize(("seed", "budget"), [(0, 1 << 19), (1, 1 << 19), (2, 1 << 19),
                                              (3, 1), (4, 40), (5, 300)])
def test_candidates_of_near_tied_texts_are_those_of_plain_loops(
        seed: int, budget: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Short texts over four characters share the same few grams over and over: many
    holders of a look weigh the same (summed in gram order, exactly) or a last bit apart
    (summed in another order), so both the order of a look's candidates and its ``top_k``
    cut fail unless each pair's weights are added in gram order, as the plain loops do.
    The same in batches of a few join rows (one look a batch, or a look split from the
    next), as in one batch."""
    monkeypatch.setattr(index, "ROW_BUDGET", budget)
    rng = np.random.default_rng(seed)
    places = [NATION] * 25 + [SICHUAN] * 25 + [CHENGDU] * 20
    notices = [notice(f"n{k:03d}", jur, 2022,
                      [Act(f"a{k}", "".join(rng.choice(list("甲乙丙丁"), rng.integers(4, 12))),
                           [SAMR])])
               for k, jur in enumerate(places)]
    acts = [a for n in notices for a in n.activities]
    params = LinkParams(ngram=2, top_k=3, min_candidate_mass=0.5)
    idx = NgramIndex.build(acts, [2022] * len(acts), Hierarchy(dict(TABLE)), params)
    found = [idx.candidates(i) for i in range(len(acts))]
    assert sum(len(c) for f in found for c in f.values()) >= 100
    for i in range(len(acts)):
        assert found[i] == reference_candidates(idx, i), i


def test_sector_spread_is_that_of_every_holder() -> None:
    """The stock test's spread of a stretch (found from its rarest grams' holders, with a
    mask reused from check to check) is that of every activity whose text holds it; the
    mask is left clear after each check."""
    sc = synthetic_corpus(SynthSpec(provinces=2, cities_per_province=2, national_acts=30,
                                    provincial_acts=20, city_acts=10))
    acts, years = collect(sc.corpus)
    idx = NgramIndex.build(acts, years, Hierarchy(sc.corpus.jurisdictions), LinkParams())
    rng = np.random.default_rng(3)
    spreads = []
    for _ in range(300):
        text = idx.norms[int(rng.integers(len(acts)))].chars
        size = int(rng.integers(3, 13))
        at = int(rng.integers(max(len(text) - size, 0) + 1))
        stretch = text[at : at + size]
        want = spread_of(idx.act_sectors[c] for c in range(len(acts))
                         if stretch in idx.norms[c].chars)
        assert idx.sector_spread(stretch) == want, stretch
        idx._spread.clear()  # computed again, after other stretches
        assert idx.sector_spread(stretch) == want, stretch
        spreads.append(want)
        # stale entries would not change a spread (holders are checked exactly) but
        # would let every later check scan more holders
        assert not idx._mask.any()
    assert len(set(spreads)) > 3  # spreads of one sector and of many
