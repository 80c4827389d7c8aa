"""Find a CJK font for matplotlib so Chinese labels render as Chinese, not boxes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qmgraph.errors import QmgraphError

#: Preferred families, best first (simplified Chinese faces before the others).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Noto Sans Mono CJK SC",
)


class FontMissing(QmgraphError):
    """No CJK font is installed, so figures would show boxes instead of Chinese."""

    hint = ("install a CJK font (Debian: apt-get install fonts-noto-cjk) and remove "
            "~/.cache/matplotlib so matplotlib sees it")


def _names() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def find_cjk_font() -> str:
    """The family name of an installed CJK font; raises :class:`FontMissing` when none.

    When the cached font list has none, it is rebuilt once (fonts installed after
    matplotlib first ran are otherwise invisible to it).
    """
    from matplotlib import font_manager

    for attempt in range(2):
        if attempt:
            font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        names = _names()
        for fam in CJK_FAMILIES:
            if fam in names:
                return fam
    for name in sorted(names):  # any other CJK-looking family
        if any(t in name for t in ("CJK", "Han Sans", "WenQuanYi", "Hei", "Song")):
            return name
    raise FontMissing("no CJK font found for matplotlib (looked for "
                      + ", ".join(CJK_FAMILIES[:4]) + ", WenQuanYi…)")


@contextmanager
def cjk_rc() -> Iterator[str]:
    """Matplotlib rc settings with the CJK font first; yields the family used."""
    import matplotlib

    fam = find_cjk_font()
    with matplotlib.rc_context({"font.family": "sans-serif",
                                "font.sans-serif": [fam, "DejaVu Sans"],
                                "axes.unicode_minus": False,
                                "svg.fonttype": "path"}):
        yield fam
