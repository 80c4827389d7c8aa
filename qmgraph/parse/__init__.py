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

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from qmgraph.lexicon.organizations import org_name_length
from qmgraph.lexicon.places import Gazetteer
from qmgraph.lexicon.words import alternation, patterns, title_endings
from qmgraph.model import Attachment, Block, Item, NoticeTree, Section, SourceText
from qmgraph.parse import metadata as md
from qmgraph.parse.blocks import Lexicon, find_blocks, place_header
from qmgraph.parse.metadata import Line
from qmgraph.parse.numbering import Numbering, match_numbering, strip_bullet
from qmgraph.parse.page import PageFacts, genre_of, headline, read_page
from qmgraph.parse.prose import (
    clean_theme,
    edition_year,
    is_prose_line,
    joint_roster,
    organizer_count,
    theme_in_prose,
    theme_year,
)
from qmgraph.tables import read_table

_ATTACH_START = re.compile(r"^附\s*件\s*(\d{1,2})\s*[：:]?\s*(.*)$")
_ATTACH_ALONE = re.compile(r"^附\s*件$")  # a notice's single attachment
_ATTACH_LIST = re.compile(r"^附\s*件\s*[：:]\s*(.*)$")
# Contact lines and the public-release note open a notice's closing matter
# (data/tail_starts.tsv).
_TAIL_START = re.compile(f"^(?:{patterns('tail_starts.tsv')})")
# "《关于开展…的通知》": a notice cited by its title (data/title_endings.tsv, cited_title).
_CITED_TITLE = re.compile(f"《(关于[^《》]{{4,80}}?(?:{title_endings('cited_title')}))》")
_PUBLIC_NOTE = re.compile(r"^[（(]此件.{0,10}[）)]$")


@dataclass(frozen=True)
class _Role:
    regex: re.Pattern[str]
    role: str


@functools.lru_cache(maxsize=2)
def section_roles(path: str | None = None) -> tuple[_Role, ...]:
    """Section and attachment roles by title pattern (``data/section_roles.tsv``)."""
    return tuple(_Role(re.compile(r["pattern"]), r["role"])
                 for r in read_table(path or "section_roles.tsv"))


def role_of(title: str) -> str:
    for r in section_roles():
        if r.regex.search(title):
            return r.role
    return ""


@functools.lru_cache(maxsize=1)
def default_lexicon_parts():
    """The gazetteer and org-name finder, loaded once per process."""
    return Gazetteer.load(), org_name_length


def parse_notice(source: SourceText) -> NoticeTree:
    """Parse one ingested notice into its document tree."""
    gaz, org_len = default_lexicon_parts()
    tree = NoticeTree(source=source)
    doc = _lay_out(source)
    _read_heading(tree, doc)
    sec_idx = [i for i, ln in enumerate(doc.body)
               if i >= doc.h_end and _is_section_heading(ln.text, org_len, gaz)]
    tail_idx = _tail_start(doc.body, sec_idx[-1] + 1 if sec_idx else doc.h_end)
    date_year = _read_closing(tree, doc, sec_idx, tail_idx)
    lex = _notice_lexicon(tree, doc.page, gaz, org_len)
    _read_leading_items(tree, doc, doc.body[doc.h_end:(sec_idx[0] if sec_idx else tail_idx)], lex)
    _read_sections(tree, doc.body, sec_idx, tail_idx, lex)
    _read_attachments(tree, doc.lines, doc.starts, lex)
    _read_roster(tree, doc, lex, org_len)
    _read_theme_and_year(tree, doc.body_text, date_year)
    tree.genre = genre_of(tree.title, doc.body_text)
    _warn(tree)
    return tree


@dataclass
class _Layout:
    """A notice's lines cut into its header, body and attachments, before any reading."""

    page: PageFacts  #: what the page states outside the text (panels, bylines)
    lines: list[Line]  #: the lines without the page's metadata, "|" tables as tabs
    starts: list[int]  #: index in ``lines`` of each attachment's first line
    body: list[Line]  #: the lines before the first attachment
    h_end: int  #: ``body[:h_end]`` is the header
    body_text: str

    @property
    def header(self) -> list[Line]:
        return self.body[:self.h_end]


