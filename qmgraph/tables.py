"""Knowledge tables shared by more than one stage (each table's source is on its first line)."""

from __future__ import annotations

import csv
import functools
import re

from qmgraph.resources import data_dir

DATA_DIR = data_dir()


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of ``data/NAME`` (TSV or CSV by suffix), skipping ``#`` comment lines."""
    p = DATA_DIR / name
    rows = [ln for ln in p.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t" if p.suffix == ".tsv" else ","))


@functools.lru_cache(maxsize=1)
def column_roles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Roles of activity-table columns by header (data/table_columns.tsv): number, lead,
    co, content, time, place — read by the DOCX/HTML readers and by the parser alike."""
    return tuple((r["role"], re.compile(r["pattern"])) for r in read_table("table_columns.tsv"))


def column_role(header: str) -> str:
    """The role of one header cell, or ``other``."""
    h = re.sub(r"\s+", "", header)
    return next((role for role, rx in column_roles() if rx.search(h)), "other")
