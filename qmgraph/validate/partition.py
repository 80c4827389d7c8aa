"""Validation by partition: SHACL and the QC queries run on one part of the dataset at a
time, with the report of the whole graph (docs/decisions/0023-validation-by-partition.md).

A *unit* is a set of notice graphs (a build uses one per notice year). A unit is validated
on its own graphs plus the *slice* of the shared graph it needs: the shared subjects its
graphs reference, and everything those reference in turn. The shared graph is validated
alone as one more unit. Results are merged (:func:`qmgraph.validate.merge_results`).

Why the union of the units' results is the whole graph's: with shapes that only look
forward from a focus node (no inverse paths, no fixed or SPARQL targets, no SPARQL
constraints: :func:`partitionable`), a focus node's results depend only on the triples
reachable from it. Inside a unit's data those are exactly the whole graph's when (1) no
subject is stated in two units, (2) no unit references a subject another unit states, and
(3) the shared graph neither states nor references a subject of a notice graph. The
units' *summaries* (:class:`UnitSummary`: hashed subjects, references leaving the unit)
show where (1) and (2) fail; such units are validated together (:func:`plan_groups`).
Where (3) fails, or the data says ``rdfs:subClassOf`` (which SHACL follows in the data
graph), everything is one group: the whole graph, as before. The QC queries obey the same
rule: each matches triples reachable from its ``?focus`` (the NOT EXISTS / MINUS parts
look at triples whose subject is reachable, or that reference the focus from its unit),
or shared triples alone.

With a cache, each group's results are kept by a digest of everything it read (its chunk
digests, its slice, the shapes, the queries, the engine and the code): a rebuild
re-validates only the groups an edit touched.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rdflib import Graph
from rdflib.namespace import RDFS, SH

from qmgraph.cache import digest
from qmgraph.validate import (
    DEFAULT_ENGINE,
    ValidationReport,
    ValidationResult,
    load_shapes,
    make_report,
    validate,
)

__all__ = ["GroupRunner", "PartitionCache", "SharedGraph", "UnitSummary", "group_results",
           "partitionable", "plan_groups", "summarize", "validate_by_partition"]

_SUBCLASS = f"<{RDFS.subClassOf}>".encode()

#: Shape terms that look backwards from a focus node, target fixed nodes or run SPARQL:
#: with any of them a focus node's results may depend on triples of another unit.
_NOT_PARTITIONABLE = (SH.inversePath, SH.targetNode, SH.target, SH.sparql, SH.validator,
                      SH.nodeValidator, SH.propertyValidator)


#: The code a group's results depend on (``qmgraph.cache.code_version``): the validate
#: package and the modules it reads data and makes terms with.
VALIDATION_CODE = ("validate", "rdfterms.py", "graphfile.py")


def _h(term: bytes) -> int:
    """A 64-bit hash of an N-Triples term (subjects are compared by it across units; a
    collision can only join two units, never change a result)."""
    return int.from_bytes(hashlib.blake2b(term, digest_size=8).digest(), "little")


def _parts(line: bytes) -> tuple[bytes, bytes, bytes | None]:
    """(subject, predicate, object term when it is an IRI or blank node) of an N-Quads
    line."""
    s, p, rest = line.split(b" ", 2)
    first = rest[:1]
    o = rest[: rest.index(b" ")] if first in (b"<", b"_") else None
    return s, p, o


@dataclass(frozen=True)
class UnitSummary:
    """What the plan needs of a unit, small enough to keep for every unit of a corpus."""

    subjects: bytes  #: sorted 64-bit hashes (``array("Q")``) of the subjects it states
    refs: tuple[bytes, ...]  #: IRIs and blank nodes it references but does not state, sorted
    subclass: bool = False  #: it states ``rdfs:subClassOf``

    def subject_hashes(self) -> array:
        a = array("Q")
        a.frombytes(self.subjects)
        return a


def summarize(chunks: Iterable[bytes]) -> UnitSummary:
    """The summary of a unit's graphs (N-Quads chunks)."""
    subjects: set[bytes] = set()
    objects: set[bytes] = set()
    subclass = False
    for data in chunks:
        for line in data.splitlines():
            if not line:
                continue
            s, p, o = _parts(line)
            subjects.add(s)
            if o is not None:
                objects.add(o)
            if p == _SUBCLASS:
                subclass = True
    hashes = array("Q", sorted({_h(s) for s in subjects}))
    return UnitSummary(hashes.tobytes(), tuple(sorted(objects - subjects)), subclass)


