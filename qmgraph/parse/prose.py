"""Facts that press releases, meeting reports and summaries state in sentences.

A release has no "一、活动主题" section and no organizer blocks; it says the same things in
prose: "活动主题是“…”", "以“…”为主题", "省市场监管局联合省发展改革委、省科技厅等17个部门",
"2021年福州市“质量月”活动正式启动". The finders here read those frames; they return what
the text states and nothing else. Sentence cues are ``data/prose_cues.tsv``; national
themes by year are ``data/national_themes.tsv``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from qmgraph.lexicon.words import alternation, citation_words, patterns, words
from qmgraph.parse.metadata import Line, cn_number
from qmgraph.tables import read_table

# "活动主题是：“…”", "主题——“…”", "主题为“…”"
_THEME_QUOTED_AFTER = re.compile(r"主题(?:是|为)?\s*(?:[：:]|——|—)?\s*[“\"]([^”\"]{4,50})[”\"]")
# "以“…”为主题", "围绕“…”活动主题", "“…”为主题的"
_THEME_QUOTED_BEFORE = re.compile(
    r"[“\"]([^“”\"]{4,50})[”\"]\s*(?:的)?(?:活动)?(?:为|作为)?\s*主题"
    f"(?!{alternation('notice_words.tsv', 'theme-compound')})")
# "全国统一主题：加强质量支撑 共建质量强国"
_THEME_COLON = re.compile(r"主题(?:是|为)?\s*[：:]\s*([^“”\"。；\n]{4,50})")
_EDITION_YEAR = re.compile(
    r"(?<![自从])((?:19|20)\d{2}|[一二][〇零○九][〇零○一二三四五六七八九]{2})\s*年(?:度)?"
    f"(?:(?!{alternation('notice_words.tsv', 'edition-break')})" r"[^。，；“”\n]){0,10}?[“\"]?质量月(?!”?(?:活动)?以来)"
)
# what a count of organizers counts (等27个部门, 16个主要成员单位)
_BODY = f"(?:主要)?(?:{alternation('notice_words.tsv', 'counted-body')})"
_COUNT = re.compile(
    f"(?:{alternation('notice_words.tsv', 'count-lead')})"
    r"\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[个家]\s*"
    f"{_BODY}"
)
_LIST_BEFORE_COUNT = re.compile(r"([^，。；：“”《》]{2,400}?)等\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[个家]")
# "…等26个单位负责同志参加会议": the bodies attend a meeting; they are no roster.
_ATTENDING = re.compile(f"[^，。；]{{0,6}}?(?:{alternation('notice_words.tsv', 'attendance')})")
# "等12家质量强市领导小组成员单位参加": what the counted bodies are may be qualified first
_COUNTED_BODY = re.compile(f"(?:[^，。；、]{{0,10}}?(?:{_BODY}))?")
_JOINT_VERB = re.compile(f"({alternation('notice_words.tsv', 'joint-verb')})")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》")


@functools.lru_cache(maxsize=1)
def prose_cues() -> dict[str, re.Pattern[str]]:
    """kind → one alternation of its patterns (``data/prose_cues.tsv``)."""
    kinds = dict.fromkeys(r["kind"] for r in read_table("prose_cues.tsv"))
    return {k: re.compile(patterns("prose_cues.tsv", k)) for k in kinds}


@functools.lru_cache(maxsize=1)
def national_themes() -> dict[str, int]:
    """Normalized national theme → its year (``data/national_themes.tsv``)."""
    return {_theme_key(r["theme"]): int(r["year"]) for r in read_table("national_themes.tsv")}


def _theme_key(theme: str) -> str:
    return re.sub(r"[\s，,、。“”\"《》·]", "", theme)


def theme_year(theme: str) -> int | None:
    """The year whose national theme ``theme`` is, if it is one."""
    return national_themes().get(_theme_key(theme)) if theme else None


def clean_theme(text: str) -> str:
    """A theme without its frame: "2022年“质量月”活动的主题是：“A B”。" → "A B";
    "全国统一主题：A B" → "A B"; quotes and a final full stop removed."""
    text = text.strip()
    for rx in (_THEME_QUOTED_AFTER, _THEME_COLON):
        m = rx.search(text)
        if m and "质量月" not in m.group(1):
            text = m.group(1)
            break
    return text.strip().strip("“”\"").rstrip("。；").strip()


def theme_in_prose(text: str) -> str:
    """The first theme a text states in a sentence frame, or ""."""
    best: tuple[int, str] | None = None
    for rx in (_THEME_QUOTED_AFTER, _THEME_QUOTED_BEFORE):
        for m in rx.finditer(text):
            inner = m.group(1).strip()
            if "质量月" in inner or len(inner) < 4:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), inner)
            break
    # a national theme the text states wins over another quoted phrase before it
    for m in _THEME_QUOTED_AFTER.finditer(text):
        if theme_year(m.group(1)):
            return m.group(1).strip()
    return best[1] if best else ""


def edition_year(text: str) -> int | None:
    """The year written right before the words 质量月 ("2021年福州市“质量月”活动"), the
    one most often so written; None when none is."""
    years = [cn_number(m.group(1)) for m in _EDITION_YEAR.finditer(text)]
    if not years:
        return None
    return max(set(years), key=lambda y: (years.count(y), -years.index(y)))


def _cited_here(text: str, start: int) -> bool:
    """The count belongs to a cited document: inside 《》, or a citation word (根据, 按照…)
    stands before it in the same clause."""
    before = text[max(0, start - 30):start]
    if before.rfind("《") > before.rfind("》"):
        return True
    clause = re.split(r"[，。；]", before)[-1]
    return any(w in clause for w in citation_words()) or "关于" in text[start:start + 16]


def organizer_count(text: str) -> int | None:
    """The number of organizing departments the document states of itself ("等27个部门",
    "全市21个部门"), not that of a notice it cites."""
    for m in _COUNT.finditer(text):
        if not _cited_here(text, m.start()) and not _ATTENDING.match(text, m.end()):
            return cn_number(m.group(1))
    return None


_COUNT_AT = re.compile(r"等\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[个家]")


def attends_at(text: str, pos: int) -> bool:
    """Whether the names a list ends with at ``pos`` are counted as bodies that attend
    ("…和市教育局等22个部门参加会议", "等7个成员单位联络员参加"): they organize nothing."""
    m = _COUNT_AT.match(text, pos)
    return bool(m) and _attending_after(text, m.end())


def _attending_after(text: str, end: int) -> bool:
    """The counted bodies ending at ``end`` ("等26个") attend rather than organize."""
    m = _COUNTED_BODY.match(text, end)
    return bool(_ATTENDING.match(text, m.end() if m else end))


def joint_roster(text: str, org_len: Callable[[str], int]) -> list[str]:
    """Organizations named as joint organizers in prose: "A联合B、C等17个部门" → [A, B, C];
    "A、B等27个部门" → [A, B]. Only lists whose every item is an organization name."""
    for m in _LIST_BEFORE_COUNT.finditer(text):
        if _cited_here(text, m.end()) or _attending_after(text, m.end()):
            continue
        span = m.group(1)
        lead: list[str] = []
        jm = list(_JOINT_VERB.finditer(span))
        if jm:
            head = span[: jm[-1].start()]
            lead = _tail_org(head, org_len)
            span = span[jm[-1].end():]
        pieces = [n.strip() for n in span.split("、")]
        if pieces and (n0 := _tail_org(pieces[0], org_len)):
            pieces[0] = n0[0]
        # "A、B和C": the last pieces may join two names (the 和 of 住房和城乡建设局 joins none)
        read = [[p] if p and org_len(p) >= max(2, len(p) - 1) else _joined_names(p, org_len)
                for p in pieces]
        if pieces and all(read):  # every piece a name (or names): else no list of them
            return list(dict.fromkeys([*lead, *(n for names in read for n in names)]))
    return []


def _joined_names(piece: str, org_len: Callable[[str], int]) -> list[str]:
    """The names ``piece`` holds when it is whole names joined by 和/及/与 ("市公安局和市住房和
    城乡建设局" → two), else []."""
    names: list[str] = []
    while piece:
        n = org_len(piece)
        if n < 2:
            return []
        names.append(piece[:n])
        piece = piece[n:]
        if piece[:1] in _LIST_JOINERS:
            piece = piece[1:]
        elif piece:
            return []
    return names


# A name starts at a clause boundary, after 由/从/和…, or with a relative level marker.
_NAME_BOUNDARY = set("，。；、：“”（）()《》 由从和与及将")
_NAME_MARKER = set("省市区县州盟旗国中")


def _tail_org(text: str, org_len: Callable[[str], int]) -> list[str]:
    """The organization name that ends ``text``, if one does (longest first). The name must
    start where a name can: "本次活动通过政府" ends in 政府 but holds no name."""
    for k in range(max(0, len(text) - 24), len(text) - 1):
        if k and text[k - 1] not in _NAME_BOUNDARY and text[k] not in _NAME_MARKER:
            continue
        if not "\u4e00" <= text[k] <= "\u9fff":
            continue  # "9月1日县市场监管局": a name starts with a character, not a date
        if org_len(text[k:]) == len(text) - k:
            return [text[k:]]
    return []


# "由A主办", "由A和B联合举办": the hosts of an event.
_HOSTED_BY = re.compile(r"由([^，。；由]{2,30}?)(?:和[^，。；]{2,20}?)?"
                        f"(?:{alternation('activity_words.tsv', 'host-adverb')})?"
                        f"(?:{alternation('activity_words.tsv', 'host-verb')})")
# A verb an organization acts with, and what may stand between the name and the verb.
_ACTING_VERB = re.compile(alternation("notice_words.tsv", "acting-verb"))
_BEFORE_VERB = re.compile(f"(?:{alternation('notice_words.tsv', 'verb-modifier')}|在[^，。]{{0,12}})$")
_LIST_JOINERS = frozenset(words("notice_words.tsv", "list-joiner"))
# "该局联合市教育局、市住建局开展…": a name after a joint word in its clause is a partner
# the actor joins, not the actor.
_JOINED_BEFORE = re.compile(alternation("activity_words.tsv", "joint-word"))


def lead_organization(text: str, org_len: Callable[[str], int]) -> str:
    """The organization a sentence names as the one acting: "由A主办", "A联合B…", "A会同…",
    "A举办/开展/组织/牵头…" — the name right before the verb; "" when none."""
    m = _HOSTED_BY.search(text)
    if m and org_len(m.group(1)) >= len(m.group(1)) - 1:
        return m.group(1)
    for v in _ACTING_VERB.finditer(text):
        head = text[max(0, v.start() - 48): v.start()]  # names are short: bounded work
        head = _BEFORE_VERB.sub("", head)
        found = _tail_org(head, org_len)
        if found:
            before = head[: len(head) - len(found[0])]
            # "按照省局和市委市政府部署": the authority followed, not the one acting
            clause = re.split(r"[，。；]", before)[-1]
            if any(w in clause for w in citation_words()) or _JOINED_BEFORE.search(clause):
                continue
            # "A与B共同举办", "A和B联合举办": A leads, B joins in; in "A与B、C和D共同举办"
            # A is the name before the clause's first joiner, not C before the last
            if before[-1:] in _LIST_JOINERS:
                for k, ch in enumerate(clause):
                    first = (_tail_org(_BEFORE_VERB.sub("", clause[:k]), org_len)
                             if ch in _LIST_JOINERS else [])
                    if first:
                        return first[0]
                first = _tail_org(before[:-1], org_len)
                if first:
                    return first[0]
            return found[0]
    return _clause_subject(text, org_len)


# What may open a clause before its subject: a day and time, or a word of time.
_CLAUSE_TIME = re.compile(
    rf"^(?:(?:\d{{4}}年)?\d{{1,2}}月\d{{1,2}}[日号](?:{alternation('notice_words.tsv', 'day-part')})?"
    rf"|{alternation('notice_words.tsv', 'clause-time')})")


def _clause_subject(text: str, org_len: Callable[[str], int]) -> str:
    """The organization that opens a clause of ``text`` and acts later in it, when no name
    stands right before the verb: "成都市市场监督管理局武侯分局围绕…主题，在…市场开展…",
    "江宁区市场监督管理局结合…主题，在…广场举行…". Not one a citation opens (根据A…)."""
    pos = 0
    for clause in re.split(r"(?<=[，。；])", text):
        start = pos
        pos += len(clause)
        body = _CLAUSE_TIME.sub("", clause.strip()).lstrip("，, ")
        n = org_len(body) if body else 0
        if n < 2 or body.startswith(citation_words()):
            continue  # "根据市场监管总局…通知": the authority followed
        rest = text[start:]
        if _ACTING_VERB.search(rest[: rest.find("。") + 1 if "。" in rest else len(rest)]):
            return body[:n]
    return ""


# 质量月 the campaign, not 空气质量月报 (a monthly air-quality report) or 质量月度 (monthly).
_QUALITY_MONTH = re.compile(r"质\s*量\s*月(?![报度均刊])")


def mentions_quality_month(text: str) -> bool:
    """Whether a document is about a 质量月 at all (spaces a PDF put between the
    characters do not matter)."""
    return _QUALITY_MONTH.search(text) is not None


def is_prose_line(ln: Line) -> bool:
    """A paragraph of running text (not a menu, footer or list of links)."""
    t = ln.text
    return bool(re.search(r"[。，；]", t)) and len(t) >= 16


def activity_sentence(sentence: str, has_campaign: bool) -> bool:
    """Whether one prose sentence reports an activity: it names an action (or a campaign),
    and neither explains the Quality Month itself nor reports what someone said."""
    cues = prose_cues()
    if cues["background"].search(sentence):
        return False
    m = None if has_campaign else cues["attendance"].search(sentence)
    if m and not cues["action"].search(_QUOTED.sub("", sentence[:m.start()] + sentence[m.end():])):
        return False  # "副市长出席启动仪式并讲话", "共200余人参加启动仪式": who was there
    m = cues["speech"].search(sentence[:16])
    if m and not any(w in sentence[:m.start()] for w in citation_words()):
        return False  # "XX强调…", not "按照省局要求，…"
    # the action must be the sentence's own, not a word inside a quoted theme or title
    # ("今年活动主题是“深入实施质量提升行动…”" states a theme, it reports no action)
    return has_campaign or bool(cues["action"].search(_QUOTED.sub("", sentence)))


__all__ = [
    "activity_sentence", "attends_at", "clean_theme", "edition_year", "is_prose_line",
    "joint_roster", "lead_organization", "mentions_quality_month", "organizer_count",
    "theme_in_prose", "theme_year",
]
