"""Against a real ``oxigraph serve``: push (idempotent, verified), embedded == remote, the
union-default option, the CLI. Store faults and hostile parameters are in
``tests/reliability/test_store_faults.py`` and ``tests/reliability/test_hostile_params.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.errors import StoreError
from qmgraph.query import (
    derive_query_endpoint,
    list_queries,
    push,
    run_query,
    run_sparql,
)
from qmgraph.query.store import read_graphs
from tests.query.samples import required_params
from tests.query.servers import Server

pytestmark = pytest.mark.server

NAMES = [q.name for q in list_queries()]
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def pushed(server: Server, seed_graph: Path):
    """The seed graph pushed once into the session server."""
    return push(seed_graph, server.store, timeout=30)


def _store_quads(server: Server) -> int:
    return int(run_sparql(COUNT_ALL, endpoint=server.query).rows[0]["n"])


def test_push_loads_and_verifies_every_graph(pushed, seed_graph: Path, server: Server) -> None:
    graphs = read_graphs(seed_graph)
    assert pushed.ok, pushed.to_table()
    assert pushed.loaded == list(graphs)
    assert all(g.verified for g in pushed.graphs)
    assert [g.stored for g in pushed.graphs] == [len(t) for t in graphs.values()]
    assert _store_quads(server) == sum(len(t) for t in graphs.values())
    assert "graph/shared" in pushed.to_table()


def test_push_twice_is_idempotent(pushed, seed_graph: Path, server: Server) -> None:
    before = _store_quads(server)
    again = push(seed_graph, server.store, timeout=30)
    assert again.ok
    assert [(g.graph, g.stored) for g in again.graphs] == [(g.graph, g.stored) for g in pushed.graphs]
    assert _store_quads(server) == before


@pytest.mark.parametrize("name", NAMES)
def test_embedded_and_remote_rows_are_the_same(pushed, seed_graph: Path, server: Server,
                                               name: str) -> None:
    params = required_params(name, seed_graph)
    embedded = run_query(name, params=params, graph=seed_graph)
    remote = run_query(name, params=params, endpoint=server.query)
    assert remote.columns == embedded.columns
    assert remote.values() == embedded.values()
    assert remote.rows


def test_cli_push_and_remote_query(pushed, seed_graph: Path, server: Server) -> None:
    from qmgraph.cli import main

    runner = CliRunner()
    res = runner.invoke(main, ["push", "--store", server.store, "--graph", str(seed_graph)])
    assert res.exit_code == 0, res.output
    n = len(read_graphs(seed_graph))
    assert f"{n} of {n} graphs loaded" in res.output
    res = runner.invoke(main, ["query", "summary", "--endpoint", server.query, "--format", "csv"])
    assert res.exit_code == 0 and "mirror links" in res.output


def test_plain_store_without_union_default_gives_the_same_rows(server_factory,
                                                               seed_graph: Path) -> None:
    """Issue 20: every canned query names its graphs, so a plain ``oxigraph serve`` (default
    graph empty) loaded by a plain ``qmgraph push`` answers exactly as the embedded store."""
    plain = server_factory(union=False)
    assert push(seed_graph, plain.store, timeout=30).ok
    assert run_sparql("ASK { ?s ?p ?o }", endpoint=plain.query).rows[0]["ask"] == "false"
    for name in NAMES:
        params = required_params(name, seed_graph)
        embedded = run_query(name, params=params, graph=seed_graph)
        remote = run_query(name, params=params, endpoint=plain.query)
        assert remote.columns == embedded.columns, name
        assert remote.values() == embedded.values(), name
        assert remote.rows, name
    params = {"province": "四川省", "year": "2022"}
    assert run_query("counterpart-reporting", params=params, endpoint=plain.query).values() == \
        run_query("counterpart-reporting", params=params, graph=seed_graph).values()


def test_union_default_option_still_loads_the_default_graph(server_factory,
                                                            seed_graph: Path) -> None:
    plain = server_factory(union=False)
    report = push(seed_graph, plain.store, union_default=True, timeout=30)
    assert report.ok and "?default" in report.loaded
    assert run_query("joint-organizers", endpoint=plain.query).values() == \
        run_query("joint-organizers", graph=seed_graph).values()


def test_query_endpoint_is_derived() -> None:
    assert derive_query_endpoint("http://h:7878/store") == "http://h:7878/query"
    assert derive_query_endpoint("http://h/ds/data") == "http://h/ds/query"
    assert derive_query_endpoint("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert derive_query_endpoint("http://h/repositories/r/rdf-graphs/service") == \
        "http://h/repositories/r"
    with pytest.raises(StoreError, match="query endpoint"):
        derive_query_endpoint("http://h/whatever")
