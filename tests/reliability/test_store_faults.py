"""Store faults against real and fake servers: nothing listening, a port that never answers
(timeout), 5xx that clear (retried with backoff) and that do not, a server SIGKILLed mid-push
(the error names the graphs loaded and not loaded; nothing half-loaded), auth, and counts
verified after a push that had to retry."""

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

from qmgraph.errors import StoreError
from qmgraph.query import PushError, push, run_query, run_sparql
from qmgraph.query.store import read_graphs
from tests.query.servers import free_port, start_server

pytestmark = pytest.mark.server

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


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


def test_store_killed_mid_push_restarted_holds_no_half_graph_and_repush_completes(
        tmp_path: Path, seed_graph: Path) -> None:
    """SIGKILL after the first graph; restart on the same data: every graph is either complete
    or absent (never half-loaded); pushing again completes it with verified counts."""
    graphs = read_graphs(seed_graph)
    victim = start_server(tmp_path / "db")

    def kill_after_first(load) -> None:
        victim.kill()

    try:
        with pytest.raises(PushError) as info:
            push(seed_graph, victim.store, retries=1, backoff=0.05, timeout=5,
                 on_loaded=kill_after_first)
    finally:
        victim.stop()
    restarted = start_server(tmp_path / "db")
    try:
        rows = run_sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                          endpoint=restarted.query).rows
        stored = {r["g"]: int(r["n"]) for r in rows}
        for g, n in stored.items():
            assert n == len(graphs[g]), f"{g} half-loaded: {n} of {len(graphs[g])}"
        assert info.value.loaded[0] in stored
        report = push(seed_graph, restarted.store, timeout=30)
        assert report.ok and all(g.verified for g in report.graphs)
        total = int(run_sparql(COUNT_ALL, endpoint=restarted.query).rows[0]["n"])
        assert total == sum(len(t) for t in graphs.values())
    finally:
        restarted.stop()
