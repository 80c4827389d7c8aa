"""Snapshot cases, one folder each (morph-kgc style): ``input.*`` → ``expected.ttl``.

The graph built from the input alone (its union graph) must be isomorphic to the expected
graph — compared as RDF, not as text. Regenerate after an intended change with
``QMGRAPH_REGEN=1 pytest tests/cases`` and review the diff before committing; a case
without ``expected.ttl`` fails (a deleted snapshot must not pass silently).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from qmgraph.emit import corpus_quads
from qmgraph.emit.write import serialize
from qmgraph.pipeline import link_corpus, resolve_paths

CASES = sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _build(case: Path) -> bytes:
    (inp,) = sorted(case.glob("input.*"))
    corpus = resolve_paths([inp])
    link_corpus(corpus)
    return serialize(corpus_quads(corpus), "ttl")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path):
    got = Graph().parse(data=_build(case), format="turtle")
    expected_path = case / "expected.ttl"
    if os.environ.get("QMGRAPH_REGEN"):
        expected_path.write_bytes(_build(case))
        pytest.skip(f"regenerated {expected_path}")
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing: run QMGRAPH_REGEN=1 pytest tests/cases, "
                    "review the graph and commit it")
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(got, expected):
        _both, only_got, only_exp = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = sorted(f"+ {t}" for t in only_got)[:20] + sorted(f"- {t}" for t in only_exp)[:20]
        pytest.fail("graph differs from expected.ttl:\n" + "\n".join(lines))
