"""Stage 6, emit: ``Corpus`` → RDF quads (docs/decisions/0002-graph-contract.md).

``corpus_quads`` yields every quad once, in a deterministic order; ``to_dataset`` puts them
in an rdflib ``Dataset`` (one named graph per notice plus the shared graph);
``qmgraph.emit.write`` serializes them byte-identically run after run.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from qmgraph.model import Corpus, Jurisdiction, MirrorLink, Organization, ResolvedNotice
from qmgraph.namespaces import (
    ID,
    LEVELS,
    ORG,
    QM,
    SHARED_GRAPH,
    bind_all,
    campaign_iri,
    edition_iri,
    jurisdiction_iri,
    notice_graph_iri,
    notice_iri,
    org_iri,
    sector_iri,
    series_iri,
    slogan_iri,
)

Quad = tuple[URIRef, URIRef, object, URIRef]

_KIND_CLASS = {"agency": QM.Agency, "association": QM.Association, "enterprise": QM.Enterprise}
_LEVEL_ZH = {"national": "全国", "provincial": "", "prefectural": "", "county": ""}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@functools.lru_cache(maxsize=65536)
def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _jur_iri(j: Jurisdiction | None) -> URIRef:
    return jurisdiction_iri(j.code if j else None)


def edition_label(j: Jurisdiction | None, year: int | None) -> str:
    place = "全国" if (j is None or j.code is None) else j.name
    return f"{year}年{place}质量月"


def _upper(corpus: Corpus, j: Jurisdiction) -> Jurisdiction | None:
    """The jurisdiction one level up (nation for provinces); None for the nation."""
    if j.code is None:
        return None
    if j.parent and j.parent in corpus.jurisdictions:
        return corpus.jurisdictions[j.parent]
    return corpus.jurisdictions.get("cn")


def edition_core(j: Jurisdiction, year: int) -> Iterator[tuple]:
    """What every QualityMonth edition states, described by a notice or only implemented."""
    ed = edition_iri(j.code, year)
    yield ed, RDF.type, QM.QualityMonth
    yield ed, RDFS.label, zh(edition_label(j, year))
    yield ed, QM.jurisdiction, _jur_iri(j)
    yield ed, QM.level, LEVELS[j.level]
    yield ed, QM.year, _int(year)


def notice_quads(corpus: Corpus, n: ResolvedNotice) -> Iterator[tuple]:
    """Triples of one notice's named graph (notice, edition, activities, its mirror links)."""
    tree = n.tree
    s = notice_iri(n.key)
    yield s, RDF.type, QM.Notice
    if tree.title:
        yield s, DCTERMS.title, zh(tree.title)
    if tree.doc_number:
        yield s, QM.docNumber, Literal(tree.doc_number)
    if tree.issued:
        yield s, DCTERMS.issued, Literal(tree.issued, datatype=XSD.date)
    if n.year:
        yield s, QM.year, _int(n.year)
    if n.issuer:
        yield s, QM.issuedBy, org_iri(n.issuer.key)
    if n.jurisdiction:
        yield s, QM.jurisdiction, _jur_iri(n.jurisdiction)
        yield s, QM.level, LEVELS[n.jurisdiction.level]
    if tree.theme:
        yield s, QM.theme, zh(tree.theme)
    for k in n.implements:
        yield s, QM.implements, notice_iri(k)
    yield s, QM.sourceFile, Literal(tree.source.path.rsplit("/", 1)[-1])
    yield s, QM.contentHash, Literal(tree.source.content_hash)
    yield s, QM.encoding, Literal(tree.source.encoding)

    ed = None
    if n.jurisdiction and n.year:
        ed = edition_iri(n.jurisdiction.code, n.year)
        yield from edition_core(n.jurisdiction, n.year)
        yield ed, QM.describedBy, s
        if tree.theme:
            yield ed, QM.theme, zh(tree.theme)
        for o in n.joint_organizers:
            yield ed, QM.jointOrganizer, org_iri(o.key)
        for sl in n.slogans:
            yield ed, QM.slogan, slogan_iri(sl)
        up = _upper(corpus, n.jurisdiction)
        if up is not None:
            yield ed, QM.implements, edition_iri(up.code, n.year)

    for a in n.activities:
        ai = URIRef(a.iri)
        yield ai, RDF.type, QM.Activity
        yield ai, QM.text, zh(a.text)
        yield ai, QM.notice, s
        if a.year:
            yield ai, QM.year, _int(a.year)
        for o in a.organizers:
            yield ai, QM.organizer, org_iri(o.key)
        for o in a.co_organizers:
            yield ai, QM.coOrganizer, org_iri(o.key)
        if a.jurisdiction is not None:
            yield ai, QM.jurisdiction, _jur_iri(a.jurisdiction)
        for c in a.campaigns:
            yield ai, QM.campaign, campaign_iri(c.key)
        for cite in a.cites:
            yield ai, QM.cites, zh(cite)
        yield ai, QM.blockKind, Literal(a.block_kind)
        if a.block_label:
            yield ai, QM.blockLabel, zh(a.block_label)
        start, end = a.start, a.end
        yield ai, QM.sourceStart, _int(start)
        yield ai, QM.sourceEnd, _int(end)
        if ed is not None:
            yield ai, QM.edition, ed


