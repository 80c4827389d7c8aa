"""Stage 6, emit: ``Corpus`` → RDF, one chunk of N-Quads per named graph
(docs/decisions/0002-graph-contract.md).

A chunk is the sorted, de-duplicated N-Quads lines of one named graph: one graph per
notice (the notice, its edition, its activities and the mirror links it makes) and the
shared graph (jurisdictions, organizations, campaigns, slogans, cited and stub notices).
Triples are built as N-Triples text (``qmgraph.rdfterms``), so a notice's triples depend
on that notice alone and can be cached by its content (``notice_triples``); what depends on
the corpus — which notices it implements, its mirror links, the shared graph — is added
by ``corpus_chunks``. ``corpus_quads`` gives the same data as rdflib quads;
``qmgraph.emit.write`` serializes chunks byte-identically run after run.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from qmgraph.cache import digest
from qmgraph.model import Corpus, Jurisdiction, MirrorLink, Organization, ResolvedNotice
from qmgraph.namespaces import (
    DATE_KINDS,
    ID,
    LEVELS,
    ORG,
    QM,
    SCHEMA,
    SHARED_GRAPH,
    campaign_iri,
    edition_iri,
    genre_iri,
    jurisdiction_iri,
    mirror_iri,
    notice_graph_iri,
    notice_iri,
    org_iri,
    sector_iri,
    series_iri,
    slogan_iri,
)
from qmgraph.rdfterms import date, decimal, integer, iri, lang, plain, to_rdflib, zh

if TYPE_CHECKING:
    from qmgraph.spill import Spill

Quad = tuple[URIRef, URIRef, object, URIRef]

class _Terms:
    """The IRIs of an rdflib namespace as N-Triples text, each formatted once."""

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        value = iri(str(self._ns[name]))
        setattr(self, name, value)  # later lookups are plain attribute reads
        return value


Q, DCT, SK, OR, PV, SD = (_Terms(ns) for ns in (QM, DCTERMS, SKOS, ORG, PROV, SCHEMA))
_A = iri(str(RDF.type))
_LABEL = iri(str(RDFS.label))
_ALT = iri(str(SKOS.altLabel))
_PRC_EN = lang("People's Republic of China", "en")
_KIND_CLASS = {"agency": Q.Agency, "association": Q.Association, "enterprise": Q.Enterprise}
_LEVELS = {k: iri(str(v)) for k, v in LEVELS.items()}


def _i(term) -> str:
    return iri(str(term))


def _minted(mint: Callable[..., URIRef], size: int) -> Callable[..., str]:
    """``mint`` (a ``qmgraph.namespaces`` IRI function) giving N-Triples text: the IRIs of
    entities repeat across triples and notices, so each is minted and formatted once."""
    return functools.lru_cache(maxsize=size)(lambda key: _i(mint(key)))


_org = _minted(org_iri, 1 << 16)
_jurisdiction = _minted(jurisdiction_iri, 1 << 14)
_sector = _minted(sector_iri, 1 << 10)
_campaign = _minted(campaign_iri, 1 << 14)
_notice = _minted(notice_iri, 1 << 14)


def edition_label(j: Jurisdiction | None, year: int | None) -> str:
    place = "全国" if (j is None or j.code is None) else j.name
    return f"{year}年{place}质量月"


def edition_core(j: Jurisdiction, year: int) -> Iterator[str]:
    """What every QualityMonth edition states, described by a notice or only implemented."""
    ed = _i(edition_iri(j.code, year))
    yield f"{ed} {_A} {Q.QualityMonth}"
    yield f"{ed} {_LABEL} {zh(edition_label(j, year))}"
    yield f"{ed} {Q.jurisdiction} {_jurisdiction(j.code)}"
    yield f"{ed} {Q.level} {_LEVELS[j.level]}"
    yield f"{ed} {Q.year} {integer(year)}"


def _stated(s: str, facts: Iterable[tuple[str, object, Callable[[Any], str]]]) -> list[str]:
    """``s p term(value)`` for each (p, value, term) of ``facts`` whose value is stated
    (not None, empty or 0)."""
    return [f"{s} {p} {term(v)}" for p, v, term in facts if v]


def notice_triples(n: ResolvedNotice) -> list[str]:
    """Triples of one notice's named graph that depend on the notice alone: the notice,
    its edition, its activities. ``implements_triples`` (what the corpus settles) and
    ``mirror_triples`` (what linking finds) complete the graph."""
    tree, j = n.tree, n.jurisdiction
    s = _notice(n.key)
    out = [f"{s} {_A} {Q.Notice}", *_stated(s, (
        (DCT.title, tree.title, zh),
        (Q.docNumber, tree.doc_number, plain),
        (DCT.issued, tree.issued, date),
        (Q.issuedKind, tree.issued and (tree.issued_kind or "signed"),
         lambda kind: _i(DATE_KINDS[kind])),
        (Q.genre, tree.genre, lambda genre: _i(genre_iri(genre))),
        (Q.year, n.year, integer),
        (Q.issuedBy, n.issuer, lambda o: _org(o.key)),
        (Q.jurisdiction, j, lambda p: _jurisdiction(p.code)),
        (Q.level, j, lambda p: _LEVELS[p.level]),
        (Q.theme, tree.theme, zh),
    )), f"{s} {Q.sourceFile} {plain(tree.source.path.rsplit('/', 1)[-1])}",
        f"{s} {Q.contentHash} {plain(tree.source.content_hash)}",
        f"{s} {Q.encoding} {plain(tree.source.encoding)}"]

    ed = None
    if j and n.year:
        ed = _i(edition_iri(j.code, n.year))
        out += edition_core(j, n.year)
        out.append(f"{ed} {Q.describedBy} {s}")
        out += _stated(ed, ((Q.theme, tree.theme, zh),
                            (Q.organizerCount, tree.organizer_count, integer)))
        out += [f"{ed} {Q.jointOrganizer} {_org(o.key)}" for o in n.joint_organizers]
        out += [f"{ed} {Q.slogan} {_i(slogan_iri(sl))}" for sl in n.slogans]

    for a in n.activities:
        ai = iri(a.iri)
        out += [f"{ai} {_A} {Q.Activity}", f"{ai} {Q.text} {zh(a.text)}",
                f"{ai} {Q.notice} {s}", f"{ai} {Q.blockKind} {plain(a.block_kind)}",
                f"{ai} {Q.sourceStart} {integer(a.start)}",
                f"{ai} {Q.sourceEnd} {integer(a.end)}"]
        out += [f"{ai} {Q.organizer} {_org(o.key)}" for o in a.organizers]
        out += [f"{ai} {Q.coOrganizer} {_org(o.key)}" for o in a.co_organizers]
        out += [f"{ai} {Q.campaign} {_campaign(c.key)}" for c in a.campaigns]
        out += [f"{ai} {Q.cites} {zh(cite)}" for cite in a.cites]
        out += _stated(ai, (
            (Q.year, a.year, integer),
            (Q.jurisdiction, a.jurisdiction, lambda p: _jurisdiction(p.code)),
            (SD.startDate, a.date, date),
            (SD.location, a.venue, zh),
            (Q.blockLabel, a.block_label, zh),
            (Q.edition, ed, str),
        ))
    return out


def implements_triples(n: PlacedNotice, implements: Iterable[str],
                       jurisdictions: Mapping[str, Jurisdiction]) -> list[str]:
    """The notices a notice implements (settled over the corpus by resolve), and the
    edition one level up that its edition implements."""
    s = _notice(n.key)
    out = [f"{s} {Q.implements} {_notice(k)}" for k in implements]
    if n.jurisdiction and n.year:
        up = upper_of(jurisdictions, n.jurisdiction)
        if up is not None:
            ed = _i(edition_iri(n.jurisdiction.code, n.year))
            out.append(f"{ed} {Q.implements} {_i(edition_iri(up.code, n.year))}")
    return out


def mirror_triples(m: MirrorLink) -> list[str]:
    src, tgt = iri(m.source), iri(m.target)
    li = _i(mirror_iri(m.source, m.target))
    quoted = PV.wasQuotedFrom if m.grade == "verbatim" else PV.wasDerivedFrom
    return [
        f"{src} {Q.mirrors} {tgt}",
        f"{src} {quoted} {tgt}",
        f"{li} {_A} {Q.MirrorLink}",
        f"{li} {Q.source} {src}",
        f"{li} {Q.target} {tgt}",
        f"{li} {Q.score} {decimal(m.score)}",
        f"{li} {Q.grade} {plain(m.grade)}",
        f"{li} {Q.method} {plain(m.method)}",
        f"{li} {Q.evidence} {zh(m.evidence)}",
        f"{li} {Q.sourceStart} {integer(m.source_start)}",
        f"{li} {Q.sourceEnd} {integer(m.source_end)}",
        f"{li} {Q.targetStart} {integer(m.target_start)}",
        f"{li} {Q.targetEnd} {integer(m.target_end)}",
    ]


def org_triples(o: Organization, surfaces: set[str]) -> Iterator[str]:
    s = _org(o.key)
    yield f"{s} {_A} {_KIND_CLASS.get(o.kind, Q.Agency)}"
    yield f"{s} {_LABEL} {zh(o.label)}"
    if o.english:
        yield f"{s} {_LABEL} {lang(o.english, 'en')}"
    for alt in sorted(surfaces - {o.label}):
        yield f"{s} {_ALT} {zh(alt)}"
    yield f"{s} {Q.jurisdiction} {_jurisdiction(o.jurisdiction)}"
    yield f"{s} {Q.level} {_LEVELS.get(o.level, Q.National)}"
    yield from _stated(s, ((Q.sector, o.sector, _sector), (Q.counterpart, o.counterpart, _org),
                           (OR.subOrganizationOf, o.parent, _org)))


class PlacedNotice(Protocol):
    """What the shared graph needs of a notice (a ``ResolvedNotice`` or a summary)."""

    @property
    def key(self) -> str: ...
    @property
    def jurisdiction(self) -> Jurisdiction | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def slogans(self) -> list[str]: ...


def upper_of(jurisdictions: Mapping[str, Jurisdiction], j: Jurisdiction) -> Jurisdiction | None:
    """The jurisdiction one level up (nation for provinces); None for the nation."""
    if j.code is None:
        return None
    if j.parent and j.parent in jurisdictions:
        return jurisdictions[j.parent]
    return jurisdictions.get("cn")


def shared_triples(corpus: Corpus, notices: Iterable[PlacedNotice] | None = None) -> list[str]:
    """Triples of the shared graph; ``notices`` default to ``corpus.notices``."""
    notices = list(corpus.notices if notices is None else notices)
    out: list[str] = []
    add = out.append
    for j in corpus.jurisdictions.values():
        s = _jurisdiction(j.code)
        add(f"{s} {_A} {Q.Jurisdiction}")
        add(f"{s} {_LABEL} {zh(j.name)}")
        for alt in j.short_names:
            add(f"{s} {_ALT} {zh(alt)}")
        add(f"{s} {Q.level} {_LEVELS[j.level]}")
        if j.code:
            add(f"{s} {Q.divisionCode} {plain(j.code)}")
            add(f"{s} {Q.partOf} {_jurisdiction(j.parent or None)}")
        else:
            add(f"{s} {_LABEL} {_PRC_EN}")
    used_sectors = {o.sector for o in corpus.organizations.values() if o.sector}
    scheme = _i(ID["sector"])
    for key in sorted(used_sectors):
        s = _sector(key)
        zh_label, en_label = corpus.sectors.get(key, (key, key))
        add(f"{s} {_A} {SK.Concept}")
        add(f"{s} {SK.inScheme} {scheme}")
        add(f"{s} {SK.prefLabel} {zh(zh_label)}")
        add(f"{s} {SK.prefLabel} {lang(en_label, 'en')}")
        add(f"{s} {SK.notation} {plain(key)}")
    if used_sectors:
        add(f"{scheme} {_A} {SK.ConceptScheme}")
        add(f"{scheme} {_LABEL} {zh('部门行业')}")
    for key, o in corpus.organizations.items():
        out += org_triples(o, corpus.org_surfaces.get(key, set()))
    for key, c in corpus.campaigns.items():
        s = _campaign(c.key)
        add(f"{s} {_A} {Q.Campaign}")
        add(f"{s} {_LABEL} {zh(c.label)}")
        for alt in sorted(corpus.campaign_surfaces.get(key, set()) - {c.label}):
            add(f"{s} {_ALT} {zh(alt)}")
        if c.year:
            add(f"{s} {Q.year} {integer(c.year)}")
        if c.series:
            ser = _i(series_iri(c.series))
            add(f"{s} {Q.series} {ser}")
            add(f"{ser} {_A} {Q.CampaignSeries}")
            add(f"{ser} {_LABEL} {zh(c.series_label or c.series)}")
    for sl in sorted({sl for n in notices for sl in n.slogans}):
        add(f"{_i(slogan_iri(sl))} {_A} {Q.Slogan}")
        add(f"{_i(slogan_iri(sl))} {_LABEL} {zh(sl)}")
    for key, dn in corpus.cited_notices.items():
        add(f"{_notice(key)} {_A} {Q.Notice}")
        add(f"{_notice(key)} {Q.docNumber} {plain(dn)}")
    # Editions one level up that no notice in the corpus describes: stubs, so chains hold.
    described = {(n.jurisdiction.code, n.year) for n in notices if n.jurisdiction and n.year}
    for n in notices:
        if not (n.jurisdiction and n.year):
            continue
        up = upper_of(corpus.jurisdictions, n.jurisdiction)
        if up is not None and (up.code, n.year) not in described:
            out += edition_core(up, n.year)
    return out


def shared_key(corpus: Corpus, notices: Iterable[PlacedNotice] | None = None) -> str:
    """A digest of everything :func:`shared_triples` reads (a fifth of its time): equal
    keys, under the same code, mean equal shared graphs."""
    notices = corpus.notices if notices is None else notices
    # reprs of str/int/None, tuples, lists, dicts and frozen dataclasses of those
    return digest(*(repr(part) for part in (
        corpus.jurisdictions,
        corpus.organizations,
        sorted((k, sorted(v)) for k, v in corpus.org_surfaces.items()),
        corpus.sectors,
        corpus.campaigns,
        sorted((k, sorted(v)) for k, v in corpus.campaign_surfaces.items()),
        corpus.cited_notices,
        [(n.slogans, n.jurisdiction, n.year) for n in notices],
    )))


def chunk(graph: str, triples: Iterable[str]) -> bytes:
    """One named graph as N-Quads: its triples' lines sorted and de-duplicated."""
    g = iri(graph)
    return "".join(sorted({f"{t} {g} .\n" for t in triples})).encode("utf-8")


