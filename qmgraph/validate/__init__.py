"""Stage 7, validate: SHACL shapes in ``shapes/`` (plus a user's own) against a graph.

The data is validated as one graph, the union of the dataset's named graphs
(docs/decisions/0005-shapes-and-validation.md), by an engine of :data:`ENGINES`:

* "shacl" (default): the ``shacl`` package (Rust; passes every W3C SHACL Core test),
  reading an RDF file (a build's TriG, or a temporary N-Quads file); under a second for a
  1,000-notice build;
* "pyshacl": the reference implementation, on a plain in-memory rdflib graph, with
  ``inference="none"`` and without the ontology (shapes spell out class alternatives).

Both return a SHACL validation report graph; one function turns it into
:class:`ValidationResult` objects with the rule ID (``qms:ruleId``) and the English and
Chinese messages of the shape, so the engines report alike. Shapes using SHACL terms that
no engine here checks (SHACL-JS, SHACL-AF rules and node expressions, misspelt ``sh:``
terms) are refused with :class:`~qmgraph.errors.UnsupportedShape` before anything runs:
never a silent pass. Results are de-duplicated and sorted, so a report is the same on
every run.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.namespace import SH as SHACL_TERMS  # rdflib's list of the terms SHACL defines
from rdflib.term import Node

from qmgraph.errors import InputError, QmgraphError, UnsupportedShape
from qmgraph.graphfile import FORMATS, check_text_file, graph_format, read_quads
from qmgraph.namespaces import ID, SH, new_graph, short_hash
from qmgraph.rdfterms import nt_term, to_rdflib
from qmgraph.resources import ontology_file, shapes_dir

__all__ = [
    "DEFAULT_ENGINE", "ENGINES", "QMS", "ValidationInput", "ValidationReport", "ValidationResult",
    "check_supported", "lexical_literals", "load_ontology", "load_shapes", "validate",
]

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

    ``focus`` is a full IRI; ``path`` too, or SPARQL path syntax for a complex path
    (``^<p>``); ``value`` is an IRI, or a literal in Turtle form with the project's prefixes
    (``"2022"^^xsd:integer``, ``"…"@zh``). ``message`` is English,
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
        return (self.rule_id, self.severity, self.focus, self.path or "", self.value or "",
                self.source_shape or "", self.constraint or "", self.message)

    def sort_key(self) -> tuple:
        return (self.focus, self.rule_id, self.path or "", self.value or "",
                _SEVERITY_ORDER.get(self.severity, 9), self.constraint or "", self.message)


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
        lines = [f"Validation ({self.engine}): {state} — {c['Violation']} violation(s), "
                 f"{c['Warning']} warning(s), {c['Info']} info(s)"]
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
            node = ID[f"validation/result/{short_hash('|'.join(r.key()), 16)}"]
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, QMS.ruleId, Literal(r.rule_id)))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.focusNode,
                   r.focus_node if r.focus_node is not None else URIRef(r.focus)))
            if r.path_node is not None:  # a predicate path (complex ones are text only)
                g.add((node, SH.resultPath, r.path_node))
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


def _compact(iri: str, nsm) -> str:
    try:
        return URIRef(iri).n3(nsm)
    except Exception:  # noqa: BLE001 — a path that is not a plain IRI
        return iri


# ------------------------------------------------------------------------ shapes/ontology


@contextmanager
def lexical_literals() -> Iterator[None]:
    """Parse with rdflib keeping literals as written: rdflib otherwise normalizes them
    (``"1"^^xsd:boolean`` becomes ``"true"``), which changes what a shape means (W3C case
    uniqueLang-002: only ``true`` switches ``sh:uniqueLang`` on).

    rdflib reads a module global, so this affects other threads parsing meanwhile; qmgraph
    parses in one thread."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


@lru_cache(maxsize=8)
def _load_shapes_cached(directories: tuple[str, ...]) -> Graph:
    g = new_graph()
    g.bind("qms", QMS)
    for directory in directories:
        d = Path(directory)
        files = sorted(d.glob("*.ttl"))
        if not files:
            raise InputError("no shapes (*.ttl) in this folder", path=str(d),
                             hint="pass a folder of Turtle files that declare SHACL shapes "
                             "(qmgraph validate --shapes DIR)")
        for f in files:
            check_text_file(f, "shapes file")  # an empty one is a mistake, not "no shapes"
            try:
                with lexical_literals():
                    g.parse(f, format="turtle")
            except Exception as exc:  # rdflib raises several parser exception types
                raise InputError(f"cannot parse shapes file: {exc}", path=str(f)) from exc
    _LOADED.append(g)
    del _LOADED[:-8]  # the graphs ``_load_shapes_cached`` still holds, at most
    return g


