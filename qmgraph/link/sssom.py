"""SSSOM export of the mirror links (``mirrors.sssom.tsv``), deterministic.

Full labels (the activities' texts, never cut), the standard columns, and extension
columns (declared under ``extension_definitions``, as SSSOM 1.0 allows) for each side's
notice, place and agency and for the link's grade, evidence and source offsets, so a row
can be checked against both documents in a spreadsheet.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from qmgraph.model import ActivityFacts, Corpus, MirrorLink, activity_facts
from qmgraph.namespaces import ID, QM, notice_iri

SEMAPV = "https://w3id.org/semapv/vocab/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MAPPING_SET_ID = str(ID["mapping-set/mirrors"])
LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"
XSD = "http://www.w3.org/2001/XMLSchema#"
STANDARD_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
)
#: extension column → (the property it reports, its type): SSSOM ``extension_definitions``
EXTENSIONS: dict[str, tuple[str, str]] = {
    "subject_notice": (f"{QM}notice", f"{XSD}anyURI"),
    "subject_place": (f"{QM}jurisdiction", f"{XSD}string"),
    "subject_agency": (f"{QM}organizer", f"{XSD}string"),
    "object_notice": (f"{QM}notice", f"{XSD}anyURI"),
    "object_place": (f"{QM}jurisdiction", f"{XSD}string"),
    "object_agency": (f"{QM}organizer", f"{XSD}string"),
    "grade": (f"{QM}grade", f"{XSD}string"),
    "evidence": (f"{QM}evidence", f"{XSD}string"),
    "subject_start": (f"{QM}sourceStart", f"{XSD}integer"),
    "subject_end": (f"{QM}sourceEnd", f"{XSD}integer"),
    "object_start": (f"{QM}targetStart", f"{XSD}integer"),
    "object_end": (f"{QM}targetEnd", f"{XSD}integer"),
}
COLUMNS = STANDARD_COLUMNS + tuple(EXTENSIONS)
JUSTIFICATION = {
    "verbatim": "semapv:LexicalMatching",
    "adapted": "semapv:CompositeMatching",
}


def curie(iri: str) -> str:
    """``qmid:…`` / ``qm:…`` for our IRIs, the IRI itself otherwise."""
    for prefix, ns in (("qmid", str(ID)), ("qm", str(QM))):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _cell(text: str) -> str:
    """One TSV cell: whitespace (tabs, newlines) folded to single spaces, nothing cut."""
    return " ".join(text.replace("\t", " ").split())


def _facts(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts]) -> dict[str, ActivityFacts]:
    if isinstance(corpus, Corpus):
        return activity_facts(corpus.activities())
    return {k: v if isinstance(v, ActivityFacts) else ActivityFacts(text=v) for k, v in corpus.items()}


#: One SSSOM row: the link's source and target IRIs (the rows' sort key) and its line.
Row = tuple[str, str, str]


def _header() -> list[str]:
    """The metadata block and the column line."""
    lines = [
        "# curie_map:",
        f"#   qm: {QM}",
        f"#   qmid: {ID}",
        f"#   semapv: {SEMAPV}",
        f"#   skos: {SKOS}",
        f"# mapping_set_id: {MAPPING_SET_ID}",
        "# mapping_set_title: qmgraph activity lineage (qm:mirrors)",
        f"# license: {LICENSE}",
        "# extension_definitions:",
    ]
    for slot, (prop, type_hint) in EXTENSIONS.items():
        lines += [f"#   - slot_name: {slot}", f"#     property: {prop}", f"#     type_hint: {type_hint}"]
    lines.append("\t".join(COLUMNS))
    return lines


def sssom_rows(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts],
               links: list[MirrorLink]) -> list[Row]:
    """The rows of ``links`` (sorted by source, then target), each a line without its end.

    A build keeps each statistics window's rows with its links (``BuildState``): a row
    reads only the facts of its two activities, which lie in the link's window."""
    facts = _facts(corpus)
    none = ActivityFacts(text="")
    rows: list[Row] = []
    for m in sorted(links, key=lambda m: (m.source, m.target)):
        sub, obj = facts.get(m.source, none), facts.get(m.target, none)
        row = (
            curie(m.source),
            _cell(sub.text),
            "qm:mirrors",
            curie(m.target),
            _cell(obj.text),
            JUSTIFICATION.get(m.grade, "semapv:CompositeMatching"),
            f"{m.score:.4f}",
            _cell(f"{m.grade}: {m.evidence}"),
            curie(str(notice_iri(sub.notice))) if sub.notice else "",
            sub.place,
            _cell(sub.agency),
            curie(str(notice_iri(obj.notice))) if obj.notice else "",
            obj.place,
            _cell(obj.agency),
            m.grade,
            _cell(m.evidence),
            str(m.source_start),
            str(m.source_end),
            str(m.target_start),
            str(m.target_end),
        )
        rows.append((m.source, m.target, "\t".join(row)))
    return rows


def sssom_text(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts],
               links: list[MirrorLink]) -> str:
    """The SSSOM TSV document (metadata block + one row per link) as a string.

    ``corpus`` gives the activities' texts, notices, places and agencies; a mapping activity
    IRI → :class:`ActivityFacts` (or → text alone, leaving those columns empty) will do.
    """
    return sssom_text_of_parts([sssom_rows(corpus, links)])


def sssom_text_of_parts(parts: Iterable[Sequence[Row]]) -> str:
    """The SSSOM TSV document of rows made in parts (each sorted, as :func:`sssom_rows`
    makes them; no link in two parts): the parts merged in the one global order, so the
    document is the one :func:`sssom_text` makes of all their links at once."""
    merged = heapq.merge(*parts, key=lambda r: (r[0], r[1]))
    return "\n".join([*_header(), *(r[2] for r in merged)]) + "\n"


def write_sssom(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts], links: list[MirrorLink], path: str | os.PathLike[str]) -> None:
    """Write ``links`` as an SSSOM TSV (UTF-8, ``\\n`` line ends) to ``path``."""
    Path(path).write_text(sssom_text(corpus, links), encoding="utf-8", newline="\n")


def write_sssom_parts(parts: Iterable[Sequence[Row]], path: str | os.PathLike[str]) -> None:
    """Write the rows of ``parts`` (:func:`sssom_text_of_parts`) as an SSSOM TSV to ``path``."""
    Path(path).write_text(sssom_text_of_parts(parts), encoding="utf-8", newline="\n")