def mirror_quads(m: MirrorLink) -> Iterator[tuple]:
    from qmgraph.namespaces import mirror_iri

    src, tgt = URIRef(m.source), URIRef(m.target)
    yield src, QM.mirrors, tgt
    yield src, (PROV.wasQuotedFrom if m.grade == "verbatim" else PROV.wasDerivedFrom), tgt
    li = mirror_iri(m.source, m.target)
    yield li, RDF.type, QM.MirrorLink
    yield li, QM.source, src
    yield li, QM.target, tgt
    yield li, QM.score, Literal(Decimal(f"{m.score:.4f}"), datatype=XSD.decimal)
    yield li, QM.grade, Literal(m.grade)
    yield li, QM.method, Literal(m.method)
    yield li, QM.evidence, zh(m.evidence)
    yield li, QM.sourceStart, _int(m.source_start)
    yield li, QM.sourceEnd, _int(m.source_end)
    yield li, QM.targetStart, _int(m.target_start)
    yield li, QM.targetEnd, _int(m.target_end)


def org_quads(o: Organization, surfaces: set[str]) -> Iterator[tuple]:
    s = org_iri(o.key)
    yield s, RDF.type, _KIND_CLASS.get(o.kind, QM.Agency)
    yield s, RDFS.label, zh(o.label)
    if o.english:
        yield s, RDFS.label, Literal(o.english, lang="en")
    for alt in sorted(surfaces - {o.label}):
        yield s, SKOS.altLabel, zh(alt)
    yield s, QM.jurisdiction, jurisdiction_iri(o.jurisdiction)
    yield s, QM.level, LEVELS.get(o.level, QM.National)
    if o.sector:
        yield s, QM.sector, sector_iri(o.sector)
    if o.counterpart:
        yield s, QM.counterpart, org_iri(o.counterpart)
    if o.parent:
        yield s, ORG.subOrganizationOf, org_iri(o.parent)


