"""Listing queries print a limited number of rows by default (docs/decisions/0025): the rows
kept are the first in the query's own order, which covers every column, so they are the same
on every run; ``--all`` prints exactly the rows of the whole query; stderr says how many rows
were left off. Parameters written into the text (``# binding: inline``) stay literals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.cli import main
from qmgraph.query import list_queries, load_query, run_query, run_sparql
from qmgraph.query.canned import _opaque_blanked, bind
from qmgraph.query.cli import DEFAULT_LIMIT

from .samples import SEARCH_TEXT, required_params

QUERIES = list_queries()
#: the search the limit tests run: enough rows on the seeds to be cut
SEARCH = {"text": SEARCH_TEXT}


def _projected(text: str) -> list[str]:
    """The variables a SELECT query's outer projection names (``?x`` or ``(… AS ?x)``)."""
    sel = text[text.index("SELECT"):]
    proj = sel[:re.search(r"\bWHERE\b", sel).start()]
    aliases = re.findall(r"AS\s+\?(\w+)\s*\)", proj)
    plain = re.sub(r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)", " ", proj)
    return list(dict.fromkeys(re.findall(r"\?(\w+)", plain) + aliases))


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_order_by_covers_every_column(q) -> None:
    """A limit keeps the same rows on every run only if the order leaves no ties: ORDER BY
    names every projected column (a grouped query: every group key, which fix the rest)."""
    if q.name == "summary":  # one row per UNION branch, each with its own ?order constant
        assert len(set(re.findall(r'"(\d\d)" AS \?order', q.text))) == q.text.count("AS ?order")
        return
    text = _opaque_blanked(q.text)
    order = set(re.findall(r"\?(\w+)", text[text.rindex("ORDER BY"):]))
    group = re.search(r"GROUP BY([^\n]*)", text[text.rindex("}"):])  # the outer one
    need = set(re.findall(r"\?(\w+)", group.group(1))) - {k for k in order if k.startswith("_")} \
        if group else set(_projected(text))
    need = {v for v in need if not v.startswith("_param_")}
    assert need <= order, sorted(need - order)


def _cli(args: list[str]):
    return CliRunner().invoke(main, ["query", *args], catch_exceptions=False)


def test_default_limit_and_all(seed_graph: Path) -> None:
    full = run_query("activity-search", params=SEARCH, graph=seed_graph)
    assert len(full) > DEFAULT_LIMIT  # the seeds have enough activities to be cut
    table = _cli(["activity-search", "--param", "text=质量", "--graph", str(seed_graph)])  # a table: cut by default
    assert f"({DEFAULT_LIMIT} of {len(full)} rows)" in table.stdout
    assert f"{len(full) - DEFAULT_LIMIT:,} more rows left off" in table.stderr
    whole = _cli(["activity-search", "--param", "text=质量", "--graph", str(seed_graph), "--format", "tsv"])
    assert whole.stderr == "" and whole.stdout == full.format("tsv")  # programs get every row
    cut = _cli(["activity-search", "--param", "text=质量", "--graph", str(seed_graph), "--format", "tsv",
                "--limit", str(DEFAULT_LIMIT)])
    assert cut.exit_code == 0
    import csv
    import io
    assert len(list(csv.reader(io.StringIO(cut.stdout), dialect="excel-tab"))) == DEFAULT_LIMIT + 1
    assert f"{len(full) - DEFAULT_LIMIT:,} more rows left off" in cut.stderr
    every = _cli(["activity-search", "--param", "text=质量", "--graph", str(seed_graph), "--format", "tsv", "--all"])
    assert every.stderr == ""
    assert every.stdout == full.format("tsv")
    assert cut.stdout == run_query("activity-search", params=SEARCH, graph=seed_graph,
                                   limit=DEFAULT_LIMIT).format("tsv")
    assert full.format("tsv").startswith(cut.stdout)
    three = _cli(["activity-search", "--param", "text=质量", "--graph", str(seed_graph), "--limit", "3"])
    assert f"(3 of {len(full)} rows)" in three.stdout
    assert "more rows left off after the first 3" in three.stderr


def test_limit_keeps_the_first_rows_of_every_query(seed_graph: Path) -> None:
    for q in QUERIES:
        params = required_params(q.name, seed_graph)
        full = run_query(q, params=params, graph=seed_graph)
        cut = run_query(q, params=params, graph=seed_graph, limit=2)
        assert cut.rows == full.rows[:2], q.name
        assert cut.left_off == max(0, len(full) - 2), q.name
    with pytest.raises(Exception, match="negative"):
        run_query("summary", graph=seed_graph, limit=-1)


