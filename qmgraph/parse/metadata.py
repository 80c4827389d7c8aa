"""Notice metadata: title, doc number (文号), issuer, date, theme, addressees, citations.

Each finder reads the normalized lines of the notice (``Line``), knows where in a notice
its field usually stands, and returns what the text states — never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qmgraph.lexicon.words import alternation, citation_words, title_endings, words

# 国市监质发〔2022〕76号, 琼质强省办[2022]8号, 川质强办【2023】3号, and a lost closing bracket.
_DOC_NUMBER_TAIL_RE = (
    r"\s*[〔\[【（(［]\s*((?:19|20)\d{2})\s*[〕\]】）)］]?\s*(?:第\s*)?(\d{1,4})\s*号")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,14}?)" + _DOC_NUMBER_TAIL_RE)
# What every doc number ends with: looked for first, since DOC_NUMBER's lazy prefix is
# tried at every character of a text that holds none.
_DOC_NUMBER_TAIL = re.compile(_DOC_NUMBER_TAIL_RE)
# A signing date alone on a line, in Arabic or Chinese numerals (二〇二二年八月十九日).
_CN_NUM = "〇零一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"^\s*((?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*日\s*$"
)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def cn_number(s: str) -> int:
    """A year or a number as notices write them: '2022' → 2022; '二〇二二' → 2022 (digit
    by digit); '十九' → 19; '八' → 8."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度)")
# The last word of a notice's title (data/title_endings.tsv, notice_title).
TITLE_END = re.compile(f"({title_endings('notice_title')})$")
# "现就开展2024年全省“质量月”活动有关事项通知如下" — the body names the notice's subject.
SUBJECT = re.compile(
    f"(?:{alternation('notice_words.tsv', 'subject-opener')})"
    r"(开展.{2,60}?)(?:的)?有关" f"(?:{alternation('notice_words.tsv', 'subject-matter')})?"
    r"(?:通知|安排)如下")
# "按照全国…部署", "根据…全国…通知要求": the notice follows the national deployment.
FOLLOWING_NATIONAL = re.compile(
    f"(?:{alternation('notice_words.tsv', 'follow-verb')}).{{0,40}}?全国.{{0,40}}?"
    f"(?:{alternation('notice_words.tsv', 'follow-object')})")
ISSUER_HEADER = re.compile(r"^(.{4,40}?)文件$")
THEME_INLINE = re.compile(r"(?:活动)?主题(?:为|是|：)\s*[“\"]?([^”\"。]{4,60})[”\"]?")


@dataclass
class Line:
    """One normalized line with its span in ``SourceText.text``."""

    text: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            out.append(Line(body, pos + lead, pos + lead + len(body)))
        pos += len(raw) + 1
    return out


def normalize_doc_number(prefix: str, year: str, num: str) -> str:
    return f"{prefix}〔{year}〕{int(num)}号"


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every doc number in ``text`` as (start, end, normalized)."""
    out: list[tuple[int, int, str]] = []
    if not _DOC_NUMBER_TAIL.search(text):
        return out
    for m in DOC_NUMBER.finditer(text):
        prefix = m.group(1)
        # The prefix is the issuer abbreviation: cut at the last word boundary a sentence gives.
        for cut in words("notice_words.tsv", "issuer-cut"):
            if cut in prefix:
                prefix = prefix.rsplit(cut, 1)[1]
        for word in citation_words():  # "根据浙质强省办〔2019〕8号" — the verb is no issuer
            i = prefix.rfind(word)
            if i >= 0 and len(prefix) - i - len(word) >= 2:
                prefix = prefix[i + len(word):]
        if len(prefix) < 2:
            continue
        out.append((m.start(), m.end(), normalize_doc_number(prefix, m.group(2), m.group(3))))
    return out


def own_doc_number(header: list[Line]) -> str:
    """The notice's own 文号: a header line that is (mostly) just a doc number."""
    for ln in header:
        t = ln.text.strip("（）() ")
        for s, e, dn in find_doc_numbers(t):
            rest = (t[:s] + t[e:]).strip()
            if len(rest) <= 2:
                return dn
    return ""


# "市场监管总局等部门", "…等16个单位": the others of a joint issuance, left out of the issuer.
_JOINT = re.compile(
    r"(?:等(?:[0-9一二三四五六七八九十]{1,3}个)?" f"(?:{alternation('notice_words.tsv', 'joint-body')}))$")


def header_issuer(header: list[Line]) -> str:
    """Issuer stated in the letterhead ("XX办公室文件") or before 关于 in the title; for
    "市场监管总局等部门关于…" the lead agency (the others sign the notice)."""
    for ln in header:
        m = ISSUER_HEADER.match(ln.text)
        if m:
            return _JOINT.sub("", m.group(1).strip())
    for ln in header:
        i = ln.text.find("关于")
        if i >= 4 and TITLE_END.search(ln.text):
            return _JOINT.sub("", ln.text[:i].strip())
    return ""


def formal_title(header: list[Line]) -> str:
    """A formal title in the header: the "关于…通知/方案" line, without its issuer."""
    for ln in header:
        if "关于" in ln.text and TITLE_END.search(ln.text):
            i = ln.text.find("关于")
            return ln.text[i:].strip()
    return ""


def find_title(header: list[Line], body_text: str) -> str:
    """The notice's title: a 关于…通知 line, else the first line naming the subject."""
    formal = formal_title(header)
    if formal:
        return formal
    m = SUBJECT.search(body_text)
    if m:
        return f"关于{m.group(1)}的通知"
    # Attachment-style documents: the first lines mentioning the campaign, joined.
    parts: list[str] = []
    for ln in header:
        if re.fullmatch(r"附件\s*\d*", ln.text):
            continue
        if DOC_NUMBER.search(ln.text) and len(ln.text) < 25:
            continue
        if ln.text.endswith(("：", ":")) or "。" in ln.text or "\t" in ln.text:
            break  # a title holds no full stop: a cut paragraph is no title
        parts.append(ln.text)
        if len("".join(parts)) > 8 and TITLE_END.search(ln.text):
            break
    return "".join(parts)[:120]


def find_date(lines: list[Line]) -> tuple[str, int | None]:
    """The signing date: the last date standing alone on a line before any attachment."""
    for ln in reversed(lines):
        m = DATE_LINE.match(ln.text)
        if m:
            y, mo, d = (cn_number(m.group(k)) for k in (1, 2, 3))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}", y
    return "", None


def title_year(title: str) -> int | None:
    m = YEAR_IN_TITLE.search(title)
    return int(m.group(1)) if m else None


def split_names(text: str) -> list[str]:
    """A roster line or addressee list → names (、，,；; and spaces between names)."""
    text = text.strip().rstrip("：:。")
    parts = re.split(r"[、，,；;]+", text)
    return [p.strip() for p in parts if p.strip()]


_SPACED_NAME_END = set("部局委署办会社行院")


def join_spaced_names(line: str) -> list[str]:
    """Signature rows "市场监管总局 国家发展改革委 教 育 部" → names; single characters
    separated by spaces belong to one name (教 育 部 → 教育部)."""
    tokens = [t for t in re.split(r"\s+", line.strip()) if t]
    names: list[str] = []
    run: list[str] = []
    for tok in tokens:
        if len(tok) == 1:
            run.append(tok)
            # Two spaced names side by side (教 育 部 科 技 部): an organ suffix ends one.
            if len(run) >= 2 and tok in _SPACED_NAME_END:
                names.append("".join(run))
                run = []
            continue
        if run:
            names.append("".join(run))
            run = []
        names.append(tok)
    if run:
        names.append("".join(run))
    return names
