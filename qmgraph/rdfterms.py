"""RDF terms, in one place for every stage that writes or reads them.

Emission builds each triple as the string ``"<s> <p> <o>"`` (:func:`iri`, :func:`zh`,
:func:`integer` …): no rdflib term objects, so a million triples cost string formatting
only, and a notice's triples can be cached and compared as plain text. pyoxigraph parses
the result (``qmgraph.emit.write``), which also checks that every term is well formed.
:func:`nt_term` writes an rdflib term the same way, and :func:`to_rdflib` turns a
pyoxigraph term into an rdflib one: the conversions emit and validate both need
(docs/decisions/0017-lexicon-layer.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from qmgraph.errors import QmgraphError

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_INTEGER = f"<{XSD.integer}>"
_DECIMAL = f"<{XSD.decimal}>"
_DATE = f"<{XSD.date}>"


@functools.lru_cache(maxsize=1 << 17)
def iri(value: str) -> str:
    """``<value>`` (IRIs repeat — predicates, classes, shared nodes — so each is cached)."""
    return f"<{value}>"


def _quoted(text: str) -> str:
    # most texts hold nothing to escape: five scans in C cost a twentieth of translating
    # a Chinese text through a dict one character at a time
    if '"' in text or "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        text = text.translate(_ESCAPES)
    return '"' + text + '"'


def zh(text: str) -> str:
    """A Chinese-tagged string literal."""
    return _quoted(text) + "@zh"


def lang(text: str, tag: str) -> str:
    """A language-tagged string literal."""
    return f"{_quoted(text)}@{tag}"


def plain(text: str) -> str:
    """An ``xsd:string`` literal."""
    return _quoted(text)


@functools.lru_cache(maxsize=1 << 16)
def integer(n: int) -> str:
    return f'"{int(n)}"^^{_INTEGER}'


def decimal(x: float, places: int = 4) -> str:
    """A decimal with ``places`` digits, as rdflib writes ``Decimal(f"{x:.4f}")``."""
    return f'"{Decimal(f"{x:.{places}f}")}"^^{_DECIMAL}'


def date(iso: str) -> str:
    return f"{_quoted(iso)}^^{_DATE}"


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o}"


# ---------------------------------------------------------------------- rdflib terms

_IRI_CACHE: dict[str, str] = {}


def nt_term(t) -> str:
    """An rdflib term in N-Triples syntax (rdflib's ``n3()`` uses Turtle's long strings)."""
    if not isinstance(t, Literal):
        # IRIs repeat (predicates, classes, shared nodes): format each once.
        s = _IRI_CACHE.get(t)
        if s is None:
            s = _IRI_CACHE[t] = f"<{t}>"
        return s
    body = '"' + str(t).translate(_ESCAPES) + '"'
    if t.language:
        return f"{body}@{t.language}"
    if t.datatype:
        return f"{body}^^<{t.datatype}>"
    return body


def nquads_lines(quads: Iterable[tuple]) -> list[str]:
    """N-Quads lines of rdflib quads."""
    return [f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(g)} .\n" for s, p, o, g in quads]


def to_rdflib(term) -> Node:
    """A pyoxigraph term as an rdflib term (a blank node keeps its label)."""
    import pyoxigraph as ox  # only readers of pyoxigraph terms need it loaded

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    raise QmgraphError(f"unexpected RDF term {term!r}")
