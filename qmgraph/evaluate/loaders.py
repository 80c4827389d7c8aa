"""Reading the two inputs: a gold annotation file and a built graph (through
:mod:`qmgraph.graphfile`, the loader every command uses).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from qmgraph.errors import InputError
from qmgraph.graphfile import check_text_file, read_quads
from qmgraph.rdfterms import to_rdflib

# ---------------------------------------------------------------- loading

def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold file (the shared gold format) and check it has a ``documents`` list;
    raises :class:`~qmgraph.errors.InputError` for anything else."""
    check_text_file(path, "gold file")
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"gold file is not JSON: {exc}", path=str(path)) from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("documents"), list):
        raise InputError("not a gold file (no 'documents' list)", path=str(path),
                         hint="a gold file is a JSON object with a 'documents' list "
                         "(docs: the gold README of the shared folder)")
    return gold


def load_graph(path: str | Path) -> Dataset:
    """Load a graph file (or a build's folder) into a ``Dataset`` whose default graph is
    the union of all graphs (read by :func:`qmgraph.graphfile.read_quads`)."""
    ds = Dataset(default_union=True)
    ds.addN(_rdflib_quads(read_quads(path), ds))
    return ds


def _rdflib_quads(quads: Iterable[ox.Quad], ds: Dataset) -> Iterator[tuple]:
    """pyoxigraph quads as rdflib quads for ``ds.addN``."""
    graphs: dict[str, Graph] = {}
    default = getattr(ds, "default_graph", None)  # rdflib ≥ 7.1; default_context before
    if default is None:
        default = ds.default_context

    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            ctx = default
        else:
            ctx = graphs.get(g.value)
            if ctx is None:
                ctx = graphs[g.value] = ds.graph(URIRef(g.value))
        yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), ctx
