"""Which agencies and names a synthetic document of a given year writes (``data/agency_eras.tsv``).

The sector table knows every name an agency had since 2005 (decision 0043); this table says
when each was in use, so a 2010 notice is issued by a 质量技术监督局 and names a 卫生局, a
2015 one a 卫生和计划生育委员会, a 2021 one a 市场监督管理局 and a 卫生健康委员会 (decision 0044).
"""

from __future__ import annotations

from dataclasses import dataclass

from qmgraph.tables import read_table

#: a year after every era: "today" for a caller that names no year
TODAY = 9999


@dataclass(frozen=True)
class _Span:
    """The years a body or a name was in use, both inclusive."""

    first: int
    last: int

    def covers(self, year: int) -> bool:
        """Whether ``year`` falls within the span."""
        return self.first <= year <= self.last


def _levels(cell: str) -> tuple[str, ...]:
    """The levels a ``level`` cell stands for (empty: every level; ``local``: the three
    below the nation)."""
    return {"": ("national", "provincial", "prefectural", "county"),
            "local": ("provincial", "prefectural", "county")}.get(cell, (cell,))


class Eras:
    """Year spans of sectors (per level) and of names, and the sectors standing for another."""

    def __init__(self, table: str = "agency_eras.tsv") -> None:
        self.bodies: dict[tuple[str, str], list[_Span]] = {}
        self.names: dict[tuple[str, str, str], _Span] = {}
        #: present sector → earlier sectors taking its cores and place, in table order
        self.stand_ins: dict[str, list[str]] = {}
        for r in read_table(table):
            span = _Span(int(r["from"] or 0), int(r["until"] or TODAY))
            for level in _levels(r["level"]):
                if r["name"]:
                    self.names[(r["sector"], level, r["name"])] = span
                else:
                    self.bodies.setdefault((r["sector"], level), []).append(span)
            if r["stands_for"] and r["sector"] not in self.stand_ins.get(r["stands_for"], []):
                self.stand_ins.setdefault(r["stands_for"], []).append(r["sector"])
        self.stands_for = {s: p for p, ss in self.stand_ins.items() for s in ss}

    def exists(self, sector: str, level: str, year: int) -> bool:
        """Whether ``sector`` had a body at ``level`` in ``year`` (no row: always)."""
        spans = self.bodies.get((sector, level))
        return spans is None or any(s.covers(year) for s in spans)

    def in_use(self, sector: str, level: str, names: list[str], year: int,
               follows: dict[str, str] | None = None, former: tuple[str, ...] = ()) -> list[str]:
        """The ``names`` (in order) ``sector``'s body at ``level`` had in ``year``: those
        with a span covering it, else those without a span (today's) and not ``former``.
        ``follows``: a name → the name whose span it shares when it has none of its own
        (an alias)."""
        def span(n: str) -> _Span | None:
            own = self.names.get((sector, level, n))
            return own or (self.names.get((sector, level, follows[n])) if follows and n in follows
                           else None)
        spans = [span(n) for n in names]
        covering = [n for n, s in zip(names, spans, strict=True) if s and s.covers(year)]
        return covering or [n for n, s in zip(names, spans, strict=True)
                            if s is None and n not in former]
