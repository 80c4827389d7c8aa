"""SHACL engines on one build: time of each, and whether their result sets are equal.

Builds the synthetic corpus ``qmgraph synth --notices N --seed S`` (without validation),
then validates its N-Quads, and a copy with errors injected
(``tests/validate/inject.py``), with every engine of ``qmgraph.validate.ENGINES``; prints
and writes (``--out``) each engine's time and counts, and whether all engines gave the same
results, field for field.

    .venv/bin/python bench/shacl_engines.py [--notices 1000] [--seed 7] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from qmgraph.pipeline import build
    from qmgraph.synth.generate import generate
    from qmgraph.validate import ENGINES, load_shapes, validate
    from tests.validate.inject import inject_errors

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rate", type=float, default=0.002, help="share of quads changed")
    ap.add_argument("--out", default=None, help="JSON file for the figures")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(a.notices, a.seed, work / "synth")
        build([work / "synth" / "notices"], work / "out", validate=False, formats=("nq",))
        clean = (work / "out" / "qmgraph.nq").read_bytes()
    shapes = load_shapes()
    figures: dict = {"notices": a.notices, "seed": a.seed, "quads": clean.count(b"\n")}
    for name, data in (("clean", clean), ("injected", inject_errors(clean, a.seed, a.rate))):
        rows = {}
        for engine in ENGINES:
            t = time.perf_counter()
            report = validate(data, engine=engine, shapes=shapes)
            took = time.perf_counter() - t
            rows[engine] = report
            figures[f"{name}/{engine}"] = {"seconds": round(took, 2), **report.counts()}
            print(f"{name:8} {engine:8} {took:7.2f} s  {report.counts()}", flush=True)
        keys = {e: [r.key() for r in rep.results] for e, rep in rows.items()}
        same = all(k == next(iter(keys.values())) for k in keys.values())
        figures[f"{name}/identical"] = same
        print(f"{name:8} identical results: {same}", flush=True)
    if a.out:
        Path(a.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
