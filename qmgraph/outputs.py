"""The files a build writes into its output folder, and finding the graph among them.

``qmgraph build --out DIR`` writes ``qmgraph.<format>`` for each ``--format``, the lineage
links ``mirrors.sssom.tsv`` and the validation report. A later build with other options
removes what it did not write itself (:func:`sweep_stale`), so the folder only ever holds
the outputs of the last build, and :func:`find_graph` can take a folder where a file is
expected (``qmgraph.open("data/out")``, ``qmgraph query --graph data/out``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from qmgraph.errors import InputError

__all__ = ["DEFAULT_GRAPH", "DEFAULT_OUT", "FORMATS", "GRAPH_FILES", "OUTPUT_FILES", "find_graph",
           "sweep_stale"]

#: Where the CLI and the Python API write and read by default (relative to the cwd).
DEFAULT_OUT = Path("data/out")

#: Where every command and function that reads a graph looks by default: the folder
#: ``build`` writes, whose graph file :func:`find_graph` picks (so a build in another
#: format is read as it is).
DEFAULT_GRAPH = DEFAULT_OUT

#: Graph files by preference: named graphs first (TriG, N-Quads), then the union.
GRAPH_FILES = ("qmgraph.trig", "qmgraph.nq", "qmgraph.ttl", "qmgraph.nt", "qmgraph.jsonld")

#: Graph file formats by suffix (lower case), for every reader of graph files (``graphfile``,
#: ``store``); ``graphfile`` reads other suffixes by content.
FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: Every file name a build may write into its output folder.
OUTPUT_FILES = (*GRAPH_FILES, "mirrors.sssom.tsv", "validation-report.ttl",
                "validation-report.txt")


def find_graph(out_or_file: str | Path = DEFAULT_OUT) -> Path:
    """The graph file ``out_or_file`` names: the file itself, or the graph a build wrote
    into that folder (TriG preferred). Raises :class:`InputError` when there is none."""
    p = Path(out_or_file)
    if p.is_file():
        return p
    if p.is_dir():
        for name in GRAPH_FILES:
            if (p / name).is_file():
                return p / name
        try:
            os.listdir(p)
        except OSError as exc:
            raise InputError(f"cannot read this folder ({exc.strerror or exc})", path=str(p),
                             hint="check the folder's permissions") from exc
        raise InputError("no graph in this folder (" + ", ".join(GRAPH_FILES) + ")",
                         path=str(p), hint="run qmgraph build --out FOLDER first, or name the "
                         "graph file")
    raise InputError("graph file or folder not found", path=str(p),
                     hint="run qmgraph build first, or name the graph file (--graph FILE)")


def sweep_stale(out_dir: str | Path, written: Iterable[str | Path]) -> list[Path]:
    """Remove the build outputs in ``out_dir`` that this build did not write (left by an
    earlier build with other formats or options); returns what was removed."""
    out = Path(out_dir)
    keep = {Path(w).name for w in written}
    removed = []
    for name in OUTPUT_FILES:
        f = out / name
        if name not in keep and f.is_file():
            f.unlink()
            removed.append(f)
    return removed
