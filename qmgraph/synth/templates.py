"""Sentence material for synthetic 质量月 notices: activity cores by sector, verbs, purposes.

An activity is ``verb + core + "，" + purpose + "。"``. Cores carry the campaigns
(“昆仑{year}”专项行动, “电梯安全宣传周”…); ``{year}`` makes a campaign series across years
and ``{scope}`` is the level word (全国 / 全省 / 全市 / 全区 / 全县). Adapting an activity
keeps its core (and so its campaign) and changes the verb, the purpose and adds a lead.
Fresh local activities come from a separate combinatorial pool that names the place, so
they do not accidentally repeat a higher-level sentence.

The words are in ``data/synth_phrases.tsv`` (a list per name below, in order: the
generator draws by position); this module names the lists and says what each is for.
"""

from __future__ import annotations

from qmgraph.errors import TableError
from qmgraph.tables import read_table

#: as written: a cell with spaces around it, a missing cell or a tab inside a text (an
#: extra cell) is an error naming the line, never stripped or shifted; an empty text is
#: written ``(empty)``
_ROWS = read_table("synth_phrases.tsv", strict=True, required=("list", "text"))


def _texts(name: str, key: str | None = None) -> tuple[str, ...]:
    """The texts of list ``name`` (``CO_BEFORE_VERB`` is list co-before-verb), in table
    order; only the rows of ``key`` when given. ``(empty)`` is the empty string."""
    lst = name.lower().replace("_", "-")
    found = tuple("" if r["text"] == "(empty)" else r["text"] for r in _ROWS
                  if r["list"] == lst and (key is None or r["key"] == key))
    if not found:
        raise TableError(f"no list {lst!r}", path="data/synth_phrases.tsv",
                         hint="add the list's rows to the table, or use a list it has")
    return found


def _keyed(name: str) -> dict[str, tuple[str, ...]]:
    """The texts of list ``name`` by key, keys in table order."""
    lst = name.lower().replace("_", "-")
    return {k: _texts(name, k) for k in dict.fromkeys(r["key"] for r in _ROWS if r["list"] == lst)}


#: sector key (data/sectors.csv) → activity cores of that sector
SECTOR_CORES: dict[str, tuple[str, ...]] = _keyed("SECTOR_CORES")
#: cores any sector may use (with its sector label in front)
GENERIC_CORES = _texts("GENERIC_CORES")
VERBS = _texts("VERBS")
#: verbs an adapted copy uses instead (never the same as the original's)
ADAPT_VERBS = _texts("ADAPT_VERBS")
PURPOSES = _texts("PURPOSES")
#: adverbs in front of a purpose (so two activities rarely share the whole clause)
PURPOSE_LEADS = _texts("PURPOSE_LEADS")
#: leads an adapted copy puts in front (``{scope}`` = 全省…, ``{short}`` = place short name)
ADAPT_LEADS = _texts("ADAPT_LEADS")

# Fresh local activities: verb + place + industry + topic + "，" + purpose.
LOCAL_VERBS = _texts("LOCAL_VERBS")
INDUSTRIES = _texts("INDUSTRIES")
SUBJECTS = _texts("SUBJECTS")
TOPICS = _texts("TOPICS")
LOCAL_PURPOSES = _texts("LOCAL_PURPOSES")

THEMES = _texts("THEMES")
SLOGANS = _texts("SLOGANS")

# Co-organizers an activity names ({co}: one to three agencies joined by 、; {host}: the
# block's own agency): before the verb ("联合{co}共同举办…"), or after the activity's core
# ("…，由{host}主办，{co}等单位协办，…"; 承办 with one agency only). A prose sentence names
# its agency first, so it uses the forms before the verb only.
CO_BEFORE_VERB = _texts("CO_BEFORE_VERB")
#: how the last two co-organizers of a list may be joined instead of 、 (A、B和C): the 和
#: inside names such as 住房和城乡建设局 must not split them
CO_LAST_JOINERS = _texts("CO_LAST_JOINERS")
CO_AFTER_CORE = _texts("CO_AFTER_CORE")
CO_CARRYING: str = _texts("CO_CARRYING")[0]

#: body items of the notice's 活动内容 section (the issuer's own activities)
BODY_ITEMS = _texts("BODY_ITEMS")
REQUIREMENTS = _texts("REQUIREMENTS")


# ------------------------------------------------------------------ prose documents
#
# Press releases, meeting reports and work summaries report activities in sentences:
# "{connector}{agency}{lead}{verb}{core}，{purpose}。". A sentence of prose counts as an
# activity when it names an action; the verbs below all do (开展, 组织, 举办, 实施), so a
# prose copy of a notice's activity never loses its action word. Non-activity sentences
# (background on the Quality Month, speeches, announcements of the theme, closing words)
# name no action.

