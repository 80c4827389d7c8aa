"""Write quads to files: byte-identical run after run, never half-written.

Quads are turned into sorted N-Quads lines (rdflib's ``n3()`` of each term), handed to
pyoxigraph (10–100× faster than rdflib's serializers) with the project's prefixes, and
written to a temporary file in the target folder that is renamed over the old file only
once complete — a build killed mid-write leaves the previous outputs intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from qmgraph.namespaces import PREFIXES

#: format name → (file suffix, pyoxigraph format, quads kept? (False = union graph))
FORMATS: dict[str, tuple[str, ox.RdfFormat, bool]] = {
    "trig": (".trig", ox.RdfFormat.TRIG, True),
    "ttl": (".ttl", ox.RdfFormat.TURTLE, False),
    "nq": (".nq", ox.RdfFormat.N_QUADS, True),
    "nt": (".nt", ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (".jsonld", ox.RdfFormat.JSON_LD, True),
}


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


_IRI_CACHE: dict[str, str] = {}


def nt_term(t) -> str:
    """An rdflib term in N-Triples syntax (rdflib's ``n3()`` uses Turtle's long strings)."""
    if not isinstance(t, Literal):
        # IRIs repeat (predicates, classes, shared nodes): format each once.
        s = _IRI_CACHE.get(t)
        if s is None:
            s = _IRI_CACHE[t] = f"<{t}>"
        return s
    if isinstance(t, Literal):
        body = '"' + str(t).translate(_ESCAPES) + '"'
        if t.language:
            return f"{body}@{t.language}"
        if t.datatype:
            return f"{body}^^<{t.datatype}>"
        return body
    return f"<{t}>"


def nquads_lines(quads: Iterable[tuple]) -> list[str]:
    return [f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(g)} .\n" for s, p, o, g in quads]


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path`` (same folder, so atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates 0600; outputs are for sharing, so give them the umask's mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def sweep_partials(out_dir: Path) -> None:
    """Remove ``.*.part`` files a killed earlier run left behind (never a finished output)."""
    if out_dir.is_dir():
        for p in out_dir.glob(".*.part"):
            p.unlink(missing_ok=True)


def serialize(quads: list[tuple], fmt: str) -> bytes:
    """Serialize sorted ``quads`` in ``fmt`` (see ``FORMATS``)."""
    return _serialize_parsed(_parse_once(quads), fmt)


def _parse_once(quads: list[tuple]) -> list:
    """The quads as pyoxigraph quads (N-Quads text built once, parsed once)."""
    data = "".join(nquads_lines(quads)).encode("utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _serialize_parsed(parsed: list, fmt: str) -> bytes:
    _suffix, oxfmt, keep_graphs = FORMATS[fmt]
    # Instance IRIs have slashes in their paths, which Turtle would have to escape in a
    # prefixed name (qmid:activity\/…): full IRIs read better, so qmid is not bound here.
    prefixes = {k: str(v) for k, v in PREFIXES.items() if k != "qmid"}
    if keep_graphs:
        items = parsed
    else:
        seen: set = set()
        items = []
        for q in parsed:
            t = q.triple
            if t not in seen:
                seen.add(t)
                items.append(t)
        items.sort(key=str)
    if oxfmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return ox.serialize(items, format=oxfmt)
    return ox.serialize(items, format=oxfmt, prefixes=prefixes)


def write_outputs(quads: list[tuple], out_dir: Path, stem: str = "qmgraph",
                  formats: Iterable[str] = ("trig", "ttl")) -> list[Path]:
    """Write ``quads`` in each format as ``out_dir/stem.suffix``; returns the paths."""
    sweep_partials(out_dir)
    written = []
    parsed = _parse_once(quads)
    for fmt in formats:
        suffix = FORMATS[fmt][0]
        path = out_dir / f"{stem}{suffix}"
        data = _serialize_parsed(parsed, fmt)
        atomic_write(path, lambda p, d=data: p.write_bytes(d))
        written.append(path)
    return written
