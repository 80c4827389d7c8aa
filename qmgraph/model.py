"""Plain dataclasses passed forward through the pipeline.

ingest → ``SourceText``; parse → ``NoticeTree`` (with ``Block`` and ``Item``);
extract → ``ExtractedNotice`` (with ``ActivityRecord``); resolve → ``Jurisdiction``,
``Organization``, ``Campaign``; link → ``MirrorLink``. No stage imports a later one.

Offsets: ``SourceText.text`` is the normalized (simplified, width-unified) text that every
later stage reads; ``SourceText.offsets[i]`` is the index in ``SourceText.original`` of
``text[i]`` (one extra entry at the end for the end offset), so any span of the normalized
text maps back to the original file's text with ``SourceText.to_original``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from hashlib import sha1

# ---------------------------------------------------------------- ingest


@dataclass
class SourceText:
    """One input file decoded and normalized for parsing."""

    path: str  #: as given by the user
    content_hash: str  #: sha256 hex of the raw bytes
    encoding: str  #: the codec that decoded the bytes (utf-8, utf-8-sig, utf-16, gb18030, big5)
    original: str  #: the decoded text exactly as in the file
    text: str  #: normalized text: simplified script, unified punctuation, joined lines
    #: ``len(text) + 1`` entries: index into ``original`` of each char (an ``array("I")``
    #: from ingest: 4 bytes an entry, not a Python int each — ~0.5 GB at 10,000 notices)
    offsets: Sequence[int]
    script: str = "simplified"  #: ``traditional`` when OpenCC changed a sizeable share
    reader: str = "text"  #: which reader produced ``original`` (text, html, docx, pdf, doc)
    dropped: list[str] = field(default_factory=list)  #: residue lines removed, for reports
    meta: dict[str, str] = field(default_factory=dict)  #: fields a reader found (html 发文字号…)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the matching span of ``original``."""
        if start >= end:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


# ---------------------------------------------------------------- parse


@dataclass
class Item:
    """A numbered item (或 sentence group) inside a block."""

    numbering: str  #: the label as written: "1、", "（1）", "①", "一是" or "" for none
    text: str  #: normalized text of the item, numbering removed
    start: int  #: span in ``SourceText.text``
    end: int
    co: tuple[str, ...] = ()  #: co-organizers a table column gives (配合部门), as written


@dataclass
class Block:
    """A unit of activities led by one organizer or one place.

    ``kind`` is ``organizer`` (an agency, association or enterprise heads it),
    ``jurisdiction`` (a city / district heads it: "成都市：…", "（一）和平区") or ``body``
    (activities in the notice body, organized by the issuer).
    """

    kind: str
    name: str  #: header surface as written (normalized script): "省公安厅", "成都市"; "" for body
    numbering: str
    text: str  #: all text of the block after the header
    start: int
    end: int
    items: list[Item] = field(default_factory=list)
    section: str = ""  #: title of the enclosing section or attachment
    group: str = ""  #: enclosing group header, e.g. "各区开展的活动"
    #: role of the enclosing section: "activities", "requirements" (活动要求: only the
    #: sentences that order a concrete action are activities) or "prose" (the running text
    #: of a release or report: only sentences that report an action are activities)
    role: str = "activities"


@dataclass
class Section:
    """A top-level section of the body ("一、活动主题") or an attachment."""

    numbering: str
    title: str
    text: str
    start: int
    end: int


@dataclass
class Attachment:
    number: int
    title: str
    start: int
    end: int


@dataclass
class NoticeTree:
    """What the parser understood of one notice."""

    source: SourceText
    context_code: str | None = None  #: division code the parser read place headers against
    context_national: bool = False  #: the notice is national (context_code is then None)
    title: str = ""
    doc_number: str = ""  #: normalized to 〔〕: 国市监质发〔2022〕76号
    issuer: str = ""
    issued: str = ""  #: ISO date yyyy-mm-dd
    #: what ``issued`` is: "signed" (the document's own date: signature, 成文日期) or
    #: "published" (the page's 发布时间 or byline, used when no signing date is stated)
    issued_kind: str = ""
    year: int | None = None
    #: document genre key (``data/genre_cues.tsv``): notice, plan, activity-list,
    #: press-release, meeting-report, work-report, roundup, letter, slogans, slogan-call
    genre: str = ""
    #: number of organizing departments the document states ("等27个部门"), if any
    organizer_count: int | None = None
    theme: str = ""
    addressees: list[str] = field(default_factory=list)
    cited_doc_numbers: list[str] = field(default_factory=list)  #: doc numbers cited in the body
    #: 《关于…通知》 titles the body cites (matched to corpus notices of a higher place)
    cited_titles: list[str] = field(default_factory=list)
    follows_national: bool = False  #: "按照全国…部署/要求" seen
    sections: list[Section] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)  #: 联合主办单位 (joint organizers)
    signatories: list[str] = field(default_factory=list)  #: signature block names
    slogans: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- extract


