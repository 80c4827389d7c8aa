"""The gazetteer table and jurisdiction resolution (qmgraph.lexicon.places).

Every notice-like text here is invented for the test; none is taken from a seed notice.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from qmgraph.lexicon.places import (
    NATION,
    Gazetteer,
    default_table_path,
    level_of,
)
from qmgraph.model import Jurisdiction


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


# ---------------------------------------------------------------- the table


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    with default_table_path().open(encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    comments = [line for line in lines if line.startswith("#")]
    return comments, list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_table_header_names_its_source():
    comments, _ = _rows()
    assert len(comments) == 1
    assert re.match(
        r"# source: jionlp \S+ bundled china_location data \(Apache-2\.0\), "
        r"GB/T 2260 changes up to \d{4}; built by scripts/build_divisions\.py$",
        comments[0],
    )
    first_lines = default_table_path().read_text("utf-8").splitlines()[:2]
    assert first_lines[1] == "code,name,short_names,level,parent"


def test_table_rows_are_sane():
    _, rows = _rows()
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes), "rows sorted by code"
    assert len(codes) == len(set(codes)), "codes unique"
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    by_code = {r["code"]: r for r in rows}
    levels = {"provincial", "prefectural", "county"}
    for r in rows:
        assert r["level"] in levels
        if r["level"] == "provincial":
            assert r["parent"] == "" and r["code"].endswith("0000")
        else:
            assert r["parent"] in by_code, f"{r['code']} parent {r['parent']} missing"
            assert r["code"][:2] == r["parent"][:2]
        for s in filter(None, r["short_names"].split("|")):
            assert len(s) >= 2 and s != r["name"]
    provinces = [r for r in rows if r["level"] == "provincial"]
    assert len(provinces) == 34  # 31 + 香港, 澳门, 台湾
    assert 330 <= sum(r["level"] == "prefectural" for r in rows) <= 340
    assert 2800 <= sum(r["level"] == "county" for r in rows) <= 2900


def test_known_rows(gz: Gazetteer):
    assert gz.get("510000") == Jurisdiction("510000", "四川省", ("四川",), "provincial", None)
    liangshan = gz.get("513400")
    assert liangshan.name == "凉山彝族自治州" and liangshan.short_names[:2] == ("凉山州", "凉山")
    assert liangshan.level == "prefectural" and liangshan.parent == "510000"
    assert gz.get("513200").short_names == ("阿坝州", "阿坝")
    assert gz.get("150000").short_names == ("内蒙古",)
    assert gz.get("450000").short_names == ("广西",)
    assert gz.get("152500").short_names == ("锡林郭勒",)
    heping = gz.get("120101")
    assert heping.name == "和平区" and heping.parent == "120000" and heping.short_names == ()
    assert gz.get("350982").parent == "350900"
    assert gz.get("350900").parent == "350000"
    assert gz.get("350982").short_names == ("福鼎",)


def test_municipalities_have_no_intermediate_rows(gz: Gazetteer):
    for code in ("110000", "120000", "310000", "500000"):
        assert gz.get(code).level == "provincial"
        kids = gz.children(code)
        assert kids and all(k.level == "county" for k in kids)
    for pseudo in ("110100", "120100", "310100", "500100", "500200", "429000"):
        assert pseudo not in gz
    # 省直辖县级行政区划 hang off the province
    assert gz.get("429004").name == "仙桃市" and gz.get("429004").parent == "420000"


def test_navigation(gz: Gazetteer):
    assert [j.code for j in gz.ancestors("350982")] == ["350900", "350000", None]
    assert gz.ancestors("350982")[-1] == gz.nation == NATION
    assert gz.ancestors(None) == []
    assert gz.get(None) is gz.nation
    assert len(gz.children(None)) == 34
    assert "513400" in {j.code for j in gz.children("510000")}
    assert gz.contains("510000", "513401") and not gz.contains("120000", "210102")
    with pytest.raises(KeyError):
        gz.get("999999")
    with pytest.raises(KeyError):
        gz.ancestors("999999")
    assert level_of(gz.get("120101")) == "county" and level_of(None) == "national"


def test_load_is_cached_per_path(tmp_path: Path):
    assert Gazetteer.load() is Gazetteer.load(default_table_path())
    small = tmp_path / "divisions.csv"
    small.write_text(
        "# source: test\ncode,name,short_names,level,parent\n"
        "510000,四川省,四川,provincial,\n510100,成都市,成都,prefectural,510000\n",
        encoding="utf-8",
    )
    g = Gazetteer.load(small)
    assert len(g) == 2 and g is Gazetteer.load(str(small))
    assert g.find("成都").code == "510100"


# ---------------------------------------------------------------- find


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("四川省", "510000"),
        ("四川", "510000"),
        ("内蒙古", "150000"),
        ("广西壮族自治区", "450000"),
        ("凉山彝族自治州", "513400"),
        ("凉山州", "513400"),
        ("凉山", "513400"),
        ("阿坝州", "513200"),
        ("锡林郭勒盟", "152500"),
        ("锡林郭勒", "152500"),
        ("福鼎市", "350982"),
        ("福鼎", "350982"),
        ("佛山市", "440600"),
        ("河北区", "120105"),
        ("吉林", "220000"),
        ("吉林市", "220200"),
        ("安阳", "410500"),  # 安阳市, not 安阳县
        ("天津市和平区", "120101"),
        ("四川省凉山州", "513400"),
    ],
)
def test_find_unambiguous(gz: Gazetteer, name: str, code: str):
    assert gz.find(name).code == code


def test_find_nation(gz: Gazetteer):
    assert gz.find("全国") is gz.nation
    assert gz.find("中华人民共和国") is gz.nation


def test_find_leaves_ambiguous_names_unresolved(gz: Gazetteer):
    assert len(gz.candidates("和平区")) > 1
    assert gz.find("和平区") is None
    assert gz.find("朝阳区") is None
    assert gz.find("鼓楼区") is None
    assert gz.find("没有这个地方") is None
    # The districts named 和平区 give no short form; 和平 is only 和平县 (Guangdong).
    assert gz.find("和平").code == "441624"


def test_find_within_prefers_the_context(gz: Gazetteer):
    assert gz.find("和平区", within="120000").code == "120101"
    assert gz.find("和平区", within="210000").code == "210102"  # 沈阳
    assert gz.find("和平区", within="210100").code == "210102"
    # a district of the city inside which we look, via the city's province chain
    assert gz.find("朝阳区", within="110000").code == "110105"
    assert gz.find("朝阳区", within="220100").code == "220104"
    # within a context that has no namesake: unique names still resolve, ambiguous do not
    assert gz.find("福鼎市", within="510000").code == "350982"
    assert gz.find("和平区", within="510000") is None


# ---------------------------------------------------------------- find_all


def test_find_all_longest_match_and_context(gz: Gazetteer):
    text = "天津市和平区、河北区和南开区联合开展质量宣传。"
    found = [(text[s:e], j.code) for s, e, j in gz.find_all(text)]
    assert found == [
        ("天津市", "120000"),
        ("和平区", "120101"),
        ("河北区", "120105"),
        ("南开区", "120104"),
    ]


def test_find_all_within_and_spans(gz: Gazetteer):
    text = "和平区市场监管局组织辖区企业参加培训"
    assert gz.find_all(text) == []  # ambiguous without context: skipped, not guessed
    ((s, e, j),) = gz.find_all(text, within="120000")
    assert (s, e, j.code) == (0, 3, "120101")


def test_find_all_ignores_everyday_words(gz: Gazetteer):
    text = "加强合作，会同公安部门确保定期检查，推动县域经济发展，建设中山路商圈"
    assert gz.find_all(text) == []
    text = "推动河南县域质量提升"
    assert [j.code for _, _, j in gz.find_all(text)] == ["410000"]


def test_find_all_county_stem_needs_its_parent_before_it(gz: Gazetteer):
    assert gz.find_all("福鼎白茶质量提升") == []
    found = gz.find_all("宁德福鼎白茶质量提升")
    assert [j.code for _, _, j in found] == ["350900", "350982"]


LONG_CHUNK = (
    "四川省市场监管局会同成都市、凉山州开展质量提升行动，"
    "天津市和平区组织企业参加质量比对，福建省宁德市福鼎市推进标准化建设。"
)


def long_text() -> str:
    """~20,000 characters of place names in running text (``bench/micro.py`` times
    :meth:`Gazetteer.find_all` on it)."""
    return LONG_CHUNK * (20_000 // len(LONG_CHUNK) + 1)


def test_find_all_on_a_long_text(gz: Gazetteer):
    text = long_text()
    found = gz.find_all(text)
    per_chunk = gz.find_all(LONG_CHUNK)
    # every repeat of the chunk gives the same places at the same offsets, shifted
    assert len(found) == len(per_chunk) * (len(text) // len(LONG_CHUNK)) > 500
    assert [j.code for _, _, j in found[: len(per_chunk)]] == [j.code for _, _, j in per_chunk]


# ---------------------------------------------------------------- resolve_notice


def test_resolve_guangdong_city(gz: Gazetteer):
    j = gz.resolve_notice(
        "关于开展2023年佛山市“质量月”活动的通知", "佛山市市场监督管理局", "各区市场监管局："
    )
    assert j.code == "440600"
    text = (
        "为贯彻广东省质量工作部署，全市各区要结合实际组织质量月活动。"
        "佛山市质量强市工作领导小组办公室负责统筹，顺德区、南海区重点开展家电、陶瓷产品质量提升，"
        "全市各有关单位要将佛山市活动开展情况于10月底前报送。"
    )
    assert gz.resolve_notice("关于开展质量月活动的通知", "", text).code == "440600"


def test_resolve_fujian_county(gz: Gazetteer):
    j = gz.resolve_notice("关于开展2023年“质量月”活动的通知", "福鼎市市场监督管理局", "")
    assert (j.code, j.parent) == ("350982", "350900")
    text = (
        "按照宁德市统一部署，全市各乡镇、各部门要围绕白茶产业开展质量提升。"
        "福鼎市市场监管局牵头组织企业开展质量比对，福鼎市各乡镇同步开展宣传。"
    )
    assert gz.resolve_notice("", "", text).code == "350982"


def test_resolve_inner_mongolia_league(gz: Gazetteer):
    j = gz.resolve_notice("锡林郭勒盟2023年“质量月”活动方案", "", "")
    assert j.code == "152500"
    text = (
        "全盟各旗县市场监管部门要按照内蒙古自治区统一安排，"
        "结合锡林郭勒盟乳肉产业实际开展质量提升，锡林浩特市、二连浩特市率先开展。"
    )
    assert gz.resolve_notice("关于开展质量月活动的通知", "盟市场监管局", text).code == "152500"


def test_resolve_tianjin_district(gz: Gazetteer):
    j = gz.resolve_notice("2023年“质量月”活动方案", "天津市和平区市场监督管理局", "")
    assert j.code == "120101"
    text = (
        "按照天津市“质量月”活动统一部署，全区各街道、各部门积极行动。"
        "区市场监管局联合区教育局走进校园开展质量安全宣传；和平区各商圈开展诚信经营承诺，"
        "天津市相关行业协会配合开展质量咨询。全区各单位要将和平区活动总结按时报送。"
    )
    # The issuer names a district several cities have; the text's frame (天津) decides.
    j = gz.resolve_notice("2023年质量月活动方案", "和平区市场监督管理局", text)
    assert j.code == "120101"
    assert gz.resolve_notice("", "", text).code == "120101"


def test_resolve_municipality_level_notice(gz: Gazetteer):
    j = gz.resolve_notice("2023年天津市“质量月”主要活动", "", "和平区、河西区分别开展活动。")
    assert j.code == "120000"
    text = "全市各区要统一行动。天津市质量强市办组织和平区、河西区、南开区开展质量提升。"
    assert gz.resolve_notice("", "", text).code == "120000"


def test_resolve_provincial_text(gz: Gazetteer):
    text = (
        "今年全省质量月期间，省市场监管局与重庆市市场监管局联合开展川渝质量协作，"
        "宣传四川省质量强省建设成效，推介四川优质产品，组织成都市企业参加质量培训。"
    )
    assert gz.resolve_notice("质量月主要活动", "", text).code == "510000"


def test_resolve_national(gz: Gazetteer):
    assert (
        gz.resolve_notice("关于开展2023年全国“质量月”活动的通知", "市场监管总局", "") is gz.nation
    )
    assert gz.resolve_notice("关于开展质量月活动的通知", "国家市场监督管理总局", "") is gz.nation
    assert gz.resolve_notice("质量月活动安排", "工业和信息化部", "") is gz.nation
    # A provincial issuer forwarding the national notice stays provincial.
    j = gz.resolve_notice(
        "关于转发市场监管总局关于开展全国“质量月”活动的通知", "四川省市场监督管理局", ""
    )
    assert j.code == "510000"
    j = gz.resolve_notice(
        "关于转发市场监管总局关于开展全国“质量月”活动的通知",
        "省市场监管局",
        "全省各级市场监管部门要结合四川实际，推动四川省质量工作。",
    )
    assert j.code == "510000"


def test_resolve_no_evidence_is_none(gz: Gazetteer):
    text = "各单位要高度重视，认真组织，广泛发动企业参与，确保活动取得实效，合作共赢。"
    assert gz.resolve_notice("关于开展质量月活动的通知", "", text) is None
    assert gz.resolve_notice("", "", "") is None
    # A city-level cue with no city named anywhere is no evidence for the province.
    text = "全市各单位要认真组织。按照四川省部署开展质量宣传。全市企业积极参与。"
    assert gz.resolve_notice("", "市市场监管局", text) is None
