"""Incremental validation: after a rebuild, re-check only the focus nodes a change can affect.

:class:`IncrementalValidator` keeps, under its state directory, a persistent pyoxigraph
store holding the last dataset it validated, that dataset's named graphs as N-Quads chunks
(named by digest, CRC-sealed), and a state file with each graph's digest (SHA-256 of its
chunk, or the caller's) and the last results by focus node. On the next call, graphs whose
digest is unchanged are not looked at; the others are diffed line by line against their
previous chunk, the difference is applied to the store, and the compiled checks
(:mod:`qmgraph.validate.sparql_engine`) run again only for the focus nodes the difference
can affect (:func:`affected`). Every other focus node
keeps its previous results: a check on a focus node is a function of what the
:class:`Footprint` of the shapes says it reads, and none of that changed for them. The
report is the one :func:`qmgraph.validate.validate` gives for the whole dataset with the
"oxigraph" engine, result for result and in the same order.

Anything that does not match (no or unreadable state, another version of the shapes or of
this package's code, a store that is missing or cannot be opened, a previous chunk that is
missing or damaged) means a full validation, which also rebuilds the store and the state.
The state file is removed before the store is changed and written (atomically) only once
the store and the chunks match it, so a crash in between leaves no state, and the next run
is a full one. A state directory in use by another validator (its lock is held) gets a
full validation in memory, leaving the directory alone. Chunks with blank nodes are
refused: Oxigraph relabels blank nodes, so lines could not be matched with quads.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from qmgraph.cache import unseal, write_sealed
from qmgraph.errors import QmgraphError
from qmgraph.namespaces import SH
from qmgraph.validate import (
    ValidationReport,
    _compiled,
    check_results,
    load_shapes,
    make_report,
    validate,
)
from qmgraph.validate.sparql_engine import SUPPORTED, CompiledCheck, UnsupportedShape, run_checks

__all__ = ["Footprint", "IncrementalValidator", "RunInfo", "affected", "footprint"]

#: Bumped when the layout of the state directory or of the state file changes.
STATE_FORMAT = 2

#: Above this many focus nodes to re-check, every check runs on an in-memory copy of the
#: dataset instead: re-checking costs ~0.4 ms a focus node on the persistent store, a full
#: run ~3.5 s at 1,000 notices (measured on two cores).
MAX_SCOPED_FOCUS = 8_000

#: Deepest nesting of shapes followed (the compiler refuses deeper nesting too).
_MAX_DEPTH = 16

#: Compiled components that test only the value terms of their path (or the node itself).
_TERM_ONLY = {
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH.nodeKind,
    SH.languageIn,
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.hasValue,
    SH.uniqueLang,
}
#: Compiled components that read more: handled one by one in :func:`_visit`.
_READING = {
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.disjoint,
    SH["class"],
    SH.node,
    SH["or"],
    SH["and"],
    SH.xone,
    SH["not"],
    SH.qualifiedValueShape,
}

_STATE_FILE = "state.json"
_CHUNKS_DIR = "chunks"
_LOCK_FILE = "lock"
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_NQ = ox.RdfFormat.N_QUADS


# ----------------------------------------------------------------------------- footprint


@dataclass
class Footprint:
    """What the compiled checks of a shapes graph read around a focus node, by distance.

    A check on focus node ``f`` in the shard of graph ``g`` reads ``f``'s own triples in
    ``g`` (distance 0), and, following the values of path shapes, nodes further away:
    ``hops[d]`` are the predicates followed from distance ``d`` to ``d + 1``, ``reads[d]``
    the predicates of the triples in ``g`` read of a node at distance ``d``. ``classes``
    are the distances at which ``sh:class`` tests a node: that reads its ``rdf:type`` in
    ``g``, whether ``g`` states it, and, when ``g`` does not, its types in any graph.
    ``objects_of`` are the ``sh:targetObjectsOf`` predicates: a triple with one makes its
    object a focus node.
    """

    reads: list[set[ox.NamedNode]] = field(default_factory=lambda: [set()])
    hops: list[set[ox.NamedNode]] = field(default_factory=list)
    classes: set[int] = field(default_factory=set)
    objects_of: set[ox.NamedNode] = field(default_factory=set)

    @property
    def depth(self) -> int:
        """The largest distance from the focus node at which anything is read."""
        return len(self.reads) - 1

    def _reach(self, d: int) -> None:
        while len(self.reads) <= d:
            self.reads.append(set())
            self.hops.append(set())


def footprint(shapes: Graph) -> Footprint:
    """The :class:`Footprint` of the targeted shapes of ``shapes``.

    Mirrors how :func:`~qmgraph.validate.sparql_engine.compile_shapes` nests patterns: a
    property shape reads its path (and ``sh:lessThan``, ``sh:lessThanOrEquals``,
    ``sh:disjoint`` predicates) on its node; value constraints apply to its values one hop
    further (to the node itself for a node shape); ``sh:node``, ``sh:or``, ``sh:and``,
    ``sh:xone``, ``sh:not`` and ``sh:qualifiedValueShape`` apply a nested shape there;
    the other components (:data:`_TERM_ONLY`) test the value terms alone. A component the
    compiler learns later fails here until it is placed in one of these groups.
    """
    unknown = set(SUPPORTED) - _TERM_ONLY - _READING
    if unknown:
        raise UnsupportedShape(
            f"incremental validation does not know what {sorted(map(str, unknown))} read",
            hint="add them to qmgraph/validate/incremental.py (_TERM_ONLY or footprint)",
        )
    fp = Footprint(
        objects_of={ox.NamedNode(str(p)) for p in shapes.objects(None, SH.targetObjectsOf)}
    )
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    for shape in {s for t in targets for s in shapes.subjects(t, None)}:
        _visit(shapes, fp, shape, 0)
    return fp


def _visit(shapes: Graph, fp: Footprint, shape: Node, d: int) -> bool:
    """Record in ``fp`` what checking ``shape`` on a node at distance ``d`` reads; True if
    it reads any triple (so the edge that led there must be followed back)."""
    if d > _MAX_DEPTH:
        raise UnsupportedShape(f"shape {shape}: shapes nested too deep (a cycle?)")
    fp._reach(d)
    reads = False
    at = d  # where value constraints apply: the node itself, or its values
    path = shapes.value(shape, SH.path)
    if path is not None:
        reads = True
        fp.reads[d].add(ox.NamedNode(str(path)))
        for pred in (SH.lessThan, SH.lessThanOrEquals, SH.disjoint):
            fp.reads[d].update(ox.NamedNode(str(o)) for o in shapes.objects(shape, pred))
        at = d + 1
        fp._reach(at)
    deeper = False
    if (shape, SH["class"], None) in shapes:
        fp.reads[at].add(_RDF_TYPE)
        fp.classes.add(at)
        deeper = True
    nested: list[Node] = []
    for pred in (SH.node, SH["not"], SH.qualifiedValueShape):
        nested += shapes.objects(shape, pred)
    for pred in (SH["or"], SH["and"], SH.xone):
        for lst in shapes.objects(shape, pred):
            nested += Collection(shapes, lst)
    for n in nested:
        deeper = _visit(shapes, fp, n, at) or deeper
    if deeper and path is not None:
        fp.hops[d].add(ox.NamedNode(str(path)))
    for prop in shapes.objects(shape, SH.property):
        reads = _visit(shapes, fp, prop, d) or reads
    return reads or deeper


# ------------------------------------------------------------------------------ affected


@dataclass
class GraphDelta:
    """The quads added to and removed from one named graph, and the subjects among them
    that the graph states now but did not before, or the reverse."""

    graph: ox.NamedNode
    added: list[ox.Quad]
    removed: list[ox.Quad]
    restated: set[ox.NamedNode] = field(default_factory=set)

    def quads(self) -> Iterator[ox.Quad]:
        yield from self.added
        yield from self.removed


def affected(store: ox.Store, deltas: Iterable[GraphDelta], fp: Footprint) -> set[ox.NamedNode]:
    """The focus nodes whose results may differ after ``deltas`` (applied to ``store``).

    A check on ``f`` in graph ``g`` can only change if something it reads changed
    (:class:`Footprint`). Walking the reads of the check in the new data, the first that
    differs from the old data is at a node ``n`` reached from ``f`` along edges of ``g``
    that did not change (an edge that changed makes its subject, nearer to ``f``, differ
    first); so ``f`` is found by following unchanged, i.e. current, edges back from ``n``:

    * distance 0: every subject of a changed triple, and the object of a changed triple
      whose predicate targets objects (``sh:targetObjectsOf``);
    * distance d ≥ 1, back along ``hops[d-1]``, …, ``hops[0]`` in ``g``: subjects of a
      changed triple with a predicate in ``reads[d]``; where sh:class tests, subjects that
      ``g`` stopped or started stating, and, in every graph, nodes whose ``rdf:type``
      changed in any graph.
    """
    deltas = list(deltas)
    out: set[ox.NamedNode] = set()
    retyped: set[ox.NamedNode] = set()
    for delta in deltas:
        for q in delta.quads():
            out.add(q.subject)
            if q.predicate in fp.objects_of and isinstance(q.object, ox.NamedNode):
                out.add(q.object)
            if q.predicate == _RDF_TYPE:
                retyped.add(q.subject)
        for d in range(1, fp.depth + 1):
            seeds = {q.subject for q in delta.quads() if q.predicate in fp.reads[d]}
            if d in fp.classes:
                seeds |= delta.restated
            out |= _upstream(store, seeds, delta.graph, fp.hops[:d])
    for d in sorted(fp.classes - {0}):
        out |= _upstream(store, retyped, None, fp.hops[:d])
    return out


def _upstream(
    store: ox.Store,
    nodes: set[ox.NamedNode],
    graph: ox.NamedNode | None,
    hops: list[set[ox.NamedNode]],
) -> set[ox.NamedNode]:
    """Subjects from which ``nodes`` are reached along ``hops`` (one predicate set per
    hop), all edges in one graph: ``graph``, or any graph when None."""
    frontier = {(graph, n) for n in nodes}
    for preds in reversed(hops):
        step: set[tuple[ox.NamedNode | None, ox.NamedNode]] = set()
        for g, n in frontier:
            for q in store.quads_for_pattern(None, None, n, g):
                if q.predicate in preds:
                    step.add((q.graph_name, q.subject))
        frontier = step
    return {n for _g, n in frontier}


# --------------------------------------------------------------------------------- state


@dataclass
class RunInfo:
    """What one :meth:`IncrementalValidator.validate` call did."""

    full: bool  #: a full validation (then ``reason`` says why)
    reason: str = ""  #: why a full validation, or why every focus node was re-checked
    graphs: int = 0  #: named graphs in the dataset
    graphs_changed: int = 0  #: graphs added, removed or changed
    quads_added: int = 0
    quads_removed: int = 0
    focus_checked: int = 0  #: focus nodes re-checked (0 on a full run: all were)
    seconds: float = 0.0


@dataclass
class _State:
    """The state file: what the store holds and the results of the last run."""

    version: str
    store: str  #: the store's directory, under the state directory
    graphs: dict[str, str]  #: graph IRI → digest of its chunk (a file under chunks/)
    results: dict[str, list[list]]  #: focus IRI → [check index, encoded value] rows

    @classmethod
    def read(cls, path: Path) -> _State:
        raw = json.loads(path.read_text(encoding="utf-8"))
        state = cls(raw["version"], raw["store"], raw["graphs"], raw["results"])
        if not (
            isinstance(state.version, str)
            and isinstance(state.store, str)
            and isinstance(state.graphs, dict)
            and isinstance(state.results, dict)
        ):
            raise ValueError("malformed state")
        return state

    def write(self, path: Path) -> None:
        """Write atomically and durably (a temporary file renamed over the old one)."""
        tmp = path.with_name(path.name + ".tmp")
        data = {
            "format": STATE_FORMAT,
            "version": self.version,
            "store": self.store,
            "graphs": self.graphs,
            "results": self.results,
        }
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable (where directories can be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _encode(term: Node | None) -> str | list | None:
    """A focus or value term for the state file: an IRI as a string, a literal as
    ``[lexical form, language, datatype]``."""
    if term is None or isinstance(term, URIRef):
        return None if term is None else str(term)
    if isinstance(term, Literal):
        return [str(term), term.language, str(term.datatype) if term.datatype else None]
    raise QmgraphError(f"cannot keep {term!r} in the validation state (no blank nodes)")


def _decode(value: str | list | None) -> Node | None:
    if value is None or isinstance(value, str):
        return None if value is None else URIRef(value)
    text, lang, dt = value
    if lang:
        return Literal(text, lang=lang)
    return Literal(text, datatype=URIRef(dt)) if dt else Literal(text)


def _digests(chunks: Mapping[str, bytes]) -> dict[str, str]:
    """SHA-256 of every chunk."""
    return {g: hashlib.sha256(data).hexdigest() for g, data in chunks.items()}


def _version(checks: list[CompiledCheck]) -> str:
    """What the stored results depend on besides the data: the compiled checks (so the
    shapes), the code of this package and Oxigraph's version."""
    h = hashlib.sha256(f"{STATE_FORMAT}\0{ox.__version__}\0".encode())
    for src in sorted(Path(__file__).parent.glob("*.py")):
        h.update(src.name.encode() + b"\0" + src.read_bytes() + b"\0")
    for c in checks:
        h.update(repr(c).encode() + b"\0")  # every field: shape, component, query…
    return h.hexdigest()


