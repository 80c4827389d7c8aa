"""The one place that names RDF namespaces and mints instance IRIs.

Every module binds prefixes from here so no graph gets rdflib's defaults (its ``schema``
prefix is https, ours is http — mixing them silently splits the graph).
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from qmgraph.levels import LEVEL_TERMS

QM = Namespace("https://w3id.org/qmgraph/ontology#")
ID = Namespace("https://w3id.org/qmgraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "qm": QM,
    "qmid": ID,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "schema": SCHEMA,
    "eli": ELI,
    "foaf": FOAF,
    "sh": SH,
}

#: Named graph that holds entities many notices share (agencies, jurisdictions, campaigns…).
SHARED_GRAPH = ID["graph/shared"]


def bind_all(graph: Graph) -> Graph:
    """Bind the project's prefixes (and only those) on ``graph``; returns it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def new_graph(identifier=None) -> Graph:
    """A plain in-memory graph with the project's prefixes and none of rdflib's."""
    return bind_all(Graph(identifier=identifier, bind_namespaces="none"))


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_len: int = 60) -> str:
    """A readable ASCII slug: pinyin for Chinese, lower-case, dash-separated.

    Pinyin loses tones and characters (豫/渝 and 津/晋 read alike: 豫市监发〔2022〕10号 and
    渝市监发〔2022〕10号 would meet on one IRI), so a slug of any non-ASCII text ends with a
    short hash of the exact text; long slugs are cut before it.
    """
    memo = _MEMO["slug"]
    if max_len == 60:
        hit = memo.get(text)
        if hit is not None:
            return hit
    from pypinyin import lazy_pinyin  # imported lazily: 0.3 s to load its tables

    # Non-Han runs (2022, 76, QC) stay whole: guo-shi-jian-zhi-fa-2022-76-hao-….
    parts = lazy_pinyin(text, errors=lambda chars: [chars])
    s = _SLUG_RE.sub("-", "-".join(parts).lower()).strip("-") or "x"
    if len(s) > max_len:
        s = s[:max_len].rstrip("-")
    if not text.isascii() or len(s) < len(text):
        s = f"{s}-{short_hash(text, 6)}"
    if max_len == 60:
        memo[text] = s
    return s


def pinyin_word(text: str) -> str:
    """``text`` in pinyin as one capitalized word (成都 → Chengdu), for English labels."""
    memo = _MEMO["word"]
    hit = memo.get(text)
    if hit is None:
        from pypinyin import lazy_pinyin  # lazy: 0.3 s to load its tables

        hit = memo[text] = "".join(lazy_pinyin(text)).capitalize()
    return hit


#: What :func:`slug` and :func:`pinyin_word` worked out so far (function → text → result).
#: A build keeps it between runs (``qmgraph.state``), so a rebuild whose texts were all
#: seen before never loads pypinyin.
_MEMO: dict[str, dict[str, str]] = {"slug": {}, "word": {}}


def known_pinyin() -> dict[str, dict[str, str]]:
    """What :func:`slug` and :func:`pinyin_word` worked out so far (a copy)."""
    return {k: dict(v) for k, v in _MEMO.items()}


def learn_pinyin(table: dict[str, dict[str, str]]) -> None:
    """Take ``table`` (:func:`known_pinyin` of an earlier run of this code) as worked out."""
    for kind, memo in _MEMO.items():
        for text, result in table.get(kind, {}).items():
            memo.setdefault(text, result)


def pinyin_known() -> int:
    """How many results :func:`slug` and :func:`pinyin_word` know (to tell if any are new)."""
    return sum(map(len, _MEMO.values()))


def short_hash(text: str, n: int = 12) -> str:
    """Deterministic hex digest prefix of ``text`` (sha1; not for security)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


# --- IRIs of instances: one function per kind, so the scheme lives in one place -----------

def jurisdiction_iri(code: str | None):
    """``id/jurisdiction/cn`` for the nation, ``id/jurisdiction/510000`` for a division."""
    return ID[f"jurisdiction/{code or 'cn'}"]


def sector_iri(key: str):
    return ID[f"sector/{key}"]


def org_iri(key: str):
    """Organizations are keyed by the resolver (``510000/public-security``, ``cn/water``…)."""
    return ID[f"org/{key}"]


def notice_iri(key: str):
    return ID[f"notice/{key}"]


def notice_graph_iri(key: str):
    return ID[f"graph/notice/{key}"]


def edition_iri(code: str | None, year: int):
    """The QualityMonth edition of one jurisdiction and year."""
    return ID[f"quality-month/{code or 'cn'}/{year}"]


def activity_iri(notice_key: str, local: str):
    return ID[activity_path(notice_key, local)]


def activity_iri_text(notice_key: str, local: str) -> str:
    """``str(activity_iri(…))`` without making the URIRef (the resolver keeps strings for
    a hundred thousand activities)."""
    return _ID_TEXT + activity_path(notice_key, local)


def activity_path(notice_key: str, local: str) -> str:
    return f"activity/{notice_key}/{local}"


def activity_notice(iri: str) -> str | None:
    """The key of the notice whose activity ``iri`` is (``activity_iri_text``; notice keys
    are slugs, never holding a slash), or None for another IRI."""
    head = _ID_TEXT + "activity/"
    if not iri.startswith(head):
        return None
    key, sep, _local = iri[len(head):].partition("/")
    return key if sep and key else None


_ID_TEXT = str(ID)


def campaign_iri(key: str):
    return ID[f"campaign/{key}"]


def series_iri(key: str):
    return ID[f"campaign-series/{key}"]


def slogan_iri(text: str):
    return ID[f"slogan/{short_hash(text, 16)}"]


def mirror_iri(source_local: str, target_local: str):
    return ID[f"mirror/{short_hash(source_local + '>' + target_local, 16)}"]


#: The ``qm:AdministrativeLevel`` individual of each level word (``qmgraph.levels``).
LEVELS = {lvl: QM[term] for lvl, term in LEVEL_TERMS.items()}


def genre_iri(key: str):
    """The qm:DocumentGenre individual of a genre key: press-release → qm:PressReleaseGenre."""
    return QM["".join(part.capitalize() for part in key.split("-")) + "Genre"]


#: what a notice's dcterms:issued is (``NoticeTree.issued_kind``) → qm:DateKind individual
DATE_KINDS = {"signed": QM.SigningDate, "published": QM.PublicationDate}