class LazyChunks(Mapping[str, bytes]):
    """Chunks (graph IRI → N-Quads bytes, in graph order) made or read on first use.

    A rebuild hands every chunk to the writer, which looks at the bytes of the few that
    changed only (it knows the others by digest), and validation reads the file written:
    a chunk nobody reads is never loaded from the build cache. With a ``spill``
    (``qmgraph.spill``) a chunk once made is kept there, not in memory (the whole graph as
    N-Quads: ~4 GB at 100,000 notices), and read back when asked for again; reading a
    chunk already made is safe from another thread (the build's store loader).
    """

    def __init__(self, makers: Mapping[str, Callable[[], bytes]], spill: Spill | None = None
                 ) -> None:
        self._makers = dict(sorted(makers.items()))
        self._spill = spill
        self._made: dict[str, bytes] = {}  #: without a spill

    def __getitem__(self, graph: str) -> bytes:
        if self._spill is not None:
            key = ("chunk", graph)
            if key in self._spill:
                return self._spill.get(key)
            data = self._makers[graph]()
            self._spill.put(key, data)
            return data
        data = self._made.get(graph)
        if data is None:
            data = self._made[graph] = self._makers[graph]()
        return data

    def ensure(self, graphs: Iterable[str]) -> None:
        """Make every chunk of ``graphs`` not made yet, without reading back those that are
        (the store's loader reads them later, in its thread)."""
        for g in graphs:
            if (("chunk", g) not in self._spill) if self._spill is not None \
                    else (g not in self._made):
                self[g]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, graph: object) -> bool:
        return graph in self._makers

    def release(self, graphs: Iterable[str]) -> None:
        """Let go of the bytes of ``graphs`` held in memory (made again if asked for): a
        build frees a year's chunks once that year is validated (spilled chunks hold no
        memory)."""
        for g in graphs:
            self._made.pop(g, None)

    @property
    def loaded(self) -> int:
        """How many chunks were made or read so far."""
        if self._spill is not None:
            return sum(1 for g in self._makers if ("chunk", g) in self._spill)
        return len(self._made)


