"""A query's final ``ORDER BY`` done in Python, for the embedded store.

Oxigraph compares two IRIs or texts of an ``ORDER BY`` by reading both strings from its
RocksDB tables, at every comparison: sorting the 44,000 mirror links of a 10,000-notice
store by IRI alone costs 4.3 s of CPU, where the same rows, read once, sort in Python in a
tenth of that (docs/decisions/0025-query-limits.md). So the embedded runner cuts an
``ORDER BY`` of plain variables off the query text (:func:`split_order`) and sorts the
solutions itself with Oxigraph's own comparison (:func:`term_key`, after
``spareval::eval::cmp_terms``): unbound < blank node < IRI < literal; numbers by value;
other literals by (lexical form, datatype, language), which is what Oxigraph's comparison
gives for strings and language-tagged strings, whether or not it can compare them. Where
that key cannot give Oxigraph's order — a literal Oxigraph compares by value other than a
plain number (times in zones, durations, NaN, a lexical form the datatype does not allow),
or numbers beside other literals in one column (Oxigraph compares such a pair by lexical
form) — :func:`sort_solutions` says so and the store sorts. A test checks every canned
query's rows come out in the order Oxigraph gives. Remote endpoints get the query as
written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import pyoxigraph as ox

__all__ = ["Unordered", "sort_solutions", "split_order", "term_key"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMALS = {_XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte",
                                "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                "negativeInteger", "unsignedInt", "unsignedLong",
                                "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + "double", _XSD + "float"}
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Number forms each kind of numeric datatype allows, in the range Oxigraph reads (a 64-bit
#: integer, a decimal of 18 fraction digits); Oxigraph compares any other as text.
_INTEGER_FORM = re.compile(r"[+-]?0*[0-9]{1,18}")
_DECIMAL_FORM = re.compile(r"[+-]?0*(?:[0-9]{1,20}(?:\.[0-9]{0,18}0*)?|\.[0-9]{1,18}0*)")
_FLOAT_FORM = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)")
#: Datatypes Oxigraph compares by value, and the forms whose lexical order is that value
#: order (no time zone, a four-digit year); any other form is left to the store.
_BY_VALUE = {_XSD + t: re.compile(f) for t, f in (
    ("boolean", r"true|false"),
    ("date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    ("gYear", r"[0-9]{4}"),
    ("gYearMonth", r"[0-9]{4}-[0-9]{2}"),
    ("dateTime", r"(?!)"), ("time", r"(?!)"), ("gMonthDay", r"(?!)"), ("gDay", r"(?!)"),
    ("gMonth", r"(?!)"), ("duration", r"(?!)"), ("yearMonthDuration", r"(?!)"),
    ("dayTimeDuration", r"(?!)"), ("dateTimeStamp", r"(?!)"))}


class Unordered(Exception):
    """A term whose place in Oxigraph's ORDER BY :func:`term_key` cannot give."""
_KEY_RE = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)
_ORDER_RE = re.compile(r"(?<![\w:])ORDER\s+BY(?![\w:])", re.IGNORECASE)


def split_order(text: str, blanked: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """``text`` without its final ``ORDER BY``, and the keys as (variable, descending);
    None unless the clause ends the query and orders by plain variables only (no
    expression, no LIMIT or OFFSET after it). ``blanked`` is ``text`` with its strings,
    IRIs and comments blanked (same length)."""
    close = blanked.rfind("}")
    found = list(_ORDER_RE.finditer(blanked, close + 1))
    if not found:
        return None
    m = found[-1]
    rest = blanked[m.end():]
    keys: list[tuple[str, bool]] = []
    pos = 0
    while True:
        k = _KEY_RE.match(rest, pos)
        if not k:
            break
        keys.append((k.group(2) or k.group(3), (k.group(1) or "").upper() == "DESC"))
        pos = k.end()
    if not keys or rest[pos:].strip():
        return None
    return text[:m.start()], keys


def term_key(term: object) -> tuple:
    """A key that sorts terms as Oxigraph's ORDER BY does (see the module docstring); the
    key of a number starts ``(3, 0``. Raises :class:`Unordered` for a literal it cannot
    place."""
    kind = type(term)
    if kind is ox.Literal:
        lang = term.language  # type: ignore[attr-defined]
        if lang:  # no number has a language: skip reading the datatype
            return (3, 1, term.value, _LANG_STRING, lang)  # type: ignore[attr-defined]
        dt = term.datatype.value  # type: ignore[attr-defined]
        value = term.value  # type: ignore[attr-defined]
        if dt in _DECIMALS:
            form = _INTEGER_FORM if dt != _XSD + "decimal" else _DECIMAL_FORM
            if not form.fullmatch(value):
                raise Unordered(value)
            return (3, 0, Decimal(value), "")
        if dt in _FLOATS:
            if not _FLOAT_FORM.fullmatch(value):
                raise Unordered(value)  # NaN, which Oxigraph places by its text
            return (3, 0, float(value), "")
        form = _BY_VALUE.get(dt)
        if form is not None and not form.fullmatch(value):
            raise Unordered(value)
        return (3, 1, value, dt, "")
    if kind is ox.NamedNode:
        return (2, term.value)  # type: ignore[attr-defined]
    if term is None:
        return (0,)
    if kind is ox.BlankNode:
        return (1, term.value)  # type: ignore[attr-defined]
    return (4, str(term))


def sort_solutions(columns: Sequence[str], rows: list[list[object]],
                   keys: Sequence[tuple[str, bool]]) -> list[list[object]] | None:
    """``rows`` (terms in ``columns`` order) sorted by ``keys``: one stable sort per run of
    keys with the same direction, the last run first. None when a key column holds a term
    :func:`term_key` cannot place, or numbers beside other literals: the store sorts then."""
    index = {c: i for i, c in enumerate(columns)}
    term_keys: dict[int, list[tuple]] = {}
    for name, _ in keys:
        i = index[name]
        if i in term_keys:
            continue
        known: dict[object, tuple] = {}  # a column repeats its terms (years, places, agencies)
        col = []
        try:
            for r in rows:
                t = r[i]
                k = known.get(t)
                if k is None:
                    k = known[t] = term_key(t)
                col.append(k)
        except Unordered:
            return None
        if len({k[1] for k in col if k[0] == 3}) > 1:
            return None  # a number and a text: Oxigraph compares their lexical forms
        term_keys[i] = col
    runs: list[tuple[list[int], bool]] = []
    for name, descending in keys:
        if runs and runs[-1][1] == descending:
            runs[-1][0].append(index[name])
        else:
            runs.append(([index[name]], descending))
    order = list(range(len(rows)))
    for cols, descending in reversed(runs):
        order.sort(key=lambda r, cols=cols: tuple(term_keys[i][r] for i in cols),
                   reverse=descending)
    return [rows[r] for r in order]
