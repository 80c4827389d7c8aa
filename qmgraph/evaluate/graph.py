"""The graph as the facets read it: the qm: terms, an index of every triple (one pass
over all named graphs) and the gold documents matched to their ``qm:Notice`` nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from rdflib import ConjunctiveGraph, Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from qmgraph.evaluate.normalize import normalize
from qmgraph.namespaces import QM

#: The qm: terms used here, resolved once (rdflib ``Namespace`` attribute access is slow in
#: hot loops).
Q = SimpleNamespace(**{n: QM[n] for n in (
    "Agency", "Association", "Enterprise", "MirrorLink", "National", "Notice", "blockKind",
    "blockLabel", "campaign", "coOrganizer", "counterpart", "describedBy", "divisionCode",
    "docNumber", "evidence", "implements", "issuedBy", "jointOrganizer", "jurisdiction",
    "level", "mirrors", "notice", "organizer", "partOf", "sector", "slogan", "source",
    "sourceFile", "target", "text", "theme", "year",
)})


# ---------------------------------------------------------------- graph index


class _Index:
    """Forward and backward adjacency of every predicate, read in one pass over the
    union of all named graphs; plus cached normalized labels."""

    def __init__(self, graph: Graph | Dataset) -> None:
        self.fwd: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.bwd: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in _all_triples(graph):
            self.fwd[p][s].add(o)
            self.bwd[p][o].add(s)
        self._labels: dict[Node, frozenset[str]] = {}
        self._by_label: dict[str, set[Node]] | None = None

    _EMPTY: frozenset = frozenset()

    def objs(self, s: Node, p: Node) -> set[Node] | frozenset:
        """Objects of ``(s, p, ?)``."""
        d = self.fwd.get(p)
        return d.get(s, self._EMPTY) if d else self._EMPTY

    def subjs(self, p: Node, o: Node) -> set[Node] | frozenset:
        """Subjects of ``(?, p, o)``."""
        d = self.bwd.get(p)
        return d.get(o, self._EMPTY) if d else self._EMPTY

    def strs(self, s: Node, p: Node) -> list[str]:
        """String values of ``(s, p, ?)``, sorted."""
        return sorted(str(o) for o in self.objs(s, p))

    def labels(self, node: Node) -> frozenset[str]:
        """Normalized ``rdfs:label`` and ``skos:altLabel`` values of ``node``."""
        got = self._labels.get(node)
        if got is None:
            got = frozenset(
                normalize(str(o)) for p in (RDFS.label, SKOS.altLabel) for o in self.objs(node, p)
            )
            self._labels[node] = got
        return got

    def display(self, node: Node) -> str:
        """A readable name: the ``@zh`` (or any) rdfs:label, else an altLabel, else the IRI."""
        labels = sorted(self.objs(node, RDFS.label), key=lambda o: (_lang(o) != "zh", str(o)))
        if not labels:
            labels = sorted(self.objs(node, SKOS.altLabel), key=str)
        return normalize(str(labels[0])) if labels else str(node)

    def by_label(self, name: str) -> set[Node]:
        """Nodes having ``name`` (normalized) as rdfs:label or skos:altLabel."""
        if self._by_label is None:
            self._by_label = defaultdict(set)
            for p in (RDFS.label, SKOS.altLabel):
                for s, objs in self.fwd.get(p, {}).items():
                    for o in objs:
                        self._by_label[normalize(str(o))].add(s)
        return self._by_label.get(normalize(name), set())


def _lang(o: Node) -> str | None:
    return o.language if isinstance(o, Literal) else None


def _all_triples(graph: Graph | Dataset) -> Iterable[tuple[Node, Node, Node]]:
    """Every triple of ``graph``; for a Dataset / ConjunctiveGraph, of all its graphs."""
    if isinstance(graph, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        # the store, asked with no context, answers for all graphs; much faster than quads()
        for (s, p, o), _ctxs in graph.store.triples((None, None, None), context=None):
            yield s, p, o
    else:
        yield from graph.triples((None, None, None))


def _int(value: Node) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


# ---------------------------------------------------------------- per-document context


@dataclass
class _Doc:
    """One gold document and what the graph holds for it."""

    key: str
    gold: dict[str, Any]
    notices: list[Node]  #: qm:Notice nodes identified as this document (normally one)
    activities: list[Node]  #: activities whose qm:notice is one of ``notices``
    editions: list[Node]  #: qm:QualityMonth nodes qm:describedBy one of ``notices``

    @property
    def found(self) -> bool:
        return bool(self.notices)


def _doc_key(doc: dict[str, Any], i: int) -> str:
    n = doc.get("notice", {})
    return n.get("key") or f"{n.get('code') or 'cn'}-{n.get('year')}-{i}"


def _notice_facts(idx: _Index, n: Node) -> tuple[set[str], bool, set[int]]:
    """What a gold document is matched on: the notice's division codes, whether it is
    national, and its years."""
    juris = idx.objs(n, Q.jurisdiction)
    codes = {str(c) for j in juris for c in idx.objs(j, Q.divisionCode)}
    national = Q.National in idx.objs(n, Q.level) or any(
        Q.National in idx.objs(j, Q.level) for j in juris
    )
    years = {y for y in (_int(v) for v in idx.objs(n, Q.year)) if y is not None}
    return codes, national, years


def _identify_notices(idx: _Index, gold: dict[str, Any]) -> tuple[list[_Doc], list[Node]]:
    """Match gold documents to ``qm:Notice`` nodes by jurisdiction code (or national level)
    and year. Returns the documents and the corpus notices (with a qm:sourceFile) that
    match no gold document."""
    notices = sorted(idx.subjs(RDF.type, Q.Notice), key=str)
    facts = {n: _notice_facts(idx, n) for n in notices}
    docs: list[_Doc] = []
    used: set[Node] = set()
    for i, g in enumerate(gold.get("documents", [])):
        spec = g.get("notice", {})
        code, year = spec.get("code"), spec.get("year")
        hits = []
        for n in notices:
            codes, national, years = facts[n]
            if year is not None and int(year) not in years:
                continue
            if (code is None and national) or (code is not None and str(code) in codes):
                hits.append(n)
        used.update(hits)
        acts = sorted({a for n in hits for a in idx.subjs(Q.notice, n)}, key=str)
        eds = sorted({e for n in hits for e in idx.subjs(Q.describedBy, n)}, key=str)
        docs.append(_Doc(_doc_key(g, i), g, hits, acts, eds))
    others = [n for n in notices if n not in used and idx.objs(n, Q.sourceFile)]
    return docs, others
