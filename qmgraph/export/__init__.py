"""Tidy tables of a built graph, for analysis in pandas, R or a spreadsheet.

:func:`export_tables` reads the graph into an embedded Oxigraph store, asks it the SPARQL
queries of ``queries/export/`` (one per table, a few for names) and writes each table as
CSV (UTF-8) and Parquet, plus ``data_dictionary.csv`` (table, column, type, meaning). The
tables and their columns are declared once in :data:`TABLES`; the Parquet schema and the
dictionary come from there, so they cannot disagree. Every table is sorted by its key columns, so an export is
deterministic. Needs pandas and pyarrow (``pip install 'qmgraph[tables]'``).

Tables: ``documents`` (one row per notice), ``activities``, ``organizations``,
``campaigns``, ``mirror_links`` (each ``qm:MirrorLink`` with its evidence and score) and
``adoption_panel`` — one row per jurisdiction × year × campaign for diffusion studies (see
:func:`adoption_panel` for who is at risk of adopting). Decision record:
docs/decisions/0013-analysis-tables.md.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmgraph.errors import InputError, QmgraphError
from qmgraph.levels import LEVEL_RANK, level_of_iri

__all__ = ["FORMATS", "TABLES", "Column", "Table", "export_tables", "read_tables"]


@dataclass(frozen=True)
class Column:
    """One column: its name, type (string, integer, float, boolean, date) and meaning."""

    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """One exported table: its columns (in order), key columns (sort order) and meaning."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


_LEVEL = "administrative level: national, provincial, prefectural or county"