def _lay_out(source: SourceText) -> _Layout:
    lines = md.split_lines(source.text)
    # Metadata panels and bylines are metadata, never title, issuer or activity text.
    page = read_page(lines, source.dropped)
    lines = _pipe_tables_as_tabs([ln for i, ln in enumerate(lines) if i not in page.consumed])
    starts = _drop_attachment_lists(lines, _attachment_starts(lines))
    body = lines[:starts[0] if starts else len(lines)]
    return _Layout(page, lines, starts, body, _header_end(body),
                   "\n".join(ln.text for ln in body))


def _attachment_starts(lines: list[Line]) -> list[int]:
    """Lines that open an attachment: "附件1" (+ title on the same or next line), "附件"."""
    starts: list[int] = []
    for i, ln in enumerate(lines):
        m = _ATTACH_START.match(ln.text)
        if (m and not _ATTACH_LIST.match(ln.text) and (not m.group(2) or len(m.group(2)) < 60)) \
                or _ATTACH_ALONE.match(ln.text):
            starts.append(i)
    return starts


def _header_end(body: list[Line]) -> int:
    """The header is the lines before the first paragraph, numbered line or addressee line."""
    h_end = 0
    for i, ln in enumerate(body):
        if match_numbering(ln.text) or (len(ln.text) >= 60 and not _long_title(ln.text)) \
                or ln.text.endswith(("：", ":")) or ln.text.startswith("序号"):
            break
        h_end = i + 1
    return h_end


def _long_title(text: str) -> bool:
    """A formal title made long by its issuers (四个部门 "A B C D关于…的通知" of a joint
    issuance), not a paragraph: 关于…通知 on one line with no full stop and no citation."""
    return (len(text) <= 160 and "关于" in text and bool(md.TITLE_END.search(text))
            and not re.search("[。《]", text))


_SUBJECT_OPENER = re.compile(f"(?:{alternation('notice_words.tsv', 'subject-opener')})")


def _addressed_to(text: str) -> bool:
    """An addressee line ("各县（区）市场监管局，局机关各科室："), not the opening sentence of
    a report that ends in a colon ("…现将活动开展情况总结如下：")."""
    return (text.endswith(("：", ":")) and len(text) < 200 and "。" not in text
            and not _SUBJECT_OPENER.search(text))


def _read_heading(tree: NoticeTree, doc: _Layout) -> None:
    """Addressees, doc number and title; what the body cites and whether it follows the
    national deployment ("按照全国…部署")."""
    body, h_end, page = doc.body, doc.h_end, doc.page
    if h_end < len(body) and _addressed_to(body[h_end].text):
        tree.addressees = md.split_names(body[h_end].text)
    tree.doc_number = md.own_doc_number(doc.header) or page.fields.get("doc_number", "")
    tree.title = (md.formal_title(doc.header) or page.fields.get("title", "")
                  or headline(doc.lines) or md.find_title(doc.header, doc.body_text))
    if not tree.title and doc.starts:
        tree.title = _attachment_title(doc.lines, doc.starts[0])[0]
    for _s, _e, dn in md.find_doc_numbers(doc.body_text):
        if dn != tree.doc_number and dn not in tree.cited_doc_numbers:
            tree.cited_doc_numbers.append(dn)
    tree.follows_national = bool(md.FOLLOWING_NATIONAL.search(doc.body_text))
    for m in _CITED_TITLE.finditer(doc.body_text):
        if m.group(1) not in tree.cited_titles:
            tree.cited_titles.append(m.group(1))


def _read_closing(tree: NoticeTree, doc: _Layout, sec_idx: list[int], tail_idx: int) -> int | None:
    """Date, issuer and signatories from the closing matter (or from a cover note signed
    above the plan it sends, or from the page); the year the signing date states."""
    body, page = doc.body, doc.page
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
    tree.issuer = md.header_issuer(doc.header) or issuer or page.fields.get("issuer", "")
    tree.signatories = signatories
    return date_year


def _notice_lexicon(tree: NoticeTree, page: PageFacts, gaz: Gazetteer,
                    org_len: Callable[[str], int]) -> Lexicon:
    """The notice's own place (its context for place headers) and the lexicon the block
    finder reads names with."""
    text = tree.source.text
    j = gaz.resolve_notice(tree.title, tree.issuer, text and text[:20000],
                           page.fields.get("source", ""))
    if j is not None:
        tree.context_code = j.code
        tree.context_national = j.code is None
    return Lexicon(org_name_length=org_len, place=lambda name: _place(gaz, name, tree.context_code),
                   own_marker=j.name[-1] if j is not None and j.code else "")


