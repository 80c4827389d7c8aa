"""Score a built corpus against the ground truth of a synthetic corpus.

Activities are matched to truth by (file, block name, text): the file name, the block's
header name as parsed ("" for the one body block of a prose document), and the best text
match (rapidfuzz ``ratio`` ≥ 90, so traditional-script round trips through OpenCC still
match). Links whose ends match no generated activity (the notice body's own items) are left
out of precision. A prose document (press release, meeting report, work summary) is also
scored on its genre and on the sentences that must never become activities (background on
the Quality Month, speeches, the theme). Co-organizers are scored on the built graph: the
``qm:coOrganizer`` of each matched activity against the organizations the truth says the
sentence names as co-organizers (联合…共同举办, 由A主办，B等单位协办, A主办，B承办).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from qmgraph.graphfile import read_quads
from qmgraph.model import Corpus, MirrorLink
from qmgraph.namespaces import QM, org_iri
from qmgraph.synth.generate import SynthTruth


@dataclass
class StructureScore:
    """How well ingest + parse + resolve recovered the notices' structure."""

    notices: int
    found_notices: int  #: notices that built (not failed)
    place_ok: int
    year_ok: int
    blocks_expected: int
    blocks_found: int  #: expected (kind, name) blocks the parser found
    blocks_extra: int  #: organizer/jurisdiction blocks found that were not expected
    exact_notices: int  #: notices with place, year, genre and every block right, nothing extra
    genre_ok: int = 0
    prose_notices: int = 0  #: prose documents (press releases, meeting reports, summaries)
    not_activities: int = 0  #: sentences of prose documents that report no activity
    leaks: int = 0  #: of those, sentences the build made an activity of
    counts_stated: int = 0  #: prose documents stating their number of organizers
    count_ok: int = 0
    slogans_expected: int = 0  #: slogans listed on slogan pages
    slogans_found: int = 0

    @property
    def block_recall(self) -> float:
        return self.blocks_found / self.blocks_expected if self.blocks_expected else 1.0

    def to_json(self) -> dict[str, float | int]:
        n = self.notices or 1
        return {"notices": self.notices, "built": self.found_notices,
                "place_accuracy": round(self.place_ok / n, 4),
                "year_accuracy": round(self.year_ok / n, 4),
                "block_recall": round(self.block_recall, 4),
                "blocks_expected": self.blocks_expected, "blocks_found": self.blocks_found,
                "blocks_extra": self.blocks_extra,
                "genre_accuracy": round(self.genre_ok / n, 4),
                "prose_documents": self.prose_notices,
                "non_activity_sentences": self.not_activities,
                "non_activity_leaks": self.leaks,
                "organizer_count_accuracy": _ratio(self.count_ok, self.counts_stated),
                "slogan_recall": _ratio(self.slogans_found, self.slogans_expected),
                "notices_exact": round(self.exact_notices / n, 4)}


@dataclass
class LinkScore:
    """Mirror precision/recall at activity and block level."""

    expected: int
    predicted: int  #: predicted links with both ends matched to generated activities
    correct: int
    unmatched_links: int  #: links with an end outside the generated activities (body items)
    block_expected: int
    block_predicted: int
    block_correct: int
    activities_matched: int
    activities_total: int

    def to_json(self) -> dict[str, float | int]:
        return {"precision": _ratio(self.correct, self.predicted),
                "recall": _ratio(self.correct, self.expected),
                "expected_pairs": self.expected, "predicted_pairs": self.predicted,
                "block_precision": _ratio(self.block_correct, self.block_predicted),
                "block_recall": _ratio(self.block_correct, self.block_expected),
                "links_outside_truth": self.unmatched_links,
                "activities_matched": _ratio(self.activities_matched, self.activities_total)}


def _ratio(a: int, b: int) -> float:
    """``a / b`` to four places; 1.0 when there was nothing to find (``b`` = 0)."""
    return round(a / b, 4) if b else 1.0