#: Every table and column written, with the types the data dictionary gives.
TABLES: tuple[Table, ...] = (
    Table("documents", "one row per notice (qm:Notice)", _cols(
        ("notice", "string", "IRI of the notice"),
        ("title", "string", "title (dcterms:title)"),
        ("doc_number", "string", "document number (文号), e.g. 国市监质发〔2022〕76号"),
        ("issued", "date", "date of issue, when the notice states one"),
        ("year", "integer", "year of the notice"),
        ("level", "string", _LEVEL),
        ("jurisdiction", "string", "IRI of the issuing jurisdiction"),
        ("jurisdiction_code", "string", "6-digit GB/T 2260 code of the jurisdiction (empty: the nation)"),
        ("jurisdiction_label", "string", "official name of the jurisdiction"),
        ("issued_by", "string", "IRI of the issuing organization"),
        ("issued_by_label", "string", "name of the issuing organization"),
        ("implements", "string", "IRI of the higher notice this one implements"),
        ("theme", "string", "theme of the year's Quality Month"),
        ("source_file", "string", "file the notice was read from"),
        ("activities", "integer", "number of activities of the notice"),
    ), ("notice",)),
    Table("activities", "one row per activity (qm:Activity)", _cols(
        ("activity", "string", "IRI of the activity"),
        ("notice", "string", "IRI of the notice stating it"),
        ("year", "integer", "year of the activity"),
        ("level", "string", _LEVEL + " of the activity's jurisdiction"),
        ("jurisdiction", "string", "IRI of the jurisdiction where it takes place"),
        ("jurisdiction_code", "string", "6-digit GB/T 2260 code (empty: the nation)"),
        ("jurisdiction_label", "string", "official name of the jurisdiction"),
        ("text", "string", "normalized text of the activity"),
        ("organizers", "string", "names of the organizers, separated by ' | '"),
        ("n_organizers", "integer", "number of organizers"),
        ("co_organizers", "string", "names of the co-organizers, separated by ' | '"),
        ("campaigns", "string", "names of the campaigns it belongs to, separated by ' | '"),
        ("mirrors", "string", "IRI of the higher activity it copies or adapts (empty: none)"),
    ), ("activity",)),
    Table("organizations", "one row per agency, association or enterprise", _cols(
        ("organization", "string", "IRI of the organization"),
        ("kind", "string", "agency, association or enterprise"),
        ("label", "string", "full official name"),
        ("alt_labels", "string", "other names seen in notices, separated by ' | '"),
        ("level", "string", _LEVEL),
        ("jurisdiction", "string", "IRI of its jurisdiction"),
        ("jurisdiction_code", "string", "6-digit GB/T 2260 code (empty: the nation)"),
        ("sector", "string", "sector key (skos:notation), e.g. public-security"),
        ("counterpart", "string", "IRI of the same-sector agency one level up"),
        ("parent", "string", "IRI of the organization it is a branch of"),
    ), ("organization",)),
    Table("campaigns", "one row per named campaign and year (qm:Campaign)", _cols(
        ("campaign", "string", "IRI of the campaign"),
        ("label", "string", "normalized name"),
        ("series", "string", "name of its campaign series (昆仑2022 → 昆仑; 电梯安全宣传周 of "
         "2024 → 电梯安全宣传周)"),
        ("name_year", "integer", "year of the campaign (qm:year): the one in its name "
         "(昆仑2022), else the year it ran (one campaign per year); empty if unknown"),
        ("first_year", "integer", "earliest year of an activity of the campaign"),
        ("activities", "integer", "number of activities of the campaign"),
        ("jurisdictions", "integer", "number of jurisdictions with an activity of the campaign"),
    ), ("campaign",)),
    Table("mirror_links", "one row per lineage link (qm:MirrorLink): a lower activity copies "
          "or adapts a higher one of the same year", _cols(
        ("link", "string", "IRI of the link"),
        ("source_activity", "string", "IRI of the lower (copying) activity"),
        ("target_activity", "string", "IRI of the higher (copied) activity"),
        ("year", "integer", "year of both activities"),
        ("source_level", "string", _LEVEL + " of the lower activity"),
        ("source_jurisdiction_code", "string", "GB/T 2260 code of the lower activity's place"),
        ("target_level", "string", _LEVEL + " of the higher activity"),
        ("target_jurisdiction_code", "string", "GB/T 2260 code of the higher activity's place "
         "(empty: the nation)"),
        ("score", "float", "similarity score, 0–1"),
        ("grade", "string", "verbatim (copied) or adapted"),
        ("copied", "boolean", "true when the grade is verbatim"),
        ("method", "string", "how the link was found and scored"),
        ("evidence", "string", "the shared text"),
        ("source_text", "string", "text of the lower activity"),
        ("target_text", "string", "text of the higher activity"),
    ), ("source_activity", "target_activity", "link")),
    Table("adoption_panel", "jurisdiction × year × campaign: did the jurisdiction run the "
          "campaign that year? Rows for every jurisdiction with an activity that year and "
          "every campaign with an activity anywhere that year", _cols(
        ("jurisdiction", "string", "IRI of the jurisdiction"),
        ("jurisdiction_code", "string", "6-digit GB/T 2260 code (empty: the nation)"),
        ("jurisdiction_label", "string", "official name"),
        ("level", "string", _LEVEL),
        ("year", "integer", "year"),
        ("campaign", "string", "IRI of the campaign"),
        ("campaign_label", "string", "name of the campaign"),
        ("adopted", "boolean", "the jurisdiction has an activity of the campaign that year"),
        ("first_year", "integer", "first year the jurisdiction has an activity of the campaign "
         "(empty: never)"),
        ("source_level", "string", "highest level whose activity an adopting activity mirrors "
         "(empty: not adopted, or adopted without a mirror link)"),
        ("copied_or_adapted", "string", "copied (a verbatim mirror), adapted (mirrors only "
         "adapted), own (adopted, mirrors nothing); empty when not adopted"),
    ), ("year", "campaign", "jurisdiction")),
)

#: Output formats (:data:`_WRITERS` holds the writer of each).
FORMATS = ("csv", "parquet")

_SEP = " | "