@dataclass
class ActivityRecord:
    """One distinct action with the surfaces of who and what; resolve makes them nodes."""

    local: str  #: id within the notice, e.g. "b03-i02" (block 3, item 2)
    block_index: int
    text: str  #: normalized text
    start: int  #: span in ``SourceText.text``
    end: int
    organizers: list[str]  #: surfaces ("省公安厅"); for a jurisdiction block, its place's name
    co_organizers: list[str] = field(default_factory=list)
    jurisdiction: str = ""  #: surface of the city/district when the block is a place
    campaigns: list[str] = field(default_factory=list)  #: surfaces, quotes removed
    cites: list[str] = field(default_factory=list)  #: 《…》 titles without the brackets
    #: "organizer" when the text itself names its lead (（牵头单位：X）, 由X牵头) inside a body
    #: or place block; "" keeps the block's kind
    kind: str = ""
    date: str = ""  #: ISO date the text states for the activity ("9月5日上午…"), if any
    venue: str = ""  #: where the text says it takes place ("在人民广场举行", 活动地点：…)


@dataclass
class ExtractedNotice:
    tree: NoticeTree
    activities: list[ActivityRecord]


# ---------------------------------------------------------------- resolve


@dataclass(frozen=True)
class Jurisdiction:
    code: str | None  #: 6-digit GB/T 2260 code; None for the nation
    name: str  #: official full name: 凉山彝族自治州
    short_names: tuple[str, ...]  #: 凉山州, 凉山
    level: str  #: national | provincial | prefectural | county
    parent: str | None  #: parent code; None for provinces and the nation


@dataclass(frozen=True)
class Organization:
    key: str  #: IRI path under id/org/: "510000/public-security", "cn/market-regulation"
    label: str  #: full official simplified name with jurisdiction
    kind: str  #: agency | association | enterprise
    sector: str | None = None  #: sector key from data/sectors.csv
    jurisdiction: str | None = None  #: division code; None = national
    level: str = "national"
    english: str | None = None
    counterpart: str | None = None  #: key of the same-sector organization one level up
    parent: str | None = None  #: key of the organization it is a vertical branch of


@dataclass(frozen=True)
class Campaign:
    key: str  #: IRI path under id/campaign/
    label: str  #: normalized name: 昆仑2022
    series: str | None = None  #: series key: kunlun
    series_label: str | None = None  #: 昆仑
    year: int | None = None


@dataclass(frozen=True)
class ActivityFacts:
    """What an SSSOM row (``mirrors.sssom.tsv``) says of one side of a link."""

    text: str
    notice: str = ""  #: the notice's key
    place: str = ""  #: the activity's jurisdiction (official name)
    agency: str = ""  #: its organizers' labels, "；"-joined


def activity_facts(activities: Iterable[ResolvedActivity]) -> dict[str, ActivityFacts]:
    """Activity IRI → :class:`ActivityFacts`, for the SSSOM rows."""
    return {
        a.iri: ActivityFacts(text=a.text, notice=a.notice_key,
                             place=a.jurisdiction.name if a.jurisdiction is not None else "",
                             agency="；".join(o.label for o in a.organizers))
        for a in activities
    }


# ---------------------------------------------------------------- link


@dataclass(frozen=True)
class MirrorLink:
    """A lower-level activity copies or adapts a higher-level one, with the evidence."""

    source: str  #: activity IRI of the copying (lower) activity
    target: str  #: activity IRI of the copied (higher) activity
    score: float
    grade: str  #: verbatim | adapted
    method: str
    source_start: int  #: aligned span in the source activity's original file text
    source_end: int
    target_start: int
    target_end: int
    evidence: str  #: the shared text


