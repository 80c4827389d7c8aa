"""The "oxigraph" validation engine: SHACL Core shapes compiled to SPARQL SELECT queries.

Each targeted shape becomes one query per (source shape, constraint component): the
shape's targets, then a pattern that matches exactly the violating (focus, value) pairs.
The queries run on a :class:`pyoxigraph.Store` holding the whole dataset and give the same
:class:`~qmgraph.validate.ValidationResult`\\ s as pyshacl with the sharding of
docs/decisions/0005-shapes-and-validation.md, which they emulate exactly:

* every pattern about a focus node's values is wrapped in ``GRAPH ?g`` — the shard is the
  named graph that states the focus node (a node stated in two graphs is validated in each);
* a target must be stated (be a subject) in ``?g``: the own-subject filter;
* ``sh:class`` on a node looks at its ``rdf:type`` triples in ``?g`` when ``?g`` states
  it, and otherwise at its types in any graph (the type stubs of a node ``?g`` only
  references).

Only the SHACL Core components in :data:`SUPPORTED` are compiled; any other predicate on a
shape raises :class:`UnsupportedShape` when the shapes are compiled, so a new kind of
constraint is never silently ignored. Nested shapes (``sh:node``, ``sh:or``, ``sh:xone``,
``sh:and``, ``sh:not``, ``sh:qualifiedValueShape``) become ``EXISTS`` expressions.
:func:`run_checks` can be restricted to given focus nodes (incremental validation).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from qmgraph.errors import QmgraphError
from qmgraph.namespaces import SH

__all__ = [
    "DEFAULT_GRAPH_NAME",
    "SUPPORTED",
    "CompiledCheck",
    "UnsupportedShape",
    "compile_shapes",
    "run_checks",
]

#: Named graph that receives default-graph triples (every shard must be a named graph).
DEFAULT_GRAPH_NAME = "urn:qmgraph:default-graph"

_QMS_RULE = URIRef("https://w3id.org/qmgraph/shapes#ruleId")

#: Constraint parameters compiled to SPARQL (SHACL Core), by their component.
SUPPORTED: dict[URIRef, str] = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.datatype: "Datatype",
    SH["class"]: "Class",
    SH.nodeKind: "NodeKind",
    SH.languageIn: "LanguageIn",
    SH.pattern: "Pattern",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH["in"]: "In",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.disjoint: "Disjoint",
    SH.hasValue: "HasValue",
    SH.uniqueLang: "UniqueLang",
    SH.node: "Node",
    SH["or"]: "Or",
    SH.xone: "Xone",
    SH["and"]: "And",
    SH["not"]: "Not",
    SH.qualifiedValueShape: "QualifiedValueShape",  # with qualifiedMin/MaxCount
}

#: Predicates of a shape that are not constraints (targets, annotations, structure).
_NON_CONSTRAINT = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.flags,  # read with sh:pattern
    SH.qualifiedMinCount,  # read with sh:qualifiedValueShape
    SH.qualifiedMaxCount,
    _QMS_RULE,
}

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)

#: Datatypes whose lexical form is checked (ill-typed literals fail sh:datatype), by cast.
_CASTABLE = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.boolean,
    XSD.date,
    XSD.dateTime,
    XSD.time,
}

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}

#: Threads that run the compiled queries.
QUERY_THREADS = min(2, os.cpu_count() or 1)

#: Focus nodes per VALUES block of a scoped query: Oxigraph (0.5) joins a block of more
#: than ~1,000 rows with a pattern hundreds of times slower than a few smaller blocks.
_FOCUS_BATCH = 500

#: Largest count a cardinality constraint may use (compiled as that many distinct variables).
_MAX_COUNT_PARAM = 6


class UnsupportedShape(QmgraphError):
    """A shape uses something the SPARQL engine does not compile."""


@dataclass(frozen=True)
class CompiledCheck:
    """One SELECT query: the violations of one constraint component of one shape."""

    source_shape: Node  #: the shape reported as sh:sourceShape
    path: URIRef | None
    constraint: URIRef  #: sh:…ConstraintComponent
    severity: str  #: Violation, Warning or Info
    has_value: bool  #: the query binds ?value
    select: str  #: the projection: ?focus, and the value as ?value when has_value
    target: str  #: the pattern binding ?g and ?focus to the shape's targets
    pattern: str  #: the pattern matching the violations of a bound ?g and ?focus

    @property
    def sparql(self) -> str:
        """The SELECT query over every target."""
        return f"SELECT DISTINCT {self.select} WHERE {{ {self.target} {self.pattern} }}"

    def scoped(self, focus: str) -> str:
        """The SELECT query for the focus nodes ``focus`` only (terms in SPARQL syntax).

        Their VALUES block comes first, so the engine starts from those few nodes instead
        of every target; the target is a group of its own, where binding ?focus is legal.
        """
        return (
            f"SELECT DISTINCT {self.select} WHERE {{ VALUES ?focus {{ {focus} }} "
            f"{{ {self.target} }} {self.pattern} }}"
        )


def _sparql_term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        body = '"' + str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if t.language:
            return f"{body}@{t.language}"
        if t.datatype:
            return f"{body}^^<{t.datatype}>"
        return body
    raise UnsupportedShape(f"blank node {t} used as a constraint value")


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._n = itertools.count()

    def var(self, stem: str = "x") -> str:
        return f"?{stem}{next(self._n)}"

    # ------------------------------------------------------------------ helpers

    def one(self, shape: Node, pred: URIRef) -> Node | None:
        values = list(self.g.objects(shape, pred))
        if len(values) > 1:
            raise UnsupportedShape(f"shape {shape} has {len(values)} values for {pred}")
        return values[0] if values else None

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def check_supported(self, shape: Node) -> None:
        for p in set(self.g.predicates(shape)):
            if p not in SUPPORTED and p not in _NON_CONSTRAINT:
                raise UnsupportedShape(
                    f"shape {shape} uses {p}, which the oxigraph engine does not support",
                    hint="use engine='pyshacl', or add the component to "
                    "qmgraph/validate/sparql_engine.py (with an equivalence test)",
                )
        if (
            self.one(shape, SH.qualifiedValueShape) is not None
            and (
                shape,
                SH.qualifiedValueShapesDisjoint,
                None,
            )
            in self.g
        ):
            raise UnsupportedShape(f"shape {shape}: sh:qualifiedValueShapesDisjoint")

    def path_of(self, shape: Node) -> URIRef | None:
        path = self.one(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShape(f"shape {shape}: only predicate paths are supported")
        return path

    @staticmethod
    def in_graph(g: str, pattern: str) -> str:
        return f"GRAPH {g} {{ {pattern} }}"

    def has_type(self, v: str, cls: Node, g: str) -> str:
        """``v`` is an instance of ``cls`` as seen from the shard of graph ``g``."""
        c = _sparql_term(cls)
        p, o = self.var("p"), self.var("o")
        return (
            f"(EXISTS {{ GRAPH {g} {{ {v} <{RDF.type}> {c} }} }} || "
            f"(NOT EXISTS {{ GRAPH {g} {{ {v} {p} {o} }} }} && EXISTS {{ {v} <{RDF.type}> {c} }}))"
        )

    def distinct(self, vs: list[str]) -> str:
        pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
        return " && ".join(pairs) if pairs else "true"

    def count_param(self, shape: Node, pred: URIRef) -> int:
        n = self.one(shape, pred)
        if not isinstance(n, Literal) or not isinstance(n.value, int) or n.value < 0:
            raise UnsupportedShape(f"shape {shape}: {pred} must be a non-negative integer")
        if n.value > _MAX_COUNT_PARAM:
            raise UnsupportedShape(f"shape {shape}: {pred} {n.value} > {_MAX_COUNT_PARAM}")
        return int(n.value)

    # ------------------------------------------------------- value-node tests

    def value_tests(self, shape: Node, v: str, g: str, depth: int) -> list[tuple[URIRef, str]]:
        """(component, expression true iff value ``v`` satisfies it) for value constraints."""
        out: list[tuple[URIRef, str]] = []
        for pred in sorted(set(self.g.predicates(shape)), key=str):
            if pred not in SUPPORTED:
                continue
            comp = SH[SUPPORTED[pred] + "ConstraintComponent"]
            for param in sorted(self.g.objects(shape, pred), key=str):
                expr = self.value_test(shape, pred, param, v, g, depth)
                if expr is not None:
                    out.append((comp, expr))
        return out

    def value_test(
        self, shape: Node, pred: URIRef, param: Node, v: str, g: str, depth: int
    ) -> str | None:
        if pred == SH.datatype:
            if param == RDF.langString:
                return f'(isLiteral({v}) && lang({v}) != "")'
            if param == RDFS.Literal:
                return f"isLiteral({v})"
            if param == XSD.string:
                return f"(isLiteral({v}) && datatype({v}) = <{XSD.string}>)"
            test = f"(isLiteral({v}) && datatype({v}) = <{param}>"
            if param in _CASTABLE:
                test += f" && isLiteral(<{param}>(STR({v})))"
            return test + ")"
        if pred == SH.nodeKind:
            if param not in _NODE_KINDS:
                raise UnsupportedShape(f"shape {shape}: unknown sh:nodeKind {param}")
            return _NODE_KINDS[param].format(v=v)
        if pred == SH["class"]:
            return self.has_type(v, param, g)
        if pred == SH.languageIn:
            tags = [str(t) for t in self.items(param)]
            if "*" in tags:
                return f'(isLiteral({v}) && lang({v}) != "")'
            ors = " || ".join(f'langMatches(lang({v}), "{t}")' for t in tags) or "false"
            return f'(isLiteral({v}) && lang({v}) != "" && ({ors}))'
        if pred == SH.pattern:
            flags = self.one(shape, SH.flags)
            f = f', "{flags}"' if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_sparql_term(Literal(str(param)))}{f}))"
        if pred == SH.minLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(param)})"
        if pred == SH.maxLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(param)})"
        if pred == SH["in"]:
            members = [f"sameTerm({v}, {_sparql_term(m)})" for m in self.items(param)]
            return "(" + (" || ".join(members) or "false") + ")"
        ops = {
            SH.minInclusive: ">=",
            SH.maxInclusive: "<=",
            SH.minExclusive: ">",
            SH.maxExclusive: "<",
        }
        if pred in ops:
            return f"(isLiteral({v}) && {v} {ops[pred]} {_sparql_term(param)})"
        if pred == SH.node:
            return self.conforms(param, v, g, depth + 1)
        if pred in (SH["or"], SH.xone, SH["and"]):
            parts = [self.conforms(s, v, g, depth + 1) for s in self.items(param)]
            if pred == SH["or"]:
                return "(" + (" || ".join(parts) or "false") + ")"
            if pred == SH["and"]:
                return "(" + (" && ".join(parts) or "true") + ")"
            return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)"
        if pred == SH["not"]:
            return f"!{self.conforms(param, v, g, depth + 1)}"
        if pred == SH.hasValue and self.path_of(shape) is None:
            return f"sameTerm({v}, {_sparql_term(param)})"
        return None  # a constraint on the set of values: see value_set_patterns

    # ------------------------------------------------------ violation patterns

    def violations(
        self, shape: Node, focus: str, g: str, depth: int, *, nested: bool = True
    ) -> list[tuple[Node, URIRef, str, str | None]]:
        """(source shape, component, pattern, value variable) for each violation kind.

        A pattern is a group body that, with ``focus`` and ``g`` bound, matches each
        violation (binding the value variable, if any). ``nested`` adds the violations of
        the shape's ``sh:property`` shapes (for conformance checks).
        """
        if depth > 16:
            raise UnsupportedShape(f"shape {shape}: shapes nested too deep (a cycle?)")
        self.check_supported(shape)
        out: list[tuple[Node, URIRef, str, str | None]] = []
        path = self.path_of(shape)
        if path is None:
            for comp, expr in self.value_tests(shape, focus, g, depth):
                out.append((shape, comp, f"FILTER(!COALESCE({expr}, false))", focus))
            if (
                self.one(shape, SH.uniqueLang) is not None
                or self.one(shape, SH.minCount) is not None
            ):
                raise UnsupportedShape(f"shape {shape}: property constraint on a node shape")
        else:
            p = f"<{path}>"
            v = self.var("v")
            values = self.in_graph(g, f"{focus} {p} {v}")
            for comp, expr in self.value_tests(shape, v, g, depth):
                out.append((shape, comp, f"{values} FILTER(!COALESCE({expr}, false))", v))
            out.extend(self.value_set_patterns(shape, path, focus, g, depth))
        if nested:
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                out.extend(self.violations(prop, focus, g, depth + 1))
        return out

    def value_set_patterns(
        self, shape: Node, path: URIRef, focus: str, g: str, depth: int
    ) -> list[tuple[Node, URIRef, str, str | None]]:
        p = f"<{path}>"
        out: list[tuple[Node, URIRef, str, str | None]] = []

        def at_least(n: int, cond=None) -> str:
            """A pattern matching when ``focus`` has ``n`` distinct values (meeting cond)."""
            vs = [self.var("c") for _ in range(n)]
            triples = " . ".join(f"{focus} {p} {x}" for x in vs)
            filters = [self.distinct(vs)] + ([cond(x) for x in vs] if cond else [])
            return f"{self.in_graph(g, triples)} FILTER({' && '.join(filters)})"

        if (shape, SH.minCount, None) in self.g:
            n = self.count_param(shape, SH.minCount)
            if n > 0:
                out.append(
                    (
                        shape,
                        SH.MinCountConstraintComponent,
                        f"FILTER NOT EXISTS {{ {at_least(n)} }}",
                        None,
                    )
                )
        if (shape, SH.maxCount, None) in self.g:
            n = self.count_param(shape, SH.maxCount)
            out.append((shape, SH.MaxCountConstraintComponent, at_least(n + 1), None))
        for h in sorted(self.g.objects(shape, SH.hasValue), key=str):
            pat = self.in_graph(g, f"{focus} {p} {_sparql_term(h)}")
            out.append(
                (shape, SH.HasValueConstraintComponent, f"FILTER NOT EXISTS {{ {pat} }}", None)
            )
        unique = self.one(shape, SH.uniqueLang)
        if unique is not None and unique.toPython() is True:
            a, b = self.var("l"), self.var("l")
            pat = (
                f"{self.in_graph(g, f'{focus} {p} {a} . {focus} {p} {b}')} "
                f"FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) && "
                f'lang({a}) != "" && LCASE(lang({a})) = LCASE(lang({b})))'
            )
            out.append((shape, SH.UniqueLangConstraintComponent, pat, None))
        qshape = self.one(shape, SH.qualifiedValueShape)
        if qshape is not None:

            def cond(x: str) -> str:
                return self.conforms(qshape, x, g, depth + 1)

            if (shape, SH.qualifiedMinCount, None) in self.g:
                n = self.count_param(shape, SH.qualifiedMinCount)
                if n > 0:
                    out.append(
                        (
                            shape,
                            SH.QualifiedMinCountConstraintComponent,
                            f"FILTER NOT EXISTS {{ {at_least(n, cond)} }}",
                            None,
                        )
                    )
            if (shape, SH.qualifiedMaxCount, None) in self.g:
                n = self.count_param(shape, SH.qualifiedMaxCount)
                out.append(
                    (shape, SH.QualifiedMaxCountConstraintComponent, at_least(n + 1, cond), None)
                )
        for pred, comp, op in (
            (SH.lessThan, SH.LessThanConstraintComponent, "<"),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, "<="),
        ):
            for other in sorted(self.g.objects(shape, pred), key=str):
                v, o = self.var("v"), self.var("o")
                pat = (
                    f"{self.in_graph(g, f'{focus} {p} {v} . {focus} <{other}> {o}')} "
                    f"FILTER(!COALESCE({v} {op} {o}, false))"
                )
                out.append((shape, comp, pat, v))
        for other in sorted(self.g.objects(shape, SH.disjoint), key=str):
            v = self.var("v")
            pat = self.in_graph(g, f"{focus} {p} {v} . {focus} <{other}> {v}")
            out.append((shape, SH.DisjointConstraintComponent, pat, v))
        return out

    def conforms(self, shape: Node, v: str, g: str, depth: int) -> str:
        """An expression true iff node ``v`` conforms to ``shape`` (in the shard of ``g``)."""
        parts = self.violations(shape, v, g, depth)
        if not parts:
            return "true"
        union = " UNION ".join(f"{{ {pat} }}" for _s, _c, pat, _v in parts)
        return f"(NOT EXISTS {{ {union} }})"

    # ------------------------------------------------------------- targets

    def targets(self, shape: Node) -> str | None:
        branches = []
        for t in sorted(self.g.objects(shape, SH.targetClass), key=str):
            branches.append(f"GRAPH ?g {{ ?focus <{RDF.type}> {_sparql_term(t)} }}")
        for t in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            branches.append(f"GRAPH ?g {{ ?focus {_sparql_term(t)} ?t_o }}")
        for t in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            branches.append(
                f"GRAPH ?g {{ ?t_s {_sparql_term(t)} ?focus }} "
                "FILTER EXISTS { GRAPH ?g { ?focus ?t_p ?t_x } }"
            )
        for t in sorted(self.g.objects(shape, SH.targetNode), key=str):
            branches.append(
                f"GRAPH ?g {{ {_sparql_term(t)} ?t_p ?t_x }} BIND({_sparql_term(t)} AS ?focus)"
            )
        if not branches:
            return None
        if len(branches) == 1:
            return branches[0]
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    def severity(self, shape: Node) -> str:
        sev = self.one(shape, SH.severity)
        return str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"


def _shape_nodes(shapes: Graph) -> set[Node]:
    nodes: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.subjects(SH.path, None))
    for t in _TARGETS:
        nodes |= set(shapes.subjects(t, None))
    return nodes


def compile_shapes(shapes: Graph) -> list[CompiledCheck]:
    """The SELECT queries for every targeted shape of ``shapes``.

    Raises :class:`UnsupportedShape` when any shape (targeted or not) uses a predicate the
    engine does not compile.
    """
    c = _Compiler(shapes)
    for s in _shape_nodes(shapes):
        c.check_supported(s)
    checks: list[CompiledCheck] = []
    targeted = sorted({s for t in _TARGETS for s in shapes.subjects(t, None)}, key=lambda n: str(n))
    for shape in targeted:
        target = c.targets(shape)
        assert target is not None
        sources = [shape, *sorted(shapes.objects(shape, SH.property), key=str)]
        for source in sources:
            for src, comp, pattern, value in c.violations(source, "?focus", "?g", 0, nested=False):
                select = (
                    f"?focus ({value} AS ?value)"
                    if value and value != "?focus"
                    else ("?focus (?focus AS ?value)" if value else "?focus")
                )
                checks.append(
                    CompiledCheck(
                        source_shape=src,
                        path=c.path_of(src),
                        constraint=comp,
                        severity=c.severity(src),
                        has_value=value is not None,
                        select=select,
                        target=target,
                        pattern=pattern,
                    )
                )
    return checks


# ------------------------------------------------------------------------------ running


def to_rdflib(term) -> Node:
    """A pyoxigraph term as the rdflib term pyshacl would have reported."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise QmgraphError(f"unexpected term in a validation result: {term!r}")


