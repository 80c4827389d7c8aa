"""Stage 3, extract: ``NoticeTree`` → ``ExtractedNotice`` (activities with who and what).

One activity per distinct action: a numbered item is one activity; an unnumbered
paragraph is split into sentences, and a sentence that only explains the one before it
(it starts with a word from ``data/elaboration_starts.tsv``, or is very short) stays with
it. Each activity gets the surfaces of its organizer(s), co-organizers (联合/会同/配合/
与…共同), its place (for city/district blocks), campaigns and 《》 citations; ``resolve``
turns surfaces into nodes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from qmgraph.extract.campaigns import find_campaigns, find_citations, normalize_campaign
from qmgraph.lexicon.organizations import inside_known_name, org_name_length
from qmgraph.lexicon.places import national_actor
from qmgraph.lexicon.words import alternation, elaboration_starts, event_starts, patterns, words
from qmgraph.model import ActivityRecord, Block, ExtractedNotice, Item, NoticeTree
from qmgraph.parse.prose import activity_sentence, attends_at, lead_organization, prose_cues

_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def _any(kind: str) -> str:
    """The words of ``kind`` in ``data/activity_words.tsv`` as one alternation."""
    return alternation("activity_words.tsv", kind)


# "联合市教育局…", "与X共同举办": words before co-organizers; 与/和/同 count only when a
# joint action follows the names.
_JOINT_WORD = re.compile(f"({_any('joint-word')}|{_any('joint-word-with-action')})")
_NEEDS_ACTION = frozenset(words("activity_words.tsv", "joint-word-with-action"))
_JOINT_ACTION = re.compile(rf"^(?:[，,]?\s*)({_any('joint-action')})")
_NAME_JOINERS = "".join(words("activity_words.tsv", "name-joiner"))
# A list of agencies before its verb, and how it may close (等单位, 等8个部门): shared by
# the two patterns below.
_CO_LIST = (r"([^，。；：:（）()由]{2,120}?)(?:等(?:[0-9一二三四五六七八九十]+个)?"
            rf"(?:{alternation('notice_words.tsv', 'joint-body')}))?")
# "市发展改革委、市经济和信息化局等单位协办": a list closed by a helping verb.
_CO_BEFORE_VERB = re.compile(rf"{_CO_LIST}(?:{_any('co-verb')})")
# "由A主办，B承办": B carries out what A hosts (alone, "B承办了…" names the lead); a
# list of carriers may close like one of helpers ("B、C、D等8个部门承办").
_CO_CARRYING = re.compile(rf"(?:{_any('host-verb')})[，,]\s*{_CO_LIST}(?:{_any('carry-verb')})")
# What each of the two patterns above cannot match without (its closing verb): looked for
# first, since trying those patterns at every character of a long text is slow.
_CO_VERB = re.compile(_any('co-verb'))
_CARRY_VERB = re.compile(_any('carry-verb'))
_ROLE_NOUN = _any("role-noun")  # 牵头单位, 配合部门
_CO_COLUMN = re.compile(rf"[（(](?:{_any('co-note-label')})(?:{_ROLE_NOUN})[：:]([^）)]+)[）)]")
# Notes that name who leads and who helps: "（牵头单位：A；配合单位：B、C）",
# "（牵头部门：A 配合部门：B）", "牵头单位：A、B；责任单位：C" (bracketed or not).
_ROLE_LABEL = re.compile(
    f"({_any('lead-label')}|{_any('first-lead-label')}|{_any('co-label')})(?:{_ROLE_NOUN})[：:]"
)
_LEAD_ROLES = frozenset(words("activity_words.tsv", "lead-label"))
_FIRST_LEADS = frozenset(words("activity_words.tsv", "first-lead-label"))
# "（A牵头，B、C配合）"
_LEAD_PAIR = re.compile(rf"[（(]([^（）()]{{2,40}}?)(?:{_any('pair-lead')})"
                        rf"(?:[，,；;、\s]*([^（）()]{{2,60}}?)(?:{_any('pair-co')}))?[）)]")
_NOTE_SPAN = re.compile(rf"[（(][^（）()]*(?:{_ROLE_NOUN})[：:][^（）()]*[）)]"
                        rf"|(?:{_any('note-lead-label')})(?:{_ROLE_NOUN})[：:].*$")
_LEAD_BY_MANY = re.compile(rf"由((?:[^，。；由、]{{2,30}}、)+[^，。；由、]{{2,30}}?)"
                           rf"(?:{_any('host-adverb')})?(?:{_any('host-verb')})")
_LEAD_BY = re.compile(rf"由([^，。；、由]{{2,24}}?)(?:{_any('lead-verb')})")
# A sentence of a requirements section that orders a concrete action.
_CONCRETE = re.compile(rf"(?:{_any('concrete-verb')}).{{0,30}}?(?:{_any('concrete-object')})")
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NAME_SPLIT = re.compile(r"[、，,；;\s]+")
_NOT_A_NAME = re.compile(f"^({_any('not-a-name')})")


@functools.lru_cache(maxsize=1)
def _internal_units() -> re.Pattern[str]:
    return re.compile(patterns("internal_units.tsv"))


def _internal_unit(name: str) -> bool:
    """An internal office of the issuing agency (质监股, 办公室): ``data/internal_units.tsv``."""
    return bool(_internal_units().fullmatch(name.strip()))


_DAY = re.compile(r"(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})[日号]")
_VENUE = re.compile(
    rf"(?:^|[，。；\s])(?:[^，。；]{{0,30}}?)在([^，。；、“”《》]{{2,24}}?)(?:隆重)?(?:{_any('venue-verb')})")
_VENUE_FIELD = re.compile(r"活动地点[：:]\s*([^，。；\n\t]{2,24})")


def stated_date(text: str, year: int | None) -> str:
    """The day an activity's text states ("9月5日上午，…"), as an ISO date in the notice's
    year (or the year the text writes); "" when none is stated or no year is known."""
    m = _DAY.search(text)
    if not m:
        return ""
    y = int(m.group(1)) if m.group(1) else year
    mo, d = int(m.group(2)), int(m.group(3))
    if not y or not (1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def stated_venue(text: str) -> str:
    """Where an activity's text says it takes place: "在君山广场举行" (a name ending in a
    venue word, ``data/prose_cues.tsv`` kind venue), "活动地点：全市" (a labelled field)."""
    m = _VENUE_FIELD.search(text)
    if m:
        return m.group(1).strip()
    for m in _VENUE.finditer(text):
        place = m.group(1).strip()
        if prose_cues()["venue"].search(place) and not re.search(r"[由的]|\d+日", place):
            return place
    return ""


def split_sentences(text: str, start: int) -> list[tuple[str, int, int]]:
    """Sentences of ``text`` (which starts at offset ``start``), elaborations merged back."""
    spans: list[tuple[int, int]] = []  # relative to text
    pos = 0
    starts = elaboration_starts()
    for piece in _SENTENCE_END.split(text):
        a = pos + (len(piece) - len(piece.lstrip()))
        pos += len(piece)
        s = piece.strip()
        if not s:
            continue
        b = a + len(s)
        if spans and (s.startswith(starts) or len(s) < 8):
            spans[-1] = (spans[-1][0], b)
            continue
        spans.append((a, b))
    return [(text[a:b], start + a, start + b) for a, b in spans]


def _listed_names(span: str, org_len: Callable[[str], int]) -> list[str]:
    """The organization names of a list (A、B和C): every piece must be a whole name, else
    the span is no list of organizations and gives none."""
    names: list[str] = []
    for piece in _NAME_SPLIT.split(span.strip()):
        while piece:
            n = org_len(piece)
            if n < 2 or _NOT_A_NAME.match(piece):
                return []
            names.append(piece[:n])
            piece = piece[n:]
            if piece and piece[0] in _NAME_JOINERS:
                piece = piece[1:]
            elif piece:
                return []
    return names


def _names_own_place(name: str, place: str) -> bool:
    """Whether an organization name is written with the place (兰州市… or 兰州… for 兰州市)
    or relative to it (市市场监管局 in the block of a 市)."""
    if not place:
        return False
    short = place[:-1] if len(place) > 2 else place
    return name.startswith((short, place[-1]))


def find_co_organizers(text: str, org_len: Callable[[str], int]) -> list[str]:
    """Organizations named after 联合/会同/配合/与…(共同) in ``text``, in a table's 配合部门
    note, or in a list closed by a helping verb (A、B等单位协办)."""
    found: list[str] = []
    for m in _CO_COLUMN.finditer(text):  # a table's 配合部门 column, kept by the parser
        found += [n for n in re.split(r"[、，,；;\s]+", m.group(1)) if len(n) >= 2]
    text = _CO_COLUMN.sub("", text)
    listed = [*(_CO_BEFORE_VERB.finditer(text) if _CO_VERB.search(text) else ()),
              *(_CO_CARRYING.finditer(text) if _CARRY_VERB.search(text) else ())]
    for m in listed:
        found += _listed_names(m.group(1), org_len)
    found += _after_joint_words(text, org_len)
    return list(dict.fromkeys(found))


def _after_joint_words(text: str, org_len: Callable[[str], int]) -> list[str]:
    """The names right after each joint word (联合A、B开展; 与A共同举办)."""
    found: list[str] = []
    consumed = 0  # a trigger inside a name already read (住房和城乡建设局) is no trigger
    for m in _JOINT_WORD.finditer(text):
        if m.start() < consumed or inside_known_name(text, m.start()):
            continue
        names, pos = _names_from(text, m.end(), org_len)
        if not names:
            continue
        consumed = pos
        # 与/和/同 only count when a joint action follows ("与X共同举办", "与X签署"), and
        # "A和B等22个部门参加会议" counts who attends, not who joins in
        if m.group(1) in _NEEDS_ACTION and (not _JOINT_ACTION.match(text[pos:])
                                            or attends_at(text, pos)):
            continue
        found += names
    return found


def _names_from(text: str, pos: int, org_len: Callable[[str], int]) -> tuple[list[str], int]:
    """The names of a list starting at ``pos`` (A、B和C) and where the list ends."""
    names: list[str] = []
    while pos < len(text):
        n = org_len(text[pos:])
        name = text[pos:pos + n].strip()
        if n < 2 or _NOT_A_NAME.match(name):
            break
        names.append(name)
        pos += n
        if pos >= len(text) or text[pos] not in _NAME_JOINERS:
            break
        pos += 1
    return names, pos


_INLINE_SHI = re.compile(r"(?<=[。；])(?=[一二三四五六七八九十]{1,2}是)")


def _split_inline_numbering(items: list) -> list:
    """"一是…。二是…。" on one line: each 是-numbered part is its own item."""
    out = []
    for it in items:
        cuts = [m.start() for m in _INLINE_SHI.finditer(it.text)]
        if not cuts:
            out.append(it)
            continue
        bounds = [0, *cuts, len(it.text)]
        for k in range(len(bounds) - 1):
            part = it.text[bounds[k]:bounds[k + 1]]
            label = it.numbering if k == 0 else part[: part.index("是") + 1]
            body = part if k == 0 else part[len(label):]
            a = it.start + bounds[k] + (0 if k == 0 else len(label))
            out.append(Item(label, body.strip(), a, a + len(body.strip())))
    return out


def _names(text: str) -> list[str]:
    return [n for n in _NAME_SPLIT.split(text.strip("。；;，, ")) if len(n) >= 2 and not _NOT_A_NAME.match(n)]


def stated_leads(text: str, org_len: Callable[[str], int]) -> tuple[list[str], list[str]]:
    """(lead organizers, co-organizers) the activity text states itself, if it does."""
    labels = list(_ROLE_LABEL.finditer(text))
    if labels:
        leads: list[str] = []
        cos: list[str] = []
        for k, m in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
            chunk = re.split(r"[）)]", text[m.end():end], maxsplit=1)[0]
            names = _names(chunk)
            if m.group(1) in _LEAD_ROLES:
                leads += names
            elif m.group(1) in _FIRST_LEADS:
                # "责任单位：A、B、C" — the first named leads, the others take part
                (leads if not leads else cos).extend(names[:1])
                cos += names[1:]
            else:
                cos += names
        if leads:
            return list(dict.fromkeys(leads)), [c for c in dict.fromkeys(cos) if c not in leads]
    m = _LEAD_PAIR.search(text)
    if m and org_len(m.group(1)) >= 2:
        return _names(m.group(1)), _names(m.group(2) or "")
    m = _LEAD_BY.search(text)
    if m and org_len(m.group(1)) >= len(m.group(1)) - 1:
        return [m.group(1)], []
    return [], []


def _block_texts(block: Block) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """Activity texts of a block (text, start, end, table co-organizers): numbered items
    whole; paragraphs split into sentences."""
    items = _split_inline_numbering(block.items)
    numbered = any(it.numbering for it in items)
    out: list[tuple[str, int, int, tuple[str, ...]]] = []
    for it in items:
        if it.numbering:  # a report's "（二）开展质量宣传。9月2日…" line too is one action
            out.append((it.text, it.start, it.end, it.co))
        elif numbered and out and block.role != "prose":
            # an unnumbered line under a numbered item continues it (a report's paragraphs
            # are sentences)
            t, a, _b, co = out[-1]
            out[-1] = (t + "\n" + it.text, a, it.end, co)
        else:
            out.extend((t, a, b, it.co) for t, a, b in _after_event(
                block, out, split_sentences(it.text, it.start)))
    return out


def _after_event(block: Block, out: list[tuple[str, int, int, tuple[str, ...]]],
                 sentences: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The sentences of a paragraph, but for a first one that speaks of the event the
    paragraph before reported ("本次活动以…为主题，设置了咨询台…": ``event_starts``): that one
    is added to the event's text in ``out`` — a detail of the event, not another activity."""
    if sentences and out and sentences[0][0].startswith(event_starts()) \
            and _is_activity(block, out[-1][0].strip()):
        text, a, _b, co = out[-1]
        s, _a, b = sentences[0]
        out[-1] = (f"{text}\n{s}", a, b, co)
        return sentences[1:]
    return sentences


