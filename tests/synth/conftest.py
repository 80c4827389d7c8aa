"""One half-prose synthetic corpus and its build, shared by the synth tests that read them
(test_prose, test_co_organizers): generated and built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.pipeline import BuildResult, build
from qmgraph.synth import SynthTruth, generate

N = 30


@pytest.fixture(scope="session")
def prose_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # seed 4 with half prose: every genre, every level, traditional-script and GB18030
    # documents, a summary with its items in one paragraph (test_corpus_has_every_…)
    out = tmp_path_factory.mktemp("prose")
    generate(N, 4, out, prose_share=0.5)
    return out


@pytest.fixture(scope="session")
def prose_truth(prose_corpus: Path) -> SynthTruth:
    return SynthTruth.load(prose_corpus / "truth.json")


@pytest.fixture(scope="session")
def prose_built(prose_corpus: Path,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("prose-out")
    return build([prose_corpus / "notices"], out, validate=False, formats=("nt",)), out
