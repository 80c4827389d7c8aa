"""Benchmark of ``qmgraph.link`` on a synthetic corpus (a script, not a test).

Generates ≥ 20,000 activities over nation → provinces → cities with known copies, runs the
indexed linker, then brute-force all-pairs scoring (every eligible same-year pair down the
hierarchy, scored with the same function) on a random sample of lower activities, and
extrapolates the brute-force time to the whole corpus. Prints JSON, then a table.

    .venv/bin/python bench/link_bench.py [--sample 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from qmgraph.link import LinkParams, link_with_stats
from qmgraph.link.index import Hierarchy, NgramIndex, jkey, rank
from qmgraph.link.score import score_pair
from qmgraph.synth.corpus import SynthSpec, synthetic_corpus


def brute_force(corpus, sample: list[str], params: LinkParams) -> tuple[set, int, float, int]:
    """Best graded target per higher level for each sampled lower activity, over all
    eligible pairs. Returns (links, pairs scored, seconds, eligible pairs in the corpus)."""
    acts = sorted(corpus.activities(), key=lambda a: a.iri)
    years = [a.year for a in acts]
    hier = Hierarchy(corpus.jurisdictions)
    idx = NgramIndex.build(acts, years, hier, params)
    parts: dict[tuple[int | None, str], list[int]] = {}
    for i, a in enumerate(acts):
        parts.setdefault((years[i], jkey(a.jurisdiction)), []).append(i)
    eligible_total = sum(
        len(parts.get((years[i], anc), ()))
        for i, a in enumerate(acts)
        for anc in hier.ancestors(a.jurisdiction)
    )
    pos = {a.iri: i for i, a in enumerate(acts)}
    found: set[tuple[str, str]] = set()
    scored = 0
    t0 = time.perf_counter()
    for iri in sample:
        i = pos[iri]
        low = acts[i]
        best: dict[int, tuple[tuple, int]] = {}
        for anc in hier.ancestors(low.jurisdiction):
            for h in parts.get((years[i], anc), ()):
                high = acts[h]
                if not hier.contains(high.jurisdiction, low.jurisdiction):
                    continue
                scored += 1
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
                    params,
                )
                if ps.grade is None:
                    continue
                key = (-ps.score, 0 if ps.grade == "verbatim" else 1, high.iri)
                lvl = rank(high.jurisdiction)
                if lvl not in best or key < best[lvl][0]:
                    best[lvl] = (key, h)
        for _, h in best.values():
            found.add((low.iri, acts[h].iri))
    return found, scored, time.perf_counter() - t0, eligible_total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=400, help="lower activities brute-forced")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    spec = SynthSpec(
        provinces=31,
        cities_per_province=10,
        national_acts=400,
        provincial_acts=130,
        city_acts=50,
        seed=args.seed,
    )
    t0 = time.perf_counter()
    syn = synthetic_corpus(spec)
    gen_s = time.perf_counter() - t0
    corpus, truth = syn.corpus, syn.truth
    n = len(corpus.activities())
    params = LinkParams()

    t0 = time.perf_counter()
    links, stats = link_with_stats(corpus, params=params)
    link_s = time.perf_counter() - t0
    got = {(m.source, m.target) for m in links}
    tp = len(got & truth)

    lowers = sorted(a.iri for a in corpus.activities() if a.jurisdiction.level != "national")
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(lowers, min(args.sample, len(lowers))))
    bf, bf_scored, bf_s, eligible = brute_force(corpus, sample, params)
    sample_set = set(sample)
    got_s = {p for p in got if p[0] in sample_set}
    per_pair = bf_s / bf_scored if bf_scored else 0.0
    bf_full_s = per_pair * eligible
    result = {
        "activities": n,
        "true_links": len(truth),
        "generate_s": round(gen_s, 2),
        "link_s": round(link_s, 2),
        "link_scored_pairs": stats.scored_pairs,
        "all_pairs_n2_over_2": n * (n - 1) // 2,
        "eligible_pairs": eligible,
        "brute_sample_lower_activities": len(sample),
        "brute_sample_pairs_scored": bf_scored,
        "brute_sample_s": round(bf_s, 2),
        "brute_full_s_extrapolated": round(bf_full_s, 1),
        "speedup_extrapolated": round(bf_full_s / link_s, 1) if link_s else None,
        "recall_vs_brute_on_sample": round(len(got_s & bf) / len(bf), 4) if bf else None,
        "brute_links_on_sample": len(bf),
        "index_links_on_sample": len(got_s),
        "precision_vs_truth": round(tp / len(got), 4) if got else None,
        "recall_vs_truth": round(tp / len(truth), 4) if truth else None,
    }
    print(json.dumps(result, indent=2))
    rows = [
        ("activities", f"{n:,}"),
        ("true links (by construction)", f"{len(truth):,}"),
        ("indexed link time", f"{link_s:.1f} s ({stats.scored_pairs:,} pairs scored)"),
        ("eligible pairs (same year, down the hierarchy)", f"{eligible:,}"),
        ("all pairs n(n-1)/2", f"{n * (n - 1) // 2:,}"),
        (
            "brute force (sample)",
            f"{bf_s:.1f} s for {len(sample)} lower activities, {bf_scored:,} pairs",
        ),
        ("brute force (extrapolated to all eligible pairs)", f"{bf_full_s:,.0f} s"),
        ("speedup (extrapolated)", f"{result['speedup_extrapolated']}x"),
        ("recall vs brute force (sample)", f"{result['recall_vs_brute_on_sample']}"),
        (
            "precision / recall vs truth",
            f"{result['precision_vs_truth']} / {result['recall_vs_truth']}",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print("\nbrute-force time is extrapolated from the sample (time per pair × eligible pairs).")


if __name__ == "__main__":
    main()
