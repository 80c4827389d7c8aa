"""A synthetic document names the agencies of its year (``data/agency_eras.tsv``, decision 0044)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.lexicon.organizations import STEM_COLUMNS
from qmgraph.lexicon.places import Gazetteer
from qmgraph.pipeline import build
from qmgraph.synth import SynthTruth, generate, score_co_organizers, score_structure
from qmgraph.synth.generate import _Catalog
from qmgraph.tables import read_table


@pytest.fixture(scope="module")
def cat() -> _Catalog:
    return _Catalog(Gazetteer.load())


def test_the_table_names_what_the_sector_table_knows() -> None:
    """Every row's sector, name and stands_for exist in data/sectors.csv, and its span is one."""
    sectors = {r["key"]: r for r in read_table("sectors.csv")}
    for r in read_table("agency_eras.tsv"):
        row = sectors[r["sector"]]
        assert not r["stands_for"] or r["stands_for"] in sectors, r
        assert int(r["from"] or 0) <= int(r["until"] or 9999), r
        if r["name"]:
            cols = ["national_name", "national_aliases", "former_names"] \
                if r["level"] == "national" else list(STEM_COLUMNS.values())
            assert any(r["name"] in row[c].split("|") for c in cols), r


def test_a_city_names_the_bodies_of_its_year(cat: _Catalog) -> None:
    city = cat.gaz.find("江门市")
    assert city is not None
    assert cat.lead(2010, city.level) == "quality-inspection"
    assert cat.stem("quality-inspection", city, 2010) == "质量技术监督局"
    assert cat.lead(2018, city.level) == "quality-inspection"  # local bureaus came in 2019
    assert cat.lead(2018, "national") == "market-regulation"
    assert cat.lead(2021, city.level) == "market-regulation"
    in_2010 = cat.sectors_in(2010, city.level)
    assert {"quality-inspection", "industry-commerce-admin", "work-safety", "food-drug",
            "family-planning", "tourism", "human-resources"} <= set(in_2010)
    assert not {"market-regulation", "emergency-management", "personnel"} & set(in_2010)
    # 人事局 and 劳动和社会保障局 until the 2008 reform reached the cities (2009)
    assert {"personnel", "labour-social-security"} <= set(cat.sectors_in(2007, city.level))
    assert "human-resources" not in cat.sectors_in(2007, city.level)
    assert not {"quality-inspection", "work-safety", "tourism"} & set(cat.sectors_in(2021, city.level))
    assert [cat.stem("health", city, y) for y in (2010, 2015, 2021)] == \
        ["卫生局", "卫生和计划生育委员会", "卫生健康委员会"]
    assert cat.stem("ecology-environment", city, 2012) == "环境保护局"
    assert cat.local_names("health", city, 2010) == ("市卫生局",)


def test_the_nation_names_its_bodies_of_the_year(cat: _Catalog) -> None:
    assert cat.national_names("health", 2010) == ("卫生部",)
    assert "国家卫生和计划生育委员会" in cat.national_names("health", 2015)
    assert "卫生部" not in cat.national_names("health", 2021)
    assert "农业部" in cat.national_names("agriculture", 2012)
    assert "农业部" not in cat.national_names("agriculture", 2021)
    # a former name without a span (国家计委) is never written
    assert not {"国家发展计划委员会", "国家计委"} & set(cat.national_names("development-reform", 2010))
    assert cat.short_national("quality-inspection", 2010) == "质检总局"
    assert cat.short_national("market-regulation", 2021) == "市场监管总局"


def test_food_drug_reached_counties_in_2014(cat: _Catalog) -> None:
    county = next(c for c in cat.gaz.children(cat.gaz.find("江门市").code)  # type: ignore[union-attr]
                  if c.level == "county")
    assert "food-drug" not in cat.sectors_in(2012, county.level)
    assert "food-drug" in cat.sectors_in(2015, county.level)
    assert cat.local_names("food-drug", county, 2015)


def test_a_pre_reform_corpus_is_written_and_read_with_its_names(tmp_path: Path) -> None:
    """Issuers, organizers and co-organizers of 2009–2012 are that era's bodies, and the
    build resolves them to the sectors the truth names."""
    truth = generate(30, 5, tmp_path / "c", years=(2009, 2012))
    sectors = {a.sector for a in truth.activities if a.sector}
    assert "quality-inspection" in sectors and "market-regulation" not in sectors
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in (tmp_path / "c" / "notices").glob("*.txt")]
    assert any("质量技术监督局关于开展" in t for t in texts)
    assert not any("市场监督管理局" in t or "市场监管" in t for t in texts)
    r = build([tmp_path / "c" / "notices"], tmp_path / "out", validate=False, formats=("nt",))
    loaded = SynthTruth.load(tmp_path / "c" / "truth.json")
    assert score_structure(r.corpus, loaded).block_recall >= 0.95
    co = score_co_organizers(r.corpus, tmp_path / "out" / "qmgraph.nt", loaded).to_json()
    assert co["expected_pairs"] > 0 and co["precision"] == 1.0 and co["recall"] >= 0.9


def test_a_name_that_ended_is_not_the_name_the_resolver_labels_by() -> None:
    """The two tables agree on which name is today's: a name whose era row ends is not
    the one ``sectors.csv`` lists first at its level (the resolver labels a folded node by
    that first name, ``OrganizationResolver.name_rank``), unless its body ended too (a
    legacy sector)."""
    from qmgraph.synth.eras import Eras, _levels

    eras = Eras()
    sectors = {r["key"]: r for r in read_table("sectors.csv")}
    for r in read_table("agency_eras.tsv"):
        if not r["name"] or not r["until"]:
            continue
        row, after = sectors[r["sector"]], int(r["until"]) + 1
        for level in _levels(r["level"]):
            first = row["national_name"] if level == "national" else \
                next((s for s in row[STEM_COLUMNS[level]].split("|") if s), "")
            assert first != r["name"] or not eras.exists(r["sector"], level, after), (r, level)
