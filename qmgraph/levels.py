"""The administrative levels a jurisdiction, a notice or an agency sits at: the one
definition every stage and tool reads (docs/decisions/0002-graph-contract.md).

Levels are named by a lower-case word in the code and by a ``qm:AdministrativeLevel``
individual (``qm:Provincial``…) in the graph. This module imports nothing from qmgraph, so
anything may use it.
"""

from __future__ import annotations

__all__ = ["LEVELS", "LEVEL_BY_TERM", "LEVEL_RANK", "LEVEL_TERMS", "level_of_iri"]

#: The levels from the top down.
LEVELS: tuple[str, ...] = ("national", "provincial", "prefectural", "county")

#: Rank of each level, 0 for the nation (an unknown level is ranked by each caller).
LEVEL_RANK: dict[str, int] = {lvl: i for i, lvl in enumerate(LEVELS)}

#: Local name of the ``qm:AdministrativeLevel`` individual of each level.
LEVEL_TERMS: dict[str, str] = {lvl: lvl.capitalize() for lvl in LEVELS}

#: The level of each ``qm:AdministrativeLevel`` local name.
LEVEL_BY_TERM: dict[str, str] = {term: lvl for lvl, term in LEVEL_TERMS.items()}


def level_of_iri(iri: str | None) -> str | None:
    """The level word of a ``qm:AdministrativeLevel`` IRI (``…#Provincial`` → provincial)."""
    return LEVEL_BY_TERM.get(iri.rsplit("#", 1)[-1]) if iri else None