class _Reader:
    """SPARQL over the graph, rows as dicts of Python values (qmgraph.query.values)."""

    def __init__(self, graph: Path):
        from qmgraph.query.run import embedded_store

        self.store = embedded_store(graph)
        self._labels: dict[str, str] | None = None

    def label(self, iri: str | None) -> str | None:
        """One Chinese (or untagged) label of ``iri``: the smallest, so it is stable."""
        if self._labels is None:
            self._labels = {row["s"]: row["label"] for row in self.rows("labels")}
        return self._labels.get(iri) if iri else None

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The rows of ``queries/export/<name>.rq`` on the union of the graphs."""
        from qmgraph.query.values import from_oxigraph
        from qmgraph.resources import queries_dir

        text = (queries_dir() / "export" / f"{name}.rq").read_text(encoding="utf-8")
        res = self.store.query(text, use_default_graph_as_union=True)
        cols = [v.value for v in res.variables]
        return [{c: _py(from_oxigraph(sol[c])) for c in cols} for sol in res]


def _py(v: Any) -> Any:
    # IRI and LangText are str subclasses; tables hold plain values
    return str(v) if isinstance(v, str) else v


def _documents(r: _Reader) -> list[dict[str, Any]]:
    rows = r.rows("documents")
    for row in rows:
        row["level"] = level_of_iri(row.pop("lvl"))
        row["activities"] = row["activities"] or 0
        row["jurisdiction_label"] = r.label(row["jurisdiction"])
        row["issued_by_label"] = r.label(row["issued_by"])
    return _first_per_key(rows, "notice")


def _joined(r: _Reader) -> dict[str, dict[str, str]]:
    """Property (organizer, coOrganizer, campaign) → activity IRI → the Chinese names of
    its objects, sorted and joined."""
    got: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in r.rows("activity-names"):
        got[row["p"].rsplit("#", 1)[-1]][row["a"]].add(row["name"])
    return {p: {a: _SEP.join(sorted(v)) for a, v in by_a.items()} for p, by_a in got.items()}


def _activities(r: _Reader) -> list[dict[str, Any]]:
    rows = r.rows("activities")
    names = _joined(r)
    organizers, co, campaigns = (names.get(p, {}) for p in ("organizer", "coOrganizer", "campaign"))
    for row in rows:
        a = row["activity"]
        row["level"] = level_of_iri(row.pop("lvl"))
        row["jurisdiction_label"] = r.label(row["jurisdiction"])
        row["organizers"] = organizers.get(a)
        row["co_organizers"] = co.get(a)
        row["campaigns"] = campaigns.get(a)
        row["n_organizers"] = row["n_organizers"] or 0
    return _first_per_key(rows, "activity")


def _organizations(r: _Reader) -> list[dict[str, Any]]:
    rows = r.rows("organizations")
    alts: dict[str, set[str]] = defaultdict(set)
    for row in r.rows("organization-alt-labels"):
        alts[row["o"]].add(row["alt"])
    for row in rows:
        row["kind"] = row.pop("cls").rsplit("#", 1)[-1].lower()
        row["label"] = r.label(row["organization"])
        row["level"] = level_of_iri(row.pop("lvl"))
        row["alt_labels"] = _SEP.join(sorted(alts.get(row["organization"], ()))) or None
    return _first_per_key(rows, "organization")


def _campaigns(r: _Reader) -> list[dict[str, Any]]:
    rows = r.rows("campaigns")
    for row in rows:
        row["label"] = r.label(row["campaign"])
        row["series"] = r.label(row.pop("s"))
        row["activities"] = row["activities"] or 0
        row["jurisdictions"] = row["jurisdictions"] or 0
    return _first_per_key(rows, "campaign")


def _mirror_links(r: _Reader) -> list[dict[str, Any]]:
    rows = r.rows("mirror-links")
    for row in rows:
        row["source_level"] = level_of_iri(row.pop("slvl"))
        row["target_level"] = level_of_iri(row.pop("tlvl"))
        row["copied"] = None if row["grade"] is None else row["grade"] == "verbatim"
    return _first_per_key(rows, "link")


def adoption_panel(activities: list[dict[str, Any]], campaign_of: dict[str, list[str]],
                   campaigns: list[dict[str, Any]], links: list[dict[str, Any]],
                   places: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The jurisdiction × year × campaign panel.

    At risk in year Y: every jurisdiction with an activity in Y (it was observed that
    year), crossed with every campaign that has an activity anywhere in Y (``campaign_of``:
    activity IRI → its campaigns' IRIs). ``adopted``: the
    jurisdiction has an activity of the campaign in Y. ``source_level`` and
    ``copied_or_adapted`` come from the mirror links of those adopting activities.
    """
    label = {c["campaign"]: c["label"] for c in campaigns}
    observed, running, adopting = _at_risk(activities, campaign_of)
    first: dict[tuple[str, str], int] = {}
    for (j, y, c) in adopting:
        first[(j, c)] = min(y, first.get((j, c), y))
    mirrors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in links:
        mirrors[m["source_activity"]].append(m)
    out = []
    for y in sorted(observed):
        for c in sorted(running[y]):
            for j in sorted(observed[y]):
                acts = adopting.get((j, y, c), [])
                ms = [m for a in acts for m in mirrors.get(a, [])]
                out.append({**_place_columns(j, places.get(j, {})), "year": y, "campaign": c,
                            "campaign_label": label.get(c), **_adoption(acts, ms),
                            "first_year": first.get((j, c))})
    return [{k: row[k] for k in _PANEL_COLUMNS} for row in out]


