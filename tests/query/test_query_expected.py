"""Done-when of the canned-queries issue: every canned query returns the expected rows on the
seed graph (specific rows, not just "non-empty"). Facts come from the five seed notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.query import list_queries, run_query

from .samples import every_chain

CHECKED = {
    "provincial-mirrors-national", "local-mirrors-provincial", "activity-chain", "campaign-spread",
    "campaign-series-spread", "counterpart-reporting", "joint-organizers", "reused-slogans-themes",
    "implements-chain", "sector-activities", "jurisdiction-tree", "most-copied-agencies",
    "activity-search", "summary",
}


def rows(name: str, graph: Path, **params: str) -> list[dict[str, str | None]]:
    return run_query(name, params=params, graph=graph).rows


def test_every_canned_query_has_an_expected_row_test() -> None:
    assert {q.name for q in list_queries()} <= CHECKED


def test_provincial_mirrors_national_hainan_police_kunlun(seed_graph: Path) -> None:
    hits = [r for r in rows("provincial-mirrors-national", seed_graph)
            if r["province"] == "海南省" and r["provincial_agency"] == "海南省公安厅"
            and r["national_agency"] == "公安部"]
    assert hits, "海南省公安厅 → 公安部 missing"
    hit = next(r for r in hits if "昆仑2022" in r["provincial_text"] and "昆仑2022" in r["national_text"])
    assert hit["year"] == "2022" and float(hit["score"]) >= 0.8 and hit["grade"] == "verbatim"
    assert "/activity/qiong-zhi-qiang" in hit["provincial_activity"] or \
        "460000" in hit["provincial_activity"]
    assert "/activity/guo-shi-jian" in hit["national_activity"]
    # the same for Sichuan
    assert any(r["province"] == "四川省" and r["provincial_agency"] == "四川省公安厅"
               and r["national_agency"] == "公安部" and "昆仑2022" in r["provincial_text"]
               for r in rows("provincial-mirrors-national", seed_graph))


def test_local_mirrors_provincial_tianjin_districts(seed_graph: Path) -> None:
    rs = rows("local-mirrors-provincial", seed_graph)
    tianjin = [r for r in rs if r["province"] == "天津市"]
    assert {"和平区", "北辰区"} <= {r["place"] for r in tianjin}
    assert all(r["place_level"] in ("Prefectural", "County") for r in rs)
    assert any(r["place"] == "北辰区" and r["local_agency"] == "北辰区人民政府"
               and r["provincial_agency"] == "天津市市场监督管理委员会" for r in tianjin)
    assert {r["province"] for r in rs} >= {"天津市", "四川省"}


def test_activity_chain_local_to_national(seed_graph: Path) -> None:
    rs = every_chain(seed_graph)
    by_start: dict[str, set[str]] = {}
    for r in rs:
        by_start.setdefault(r["activity"], set()).add(r["ancestor_level"])
    full = [a for a, levels in by_start.items() if {"Provincial", "National"} <= levels]
    assert full, "no local activity whose chain reaches its province and the nation"
    assert any(r["activity_place"] == "天津市" and r["ancestor_place"] == "中华人民共和国" for r in rs)


def test_campaign_spread_kunlun_2022(seed_graph: Path) -> None:
    rs = rows("campaign-spread", seed_graph, campaign="昆仑2022")
    got = {(r["level"], r["place"], r["agency"]) for r in rs}
    assert got == {("National", "中华人民共和国", "公安部"), ("Provincial", "四川省", "四川省公安厅"),
                   ("Provincial", "海南省", "海南省公安厅")}
    assert {r["series"] for r in rs} == {"昆仑"} and {r["year"] for r in rs} == {"2022"}


def test_campaign_series_spread_kunlun(seed_graph: Path) -> None:
    rs = {r["campaign"]: r for r in rows("campaign-series-spread", seed_graph)}
    k22 = rs["昆仑2022"]
    assert (k22["series"], k22["national"], k22["provincial"], k22["places"]) == ("昆仑", "1", "2", "3")
    assert "昆仑2024" in rs and rs["昆仑2024"]["series"] == "昆仑"


def test_counterpart_reporting_hainan(seed_graph: Path) -> None:
    rs = rows("counterpart-reporting", seed_graph, province="460000", year="2022")
    pairs = {(r["national_agency"], r["provincial_agency"]): r for r in rs}
    water = pairs[("水利部", "海南省水务厅")]
    assert water["reported"] == "true" and int(water["activities"]) >= 1
    police = pairs[("公安部", "海南省公安厅")]
    assert police["reported"] == "true"
    assert all(r["reported"] == ("true" if int(r["activities"]) else "false") for r in rs)
    assert any(r["reported"] == "false" for r in rs)  # not everyone reported
    assert len({r["national_agency"] for r in rs}) == 21


def test_joint_organizers_21_for_hainan_2022(seed_graph: Path) -> None:
    rs = rows("joint-organizers", seed_graph, year="2022")
    hainan = [r for r in rs if r["place"] == "海南省"]
    assert len(hainan) == 21
    assert {"海南省公安厅", "海南省水务厅", "海南省农业农村厅"} <= {r["agency"] for r in hainan}
    assert len([r for r in rs if r["place"] == "中华人民共和国"]) == 21
    assert any(r["agency"] == "公安部" and r["sector"] == "public-security" for r in rs)


def test_reused_slogans_hainan_from_nation(seed_graph: Path) -> None:
    rs = rows("reused-slogans-themes", seed_graph)
    assert any(r["kind"] == "slogan" and r["place"] == "海南省" and r["upper_place"] == "中华人民共和国"
               and r["text"] == "人人创造质量 人人享受质量" and r["year"] == "2022" for r in rs)


def test_implements_chain_hainan_notice_to_national(seed_graph: Path) -> None:
    rs = rows("implements-chain", seed_graph)
    assert any(r["kind"] == "notice" and r["doc_number"] == "琼质强省办〔2022〕8号"
               and r["upper_doc_number"] == "国市监质发〔2022〕76号" for r in rs)
    editions = {(r["place"], r["year"], r["upper_place"]) for r in rs if r["kind"] == "edition"}
    assert {("海南省", "2022", "中华人民共和国"), ("四川省", "2022", "中华人民共和国"),
            ("天津市", "2022", "中华人民共和国")} <= editions


def test_sector_activities_public_security(seed_graph: Path) -> None:
    rs = rows("sector-activities", seed_graph, sector="public-security")
    got = {(r["level"], r["agency"]) for r in rs}
    assert {("National", "公安部"), ("Provincial", "四川省公安厅"), ("Provincial", "海南省公安厅")} <= got
    assert {r["sector"] for r in rs} == {"public-security"}


def test_jurisdiction_tree_heping_under_tianjin(seed_graph: Path) -> None:
    rs = rows("jurisdiction-tree", seed_graph)
    heping = next(r for r in rs if r["code"] == "120101")
    assert (heping["place"], heping["parent_code"], heping["parent"]) == ("和平区", "120000", "天津市")
    assert any(r["code"] == "510100" and r["parent_code"] == "510000" for r in rs)
    nation = next(r for r in rs if r["level"] == "National")
    assert nation["place"] == "中华人民共和国" and int(nation["activities"]) > 0
    sub = rows("jurisdiction-tree", seed_graph, root="120000")
    assert {r["code"] for r in sub} >= {"120000", "120101"} and "510000" not in {r["code"] for r in sub}


def test_most_copied_agencies_samr_first(seed_graph: Path) -> None:
    rs = rows("most-copied-agencies", seed_graph)
    assert (rs[0]["agency"], rs[0]["level"]) == ("国家市场监督管理总局", "National")
    assert int(rs[0]["copies"]) == int(rs[0]["verbatim_copies"]) + int(rs[0]["adapted_copies"])


def test_activity_search_kunlun(seed_graph: Path) -> None:
    rs = rows("activity-search", seed_graph, text="昆仑", year="2022")
    assert {r["agency"] for r in rs} >= {"公安部", "四川省公安厅", "海南省公安厅"}
    assert all("昆仑" in r["text"] for r in rs)


@pytest.mark.parametrize("metric,value", [
    ("notices in the corpus", "5"), ("named graphs", "6"), ("notice implements links", "1"),
])
def test_summary_counts(seed_graph: Path, metric: str, value: str) -> None:
    got = {r["metric"]: r["value"] for r in rows("summary", seed_graph)}
    assert got[metric] == value
    assert int(got["mirror links"]) == int(got["mirror links, verbatim"]) + \
        int(got["mirror links, adapted"])
