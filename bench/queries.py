"""Every canned query, with its defaults and with each parameter it declares, from the
command line on a built folder: best wall of N runs, the CPU seconds of that run, the lines
printed; or (``--dump DIR``) every row of every run written to DIR for a before/after check.

    .venv/bin/python bench/queries.py OUT [--runs 3] [--year 2015] [--json FILE]
    .venv/bin/python bench/queries.py OUT --dump DIR      # rows in order, one JSON per run
    .venv/bin/python bench/queries.py --compare DIR1 DIR2 # same rows (and same order)?

The parameter values are chosen to select something on a synthetic corpus (a year of it,
四川省, 昆仑…); ``--year`` picks the year. Listing queries run with their default limit and,
where the command line has it, with ``--all`` too (docs/decisions/0025-query-limits.md), and
the default runs also as the default table (the first 100 rows: the call a person makes).
A default run gives each required parameter its value (activity-search the text 计量,
activity-chain ``--activity`` or the first activity with a chain of two steps, decision 0031);
``--defaults`` times only those, every row as TSV and the table (docs/decisions/0028-query-output.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QMGRAPH = str(Path(sys.executable).parent / "qmgraph")


#: The value each parameter is given: one that selects rows on a synthetic corpus.
VALUES = {
    "province": "四川省", "place": "四川省", "min_score": "0.8", "min_copies": "3",
    "text": "计量", "series": "昆仑", "campaign": "昆仑", "sector": "water", "root": "四川省",
}


def param_sets(name: str, declared: list[str], year: str, activity: str | None,
               required: tuple[str, ...] = ()) -> list[dict]:
    """The default call first (defaults, and a value for each ``required`` parameter: the
    text of a search, the activity of a chain), then one run per other declared parameter
    with a value that selects rows."""
    values = {**VALUES, "year": year, "activity": activity}
    base = {p: values[p] for p in required if values.get(p)}
    if len(base) < len(required):
        return []  # a chain without an activity to start from
    out: list[dict] = [base]
    for p in declared:
        if p not in required and p in values and p != "activity":
            out.append({**base, p: values[p]})
    if name == "campaign-spread":
        out.append({"campaign": "电梯安全宣传周"})
        out.append({"campaign": "昆仑", "year": year})
    if name == "joint-organizers":
        out.append({"place": "全国"})
    if name == "jurisdiction-tree":
        out.append({"root": "*"})
    return out


def declared_params() -> dict[str, list[str]]:
    from qmgraph.query import list_queries

    return {q.name: list(q.params) for q in list_queries()}


def required_params() -> dict[str, tuple[str, ...]]:
    from qmgraph.query import list_queries

    return {q.name: tuple(p.name for p in q.params.values() if p.required) for q in list_queries()}


def first_chain_start(out: Path) -> str | None:
    """The first activity (by IRI) with a chain of two steps, or None."""
    from qmgraph.query import run_sparql

    graph = out / "qmgraph.trig" if out.is_dir() else out
    rows = run_sparql("PREFIX qm: <https://w3id.org/qmgraph/ontology#>\nSELECT ?a WHERE { "
                      "GRAPH ?g { ?a qm:mirrors ?m } GRAPH ?h { ?m qm:mirrors ?n } } "
                      "ORDER BY ?a LIMIT 1", graph=graph).rows
    return rows[0]["a"] if rows else None


def has_all_flag() -> bool:
    done = subprocess.run([QMGRAPH, "query", "--help"], capture_output=True, text=True, check=True)
    return "--all" in done.stdout


def cli_args(name: str, out: Path, params: dict) -> list[str]:
    args = [QMGRAPH, "query", name, "--graph", str(out), "--format", "tsv"]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    return args


def time_runs(out: Path, runs: int, year: str, activity: str | None, limit: float,
              defaults_only: bool = False, only: list[str] | None = None) -> list[dict]:
    all_flag = has_all_flag()
    required = required_params()
    if activity is None and (not only or "activity-chain" in only):
        activity = first_chain_start(out)
    rows: list[dict] = []
    for name, declared in declared_params().items():
        if only and name not in only:
            continue
        for i, params in enumerate(param_sets(name, declared, year, activity, required[name])):
            default_call = i == 0
            if defaults_only and not default_call:
                continue
            variants = [[]]
            if all_flag and default_call and not defaults_only:
                variants.append(["--all"])
            if default_call:  # the default call: a table of the first rows
                variants.append(["--format", "table"])
            for extra in variants:
                best: dict | None = None
                for _ in range(runs):
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    try:
                        done = subprocess.run(cli_args(name, out, params) + extra,
                                              capture_output=True, text=True, timeout=limit)
                    except subprocess.TimeoutExpired:
                        best = {"wall_s": f">{limit:g}"}
                        break
                    wall = time.perf_counter() - t0
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                    if done.returncode != 0:
                        best = {"wall_s": "failed", "error": done.stderr.strip()[-300:]}
                        break
                    if best is None or wall < best["wall_s"]:
                        best = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                                "lines": max(0, done.stdout.count("\n") - 1),
                                "stdout_sha1": hashlib.sha1(done.stdout.encode()).hexdigest()[:12],
                                "stderr": done.stderr.strip()[-120:],
                                "load": round(os.getloadavg()[0], 1)}
                rec = {"query": name, "params": params, "flags": " ".join(extra), **(best or {})}
                print(json.dumps(rec, ensure_ascii=False), flush=True)
                rows.append(rec)
    return rows


def dump(out: Path, dest: Path, year: str, activity: str | None, skip: tuple[str, ...] = (),
         start: str = "") -> None:
    """Every row of every run (all rows: no limit), in the order the query gives them;
    runs named in ``skip`` (``name.index``) and queries before ``start`` are left out."""
    from qmgraph.query import run_query

    dest.mkdir(parents=True, exist_ok=True)
    graph = out / "qmgraph.trig" if out.is_dir() else out
    if activity is None:  # the first activity with a chain of two steps
        activity = first_chain_start(out)
    required = required_params()
    for name, declared in declared_params().items():
        if name < start:
            continue
        for i, params in enumerate(param_sets(name, declared, year, activity, required[name])):
            if f"{name}.{i}" in skip:
                continue
            res = run_query(name, params=params, graph=graph)
            (dest / f"{name}.{i}.json").write_text(json.dumps(
                {"params": params, "columns": res.columns, "rows": res.values()},
                ensure_ascii=False) + "\n", encoding="utf-8")
            print(name, params, len(res), flush=True)


def compare(a: Path, b: Path) -> int:
    bad = 0
    for fa in sorted(a.glob("*.json")):
        fb = b / fa.name
        if not fb.is_file():
            print("missing", fb)
            bad += 1
            continue
        ja, jb = (json.loads(f.read_text(encoding="utf-8")) for f in (fa, fb))
        if ja["columns"] != jb["columns"]:
            print("columns differ", fa.name)
            bad += 1
        elif ja["rows"] != jb["rows"]:
            same_set = sorted(map(json.dumps, ja["rows"])) == sorted(map(json.dumps, jb["rows"]))
            print(("order differs" if same_set else "ROWS DIFFER"), fa.name, ja["params"],
                  len(ja["rows"]), len(jb["rows"]))
            bad += 0 if same_set else 1
        else:
            print("same", fa.name, len(ja["rows"]))
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", help="a build's output folder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--year", default="2015")
    ap.add_argument("--activity", default=None, help="an activity IRI for activity-chain")
    ap.add_argument("--limit", type=float, default=120.0, help="seconds before a run is stopped")
    ap.add_argument("--dump", default=None, help="write every run's rows to this folder")
    ap.add_argument("--skip", nargs="*", default=(), help="runs (name.index) not dumped")
    ap.add_argument("--start", default="", help="dump from this query name on")
    ap.add_argument("--compare", nargs=2, default=None, metavar=("DIR1", "DIR2"))
    ap.add_argument("--json", default=None, help="write the timings here")
    ap.add_argument("--defaults", action="store_true",
                    help="time the default runs only (every row as TSV and the default table)")
    ap.add_argument("--only", nargs="*", default=None, help="time these queries only")
    a = ap.parse_args()
    if a.only:
        unknown = sorted(set(a.only) - {p.stem for p in (ROOT / "queries").glob("*.rq")})
        if unknown:
            ap.error(f"no such canned query: {', '.join(unknown)}")
    if a.compare:
        sys.exit(1 if compare(Path(a.compare[0]), Path(a.compare[1])) else 0)
    out = Path(a.out)
    if a.dump:
        dump(out, Path(a.dump), a.year, a.activity, tuple(a.skip), a.start)
        return
    rows = time_runs(out, a.runs, a.year, a.activity, a.limit, a.defaults, a.only)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")


if __name__ == "__main__":
    main()
