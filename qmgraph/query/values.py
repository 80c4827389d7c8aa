"""Query results as Python values: RDF terms → int, float, bool, date, IRI, text.

A SPARQL result cell is an IRI, a blank node or a literal with a datatype or a language.
:func:`python_value` turns each into the value a notebook wants (``"2022"^^xsd:integer`` →
``2022``, ``"0.91"^^xsd:decimal`` → ``0.91``, ``"2022-08-30"^^xsd:date`` →
``datetime.date(2022, 8, 30)``), keeping IRIs as :class:`IRI` and language-tagged text as
:class:`LangText` (both ``str`` subclasses, so they print, compare and sort as text). A
lexical form that does not fit its datatype stays the string it was.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

__all__ = ["IRI", "BlankNode", "LangText", "from_json_binding", "from_oxigraph", "python_value"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class IRI(str):
    """An IRI (a ``str``: compares and prints as the IRI itself)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNode(str):
    """A blank node, as ``_:id`` (qmgraph's own graphs have none)."""

    __slots__ = ()


class LangText(str):
    """Text with a language tag (``lang``), e.g. a ``@zh`` label."""

    __slots__ = ("lang",)

    def __new__(cls, text: str, lang: str) -> LangText:
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __repr__(self) -> str:
        return f"LangText({str.__repr__(self)}, lang={self.lang!r})"


def _date(s: str) -> _dt.date:
    # xsd:date may carry a time zone ("2022-08-30Z", "2022-08-30+08:00"): a date has none.
    return _dt.date.fromisoformat(s[:10]) if len(s) > 10 and s[10] in "Z+-" else \
        _dt.date.fromisoformat(s)


def _datetime(s: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s)


def _bool(s: str) -> bool:
    if s in ("true", "1"):
        return True
    if s in ("false", "0"):
        return False
    raise ValueError(s)


#: XSD datatype local name → converter of the lexical form (a small registry, not a chain).
CONVERTERS: dict[str, Callable[[str], Any]] = {
    **{t: int for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                        "positiveInteger", "nonPositiveInteger", "negativeInteger",
                        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
                        "gYear")},
    **{t: float for t in ("decimal", "double", "float")},
    "boolean": _bool,
    "date": _date,
    "dateTime": _datetime,
}


def python_value(kind: str, value: str, datatype: str | None = None,
                 lang: str | None = None) -> Any:
    """The Python value of one RDF term given as ``kind`` (``iri``, ``bnode`` or
    ``literal``), its lexical ``value``, and a literal's ``datatype`` IRI or ``lang``."""
    if kind == "iri":
        return IRI(value)
    if kind == "bnode":
        return BlankNode(value if value.startswith("_:") else "_:" + value)
    if lang:
        return LangText(value, lang)
    if datatype and datatype.startswith(_XSD):
        conv = CONVERTERS.get(datatype[len(_XSD):])
        if conv is not None:
            try:
                return conv(value.strip())
            except ValueError:
                return value  # an ill-typed literal is kept as written
    return value


def from_oxigraph(term: object) -> Any:
    """:func:`python_value` of a pyoxigraph term (``None`` stays ``None``)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNode("_:" + term.value)
    if isinstance(term, ox.Literal):
        return python_value("literal", term.value, term.datatype.value, term.language)
    return str(term)


def from_json_binding(cell: dict[str, str] | None) -> Any:
    """:func:`python_value` of one cell of SPARQL 1.1 JSON results."""
    if cell is None:
        return None
    kind = {"uri": "iri", "bnode": "bnode"}.get(cell.get("type", ""), "literal")
    datatype = cell.get("datatype")
    lang = cell.get("xml:lang")
    if datatype == _RDF_LANG and not lang:
        datatype = None
    return python_value(kind, cell.get("value", ""), datatype, lang)
