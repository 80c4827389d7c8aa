"""Readers for notices as published: web pages, DOCX, legacy Word (.doc/.wps) and PDF.

Each module registers itself with ``qmgraph.ingest.readers.register`` when imported
(``readers._load_optional_readers`` imports them). They all produce plain text with one
paragraph per line, the shape the parser expects; this package holds what they share:

* ``sniff_kind`` — what the bytes are (pdf, docx, ole2, html), by content first, so a
  ``.txt`` that is HTML is read as HTML and a ``.doc`` that is really DOCX works;
* ``table_lines`` — a table as lines: an activity table (序号/活动内容/牵头部门/配合部门) becomes
  numbered "N、<牵头部门>联合<配合部门>：<活动内容>。" lines the parser reads as organizer
  blocks with co-organizers; any other table becomes one tab-separated line per row.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import PurePath

from qmgraph.tables import column_role

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def han_count(text: str) -> int:
    """Number of Han characters in ``text`` (the measure of "how much notice" a part holds)."""
    return len(_HAN.findall(text))


def is_han(ch: str) -> bool:
    """True for a Han character or CJK punctuation (full-width forms included)."""
    return bool(_HAN.match(ch)) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" \
        or ch in "“”‘’—…·"


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 15 → 十五, 21 → 二十一, 105 → 一百零五 (up to 9999)."""
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    units = [(1000, "千"), (100, "百"), (10, ten)]
    out, zero = "", False
    for value, name in units:
        q, n = divmod(n, value)
        if q:
            if zero:
                out += digits[0]
                zero = False
            out += digits[q] + name
        elif out:
            zero = True
    if n:
        out += (digits[0] if zero else "") + digits[n]
    return out


def extension(path: str) -> str:
    """Lower-case extension of ``path`` without the dot ("" when there is none)."""
    return PurePath(path).suffix.lower().lstrip(".")


def _looks_html(head: bytes) -> bool:
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16").encode("ascii", "ignore")
        except UnicodeDecodeError:
            return False
    low = text.lower()
    return any(tag in low for tag in (b"<html", b"<!doctype html", b"<body"))


def sniff_kind(data: bytes) -> str | None:
    """``pdf``, ``docx``, ``ole2`` or ``html`` from the bytes alone; None for anything else."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        return None
    if _looks_html(data[:1024]):
        return "html"
    return None


def sniffer(kind: str, extensions: tuple[str, ...]):
    """A registry sniffer: yes when the content is ``kind``, or when the content is no known
    kind at all and the extension is one of ``extensions``."""

    def sniff(data: bytes, path: str) -> bool:
        found = sniff_kind(data)
        if found is not None:
            return found == kind
        return extension(path) in extensions

    return sniff


# ---------------------------------------------------------------- tables

_NUMBER_CELL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.、．]?$")
_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")
_CELL_SPACE = re.compile(r"[ \t\u3000\u00a0]+")


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(row index, role → column) of an activity table's header, within its first 3 rows."""
    for i, row in enumerate(rows[:3]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = column_role(cell)  # data/table_columns.tsv, shared with the parser
            if role != "other" and role not in cols:
                cols[role] = c
        if "content" in cols and "lead" in cols:
            return i, cols
    return None


def split_names(cell: str) -> list[str]:
    """Organization names of one table cell ("市教育局、市科协等" → two names)."""
    names = [n.strip().removesuffix("等") for n in _NAME_SPLIT.split(cell)]
    return [n for n in names if len(n) >= 2]


def table_lines(rows: list[list[str]]) -> list[str]:
    """Lines for a table given as rows of cell texts (merged cells already repeated).

    An activity table (a header naming the content and the leading department) gives one
    numbered line per row, "N、<lead>联合<co-organizers>：<content>（时间：…；地点：…）。";
    a row with a single distinct value (a group heading spanning the table) stays a line of
    its own. Any other table gives one line per row, cells joined by a tab.
    """
    rows = [[_CELL_SPACE.sub(" ", c).strip() for c in r] for r in rows]
    rows = [r for r in rows if any(r)]
    head = _header(rows)
    if head is None:
        return ["\t".join(c for c in r if c) for r in rows]
    hi, cols = head
    out = ["\t".join(c for c in r if c) for r in rows[:hi]]
    n = 0
    for row in rows[hi + 1:]:
        def cell(role: str, row: list[str] = row) -> str:
            c = cols.get(role)
            return row[c] if c is not None and c < len(row) else ""

        distinct = list(dict.fromkeys(c for c in row if c))
        if len(distinct) == 1 and not _NUMBER_CELL.match(distinct[0]):
            out.append(distinct[0])
            continue
        content, lead = cell("content"), cell("lead")
        if not content and not lead:
            continue
        n += 1
        num = cell("number").rstrip(".、．")
        label = num if num and _NUMBER_CELL.match(num) else str(n)
        leads = split_names(lead)
        co = [c for c in leads[1:] + split_names(cell("co")) if c not in leads[:1]]
        who = leads[0] if leads else ""
        if co:  # "市科学技术局联合市教育局：" — how a notice names a joint action
            who += "联合" + "、".join(dict.fromkeys(co))
        extras = [f"{k}：{cell(role)}" for k, role in (("时间", "time"), ("地点", "place"))
                  if cell(role)]
        body = content.rstrip("。；;.")
        line = f"{label}、{who}：{body}" if who else f"{label}、{body}"
        if extras:
            line += "（" + "；".join(extras) + "）"
        out.append(line + "。")
    return out


def join_cell_paragraphs(parts: list[str]) -> str:
    """Paragraphs of one table cell as one string: "；" between unpunctuated parts."""
    out = ""
    for p in (p.strip() for p in parts):
        if not p:
            continue
        if out and out[-1] not in "。；;，,：:、！？":
            out += "；"
        out += p
    return out


__all__ = [
    "OLE2_MAGIC", "extension", "han_count", "is_han", "join_cell_paragraphs", "sniff_kind",
    "sniffer", "split_names", "table_lines",
]
