"""Against a real ``oxigraph serve``: push (idempotent, verified), embedded == remote, hostile
parameters, and store faults (nothing listening, no answer, 5xx, killed mid-push, auth)."""

from __future__ import annotations

import base64
import http.server
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.errors import StoreError
from qmgraph.query import (
    PushError,
    derive_query_endpoint,
    list_queries,
    push,
    run_query,
    run_sparql,
)
from qmgraph.query.store import read_graphs

from .conftest import Server, free_port
from .test_query_canned import ECHO, HOSTILE

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
    embedded = run_query(name, graph=seed_graph)
    remote = run_query(name, endpoint=server.query)
    assert remote.columns == embedded.columns
    assert remote.values() == embedded.values()
    assert remote.rows


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_against_the_server(pushed, server: Server, tmp_path: Path,
                                               value: str) -> None:
    before = _store_quads(server)
    r = run_query("activity-search", params={"text": value, "place": value}, endpoint=server.query)
    assert r.rows == []
    echo = tmp_path / "echo.rq"
    echo.write_text(ECHO, encoding="utf-8")
    assert run_query(echo, params={"v": value}, endpoint=server.query).values() == [(value,)]
    assert _store_quads(server) == before
    assert run_query("summary", endpoint=server.query).rows


def test_cli_push_and_remote_query(pushed, seed_graph: Path, server: Server) -> None:
    from qmgraph.cli import main

    runner = CliRunner()
    res = runner.invoke(main, ["push", "--store", server.store, "--graph", str(seed_graph)])
    assert res.exit_code == 0, res.output
    n = len(read_graphs(seed_graph))
    assert f"{n} of {n} graphs loaded" in res.output
    res = runner.invoke(main, ["query", "summary", "--endpoint", server.query, "--format", "csv"])
    assert res.exit_code == 0 and "mirror links" in res.output


def test_union_default_option_for_stores_without_union(server_factory, seed_graph: Path) -> None:
    plain = server_factory(union=False)
    push(seed_graph, plain.store, timeout=30)
    assert run_query("joint-organizers", endpoint=plain.query).rows == []  # default graph empty
    report = push(seed_graph, plain.store, union_default=True, timeout=30)
    assert report.ok and "?default" in report.loaded
    assert run_query("joint-organizers", endpoint=plain.query).values() == \
        run_query("joint-organizers", graph=seed_graph).values()


# --- faults --------------------------------------------------------------------------------------


def test_nothing_listening_fails_fast_and_clearly(seed_graph: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    t0 = time.monotonic()
    with pytest.raises(PushError) as info:
        push(seed_graph, url, retries=2, backoff=0.05, timeout=5)
    assert time.monotonic() - t0 < 5
    msg = str(info.value)
    assert url in msg and "cannot connect" in msg and "graph/" in msg
    assert info.value.loaded == [] and len(info.value.not_loaded) == len(read_graphs(seed_graph))
    assert isinstance(info.value, StoreError)
    with pytest.raises(StoreError, match="cannot reach"):
        run_query("summary", endpoint=url.replace("/store", "/query"), timeout=5)


def test_server_killed_mid_push_names_graphs_not_loaded(server_factory, seed_graph: Path) -> None:
    victim = server_factory()
    graphs = list(read_graphs(seed_graph))
    killed: list[str] = []

    def kill_after_first(load) -> None:
        if not killed:
            killed.append(load.graph)
            threading.Thread(target=victim.kill).start()
            time.sleep(0.3)

    with pytest.raises(PushError) as info:
        push(seed_graph, victim.store, retries=1, backoff=0.05, timeout=5, on_loaded=kill_after_first)
    err = info.value
    assert err.loaded == killed == graphs[:1]
    assert err.not_loaded == graphs[1:]
    for g in graphs[1:]:
        assert g in str(err)
    assert victim.store in str(err)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def test_slow_server_times_out_clearly(seed_graph: Path, silent_port: int) -> None:
    url = f"http://127.0.0.1:{silent_port}/store"
    t0 = time.monotonic()
    with pytest.raises(PushError, match=r"no answer within 0.3 s") as info:
        push(seed_graph, url, retries=1, backoff=0.05, timeout=0.3)
    assert time.monotonic() - t0 < 5
    assert info.value.report is not None and info.value.report.graphs[0].attempts == 2


class _FakeStore(http.server.BaseHTTPRequestHandler):
    """GSP stand-in: fails the first ``fail`` PUTs with 503, optionally demands basic auth."""

    fail = 0
    need_auth: str | None = None
    challenge = True
    seen: list[tuple[str, str | None, str | None]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization")
        type(self).seen.append((self.path, self.headers.get("Content-Type"), auth))
        if self.need_auth and auth != self.need_auth:
            self.send_response(401)
            if self.challenge:
                self.send_header("WWW-Authenticate", 'Basic realm="gsp"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if type(self).fail > 0:
            type(self).fail -= 1
            msg = b"busy"
            self.send_response(503)
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        assert body is not None
        self.send_response(204)
        self.end_headers()


@pytest.fixture
def fake_store() -> Iterator[tuple[str, type[_FakeStore]]]:
    handler = type("Handler", (_FakeStore,), {"seen": [], "fail": 0, "need_auth": None})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql-graph-crud-auth", handler
    httpd.shutdown()
    httpd.server_close()


def test_5xx_is_retried_and_virtuoso_parameter_name(seed_graph: Path, fake_store) -> None:
    url, handler = fake_store
    handler.fail = 2
    report = push(seed_graph, url, param_name="graph-uri", retries=3, backoff=0.01, verify=False)
    assert report.loaded == list(read_graphs(seed_graph))
    assert report.graphs[0].attempts == 3
    path, ctype, _ = handler.seen[0]
    assert ctype == "application/n-triples"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["graph-uri"][0].startswith("https://w3id.org/qmgraph/id/graph/")


def test_5xx_forever_reports_the_server_message(seed_graph: Path, fake_store) -> None:
    url, handler = fake_store
    handler.fail = 100
    with pytest.raises(PushError, match=r"HTTP 503.*busy"):
        push(seed_graph, url, retries=1, backoff=0.01, verify=False)


@pytest.mark.parametrize("scheme", ["basic", "any"])
def test_basic_auth(seed_graph: Path, fake_store, scheme: str) -> None:
    url, handler = fake_store
    handler.need_auth = "Basic " + base64.b64encode(b"dba:s3cret").decode()
    report = push(seed_graph, url, auth=("dba", "s3cret"), auth_scheme=scheme, verify=False)
    assert report.loaded == list(read_graphs(seed_graph))
    with pytest.raises(PushError, match="HTTP 401"):
        push(seed_graph, url, auth=("dba", "wrong"), auth_scheme="basic", verify=False, retries=3)
    assert handler.seen[-1][2] is not None


def test_query_endpoint_is_derived() -> None:
    assert derive_query_endpoint("http://h:7878/store") == "http://h:7878/query"
    assert derive_query_endpoint("http://h/ds/data") == "http://h/ds/query"
    assert derive_query_endpoint("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert derive_query_endpoint("http://h/repositories/r/rdf-graphs/service") == \
        "http://h/repositories/r"
    with pytest.raises(StoreError, match="query-endpoint"):
        derive_query_endpoint("http://h/whatever")