#: Column order of the adoption panel.
_PANEL_COLUMNS = ("jurisdiction", "jurisdiction_code", "jurisdiction_label", "level", "year",
                  "campaign", "campaign_label", "adopted", "first_year", "source_level",
                  "copied_or_adapted")


def _at_risk(activities: list[dict[str, Any]], campaign_of: dict[str, list[str]]
             ) -> tuple[dict[int, set[str]], dict[int, set[str]],
                        dict[tuple[str, int, str], list[str]]]:
    """The places observed each year, the campaigns running each year, and the activities
    of each (place, year, campaign)."""
    by_iri = {a["activity"]: a for a in activities}
    observed: dict[int, set[str]] = defaultdict(set)
    running: dict[int, set[str]] = defaultdict(set)
    adopting: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for a in activities:
        y, j = a["year"], a["jurisdiction"]
        if y is None or j is None:
            continue  # flagged notices without a year or a place stay out of the panel
        observed[y].add(j)
    for a_iri, cs in sorted(campaign_of.items()):
        a = by_iri.get(a_iri)
        if a is None or a["year"] is None or a["jurisdiction"] is None:
            continue
        for c in cs:
            running[a["year"]].add(c)
            adopting[(a["jurisdiction"], a["year"], c)].append(a_iri)
    return observed, running, adopting


def _place_columns(j: str, place: dict[str, Any]) -> dict[str, Any]:
    return {"jurisdiction": j, "jurisdiction_code": place.get("jurisdiction_code"),
            "jurisdiction_label": place.get("jurisdiction_label"), "level": place.get("level")}


