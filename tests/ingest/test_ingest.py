"""ingest: encodings, script conversion, width/spacing, residue, line joining, offsets."""

from __future__ import annotations

import codecs

import opencc
import pytest

from qmgraph.errors import EncodingError, InputError
from qmgraph.ingest import ingest_bytes
from qmgraph.ingest.decode import decode_bytes

NOTICE = (
    "关于开展2023年全市“质量月”活动的通知\n"
    "各区市场监管局，市直有关单位：\n"
    "为深入实施质量强市战略，现就开展2023年全市“质量月”活动有关事项通知如下：\n"
    "一、活动主题\n"
    "推动质量变革创新 促进质量强国建设\n"
)


@pytest.mark.parametrize(
    "encoding,expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
    ],
)
def test_simplified_encodings_are_detected(encoding, expected):
    text, enc = decode_bytes(NOTICE.encode(encoding), "n.txt")
    assert enc == expected
    assert text.lstrip("\ufeff") == NOTICE


def test_big5_traditional_notice_is_detected_and_converted():
    trad = opencc.OpenCC("s2tw").convert(NOTICE)  # Taiwan forms: all in Big5
    data = trad.encode("big5")
    src = ingest_bytes(data, "trad.txt")
    assert src.encoding == "big5"
    assert src.script == "traditional"
    assert "关于开展2023年全市“质量月”活动的通知" in src.text
    assert src.original == trad  # the original is kept as written


def test_empty_and_binary_inputs_raise_clear_errors():
    with pytest.raises(InputError, match="empty"):
        ingest_bytes(b"", "empty.txt")
    with pytest.raises(InputError, match="binary"):
        ingest_bytes(bytes(range(256)) * 20, "blob.txt")


def test_undecodable_bytes_name_the_file():
    # Invalid in UTF-8, GB18030 and Big5 alike: a lone 0x80 then 0xFF bytes.
    with pytest.raises((EncodingError, InputError)) as exc:
        ingest_bytes(b"\x80\xff\xfe\xff" * 50, "bad.txt")
    assert "bad.txt" in str(exc.value)


def test_width_and_punctuation_are_unified_with_offsets_kept():
    raw = "一、省公安厅:开展ＱＣ小组活动,推进“质量月”(九月)工作。\n"
    src = ingest_bytes(raw.encode(), "w.txt")
    assert src.text == "一、省公安厅：开展QC小组活动，推进“质量月”（九月）工作。"
    for i, ch in enumerate(src.text):
        orig = src.original[src.offsets[i]]
        assert orig == ch or ord(orig) > 0xFF00 or orig in ":,()"


def test_pdf_breaks_inside_sentences_are_rejoined():
    raw = (
        "（一）组织宣传活动，强化质量意识。深入学习宣传质量发展的重要论述，贯彻落实质量强省的工作要求，举办第十届全国\n"
        "\n"
        "品牌故事大赛海口赛区决赛活动，召开老字号等品牌座谈会。\n"
        "（二）围绕提档升级，提高质量水平。\n"
    )
    src = ingest_bytes(raw.encode(), "pdf.txt")
    lines = src.text.split("\n")
    assert lines[0].endswith("举办第十届全国品牌故事大赛海口赛区决赛活动，召开老字号等品牌座谈会。")
    assert lines[1].startswith("（二）")


def test_spaces_between_han_and_digits_go_but_theme_spaces_stay():
    raw = "联合 21 个部门决定于 9 月开展 2022 年全省“质量月”活动。\n活动主题\n推动质量变革创新 促进质量强国建设\n"
    src = ingest_bytes(raw.encode(), "s.txt")
    assert "联合21个部门决定于9月开展2022年全省" in src.text
    assert "推动质量变革创新 促进质量强国建设" in src.text


def test_web_residue_is_dropped_and_reported():
    raw = (
        "欢迎访问某某资讯网!\n"
        "首页 > 通知公告 > 正文\n"
        "关于开展2024年全县“质量月”活动的通知\n"
        "一、活动主题\n"
        "[bookmark: _GoBack]加强质量支撑 共建质量强县\n"
        "分享到：微信 微博\n"
        "9月3日，县市场监管局召开质量工作会...\n"
        "本站部分信息由相应民事主体自行提供。\n"
        "某某资讯网 版权所有 ICP备12345678号\n"
        "— 3 —\n"
    )
    src = ingest_bytes(raw.encode(), "web.txt")
    assert src.text.split("\n") == [
        "关于开展2024年全县“质量月”活动的通知",
        "一、活动主题",
        "加强质量支撑 共建质量强县",
    ]
    assert any("bookmark" in d for d in src.dropped)
    assert len(src.dropped) == 8


