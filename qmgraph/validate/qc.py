"""Quality-control queries: cross-node rules run as SPARQL on an embedded Oxigraph store.

Every ``queries/qc/*-violation.rq`` asks for things that must not exist; on a good graph
each returns no rows. They hold the rules that compare two nodes (an activity and its
notice, a mirror link's two ends, an organization and its counterpart), which would make
pyshacl many times slower as SHACL-SPARQL constraints. Queries see the union of all named
graphs as their default graph.

Each file starts with a comment header of ``# key: value`` lines — ``rule``, ``question``,
``row``, ``example``, ``message-en``, ``message-zh``, optionally ``requires`` — and selects
``?focus`` first. ``requires`` is text every N-Quads document the query can have a row in
holds (``_:`` for a query about blank nodes): on the N-Quads of a build's chunks without it
the query is not run, its rows are none (decision 0032).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from qmgraph.errors import QmgraphError
from qmgraph.graphfile import load_store
from qmgraph.resources import qc_dir
from qmgraph.validate import (
    DEFAULT_ENGINE,
    ValidationReport,
    ValidationResult,
    make_report,
    merge_results,
    validate,
)

__all__ = ["QcQuery", "load_qc", "qc_results", "run_qc", "to_store", "validate_with_qc",
           "with_qc"]

DEFAULT_QC_DIR = qc_dir()
SUFFIX = "-violation.rq"

_HEADER_RE = re.compile(r"^#\s*([a-z-]+):\s*(.*)$")


@dataclass(frozen=True)
class QcQuery:
    """One QC query file and the fields of its header comment."""

    name: str  #: file name without ``-violation.rq``, e.g. ``activity-jurisdiction``
    path: Path
    text: str
    rule_id: str
    question: str
    message: str
    message_zh: str
    #: text the N-Quads of data where the query has a row always hold (header ``requires``)
    requires: bytes | None = None


def _parse_header(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER_RE.match(line)
        if m:
            key = m.group(1)
            fields[key] = m.group(2).strip()
        elif key is not None:  # continuation line
            fields[key] = (fields[key] + " " + line.lstrip("# ").strip()).strip()
    return fields


def load_qc(qc_dir: str | Path | None = None) -> list[QcQuery]:
    """The QC queries of ``qc_dir`` (default ``<repo>/queries/qc``), sorted by name."""
    d = Path(qc_dir) if qc_dir is not None else DEFAULT_QC_DIR
    out = []
    for p in sorted(d.glob(f"*{SUFFIX}")):
        text = p.read_text(encoding="utf-8")
        h = _parse_header(text)
        name = p.name[: -len(SUFFIX)]
        out.append(QcQuery(name=name, path=p, text=text,
                           rule_id=h.get("rule", f"QM-QC-{name.upper()}"),
                           question=h.get("question", ""),
                           message=h.get("message-en", h.get("question", name)),
                           message_zh=h.get("message-zh", ""),
                           requires=h["requires"].encode("utf-8") if h.get("requires") else None))
    if not out:
        raise QmgraphError(f"no QC queries (*{SUFFIX}) in {d}")
    return out


def to_store(dataset_or_path: Graph | str | Path | ox.Store | bytes) -> ox.Store:
    """An in-memory Oxigraph store holding ``dataset_or_path``.

    Accepts an rdflib ``Dataset``/``Graph`` (serialized to N-Quads, which Oxigraph parses
    far faster than rdflib builds triples one by one), N-Quads bytes, a graph file or a
    build's folder (:func:`qmgraph.graphfile.load_store`) or a ready ``pyoxigraph.Store``
    (returned as is).
    """
    if isinstance(dataset_or_path, ox.Store):
        return dataset_or_path
    store = ox.Store()
    if isinstance(dataset_or_path, bytes):  # N-Quads, as a build validates its chunks
        store.load(dataset_or_path, format=ox.RdfFormat.N_QUADS)
        return store
    if isinstance(dataset_or_path, Graph):
        fmt = "nquads" if getattr(dataset_or_path, "context_aware", False) else "nt"
        with warnings.catch_warnings():  # rdflib's own serializer calls deprecated Dataset API
            warnings.simplefilter("ignore", DeprecationWarning)
            data = dataset_or_path.serialize(format=fmt, encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.N_TRIPLES)
        return store
    return load_store(dataset_or_path)


def _term_str(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def run_qc(dataset_or_path: Graph | str | Path | ox.Store,
           qc_dir: str | Path | None = None, *, data: bytes | None = None
           ) -> dict[str, list[dict[str, str]]]:
    """Run every QC query; returns ``{name: rows}``, each row ``{variable: value}``.

    Values are plain strings: an IRI, a literal's lexical form, or ``_:id`` for a blank
    node; unbound variables are left out. Rows are sorted; every list is empty on a good
    graph. ``data``: the N-Quads the store holds, to skip the queries whose ``requires``
    text they lack (no rows by that query's header).
    """
    store = to_store(dataset_or_path)
    out: dict[str, list[dict[str, str]]] = {}
    for q in load_qc(qc_dir):
        if data is not None and q.requires is not None and q.requires not in data:
            out[q.name] = []
            continue
        try:
            solutions = store.query(q.text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QmgraphError(f"QC query does not parse: {exc}", path=str(q.path)) from exc
        names = [v.value for v in solutions.variables]
        rows = [{n: _term_str(sol[n]) for n in names if sol[n] is not None} for sol in solutions]
        rows.sort(key=lambda r: tuple(r.get(n, "") for n in names))
        out[q.name] = rows
    return out


def qc_results(rows_by_query: dict[str, list[dict[str, str]]],
               qc_dir: str | Path | None = None) -> list[ValidationResult]:
    """QC rows as :class:`~qmgraph.validate.ValidationResult` (severity Violation).

    Lets a CLI print SHACL results and QC rows as one report. ``value`` holds the row's
    other variables as ``name=value`` pairs.
    """
    queries = {q.name: q for q in load_qc(qc_dir)}
    out = []
    for name, rows in rows_by_query.items():
        q = queries.get(name)
        for row in rows:
            focus = row.get("focus", "")
            rest = "; ".join(f"{k}={v}" for k, v in row.items() if k != "focus")
            out.append(ValidationResult(
                rule_id=q.rule_id if q else f"QM-QC-{name.upper()}", severity="Violation",
                focus=focus, path=None, value=rest or None, message=q.message if q else name,
                message_zh=q.message_zh if q else "",
                focus_node=URIRef(focus) if focus and not focus.startswith("_:") else None))
    return merge_results(out)


def validate_with_qc(data: Path | bytes | ox.Store, *, engine: str = DEFAULT_ENGINE,
                     shapes: Graph | None = None) -> ValidationReport:
    """SHACL validation of ``data`` plus the QC queries, as one report: each QC row is a
    Violation result (:func:`qc_results`) beside the SHACL results, so ``qmgraph build``
    counts, prints and writes both alike (docs/decisions/0018-one-of-each.md)."""
    return with_qc(validate(data, engine=engine, shapes=shapes), run_qc(data))


def with_qc(report: ValidationReport, rows: dict[str, list[dict[str, str]]]
            ) -> ValidationReport:
    """``report`` (SHACL) with the QC rows ``rows`` (:func:`run_qc`) as Violation results
    beside its own: :func:`validate_with_qc` in two steps, for a build that does something
    else between them."""
    if not any(rows.values()):
        return report
    return make_report([*report.results, *qc_results(rows)], report.engine)
