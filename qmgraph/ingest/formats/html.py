"""Web pages: a government portal's article page → the notice's text, one paragraph a line.

Steps: decode with the declared charset (``<meta charset>`` / ``http-equiv``) or detect it
(``qmgraph.ingest.decode``); read the metadata panel (索引号, 发文字号, 发布机构, 成文日期,
标题 …) into ``RawDocument.meta`` and drop it; drop scripts, styles, forms and page
furniture (nav, breadcrumb, header, footer, share and print widgets, related links —
by tag, and by id/class tokens from ``data/html_body_hints.tsv``); choose the article body
(the first body hint that holds most of the text, else the element whose paragraph
children hold the most Han characters); render it with block elements as line breaks and
tables as rows (``qmgraph.ingest.formats.table_lines``). When the body does not repeat
the title or the doc number shown elsewhere on the page, they are put in front of it, as
a printed notice has them.
"""

from __future__ import annotations

import functools
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from qmgraph.errors import InputError
from qmgraph.ingest.decode import decode_bytes
from qmgraph.ingest.formats import han_count, is_han, join_cell_paragraphs, sniffer, table_lines
from qmgraph.ingest.readers import RawDocument, register
from qmgraph.lexicon.words import title_endings
from qmgraph.tables import read_table

_JUNK_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "button", "select",
              "input", "textarea", "svg", "canvas", "object", "embed", "nav", "header",
              "footer", "aside", "map", "link", "meta", "head")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "address", "center",
               "tr", "table", "tbody", "thead", "tfoot", "caption", "hr", "figure",
               "figcaption", "body", "html", "td", "th"}


def _panel_labels() -> dict[str, str | None]:
    """Metadata-panel labels → meta keys (None: recognised and dropped, not kept), from the
    ``panel`` column of ``data/page_labels.tsv``."""
    return {r["label"]: (None if r["panel"] == "drop" else r["panel"])
            for r in read_table("page_labels.tsv") if r["panel"]}


_META_LABELS = _panel_labels()
_LABEL_RE = re.compile(
    r"^\s*[【\[]?(" + "|".join(sorted(map(re.escape, _META_LABELS), key=len, reverse=True))
    + r")[】\]]?\s*[:：]\s*(.*)$|^\s*(" + "|".join(map(re.escape, _META_LABELS)) + r")\s*$"
)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
#: What a notice's title says (a site name in an <h1> is not a title).
_PAGE_TITLE = re.compile(f"关于.{{2,}}|(?:{title_endings('page_title')})$")  # data/title_endings.tsv
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


@functools.lru_cache(maxsize=2)
def body_hints(path: str | None = None) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """(body patterns in priority order, chrome patterns) from ``data/html_body_hints.tsv``."""
    body: list[re.Pattern[str]] = []
    chrome: list[re.Pattern[str]] = []
    for r in read_table(path or "html_body_hints.tsv"):
        pat = re.compile(r["pattern"], re.IGNORECASE)
        (body if r["kind"] == "body" else chrome).append(pat)
    return tuple(body), tuple(chrome)


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """``(text, encoding)``: the declared charset when it decodes cleanly, else detection."""
    m = _CHARSET_RE.search(data[:4096])
    if m and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        enc = m.group(1).decode("ascii").lower()
        if enc in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
            enc = "gb18030"  # superset: pages labelled GB2312 use GBK characters
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)


def _tokens(el: Tag) -> list[str]:
    out: list[str] = []
    if el.attrs is None:
        return out
    ident = el.get("id")
    if isinstance(ident, str):
        out.append(ident)
    cls = el.get("class")
    if isinstance(cls, list):
        out.extend(cls)
    elif isinstance(cls, str):
        out.extend(cls.split())
    return out


def _matches(el: Tag, patterns: tuple[re.Pattern[str], ...]) -> int | None:
    """Index of the first pattern that matches one of ``el``'s id/class tokens in full."""
    toks = _tokens(el)
    return next((i for i, pat in enumerate(patterns) if any(pat.fullmatch(t) for t in toks)),
                None)


def _text(el: Tag | NavigableString) -> str:
    return el.get_text("", strip=False) if isinstance(el, Tag) else str(el)


# ---------------------------------------------------------------- metadata panel