@dataclass
class _BlockHead:
    """Who a block's activities belong to before their own text says more."""

    organizers: list[str]
    joint: list[str]  #: "A、B、C联合举办": B and C join A's block
    place: str  #: a city or district block's place
    internal: bool  #: led by one of the issuer's own offices (质监股): the issuer's own


def _block_head(block: Block, issuer: str) -> _BlockHead:
    own = [issuer] if issuer else []
    if block.kind == "organizer":
        names = [n for n in block.name.split("、") if n]
        if _internal_unit(names[0] if names else ""):
            return _BlockHead(own, [], "", True)
        return _BlockHead(names[:1], names[1:], "", False)
    if block.kind == "jurisdiction":
        return _BlockHead([], [], block.name, False)
    return _BlockHead(own, [], "", False)


def _is_activity(block: Block, text: str) -> bool:
    """Whether one text of a block states an activity (not punctuation, an admonition of a
    requirements section, or prose that is background, speech or a dateline)."""
    if not _HAS_WORD.search(text):
        return False  # punctuation left over ("。" after a header)
    if block.role == "requirements":
        # an admonition (加强组织领导…, 请于10月8日前报送…) is not an activity
        return bool(_CONCRETE.search(text) or find_campaigns(text))
    if block.role == "prose":
        return activity_sentence(text, bool(find_campaigns(text)))
    return True


