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
whole graph's). A listing whose group keys cross years (``most-copied-agencies``) or that
follows links backwards (``counterpart-reporting``: agencies found by their counterpart)
cannot be made this way and is not listed.

Each entry names the digest of the ``.rq`` text it was reviewed for: a build whose query
text differs records nothing for it (the query then runs on the store); a test fails until
the digest is updated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from qmgraph.query.canned import _opaque_blanked, bind, load_query
from qmgraph.query.order import sort_solutions, split_order
from qmgraph.store import decode_cell, query_digest

__all__ = ["LISTINGS", "Listing", "group_listings", "listings", "listings_key", "merge_listings"]


@dataclass(frozen=True)
class Recorded:
    """A listing the build records: the sha256 of the ``.rq`` text reviewed for it, and
    its aggregate columns (empty: a ``DISTINCT`` listing)."""

    rq_digest: str
    aggregates: tuple[str, ...] = ()


#: The listings a build records (module docstring for why each one is exact).
LISTINGS: dict[str, Recorded] = {
    "joint-organizers": Recorded("db7f6b037ed38c3658c0156f26b98f0a3e0fb1a4cbd683ad274be8130adc2619"),
    "campaign-spread": Recorded("782e38d228a79a68bb89bb3088f44687cf7606c84fb44df9a8f64b4f6f2b974c", ("activities",)),
    "implements-chain": Recorded("cfe2b230983c3a024fa548b18f0a53f251a7fff40c5806f764d5eae07bd27f3a"),
    "reused-slogans-themes": Recorded("1f5badc667a615f399a77898b782ea650677bf0a138b42250271fc2c6a67ef8d"),
    "provincial-mirrors-national": Recorded("834f18db04b8b201c9a4bd2f3dc07b88d2dae54b7b31ee04142792d06596fe5e"),
    "local-mirrors-provincial": Recorded("a7ff3b4d506df4078c73243fc4252c80ae263cacf17b9856e1d3a173e5c76172"),
}

#: what kept rows were made by: this module's own source
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Listing:
    """One listing as a build runs it."""

    name: str
    text: str  #: the default text as the CLI runs it (the recorded answer's key)
    run: str  #: that text without its final ORDER BY (the rows are sorted when merged)
    order: tuple[tuple[str, bool], ...]  #: (column, descending) of that ORDER BY
    aggregates: tuple[str, ...]


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
        out.append(Listing(name, text, split[0], tuple(split[1]), rec.aggregates))
    return out


def listings_key() -> str:
    """What a group's kept rows depend on besides its data: the texts and this code."""
    h = hashlib.sha256(_VERSION.encode())
    for li in listings():
        h.update(li.text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _encode(term: Any) -> list[str] | str | None:
    """A term as a recorded cell (``qmgraph.store.decode_cell`` reads it back): an
    xsd:string literal as its bare text, else ``[kind, value, datatype or language]``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["iri", term.value, ""]
    if isinstance(term, ox.Literal):
        if term.language:
            return ["lang", term.value, term.language]
        dt = term.datatype.value
        return term.value if dt == _STRING else ["literal", term.value, dt]
    raise ValueError(f"no recorded cell for {term!r}")  # blank nodes: labels are the store's


def group_listings(store: ox.Store) -> dict[str, dict]:
    """Every listing's columns and rows (recorded cells, unsorted) on one validation
    group's in-memory ``store``; a listing with a blank node in a row is left out (a blank
    node's label in the build's store is not this store's)."""
    out: dict[str, dict] = {}
    for li in listings():
        res = store.query(li.run, use_default_graph_as_union=True)
        cols = [v.value for v in res.variables]
        try:
            rows = [[_encode(sol[c]) for c in cols] for sol in res]
        except ValueError:
            continue
        out[li.name] = {"columns": cols, "rows": rows}
    return out


def merge_listings(parts: Iterable[Mapping[str, dict] | None]) -> dict[str, dict]:
    """The recorded answers (bound text's digest → ``{"query", "columns", "rows"}``) of the
    listings every group answered: the groups' rows together, without repeats, sorted as
    the query's ``ORDER BY``; none for a listing whose group keys meet in two groups, or
    whose rows Python cannot order as Oxigraph does."""
    parts = list(parts)
    answers: dict[str, dict] = {}
    for li in listings():
        if not parts or any(p is None or li.name not in p for p in parts):
            continue
        rows = _united(li, [p[li.name] for p in parts])  # type: ignore[index]
        if rows is None:
            continue
        cols = parts[0][li.name]["columns"]  # type: ignore[index]
        ordered = _sorted(li, cols, rows)
        if ordered is not None:
            answers[query_digest(li.text)] = {"query": li.name, "columns": cols,
                                              "rows": ordered}
    return answers


def _sorted(li: Listing, cols: list[str], rows: list[tuple]) -> list[list] | None:
    """``rows`` (cells) in the order of the listing's ``ORDER BY`` (None: an order Python
    cannot give as Oxigraph does)."""
    terms: dict[Any, Any] = {}  # each distinct cell decoded once (cells repeat)

    def term(cell: Any) -> Any:
        got = terms.get(cell)
        if got is None and cell is not None:
            got = terms[cell] = decode_cell(cell)
        return got

    # the row's position rides at the end, past the columns the sort reads
    ordered = sort_solutions(cols, [[*map(term, r), k] for k, r in enumerate(rows)], li.order)
    if ordered is None:
        return None
    return [[list(c) if isinstance(c, tuple) else c for c in rows[d[-1]]] for d in ordered]


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


