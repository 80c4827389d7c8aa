"""Stage 7, validate: SHACL shapes in ``shapes/`` against the emitted dataset.

Validation is sharded by named graph (docs/decisions/0005-shapes-and-validation.md):

* every named graph is copied into its own plain in-memory :class:`rdflib.Graph`
  (never an Oxigraph-backed graph: pyshacl on one took 370 s instead of 7 s);
* nodes of that graph that it only *references* (an organization from the shared graph, the
  national activity a provincial one mirrors) are added as type stubs — their ``rdf:type``
  triples, wherever they are stated — so ``sh:class`` checks work across graphs;
* only results about the graph's own subjects are kept, so the shared graph's nodes are
  validated once, in the shared graph's shard, however many notices reference them;
* pyshacl runs with ``inference="none"`` and without the ontology: shapes spell out class
  alternatives with ``sh:or`` instead of relying on the class hierarchy.

Results are merged, de-duplicated and sorted, so a report is the same on every run.
Engines live in :data:`ENGINES`: "oxigraph" (default) compiles the shapes to SPARQL and runs
them on a pyoxigraph store, emulating the sharding exactly (``sparql_engine``); "pyshacl"
runs pyshacl on the shards, batched to ~20k triples, in two processes when several.
:mod:`qmgraph.validate.incremental` gives the "oxigraph" report of a dataset that changed a
little since its last run by re-checking only the focus nodes the change can affect.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.term import Node

from qmgraph.errors import InputError, QmgraphError, ValidationFailed
from qmgraph.namespaces import ID, SH, SHARED_GRAPH, new_graph
from qmgraph.resources import ontology_file, resource_root, shapes_dir

if TYPE_CHECKING:  # the engine module imports pyoxigraph: loaded only when it runs
    from qmgraph.validate.sparql_engine import CompiledCheck

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "QMS",
    "ValidationInput",
    "ValidationReport",
    "ValidationResult",
    "load_ontology",
    "load_shapes",
    "validate",
]

REPO_ROOT = resource_root()  # holds shapes/, ontology/, queries/ (a checkout or the wheel's copy)
DEFAULT_SHAPES_DIR = shapes_dir()
DEFAULT_ONTOLOGY = ontology_file()

#: Namespace of the shapes and of the ``qms:ruleId`` annotation.
QMS = Namespace("https://w3id.org/qmgraph/shapes#")

#: Rule ID reported when a result's shape carries none (should not happen with our shapes).
UNKNOWN_RULE = "QM-UNKNOWN"

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


# ------------------------------------------------------------------------------ results


@dataclass
class ValidationResult:
    """One SHACL result (or QC row) with the rule that produced it.

    ``focus``, ``path`` are full IRIs; ``value`` is an IRI, or a literal in Turtle form with
    the project's prefixes (``"2022"^^xsd:integer``, ``"…"@zh``). ``message`` is English,
    ``message_zh`` Chinese. The ``*_node`` fields keep the RDF terms for :meth:`to_graph`.
    """

    rule_id: str
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    message_zh: str = ""
    source_shape: str | None = None
    constraint: str | None = None
    focus_node: Node | None = field(default=None, repr=False, compare=False)
    path_node: Node | None = field(default=None, repr=False, compare=False)
    value_node: Node | None = field(default=None, repr=False, compare=False)

    def key(self) -> tuple[str, ...]:
        """Identity used to de-duplicate results from different shards."""
        return (
            self.rule_id,
            self.severity,
            self.focus,
            self.path or "",
            self.value or "",
            self.source_shape or "",
            self.constraint or "",
            self.message,
        )

    def sort_key(self) -> tuple:
        return (
            self.focus,
            self.rule_id,
            self.path or "",
            self.value or "",
            _SEVERITY_ORDER.get(self.severity, 9),
            self.constraint or "",
            self.message,
        )


@dataclass
class ValidationReport:
    """All results of one validation run, sorted; ``conforms`` ignores warnings and infos."""

    conforms: bool
    results: list[ValidationResult]
    engine: str

    def counts(self) -> dict[str, int]:
        """Number of results per severity (Violation, Warning, Info)."""
        out = {"Violation": 0, "Warning": 0, "Info": 0}
        for r in self.results:
            out[r.severity] = out.get(r.severity, 0) + 1
        return out

    def rule_ids(self) -> set[str]:
        return {r.rule_id for r in self.results}

    def text(self) -> str:
        """A plain-text report: a summary line, then one block per result."""
        c = self.counts()
        state = "conforms" if self.conforms else "does not conform"
        lines = [
            f"Validation ({self.engine}): {state} — {c['Violation']} violation(s), "
            f"{c['Warning']} warning(s), {c['Info']} info(s)"
        ]
        nsm = new_graph().namespace_manager
        for r in self.results:
            component = (r.constraint or "").rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
            detail = f" ({component})" if component else ""
            lines.append(f"[{r.rule_id}] {r.severity}{detail}: {r.message}")
            if r.message_zh:
                lines.append(f"    {r.message_zh}")
            lines.append(f"    focus: {r.focus}")
            if r.path:
                lines.append(f"    path:  {_compact(r.path, nsm)}")
            if r.value is not None:
                lines.append(f"    value: {r.value}")
        return "\n".join(lines) + "\n"

    def to_graph(self) -> Graph:
        """The report as a SHACL validation report graph, with deterministic IRIs."""
        g = new_graph()
        g.bind("qms", QMS)
        report = ID["validation/report"]
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = ID[f"validation/result/{_digest('|'.join(r.key()))}"]
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, QMS.ruleId, Literal(r.rule_id)))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add(
                (node, SH.focusNode, r.focus_node if r.focus_node is not None else URIRef(r.focus))
            )
            if r.path_node is not None or r.path:
                g.add(
                    (
                        node,
                        SH.resultPath,
                        r.path_node if r.path_node is not None else URIRef(r.path),
                    )
                )
            if r.value_node is not None:
                g.add((node, SH.value, r.value_node))
            elif r.value is not None:
                g.add((node, SH.value, Literal(r.value)))
            if r.source_shape:
                g.add((node, SH.sourceShape, URIRef(r.source_shape)))
            if r.constraint:
                g.add((node, SH.sourceConstraintComponent, URIRef(r.constraint)))
            g.add((node, SH.resultMessage, Literal(r.message, lang="en")))
            if r.message_zh:
                g.add((node, SH.resultMessage, Literal(r.message_zh, lang="zh")))
        return g

    def raise_for_violations(self) -> None:
        """Raise :class:`~qmgraph.errors.ValidationFailed` unless the report conforms."""
        if not self.conforms:
            n = self.counts()["Violation"]
            raise ValidationFailed(
                f"{n} SHACL violation(s); rules: {', '.join(sorted(self.rule_ids()))}"
            )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _compact(iri: str, nsm) -> str:
    try:
        return URIRef(iri).n3(nsm)
    except Exception:  # noqa: BLE001 — a path that is not a plain IRI
        return iri


# ------------------------------------------------------------------------ shapes/ontology


@lru_cache(maxsize=8)
def _load_shapes_cached(directory: str) -> Graph:
    d = Path(directory)
    files = sorted(d.glob("*.ttl"))
    if not files:
        raise QmgraphError(
            f"no shapes (*.ttl) in {d}", hint="give a folder of SHACL Turtle files (qmgraph validate --shapes DIR)"
        )
    g = new_graph()
    g.bind("qms", QMS)
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise QmgraphError(f"cannot parse shapes file: {exc}", path=str(f)) from exc
    return g


def load_shapes(shapes_dir: str | Path | None = None) -> Graph:
    """All ``*.ttl`` files of ``shapes_dir`` (default ``<repo>/shapes``) as one graph.

    Cached per directory: treat the returned graph as read-only.
    """
    directory = Path(shapes_dir) if shapes_dir is not None else DEFAULT_SHAPES_DIR
    return _load_shapes_cached(str(directory.resolve()))


def load_ontology(path: str | Path | None = None) -> Graph:
    """The OWL ontology (default ``<repo>/ontology/qmgraph.ttl``) as a fresh graph."""
    p = Path(path) if path is not None else DEFAULT_ONTOLOGY
    if not p.is_file():
        raise InputError("ontology file not found", path=str(p))
    g = new_graph()
    g.parse(p, format="turtle")
    return g


# ------------------------------------------------------------------------------- inputs


class ValidationInput:
    """The data to validate, converted lazily to what an engine needs.

    Built from an rdflib :class:`~rdflib.Dataset` or :class:`~rdflib.Graph`, a list of
    quads ``(s, p, o, graph)`` of rdflib terms (as ``qmgraph.emit.corpus_quads`` returns),
    N-Quads bytes, or a :class:`pyoxigraph.Store`. :meth:`graph` gives an rdflib graph (for
    pyshacl), :meth:`store` a pyoxigraph store whose triples are all in named graphs
    (default-graph triples go to ``urn:qmgraph:default-graph``).
    """

    def __init__(self, data) -> None:
        self._graph: Graph | None = None
        self._store = None
        self._quads: list[tuple] | None = None
        self._nquads: bytes | None = None
        if isinstance(data, ValidationInput):
            self.__dict__.update(data.__dict__)
        elif isinstance(data, Graph):
            self._graph = data
        elif isinstance(data, (bytes, bytearray, memoryview)):
            self._nquads = bytes(data)
        elif type(data).__name__ == "Store" and type(data).__module__.startswith("pyoxigraph"):
            self._store = data
        elif isinstance(data, Iterable) and not isinstance(data, str):
            self._quads = list(data)
        else:
            raise QmgraphError(
                f"cannot validate a {type(data).__name__}",
                hint="pass an rdflib Dataset or Graph, a list of quads, N-Quads bytes or a "
                "pyoxigraph Store",
            )

    def graph(self) -> Graph:
        """An rdflib Dataset (or the plain Graph given) holding the data."""
        if self._graph is None:
            if self._quads is not None:
                from qmgraph.emit import to_dataset

                self._graph = to_dataset(self._quads)
            else:
                ds = Dataset()
                ds.parse(data=self._nquads_bytes(), format="nquads")
                self._graph = ds
        return self._graph

    def _nquads_bytes(self) -> bytes:
        if self._nquads is not None:
            return self._nquads
        import pyoxigraph as ox

        return self.store().dump(format=ox.RdfFormat.N_QUADS)

    def store(self):
        """A :class:`pyoxigraph.Store` holding the data, every triple in a named graph."""
        if self._store is not None:
            return self._fix_default_graph(self._store)
        import pyoxigraph as ox

        from qmgraph.validate.sparql_engine import DEFAULT_GRAPH_NAME, to_oxigraph

        store = ox.Store()
        if self._nquads is not None:
            store.load(self._nquads, format=ox.RdfFormat.N_QUADS)
        elif self._quads is not None and (nq := _nquads_or_none(self._quads)) is not None:
            store.load(nq, format=ox.RdfFormat.N_QUADS)
        else:  # blank nodes keep their labels (reported as _:label, like pyshacl's)
            default = ox.NamedNode(DEFAULT_GRAPH_NAME)
            if self._quads is not None:
                rows = self._quads
            elif getattr(self._graph, "context_aware", False):
                rows = (
                    (s, p, o, getattr(c, "identifier", c))
                    for s, p, o, c in self._graph.quads((None, None, None, None))
                )
            else:
                rows = ((s, p, o, None) for s, p, o in self._graph)
            store.extend(
                ox.Quad(
                    to_oxigraph(s),
                    to_oxigraph(p),
                    to_oxigraph(o),
                    to_oxigraph(g)
                    if isinstance(g, URIRef) and g != DATASET_DEFAULT_GRAPH_ID
                    else default,
                )
                for s, p, o, g in rows
            )
        self._store = store
        return self._fix_default_graph(store)

    @staticmethod
    def _fix_default_graph(store):
        """Move default-graph triples to a named graph (shards are named graphs)."""
        import pyoxigraph as ox

        from qmgraph.validate.sparql_engine import DEFAULT_GRAPH_NAME

        stray = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if stray:
            g = ox.NamedNode(DEFAULT_GRAPH_NAME)
            for q in stray:
                store.remove(q)
                store.add(ox.Quad(q.subject, q.predicate, q.object, g))
        return store


def _nquads_or_none(quads: list[tuple]) -> bytes | None:
    """``quads`` as N-Quads, or None if one has a blank node or no graph name.

    Blank nodes are left to the slower path that keeps their labels (Oxigraph relabels
    blank nodes it parses). IRIs are rendered once each.
    """
    from qmgraph.emit.write import nt_term

    iris: dict[Node, str] = {}
    out: list[str] = []
    app = out.append
    for quad in quads:
        o = quad[2]
        for t in (quad[0], quad[1], quad[3]):
            if t not in iris:
                if not isinstance(t, URIRef) or t == DATASET_DEFAULT_GRAPH_ID:
                    return None
                iris[t] = f"<{t}>"
        if isinstance(o, Literal):
            obj = nt_term(o)
        elif isinstance(o, URIRef):
            obj = f"<{o}>"
        else:
            return None
        app(f"{iris[quad[0]]} {iris[quad[1]]} {obj} {iris[quad[3]]} .\n")
    return "".join(out).encode("utf-8")


# ------------------------------------------------------------------------------ engines

#: Triples per pyshacl data graph: notice shards are batched up to this size.
PYSHACL_BATCH_TRIPLES = 20_000
#: Worker processes for pyshacl batches (used when there is more than one batch).
PYSHACL_WORKERS = 2


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    """Validate with pyshacl: no inference, no ontology, data graph used in place."""
    import pyshacl  # imported lazily: ~1 s

    _conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=None,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        js=False,
        inplace=True,
        debug=False,
    )
    return results_graph


@lru_cache(maxsize=4)
def _shapes_from_nt(text: str) -> Graph:
    g = new_graph()
    g.parse(data=text, format="nt")
    return g


def _pyshacl_batch(
    triples: list[tuple], own: set[Node], shapes: Graph | str
) -> list[ValidationResult]:
    """One pyshacl run (a worker of :func:`pyshacl_engine`)."""
    shapes_graph = _shapes_from_nt(shapes) if isinstance(shapes, str) else shapes
    g = new_graph()
    for t in triples:
        g.add(t)
    report = _run_pyshacl(g, shapes_graph)
    return list(_results_from_graph(report, shapes_graph, own))


def _batches(shards: Iterable[_Shard], size: int) -> Iterator[tuple[list[tuple], set[Node]]]:
    """Shards grouped, in order, into batches of about ``size`` triples."""
    triples: list[tuple] = []
    own: set[Node] = set()
    for shard in shards:
        if triples and len(triples) + len(shard.data) > size:
            yield triples, own
            triples, own = [], set()
        triples.extend(shard.data)
        own |= shard.own
    if triples:
        yield triples, own


def pyshacl_engine(data: ValidationInput, shapes: Graph) -> list[ValidationResult]:
    """pyshacl on the shards of ``data``, batched to ~:data:`PYSHACL_BATCH_TRIPLES` triples.

    Batches run in :data:`PYSHACL_WORKERS` processes when there are several.
    """
    batches = list(_batches(_shards(data.graph()), PYSHACL_BATCH_TRIPLES))
    if len(batches) <= 1 or PYSHACL_WORKERS <= 1:
        return [r for t, own in batches for r in _pyshacl_batch(t, own, shapes)]
    from concurrent.futures import ProcessPoolExecutor

    shapes_nt = shapes.serialize(format="nt")
    out: list[ValidationResult] = []
    with ProcessPoolExecutor(max_workers=min(PYSHACL_WORKERS, len(batches))) as pool:
        futures = [pool.submit(_pyshacl_batch, t, own, shapes_nt) for t, own in batches]
        for f in futures:
            out.extend(f.result())
    return out


def oxigraph_engine(data: ValidationInput, shapes: Graph) -> list[ValidationResult]:
    """The shapes compiled to SPARQL (:mod:`qmgraph.validate.sparql_engine`), on Oxigraph."""
    from qmgraph.validate.sparql_engine import run_checks

    return check_results(run_checks(data.store(), _compiled(shapes)), shapes)


def check_results(
    rows: Iterable[tuple[CompiledCheck, Node, Node | None]], shapes: Graph
) -> list[ValidationResult]:
    """The results of compiled-check rows ``(check, focus, value)``, in row order."""
    nsm = new_graph().namespace_manager
    rule_info: dict[Node, tuple[str, Node | None, str, str]] = {}
    out: list[ValidationResult] = []
    for check, focus, value in rows:
        src = check.source_shape
        if src not in rule_info:
            rule_shape, rule_id, en, zh = _rule_info(shapes, src)
            if not en:
                component = str(check.constraint).rsplit("#", 1)[-1]
                en = f"{component.removesuffix('ConstraintComponent')} constraint not met"
            rule_info[src] = (rule_id, rule_shape, en, zh)
        rule_id, rule_shape, en, zh = rule_info[src]
        out.append(
            ValidationResult(
                rule_id=rule_id,
                severity=check.severity,
                focus=_term_str(focus, nsm) or "",
                path=str(check.path) if check.path is not None else None,
                value=_term_str(value, nsm),
                message=en,
                message_zh=zh,
                source_shape=str(rule_shape) if isinstance(rule_shape, URIRef) else None,
                constraint=str(check.constraint),
                focus_node=focus,
                path_node=check.path,
                value_node=value,
            )
        )
    return out


_COMPILED: dict[int, tuple[Graph, list]] = {}


def _compiled(shapes: Graph) -> list[CompiledCheck]:
    """The compiled queries of ``shapes`` (cached per shapes graph object)."""
    from qmgraph.validate.sparql_engine import compile_shapes

    hit = _COMPILED.get(id(shapes))
    if hit is None or hit[0] is not shapes:
        hit = (shapes, compile_shapes(shapes))
        _COMPILED[id(shapes)] = hit
    return hit[1]


#: An engine maps the data and the shapes graph to results (not yet merged or sorted).
Engine = Callable[[ValidationInput, Graph], list["ValidationResult"]]

#: Validation engines by name; add one here to offer it through ``validate(engine=…)``.
ENGINES: dict[str, Engine] = {"oxigraph": oxigraph_engine, "pyshacl": pyshacl_engine}

#: Engine used when none is named.
DEFAULT_ENGINE = "oxigraph"


# ------------------------------------------------------------------------------ sharding


@dataclass
class _Shard:
    name: str
    data: Graph
    own: set[Node]  #: subjects stated in this graph: results about them are kept


def _type_index(dataset: Graph) -> dict[Node, set[Node]]:
    types: dict[Node, set[Node]] = {}
    for s, _p, o, _g in dataset.quads((None, RDF.type, None, None)):
        types.setdefault(s, set()).add(o)
    return types


def _shards(dataset: Dataset | Graph) -> Iterator[_Shard]:
    """One shard per non-empty graph of ``dataset``; the shared graph comes first."""
    if not getattr(dataset, "context_aware", False):
        g = new_graph()
        for t in dataset:
            g.add(t)
        yield _Shard(str(dataset.identifier), g, set(g.subjects()))
        return

    types = _type_index(dataset)
    contexts = dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts()
    graphs = [ctx for ctx in contexts if len(ctx) > 0]
    graphs.sort(
        key=lambda c: (
            c.identifier != SHARED_GRAPH,
            c.identifier == DATASET_DEFAULT_GRAPH_ID,
            str(c.identifier),
        )
    )
    for ctx in graphs:
        g = new_graph(identifier=ctx.identifier)
        referenced: set[Node] = set()
        for s, p, o in ctx:
            g.add((s, p, o))
            if p != RDF.type and not isinstance(o, Literal):
                referenced.add(o)
        own = set(g.subjects())
        for node in referenced - own:
            for t in types.get(node, ()):
                g.add((node, RDF.type, t))
        yield _Shard(str(ctx.identifier), g, own)


# ---------------------------------------------------------------------------- validation


def _term_str(term: Node | None, nsm) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3(nsm)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _rule_of(shapes: Graph, shape: Node | None) -> Node | None:
    """The shape that carries the rule ID: ``shape`` itself or the nearest shape above it."""
    seen: set[Node] = set()
    while shape is not None and shape not in seen:
        seen.add(shape)
        if shapes.value(shape, QMS.ruleId) is not None:
            return shape
        parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
        shape = parent
    return None


def _rule_info(shapes: Graph, source: Node | None) -> tuple[Node | None, str, str, str]:
    """(shape carrying the rule, rule ID, English and Chinese message) for a source shape;
    both engines report through this, so they name rules and messages alike."""
    rule_shape = _rule_of(shapes, source)
    if rule_shape is None:
        return None, UNKNOWN_RULE, "", ""
    en, zh = _messages(shapes, rule_shape, SH.message)
    return rule_shape, str(shapes.value(rule_shape, QMS.ruleId)), en, zh


def _messages(graph: Graph, subject: Node, predicate: Node) -> tuple[str, str]:
    en = zh = other = ""
    for m in sorted(graph.objects(subject, predicate), key=str):
        if not isinstance(m, Literal):
            continue
        lang = (m.language or "").lower()
        if lang.startswith("zh"):
            zh = zh or str(m)
        elif lang.startswith("en"):
            en = en or str(m)
        else:
            other = other or str(m)
    return en or other, zh


def _results_from_graph(
    report: Graph, shapes: Graph, keep: set[Node] | None
) -> Iterable[ValidationResult]:
    nsm = new_graph().namespace_manager
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(rep, SH.result):
            focus = report.value(r, SH.focusNode)
            if keep is not None and focus not in keep:
                continue
            source = report.value(r, SH.sourceShape)
            rule_shape, rule_id, en, zh = _rule_info(shapes, source)
            if not en:
                en, zh2 = _messages(report, r, SH.resultMessage)
                zh = zh or zh2
            severity = report.value(r, SH.resultSeverity)
            sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
            path = report.value(r, SH.resultPath)
            value = report.value(r, SH.value)
            constraint = report.value(r, SH.sourceConstraintComponent)
            yield ValidationResult(
                rule_id=rule_id,
                severity=sev,
                focus=_term_str(focus, nsm) or "",
                path=str(path) if isinstance(path, URIRef) else _term_str(path, nsm),
                value=_term_str(value, nsm),
                message=en,
                message_zh=zh,
                source_shape=str(rule_shape) if isinstance(rule_shape, URIRef) else None,
                constraint=str(constraint) if constraint is not None else None,
                focus_node=focus,
                path_node=path if isinstance(path, URIRef) else None,
                value_node=value,
            )


def merge_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """De-duplicate (by :meth:`ValidationResult.key`) and sort deterministically."""
    unique: dict[tuple[str, ...], ValidationResult] = {}
    for r in results:
        unique.setdefault(r.key(), r)
    return sorted(unique.values(), key=ValidationResult.sort_key)


def validate(
    dataset,
    *,
    engine: str = DEFAULT_ENGINE,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Validate ``dataset`` against the shapes, one named graph (shard) at a time.

    ``dataset`` is the emitted :class:`rdflib.Dataset` (a plain :class:`rdflib.Graph` is
    validated as one shard), or a list of quads, N-Quads bytes or a pyoxigraph Store (see
    :class:`ValidationInput`). ``engine`` names an entry of :data:`ENGINES`; ``shapes``
    defaults to :func:`load_shapes`. Raises :class:`~qmgraph.errors.QmgraphError` for an
    unknown engine.
    """
    try:
        run = ENGINES[engine]
    except KeyError:
        raise QmgraphError(
            f"unknown validation engine {engine!r}",
            hint=f"choose one of: {', '.join(sorted(ENGINES))}",
        ) from None
    shapes_graph = shapes if shapes is not None else load_shapes()
    return make_report(run(ValidationInput(dataset), shapes_graph), engine)


def make_report(results: Iterable[ValidationResult], engine: str) -> ValidationReport:
    """The report of an engine's results: merged and sorted (:func:`merge_results`)."""
    merged = merge_results(results)
    conforms = not any(r.severity == "Violation" for r in merged)
    return ValidationReport(conforms=conforms, results=merged, engine=engine)
