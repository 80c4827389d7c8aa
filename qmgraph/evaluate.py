"""Score a qmgraph graph against hand-made gold annotations (``gold/README.md`` format).

The evaluator reads the graph exactly as ``docs/decisions/0002-graph-contract.md`` describes
it and reports precision / recall / F1 per *facet* (notices, metadata, organizers, kinds,
sectors, jurisdiction blocks, joint organizers, co-organizers, campaigns, slogans, numbered
items, boilerplate, mirrors, counterparts, branches). Counts are summed over documents
(micro average).

Library only: the CLI calls ``evaluate(load_graph(p), load_gold(g))`` and prints
``Evaluation.table()`` or ``json.dumps(Evaluation.to_json())``.

All label comparisons normalize both sides the same way: NFKC, OpenCC ``t2s``, whitespace
removed (campaign names additionally lose quotes and 、·，). The graph is read with one pass
over all triples of all named graphs into plain dictionaries, so a 200k-triple graph
evaluates in a few seconds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from qmgraph.errors import InputError
from qmgraph.graphfile import check_text_file, read_quads
from qmgraph.levels import LEVEL_TERMS
from qmgraph.namespaces import ORG, QM

__all__ = [
    "FacetScore",
    "Evaluation",
    "FACETS",
    "load_gold",
    "load_graph",
    "evaluate",
    "normalize",
    "normalize_campaign",
]

#: The qm: terms used here, resolved once (rdflib ``Namespace`` attribute access is slow in
#: hot loops).
Q = SimpleNamespace(
    **{
        n: QM[n]
        for n in (
            "Agency",
            "Association",
            "Enterprise",
            "MirrorLink",
            "National",
            "Notice",
            "blockKind",
            "blockLabel",
            "campaign",
            "coOrganizer",
            "counterpart",
            "describedBy",
            "divisionCode",
            "docNumber",
            "evidence",
            "implements",
            "issuedBy",
            "jointOrganizer",
            "jurisdiction",
            "level",
            "mirrors",
            "notice",
            "organizer",
            "partOf",
            "sector",
            "slogan",
            "source",
            "sourceFile",
            "target",
            "text",
            "theme",
            "year",
        )
    }
)

#: Facet names, in the order ``evaluate`` reports them.
FACETS: tuple[str, ...] = (
    "notices",
    "level",
    "metadata",
    "organizers",
    "kinds",
    "sectors",
    "jurisdiction_blocks",
    "jurisdiction_parents",
    "joint_organizers",
    "co_organizers",
    "campaigns",
    "slogans",
    "numbered_items",
    "boilerplate",
    "mirrors",
    "counterparts",
    "branches",
)

#: How many missed / spurious entries ``Evaluation.table`` prints per facet.
TABLE_LIST_LIMIT = 15

_KIND_CLASSES = {"agency": Q.Agency, "association": Q.Association, "enterprise": Q.Enterprise}
_METADATA_FIELDS = (
    "title_contains",
    "doc_number",
    "issued",
    "theme",
    "issuer",
    "implements_doc_number",
)

# ---------------------------------------------------------------- results


@dataclass
class FacetScore:
    """Counts and scores of one facet, summed over all gold documents.

    ``missed`` lists gold items not found (false negatives), ``spurious`` predicted items
    that count against precision; both are human-readable and deterministically ordered.
    """

    facet: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    missed: list[str]
    spurious: list[str]
    note: str = ""


@dataclass
class Evaluation:
    """The result of ``evaluate``: one ``FacetScore`` per facet, in ``FACETS`` order."""

    facets: list[FacetScore]

    def facet(self, name: str) -> FacetScore:
        """The score of facet ``name`` (KeyError when absent)."""
        for f in self.facets:
            if f.facet == name:
                return f
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serializable dict: ``{"facets": [FacetScore as dict, …]}``."""
        return {"facets": [asdict(f) for f in self.facets]}

    def table(self) -> str:
        """A fixed-width table of the scores, then missed / spurious lines per facet."""
        head = f"{'facet':<20} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}  note"
        lines = [head, "-" * len(head)]
        for f in self.facets:
            lines.append(
                f"{f.facet:<20} {f.tp:>5} {f.fp:>5} {f.fn:>5} "
                f"{f.precision:>6.3f} {f.recall:>6.3f} {f.f1:>6.3f}  {f.note}".rstrip()
            )
        for what in ("missed", "spurious"):
            blocks = [f for f in self.facets if getattr(f, what)]
            if not blocks:
                continue
            lines.append("")
            lines.append(f"{what}:")
            for f in blocks:
                items: list[str] = getattr(f, what)
                lines.append(f"  {f.facet} ({len(items)}):")
                for item in items[:TABLE_LIST_LIMIT]:
                    lines.append(f"    - {item}")
                if len(items) > TABLE_LIST_LIMIT:
                    lines.append(f"    … {len(items) - TABLE_LIST_LIMIT} more")
        return "\n".join(lines) + "\n"