def test_inline_binding_writes_escaped_terms_where_the_variable_stands() -> None:
    q = load_query("campaign-spread")
    assert q.header.get("binding") == "inline"
    text = bind(q, {"campaign": '昆仑"} } DROP ALL #', "year": "2015"})
    assert "?_param_" not in _opaque_blanked(text)
    assert '"昆仑\\"} } DROP ALL #"@zh' in text
    assert "BOUND(" not in _opaque_blanked(text)  # the guards became true …
    assert "(!true ||" in text
    anyv = bind(q, {})  # … or false; a value * leaves the variable unbound, and no VALUES
    assert "VALUES (?_param" not in anyv and "(!false ||" in anyv
    assert "?_param_campaign" in _opaque_blanked(anyv)


def test_python_order_is_oxigraphs_order(seed_graph: Path) -> None:
    """The embedded runner sorts in Python (qmgraph/query/order.py); every canned query's rows
    come out in the order Oxigraph's own ORDER BY gives, with defaults and with parameters."""
    from qmgraph.query.run import _term_value, embedded_store

    store = embedded_store(seed_graph)
    runs = [(q, required_params(q.name, seed_graph)) for q in QUERIES if q.name != "summary"]
    runs += [(load_query("activity-search"), {"text": "计量"}),
             (load_query("local-mirrors-provincial"), {"min_score": "0.8"}),
             (load_query("campaign-spread"), {"campaign": "昆仑"})]
    for q, params in runs:
        text = bind(q, params)
        res = store.query(text, use_default_graph_as_union=True)  # sorted by Oxigraph
        cols = [v.value for v in res.variables]
        theirs = [tuple(_term_value(s[c]) for c in cols) for s in res]
        assert theirs, q.name
        assert run_query(q, params=params, graph=seed_graph).values() == theirs, q.name


def test_split_order_only_takes_plain_variables() -> None:
    from qmgraph.query.order import split_order

    def split(text):
        return split_order(text, _opaque_blanked(text))

    assert split("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a DESC(?c) # why\n") == \
        ("SELECT ?a WHERE { ?a ?b ?c } ", [("a", False), ("c", True)])
    assert split("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 3") is None
    assert split("SELECT ?a WHERE { ?a ?b ?c } ORDER BY STR(?a)") is None
    assert split("SELECT ?a WHERE { ?a ?b ?c ORDER BY ?a }") is None  # not after the group
    assert split("SELECT ?a WHERE { ?a ?b 'ORDER BY ?x' }") is None


@pytest.mark.parametrize("value", [
    '"}} ; DROP GRAPH <https://w3id.org/qmgraph/id/graph/shared> ; #',
    "'} } DELETE WHERE { ?s ?p ?o } #", 'a"b\'c\\d', "line one\nline two\r\n} DROP ALL",
    "\\u0022 } DROP ALL #", "?_param_v $_param_v BOUND(?_param_v) <urn:evil> {",
])
def test_hostile_values_written_in_stay_literals(seed_graph: Path, tmp_path: Path,
                                                 value: str) -> None:
    p = tmp_path / "echo.rq"
    p.write_text("# question: echo\n# parameters: v (string, default x): any text\n"
                 "# binding: inline\n# example row: x\n"
                 "SELECT ?x ?b WHERE { BIND (?_param_v AS ?x) BIND (BOUND(?_param_v) AS ?b) }"
                 " ORDER BY ?x ?b\n", encoding="utf-8")
    q = load_query(p)
    assert run_query(q, params={"v": value}, graph=seed_graph).values() == [(value, "true")]
    assert run_query(q, params={"v": "*"}, graph=seed_graph).values() == [(None, "false")]


_X = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("values", [
    # numbers beside texts: Oxigraph compares such a pair by lexical form, not number first
    [("10", "integer"), ("9", "integer"), ("5", None), ("abc", None), ("1a", None)],
    # times in other zones: Oxigraph compares the instants, not the lexical forms
    [("2020-01-01T00:00:00+08:00", "dateTime"), ("2019-12-31T20:00:00Z", "dateTime"),
     ("2019-12-31T17:00:00Z", "dateTime")],
    [("P1Y", "duration"), ("P13M", "duration"), ("P2M", "duration")],
    [("NaN", "double"), ("1", "double"), ("-1", "double"), ("INF", "double")],
])
@pytest.mark.parametrize("desc", [False, True])
def test_python_order_is_oxigraphs_on_any_literals(tmp_path: Path, values, desc) -> None:
    """A user's query may order by literals Python cannot compare as Oxigraph does: the
    embedded runner then gives the order Oxigraph's own ORDER BY gives."""
    import pyoxigraph as ox

    from qmgraph.query.run import _term_value

    quads = [ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"),
                     ox.Literal(v, datatype=ox.NamedNode(_X + dt)) if dt else ox.Literal(v))
             for i, (v, dt) in enumerate(values)]
    graph = tmp_path / "g.nq"
    graph.write_text("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads),
                     encoding="utf-8")
    text = ("SELECT ?o WHERE { ?s <http://e/p> ?o } ORDER BY "
            + ("DESC(?o)" if desc else "?o") + "\n")
    store = ox.Store()
    store.extend(quads)
    theirs = [(_term_value(s["o"]),) for s in store.query(text)]
    assert run_sparql(text, graph=graph).values() == theirs
