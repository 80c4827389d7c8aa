"""Word tables: the words and patterns the stages look for, read from ``data/``.

A word table has a ``kind`` column naming the list a row belongs to and a ``word`` column
(``data/place_words.tsv``, ``data/activity_words.tsv``…); a pattern table has a
``pattern`` column of Python regular expressions, joined into one alternation. Rows keep
their table order: a list built into a regular expression tries its words in that order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from qmgraph.tables import read_table


@functools.lru_cache(maxsize=32)
def _rows(table: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/TABLE``, read once (a table is read for each of its kinds)."""
    return tuple(read_table(table))


@functools.lru_cache(maxsize=64)
def words(table: str, kind: str) -> tuple[str, ...]:
    """The ``word`` of every row of ``kind`` in ``data/TABLE``, in table order."""
    found = tuple(r["word"] for r in _rows(table) if r["kind"] == kind)
    if not found:
        raise KeyError(f"data/{table} has no rows of kind {kind!r}")
    return found


def alternation(table: str, kind: str) -> str:
    """The words of ``kind`` as one regular-expression alternation (``A|B|C``), escaped."""
    return "|".join(map(re.escape, words(table, kind)))


@functools.lru_cache(maxsize=32)
def patterns(table: str, kind: str | None = None) -> str:
    """The ``pattern`` cells of ``data/TABLE`` (of ``kind`` when given), each a group of
    one alternation: ``(?:P1)|(?:P2)…``."""
    return "|".join(f"(?:{r['pattern']})" for r in _rows(table)
                    if kind is None or r["kind"] == kind)


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` without repeats, longest first (then in code-point order): a scan or an
    alternation then tries a word before any shorter word it starts with."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=1)
def citation_words() -> tuple[str, ...]:
    """Words that precede a cited doc number (data/citation_words.tsv), longest first."""
    return longest_first(r["word"] for r in read_table("citation_words.tsv"))


@functools.lru_cache(maxsize=1)
def elaboration_starts() -> tuple[str, ...]:
    """Words that open a sentence explaining the one before (data/elaboration_starts.tsv),
    longest first."""
    return longest_first(r["start"] for r in read_table("elaboration_starts.tsv"))


@functools.lru_cache(maxsize=1)
def event_starts() -> tuple[str, ...]:
    """The elaboration starts that speak of the event just reported (本次活动…, 会议由…;
    data/elaboration_starts.tsv column ``event``): such a sentence stays with that event
    even when it opens a paragraph of its own. Longest first."""
    return longest_first(r["start"] for r in _rows("elaboration_starts.tsv") if r["event"] == "yes")


@functools.lru_cache(maxsize=8)
def title_endings(use: str) -> str:
    """The title endings of one use — a column of ``data/title_endings.tsv``: page_title,
    notice_title, unit_end, formal_title — as one alternation, in table order."""
    return "|".join(re.escape(r["ending"]) for r in _rows("title_endings.tsv")
                    if r[use] == "yes")
