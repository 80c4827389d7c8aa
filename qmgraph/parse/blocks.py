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

from qmgraph.lexicon.places import subcounty_unit
from qmgraph.lexicon.words import patterns
from qmgraph.model import Block, Item
from qmgraph.parse.metadata import Line
from qmgraph.parse.numbering import Numbering, match_numbering
from qmgraph.tables import column_role

# "市市场监管委开展的活动", "省级部门主要活动" — a header that names, then announces.
_ANNOUNCE = re.compile(
    f"(?:{patterns('block_groups.tsv', 'announce-lead')})?(?:{patterns('block_groups.tsv', 'announce')})"
    f"(?:{patterns('block_groups.tsv', 'announce-tail')})?" "[：:]?$")
# "市级部门开展的活动", "各区开展的活动": a group header (data/block_groups.tsv)…
_GROUP_HEAD = re.compile(
    f"^(?:{patterns('block_groups.tsv', 'group')})" r".{0,12}?"
    f"(?:{patterns('block_groups.tsv', 'group-announce')})?(?:{patterns('block_groups.tsv', 'announce')})"
)
# "（二）乡镇（街道）活动": a short numbered line that ends so opens a group too.
_SUB_GROUP_END = re.compile(f"(?:{patterns('block_groups.tsv', 'sub-group-end')})[：:]?$")
# …and a title whose blocks are places ("各县（市、区）开展的活动", "乡镇（街道）活动").
_PLACE_GROUP_HEAD = re.compile(patterns("block_groups.tsv", "place-group"))
_SEPARATOR = re.compile(r"^(.{2,30}?)(?:\s+|[：:])(?=\S)")
_SENTENCE_PUNCT = set("，。；、“”《》")
_BRACKETED = re.compile(r"^[【\[][^】\]]{2,30}[】\]]")  # "【市公安局】开展…" heads a block unnumbered
# A table flattened to text: "序号 活动内容 牵头部门 配合部门 时间…" then one row per line;
# column roles come from data/table_columns.tsv.
_ROW_NUM = re.compile(r"^(\d{1,3})(?:\t|\s+)(.*)$")


def table_columns(header: str) -> list[str] | None:
    """Column roles of a table header line (序号 first), or None if it is no such header."""
    cells = [c for c in re.split(r"\t|\s+", header.strip()) if c]
    if len(cells) < 3 or column_role(cells[0]) != "number":
        return None
    roles = [column_role(c) for c in cells[1:]]  # data/table_columns.tsv
    if "content" not in roles:
        return None
    return roles


def table_rows(lines: list[Line], i: int, roles: list[str]
               ) -> tuple[list[tuple[Line, str, str, str, list[str], str]], int]:
    """Rows of a flattened table under ``lines[i]``: (line, no, content, lead, co names,
    place).

    Tab-separated rows are read by column; space-separated ones (tabs lost on the way)
    take the lead and co-organizer cells from the right, as the content may hold spaces."""
    rows = []
    j = i + 1
    while j < len(lines):
        m = _ROW_NUM.match(lines[j].text)
        if not m:
            break
        if "\t" in m.group(2):
            cells = [c.strip() for c in m.group(2).split("\t")]
            cells += [""] * (len(roles) - len(cells))
            by = {r: cells[k] for k, r in reversed(list(enumerate(roles)))}
            content, lead, co = by.get("content", ""), by.get("lead", ""), by.get("co", "")
            area = by.get("area", "")
        else:
            area = ""
            cells = m.group(2).split(" ")
            co = cells.pop() if "co" in roles and len(cells) >= 3 else ""
            lead = cells.pop() if len(cells) >= 2 else ""
            content = " ".join(cells)
        names = [n for n in re.split(r"[、，,；;\s]+", co) if len(n) >= 2]
        # "各县市区市场监管局" names many units, not one organizer
        leads = [n for n in re.split(r"[、，,；;]+", lead) if len(n) >= 2 and not n.startswith("各")]
        # "省市场监管局、省商务厅" in one lead cell: the first leads, the others join in
        rows.append((lines[j], m.group(1), content, leads[0] if leads else "", leads[1:] + names, area))
        j += 1
    return rows, j


# A table flattened to one cell per line ("序号", "活动内容", "活动时间", "牵头部门", then each
# row's cells, the row numbers often dropped as page residue and empty cells lost): a time
# cell says a month, a day or part of one; an organizer cell is a list of names.
_TIME_CELL = re.compile(patterns("table_cells.tsv", "time"))
_CELL_SPLIT = re.compile(r"[、，,；;\s]+")
_INTERNAL_UNIT = re.compile(patterns("internal_units.tsv"))


