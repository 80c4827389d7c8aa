"""SSSOM export of the mirror links (``mirrors.sssom.tsv``), deterministic.

Full labels (the activities' texts, never cut), the standard columns, and extension
columns (declared under ``extension_definitions``, as SSSOM 1.0 allows) for each side's
notice, place and agency and for the link's grade, evidence and source offsets, so a row
can be checked against both documents in a spreadsheet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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


def sssom_text(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts],
               links: list[MirrorLink]) -> str:
    """The SSSOM TSV document (metadata block + one row per link) as a string.

    ``corpus`` gives the activities' texts, notices, places and agencies; a mapping activity
    IRI → :class:`ActivityFacts` (or → text alone, leaving those columns empty) will do.
    """
    facts = _facts(corpus)
    none = ActivityFacts(text="")
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
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def write_sssom(corpus: Corpus | Mapping[str, str] | Mapping[str, ActivityFacts], links: list[MirrorLink], path: str | os.PathLike[str]) -> None:
    """Write ``links`` as an SSSOM TSV (UTF-8, ``\\n`` line ends) to ``path``."""
    Path(path).write_text(sssom_text(corpus, links), encoding="utf-8", newline="\n")
