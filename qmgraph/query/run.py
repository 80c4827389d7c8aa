"""Run canned (or ad-hoc) SPARQL SELECT/ASK queries embedded (pyoxigraph) or remotely.

Embedded: the persistent store a build left beside the graph file (``qmgraph.store``) is
opened read-only — or, when it is missing or older than the file, the file is bulk-loaded
into an in-memory ``pyoxigraph.Store`` (cached per path, mtime and size within the process)
— and queried with the union of all named graphs as the default graph (for ad-hoc queries;
the canned ones name their graphs). A canned query the build answered already
(``qmgraph.store.RECORDED``: counts over the whole graph, made from the build's per-graph
chunks by ``qmgraph.counts``) is read from its record. Remote: any
SPARQL 1.1 endpoint through SPARQLWrapper with JSON results; the canned queries use
``GRAPH ?g`` patterns, so the store's default graph does not matter (docs/decisions/0015).
"""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from qmgraph.errors import InputError, QueryError, StoreError
from qmgraph.graphfile import open_built
from qmgraph.outputs import DEFAULT_GRAPH, find_graph
from qmgraph.query.canned import CannedQuery, bind, load_query, parse_query_file, query_form
from qmgraph.query.values import from_json_binding, from_oxigraph

__all__ = ["DEFAULT_GRAPH", "RESULT_FORMATS", "Result", "clear_cache", "embedded_store", "run_query", "run_sparql"]


#: The IRIs a table shows as ``qm:``/``qmid:`` names: ``qmgraph.namespaces.PREFIXES``
#: written out, since importing that module imports rdflib, 0.1–0.2 s of every default
#: ``qmgraph query`` call (docs/decisions/0028-query-output.md); a test keeps them equal.
SHORT_NAMES: tuple[tuple[str, str], ...] = (
    ("qm:", "https://w3id.org/qmgraph/ontology#"),
    ("qmid:", "https://w3id.org/qmgraph/id/"),
)

_CACHE: dict[tuple[str, int, int], ox.Store] = {}
_CACHE_LOCK = threading.Lock()


