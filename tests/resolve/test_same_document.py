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


def _mirrored(text: str) -> str:
    """``text`` as a mirror site keeps it: portal chrome and a spam line above, lines
    wrapped at another width, traditional script, a related-news list below."""
    import opencc

    wrapped = "\n".join(para[i:i + 37] for para in text.split("\n") if para
                        for i in range(0, len(para), 37))
    trad = opencc.OpenCC("s2t").convert(wrapped)
    return ("首页 > 新闻中心 > 正文\n字体：大 中 小 【打印】 【纠错】\n"
            f"{trad}\n责任编辑：王芳\n相关新闻：\n- 某县开展食品安全宣传周活动2022-09-01\n"
            "扫一扫在手机打开当前页\n")


RELEASE = """岳池县2022年“质量月”活动正式启动
来源：岳池县市场监督管理局 发布时间：2022-09-06 09:30
9月5日上午，岳池县2022年“质量月”活动启动仪式在县城九龙广场举行。活动由县市场监督管理局主办，县教育局、县住房和城乡建设局、县经济和信息化局等单位协办。
今年“质量月”活动的主题是“质量强国建设 质量月”。县市场监管局携手县人社局、县总工会等18个部门，将在9月组织开展“计量服务进企业”“质量开放日”“电梯安全守护”等36项活动。
启动仪式上，县市场监管局向群众发放质量安全宣传资料2000余份，现场解答质量咨询120人次，并为3家企业颁发了县长质量奖。
下一步，县市场监管局将联合县应急管理局开展特种设备安全隐患排查整治，联合县农业农村局开展农资产品质量抽检，切实守牢质量安全底线。
"""

OTHER_RELEASE = """岳池县召开2022年质量工作推进会
来源：岳池县人民政府 发布时间：2022-09-20 16:00
9月19日，岳池县召开2022年质量工作推进会，总结“质量月”活动开展情况，部署下一阶段质量强县工作。
会议通报了全县产品质量监督抽查情况，对质量提升行动进展较好的乡镇和部门进行了通报表扬。
县市场监管局、县工业和信息化局、县住房和城乡建设局等20个部门负责同志参加会议。
"""


