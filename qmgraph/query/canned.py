"""Canned ``.rq`` files: their header, their parameters, and safe parameter binding.

A canned query starts with a comment block::

    # question: Which provincial activities mirror national ones?
    # parameters: year (integer, default *): year of the activities; * = any year
    # parameters: min_score (decimal, default 0): lowest mirror score to show
    # parameters: text (string, required): the word to look for
    # example row: 四川省市场监督管理局 | … | 0.91 | verbatim

A parameter ``name`` appears in the query as the variable ``?_param_name``. A value is
always rendered as an escaped RDF term of the parameter's type (:func:`render_value`), and
bound in one of two ways (:func:`bind`):

* ``# binding: inline`` in the header: the term is written into the text wherever the
  variable stands (outside strings, IRIs and comments, all places in one pass), and
  ``BOUND(?_param_name)`` becomes ``true``; so a sub-select sees the value and can read only
  what it selects (docs/decisions/0025-query-limits.md). For ``*`` the variable stays,
  unbound, and ``BOUND(…)`` becomes ``false``. Such a query uses its parameters only in
  expressions (guarded ``FILTER``s), never as a projected, grouped or bound variable.
* otherwise: ``VALUES (?_param_a …) { ( term … ) }`` at the start of the outermost ``WHERE``
  group (``*`` binds ``UNDEF``); sub-selects do not see it.

Either way a query uses such a parameter in a triple pattern, or guards a ``FILTER`` with
``!BOUND(?_param_name) || …``.

A parameter declared ``required`` instead of ``default …`` has no default and does not take
``*``: a call without a value is refused (:class:`QueryError`, exit 2, naming the parameter).
In an inline query it is therefore always a constant, so the text may use it where a
constant stands — as the subject of a triple pattern, or in ``BIND`` — and a store starts
from it with index lookups instead of scanning a property
(docs/decisions/0031-query-search-and-chain.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from qmgraph.errors import QueryError
from qmgraph.graphfile import check_text_file
from qmgraph.resources import queries_dir

__all__ = [
    "ANY",
    "PARAM_TYPES",
    "QUERY_DIR",
    "CannedQuery",
    "Param",
    "bind",
    "list_queries",
    "load_query",
    "parse_query_file",
    "query_form",
    "render_value",
]

#: ``queries/``: the canned queries shipped with qmgraph (``queries/qc`` is not canned).
QUERY_DIR = queries_dir()

#: The parameter value that means "any value" (bound as ``UNDEF``).
ANY = "*"

#: Parameter types a header may declare, and what a value must look like. ``place`` is a
#: jurisdiction given as a 6-digit code or a name (official, short, or 全国), resolved with
#: the gazetteer to its IRI; ``province`` is a ``place`` that must be provincial-level.
PARAM_TYPES = ("string", "zh", "integer", "decimal", "iri", "place", "province")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_HEADER_RE = re.compile(r"^#\s*([a-z][a-z -]*?)\s*:\s?(.*)$")
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?:(?P<type>[a-z]+)\s*,\s*)?"
    r"(?:default\s+(?P<default>[^)]*)|(?P<required>required))\)"
    r"\s*:\s*(?P<meaning>.*)$"
)
_INT_RE = re.compile(r"^[+-]?[0-9]{1,18}$")
_DEC_RE = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
# Absolute http(s)/urn IRIs of printable ASCII without the characters IRIREF forbids.
_IRI_RE = re.compile(r"^(?:https?://[A-Za-z0-9.-]+(?::[0-9]+)?|urn:[A-Za-z0-9-]+:)"
                     r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a canned query."""

    name: str
    type: str  #: one of :data:`PARAM_TYPES`
    default: str  #: ``*`` for any value; ``""`` when the parameter is required
    meaning: str
    required: bool = False  #: no default: every call gives a value (not ``*``)

    @property
    def variable(self) -> str:
        return f"?_param_{self.name}"

    @property
    def usage(self) -> str:
        """``required`` or ``default VALUE``, as ``qmgraph query --list`` shows it."""
        return "required" if self.required else f"default {self.default}"


