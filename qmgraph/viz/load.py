"""Read a built qmgraph dataset into plain Python records for the views.

The dataset is read with a handful of SPARQL SELECT queries over an embedded pyoxigraph
store (the union of all named graphs), never by walking rdflib objects: a 100k-triple
graph loads and is queried in well under a second. Inputs may be a file path
(``.trig``, ``.ttl``, ``.nq``, ``.nt``, ``.jsonld``), an rdflib ``Graph``/``Dataset``, a
pyoxigraph ``Store`` or an already loaded :class:`Facts`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from qmgraph.graphfile import open_built
from qmgraph.levels import level_of_iri
from qmgraph.namespaces import QM

_QM = str(QM)
_PREFIXES = f"""
PREFIX qm: <{_QM}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""

#: rdf:type → node kind used everywhere in the viz.
KIND_OF_CLASS: dict[str, str] = {
    _QM + "Jurisdiction": "jurisdiction",
    _QM + "Agency": "agency",
    _QM + "Association": "association",
    _QM + "Enterprise": "enterprise",
    _QM + "Activity": "activity",
    _QM + "QualityMonth": "quality-month",
    _QM + "Campaign": "campaign",
    _QM + "CampaignSeries": "series",
    _QM + "Notice": "notice",
    "http://www.w3.org/2004/02/skos/core#Concept": "sector",
}
#: When a node has several of the classes above, the first in this order wins.
_KIND_PRIORITY = ("quality-month", "activity", "notice", "series", "campaign", "jurisdiction",
                  "agency", "association", "enterprise", "sector")
ORG_KINDS = frozenset({"agency", "association", "enterprise"})

LEVEL_ZH: dict[str, str] = {"national": "国家", "provincial": "省级", "prefectural": "地市级",
                            "county": "县区级"}

#: Predicates read into :attr:`Entity.props` (short name → IRI): qm: terms by their own name.
_PROPS: dict[str, str] = {name: _QM + name for name in (
    "level", "year", "jurisdiction", "sector", "notice", "text", "partOf", "series",
    "divisionCode", "blockLabel", "blockKind", "sourceStart", "sourceEnd", "sourceFile",
    "docNumber", "describedBy", "edition", "implements", "counterpart", "organizer",
    "coOrganizer", "campaign", "jointOrganizer", "issuedBy", "theme",
)}
_PROPS["issued"] = "http://purl.org/dc/terms/issued"
_PROPS["subOrganizationOf"] = "http://www.w3.org/ns/org#subOrganizationOf"
_PROPS["altLabel"] = "http://www.w3.org/2004/02/skos/core#altLabel"
_PROP_OF_IRI = {v: k for k, v in _PROPS.items()}


@dataclass
class Entity:
    """One node of the dataset: its kind, its best Chinese label and the properties read."""

    iri: str
    kind: str
    label: str = ""
    props: dict[str, list[Any]] = field(default_factory=dict)

    def one(self, name: str, default: Any = None) -> Any:
        """The first (sorted) value of property ``name``, or ``default``."""
        vals = self.props.get(name)
        return vals[0] if vals else default

    def all(self, name: str) -> list[Any]:
        """Every value of property ``name`` (sorted, deduplicated)."""
        return self.props.get(name, [])

    @property
    def level(self) -> str | None:
        """``national`` / ``provincial`` / ``prefectural`` / ``county`` or None."""
        return level_of_iri(self.one("level"))


@dataclass
class Mirror:
    """One ``qm:mirrors`` edge with its ``qm:MirrorLink`` evidence (when present)."""

    iri: str
    source: str
    target: str
    score: float | None = None
    grade: str = ""
    method: str = ""
    evidence: str = ""
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None


@dataclass
class Facts:
    """Everything the views need, keyed by IRI, in deterministic (sorted) order."""

    entities: dict[str, Entity]
    mirrors: list[Mirror]

    def of_kind(self, *kinds: str) -> list[Entity]:
        """Entities of the given kinds, sorted by IRI."""
        return [e for e in self.entities.values() if e.kind in kinds]

    def get(self, iri: str | None) -> Entity | None:
        return self.entities.get(iri) if iri else None

    def label(self, iri: str | None) -> str:
        e = self.get(iri)
        return e.label if e else ""


# --- loading ------------------------------------------------------------------------------

