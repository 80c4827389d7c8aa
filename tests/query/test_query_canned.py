"""Canned queries: headers, parameter binding (hostile values stay literals), embedded runs, CLI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.errors import InputError, QueryError
from qmgraph.query import (
    Param,
    bind,
    embedded_store,
    list_queries,
    load_query,
    render_value,
    run_query,
)
from qmgraph.query.canned import _outer_where_brace, parse_query_file

from .samples import every_chain, required_params

QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]

#: Values an attacker (or a careless shell) might pass; each must come back unchanged.
HOSTILE = [
    '"}} ; DROP GRAPH <https://w3id.org/qmgraph/id/graph/shared> ; #',
    "'} } DELETE WHERE { ?s ?p ?o } #",
    'a"b\'c\\d',
    '""" ) } INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    "line one\nline two\r\n} DROP ALL",
    "\\u0022 } DROP ALL #",
    "\\\\u0022 \\U00000022",
    "?_param_text $x <urn:evil> {",
    "四川省\"@zh ) } DROP DEFAULT #",
    "CLEAR ALL ; LOAD <http://example.com/> ;",
]


def test_at_least_twelve_queries_with_headers() -> None:
    assert len(QUERIES) >= 12
    for q in QUERIES:
        assert q.question, q.name
        assert q.example, f"{q.name}: no '# example row:'"
        assert re.search(r"\bORDER\s+BY\b", q.text, re.I), f"{q.name}: no ORDER BY"
        used = set(re.findall(r"\?_param_([A-Za-z0-9_]+)", q.text))
        assert used == set(q.params), f"{q.name}: declared {set(q.params)} but uses {used}"
        for p in q.params.values():
            assert p.default or p.required, f"{q.name}.{p.name} has no default"
            assert p.meaning, f"{q.name}.{p.name} has no meaning"


def test_required_topics_are_covered() -> None:
    for name in ["provincial-mirrors-national", "local-mirrors-provincial", "activity-chain",
                 "campaign-spread", "campaign-series-spread", "counterpart-reporting",
                 "joint-organizers", "reused-slogans-themes", "implements-chain",
                 "sector-activities", "jurisdiction-tree", "most-copied-agencies", "summary"]:
        assert name in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_embedded_with_rows(seed_graph: Path, name: str) -> None:
    params = required_params(name, seed_graph)
    result = run_query(name, params=params, graph=seed_graph)
    assert result.columns
    assert result.rows, f"{name} returned no rows on the seed notices"
    assert all(set(r) == set(result.columns) for r in result.rows)
    again = run_query(name, params=params, graph=seed_graph)
    assert again.values() == result.values()  # deterministic


def test_results_are_sorted_as_the_query_says(seed_graph: Path) -> None:
    r = run_query("most-copied-agencies", graph=seed_graph)
    copies = [int(row["copies"]) for row in r.rows]
    assert copies == sorted(copies, reverse=True)
    r = run_query("summary", graph=seed_graph)
    assert [row["order"] for row in r.rows] == sorted(row["order"] for row in r.rows)


def test_parameters_narrow_results(seed_graph: Path) -> None:
    everything = run_query("activity-search", params={"text": "昆仑"}, graph=seed_graph)
    y2022 = run_query("activity-search", params={"text": "昆仑", "year": "2022"}, graph=seed_graph)
    y1999 = run_query("activity-search", params={"text": "昆仑", "year": "1999"}, graph=seed_graph)
    assert len(everything) > len(y2022) > 0
    assert len(y1999) == 0
    assert {r["year"] for r in y2022.rows} == {"2022"}
    hainan = run_query("provincial-mirrors-national", params={"province": "460000"}, graph=seed_graph)
    assert hainan.rows and {r["province"] for r in hainan.rows} == {"海南省"}
    strict = run_query("provincial-mirrors-national", params={"min_score": "0.99"}, graph=seed_graph)
    assert all(float(r["score"]) >= 0.99 for r in strict.rows)
    water = run_query("sector-activities", params={"sector": "water"}, graph=seed_graph)
    assert water.rows and {r["sector"] for r in water.rows} == {"water"}
    kunlun = run_query("campaign-spread", params={"campaign": "昆仑2022"}, graph=seed_graph)
    assert kunlun.rows and {r["campaign"] for r in kunlun.rows} == {"昆仑2022"}