def test_offsets_map_every_character_back_to_the_original():
    raw = "  附件1\r\n\r\n2022年全省“质量月”活动 (试行)\r\n一、省水务厅  开展质量提升专项行动。\r\n"
    src = ingest_bytes(raw.encode("gb18030"), "o.txt")
    assert len(src.offsets) == len(src.text) + 1
    i = src.text.index("省水务厅")
    a, b = src.to_original(i, i + 4)
    assert src.original[a:b] == "省水务厅"


def test_too_large_file_is_refused(monkeypatch):
    import qmgraph.ingest as ing

    monkeypatch.setattr(ing, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="MB"):
        ingest_bytes(("质量" * 100).encode(), "big.txt")


def test_utf16_without_bom():
    data = NOTICE.encode("utf-16-le")
    assert not data.startswith(codecs.BOM_UTF16_LE)
    src = ingest_bytes(data, "u16.txt")
    assert src.encoding == "utf-16-le"
    assert src.text.startswith("关于开展2023年")


def test_rejoining_reads_only_the_end_of_a_long_paragraph():
    """Lines are glued by what the paragraph so far ends with, has and starts with, kept
    line by line: a 6 MB file of short unpunctuated lines used to take hours (each line
    re-scanned the whole paragraph)."""
    from qmgraph.ingest.normalize import normalize_lines

    # a long paragraph, then a doc number ending it: the next line starts a new one
    body = "".join(f"第{i}段没有标点的长文字内容在这里继续写下去直到换行为止\n" for i in range(3000))
    text, _offsets, _ = normalize_lines(body + "豫市监发〔2022〕10号\n下一行的内容\n")
    paragraphs = text.split("\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].endswith("〔2022〕10号") and paragraphs[1] == "下一行的内容"
    # a space early on does not make a long paragraph a roster row once a comma came later
    text, _offsets, _ = normalize_lines(
        "组织 开展质量宣传活动并在各地同步推进相关工作安排如下，请各单位认真组织\n"
        "落实有关要求并及时报送活动总结材料\n")
    assert "\n" not in text.strip()


def test_folder_walk_skips_files_that_are_never_notices(tmp_path):
    """A corpus folder may hold data beside its notices (truth.json of a synthetic corpus):
    a folder walk leaves such files alone; a file named on its own is still read."""
    from qmgraph.pipeline import expand_inputs

    for name in ("a.txt", "b.html", "c", "truth.json", "rows.csv", "scan.png", "README.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in expand_inputs([tmp_path])] == ["a.txt", "b.html", "c"]
    assert [p.name for p in expand_inputs([tmp_path / "truth.json"])] == ["truth.json"]


@pytest.mark.parametrize("text", ["咸阳市乾县市场监督管理局开展质量月活动", "咸陽市乾縣市場監督管理局開展質量月活動"])
def test_place_names_that_t2s_would_corrupt_survive_conversion(text):
    # OpenCC reads 乾 as traditional 干: 乾县 (Xianyang) would resolve to nothing or elsewhere.
    src = ingest_bytes(text.encode("utf-8"), "qian.txt")
    assert "乾县市场监督管理局" in src.text
    assert "干县" not in src.text
    # The guard restores place names only: elsewhere t2s still applies.
    assert "乾隆年间" in ingest_bytes("乾隆年間質量月".encode(), "q.txt").text


@pytest.mark.parametrize(("text", "name"), [
    ("玉溪市澂江市市場監管局開展質量月活動", "澄江市市场监管局"),
    ("鶴壁市濬縣市場監管局開展質量月活動", "浚县市场监管局"),
    ("玉溪市澄江市市场监管局开展质量月活动", "澄江市市场监管局"),
])
def test_place_names_that_do_not_come_back_from_traditional_script(text, name):
    # s2t writes 澄江 and 浚县 with the variants 澂 and 濬, which t2s keeps: a traditional-
    # script notice of 澄江市 resolved to 玉溪市 (two themes on its edition, QM-ED-005).
    assert name in ingest_bytes(text.encode("utf-8"), "cheng.txt").text


def test_every_digit_is_in_the_digit_class_the_punctuation_step_looks_around():
    # The comma of 1,000 and the colon of 10:30 keep their ASCII form between any two
    # characters str.isdigit accepts (², ①, ١…); the regex finding them must see them all.
    import re
    import sys

    from qmgraph.ingest.normalize import _DIGIT_LIKE, normalize_lines

    digit = re.compile(_DIGIT_LIKE)
    missed = [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isdigit() and not digit.match(chr(c))]
    assert missed == []
    assert normalize_lines("①，②与10：30，共1，000人:见http：//x\n")[0] == "①,②与10:30，共1,000人：见http://x"
