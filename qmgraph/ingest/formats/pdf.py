"""PDF: the text layer (pdfminer.six), with paragraphs rebuilt from the layout.

pdfminer gives text lines with positions. From them:

* running headers and footers go — a line in the top or bottom band of the page whose
  text (digits masked) comes back on at least half of the pages — and so do page numbers
  ("— 3 —", "- 3 -", "第3页", "3/5") in those bands;
* the text column is measured: the left margin is the most common line start, the right
  margin the furthest line end that several lines share;
* a line that is *full* (starts at the margin or at a paragraph indent and reaches the
  right margin) continues into the next line, unless the next one is indented, comes after
  a larger gap, or starts a numbered unit; this also joins a sentence broken by a page
  break. Short centered lines that follow each other (a title set over two lines) are
  joined too.

Line text is built from the glyphs themselves: pdfminer's guessed spaces are ignored, a
space is kept where the PDF has one or where glyphs stand far apart. A PDF with no text
layer raises ``InputError`` (OCR it first); it never reads as an empty notice.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

from qmgraph.errors import InputError
from qmgraph.ingest.formats import is_han, sniffer
from qmgraph.ingest.readers import RawDocument, register

NO_TEXT = "PDF has no text layer (scanned image?); OCR it first"

_PAGE_NUMBER = re.compile(
    r"^[-—–－~·\s]*\d{1,4}[-—–－~·\s]*$|^第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?$"
    r"|^\d+\s*/\s*\d+$|^page\s*\d+(\s*of\s*\d+)?$",
    re.IGNORECASE,
)
# A line that starts a unit never continues the line before it.
_UNIT_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、．]|附\s*件)"
)
_TERMINAL = tuple("。！？；：")


@dataclass
class PdfLine:
    """One text line with its box (PDF points, y upwards) and glyph size."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    page_height: float
    page_width: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _line_text(line) -> tuple[str, float]:
    """Text of a pdfminer text line from its glyphs, and its median glyph size."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return "", 0.0
    size = statistics.median(max(c.size, c.width) for c in chars)
    # Letter-spaced lines (a letterhead "苏 州 市 … 文 件"): even wide gaps are not spaces.
    han_gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False)
                if is_han(a.get_text()[:1]) and is_han(b.get_text()[:1])]
    spaced = (len(han_gaps) >= 3 and min(han_gaps) > 0.3 * size
              and max(han_gaps) - min(han_gaps) < 0.3 * size)
    out: list[str] = []
    prev = None
    for c in chars:
        t = c.get_text()
        if prev is not None and t != " " and out and out[-1] != " " and not spaced:
            gap = c.x0 - prev.x1
            a, b = out[-1][-1:], t[:1]
            if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
                if gap > 0.2 * size:
                    out.append(" ")
            elif gap > 0.8 * size:
                out.append(" ")
        out.append(t)
        prev = c
    return "".join(out).strip(), float(size)


def pdf_lines(data: bytes, path: str) -> list[PdfLine]:
    """All horizontal text lines of the PDF, page by page, top to bottom."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLineHorizontal
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    def walk(obj):
        if isinstance(obj, LTTextLineHorizontal):
            yield obj
            return
        if hasattr(obj, "__iter__"):
            for child in obj:
                yield from walk(child)

    out: list[PdfLine] = []
    try:
        for pno, page in enumerate(extract_pages(BytesIO(data), laparams=LAParams(
                line_margin=0.3, char_margin=3.0, detect_vertical=False))):
            pw, ph = page.width, page.height
            for ln in walk(page):
                text, size = _line_text(ln)
                if text:
                    out.append(PdfLine(pno, ln.x0, ln.x1, ln.y1, ln.y0, size, text, ph, pw))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(f"PDF is encrypted: {exc}", path=path) from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise InputError(f"broken PDF: {exc}", path=path) from exc
    out.sort(key=lambda ln: (ln.page, -round(ln.top, 0), ln.x0))
    return _merge_same_baseline(out)


def _merge_same_baseline(lines: list[PdfLine]) -> list[PdfLine]:
    """Pieces of one visual line (pdfminer splits at wide gaps) become one line."""
    merged: list[PdfLine] = []
    for ln in lines:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.page == ln.page
                and abs(prev.bottom - ln.bottom) < 0.3 * max(prev.size, ln.size)
                and ln.x0 >= prev.x1 - 1):
            sep = "" if ln.x0 - prev.x1 < 0.8 * prev.size else " "
            merged[-1] = PdfLine(prev.page, prev.x0, ln.x1, max(prev.top, ln.top),
                                 min(prev.bottom, ln.bottom), prev.size,
                                 prev.text + sep + ln.text, prev.page_height, prev.page_width)
        else:
            merged.append(ln)
    return merged


