"""Whole-graph counts a build records beside its store, so ``qmgraph query summary`` reads
them instead of scanning every quad (docs/decisions/0019-query-speed.md).

The build hands the store its N-Quads chunks, one per named graph. Each chunk gives a small
:class:`GraphCounts` (its quads, the subjects it types per class, the notices with a source
file, the graded mirror links, the notice ``qm:implements`` pairs), kept per graph with the
chunk's digest in ``qmgraph.oxigraph/graph-counts.marshal``: a cached rebuild reads only the
chunks that changed and takes the others' counts from there (marshal, not JSON: 20 MB
at 10,000 notices, which JSON took ~0.5 s of CPU to read and write on every rebuild,
marshal ~0.05 s: decision 0035). :func:`summary_rows` then adds
them up into the rows of ``queries/summary.rq``, which stays the definition:
:data:`SUMMARY_DIGEST` is the digest of the query text these rows were written for, and a
build whose ``summary.rq`` differs records nothing (the query then runs on the store). A test
checks the recorded rows equal the query's on the seeds and on synthetic builds, a cached
rebuild included.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

__all__ = ["COUNTS_NAME", "SUMMARY_DIGEST", "GraphCounts", "chunk_counts", "collect",
           "summary_answer", "summary_rows"]

COUNTS_NAME = "graph-counts.marshal"  #: in the store folder: counts per named graph
#: what kept per-graph counts were made by: this module's own source (a change to how a
#: chunk is counted must never reuse counts made the old way)
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

_QM = "https://w3id.org/qmgraph/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Only graphs named under this base are counted (summary.rq's STRSTARTS filter).
_GRAPH_BASE = "https://w3id.org/qmgraph/"
#: The predicates whose quads a chunk's counts read (every other quad is only counted).
_PREDICATES = {_RDF_TYPE: "type", _QM + "sourceFile": "file", _QM + "grade": "grade",
               _QM + "implements": "implements"}
_NEEDLES = tuple(f"<{p}>".encode() for p in _PREDICATES)
#: The classes whose typed subjects the summary counts (qm: local names).
_CLASSES = ("Notice", "QualityMonth", "Activity", "Agency", "Association", "Enterprise",
            "Jurisdiction", "Campaign", "CampaignSeries", "Slogan", "MirrorLink")
_GRADES = ("verbatim", "adapted")

#: sha256 of queries/summary.rq, the text :func:`summary_rows` answers.
SUMMARY_DIGEST = "9cff2187e8618a87a5e353f81321a7ed25bbe8188907af1c0bb2ed794b1ef51c"


@dataclass
class GraphCounts:
    """What one named graph adds to the summary."""

    quads: int = 0
    typed: dict[str, list[str]] = field(default_factory=dict)  #: class → subjects typed here
    notices_with_file: list[str] = field(default_factory=list)  #: qm:Notice with qm:sourceFile
    graded: dict[str, list[str]] = field(default_factory=dict)  #: grade → qm:MirrorLink subjects
    notice_implements: int = 0  #: (notice, upper) pairs with both facts in this graph

    def to_json(self) -> dict:
        # shallow: asdict would deep-copy every subject list of every graph for nothing
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: Mapping) -> GraphCounts:
        return cls(int(data["quads"]), {k: list(v) for k, v in data["typed"].items()},
                   list(data["notices_with_file"]), {k: list(v) for k, v in data["graded"].items()},
                   int(data["notice_implements"]))


def _term_key(term: object) -> str:
    """A subject as text: IRIs bare, blank nodes as ``_:id``."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"  # type: ignore[attr-defined]


def _picked_lines(data: bytes) -> bytes:
    """The lines of ``data`` holding one of the predicates read (a few in ten)."""
    spans: set[tuple[int, int]] = set()
    for needle in _NEEDLES:
        at = data.find(needle)
        while at >= 0:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end
            spans.add((start, end))
            at = data.find(needle, end)
    return b"\n".join(data[a:b] for a, b in sorted(spans))


