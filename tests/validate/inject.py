"""Errors injected into a built graph, to compare engines on data that breaks the shapes.

:func:`inject_errors` takes N-Quads and returns N-Quads in which a seeded sample of quads
was changed in ways the shapes check: a value dropped (minCount), a second value added
(maxCount, uniqueLang), a literal given the wrong datatype or language (datatype,
languageIn, pattern), an IRI replaced by a literal or by an untyped IRI (nodeKind, class),
a number pushed out of range (min/maxInclusive). The same ``seed`` gives the same bytes.
"""

from __future__ import annotations

import random

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"


def _mutations(q: ox.Quad, rng: random.Random) -> list[ox.Quad]:
    """The quads that replace ``q`` (an empty list drops it)."""
    s, p, o, g = q.subject, q.predicate, q.object, q.graph_name
    kind = rng.randrange(6)
    if kind == 0:
        return []
    if kind == 1:  # a second value
        if isinstance(o, ox.Literal):
            twin = ox.Literal(o.value + " (2)", language=o.language) if o.language else \
                ox.Literal(o.value + "9", datatype=o.datatype)
        else:
            twin = ox.NamedNode(o.value + "-twin")
        return [q, ox.Quad(s, p, twin, g)]
    if isinstance(o, ox.Literal):
        if kind == 2:  # language or datatype dropped or swapped
            if o.language:
                return [ox.Quad(s, p, ox.Literal(o.value, language="en"), g)]
            return [ox.Quad(s, p, ox.Literal(o.value), g)]
        if kind == 3 and o.datatype.value in (XSD + "integer", XSD + "decimal"):
            return [ox.Quad(s, p, ox.Literal("-7", datatype=o.datatype), g)]
        return [ox.Quad(s, p, ox.Literal(o.value + "《x》", language="zh"), g)]
    if kind == 2:
        return [ox.Quad(s, p, ox.Literal(o.value), g)]
    return [ox.Quad(s, p, ox.NamedNode("https://w3id.org/qmgraph/id/nowhere/" +
                                       str(rng.randrange(1000))), g)]


def inject_errors(nquads: bytes, seed: int = 7, rate: float = 0.002) -> bytes:
    """``nquads`` with about ``rate`` of its quads changed (see the module's docstring);
    ``rdf:type`` quads are left alone so the shapes still find their targets."""
    rng = random.Random(seed)
    out: list[ox.Quad] = []
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if q.predicate.value != rdf_type and rng.random() < rate:
            out.extend(_mutations(q, rng))
        else:
            out.append(q)
    return ox.serialize(out, format=ox.RdfFormat.N_QUADS)
