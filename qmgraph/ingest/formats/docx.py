"""Word 2007+ (.docx, and WPS files saved as DOCX): paragraphs and tables in order.

The body is walked in document order (paragraphs, tables, content controls). Automatic
list numbering is rendered as Word shows it: the level's ``lvlText`` ("%1、", "（%1）")
with each counter in its ``numFmt`` (chineseCounting → 一, decimal → 1, …) from
``word/numbering.xml``, numbering set on the paragraph or through its style. Tables go
through ``qmgraph.ingest.formats.table_lines`` with merged cells repeated, so an activity
table (牵头部门/配合部门) yields organizer and co-organizer lines. Deleted revisions, hidden
text and the Fallback copies of text boxes are skipped; headers and footers are not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

from qmgraph.errors import InputError
from qmgraph.ingest.formats import chinese_number, join_cell_paragraphs, sniffer, table_lines
from qmgraph.ingest.readers import RawDocument, register

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el: etree._Element | None, default: str = "") -> str:
    if el is None:
        return default
    return el.get(_w("val"), default)


# ---------------------------------------------------------------- number formats

_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → aa
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)


#: Word's ``numFmt`` → the counter as text (:func:`format_number`).
_NUM_FORMATS: dict[str, Callable[[int], str]] = {
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "japaneseCounting",
                     "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"),
                    chinese_number),
    **dict.fromkeys(("chineseLegalSimplified", "japaneseLegal"),
                    lambda n: chinese_number(n, _CN_LEGAL, "拾")),
    "ideographTraditional": lambda n: _TIANGAN[(n - 1) % 10],
    "ideographZodiac": lambda n: _DIZHI[(n - 1) % 12],
    **dict.fromkeys(("decimalEnclosedCircle", "decimalEnclosedCircleChinese"), _circled),
    **dict.fromkeys(("decimalFullWidth", "decimalFullWidth2"),
                    lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n))),
    "decimalZero": lambda n: f"{n:02d}",
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
    **dict.fromkeys(("none", "bullet"), lambda n: ""),
}


def format_number(n: int, fmt: str) -> str:
    """Counter ``n`` in Word's ``numFmt`` ``fmt``; unknown formats fall back to decimal."""
    return _NUM_FORMATS.get(fmt, str)(n)


# ---------------------------------------------------------------- numbering definitions


def _num_pr(numpr: etree._Element) -> tuple[str | None, int | None]:
    """(numId, ilvl) a ``w:numPr`` sets; None for one it leaves out."""
    nid, lv = numpr.find(_w("numId")), numpr.find(_w("ilvl"))
    return _val(nid) if nid is not None else None, int(_val(lv, "0")) if lv is not None else None


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


@dataclass
class Numbering:
    """Word list definitions and the running counters of one document."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    style_num: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    style_based: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, zf: zipfile.ZipFile) -> Numbering:
        """Read ``word/numbering.xml`` and the numbering of ``word/styles.xml``."""
        nb = cls()
        names = set(zf.namelist())
        if "word/numbering.xml" in names:
            root = etree.fromstring(zf.read("word/numbering.xml"))
            for an in root.iter(_w("abstractNum")):
                levels: dict[int, _Level] = {}
                for lvl in an.iter(_w("lvl")):
                    ilvl = int(lvl.get(_w("ilvl"), "0"))
                    levels[ilvl] = _Level(fmt=_val(lvl.find(_w("numFmt")), "decimal"),
                                          text=_val(lvl.find(_w("lvlText")), ""),
                                          start=int(_val(lvl.find(_w("start")), "1") or 1),
                                          legal=lvl.find(_w("isLgl")) is not None)
                nb.abstract[an.get(_w("abstractNumId"), "")] = levels
            for num in root.iter(_w("num")):
                overrides: dict[int, int] = {}
                for ov in num.iter(_w("lvlOverride")):
                    so = ov.find(_w("startOverride"))
                    if so is not None:
                        overrides[int(ov.get(_w("ilvl"), "0"))] = int(_val(so, "1") or 1)
                nb.nums[num.get(_w("numId"), "")] = (_val(num.find(_w("abstractNumId"))),
                                                     overrides)
        if "word/styles.xml" in names:
            root = etree.fromstring(zf.read("word/styles.xml"))
            for st in root.iter(_w("style")):
                sid = st.get(_w("styleId"), "")
                based = st.find(_w("basedOn"))
                if based is not None:
                    nb.style_based[sid] = _val(based)
                numpr = st.find(f"{_w('pPr')}/{_w('numPr')}")
                if numpr is not None:
                    nb.style_num[sid] = _num_pr(numpr)
        return nb

    def _style_numbering(self, style: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_based.get(style, "")
        return None, None

    def label(self, p: etree._Element) -> str:
        """The list label Word shows before paragraph ``p`` ("" when not numbered)."""
        ppr = p.find(_w("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                num_id, ilvl = _num_pr(numpr)
            if num_id is None:
                style = _val(ppr.find(_w("pStyle")))
                s_num, s_lvl = self._style_numbering(style)
                num_id = s_num
                ilvl = s_lvl if ilvl is None else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})

        def start(k: int) -> int:
            return overrides.get(k, levels[k].start if k in levels else 1)

        counters[ilvl] = counters.get(ilvl, start(ilvl) - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        if lvl.fmt == "bullet":
            return ""
        text = lvl.text
        for k in range(ilvl, -1, -1):
            placeholder = f"%{k + 1}"
            if placeholder in text:
                fmt = "decimal" if (lvl.legal and k != ilvl) else \
                    levels.get(k, _Level()).fmt
                text = text.replace(placeholder, format_number(counters.get(k, start(k)), fmt))
        return text


# ---------------------------------------------------------------- text


def _run_text(el: etree._Element, out: list[str]) -> None:
    """Visible text under ``el`` in order (w:t, tabs, breaks); skips deletions, hidden runs
    and the Fallback copy of text boxes."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in (_w("del"), f"{{{MC}}}Fallback", _w("instrText"), _w("delText")):
            continue
        if tag == _w("r"):
            rpr = child.find(_w("rPr"))
            if rpr is not None and rpr.find(_w("vanish")) is not None:
                continue
        if tag == _w("t"):
            out.append(child.text or "")
        elif tag == _w("tab") and el.tag == _w("r"):
            out.append("\t")
        elif tag in (_w("br"), _w("cr")):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == _w("pPr") or tag == _w("rPr"):
            continue
        elif tag == _w("p"):  # a paragraph of a text box inside this one: its own line
            out.append("\n")
            _run_text(child, out)
            out.append("\n")
        else:
            _run_text(child, out)