@dataclass
class _Tally:
    """Accumulates one facet's counts while documents are scored."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def hit(self, n: int = 1) -> None:
        self.tp += n

    def miss(self, what: str) -> None:
        self.fn += 1
        self.missed.append(what)

    def false(self, what: str) -> None:
        self.fp += 1
        self.spurious.append(what)

    def score(self, facet: str, note: str = "") -> FacetScore:
        p, r, f1 = prf(self.tp, self.fp, self.fn)
        return FacetScore(
            facet, self.tp, self.fp, self.fn, p, r, f1, list(self.missed), list(self.spurious), note
        )


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted and nothing expected gives precision 1.0;
    nothing predicted but something expected gives precision 0.0; nothing expected gives
    recall 1.0."""
    if tp + fp:
        p = tp / (tp + fp)
    else:
        p = 1.0 if fn == 0 else 0.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f1, 4)


# ---------------------------------------------------------------- normalization

_WS_RE = re.compile(r"\s+")
_CAMPAIGN_DROP_RE = re.compile(r"[\s“”‘’\"'「」『』、·•・，,]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """The form every label comparison uses: NFKC, simplified script, no whitespace."""
    s = unicodedata.normalize("NFKC", str(text))
    s = _t2s().convert(s)
    return _WS_RE.sub("", unicodedata.normalize("NFKC", s))


@lru_cache(maxsize=50_000)
def normalize_campaign(text: str) -> str:
    """Campaign-name form: ``normalize`` plus quotes “”‘’"'「」, 、·， and commas removed."""
    s = _t2s().convert(unicodedata.normalize("NFKC", str(text)))
    return _CAMPAIGN_DROP_RE.sub("", unicodedata.normalize("NFKC", s))


# ---------------------------------------------------------------- loading

def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold file (``seeds.json`` format) and check it has a ``documents`` list;
    raises :class:`~qmgraph.errors.InputError` for anything else."""
    check_text_file(path, "gold file")
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"gold file is not JSON: {exc}", path=str(path)) from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("documents"), list):
        raise InputError("not a gold file (no 'documents' list)", path=str(path),
                         hint="a gold file is a JSON object with a 'documents' list "
                         "(see ../shared/gold/seeds.json)")
    return gold


def load_graph(path: str | Path) -> Dataset:
    """Load a graph file (or a build's folder) into a ``Dataset`` whose default graph is
    the union of all graphs (read by :func:`qmgraph.graphfile.read_quads`)."""
    ds = Dataset(default_union=True)
    ds.addN(_rdflib_quads(read_quads(path), ds))
    return ds


def _rdflib_quads(quads: Iterable[ox.Quad], ds: Dataset) -> Iterator[tuple]:
    """pyoxigraph quads as rdflib quads for ``ds.addN``."""
    graphs: dict[str, Graph] = {}
    default = getattr(ds, "default_graph", None)  # rdflib ≥ 7.1; default_context before
    if default is None:
        default = ds.default_context

    def term(t: Any) -> Node:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(dt))

    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            ctx = default
        else:
            ctx = graphs.get(g.value)
            if ctx is None:
                ctx = graphs[g.value] = ds.graph(URIRef(g.value))
        yield term(q.subject), term(q.predicate), term(q.object), ctx


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


def _identify_notices(idx: _Index, gold: dict[str, Any]) -> tuple[list[_Doc], list[Node]]:
    """Match gold documents to ``qm:Notice`` nodes by jurisdiction code (or national level)
    and year. Returns the documents and the corpus notices (with a qm:sourceFile) that
    match no gold document."""
    notices = sorted(idx.subjs(RDF.type, Q.Notice), key=str)
    facts: dict[Node, tuple[set[str], bool, set[int]]] = {}
    for n in notices:
        juris = idx.objs(n, Q.jurisdiction)
        codes = {str(c) for j in juris for c in idx.objs(j, Q.divisionCode)}
        national = Q.National in idx.objs(n, Q.level) or any(
            Q.National in idx.objs(j, Q.level) for j in juris
        )
        years = {y for y in (_int(v) for v in idx.objs(n, Q.year)) if y is not None}
        facts[n] = (codes, national, years)
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


# ---------------------------------------------------------------- facets


def _facet_notices(docs: list[_Doc], others: list[Node]) -> FacetScore:
    t = _Tally()
    for d in docs:
        if not d.notices:
            t.miss(d.key)
            continue
        t.hit()
        for extra in d.notices[1:]:
            t.false(f"{d.key}: duplicate notice {extra}")
    note = f"{len(others)} other corpus notice(s) not in gold, not counted" if others else ""
    return t.score("notices", note)


def _facet_level(idx: _Index, docs: list[_Doc]) -> FacetScore:
    """The document's notice states the gold level (qm:level); a notice not found misses."""
    t = _Tally()
    for d in docs:
        want = d.gold.get("notice", {}).get("level")
        if not want:
            continue
        term = QM[LEVEL_TERMS.get(want, want)]
        if not d.notices:
            t.miss(f"{d.key}: {want} (notice not found)")
            continue
        levels = {lv for n in d.notices for lv in idx.objs(n, Q.level)}
        if term in levels:
            t.hit()
        else:
            t.miss(f"{d.key}: {want}")
            t.false(f"{d.key}: {' | '.join(sorted(idx.display(lv) for lv in levels)) or 'no level'}")
    return t.score("level", "qm:level of the document's notice")


def _facet_jurisdiction_parents(idx: _Index, gold: dict[str, Any]) -> FacetScore:
    """Each gold {code, parent}: the jurisdiction with that code is in the graph and
    qm:partOf (transitively) the one with the parent code."""
    t = _Tally()
    by_code: dict[str, set[Node]] = defaultdict(set)
    for j in idx.subjs(RDF.type, QM.Jurisdiction):
        for c in _codes(idx, j):
            by_code[c].add(j)
    for pair in gold.get("jurisdiction_parents") or []:
        code, parent = str(pair.get("code")), str(pair.get("parent"))
        nodes = by_code.get(code, set())
        if not nodes:
            t.miss(f"{code} → {parent} ({code} not in the graph)")
            continue
        if any(parent in _codes(idx, a) for n in nodes for a in _ancestors(idx, n)):
            t.hit()
        else:
            t.miss(f"{code} → {parent}")
    return t.score("jurisdiction_parents", "code in the graph and qm:partOf+ its parent")


def _facet_metadata(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        for fld in _METADATA_FIELDS:
            want = d.gold.get(fld)
            if want in (None, ""):
                continue
            values = _metadata_values(idx, d, fld)
            w = normalize(str(want))
            ok = any((w in v) if fld == "title_contains" else (w == v) for v in values)
            if ok:
                t.hit()
                continue
            t.miss(
                f"{d.key}: {fld} = {want}"
                + (f" (graph: {' | '.join(sorted(values))})" if values else "")
            )
            if values:  # a stated but wrong value is also a false prediction
                t.fp += 1
                t.spurious.append(f"{d.key}: {fld} = {' | '.join(sorted(values))}")
    return t.score("metadata", "wrong value = fn + fp")


def _metadata_values(idx: _Index, d: _Doc, fld: str) -> set[str]:
    """Normalized graph values of one metadata field over the document's notices."""
    out: set[str] = set()
    for n in d.notices:
        if fld == "title_contains":
            out.update(normalize(v) for v in idx.strs(n, DCTERMS.title))
        elif fld == "doc_number":
            out.update(normalize(v) for v in idx.strs(n, Q.docNumber))
        elif fld == "issued":
            out.update(normalize(v) for v in idx.strs(n, DCTERMS.issued))
        elif fld == "theme":
            out.update(normalize(v) for v in idx.strs(n, Q.theme))
        elif fld == "issuer":
            for org in idx.objs(n, Q.issuedBy):
                out.update(idx.labels(org))
        elif fld == "implements_doc_number":
            for up in idx.objs(n, Q.implements):
                out.update(normalize(v) for v in idx.strs(up, Q.docNumber))
    return out


def _block_kind(idx: _Index, act: Node) -> str:
    kinds = idx.strs(act, Q.blockKind)
    return kinds[0] if kinds else ""


def _names(entry: dict[str, Any]) -> set[str]:
    """Normalized ``name`` plus ``alts`` of a gold organizer entry."""
    return {normalize(x) for x in [entry.get("name", ""), *(entry.get("alts") or [])] if x}


def _facet_organizers(idx: _Index, docs: list[_Doc]) -> tuple[FacetScore, FacetScore, FacetScore]:
    """Organizers, kinds and sectors. Kinds and sectors: every gold block is expected (a
    block not found is missed); a found block with another type / sector is also spurious."""
    org_t, kind_t, sec_t = _Tally(), _Tally(), _Tally()
    for d in docs:
        blocks = d.gold.get("organizer_blocks") or []
        all_orgs: set[Node] = set()
        block_orgs: set[Node] = set()
        for a in d.activities:
            orgs = idx.objs(a, Q.organizer)
            all_orgs.update(orgs)
            if _block_kind(idx, a) == "organizer":
                block_orgs.update(orgs)
        gold_names: set[str] = set()
        for b in blocks:
            names = _names(b)
            gold_names |= names
            matched = sorted((o for o in all_orgs if idx.labels(o) & names), key=str)
            label = f"{d.key}: {b.get('name')}"
            kind, sector = b.get("kind"), b.get("sector")
            if not matched:
                org_t.miss(label)
                if kind in _KIND_CLASSES:
                    kind_t.miss(f"{label} is {kind} (block not found)")
                if sector:
                    sec_t.miss(f"{label} sector {sector} (block not found)")
                continue
            org_t.hit()
            if kind in _KIND_CLASSES:
                types = {t for o in matched for t in idx.objs(o, RDF.type)}
                if _KIND_CLASSES[kind] in types:
                    kind_t.hit()
                else:
                    kind_t.miss(f"{label} is {kind}")
                    got = sorted(
                        str(x).rsplit("#", 1)[-1] for x in types if x in _KIND_CLASSES.values()
                    )
                    if got:
                        kind_t.false(f"{label} typed {'/'.join(got)}")
            if sector:
                got_s = {s for o in matched for s in _sector_keys(idx, o)}
                if sector in got_s:
                    sec_t.hit()
                else:
                    sec_t.miss(f"{label} sector {sector}")
                    if got_s:
                        sec_t.false(f"{label} sector {'/'.join(sorted(got_s))}")
        for o in sorted(block_orgs, key=lambda x: (idx.display(x), str(x))):
            if not idx.labels(o) & gold_names:
                org_t.false(f"{d.key}: {idx.display(o)}")
    return (
        org_t.score("organizers", "predicted = organizers of blockKind 'organizer' activities"),
        kind_t.score("kinds", "fn = block missing or mistyped; fp = mistyped"),
        sec_t.score("sectors", "fn = block missing or wrong sector; fp = wrong sector"),
    )


def _sector_keys(idx: _Index, org: Node) -> set[str]:
    """skos:notation of the organization's qm:sector (IRI tail when it has none)."""
    out: set[str] = set()
    for s in idx.objs(org, Q.sector):
        notes = idx.strs(s, SKOS.notation)
        out.update(notes if notes else [str(s).rstrip("/").rsplit("/", 1)[-1]])
    return out


def _ancestors(idx: _Index, node: Node) -> set[Node]:
    """Transitive closure of qm:partOf from ``node`` (excluding itself)."""
    seen: set[Node] = set()
    stack = list(idx.objs(node, Q.partOf))
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        stack.extend(idx.objs(n, Q.partOf))
    return seen


def _codes(idx: _Index, node: Node) -> set[str]:
    return {str(c) for c in idx.objs(node, Q.divisionCode)}


def _facet_jurisdiction_blocks(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        blocks = d.gold.get("jurisdiction_blocks") or []
        act_juris: set[Node] = set()
        block_juris: set[Node] = set()
        for a in d.activities:
            js = idx.objs(a, Q.jurisdiction)
            act_juris.update(js)
            if _block_kind(idx, a) == "jurisdiction":
                block_juris.update(js)
        gold_codes = {str(b.get("code")) for b in blocks}
        for b in blocks:
            code, parent = str(b.get("code")), b.get("parent")
            ok = False
            for j in act_juris:
                if code not in _codes(idx, j):
                    continue
                if parent is None or any(
                    str(parent) in _codes(idx, up) for up in _ancestors(idx, j)
                ):
                    ok = True
                    break
            if ok:
                t.hit()
            else:
                t.miss(f"{d.key}: {b.get('name')} ({code})")
        for j in sorted(block_juris, key=lambda x: (idx.display(x), str(x))):
            if not _codes(idx, j) & gold_codes:
                t.false(f"{d.key}: {idx.display(j)} ({'/'.join(sorted(_codes(idx, j))) or '-'})")
    return t.score("jurisdiction_blocks", "a document without jurisdiction_blocks expects none")


def _facet_joint_organizers(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        roster = d.gold.get("joint_organizers")
        if roster is None:
            continue
        alts = d.gold.get("joint_organizer_alts") or {}
        joint = {o for e in d.editions for o in idx.objs(e, Q.jointOrganizer)}
        all_names: set[str] = set()
        for name in roster:
            names = {normalize(name), *(normalize(a) for a in alts.get(name, []))}
            all_names |= names
            if any(idx.labels(o) & names for o in joint):
                t.hit()
            else:
                t.miss(f"{d.key}: {name}")
        for o in sorted(joint, key=lambda x: (idx.display(x), str(x))):
            if not idx.labels(o) & all_names:
                t.false(f"{d.key}: {idx.display(o)}")
    return t.score("joint_organizers")


def _facet_co_organizers(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        entries = d.gold.get("co_organizers") or []
        texts = (
            {a: [normalize(x) for x in idx.strs(a, Q.text)] for a in d.activities}
            if entries
            else {}
        )
        for c in entries:
            needle = normalize(c.get("text_contains", ""))
            org_n, co_n = normalize(c.get("organizer", "")), normalize(c.get("co", ""))
            acts = [a for a in d.activities if any(needle in x for x in texts[a])]
            ok = any(
                any(org_n in idx.labels(o) for o in idx.objs(a, Q.organizer))
                and any(co_n in idx.labels(o) for o in idx.objs(a, Q.coOrganizer))
                for a in acts
            )
            what = f"{d.key}: {c.get('organizer')} + {c.get('co')} ({c.get('text_contains')})"
            if ok:
                t.hit()
            else:
                t.miss(what + ("" if acts else " — no activity text contains it"))
    return t.score("co_organizers", "recall only")


def _facet_campaigns(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        camps = {c for a in d.activities for c in idx.objs(a, Q.campaign)}
        names: dict[Node, set[str]] = {
            c: {
                normalize_campaign(str(o))
                for p in (RDFS.label, SKOS.altLabel)
                for o in idx.objs(c, p)
            }
            for c in camps
        }
        have = set().union(*names.values()) if names else set()
        for req in d.gold.get("campaigns_required") or []:
            if normalize_campaign(req) in have:
                t.hit()
            else:
                t.miss(f"{d.key}: {req}")
        forbidden = {normalize_campaign(f): f for f in d.gold.get("campaigns_forbidden") or []}
        for c in sorted(camps, key=str):
            hits = sorted({forbidden[n] for n in names[c] if n in forbidden})
            if hits:
                t.false(f"{d.key}: {' / '.join(hits)} ({idx.display(c)})")
    return t.score("campaigns", "precision counts forbidden campaigns only")


def _facet_slogans(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        want = d.gold.get("slogan_count")
        if want is None:
            continue
        got = len({s for e in d.editions for s in idx.objs(e, Q.slogan)})
        t.tp += min(got, want)
        if got > want:
            t.fp += got - want
            t.spurious.append(f"{d.key}: {got} slogans, gold {want}")
        elif got < want:
            t.fn += want - got
            t.missed.append(f"{d.key}: {got} slogans, gold {want}")
    return t.score("slogans", "counts per edition")


def _facet_numbered_items(docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        want = d.gold.get("numbered_items")
        if want is None:
            continue
        if d.found and len(d.activities) >= want:
            t.hit()
        else:
            t.miss(f"{d.key}: {len(d.activities)} activities < {want}")
    return t.score("numbered_items", "pass = at least that many activities")


def _facet_boilerplate(idx: _Index, docs: list[_Doc]) -> FacetScore:
    t = _Tally()
    for d in docs:
        strings = d.gold.get("not_in_activity_text") or []
        if not strings:
            continue
        texts = [normalize(x) for a in d.activities for x in idx.strs(a, Q.text)]
        for s in strings:
            if not d.found:
                t.miss(f"{d.key}: {s} (notice not found)")
            elif any(normalize(s) in x for x in texts):
                t.false(f"{d.key}: {s}")
            else:
                t.hit()
    return t.score("boilerplate", "fp = string found in some qm:text")


# ---------------------------------------------------------------- mirrors

_Block = tuple[str, str, str]  # (doc key, normalized block name, blockKind)


def _side_matches(spec: dict[str, Any], block: _Block) -> bool:
    """Whether a gold side ``{"doc", "block"}`` covers a predicted block (with wildcards)."""
    doc, name, kind = block
    if spec.get("doc") != doc:
        return False
    want = spec.get("block", "")
    if want == "*":
        return True
    if want == "*district*":
        return kind == "jurisdiction"
    return normalize(want) == name


def _pair_matches(entry: dict[str, Any], local: _Block, source: _Block) -> bool:
    return _side_matches(entry.get("local", {}), local) and _side_matches(
        entry.get("source", {}), source
    )


class _BlockNamer:
    """Names the block of an activity: gold block names where a label matches one used in
    the gold mirror lists (or an alias / division code of that block), else the label."""

    def __init__(self, idx: _Index, gold: dict[str, Any], docs: list[_Doc]) -> None:
        self.idx = idx
        self.doc_of_notice = {n: d.key for d in docs for n in d.notices}
        self.alias: dict[str, dict[str, str]] = defaultdict(dict)
        self.by_code: dict[str, dict[str, str]] = defaultdict(dict)
        for entry in [*gold.get("mirrors", []), *gold.get("neutral_mirrors", [])]:
            for side in (entry.get("local", {}), entry.get("source", {})):
                b = side.get("block", "")
                if b and b not in ("*", "*district*"):
                    self.alias[side.get("doc", "")][normalize(b)] = normalize(b)
        for d in docs:
            used = self.alias[d.key]
            for ob in d.gold.get("organizer_blocks") or []:
                name = normalize(ob.get("name", ""))
                if name in used:
                    for a in ob.get("alts") or []:
                        used.setdefault(normalize(a), name)
            for jb in d.gold.get("jurisdiction_blocks") or []:
                if jb.get("code"):
                    self.by_code[d.key][str(jb["code"])] = normalize(jb.get("name", ""))

    def doc(self, act: Node) -> str | None:
        for n in sorted(self.idx.objs(act, Q.notice), key=str):
            if n in self.doc_of_notice:
                return self.doc_of_notice[n]
        return None

    def blocks(self, act: Node, doc: str) -> list[_Block]:
        idx = self.idx
        kind = _block_kind(idx, act)
        if kind == "jurisdiction":
            ents = idx.objs(act, Q.jurisdiction)
        elif kind == "body":
            ents = {o for n in idx.objs(act, Q.notice) for o in idx.objs(n, Q.issuedBy)}
            ents = ents or idx.objs(act, Q.organizer)
        else:
            ents = idx.objs(act, Q.organizer)
        names = {self._name(e, doc) for e in ents}
        if not names:
            names = {normalize(x) for x in idx.strs(act, Q.blockLabel)} or {f"?{kind or 'block'}"}
        return [(doc, n, kind) for n in sorted(names)]

    def _name(self, ent: Node, doc: str) -> str:
        alias = self.alias.get(doc, {})
        for label in sorted(self.idx.labels(ent)):
            if label in alias:
                return alias[label]
        codes = self.by_code.get(doc, {})
        for c in sorted(_codes(self.idx, ent)):
            if c in codes:
                return codes[c]
        return self.idx.display(ent)


def _facet_mirrors(idx: _Index, gold: dict[str, Any], docs: list[_Doc]) -> FacetScore:
    namer = _BlockNamer(idx, gold, docs)
    gold_pairs = list(gold.get("mirrors", []))
    neutral = list(gold.get("neutral_mirrors", []))
    by_docs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in (*gold_pairs, *neutral):  # gold and neutral entries by (local doc, source doc)
        by_docs[(e.get("local", {}).get("doc", ""), e.get("source", {}).get("doc", ""))].append(e)
    predicted: set[tuple[_Block, _Block]] = set()
    outside = no_evidence = 0
    for a, targets in sorted(idx.fwd.get(Q.mirrors, {}).items(), key=lambda kv: str(kv[0])):
        for b in sorted(targets, key=str):
            if not _has_evidence(idx, a, b):
                no_evidence += 1
            ldoc, sdoc = namer.doc(a), namer.doc(b)
            if ldoc is None or sdoc is None:
                outside += 1
                continue
            combos = [(lb, sb) for lb in namer.blocks(a, ldoc) for sb in namer.blocks(b, sdoc)]
            entries = by_docs.get((ldoc, sdoc), [])
            known = [c for c in combos if any(_pair_matches(e, *c) for e in entries)]
            # an activity with several organizers: keep the combinations gold knows about
            predicted.update(known or combos)
    t = _Tally()
    strong_total = strong_found = 0
    missed_strong: list[str] = []
    missed_other: list[str] = []
    for e in gold_pairs:
        grade = e.get("grade", "")
        strong = grade == "strong"
        strong_total += strong
        if any(_pair_matches(e, lb, sb) for lb, sb in predicted):
            t.hit()
            strong_found += strong
        else:
            t.fn += 1
            loc, src = e.get("local", {}), e.get("source", {})
            line = (
                f"{grade}: {loc.get('doc')} {loc.get('block')} ← "
                f"{src.get('doc')} {src.get('block')}"
            )
            (missed_strong if strong else missed_other).append(line)
    t.missed = missed_strong + missed_other
    spurious = sorted(
        {
            (lb[0], lb[1], sb[0], sb[1])
            for lb, sb in predicted
            if not any(_pair_matches(e, lb, sb) for e in by_docs.get((lb[0], sb[0]), []))
        }
    )
    t.fp = len(spurious)
    t.spurious = [f"{ld} {ln} ← {sd} {sn}" for ld, ln, sd, sn in spurious]
    note = (
        f"strong found {strong_found}/{strong_total}; "
        f"qm:mirrors without MirrorLink+evidence: {no_evidence}"
    )
    if outside:
        note += f"; links outside gold notices: {outside}"
    return t.score("mirrors", note)


def _has_evidence(idx: _Index, a: Node, b: Node) -> bool:
    """Whether a qm:MirrorLink with qm:source a, qm:target b and a qm:evidence exists."""
    for link in idx.subjs(Q.source, a) & idx.subjs(Q.target, b):
        if Q.MirrorLink in idx.objs(link, RDF.type) and any(
            str(x).strip() for x in idx.objs(link, Q.evidence)
        ):
            return True
    return False


# ---------------------------------------------------------------- counterparts, branches


def _facet_org_pairs(
    idx: _Index, pairs: list[dict[str, Any]], up_key: str, pred: Node, facet: str
) -> FacetScore:
    """Gold pairs (``agency`` → ``up_key``) that must exist as ``pred`` triples; any other
    ``pred`` object of a gold agency counts as spurious."""
    t = _Tally()
    allowed: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        allowed[normalize(p.get("agency", ""))].add(normalize(p.get(up_key, "")))
    for p in pairs:
        agency, up = normalize(p.get("agency", "")), normalize(p.get(up_key, ""))
        subjects = idx.by_label(agency)
        if any(up in idx.labels(o) for s in subjects for o in idx.objs(s, pred)):
            t.hit()
        else:
            t.miss(f"{p.get('agency')} → {p.get(up_key)}")
    spurious: set[str] = set()
    for agency, ups in allowed.items():
        for s in idx.by_label(agency):
            for o in idx.objs(s, pred):
                if not idx.labels(o) & ups:
                    spurious.add(f"{agency} → {idx.display(o)}")
    for s in sorted(spurious):
        t.false(s)
    return t.score(facet, "fp = other targets of gold agencies")


# ---------------------------------------------------------------- entry point


def evaluate(graph: Graph | Dataset, gold: dict[str, Any]) -> Evaluation:
    """Score ``graph`` (a Graph, or a Dataset read as the union of its graphs) against
    ``gold`` (``load_gold`` output); one ``FacetScore`` per name in ``FACETS``.

    A gold document whose notice is not in the graph counts all its items as missed.
    """
    idx = _Index(graph)
    docs, others = _identify_notices(idx, gold)
    # items of documents whose notice is missing are simply missed: every facet below
    # works on d.activities / d.editions / d.notices, which are empty then
    organizers, kinds, sectors = _facet_organizers(idx, docs)
    scores = [
        _facet_notices(docs, others),
        _facet_level(idx, docs),
        _facet_metadata(idx, docs),
        organizers,
        kinds,
        sectors,
        _facet_jurisdiction_blocks(idx, docs),
        _facet_jurisdiction_parents(idx, gold),
        _facet_joint_organizers(idx, docs),
        _facet_co_organizers(idx, docs),
        _facet_campaigns(idx, docs),
        _facet_slogans(idx, docs),
        _facet_numbered_items(docs),
        _facet_boilerplate(idx, docs),
        _facet_mirrors(idx, gold, docs),
        _facet_org_pairs(
            idx, gold.get("counterparts", []), "counterpart", Q.counterpart, "counterparts"
        ),
        _facet_org_pairs(
            idx, gold.get("branches", []), "parent", ORG.subOrganizationOf, "branches"
        ),
    ]
    assert [s.facet for s in scores] == list(FACETS)
    return Evaluation(scores)
