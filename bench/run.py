"""qmgraph benchmark: one command (``make bench``), JSON + a readable table.

Measures, in one run, on synthetic corpora from ``qmgraph.synth`` (seed 1):

* build throughput (notices/s, activities/s, triples/s; no SHACL) at 100, 1,000 and 5,000
  notices, and its ratio to a floor (read + decode + OpenCC t2s of the same files);
* structure accuracy (place, year, blocks) and mirror precision/recall vs the synthetic truth;
* a full build with SHACL validation of the 1,000-notice corpus: validation vs extraction
  time and peak RSS (``os.wait4`` rusage of the child process);
* incremental rebuild (1 of 1,000 notices edited; three rounds, each editing another notice,
  the median reported; build cache warm, validation on, TriG and Turtle) vs a full build
  without cache of the same inputs, and whether their outputs are byte-identical;
* linking (``qmgraph.link``) at ≈10k / 50k / 100k activities against brute-force all-pairs
  scoring on a sample of lower activities (``bench/link_bench.brute_force``), extrapolated;
* each canned query's latency on the 1,000-notice graph: embedded pyoxigraph store vs a
  plain rdflib in-memory Dataset.

Every build runs in a fresh child process. ``--quick`` scales everything down (for a smoke
test). Results go to ``bench/results.json``.

    .venv/bin/python bench/run.py [--quick] [--jobs 2] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


# ------------------------------------------------------------------ children


def _child_build(a: dict) -> dict:
    """One build in this (child) process; returns timings, counts and truth scores."""
    from qmgraph.cache import NoticeCache
    from qmgraph.pipeline import build
    from qmgraph.synth import SynthTruth, score_links, score_structure

    cache = NoticeCache(a["cache"]) if a.get("cache") else None
    t0 = time.perf_counter()
    r = build([a["notices"]], a["out"], jobs=a.get("jobs", 1), cache=cache or False,
                   validate=a.get("validate", False), formats=tuple(a.get("formats", ["trig"])))
    wall = time.perf_counter() - t0
    s = r.summary()
    out = {"wall_s": wall, "timings": r.timings, "notices": s["notices"],
           "activities": s["activities"], "triples": s["triples"], "mirrors": s["mirrors"],
           "violations": s["violations"], "failed_inputs": len(r.failed_inputs)}
    if cache is not None:
        out["reuse"] = _jsonable(r.reuse)
    if a.get("truth"):
        truth = SynthTruth.load(a["truth"])
        out["structure"] = score_structure(r.corpus, truth).to_json()
        out["links"] = score_links(r.corpus, r.corpus.mirrors, truth).to_json()
    return out


def _jsonable(x):
    """``x`` with dataclasses and other objects turned into JSON-friendly values."""
    import dataclasses

    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return _jsonable(dataclasses.asdict(x))
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x if isinstance(x, (int, float, str, bool, type(None))) else str(x)


def _child_floor(a: dict) -> dict:
    """Read + decode + OpenCC t2s of every file: the least any build must do."""
    import opencc

    from qmgraph.ingest.decode import decode_bytes

    conv = opencc.OpenCC("t2s")
    t0 = time.perf_counter()
    chars = 0
    for p in sorted(Path(a["notices"]).iterdir()):
        text, _ = decode_bytes(p.read_bytes(), str(p))
        chars += len(conv.convert(text))
    return {"wall_s": time.perf_counter() - t0, "chars": chars}


def _child_rdflib_queries(a: dict) -> dict:
    """Load the graph into a plain rdflib Dataset, then time each query, printing one JSON
    line per query as it finishes (the parent kills a query that runs too long)."""
    import rdflib

    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(a["graph"], format="trig")
    print(json.dumps({"load_s": time.perf_counter() - t0}), flush=True)
    for name, text in a["queries"].items():
        t0 = time.perf_counter()
        try:
            rows = len(list(ds.query(text)))
            res = {"s": time.perf_counter() - t0, "rows": rows}
        except Exception as exc:  # noqa: BLE001 - report, do not abort the benchmark
            res = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        print(json.dumps({"query": name, **res}), flush=True)
    return {"done": True}


def rdflib_queries(graph: str, queries: dict[str, str], per_query: float, budget: float) -> dict:
    """Time ``queries`` on rdflib in child processes; a query slower than ``per_query`` s is
    killed (reported as a timeout) and a new child continues with the rest, within
    ``budget`` s overall."""
    out: dict = {"queries": {}}
    todo = list(queries)
    start = time.monotonic()
    while todo:
        if time.monotonic() - start > budget:
            for name in todo:
                out["queries"][name] = {"error": "not run (benchmark time budget)"}
            break
        cmd = [sys.executable, __file__, "--child", "rdflib",
               json.dumps({"graph": graph, "queries": {q: queries[q] for q in todo}})]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=ROOT)
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        buf, last = "", time.monotonic()
        loaded = False
        while True:
            chunk = (proc.stdout.read() or b"").decode("ascii")
            buf += chunk
            while "\n" in buf:
                line, buf = buf.split("\n", 1)
                d = json.loads(line)
                last = time.monotonic()
                if "load_s" in d:
                    out.setdefault("load_s", d["load_s"])
                    loaded = True
                elif "query" in d:
                    out["queries"][d.pop("query")] = d
                    todo.pop(0)
            if proc.poll() is not None and not chunk:
                break
            limit = per_query if loaded else per_query + 300
            if time.monotonic() - last > limit:
                proc.kill()
                proc.wait()
                if todo and loaded:
                    out["queries"][todo.pop(0)] = {"error": f"timed out after {per_query:.0f} s"}
                elif not loaded:
                    out["error"] = "rdflib load timed out"
                    todo.clear()
                break
            time.sleep(0.05)
        if proc.returncode not in (0, None, -9) and todo:
            out["queries"][todo.pop(0)] = {"error": f"child exited {proc.returncode}"}
    return out


_CHILDREN = {"build": _child_build, "floor": _child_floor, "rdflib": _child_rdflib_queries}


def run_child(kind: str, args: dict, timeout: float | None = None) -> dict:
    """Run ``kind`` in a fresh interpreter; its result plus its own peak RSS (MiB)."""
    cmd = [sys.executable, __file__, "--child", kind, json.dumps(args)]
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout:.0f} s"}
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        return {"error": f"child exited {proc.returncode}: {text[-500:]}"}
    res = json.loads(text.strip().splitlines()[-1])
    res["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)
    return res


# ------------------------------------------------------------------ sections


def bench_builds(work: Path, sizes: list[int], jobs: int, log) -> dict:
    from qmgraph.synth import generate

    out: dict = {}
    for n in sizes:
        d = work / f"s{n}"
        t0 = time.perf_counter()
        truth = generate(n, 1, d)
        gen_s = time.perf_counter() - t0
        log(f"  generated {n} notices ({len(truth.activities)} activities) in {gen_s:.1f} s")
        floor = run_child("floor", {"notices": str(d / "notices")})
        b = run_child("build", {"notices": str(d / "notices"), "out": str(d / "out"),
                                "truth": str(d / "truth.json"), "formats": ["trig"]})
        row = {"generate_s": round(gen_s, 2), "floor_s": round(floor["wall_s"], 2), **b}
        if "error" not in b:
            w = b["wall_s"]
            row.update({"notices_per_s": round(b["notices"] / w, 1),
                        "activities_per_s": round(b["activities"] / w, 0),
                        "triples_per_s": round(b["triples"] / w, 0),
                        "build_over_floor": round(w / floor["wall_s"], 1)})
            log(f"  build {n}: {w:.1f} s ({row['notices_per_s']} notices/s), "
                f"floor {floor['wall_s']:.2f} s, peak {b['peak_rss_mib']} MiB")
        if jobs > 1 and n == sizes[1]:
            bj = run_child("build", {"notices": str(d / "notices"), "out": str(d / "outj"),
                                     "jobs": jobs, "formats": ["trig"]})
            row["jobs"] = {"jobs": jobs, **{k: bj.get(k) for k in ("wall_s", "timings",
                                                                    "peak_rss_mib", "error")}}
            log(f"  build {n} with --jobs {jobs}: {bj.get('wall_s', 0):.1f} s")
        out[str(n)] = row
    return out


def bench_validated(work: Path, n: int, log) -> dict:
    d = work / f"s{n}"
    b = run_child("build", {"notices": str(d / "notices"), "out": str(d / "outv"),
                            "validate": True, "formats": ["trig"]})
    if "error" not in b:
        t = b["timings"]
        b["validate_over_extract"] = round(t["validate"] / t["extract+resolve"], 1)
        log(f"  validated build {n}: {b['wall_s']:.1f} s (validate {t['validate']:.1f} s, "
            f"extract+resolve {t['extract+resolve']:.1f} s), peak {b['peak_rss_mib']} MiB")
    return b


def _edit_one(folder: Path, n: int, nth: int = 0) -> Path:
    """Change one city notice of the corpus in place (the ``nth`` from the middle): a
    sentence added to one activity (a real edit — new text to extract, resolve, link,
    validate and write)."""
    files = sorted(folder.iterdir())
    cities = []
    for victim in files[n // 2:] + files[: n // 2]:
        code = victim.name.split("_")[1] if victim.name.count("_") >= 2 else ""
        if code.endswith("00") and not code.endswith("0000"):
            cities.append(victim)
            if len(cities) > nth:
                break
    victim = cities[-1]
    data = victim.read_bytes()
    enc = "gb18030" if _is_gb(data) else "utf-8"
    text = data.decode(enc)
    at = text.index("。", len(text) * 2 // 5) + 1
    text = text[:at] + "同时组织计量技术专家走进产业园区开展质量帮扶。" + text[at:]
    victim.write_bytes(text.encode(enc))
    return victim


#: Edits measured by ``bench_incremental`` (each a different notice); the median is reported.
ROUNDS = 3


def bench_incremental(work: Path, n: int, log, rounds: int = ROUNDS) -> dict:
    """A full build with the build cache, then ``rounds`` times: one notice changed, the
    rebuild with the cache, and a full build of the same inputs without cache (right
    after, so both meet the same load on the machine), on the default settings
    (validation on, TriG and Turtle). Reports each round's rebuild over full build and
    the median, and whether every rebuild's outputs were byte-identical to the full one."""
    src = work / f"s{n}" / "notices"
    d = work / f"inc{n}"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(src, d / "notices")
    cache = d / "cache"
    args = {"notices": str(d / "notices"), "out": str(d / "out"), "cache": str(cache),
            "formats": ["trig", "ttl"], "validate": True}
    cold = run_child("build", args)
    per: list[dict] = []
    for k in range(rounds):
        victim = _edit_one(d / "notices", n, nth=k)
        warm = run_child("build", args)
        plain = run_child("build", {**args, "cache": None, "out": str(d / "out2")})
        same = all((d / "out" / f).read_bytes() == (d / "out2" / f).read_bytes()
                   for f in ("qmgraph.trig", "qmgraph.ttl", "mirrors.sssom.tsv",
                             "validation-report.txt", "validation-report.ttl"))
        one = {"changed": victim.name, "full_build_s": plain.get("wall_s"),
               "incremental_build_s": warm.get("wall_s"),
               "incremental_timings": warm.get("timings"), "full_timings": plain.get("timings"),
               "reuse": warm.get("reuse"), "outputs_identical_to_full": same}
        if all(isinstance(x, float) for x in (plain.get("wall_s"), warm.get("wall_s"))):
            one["fraction_of_full"] = round(warm["wall_s"] / plain["wall_s"], 3)
            log(f"  round {k + 1}: {victim.name} changed: {warm['wall_s']:.2f} s vs full "
                f"{plain['wall_s']:.1f} s ({one['fraction_of_full']:.1%}); outputs identical: "
                f"{same}")
        per.append(one)
    done = [r for r in per if "fraction_of_full" in r]
    res: dict = {"cold_cache_build_s": cold.get("wall_s"), "rounds": per,
                 "outputs_identical_to_full": bool(per) and all(
                     r["outputs_identical_to_full"] for r in per)}
    if done:
        mid = sorted(done, key=lambda r: r["fraction_of_full"])[len(done) // 2]
        res.update({"fraction_of_full": mid["fraction_of_full"],
                    "incremental_build_s": mid["incremental_build_s"],
                    "full_build_s": mid["full_build_s"],
                    "incremental_timings": mid["incremental_timings"],
                    "fractions": [r["fraction_of_full"] for r in done]})
    return res


def _is_gb(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


_LINK_SPECS = {  # ≈ activities: national×2 (decoy year) + provincial + city
    "10k": dict(provinces=31, cities_per_province=10, national_acts=200, provincial_acts=60,
                city_acts=25),
    "50k": dict(provinces=31, cities_per_province=12, national_acts=600, provincial_acts=250,
                city_acts=110),
    "100k": dict(provinces=31, cities_per_province=15, national_acts=1000, provincial_acts=450,
                 city_acts=180),
}


def bench_link(scales: list[str], sample: int, log) -> dict:
    from link_bench import brute_force  # bench/link_bench.py (lineage engineer's)

    from qmgraph.link import LinkParams, link_with_stats
    from qmgraph.synth.corpus import SynthSpec, synthetic_corpus

    out: dict = {}
    params = LinkParams()
    for name in scales:
        syn = synthetic_corpus(SynthSpec(**_LINK_SPECS[name], seed=7))
        corpus, truth = syn.corpus, syn.truth
        n = len(corpus.activities())
        t0 = time.perf_counter()
        links, stats = link_with_stats(corpus, params=params)
        link_s = time.perf_counter() - t0
        got = {(m.source, m.target) for m in links}
        lowers = sorted(a.iri for a in corpus.activities() if a.jurisdiction.level != "national")
        rng = random.Random(7)
        smp = sorted(rng.sample(lowers, min(sample, len(lowers))))
        bf, scored, bf_s, eligible = brute_force(corpus, smp, params)
        sset = set(smp)
        got_s = {p for p in got if p[0] in sset}
        bf_full = bf_s / scored * eligible if scored else 0.0
        tp = len(got & truth)
        out[name] = {"activities": n, "link_s": round(link_s, 2),
                     "scored_pairs": stats.scored_pairs, "eligible_pairs": eligible,
                     "brute_sample": len(smp), "brute_sample_s": round(bf_s, 2),
                     "brute_full_s_extrapolated": round(bf_full, 1),
                     "speedup": round(bf_full / link_s, 1) if link_s else None,
                     "recall_vs_brute": round(len(got_s & bf) / len(bf), 4) if bf else None,
                     "precision_vs_truth": round(tp / len(got), 4) if got else None,
                     "recall_vs_truth": round(tp / len(truth), 4) if truth else None}
        log(f"  link {name}: {n:,} activities in {link_s:.1f} s; brute force ≈ "
            f"{bf_full:,.0f} s (×{out[name]['speedup']}), recall vs brute "
            f"{out[name]['recall_vs_brute']}")
        del syn, corpus, links
    return out


#: A value for each required parameter (docs/decisions/0031): a search word, and for a chain
#: the first activity (by IRI) that mirrors something.
_FIRST_START = ("PREFIX qm: <https://w3id.org/qmgraph/ontology#>\n"
                "SELECT ?a WHERE { GRAPH ?g { ?a qm:mirrors ?m } } ORDER BY ?a LIMIT 1")


def _required_values(cq, graph: Path) -> dict[str, str]:
    from qmgraph.query import run_sparql

    out: dict[str, str] = {}
    for p in cq.params.values():
        if p.required and p.name == "text":
            out["text"] = "计量"
        elif p.required and p.name == "activity":
            rows = run_sparql(_FIRST_START, graph=graph).rows
            if rows:
                out["activity"] = rows[0]["a"]
    return out


def bench_queries(graph: Path, log, rdflib_timeout: float) -> dict:
    from qmgraph.query import bind, clear_cache, embedded_store, list_queries, run_query

    clear_cache()
    t0 = time.perf_counter()
    embedded_store(graph)
    load = time.perf_counter() - t0
    texts: dict[str, str] = {}
    res: dict = {"oxigraph_load_s": round(load, 2), "queries": {}}
    for cq in list_queries():
        name = cq.name
        params = _required_values(cq, graph)
        texts[name] = bind(cq, params)
        times, rows = [], 0
        for _ in range(3):
            t0 = time.perf_counter()
            rows = len(run_query(cq, params=params, graph=graph))
            times.append(time.perf_counter() - t0)
        res["queries"][name] = {"oxigraph_s": round(statistics.median(times), 4), "rows": rows}
    log(f"  oxigraph: load {load:.1f} s; " + ", ".join(
        f"{k} {v['oxigraph_s'] * 1000:.0f} ms" for k, v in res["queries"].items()))
    rd = rdflib_queries(str(graph), texts, per_query=rdflib_timeout, budget=240)
    res["rdflib_load_s"] = round(rd["load_s"], 2) if "load_s" in rd else None
    res["rdflib_error"] = rd.get("error")
    for name, v in rd.get("queries", {}).items():
        q = res["queries"][name]
        q["rdflib_s"] = round(v["s"], 3) if "s" in v else None
        q["rdflib_rows"] = v.get("rows")
        q["rdflib_error"] = v.get("error")
        if q.get("rdflib_s") and q["oxigraph_s"]:
            q["rdflib_over_oxigraph"] = round(q["rdflib_s"] / q["oxigraph_s"], 1)
    log(f"  rdflib: load {res['rdflib_load_s']} s; " + ", ".join(
        f"{k} {v.get('rdflib_s')} s" for k, v in res["queries"].items()))
    return res


# ------------------------------------------------------------------ report


def table(r: dict) -> str:
    """The readable summary of a results dict."""
    lines = ["| measure | value |", "|---|---|"]

    def row(k: str, v: object) -> None:
        lines.append(f"| {k} | {v} |")

    for n, b in r.get("builds", {}).items():
        if "error" in b:
            row(f"build {n} notices", b["error"][:80])
            continue
        t = b["timings"]
        row(f"build {n} notices (no SHACL)",
            f"{b['wall_s']:.1f} s: {b['notices_per_s']} notices/s, {b['activities_per_s']:,.0f} "
            f"activities/s, {b['triples_per_s']:,.0f} triples/s; {b['activities']:,} activities, "
            f"{b['triples']:,} triples")
        row(f"  stages {n}", ", ".join(f"{k} {v:.1f} s" for k, v in t.items()))
        row(f"  vs floor (read+decode+OpenCC {b['floor_s']:.2f} s)", f"×{b['build_over_floor']}")
        row(f"  peak RSS {n}", f"{b['peak_rss_mib']} MiB")
        st, lk = b.get("structure"), b.get("links")
        if st:
            row(f"  structure {n}", f"place {st['place_accuracy']:.1%}, year "
                f"{st['year_accuracy']:.1%}, blocks found {st['block_recall']:.1%} "
                f"(extra {st['blocks_extra']}), notices exact {st['notices_exact']:.1%}"
                + (f"; {st['prose_documents']} prose documents, genre "
                   f"{st['genre_accuracy']:.1%}, background/speech sentences made activities "
                   f"{st['non_activity_leaks']}" if "prose_documents" in st else ""))
        if lk:
            row(f"  mirrors vs truth {n}", f"P {lk['precision']:.3f} R {lk['recall']:.3f}; "
                f"blocks P {lk['block_precision']:.3f} R {lk['block_recall']:.3f}")
        if b.get("jobs") and b["jobs"].get("wall_s"):
            j = b["jobs"]
            row(f"  --jobs {j['jobs']} {n}", f"{j['wall_s']:.1f} s (extract+resolve "
                f"{j['timings']['extract+resolve']:.1f} s vs {t['extract+resolve']:.1f} s)")
    v = r.get("validated")
    if v and "error" not in v:
        t = v["timings"]
        row(f"validated build {r['validated_n']} notices",
            f"{v['wall_s']:.1f} s; SHACL {t['validate']:.1f} s vs extract+resolve "
            f"{t['extract+resolve']:.1f} s (×{v['validate_over_extract']}); peak RSS "
            f"{v['peak_rss_mib']} MiB")
    inc = r.get("incremental")
    if inc and inc.get("fraction_of_full") is not None:
        it = inc["incremental_timings"]
        row("incremental rebuild (1 changed)", f"median of {len(inc['fractions'])} edits: "
            f"{inc['incremental_build_s']:.2f} s vs full {inc['full_build_s']:.1f} s = "
            f"{inc['fraction_of_full']:.1%} (each: "
            + ", ".join(f"{f:.1%}" for f in inc["fractions"]) + f"); outputs identical "
            f"{inc['outputs_identical_to_full']} ("
            + ", ".join(f"{k} {v:.2f}" for k, v in it.items()) + ")")
    for name, lk in r.get("link", {}).items():
        row(f"link {name} ({lk['activities']:,} activities)",
            f"{lk['link_s']:.1f} s vs brute force ≈{lk['brute_full_s_extrapolated']:,.0f} s "
            f"(×{lk['speedup']}); recall vs brute {lk['recall_vs_brute']}; P/R vs truth "
            f"{lk['precision_vs_truth']}/{lk['recall_vs_truth']}")
    q = r.get("queries")
    if q:
        row("query graph load", f"oxigraph {q['oxigraph_load_s']} s, rdflib {q['rdflib_load_s']} s")
        for name, x in q["queries"].items():
            rd = f"{x['rdflib_s']:.2f} s" if x.get("rdflib_s") is not None else \
                (x.get("rdflib_error") or q.get("rdflib_error") or "-")
            row(f"query {name}", f"oxigraph {x['oxigraph_s'] * 1000:.0f} ms ({x['rows']} rows), "
                f"rdflib {rd}")
    return "\n".join(lines)


SECTIONS = ("builds", "validated", "incremental", "queries", "linking")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--jobs", type=int, default=2, help="also time the middle build with N jobs")
    ap.add_argument("--sample", type=int, default=150, help="lower activities brute-forced")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    ap.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--only", choices=SECTIONS, action="append",
                    help="run only these sections (repeatable); their results replace the "
                    "same sections in --out")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, payload = args.child
        print(json.dumps(_CHILDREN[kind](json.loads(payload))))
        return

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    sizes = [20, 100, 300] if args.quick else [100, 1000, 5000]
    mid = sizes[1]
    scales = ["10k"] if args.quick else ["10k", "50k", "100k"]
    work = Path(args.work or tempfile.mkdtemp(prefix="qmgraph-bench-"))
    t_all = time.perf_counter()
    only = set(args.only or SECTIONS)
    r: dict = {}
    if args.only and Path(args.out).exists():
        r = json.loads(Path(args.out).read_text(encoding="utf-8"))
    r.update({"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "sizes": sizes, "quick": args.quick})

    def corpus(n: int) -> None:
        if not (work / f"s{n}" / "notices").is_dir():
            from qmgraph.synth import generate

            generate(n, 1, work / f"s{n}")

    try:
        if "builds" in only:
            log("builds")
            r["builds"] = bench_builds(work, sizes, args.jobs, log)
        if "validated" in only or "queries" in only:
            corpus(mid)
            log("validated build")
            r["validated_n"] = mid
            r["validated"] = bench_validated(work, mid, log)
        if "incremental" in only:
            corpus(mid)
            log("incremental")
            r["incremental"] = bench_incremental(work, mid, log)
        if "queries" in only:
            log("queries")
            r["queries"] = bench_queries(work / f"s{mid}" / "outv" / "qmgraph.trig", log,
                                         rdflib_timeout=30)
        if "linking" in only:
            log("linking")
            r["link"] = bench_link(scales, args.sample if not args.quick else 50, log)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    r["total_s"] = round(time.perf_counter() - t_all, 1)
    Path(args.out).write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(r, ensure_ascii=False, indent=2))
    print()
    print(table(r))
    print(f"\ntotal {r['total_s']:.0f} s; results in {args.out}")


if __name__ == "__main__":
    main()