#: verbs a prose sentence uses for a fresh or verbatim activity (each names an action)
PROSE_VERBS = _texts("PROSE_VERBS")
#: verbs a prose sentence uses for an adapted copy
PROSE_ADAPT_VERBS = _texts("PROSE_ADAPT_VERBS")
#: verbs a prose sentence uses for an adapted copy of a local activity ("组织XX企业开展…")
PROSE_LOCAL_ADAPT_VERBS = _texts("PROSE_LOCAL_ADAPT_VERBS")
#: local topics a prose sentence may report (the topic itself names the action)
PROSE_TOPICS: tuple[str, ...] = tuple(t for t in TOPICS if t.startswith(("开展", "实施")))

#: sentence openers in front of a reported activity
RELEASE_CONNECTORS = _texts("RELEASE_CONNECTORS")
MEETING_CONNECTORS = _texts("MEETING_CONNECTORS")

#: headlines ({place} = the place as a headline writes it; {year} may be left out); the
#: last national release headline names no place: the national body acting in the lead
#: says it
RELEASE_HEADLINES = _texts("RELEASE_HEADLINES")
NATIONAL_RELEASE_HEADLINES = _texts("NATIONAL_RELEASE_HEADLINES")
#: headlines that name no place: the lead says "{year}年{place}“质量月”…"
PLACELESS_HEADLINES = _texts("PLACELESS_HEADLINES")
MEETING_HEADLINES = _texts("MEETING_HEADLINES")
NATIONAL_MEETING_HEADLINES = _texts("NATIONAL_MEETING_HEADLINES")
SUMMARY_HEADLINES = _texts("SUMMARY_HEADLINES")

# The lead sentence of a release (an activity: the launch itself) and of a meeting report
# (the meeting) are put together from parts, so two documents' leads rarely share more than
# the year's theme: "{when}，{who}{where}{verb}{year}年{scope}“质量月”{event}{theme}{close}。"
LEAD_WHEN = _texts("LEAD_WHEN")
RELEASE_WHO = _texts("RELEASE_WHO")
RELEASE_VERBS = _texts("RELEASE_VERBS")
RELEASE_EVENTS = _texts("RELEASE_EVENTS")
LEAD_THEMES = _texts("LEAD_THEMES")
RELEASE_CLOSES = _texts("RELEASE_CLOSES")
MEETING_WHO = _texts("MEETING_WHO")
MEETING_CLOSES = _texts("MEETING_CLOSES")
MEETINGS = _texts("MEETINGS")
VENUES = _texts("VENUES")

#: what a prose sentence says an activity did, instead of its purpose ("{n}" a number)
DETAILS = _texts("DETAILS")
DETAIL_WORDS: dict[str, tuple[str, ...]] = _keyed("DETAIL_WORDS")

#: sentences that state the theme without reporting an action
THEME_SENTENCES = _texts("THEME_SENTENCES")
#: sentences explaining the Quality Month itself (never activities)
BACKGROUND = _texts("BACKGROUND")
#: speeches: "{who}强调，…" (the speech word stands in the sentence's first 16 characters)
SPEECH_VERBS = _texts("SPEECH_VERBS")
SPEECH_CONTENT = _texts("SPEECH_CONTENT")
#: who speaks ({pre} = the relative place word: 省, 市, 区, 县, 州; {regulator} = the issuing
#: body's short name, 市场监管局 or 质监局 by year); at most 8 characters, so
#: "会上，{who}{name}强调" keeps the speech word within the sentence's first 16
OFFICIALS: dict[str, tuple[str, ...]] = _keyed("OFFICIALS")
#: the issuing sector (``national-…`` for the central body) → the mark of its doc numbers
#: (平市监质〔2021〕2号, 国质检质联〔2010〕55号)
DOC_MARKS: dict[str, tuple[str, ...]] = _keyed("DOC_MARKS")
SURNAMES: str = _texts("SURNAMES")[0]
GIVEN = _texts("GIVEN")
#: closing words of a release (no action named)
RELEASE_CLOSINGS = _texts("RELEASE_CLOSINGS")
#: who attended or presided over a release's launch ceremony (no activity of its own)
ATTENDANCE = _texts("ATTENDANCE")
#: sentences of a meeting report that name no action
MEETING_OTHER = _texts("MEETING_OTHER")
MEETING_SPEECHES = _texts("MEETING_SPEECHES")
#: heads of a work summary's "一是…" paragraphs (no action named)
SUMMARY_HEADS = _texts("SUMMARY_HEADS")
SUMMARY_INTROS = _texts("SUMMARY_INTROS")
#: page residue a portal prints around a release
BREADCRUMBS = _texts("BREADCRUMBS")
PAGE_TAILS = _texts("PAGE_TAILS")


# ------------------------------------------------------------------ activity tables
#
# A plan's activity table copied from a page or a DOCX as text: one cell per line (the
# header cells under 序号, then each row's cells), blank lines between, the row numbers
# sometimes left out, an empty cell written as a space or not at all.

#: the header cells, in order (roles in data/table_columns.tsv)
TABLE_HEADERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(row.split("|")) for row in _texts("TABLE_HEADERS"))
#: what a time cell says ("" = the cell is empty)
TABLE_TIMES = _texts("TABLE_TIMES")
