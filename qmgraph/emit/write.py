"""Write the graph to files: byte-identical run after run, never half-written.

The input is one N-Quads chunk per named graph (``qmgraph.emit.corpus_chunks``). Each
graph's block is serialized by pyoxigraph (10–100× faster than rdflib's serializers) with
the project's prefixes and the blocks are concatenated (``ChunkWriter``), so a rebuild
re-serializes only the graphs that changed. Files are written to a temporary file in the
target folder that is renamed over the old file only once complete — a build killed
mid-write leaves the previous outputs intact.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

from qmgraph.cache import (
    digest,
    dump_atomic,
    dump_sealed,
    load_pickle,
    load_sealed,
    read_sealed,
    write_sealed,
)
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


@functools.cache
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


#: A run of lines of one subject (group 1): a chunk's lines are sorted, so each subject's
#: lines are one run, and the regular expression finds the chunk's subjects once each in
#: C instead of splitting and hashing every line in Python (five times the cost).
_SUBJECT_RUN = re.compile(rb"^([^ \n]+) [^\n]*(?:\n\1 [^\n]*)*", re.M)


def chunk_subjects(data: bytes) -> set[bytes]:
    """The distinct subjects of the N-Quads ``data`` (its lines in any order)."""
    return set(_SUBJECT_RUN.findall(data))


#: Bytes of the hash a graph's subjects are known by in the writer's index (16: no two
#: of a corpus's subjects share one, short of a 2^-64 chance at a billion subjects).
_HASH_BYTES = 16


def _subject_hash(subject: bytes) -> bytes:
    return hashlib.blake2b(subject, digest_size=_HASH_BYTES).digest()


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
        #: chunk digest → (lines, its subjects' hashes, sorted and joined)
        self._index: dict[str, tuple[int, bytes]] = {}
        self._index_used: dict[str, tuple[int, bytes]] = {}
        #: subject hash → subject, for the subjects several graphs state
        self._names: dict[bytes, bytes] = {}
        self._names_used: set[bytes] = set()
        # no or unreadable index: work it out again
        index = load_pickle(cache_dir / _INDEX, tuple) if cache_dir is not None else None
        if index is not None and len(index) == 2 and all(isinstance(x, dict) for x in index):
            self._index, self._names = index
        #: format → (path, size, mtime_ns, inode, [(block name, offset, length)…]) of the
        #: outputs last written, and of those written now
        layouts = load_sealed(cache_dir / _LAYOUT) if cache_dir is not None else None
        # none or unreadable: the blocks are read from the block files
        self._layouts: dict[str, tuple] = layouts if isinstance(layouts, dict) else {}
        self._new_layouts: dict[str, tuple] = {}
        #: block name → (open file, offset, length) of the block in an old output
        self._previous: dict[str, tuple[int, int, int]] = {}
        self._fds: list[int] = []
        #: format → (block name, length) of each part just rendered, in file order
        self._placed: dict[str, list[tuple[str | None, int]]] = {}
        self._mine: dict[str, list[bytes]] | None = None  #: graph → its shared subjects
        self._common: set[bytes] = set()  #: triples of subjects several graphs state
        #: distinct triples of the union graph, and quads of the dataset (set once the
        #: chunks are analyzed)
        self.union_triples = 0
        self.quads = 0

    # -- blocks ---------------------------------------------------------------------------

    def _block(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        name = f"{kind}-{key}"
        self._used.add(name)
        old = self._read_previous(name)
        if old is not None:
            self.reused += 1
            return old
        path = self.cache_dir / name if self.cache_dir is not None else None
        if path is not None and (data := read_sealed(path)) is not None:
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
        if it is unchanged since (read block by block as they are used: the file is kept
        open, never read whole, until :meth:`close_previous`)."""
        self._placed[fmt] = []
        entry = self._layouts.get(fmt)
        if entry is None or entry[0] != str(path):
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        st = os.fstat(fd)
        if (st.st_size, st.st_mtime_ns, st.st_ino) != tuple(entry[1:4]):
            os.close(fd)
            return
        self._fds.append(fd)
        for name, off, n in entry[4]:
            self._previous[name] = (fd, off, n)

    def close_previous(self) -> None:
        """Let go of the previous outputs (they may be replaced now)."""
        self._previous = {}
        for fd in self._fds:
            os.close(fd)
        self._fds = []

    def _read_previous(self, name: str) -> bytes | None:
        at = self._previous.get(name)
        if at is None:
            return None
        fd, off, n = at
        try:
            data = os.pread(fd, n, off)
        except OSError:
            return None
        return data if len(data) == n else None

    def remember(self, fmt: str, path: Path, written: os.stat_result) -> None:
        """Note where the blocks just rendered (in ``fmt``) are in ``path``, now written
        (``written``: its status as :func:`atomic_write` left it)."""
        placed = self._placed.pop(fmt, [])
        if self.cache_dir is None or not placed:
            return  # not a format made of blocks
        layout, off = [], 0
        for name, n in placed:
            if name is not None:
                layout.append((name, off, n))
            off += n
        st = written
        if st.st_size == off:
            self._new_layouts[fmt] = (str(path), st.st_size, st.st_mtime_ns, st.st_ino, layout)

    def prune(self) -> None:
        """Forget cached blocks this writer did not use (graphs gone or changed) and keep
        the subjects of the chunks it saw, and where the outputs' blocks are, for the next
        build."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return
        for p in self.cache_dir.iterdir():
            if p.name not in self._used and p.name not in (_INDEX, _LAYOUT):
                p.unlink(missing_ok=True)
        dump_sealed(self.cache_dir / _LAYOUT, self._new_layouts)
        names = {h: self._names[h] for h in self._names_used}
        dump_atomic(self.cache_dir / _INDEX, (self._index_used, names))

    def _serialize(self, data: bytes, fmt: ox.RdfFormat) -> bytes:
        items = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        if fmt == ox.RdfFormat.TURTLE:
            items = (q.triple for q in items)
        # the parser straight into the serializer: no list of a chunk's quads in between
        return _body(ox.serialize(items, format=fmt, prefixes=_prefixes()))

    # -- formats --------------------------------------------------------------------------

    def header(self) -> bytes:
        return "".join(f"@prefix {k}: <{v}> .\n" for k, v in _prefixes().items()).encode()

    # A chunk's bytes are looked at (``chunks[g]``) only when a block of it is not cached:
    # the chunks of a rebuild may be read from the build cache on first use.

    def stream(self, chunks: Mapping[str, bytes], formats: Sequence[str],
               digests: Mapping[str, str], sinks: Sequence[Callable[[bytes], object]]) -> None:
        """Render ``formats`` (each one of :data:`STREAMED`) in one pass over ``chunks``,
        each part handed to the format's sink as soon as it is made (nothing but the graph
        at hand is held: decision 0027). A graph's Turtle block is made from its TriG
        block when that was just serialized (``_turtle_of_trig``)."""
        out = dict(zip(formats, sinks, strict=True))
        for fmt in formats:
            self._placed[fmt] = []

        def put(fmt: str, name: str | None, data: bytes) -> None:
            self._placed[fmt].append((name, len(data)))
            out[fmt](data)

        if "ttl" in out:
            self._analyze(chunks, digests)
        for fmt in ("trig", "ttl"):
            if fmt in out:
                put(fmt, None, self.header())
        for g in chunks:
            d = digests[g]
            made: list[bytes] = []  # the TriG block, when serialized here
            held: list[bytes] = []  # the chunk, read (from the spill) once if at all

            def data(g: str = g, held: list[bytes] = held) -> bytes:
                if not held:
                    held.append(chunks[g])
                return held[0]

            def trig(data: Callable[[], bytes] = data, made: list[bytes] = made) -> bytes:
                made.append(self._serialize(data(), ox.RdfFormat.TRIG))
                return made[0]

            if "trig" in out:
                put("trig", f"trig-{d}", self._block("trig", d, trig))
            if "ttl" in out:
                mine = self._mine[g]  # type: ignore[index]
                key = digest(d.encode(), *mine)
                put("ttl", f"ttl-{key}",
                    self._block("ttl", key, lambda r=data, m=frozenset(mine), t=made:
                                self._turtle_block(r, m, t[0] if t else None)))
            if "nq" in out:
                put("nq", None, data())
        if "ttl" in out and self._common:
            triples = list(ox.parse(b"".join(sorted(self._common)), format=ox.RdfFormat.N_TRIPLES))
            put("ttl", None, _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                                prefixes=_prefixes())))

    def _turtle_block(self, read: Callable[[], bytes], shared: frozenset[bytes],
                      trig: bytes | None) -> bytes:
        """A graph's Turtle block: its triples but those of the subjects several graphs
        state (``shared``), from its TriG block when it has none (then its chunk, which
        ``read`` gives, is not read at all)."""
        derived = _turtle_of_trig(trig) if trig is not None and not shared else None
        if derived is not None:
            return derived
        data = read()
        own = [x for x in data.splitlines(keepends=True) if _subject(x) not in shared] \
            if shared else [data]
        return self._serialize(b"".join(own), ox.RdfFormat.TURTLE)

    def _subjects(self, chunks: Mapping[str, bytes], g: str, key: str) -> tuple[int, bytes]:
        """(number of lines, hashes of its distinct subjects) of chunk ``g``, remembered
        by its digest ``key``."""
        hit = self._index.get(key)
        if not (isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[1], bytes)):
            data = chunks[g]
            hit = (data.count(b"\n") + (not data.endswith(b"\n") and bool(data)),
                   b"".join(sorted(map(_subject_hash, chunk_subjects(data)))))
        self._index_used[key] = hit
        return hit

    def _analyze(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> None:
        """Find the subjects several graphs state, and each graph's share of them.

        Each graph's subjects are known by 16-byte hashes (a few bytes a subject, not a
        set of strings per graph: decision 0027); the exact subjects are looked up for
        the few hashes several graphs share, from the names kept by the last build or
        from the chunks that hold them."""
        if self._mine is not None:
            return
        import numpy as np

        graphs = list(chunks)
        info = [self._subjects(chunks, g, digests[g]) for g in graphs]
        hashes = np.frombuffer(b"".join(h for _n, h in info), dtype=f"V{_HASH_BYTES}")
        owner = np.repeat(np.arange(len(graphs)),
                          [len(h) // _HASH_BYTES for _n, h in info])
        uniq, counts = np.unique(hashes, return_counts=True)
        shared = uniq[counts > 1]
        picked = np.flatnonzero(np.isin(hashes, shared))
        by_graph: dict[int, list[bytes]] = {}
        for i in picked.tolist():
            by_graph.setdefault(int(owner[i]), []).append(hashes[i].tobytes())
        del hashes, owner, uniq, counts, shared, picked
        names = self._names
        self._mine = {g: [] for g in graphs}
        for i, hs in by_graph.items():
            g = graphs[i]
            if any(h not in names for h in hs):
                want = set(hs)
                for line in chunks[g].splitlines():
                    subject = _subject(line)
                    h = _subject_hash(subject)
                    if h in want:
                        names[h] = subject
            self._mine[g] = sorted(names[h] for h in hs)
            self._names_used.update(hs)
        common: set[bytes] = set()
        in_common = 0
        for g in graphs:
            mine = self._mine[g]
            if mine:
                lines = self._block("ttlc", digest(digests[g].encode(), *mine),
                                    lambda g=g, m=set(mine): b"".join(
                                        _triple(x) for x in chunks[g].splitlines(keepends=True)
                                        if _subject(x) in m)).splitlines(keepends=True)
                in_common += len(lines)
                common.update(lines)
        self._common = common
        self.quads = sum(n for n, _h in info)
        self.union_triples = self.quads - in_common + len(common)

    def render(self, chunks: Mapping[str, bytes], fmt: str,
               digests: Mapping[str, str] | None = None) -> bytes:
        """``chunks`` (graph IRI → N-Quads, in output order) serialized in ``fmt``."""
        return b"".join(self.render_parts(chunks, fmt, digests))

    def render_parts(self, chunks: Mapping[str, bytes], fmt: str,
                     digests: Mapping[str, str] | None = None) -> list[bytes]:
        """:meth:`render` as the parts to write one after the other (no 20 MB join)."""
        digests = digests or {g: digest(d) for g, d in chunks.items()}
        try:
            render = self._RENDERERS[fmt]
        except KeyError:
            raise ValueError(f"unknown format {fmt!r}") from None
        if render is None:
            parts: list[bytes] = []
            self.stream(chunks, [fmt], digests, [parts.append])
            return parts
        parts = render(self, chunks, digests)
        self._placed[fmt] = [(None, len(p)) for p in parts]
        return parts

    def _ntriples(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        self._analyze(chunks, digests)
        return [b"".join(sorted({_triple(x) for d in chunks.values()
                                 for x in d.splitlines(keepends=True)}))]

    def _jsonld(self, chunks: Mapping[str, bytes], digests: Mapping[str, str]) -> list[bytes]:
        quads = list(ox.parse(b"".join(chunks.values()), format=ox.RdfFormat.N_QUADS))
        return [ox.serialize(quads, format=ox.RdfFormat.JSON_LD, prefixes=_prefixes())]

    #: How each format of :data:`FORMATS` is rendered: None for the formats
    #: :meth:`stream` writes graph by graph, else a method taking the chunks and their
    #: digests and returning the parts of the file (N-Triples and JSON-LD are made whole:
    #: one sorted set of triples, one document).
    _RENDERERS: dict[str, Callable[..., list[bytes]] | None] = {
        "trig": None, "ttl": None, "nq": None, "nt": _ntriples, "jsonld": _jsonld,
    }


#: The formats written graph by graph, in one pass over the chunks (``ChunkWriter.stream``).
STREAMED = tuple(f for f, r in ChunkWriter._RENDERERS.items() if r is None)


def _atomic_all(paths: Sequence[Path], write: Callable[[list[Path]], None]
                ) -> list[os.stat_result]:
    """:func:`atomic_write` of several files written together: ``write`` gets their
    temporary paths; each file is renamed into place once ``write`` returned (one by one:
    each is whole, old or new)."""
    if not paths:
        write([])
        return []
    rest: list[os.stat_result] = []

    def first(tmp: Path) -> None:
        rest.extend(_atomic_all(paths[1:], lambda tmps: write([tmp, *tmps])))

    return [atomic_write(paths[0], first), *rest]


def write_chunks(chunks: Mapping[str, bytes], out_dir: Path, stem: str = "qmgraph",
                 formats: Iterable[str] = ("trig", "ttl"), cache_dir: Path | None = None,
                 digests: Mapping[str, str] | None = None,
                 writer: ChunkWriter | None = None) -> list[Path]:
    """Write ``chunks`` in each format as ``out_dir/stem.suffix``; returns the paths.

    ``cache_dir`` keeps each graph's serialized blocks for the next build (see
    :class:`ChunkWriter`); ``digests`` name each chunk's content (equal digests only for
    equal chunks: hashes, or a build's cache keys), so unchanged blocks need not be read.
    The formats of :data:`STREAMED` are written together, in one pass over the chunks.
    """
    sweep_partials(out_dir)
    writer = writer or ChunkWriter(cache_dir)
    digests = digests or {g: digest(d) for g, d in chunks.items()}
    formats = list(dict.fromkeys(formats))
    paths = {fmt: out_dir / f"{stem}{FORMATS[fmt][0]}" for fmt in formats}
    streamed = [f for f in formats if f in STREAMED]
    for fmt in streamed:
        writer.open_previous(fmt, paths[fmt])

    def write(tmps: list[Path]) -> None:
        with ExitStack() as stack:
            files = [stack.enter_context(open(p, "wb")) for p in tmps]
            writer.stream(chunks, streamed, digests, [fh.write for fh in files])

    try:
        stats = _atomic_all([paths[f] for f in streamed], write)
    finally:
        writer.close_previous()
    for fmt, st in zip(streamed, stats, strict=True):
        writer.remember(fmt, paths[fmt], st)
    for fmt in formats:
        if fmt not in STREAMED:
            parts = writer.render_parts(chunks, fmt, digests)
            written = atomic_write(paths[fmt], lambda p, ps=parts: _write_parts(p, ps))
            del parts
            writer.remember(fmt, paths[fmt], written)
    writer._analyze(chunks, digests)
    writer.prune()
    return [paths[f] for f in formats]


def _write_parts(path: Path, parts: list[bytes]) -> None:
    with open(path, "wb") as fh:
        fh.writelines(parts)
