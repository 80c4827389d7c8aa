"""Scale benchmark (issue 19): a corpus spread over years, built the way users build it.

Everything runs through the ``qmgraph`` command line in child processes, and the peak
memory is the largest sum of the resident sizes of the build's whole process tree (a
``--cluster local:2`` build counts its scheduler, nannies and workers), sampled every
0.2 s with psutil. Steps:

1. ``qmgraph synth --notices N --years FIRST-LAST`` (seed 11);
2. a one-process build without cache (wall, peak RSS, counts), SHACL on;
3. the same with ``--cluster local:2``, and whether every output is byte-identical;
4. a cached build, then a rebuild after editing one activity's text in one notice, then
   one after editing another notice's title (wall and ratio of each);
5. every canned query from the command line on the built folder (default params; best
   wall of 3 runs and its CPU seconds, with the load average);
6. lines of code of the package (``qmgraph/**/*.py``).

The machine's load average is printed before and after: the machine may be shared.

    .venv/bin/python bench/scale.py [--notices 10000] [--years 2005-2024] [--skip-cluster]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
QMGRAPH = str(Path(sys.executable).parent / "qmgraph")
OUTPUTS = ("qmgraph.trig", "qmgraph.ttl", "mirrors.sssom.tsv", "validation-report.ttl",
           "validation-report.txt")


def run_tree(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, the peak summed RSS of its process tree, exit code and
    stdout."""
    t0 = time.perf_counter()
    # stdout goes to a file, not a pipe: a pipe read only at the end fills (64 kB) and the
    # child then waits for ever (a 100,000-notice summary lists 3,000 problems)
    out_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=out_file, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            rss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    out_file.seek(0)
    out = out_file.read()
    out_file.close()
    return {"wall_s": time.perf_counter() - t0, "peak_rss_mib": peak / 2**20,
            "exit": proc.returncode, "stdout": out}


def digests(folder: Path) -> dict[str, str]:
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest()
            for f in OUTPUTS if (folder / f).is_file()}


def build(src: Path, out: Path, *extra: str) -> dict:
    r = run_tree([QMGRAPH, "build", str(src), "--out", str(out), "--keep-going", "-q",
                  "--json", *extra])
    try:
        info = json.loads(r.pop("stdout"))
        r["summary"], r["timings"] = info.get("summary"), info.get("timings_s")
    except ValueError:
        r["summary"] = None
    return r


def _activity_texts(path: Path) -> list[str]:
    """The texts of the activities qmgraph reads in ``path`` (to edit one of them)."""
    from qmgraph.pipeline import resolve_paths

    corpus = resolve_paths([path])
    return [a.text for n in corpus.notices for a in n.activities]


def edit_one(src: Path, kind: str, avoid: Path | None = None) -> Path:
    """Edit one notice in the middle of the corpus (same encoding). ``activity``: one
    character is added inside an activity's text (the notice's links may all change: its
    year window is linked again); ``title``: a word is added to the first line, outside
    every activity's text (the activities only move: decision 0042). ``avoid``: a notice
    edited already."""
    files = sorted(src.glob("*.txt"))
    for f in files[len(files) // 2:]:
        if f == avoid:
            continue
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if kind == "title":
            first, sep, rest = text.partition("\n")
            if sep and first.strip() and not any(first in a for a in _activity_texts(f)):
                f.write_bytes((first + "（更新）" + sep + rest).encode("utf-8"))
                return f
            continue
        for act in _activity_texts(f):
            at = text.find(act)
            if len(act) >= 8 and at >= 0 and text.count(act) == 1:
                mid = at + len(act) // 2
                f.write_bytes((text[:mid] + "和" + text[mid:]).encode("utf-8"))
                return f
    raise SystemExit(f"no notice to edit ({kind})")


def queries(out: Path, limit: float, runs: int = 3) -> dict[str, dict | str]:
    """Each canned query with its default parameters, from the command line, ``runs``
    times: the best wall, and the CPU seconds (user + system) of that run's process, which
    a busy machine stretches less than the wall; the load average beside them. A query still
    running after ``limit`` seconds is stopped and reported as ``>limit``. (``summary``
    reads the counts the build recorded: docs/decisions/0019-query-speed.md.)"""
    names = subprocess.run([QMGRAPH, "query", "--list"], capture_output=True, text=True,
                           check=True).stdout
    got: dict[str, dict | str] = {}
    for line in names.splitlines():
        if not line or line.startswith(" "):
            continue
        name = line.strip()
        best: dict | str = "failed"
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            try:
                done = subprocess.run([QMGRAPH, "query", name, "--graph", str(out),
                                       "--format", "tsv"], capture_output=True, text=True,
                                      check=False, timeout=limit)
            except subprocess.TimeoutExpired:
                best = f">{limit:g}"
                break
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                best = "failed"
                break
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if not isinstance(best, dict) or wall < best["wall_s"]:
                best = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                        "lines": max(0, done.stdout.count("\n") - 1),
                        "load": round(os.getloadavg()[0], 1)}
        got[name] = best
    return got


