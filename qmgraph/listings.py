"""Listings a build records beside its store, so ``qmgraph query NAME`` with the default
parameters reads the rows instead of joining whole properties of the on-disk store
(docs/decisions/0036-recorded-listings.md; the summary's counts: ``qmgraph.counts``).

Validation already loads each group of years (its notice graphs and the slice of the shared
graph they reach, ``qmgraph.validate.partition``) into an in-memory store for the QC
queries. :func:`group_listings` runs the canned text of each listing in :data:`LISTINGS`,
bound with its defaults, on that store; :func:`merge_listings` puts the groups' rows
together into the answer the query gives on the whole graph, sorted as the embedded runner
sorts (``qmgraph.query.order``), keyed by the digest of the bound text
(``qmgraph.store.recorded_answer``). A cached rebuild keeps the rows of the groups it does
not validate again, so only the changed years run the listings.

Why the groups' rows are the whole graph's: a group holds every triple reachable, by
forward links, from any subject its notice graphs state, and no subject is stated in two
groups (the partition's own conditions; otherwise it merges units, or validates the
whole graph as one group). Every listing below matches, for each of its solutions, triples
reachable forward from one subject stated in a notice graph (a mirror link, an edition, an
activity), OPTIONAL and EXISTS parts included; so each solution is found in the group of
that subject, whole, and no group finds a solution the whole graph has not. A ``DISTINCT``
listing is then the union of its groups' rows. A grouped one (``aggregates`` named) is
recorded only when no group key is found in two groups (each group's aggregate is then the
whole graph's).

Two more ways (decision 0040). A grouped listing whose every aggregate is
``COUNT(DISTINCT ?v)`` (``most-copied-agencies``, whose keys cross years) is recorded from
its *solutions* (:data:`SOLUTIONS`): each group gives the distinct solutions of the
query's ``WHERE``, projected to the group keys and the variables the aggregates count
(the same reasoning makes their union the whole graph's, and such an aggregate depends
only on the set of those tuples, not on how often each is found); the merge evaluates the
query's own ``SELECT``, ``GROUP BY`` and ``HAVING`` on that union (a ``VALUES`` block, in
an empty in-memory store). A listing that follows links backwards
(``counterpart-reporting``: agencies found by their counterpart, cities by their province,
none of them in a group's forward slice) is run on the build's own store once it is
loaded (:data:`STORE`): the query on the store, as the CLI would run it.

Each entry names the digest of the ``.rq`` text it was reviewed for: a build whose query
text differs records nothing for it (the query then runs on the store); a test fails until
the digest is updated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from qmgraph.query.canned import _opaque_blanked, bind, load_query
from qmgraph.query.order import sort_solutions, split_order
from qmgraph.store import decode_cell, query_digest

__all__ = ["LISTINGS", "Listing", "group_listings", "listings", "listings_key", "merge_listings",
           "store_listings"]

#: how a listing is recorded: from the groups' rows (0036), from the groups' solutions,
#: aggregated when merged, or by running it on the build's store once loaded (0040)
ROWS, SOLUTIONS, STORE = "rows", "solutions", "store"


@dataclass(frozen=True)
class Recorded:
    """A listing the build records: the sha256 of the ``.rq`` text reviewed for it, its
    aggregate columns (empty: a ``DISTINCT`` listing) and how it is recorded (:data:`ROWS`,
    :data:`SOLUTIONS` or :data:`STORE`)."""

    rq_digest: str
    aggregates: tuple[str, ...] = ()
    how: str = ROWS


#: The listings a build records (module docstring for why each one is exact).
LISTINGS: dict[str, Recorded] = {
    "joint-organizers": Recorded("db7f6b037ed38c3658c0156f26b98f0a3e0fb1a4cbd683ad274be8130adc2619"),
    "campaign-spread": Recorded("782e38d228a79a68bb89bb3088f44687cf7606c84fb44df9a8f64b4f6f2b974c", ("activities",)),
    "implements-chain": Recorded("cfe2b230983c3a024fa548b18f0a53f251a7fff40c5806f764d5eae07bd27f3a"),
    "reused-slogans-themes": Recorded("1f5badc667a615f399a77898b782ea650677bf0a138b42250271fc2c6a67ef8d"),
    "provincial-mirrors-national": Recorded("834f18db04b8b201c9a4bd2f3dc07b88d2dae54b7b31ee04142792d06596fe5e"),
    "local-mirrors-provincial": Recorded("a7ff3b4d506df4078c73243fc4252c80ae263cacf17b9856e1d3a173e5c76172"),
    "most-copied-agencies": Recorded("188d3e3e6f50475a3f44ad379a59a29f3e0b679f3991b6701e7f530d038b5851",
                                     how=SOLUTIONS),
    "counterpart-reporting": Recorded("336a1a68191700c0ceaa70ed830d2e2b7a7da753e01f3b447b7c0fada9d1792e",
                                      how=STORE),
}

#: what kept rows were made by: this module's own source
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Solutions:
    """How a :data:`SOLUTIONS` listing is merged. The groups give the distinct solutions of
    ``names``; the variables ``counted`` appear only inside ``COUNT(DISTINCT …)``, the
    others are the group keys. The merge counts each counted variable's distinct values
    per key, and puts one row per key, with those numbers as ``?__count_V``, in a
    ``VALUES`` block between ``head`` (the query's prolog and ``SELECT`` clause) and
    ``tail`` (its ``GROUP BY`` and ``HAVING``), where each ``COUNT(DISTINCT ?V)`` reads
    ``SUM(?__count_V)``: the sum of the key's one number, the same ``xsd:integer``."""

    head: str
    tail: str
    names: tuple[str, ...]
    counted: frozenset[str]


@dataclass(frozen=True)
class Listing:
    """One listing as a build runs it."""

    name: str
    text: str  #: the default text as the CLI runs it (the recorded answer's key)
    #: that text without its final ORDER BY (the rows are sorted when merged); for a
    #: :data:`SOLUTIONS` listing, the distinct solutions of its WHERE group instead
    run: str
    order: tuple[tuple[str, bool], ...]  #: (column, descending) of that ORDER BY
    aggregates: tuple[str, ...]
    how: str = ROWS
    solutions: Solutions | None = None


def rq_digest(name: str) -> str:
    """sha256 of the canned query ``name``'s ``.rq`` text."""
    return hashlib.sha256(load_query(name).text.encode("utf-8")).hexdigest()


def listings() -> list[Listing]:
    """The listings of :data:`LISTINGS` whose ``.rq`` text is the one reviewed."""
    out: list[Listing] = []
    for name, rec in LISTINGS.items():
        q = load_query(name)
        if hashlib.sha256(q.text.encode("utf-8")).hexdigest() != rec.rq_digest:
            continue
        text = bind(q, None)
        split = split_order(text, _opaque_blanked(text))
        if split is None:
            continue
        run, sols = split[0], None
        if rec.how == SOLUTIONS:
            got = _solutions_form(run)
            if got is None:
                continue
            run, sols = got
        out.append(Listing(name, text, run, tuple(split[1]), rec.aggregates, rec.how, sols))
    return out


_SELECT_RE = re.compile(r"\bSELECT\b", re.I)
_WHERE_RE = re.compile(r"\bWHERE\s*\{", re.I)
_GROUP_BY_RE = re.compile(r"\bGROUP\s+BY\b", re.I)
_AGGREGATE_RE = re.compile(r"\b(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
_COUNT_DISTINCT_RE = re.compile(r"\bCOUNT\s*\(\s*DISTINCT\s+[?$](\w+)\s*\)", re.I)
_AS_RE = re.compile(r"\bAS\s+[?$](\w+)", re.I)
_VAR_RE = re.compile(r"[?$](\w+)")


def _solutions_form(run: str) -> tuple[str, Solutions] | None:
    """For a grouped query ``run`` (no ORDER BY) whose every aggregate is ``COUNT(DISTINCT
    ?v)``: the query of the distinct solutions of its WHERE group, projected to the
    variables its SELECT clause, GROUP BY and HAVING read (bar the aggregates' names), and
    how to aggregate them again (:class:`Solutions`); None for any other form."""
    b = _opaque_blanked(run)
    sel = _SELECT_RE.search(b)
    where = _WHERE_RE.search(b, sel.end()) if sel else None
    if sel is None or where is None:
        return None
    depth, close = 0, -1
    for i in range(where.end() - 1, len(b)):
        depth += {"{": 1, "}": -1}.get(b[i], 0)
        if depth == 0:
            close = i
            break
    if close < 0:
        return None
    outer = b[sel.end():where.start()] + " " + b[close + 1:]
    counted_at = _COUNT_DISTINCT_RE.findall(outer)
    if not _GROUP_BY_RE.search(b, close) or len(_AGGREGATE_RE.findall(outer)) != len(counted_at):
        return None
    named = set(_AS_RE.findall(outer))
    seen = _VAR_RE.findall(outer)
    names = tuple(dict.fromkeys(v for v in seen if v not in named))
    if any(v.startswith("__count_") for v in seen):
        return None

    def summed(start: int, end: int) -> str:
        """``run[start:end]`` with each COUNT(DISTINCT ?V) read as SUM(?__count_V)."""
        out, at = [], start
        for m in _COUNT_DISTINCT_RE.finditer(b, start, end):
            out += [run[at:m.start()], f"SUM(?__count_{m.group(1)})"]
            at = m.end()
        return "".join([*out, run[at:end]])

    counted = frozenset(v for v in names if seen.count(v) == counted_at.count(v))
    if not counted.issuperset(counted_at):
        # a counted variable also read outside a count (a group key): its count is not
        # made per key, and SUM(?__count_V) would read an unbound variable
        return None
    partial = (f"{run[:sel.start()]}SELECT DISTINCT {' '.join('?' + v for v in names)}\n"
               f"{run[where.start():close + 1]}\n")
    return partial, Solutions(summed(0, where.start()), summed(close + 1, len(run)), names,
                              counted)


def listings_key() -> str:
    """What a group's kept rows depend on besides its data: the texts the groups run and
    this code. The text run too, not only the canned text: it is made from the canned text
    by code outside this module (``query.order.split_order``, ``query.canned``)."""
    h = hashlib.sha256(_VERSION.encode())
    for li in listings():
        if li.how != STORE:
            for part in (li.text, li.run):
                h.update(part.encode("utf-8"))
                h.update(b"\0")
    return h.hexdigest()


_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _encode(term: Any) -> tuple[str, str, str] | str | None:
    """A term as a recorded cell (``qmgraph.store.decode_cell`` reads it back): an
    xsd:string literal as its bare text, else ``(kind, value, datatype or language)``
    (hashable, so rows are united and their cells decoded once without converting them;
    JSON writes it as a list)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value, "")
    if isinstance(term, ox.Literal):
        if term.language:
            return ("lang", term.value, term.language)
        dt = term.datatype.value
        return term.value if dt == _STRING else ("literal", term.value, dt)
    raise ValueError(f"no recorded cell for {term!r}")  # blank nodes: labels are the store's


def group_listings(store: ox.Store) -> dict[str, dict]:
    """Every listing's columns and rows (recorded cells, unsorted) on one validation
    group's in-memory ``store``; a listing with a blank node in a row is left out (a blank
    node's label in the build's store is not this store's)."""
    out: dict[str, dict] = {}
    for li in listings():
        got = _run(store, li) if li.how != STORE else None
        if got is not None:
            out[li.name] = {"columns": got[0], "rows": got[1]}
    return out


def _run(store: ox.Store, li: Listing) -> tuple[list[str], list[tuple]] | None:
    """The columns and rows (recorded cells, unsorted) of ``li.run`` on ``store``; None
    when a row holds a blank node (:func:`_encode`)."""
    res = store.query(li.run, use_default_graph_as_union=True)
    cols = [v.value for v in res.variables]
    try:
        return cols, [tuple(_encode(sol[c]) for c in cols) for sol in res]
    except ValueError:
        return None


def merge_listings(parts: Iterable[Mapping[str, dict] | None]) -> dict[str, dict]:
    """The recorded answers (bound text's digest → ``{"query", "columns", "rows"}``) of the
    listings every group answered: the groups' rows together, without repeats, sorted as
    the query's ``ORDER BY``; none for a listing whose group keys meet in two groups, or
    whose rows Python cannot order as Oxigraph does."""
    parts = list(parts)
    answers: dict[str, dict] = {}
    for li in listings():
        if li.how == STORE or not parts or any(p is None or li.name not in p for p in parts):
            continue
        rows = _united(li, [p[li.name] for p in parts])  # type: ignore[index]
        if rows is None:
            continue
        cols = parts[0][li.name]["columns"]  # type: ignore[index]
        if li.solutions is not None:
            cols, rows = _aggregated(li.solutions, cols, rows)
        ordered = _sorted(li, cols, rows)
        if ordered is not None:
            answers[query_digest(li.text)] = {"query": li.name, "columns": cols,
                                              "rows": ordered}
    return answers


class _Decoded(dict):
    """Cell → term, each distinct cell decoded once (cells repeat), looked up in C."""

    def __missing__(self, cell: Any) -> Any:
        got = self[cell] = decode_cell(cell)
        return got


def _sorted(li: Listing, cols: list[str], rows: list[tuple]) -> list[tuple] | None:
    """``rows`` (cells) in the order of the listing's ``ORDER BY`` (None: an order Python
    cannot give as Oxigraph does)."""
    term = _Decoded().__getitem__
    # the row's position rides at the end, past the columns the sort reads
    ordered = sort_solutions(cols, [[*map(term, r), k] for k, r in enumerate(rows)], li.order)
    if ordered is None:
        return None
    return [rows[d[-1]] for d in ordered]


def _united(li: Listing, got: list[dict]) -> list[tuple] | None:
    """The rows of every group (cells as hashable tuples), each once; None when the groups'
    columns differ or a grouped listing's key was aggregated in two groups."""
    cols = got[0]["columns"]
    agg = {cols.index(c) for c in li.aggregates}
    seen: set[tuple] = set()
    keyed: dict[tuple, int] = {}
    rows: list[tuple] = []
    for k, g in enumerate(got):
        if g["columns"] != cols:
            return None
        for r in g["rows"]:
            row = tuple(r)
            try:
                hash(row)
            except TypeError:  # cells written as lists (JSON's)
                row = tuple(tuple(c) if isinstance(c, list) else c for c in r)
            if agg:
                key = tuple(c for i, c in enumerate(row) if i not in agg)
                if keyed.setdefault(key, k) != k:
                    return None  # two groups aggregated the same key apart
            elif row in seen:
                continue  # DISTINCT: a row two groups found
            seen.add(row)
            rows.append(row)
    return rows




def _aggregated(sol: Solutions, cols: list[str], rows: list[tuple]) -> tuple[list[str], list[tuple]]:
    """The query's ``SELECT``/``GROUP BY``/``HAVING`` on the union of the groups'
    solutions ``rows`` (columns ``cols``, each row once): each counted variable's distinct
    values per key counted here (a cell is one term), the rest evaluated by Oxigraph on an
    empty store (:class:`Solutions`): the aggregated columns and rows (cells)."""
    keys = [i for i, c in enumerate(cols) if c not in sol.counted]
    counted = [i for i, c in enumerate(cols) if c in sol.counted]
    per_key: dict[tuple, list[set]] = {}
    for r in rows:
        k = tuple(r[i] for i in keys)
        sets = per_key.get(k)
        if sets is None:
            sets = per_key[k] = [set() for _ in counted]
        for got, i in zip(sets, counted, strict=True):
            if r[i] is not None:  # COUNT reads bound values only
                got.add(r[i])
    written: dict[Any, str] = {}

    def sparql(cell: Any) -> str:
        if cell is None:
            return "UNDEF"
        got = written.get(cell)
        if got is None:
            got = written[cell] = str(decode_cell(cell))
        return got

    values = "\n".join("(" + " ".join([*map(sparql, k), *(str(len(v)) for v in sets)]) + ")"
                       for k, sets in per_key.items())
    names = [*(cols[i] for i in keys), *(f"__count_{cols[i]}" for i in counted)]
    text = (f"{sol.head}WHERE {{ VALUES ({' '.join('?' + c for c in names)}) {{\n{values}\n}} }}"
            f"{sol.tail}")
    res = ox.Store().query(text)
    out_cols = [v.value for v in res.variables]
    return out_cols, [tuple(_encode(s[k]) for k in out_cols) for s in res]


def store_listings(db: str | Path) -> dict[str, dict]:
    """The recorded answers of the :data:`STORE` listings: each run on the build's store
    ``db`` (an Oxigraph database folder, loaded and closed), sorted as the CLI sorts;
    none for a listing with a blank node in a row or an order Python cannot give."""
    todo = [li for li in listings() if li.how == STORE]
    if not todo:
        return {}
    store = ox.Store.read_only(str(db))
    answers: dict[str, dict] = {}
    for li in todo:
        got = _run(store, li)
        if got is None:
            continue
        cols, rows = got
        ordered = _sorted(li, cols, rows)
        if ordered is not None:
            answers[query_digest(li.text)] = {"query": li.name, "columns": cols, "rows": ordered}
    return answers