# "开展A、B、“C”“D”等系列活动": a run of named actions after a verb, closed by 等…活动;
# an aspect particle after the verb (开展了A、B、C等活动) belongs to the verb, not to A.
# (开展了解A、B、C等活动: 了 of the word 了解 stays)
_RUN_VERB = re.compile(
    f"(?:{_any('run-verb')})(?:(?!{_any('particle-word')})(?:{_any('run-verb-particle')}))?")
# …but "市场监管、教育、公安等部门联合宣传活动" lists who, not what
# …and "质量整治、质量提升、质量宣传等五大活动" lists kinds of activity, not named ones
_RUN_END = re.compile(
    rf"等(?!\d*[个家]?(?:{_any('run-who')}))(?![\d一二三四五六七八九十]+(?:{_any('run-kinds')}))"
    rf"[^，。；、“”]{{0,16}}?(?:{_any('run-object')})")


def named_run(text: str) -> list[tuple[int, int]]:
    """Spans of the named actions a sentence lists ("开展“亮屏”“五进”·质量微宣讲、“夯基”优服
    在行动等…", "实施“A”“B”“C”等助企帮扶系列行动"): three or more items, cut at 、 and between
    adjacent quotes; [] when the sentence lists none."""
    for v in _RUN_VERB.finditer(text):
        m = _RUN_END.search(text, v.end())
        if m is None:
            continue
        lo, hi = v.end(), m.start()
        if hi - lo > 200 or re.search(r"[，。；：]", text[lo:hi]):
            continue
        cuts = [lo]
        depth = 0  # a 、 inside quotes (消费品质量安全“进社区、进校园、进乡镇”) cuts nothing
        for k in range(lo, hi):
            depth += {"“": 1, "”": -1}.get(text[k], 0)
            if text[k] == "、" and depth <= 0:
                cuts += [k, k + 1]
            elif text[k] == "”" and k + 1 < hi and text[k + 1] == "“":
                cuts += [k + 1, k + 1]
        cuts.append(hi)
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)
                 if b - a >= 2 and _HAS_WORD.search(text[a:b])]
        if len(spans) >= 3:
            return spans
    return []