def _cell_fits(cell: str, role: str, lex: Lexicon) -> bool:
    """Whether one cell of a one-cell-per-line table can be the ``role`` column's."""
    if "。" in cell or len(cell) > 60:
        return False  # a sentence is content
    if role == "time":
        return len(cell) <= 24 and _TIME_CELL.search(cell) is not None
    if role in ("lead", "co"):
        names = [n for n in _CELL_SPLIT.split(cell) if n]
        return bool(names) and all(
            lex.org_name_length(n) >= len(n) - 1 or _INTERNAL_UNIT.fullmatch(n) is not None
            or (n.startswith("各") and len(n) <= 12) for n in names)
    if role == "area":
        return _is_place(cell, lex)
    return role == "place" and len(cell) <= 24


def cell_table(lines: list[Line], i: int, lex: Lexicon
               ) -> tuple[list[tuple[Line, str, str, str, list[str], str]], int] | None:
    """Rows of a table flattened to one cell per line under the lone header cell
    ``lines[i]`` (序号), as ``table_rows`` gives them, and the index after the table; None
    when the lines under it are no header cells. A row opens with a content cell; the cells
    after it fill the later columns they fit, in order (an empty cell is simply missing)."""
    if column_role(lines[i].text.strip()) != "number":
        return None
    roles: list[str] = []
    j = i + 1
    while j < len(lines) and (role := column_role(lines[j].text.strip())) not in ("other", "number"):
        roles.append(role)
        j += 1
    if "content" not in roles or len(roles) < 2:
        return None
    after = roles[roles.index("content") + 1:]
    rows: list[tuple[Line, str, str, str, list[str], str]] = []
    # per row: the index of its content line, and whether a row number or a cell of
    # another column shows it is a row of the table
    seen: list[tuple[int, bool]] = []
    cells: dict[str, str] = {}
    content: Line | None = None
    start, numbered = 0, False

    def close() -> None:
        if content is not None:
            lead = [n for n in _CELL_SPLIT.split(cells.get("lead", "")) if n and not n.startswith("各")]
            co = [n for n in _CELL_SPLIT.split(cells.get("co", "")) if len(n) >= 2]
            rows.append((content, str(len(rows) + 1), content.text.strip(),
                         lead[0] if lead else "", lead[1:] + co, cells.get("area", "")))
            seen.append((start, numbered or bool(cells)))

    while j < len(lines):
        text = lines[j].text.strip()
        if text.isdigit():  # a row number the page kept
            close()
            content, cells, numbered = None, {}, True
            j += 1
            continue
        if match_numbering(text) or column_role(text) == "number":
            break  # the text after the table, or another table
        free = [r for r in after if r not in cells]
        role = next((r for r in free if content is not None and _cell_fits(text, r, lex)), None)
        if role is None:
            if content is not None:
                close()
                numbered = False
            content, cells, start = lines[j], {}, j
        else:
            # a later column filled first means the ones before it were empty
            for r in after[: after.index(role)]:
                cells.setdefault(r, "")
            cells[role] = text
        j += 1
    close()
    # lines after the last row with a cell, none of them numbered, are the text after the
    # table ("各单位要高度重视…", a closing note), not rows whose every cell is empty
    if any(shown for _, shown in seen):
        while seen and not seen[-1][1]:
            j = seen.pop()[0]
            rows.pop()
    return (rows, j) if rows else None


@dataclass
class Lexicon:
    """What the block finder needs to know about names; supplied by the caller."""

    org_name_length: Callable[[str], int]  #: length of an org name at the start, 0 if none
    place: Callable[[str], object | None]  #: a place name (exact) → a jurisdiction or None
    #: the relative marker of the notice's own level (省, 市, 区…): "市公安局" in a city
    #: notice is the city's own agency, not one of a district block's
    own_marker: str = ""


def _is_place(name: str, lex: Lexicon) -> bool:
    # a unit below a county that GB/T 2260 does not list (雉城街道) heads a block too
    return lex.place(name) is not None or subcounty_unit(name)


