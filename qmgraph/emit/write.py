"""Write the graph to files: byte-identical run after run, never half-written.

The input is one N-Quads chunk per named graph (``qmgraph.emit.corpus_chunks``). Each
graph's block is serialized by pyoxigraph (10–100× faster than rdflib's serializers) with
the project's prefixes and the blocks are concatenated (``ChunkWriter``), so a rebuild
re-serializes only the graphs that changed. Files are written to a temporary file in the
target folder that is renamed over the old file only once complete — a build killed
mid-write leaves the previous outputs intact.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from qmgraph.cache import unseal, write_sealed
from qmgraph.namespaces import PREFIXES
from qmgraph.rdfterms import nquads_lines

#: format name → (file suffix, pyoxigraph format, quads kept? (False = union graph))
FORMATS: dict[str, tuple[str, ox.RdfFormat, bool]] = {
    "trig": (".trig", ox.RdfFormat.TRIG, True),
    "ttl": (".ttl", ox.RdfFormat.TURTLE, False),
    "nq": (".nq", ox.RdfFormat.N_QUADS, True),
    "nt": (".nt", ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (".jsonld", ox.RdfFormat.JSON_LD, True),
}


def atomic_write(path: Path, write: Callable[[Path], None]) -> os.stat_result:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path`` (same folder, so atomic); the
    file's status as written (taken before the rename, so not another writer's file)."""
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
        written = os.stat(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return written


def sweep_partials(out_dir: Path) -> None:
    """Remove ``.*.part`` files a killed earlier run left behind (never a finished output)."""
    if out_dir.is_dir():
        for p in out_dir.glob(".*.part"):
            p.unlink(missing_ok=True)


def serialize(quads: list[tuple], fmt: str) -> bytes:
    """Serialize sorted ``quads`` (rdflib terms) in ``fmt`` (see ``FORMATS``)."""
    by_graph: dict[str, list[str]] = {}
    for line in nquads_lines(quads):
        g = line.rsplit(" ", 2)[-2][1:-1]
        by_graph.setdefault(g, []).append(line)
    chunks = {g: "".join(lines).encode("utf-8") for g, lines in sorted(by_graph.items())}
    return ChunkWriter().render(chunks, fmt)


#: File in the block cache remembering each chunk's line count and subjects.
_INDEX = "subjects.pickle"
#: File in the block cache remembering where each block is in the last outputs written.
_LAYOUT = "outputs.pickle"


def _prefixes() -> dict[str, str]:
    # Instance IRIs have slashes in their paths, which Turtle would have to escape in a
    # prefixed name (qmid:activity\/…): full IRIs read better, so qmid is not bound here.
    return {k: str(v) for k, v in PREFIXES.items() if k != "qmid"}


def _body(data: bytes) -> bytes:
    """``data`` without the ``@prefix`` lines pyoxigraph writes first."""
    pos = 0
    while data.startswith(b"@prefix ", pos):
        pos = data.index(b"\n", pos) + 1
    return data[pos:]


def _subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


def _turtle_of_trig(block: bytes) -> bytes | None:
    """The Turtle block of a graph's triples, from its TriG block (``<g> {`` + lines each
    indented by one tab + ``}``): the same statements, one tab less. pyoxigraph writes the
    same statements in both formats and escapes line breaks inside literals, so every
    inner line starts with a tab; None when one does not (then the triples are serialized
    again). Parsing a chunk creates a Python object per quad: the costly half of writing
    a graph twice."""
    start = block.find(b" {\n")
    if start < 0 or not block.endswith(b"\n}\n") or b"\n" in block[:start]:
        return None
    body = block[start + 3 : -2]  # "\t…\n\t…\n"
    if not body.startswith(b"\t") or body.count(b"\n") != body.count(b"\n\t") + 1:
        return None
    return body[1:].replace(b"\n\t", b"\n")


def _triple(line: bytes) -> bytes:
    """An N-Quads line without its graph name (the graph is the last IRI before " .")."""
    return line[: line.rindex(b" <")] + b" .\n"


class ChunkWriter:
    """Serializes per-graph N-Quads chunks (``qmgraph.emit.corpus_chunks``) to files.

    TriG is the prefixes, then each graph's block in graph order. Turtle (the union graph)
    is each graph's block of the subjects only that graph states, then one block of the
    subjects several graphs state (an edition two notices describe), de-duplicated. Each
    block depends on its chunk alone (and, for Turtle, on which of its subjects are shared),
    so with ``cache_dir`` the blocks of unchanged graphs are read back instead of being
    serialized again; a full build and a rebuild give the same bytes. Blocks are read from
    the previous output file when it is still the one this writer wrote (same size, time
    and inode: one read instead of a thousand small files), else from the cache folder.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.reused = 0
        self.rendered = 0
        self._used: set[str] = set()
        self._index: dict[str, tuple[int, frozenset[bytes]]] = {}
        self._index_used: dict[str, tuple[int, frozenset[bytes]]] = {}
        if cache_dir is not None:
            try:
                with open(cache_dir / _INDEX, "rb") as fh:
                    loaded = pickle.load(fh)
                if isinstance(loaded, dict):
                    self._index = loaded
            except Exception:  # noqa: BLE001 - no or unreadable index: work it out again
                pass
        #: format → (path, size, mtime_ns, inode, [(block name, offset, length)…]) of the
        #: outputs last written, and of those written now
        self._layouts: dict[str, tuple] = {}
        self._new_layouts: dict[str, tuple] = {}
        if cache_dir is not None:
            try:
                data = unseal((cache_dir / _LAYOUT).read_bytes())
                loaded = pickle.loads(data) if data is not None else None
                if isinstance(loaded, dict):
                    self._layouts = loaded
            except Exception:  # noqa: BLE001 - none or unreadable: read the block files
                pass
        self._previous: dict[str, memoryview] = {}  #: block name → bytes in the old output
        self._placed: list[tuple[str | None, int]] = []  #: (block name, length) just rendered
        self._mine: dict[str, list[bytes]] | None = None  #: graph → its shared subjects
        #: digest → TriG block rendered by this writer, until its Turtle block is made from it
        self._trig_made: dict[str, bytes] = {}
        self._common: set[bytes] = set()  #: triples of subjects several graphs state
        #: distinct triples of the union graph, and quads of the dataset (set once the
        #: chunks are analyzed)
        self.union_triples = 0
        self.quads = 0

    # -- blocks ---------------------------------------------------------------------------

    def _block(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        name = f"{kind}-{key}"
        self._used.add(name)
        old = self._previous.get(name)
        if old is not None:
            self.reused += 1
            return old  # type: ignore[return-value]  # a memoryview: joined, never kept
        path = self.cache_dir / name if self.cache_dir is not None else None
        if path is not None:
            try:
                data = unseal(path.read_bytes())
            except OSError:
                data = None
            if data is not None:
                self.reused += 1
                return data
        data = make()
        self.rendered += 1
        if path is not None:
            write_sealed(path, data)  # the block cache is optional
        return data

    # -- the previous outputs ------------------------------------------------------------

    def open_previous(self, fmt: str, path: Path) -> None:
        """Take the blocks of the ``fmt`` output last written to ``path`` from that file,
        if it is unchanged since."""
        self._previous = {}
        self._placed = []
        entry = self._layouts.get(fmt)
        if entry is None or entry[0] != str(path):
            return
        try:
            st = os.stat(path)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != tuple(entry[1:4]):
                return
            with open(path, "rb") as fh:
                data = memoryview(fh.read())
        except OSError:
            return
        if len(data) != entry[1]:
            return
        self._previous = {name: data[off : off + n] for name, off, n in entry[4]}

    def remember(self, fmt: str, path: Path, written: os.stat_result) -> None:
        """Note where the blocks just rendered (in ``fmt``) are in ``path``, now written
        (``written``: its status as :func:`atomic_write` left it)."""
        self._previous = {}
        if self.cache_dir is None or not self._placed:
            return  # not a format made of blocks
        layout, off = [], 0
        for name, n in self._placed:
            if name is not None:
                layout.append((name, off, n))
            off += n
        st = written
        if st.st_size == off:
            self._new_layouts[fmt] = (str(path), st.st_size, st.st_mtime_ns, st.st_ino, layout)

    def _join(self, parts: list[tuple[str | None, bytes]]) -> list[bytes]:
        """The parts of an output, in order; their layout kept for :meth:`remember`."""
        self._placed = [(name, len(data)) for name, data in parts]
        return [data for _name, data in parts]

    def prune(self) -> None:
        """Forget cached blocks this writer did not use (graphs gone or changed) and keep
        the subjects of the chunks it saw, and where the outputs' blocks are, for the next
        build."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return
        for p in self.cache_dir.iterdir():
            if p.name not in self._used and p.name not in (_INDEX, _LAYOUT):
                p.unlink(missing_ok=True)
        write_sealed(self.cache_dir / _LAYOUT,
                     pickle.dumps(self._new_layouts, pickle.HIGHEST_PROTOCOL))
        try:
            tmp = self.cache_dir / f".{_INDEX}.part"
            with open(tmp, "wb") as fh:
                pickle.dump(self._index_used, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.cache_dir / _INDEX)
        except OSError:
            pass

    @staticmethod
    def _digest(*parts: bytes) -> str:
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            h.update(part)
            h.update(b"\0")
        return h.hexdigest()

    def _serialize(self, data: bytes, fmt: ox.RdfFormat) -> bytes:
        items = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        if fmt == ox.RdfFormat.TURTLE:
            items = (q.triple for q in items)
        return _body(ox.serialize(list(items), format=fmt, prefixes=_prefixes()))

    # -- formats --------------------------------------------------------------------------

    def header(self) -> bytes:
        return "".join(f"@prefix {k}: <{v}> .\n" for k, v in _prefixes().items()).encode()

    # A chunk's bytes are looked at (``chunks[g]``) only when a block of it is not cached:
    # the chunks of a rebuild may be read from the build cache on first use.

    def _trig(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        parts: list[tuple[str | None, bytes]] = [(None, self.header())]

        def make(g: str) -> bytes:
            block = self._serialize(chunks[g], ox.RdfFormat.TRIG)
            self._trig_made[digests[g]] = block  # for :meth:`_turtle`, which pops it
            return block

        for g in chunks:
            parts.append((f"trig-{digests[g]}",
                          self._block("trig", digests[g], lambda g=g: make(g))))
        return self._join(parts)

    def _subjects(self, chunks: Mapping[str, bytes], g: str, key: str
                  ) -> tuple[int, frozenset[bytes]]:
        """(number of lines, subjects) of chunk ``g``, remembered by its digest ``key``."""
        hit = self._index.get(key)
        if hit is None:
            lines = chunks[g].splitlines()
            hit = (len(lines), frozenset(_subject(x) for x in lines))
        self._index_used[key] = hit
        return hit

    def _analyze(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> None:
        """Find the subjects several graphs state, and each graph's share of them."""
        if self._mine is not None:
            return
        info = {g: self._subjects(chunks, g, digests[g]) for g in chunks}
        seen: dict[bytes, int] = {}
        for _n, subjects in info.values():
            for s in subjects:
                seen[s] = seen.get(s, 0) + 1
        shared = {s for s, k in seen.items() if k > 1}
        self._mine = {g: sorted(subjects & shared) for g, (_n, subjects) in info.items()}
        common: set[bytes] = set()
        in_common = 0
        for g in chunks:
            mine = self._mine[g]
            if mine:
                lines = self._block("ttlc", self._digest(digests[g].encode(), *mine),
                                    lambda g=g, m=set(mine): b"".join(
                                        _triple(x) for x in chunks[g].splitlines(keepends=True)
                                        if _subject(x) in m)).splitlines(keepends=True)
                in_common += len(lines)
                common.update(lines)
        self._common = common
        self.quads = sum(n for n, _s in info.values())
        self.union_triples = self.quads - in_common + len(common)

    def _turtle(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        self._analyze(chunks, digests)
        assert self._mine is not None
        parts: list[tuple[str | None, bytes]] = [(None, self.header())]
        for g in chunks:
            mine = self._mine[g]

            def make(g: str = g, m: frozenset = frozenset(mine)) -> bytes:
                trig = self._trig_made.get(digests[g])
                derived = _turtle_of_trig(trig) if trig is not None and not m else None
                if derived is not None:
                    return derived
                d = chunks[g]
                own = [x for x in d.splitlines(keepends=True) if _subject(x) not in m] if m \
                    else [d]
                return self._serialize(b"".join(own), ox.RdfFormat.TURTLE)

            key = self._digest(digests[g].encode(), *mine)
            parts.append((f"ttl-{key}", self._block("ttl", key, make)))
            self._trig_made.pop(digests[g], None)
        if self._common:
            triples = list(ox.parse(b"".join(sorted(self._common)), format=ox.RdfFormat.N_TRIPLES))
            parts.append((None, _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                                   prefixes=_prefixes()))))
        return self._join(parts)

    def render(self, chunks: Mapping[str, bytes], fmt: str,
               digests: Mapping[str, str] | None = None) -> bytes:
        """``chunks`` (graph IRI → N-Quads, in output order) serialized in ``fmt``."""
        return b"".join(self.render_parts(chunks, fmt, digests))

    def render_parts(self, chunks: Mapping[str, bytes], fmt: str,
                     digests: Mapping[str, str] | None = None) -> list[bytes]:
        """:meth:`render` as the parts to write one after the other (no 20 MB join)."""
        digests = digests or {g: self._digest(d) for g, d in chunks.items()}
        try:
            render = self._RENDERERS[fmt]
        except KeyError:
            raise ValueError(f"unknown format {fmt!r}") from None
        return render(self, chunks, digests)

    def _nquads(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        return [b"".join(chunks.values())]

    def _ntriples(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        self._analyze(chunks, digests)
        return [b"".join(sorted({_triple(x) for d in chunks.values()
                                 for x in d.splitlines(keepends=True)}))]

    def _jsonld(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        quads = list(ox.parse(b"".join(chunks.values()), format=ox.RdfFormat.N_QUADS))
        return [ox.serialize(quads, format=ox.RdfFormat.JSON_LD, prefixes=_prefixes())]

    #: How each format of :data:`FORMATS` is rendered: a method taking the chunks and their
    #: digests and returning the parts of the file.
    _RENDERERS: dict[str, Callable[..., list[bytes]]] = {
        "trig": _trig, "ttl": _turtle, "nq": _nquads, "nt": _ntriples, "jsonld": _jsonld,
    }


def write_chunks(chunks: Mapping[str, bytes], out_dir: Path, stem: str = "qmgraph",
                 formats: Iterable[str] = ("trig", "ttl"), cache_dir: Path | None = None,
                 digests: Mapping[str, str] | None = None,
                 writer: ChunkWriter | None = None) -> list[Path]:
    """Write ``chunks`` in each format as ``out_dir/stem.suffix``; returns the paths.

    ``cache_dir`` keeps each graph's serialized blocks for the next build (see
    :class:`ChunkWriter`); ``digests`` name each chunk's content (equal digests only for
    equal chunks: hashes, or a build's cache keys), so unchanged blocks need not be read.
    """
    sweep_partials(out_dir)
    writer = writer or ChunkWriter(cache_dir)
    digests = digests or {g: writer._digest(d) for g, d in chunks.items()}
    paths = []
    formats = list(formats)
    for i, fmt in enumerate(formats):
        path = out_dir / f"{stem}{FORMATS[fmt][0]}"
        writer.open_previous(fmt, path)
        parts = writer.render_parts(chunks, fmt, digests)
        if "ttl" not in formats[i + 1 :]:
            writer._trig_made.clear()  # no Turtle left to make from the TriG blocks
        written = atomic_write(path, lambda p, ps=parts: _write_parts(p, ps))
        del parts
        writer.remember(fmt, path, written)
        paths.append(path)
    writer._analyze(chunks, digests)
    writer.prune()
    return paths


def _write_parts(path: Path, parts: list[bytes]) -> None:
    with open(path, "wb") as fh:
        fh.writelines(parts)


def write_outputs(quads: list[tuple], out_dir: Path, stem: str = "qmgraph",
                  formats: Iterable[str] = ("trig", "ttl")) -> list[Path]:
    """Write rdflib ``quads`` in each format (see :func:`write_chunks`)."""
    by_graph: dict[str, list[str]] = {}
    for line in nquads_lines(quads):
        by_graph.setdefault(line.rsplit(" ", 2)[-2][1:-1], []).append(line)
    chunks = {g: "".join(ls).encode("utf-8") for g, ls in sorted(by_graph.items())}
    return write_chunks(chunks, out_dir, stem, formats)
