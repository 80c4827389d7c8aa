"""One short notice written for the format tests, and builders that publish it as a web
page, DOCX (paragraphs, or an activity table), and PDF — all made in memory."""

from __future__ import annotations

import html
from io import BytesIO

NOTICE = """苏州市市场监督管理局文件

苏市监质〔2023〕15号

关于开展2023年全市“质量月”活动的通知

各区市场监管局，市质量强市工作领导小组各成员单位：

为深入贯彻落实《质量强国建设纲要》，按照市场监管总局等部门《关于开展2023年全国“质量月”活动的通知》要求，经研究，决定于9月在全市开展“质量月”活动。现将有关事项通知如下：

一、活动主题

推进质量强国建设 推动高质量发展

二、活动内容

（一）开展质量宣传活动。各区要结合实际举办“质量月”活动启动仪式，充分利用报刊、广播电视和新媒体宣传质量工作成效，普及质量知识，营造全社会关注质量的良好氛围。

（二）开展质量提升行动。围绕重点产业链开展质量攻关，组织质量基础设施“一站式”服务进园区、进企业，帮助中小企业解决质量难题，提升产品和服务质量水平。

苏州市市场监督管理局

2023年8月25日

附件1

2023年全市“质量月”成员单位开展的主要活动

一、市市场监管局开展质量基础设施“一站式”服务活动，组织检验检测机构开放日，举办全市质量管理小组成果发表会。

二、市公安局围绕打击侵权假冒犯罪，紧密结合“昆仑2023”专项行动，侦破一批制售假冒伪劣商品案件。

三、市住房和城乡建设局开展工程质量安全月宣传，推广绿色建造技术，提升住宅工程质量水平。

四、市科学技术局联合市教育局开展质量科普进校园活动，普及质量安全知识。

五、市总工会组织开展职工质量创新成果展示活动，弘扬劳模精神和工匠精神。
"""

DOC_NUMBER = "苏市监质〔2023〕15号"
TITLE = "关于开展2023年全市“质量月”活动的通知"

#: The attachment as an activity table: 序号, 活动内容, 牵头部门, 配合部门.
TABLE_ROWS = [
    ["序号", "活动内容", "牵头部门", "配合部门"],
    ["1", "开展质量基础设施“一站式”服务活动，组织检验检测机构开放日", "市市场监管局", ""],
    ["2", "紧密结合“昆仑2023”专项行动，侦破一批制售假冒伪劣商品案件", "市公安局", ""],
    ["3", "开展工程质量安全月宣传，推广绿色建造技术", "市住房和城乡建设局", ""],
    ["4", "开展质量科普进校园活动，普及质量安全知识", "市科学技术局", "市教育局"],
    ["5", "组织开展职工质量创新成果展示活动", "市总工会", ""],
]


def paragraphs(text: str = NOTICE) -> list[str]:
    """The notice's paragraphs (non-empty lines)."""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def body_and_attachment(text: str = NOTICE) -> tuple[list[str], list[str]]:
    """(paragraphs before "附件1", paragraphs from "附件1" on)."""
    paras = paragraphs(text)
    i = paras.index("附件1")
    return paras[:i], paras[i:]


# ---------------------------------------------------------------- HTML