def lines_of_code() -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines())
               for p in (ROOT / "qmgraph").rglob("*.py"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notices", type=int, default=10_000)
    ap.add_argument("--years", default="2005-2024")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--skip-cluster", action="store_true")
    ap.add_argument("--skip-rebuild", action="store_true")
    ap.add_argument("--skip-builds", action="store_true",
                    help="reuse the one-process build in --work (queries and rebuild only)")
    ap.add_argument("--query-limit", type=float, default=60.0)
    ap.add_argument("--skip-queries", action="store_true")
    ap.add_argument("--record-listings", action="store_true",
                    help="the one-process build records the listings (decision 0036)")
    ap.add_argument("--work", default=None, help="folder to keep the corpus and builds in")
    ap.add_argument("--out", default=str(ROOT / "bench" / "scale-results.json"))
    a = ap.parse_args()
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="qmgraph-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"notices": a.notices, "years": a.years, "load_before": os.getloadavg(),
                 "cpus": os.cpu_count(), "lines_of_code": lines_of_code()}
    corpus = work / "corpus"
    if not (corpus / "truth.json").is_file():
        subprocess.run([QMGRAPH, "synth", "--notices", str(a.notices), "--seed", str(a.seed),
                        "--years", a.years, "--out", str(corpus)], check=True,
                       stdout=subprocess.DEVNULL)
    src = corpus / "notices"
    one = work / "one"
    if not a.skip_builds:
        shutil.rmtree(one, ignore_errors=True)
        res["single"] = build(src, one, "--no-cache",
                              *(["--record-listings"] if a.record_listings else []))
        print("single process:", json.dumps({k: v for k, v in res["single"].items()
                                             if k != "summary"}), flush=True)
    if not a.skip_cluster and not a.skip_builds:
        two = work / "two"
        shutil.rmtree(two, ignore_errors=True)
        res["local2"] = build(src, two, "--no-cache", "--cluster", "local:2")
        res["local2"]["identical"] = digests(one) == digests(two)
        print("local:2:", json.dumps({k: v for k, v in res["local2"].items()
                                      if k != "summary"}), flush=True)
    if not a.skip_queries:
        res["queries_s"] = queries(one, a.query_limit)
        print("queries:", json.dumps(res["queries_s"]), flush=True)
    if not a.skip_rebuild:
        cached = work / "cached"
        shutil.rmtree(cached, ignore_errors=True)
        full = build(src, cached)
        res["rebuild"] = {"full_s": full["wall_s"], "peak_rss_mib": full["peak_rss_mib"]}
        edited = None
        for kind in ("activity", "title"):
            edited = edit_one(src, kind, avoid=edited)
            again = build(src, cached)
            res["rebuild"][kind] = {"rebuild_s": again["wall_s"],
                                    "ratio": again["wall_s"] / full["wall_s"],
                                    "edited": edited.name, "timings": again.get("timings"),
                                    "peak_rss_mib": again["peak_rss_mib"]}
        print("rebuild:", json.dumps(res["rebuild"]), flush=True)
    res["load_after"] = os.getloadavg()
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n",
                           encoding="utf-8")
    print(f"\n{a.notices} notices over {a.years}; load {res['load_before']} → "
          f"{res['load_after']}; {res['lines_of_code']} lines of code")


if __name__ == "__main__":
    main()