#: Suffix of a stored chunk: its N-Quads with a CRC-32 trailer (``qmgraph.cache.seal``).
_CHUNK_SUFFIX = ".nq.sealed"

#: File under the state directory keeping the default shapes parsed and compiled.
_PREPARED_FILE = "shapes.pickle"


def _prepared(state_dir: Path) -> tuple[Graph, list[CompiledCheck], Footprint]:
    """The default shapes (``load_shapes()``), their compiled checks and footprint.

    Parsing and compiling take ~80 ms, much of a small rebuild's validation, so they are
    kept under ``state_dir`` and read back while the shape files, this package's code and
    the rdflib and Oxigraph versions are those they were made from.
    """
    import pickle

    import rdflib

    from qmgraph.validate import DEFAULT_SHAPES_DIR

    h = hashlib.sha256(f"{STATE_FORMAT}\0{ox.__version__}\0{rdflib.__version__}\0".encode())
    sources = [
        *sorted(Path(__file__).parent.glob("*.py")),
        Path(__file__).parents[1] / "namespaces.py",  # the prefixes compiled queries use
        *sorted(DEFAULT_SHAPES_DIR.glob("*.ttl")),
    ]
    for src in sources:
        h.update(src.name.encode() + b"\0" + src.read_bytes() + b"\0")
    key = h.hexdigest()
    path = state_dir / _PREPARED_FILE
    try:
        data = unseal(path.read_bytes())
        stored = pickle.loads(data) if data is not None else None
    except Exception:  # noqa: BLE001 - missing or unreadable: prepare them again
        stored = None
    if isinstance(stored, tuple) and len(stored) == 4 and stored[0] == key:
        return stored[1], stored[2], stored[3]
    shapes = load_shapes()
    checks = _compiled(shapes)
    fp = footprint(shapes)
    write_sealed(path, pickle.dumps((key, shapes, checks, fp), pickle.HIGHEST_PROTOCOL))
    return shapes, checks, fp


