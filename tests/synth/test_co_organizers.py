"""Co-organizers in synthetic corpora: the generator writes activities that name them
(联合B、C共同…, 由A主办，B、C等单位协办, A主办，B承办) from a random stream of their own,
the truth records them, and synth-score scores the graph's qm:coOrganizer against it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.namespaces import QM
from qmgraph.synth import SynthTruth, generate, score_co_organizers

N = 30


@pytest.fixture(scope="module")
def corpus(prose_corpus: Path) -> Path:
    return prose_corpus


@pytest.fixture(scope="module")
def truth(prose_truth: SynthTruth) -> SynthTruth:
    return prose_truth


@pytest.fixture(scope="module")
def built(prose_built):
    return prose_built


def test_truth_records_the_co_organizers_the_text_names(truth: SynthTruth) -> None:
    with_co = [a for a in truth.activities if a.co_organizers]
    assert len(with_co) >= 20
    for a in with_co:
        for name, key in a.co_organizers:
            assert name in a.text and key.split("/")[0] in (a.file.split("_")[1], "cn"), a
    texts = " ".join(a.text for a in with_co)
    for form in ("共同", "等单位协办", "承办"):
        assert form in texts, form
    # a release's lead names its joint organizers too (A联合B、C等N个部门…)
    assert any(a.id.endswith("#lead.0") for a in with_co)


def test_co_organizers_have_their_own_random_stream(corpus: Path, truth: SynthTruth,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Without co-organizer sentences the corpus is the same but for those sentences."""
    import sys

    monkeypatch.setattr(sys.modules["qmgraph.synth.generate"], "CO_SHARE", 0.0)
    plain = generate(N, 4, tmp_path, prose_share=0.5)
    assert plain.notices == truth.notices and plain.mirrors == truth.mirrors
    assert [a.id for a in plain.activities] == [a.id for a in truth.activities]
    changed = 0
    for a, b in zip(truth.activities, plain.activities, strict=True):
        if not a.co_organizers or "#lead." in a.id:  # a lead's come from the main stream
            assert a == b
        else:
            changed += 1
            assert a.text != b.text and not b.co_organizers
            assert all(name not in b.text for name, _ in a.co_organizers)
    assert changed >= 20


def test_score_reads_the_graphs_co_organizers(truth: SynthTruth, built, tmp_path: Path) -> None:
    result, out = built
    score = score_co_organizers(result.corpus, out / "qmgraph.nt", truth)
    assert score.expected == sum(len(a.co_organizers) for a in truth.activities)
    # floors against regressions, not targets (1,000 notices, seed 7: P 1.000, R 0.914)
    assert score.to_json()["precision"] >= 0.95 and score.to_json()["recall"] >= 0.8
    # the score is the graph's: without its qm:coOrganizer triples nothing is found
    bare = tmp_path / "bare.nt"
    bare.write_text("".join(ln for ln in (out / "qmgraph.nt").read_text(encoding="utf-8")
                            .splitlines(keepends=True) if str(QM.coOrganizer) not in ln),
                    encoding="utf-8")
    none = score_co_organizers(result.corpus, bare, truth)
    assert none.predicted == 0 and none.to_json()["recall"] == 0.0


def test_synth_score_prints_the_co_organizer_score(corpus: Path) -> None:
    from qmgraph.cli import main

    r = CliRunner().invoke(main, ["synth-score", str(corpus)])
    assert r.exit_code == 0, r.output
    assert '"co_organizers": {' in r.output and '"expected_pairs"' in r.output