def open_store(source: Any) -> ox.Store:
    """A pyoxigraph store holding ``source`` (path, rdflib graph/dataset or store)."""
    if isinstance(source, ox.Store):
        return source
    if isinstance(source, str | os.PathLike):
        return open_built(source)  # the build's store when it matches the file
    store = ox.Store()
    # rdflib Graph / Dataset: hand it over as N-Quads (blank-node free by contract)
    from rdflib import ConjunctiveGraph, Dataset

    if isinstance(source, Dataset | ConjunctiveGraph):
        data = source.serialize(format="nquads", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    elif hasattr(source, "serialize"):
        data = source.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    else:
        raise TypeError(f"cannot read a graph from {type(source).__name__}")
    return store


def _py(term: Any) -> Any:
    """A SPARQL result term as a plain Python value (IRI str, int, float or str)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        cast = int if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")) else \
            float if dt.endswith(("#decimal", "#double", "#float")) else str
        try:
            return cast(term.value)
        except ValueError:
            return term.value
    return str(term)


def _select(store: ox.Store, body: str) -> Any:
    return store.query(_PREFIXES + body, use_default_graph_as_union=True)


def load_facts(source: Any) -> Facts:
    """Read ``source`` (see module doc) into :class:`Facts` with a few SPARQL queries."""
    if isinstance(source, Facts):
        return source
    store = open_store(source)
    kinds, labels, props = _read_kinds(store), _read_labels(store), _read_props(store)
    entities = {iri: _entity(iri, kinds[iri], labels.get(iri, []), props.get(iri, {}))
                for iri in sorted(kinds)}
    return Facts(entities=entities, mirrors=_read_mirrors(store))


def _read_kinds(store: ox.Store) -> dict[str, set[str]]:
    """The kinds (``KIND_OF_CLASS``) of every typed IRI node."""
    classes = " ".join(f"<{c}>" for c in KIND_OF_CLASS)
    kinds: dict[str, set[str]] = {}
    for row in _select(store, f"SELECT ?s ?t WHERE {{ VALUES ?t {{ {classes} }} ?s a ?t }}"):
        s = row["s"]
        if isinstance(s, ox.NamedNode):
            kinds.setdefault(s.value, set()).add(KIND_OF_CLASS[row["t"].value])
    return kinds


def _read_labels(store: ox.Store) -> dict[str, list[tuple[int, str]]]:
    """Candidate labels of every IRI node, ranked (0 best: a Chinese rdfs:label)."""
    labels: dict[str, list[tuple[int, str]]] = {}
    q = ("SELECT ?s ?p ?l WHERE { VALUES ?p { rdfs:label dcterms:title skos:prefLabel } "
         "?s ?p ?l }")
    for row in _select(store, q):
        s, lit = row["s"], row["l"]
        if not isinstance(s, ox.NamedNode) or not isinstance(lit, ox.Literal):
            continue
        lang = (lit.language or "").lower()
        rank = 0 if lang.startswith("zh") else (1 if not lang else 2)
        if row["p"].value.endswith("prefLabel"):
            rank += 3  # sectors: prefer their zh prefLabel, still below any rdfs:label
        labels.setdefault(s.value, []).append((rank, lit.value))
    return labels


def _read_props(store: ox.Store) -> dict[str, dict[str, set[Any]]]:
    """The values of the predicates of :data:`_PROPS`, per node and short name."""
    props: dict[str, dict[str, set[Any]]] = {}
    preds = " ".join(f"<{p}>" for p in _PROPS.values())
    for row in _select(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o }}"):
        s = row["s"]
        if not isinstance(s, ox.NamedNode):
            continue
        name = _PROP_OF_IRI[row["p"].value]
        props.setdefault(s.value, {}).setdefault(name, set()).add(_py(row["o"]))
    return props


def _entity(iri: str, ks: set[str], labels: list[tuple[int, str]],
            props: dict[str, set[Any]]) -> Entity:
    """One node: its kind of highest priority, its best label (an activity's text or a
    notice's doc number when it has none), its properties sorted."""
    kind = next(k for k in _KIND_PRIORITY if k in ks)
    ps = {k: sorted(v, key=lambda x: (str(type(x)), x)) for k, v in sorted(props.items())}
    label = min(labels)[1] if labels else ""
    if not label and kind == "activity":
        label = shorten(str((ps.get("text") or [""])[0]), 24)
    if not label and kind == "notice":
        label = str((ps.get("docNumber") or [iri.rsplit("/", 1)[-1]])[0])
    return Entity(iri=iri, kind=kind, label=label or iri.rsplit("/", 1)[-1], props=ps)


def _read_mirrors(store: ox.Store) -> list[Mirror]:
    """Every qm:MirrorLink with its evidence, and every bare qm:mirrors edge, by IRI."""
    mirrors: dict[tuple[str, str], Mirror] = {}
    q = """SELECT ?l ?src ?tgt ?score ?grade ?method ?ev ?ss ?se ?ts ?te WHERE {
      ?l a qm:MirrorLink ; qm:source ?src ; qm:target ?tgt .
      OPTIONAL { ?l qm:score ?score } OPTIONAL { ?l qm:grade ?grade }
      OPTIONAL { ?l qm:method ?method } OPTIONAL { ?l qm:evidence ?ev }
      OPTIONAL { ?l qm:sourceStart ?ss } OPTIONAL { ?l qm:sourceEnd ?se }
      OPTIONAL { ?l qm:targetStart ?ts } OPTIONAL { ?l qm:targetEnd ?te }
    } ORDER BY ?l"""
    for row in _select(store, q):
        key = (_py(row["src"]), _py(row["tgt"]))
        if key in mirrors:
            continue
        score = _py(row["score"])
        mirrors[key] = Mirror(
            iri=_py(row["l"]), source=key[0], target=key[1],
            score=float(score) if isinstance(score, int | float) else None,
            grade=str(_py(row["grade"]) or ""), method=str(_py(row["method"]) or ""),
            evidence=str(_py(row["ev"]) or ""),
            source_start=_int_or_none(_py(row["ss"])), source_end=_int_or_none(_py(row["se"])),
            target_start=_int_or_none(_py(row["ts"])), target_end=_int_or_none(_py(row["te"])),
        )
    for row in _select(store, "SELECT ?s ?o WHERE { ?s qm:mirrors ?o }"):
        key = (_py(row["s"]), _py(row["o"]))
        if key not in mirrors:  # a bare qm:mirrors without its MirrorLink: still an edge
            mirrors[key] = Mirror(iri=f"{key[0]}>{key[1]}", source=key[0], target=key[1])
    return sorted(mirrors.values(), key=lambda m: m.iri)


def _int_or_none(v: Any) -> int | None:
    return v if isinstance(v, int) else None


def shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
