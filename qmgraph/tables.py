"""The one reader of qmgraph's knowledge tables (``data/*.tsv`` and ``data/*.csv``).

Every table starts with ``# source:`` lines saying where its rows come from, then a header
row; the lexicon (``qmgraph.lexicon``) and the readers read them all through
:func:`read_table`.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from qmgraph.resources import data_dir

DATA_DIR = data_dir()


def read_table(name: str | Path) -> list[dict[str, str]]:
    """Rows of ``data/NAME`` (or of the table at the path ``NAME``), TSV or CSV by suffix.

    ``#`` comment lines and blank lines are skipped; cells are stripped. A TSV cell is
    taken as written (no CSV quoting), so a pattern may hold a quotation mark.
    """
    p = DATA_DIR / name
    lines = [ln for ln in p.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    if p.suffix == ".tsv":
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.DictReader(lines)
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


@functools.lru_cache(maxsize=1)
def column_roles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Roles of activity-table columns by header (data/table_columns.tsv): number, lead,
    co, content, time, place — read by the DOCX/HTML readers and by the parser alike."""
    return tuple((r["role"], re.compile(r["pattern"])) for r in read_table("table_columns.tsv"))


def column_role(header: str) -> str:
    """The role of one header cell, or ``other``."""
    h = re.sub(r"\s+", "", header)
    return next((role for role, rx in column_roles() if rx.search(h)), "other")