def read_meta_panel(soup: BeautifulSoup) -> dict[str, str]:
    """Read and remove the 索引号/发文字号/… panel(s); returns the meta fields found."""
    strings = [s for s in soup.find_all(string=True)
               if not isinstance(s, Comment) and s.strip() and len(s.strip()) < 120]
    hits: list[tuple[NavigableString, str, str]] = []  # (string, label, value)
    for k, s in enumerate(strings):
        m = _LABEL_RE.match(str(s))
        if not m:
            continue
        label = m.group(1) or m.group(3)
        value = (m.group(2) or "").strip()
        if not value and k + 1 < len(strings) and not _LABEL_RE.match(str(strings[k + 1])):
            value = str(strings[k + 1]).strip()
        hits.append((s, label, value))
    if len(hits) < 2:
        return {}
    meta: dict[str, str] = {}
    panels: list[Tag] = []
    for s, label, value in hits:
        # The panel: the lowest ancestor holding at least two labels and little else.
        el = s.parent
        while el is not None and el.name not in ("body", "html", "[document]"):
            n = sum(1 for h in hits if el in h[0].parents)
            if n >= 2:
                break
            el = el.parent
        if el is None or el.name in ("body", "html", "[document]"):
            continue
        if han_count(_text(el)) > 60 * sum(1 for h in hits if el in h[0].parents) + 200:
            continue  # the labels sit inside the article itself: keep it
        key = _META_LABELS.get(label)
        if key and value and key not in meta:
            meta[key] = _meta_value(key, value)
        if el not in panels:
            panels.append(el)
    for el in panels:
        if el.parent is not None:
            el.decompose()
    return meta


def _meta_value(key: str, value: str) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    if key == "issued":
        m = _DATE_RE.search(value)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return value


# ---------------------------------------------------------------- body choice


def _drop_chrome(soup: BeautifulSoup) -> None:
    for name in _JUNK_TAGS:
        for el in soup.find_all(name):
            if el.parent is not None:
                el.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    body_pats, chrome_pats = body_hints()
    total = han_count(_text(soup)) or 1
    for el in soup.find_all(True):
        if el.parent is None or el.attrs is None or el.name in ("body", "html"):
            continue
        if _matches(el, chrome_pats) is None or _matches(el, body_pats) is not None:
            continue
        if any(_matches(d, body_pats) is not None for d in el.find_all(True)):
            continue  # a wrapper with a misleading name around the article
        if han_count(_text(el)) < 0.4 * total:
            el.decompose()


def choose_body(soup: BeautifulSoup) -> Tag:
    """The element holding the article: a body hint with most of the text, else density."""
    root = soup.body or soup
    total = han_count(_text(root))
    body_pats, _ = body_hints()
    best: tuple[int, int, Tag] | None = None
    for pos, el in enumerate(root.find_all(True)):
        rank = _matches(el, body_pats)
        if rank is None:
            continue
        if han_count(_text(el)) >= 0.5 * total and (best is None or rank < best[0]):
            best = (rank, pos, el)
    if best is not None and total:
        return best[2]
    # Text density: credit each paragraph-like child's Han characters to its parent.
    score: dict[int, tuple[int, Tag]] = {}
    for el in root.find_all(["p", "div", "td", "li", "span", "font", "h1", "h2", "h3", "br"]):
        parent = el.parent
        if parent is None:
            continue
        own = "".join(str(s) for s in el.find_all(string=True, recursive=False))
        n = han_count(own) if el.name in ("div", "td", "span", "font") else han_count(_text(el))
        if el.name == "br" or n == 0:
            continue
        key = id(parent)
        score[key] = (score.get(key, (0, parent))[0] + n, parent)
    for s in root.find_all(string=True, recursive=True):
        parent = s.parent
        if isinstance(parent, Tag) and parent.name in ("div", "td", "article", "section"):
            key = id(parent)
            score[key] = (score.get(key, (0, parent))[0] + han_count(str(s)), parent)
    if not score:
        return root
    return max(score.values(), key=lambda v: v[0])[1]


# ---------------------------------------------------------------- rendering

_WS = re.compile(r"[ \t\r\n\f]+")