@dataclass
class Result:
    """Rows of a SELECT (or the one boolean row of an ASK) as plain strings.

    IRIs are given in full, literals as their lexical form, unbound values as ``None``.
    ``typed`` holds the same rows as Python values (``qmgraph.query.values``: int, float,
    date, IRI, language-tagged text…), for the Python API; an embedded result makes them
    when first asked (the CLI prints strings only).
    """

    columns: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)
    _typed: list[dict[str, Any]] | None = field(default=None, repr=False)
    _make_typed: Callable[[], list[dict[str, Any]]] | None = field(default=None, repr=False,
                                                                   compare=False)

    @property
    def typed(self) -> list[dict[str, Any]]:
        """The rows as Python values."""
        if self._typed is None:
            self._typed = self._make_typed() if self._make_typed is not None else []
            self._make_typed = None
        return self._typed

    #: rows the query gave beyond a ``limit`` (not in ``rows``)
    left_off: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as tuples in column order (handy for comparisons)."""
        return [tuple(r.get(c) for c in self.columns) for r in self.rows]

    def to_table(self, max_width: int = 60, compact_iris: bool = True) -> str:
        """A plain-text table; IRIs shortened to ``qmid:``/``qm:`` names, long cells cut."""
        short = SHORT_NAMES

        def cell(v: str | None) -> str:
            s = "" if v is None else v.replace("\n", " ")
            if compact_iris:
                for prefix, ns in short:
                    if s.startswith(ns):
                        s = prefix + s[len(ns):]
                        break
            return s if len(s) <= max_width else s[: max_width - 1] + "…"

        def width(s: str) -> int:  # CJK characters take two columns
            return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

        body = [[cell(r.get(c)) for c in self.columns] for r in self.rows]
        widths = [max([width(c)] + [width(row[i]) for row in body]) for i, c in enumerate(self.columns)]

        def line(cells: list[str]) -> str:
            return "  ".join(s + " " * (w - width(s)) for s, w in zip(cells, widths, strict=True)).rstrip()

        out = [line(self.columns), line(["-" * w for w in widths])]
        out += [line(row) for row in body]
        total = len(self.rows) + self.left_off
        shown = f"{len(self.rows)} of " if self.left_off else ""
        out.append(f"({shown}{total} row{'s' if total != 1 else ''})")
        return "\n".join(out)

    def _delimited(self, dialect: str) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, dialect=dialect, lineterminator="\n")
        w.writerow(self.columns)
        for r in self.rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in self.columns])
        return buf.getvalue()

    def to_csv(self) -> str:
        return self._delimited("excel")

    def to_tsv(self) -> str:
        return self._delimited("excel-tab")

    def to_json(self) -> str:
        return json.dumps({"columns": self.columns, "rows": self.rows}, ensure_ascii=False, indent=2)

    def format(self, fmt: str) -> str:
        """Render in one of :data:`RESULT_FORMATS` (``table``, ``csv``, ``tsv``, ``json``)."""
        try:
            render = RESULT_FORMATS[fmt]
        except KeyError:
            raise QueryError(f"unknown output format {fmt!r}") from None
        return render(self)


#: How :meth:`Result.format` renders each output format (``qmgraph query --format``).
RESULT_FORMATS: dict[str, Callable[[Result], str]] = {
    "table": Result.to_table, "csv": Result.to_csv, "tsv": Result.to_tsv, "json": Result.to_json,
}


# --- embedded --------------------------------------------------------------------------------


def clear_cache() -> None:
    """Forget every cached embedded store."""
    with _CACHE_LOCK:
        _CACHE.clear()


def embedded_store(graph: str | Path) -> ox.Store:
    """A store holding ``graph`` (a graph file or a build's folder): the build's own store
    when it was made from that file, else the file read by
    :func:`qmgraph.graphfile.load_store`; cached per path, mtime and size."""
    p = find_graph(graph)
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(f"cannot read graph file ({exc.strerror})", path=str(p)) from exc
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    with _CACHE_LOCK:
        store = _CACHE.get(key)
        if store is not None:
            return store
        store = open_built(p)  # the build's store when it was made from this very file
        for k in [k for k in _CACHE if k[0] == key[0]]:  # drop older versions of this file
            del _CACHE[k]
        _CACHE[key] = store
        return store


def _term_value(term: object) -> str | None:
    kind = type(term)  # one identity test for the common cells (a row printed is ~6 of them)
    if kind is ox.Literal or kind is ox.NamedNode:
        return term.value  # type: ignore[attr-defined]
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _cell_value(c: list[str] | str | None) -> str | None:
    """A recorded cell as :func:`_term_value` gives its term."""
    if c is None or isinstance(c, str):
        return c
    return "_:" + c[1] if c[0] == "bnode" else c[1]


def _recorded_result(cols: list[str], rows: list[list[Any]], left_off: int) -> Result:
    """A recorded answer's rows: strings straight from the cells, typed values made from
    terms only when asked."""
    def typed() -> list[dict[str, Any]]:
        from qmgraph.store import decode_cell

        return [dict(zip(cols, (from_oxigraph(decode_cell(c)) for c in r), strict=True))
                for r in rows]

    return Result(cols, [dict(zip(cols, map(_cell_value, r), strict=True)) for r in rows],
                  _make_typed=typed, left_off=left_off)


def _result(cols: list[str], sols: list[list[Any]], left_off: int = 0) -> Result:
    rows = [dict(zip(cols, map(_term_value, terms), strict=True)) for terms in sols]

    def typed() -> list[dict[str, Any]]:
        return [dict(zip(cols, map(from_oxigraph, terms), strict=True)) for terms in sols]

    return Result(cols, rows, _make_typed=typed, left_off=left_off)


def _run_embedded(text: str, graph: str | Path, limit: int | None = None) -> Result:
    from qmgraph.store import recorded_answer

    graph = find_graph(graph)  # a build's folder names its graph file
    recorded = recorded_answer(graph, text)
    if recorded is not None:
        kept = recorded["rows"] if limit is None else recorded["rows"][:limit]
        return _recorded_result(recorded["columns"], kept, len(recorded["rows"]) - len(kept))
    store = embedded_store(graph)
    # an ORDER BY of plain variables is done here, on terms read once (Oxigraph reads both
    # strings of every comparison from its tables: docs/decisions/0025-query-limits.md)
    from qmgraph.query.canned import _opaque_blanked
    from qmgraph.query.order import sort_solutions, split_order

    split = split_order(text, _opaque_blanked(text))
    res = _execute(store, split[0] if split else text)
    if isinstance(res, ox.QueryBoolean):
        return Result(["ask"], [{"ask": "true" if bool(res) else "false"}], [{"ask": bool(res)}])
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries are supported")
    cols = [v.value for v in res.variables]
    if split and not {k for k, _ in split[1]} <= set(cols):
        split = None  # it orders by what it does not return: let the store sort
        res = _execute(store, text)
    if split:
        sols = sort_solutions(cols, [[sol[c] for c in cols] for sol in res], split[1])
        if sols is not None:
            kept = sols if limit is None else sols[:limit]
            return _result(cols, kept, len(sols) - len(kept))
        res = _execute(store, text)  # terms Python cannot order as Oxigraph does
    it = iter(res)
    sols = [[sol[c] for c in cols] for sol in (it if limit is None else islice(it, limit))]
    left_off = sum(1 for _ in it)  # the rest is counted, never turned into Python values
    return _result(cols, sols, left_off)


def _execute(store: ox.Store, text: str) -> Any:
    try:
        return store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


# --- remote ----------------------------------------------------------------------------------

#: A query only reads: the hint says where to look, never what a push promises.
_ENDPOINT_HINT = ("is the endpoint running and is the URL its SPARQL query URL "
                  "(e.g. http://127.0.0.1:7878/query)?")


def _run_remote(text: str, endpoint: str, timeout: float,
                auth: tuple[str, str] | None = None, limit: int | None = None) -> Result:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    from qmgraph.query.store import check_http_url

    check_http_url(endpoint, "SPARQL endpoint")

    form = query_form(text)
    if form not in ("SELECT", "ASK"):
        raise QueryError("only SELECT and ASK queries are supported")
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(text)
    sw.queryType = form  # its own sniffing reads words in comments ("most copied" → COPY)
    sw.setMethod(POST)  # long queries and non-ASCII text are safer in a form body
    sw.setReturnFormat(JSON)
    sw.setTimeout(int(max(1, timeout)))
    if auth:
        sw.setCredentials(*auth)
    try:
        data = sw.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise QueryError(f"{endpoint} rejected the query: {str(exc).strip()[:500]}") from exc
    except urllib.error.HTTPError as exc:
        raise StoreError(f"{endpoint} answered HTTP {exc.code} {exc.reason}",
                         hint=_ENDPOINT_HINT) from exc
    except urllib.error.URLError as exc:
        raise StoreError(f"cannot reach SPARQL endpoint {endpoint}: {exc.reason}",
                         hint=_ENDPOINT_HINT) from exc
    except TimeoutError as exc:
        raise StoreError(f"SPARQL endpoint {endpoint} did not answer within {timeout:g} s",
                         hint="raise --timeout, or query the graph file instead") from exc
    except (OSError, ValueError) as exc:
        raise StoreError(f"SPARQL endpoint {endpoint} failed: {exc}", hint=_ENDPOINT_HINT) from exc
    if not isinstance(data, dict):
        raise StoreError(f"{endpoint} did not return SPARQL JSON results", hint=_ENDPOINT_HINT)
    if "boolean" in data:
        return Result(["ask"], [{"ask": "true" if data["boolean"] else "false"}],
                      [{"ask": bool(data["boolean"])}])
    cols = list(data.get("head", {}).get("vars", []))
    rows = []
    typed = []
    bindings = data.get("results", {}).get("bindings", [])
    left_off = 0 if limit is None else max(0, len(bindings) - limit)
    for b in bindings if limit is None else bindings[:limit]:
        typed.append({c: from_json_binding(b.get(c)) for c in cols})
        row: dict[str, str | None] = {}
        for c in cols:
            cell = b.get(c)
            if cell is None:
                row[c] = None
            elif cell.get("type") == "bnode":
                row[c] = "_:" + cell["value"]
            else:
                row[c] = cell["value"]
        rows.append(row)
    return Result(cols, rows, typed, left_off=left_off)


# --- entry points ----------------------------------------------------------------------------


def run_sparql(text: str, *, graph: str | Path | None = None, endpoint: str | None = None,
               timeout: float = 60, auth: tuple[str, str] | None = None,
               limit: int | None = None) -> Result:
    """Run raw SPARQL text (no parameter binding) embedded or against ``endpoint``.

    With ``limit`` only the first ``limit`` rows are kept; ``Result.left_off`` counts the
    others (the query itself runs whole, so the count is exact)."""
    if limit is not None and limit < 0:
        raise QueryError(f"a row limit cannot be negative ({limit})")
    if endpoint:
        return _run_remote(text, endpoint, timeout, auth, limit)
    return _run_embedded(text, graph if graph is not None else DEFAULT_GRAPH, limit)


def run_query(q: CannedQuery | str | Path, *, params: dict[str, str] | None = None,
              graph: str | Path | None = None, endpoint: str | None = None,
              timeout: float = 60, auth: tuple[str, str] | None = None,
              limit: int | None = None) -> Result:
    """Run a canned query (object, name, ``.rq`` path, or inline text with a header) with
    ``params`` bound safely.

    With ``endpoint`` the query goes to that SPARQL 1.1 endpoint; otherwise it runs on an
    embedded store loaded from ``graph`` (default ``data/out/qmgraph.trig``). Raises
    :class:`QueryError` for bad queries or parameters, :class:`StoreError` when the endpoint
    cannot be reached. ``limit`` keeps the first rows only (see :func:`run_sparql`).
    """
    if isinstance(q, CannedQuery):
        cq = q
    elif isinstance(q, str) and ("{" in q or "\n" in q):
        cq = parse_query_file("<inline>.rq", text=q)
    else:
        cq = load_query(q)
    if graph is not None and endpoint:
        raise QueryError("give either a graph file or an endpoint, not both")
    return run_sparql(bind(cq, params), graph=graph, endpoint=endpoint, timeout=timeout, auth=auth,
                      limit=limit)
