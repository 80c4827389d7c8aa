"""The public Python API: build, open, typed query rows, validate, evaluate; the CLI shares
its defaults."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest

import qmgraph
from qmgraph.errors import InputError, QueryError

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO.parent / "shared" / "gold" / "seeds.json"


def test_public_surface() -> None:
    for name in ("build", "open", "validate", "evaluate", "export_tables", "list_queries",
                 "Graph", "Rows", "IRI", "LangText", "QmgraphError", "__version__"):
        assert hasattr(qmgraph, name), name
    assert set(qmgraph.__all__) >= {"build", "open", "validate", "evaluate", "export_tables"}


def test_build_result_has_counts_problems_and_paths(built) -> None:
    assert built.counts["notices"] == 5 and built.counts["mirrors"] > 0
    assert built.problems == [] and built.violations == 0
    assert built.graph == built.out_dir / "qmgraph.trig" and built.graph.is_file()
    names = {p.name for p in built.outputs}
    assert {"qmgraph.trig", "qmgraph.ttl", "mirrors.sssom.tsv", "validation-report.txt"} <= names


def test_query_rows_are_typed(built) -> None:
    g = qmgraph.open(built.out_dir)
    assert g.path == built.graph
    rows = g.query("provincial-mirrors-national", year=2022)
    assert len(rows) > 0
    r = rows[0]
    assert type(r["year"]) is int and r["year"] == 2022
    assert type(r["score"]) is float and 0 <= r["score"] <= 1
    assert isinstance(r["provincial_activity"], qmgraph.IRI)
    assert r["provincial_activity"].startswith("https://w3id.org/qmgraph/id/activity/")
    assert isinstance(r["province"], qmgraph.LangText) and r["province"].lang == "zh"
    assert isinstance(r["grade"], str) and not isinstance(r["grade"], qmgraph.LangText)
    # the same rows as strings are what the CLI prints
    assert rows.result.rows[0]["year"] == "2022"
    issued = g.sparql("PREFIX dcterms: <http://purl.org/dc/terms/> "
                      "SELECT ?d WHERE { ?n dcterms:issued ?d } ORDER BY ?d")
    assert len(issued) == 3 and all(type(r["d"]) is dt.date for r in issued)
    assert dt.date(2022, 8, 30) in {r["d"] for r in issued}


def test_query_params_take_python_values(built) -> None:
    g = qmgraph.open(built.graph)
    a = g.query("provincial-mirrors-national", year=2022, min_score=0.9)
    b = g.query("provincial-mirrors-national", year="2022", min_score="0.9")
    assert [dict(r) for r in a] == [dict(r) for r in b] and len(a) > 0
    assert all(r["score"] >= 0.9 for r in a)
    assert len(g.query("provincial-mirrors-national", year=None)) >= len(a)
    assert len(g.query("provincial-mirrors-national", year=1999)) == 0
    with pytest.raises(QueryError, match="unknown parameter"):
        g.query("provincial-mirrors-national", yaer=2022)


def test_to_pandas_and_to_csv(built, tmp_path: Path) -> None:
    rows = qmgraph.open(built.out_dir).query("provincial-mirrors-national", year=2022)
    df = rows.to_pandas()
    assert list(df.columns) == rows.columns and len(df) == len(rows)
    assert str(df["year"].dtype) == "Int64"
    assert str(df["score"].dtype) == "float64"
    assert str(df["province"].dtype).startswith("string")
    text = rows.to_csv(tmp_path / "rows.csv")
    assert (tmp_path / "rows.csv").read_text(encoding="utf-8") == text
    assert text.splitlines()[0].split(",")[:2] == ["year", "province"]
    dates = qmgraph.open(built.out_dir).sparql(
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?d WHERE { ?n dcterms:issued ?d }")
    assert str(dates.to_pandas()["d"].dtype).startswith("datetime64")


def test_open_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no graph in this folder"):
        qmgraph.open(tmp_path)
    with pytest.raises(InputError, match="graph file or folder not found"):
        qmgraph.open(tmp_path / "missing.trig")


def test_validate_and_evaluate(built) -> None:
    v = qmgraph.validate(built.out_dir)
    assert v.conforms and v.violations == 0
    assert set(v.qc) and all(rows == [] for rows in v.qc.values())
    assert v.text().splitlines()[-1].startswith("QC ")
    if not GOLD.is_file():
        pytest.skip("no gold annotations beside the checkout")
    ev = qmgraph.open(built.out_dir).evaluate(GOLD)
    assert {f.facet for f in ev.facets} >= {"notices", "mirrors"}


def test_cli_defaults_are_the_api_defaults() -> None:
    from qmgraph import api, cli

    sig = inspect.signature(api.build)
    opts = {p.name: p for p in cli.build.params}
    assert opts["out_dir"].default == str(sig.parameters["out"].default)
    assert tuple(opts["formats"].default) == tuple(sig.parameters["formats"].default)
    assert opts["cache"].default is sig.parameters["cache"].default is True
    assert opts["engine"].default == sig.parameters["engine"].default
    assert opts["jobs"].default == sig.parameters["jobs"].default
    vopts = {p.name: p for p in cli.validate.params}
    vsig = inspect.signature(api.validate)
    assert vopts["graph_path"].default == str(vsig.parameters["graph"].default)
    assert vopts["engine"].default == vsig.parameters["engine"].default
    assert vopts["qc"].default is vsig.parameters["qc"].default


def test_validate_and_evaluate_stay_subpackages_too(built) -> None:
    """``qmgraph.validate`` is the API function and the subpackage, in either import order."""
    import subprocess
    import sys

    code = f"""
import qmgraph.validate as v, qmgraph.evaluate as e
from qmgraph.validate import load_shapes
assert v.load_shapes is load_shapes and e.load_gold
report = qmgraph.validate({str(built.out_dir)!r})
assert report.conforms, report.text()
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", "import qmgraph\n" + code],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_validate_shapes_option(built, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qmgraph.cli import main
    from qmgraph.resources import shapes_dir

    res = CliRunner().invoke(main, ["validate", "--graph", str(built.out_dir), "--shapes",
                                    str(shapes_dir()), "--no-qc"])
    assert res.exit_code == 0, res.output
    (tmp_path / "none").mkdir()
    res = CliRunner().invoke(main, ["validate", "--graph", str(built.out_dir), "--shapes",
                                    str(tmp_path / "none")])
    assert res.exit_code == 2
    assert "no shapes (*.ttl)" in res.output and "--shapes DIR" in res.output
