"""Small timings the test suite used to assert and no longer does (speed is a benchmark's
number, not a test's pass or fail: a loaded machine made those tests fail at random).

    .venv/bin/python bench/micro.py [--repeat 3]

Each case builds its input with the same helper as the test that checks its results, then
prints the best wall and CPU seconds of ``--repeat`` runs (the closure: one run) as one JSON
line:

- ``places.find_all``: the gazetteer on ~20,000 characters of running text
  (tests/lexicon/test_places.py::test_find_all_on_a_long_text; was asserted < 0.05 s);
- ``evaluate.larger_graph``: ``qmgraph evaluate`` on the contract graph plus 4,000
  activities (tests/test_evaluate.py; was asserted < 5 s);
- ``viz.views_100k`` and ``viz.page_data_100k``: loading a 100k-triple graph and its three
  networkx views, then the explorer page's data (tests/viz/test_scale.py; was < 10 s, < 15 s);
- ``ontology.owlrl_closure``: the OWL RL closure of the ontology with the valid contract
  dataset (tests/validate/test_ontology.py; was < 60 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' input builders


def best(fn: Callable[[], object], repeat: int) -> dict:
    """Best wall and CPU seconds of ``repeat`` calls of ``fn``."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return {"wall_s": round(min(walls), 4), "cpu_s": round(min(cpus), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)

    import owlrl

    from qmgraph.evaluate import evaluate
    from qmgraph.lexicon.places import Gazetteer
    from qmgraph.viz import to_networkx
    from qmgraph.viz.html import page_data
    from qmgraph.viz.load import load_facts
    from tests.lexicon.test_places import long_text
    from tests.test_evaluate import larger_graph, mini_gold
    from tests.validate.test_ontology import ontology_with_valid_data
    from tests.viz.test_scale import synthetic

    out: dict[str, dict] = {}
    gz, text = Gazetteer.load(), long_text()
    gz.find_all(text[:1000])  # its tables are loaded lazily: not part of the figure
    out["places.find_all"] = best(lambda: gz.find_all(text), a.repeat)

    ds, gold = larger_graph().ds, mini_gold()
    out["evaluate.larger_graph"] = best(lambda: evaluate(ds, gold), a.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.nq"
        synthetic(path)
        out["viz.views_100k"] = best(lambda: [  # one load, then the three views
            to_networkx(f, v) for f in [load_facts(path)]
            for v in ("hierarchy", "lineage", "campaigns")
        ], a.repeat)
        facts = load_facts(path)
        out["viz.page_data_100k"] = best(lambda: page_data(facts), a.repeat)

    out["ontology.owlrl_closure"] = best(lambda: owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics).expand(ontology_with_valid_data()), 1)
    for name, figures in out.items():
        print(json.dumps({"case": name, **figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
