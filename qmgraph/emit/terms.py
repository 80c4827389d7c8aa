"""RDF terms written straight as N-Triples text.

Emission builds each triple as the string ``"<s> <p> <o>"``: no rdflib term objects, so a
million triples cost string formatting only, and a notice's triples can be cached and
compared as plain text. pyoxigraph parses the result (``qmgraph.emit.write``), which also
checks that every term is well formed.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from rdflib.namespace import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_INTEGER = f"<{XSD.integer}>"
_DECIMAL = f"<{XSD.decimal}>"
_DATE = f"<{XSD.date}>"


@functools.lru_cache(maxsize=1 << 17)
def iri(value: str) -> str:
    """``<value>`` (IRIs repeat — predicates, classes, shared nodes — so each is cached)."""
    return f"<{value}>"


def _quoted(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


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
