"""Notices as published — web page, DOCX, PDF, legacy .doc — read to the same tree as the
plain-text notice they were made from (fixtures are built in memory by format_fixtures)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qmgraph.errors import InputError, ReaderUnavailable
from qmgraph.extract import extract_notice
from qmgraph.ingest import ingest_bytes
from qmgraph.ingest.formats import OLE2_MAGIC, sniff_kind, table_lines
from qmgraph.ingest.readers import pick_reader, read_document
from qmgraph.parse import parse_notice

try:
    from tests.ingest import format_fixtures as fx
except ImportError:  # tests/ is not a package in this checkout
    import format_fixtures as fx  # type: ignore[no-redef]


def tree_of(data: bytes, name: str):
    """(tree, extracted) for one file given as bytes."""
    tree = parse_notice(ingest_bytes(data, name))
    return tree, extract_notice(tree)


def summary(data: bytes, name: str, *, texts: bool = True) -> dict:
    """What must not depend on the format: header fields, blocks and activities."""
    tree, ex = tree_of(data, name)
    acts = [
        (a.text if texts else "", tuple(a.organizers), tuple(a.co_organizers),
         tuple(a.campaigns))
        for a in ex.activities
    ]
    return {
        "title": tree.title,
        "doc_number": tree.doc_number,
        "issued": tree.issued,
        "theme": tree.theme,
        "blocks": [(b.kind, b.name) for b in tree.blocks],
        "activities": acts,
    }


@pytest.fixture(scope="module")
def expected() -> dict:
    return summary(fx.NOTICE.encode("utf-8"), "notice.txt")


def test_plain_notice_is_a_good_reference(expected):
    assert expected["title"] == fx.TITLE
    assert expected["doc_number"] == fx.DOC_NUMBER
    assert expected["issued"] == "2023-08-25"
    orgs = [name for kind, name in expected["blocks"] if kind == "organizer"]
    assert orgs == ["市市场监管局", "市公安局", "市住房和城乡建设局", "市科学技术局", "市总工会"]
    acts = expected["activities"]
    assert any("昆仑2023" in a[3] for a in acts)
    assert any(a[1] == ("市科学技术局",) and a[2] == ("市教育局",) for a in acts)


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("charset", ["utf-8", "gb2312"])
def test_portal_page_reads_as_the_plain_notice(expected, charset):
    assert summary(fx.portal_page(charset), "notice.html") == expected


def test_portal_page_metadata_and_chrome():
    raw = read_document(fx.portal_page("gb2312"), "notice.html")
    assert raw.reader == "html"
    assert raw.encoding == "gb18030"
    assert raw.meta == {
        "index_no": "014000319/2023-00123",
        "doc_number": fx.DOC_NUMBER,
        "issuer": "苏州市市场监督管理局",
        "issued": "2023-08-25",
        "title": fx.TITLE,
    }
    for chrome in ("版权所有", "当前位置", "分享到", "相关文章", "索引号", "主题分类", "统计代码",
                   "打印本页", "政务公开", "浏览次数", "ICP备"):
        assert chrome not in raw.text, chrome
    lines = raw.text.splitlines()
    assert lines[0] == fx.DOC_NUMBER and lines[1] == fx.TITLE  # from the panel and the h1


def test_html_body_by_density_without_known_class(expected):
    page = fx.portal_page().replace(b'class="zoom" id="zoom"', b'class="x7"')
    assert summary(page, "notice.htm") == expected


def test_html_table_becomes_activity_lines():
    rows = "".join(
        "<tr>" + "".join(f"<td><p>{c}</p></td>" for c in r) + "</tr>" for r in fx.TABLE_ROWS
    )
    page = fx.portal_page().decode("utf-8")
    start = page.index("<p", page.index('id="zoom"'))
    att = page.index("<p", page.index("成员单位开展的主要活动") - 60)
    page = page[:att] + "<p>2023年全市“质量月”成员单位开展的主要活动</p>" \
        f'<table border="1">{rows}</table></div>' + page[page.index("</div>", att) + 6:]
    assert start < att
    _tree, ex = tree_of(page.encode("utf-8"), "notice.html")
    table_acts = [a for a in ex.activities if a.organizers != ["苏州市市场监督管理局"]]
    assert [a.organizers for a in table_acts] == [
        ["市市场监管局"], ["市公安局"], ["市住房和城乡建设局"], ["市科学技术局"], ["市总工会"]]
    assert table_acts[3].co_organizers == ["市教育局"]
    assert table_acts[1].campaigns == ["昆仑2023"]


def test_text_file_holding_html_is_read_as_html():
    name, _ = pick_reader(fx.portal_page(), "notice.txt")
    assert name == "html"


# ---------------------------------------------------------------- DOCX


def test_docx_reads_as_the_plain_notice(expected):
    assert summary(fx.notice_docx(), "notice.docx") == expected


def test_docx_word_list_numbering_is_rendered(expected):
    data = fx.notice_docx(word_numbering=True)
    text = read_document(data, "notice.docx").text
    assert "\n一、市市场监管局开展" in text and "\n五、市总工会组织" in text
    assert summary(data, "notice.docx") == expected


def test_docx_activity_table_gives_organizers_and_co_organizers(expected):
    got = summary(fx.notice_docx(table=True), "notice.docx", texts=False)
    want = {**expected, "activities": [("",) + a[1:] for a in expected["activities"]]}
    assert got == want
    _tree, ex = tree_of(fx.notice_docx(table=True), "notice.docx")
    cells = [r[1] for r in fx.TABLE_ROWS[1:]]
    table_acts = [a for a in ex.activities if a.block_index > 1]
    assert all(c in a.text for c, a in zip(cells, table_acts, strict=True))


def test_docx_named_doc_is_read_as_docx():
    raw = read_document(fx.notice_docx(), "notice.doc")
    assert raw.reader == "docx"


def test_docx_multilevel_numbering_formats():
    from qmgraph.ingest.formats.docx import chinese_number, format_number

    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 105)] == \
        ["一", "十", "十一", "二十", "二十一", "一百", "一百零五"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV"


def test_docx_numbering_levels_restart():
    import docx

    from qmgraph.ingest.formats.docx import Numbering, paragraph_text

    d = docx.Document()
    num_id = fx._add_chinese_numbering(d)
    paras = []
    for text, lvl in [("活动主题", 0), ("活动内容", 0), ("宣传", 1), ("提升", 1), ("活动要求", 0),
                      ("组织", 1)]:
        p = d.add_paragraph(text)
        fx._set_num(p, num_id, lvl)
        paras.append(p._p)
    from io import BytesIO
    from zipfile import ZipFile

    buf = BytesIO()
    d.save(buf)
    nb = Numbering.load(ZipFile(buf))
    assert [paragraph_text(p, nb) for p in paras] == [
        "一、活动主题", "二、活动内容", "（一）宣传", "（二）提升", "三、活动要求", "（一）组织"]


# ---------------------------------------------------------------- PDF


def test_pdf_reads_as_the_plain_notice(expected):
    assert summary(fx.notice_pdf(), "notice.pdf") == expected


@pytest.mark.parametrize("chars,lines", [(20, 9), (22, 13), (33, 11), (30, 17)])
def test_pdf_layouts_rebuild_the_same_paragraphs(chars, lines):
    data = fx.notice_pdf(chars_per_line=chars, lines_per_page=lines)
    got = [ln for ln in read_document(data, "notice.pdf").text.splitlines() if ln]
    assert got == fx.paragraphs()


def test_pdf_sentence_broken_across_pages_is_joined():
    from qmgraph.ingest.formats.pdf import pdf_lines

    data = fx.notice_pdf(chars_per_line=26, lines_per_page=12)
    lines = [ln for ln in pdf_lines(data, "notice.pdf") if not ln.text.startswith("—")]
    # The fixture really breaks paragraphs at page ends: find them ...
    split = [p for p in fx.paragraphs()
             if len({ln.page for ln in lines if ln.text in p and len(ln.text) > 3}) > 1]
    assert split, "fixture should break a paragraph across pages"
    # ... and each comes back whole, without the page numbers.
    text = read_document(data, "notice.pdf").text
    for p in split:
        assert p in text.splitlines()
    assert "— 1 —" not in text and "— 2 —" not in text


def test_pdf_running_header_dropped():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    from io import BytesIO

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for page in range(1, 4):
        c.setFont("STSong-Light", 9)
        c.drawCentredString(297, 810, "苏州市市场监督管理局行政规范性文件")
        c.drawCentredString(297, 30, f"第{page}页 共3页")
        c.setFont("STSong-Light", 12)
        c.drawString(72, 700, f"（{'一二三'[page - 1]}）第{page}项工作安排。")
        c.showPage()
    c.save()
    text = read_document(buf.getvalue(), "x.pdf").text
    assert "行政规范性文件" not in text and "共3页" not in text
    assert text.splitlines() == ["（一）第1项工作安排。", "（二）第2项工作安排。", "（三）第3项工作安排。"]


def test_scanned_pdf_raises_a_clear_error():
    with pytest.raises(InputError, match=r"PDF has no text layer \(scanned image\?\); OCR it first"):
        ingest_bytes(fx.scanned_pdf(), "scan.pdf")


def test_broken_pdf_is_an_input_error():
    with pytest.raises(InputError):
        ingest_bytes(b"%PDF-1.4\n" + b"garbage " * 50, "broken.pdf")


# ---------------------------------------------------------------- .doc


def test_ole2_magic_is_sniffed_as_doc():
    data = OLE2_MAGIC + b"\x00" * 1000
    assert sniff_kind(data) == "ole2"
    assert pick_reader(data, "notice.txt")[0] == "doc"
    assert pick_reader(data, "notice.wps")[0] == "doc"


def test_doc_without_converters_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReaderUnavailable, match="apt-get install antiword"):
        ingest_bytes(OLE2_MAGIC + b"\x00" * 1000, "notice.doc")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
def test_doc_that_antiword_cannot_read_is_an_input_error():
    with pytest.raises(InputError, match="antiword"):
        ingest_bytes(OLE2_MAGIC + b"\x00" * 1000, "notice.doc")


def test_antiword_table_rows_become_activity_lines():
    from qmgraph.ingest.formats.doc import antiword_tables

    text = "附件1\n|序号|活动内容        |牵头部门  |配合部门|\n|1   |开展科普活动|市科学技术局|市教育局|\n尾"
    assert antiword_tables(text).splitlines() == [
        "附件1", "1、市科学技术局联合市教育局：开展科普活动。", "尾"]


# ---------------------------------------------------------------- shared


def test_table_lines_header_groups_and_spans():
    rows = [
        ["序号", "活动名称", "时间", "牵头单位", "参与单位"],
        ["一、宣传活动", "一、宣传活动", "一、宣传活动", "一、宣传活动", "一、宣传活动"],
        ["", "举办启动仪式。", "9月1日", "市市场监管局、市总工会", "市教育局，市科协等"],
    ]
    assert table_lines(rows) == [
        "一、宣传活动",
        "1、市市场监管局联合市总工会、市教育局、市科协：举办启动仪式（时间：9月1日）。",
    ]
    assert table_lines([["名称", "地址"], ["市场监管局", "人民路1号"]]) == [
        "名称\t地址", "市场监管局\t人民路1号"]


def test_sniffing_is_by_content_first():
    assert pick_reader(fx.notice_pdf(), "notice.txt")[0] == "pdf"
    assert pick_reader(fx.notice_docx(), "notice.pdf")[0] == "docx"
    assert pick_reader(fx.NOTICE.encode(), "notice.html")[0] == "html"  # no content kind
    assert pick_reader(fx.NOTICE.encode(), "notice.txt")[0] == "text"


def test_mixed_folder_builds_in_one_command(tmp_path: Path):
    from qmgraph.pipeline import expand_inputs, extract_paths

    (tmp_path / "a.txt").write_text(fx.NOTICE, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(fx.portal_page("gb2312"))
    (tmp_path / "c.docx").write_bytes(fx.notice_docx(table=True))
    (tmp_path / "d.pdf").write_bytes(fx.notice_pdf())
    done, problems = extract_paths(expand_inputs([tmp_path]))
    assert len(done) == 4, problems
    assert not [p for p in problems if p.fatal]
    assert sorted(n.tree.source.reader for n in done) == ["docx", "html", "pdf", "text"]
    assert {n.tree.title for n in done} == {fx.TITLE}


def test_mixed_folder_reports_the_scan_and_goes_on(tmp_path: Path):
    from qmgraph.pipeline import expand_inputs, extract_paths

    (tmp_path / "a.txt").write_text(fx.NOTICE, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(fx.scanned_pdf())
    done, problems = extract_paths(expand_inputs([tmp_path]))
    assert len(done) == 1
    assert any("no text layer" in p.message for p in problems)


def test_fixture_module_exists():
    assert os.path.exists(fx.__file__)


def test_pdf_letter_spaced_letterhead_has_no_spaces():
    from io import BytesIO

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont("STSong-Light", 22)
    c.drawCentredString(297, 760, "苏州市市场监督管理局文件", charSpace=12)
    c.setFont("STSong-Light", 12)
    c.drawString(120, 700, "推进质量强国建设")
    c.drawString(240, 700, "推动高质量发展")
    c.showPage()
    c.save()
    assert read_document(buf.getvalue(), "x.pdf").text.splitlines() == [
        "苏州市市场监督管理局文件", "推进质量强国建设 推动高质量发展"]


def test_html_site_name_heading_is_not_taken_for_a_title():
    page = (b"<html><body><h1>\xe8\x8b\x8f\xe5\xb7\x9e\xe5\xb8\x82\xe4\xba\xba\xe6\xb0\x91"
            b"\xe6\x94\xbf\xe5\xba\x9c</h1><div class='content'>"
            + "".join(f"<p>{p}</p>" for p in fx.paragraphs()).encode("utf-8")
            + b"</div></body></html>")
    raw = read_document(page, "x.html")
    assert raw.text.splitlines() == fx.paragraphs()
