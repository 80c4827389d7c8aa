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

from qmgraph.errors import TableError
from qmgraph.resources import data_dir

DATA_DIR = data_dir()


def read_table(name: str | Path, *, strict: bool = False, required: tuple[str, ...] = ()
               ) -> list[dict[str, str]]:
    """Rows of ``data/NAME`` (or of the table at the path ``NAME``), TSV or CSV by suffix.

    ``#`` comment lines and blank lines are skipped; cells are stripped. A TSV cell is
    taken as written (no CSV quoting), so a pattern may hold a quotation mark.

    ``strict`` is for tables of text taken as written (the synthetic corpora's phrases):
    a row must have one cell per header column, no cell may start or end with white space
    (U+3000 too) and no cell of a ``required`` column may be empty, or :class:`TableError`
    names the table and line.
    """
    p = DATA_DIR / name
    numbered = [(n, ln) for n, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                if ln.strip() and not ln.startswith("#")]
    lines = [ln for _, ln in numbered]
    if p.suffix == ".tsv":
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.DictReader(lines)
    if not strict:
        return [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    rows: list[dict[str, str]] = []
    width = len(reader.fieldnames or ())
    for (n, _), row in zip(numbered[1:], reader, strict=True):
        extra = row.pop(None, [])  # type: ignore[call-overload]  # cells past the header's
        missing = sum(v is None for v in row.values())
        if extra or missing:
            raise TableError(f"line {n} has {width - missing + len(extra)} cells, "
                             f"its header {width}", path=str(p))
        for k, v in row.items():
            if v != v.strip():
                raise TableError(f"line {n}: cell {k!r} starts or ends with white space "
                                 f"({v!r})", path=str(p))
            if not v and k in required:
                raise TableError(f"line {n}: cell {k!r} is empty", path=str(p))
        rows.append(row)
    return rows


@functools.lru_cache(maxsize=1)
def column_roles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Roles of activity-table columns by header (data/table_columns.tsv): number, lead,
    co, content, time, place — read by the DOCX/HTML readers and by the parser alike."""
    return tuple((r["role"], re.compile(r["pattern"])) for r in read_table("table_columns.tsv"))


def column_role(header: str) -> str:
    """The role of one header cell, or ``other``."""
    h = re.sub(r"\s+", "", header)
    return next((role for role, rx in column_roles() if rx.search(h)), "other")