class SharedGraph:
    """The shared graph's lines by subject, to cut a unit's slice from."""

    def __init__(self, data: bytes) -> None:
        self.lines: dict[bytes, list[bytes]] = {}
        self._refs: dict[bytes, set[bytes]] = {}
        self.subclass = False
        for line in data.splitlines(keepends=True):
            if not line.strip():
                continue
            s, p, o = _parts(line)
            self.lines.setdefault(s, []).append(line)
            if o is not None:
                self._refs.setdefault(s, set()).add(o)
            if p == _SUBCLASS:
                self.subclass = True

    def closure(self, refs: Iterable[bytes]) -> list[bytes]:
        """The shared subjects among ``refs`` and every shared subject they reach, sorted."""
        todo = [r for r in refs if r in self.lines]
        seen = set(todo)
        while todo:
            for o in self._refs.get(todo.pop(), ()):
                if o in self.lines and o not in seen:
                    seen.add(o)
                    todo.append(o)
        return sorted(seen)

    def slice(self, subjects: Iterable[bytes]) -> bytes:
        """The lines of ``subjects`` (a :meth:`closure`)."""
        return b"".join(line for s in subjects for line in self.lines[s])


def partitionable(shapes: Graph) -> bool:
    """True when the shapes look only forward from their focus nodes (see the module
    docstring); otherwise a build validates the whole graph as one group."""
    return not any(True for term in _NOT_PARTITIONABLE
                   for _ in shapes.triples((None, term, None)))


def plan_groups(summaries: Mapping[str, UnitSummary], shared: UnitSummary | None
                ) -> list[list[str]] | None:
    """Units to validate together, in unit order: each unit alone unless a subject is
    stated in two units or one references a subject another states (then they join).
    None when the partition cannot be exact: the shared graph states or references a
    subject of a unit, or the data states ``rdfs:subClassOf``."""
    names = list(summaries)
    if any(s.subclass for s in summaries.values()) or (shared is not None and shared.subclass):
        return None
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}  # subject hash → first unit stating it
    for i, name in enumerate(names):
        for h in summaries[name].subject_hashes():
            j = owner.setdefault(h, i)
            if j != i:
                parent[find(i)] = find(j)
    if shared is not None:
        if any(h in owner for h in shared.subject_hashes()) or \
                any(_h(r) in owner for r in shared.refs):
            return None
    for i, name in enumerate(names):
        for ref in summaries[name].refs:
            j = owner.get(_h(ref))
            if j is not None and j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        groups.setdefault(find(i), []).append(name)
    return list(groups.values())


class PartitionCache(Protocol):
    """Where a build keeps summaries and group reports (``qmgraph.state.BuildState``)."""

    def kept(self, kind: str, key: str) -> Any: ...
    def keep(self, kind: str, key: str, value: Any) -> None: ...
    def use(self, kind: str, key: str) -> None: ...  #: keep it, unread


def _through(cache: PartitionCache | None, kind: str, key: str, kind_type: type,
             make: Callable[[], Any]) -> Any:
    """What ``cache`` keeps of ``kind`` under ``key`` (when it is a ``kind_type``: anything
    else, an old or damaged entry, is made again), else ``make()``, then kept."""
    got = cache.kept(kind, key) if cache is not None else None
    if not isinstance(got, kind_type):
        got = make()
        if cache is not None:
            cache.keep(kind, key, got)
    return got


def _code_version() -> str:
    """The digest of the code a group's summaries, plan, slices and results are made by
    (looked up in ``qmgraph.cache`` at each call, where the tests replace it)."""
    from qmgraph.cache import code_version

    return code_version(VALIDATION_CODE)


def _rules_digest(engine: str) -> str:
    """What a group's results depend on besides its data: shapes, QC queries, engine and
    the code of the validator."""
    from qmgraph.cache import library_versions
    from qmgraph.resources import qc_dir, shapes_dir

    files = sorted([*shapes_dir().rglob("*.ttl"), *qc_dir().glob("*.rq")])
    # the modules that read the data and turn the engines' terms into results as well
    parts: list[str | bytes] = [_code_version(), engine,
                                *library_versions("shacl", "pyshacl", "pyoxigraph", "rdflib")]
    for f in files:
        parts += [f.name, f.read_bytes()]
    return digest(*parts)