def score_structure(corpus: Corpus, truth: SynthTruth) -> StructureScore:
    """Compare each built notice's place, year, genre and blocks with the truth, and count
    the non-activity sentences of prose documents that became activities."""
    built = {Path(n.tree.source.path).name: n for n in corpus.notices}
    s = StructureScore(len(truth.notices), 0, 0, 0, 0, 0, 0, 0)
    for tn in truth.notices:
        exp = Counter((k, n) for k, n in tn.blocks)
        s.blocks_expected += sum(exp.values())
        rn = built.get(tn.file)
        if rn is None:
            continue
        s.found_notices += 1
        place = (rn.jurisdiction.code or "cn") if rn.jurisdiction else None
        place_ok, year_ok = place == tn.place, rn.year == tn.year
        s.place_ok += place_ok
        s.year_ok += year_ok
        got = Counter((b.kind, b.name) for b in rn.tree.blocks if b.kind != "body")
        hit = sum((exp & got).values())
        extra = sum((got - exp).values())
        s.blocks_found += hit
        s.blocks_extra += extra
        genre_ok = rn.tree.genre == tn.genre
        s.genre_ok += genre_ok
        s.exact_notices += (place_ok and year_ok and genre_ok and hit == sum(exp.values())
                            and not extra)
        s.prose_notices += tn.genre != "notice"
        got_slogans = {_squeeze(x) for x in rn.tree.slogans}
        s.slogans_expected += len(tn.slogans)
        s.slogans_found += sum(_squeeze(x) in got_slogans for x in tn.slogans)
        if tn.organizer_count is not None:
            s.counts_stated += 1
            s.count_ok += rn.tree.organizer_count == tn.organizer_count
        s.not_activities += len(tn.not_activities)
        texts = [_squeeze(a.text) for a in rn.activities]
        for sentence in map(_squeeze, tn.not_activities):
            s.leaks += any(sentence in t or fuzz.ratio(sentence, t) >= 90 for t in texts)
    return s


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _match_activities(corpus: Corpus, truth: SynthTruth) -> dict[str, str]:
    """Activity IRI → truth activity id, for activities in generated blocks."""
    by_block: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ta in truth.activities:
        by_block.setdefault((ta.file, ta.block), []).append((_squeeze(ta.text), ta.id))
    out: dict[str, str] = {}
    for a in corpus.activities():
        cands = by_block.get((Path(a.source.path).name, a.block_label))
        if not cands:
            continue
        text = _squeeze(a.text)
        best, best_id = max(((100.0 if t == text else fuzz.ratio(t, text), tid)
                             for t, tid in cands), key=lambda r: r[0])
        if best >= 90:
            out[a.iri] = best_id
    return out


def score_links(corpus: Corpus, links: list[MirrorLink], truth: SynthTruth) -> LinkScore:
    """Precision/recall of ``links`` against the truth's expected mirror pairs."""
    ids = _match_activities(corpus, truth)
    expected = truth.closure()
    pred: set[tuple[str, str]] = set()
    unmatched = 0
    for m in links:
        s, t = ids.get(m.source), ids.get(m.target)
        if s is None or t is None:
            unmatched += 1
            continue
        pred.add((s, t))
    bexp, bpred = truth.block_pairs(expected), truth.block_pairs(pred)
    return LinkScore(len(expected), len(pred), len(pred & expected), unmatched,
                     len(bexp), len(bpred), len(bexp & bpred), len(set(ids.values())),
                     len(truth.activities))


@dataclass
class CoOrganizerScore:
    """Co-organizer precision/recall: (truth activity, organization) pairs of the graph's
    ``qm:coOrganizer`` against the truth's, over the activities matched to truth."""

    expected: int  #: (activity, organization) pairs the truth records
    predicted: int  #: qm:coOrganizer pairs of activities matched to truth
    correct: int  #: of those, pairs the truth records

    def to_json(self) -> dict[str, float | int]:
        return {"precision": _ratio(self.correct, self.predicted),
                "recall": _ratio(self.correct, self.expected),
                "expected_pairs": self.expected, "predicted_pairs": self.predicted}


def score_co_organizers(corpus: Corpus, graph_file: str | Path,
                        truth: SynthTruth) -> CoOrganizerScore:
    """Compare the ``qm:coOrganizer`` of the built graph ``graph_file`` (``corpus`` is the
    same build, to match its activities to the truth) with the co-organizers the truth
    records; an activity of several matches counts once."""
    ids = _match_activities(corpus, truth)
    co = str(QM.coOrganizer)
    # (truth activity id, organization IRI)
    predicted = {(ids[q.subject.value], q.object.value) for q in read_quads(graph_file)
                 if q.predicate.value == co and q.subject.value in ids}
    expected = {(a.id, str(org_iri(key))) for a in truth.activities
                for _, key in a.co_organizers}
    return CoOrganizerScore(len(expected), len(predicted), len(predicted & expected))