def portal_page(charset: str = "utf-8") -> bytes:
    """The notice as a city portal article page, with all the usual chrome around it."""
    body, att = body_and_attachment()
    # The page shows title and doc number in its own header/panel, not in the article.
    article = [p for p in body if p not in (DOC_NUMBER, TITLE, "苏州市市场监督管理局文件")]
    paras = "\n".join(
        f'<p style="text-indent:2em">&nbsp;&nbsp;{html.escape(p)}</p>' for p in article + att
    )
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{TITLE}_苏州市人民政府</title>
<script>var _hmt = _hmt || []; document.write("质量月统计代码");</script>
<style>.zoom {{ font-size: 16px; }}</style></head>
<body>
<div class="header"><div class="logo">苏州市人民政府</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/xwzx">新闻中心</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<div class="main">
<table class="xxgk-info">
<tr><td>索引号：</td><td>014000319/2023-00123</td><td>发文字号：</td><td>{DOC_NUMBER}</td></tr>
<tr><td>发布机构：</td><td>苏州市市场监督管理局</td><td>成文日期：</td><td>2023年08月25日</td></tr>
<tr><td>主题分类：</td><td>市场监管、安全生产监管</td><td>标题：</td><td>{TITLE}</td></tr>
</table>
<h1 class="article-title">{TITLE}</h1>
<div class="info">发布时间：2023-08-28 浏览次数：1024</div>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div class="zoom" id="zoom">
{paras}
</div>
<div class="tools">【打印本页】【关闭窗口】</div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a1">关于开展2022年全市“质量月”活动的通知</a></li>
<li><a href="/a2">市市场监管局召开质量工作会议</a></li></ul></div>
</div>
<div class="footer"><p>主办：苏州市人民政府办公室 版权所有</p>
<p>苏ICP备05002138号 网站标识码：3205000003</p></div>
</body></html>
"""
    return page.encode(charset)


# ---------------------------------------------------------------- DOCX


def notice_docx(*, table: bool = False, word_numbering: bool = False) -> bytes:
    """The notice as a Word document; ``table``: the attachment as an activity table;
    ``word_numbering``: the attachment's "一、" labels made by Word list numbering."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    body, att = body_and_attachment()
    for p in body:
        para = d.add_paragraph(p)
        if p in (TITLE, DOC_NUMBER, "苏州市市场监督管理局文件"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para.paragraph_format.first_line_indent = Pt(32)
    d.add_page_break()
    d.add_paragraph(att[0])
    d.add_paragraph(att[1]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if table:
        t = d.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
        for r, row in enumerate(TABLE_ROWS):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    elif word_numbering:
        num_id = _add_chinese_numbering(d)
        for p in att[2:]:
            para = d.add_paragraph(p.split("、", 1)[1])
            _set_num(para, num_id, 0)
    else:
        for p in att[2:]:
            d.add_paragraph(p)
    buf = BytesIO()
    d.save(buf)
    return buf.getvalue()


def _add_chinese_numbering(d) -> int:
    """Add an abstract list whose level 0 reads "一、" (chineseCounting) and return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return 90


def _set_num(para, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = para._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


# ---------------------------------------------------------------- PDF


def notice_pdf(*, chars_per_line: float = 26, lines_per_page: int = 14) -> bytes:
    """The notice typeset by reportlab in STSong-Light: paragraphs wrapped at the right
    margin (mid-sentence), a 2-character first-line indent, centered title lines, right-
    aligned signature, "— N —" page numbers, and page breaks wherever they fall."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, size = "STSong-Light", 12.0
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = 595.0, 842.0
    text_w = chars_per_line * size
    left = (width - text_w) / 2
    right = left + text_w
    lead = size * 1.8
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setFont(font, size)
    state = {"page": 1, "line": 0}

    def new_page() -> None:
        c.setFont(font, 10)
        c.drawCentredString(width / 2, 40, f"— {state['page']} —")
        c.showPage()
        c.setFont(font, size)
        state["page"] += 1
        state["line"] = 0

    def y() -> float:
        return height - 90 - state["line"] * lead

    def emit(draw) -> None:
        if state["line"] >= lines_per_page:
            new_page()
        draw(y())
        state["line"] += 1

    def wrap(text: str, first_indent: float) -> list[str]:
        out, cur, avail = [], "", text_w - first_indent
        for ch in text:
            if pdfmetrics.stringWidth(cur + ch, font, size) > avail:
                out.append(cur)
                cur, avail = "", text_w
            cur += ch
        if cur:
            out.append(cur)
        return out

    body, att = body_and_attachment()
    for p in body + att:
        centered = p in (TITLE, DOC_NUMBER, "苏州市市场监督管理局文件", att[1])
        if p == "附件1":
            new_page()
        if centered:
            emit(lambda yy, p=p: c.drawCentredString(width / 2, yy, p))
        elif p in ("苏州市市场监督管理局", "2023年8月25日"):
            emit(lambda yy, p=p: c.drawRightString(right - 2 * size, yy, p))
        elif p == "附件1" or (p.endswith("：") and len(p) < 30):
            emit(lambda yy, p=p: c.drawString(left, yy, p))
        else:
            for k, ln in enumerate(wrap(p, 2 * size)):
                x = left + (2 * size if k == 0 else 0)
                emit(lambda yy, x=x, ln=ln: c.drawString(x, yy, ln))
        state["line"] += 0.3  # paragraph spacing
    new_page()
    c.save()
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF with only shapes on it — no text layer, as a scanner's output."""
    from reportlab.pdfgen import canvas

    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for k in range(20):  # grey bars where the lines of text would be
        c.rect(72, 700 - k * 20, 400, 8, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()
