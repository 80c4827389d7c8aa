"""SSSOM export of the mirror links (``mirrors.sssom.tsv``), deterministic."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from qmgraph.model import Corpus, MirrorLink
from qmgraph.namespaces import ID, QM

SEMAPV = "https://w3id.org/semapv/vocab/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MAPPING_SET_ID = str(ID["mapping-set/mirrors"])
LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"
LABEL_MAX = 80
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
)
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


def _cell(text: str, limit: int | None = None) -> str:
    s = " ".join(text.replace("\t", " ").split())
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def sssom_text(corpus: Corpus | Mapping[str, str], links: list[MirrorLink]) -> str:
    """The SSSOM TSV document (metadata block + one row per link) as a string.

    ``corpus`` gives the activities' texts (labels); a mapping activity IRI → text will do.
    """
    texts = corpus if isinstance(corpus, Mapping) else {a.iri: a.text for a in corpus.activities()}
    lines = [
        "# curie_map:",
        f"#   qm: {QM}",
        f"#   qmid: {ID}",
        f"#   semapv: {SEMAPV}",
        f"#   skos: {SKOS}",
        f"# mapping_set_id: {MAPPING_SET_ID}",
        "# mapping_set_title: qmgraph activity lineage (qm:mirrors)",
        f"# license: {LICENSE}",
        "\t".join(COLUMNS),
    ]
    for m in sorted(links, key=lambda m: (m.source, m.target)):
        row = (
            curie(m.source),
            _cell(texts.get(m.source, ""), LABEL_MAX),
            "qm:mirrors",
            curie(m.target),
            _cell(texts.get(m.target, ""), LABEL_MAX),
            JUSTIFICATION.get(m.grade, "semapv:CompositeMatching"),
            f"{m.score:.4f}",
            _cell(f"{m.grade}: {m.evidence}"),
        )
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def write_sssom(corpus: Corpus | Mapping[str, str], links: list[MirrorLink], path: str | os.PathLike[str]) -> None:
    """Write ``links`` as an SSSOM TSV (UTF-8, ``\\n`` line ends) to ``path``."""
    Path(path).write_text(sssom_text(corpus, links), encoding="utf-8", newline="\n")