def to_oxigraph(term: Node):
    """An rdflib term as a pyoxigraph term (blank node labels are kept)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QmgraphError(f"cannot store term {term!r}")


def run_checks(
    store: ox.Store,
    checks: Iterable[CompiledCheck],
    workers: int = QUERY_THREADS,
    *,
    focus: Iterable[ox.NamedNode] | None = None,
) -> Iterable[tuple[CompiledCheck, Node, Node | None]]:
    """(check, focus, value) for every violation found in ``store``, in check order.

    ``focus`` restricts the checks to those focus nodes (incremental validation): the
    results are then exactly the full run's results about them. Queries run in ``workers``
    threads (pyoxigraph evaluates them without the GIL).
    """
    subclass = ox.NamedNode(str(RDFS.subClassOf))
    if next(iter(store.quads_for_pattern(None, subclass, None)), None) is not None:
        raise UnsupportedShape(
            "the data contains rdfs:subClassOf triples; the oxigraph engine reads sh:class "
            "as plain rdf:type (no inference, 0005 §2)",
            hint="validate with engine='pyshacl' or leave the ontology out of the data",
        )
    checks = list(checks)
    scopes = None if focus is None else _target_scopes(store, checks, focus)
    if scopes is not None:  # a check without a focus node among its targets finds nothing
        checks = [c for c in checks if scopes[c.target]]

    def run(check: CompiledCheck) -> list:
        if scopes is None:
            queries = [check.sparql]
        else:
            queries = [check.scoped(batch) for batch in scopes[check.target]]
        return [
            (row["focus"], row["value"] if check.has_value else None)
            for sparql in queries
            for row in store.query(sparql, use_default_graph_as_union=True)
        ]

    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(run, checks))
    else:
        rows = [run(c) for c in checks]
    for check, found in zip(checks, rows, strict=True):
        for focus, value in found:
            yield check, to_rdflib(focus), to_rdflib(value) if value is not None else None


def _target_scopes(
    store: ox.Store, checks: list[CompiledCheck], focus: Iterable[ox.NamedNode]
) -> dict[str, list[str]]:
    """For each target pattern of ``checks``, those of the ``focus`` nodes it targets, in
    batches of :data:`_FOCUS_BATCH`, each the body of a VALUES block: a check then looks up
    only its own targets (one query per shape instead of one lookup per check and node)."""
    batches = _batched(sorted({str(f) for f in focus}))
    scopes: dict[str, list[str]] = {}
    for target in dict.fromkeys(c.target for c in checks):
        found: list[str] = []
        for nodes in batches:
            sparql = (
                f"SELECT DISTINCT ?focus WHERE {{ VALUES ?focus {{ {nodes} }} {{ {target} }} }}"
            )
            found += (
                str(row["focus"]) for row in store.query(sparql, use_default_graph_as_union=True)
            )
        scopes[target] = _batched(sorted(found))
    return scopes


def _batched(nodes: list[str]) -> list[str]:
    """``nodes`` (SPARQL terms) as VALUES bodies of at most :data:`_FOCUS_BATCH` terms."""
    return [" ".join(nodes[i : i + _FOCUS_BATCH]) for i in range(0, len(nodes), _FOCUS_BATCH)]
