"""No notice lost: inputs are one document only when their texts are the same document.

Different documents that share a doc number (two places abbreviated alike) are both kept
under distinct keys with a warning naming both files; copies of one document (another
layout, another encoding, the page residue of a PDF) are built once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qmgraph.pipeline import build
from qmgraph.synth import generate


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("docs")
    generate(12, 5, root, prose_share=0)
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    numbered = [n for n in truth["notices"] if n["doc_number"] and n["place"] != "cn"]
    assert len(numbered) >= 2
    return root / "notices", numbered


def _text(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def _build(files: dict[str, str], out: Path):
    src = out / "in"
    src.mkdir(parents=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    return build([src], out / "out", validate=False, formats=("nt",))


def test_two_places_one_doc_number_both_kept(corpus, tmp_path: Path) -> None:
    folder, numbered = corpus
    a, b = numbered[0], numbered[1]
    text_b = _text(folder, b["file"]).replace(b["doc_number"], a["doc_number"])
    r = _build({"a.txt": _text(folder, a["file"]), "b.txt": text_b}, tmp_path)
    keys = [n.key for n in r.corpus.notices]
    assert len(keys) == 2 and len(set(keys)) == 2
    assert {k.rsplit("-", 1)[1] for k in keys} == {a["place"], b["place"]}
    iris = [act.iri for n in r.corpus.notices for act in n.activities]
    assert len(iris) == len(set(iris))
    warned = [p.message for p in r.problems if "shared by different documents" in p.message]
    assert warned and all("a.txt" in m and "b.txt" in m for m in warned)
    assert not any("kept once" in p.message for p in r.problems)


def test_doc_number_pair_is_order_free(corpus, tmp_path: Path) -> None:
    folder, numbered = corpus
    a, b = numbered[0], numbered[1]
    text_b = _text(folder, b["file"]).replace(b["doc_number"], a["doc_number"])
    one = _build({"a.txt": _text(folder, a["file"]), "b.txt": text_b}, tmp_path / "1")
    two = _build({"b.txt": _text(folder, a["file"]), "a.txt": text_b}, tmp_path / "2")
    # the same documents under swapped names keep the same keys
    assert sorted(n.key for n in one.corpus.notices) == sorted(n.key for n in two.corpus.notices)


def test_copies_of_one_document_kept_once(corpus, tmp_path: Path) -> None:
    folder, numbered = corpus
    a = numbered[0]
    text = _text(folder, a["file"])
    relaid = "\n\n".join("  ".join(line) if len(line) < 8 else line for line in text.split("\n"))
    lines = text.split("\n")
    paged = "\n".join(lines[: len(lines) // 2] + ["— 2 —", "打印本页 关闭窗口"]
                      + lines[len(lines) // 2:])
    r = _build({"a.txt": text, "a-relaid.txt": relaid, "a-paged.txt": paged}, tmp_path)
    assert len(r.corpus.notices) == 1
    once = [p for p in r.problems if "kept once" in p.message]
    # the fullest copy is built, each other copy reported once
    assert len({Path(p.path).name for p in once}) == 2


def test_synth_collides_on_purpose_and_nothing_is_lost(tmp_path: Path) -> None:
    truth = generate(400, 11, tmp_path, prose_share=0)
    docs: dict[str, list[str]] = {}
    for n in truth.notices:
        if n.doc_number:
            docs.setdefault(n.doc_number, []).append(n.file)
    shared = {d: fs for d, fs in docs.items() if len(fs) > 1}
    # a few on purpose (``COLLISION_SHARE``), never by accident at scale
    assert 1 <= len(shared) <= 10
    assert all(len(fs) == 2 for fs in shared.values())


def test_shared_doc_number_with_the_build_cache(corpus, tmp_path: Path) -> None:
    """The renamed notices come out the same from a cached rebuild as from a full build
    (their records keep the key before renaming; the build renames them again)."""
    folder, numbered = corpus
    a, b = numbered[0], numbered[1]
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_text(folder, a["file"]), encoding="utf-8")
    (src / "b.txt").write_text(_text(folder, b["file"]).replace(b["doc_number"], a["doc_number"]),
                               encoding="utf-8")
    (src / "c.txt").write_text(_text(folder, numbered[2]["file"]) if len(numbered) > 2
                               else _text(folder, b["file"]), encoding="utf-8")
    plain = build([src], tmp_path / "plain", validate=False, formats=("trig",))
    cached = tmp_path / "cached"
    build([src], cached, validate=False, formats=("trig",), cache=True)
    again = build([src], cached, validate=False, formats=("trig",), cache=True)
    assert again.reuse["extracted"] == 0
    assert (cached / "qmgraph.trig").read_bytes() == (tmp_path / "plain" / "qmgraph.trig").read_bytes()
    assert sorted(n.key for n in again.corpus.notices) == sorted(n.key for n in plain.corpus.notices)
