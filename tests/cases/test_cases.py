"""Snapshot cases, one folder each (morph-kgc style): ``input.*`` → ``expected.ttl``.

The graph built from the input alone — by ``qmgraph.api.build``, the path the CLI takes,
written as Turtle (the union of its graphs) — must be isomorphic to the expected graph,
compared as RDF, not as text. Regenerate after an intended change with
``pytest tests/cases --generate-snapshots`` (the option is in ``tests/conftest.py``) and
review the diff before committing; without the option a case without ``expected.ttl``
fails (a deleted snapshot must not pass silently).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from qmgraph.api import build

CASES = sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _build(case: Path, out: Path) -> bytes:
    (inp,) = sorted(case.glob("input.*"))
    result = build(inp, out, formats=("ttl",), validate=False, cache=False)
    assert not result.problems, result.problems
    return (out / "qmgraph.ttl").read_bytes()


def check_case(case: Path, out: Path, *, generate: bool) -> None:
    """Compare the graph of ``case`` (built into ``out``) with its ``expected.ttl``; with
    ``generate``, first (re)write ``expected.ttl`` from the graph built now."""
    data = _build(case, out)
    got = Graph().parse(data=data, format="turtle")
    expected_path = case / "expected.ttl"
    if generate:
        expected_path.write_bytes(data)
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing: run pytest tests/cases --generate-snapshots, "
                    "review the graph and commit it")
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(got, expected):
        _both, only_got, only_exp = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = sorted(f"+ {t}" for t in only_got)[:20] + sorted(f"- {t}" for t in only_exp)[:20]
        pytest.fail("graph differs from expected.ttl:\n" + "\n".join(lines))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, request: pytest.FixtureRequest, tmp_path: Path):
    check_case(case, tmp_path / "out", generate=request.config.getoption("--generate-snapshots"))


def test_missing_snapshot_fails(tmp_path: Path):
    """A case whose expected.ttl was deleted fails; it is written only on request."""
    case = tmp_path / "case"
    case.mkdir()
    (case / "input.txt").write_bytes((CASES[0] / "input.txt").read_bytes())
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        check_case(case, tmp_path / "out", generate=False)
    assert not (case / "expected.ttl").exists()
    check_case(case, tmp_path / "out", generate=True)
    assert (case / "expected.ttl").is_file()
    check_case(case, tmp_path / "out", generate=False)