def group_results(data: bytes, engine: str, also: Callable[[Any], Any] | None = None) -> Any:
    """SHACL results and QC rows (as results) of one group's N-Quads, with the project's
    shapes (:func:`load_shapes`, read once a process; a cluster worker's unit too); with
    ``also``, the pair of those and ``also(store)`` of the group's in-memory QC store (a
    build's recorded listings, ``qmgraph.listings``)."""
    import pyoxigraph as ox

    from qmgraph.validate.qc import qc_results, run_qc

    report = validate(data, engine=engine, shapes=load_shapes())
    # The QC store reads the bytes the SHACL engine has just read strictly (it raises on
    # data that does not parse): without checking IRIs and language tags again, which is
    # ~30 % of loading them.
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
    results = [*report.results, *qc_results(run_qc(store, data=data))]
    return results if also is None else (results, also(store))


#: How a build has its groups checked: ``runner(datas, engine[, also])`` yields
#: :func:`group_results` of each group's N-Quads in order (with ``also``, the pairs of
#: results and ``also(store)``; ``qmgraph.pipeline._validation_runner``: on a cluster's
#: workers); reads ``datas`` lazily, so that only the groups in flight are held.
GroupRunner = Callable[..., Iterator[Any]]


def _in_process(datas: Iterable[bytes], engine: str,
                also: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    for data in datas:
        yield group_results(data, engine, also)


@dataclass
class PartitionStats:
    """How a partitioned validation went (a build reports it under ``reuse``)."""

    units: int = 0
    groups: int = 0
    validated: list[str] = field(default_factory=list)  #: groups (first unit) re-validated
    whole: bool = False  #: everything was one group (the partition could not be exact)
    also: list[Any] | None = None  #: ``also(store)`` of every group, in order (when asked)


def validate_by_partition(units: Mapping[str, Sequence[str]], chunks: Mapping[str, bytes],
                          shared: str | None, digests: Mapping[str, str] | None = None, *,
                          engine: str = DEFAULT_ENGINE, cache: PartitionCache | None = None,
                          release: Callable[[Sequence[str]], None] | None = None,
                          runner: GroupRunner | None = None,
                          also: Callable[[Any], Any] | None = None, also_key: str = ""
                          ) -> tuple[ValidationReport, PartitionStats]:
    """The report of SHACL plus the QC queries on the union of ``chunks``, computed unit
    by unit (module docstring): equal to ``validate_with_qc`` of the whole dataset.

    ``units`` maps a unit's name to its graphs (every graph of ``chunks`` but ``shared``
    in exactly one unit); ``shared`` names the shared graph. With ``digests`` (graph →
    digest of its chunk) and ``cache``, summaries and group results are kept, and a chunk
    is read only for a group that must be validated again. ``release(graphs)`` is called
    once a group's graphs are no longer needed (the build frees their chunks).
    ``runner`` checks the groups' data (:data:`GroupRunner`; default: in this process).
    ``also(store)`` (picklable: it may run on a cluster's worker) is run on every group's
    in-memory QC store too, its values put in ``stats.also`` in group order and kept by
    the group's key and ``also_key`` (what else they depend on), like the results.
    """
    shapes = load_shapes()
    stats = PartitionStats(units=len(units))
    ok = partitionable(shapes)
    # Without a cache nothing is kept, so nothing needs a key: no chunk is hashed (reading
    # and hashing every chunk was ~1 s of a 10,000-notice build's validation).
    keyed = cache is not None
    rules = _rules_digest(engine) if keyed else ""
    # summaries, plan and slices are made by the validate code too: a change to it must
    # not reuse them (the group results' key, ``rules``, holds it already)
    code = _code_version() if keyed else ""
    if keyed and digests is None:
        digests = {g: digest(chunks[g]) for g in chunks}

    def unit_key(name: str) -> str:
        return digest(code, *(digests[g] for g in units[name])) if keyed else ""  # type: ignore[index]

    summaries = {name: _through(cache, "summary", unit_key(name), UnitSummary,
                                lambda name=name: summarize(chunks[g] for g in units[name]))
                 for name in units}
    index: SharedGraph | None = None

    def shared_index() -> SharedGraph | None:
        nonlocal index
        if index is None and shared is not None:
            index = SharedGraph(chunks[shared])
        return index

    # The plan is kept by the digests of the shared graph and of every unit; the summary
    # of an unchanged shared graph too, so a rebuild reads the shared graph only when it
    # changed (or a slice must be cut from it).
    plan_key = digest("plan", digests[shared] if shared is not None else "",  # type: ignore[index]
                      *(unit_key(n) for n in units)) if ok and keyed else ""
    groups = cache.kept("plan", plan_key) if cache is not None and ok else None
    if ok and not isinstance(groups, list):
        shared_summary = None
        if shared is not None:
            shared_summary = _through(cache, "summary", digest(code, digests[shared]) if keyed else "",  # type: ignore[index]
                                      UnitSummary, lambda: summarize([chunks[shared]]))
        groups = plan_groups(summaries, shared_summary)
        if cache is not None:
            cache.keep("plan", plan_key, groups)
    if not groups:
        groups = [list(units)]
        stats.whole = True
    stats.groups = len(groups) + (shared is not None and not stats.whole)

    def cut_of(refs: list[bytes]) -> tuple[str, Callable[[], bytes]]:
        """The digest of a group's slice of the shared graph, and how to get it: both kept
        by the shared graph's digest and the group's references, so a rebuild whose shared
        graph is unchanged never reads it."""
        if shared is None:
            return "", lambda: b""

        def cut() -> bytes:
            idx = shared_index()
            assert idx is not None
            return idx.slice(idx.closure(refs))

        if not keyed:
            return "", cut
        key = digest("slice", code, digests[shared], *refs)  # type: ignore[index]

        def make() -> bytes:
            return _through(cache, "slice-data", key, bytes, cut)

        got = cache.kept("slice", key)  # type: ignore[union-attr]
        if not isinstance(got, str):
            # cut now for its digest (the group's key), kept in the cache by ``make`` and
            # let go: read back when the group is checked, so a rebuild whose shared graph
            # changed does not hold every group's slice until then
            got = digest(make())
            cache.keep("slice", key, got)  # type: ignore[union-attr]
        else:
            cache.use("slice-data", key)  # type: ignore[union-attr]
        return got, make

    # (label, cache key, the group's data, its graphs) of every group, in order
    jobs: list[tuple[str, str, Callable[[], bytes], list[str]]] = []
    for group in groups:
        graphs = [g for name in group for g in units[name]]
        if stats.whole:
            graphs += [shared] if shared is not None else []
            cut, make_cut = "", lambda: b""
        else:
            cut, make_cut = cut_of(sorted({r for name in group for r in summaries[name].refs}))
        key = digest(rules, "group", *(digests[g] for g in graphs), cut) if keyed else ""  # type: ignore[index]
        jobs.append((group[0] if group else "shared", key,
                     lambda graphs=graphs, make_cut=make_cut:
                     b"".join(chunks[g] for g in graphs) + make_cut(), graphs))
    if shared is not None and not stats.whole:
        jobs.append(("shared", digest(rules, "shared", digests[shared]) if keyed else "",  # type: ignore[index]
                     lambda: chunks[shared], [shared]))

    # kept results are taken as they are; the others are checked by the runner, in order
    found: list[list[ValidationResult] | None] = [
        (got if isinstance(got := cache.kept("report", key), list) else None)
        if cache is not None else None for _label, key, _make, _graphs in jobs]
    extra: list[Any] = []
    if also is not None:
        # a group whose extra values were not kept (another also_key) is checked again
        extra = [cache.kept("also", digest(key, also_key)) if cache is not None else None
                 for _label, key, _make, _graphs in jobs]
        found = [f if x is not None else None for f, x in zip(found, extra, strict=True)]

    def datas() -> Iterator[bytes]:
        for k, ((label, key, make, graphs), got) in enumerate(zip(jobs, found, strict=True)):
            if got is None:
                stats.validated.append(label)
                data = make()
                # a slice cut while planning is held by its job: let it go with the group
                jobs[k] = (label, key, bytes, graphs)
                if release is not None:
                    release(graphs)
                yield data

    checked = (runner or _in_process)(datas(), engine, *([also] if also is not None else []))
    results: list[ValidationResult] = []
    for k, ((_label, key, _make, graphs), got) in enumerate(zip(jobs, found, strict=True)):
        if got is None:
            got = next(checked)
            if also is not None:
                got, extra[k] = got
                if cache is not None:
                    cache.keep("also", digest(key, also_key), extra[k])
            if cache is not None:
                cache.keep("report", key, got)
        elif release is not None:
            release(graphs)
        results.extend(got)
    if also is not None:
        stats.also = extra
    return make_report(results, engine), stats
