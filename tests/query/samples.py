"""Values for the canned queries' required parameters, taken from the graph queried, so a
test can run every query the way a user must call it (docs/decisions/0031)."""

from __future__ import annotations

from pathlib import Path

from qmgraph.query import load_query, run_query, run_sparql

#: A search word that selects most activities of the seeds and of a synthetic corpus
#: (the former default of activity-search).
SEARCH_TEXT = "质量"

_PREFIX = "PREFIX qm: <https://w3id.org/qmgraph/ontology#>\n"
#: Activities that mirror something, those with a chain of two steps or more first.
_STARTS = (_PREFIX + "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a qm:mirrors ?m } "
           "GRAPH ?h { ?m qm:mirrors ?n } } ORDER BY ?a",
           _PREFIX + "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a qm:mirrors ?m } } ORDER BY ?a")


def chain_starts(graph: Path | None = None, endpoint: str | None = None) -> list[str]:
    """Every activity that mirrors something (sorted by IRI)."""
    return [r["a"] for r in run_sparql(_STARTS[1], graph=graph, endpoint=endpoint).rows]


def chain_start(graph: Path | None = None, endpoint: str | None = None) -> str:
    """An activity with a chain of two steps or more if there is one, else one step."""
    for text in _STARTS:
        rows = run_sparql(text, graph=graph, endpoint=endpoint).rows
        if rows:
            return rows[0]["a"]
    raise AssertionError("no activity mirrors anything in this graph")


def required_params(name: str, graph: Path | None = None,
                    endpoint: str | None = None) -> dict[str, str]:
    """A value for each required parameter of canned query ``name`` that selects rows."""
    out: dict[str, str] = {}
    for p in load_query(name).params.values():
        if not p.required:
            continue
        if p.name == "text":
            out["text"] = SEARCH_TEXT
        elif p.name == "activity":
            out["activity"] = chain_start(graph, endpoint)
        else:
            raise AssertionError(f"{name}: no sample value for required parameter {p.name}")
    return out


def every_chain(graph: Path, **params: str) -> list[dict]:
    """The rows of activity-chain for every activity that mirrors something, in the
    query's order: what its former default (``activity=*``) listed."""
    rows: list[dict] = []
    for start in chain_starts(graph):
        rows += run_query("activity-chain", params={"activity": start, **params}, graph=graph).rows
    return rows
