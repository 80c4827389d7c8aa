"""Text units of the linker: normalized activity text with a map back, and char n-grams."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


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


def normalize(text: str) -> NormText:
    """Keep letters and digits (CJK are letters), lower-case ASCII, drop the rest."""
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if _keep(ch):
            chars.append(ch.lower() if ch.isascii() else ch)
            pos.append(i)
    return NormText("".join(chars), tuple(pos))


def grams(chars: str, n: int) -> list[str]:
    """Character n-grams of ``chars`` in order (one per start position)."""
    return [chars[i : i + n] for i in range(len(chars) - n + 1)]
