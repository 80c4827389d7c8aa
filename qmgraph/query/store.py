"""Push a built graph into a SPARQL 1.1 store with the Graph Store Protocol.

One HTTP ``PUT`` per named graph (the store replaces the graph in one request, so a graph
is never half-loaded and pushing twice gives the same store), N-Triples bodies, absolute
graph IRIs, basic or digest auth, retries with exponential backoff on connection errors,
timeouts and 5xx answers. After loading, every graph's triple count is checked with one
``SELECT ?g (COUNT(*) …)`` against the query endpoint. Standard library only (urllib).
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from qmgraph.errors import StoreError
from qmgraph.graphfile import read_quads

if TYPE_CHECKING:  # imported where used: ``qmgraph query`` need not pay for it
    import urllib.request

__all__ = ["GraphLoad", "PushError", "PushReport", "derive_query_endpoint", "push",
           "read_graphs"]

DEFAULT_GRAPH_KEY = "?default"  #: key of the default graph in :func:`read_graphs`
_ABS_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class PushError(StoreError):
    """A push stopped part-way: ``loaded`` graphs are in the store, ``not_loaded`` are not."""

    hint = ("is the store running and the URL right? no graph was half-loaded: pushing again "
            "replaces them all")

    def __init__(self, message: str, *, loaded: list[str], not_loaded: list[str],
                 report: PushReport | None = None):
        self.loaded = loaded
        self.not_loaded = not_loaded
        self.report = report
        super().__init__(message)


@dataclass
class GraphLoad:
    """What happened to one graph."""

    graph: str  #: graph IRI, or ``?default``
    triples: int  #: triples sent
    status: str = "pending"  #: pending | loaded | failed
    attempts: int = 0
    seconds: float = 0.0
    http_status: int | None = None
    stored: int | None = None  #: triples the store reports after loading (None: not checked)

    @property
    def verified(self) -> bool:
        return self.stored is not None and self.stored == self.triples


@dataclass
class PushReport:
    """Per-graph outcome of :func:`push`."""

    store_url: str
    query_endpoint: str | None
    graphs: list[GraphLoad] = field(default_factory=list)
    verify_error: str | None = None

    @property
    def loaded(self) -> list[str]:
        return [g.graph for g in self.graphs if g.status == "loaded"]

    @property
    def not_loaded(self) -> list[str]:
        return [g.graph for g in self.graphs if g.status != "loaded"]

    @property
    def mismatches(self) -> list[GraphLoad]:
        """Loaded graphs whose stored count differs from what was sent (or was not checked)."""
        return [g for g in self.graphs if g.status == "loaded" and g.stored is not None
                and g.stored != g.triples]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs if g.status == "loaded")

    @property
    def ok(self) -> bool:
        return not self.not_loaded and not self.mismatches and self.verify_error is None

    def to_table(self) -> str:
        w = max([5] + [len(g.graph) for g in self.graphs])
        lines = [f"store {self.store_url}", f"{'graph':<{w}} {'sent':>7} {'stored':>7}  status"]
        for g in self.graphs:
            stored = "-" if g.stored is None else str(g.stored)
            flag = g.status
            if g.status == "loaded" and g.stored is not None and g.stored != g.triples:
                flag = "MISMATCH"
            lines.append(f"{g.graph:<{w}} {g.triples:>7} {stored:>7}  {flag}")
        lines.append(f"{len(self.loaded)} of {len(self.graphs)} graphs loaded, "
                     f"{self.triples} triples")
        if self.verify_error:
            lines.append(f"count check failed: {self.verify_error}")
        return "\n".join(lines)


# --- reading ---------------------------------------------------------------------------------


def read_graphs(graph_file: str | Path) -> dict[str, list[ox.Triple]]:
    """Triples of ``graph_file`` per graph IRI (``?default`` for the default graph), sorted
    (read by :func:`qmgraph.graphfile.read_quads`)."""
    p = Path(graph_file)
    graphs: dict[str, set[ox.Triple]] = {}
    for q in read_quads(p):
        g = q.graph_name
        key = g.value if isinstance(g, ox.NamedNode) else DEFAULT_GRAPH_KEY
        if isinstance(g, ox.BlankNode):
            raise StoreError("graph names must be IRIs, found a blank node", path=str(p))
        graphs.setdefault(key, set()).add(q.triple)
    for key in graphs:
        if key != DEFAULT_GRAPH_KEY and not _ABS_IRI_RE.match(key):
            raise StoreError(f"graph name {key!r} is not an absolute IRI", path=str(p))
    return {k: sorted(v, key=str) for k, v in sorted(graphs.items())}


# --- HTTP ------------------------------------------------------------------------------------


def check_http_url(url: str, what: str = "URL") -> None:
    """Refuse, before any request, a URL that is not absolute http(s) (a missing scheme would
    otherwise fail as a connection error, retried with backoff)."""
    u = urllib.parse.urlsplit(url)
    if u.scheme.lower() not in ("http", "https") or not u.hostname:
        raise StoreError(f"{what} {url!r} is not an http:// or https:// URL",
                         hint="give the whole URL, e.g. http://127.0.0.1:7878/store")


def derive_query_endpoint(store_url: str) -> str:
    """The SPARQL query URL next to a Graph Store URL (Oxigraph, Fuseki, Virtuoso, GraphDB)."""
    u = urllib.parse.urlsplit(store_url)
    path = u.path.rstrip("/")
    rules = [(r"/store$", "/query"), (r"/data$", "/query"), (r"/sparql-graph-crud(-auth)?$", "/sparql"),
             (r"/rdf-graphs/service$", "")]
    for pat, rep in rules:
        if re.search(pat, path):
            return urllib.parse.urlunsplit((u.scheme, u.netloc, re.sub(pat, rep, path), "", ""))
    raise StoreError(f"cannot derive the query endpoint, to check the counts, from {store_url} "
                     "(its path ends in none of /store, /data, /sparql-graph-crud, "
                     "/rdf-graphs/service)",
                     hint="name the query endpoint (--query-endpoint URL), or skip the count "
                     "check (--no-verify)")


def _request(opener: urllib.request.OpenerDirector, req: urllib.request.Request,
             auth: tuple[str, str] | None, auth_scheme: str, timeout: float) -> tuple[int, bytes]:
    if auth and auth_scheme == "basic":  # send credentials up front: no 401 round trip
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        req.add_header("Authorization", f"Basic {token}")
    with opener.open(req, timeout=timeout) as resp:
        return resp.status, resp.read()


def _graph_url(store_url: str, graph: str, param_name: str) -> str:
    sep = "&" if "?" in store_url else "?"
    if graph == DEFAULT_GRAPH_KEY:
        return f"{store_url}{sep}default"
    return f"{store_url}{sep}{urllib.parse.urlencode({param_name: graph})}"


def _describe(exc: BaseException, timeout: float) -> tuple[str, bool]:
    """(message, retryable) for an exception raised by one request."""
    if isinstance(exc, urllib.error.HTTPError):
        body = ""
        try:
            body = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
        except Exception:  # noqa: BLE001 - best effort to show the server's words
            pass
        msg = f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
        return msg, exc.code >= 500 or exc.code in (408, 429)
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return f"no answer within {timeout:g} s", True
        return f"cannot connect ({reason})", True
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s", True
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionError):
        return f"connection lost ({exc.__class__.__name__}: {exc})", True
    if isinstance(exc, http.client.HTTPException | OSError):
        return f"{exc.__class__.__name__}: {exc}", True
    raise exc


def _put_graph(opener: urllib.request.OpenerDirector, url: str, body: bytes, load: GraphLoad, *,
               auth: tuple[str, str] | None, auth_scheme: str, retries: int, timeout: float,
               backoff: float, content_type: str) -> str | None:
    """PUT one graph with retries; returns None on success or the last error message."""
    import urllib.request

    t0 = time.perf_counter()
    last = "not attempted"
    for attempt in range(retries + 1):
        load.attempts = attempt + 1
        req = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": content_type})
        try:
            status, _ = _request(opener, req, auth, auth_scheme, timeout)
        except BaseException as exc:  # noqa: BLE001 - classified by _describe
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            last, retryable = _describe(exc, timeout)
            load.http_status = getattr(exc, "code", None)
            if not retryable or attempt == retries:
                break
            time.sleep(backoff * (2**attempt))
            continue
        load.http_status = status
        load.seconds = time.perf_counter() - t0
        return None
    load.seconds = time.perf_counter() - t0
    return last


def _count_query(graphs: list[str]) -> str:
    named = [g for g in graphs if g != DEFAULT_GRAPH_KEY]
    values = " ".join(f"<{g}>" for g in named)
    return ("SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { " + values + " } "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")


def _verify(opener: urllib.request.OpenerDirector, endpoint: str, report: PushReport,
            auth: tuple[str, str] | None, auth_scheme: str, timeout: float) -> None:
    import urllib.request

    named = [g.graph for g in report.graphs if g.status == "loaded" and g.graph != DEFAULT_GRAPH_KEY]
    if not named:
        return
    body = urllib.parse.urlencode({"query": _count_query(named)}).encode("utf-8")
    req = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json"})
    try:
        _, data = _request(opener, req, auth, auth_scheme, timeout)
        bindings = json.loads(data.decode("utf-8"))["results"]["bindings"]
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        try:
            msg, _ = _describe(exc, timeout)
        except BaseException:  # noqa: BLE001 - e.g. bad JSON
            msg = f"{exc.__class__.__name__}: {exc}"
        report.verify_error = f"{endpoint}: {msg}"
        return
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in bindings if "g" in b and "n" in b}
    for g in report.graphs:
        if g.status == "loaded" and g.graph != DEFAULT_GRAPH_KEY:
            g.stored = counts.get(g.graph, 0)


def push(graph_file: str | Path, store_url: str, *, param_name: str = "graph",
         auth: tuple[str, str] | None = None, auth_scheme: str = "any",
         union_default: bool = False, retries: int = 3, timeout: float = 60,
         backoff: float = 0.5, query_endpoint: str | None = None, verify: bool = True,
         content_type: str = "application/n-triples",
         on_loaded: Callable[[GraphLoad], None] | None = None) -> PushReport:
    """Load every named graph of ``graph_file`` into the store at ``store_url`` (GSP).

    Each graph is one ``PUT`` replacing that graph (idempotent, atomic per graph).
    ``param_name`` is the query parameter naming the graph (``graph``; Virtuoso wants
    ``graph-uri``). ``auth`` = (user, password) with ``auth_scheme`` basic, digest or any
    (basic sent up front unless ``any``/``digest``, where the server's challenge decides).
    ``union_default`` also PUTs the union of all graphs into the default graph, for stores
    whose default graph is not the union. Connection errors, timeouts and 5xx are retried
    ``retries`` times with exponential backoff from ``backoff`` seconds.

    Raises :class:`PushError` (a :class:`StoreError`) naming the graphs loaded and not loaded
    when a graph cannot be stored; count mismatches are reported in the returned report.
    """
    check_http_url(store_url, "store")
    if query_endpoint is not None:
        check_http_url(query_endpoint, "query endpoint")
    if param_name not in ("graph", "graph-uri"):
        raise StoreError(f"unknown graph parameter name {param_name!r} (graph or graph-uri)")
    if auth_scheme not in ("any", "basic", "digest"):
        raise StoreError(f"unknown auth scheme {auth_scheme!r} (any, basic or digest)")
    if auth and auth_scheme == "any":
        auth_scheme_eff = "digest-or-basic"
    else:
        auth_scheme_eff = auth_scheme
    graphs = read_graphs(graph_file)
    if union_default:
        union: set[ox.Triple] = set()
        for key, triples in graphs.items():
            if key != DEFAULT_GRAPH_KEY:
                union.update(triples)
        union.update(graphs.get(DEFAULT_GRAPH_KEY, []))
        graphs[DEFAULT_GRAPH_KEY] = sorted(union, key=str)
    if verify and query_endpoint is None:
        query_endpoint = derive_query_endpoint(store_url)
    report = PushReport(store_url=store_url, query_endpoint=query_endpoint,
                        graphs=[GraphLoad(g, len(t)) for g, t in graphs.items()])
    opener = _build_opener(store_url, query_endpoint, auth, auth_scheme_eff)
    scheme = "basic" if auth_scheme_eff == "basic" else "challenge"
    for load in report.graphs:
        body = ox.serialize(graphs[load.graph], format=ox.RdfFormat.N_TRIPLES) or b""
        url = _graph_url(store_url, load.graph, param_name)
        err = _put_graph(opener, url, body, load, auth=auth, auth_scheme=scheme, retries=retries,
                         timeout=timeout, backoff=backoff, content_type=content_type)
        if err is not None:
            load.status = "failed"
            not_loaded = report.not_loaded
            loaded = report.loaded
            raise PushError(
                f"PUT {url} (graph {load.graph}) failed after {load.attempts} attempt(s): {err}. "
                f"Loaded {len(loaded)} graph(s)"
                + (f" ({', '.join(loaded)})" if loaded else "")
                + f"; not loaded {len(not_loaded)}: {', '.join(not_loaded)}",
                loaded=loaded, not_loaded=not_loaded, report=report)
        load.status = "loaded"
        if on_loaded is not None:
            on_loaded(load)
    if verify and query_endpoint:
        _verify(opener, query_endpoint, report, auth, scheme, timeout)
    return report


def _build_opener(store_url: str, query_endpoint: str | None, auth: tuple[str, str] | None,
                  scheme: str) -> urllib.request.OpenerDirector:
    import urllib.request

    if not auth or scheme == "basic":
        return urllib.request.build_opener()
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in (store_url, query_endpoint):
        if url:
            mgr.add_password(None, url, auth[0], auth[1])
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr),
                                       urllib.request.HTTPBasicAuthHandler(mgr))