def paragraph_text(p: etree._Element, numbering: Numbering) -> str:
    """A paragraph's text with its list label in front."""
    out: list[str] = []
    _run_text(p, out)
    return numbering.label(p) + "".join(out)


def _cell_text(tc: etree._Element, numbering: Numbering) -> str:
    return join_cell_paragraphs([paragraph_text(el, numbering).replace("\n", "；")
                                 for el in tc.iter(_w("p"))])


def table_rows(tbl: etree._Element, numbering: Numbering) -> list[list[str]]:
    """Rows of cell texts; a horizontally merged cell fills its first column, a vertically
    merged cell repeats the value above it."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(_w("tr")):
        row: list[str] = []
        for tc in tr.iter(_w("tc")):
            if tc.getparent() is not tr and tc.getparent().tag != _w("sdtContent"):
                continue  # a nested table's cell
            tcpr = tc.find(_w("tcPr"))
            span = 1
            vmerge: str | None = None
            if tcpr is not None:
                gs = tcpr.find(_w("gridSpan"))
                span = int(_val(gs, "1") or 1) if gs is not None else 1
                vm = tcpr.find(_w("vMerge"))
                if vm is not None:
                    vmerge = _val(vm, "continue")
            col = len(row)
            if vmerge == "continue" and rows and col < len(rows[-1]):
                text = rows[-1][col]
            else:
                text = _cell_text(tc, numbering)
            row.append(text)
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def _walk(container: etree._Element, numbering: Numbering, lines: list[str]) -> None:
    for el in container:
        if el.tag == _w("p"):
            lines.extend(paragraph_text(el, numbering).split("\n"))
        elif el.tag == _w("tbl"):
            rows = table_rows(el, numbering)
            if max((len(r) for r in rows), default=0) <= 1:
                lines.extend(c for r in rows for c in r)  # a one-column frame, not data
            else:
                lines.extend(table_lines(rows))
        elif el.tag in (_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag")):
            _walk(el, numbering, lines)


@register("docx", sniffer("docx", ("docx", "docm", "dotx", "wps")))
def read_docx(data: bytes, path: str) -> RawDocument:
    """Read a DOCX: body paragraphs and tables in order, one paragraph per line."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise InputError("not a Word document (no word/document.xml in the zip)",
                                 path=path)
            numbering = Numbering.load(zf)
            root = etree.fromstring(zf.read("word/document.xml"),
                                    parser=etree.XMLParser(resolve_entities=False,
                                                           huge_tree=True))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise InputError(f"broken DOCX: {exc}", path=path) from exc
    body = root.find(_w("body"))
    if body is None:
        raise InputError("DOCX has no body", path=path)
    lines: list[str] = []
    _walk(body, numbering, lines)
    text = "\n".join(ln.rstrip() for ln in lines)
    if not text.strip():
        raise InputError("DOCX holds no text", path=path)
    return RawDocument(text=text + "\n", encoding="utf-8", reader="docx")


__all__ = ["read_docx", "Numbering", "chinese_number", "format_number", "paragraph_text"]