def _squash(text: str) -> str:
    """HTML whitespace: a run with a newline between Han characters goes, others → one space."""
    def repl(m: re.Match[str]) -> str:
        a = text[m.start() - 1] if m.start() else ""
        b = text[m.end()] if m.end() < len(text) else ""
        if "\n" in m.group(0) and a and b and is_han(a) and is_han(b):
            return ""
        return " "

    return _WS.sub(repl, text)


class _Renderer:
    """Walk an element; block tags end lines, tables become rows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        line = _squash("".join(self.buf)).strip(" \u00a0\u3000")
        if line.strip():
            self.lines.append(line)
        self.buf = []

    def walk(self, el: Tag | NavigableString) -> None:
        if isinstance(el, Comment):
            return
        if isinstance(el, NavigableString):
            self.buf.append(str(el))
            return
        if el.name == "br":
            self.flush()
            return
        if el.name == "table" and not _is_layout_table(el):
            self.flush()
            self.lines.extend(table_lines(_table_rows(el)))
            return
        block = el.name in _BLOCK_TAGS
        if block:
            self.flush()
        for child in el.children:
            self.walk(child)
        if block:
            self.flush()


def render_lines(el: Tag) -> list[str]:
    """The text of ``el`` as lines, one per block element."""
    r = _Renderer()
    r.walk(el)
    r.flush()
    return r.lines


def _is_layout_table(table: Tag) -> bool:
    """A table used for page layout (nested tables, or a single column), not data."""
    if table.find("table") is not None:
        return True
    rows = table.find_all("tr")
    widest = max((len(tr.find_all(["td", "th"], recursive=False)) for tr in rows), default=0)
    return widest <= 1


def _table_rows(table: Tag) -> list[list[str]]:
    """Rows of cell texts with row/col spans expanded (the spanned value repeated)."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find_all("tr")):
        row: list[str] = []
        c = 0
        cells = tr.find_all(["td", "th"], recursive=False)
        for td in cells:
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = join_cell_paragraphs(render_lines(td))
            rowspan = _int_attr(td, "rowspan")
            colspan = _int_attr(td, "colspan")
            for k in range(colspan):
                row.append(text if k == 0 else "")
                for dr in range(1, rowspan):
                    pending[(r + dr, c + k)] = text if k == 0 else ""
            c += colspan
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    return grid


def _int_attr(el: Tag, name: str) -> int:
    try:
        return max(1, min(50, int(str(el.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def _page_title(soup: BeautifulSoup, meta: dict[str, str]) -> str:
    if meta.get("title"):
        return meta["title"]
    for name in ("ArticleTitle", "articletitle", "title", "dc.title"):
        tag = soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and _PAGE_TITLE.search(str(tag.get("content", ""))):
            return str(tag["content"]).strip()
    for h in soup.find_all(["h1", "h2", "h3"]):
        t = _squash(h.get_text("")).strip()
        if 6 <= len(t) <= 120 and _PAGE_TITLE.search(t):
            return t
    if soup.title and soup.title.string:
        parts = re.split(r"\s*[_|｜\-—]{1,2}\s*", soup.title.string.strip())
        for p in parts:
            if _PAGE_TITLE.search(p):
                return p
    return ""


def _bare(s: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", s)


@register("html", sniffer("html", ("html", "htm", "shtml", "xhtml", "mht")))
def read_html(data: bytes, path: str) -> RawDocument:
    """Read a web page: the article body as lines, with the page's metadata in ``meta``."""
    text, enc = decode_html(data, path)
    soup = BeautifulSoup(text, "html.parser")
    meta = read_meta_panel(soup)
    title = _page_title(soup, meta)
    if title and "title" not in meta:
        meta["title"] = _squash(title).strip()
    _drop_chrome(soup)
    body = choose_body(soup)
    lines = render_lines(body)
    if not any(ln.strip() for ln in lines):
        raise InputError("web page has no article text", path=path)
    head_text = _bare("".join(lines[:12]))
    front: list[str] = []
    if meta.get("doc_number") and _bare(meta["doc_number"]) not in head_text:
        front.append(meta["doc_number"])
    if meta.get("title") and _bare(meta["title"]) not in head_text:
        front.append(meta["title"])
    return RawDocument(text="\n".join(front + lines) + "\n", encoding=enc, reader="html",
                       meta=meta)


__all__ = ["read_html", "decode_html", "choose_body", "read_meta_panel", "render_lines",
           "body_hints"]