#: Shapes graphs made by :func:`load_shapes`, read-only by contract: what is worked out
#: from one of them (checks, compiled shapes) is kept for the next validation with it.
_LOADED: list[Graph] = []
#: (shapes graph, its size then, what was worked out from it) by ``id`` of a graph of
#: ``_LOADED``
_PREPARED: dict[tuple[str, int], tuple[Graph, int, object]] = {}
_PREPARING = threading.Lock()


def _prepared(kind: str, shapes: Graph, make: Callable[[Graph], object]) -> object:
    """``make(shapes)``, kept when ``shapes`` is a graph of :func:`load_shapes` (read-only
    by contract; a changed size is noticed and worked out again): a build validates its
    years one by one with the same shapes, and checking, naming and compiling them is
    ~0.1 s of rdflib each time. Safe from several threads."""
    if not any(g is shapes for g in _LOADED):
        return make(shapes)
    with _PREPARING:
        got = _PREPARED.get((kind, id(shapes)))
        if got is None or got[0] is not shapes or got[1] != len(shapes):
            for key in [k for k, (g, _n, _v) in _PREPARED.items()
                        if not any(g is x for x in _LOADED)]:
                _PREPARED.pop(key, None)  # graphs no longer cached by load_shapes
            got = _PREPARED[(kind, id(shapes))] = (shapes, len(shapes), make(shapes))
        return got[2]


def load_shapes(shapes_dir: str | Path | None = None,
                extra: Sequence[str | Path] = ()) -> Graph:
    """All ``*.ttl`` files of ``shapes_dir`` (default ``<repo>/shapes``) and of each folder
    of ``extra`` (a user's own shapes) as one graph.

    Cached per list of folders: treat the returned graph as read-only.
    """
    first = Path(shapes_dir) if shapes_dir is not None else DEFAULT_SHAPES_DIR
    dirs = (first, *(Path(d) for d in extra))
    return _load_shapes_cached(tuple(str(d.resolve()) for d in dirs))


def load_ontology(path: str | Path | None = None) -> Graph:
    """The OWL ontology (default ``<repo>/ontology/qmgraph.ttl``) as a fresh graph."""
    p = Path(path) if path is not None else DEFAULT_ONTOLOGY
    if not p.is_file():
        raise InputError("ontology file not found", path=str(p))
    g = new_graph()
    g.parse(p, format="turtle")
    return g


# ------------------------------------------------------------------------ what is checked

#: SHACL terms no engine here checks: SHACL-JS, and SHACL-AF rules and node expressions
#: (validation infers nothing). A shape using one is refused, never silently passed.
REFUSED_TERMS: frozenset[URIRef] = frozenset(SH[t] for t in (
    "js", "jsFunctionName", "jsLibrary", "jsLibraryURL", "JSConstraint", "JSTarget",
    "JSTargetType", "JSRule", "JSFunction", "JSValidator", "JSExecutable", "JSLibrary",
    "rule", "condition", "TripleRule", "SPARQLRule", "Rule", "entailment", "values",
    "expression", "ExpressionConstraintComponent", "filterShape", "intersection", "union",
    "nodes", "this",
))


def check_supported(shapes: Graph) -> None:
    """Raise :class:`~qmgraph.errors.UnsupportedShape` if ``shapes`` uses a SHACL term
    that is refused (:data:`REFUSED_TERMS`, anywhere), or a shape uses one that SHACL does
    not define (a typo such as ``sh:minCnt`` would otherwise check nothing)."""
    shape_nodes = _shape_nodes(shapes)
    bad: dict[URIRef, Node] = {}
    for s, p, o in shapes:
        for term in (p, o) if p == RDF.type else (p,):
            if isinstance(term, URIRef) and term.startswith(str(SH)) and term not in bad and \
                    (term in REFUSED_TERMS or (term not in SHACL_TERMS and s in shape_nodes)):
                bad[term] = s
    if bad:
        names = ", ".join(f"sh:{t.removeprefix(str(SH))} (on {bad[t].n3()})"
                          for t in sorted(bad))
        raise UnsupportedShape(f"shapes use SHACL terms that are not checked: {names}")


# ------------------------------------------------------------------------------- inputs


