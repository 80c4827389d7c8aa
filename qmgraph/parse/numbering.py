"""Numbering labels at the start of a line, in every style notices use.

一、 （一） (一) 1、 1. 1． （1） (1) ① 一是 第一条 — and the mixes and skips real notices
have. The parser never trusts the numbers to nest or count: structure comes from what a
line says, numbering only tells that a line starts a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^([{_CN}]{{1,4}})\s*[、.．，]\s*")),
    ("paren-cn", re.compile(rf"^[（(]\s*([{_CN}]{{1,4}})\s*[）)]\s*")),
    ("paren-num", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("num", re.compile(r"^(\d{1,3})\s*[、，]\s*")),
    # 1. / 1． but not a decimal (3.5) — a year may follow (2.2022年…)
    ("num-dot", re.compile(r"^(\d{1,3})\s*[.．](?:(?!\d)|(?=\d{4}))\s*")),
    ("circled", re.compile(r"^([\u2460-\u2473])\s*")),
    ("shi", re.compile(rf"^([{_CN}]{{1,3}})是\s*")),
    ("article", re.compile(rf"^第([{_CN}\d]{{1,4}})[条项部分]\s*")),
)

#: The first character of every label above: a line starting otherwise has none (most
#: lines; the patterns are tried on every line of every notice).
_LABEL_START = re.compile(rf"[{_CN}（(\d\u2460-\u2473第]")

_BULLET = re.compile(r"^[-•·●■◆▪*]\s*")


@dataclass(frozen=True)
class Numbering:
    style: str
    label: str  #: as written, e.g. "（1）"
    value: int  #: numeric value (一 → 1, ① → 1)
    length: int  #: characters the label (with trailing space) occupies


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    """Chinese numerals up to 999 → int (十六 → 16, 二十一 → 21, 一百零二 → 102)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


def strip_bullet(line: str) -> tuple[str, int]:
    """Remove a leading list bullet ("- 1.口号" → "1.口号"); returns (rest, removed length)."""
    m = _BULLET.match(line)
    return (line[m.end():], m.end()) if m else (line, 0)


def match_numbering(line: str) -> Numbering | None:
    """The numbering label at the start of ``line``, or None."""
    if not _LABEL_START.match(line):
        return None
    for style, pat in _PATTERNS:
        m = pat.match(line)
        if not m:
            continue
        raw = m.group(1)
        if style == "circled":
            value = ord(raw) - 0x2460 + 1
        else:
            value = cn_to_int(raw)
        if style == "shi" and len(line) < m.end() + 2:
            continue
        return Numbering(style, line[: m.end()].strip(), value, m.end())
    return None