# ---------------------------------------------------------------- resolve (outputs)


@dataclass
class ResolvedActivity:
    """An activity whose surfaces have become canonical entities."""

    iri: str  #: full IRI (``qmgraph.namespaces.activity_iri``)
    local: str  #: "b03-i02"
    notice_key: str
    text: str  #: normalized text == source.text[norm_start:norm_end]
    norm_start: int
    norm_end: int
    organizers: list[Organization]
    co_organizers: list[Organization]
    jurisdiction: Jurisdiction | None  #: None only when the notice names no place (flagged)
    year: int | None
    campaigns: list[Campaign]
    cites: list[str]
    block_kind: str  #: organizer | jurisdiction | body
    block_label: str  #: header as written
    block_index: int
    source: SourceText = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    date: str = ""  #: ISO date the text states (``ActivityRecord.date``)
    venue: str = ""  #: venue the text states (``ActivityRecord.venue``)

    @property
    def level(self) -> str:
        return self.jurisdiction.level if self.jurisdiction else ""

    @property
    def start(self) -> int:
        """Start offset in the original file text."""
        return self.source.to_original(self.norm_start, self.norm_end)[0]

    @property
    def end(self) -> int:
        return self.source.to_original(self.norm_start, self.norm_end)[1]

    def to_original(self, i: int, j: int) -> tuple[int, int]:
        """Map ``[i, j)`` of ``self.text`` to offsets in the original file text."""
        return self.source.to_original(self.norm_start + i, self.norm_start + j)


@dataclass
class ResolvedNotice:
    key: str  #: IRI path under id/notice/
    extracted: ExtractedNotice
    jurisdiction: Jurisdiction | None  #: None when the notice names no place (flagged)
    year: int | None
    issuer: Organization | None
    implements: list[str]  #: notice keys this notice implements (in corpus or cited stubs)
    joint_organizers: list[Organization]
    slogans: list[str]
    activities: list[ResolvedActivity]

    @property
    def tree(self) -> NoticeTree:
        return self.extracted.tree

    @property
    def level(self) -> str:
        return self.jurisdiction.level if self.jurisdiction else ""

    def without_parse(self) -> ResolvedNotice:
        """This notice without its parsed sections, attachments and blocks and its extracted
        records: all that linking reads of it, a fifth of the time to read it back
        (decision 0035)."""
        t = self.extracted.tree
        return replace(self, extracted=ExtractedNotice(
            replace(t, sections=[], attachments=[], blocks=[]), []))


@dataclass
class Corpus:
    """Everything resolve knows about a set of notices; link adds ``mirrors``."""

    notices: list[ResolvedNotice]  #: sorted by key
    organizations: dict[str, Organization]
    org_surfaces: dict[str, set[str]]  #: org key → every surface form seen
    jurisdictions: dict[str, Jurisdiction]  #: "cn" or code → used places and their ancestors
    campaigns: dict[str, Campaign]
    campaign_surfaces: dict[str, set[str]]
    cited_notices: dict[str, str]  #: notice key → doc number, for cited notices not in corpus
    sectors: dict[str, tuple[str, str]]  #: key → (label_zh, label_en)
    mirrors: list[MirrorLink] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def activities(self) -> list[ResolvedActivity]:
        return [a for n in self.notices for a in n.activities]


#: One change a notice makes to the corpus tables: ("org", Organization, surface or None,
#: the organizations it refers to as ((key, Organization or None), …)),
#: ("surface", org key, surface), ("campaign", Campaign, surface), ("place", Jurisdiction),
#: ("problem", message).
Event = tuple


#: How many shingle hashes a summary keeps (``text_sketch``).
SKETCH_SIZE = 256
#: Characters per shingle: short enough that a spam word or a page residue inside a
#: sentence spoils only the few shingles across it, long enough to be rare.
SHINGLE = 6
#: Everything that is not a character of the text: whitespace, punctuation, symbols. Two
#: copies differ in these (line breaks, half-width punctuation, layout), not in the words.
_NOT_WORD = re.compile(r"[\W_]+")


#: Bytes of a shingle's hash kept in a sketch: the first 6 bytes of its SHA-1.
_HASH_BYTES = 6