def test_activity_chain_reaches_the_nation(seed_graph: Path) -> None:
    rows = every_chain(seed_graph)
    local = [r for r in rows if r["activity_level"] in ("Prefectural", "County")]
    assert local, "no city/district chains on the seeds"
    start = local[0]["activity"]
    chain = run_query("activity-chain", params={"activity": start}, graph=seed_graph).rows
    assert {r["activity"] for r in chain} == {start}
    assert "National" in {r["ancestor_level"] for r in chain}
    # qmid: names are accepted for IRI parameters
    curie = "qmid:" + start.split("/id/", 1)[1]
    assert run_query("activity-chain", params={"activity": curie}, graph=seed_graph).values() == \
        run_query("activity-chain", params={"activity": start}, graph=seed_graph).values()


# --- binding ---------------------------------------------------------------------------------

ECHO = """# question: echo a parameter
# parameters: v (string, default x): any text
# example row: x
SELECT ?x WHERE { BIND (?_param_v AS ?x) } ORDER BY ?x
"""


@pytest.fixture
def echo_query(tmp_path: Path):
    p = tmp_path / "echo.rq"
    p.write_text(ECHO, encoding="utf-8")
    return load_query(p)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_round_trips_as_a_literal(seed_graph: Path, echo_query, value: str) -> None:
    text = bind(echo_query, {"v": value})
    assert "VALUES (?_param_v)" in text
    r = run_query(echo_query, params={"v": value}, graph=seed_graph)
    assert r.values() == [(value,)]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_search_returns_nothing_and_leaves_data(seed_graph: Path, value: str) -> None:
    before = run_query("summary", graph=seed_graph).values()
    r = run_query("activity-search", params={"text": value}, graph=seed_graph)
    assert r.rows == []
    with pytest.raises(QueryError, match="no place called|not a division code"):  # resolved first
        run_query("activity-search", params={"text": "质量", "place": value}, graph=seed_graph)
    assert run_query("summary", graph=seed_graph).values() == before


@pytest.mark.parametrize("ptype,value", [
    ("integer", "2022 } DROP ALL"), ("integer", "1.5"), ("integer", ""), ("integer", "0x10"),
    ("decimal", "0.5) }"), ("decimal", "1e3"), ("decimal", "NaN"),
    ("iri", "https://x.org/a> } DROP ALL #"), ("iri", "https://x.org/a b"), ("iri", "javascript:alert(1)"),
    ("iri", "relative/path"), ("iri", 'https://x.org/"'), ("iri", "https://x.org/{x}"),
    ("string", "nul\x00byte"), ("zh", "bell\x07"),
])
def test_bad_values_are_rejected(ptype: str, value: str) -> None:
    with pytest.raises(QueryError):
        render_value(Param("p", ptype, "*", ""), value)


def test_value_rendering() -> None:
    assert render_value(Param("p", "integer", "*", ""), " 2022 ") == \
        '"2022"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert render_value(Param("p", "decimal", "*", ""), "0.5").startswith('"0.5"^^')
    assert render_value(Param("p", "zh", "*", ""), '四川"省') == '"四川\\"省"@zh'
    assert render_value(Param("p", "iri", "*", ""), "qm:National") == \
        "<https://w3id.org/qmgraph/ontology#National>"
    assert render_value(Param("p", "string", "*", ""), "*") == "UNDEF"


def test_unknown_parameter_and_query() -> None:
    with pytest.raises(QueryError, match="unknown parameter"):
        bind(load_query("summary"), {"x": "1"})
    with pytest.raises(QueryError, match="unknown query"):
        load_query("no-such-query")
    with pytest.raises(QueryError, match="no such query file"):
        load_query("/nonexistent/x.rq")


def test_malformed_header_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.rq"
    p.write_text("# question: q\n# parameters: year 2022 meaning\nSELECT * {} ORDER BY ?x\n")
    with pytest.raises(QueryError, match="bad parameter line"):
        parse_query_file(p)
    p.write_text("# question: q\n# parameters: year (integer, default soon): y\nSELECT * {}\n")
    with pytest.raises(QueryError, match="not an integer"):
        parse_query_file(p)


def test_where_brace_skips_strings_comments_and_iris() -> None:
    text = ('PREFIX x: <http://e.org/{not}>\n# WHERE { in a comment\n'
            'SELECT ?a ("{" AS ?b) (\'}\' AS ?c) WHERE { ?a <http://e.org/p> "WHERE {" }')
    assert text[_outer_where_brace(text):].startswith('{ ?a <http://e.org/p>')
    no_where = "SELECT ?a { ?a ?b ?c FILTER (?c < 3) }"
    assert _outer_where_brace(no_where) == no_where.index("{")
    construct = "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }"
    assert _outer_where_brace(construct) == construct.rindex("{")
    with pytest.raises(QueryError):
        _outer_where_brace("# just a comment")