def mirrors_by_notice(corpus: Corpus) -> dict[str, list[MirrorLink]]:
    """Mirror links grouped by the notice of their source (lower) activity."""
    act_notice = {a.iri: a.notice_key for n in corpus.notices for a in n.activities}
    out: dict[str, list[MirrorLink]] = defaultdict(list)
    for m in corpus.mirrors:
        nk = act_notice.get(m.source)
        if nk is not None:
            out[nk].append(m)
    return out


def corpus_chunks(corpus: Corpus) -> dict[str, bytes]:
    """Every named graph of the corpus as N-Quads, by graph IRI (sorted)."""
    chunks = {str(SHARED_GRAPH): chunk(str(SHARED_GRAPH), shared_triples(corpus))}
    links = mirrors_by_notice(corpus)
    for n in corpus.notices:
        triples = notice_triples(n) + implements_triples(n, n.implements, corpus.jurisdictions)
        for m in links.get(n.key, ()):
            triples += mirror_triples(m)
        g = str(notice_graph_iri(n.key))
        chunks[g] = chunk(g, triples)
    return dict(sorted(chunks.items()))


def corpus_quads(corpus: Corpus) -> list[Quad]:
    """Every quad of the corpus as rdflib terms, de-duplicated and sorted by graph, then
    by the N-Triples text of subject, predicate and object (deterministic output)."""
    import pyoxigraph as ox

    return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
             to_rdflib(q.graph_name))
            for data in corpus_chunks(corpus).values()
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]


__all__ = [
    "chunk",
    "corpus_chunks",
    "corpus_quads",
    "edition_label",
    "implements_triples",
    "mirror_triples",
    "notice_triples",
    "shared_triples",
    "to_rdflib",
    "upper_of",
]