def drop_running_lines(lines: list[PdfLine]) -> tuple[list[PdfLine], list[str]]:
    """Remove page numbers and headers/footers repeated on most pages; return what went."""
    pages = {ln.page for ln in lines}
    band = 0.12

    def in_band(ln: PdfLine) -> str:
        if ln.top >= ln.page_height * (1 - band):
            return "top"
        if ln.bottom <= ln.page_height * band:
            return "bottom"
        return ""

    keys: Counter[tuple[str, str]] = Counter()
    for pno in pages:
        seen = {(in_band(ln), re.sub(r"\d+", "#", ln.text.replace(" ", "")))
                for ln in lines if ln.page == pno and in_band(ln)}
        keys.update(seen)
    need = max(2, (len(pages) + 1) // 2)
    kept: list[PdfLine] = []
    dropped: list[str] = []
    for ln in lines:
        b = in_band(ln)
        key = (b, re.sub(r"\d+", "#", ln.text.replace(" ", "")))
        if b and (_PAGE_NUMBER.match(ln.text) or (len(pages) >= 2 and keys[key] >= need)):
            dropped.append(ln.text)
            continue
        kept.append(ln)
    return kept, dropped


def _margins(lines: list[PdfLine], size: float) -> tuple[float, float]:
    """(left, right) margin of the text column.

    Left: the most common line start. Right: among lines starting at the margin or at a
    paragraph indent, the end shared (within one glyph) by the most lines — full lines of
    a paragraph; centered or right-aligned lines do not count.
    """
    lefts = Counter(round(ln.x0) for ln in lines)
    left = float(lefts.most_common(1)[0][0])
    ends = [ln.x1 for ln in lines if left - size <= ln.x0 <= left + 2.5 * size] \
        or [ln.x1 for ln in lines]
    best = max(ends, key=lambda x: (sum(1 for e in ends if x - size <= e <= x), x))
    return left, best


def build_paragraphs(lines: list[PdfLine]) -> list[str]:
    """Join text lines into paragraphs using the geometry (see the module docstring)."""
    if not lines:
        return []
    size = statistics.median(ln.size for ln in lines)
    left, right = _margins(lines, size)
    pitches = [a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False)
               if a.page == b.page and 0 < a.bottom - b.bottom < 4 * size]
    pitch = statistics.median(pitches) if pitches else 1.5 * size
    tol = 1.5 * size

    def full(ln: PdfLine) -> bool:
        # Reaches the right margin from the left margin or a paragraph indent; a line
        # inset evenly on both sides is a centered title, however wide.
        symmetric = ln.x0 > left + 0.3 * size and abs(ln.center - (left + right) / 2) < 0.5 * size
        return ln.x0 <= left + 2.5 * size and ln.x1 >= right - tol and not symmetric

    def indented(ln: PdfLine) -> bool:
        return ln.x0 > left + 0.8 * size

    def centered(ln: PdfLine) -> bool:
        mids = ((left + right) / 2, ln.page_width / 2)
        return indented(ln) and any(abs(ln.center - m) < 1.5 * size for m in mids) \
            and not full(ln)

    paras: list[str] = []
    prev: PdfLine | None = None
    for ln in lines:
        join = False
        if prev is not None:
            same_page = prev.page == ln.page
            gap_ok = (not same_page) or (prev.bottom - ln.bottom) <= 1.25 * pitch
            if full(prev) and not indented(ln) and gap_ok and not _UNIT_START.match(ln.text):
                join = True
            elif (same_page and centered(prev) and centered(ln) and gap_ok
                  and abs(prev.size - ln.size) < 0.5 and not prev.text.endswith(_TERMINAL)
                  and not re.search(r"(文件|号|〕\d+号)$", prev.text)
                  and len(prev.text) >= 8):
                join = True  # a title set over two centered lines
        if join and paras:
            a, b = paras[-1][-1:], ln.text[:1]
            sep = " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
                          and not (is_han(a) or is_han(b))) else ""
            paras[-1] += sep + ln.text
        else:
            paras.append(ln.text)
        prev = ln
    return paras


@register("pdf", sniffer("pdf", ("pdf",)))
def read_pdf(data: bytes, path: str) -> RawDocument:
    """Read a PDF's text layer as paragraphs; a PDF without one raises ``InputError``."""
    lines = pdf_lines(data, path)
    if sum(len(ln.text.replace(" ", "")) for ln in lines) < 10:
        raise InputError(NO_TEXT, path=path)
    cid = sum(ln.text.count("(cid:") for ln in lines)
    if cid > 20:
        raise InputError("PDF text has no Unicode mapping (glyph ids only); OCR it or "
                         "export it again with fonts embedded", path=path)
    kept, _dropped = drop_running_lines(lines)
    paras = build_paragraphs(kept)
    meta = {"pages": str(len({ln.page for ln in lines}))}
    return RawDocument(text="\n".join(paras) + "\n", encoding="pdf-text", reader="pdf",
                       meta=meta)


__all__ = ["read_pdf", "pdf_lines", "build_paragraphs", "drop_running_lines", "NO_TEXT"]
