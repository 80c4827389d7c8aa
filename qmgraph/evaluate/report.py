"""Scores: one :class:`FacetScore` per facet, the :class:`Evaluation` of a graph and
its table, and the tally the facets count with.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Facet names, in the order ``evaluate`` reports them.
FACETS: tuple[str, ...] = (
    "notices", "level", "metadata", "organizers", "kinds", "sectors", "jurisdiction_blocks",
    "jurisdiction_parents", "joint_organizers", "co_organizers", "campaigns", "slogans",
    "numbered_items", "boilerplate", "mirrors", "counterparts", "branches",
)

#: How many missed / spurious entries ``Evaluation.table`` prints per facet.
TABLE_LIST_LIMIT = 15


# ---------------------------------------------------------------- results


@dataclass
class FacetScore:
    """Counts and scores of one facet, summed over all gold documents.

    ``missed`` lists gold items not found (false negatives), ``spurious`` predicted items
    that count against precision; both are human-readable and deterministically ordered.
    """

    facet: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    missed: list[str]
    spurious: list[str]
    note: str = ""


@dataclass
class Evaluation:
    """The result of ``evaluate``: one ``FacetScore`` per facet, in ``FACETS`` order."""

    facets: list[FacetScore]

    def facet(self, name: str) -> FacetScore:
        """The score of facet ``name`` (KeyError when absent)."""
        for f in self.facets:
            if f.facet == name:
                return f
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serializable dict: ``{"facets": [FacetScore as dict, …]}``."""
        return {"facets": [asdict(f) for f in self.facets]}

    def table(self) -> str:
        """A fixed-width table of the scores, then missed / spurious lines per facet."""
        head = f"{'facet':<20} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}  note"
        lines = [head, "-" * len(head)]
        for f in self.facets:
            lines.append(f"{f.facet:<20} {f.tp:>5} {f.fp:>5} {f.fn:>5} {f.precision:>6.3f} "
                         f"{f.recall:>6.3f} {f.f1:>6.3f}  {f.note}".rstrip())
        for what in ("missed", "spurious"):
            blocks = [f for f in self.facets if getattr(f, what)]
            if not blocks:
                continue
            lines += ["", f"{what}:"]
            for f in blocks:
                items: list[str] = getattr(f, what)
                lines.append(f"  {f.facet} ({len(items)}):")
                lines += [f"    - {item}" for item in items[:TABLE_LIST_LIMIT]]
                if len(items) > TABLE_LIST_LIMIT:
                    lines.append(f"    … {len(items) - TABLE_LIST_LIMIT} more")
        return "\n".join(lines) + "\n"


@dataclass
class _Tally:
    """Accumulates one facet's counts while documents are scored."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def hit(self) -> None:
        self.tp += 1

    def miss(self, what: str) -> None:
        self.fn += 1
        self.missed.append(what)

    def false(self, what: str) -> None:
        self.fp += 1
        self.spurious.append(what)

    def score(self, facet: str, note: str = "") -> FacetScore:
        p, r, f1 = prf(self.tp, self.fp, self.fn)
        return FacetScore(facet, self.tp, self.fp, self.fn, p, r, f1, list(self.missed),
                          list(self.spurious), note)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted and nothing expected gives precision 1.0;
    nothing predicted but something expected gives precision 0.0; nothing expected gives
    recall 1.0."""
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f1, 4)