def place_header(rest: str, lex: Lexicon) -> tuple[str, str] | None:
    """``(name, inline text)`` when ``rest`` starts with a place and nothing else of a header:
    "和平区", "成都市：…", "成都市开展的活动", "雉城街道：…"."""
    core = rest.rstrip("：:").strip()
    if len(core) <= 12 and lex.place(core) is not None:
        return core, ""
    m = re.match(r"^(.{2,12}?)[：:]\s*(.*)$", rest)
    if m and _is_place(m.group(1).strip(), lex):
        return m.group(1).strip(), m.group(2)
    m = _ANNOUNCE.search(rest)
    if m and 2 <= m.start() <= 12 and not (set(rest) & _SENTENCE_PUNCT - {"、"}):
        name = rest[: m.start()].strip()
        if _is_place(name, lex):
            return name, ""
    return None


def _inside_place(name: str, place: str, lex: Lexicon) -> bool:
    """"区市场监管局" under "（一）吴兴区" belongs to that district's block; "省公安厅" does not."""
    if name.startswith(place):
        return True
    marker = place[-1]
    return name.startswith(marker) and marker != lex.own_marker


def _org_header(rest: str, lex: Lexicon) -> tuple[str, str] | None:
    """``(name, inline text)`` when ``rest`` starts with an organization."""
    # Announcing header: "市市场监管委开展的活动"
    if len(rest) <= 40 and not (set(rest) & _SENTENCE_PUNCT - {"、"}):
        m = _ANNOUNCE.search(rest)
        if m and m.start() >= 2:
            name = rest[: m.start()].strip()
            if lex.org_name_length(name) >= len(name) - 1 or len(name) <= 16:
                return name, ""
    # "省 教 育 厅：开展…" — a name letter-spaced for layout
    m = re.match(r"^((?:\S ){1,14}\S)\s*[：:]\s*(.*)$", rest)
    if m and not (set(m.group(1)) & _SENTENCE_PUNCT):
        return m.group(1).replace(" ", ""), m.group(2)
    # "【省公安厅】开展…" — a bracketed name
    m = re.match(r"^[【\[]([^】\]]{2,30})[】\]]\s*[：:]?\s*(.*)$", rest)
    if m and not (set(m.group(1)) & _SENTENCE_PUNCT):
        return m.group(1).strip(), m.group(2)
    n = lex.org_name_length(rest)
    if n >= 2:
        # "省市场监管厅、省教育厅联合开展…" — several organizers lead one block
        while n < len(rest) and rest[n] == "、":
            m2 = lex.org_name_length(rest[n + 1:])
            if m2 < 2:
                break
            n += 1 + m2
        # "（一）省市场监管局。会同…" — punctuation after the name only closes the header
        return rest[:n].strip(), rest[n:].lstrip(" ：:。．；;，,")
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
    finder = _BlockFinder(lex, section, strict_orgs)
    k = 0
    while k < len(lines):
        k = finder.read(lines, k)
    return finder.blocks_found()


