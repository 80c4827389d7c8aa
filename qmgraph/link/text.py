"""Text units of the linker: normalized activity text with a map back, and char n-grams."""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from dataclasses import dataclass

from qmgraph.lexicon.words import alternation
from qmgraph.parse.prose import national_themes
from qmgraph.tables import read_table


@dataclass(frozen=True)
class NormText:
    """An activity's text with punctuation and spaces removed (letters and digits only).

    ``pos[k]`` is the index in the activity's ``text`` of ``chars[k]``; alignment runs on
    ``chars`` and spans map back through ``pos`` (then ``ResolvedActivity.to_original``).
    """

    chars: str
    pos: tuple[int, ...]

    def to_text_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of ``chars`` to the covering span of the activity text."""
        if not self.chars or start >= end:
            p = self.pos[start] if start < len(self.pos) else (self.pos[-1] + 1 if self.pos else 0)
            return p, p
        return self.pos[start], self.pos[end - 1] + 1


def _keep(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "N")


@functools.lru_cache(maxsize=1)
def _stock() -> re.Pattern[str]:
    """What every document of a year says and so is no evidence that one copies another:
    the Quality Month's own name ("2021年全国“质量月”活动"), a national theme in quotes
    (``data/national_themes.tsv``) and the stock formulae of ``data/stock_phrases.tsv``
    (营造政府重视质量…的良好氛围), punctuation and spaces inside them ignored."""
    themes = sorted(national_themes(), key=len, reverse=True)
    loose = "|".join(r"\W*".join(map(re.escape, t)) for t in themes)
    phrases = sorted({"".join(ch for ch in r["phrase"] if _keep(ch))
                      for r in read_table("stock_phrases.tsv")}, key=len, reverse=True)
    formulae = "|".join(r"\W*".join(map(re.escape, f)) for f in phrases if f)
    return re.compile(
        r"(?:(?:19|20)\d{2}年度?)?" f"(?:{alternation('notice_words.tsv', 'edition-scope')})?"
        r"[“\"]?质量月[”\"]?(?:活动)?"
        + (rf"|[“\"](?:{loose})[”\"]" if loose else "")
        + (rf"|(?:{formulae})" if formulae else "")
    )


#: a run of letters and digits: ``[^\W_]`` is exactly the Unicode categories L* and N*
#: (``_keep``; tests/link/test_link.py checks every code point)
_KEPT_RUN = re.compile(r"[^\W_]+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def normalize(text: str) -> NormText:
    """Keep letters and digits (CJK are letters), lower-case ASCII, drop the rest; the
    year's stock phrases (``_stock``) are dropped too."""
    chars: list[str] = []
    pos: list[int] = []
    start = 0
    # runs of kept characters between the stock phrases, not one test per character
    for end, nxt in [*((m.start(), m.end()) for m in _stock().finditer(text)),
                     (len(text), len(text))]:
        for r in _KEPT_RUN.finditer(text, start, end):
            chars.append(r.group())
            pos.extend(range(r.start(), r.end()))
        start = max(start, nxt)
    return NormText("".join(chars).translate(_ASCII_LOWER), tuple(pos))


_YEAR = re.compile(r"(?:19|20)\d{2}年度?")


def plain_length(stretch: str) -> int:
    """Characters of a shared stretch besides the years written as years in it (开展2024年
    → 2): every text of a year says its year, so a stretch is only as long as what it
    shares besides. A year inside a name (昆仑2024) has no 年 and counts."""
    return len(_YEAR.sub("", stretch))


def grams(chars: str, n: int) -> list[str]:
    """Character n-grams of ``chars`` in order (one per start position)."""
    return [chars[i : i + n] for i in range(len(chars) - n + 1)]
