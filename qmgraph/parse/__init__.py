"""Stage 2, parse: ``SourceText`` → ``NoticeTree`` (what the notice says, structurally).

The notice is cut into a header (letterhead, doc number, title, addressees), body sections
("一、活动主题" …), a tail (contact, attachment list, signatures, date) and attachments
("附件1" + title). Each section and attachment gets a role from ``data/section_roles.tsv``
(theme, activities, slogans, roster, skip); activity regions become blocks
(``qmgraph.parse.blocks``). The parser consults two lexicons — the gazetteer and the
organization-name table — to recognise headers; it decides nothing about identity (that is
``resolve``'s job).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qmgraph.model import Attachment, Block, Item, NoticeTree, Section, SourceText
from qmgraph.parse import metadata as md
from qmgraph.parse.blocks import Lexicon, find_blocks, place_header
from qmgraph.parse.metadata import Line
from qmgraph.parse.numbering import match_numbering, strip_bullet
from qmgraph.parse.page import genre_of, headline, read_page
from qmgraph.parse.prose import (
    clean_theme,
    edition_year,
    is_prose_line,
    joint_roster,
    organizer_count,
    theme_in_prose,
    theme_year,
)
from qmgraph.resources import data_dir

DATA_DIR = data_dir()

_ATTACH_START = re.compile(r"^附\s*件\s*(\d{1,2})\s*[：:]?\s*(.*)$")
_ATTACH_ALONE = re.compile(r"^附\s*件$")  # a notice's single attachment
_ATTACH_LIST = re.compile(r"^附\s*件\s*[：:]\s*(.*)$")
_TAIL_START = re.compile(r"^(?:联系人|联\s*系\s*人|联系电话|联系方式|电\s*话|邮\s*箱|电子邮箱|传\s*真|[（(]此件.{0,8}[）)])")
_PUBLIC_NOTE = re.compile(r"^[（(]此件.{0,10}[）)]$")


@dataclass(frozen=True)
class _Role:
    regex: re.Pattern[str]
    role: str


@functools.lru_cache(maxsize=2)
def section_roles(path: str | None = None) -> tuple[_Role, ...]:
    p = Path(path) if path else DATA_DIR / "section_roles.tsv"
    rows = [ln for ln in p.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return tuple(_Role(re.compile(r["pattern"]), r["role"]) for r in csv.DictReader(rows, delimiter="\t"))


def role_of(title: str) -> str:
    for r in section_roles():
        if r.regex.search(title):
            return r.role
    return ""


@functools.lru_cache(maxsize=1)
def default_lexicon_parts():
    """The gazetteer and org-name finder, loaded once per process."""
    from qmgraph.resolve.jurisdictions import Gazetteer
    from qmgraph.resolve.organizations import org_name_length

    return Gazetteer.load(), org_name_length


def parse_notice(source: SourceText) -> NoticeTree:
    """Parse one ingested notice into its document tree."""
    gaz, org_len = default_lexicon_parts()
    lines = md.split_lines(source.text)
    tree = NoticeTree(source=source)
    # Metadata panels and bylines are metadata, never title, issuer or activity text.
    page = read_page(lines, source.dropped)
    lines = _pipe_tables_as_tabs([ln for i, ln in enumerate(lines) if i not in page.consumed])

    # --- attachments: "附件1" (+ title on the same or next line)
    starts: list[int] = []
    for i, ln in enumerate(lines):
        m = _ATTACH_START.match(ln.text)
        if (m and not _ATTACH_LIST.match(ln.text) and (not m.group(2) or len(m.group(2)) < 60)) \
                or _ATTACH_ALONE.match(ln.text):
            starts.append(i)
    starts = _drop_attachment_lists(lines, starts)
    body_end = starts[0] if starts else len(lines)
    body = lines[:body_end]

    # --- header: lines before the first paragraph, numbered line or addressee line
    h_end = 0
    for i, ln in enumerate(body):
        if match_numbering(ln.text) or len(ln.text) >= 60 or ln.text.endswith(("：", ":")) \
                or ln.text.startswith("序号"):
            break
        h_end = i + 1
    header = body[:h_end]
    if h_end < len(body) and body[h_end].text.endswith(("：", ":")) and len(body[h_end].text) < 200:
        tree.addressees = md.split_names(body[h_end].text)
    body_text = "\n".join(ln.text for ln in body)

    tree.doc_number = md.own_doc_number(header) or page.fields.get("doc_number", "")
    tree.title = (md.formal_title(header) or page.fields.get("title", "") or headline(lines)
                  or md.find_title(header, body_text))
    if not tree.title and starts:
        tree.title = _attachment_title(lines, starts[0])[0]

    # --- citations and "按照全国…部署"
    for _s, _e, dn in md.find_doc_numbers(body_text):
        if dn != tree.doc_number and dn not in tree.cited_doc_numbers:
            tree.cited_doc_numbers.append(dn)
    tree.follows_national = bool(md.FOLLOWS_NATIONAL.search(body_text))
    for m in re.finditer(r"《(关于[^《》]{4,80}?(?:通知|方案|意见))》", body_text):
        if m.group(1) not in tree.cited_titles:
            tree.cited_titles.append(m.group(1))

    # --- sections and tail of the body
    sec_idx = [
        i for i, ln in enumerate(body)
        if i >= h_end and _is_section_heading(ln.text, org_len, gaz)
    ]
    tail_idx = _tail_start(body, sec_idx[-1] + 1 if sec_idx else h_end)
    tail = body[tail_idx:]
    tree.issued, date_year = md.find_date(tail or body)
    issuer, signatories = _signature(tail)
    if not issuer and sec_idx:
        # A cover note signed and dated above the plan it sends (印发…方案): its signature.
        cover = body[:sec_idx[0]]
        issuer, signatories = _signature(cover)
        if issuer and not tree.issued:
            tree.issued, date_year = md.find_date(cover)
    tree.issued_kind = "signed" if tree.issued else ""
    if not tree.issued and page.signed:
        tree.issued, tree.issued_kind = page.signed, "signed"
    if not tree.issued and page.published:
        tree.issued, tree.issued_kind = page.published, "published"
    tree.issuer = md.header_issuer(header) or issuer or page.fields.get("issuer", "")
    tree.signatories = signatories

    # --- context place (for place headers) and the lexicon
    j = gaz.resolve_notice(tree.title, tree.issuer, source.text and source.text[:20000],
                           page.fields.get("source", ""))
    if j is not None:
        tree.context_code = j.code
        tree.context_national = j.code is None
    lex = Lexicon(org_name_length=org_len, place=lambda name: _place(gaz, name, tree.context_code),
                  own_marker=j.name[-1] if j is not None and j.code else "")

    # Numbered lines before the first section heading ("一、市市场监管局：…" in a notice
    # with no headings, or a bare attachment saved on its own) are activities too.
    pre = body[h_end:(sec_idx[0] if sec_idx else tail_idx)]
    first_num = next((k for k, ln in enumerate(pre)
                      if match_numbering(ln.text) or ln.text.startswith("序号")), None)
    if first_num is not None:
        # an unnumbered heading right above says what the run is ("2022年活动口号" above
        # "1. 坚持质量第一…" is a list of slogans, not of activities)
        above = pre[first_num - 1].text if first_num else (body[h_end - 1].text if h_end else "")
        role = role_of(above) if len(above) <= 30 and not re.search(r"[。，；]", above) else ""
        _apply_role(tree, role if role in ("slogans", "roster") else "activities", tree.title,
                    pre[first_num:], lex, strict=False)

    for k, i in enumerate(sec_idx):
        end = sec_idx[k + 1] if k + 1 < len(sec_idx) else tail_idx
        head = body[i]
        num = match_numbering(head.text)
        title = head.text[num.length:].strip() if num else head.text
        content = body[i + 1:end]
        sec = Section(num.label if num else "", title, "\n".join(c.text for c in content),
                      head.start, content[-1].end if content else head.end)
        tree.sections.append(sec)
        _apply_role(tree, role_of(title), title, content, lex, strict=True)


    # --- attachments
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        title, first = _attachment_title(lines, i)
        m = _ATTACH_START.match(lines[i].text)
        number = int(m.group(1)) if m else k + 1
        tree.attachments.append(Attachment(number, title, lines[i].start, lines[end - 1].end))
        _apply_role(tree, role_of(title), title, lines[first:end], lex, strict=False)

    if not tree.blocks:
        _prose(tree, body, lex)
    if not tree.roster and len(tree.signatories) >= 3:
        tree.roster = list(tree.signatories)  # a joint notice: its signatories organize it
    if not tree.roster and all(b.role == "prose" for b in tree.blocks):
        tree.roster = joint_roster(body_text, org_len)
    tree.organizer_count = organizer_count(body_text)
    tree.theme = clean_theme(tree.theme) if tree.theme else theme_in_prose(body_text)
    if not tree.theme:
        m = md.THEME_INLINE.search(body_text)
        if m:
            tree.theme = clean_theme(m.group(1))
    tree.year = (date_year or md.title_year(tree.title) or edition_year(body_text)
                 or (int(tree.issued[:4]) if tree.issued else None) or theme_year(tree.theme)
                 or _first_year(source.text))
    if not tree.year:
        tree.warnings.append("no year stated")
    tree.genre = genre_of(tree.title, body_text)
    if not tree.blocks:
        tree.warnings.append("no activities stated")
    if source.encoding.startswith("mixed:"):
        tree.warnings.append(f"lines in different encodings ({source.encoding[6:]}); decoded line by line")
    return tree


_PIPE_ROW = re.compile(r"^[^|]*\|[^|]*\|")


def _pipe_tables_as_tabs(lines: list[Line]) -> list[Line]:
    """A table a mirror flattened with "|" ("序号 | 活动名称 | 活动内容 |" and its rows) reads
    like a tab-separated one; the characters keep their places, so offsets stay exact. Only
    rows under such a header change: elsewhere a "|" is text."""
    out: list[Line] = []
    in_table = False
    for ln in lines:
        row = _PIPE_ROW.match(ln.text) is not None
        in_table = row and (in_table or ln.text.startswith("序号"))
        out.append(Line(ln.text.replace("|", "\t"), ln.start, ln.end) if in_table else ln)
    return out


def _prose(tree: NoticeTree, body: list[Line], lex: Lexicon) -> None:
    """A document without sections or blocks (a release, a report, a slogan page): short
    unnumbered headings ("2022年全国“质量月”活动口号") give their roles to the lines under
    them, its paragraphs of running text become one ``prose`` block of the issuer, and a
    paragraph that opens with a place ("福州市：…", a roundup's) one of that place."""
    k = 0
    while k < len(body):
        ln = body[k]
        role = role_of(ln.text) if len(ln.text) <= 30 and not re.search(r"[。，；：:]", ln.text) else ""
        if role in ("theme", "slogans"):
            j = k + 1
            while j < len(body) and len(body[j].text) <= 40 and "。" not in body[j].text \
                    and not role_of(body[j].text):
                j += 1
            if j > k + 1:
                _apply_role(tree, role, ln.text, body[k + 1:j], lex, strict=False)
                k = j
                continue
        k += 1
    paragraphs = [ln for ln in body if is_prose_line(ln) and ln.text != tree.title]
    body_block: Block | None = None
    for ln in paragraphs:
        num = match_numbering(ln.text)
        rest = ln.text[num.length:].lstrip() if num else ln.text
        place = place_header(rest, lex)
        if place and place[1]:
            # a roundup's "福州市：举办…" paragraph is that place's
            inline = place[1]
            blk = Block(kind="jurisdiction", name=place[0], numbering=num.label if num else "",
                        text=inline, start=ln.start, end=ln.end, section=tree.title, role="prose")
            blk.items.append(Item("", inline, ln.end - len(inline), ln.end))
            tree.blocks.append(blk)
            continue
        if body_block is None:
            body_block = Block(kind="body", name="", numbering="", text="", start=ln.start,
                               end=ln.end, section=tree.title, role="prose")
            tree.blocks.append(body_block)
        body_block.items.append(Item(num.label if num else "", rest, ln.end - len(rest), ln.end))
    for blk in tree.blocks:
        if blk.role == "prose":
            blk.text = "\n".join(it.text for it in blk.items)
            blk.end = blk.items[-1].end


def _drop_attachment_lists(lines: list[Line], starts: list[int]) -> list[int]:
    """"附件1：…" / "附件2：…" written one under another above the signature is the list of
    attachments, not the attachments: a run of such lines with titles, or one followed
    only by a signature and the date, starts nothing."""
    keep: list[int] = []
    k = 0
    while k < len(starts):
        run = [starts[k]]
        while k + 1 < len(starts) and starts[k + 1] == run[-1] + 1:
            k += 1
            run.append(starts[k])
        k += 1
        titled = all(_ATTACH_START.match(lines[i].text) and _ATTACH_START.match(lines[i].text).group(2)
                     for i in run)
        after = lines[run[-1] + 1: run[-1] + 5]
        before_date = titled and any(md.DATE_LINE.match(ln.text) for ln in after) and all(
            md.DATE_LINE.match(ln.text) or _looks_signature(ln.text) for ln in after[:next(
                (j for j, ln in enumerate(after) if md.DATE_LINE.match(ln.text)), len(after))])
        if titled and (len(run) >= 2 or before_date):
            continue
        keep.extend(run)
    return keep


def _place(gaz, name: str, within: str | None):
    try:
        return gaz.find(name, within=within)
    except Exception:  # noqa: BLE001 — a lexicon miss is not an error
        return None


def _is_section_heading(text: str, org_len=None, gaz=None) -> bool:
    """"一、活动主题" — short, no sentence punctuation, not "NAME：text", and not an
    organizer or place heading ("一、市市场监管局", "三、成都市")."""
    num = match_numbering(text)
    if not num or num.style not in ("cn",):
        return False
    rest = text[num.length:].strip()
    if len(rest) > 24 or "。" in rest or "，" in rest or re.search(r"[：:]\s*\S", rest):
        return False
    if org_len is not None and org_len(rest) >= 2:
        return False
    return not (gaz is not None and _place(gaz, rest.rstrip("：:"), None) is not None)


def _tail_start(body: list[Line], from_idx: int) -> int:
    """Index where the closing matter starts (contact, attachment list, signature, date)."""
    for i in range(from_idx, len(body)):
        t = body[i].text
        if _TAIL_START.match(t) or _ATTACH_LIST.match(t) or _ATTACH_START.match(t) \
                or md.DATE_LINE.match(t):
            # Walk back over a signature line right above a date.
            if md.DATE_LINE.match(t):
                j = i
                while j > from_idx and _looks_signature(body[j - 1].text):
                    j -= 1
                return j
            return i
    return len(body)


def _looks_signature(text: str) -> bool:
    return (len(text) <= 80 and not re.search(r"[。，；：:]", text) and not match_numbering(text)
            and not _ATTACH_START.match(text) and not _ATTACH_LIST.match(text))


def _signature(tail: list[Line]) -> tuple[str, list[str]]:
    """(issuer, signatories) from the lines above the date."""
    date_i = next((i for i, ln in enumerate(tail) if md.DATE_LINE.match(ln.text)), None)
    if date_i is None:
        return "", []
    rows: list[str] = []
    i = date_i - 1
    while i >= 0 and _looks_signature(tail[i].text) and not _ATTACH_LIST.match(tail[i].text):
        rows.insert(0, tail[i].text)
        i -= 1
    names: list[str] = []
    for r in rows:
        names.extend(md.join_spaced_names(r) if " " in r else [r])
    names = [n for n in names if len(n) >= 2 and not _PUBLIC_NOTE.match(n)]
    if len(names) == 1:
        return names[0], []
    return (names[0] if names else ""), names


def _attachment_title(lines: list[Line], i: int) -> tuple[str, int]:
    """(title, index of the first content line) of the attachment starting at ``i``."""
    m = _ATTACH_START.match(lines[i].text)
    inline = m.group(2).strip() if m else ""
    j = i + 1
    if inline:
        title = inline
    elif j < len(lines):
        title = lines[j].text
        j += 1
    else:
        return "", j
    # A title broken over two short lines ("…联合主办单位" / "开展的主要活动").
    if (j < len(lines) and not match_numbering(lines[j].text) and len(lines[j].text) <= 20
            and not md.TITLE_WORDS.search(title) and md.TITLE_WORDS.search(lines[j].text)):
        title += lines[j].text
        j += 1
    return title.strip(), j


def _apply_role(tree: NoticeTree, role: str, title: str, content: list[Line], lex: Lexicon,
                *, strict: bool) -> None:
    """Put a section's ``content`` into ``tree`` as its ``role`` says (a role without a
    handler in :data:`_ROLE_HANDLERS` adds nothing)."""
    handler = _ROLE_HANDLERS.get(role)
    if handler is not None:
        handler(tree, role, title, content, lex, strict)


def _theme_section(tree: NoticeTree, role: str, title: str, content: list[Line], lex: Lexicon,
                   strict: bool) -> None:
    if content and not tree.theme:
        tree.theme = content[0].text.strip("“”\"")


def _block_section(tree: NoticeTree, role: str, title: str, content: list[Line], lex: Lexicon,
                   strict: bool) -> None:
    blocks = find_blocks(content, lex, section=title, strict_orgs=strict)
    for b in blocks:
        b.role = role
    tree.blocks.extend(blocks)


def _slogan_section(tree: NoticeTree, role: str, title: str, content: list[Line], lex: Lexicon,
                    strict: bool) -> None:
    _slogans(tree, content)


def _roster_section(tree: NoticeTree, role: str, title: str, content: list[Line], lex: Lexicon,
                    strict: bool) -> None:
    for ln in content:
        names = md.split_names(ln.text) if re.search(r"[、，,；;]", ln.text) else md.join_spaced_names(ln.text)
        tree.roster.extend(n for n in names if len(n) >= 2)


#: What each section role adds to the tree (``role_of`` names a section's role).
_ROLE_HANDLERS: dict[str, Callable[..., None]] = {
    "theme": _theme_section,
    "activities": _block_section,
    "requirements": _block_section,
    "slogans": _slogan_section,
    "roster": _roster_section,
}


def _slogans(tree: NoticeTree, content: list[Line]) -> None:
    skip_next = False
    for ln in content:
        text, _ = strip_bullet(ln.text)
        if skip_next:
            skip_next = False
            if not tree.theme:
                tree.theme = text
            continue
        if re.fullmatch(r"(?:活动)?主题[：:]?", text):
            skip_next = True
            continue
        m = re.match(r"^(?:活动)?主题[：:]\s*(.+)$", text)
        if m:
            tree.theme = tree.theme or m.group(1)
            continue
        if re.fullmatch(r"(?:宣传)?口号[：:]?", text):
            continue
        num = match_numbering(text)
        if num:
            text = text[num.length:]
        text = text.strip().strip("“”\"")
        if 4 <= len(text) <= 40 and "。" not in text and text not in tree.slogans:
            tree.slogans.append(text)


def _first_year(text: str) -> int | None:
    m = re.search(r"((?:19|20)\d{2})\s*年", text)
    return int(m.group(1)) if m else None


__all__ = ["parse_notice", "role_of", "Block"]