class ValidationInput:
    """The data to validate, converted lazily to what an engine needs.

    Built from an rdflib :class:`~rdflib.Dataset` or :class:`~rdflib.Graph`, a list of
    quads ``(s, p, o, graph)`` of rdflib terms (as ``qmgraph.emit.corpus_quads`` returns),
    N-Quads bytes, a :class:`pyoxigraph.Store`, or the :class:`~pathlib.Path` of an RDF
    file (checked and read by :mod:`qmgraph.graphfile`, which names the file in an
    :class:`~qmgraph.errors.InputError` when it is not a graph). :meth:`file` gives an RDF
    file (for ``shacl``, which reads a file with far less memory than a Python string; a
    file is handed over as it is, so its blank nodes keep their order), :meth:`graph` a
    plain rdflib graph of every triple, the union of the named graphs (for pyshacl).
    """

    def __init__(self, data) -> None:
        self._data = data._data if isinstance(data, ValidationInput) else data
        if isinstance(self._data, (bytes, bytearray, memoryview)):
            self._data = bytes(self._data)
        elif isinstance(self._data, Path):
            graph_format(self._data, check_text_file(self._data, "graph file"))
        elif not isinstance(self._data, Graph) and not _is_store(self._data):
            if not isinstance(self._data, Iterable) or isinstance(self._data, str):
                raise QmgraphError(f"cannot validate a {type(data).__name__}",
                                   hint="pass an rdflib Dataset or Graph, a list of quads, "
                                   "N-Quads bytes, a pyoxigraph Store or the path of an RDF file")
            self._data = list(self._data)

    @contextmanager
    def file(self) -> Iterator[Path]:
        """The data as an RDF file: the file given (when its suffix names its format), or a
        temporary N-Quads file."""
        d = self._data
        if isinstance(d, Path) and d.suffix.lower() in FORMATS:
            yield d
            return
        if isinstance(d, Path):  # read by content: hand shacl N-Quads
            import pyoxigraph as ox

            d = ox.serialize(read_quads(d), format=ox.RdfFormat.N_QUADS)
        with tempfile.TemporaryDirectory(prefix="qmgraph-validate-") as tmp:
            path = Path(tmp) / "data.nq"
            if isinstance(d, bytes):
                path.write_bytes(d)
            elif _is_store(d):
                import pyoxigraph as ox

                d.dump(path, format=ox.RdfFormat.N_QUADS)
            elif isinstance(d, list) or getattr(d, "context_aware", False):
                rows = d if isinstance(d, list) else d.quads((None, None, None, None))
                with path.open("w", encoding="utf-8") as out:
                    out.writelines(_nquad(*row) for row in rows)
            else:
                path = path.with_suffix(".nt")
                d.serialize(destination=path, format="nt", encoding="utf-8")
            yield path

    def graph(self) -> Graph:
        """A plain rdflib graph of every triple (the union of the named graphs)."""
        d = self._data
        if isinstance(d, Graph) and not getattr(d, "context_aware", False):
            return d
        if isinstance(d, bytes):
            d = _rdflib_quads(d)
        elif isinstance(d, Path):
            d = _rdflib_quads(read_quads(d))
        elif _is_store(d):
            import pyoxigraph as ox

            d = _rdflib_quads(d.dump(format=ox.RdfFormat.N_QUADS))
        g = new_graph()
        rows = d.quads((None, None, None, None)) if isinstance(d, Graph) else d
        for s, p, o, _c in rows:
            g.add((s, p, o))
        return g


def _nquad(s: Node, p: Node, o: Node, g) -> str:
    """One N-Quads line, blank nodes with their labels (``nt_term`` writes the others)."""
    g = getattr(g, "identifier", g)
    return " ".join(nt_term(t) if isinstance(t, Literal) else t.n3() for t in (s, p, o, g)) \
        + " .\n"


def _is_store(data) -> bool:
    return type(data).__name__ == "Store" and type(data).__module__.startswith("pyoxigraph")


def _rdflib_quads(nquads: bytes | list) -> list[tuple]:
    """N-Quads (or pyoxigraph quads) as rdflib quads, blank node labels kept (rdflib's
    parser renames them)."""
    import pyoxigraph as ox

    quads = nquads if isinstance(nquads, list) else ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    with lexical_literals():  # as the ``shacl`` engine sees them
        return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
                 to_rdflib(q.graph_name)) for q in quads]


# ------------------------------------------------------------------------------ engines

