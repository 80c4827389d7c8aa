"""Reading a built graph file: the one loader every command that takes ``--graph`` uses.

``evaluate``, ``validate`` (and its QC queries), ``query``, ``push``, ``viz`` and ``export``
all read graph files through :func:`load_store` or :func:`read_quads`. The format comes
from the suffix (:data:`FORMATS`, a registry) or, for any other suffix, from the content
(:func:`sniff`). Every way a file can be wrong — missing, a folder, unreadable, empty,
binary, not the format it claims — raises one :class:`~qmgraph.errors.InputError` naming
the file, which the CLI turns into a one-line message and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from qmgraph.errors import InputError
from qmgraph.outputs import FORMATS, find_graph

__all__ = ["FORMATS", "check_text_file", "graph_format", "load_store", "open_built", "read_quads",
           "sniff"]

#: How much of a file :func:`check_text_file` and :func:`sniff` look at.
_HEAD = 8192


def check_text_file(path: str | Path, what: str = "file") -> bytes:
    """The first bytes of ``path`` once it is known to be a readable, non-empty text file;
    raises :class:`InputError` (missing, a folder, unreadable, empty, binary) otherwise."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} not found", path=str(p))
    if p.is_dir():
        raise InputError(f"{what} expected, found a folder", path=str(p))
    try:
        with p.open("rb") as fh:
            head = fh.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read {what} ({exc.strerror or exc})", path=str(p),
                         hint="check the file's permissions") from exc
    if not head.strip():
        raise InputError(f"{what} is empty", path=str(p))
    if b"\0" in head or not _utf8_prefix(head):
        raise InputError(f"{what} is binary, not UTF-8 text", path=str(p))
    return head


def _utf8_prefix(head: bytes) -> bool:
    # The head may end inside a multi-byte character: allow up to three cut-off bytes.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            if len(head) < _HEAD:
                return False
    return False


def sniff(head: bytes) -> ox.RdfFormat:
    """The format of a graph file whose suffix says nothing, from its first bytes:
    JSON-LD (``{``/``[``), RDF/XML (``<?xml``, ``<rdf:``), else TriG (which reads Turtle
    and N-Triples too)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return ox.RdfFormat.JSON_LD
    if text.startswith((b"<?xml", b"<rdf:", b"<RDF")):
        return ox.RdfFormat.RDF_XML
    return ox.RdfFormat.TRIG


def graph_format(path: str | Path, head: bytes = b"") -> ox.RdfFormat:
    """The format of graph file ``path``: by suffix (:data:`FORMATS`), else by content."""
    return FORMATS.get(Path(path).suffix.lower()) or sniff(head)


def _resolve(graph: str | Path) -> tuple[Path, ox.RdfFormat]:
    path = find_graph(graph)
    head = check_text_file(path, "graph file")
    return path, graph_format(path, head)


def _bad_rdf(path: Path, fmt: ox.RdfFormat, exc: Exception) -> InputError:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(f"not valid {fmt.name}: {first}", path=str(path),
                      hint="is this a graph qmgraph build wrote? the suffix sets the format "
                      "(.trig, .nq, .ttl, .nt, .jsonld, .rdf); any other is read by content")


def load_store(graph: str | Path) -> ox.Store:
    """An in-memory Oxigraph store holding graph file ``graph`` (or the graph a build
    wrote into folder ``graph``)."""
    path, fmt = _resolve(graph)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise _bad_rdf(path, fmt, exc) from exc
    return store


def open_built(graph: str | Path) -> ox.Store:
    """The graph file ``graph`` (or the graph a build wrote into folder ``graph``) for
    reading only: the store the build left beside it when it was made from that very file
    (``qmgraph.store``: opened, not parsed), else :func:`load_store`. For commands that
    only query (``query``, ``viz``, ``export``); a read-only store refuses changes."""
    from qmgraph.store import open_graph

    path, _ = _resolve(graph)
    built = open_graph(path)
    return built if built is not None else load_store(path)


def read_quads(graph: str | Path) -> list[ox.Quad]:
    """Every quad of graph file ``graph`` (or of the graph a build wrote into folder
    ``graph``), in file order."""
    path, fmt = _resolve(graph)
    try:
        return list(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise _bad_rdf(path, fmt, exc) from exc
