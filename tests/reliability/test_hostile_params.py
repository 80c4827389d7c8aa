"""Hostile query parameters (quotes, braces, ``}``, ``;``, ``DROP GRAPH``, newlines, escapes)
are bound as literals: proven against a real ``oxigraph serve`` holding the seed graph —
each value comes back unchanged and the store keeps every quad. (The embedded side is in
``tests/query/test_query_canned.py``.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.errors import QueryError
from qmgraph.query import push, run_query, run_sparql
from tests.query.servers import Server
from tests.query.test_query_canned import ECHO, HOSTILE

pytestmark = pytest.mark.server

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def pushed(server: Server, seed_graph: Path):
    """The seed graph pushed into the session server (a PUT per graph: idempotent)."""
    return push(seed_graph, server.store, timeout=30)


def _store_quads(server: Server) -> int:
    return int(run_sparql(COUNT_ALL, endpoint=server.query).rows[0]["n"])


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_against_the_server(pushed, server: Server, tmp_path: Path,
                                               value: str) -> None:
    before = _store_quads(server)
    r = run_query("activity-search", params={"text": value}, endpoint=server.query)
    assert r.rows == []
    # a place is resolved with the gazetteer before anything is sent: no such place
    with pytest.raises(QueryError, match="no place called|not a division code"):
        run_query("activity-search", params={"text": "质量", "place": value}, endpoint=server.query)
    echo = tmp_path / "echo.rq"
    echo.write_text(ECHO, encoding="utf-8")
    assert run_query(echo, params={"v": value}, endpoint=server.query).values() == [(value,)]
    assert _store_quads(server) == before
    assert run_query("summary", endpoint=server.query).rows


def test_hostile_iri_and_number_parameters_are_refused_before_sending(pushed, server: Server) -> None:
    from qmgraph.errors import QueryError

    before = _store_quads(server)
    with pytest.raises(QueryError):
        run_query("activity-chain", params={"activity": "https://x.org/a> } DROP ALL #"},
                  endpoint=server.query)
    with pytest.raises(QueryError):
        run_query("joint-organizers", params={"year": "2022 } DROP ALL"}, endpoint=server.query)
    assert _store_quads(server) == before
