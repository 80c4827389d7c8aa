"""Audit which agency names resolve to the expected sector, at every level they occur.

For reviewing the organization tables (``data/sectors.csv``, ``data/agency_aliases.csv``)
against a list of names of an era: reads a TSV (``name``, ``sector``, ``levels`` = letters
n/p/c/x for national, provincial, city, county; ``#`` comment lines) and resolves each
name as a notice of each listed level writes it — after the relative marker (省/市/县)
and after the place's full name; a ``{seat}`` in the name is filled with the place's short
name (江门出入境检验检疫局). Prints every name that gets no sector or another sector.

    .venv/bin/python scripts/audit_agencies.py tests/resolve/era_agencies.tsv [--all]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from qmgraph.lexicon.organizations import short_name
from qmgraph.lexicon.places import Gazetteer
from qmgraph.model import Jurisdiction
from qmgraph.resolve.organizations import OrganizationResolver
from qmgraph.tables import read_table

#: level letter → (division code of a sample notice place, its relative marker)
LEVELS = {
    "n": (None, ""),
    "p": ("440000", "省"),
    "c": ("440700", "市"),
    "x": ("440823", "县"),
}


def rows(path: Path) -> list[dict[str, str]]:
    """The table's rows (comment lines skipped), read as the package reads its tables."""
    return read_table(path.resolve())


def surfaces(name: str, ctx: Jurisdiction, marker: str) -> Iterator[str]:
    """How a notice of ``ctx`` writes ``name``."""
    if ctx.code is None:
        yield name
    elif "{seat}" in name:
        yield name.replace("{seat}", short_name(ctx))
    else:
        yield marker + name
        yield ctx.name + name


def audit(path: Path, show_all: bool = False) -> list[str]:
    """Lines for the names of ``path`` that resolve to no or another sector."""
    gaz = Gazetteer.load()
    res = OrganizationResolver(gaz)
    out: list[str] = []
    for row in rows(path):
        for letter in row["levels"]:
            code, marker = LEVELS[letter]
            ctx = gaz.get(code) if code else gaz.nation
            for surface in surfaces(row["name"], ctx, marker):
                org = res.resolve(surface, ctx)
                verdict = ("ok" if org.sector == row["sector"]
                           else "MISSING" if org.sector is None else "WRONG")
                if show_all or verdict != "ok":
                    out.append(f"{verdict}\t{letter}\t{surface}\t{org.key}\t{org.label}\t"
                               f"want={row['sector']}\tcounterpart={org.counterpart}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("table", type=Path)
    ap.add_argument("--all", action="store_true", help="print the resolved names too")
    args = ap.parse_args(argv)
    lines = audit(args.table, args.all)
    print("\n".join(lines))
    bad = sum(not ln.startswith("ok") for ln in lines)
    print(f"not as expected: {bad}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
