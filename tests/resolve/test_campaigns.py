"""Issue 20: one campaign node whatever the surface form; named instances go under their
campaign; ``campaign-spread`` shows a campaign's path from the national notice down."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.query import run_query
from qmgraph.resolve.campaigns import campaign_variants, canonical_campaign, resolve_campaign


@pytest.mark.parametrize("surface,label", [
    ("全国检验检测机构开放日", "检验检测机构开放日"),   # level prefix
    ("全省电梯安全宣传周", "电梯安全宣传周"),
    ("“全市计量便民服务日”", "计量便民服务日"),         # quotes and prefix
    ("第五届民营经济标准创新周", "民营经济标准创新周"),  # edition number
    ("2024年优质服务基层行", "优质服务基层行"),          # leading year
    ("放心农资下乡进乡村", "放心农资下乡进村"),          # known wording variant
    ("绿色产品认证宣传周", "绿色产品认证与标识宣传周"),
    ("金融标准 为民利企", "金融标准为民利企"),
    ("昆仑2022", "昆仑2022"),                          # a year in the name stays: one campaign per year
    ("全国质量月", "全国质量月"),                        # too short once cut: kept whole
    ("国企开放日", "国企开放日"),                        # not an enterprise's own name
])
def test_surface_forms_give_one_label(surface: str, label: str) -> None:
    assert canonical_campaign(surface) == (label, False)
    assert resolve_campaign(surface).label == label


def test_an_enterprises_open_day_is_an_instance_of_the_campaign() -> None:
    assert canonical_campaign("贰拾壹站检测技术有限公司开放日") == ("检验检测机构开放日", True)
    assert canonical_campaign("某某检验认证集团开放日") == ("检验检测机构开放日", True)
    # an open day of an organization without a testing cue is its own campaign
    assert canonical_campaign("某某食品有限公司开放日")[1] is False


def test_series_and_year_survive_the_prefix() -> None:
    c = resolve_campaign("全国昆仑2022")
    assert (c.label, c.series_label, c.year) == ("昆仑2022", "昆仑", 2022)


def test_the_variant_table_has_its_source_line() -> None:
    from qmgraph.resources import data_dir

    first = (data_dir() / "campaign_variants.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# source:")
    v = campaign_variants()
    assert "全国" in v.prefixes and v.variants and v.instances


def test_campaign_spread_starts_at_the_national_notice(seed_graph: Path) -> None:
    rows = run_query("campaign-spread", params={"campaign": "检验检测机构开放日"}, graph=seed_graph).rows
    assert {r["campaign"] for r in rows} == {"检验检测机构开放日"}
    national = [r for r in rows if r["level"] == "National"]
    assert national and national[0]["place"] == "中华人民共和国"
    assert {r["level"] for r in rows} >= {"National", "Provincial", "County"}
    # the old surface form finds the same node
    again = run_query("campaign-spread", params={"campaign": "全国检验检测机构开放日"}, graph=seed_graph)
    assert again.values() == run_query("campaign-spread", params={"campaign": "检验检测机构开放日"},
                                       graph=seed_graph).values()


@pytest.mark.parametrize("variant,canonical", [
    ("放心农资下乡进乡村", "放心农资下乡进村"),
    ("绿色产品认证宣传周", "绿色产品认证与标识宣传周"),
])
def test_variants_are_one_node_with_national_origin(seed_graph: Path, variant: str,
                                                    canonical: str) -> None:
    rows = run_query("campaign-spread", params={"campaign": variant}, graph=seed_graph).rows
    assert {r["campaign"] for r in rows} == {canonical}
    assert any(r["level"] == "National" for r in rows)


def test_no_enterprise_open_day_campaign(seed_graph: Path) -> None:
    names = {r["campaign"] for r in run_query("campaign-spread", graph=seed_graph).rows}
    assert not any(n.endswith("开放日") and "公司" in n for n in names)
    assert "全国检验检测机构开放日" not in names


def _spread(graph: Path, **params: object) -> set[tuple[str, int]]:
    rows = run_query("campaign-spread", params=params, graph=graph).rows
    return {(str(r["campaign"]), int(r["year"])) for r in rows}


def test_one_campaign_per_year_in_one_series(seed_graph: Path) -> None:
    from rdflib import Dataset, Namespace
    from rdflib.namespace import RDF, RDFS

    qm = Namespace("https://w3id.org/qmgraph/ontology#")
    ds = Dataset(default_union=True)
    ds.parse(seed_graph, format="trig")
    weeks = {c for c in ds.subjects(RDF.type, qm.Campaign)
             if str(ds.value(c, RDFS.label)) == "电梯安全宣传周"}
    assert {int(ds.value(c, qm.year)) for c in weeks} == {2022, 2024}  # two nodes…
    assert len({ds.value(c, qm.series) for c in weeks}) == 1  # …of one series
    # every campaign sits in a series
    assert all(ds.value(c, qm.series) is not None for c in ds.subjects(RDF.type, qm.Campaign)
               if (c, RDF.type, qm.QualityMonth) not in ds)


def test_campaign_spread_by_year_or_across_years(seed_graph: Path) -> None:
    assert _spread(seed_graph, campaign="电梯安全宣传周") == {("电梯安全宣传周", 2022),
                                                          ("电梯安全宣传周", 2024)}
    assert _spread(seed_graph, campaign="电梯安全宣传周", year="2024") == {("电梯安全宣传周", 2024)}
    # a series name finds every yearly campaign; a yearly name only its own
    assert _spread(seed_graph, campaign="昆仑") == {("昆仑2022", 2022), ("昆仑2024", 2024)}
    assert _spread(seed_graph, campaign="昆仑2022") == {("昆仑2022", 2022)}
    # the 2022 week's path starts at the national notice
    rows = run_query("campaign-spread", params={"campaign": "电梯安全宣传周", "year": "2022"},
                     graph=seed_graph).rows
    assert rows[0]["level"] == "National"


def test_a_campaign_node_label_does_not_depend_on_file_order():
    from qmgraph.model import Campaign
    from qmgraph.resolve import Resolver

    a = Campaign("dian-ti-2022", "电梯安全宣传周2022", "dian-ti", "电梯安全宣传周", 2022)
    b = Campaign("dian-ti-2022", "电梯安全宣传周", "dian-ti", "电梯安全宣传周", 2022)
    labels = []
    for first, second in ((a, b), (b, a)):
        r = Resolver()
        r._on_campaign(first, first.label)
        r._on_campaign(second, second.label)
        labels.append(r._campaigns["dian-ti-2022"].label)
    assert labels == ["电梯安全宣传周", "电梯安全宣传周"]