#: Prefix of the names given to blank-node shapes for ``shacl``, which reports them by
#: labels of its own: named, a result's shape is found in our shapes graph.
_BLANK_SHAPE = "urn:qmgraph:blank-shape:"
_SHAPE_LINKS = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _shape_nodes(shapes: Graph) -> set[Node]:
    """Every node of ``shapes`` that is a shape (declared, or referenced as one)."""
    out: set[Node] = set(shapes.subjects(SH.path, None))
    for target in _TARGETS:
        out.update(shapes.subjects(target, None))
    for cls in (SH.NodeShape, SH.PropertyShape):
        out.update(shapes.subjects(RDF.type, cls))
    for link in _SHAPE_LINKS:
        out.update(shapes.objects(None, link))
    for link in _SHAPE_LISTS:
        for head in shapes.objects(None, link):
            out.update(Collection(shapes, head))
    return out


def _named(shapes: Graph) -> tuple[Graph, dict[URIRef, BNode]]:
    """``shapes`` with every blank-node shape given an IRI, and the IRIs' blank nodes."""
    names = {b: URIRef(_BLANK_SHAPE + str(b)) for b in _shape_nodes(shapes)
             if isinstance(b, BNode)}
    g = Graph()
    for s, p, o in shapes:
        g.add((names.get(s, s), p, names.get(o, o)))  # type: ignore[arg-type]
    return g, {iri: b for b, iri in names.items()}


def _compiled(shapes: Graph) -> tuple[object, dict[URIRef, BNode]]:
    """``shapes`` compiled by ``shacl`` (blank-node shapes named), and the names' nodes."""
    import shacl

    named, blanks = _named(shapes)
    return shacl.Shapes.from_text(named.serialize(format="nt"), format="ntriples"), blanks


def shacl_engine(data: ValidationInput, shapes: Graph) -> Graph:
    """The report of the ``shacl`` package, its source shapes those of ``shapes`` (a
    blank-node shape with its description copied in, as the W3C test suite expects)."""
    import pyoxigraph as ox

    compiled, blanks = _prepared("shacl", shapes, _compiled)  # type: ignore[misc]
    with data.file() as path:
        try:
            found = compiled.validate_file(str(path))
        except ValueError as exc:  # the data does not parse
            raise InputError(f"cannot read the data to validate: {exc}") from exc
    report = new_graph()
    with lexical_literals():  # values as the data has them
        for q in ox.parse(found.serialize("ntriples"), format=ox.RdfFormat.N_TRIPLES):
            o = to_rdflib(q.object)
            if isinstance(o, URIRef) and o in blanks:
                o = blanks[o]
                report += shapes.cbd(o)
            report.add((to_rdflib(q.subject), to_rdflib(q.predicate), o))
    return report


def pyshacl_engine(data: ValidationInput, shapes: Graph) -> Graph:
    """The report of pyshacl: no inference, no ontology, the data graph used in place."""
    import pyshacl  # imported lazily: ~1 s

    _conforms, report, _text = pyshacl.validate(
        data.graph(), shacl_graph=shapes, ont_graph=None, inference="none",
        abort_on_first=False, allow_infos=True, allow_warnings=True, meta_shacl=False,
        advanced=False, js=False, inplace=True, debug=False,
    )
    return report


#: An engine maps the data and the shapes graph to a SHACL validation report graph whose
#: ``sh:sourceShape`` objects are nodes of the shapes graph.
Engine = Callable[[ValidationInput, Graph], Graph]

#: Validation engines by name; add one here to offer it through ``validate(engine=…)``.
ENGINES: dict[str, Engine] = {"shacl": shacl_engine, "pyshacl": pyshacl_engine}

#: Engine used when none is named.
DEFAULT_ENGINE = "shacl"


# ---------------------------------------------------------------------------- validation


def _term_str(term: Node | None, nsm) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3(nsm)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


#: SHACL path constructs and how SPARQL writes them (``sh:inversePath`` comes first).
_PATH_FORMS = ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
               (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?"))


def _path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax (``^<p>``, ``(<a>/<b>)+``), for reports:
    a complex path is a blank node, whose label differs from engine to engine."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    alt = graph.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path_text(graph, p) for p in Collection(graph, alt)) + ")"
    for prop, form in _PATH_FORMS:
        inner = graph.value(path, prop)
        if inner is not None:
            text = _path_text(graph, inner)
            return form.format(text if isinstance(inner, URIRef) else f"({text})")
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return f"_:{path}"


