"""Bytes → str: detect the encoding of a plain-text notice and say which was used.

Order: a BOM decides (UTF-8, UTF-16, UTF-32); UTF-16 without BOM is recognised by its
NUL pattern; strict UTF-8 next (a Chinese text that decodes as UTF-8 is UTF-8); then the
two legacy Chinese encodings, GB18030 (a superset of GBK/GB2312) and Big5. Both often
decode the other's bytes without error, into rare characters, so we score each candidate by
the share of its Han characters that fall in the *common* tier of its own standard
(GB2312 level 1, Big5 frequently-used) — a property of real text, not a word list.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable

from qmgraph.errors import EncodingError, InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")


def _in_gb_level1(ch: str) -> bool:
    """Whether ``ch`` is in GB2312 level 1 (the 3,755 most used, bytes B0A1–D7FE)."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= b[0] <= 0xD7


def _in_big5_common(ch: str) -> bool:
    """Whether ``ch`` is in Big5's frequently-used block (A440–C67E, 5,401 chars)."""
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    code = (b[0] << 8) | b[1] if len(b) == 2 else 0
    return 0xA440 <= code <= 0xC67E


@functools.lru_cache(maxsize=2)
def _common_set(test: Callable[[str], bool]) -> frozenset[str]:
    """The Han characters ``test`` accepts, worked out once: asking the codec character
    by character for every legacy-encoded file was most of its decoding time."""
    return frozenset(ch for lo, hi in ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))
                     for ch in map(chr, range(lo, hi + 1)) if test(ch))


def _common_share(text: str, test: Callable[[str], bool]) -> float:
    """Share of the Han characters of ``text`` that ``test`` accepts."""
    han = _HAN.findall(text)
    if not han:
        return 0.0
    common = _common_set(test)
    return sum(ch in common for ch in han) / len(han)


#: The legacy encodings tried, each with the test of its common tier; first wins a tie.
_LEGACY = (("gb18030", _in_gb_level1), ("big5", _in_big5_common))


def _best_legacy(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of the legacy decoding whose Han characters are most often common
    ones of its own standard; ties go to GB18030 (mainland publications). None when
    neither decodes."""
    best: tuple[float, str, str] | None = None
    for enc, test in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _common_share(text, test)
        if best is None or score > best[0]:
            best = (score, text, enc)
    return (best[1], best[2]) if best else None


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese notice is made of (Han, ASCII text, CJK punctuation)."""
    if not text:
        return 0.0
    ok = sum(
        1 for ch in text
        if _is_han(ch) or (" " <= ch <= "~") or ch in "\r\n\t" or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027"
    )
    return ok / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes present and one byte order decodes to plausible text."""
    if len(data) < 4 or b"\x00" not in data[:8192]:
        return None
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) - (len(data) % 2)].decode(enc)
        except UnicodeDecodeError:
            continue
        share = _plausible_share(text[:5000])
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, enc)
    return best[1] if best else None


#: What a text never holds: control characters other than \t \n \f \r, and U+FFFD.
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _check_text(text: str, path: str, encoding: str) -> None:
    """Reject decodings that are really binary data (control characters, NULs)."""
    if not text.strip():
        raise InputError("file holds no text (only whitespace)", path=path)
    sample = text[:20000]
    bad = len(_BINARY.findall(sample))
    if bad > max(3, 0.01 * len(sample)):
        raise InputError(f"looks binary, not text ({bad} control characters in the first "
                         f"{len(sample)} decoded as {encoding})", path=path)


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    """Files pasted together from sources in different encodings: some lines are UTF-8
    (with Chinese in them), others are not. Decode line by line; report it in the name."""
    lines = data.split(b"\n")
    utf8_cjk = other = 0
    for ln in lines:
        if ln.isascii():
            continue
        try:
            ln.decode("utf-8")
            utf8_cjk += 1
        except UnicodeDecodeError:
            other += 1
    if not (utf8_cjk and other):
        return None
    out: list[str] = []
    legacy: set[str] = set()
    for ln in lines:
        try:
            out.append(ln.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        found = _best_legacy(ln)
        if found is None:
            return None
        out.append(found[0])
        legacy.add(found[1])
    return "\n".join(out), "mixed:utf-8+" + "+".join(sorted(legacy))


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise a typed error naming ``path``."""
    if not data:
        raise InputError("empty file", path=path)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"has a {enc} BOM but does not decode: {exc}", path=path) from exc
            _check_text(text, path, enc)
            return text, enc
    enc16 = _looks_utf16(data)
    if enc16:
        try:
            text = data.decode(enc16)
            _check_text(text, path, enc16)
            return text, enc16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError("looks binary, not text (NUL bytes)", path=path)
    try:
        text = data.decode("utf-8")
        _check_text(text, path, "utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        _check_text(mixed[0], path, mixed[1])
        return mixed
    found = _best_legacy(data)
    if found is None:
        raise EncodingError("bytes decode as none of UTF-8, UTF-16, GB18030 or Big5", path=path)
    text, enc = found
    _check_text(text, path, enc)
    return text, enc
