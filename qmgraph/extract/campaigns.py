"""Named campaigns and cited documents inside an activity's text.

A campaign (DESIGN.md): a named, bounded initiative others can join or repeat — usually
quoted and followed by 行动/专项行动/活动/宣传周/周/日/月/行. The vocabulary lives in
``data/campaign_terms.tsv``; the rules here are about *shape*:

* a quoted name followed (through an optional modifier such as 专项/系列/主题) by a suffix
  (“昆仑2022”专项行动, “提质强企”帮扶活动);
* a run of quoted names joined by nothing, 、, 和 or 及 and closed by 等…行动 shares the
  suffix (“铁拳”“谋治3号”“护品牌促发展”等打击…专项行动);
* a quoted name whose own ending marks it (“电梯安全宣传周”, “计量服务中小企业行”,
  “老字号嘉年华”), or that is a word followed by a year (“剑网2024”);
* an unquoted name ending in a week/day/month word (开展电梯安全宣传周活动).

Not campaigns: 《》 titles (returned as citations), case numbers (“5·18”), hotlines,
slogans and quoted jargon — they fail every rule above.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qmgraph.lexicon.words import alternation, longest_first, words
from qmgraph.tables import read_table

# A quoted name: “…” as most pages print it, 「…」/『…』 (Taiwan and Hong Kong usage) or
# ASCII "…" (a mirror's flattening) — the inner text is whichever group matched.
_QUOTE = re.compile(r"“([^“”]{2,40})”|「([^「」]{2,40})」|『([^『』]{2,40})』|\"([^\"\n]{2,40})\"")


def _inner(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None)
_CITE = re.compile(r"《([^《》]{2,80})》")
_YEAR_NAME = re.compile(r"^[\u4e00-\u9fff]{2,8}\d{4}$")
_NUMERIC = re.compile(r"^[\d·.\-—/、 ]+$")


@dataclass(frozen=True)
class CampaignTerms:
    suffixes: tuple[str, ...]
    modifiers: tuple[str, ...]
    endings: tuple[str, ...]
    unquoted: re.Pattern[str]
    #: the words ``unquoted`` must end with: when none is in a text, it has no match
    unquoted_words: re.Pattern[str]
    leads: tuple[str, ...]
    never: frozenset[str]
    #: words that open a quoted task heading rather than a name (深入开展…行动)
    heading_starts: tuple[str, ...] = ()


@functools.lru_cache(maxsize=2)
def campaign_terms(path: str | None = None) -> CampaignTerms:
    by: dict[str, list[str]] = {}
    for r in read_table(path or "campaign_terms.tsv"):
        by.setdefault(r["kind"], []).append(r["term"])
    unq = "|".join(re.escape(s) for s in longest_first(by.get("unquoted", [])))
    return CampaignTerms(
        suffixes=longest_first(by.get("suffix", [])),
        modifiers=longest_first(by.get("modifier", [])),
        endings=longest_first(by.get("ending", [])),
        unquoted=re.compile(rf"((?:\d{{4}}年?)?[\u4e00-\u9fff]{{2,12}}?(?:{unq}))"),
        unquoted_words=re.compile(unq), leads=longest_first(by.get("lead", [])),
        never=frozenset(by.get("not", [])), heading_starts=longest_first(by.get("notstart", [])))


def normalize_campaign(name: str) -> str:
    """Canonical label: no quotes, spaces or list marks; no leading 第N届 or year."""
    s = re.sub(r"[“”‘’\"'「」『』\s、·，,]", "", name)
    s = re.sub(r"^第[一二三四五六七八九十百\d]+届", "", s)
    s = re.sub(r"^(?:19|20)\d{2}(?:年度|年)?", "", s)
    return s


#: between two runs of quoted names of one list: a list mark and at most a field word
_LIST_GAP = re.compile(
    "^[" + "".join(map(re.escape, words("activity_words.tsv", "name-joiner"))) + r"][\u4e00-\u9fff]{0,4}$")
_FIELD_ACTION = re.compile(
    r"^[\u4e00-\u9fff]{1,6}?(" + alternation("activity_words.tsv", "field-action") + ")")


def _after_quote_is_suffix(text: str, pos: int, terms: CampaignTerms) -> bool:
    rest = text[pos:pos + 16]
    # “护农”农资打假专项行动, “浙江制造”品牌培育行动: a short field word may stand
    # between a name and 行动.
    if _FIELD_ACTION.match(rest):
        return True
    return any(rest.startswith(mod) and rest[len(mod):].startswith(terms.suffixes)
               for mod in ("",) + terms.modifiers)


#: what may stand between two quoted names of one list: nothing, or a joiner ("A"、"B")
_JOINERS = frozenset(("", *words("activity_words.tsv", "name-joiner")))
_SERIES_AFTER_LIST = re.compile(
    r"等([\u4e00-\u9fff]{0,14}?)(" + alternation("activity_words.tsv", "series-ending") + ")")


def _after_list_is_suffix(text: str, pos: int) -> bool:
    """“A”“B”等…专项行动: 等 then at most 14 characters then an action-type suffix."""
    return _SERIES_AFTER_LIST.match(text[pos:pos + 24]) is not None


def find_campaigns(text: str, terms: CampaignTerms | None = None) -> list[str]:
    """Campaign surfaces in ``text`` (normalized labels, in order of first mention)."""
    if terms is None:
        # the extractor asks twice of many texts (is it an activity? which campaigns?)
        return list(_default_campaigns(text))
    return _find_campaigns(text, terms)


@functools.lru_cache(maxsize=1024)
def _default_campaigns(text: str) -> tuple[str, ...]:
    return tuple(_find_campaigns(text, campaign_terms()))


def _find_campaigns(text: str, t: CampaignTerms) -> list[str]:
    found: list[str] = []

    def add(surface: str) -> None:
        label = normalize_campaign(surface)
        if len(label) < 2 or label in t.never or _NUMERIC.match(label) or label in found:
            return
        found.append(label)

    quotes = list(_QUOTE.finditer(text))
    # Group adjacent quotes (joined by nothing, 、, 和, 及) into runs sharing a suffix.
    runs: list[list[re.Match[str]]] = []
    for m in quotes:
        if runs:
            gap = text[runs[-1][-1].end():m.start()]
            if gap in _JOINERS and len(runs[-1]) < 12:
                runs[-1].append(m)
                continue
        runs.append([m])
    # A run closed by 、/和/及 and a short field word before the next run shares that run's
    # suffix: “昆仑2024”“护品牌促发展”、烟花爆竹“打非治违”专项行动 (read from the last run).
    shares: list[bool] = [False] * len(runs)
    for k in range(len(runs) - 1, -1, -1):
        end = runs[k][-1].end()
        shares[k] = _after_quote_is_suffix(text, end, t) or _after_list_is_suffix(text, end)
        if not shares[k] and k + 1 < len(runs):
            gap = text[end:runs[k + 1][0].start()]
            shares[k] = shares[k + 1] and bool(_LIST_GAP.match(gap))
    for run, shared in zip(runs, shares, strict=True):
        for m in run:
            inner = _inner(m)
            if inner.startswith(t.heading_starts):
                continue  # a task heading (“深入开展质量提升行动”), not a name
            own = (
                shared
                or _own_ending(inner, t)
                or bool(_YEAR_NAME.match(re.sub(r"\s", "", inner)))
            )
            if own:
                add(_core_of_long_name(inner, t))
    # Unquoted names ending in a week/day/month word, outside quotes and 《》.
    masked = _mask(text, [(m.start(), m.end()) for m in quotes] + [(m.start(), m.end()) for m in _CITE.finditer(text)])
    if t.unquoted_words.search(masked):
        for m in t.unquoted.finditer(masked):
            add(_strip_leads(m.group(1), t))
    return found


def _own_ending(inner: str, t: CampaignTerms) -> bool:
    """The quoted name ends in a campaign word and is longer than it: “质量赋能环岛行”
    (ending 行) is a campaign, “银行” is not; “质量强市杯” is, “杯” alone is not."""
    return any(inner.endswith(e) and len(inner) >= len(e) + (2 if len(e) == 1 else 1)
               for e in t.endings)


def _core_of_long_name(inner: str, t: CampaignTerms) -> str:
    """“全国工商联、市场监管总局（标准委）2022民营经济标准创新周” → 2022民营经济标准创新周:
    a quoted name that lists organizers before the campaign keeps only the campaign."""
    if re.search(r"[、（）()]", inner) and inner.endswith(t.endings):
        tail = re.split(r"[、（）()]", inner)[-1]
        # "市场监管总局2023民营经济标准创新周": the name starts after the year
        after_year = re.split(r"(?:19|20)\d{2}(?:年度|年)?", tail)[-1]
        if len(after_year) >= 4:
            return after_year
        if len(tail) >= 4:
            return tail
    return inner


def _strip_leads(s: str, t: CampaignTerms) -> str:
    changed = True
    while changed:
        changed = False
        for lead in t.leads:
            if s.startswith(lead) and len(s) > len(lead) + 2:
                s = s[len(lead):]
                changed = True
    # Cut everything up to the last lead word inside (…举办2022民营经济标准创新周).
    for lead in t.leads:
        i = s.rfind(lead)
        if i > 0 and len(s) - i - len(lead) >= 4:
            s = s[i + len(lead):]
    return s


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` replaced by "|"."""
    for a, b in spans:
        text = text[:a] + "|" * (b - a) + text[b:]
    return text


def find_citations(text: str) -> list[str]:
    """《…》 titles (laws, plans, standards, documents) without the brackets."""
    out: list[str] = []
    for m in _CITE.finditer(text):
        title = m.group(1).strip()
        if title not in out:
            out.append(title)
    return out