def shared_quads(corpus: Corpus) -> Iterator[tuple]:
    for key, j in corpus.jurisdictions.items():
        s = jurisdiction_iri(j.code)
        yield s, RDF.type, QM.Jurisdiction
        yield s, RDFS.label, zh(j.name)
        for alt in j.short_names:
            yield s, SKOS.altLabel, zh(alt)
        yield s, QM.level, LEVELS[j.level]
        if j.code:
            yield s, QM.divisionCode, Literal(j.code)
            parent = j.parent if j.parent else None
            yield s, QM.partOf, jurisdiction_iri(parent)
        else:
            yield s, RDFS.label, Literal("People's Republic of China", lang="en")
        del key
    used_sectors = {o.sector for o in corpus.organizations.values() if o.sector}
    for key in sorted(used_sectors):
        s = sector_iri(key)
        zh_label, en_label = corpus.sectors.get(key, (key, key))
        yield s, RDF.type, SKOS.Concept
        yield s, SKOS.inScheme, ID["sector"]
        yield s, SKOS.prefLabel, zh(zh_label)
        yield s, SKOS.prefLabel, Literal(en_label, lang="en")
        yield s, SKOS.notation, Literal(key)
    if used_sectors:
        yield ID["sector"], RDF.type, SKOS.ConceptScheme
        yield ID["sector"], RDFS.label, zh("部门行业")
    for key, o in corpus.organizations.items():
        yield from org_quads(o, corpus.org_surfaces.get(key, set()))
    for key, c in corpus.campaigns.items():
        s = campaign_iri(c.key)
        yield s, RDF.type, QM.Campaign
        yield s, RDFS.label, zh(c.label)
        for alt in sorted(corpus.campaign_surfaces.get(key, set()) - {c.label}):
            yield s, SKOS.altLabel, zh(alt)
        if c.year:
            yield s, QM.year, _int(c.year)
        if c.series:
            yield s, QM.series, series_iri(c.series)
            yield series_iri(c.series), RDF.type, QM.CampaignSeries
            yield series_iri(c.series), RDFS.label, zh(c.series_label or c.series)
    slogans = sorted({sl for n in corpus.notices for sl in n.slogans})
    for sl in slogans:
        yield slogan_iri(sl), RDF.type, QM.Slogan
        yield slogan_iri(sl), RDFS.label, zh(sl)
    for key, dn in corpus.cited_notices.items():
        yield notice_iri(key), RDF.type, QM.Notice
        yield notice_iri(key), QM.docNumber, Literal(dn)
    # Editions one level up that no notice in the corpus describes: stubs, so chains hold.
    described = {(n.jurisdiction.code, n.year) for n in corpus.notices if n.jurisdiction and n.year}
    for n in corpus.notices:
        if not (n.jurisdiction and n.year):
            continue
        up = _upper(corpus, n.jurisdiction)
        if up is not None and (up.code, n.year) not in described:
            yield from edition_core(up, n.year)


def corpus_quads(corpus: Corpus) -> list[Quad]:
    """Every quad of the corpus, de-duplicated and sorted (deterministic output)."""
    quads: set[tuple] = set()
    for t in shared_quads(corpus):
        quads.add((*t, SHARED_GRAPH))
    by_notice = {n.key: n for n in corpus.notices}
    act_notice = {a.iri: a.notice_key for n in corpus.notices for a in n.activities}
    for n in corpus.notices:
        g = notice_graph_iri(n.key)
        for t in notice_quads(corpus, n):
            quads.add((*t, g))
    for m in corpus.mirrors:
        nk = act_notice.get(m.source)
        if nk is None or nk not in by_notice:
            continue
        g = notice_graph_iri(nk)
        for t in mirror_quads(m):
            quads.add((*t, g))
    from qmgraph.emit.write import nt_term

    # Sort on the N-Triples form of each term: total, deterministic, and cheap (IRIs cached).
    return sorted(quads, key=lambda q: (q[3], nt_term(q[0]), nt_term(q[1]), nt_term(q[2])))


def to_dataset(quads: list[Quad]) -> Dataset:
    """An rdflib Dataset holding ``quads``, prefixes bound from ``qmgraph.namespaces``."""
    ds = Dataset(default_union=True)
    bind_all(ds)
    for s, p, o, g in quads:
        ds.add((s, p, o, g))
    return ds


def emit(corpus: Corpus) -> Dataset:
    """The corpus as an rdflib Dataset (library entry point)."""
    return to_dataset(corpus_quads(corpus))


__all__ = ["emit", "corpus_quads", "to_dataset", "edition_label"]