def _adoption(acts: list[str], ms: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether a place adopted a campaign in a year, from what level, copied or adapted."""
    levels = [m["target_level"] for m in ms if m["target_level"]]
    return {
        "adopted": bool(acts),
        "source_level": min(levels, key=LEVEL_RANK.__getitem__) if levels else None,
        "copied_or_adapted": (None if not acts else
                              "copied" if any(m["copied"] for m in ms) else
                              "adapted" if ms else "own"),
    }


def _campaign_of(r: _Reader) -> dict[str, list[str]]:
    """Activity IRI → the IRIs of its campaigns (named campaigns, not Quality Months)."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in r.rows("campaign-of"):
        out[row["a"]].add(row["c"])
    return {a: sorted(cs) for a, cs in out.items()}


def _first_per_key(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """One row per ``key`` value (the first in a stable order), so a node with two values
    of a single-valued property never doubles a row."""
    rows.sort(key=lambda r: tuple("" if v is None else str(v) for v in r.values()))
    seen: dict[Any, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r[key], r)
    return list(seen.values())


# ------------------------------------------------------------------------------ writing

_PANDAS_TYPES = {"string": "string", "integer": "Int64", "float": "float64",
                 "boolean": "boolean", "date": "datetime64[ns]"}


def _frame(table: Table, rows: list[dict[str, Any]]):
    import pandas as pd

    data = {}
    for col in table.columns:
        values = [r.get(col.name) for r in rows]
        if col.type == "date":
            values = [v if isinstance(v, _dt.date) else None for v in values]
            data[col.name] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            data[col.name] = pd.Series(values, dtype=_PANDAS_TYPES[col.type])
    frame = pd.DataFrame(data, columns=[c.name for c in table.columns])
    return frame.sort_values(list(table.key), kind="stable").reset_index(drop=True)


_WRITERS: dict[str, Callable[[Any, Path], None]] = {
    "csv": lambda frame, path: frame.to_csv(path, index=False, encoding="utf-8",
                                            lineterminator="\n", date_format="%Y-%m-%d"),
    "parquet": lambda frame, path: frame.to_parquet(path, index=False, engine="pyarrow"),
}


def _collect(graph: Path) -> dict[str, list[dict[str, Any]]]:
    r = _Reader(graph)
    acts = _activities(r)
    camps = _campaigns(r)
    links = _mirror_links(r)
    places = {a["jurisdiction"]: a for a in acts if a["jurisdiction"]}
    return {
        "documents": _documents(r),
        "activities": acts,
        "organizations": _organizations(r),
        "campaigns": camps,
        "mirror_links": links,
        "adoption_panel": adoption_panel(acts, _campaign_of(r), camps, links, places),
    }


def export_tables(graph: str | Path, out: str | Path,
                  formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write every table of :data:`TABLES` of ``graph`` (a graph file) into ``out`` in each
    of ``formats`` (csv, parquet), and ``data_dictionary.csv``; returns the paths written."""
    fmts = tuple(formats)
    unknown = [f for f in fmts if f not in _WRITERS]
    if unknown:
        raise InputError(f"unknown table format(s) {', '.join(unknown)}",
                         hint=f"choose from {', '.join(FORMATS)}")
    try:
        import pandas  # noqa: F401
        if "parquet" in fmts:
            import pyarrow  # noqa: F401
    except ModuleNotFoundError as exc:
        raise QmgraphError(f"{exc.name} is not installed",
                           hint="pip install 'qmgraph[tables]' (pandas and pyarrow)") from exc
    from qmgraph.emit.write import atomic_write

    data = _collect(Path(graph))
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        frame = _frame(table, data[table.name])
        for fmt in fmts:
            path = target / f"{table.name}.{fmt}"
            atomic_write(path, lambda p, f=frame, w=_WRITERS[fmt]: w(f, p))
            written.append(path)
    dictionary = target / "data_dictionary.csv"
    atomic_write(dictionary, _write_dictionary)
    written.append(dictionary)
    return written


def _write_dictionary(path: Path) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["table", "column", "type", "meaning"])
        for table in TABLES:
            w.writerow([table.name, "", "table", table.meaning])
            for col in table.columns:
                w.writerow([table.name, col.name, col.type, col.meaning])


def read_tables(out: str | Path, fmt: str = "parquet") -> dict[str, Any]:
    """The exported tables of ``out`` as DataFrames with the dictionary's types."""
    import pandas as pd

    target = Path(out)
    frames = {}
    for table in TABLES:
        path = target / f"{table.name}.{fmt}"
        if fmt == "parquet":
            frames[table.name] = pd.read_parquet(path)
            continue
        types = {c.name: _PANDAS_TYPES[c.type] for c in table.columns if c.type != "date"}
        dates = [c.name for c in table.columns if c.type == "date"]
        frames[table.name] = pd.read_csv(path, dtype=types, parse_dates=dates,
                                         keep_default_na=False, na_values=[""])
    return frames
