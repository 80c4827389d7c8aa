"""Activity regions → blocks: who (an organizer or a place) leads which activities.

A region is a body section or an attachment whose role is ``activities``. Inside it, each
numbered line is one of:

* a group header ("1、市级部门开展的活动", "二、各区开展的活动") — remembered, no block;
* a place header ("（一）和平区", "成都市：联合举办…") — a ``jurisdiction`` block;
* an organizer header ("（1）市市场监管委开展的活动") or an organizer leading its own text
  ("三、省公安厅围绕…", "一、省市场监管局  联合…") — an ``organizer`` block;
* an item ("1、举办…") — added to the current block, or to the issuer's ``body`` block.

Unnumbered lines continue the current block. Numbers are never used to nest or count, so
skipped, restarted or mixed numbering cannot drop or merge blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qmgraph.model import Block, Item
from qmgraph.parse.metadata import Line
from qmgraph.parse.numbering import match_numbering

# "市市场监管委开展的活动", "省级部门主要活动" — a header that names, then announces.
_ANNOUNCE = re.compile(r"(?:开展的?|组织的?|主要|重点)?(?:活动|工作)(?:安排|情况|摘要)?[：:]?$")
_GROUP = re.compile(
    r"^(?:[市省区县州盟旗]级|各[市省区县州盟旗地]|各地|各部门|各成员单位|市级|省级|区级|县级|"
    r"联合主办单位|成员单位|相关部门|各有关部门).{0,12}?(?:开展的?|主要|重点)?(?:活动|工作)"
)
_PLACE_GROUP = re.compile(r"^各[市区县州盟旗地]|[区县]级|市[（(]州[）)]|各地")
_SEPARATOR = re.compile(r"^(.{2,30}?)(?:\s+|[：:])(?=\S)")
_SENTENCE_PUNCT = set("，。；、“”《》")
_BRACKETED = re.compile(r"^[【\[][^】\]]{2,30}[】\]]")  # "【市公安局】开展…" heads a block unnumbered
# A table flattened to text: "序号 活动内容 牵头部门 配合部门" then one row per line.
_TABLE_HEAD = re.compile(r"^序号\s*(?:主要)?(?:活动|工作)(?:内容|名称|安排)\s*(?:牵头|责任|主办)(?:部门|单位)(?:\s*(?:配合|协办|参与)(?:部门|单位))?\s*$")
_ROW_NUM = re.compile(r"^(\d{1,3})(?:\t|\s+)(.*)$")


def table_rows(lines: list[Line], i: int) -> tuple[list[tuple[Line, str, str, str, str]], int]:
    """Rows of a flattened table whose header is ``lines[i]``: (line, no, content, lead, co).

    Cells are separated by spaces (tabs became spaces in ingest); the content cell may hold
    spaces itself, so the lead and co-organizer cells are taken from the right."""
    has_co = bool(re.search(r"(?:配合|协办|参与)(?:部门|单位)", lines[i].text))
    rows = []
    j = i + 1
    while j < len(lines):
        m = _ROW_NUM.match(lines[j].text)
        if not m:
            break
        sep = "\t" if "\t" in m.group(2) else " "
        cells = [c.strip() for c in m.group(2).split(sep)]
        co = ""
        if has_co and len(cells) >= 3:
            co = cells.pop()
        lead = cells.pop() if len(cells) >= 2 else ""
        rows.append((lines[j], m.group(1), " ".join(cells), lead, co))
        j += 1
    return rows, j


@dataclass
class Lexicon:
    """What the block finder needs to know about names; supplied by the caller."""

    org_name_length: Callable[[str], int]  #: length of an org name at the start, 0 if none
    place: Callable[[str], object | None]  #: a place name (exact) → a jurisdiction or None


def _place_header(rest: str, lex: Lexicon) -> tuple[str, str] | None:
    """``(name, inline text)`` when ``rest`` starts with a place and nothing else of a header."""
    core = rest.rstrip("：:").strip()
    if len(core) <= 12 and lex.place(core) is not None:
        return core, ""
    m = re.match(r"^(.{2,12}?)[：:]\s*(.*)$", rest)
    if m and lex.place(m.group(1).strip()) is not None:
        return m.group(1).strip(), m.group(2)
    return None


def _org_header(rest: str, lex: Lexicon) -> tuple[str, str] | None:
    """``(name, inline text)`` when ``rest`` starts with an organization."""
    # Announcing header: "市市场监管委开展的活动"
    if len(rest) <= 40 and not (set(rest) & _SENTENCE_PUNCT - {"、"}):
        m = _ANNOUNCE.search(rest)
        if m and m.start() >= 2:
            name = rest[: m.start()].strip()
            if lex.org_name_length(name) >= len(name) - 1 or len(name) <= 16:
                return name, ""
    # "【省公安厅】开展…" — a bracketed name
    m = re.match(r"^[【\[]([^】\]]{2,30})[】\]]\s*[：:]?\s*(.*)$", rest)
    if m and not (set(m.group(1)) & _SENTENCE_PUNCT):
        return m.group(1).strip(), m.group(2)
    n = lex.org_name_length(rest)
    if n >= 2:
        return rest[:n].strip(), rest[n:].lstrip(" ：:")
    # "一、省市场监管局  联合…" — a short name set off by spaces or a colon.
    m = _SEPARATOR.match(rest)
    if m and not (set(m.group(1)) & _SENTENCE_PUNCT):
        return m.group(1).strip(), rest[m.end():]
    return None


def find_blocks(
    lines: list[Line], lex: Lexicon, *, section: str, strict_orgs: bool
) -> list[Block]:
    """Blocks of one activity region; items outside any block go to a ``body`` block.

    ``strict_orgs`` (body sections) accepts an organizer header only when the lexicon knows
    the whole name, since body items ("（一）全面落实…") rarely start with one.
    """
    blocks: list[Block] = []
    current: Block | None = None
    group = ""

    def new_block(kind: str, name: str, numbering: str, ln: Line, inline: str) -> Block:
        blk = Block(kind=kind, name=name, numbering=numbering, text="", start=ln.start,
                    end=ln.end, section=section, group=group)
        if inline.strip():
            istart = ln.end - len(inline)
            blk.items.append(Item("", inline.strip(), istart, ln.end))
        blocks.append(blk)
        return blk

    skip_to = 0
    for k, ln in enumerate(lines):
        if k < skip_to:
            continue
        if _TABLE_HEAD.match(ln.text):
            rows, skip_to = table_rows(lines, k)
            for row_line, no, content, lead, co in rows:
                inline = content + (f"（配合部门：{co}）" if co else "")
                if lead:
                    current = new_block("organizer", lead, f"{no}", row_line, "")
                    current.items.append(Item(f"{no}", inline, row_line.start, row_line.end))
                elif current is not None:
                    current.items.append(Item(f"{no}", inline, row_line.start, row_line.end))
            current = None
            continue
        num = match_numbering(ln.text)
        rest = ln.text[num.length:] if num else ln.text
        label = num.label if num else ""
        bracketed = not num and _BRACKETED.match(ln.text) is not None
        if num or bracketed:
            if _GROUP.match(rest) and len(rest) <= 30:
                group = rest.rstrip("：:")
                current = None
                continue
            place = _place_header(rest, lex)
            if place:
                current = new_block("jurisdiction", place[0], label, ln, place[1])
                continue
            org = _org_header(rest, lex)
            if org and strict_orgs and (not _looks_org(org[0], lex) or (org[1][:1] and org[1][:1] in "、，,")):
                org = None  # body items open with a phrase, rarely with an organizer
            if org:
                current = new_block("organizer", org[0], label, ln, org[1])
                continue
            # A numbered item.
            if current is None:
                current = new_block("body", "", "", ln, "")
            current.items.append(Item(label, rest.strip(), ln.end - len(rest), ln.end))
            current.end = ln.end
            continue
        # Unnumbered line: a place header standing alone under a place group, or continuation.
        if _PLACE_GROUP.search(group):
            place = _place_header(ln.text, lex)
            if place:
                current = new_block("jurisdiction", place[0], "", ln, place[1])
                continue
        if current is None:
            if group:  # an introduction under a group header ("各区…开展相关活动如下：")
                continue
            current = new_block("body", "", "", ln, "")
        current.items.append(Item("", ln.text, ln.start, ln.end))
        current.end = ln.end
    for blk in blocks:
        blk.text = "\n".join(it.text for it in blk.items)
        if blk.items:
            blk.end = max(blk.end, blk.items[-1].end)
    return [b for b in blocks if b.items]


def _looks_org(name: str, lex: Lexicon) -> bool:
    return lex.org_name_length(name) >= max(2, len(name) - 1)