def text_sketch(text: str, size: int = SKETCH_SIZE) -> bytes:
    """The ``size`` smallest hashes of the text's character shingles (``SHINGLE``
    characters, whitespace and punctuation removed): a bottom-k sketch, from which
    ``sketch_containment`` estimates how much of one text the other holds, whatever the
    line breaks, the layout or a cut. The hashes are the first 6 bytes of each shingle's
    SHA-1, sorted and concatenated: 1.5 kB a notice, where a set of 256 hex strings took
    ~24 kB (every notice's summary is held through a build: 2.4 GB at 100,000)."""
    chars = _NOT_WORD.sub("", text)
    grams = {chars[i:i + SHINGLE] for i in range(max(0, len(chars) - SHINGLE + 1))}
    # (One gram is hashed per character of the text: this is ~1/6 of the first stage.)
    digests = sorted({sha1(g).digest()[:_HASH_BYTES] for g in map(str.encode, grams)})
    return b"".join(digests[:size])


def _hashes(sketch: bytes) -> set[bytes]:
    return {sketch[i:i + _HASH_BYTES] for i in range(0, len(sketch), _HASH_BYTES)}


def sketch_containment(a: bytes, b: bytes, size: int = SKETCH_SIZE) -> tuple[float, int]:
    """(share of the smaller text's shingles found in the other, how many of its shingles
    the estimate rests on), from two ``text_sketch``es. The union's ``size`` smallest
    hashes are a uniform sample of both texts' shingles; each text's members of that sample
    are all in its own sketch, so membership is exact and the shares are unbiased."""
    ha, hb = _hashes(a), _hashes(b)
    sample = sorted(ha | hb)[:size]
    in_a = sum(1 for h in sample if h in ha)
    in_b = sum(1 for h in sample if h in hb)
    both = sum(1 for h in sample if h in ha and h in hb)
    smaller = min(in_a, in_b)
    return (both / smaller if smaller else 0.0), smaller


@dataclass(frozen=True)
class NoticeSummary:
    """What corpus-level resolution needs of a notice: which copy to keep, what it
    implements, what the shared graph states about it. Small, so a rebuild can read it
    for every unchanged notice without loading the notice itself."""

    index: int  #: position in the input (to find the notice again)
    key: str
    path: str
    content_hash: str
    text_hash: str
    doc_number: str
    title: str
    year: int | None
    jurisdiction: Jurisdiction | None
    cited_doc_numbers: tuple[str, ...]
    cited_titles: tuple[str, ...]
    follows_national: bool
    n_activities: int
    n_blocks: int
    slogans: tuple[str, ...]
    genre: str = ""
    #: the smallest hashes of the text's shingles (``text_sketch``): a copy of one document
    #: (its .html and its .pdf, a mirror with residue, a cut page) holds most of the other's;
    #: None when not worked out (a build without cache: ``Resolver.settle``'s ``sketch_of``)
    sketch: bytes | None = b""
    #: keys in ``Corpus.jurisdictions`` (code, or "cn") of its activities' places: what
    #: linking its statistics window reads of the jurisdiction table
    places: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return self.jurisdiction.level if self.jurisdiction else ""

    @classmethod
    def of(cls, n: ResolvedNotice, index: int, sketch: bool = True) -> NoticeSummary:
        """The summary of ``n``; with ``sketch`` False without its sketch (a build without
        cache works it out only for the notices another of their place and year is compared
        with: one SHA-1 per shingle of every text was a sixth of its first stage)."""
        # imported here: namespaces loads rdflib, which parsing and extraction never need
        from qmgraph.namespaces import short_hash

        tree = n.tree
        return cls(
            index=index, key=n.key, path=tree.source.path,
            content_hash=tree.source.content_hash,
            text_hash=short_hash("".join(tree.source.text.split()), 40),
            sketch=text_sketch(tree.source.text) if sketch else None,
            doc_number=tree.doc_number, title=tree.title,
            year=n.year, jurisdiction=n.jurisdiction,
            cited_doc_numbers=tuple(tree.cited_doc_numbers), cited_titles=tuple(tree.cited_titles),
            follows_national=tree.follows_national, n_activities=len(n.activities),
            n_blocks=len(tree.blocks), slogans=tuple(n.slogans), genre=tree.genre,
            places=tuple(sorted({a.jurisdiction.code or "cn" for a in n.activities
                                 if a.jurisdiction is not None})))