def test_a_mirror_with_residue_and_a_cut_copy_are_one_document(tmp_path: Path) -> None:
    """A release without doc number, mirrored with chrome, spam, traditional script and
    other line breaks, and a copy cut at two thirds: one document, kept once."""
    cut = RELEASE[: len(RELEASE) * 2 // 3]
    r = _build({"a.txt": RELEASE, "b-mirror.txt": _mirrored(RELEASE), "c-cut.txt": cut},
               tmp_path)
    assert len(r.corpus.notices) == 1
    once = {Path(p.path).name for p in r.problems if "kept once" in p.message}
    assert once == {"b-mirror.txt", "c-cut.txt"}


def test_two_documents_of_one_place_and_year_stay_two(tmp_path: Path) -> None:
    """A launch release and a meeting report of the same county and year share words and
    names, not their text: both are kept, and a mirror of each is still merged."""
    r = _build({"a.txt": RELEASE, "b.txt": OTHER_RELEASE, "b-mirror.txt": _mirrored(OTHER_RELEASE)},
               tmp_path)
    kept = sorted(Path(n.tree.source.path).name for n in r.corpus.notices)
    assert len(kept) == 2 and kept[0] == "a.txt" and kept[1] in {"b.txt", "b-mirror.txt"}


def test_same_document_estimate_is_near_exact() -> None:
    """The sketch's share of shingles: full text in a cut copy's terms is ~1, two
    different texts near 0; the estimate rests on more shingles than the minimum."""
    from qmgraph.model import sketch_containment, text_sketch

    full, cut = text_sketch(RELEASE), text_sketch(RELEASE[: len(RELEASE) // 2])
    share, sample = sketch_containment(full, cut)
    assert share > 0.95 and sample >= 12
    share, _ = sketch_containment(full, text_sketch(OTHER_RELEASE))
    assert share < 0.2


def test_sketch_is_the_smallest_shingle_hashes() -> None:
    """A sketch is, by definition, the 256 smallest 6-byte SHA-1 prefixes of the text's
    6-character shingles (punctuation and spaces removed), sorted: pinned here so that a
    faster way of making it cannot change which copies are merged."""
    import hashlib
    import re

    from qmgraph.model import SHINGLE, SKETCH_SIZE, text_sketch

    for text in (RELEASE, OTHER_RELEASE, "短文", "质量月，质量月。质量月", ""):
        chars = re.sub(r"[\W_]+", "", text)
        grams = {chars[i:i + SHINGLE] for i in range(max(0, len(chars) - SHINGLE + 1))}
        want = sorted({hashlib.sha1(g.encode()).digest()[:6] for g in grams})[:SKETCH_SIZE]
        assert text_sketch(text) == b"".join(want)


#: A county notice as a city's template gives it to each county: only the names differ.
TEMPLATE = """{p}市场监督管理局关于开展2023年“质量月”活动的通知

各乡镇人民政府，有关单位：
为深入贯彻落实质量强国建设纲要，按照上级部署，决定在全县范围内开展2023年“质量月”活动。现将有关事项通知如下：
一、活动主题
质量强国建设　品质生活先行
二、主要活动
（一）举办“质量月”启动仪式。9月上旬，在人民广场举办“质量月”启动仪式，开展质量咨询服务。
（二）开展质量提升行动。组织重点企业开展质量比对和质量攻关活动，提升产品质量水平。
（三）开展计量服务进企业活动。组织计量技术人员走进企业，开展计量器具免费检定服务。
（四）开展标准化宣传活动。在各乡镇开展标准化知识宣传，发放宣传资料。
三、工作要求
各单位要高度重视，加强组织领导，认真制定方案，确保活动取得实效。活动结束后，请于10月10日前将工作总结报送局质量发展股。

{p}市场监督管理局
2023年8月25日
"""


def test_one_template_in_two_unknown_places_stays_two(tmp_path: Path) -> None:
    """Two counties the gazetteer does not know fill one template: an unknown place is no
    evidence of the same place, so most text in common does not make them one document."""
    r = _build({"a.txt": TEMPLATE.format(p="青石岭县"), "b.txt": TEMPLATE.format(p="白云川县")},
               tmp_path)
    assert all(n.jurisdiction is None for n in r.corpus.notices)
    assert len(r.corpus.notices) == 2
    assert not any("kept once" in p.message for p in r.problems)


def test_sketches_are_worked_out_only_for_notices_compared(corpus, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A build without cache hashes the shingles of a text only when another notice of its
    place and year is compared with it; a cached build keeps every notice's sketch in its
    record, so that its rebuilds never read a notice again for it."""
    import qmgraph.model

    folder, numbered = corpus
    alone = _text(folder, numbered[0]["file"])  # a synthetic notice of another place
    # a copy cut at two thirds is found by its sketch (its text and bytes differ)
    files = {"a.txt": RELEASE, "b-cut.txt": RELEASE[: len(RELEASE) * 2 // 3], "c.txt": alone}
    hashed: list[str] = []
    real = qmgraph.model.text_sketch

    def counted(text: str, size: int = qmgraph.model.SKETCH_SIZE) -> bytes:
        hashed.append(text)
        return real(text, size)

    monkeypatch.setattr(qmgraph.model, "text_sketch", counted)
    r = _build(files, tmp_path / "nocache")
    assert len(hashed) == 2  # a.txt and b-cut.txt, not c.txt
    assert {Path(p.path).name for p in r.problems if "kept once" in p.message} == {"b-cut.txt"}
    assert r.counts["notices"] == 2
    src = tmp_path / "nocache" / "in"
    outs = []
    for run, sketched in (("first", 3), ("again", 0)):
        hashed.clear()
        res = build([src], tmp_path / "cached", validate=False, formats=("nt",), cache=True)
        assert {Path(p.path).name for p in res.problems if "kept once" in p.message} \
            == {"b-cut.txt"}
        assert len(hashed) == sketched, run
        outs.append((tmp_path / "cached" / "qmgraph.nt").read_bytes())
    assert outs[0] == outs[1] == (tmp_path / "nocache" / "out" / "qmgraph.nt").read_bytes()
