"""Synthetic formal notices whose organizers' activities are a table flattened to one cell
per line (``TABLE_SHARE``): the generator writes them, the build reads each row as one
activity of its lead with its helpers, as the truth records."""

from __future__ import annotations

import sys

import pytest

from qmgraph.pipeline import build
from qmgraph.synth import generate, score_co_organizers
from qmgraph.synth.score import score_structure


@pytest.fixture(scope="module")
def tabled(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("tables")
    mp = pytest.MonkeyPatch()
    mp.setattr(sys.modules["qmgraph.synth.generate"], "TABLE_SHARE", 1.0)
    try:
        truth = generate(14, 9, root, prose_share=0)
    finally:
        mp.undo()
    out = root / "out"
    return root, truth, build([root / "notices"], out, validate=False, formats=("nt",)), out


def test_tables_are_written_one_cell_per_line(tabled) -> None:
    root, truth, _r, _out = tabled
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in (root / "notices").iterdir()]
    assert sum("\n序号\n" in t for t in texts) >= 5


def test_each_row_is_an_activity_of_its_lead(tabled) -> None:
    _root, truth, r, out = tabled
    s = score_structure(r.corpus, truth)
    assert s.blocks_extra == 0 and s.block_recall >= 0.97
    co = score_co_organizers(r.corpus, out / "qmgraph.nt", truth).to_json()
    assert co["precision"] == 1.0 and co["recall"] >= 0.9