@dataclass
class _Who:
    """Who did what one sentence or item states."""

    organizers: list[str]
    co: list[str]
    kind: str


class _Extractor:
    """Turns one parsed notice's blocks into activity records."""

    def __init__(self, tree: NoticeTree, org_len: Callable[[str], int]) -> None:
        self.tree = tree
        self.org_len = org_len
        # the organization acting in a release's prose until a sentence names another: the
        # lead of its stated roster ("市场监管总局、住房城乡建设部等27个部门…"), else the one
        # its headline names acting ("江宁区市场监管局举办“质量月”质量知识竞赛")
        self.prose_lead = (tree.roster[0] if tree.roster
                           else lead_organization(tree.title, org_len) if tree.title else "")
        if not self.prose_lead and tree.context_national and not tree.issuer:
            # a national page with no issuer: the central body its opening has acting
            # (国家质检总局…部署), not the State Council a place's government would give
            self.prose_lead = national_actor(tree.source.text)

    def _leads(self, block: Block, text: str) -> tuple[list[str], list[str]]:
        """(leads, co-organizers) the activity's own text states."""
        org_len = self.org_len
        leads, co = stated_leads(text, org_len) if block.kind != "organizer" else ([], [])
        if block.role == "prose" and not leads:
            m = _LEAD_BY_MANY.search(text)  # "由A、B联合主办": A leads, B joins in
            names = [n for n in m.group(1).split("、")] if m else []
            if names and all(org_len(n) >= len(n) - 1 for n in names):
                return names[:1], names[1:]  # this event's hosts, not the text's actor
            # "省市场监管局联合…开展", "由A主办": the sentence names who acts; else the
            # organization the document's prose last named as acting
            lead = lead_organization(text, org_len)
            if lead:
                self.prose_lead = lead
            # a roundup's place block is that place's, never another's last actor
            leads = [self.prose_lead] if self.prose_lead and block.kind == "body" else []
        if not leads and block.kind == "jurisdiction":
            n = org_len(text)  # "区市场监管局联合区教育局开展…" inside a place block
            # else the block place's own body acting later in it ("9月3日，兰州市市场监管局
            # 联合…举办"), not a partner it joins (联合泸州、重庆荣昌区市场监管局举办)
            lead = text[:n] if n >= 2 else lead_organization(text, org_len)
            leads = [lead] if lead and (n >= 2 or _names_own_place(lead, block.name)) else []
        return leads, co

    def who(self, block: Block, head: _BlockHead, text: str,
            table_co: tuple[str, ...]) -> _Who:
        tree = self.tree
        # an issuer's own office leads the issuer's own activity; with no issuer known, the
        # activity is the notice's like any other (no block of an organizer to name)
        these, kind = head.organizers, ("body" if head.internal and head.organizers else "")
        leads, stated_co = self._leads(block, text)
        lead_kind = "organizer"
        if leads and _internal_unit(leads[0]):
            leads = [tree.issuer] if tree.issuer else []  # "牵头部门：质监股" → the issuer
            lead_kind = ""
        if leads:
            # a body item that names its lead belongs to that organizer; a place block
            # stays a place block, led by the named local agency; a sentence of prose
            # keeps its paragraph (no block of that organizer exists)
            these = leads
            kind = lead_kind if block.kind == "body" and block.role != "prose" else ""
        named = find_co_organizers(_NOTE_SPAN.sub("", text), self.org_len)
        co = [c for c in [*head.joint, *table_co, *stated_co, *named]
              if c not in these and not _internal_unit(c)]
        return _Who(list(these), list(dict.fromkeys(co)), kind)

    def records(self, bi: int, ii: int, block: Block, head: _BlockHead, text: str,
                a: int, b: int, table_co: tuple[str, ...]) -> list[ActivityRecord]:
        """The activity of one text, or in prose one per named action it lists (each with
        the sentence's organizers, date and venue and the campaigns named in it)."""
        who = self.who(block, head, text, table_co)
        campaigns = find_campaigns(text)
        parts = named_run(text) if block.role == "prose" else []
        if not parts:
            parts, whole = [(0, len(text))], True
        else:
            whole = False
        out = []
        for k, (s, e) in enumerate(parts):
            item = text[s:e]
            mine = campaigns if whole else [c for c in campaigns
                                            if c in normalize_campaign(item)]
            out.append(ActivityRecord(
                local=f"b{bi:02d}-i{ii:02d}" if whole else f"b{bi:02d}-i{ii:02d}-{k + 1:02d}",
                block_index=bi, text=item, start=a if whole else a + s,
                end=b if whole else a + e, organizers=who.organizers, co_organizers=who.co,
                jurisdiction=head.place, campaigns=mine, cites=find_citations(item),
                kind=who.kind, date=stated_date(text, self.tree.year), venue=stated_venue(text)))
        return out


def extract_notice(tree: NoticeTree, org_len: Callable[[str], int] | None = None) -> ExtractedNotice:
    """All activities of one parsed notice."""
    ex = _Extractor(tree, org_len or org_name_length)
    acts: list[ActivityRecord] = []
    for bi, block in enumerate(tree.blocks, start=1):
        head = _block_head(block, tree.issuer)
        for ii, (text, a, b, table_co) in enumerate(_block_texts(block), start=1):
            a += len(text) - len(text.lstrip())  # "\n举办…" under a bare "1.": its own span
            text = text.strip()
            if _is_activity(block, text):
                acts.extend(ex.records(bi, ii, block, head, text, a, b, table_co))
    return ExtractedNotice(tree=tree, activities=acts)


__all__ = ["extract_notice", "find_co_organizers", "named_run", "split_sentences"]