class _Busy(Exception):
    """The state directory is in use by another validator."""


class _Stale(Exception):
    """The state does not match what is on disk: validate in full."""


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold the state directory's lock (no-op where ``fcntl`` is missing)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the store's own lock still keeps two writers apart
        yield
        return
    with open(directory / _LOCK_FILE, "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise _Busy(str(exc)) from exc
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# ----------------------------------------------------------------------------- validator


class IncrementalValidator:
    """Validates successive versions of a dataset, re-checking only what changed.

    ``state_dir`` holds the persistent store, the previous chunks and the state file (it
    is created if missing); ``shapes`` defaults to :func:`~qmgraph.validate.load_shapes`.
    :attr:`last` tells what the last :meth:`validate` call did.
    """

    def __init__(self, state_dir: Path, shapes: Graph | None = None) -> None:
        self.state_dir = Path(state_dir)
        if shapes is None:
            self.shapes, self.checks, self.footprint = _prepared(self.state_dir)
        else:
            self.shapes = shapes
            self.checks = _compiled(self.shapes)
            self.footprint = footprint(self.shapes)
        self.version = _version(self.checks)
        self.last: RunInfo | None = None
        #: work a ``finish_later`` validation left running, and the lock it holds
        self._pending: tuple | None = None
        self._held: ExitStack | None = None

    # ------------------------------------------------------------------ public

    def validate(
        self,
        chunks: Mapping[str, bytes],
        digests: Mapping[str, str] | None = None,
        *,
        finish_later: bool = False,
    ) -> ValidationReport:
        """The report of ``validate(b"".join(chunks[g] for g in sorted(chunks)))`` with
        the "oxigraph" engine.

        ``chunks`` maps each named graph IRI to its quads as N-Quads: every line in that
        graph, lines sorted and unique, no blank nodes (as :mod:`qmgraph.emit` writes).
        ``digests`` (graph IRI → a hex digest; equal digests only for equal chunks) spare
        hashing every chunk: with them, only the chunks of changed graphs are read, so
        ``chunks`` may make its values on first use (``qmgraph.emit.LazyChunks``).

        With ``finish_later``, a full validation returns its report while the persistent
        store is still loading: call :meth:`finish` (the state is saved only then, so a
        process that dies first leaves no state and the next run is a full one).
        """
        t0 = time.perf_counter()
        self.finish()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        try:
            held = ExitStack()
            held.enter_context(_locked(self.state_dir))
            try:
                report, info = self._run(chunks, digests, finish_later)
            except BaseException:
                self._held = held
                self.abandon()
                raise
            if self._pending is None:
                held.close()
            else:
                self._held = held
        except _Busy:
            report = validate(
                b"".join(chunks[g] for g in sorted(chunks)), engine="oxigraph", shapes=self.shapes
            )
            info = RunInfo(full=True, reason="state directory in use", graphs=len(chunks))
        info.seconds = time.perf_counter() - t0
        self.last = info
        return report

    def abandon(self) -> None:
        """Wait for what a ``finish_later`` validation left running and release the state
        directory without saving the state (the next run is a full one): for a caller
        that failed before it could use the report."""
        pending, held = self._pending, self._held
        self._pending = self._held = None
        try:
            if pending is not None:
                pending[0].shutdown(wait=True)
        finally:
            if held is not None:
                held.close()

    def finish(self) -> None:
        """Wait for what a ``finish_later`` validation left running, then save the state."""
        pending, held = self._pending, self._held
        self._pending = self._held = None
        if pending is None:
            return
        pool, loading, store, state, chunks = pending
        try:
            loading.result()
            self._commit(store, state, chunks, chunks)
        finally:
            pool.shutdown()
            if held is not None:
                held.close()

    # ---------------------------------------------------------------- internals

    def _run(
        self, chunks: Mapping[str, bytes], given: Mapping[str, str] | None,
        finish_later: bool = False,
    ) -> tuple[ValidationReport, RunInfo]:
        if given is not None and set(given) != set(chunks):
            raise ValueError("digests must name the graphs of the chunks")
        digests = dict(given) if given is not None else _digests(chunks)
        state, reason = self._read_state()
        store = None
        if state is not None:
            try:
                store = ox.Store(str(self.state_dir / state.store))
            except OSError as exc:  # locked by another process, or damaged
                reason = f"cannot open the store: {exc}"
        if state is not None and store is not None:
            try:
                return self._incremental(store, state, chunks, digests)
            except _Stale as exc:  # found before the store changed
                reason = str(exc)
            del store  # closes it
        return self._full(chunks, digests, reason, finish_later)

    def _read_state(self) -> tuple[_State | None, str]:
        path = self.state_dir / _STATE_FILE
        if not path.exists():
            return None, "no state"
        try:
            state = _State.read(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return None, f"unreadable state: {exc}"
        if state.version != self.version:
            return None, "shapes or validation code changed"
        if not (self.state_dir / state.store).is_dir():
            return None, "store missing"
        return state, ""

    def _chunk_path(self, digest: str) -> Path:
        return self.state_dir / _CHUNKS_DIR / f"{digest}{_CHUNK_SUFFIX}"

    def _invalidate(self) -> None:
        """Remove the state file before the store changes (a crash then means a full run)."""
        path = self.state_dir / _STATE_FILE
        if path.exists():
            path.unlink()
            _fsync_dir(self.state_dir)

    def _commit(
        self, store: ox.Store, state: _State, chunks: Mapping[str, bytes], graphs: Iterable[str]
    ) -> None:
        """Save the chunks of ``graphs`` (those that changed), flush the store, then write
        the state."""
        (self.state_dir / _CHUNKS_DIR).mkdir(exist_ok=True)
        for g in graphs:
            if g not in state.graphs:
                continue  # removed
            path = self._chunk_path(state.graphs[g])
            if not path.exists():
                write_sealed(path, chunks[g], optional=False)
        store.flush()
        state.write(self.state_dir / _STATE_FILE)
        self._sweep(state)

    def _sweep(self, state: _State) -> None:
        """Delete the chunks and stores the state no longer names."""
        keep = {f"{d}{_CHUNK_SUFFIX}" for d in state.graphs.values()}
        for f in (self.state_dir / _CHUNKS_DIR).iterdir():
            if f.name not in keep:
                f.unlink()
        for d in self.state_dir.glob("store-*"):
            if d.name != state.store:
                shutil.rmtree(d, ignore_errors=True)

    def _full(
        self, chunks: Mapping[str, bytes], digests: dict[str, str], reason: str,
        finish_later: bool = False,
    ) -> tuple[ValidationReport, RunInfo]:
        """Validate everything on a new persistent store, and save the state (or leave
        that to :meth:`finish`)."""
        data = b"".join(chunks[g] for g in sorted(chunks))
        if b"_:" in data:  # rare in literals: only then parse to be sure
            _reject_blank_nodes(chunks)
        self._invalidate()
        info = RunInfo(
            full=True,
            reason=reason,
            graphs=len(chunks),
            graphs_changed=len(chunks),
            quads_added=data.count(b"\n"),
        )
        name = f"store-{secrets.token_hex(8)}"
        store = ox.Store(str(self.state_dir / name))
        # The checks run on an in-memory copy (queries there are ~4x faster than on disk)
        # while the persistent store loads in another thread (Oxigraph releases the GIL);
        # the load takes longer, so a caller with more to do may let it run on (finish).
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            loading = pool.submit(store.bulk_load, data, format=_NQ)
            state = _State(self.version, name, dict(digests), {})
            rows = self._recheck(_in_memory(data), state, None)
        except BaseException:
            pool.shutdown()
            raise
        self._pending = (pool, loading, store, state, chunks)
        if not finish_later:
            self.finish()
        return make_report(check_results(rows, self.shapes), "oxigraph"), info

    def _incremental(
        self, store: ox.Store, state: _State, chunks: Mapping[str, bytes], digests: dict[str, str]
    ) -> tuple[ValidationReport, RunInfo]:
        """Apply the changed graphs to the store and re-check the affected focus nodes."""
        changed = sorted(
            g for g in set(digests) | set(state.graphs) if digests.get(g) != state.graphs.get(g)
        )
        info = RunInfo(full=False, graphs=len(chunks), graphs_changed=len(changed))
        if changed:
            deltas = [self._delta(g, state.graphs.get(g), chunks.get(g, b"")) for g in changed]
            stated = [
                {n: _states(store, d.graph, n) for n in {q.subject for q in d.quads()}}
                for d in deltas
            ]
            self._invalidate()
            for delta, before in zip(deltas, stated, strict=True):
                for q in delta.removed:
                    store.remove(q)
                store.extend(delta.added)
                delta.restated = {
                    n for n, was in before.items() if _states(store, delta.graph, n) != was
                }
            focus = affected(store, deltas, self.footprint)
            info.quads_added = sum(len(d.added) for d in deltas)
            info.quads_removed = sum(len(d.removed) for d in deltas)
            info.focus_checked = len(focus)
            if len(focus) > MAX_SCOPED_FOCUS:
                info.reason = f"{len(focus)} focus nodes affected: all re-checked in memory"
                self._recheck(_in_memory(b"".join(chunks[g] for g in sorted(chunks))), state, None)
            else:
                self._recheck(store, state, focus)
            state.graphs = dict(digests)
            self._commit(store, state, chunks, changed)
        return make_report(check_results(self._rows(state), self.shapes), "oxigraph"), info

    def _delta(self, graph: str, old_digest: str | None, new: bytes) -> GraphDelta:
        """The quads of ``graph`` added and removed, from the lines of its two chunks."""
        old = b""
        if old_digest is not None:
            try:
                sealed = self._chunk_path(old_digest).read_bytes()
            except OSError as exc:
                raise _Stale(f"previous chunk unreadable: {exc}") from exc
            old = unseal(sealed)  # named by digest, checked by its CRC
            if old is None:
                raise _Stale(f"previous chunk of {graph} damaged")
        old_lines, new_lines = set(old.splitlines()), set(new.splitlines())
        g = ox.NamedNode(graph)
        return GraphDelta(
            g, _parse_lines(new_lines - old_lines, g), _parse_lines(old_lines - new_lines, g)
        )

    def _recheck(
        self, store: ox.Store, state: _State, focus: set[ox.NamedNode] | None
    ) -> list[tuple[CompiledCheck, Node, Node | None]]:
        """Run the checks on ``store`` for ``focus`` (every focus node when None),
        replacing their results in ``state``; the rows found."""
        if focus is None:
            state.results = {}
            rows = list(run_checks(store, self.checks))
        else:
            for f in focus:
                state.results.pop(f.value, None)
            rows = list(run_checks(store, self.checks, focus=sorted(focus, key=str)))
        index = {id(c): i for i, c in enumerate(self.checks)}
        for check, f, value in rows:
            state.results.setdefault(str(f), []).append([index[id(check)], _encode(value)])
        return rows

    def _rows(self, state: _State) -> list[tuple[CompiledCheck, Node, Node | None]]:
        """The stored results as check rows, in check order (the order of a full run, up to
        rows that merge into one result anyway)."""
        flat = sorted(
            ((i, f, v) for f, found in state.results.items() for i, v in found),
            key=lambda r: r[0],
        )
        return [(self.checks[i], URIRef(f), _decode(v)) for i, f, v in flat]


def _in_memory(data: bytes) -> ox.Store:
    """An in-memory store holding the N-Quads ``data``."""
    store = ox.Store()
    store.load(data, format=_NQ)
    return store


def _states(store: ox.Store, graph: ox.NamedNode, node: ox.NamedNode) -> bool:
    """Whether ``graph`` states ``node`` (has a triple with it as subject)."""
    return next(iter(store.quads_for_pattern(node, None, None, graph)), None) is not None


def _parse_lines(lines: set[bytes], graph: ox.NamedNode) -> list[ox.Quad]:
    """The quads of some N-Quads lines of ``graph``'s chunk (checked to be in it, without
    blank nodes)."""
    if not lines:
        return []
    quads = list(ox.parse(b"\n".join(sorted(lines)), format=_NQ))
    for q in quads:
        if q.graph_name != graph:
            raise QmgraphError(
                f"a quad of graph {q.graph_name} is in the chunk of {graph.value}",
                hint="each chunk holds the lines of its own named graph only",
            )
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            _blank_node_error(graph.value)
    return quads


def _reject_blank_nodes(chunks: Mapping[str, bytes]) -> None:
    for g, data in chunks.items():
        if b"_:" in data:
            for q in ox.parse(data, format=_NQ):
                if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                    _blank_node_error(g)


def _blank_node_error(graph: str) -> None:
    raise QmgraphError(
        f"graph {graph} has blank nodes, which incremental validation cannot track",
        hint="validate with qmgraph.validate.validate, or name every node with an IRI",
    )
