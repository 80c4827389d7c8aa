"""Canned SPARQL lineage queries, embedded or remote, and pushing the graph to a store.

``list_queries``/``load_query`` read ``queries/*.rq`` and their headers; ``run_query`` binds
parameters with a ``VALUES`` block (never by pasting text) and runs the query on an embedded
pyoxigraph store or any SPARQL 1.1 endpoint; ``push`` loads every named graph into a store
with one Graph Store Protocol ``PUT`` each and checks the counts; ``serve`` starts a local
Oxigraph SPARQL endpoint over the graph. See
``docs/decisions/0007-queries-and-stores.md``.
"""

from __future__ import annotations

from qmgraph.query.canned import (
    ANY,
    QUERY_DIR,
    CannedQuery,
    Param,
    bind,
    list_queries,
    load_query,
    render_value,
)
from qmgraph.query.run import (
    DEFAULT_GRAPH,
    Result,
    clear_cache,
    embedded_store,
    run_query,
    run_sparql,
)

# ``serve`` is imported at once (~7 ms: subprocess, socket): the function shares its name
# with its module, and importing the module anywhere would set the package's ``serve`` to
# the module, which a lazy name would then never replace.
from qmgraph.query.serve import ServedGraph, oxigraph_binary, serve

#: Names imported when first used: pushing needs http.client and ssl, which a query on a
#: built folder does not (docs/decisions/0028-query-output.md).
_LAZY = {
    "GraphLoad": "qmgraph.query.store", "PushError": "qmgraph.query.store",
    "PushReport": "qmgraph.query.store", "derive_query_endpoint": "qmgraph.query.store",
    "push": "qmgraph.query.store",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ANY",
    "DEFAULT_GRAPH",
    "QUERY_DIR",
    "CannedQuery",
    "GraphLoad",
    "Param",
    "PushError",
    "PushReport",
    "Result",
    "ServedGraph",
    "bind",
    "clear_cache",
    "derive_query_endpoint",
    "embedded_store",
    "list_queries",
    "load_query",
    "oxigraph_binary",
    "push",
    "render_value",
    "run_query",
    "run_sparql",
    "serve",
]
