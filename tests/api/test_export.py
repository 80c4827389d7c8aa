"""``export tables``: tidy tables that load in pandas with the data dictionary's types."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import qmgraph
from qmgraph.cli import main
from qmgraph.export import TABLES, read_tables

_EXPECTED_DTYPES = {"string": ("string", "str"), "integer": ("Int64",), "float": ("float64",),
                    "boolean": ("boolean",),
                    "date": tuple(f"datetime64[{u}]" for u in ("s", "ms", "us", "ns"))}


@pytest.fixture(scope="module")
def tables(built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    written = qmgraph.export_tables(built.out_dir, out=out)
    assert len(written) == 2 * len(TABLES) + 1
    return out


def _dictionary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "data_dictionary.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    types: dict[str, dict[str, str]] = {}
    for r in rows:
        if r["column"]:
            assert r["meaning"], r
            types.setdefault(r["table"], {})[r["column"]] = r["type"]
    return types


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_load_with_the_dictionary_types(tables: Path, fmt: str) -> None:
    types = _dictionary(tables)
    assert set(types) == {t.name for t in TABLES}
    frames = read_tables(tables, fmt)
    for name, frame in frames.items():
        assert list(frame.columns) == list(types[name]), name
        for col, typ in types[name].items():
            assert str(frame[col].dtype) in _EXPECTED_DTYPES[typ], (name, col, frame[col].dtype)
    # a plain read of the Parquet files needs no help to get the types
    plain = pd.read_parquet(tables / "mirror_links.parquet")
    assert str(plain["score"].dtype) == "float64" and str(plain["year"].dtype) == "Int64"


def test_tables_match_the_graph(built, tables: Path) -> None:
    f = read_tables(tables)
    docs, acts, links = f["documents"], f["activities"], f["mirror_links"]
    assert len(docs) == built.counts["notices"] and docs["notice"].is_unique
    assert len(acts) == built.counts["activities"] and acts["activity"].is_unique
    assert len(links) == built.counts["mirrors"] and links["link"].is_unique
    assert len(f["campaigns"]) == built.counts["campaigns"]
    orgs = built.counts["agencies"] + built.counts["associations"] + built.counts["enterprises"]
    assert len(f["organizations"]) == orgs
    assert docs["activities"].sum() == len(acts)
    assert set(links["source_activity"]) <= set(acts["activity"])
    assert links["score"].between(0, 1).all()
    assert (links["copied"] == (links["grade"] == "verbatim")).all()
    ranks = {"national": 0, "provincial": 1, "prefectural": 2, "county": 3}
    assert (links["source_level"].map(ranks) > links["target_level"].map(ranks)).all()


def test_adoption_panel_is_consistent(tables: Path) -> None:
    f = read_tables(tables)
    panel, acts = f["adoption_panel"], f["activities"]
    assert not panel.duplicated(["jurisdiction", "year", "campaign"]).any()
    adopted = panel[panel["adopted"]]
    assert len(adopted) > 0 and len(adopted) < len(panel)
    assert adopted["copied_or_adapted"].notna().all()
    assert panel.loc[~panel["adopted"], "copied_or_adapted"].isna().all()
    assert (adopted["first_year"] <= adopted["year"]).all()
    assert set(adopted["copied_or_adapted"]) <= {"copied", "adapted", "own"}
    assert {"copied", "adapted"} <= set(adopted["copied_or_adapted"])
    # an adopted row is backed by an activity of that place, year and campaign label
    for row in adopted.head(30).itertuples():
        mine = acts[(acts["jurisdiction"] == row.jurisdiction) & (acts["year"] == row.year)]
        assert mine["campaigns"].fillna("").str.split(" \\| ").map(
            lambda names, label=row.campaign_label: label in names).any(), row
    # a copied adoption mirrors a higher level
    copied = adopted[adopted["copied_or_adapted"] == "copied"]
    assert copied["source_level"].notna().all()


def test_export_is_deterministic_and_cli_is_the_same(built, tables: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["export", "tables", "--graph", str(built.out_dir), "--out",
                                    str(tmp_path), "--format", "csv"])
    assert res.exit_code == 0, res.output
    for t in TABLES:
        assert (tmp_path / f"{t.name}.csv").read_bytes() == \
            (tables / f"{t.name}.csv").read_bytes(), t.name
    assert not list(tmp_path.glob("*.parquet"))