# --- results and the embedded store ----------------------------------------------------------


def test_result_formats(seed_graph: Path) -> None:
    r = run_query("summary", graph=seed_graph)
    assert r.to_csv().splitlines()[0] == "order,metric,value"
    assert r.to_tsv().splitlines()[1].split("\t")[0] == "01"
    data = json.loads(r.to_json())
    assert data["columns"] == r.columns and data["rows"] == r.rows
    table = r.to_table()
    assert "notices in the corpus" in table and table.endswith(f"({len(r)} rows)")


def test_store_is_cached_per_file_version(seed_graph: Path, tmp_path: Path) -> None:
    assert embedded_store(seed_graph) is embedded_store(seed_graph)
    copy = tmp_path / "g.trig"
    copy.write_bytes(seed_graph.read_bytes())
    first = embedded_store(copy)
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert embedded_store(copy) is not first


def test_missing_graph_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graph file or folder not found"):
        run_query("summary", graph=tmp_path / "none.trig")


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_list_and_run(seed_graph: Path) -> None:
    from qmgraph.cli import main

    runner = CliRunner()
    res = runner.invoke(main, ["query", "--list"])
    assert res.exit_code == 0, res.output
    for q in QUERIES:
        assert q.name in res.output
    assert "--param province=" in res.output

    res = runner.invoke(main, ["query", "campaign-spread", "--param", "campaign=昆仑2022",
                               "--graph", str(seed_graph), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert {r["campaign"] for r in json.loads(res.output)["rows"]} == {"昆仑2022"}

    res = runner.invoke(main, ["query", "summary", "--param", "nope=1", "--graph", str(seed_graph)])
    assert res.exit_code == 2
    res = runner.invoke(main, ["query", "activity-chain", "--param", "activity=not an iri",
                               "--graph", str(seed_graph)])
    assert res.exit_code == 2


@pytest.mark.parametrize(("name", "param"), [("activity-search", "text"),
                                             ("activity-chain", "activity")])
def test_a_required_parameter_must_be_given(seed_graph: Path, name: str, param: str) -> None:
    """A search needs its text and a chain its activity (docs/decisions/0031): without one,
    or with ``*``, the call is refused with exit 2 and a one-line hint naming the parameter."""
    from qmgraph.cli import main

    q = load_query(name)
    assert q.params[param].required and q.params[param].usage == "required"
    for given in ({}, {param: "*"}):
        with pytest.raises(QueryError, match=f"parameter {param} is required"):
            bind(q, given)
        args = [f"{k}={v}" for k, v in given.items()]
        res = CliRunner().invoke(main, ["query", name, "--graph", str(seed_graph),
                                        *[a for kv in args for a in ("--param", kv)]])
        assert res.exit_code == 2, res.output
        assert f"parameter {param} is required" in res.output
        assert f"--param {param}=VALUE" in res.output
    listed = CliRunner().invoke(main, ["query", "--list"]).output
    assert f"--param {param}=…  ({q.params[param].type}, required)" in listed
    listed = json.loads(CliRunner().invoke(main, ["query", "--list", "--format", "json"]).output)
    (entry,) = [p for r in listed if r["name"] == name for p in r["parameters"] if p["name"] == param]
    assert entry["required"] is True and entry["default"] is None


def test_required_parameter_header_is_parsed(tmp_path: Path) -> None:
    f = tmp_path / "need.rq"
    f.write_text("# question: echo\n# parameters: word (string, required): a word\n"
                 "# binding: inline\nSELECT ?w WHERE { BIND (?_param_word AS ?w) } ORDER BY ?w\n",
                 encoding="utf-8")
    q = parse_query_file(f)
    assert q.params["word"] == Param("word", "string", "", "a word", True)
    assert '"a \\"b"' in bind(q, {"word": 'a "b'})
    with pytest.raises(QueryError, match="required"):
        bind(q, {})


def test_query_form_ignores_comments_and_strings() -> None:
    from qmgraph.query.canned import query_form

    assert query_form("# most copied, then DROP\nSELECT ?x WHERE { }") == "SELECT"
    assert query_form('PREFIX a: <http://e.org/SELECT>\nASK { ?s ?p "CONSTRUCT" }') == "ASK"
    assert query_form("# nothing") is None