class _BlockFinder:
    """Reads one activity region line by line: the blocks so far, the open one and the
    group header the lines are under."""

    def __init__(self, lex: Lexicon, section: str, strict_orgs: bool) -> None:
        self.lex = lex
        self.section = section
        self.strict_orgs = strict_orgs
        self.blocks: list[Block] = []
        self.current: Block | None = None
        # A region titled "各县（市、区）开展的活动" is itself a group of place blocks.
        self.group = section if _PLACE_GROUP_HEAD.search(section) else ""

    def read(self, lines: list[Line], k: int) -> int:
        """Read ``lines[k]`` (for a table header, the whole table); the next index to read."""
        ln = lines[k]
        roles = table_columns(ln.text) if ln.text.startswith("序号") else None
        if roles:
            rows, after = table_rows(lines, k, roles)
            self._table(rows)
            return after
        cells = cell_table(lines, k, self.lex) if len(ln.text.strip()) <= 4 else None
        if cells:
            self._table(cells[0])
            return cells[1]
        num = match_numbering(ln.text)
        if num or _BRACKETED.match(ln.text) is not None:
            self._numbered(ln, num)
        else:
            self._unnumbered(ln)
        return k + 1

    def blocks_found(self) -> list[Block]:
        """The blocks with items, their text and end set from the items."""
        for blk in self.blocks:
            blk.text = "\n".join(it.text for it in blk.items)
            if blk.items:
                blk.end = max(blk.end, blk.items[-1].end)
        return [b for b in self.blocks if b.items]

    # ------------------------------------------------------------------ lines

    def _new_block(self, kind: str, name: str, numbering: str, ln: Line, inline: str) -> Block:
        blk = Block(kind=kind, name=name, numbering=numbering, text="", start=ln.start,
                    end=ln.end, section=self.section, group=self.group)
        if inline.strip():
            istart = ln.end - len(inline)
            blk.items.append(Item("", inline.strip(), istart, ln.end))
        self.blocks.append(blk)
        return blk

    def _table(self, rows: list[tuple[Line, str, str, str, list[str], str]]) -> None:
        """One block per row keyed by a place or led by an organizer; rows without either
        join the open block, else the issuer's own."""
        for row_line, no, content, lead, co, area in rows:
            a = row_line.start + row_line.text.find(content) if content else row_line.start
            item = Item(f"{no}", content, a, a + len(content), tuple(co))
            if area and _is_place(area, self.lex):  # a table keyed by city or district
                self.current = self._new_block("jurisdiction", area, f"{no}", row_line, "")
            elif lead:
                self.current = self._new_block("organizer", lead, f"{no}", row_line, "")
            elif self.current is None:
                # no lead cell (a table without one, or a blank "same as above" cell)
                self.current = self._new_block("body", "", "", row_line, "")
            self.current.items.append(item)
        self.current = None

    def _numbered(self, ln: Line, num: Numbering | None) -> None:
        """A numbered (or 【bracketed】) line: a header of a group, a place or an organizer,
        else an item."""
        rest = ln.text[num.length:] if num else ln.text
        label = num.label if num else ""
        if _GROUP_HEAD.match(rest) and len(rest) <= 30:
            self._open_group(rest)
            return
        place = place_header(rest, self.lex)
        if place:
            self.current = self._new_block("jurisdiction", place[0], label, ln, place[1])
            return
        org = self._organizer(rest)
        if org:
            self.current = self._new_block("organizer", org[0], label, ln, org[1])
            return
        if num and len(rest) <= 16 and _SUB_GROUP_END.search(rest) \
                and not (set(rest) & _SENTENCE_PUNCT):
            self._open_group(rest)  # "（二）乡镇（街道）活动"
            return
        self._item(ln, rest, label, num)

    def _open_group(self, header: str) -> None:
        self.group = header.rstrip("：:")
        self.current = None

    def _organizer(self, rest: str) -> tuple[str, str] | None:
        """``(name, inline text)`` when ``rest`` heads an organizer block here."""
        org = _org_header(rest, self.lex)
        if org is None:
            return None
        if self.strict_orgs and (not _looks_org(org[0], self.lex)
                                 or (org[1][:1] and org[1][:1] in "、，,")):
            return None  # body items open with a phrase, rarely with an organizer
        cur = self.current
        if cur is not None and cur.kind == "jurisdiction" and _inside_place(org[0], cur.name, self.lex):
            return None  # an agency of the place itself: an item of the place block
        return org

    def _item(self, ln: Line, rest: str, label: str, num: Numbering | None) -> None:
        """A numbered item. Numbered like the header of the open organizer or place block,
        it is that header's sibling, not its child: it goes to the issuer."""
        cur = self.current
        if cur is not None and cur.kind != "body" and num and cur.numbering \
                and _style(cur.numbering) == num.style:
            self.current = next((b for b in reversed(self.blocks) if b.kind == "body"
                                 and b.section == self.section), None)
        if self.current is None:
            self.current = self._new_block("body", "", "", ln, "")
        self.current.items.append(Item(label, rest.strip(), ln.end - len(rest), ln.end))
        self.current.end = ln.end

    def _unnumbered(self, ln: Line) -> None:
        """A place header ("玉州区：…", or "和平区" alone under a place group), or the
        continuation of the open block."""
        place = place_header(ln.text, self.lex)
        if place and (place[1] or _PLACE_GROUP_HEAD.search(self.group)):
            self.current = self._new_block("jurisdiction", place[0], "", ln, place[1])
            return
        if self.current is None:
            if self.group:  # an introduction under a group header ("各区…开展相关活动如下：")
                return
            self.current = self._new_block("body", "", "", ln, "")
        self.current.items.append(Item("", ln.text, ln.start, ln.end))
        self.current.end = ln.end


def _style(label: str) -> str:
    num = match_numbering(label + " x")
    return num.style if num else ""


def _looks_org(name: str, lex: Lexicon) -> bool:
    """Every part of the (possibly joint, 、-separated) name is an organization name."""
    parts = name.split("、")
    return all(lex.org_name_length(p) >= max(2, len(p) - 1) for p in parts)