@dataclass
class CannedQuery:
    """A ``.rq`` file with its header fields."""

    name: str
    path: Path
    question: str
    params: dict[str, Param]
    text: str
    example: str = ""
    header: dict[str, str] = field(default_factory=dict)


def parse_query_file(path: str | Path, text: str | None = None) -> CannedQuery:
    """Read ``path`` and its header; raises :class:`QueryError` on a malformed header."""
    p = Path(path)
    if text is None:
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read query file: {exc.strerror or exc}", path=str(p)) from exc
        except UnicodeDecodeError as exc:
            raise QueryError("query file is not UTF-8", path=str(p)) from exc
    header: dict[str, str] = {}
    params: dict[str, Param] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER_RE.match(line)
        if not m:
            continue
        key, value = m.group(1).strip(), m.group(2).strip()
        if key in ("parameters", "parameter"):
            if not value or value.lower() == "none":
                continue
            pm = _PARAM_RE.match(value)
            if not pm:
                raise QueryError(f"bad parameter line {value!r}; expected "
                                 "'name (type, default value): meaning' or "
                                 "'name (type, required): meaning'", path=str(p))
            ptype = pm.group("type") or "string"
            if ptype not in PARAM_TYPES:
                raise QueryError(f"parameter {pm.group('name')}: unknown type {ptype!r} "
                                 f"(one of {', '.join(PARAM_TYPES)})", path=str(p))
            required = pm.group("required") is not None
            param = Param(pm.group("name"), ptype, "" if required else pm.group("default").strip(),
                          pm.group("meaning").strip(), required)
            if not required:
                render_value(param, param.default)  # a default must itself be a valid value
            params[param.name] = param
        else:
            header[key] = value
    return CannedQuery(name=p.stem, path=p, question=header.get("question", ""), params=params,
                       text=text, example=header.get("example row", ""), header=header)


def list_queries(qdir: str | Path | None = None) -> list[CannedQuery]:
    """Every canned query of ``qdir`` (default ``<repo>/queries``), sorted by name."""
    d = Path(qdir) if qdir is not None else QUERY_DIR
    if not d.is_dir():
        raise QueryError("no such query folder", path=str(d))
    return [parse_query_file(p) for p in sorted(d.glob("*.rq"))]


def load_query(name_or_path: str | Path, qdir: str | Path | None = None) -> CannedQuery:
    """A canned query by name (``provincial-mirrors-national``) or by file path."""
    if isinstance(name_or_path, CannedQuery):
        return name_or_path
    s = str(name_or_path)
    p = Path(s)
    if p.suffix == ".rq" or p.exists():
        if not p.exists():
            raise QueryError("no such query file", path=s)
        check_text_file(p, "query file")
        query = parse_query_file(p)
        if query_form(query.text) is None:  # a user's file: say so now, naming it
            raise QueryError("not a SPARQL query (rdflib's parser cannot read it)", path=s)
        return query
    d = Path(qdir) if qdir is not None else QUERY_DIR
    cand = d / f"{s}.rq"
    if _NAME_RE.match(s.replace("-", "_")) and cand.is_file():
        return parse_query_file(cand)
    names = ", ".join(q.name for q in list_queries(d)) if d.is_dir() else ""
    raise QueryError(f"unknown query {s!r}" + (f"; known: {names}" if names else ""))


# --- binding ---------------------------------------------------------------------------------


def _expand_curie(value: str) -> str:
    from qmgraph.namespaces import PREFIXES  # imports rdflib: only for an iri parameter

    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return value


