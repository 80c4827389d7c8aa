"""Decoded text → normalized text for parsing, with an offset map back to the original.

What changes, and why:

* script: OpenCC ``t2s`` (traditional → simplified), line by line; a line whose length
  OpenCC would change (rare phrase conversions) is converted character by character so
  that every normalized character still has exactly one source character;
* width: full-width ASCII → ASCII, ideographic space → space; then sentence punctuation
  to its Chinese full-width form (，：；（）！？) so the parser sees one form only;
* spacing: runs of spaces become one (tabs stay: they separate table cells); spaces between Han and ASCII characters (PDF
  artefacts such as "2022 年") go; spaces between Han characters stay (themes and slogans
  use them as separators);
* residue: lines matching ``data/web_residue.tsv`` (site banners, share widgets,
  copyright lines, teasers, page numbers, Word bookmarks) are dropped and reported;
* line breaks: a paragraph cut mid-sentence (text from PDFs, page breaks) is rejoined
  with the next line unless that line starts a new structural unit.

Every kept character carries the index of its source character, so later stages can
report spans in the original file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qmgraph.lexicon.words import title_endings
from qmgraph.tables import read_table

_HALF_TO_FULL_PUNCT = {",": "，", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


@dataclass
class _Line:
    """One line on its way through normalization: its text and, for each character, the
    index of its source character (a string and a list, not a list of characters: the
    steps below work on whole strings)."""

    text: str
    idx: list[int]


@dataclass(frozen=True)
class ResiduePattern:
    regex: re.Pattern[str]
    scope: str  # line | inline
    what: str


@functools.lru_cache(maxsize=4)
def residue_patterns(path: str | None = None) -> tuple[ResiduePattern, ...]:
    """Load the residue table (see its source line for what it holds)."""
    return tuple(
        ResiduePattern(re.compile(r["pattern"], re.IGNORECASE), r["scope"], r["what"])
        for r in read_table(path or "web_residue.tsv")
    )


@dataclass(frozen=True)
class _Residue:
    """A residue table as ``normalize_lines`` applies it (``_residue``)."""

    inline: tuple[ResiduePattern, ...]  #: applied one after the other, in table order
    #: matches a line iff some inline pattern does (None: try them all on every line)
    any_inline: re.Pattern[str] | None
    #: a line is residue when any of these matches
    line: tuple[re.Pattern[str], ...]


@functools.lru_cache(maxsize=4)
def _residue(patterns: tuple[ResiduePattern, ...]) -> _Residue:
    """A residue table in as few regexes as give the same result.

    Most lines hold no residue: one search for any inline pattern spares trying each of
    them, and the line patterns anchored at the line's start (all of them today) are tried
    as one ``^(?:…|…)``, a search that gives up after the first position."""
    inline = tuple(p for p in patterns if p.scope == "inline")
    anchored: list[re.Pattern[str]] = []
    other: list[re.Pattern[str]] = []
    for p in patterns:
        if p.scope == "line":
            (anchored if _anchored(p.regex) else other).append(p.regex)
    if len(anchored) > 1:
        one = _one_of(anchored, "^")
        anchored = [one] if one is not None else anchored
    return _Residue(inline, _one_of([p.regex for p in inline], ""), tuple(anchored + other))


#: What stops patterns from being joined into one alternation: group references would
#: point elsewhere.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _one_of(regexes: list[re.Pattern[str]], prefix: str) -> re.Pattern[str] | None:
    """``prefix(?:(?:A)|(?:B)…)``, which matches where one of ``regexes`` does; None when
    they cannot be joined (group references, their own global flags, other flags)."""
    if not regexes or any(_GROUP_REFERENCE.search(r.pattern) or r.flags != regexes[0].flags
                          for r in regexes):
        return None
    try:
        return re.compile(prefix + "(?:" + "|".join(f"(?:{r.pattern})" for r in regexes) + ")",
                          regexes[0].flags)
    except re.error:
        return None


def _anchored(regex: re.Pattern[str]) -> bool:
    """True when the whole pattern matches only at the start (``^a|^b``, not ``^a|b``)."""
    from re import _constants, _parser  # the stdlib's own reading of a pattern

    try:
        first = _parser.parse(regex.pattern, regex.flags)[0]
    except (re.error, IndexError):
        return False
    return first == (_constants.AT, _constants.AT_BEGINNING)


@functools.lru_cache(maxsize=4)
def opencc_converter(config: str):
    """The OpenCC converter of ``config`` (``t2s``, ``s2t``), made once per process."""
    import opencc

    return opencc.OpenCC(config)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3000" < ch <= "\u303f"


@functools.lru_cache(maxsize=1)
def _guarded_names() -> tuple[tuple[str, str, str], ...]:
    """Place names that the conversion would corrupt: (name, what ``t2s`` makes of it,
    the name in traditional script).

    Official simplified names keep a few characters that ``t2s`` reads as traditional
    (乾县 and 乾安县 would become 干县, 干安县 and resolve elsewhere). Others do not come
    back from traditional script: ``s2t`` writes 澄江市 and 浚县 with the variants 澂 and 濬,
    which ``t2s`` leaves as they are, so a traditional-script notice of 澄江市 would name
    a place the gazetteer does not know. Both kinds are derived from the division table,
    so a new such name needs no code.
    """
    names = set()
    for row in read_table("divisions.csv"):
        names.add(row["name"])
        names.update(s for s in row["short_names"].split("|") if len(s) >= 2)
    conv, trad = opencc_converter("t2s"), opencc_converter("s2t")
    out = []
    for n in sorted(names):
        t = trad.convert(n)
        for bad in dict.fromkeys((conv.convert(n), conv.convert(t))):
            if bad != n and len(bad) == len(n) and len(t) == len(n):
                out.append((n, bad, t))
    return tuple(out)


def _restore_names(line: str, conv: str) -> str:
    """Undo the conversion inside guarded place names (乾县 or 乾縣 stays 乾县, not 干县;
    澂江市 of a traditional-script text becomes 澄江市): a character is restored where the
    line has the name's own character or its traditional form there."""
    out: list[str] | None = None
    for name, bad, trad in _guarded_names():
        start = conv.find(bad)
        while start >= 0:
            for k, (want, got) in enumerate(zip(name, bad, strict=True)):
                if want != got and line[start + k] in (want, trad[k]):
                    out = out or list(conv)
                    out[start + k] = want
            start = conv.find(bad, start + 1)
    return conv if out is None else "".join(out)