def _chain(shapes: Graph, shape: Node | None) -> list[Node]:
    """``shape`` and the shapes above it (through ``sh:property`` and ``sh:node``)."""
    out: list[Node] = []
    while shape is not None and shape not in out:
        out.append(shape)
        shape = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
    return out


def _rule_info(shapes: Graph, source: Node | None) -> tuple[Node | None, str, str, str]:
    """(shape carrying the rule, rule ID, English and Chinese message) for a source shape:
    the nearest shape at or above it with a ``qms:ruleId``, and that shape's messages.

    A user's shapes without ``qms:ruleId`` report the nearest shape with an IRI as the
    rule (its IRI as rule ID; :data:`UNKNOWN_RULE` if none) and the nearest messages.
    """
    chain = _chain(shapes, source)
    for shape in chain:
        rule_id = shapes.value(shape, QMS.ruleId)
        if rule_id is not None:
            return (shape, str(rule_id), *_messages(shapes, shape, SH.message))
    named = next((s for s in chain if isinstance(s, URIRef)), None)
    en = zh = ""
    for shape in chain:
        en, zh = _messages(shapes, shape, SH.message)
        if en or zh:
            break
    return named, str(named) if named is not None else UNKNOWN_RULE, en, zh


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


def _results_from_graph(report: Graph, shapes: Graph) -> Iterable[ValidationResult]:
    """The results of an engine's report graph, with the rule IDs and messages of
    ``shapes`` (the same function for every engine, so they report alike)."""
    nsm = new_graph().namespace_manager
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(rep, SH.result):
            focus = report.value(r, SH.focusNode)
            source = report.value(r, SH.sourceShape)
            rule_shape, rule_id, en, zh = _rule_info(shapes, source)
            if not en:
                en, zh2 = _messages(report, r, SH.resultMessage)
                zh = zh or zh2
            constraint = report.value(r, SH.sourceConstraintComponent)
            if not en:
                name = str(constraint).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
                en = f"{name} constraint not met"
            severity = report.value(r, SH.resultSeverity)
            sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
            path = report.value(r, SH.resultPath)
            value = report.value(r, SH.value)
            yield ValidationResult(
                rule_id=rule_id, severity=sev, focus=_term_str(focus, nsm) or "",
                path=None if path is None else
                str(path) if isinstance(path, URIRef) else _path_text(report, path),
                value=_term_str(value, nsm), message=en, message_zh=zh,
                source_shape=str(rule_shape) if isinstance(rule_shape, URIRef) else None,
                constraint=str(constraint) if constraint is not None else None,
                focus_node=focus, path_node=path if isinstance(path, URIRef) else None,
                value_node=value)


def merge_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """De-duplicate (by :meth:`ValidationResult.key`) and sort deterministically."""
    unique: dict[tuple[str, ...], ValidationResult] = {}
    for r in results:
        unique.setdefault(r.key(), r)
    return sorted(unique.values(), key=ValidationResult.sort_key)


def validate(dataset, *, engine: str = DEFAULT_ENGINE,
             shapes: Graph | None = None) -> ValidationReport:
    """Validate ``dataset`` (the union of its graphs) against the shapes.

    ``dataset`` is anything :class:`ValidationInput` takes (an rdflib Dataset or Graph,
    quads, N-Quads bytes, a pyoxigraph Store, an RDF file's path). ``engine`` names an entry
    of :data:`ENGINES`; ``shapes`` defaults to :func:`load_shapes`. Raises
    :class:`~qmgraph.errors.QmgraphError` for an unknown engine and
    :class:`~qmgraph.errors.UnsupportedShape` for shapes that cannot be checked.
    """
    try:
        run = ENGINES[engine]
    except KeyError:
        raise QmgraphError(f"unknown validation engine {engine!r}",
                           hint=f"choose one of: {', '.join(sorted(ENGINES))}") from None
    shapes_graph = shapes if shapes is not None else load_shapes()
    _prepared("checked", shapes_graph, check_supported)
    report = run(ValidationInput(dataset), shapes_graph)
    return make_report(_results_from_graph(report, shapes_graph), engine)


def make_report(results: Iterable[ValidationResult], engine: str) -> ValidationReport:
    """The report of an engine's results: merged and sorted (:func:`merge_results`)."""
    merged = merge_results(results)
    conforms = not any(r.severity == "Violation" for r in merged)
    return ValidationReport(conforms=conforms, results=merged, engine=engine)