def render_value(param: Param, value: str) -> str:
    """``value`` as an escaped SPARQL term of ``param``'s type (``UNDEF`` for ``*``).

    Raises :class:`QueryError` when the value does not fit the type.
    """
    if not isinstance(value, str):
        raise QueryError(f"parameter {param.name}: value must be a string, got {type(value).__name__}")
    if value == ANY:
        return "UNDEF"
    if _CONTROL_RE.search(value):
        raise QueryError(f"parameter {param.name}: control characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(f"parameter {param.name}: not valid Unicode text") from exc
    t = param.type
    if t == "string":
        return str(ox.Literal(value))
    if t == "zh":
        return str(ox.Literal(value, language="zh"))
    if t == "integer":
        v = value.strip()
        if not _INT_RE.match(v):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return str(ox.Literal(str(int(v)), datatype=ox.NamedNode(_XSD + "integer")))
    if t == "decimal":
        v = value.strip()
        try:
            if not _DEC_RE.match(v):
                raise InvalidOperation
            d = Decimal(v)
        except InvalidOperation as exc:
            raise QueryError(f"parameter {param.name}: {value!r} is not a decimal number") from exc
        text = format(d, "f")
        if "." not in text:
            text += ".0"
        return str(ox.Literal(text, datatype=ox.NamedNode(_XSD + "decimal")))
    if t in ("place", "province"):
        return str(ox.NamedNode(resolve_place(param.name, value, province=t == "province")))
    if t == "iri":
        v = _expand_curie(value.strip())
        if not _IRI_RE.match(v):
            raise QueryError(f"parameter {param.name}: {value!r} is not an absolute http(s) IRI "
                             "(or a qm:/qmid: name)")
        return str(ox.NamedNode(v))
    raise QueryError(f"parameter {param.name}: unknown type {t!r}")


_CODE_RE = re.compile(r"^[0-9]{6}$")


def resolve_place(name: str, value: str, *, province: bool = False) -> str:
    """The jurisdiction IRI a ``place``/``province`` parameter value denotes.

    ``value`` is a 6-digit GB/T 2260 code or a name the gazetteer knows (四川省, 四川, 成都市,
    全国); a chain such as 四川省成都市 works too. Every canned query resolves places here, so
    a code and a name give the same rows everywhere. Raises :class:`QueryError` (exit 2)
    for an unknown or ambiguous name, or, with ``province``, a place that is not a province.
    """
    from qmgraph.lexicon.places import Gazetteer
    from qmgraph.namespaces import jurisdiction_iri

    gaz = Gazetteer.load()
    v = value.strip()
    if _CODE_RE.match(v):
        if v not in gaz:
            raise QueryError(f"parameter {name}: {v} is not a division code the gazetteer knows",
                             hint="give a 6-digit GB/T 2260 code such as 510000, or a name such as 四川省")
        found = gaz.get(v)
    else:
        cands = gaz.candidates(v)
        found = gaz.find(v)
        if found is None and len(cands) > 1:
            listed = ", ".join(f"{j.name} {j.code} (in {gaz.get(j.parent).name if j.parent else '-'})"
                               for j in cands[:8])
            raise QueryError(f"parameter {name}: {v!r} is ambiguous: {listed}",
                             hint="give the 6-digit division code, or the name with its province/city")
        if found is None:
            raise QueryError(f"parameter {name}: no place called {v!r}",
                             hint="give a 6-digit GB/T 2260 code such as 510000, or a name such as 四川省")
    if province and found.level != "provincial":
        raise QueryError(f"parameter {name}: {found.name} ({found.code or 'nation'}) is not a province",
                         hint="give a provincial-level division, e.g. 510000 or 四川省")
    return str(jurisdiction_iri(found.code))


def _outer_where_brace(text: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group of a SELECT/ASK/CONSTRUCT query.

    Skips comments, string literals and IRIs; raises :class:`QueryError` if there is none.
    """
    depth, form, saw_where, first_brace = 0, None, False, -1
    for m in _TOKEN_RE.finditer(_opaque_blanked(text)):
        tok = m.group(0)
        if tok == "{":
            if depth == 0 and (saw_where or (form in ("SELECT", "ASK") and first_brace < 0)):
                return m.start()
            if depth == 0 and first_brace < 0:
                first_brace = m.start()  # a CONSTRUCT template: the WHERE group comes next
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            word = tok.upper()
            saw_where = saw_where or word == "WHERE"
            form = form or (word if word != "WHERE" else None)
    raise QueryError("cannot find the WHERE clause to bind parameters into")


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` as rdflib's SPARQL parser reads
    the query (None if it is no query)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except ParseException:
        return None
    return parsed[1].name.removesuffix("Query").upper()


#: Braces, and the keywords that place the outermost WHERE group, in a blanked query.
_TOKEN_RE = re.compile(r"[{}]|(?<![\w?$:])(?:WHERE|SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])",
                       re.IGNORECASE)


#: An escaped character inside a SPARQL string (ECHAR).
_ECHAR = r"\\[tbnrf\\\"']"
#: What hides braces and keywords from :func:`_outer_where_brace`: SPARQL 1.1's string
#: literals (the long forms first), IRI references and comments, as the SPARQL grammar
#: (and rdflib's parser, whose import costs ~0.3 s a query) defines them.
_OPAQUE_RE = re.compile("|".join((
    r"'''(?:(?:'|'')?(?:[^'\\]|" + _ECHAR + r"))*'''",
    r'"""(?:(?:"|"")?(?:[^"\\]|' + _ECHAR + r'))*"""',
    r"'(?:[^'\\\n\r]|" + _ECHAR + r")*'",
    r'"(?:[^"\\\n\r]|' + _ECHAR + r')*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>',
    r"#[^\n]*",
)))


def _opaque_blanked(text: str) -> str:
    """``text`` with its comments, string literals and IRIs blanked (same length), so a
    brace or keyword inside them is not read."""
    return _OPAQUE_RE.sub(lambda m: " " * len(m.group(0)), text)


def bind(query: CannedQuery, params: dict[str, str] | None = None) -> str:
    """``query.text`` with every declared parameter bound.

    ``params`` override defaults; an unknown name, or a required parameter without a value
    (or with ``*``), raises :class:`QueryError`. A query whose
    header says ``# binding: inline`` gets each value written into the text where its
    variable stands (:func:`_inline`), so sub-selects see it; any other query gets one
    ``VALUES`` block at the start of its outermost ``WHERE`` group.
    """
    given = dict(params or {})
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise QueryError(f"query {query.name}: unknown parameter(s) {', '.join(unknown)}; "
                         f"it takes: {known}")
    if not query.params:
        return query.text
    names = list(query.params)
    for k in names:
        p = query.params[k]
        if p.required and given.get(k, ANY) == ANY:
            raise QueryError(f"query {query.name}: parameter {k} is required ({p.meaning})",
                             hint=f"give it a value: qmgraph query {query.name} --param {k}=VALUE "
                             "(qmgraph query --list says what each parameter takes)")
    terms = [render_value(query.params[k], given.get(k, query.params[k].default)) for k in names]
    if query.header.get("binding") == "inline":
        return _inline(query.text, dict(zip(names, terms, strict=True)))
    block = (" VALUES (" + " ".join(query.params[k].variable for k in names) + ") { ( "
             + " ".join(terms) + " ) }\n")
    pos = _outer_where_brace(query.text) + 1
    return query.text[:pos] + block + query.text[pos:]


#: ``BOUND(?_param_x)`` and ``?_param_x`` (or ``$``) in a blanked query: the places a
#: value is written into.
_BOUND_PARAM_RE = re.compile(r"(?<![\w:])BOUND\s*\(\s*[?$]_param_(\w+)\s*\)", re.IGNORECASE)
_PARAM_VAR_RE = re.compile(r"[?$]_param_(\w+)")


def _inline(text: str, terms: dict[str, str]) -> str:
    """``text`` with each parameter written in where it stands: ``BOUND(?_param_x)`` becomes
    ``true`` (``false`` for ``*``), and every other ``?_param_x`` the value's escaped term;
    for ``*`` (``UNDEF``) the variable stays, unbound, as an outer ``VALUES … UNDEF`` left it.

    The places are found in the text with its strings, IRIs and comments blanked, and all
    are replaced in one pass: a value is never read again as query text.
    """
    blanked = _opaque_blanked(text)
    spans: list[tuple[int, int, str]] = []
    taken = set()
    for m in _BOUND_PARAM_RE.finditer(blanked):
        if m.group(1) in terms:
            spans.append((m.start(), m.end(), "false" if terms[m.group(1)] == "UNDEF" else "true"))
            taken.update(range(m.start(), m.end()))
    for m in _PARAM_VAR_RE.finditer(blanked):
        name = m.group(1)
        if name in terms and m.start() not in taken and terms[name] != "UNDEF":
            spans.append((m.start(), m.end(), terms[name]))
    out, last = [], 0
    for start, end, repl in sorted(spans):
        out += [text[last:start], repl]
        last = end
    return "".join(out) + text[last:]