def chunk_counts(data: bytes) -> GraphCounts:
    """The counts of one named graph's N-Quads ``data``, a build's chunk: sorted distinct
    lines (``qmgraph.emit.chunk``), so every line is a quad; only the lines with one of the
    few predicates read are parsed."""
    picked = _picked_lines(data)
    typed: dict[str, set[str]] = {}
    files: set[str] = set()
    grades: dict[str, set[str]] = {}
    implements: set[tuple[str, str]] = set()
    for q in ox.parse(picked, format=ox.RdfFormat.N_QUADS) if picked else ():
        kind, s, o = _PREDICATES.get(q.predicate.value), _term_key(q.subject), q.object
        if kind == "type" and isinstance(o, ox.NamedNode) and o.value.startswith(_QM) \
                and o.value[len(_QM):] in _CLASSES:
            typed.setdefault(o.value[len(_QM):], set()).add(s)
        elif kind == "file":
            files.add(s)
        elif kind == "grade" and isinstance(o, ox.Literal) and not o.language \
                and o.datatype.value == _XSD + "string" and o.value in _GRADES:
            grades.setdefault(o.value, set()).add(s)
        elif kind == "implements":
            implements.add((s, str(o)))
    notices = typed.get("Notice", set())
    links = typed.get("MirrorLink", set())
    return GraphCounts(
        quads=data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1),
        typed={k: sorted(v) for k, v in sorted(typed.items())},
        notices_with_file=sorted(notices & files),
        graded={g: sorted(v & links) for g, v in sorted(grades.items())},
        notice_implements=sum(1 for s, _ in implements if s in notices))


def collect(chunks: Mapping[str, bytes], digests: Mapping[str, str] | None,
            folder: Path) -> tuple[dict[str, GraphCounts], dict]:
    """The counts of every graph of ``chunks``: from ``folder``'s counts file when a
    graph's digest is the one recorded there, else from its chunk. Writes the file anew
    (``digests`` None: no digest is kept, the next build reads every chunk)."""
    old: dict = {}
    if digests is not None:
        try:
            got = marshal.loads((folder / COUNTS_NAME).read_bytes())
            if isinstance(got, dict) and got.get("version") == _VERSION:
                old = got.get("graphs", {})
        except (OSError, ValueError, EOFError, TypeError):  # none, or another Python's
            old = {}
    out: dict[str, GraphCounts] = {}
    kept: dict[str, dict] = {}
    for g in chunks:
        d = digests.get(g) if digests is not None else None
        prev = old.get(g)
        if d is not None and isinstance(prev, dict) and prev.get("digest") == d:
            out[g] = GraphCounts.from_json(prev["counts"])
            kept[g] = prev  # kept as read
        else:
            out[g] = counts = chunk_counts(chunks[g])
            kept[g] = {"digest": d, "counts": counts.to_json()}
    return out, {"version": _VERSION, "graphs": kept}


def _distinct(groups: Iterable[Iterable[str]]) -> int:
    return len(set().union(*groups))


def summary_rows(graphs: Mapping[str, GraphCounts]) -> list[tuple[str, str, int]]:
    """``(order, metric, value)`` rows of ``queries/summary.rq`` from per-graph counts."""
    named = {g: c for g, c in graphs.items() if g.startswith(_GRAPH_BASE) and c.quads}
    cs = list(graphs.values())

    def typed(*classes: str) -> int:
        return _distinct(c.typed.get(k, ()) for c in cs for k in classes)

    editions = {s for c in cs for s in c.typed.get("QualityMonth", ())}
    campaigns = {s for c in cs for s in c.typed.get("Campaign", ())} - editions
    return [
        ("01", "notices in the corpus", _distinct(c.notices_with_file for c in cs)),
        ("02", "Quality Month editions", len(editions)),
        ("03", "activities", typed("Activity")),
        ("04", "organizations", typed("Agency", "Association", "Enterprise")),
        ("05", "jurisdictions", typed("Jurisdiction")),
        ("06", "campaigns", len(campaigns)),
        ("07", "campaign series", typed("CampaignSeries")),
        ("08", "slogans", typed("Slogan")),
        ("09", "mirror links", typed("MirrorLink")),
        ("10", "mirror links, verbatim", _distinct(c.graded.get("verbatim", ()) for c in cs)),
        ("11", "mirror links, adapted", _distinct(c.graded.get("adapted", ()) for c in cs)),
        ("12", "notice implements links", sum(c.notice_implements for c in cs)),
        ("13", "named graphs", len(named)),
        ("14", "quads in named graphs", sum(c.quads for c in named.values())),
    ]


def summary_answer(rows: list[tuple[str, str, int]]) -> dict:
    """``rows`` as a recorded answer (``qmgraph.store``): the columns and every term as
    ``[kind, value, datatype]``, the way the query's own solutions are recorded."""
    string, integer = _XSD + "string", _XSD + "integer"
    return {"query": "summary", "columns": ["order", "metric", "value"],
            "rows": [[["literal", o, string], ["literal", m, string], ["literal", str(v), integer]]
                     for o, m, v in rows]}