def _read_leading_items(tree: NoticeTree, doc: _Layout, pre: list[Line], lex: Lexicon) -> None:
    """Numbered lines before the first section heading ("一、市市场监管局：…" in a notice
    with no headings, or a bare attachment saved on its own) are activities too."""
    first_num = next((k for k, ln in enumerate(pre)
                      if match_numbering(ln.text) or ln.text.startswith("序号")), None)
    if first_num is None:
        return
    # an unnumbered heading right above says what the run is ("2022年活动口号" above
    # "1. 坚持质量第一…" is a list of slogans, not of activities)
    h_end = doc.h_end
    above = pre[first_num - 1].text if first_num else (doc.body[h_end - 1].text if h_end else "")
    role = role_of(above) if len(above) <= 30 and not re.search(r"[。，；]", above) else ""
    _apply_role(tree, role if role in ("slogans", "roster") else "activities", tree.title,
                pre[first_num:], lex, strict=False)


def _read_sections(tree: NoticeTree, body: list[Line], sec_idx: list[int], tail_idx: int,
                   lex: Lexicon) -> None:
    """Each section ("一、活动主题" and the lines under it) read by its role."""
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


def _read_attachments(tree: NoticeTree, lines: list[Line], starts: list[int], lex: Lexicon) -> None:
    """Each attachment ("附件1" + title and the lines up to the next) read by its role."""
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        title, first = _attachment_title(lines, i)
        m = _ATTACH_START.match(lines[i].text)
        number = int(m.group(1)) if m else k + 1
        tree.attachments.append(Attachment(number, title, lines[i].start, lines[end - 1].end))
        _apply_role(tree, role_of(title), title, lines[first:end], lex, strict=False)


def _read_roster(tree: NoticeTree, doc: _Layout, lex: Lexicon, org_len: Callable[[str], int]) -> None:
    """A document without blocks is read as prose; the organizers a joint notice or a
    release names, and how many it counts."""
    if not tree.blocks:
        _prose(tree, doc.body, lex)
    if not tree.roster and len(tree.signatories) >= 3:
        tree.roster = list(tree.signatories)  # a joint notice: its signatories organize it
    if not tree.roster and all(b.role == "prose" for b in tree.blocks):
        tree.roster = joint_roster(doc.body_text, org_len)
    tree.organizer_count = organizer_count(doc.body_text)


def _read_theme_and_year(tree: NoticeTree, body_text: str, date_year: int | None) -> None:
    """The theme (a section's, else one stated in prose) and the edition's year."""
    tree.theme = clean_theme(tree.theme) if tree.theme else theme_in_prose(body_text)
    if not tree.theme:
        m = md.THEME_INLINE.search(body_text)
        if m:
            tree.theme = clean_theme(m.group(1))
    tree.year = (date_year or md.title_year(tree.title) or edition_year(body_text)
                 or (int(tree.issued[:4]) if tree.issued else None) or theme_year(tree.theme)
                 or _first_year(tree.source.text))


def _warn(tree: NoticeTree) -> None:
    if not tree.year:
        tree.warnings.append("no year stated")
    if not tree.blocks:
        tree.warnings.append("no activities stated")
    encoding = tree.source.encoding
    if encoding.startswith("mixed:"):
        tree.warnings.append(f"lines in different encodings ({encoding[6:]}); decoded line by line")


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
    _prose_headings(tree, body, lex)
    body_block: Block | None = None
    for ln in (ln for ln in body if is_prose_line(ln) and ln.text != tree.title):
        num = match_numbering(ln.text)
        rest = ln.text[num.length:].lstrip() if num else ln.text
        place = place_header(rest, lex)
        if place and place[1]:
            # a roundup's "福州市：举办…" paragraph is that place's
            tree.blocks.append(_place_paragraph(tree, ln, num, place[0], place[1]))
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


def _prose_headings(tree: NoticeTree, body: list[Line], lex: Lexicon) -> None:
    """Short unnumbered theme and slogan headings give their roles to the short lines
    under them."""
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


def _place_paragraph(tree: NoticeTree, ln: Line, num: Numbering | None, place: str,
                     inline: str) -> Block:
    """The prose block of a paragraph that opens with a place ("福州市：举办…")."""
    blk = Block(kind="jurisdiction", name=place, numbering=num.label if num else "",
                text=inline, start=ln.start, end=ln.end, section=tree.title, role="prose")
    blk.items.append(Item("", inline, ln.end - len(inline), ln.end))
    return blk


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
            and not md.TITLE_END.search(title) and md.TITLE_END.search(lines[j].text)):
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
