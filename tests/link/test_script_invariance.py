"""Converting a seed notice to traditional script before ingest changes no link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pipeline = pytest.importorskip("qmgraph.pipeline")
opencc = pytest.importorskip("opencc")

from qmgraph.link import link  # noqa: E402

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _link_set(folder: Path) -> set[tuple[str, str, str, str]]:
    """Links as (source place/year, source local, target place/year, target local): notice
    keys may embed a content hash, which the script conversion changes."""
    corpus = pipeline.resolve_paths([str(folder)])
    where = {
        n.key: f"{n.jurisdiction.code if n.jurisdiction else '?'}-{n.year}" for n in corpus.notices
    }
    acts = {a.iri: a for a in corpus.activities()}
    return {
        (
            where[acts[m.source].notice_key],
            acts[m.source].local,
            where[acts[m.target].notice_key],
            acts[m.target].local,
        )
        for m in link(corpus)
    }


@pytest.mark.skipif(not RAW.is_dir() or not any(RAW.glob("*.txt")), reason="no seed notices")
def test_traditional_script_changes_no_link(tmp_path: Path) -> None:
    plain, trad = tmp_path / "plain", tmp_path / "trad"
    plain.mkdir()
    trad.mkdir()
    s2t = opencc.OpenCC("s2t")
    files = sorted(RAW.glob("*.txt"))
    # every seed, converted whole (the national one is already traditional: s2t keeps it so)
    for f in files:
        shutil.copy(f, plain / f.name)
        text = f.read_text(encoding="utf-8")
        (trad / f.name).write_text(s2t.convert(text), encoding="utf-8")
    before, after = _link_set(plain), _link_set(trad)
    assert before, "the seeds should produce links"
    assert before == after
