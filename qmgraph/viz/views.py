"""networkx views of a qmgraph dataset: ``hierarchy``, ``lineage`` and ``campaigns``.

Every view is a :class:`networkx.MultiDiGraph` whose node ids are IRIs and whose
attribute values are only ``str``, ``int`` or ``float`` (lists are joined with "、",
missing values are left out), so the graph can be written to GraphML/GEXF as it is.
Nodes and edges are added in sorted order, so two runs give identical files.

Node attributes: ``label`` (Chinese), ``kind`` (jurisdiction, agency, association,
enterprise, activity, campaign, quality-month, series), and where known ``level``
(national/provincial/prefectural/county), ``year``, ``sector``, ``campaigns``,
``jurisdiction``, ``text``, ``notice``… Edges carry ``kind`` (their key in the
multigraph) and, for ``mirrors``, ``score``, ``grade``, ``method``, ``evidence`` and
``link`` (the ``qm:MirrorLink`` IRI).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from qmgraph.levels import LEVEL_RANK
from qmgraph.viz.load import LEVEL_ZH, ORG_KINDS, Entity, Facts, load_facts

VIEWS: tuple[str, ...] = ("hierarchy", "lineage", "campaigns")
JOIN = "、"


def _join(values: list[str]) -> str:
    return JOIN.join(dict.fromkeys(v for v in values if v))


def safe_value(value: Any) -> Any:
    """``value`` as GraphML/GEXF take it: a str, int or float (booleans as 0/1, lists
    joined with ``JOIN``, anything else as its text), or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return JOIN.join(str(v) for v in items if v is not None and v != "")
    return str(value)


