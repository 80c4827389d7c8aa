"""What a web page states about itself: metadata panels, bylines, headline, genre.

Most 质量月 documents reach us as pages: a portal's 政府信息公开 card (索引号 | … | 文号: | …,
often flattened into a pipe table or a "•" list), a news byline ("来源：… 发布时间：…",
"2022年09月12日10:22 来源：…"), a headline, and prose. This module reads those parts as
metadata — never as title, issuer or activity text — and says which kind of document the
page is (``data/genre_cues.tsv``). The labels it knows are ``data/page_labels.tsv``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from qmgraph.parse.metadata import DOC_NUMBER, Line, find_doc_numbers
from qmgraph.tables import read_table

# 2022-09-02, 2021/9/10, 2022年09月12日, 2024 08/30 — a date a byline or panel prints.
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:[-/.年]\s*|\s+)(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
)
_TIME = re.compile(r"\s*\d{1,2}[:：]\d{2}")
_SECONDS = re.compile(r"^(?:[:：]\d{2})?\s*")  # what may end a time: its seconds
_ORIGINAL_TITLE = re.compile(r"^[（(]\s*原标题\s*[：:]\s*(.+?)\s*[）)]$")
# A headline's site suffix: "…活动来了！-新华网", "…的通知》发布-某某旗舰".
_SITE_SUFFIX = re.compile(r"\s*[-_|]{1,2}\s*[^-_|—“”\"《》\s]{2,10}$")  # not a ——subtitle
_SENTENCE = re.compile(r"[。；]")


@dataclass
class PageFacts:
    """Metadata a page states outside its text proper."""

    fields: dict[str, str] = field(default_factory=dict)  #: field → value (first wins)
    consumed: set[int] = field(default_factory=set)  #: indices of metadata lines
    published: str = ""  #: ISO date of the page's publication (byline or panel)
    signed: str = ""  #: ISO date a panel gives as the document's own (成文日期)


@functools.lru_cache(maxsize=1)
def page_labels() -> dict[str, str]:
    """Label (spaces removed) → field, from ``data/page_labels.tsv``."""
    return {r["label"]: r["field"] for r in read_table("page_labels.tsv") if r["field"]}


@functools.lru_cache(maxsize=1)
def _label_regex() -> re.Pattern[str]:
    # Labels may be letter-spaced for layout ("索 引 号", "标    题").
    alts = sorted(page_labels(), key=len, reverse=True)
    spaced = "|".join(r"\s*".join(map(re.escape, a)) for a in alts)
    # a label follows a space, a cell bar, a bullet, or a date ("2023-09-12来源：…" once
    # ingest has dropped the space between digits and Han characters)
    return re.compile(rf"(?:^|(?<=[\s|•·【\[\d]))({spaced})\s*[：:]")


def iso_date(text: str) -> str:
    """The first date of ``text`` as yyyy-mm-dd, or ""."""
    m = _DATE.search(text)
    if not m:
        return ""
    y, mo, d = (int(m.group(k)) for k in (1, 2, 3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def _label_values(text: str) -> list[tuple[str, str]]:
    """(field, value) pairs of a metadata line: "来源：X 发布时间：Y", "索引号： | V | 文号： | W |"."""
    if "：" not in text and ":" not in text:
        return []  # every label ends with a colon (most lines of a notice have none)
    labels = list(_label_regex().finditer(text))
    out = []
    for k, m in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        value = text[m.end():end].strip(" |•·\t").strip()
        value = re.split(r"\s*\|\s*", value)[0].strip() if "|" in value else value
        name = re.sub(r"\s+", "", m.group(1))
        out.append((page_labels().get(name, "skip"), value))
    return out


def _byline_tail(rest: str) -> bool:
    """What may follow a byline's date and time: nothing, or one short word (the site or
    paper, "2022-09-13 10:21 四川日报"); table cells (| or tabs) or several words make a row."""
    return not rest or ("|" not in rest and "\t" not in rest and len(rest.split()) == 1
                        and len(rest) <= 16 and not rest[0].isdigit())


def _is_meta_line(text: str) -> bool:
    """A panel row, a byline or a bare date-time line."""
    if len(text) > 160:
        return False
    stripped = text.strip(" •·")
    pairs = _label_values(stripped)
    if pairs and (text.startswith(("•", "·")) or "|" in text or _label_regex().match(stripped)):
        return True
    m = _DATE.search(text)
    if m and len(text) <= 80 and not _SENTENCE.search(text):
        # "2021/9/10 16:10:36", "2022年09月12日10:22 来源：…": a date with a time of day,
        # alone or before labels; a schedule row goes on with cells (2023年9月15日 9:30|开放日|…)
        t = _TIME.match(text, m.end())
        rest = _SECONDS.sub("", text[t.end():]) if t else ""
        if pairs or (t and _byline_tail(rest)):
            return True
    return False


def read_page(lines: list[Line], dropped: list[str], head: int = 12) -> PageFacts:
    """Metadata lines among the first ``head`` lines (and any panel row below them), plus the
    publication date from lines ingest dropped as page residue (来源：… lines)."""
    facts = PageFacts()
    for i, ln in enumerate(lines):
        if i >= head and "|" not in ln.text and not ln.text.startswith(("•", "·")):
            continue
        m = _ORIGINAL_TITLE.match(ln.text)
        if m and i < head:
            facts.fields.setdefault("title", m.group(1))
            facts.consumed.add(i)
            continue
        if not _is_meta_line(ln.text):
            continue
        facts.consumed.add(i)
        _take(facts, ln.text)
    for text in dropped:
        if len(text) <= 160 and (_label_values(text) or _is_meta_line(text)):
            _take(facts, text)
    return facts


def _take(facts: PageFacts, text: str) -> None:
    pairs = _label_values(text.strip(" •·"))
    for fld, value in pairs:
        if not value or fld == "skip":
            continue
        if fld in ("published", "signed"):
            d = iso_date(value)
            if d and not getattr(facts, fld):
                setattr(facts, fld, d)
            continue
        if fld == "doc_number":
            dns = find_doc_numbers(value)
            if dns:
                facts.fields.setdefault(fld, dns[0][2])
            continue
        facts.fields.setdefault(fld, value)
    if not facts.published:
        # A byline's unlabelled date ("2017年09月01日 21:08 | 作者：…", "2021/9/10 16:10").
        m = _DATE.search(text)
        if m and (_TIME.match(text[m.end():]) or not pairs or text.find(m.group(0)) < 4):
            if not any(fld == "signed" and m.group(0) in v for fld, v in pairs):
                facts.published = iso_date(m.group(0))


def headline(lines: list[Line], limit: int = 6) -> str:
    """The headline of a page: among its first lines, the first short non-sentence line
    about the Quality Month (site suffix removed), or ""."""
    for ln in lines[:limit]:
        t = ln.text.strip()
        if len(t) > 70 or _SENTENCE.search(t) or t.endswith(("：", ":")) or len(t) < 6:
            continue
        if "质量月" not in t and not DOC_NUMBER.search(t):
            continue
        return _SITE_SUFFIX.sub("", t) if len(t) > 14 else t
    return ""


@functools.lru_cache(maxsize=1)
def _genre_rows() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((r["genre"], r["field"], re.compile(r["pattern"], re.M))
                 for r in read_table("genre_cues.tsv"))


def genre_of(title: str, text: str) -> str:
    """The document's genre key (``data/genre_cues.tsv``); press-release when nothing says."""
    head = text[:1500]
    for fld, subject in (("title", title.strip()), ("text", head)):
        if not subject:
            continue
        for genre, f, rx in _genre_rows():
            if f == fld and rx.search(subject):
                return genre
    return "press-release"


__all__ = ["PageFacts", "genre_of", "headline", "iso_date", "page_labels", "read_page"]
