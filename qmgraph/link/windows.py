"""Statistics windows: the year partitions of lineage.

``qm:mirrors`` never crosses a year, so candidates are only ever looked up within a year.
What couples years is the statistics a pair is judged with (gram IDF over units, the
posting cap, the stock-phrase test): learnt over the whole corpus, one edit anywhere would
move every score a little. Here they are learnt per *window*: a run of consecutive years
holding at least ``LinkParams.window_min_notices`` notices (by each notice's year). A year
large enough for stable statistics is its own window; small years are pooled with the next
ones; a small corpus is one window, i.e. linked exactly as one corpus.

A window is linked on its own (the activities of its notices, its own index: an activity
dated another year than its notice looks for sources of that year inside the window) and
its links depend on
nothing outside it, so a build links the windows one by one (peak memory follows the
largest window, not the corpus) and a rebuild re-links only the windows whose notices
changed. Measurements and the threshold: ``docs/decisions/0016-year-partitions.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
N = TypeVar("N")
J = TypeVar("J")


@dataclass(frozen=True)
class Window:
    """Consecutive years linked together, with the statistics of their activities."""

    years: tuple[int, ...]
    notices: int

    @property
    def label(self) -> str:
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}–{last}"


def year_counts(years: Iterable[int | None]) -> dict[int, int]:
    """Year → number of notices of that year (``years``: each notice's year)."""
    counts: dict[int, int] = defaultdict(int)
    for y in years:
        if y is not None:
            counts[y] += 1
    return dict(counts)


def plan_windows(counts: Mapping[int, int], min_notices: int) -> list[Window]:
    """Windows over the years of ``counts`` (year → notices), oldest first.

    Years are taken in order and a window closes once it holds ``min_notices`` notices; a last
    window that stays smaller joins the one before it. Closing from the oldest year keeps
    the windows of past years when a new year is added (only the last window can change; it
    may split in two),
    and the rule reads nothing but the counts, so it does not depend on input order.
    """
    out: list[list[int]] = []
    sizes: list[int] = []
    cur: list[int] = []
    size = 0
    for y in sorted(counts):
        cur.append(y)
        size += counts[y]
        if size >= min_notices:
            out.append(cur)
            sizes.append(size)
            cur, size = [], 0
    if cur:
        if out:
            out[-1] += cur
            sizes[-1] += size
        else:
            out.append(cur)
            sizes.append(size)
    return [Window(tuple(ys), n) for ys, n in zip(out, sizes, strict=True)]


def placed(notices: Iterable[N]) -> list[N]:
    """The notices lineage is found among: those with a place and a year (the others
    are flagged by the build, not linked); ``ResolvedNotice`` s or their summaries."""
    return [n for n in notices
            if n.jurisdiction is not None and n.year is not None]  # type: ignore[attr-defined]


def partition(items: Sequence[T], years: Sequence[int | None], min_notices: int
              ) -> list[tuple[Window, list[T]]]:
    """``items`` (one per notice, ``years`` their notices' years) per window of
    :func:`plan_windows`, in the order given; items without a year are in none (they
    cannot be linked)."""
    windows = plan_windows(year_counts(years), min_notices)
    where = {y: k for k, w in enumerate(windows) for y in w.years}
    parts: list[list[T]] = [[] for _ in windows]
    for item, y in zip(items, years, strict=True):
        if y is not None:
            parts[where[y]].append(item)
    return list(zip(windows, parts, strict=True))


def jurisdiction_closure(table: Mapping[str, J], keys: Iterable[str]) -> dict[str, J]:
    """The entries of ``table`` that linking the places ``keys`` reads: each place and
    every ancestor along its parent chain (``Hierarchy`` reads nothing else of the table),
    so that a window's state is unchanged by places only other windows use."""
    out: dict[str, J] = {}
    todo = [k for k in keys if k in table]
    while todo:
        k = todo.pop()
        if k in out:
            continue
        out[k] = j = table[k]
        parent = getattr(j, "parent", None)
        if parent and parent in table:
            todo.append(parent)
    return dict(sorted(out.items()))