def safe_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` made export-safe (:func:`safe_value`), without the empty ones."""
    safe = ((k, safe_value(v)) for k, v in attrs.items())
    return {k: v for k, v in safe if v is not None and v != ""}


def _put(attrs: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only when ``value`` is not empty, made export-safe."""
    attrs.update(safe_attrs({key: value}))


def node_attrs(e: Entity, facts: Facts) -> dict[str, Any]:
    """The export-safe attributes of entity ``e`` (see module doc)."""
    a: dict[str, Any] = {"label": e.label, "kind": e.kind}
    level = e.level
    jur = facts.get(e.one("jurisdiction"))
    if level is None and jur is not None:
        level = jur.level
    _put(a, "level", level)
    _put(a, "level_zh", LEVEL_ZH.get(level or ""))
    year = e.one("year")
    _put(a, "year", year if isinstance(year, int) else None)
    _put(a, "alt_labels", _join([str(x) for x in e.all("altLabel")]))
    if jur is not None:
        _put(a, "jurisdiction", jur.label)
    if e.kind == "jurisdiction":
        _put(a, "division_code", e.one("divisionCode"))
    if e.kind in ORG_KINDS:
        _put(a, "sector", facts.label(e.one("sector")))
    if e.kind == "activity":
        orgs = [facts.get(o) for o in e.all("organizer")]
        co = [facts.get(o) for o in e.all("coOrganizer")]
        _put(a, "text", e.one("text"))
        _put(a, "organizers", _join([o.label for o in orgs if o]))
        _put(a, "co_organizers", _join([o.label for o in co if o]))
        _put(a, "sector", _join([facts.label(o.one("sector")) for o in orgs if o]))
        _put(a, "campaigns", _join([facts.label(c) for c in e.all("campaign")]))
        notice = facts.get(e.one("notice"))
        if notice is not None:
            _put(a, "notice", notice.iri)
            _put(a, "notice_label", notice.label)
            _put(a, "doc_number", notice.one("docNumber"))
            _put(a, "source_file", notice.one("sourceFile"))
        _put(a, "block_label", e.one("blockLabel"))
        _put(a, "source_start", e.one("sourceStart"))
        _put(a, "source_end", e.one("sourceEnd"))
    if e.kind in ("campaign", "quality-month"):
        _put(a, "series", facts.label(e.one("series")))
        _put(a, "campaigns", e.label)
        _put(a, "theme", e.one("theme"))
    return a


def _add_node(g: nx.MultiDiGraph, facts: Facts, iri: str) -> bool:
    e = facts.get(iri)
    if e is None:
        return False
    if iri not in g:
        g.add_node(iri, **node_attrs(e, facts))
    return True


def _finish(nodes: list[str], edges: list[tuple[str, str, str, dict[str, Any]]],
            facts: Facts, view: str) -> nx.MultiDiGraph:
    """A graph with ``nodes`` and ``edges`` added in sorted, deduplicated order."""
    g = nx.MultiDiGraph(view=view)
    for iri in sorted(set(nodes)):
        _add_node(g, facts, iri)
    seen: set[tuple[str, str, str]] = set()
    for u, v, kind, attrs in sorted(edges, key=lambda t: (t[0], t[1], t[2])):
        if (u, v, kind) in seen or u == v or u not in g or v not in g:
            continue
        seen.add((u, v, kind))
        g.add_edge(u, v, key=kind, **{"kind": kind, **safe_attrs(attrs)})
    return g


def parent_of(e: Entity, facts: Facts) -> str | None:
    """The direct parent of jurisdiction ``e``: its ``qm:partOf`` of the nearest level above."""
    rank = LEVEL_RANK.get(e.level or "", 9)
    best: tuple[int, str] | None = None
    for p in e.all("partOf"):
        pe = facts.get(p)
        if pe is None:
            continue
        pr = LEVEL_RANK.get(pe.level or "", -1)
        if pr < rank and (best is None or pr > best[0]):
            best = (pr, p)
    return best[1] if best else None


def hierarchy_view(facts: Facts) -> nx.MultiDiGraph:
    """Nation → provinces → cities → districts, each place with its organizations."""
    nodes: list[str] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for j in facts.of_kind("jurisdiction"):
        nodes.append(j.iri)
        p = parent_of(j, facts)
        if p:
            edges.append((p, j.iri, "contains", {}))
    for o in facts.of_kind(*ORG_KINDS):
        nodes.append(o.iri)
        jur = o.one("jurisdiction")
        if jur:
            edges.append((jur, o.iri, "has_organization", {}))
        for c in o.all("counterpart"):
            edges.append((o.iri, c, "counterpart", {}))
        for c in o.all("subOrganizationOf"):
            edges.append((o.iri, c, "sub_organization_of", {}))
    return _finish(nodes, edges, facts, "hierarchy")


def mirror_attrs(m: Any) -> dict[str, Any]:
    """Edge attributes of one :class:`~qmgraph.viz.load.Mirror`."""
    return {"score": m.score, "grade": m.grade, "method": m.method, "evidence": m.evidence,
            "link": m.iri, "source_start": m.source_start, "source_end": m.source_end,
            "target_start": m.target_start, "target_end": m.target_end}


def lineage_view(facts: Facts) -> nx.MultiDiGraph:
    """Activities and their organizers, with ``mirrors`` edges (lower → higher activity)."""
    nodes: list[str] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    orgs: set[str] = set()
    for a in facts.of_kind("activity"):
        nodes.append(a.iri)
        for o in a.all("organizer"):
            orgs.add(o)
            edges.append((a.iri, o, "organizer", {}))
        for o in a.all("coOrganizer"):
            orgs.add(o)
            edges.append((a.iri, o, "co_organizer", {}))
    for o in sorted(orgs):
        nodes.append(o)
        oe = facts.get(o)
        for c in oe.all("counterpart") if oe else []:
            if c in orgs:
                edges.append((o, c, "counterpart", {}))
    for m in facts.mirrors:
        nodes.extend((m.source, m.target))
        edges.append((m.source, m.target, "mirrors", mirror_attrs(m)))
    return _finish(nodes, edges, facts, "lineage")


def campaigns_view(facts: Facts) -> nx.MultiDiGraph:
    """Campaigns (with series and Quality Month editions) ↔ the places and bodies that ran them."""
    nodes: list[str] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for c in facts.of_kind("campaign", "quality-month", "series"):
        nodes.append(c.iri)
        for s in c.all("series"):
            edges.append((c.iri, s, "in_series", {}))
        if c.kind == "quality-month":
            for j in c.all("jurisdiction"):
                nodes.append(j)
                edges.append((c.iri, j, "ran_in", {"year": c.one("year")}))
            for o in c.all("jointOrganizer"):
                nodes.append(o)
                edges.append((c.iri, o, "joint_organizer", {}))
            for up in c.all("implements"):
                edges.append((c.iri, up, "implements", {}))
    places: Counter[tuple[str, str]] = Counter()
    runners: Counter[tuple[str, str]] = Counter()
    years: dict[tuple[str, str], set[int]] = defaultdict(set)
    for a in facts.of_kind("activity"):
        camps = a.all("campaign")
        if not camps:
            continue
        jur = a.one("jurisdiction")
        year = a.one("year")
        for c in camps:
            if jur:
                places[(c, jur)] += 1
                if isinstance(year, int):
                    years[(c, jur)].add(year)
            for o in a.all("organizer") + a.all("coOrganizer"):
                runners[(c, o)] += 1
    for (c, j), n in places.items():
        nodes.extend((c, j))
        ys = sorted(years[(c, j)])
        edges.append((c, j, "ran_in", {"activities": n, "year": ys[0] if ys else None,
                                       "years": _join([str(y) for y in ys])}))
    for (c, o), n in runners.items():
        nodes.extend((c, o))
        edges.append((c, o, "run_by", {"activities": n}))
    return _finish(nodes, edges, facts, "campaigns")


#: View name → the function that builds it.
BUILDERS = {"hierarchy": hierarchy_view, "lineage": lineage_view, "campaigns": campaigns_view}


def to_networkx(dataset: Any, view: str = "lineage") -> nx.MultiDiGraph:
    """One view of ``dataset`` as a networkx MultiDiGraph.

    ``dataset`` is a graph file path, an rdflib Graph/Dataset, a pyoxigraph Store or
    :class:`~qmgraph.viz.load.Facts`; ``view`` is ``hierarchy``, ``lineage`` or ``campaigns``.
    """
    if view not in BUILDERS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    return BUILDERS[view](load_facts(dataset))