def _to_simplified(line: str) -> str:
    t2s = opencc_converter("t2s").convert
    conv = t2s(line)
    if len(conv) != len(line):
        # Phrase conversion changed the length: convert one char at a time for 1:1 offsets.
        conv = "".join(c if len(c := t2s(ch)) == 1 else ch for ch in line)
    return _restore_names(line, conv)


@functools.lru_cache(maxsize=2)  # asked by normalize_lines, then by ingest of one text
def _needs_conversion(original: str) -> bool:
    """False when OpenCC leaves the whole text as it is (most notices are simplified):
    then it leaves every line as it is, since no conversion rule spans a line break, and
    the per-line conversion can be skipped."""
    return opencc_converter("t2s").convert(original) != original


#: Full-width ASCII → ASCII, the odd spaces → space (tabs stay: table cells).
_WIDTH = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)} | {
    ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"}

#: ``_WIDTH`` and then sentence punctuation to its full width form (；（）！？), as one
#: table; the comma and the colon become full width (，：) too, and ``_width_and_punct``
#: gives those between two digits (10:30, 1,000) or before // their ASCII form back.
_WIDTH_PUNCT = {
    o: to
    for o in {*_WIDTH, *map(ord, _HALF_TO_FULL_PUNCT)} - {ord(",")}
    for w in [chr(o).translate(_WIDTH)]
    for to in [{",": "，", ":": "："}.get(w, _HALF_TO_FULL_PUNCT.get(w, w))]
    if to != chr(o)  # （，：；… stay as they are
}
#: Runs of the characters ``_WIDTH_PUNCT`` changes: few in a Chinese text, so replacing
#: them run by run is cheaper than translating every character.
_WIDTH_PUNCT_RUN = re.compile("[" + "".join(map(re.escape, map(chr, sorted(_WIDTH_PUNCT)))) + "]+")
#: Every character ``str.isdigit`` accepts, and a few more (the check is repeated exactly):
#: the decimal digits (\d) and the other digits, superscripts and circled numbers.
_DIGIT_LIKE = (r"[\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070-\u2089\u2460-\u24ff"
               r"\u2776-\u2793\U00010000-\U0010ffff]")
#: Where the comma or colon may need another form than the table gives: every ASCII one,
#: a full-width one before a digit (10：30) or before // (http：//).
_COMMA_COLON = re.compile(f"[,:]|[，：](?={_DIGIT_LIKE}|//)")


def _width_and_punct(text: str) -> str:
    """Width and sentence punctuation: full-width ASCII → ASCII, odd spaces → space, then
    half-width sentence punctuation → Chinese full width (not the colon of 10:30, the
    comma of 1,000 or the colon of http://)."""
    text = _WIDTH_PUNCT_RUN.sub(lambda m: m.group().translate(_WIDTH_PUNCT), text)
    chars: list[str] | None = None
    n = len(text)
    for m in _COMMA_COLON.finditer(text):
        i = m.start()
        ch = text[i]
        between_digits = 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if ch in ",，":
            want = "," if between_digits else "，"
        else:
            want = ":" if between_digits or text.startswith("//", i + 1) else "："
        if want != ch:
            if chars is None:
                chars = list(text)
            chars[i] = want
    return text if chars is None else "".join(chars)


_SPACES = re.compile(" +")
_LAYOUT_PUNCT = "，。、；：（“”）《》〔〕"


def _squeeze_spaces(line: _Line) -> _Line:
    """One space for a run; none at the ends or between Han and ASCII characters."""
    text, idx = line.text, line.idx
    if " " not in text:
        return line
    parts: list[str] = []
    out_i: list[int] = []
    pos, n = 0, len(text)
    for m in _SPACES.finditer(text):
        i, j = m.span()
        parts.append(text[pos:i])
        out_i += idx[pos:i]
        pos = j
        if i and j < n:
            prev, nxt = text[i - 1], text[j]
            han_ascii = (_is_han(prev) and nxt.isascii() and nxt.isalnum()) or (
                prev.isascii() and prev.isalnum() and _is_han(nxt)
            )
            # Spaces next to Chinese punctuation are layout, not separators.
            punct = prev in _LAYOUT_PUNCT or nxt in _LAYOUT_PUNCT
            if not han_ascii and not punct:
                parts.append(" ")
                out_i.append(idx[i])
    parts.append(text[pos:])
    out_i += idx[pos:]
    return _Line("".join(parts), out_i)


def _drop_inline(line: _Line, residue: _Residue, dropped: list[str]) -> _Line:
    """Remove what the inline residue patterns match, one pattern after the other."""
    if residue.any_inline is not None and not residue.any_inline.search(line.text):
        return line  # no pattern matches, so none removes anything another could match
    for pat in residue.inline:
        text, idx = line.text, line.idx
        parts: list[str] = []
        out_i: list[int] = []
        pos = 0
        for m in pat.regex.finditer(text):
            a, b = m.span()
            dropped.append(text[a:b])
            parts.append(text[pos:a])
            out_i += idx[pos:a]
            pos = b
        if parts:
            parts.append(text[pos:])
            out_i += idx[pos:]
            line = _Line("".join(parts), out_i)
    return line


def _byline_labels() -> str:
    """The labels that open a byline (``byline`` column of ``data/page_labels.tsv``)."""
    return "|".join(re.escape(r["label"]) for r in read_table("page_labels.tsv") if r["byline"])


_TERMINAL = set("。！？；：!?;:")
# A line that starts a structural unit is never glued to the line before it.
_STRUCT_START = re.compile(
    r"^(?:\d{1,3}\t|[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百0-9]+[）)]|[0-9]{1,3}\s*[、.．](?:(?!\d)|(?=\d{4}))"
    r"|[①-⑳]|附件|附\s*件|联系人|联系电话|电\s*话|邮\s*箱|[一二三四五六七八九十]是|主题|口号|\d{4}年\d{1,2}月\d{1,2}日$|[-•·]"
    # a byline under a headline: "2022年09月12日10:22 来源：…", "来源：… 发布时间：…"
    r"|(?:19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}"
    f"|(?:{_byline_labels()})" r"\s*[：:]"
    # a formal title under a page's own headline
    f"|关于[^。]{{2,80}}(?:{title_endings('formal_title')})$)"
)
# Lines that end a unit even without punctuation: titles, doc numbers, dates, signatures.
_STRUCT_END = re.compile(
    f"({title_endings('unit_end')}" r"|〔\d{4}〕\d+号[）)]?|\d{4}年\d{1,2}月\d{1,2}日)$")


_NAME_COLON = re.compile(r"^[\u4e00-\u9fff（）()]{2,14}[：:]")  # "福田区：…" starts a unit
_SENTENCE = re.compile(r"[，。；、]")


#: Longest text ``_STRUCT_END`` is tried on: the end of a paragraph (a doc number's serial
#: would need 57 digits to reach further).
_TAIL = 64


class _Paragraph:
    """What joining asks of the paragraph built so far, kept up to date line by line:
    asking the whole joined text again for every line made long inputs quadratic (a 6 MB
    file without sentence punctuation took hours)."""

    __slots__ = ("length", "spaced", "sentence", "head", "tail")

    def __init__(self) -> None:
        self.length = 0
        self.spaced = False  #: has a space
        self.sentence = False  #: has sentence punctuation
        self.head = ""  #: the text while it is short
        self.tail = ""  #: its last _TAIL characters

    def add(self, text: str) -> None:
        self.length += len(text)
        self.spaced = self.spaced or " " in text
        self.sentence = self.sentence or _SENTENCE.search(text) is not None
        if len(self.head) < _TAIL:
            self.head = (self.head + text)[: _TAIL + 1]
        self.tail = (self.tail + text)[-_TAIL:]


def _should_join(prev: _Paragraph, nxt: str, blank_between: bool) -> bool:
    if not prev.length or not nxt:
        return False
    if _NAME_COLON.match(nxt):
        return False
    if prev.spaced and not prev.sentence:
        return False  # a row of names set apart by spaces (a signature or roster row)
    if not prev.sentence and prev.length < 40 and "质量月" in prev.head:
        return False  # a headline ("思明区扎实开展2023年“质量月”活动") above its first paragraph
    if prev.head.count("|") >= 2 or nxt.count("|") >= 2:
        return False  # rows of a table flattened with "|" stay rows
    if prev.head[:1] in "（(" and prev.tail[-1] in "）)":
        return False  # a bracketed line is a unit: "（原标题：…）", "（此件公开发布）"
    if prev.tail[-1] in _TERMINAL or _STRUCT_END.search(prev.tail):
        return False
    if _STRUCT_START.match(nxt):
        return False
    if prev.length < 30 and _STRUCT_START.match(prev.head):
        return False  # a short numbered heading ("一、活动主题")
    # A paragraph cut by a page break is long; a short line is a heading or a title.
    return prev.length >= (40 if blank_between else 25)


def normalize_lines(original: str, residue: tuple[ResiduePattern, ...] | None = None,
                    *, rejoin: bool = True):
    """Return ``(text, offsets, dropped)`` for an original text; see the module docstring.

    ``rejoin=False`` keeps every line a paragraph: readers whose paragraphs are real
    (DOCX, HTML) need no guessing about broken lines."""
    patterns = residue if residue is not None else residue_patterns()
    residue = _residue(patterns)
    convert = _needs_conversion(original)
    # Width and punctuation look at one character and its neighbours, never across a line
    # break: when no line needs OpenCC they are done once for the whole text.
    unified = "" if convert else _width_and_punct(original)
    dropped: list[str] = []
    lines: list[tuple[_Line, int]] = []  # (line, number of blank lines before it)
    pos = 0
    blanks = 0
    for raw in original.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        start = pos
        pos += len(raw)
        unified_line = (_width_and_punct(_to_simplified(body)) if convert
                        else unified[start:start + len(body)])
        line = _Line(unified_line, list(range(start, start + len(body))))
        line = _drop_inline(line, residue, dropped)
        line = _squeeze_spaces(line)
        text = line.text
        if not text:
            blanks += 1
            continue
        if any(r.search(text) for r in residue.line):
            dropped.append(text)
            continue
        lines.append((line, blanks))
        blanks = 0

    out_c: list[str] = []
    out_i: list[int] = []
    para = _Paragraph()
    for k, (line, blank_before) in enumerate(lines):
        if k and not (rejoin and _should_join(para, line.text, blank_before > 0)):
            out_c.append("\n")
            out_i.append(out_i[-1] + 1 if out_i else 0)
            para = _Paragraph()
        elif k and para.length and para.tail[-1].isascii() and line.text[0].isascii():
            # Rejoined English words need their space back.
            if para.tail[-1].isalpha() and line.text[0].isalpha():
                out_c.append(" ")
                out_i.append(out_i[-1] + 1)
        out_c.append(line.text)
        out_i += line.idx
        para.add(line.text)
    text = "".join(out_c)
    offsets = out_i + [(out_i[-1] + 1) if out_i else 0]
    return text, offsets, dropped
