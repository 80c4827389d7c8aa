"""Tests of qmgraph.resolve.organizations against a tiny fake gazetteer.

The fake has the same API as ``qmgraph.lexicon.places.Gazetteer`` so these tests
do not depend on it; one integration test at the end uses the real one when present.
Sentences are invented in the style of notices from several provinces, cities, counties.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.lexicon.organizations import DATA_DIR, org_name_length
from qmgraph.lexicon.places import Gazetteer
from qmgraph.model import Jurisdiction
from qmgraph.namespaces import slug
from qmgraph.resolve.organizations import OrganizationResolver

NATION = Jurisdiction(None, "中华人民共和国", ("中国",), "national", None)
_PLACES = [
    ("510000", "四川省", ("四川",), "provincial", None),
    ("510100", "成都市", ("成都",), "prefectural", "510000"),
    ("460000", "海南省", ("海南",), "provincial", None),
    ("460100", "海口市", ("海口",), "prefectural", "460000"),
    ("120000", "天津市", ("天津",), "provincial", None),
    ("120101", "和平区", (), "county", "120000"),
    ("210000", "辽宁省", ("辽宁",), "provincial", None),
    ("210100", "沈阳市", ("沈阳",), "prefectural", "210000"),
    ("210102", "和平区", (), "county", "210100"),
    ("500000", "重庆市", ("重庆",), "provincial", None),
    ("440000", "广东省", ("广东",), "provincial", None),
    ("440100", "广州市", ("广州",), "prefectural", "440000"),
    ("440112", "黄埔区", (), "county", "440100"),
    ("440600", "佛山市", ("佛山",), "prefectural", "440000"),
    ("440605", "南海区", (), "county", "440600"),
    ("350000", "福建省", ("福建",), "provincial", None),
    ("350900", "宁德市", ("宁德",), "prefectural", "350000"),
    ("350982", "福鼎市", ("福鼎",), "county", "350900"),
    ("150000", "内蒙古自治区", ("内蒙古",), "provincial", None),
    ("152500", "锡林郭勒盟", ("锡林郭勒",), "prefectural", "150000"),
    ("152502", "锡林浩特市", ("锡林浩特",), "county", "152500"),
    ("110000", "北京市", ("北京",), "provincial", None),
    ("110105", "朝阳区", (), "county", "110000"),
    ("500103", "渝中区", (), "county", "500000"),
    ("330000", "浙江省", ("浙江",), "provincial", None),
    ("330500", "湖州市", ("湖州",), "prefectural", "330000"),
    ("330503", "南浔区", (), "county", "330500"),
    ("450000", "广西壮族自治区", ("广西",), "provincial", None),
    ("450900", "玉林市", ("玉林",), "prefectural", "450000"),
    ("450921", "容县", (), "county", "450900"),
    ("640000", "宁夏回族自治区", ("宁夏",), "provincial", None),
    ("310000", "上海市", ("上海",), "provincial", None),
]


class FakeGazetteer:
    """Same methods as the real Gazetteer, over a handful of divisions."""

    def __init__(self) -> None:
        self.nation = NATION
        self._by_code = {p[0]: Jurisdiction(*p) for p in _PLACES}
        self._names: dict[str, list[Jurisdiction]] = {}
        for j in self._by_code.values():
            for n in (j.name, *j.short_names):
                self._names.setdefault(n, []).append(j)

    def get(self, code: str | None) -> Jurisdiction | None:
        return self.nation if code is None else self._by_code.get(code)

    def ancestors(self, code: str) -> list[Jurisdiction]:
        out, j = [], self._by_code.get(code)
        while j is not None and j.parent:
            j = self._by_code[j.parent]
            out.append(j)
        return out

    def province_of(self, code: str) -> Jurisdiction | None:
        chain = [self._by_code[code], *self.ancestors(code)]
        return chain[-1]

    def find(self, name: str, within: str | None = None) -> Jurisdiction | None:
        hits = self._names.get(name, [])
        if within:
            hits = [
                j
                for j in hits
                if j.code == within or within in {a.code for a in self.ancestors(j.code)}
            ]
        return hits[0] if len(hits) == 1 else None  # ambiguous names stay unresolved

    def find_all(self, text: str, within: str | None = None):
        out, i = [], 0
        while i < len(text):
            for n in sorted(self._names, key=len, reverse=True):
                if text.startswith(n, i) and (j := self.find(n, within)) is not None:
                    out.append((i, i + len(n), j))
                    i += len(n)
                    break
            else:
                i += 1
        return out


GAZ = FakeGazetteer()
R = OrganizationResolver(GAZ)
J = GAZ.get


def res(surface: str, code: str | None):
    return R.resolve(surface, J(code))


# --------------------------------------------------------------- relative names


@pytest.mark.parametrize("surface", ["省公安厅", "公安厅", "四川省公安厅", "省公安\n厅"])
def test_provincial_relative_names(surface):
    o = res(surface, "510000")
    assert o.label == "四川省公安厅"
    assert o.key == "510000/public-security"
    assert o.level == "provincial" and o.kind == "agency"
    assert o.sector == "public-security" and o.jurisdiction == "510000"
    assert o.counterpart == "cn/public-security"
    assert o.english == "Sichuan Provincial Department of Public Security"


@pytest.mark.parametrize(
    "surface,label,sector",
    [
        ("省市场\n监管局", "四川省市场监督管理局", "market-regulation"),
        ("省发展改革委", "四川省发展和改革委员会", "development-reform"),
        ("经济和信息化厅", "四川省经济和信息化厅", "industry-it"),
        ("科技厅", "四川省科学技术厅", "science-technology"),
        ("住房城乡建设厅", "四川省住房和城乡建设厅", "housing-construction"),
        ("省卫生健康委", "四川省卫生健康委员会", "health"),
        ("省供销社", "四川省供销合作社联合社", "supply-marketing"),
        ("省工商联", "四川省工商业联合会", "federation-industry-commerce"),
        ("省检察院", "四川省人民检察院", "procuratorate"),
        ("省委宣传部", "中共四川省委宣传部", "publicity"),
        ("四川省委宣传部", "中共四川省委宣传部", "publicity"),
        ("省委网信办", "中共四川省委网络安全和信息化委员会办公室", "cyberspace"),
        ("中共四川省委网信办", "中共四川省委网络安全和信息化委员会办公室", "cyberspace"),
        ("省贸促会", "中国国际贸易促进委员会四川省委员会", "trade-promotion"),
        ("省药监局", "四川省药品监督管理局", "drug-administration"),
        ("应急管理厅", "四川省应急管理厅", "emergency-management"),
        ("省纪委监委", "中共四川省纪律检查委员会", "discipline"),
        ("省妇联", "四川省妇女联合会", "womens-federation"),
    ],
)
def test_sichuan_roster(surface, label, sector):
    o = res(surface, "510000")
    assert (o.label, o.sector, o.key) == (label, sector, f"510000/{sector}")
    assert o.kind == "agency" and o.level == "provincial"


def test_counterpart_across_different_names():
    assert res("经济和信息化厅", "510000").counterpart == "cn/industry-it"
    assert res("工业和信息化部", "510000").key == "cn/industry-it"
    assert res("省水务厅", "460000").counterpart == "cn/water"
    assert res("水利部", "460000").key == "cn/water"
    o = res("省旅游和文化广电体育厅", "460000")
    assert (o.label, o.counterpart) == ("海南省旅游和文化广电体育厅", "cn/culture-tourism")
    assert res("文化和旅游部", "460000").label == "文化和旅游部"
    assert res("省自然资源和规划厅", "460000").counterpart == "cn/natural-resources"


def test_hainan_state_assets_and_association():
    o = res("省国有资产监督管理委员会", "460000")
    assert o.label == "海南省人民政府国有资产监督管理委员会"
    assert o.key == "460000/state-assets" and o.counterpart == "cn/state-assets"
    assert res("省国资委", "460000").key == "460000/state-assets"
    a = res("省质量协会", "460000")
    assert a.label == "海南省质量协会" and a.kind == "association"
    assert a.sector is None and a.key.startswith("460000/") and a.key != "460000/"
    assert res("省卫健委", "460000").label == "海南省卫生健康委员会"


def test_tianjin_municipality_is_provincial():
    o = res("市市场监管委", "120000")
    assert o.label == "天津市市场监督管理委员会"
    assert o.key == "120000/market-regulation" and o.level == "provincial"
    assert o.counterpart == "cn/market-regulation"
    for s in ("团市委", "天津团市委", "共青团天津市委", "共青团天津市委员会"):
        y = res(s, "120000")
        assert (y.label, y.key) == ("共青团天津市委员会", "120000/youth-league"), s
        assert y.english is None
    assert res("市金融局", "120000").label == "天津市地方金融监督管理局"
    assert res("市金融局", "120000").sector == "financial-regulation"
    assert res("市工信局", "120000").label == "天津市工业和信息化局"
    assert res("市工信局", "120000").counterpart == "cn/industry-it"
    assert res("市住建委", "120000").label == "天津市住房和城乡建设委员会"
    assert res("市交通运输委", "120000").label == "天津市交通运输委员会"
    assert res("市教委", "120000").label == "天津市教育委员会"
    assert res("市国资委", "120000").label == "天津市人民政府国有资产监督管理委员会"
    p = res("市公安局", "120000")
    assert p.label == "天津市公安局" and p.english == "Tianjin Municipal Public Security Bureau"


def test_municipality_district():
    o = res("区市场监管局", "120101")
    assert o.label == "和平区市场监督管理局" and o.key == "120101/market-regulation"
    assert o.level == "county" and o.counterpart == "120000/market-regulation"
    assert res("市市场监管委", "120101").key == "120000/market-regulation"


def test_explicit_place_wins_over_context():
    o = res("重庆市市场监管局", "510000")
    assert (o.label, o.key) == ("重庆市市场监督管理局", "500000/market-regulation")
    o = res("成都市住房和城乡建设局", "510000")
    assert (o.key, o.level) == ("510100/housing-construction", "prefectural")
    assert o.counterpart == "510000/housing-construction"
    # short place name running into 市场: 成都 + 市场监管局
    assert res("成都市场监管局", "510000").label == "成都市市场监督管理局"


# --------------------------------------------------------------- chained places


@pytest.mark.parametrize(
    "surface,code,relative,deepest,label",
    [
        ("北京市朝阳区市场监督管理局", "110000", "区市场监管局", "110105", "朝阳区"),
        ("浙江省湖州市市场监督管理局", "330000", "市市场监管局", "330500", "湖州市"),
        ("重庆市渝中区市场监督管理局", "500000", "区市场监管局", "500103", "渝中区"),
        ("广西壮族自治区玉林市容县市场监督管理局", "450000", "县市场监管局", "450921", "容县"),
        ("广西壮族自治区玉林市容县市场监督管理局", "450921", "县市场监管局", "450921", "容县"),
        # read in a notice of another province: the chain still decides
        ("北京市朝阳区市场监督管理局", "510000", "区市场监管局", "110105", "朝阳区"),
        ("浙江湖州市场监管局", "330000", "市市场监管局", "330500", "湖州市"),
    ],
)
def test_chained_places_resolve_to_the_deepest(surface, code, relative, deepest, label):
    o = res(surface, code)
    assert o.key == f"{deepest}/market-regulation"
    assert o.label == label + "市场监督管理局" and o.jurisdiction == deepest
    # the issuer written in full and 区/市/县市场监管局 in that place's own notice meet
    assert o == res(relative, deepest)
    assert o.counterpart == f"{J(deepest).parent}/market-regulation"


def test_chained_places_other_bodies():
    assert res("浙江省湖州市发展改革委", "330000").key == "330500/development-reform"
    assert res("四川省成都市委", "510000").label == "中共成都市委员会"
    assert res("四川省成都市委宣传部", "510000").key == "510100/publicity"
    u = res("浙江省湖州市品质城市建设工作专班", "330000")
    assert (u.jurisdiction, u.label) == ("330500", "浙江省湖州市品质城市建设工作专班")
    assert u.key.startswith("330500/") and u.sector is None
    # a place that does not lie inside the one before ends the chain
    assert res("北京市渝中区市场监督管理局", "110000").jurisdiction != "500103"


# --------------------------------------------------------------- table gaps


@pytest.mark.parametrize(
    "surface,code,key,label",
    [
        ("市人力社保局", "330500", "330500/human-resources", "湖州市人力资源和社会保障局"),
        ("市人社局", "330500", "330500/human-resources", "湖州市人力资源和社会保障局"),
        ("县人力社保局", "450921", "450921/human-resources", "容县人力资源和社会保障局"),
        ("市资规局", "330500", "330500/natural-resources", "湖州市自然资源和规划局"),
        ("湖州市自然资源和规划局", "330000", "330500/natural-resources", "湖州市自然资源和规划局"),
        ("市文广旅体局", "330500", "330500/culture-tourism", "湖州市文化广电旅游体育局"),
        ("县文化广电旅游体育局", "450921", "450921/culture-tourism", "容县文化广电旅游体育局"),
        ("县文广旅局", "450921", "450921/culture-tourism", "容县文化广电旅游局"),
        ("县建设局", "450921", "450921/housing-construction", "容县建设局"),
        ("市建设局", "330500", "330500/housing-construction", "湖州市建设局"),
        (
            "宁夏回族自治区市场监管厅",
            "640000",
            "640000/market-regulation",
            "宁夏回族自治区市场监督管理厅",
        ),
        ("区市场监管厅", "640000", "640000/market-regulation", "宁夏回族自治区市场监督管理厅"),
        (
            "上海市住房城乡建设管理委",
            "310000",
            "310000/housing-construction",
            "上海市住房和城乡建设管理委员会",
        ),
        (
            "市住房和城乡建设管理委员会",
            "310000",
            "310000/housing-construction",
            "上海市住房和城乡建设管理委员会",
        ),
    ],
)
def test_table_gaps_resolve_to_sectors(surface, code, key, label):
    o = res(surface, code)
    assert (o.key, o.label, o.kind) == (key, label, "agency")
    place, sector = key.split("/", 1)
    up = J(place).parent
    assert o.counterpart == (f"{up}/{sector}" if up else f"cn/{sector}")
    assert R.by_key(o.counterpart) is not None


@pytest.mark.parametrize(
    "surface,code,key,label,parent",
    [
        ("市烟草专卖局", "330500", "330500/tobacco", "湖州市烟草专卖局", "cn/tobacco"),
        ("浙江省烟草专卖局", "330500", "330000/tobacco", "浙江省烟草专卖局", "cn/tobacco"),
        ("县烟草局", "450921", "450921/tobacco", "容县烟草专卖局", "cn/tobacco"),
        (
            "区通信管理局",
            "640000",
            "640000/communications",
            "宁夏回族自治区通信管理局",
            "cn/industry-it",
        ),
        (
            "上海市通信管理局",
            "310000",
            "310000/communications",
            "上海市通信管理局",
            "cn/industry-it",
        ),
        ("市气象局", "330500", "330500/meteorology", "湖州市气象局", "cn/meteorology"),
        ("气象局", "450921", "450921/meteorology", "容县气象局", "cn/meteorology"),
        ("市邮政管理局", "330500", "330500/post", "湖州市邮政管理局", "cn/post"),
        ("区邮政管理局", "640000", "640000/post", "宁夏回族自治区邮政管理局", "cn/post"),
        (
            "宁夏金融监管局",
            "640000",
            "640000/financial-supervision",
            "国家金融监督管理总局宁夏监管局",
            "cn/financial-supervision",
        ),
        (
            "国家金融监督管理总局宁夏监管局",
            "640000",
            "640000/financial-supervision",
            "国家金融监督管理总局宁夏监管局",
            "cn/financial-supervision",
        ),
        ("区税务局", "640000", "640000/tax", "国家税务总局宁夏回族自治区税务局", "cn/tax"),
        ("税务局", "450921", "450921/tax", "国家税务总局容县税务局", "cn/tax"),
        ("县税务局", "450921", "450921/tax", "国家税务总局容县税务局", "cn/tax"),
    ],
)
def test_vertical_systems(surface, code, key, label, parent):
    o = res(surface, code)
    assert (o.key, o.label, o.parent, o.kind) == (key, label, parent, "agency")
    assert o.counterpart is None
    assert R.by_key(parent) is not None and R.by_key(parent).level == "national"
    if o.sector != "financial-supervision":  # no stems, so by_key has no label for it
        assert R.by_key(key) == o  # a parent key materializes the same node


def test_vertical_central_bodies():
    assert res("国家烟草专卖局", "330500").key == "cn/tobacco"
    assert res("中国气象局", "450921").key == "cn/meteorology"
    assert res("国家邮政局", "640000").key == "cn/post"
    assert R.sector("tobacco").vertical and R.sector("communications").vertical
    assert R.sector("communications").branch_of == "industry-it"


@pytest.mark.parametrize(
    "surface,code,key,label,level",
    [
        (
            "市市场监管局南浔分局",
            "330500",
            "330503/market-regulation",
            "湖州市市场监督管理局南浔分局",
            "county",
        ),
        (
            "湖州市公安局南浔分局",
            "330000",
            "330503/public-security",
            "湖州市公安局南浔分局",
            "county",
        ),
        (
            "市公安局南浔区分局",
            "330500",
            "330503/public-security",
            "湖州市公安局南浔区分局",
            "county",
        ),
        (
            "市公安局经济技术开发区分局",
            "330500",
            "330500/public-security-" + slug("经济技术开发区"),
            "湖州市公安局经济技术开发区分局",
            "prefectural",
        ),
    ],
)
def test_district_sub_branches(surface, code, key, label, level):
    o = res(surface, code)
    assert (o.key, o.label, o.kind, o.level) == (key, label, "agency", level)
    sector = o.sector
    assert o.parent == f"330500/{sector}" and R.by_key(o.parent).label.startswith("湖州市")
    assert o.jurisdiction == key.split("/")[0]


def test_sub_branch_meets_the_district_agency():
    branch = res("市市场监管局南浔分局", "330500")
    assert branch.key == res("区市场监管局", "330503").key


# --------------------------------------------------------------- national names


@pytest.mark.parametrize(
    "surface,label,key",
    [
        ("市场监管总局", "国家市场监督管理总局", "cn/market-regulation"),
        ("教 育 部", "教育部", "cn/education"),
        ("中华人民共和国公安部", "公安部", "cn/public-security"),
        ("国务院国资委", "国务院国有资产监督管理委员会", "cn/state-assets"),
        ("国资委", "国务院国有资产监督管理委员会", "cn/state-assets"),
        ("卫生健康委", "国家卫生健康委员会", "cn/health"),
        ("发展改革委", "国家发展和改革委员会", "cn/development-reform"),
        ("人民银行", "中国人民银行", "cn/central-bank"),
        ("人行", "中国人民银行", "cn/central-bank"),
        ("全国工商联", "中华全国工商业联合会", "cn/federation-industry-commerce"),
        ("全国总工会", "中华全国总工会", "cn/trade-union"),
        ("供销合作总社", "中华全国供销合作总社", "cn/supply-marketing"),
        ("海关总署", "海关总署", "cn/customs"),
    ],
)
def test_national_names(surface, label, key):
    o = res(surface, None)
    assert (o.label, o.key, o.level, o.jurisdiction) == (label, key, "national", None)
    assert o.counterpart is None and o.kind == "agency"


def test_national_name_in_provincial_notice():
    assert res("市场监管总局", "510000").key == "cn/market-regulation"
    assert res("全国工商联", "510000").key == "cn/federation-industry-commerce"
    assert res("市场监管总局", None).english == "State Administration for Market Regulation"


def test_national_associations_and_enterprises():
    a = res("中国机械工业联合会", None)
    assert (a.kind, a.sector, a.jurisdiction) == ("association", None, None)
    assert a.key.startswith("cn/") and a.label == "中国机械工业联合会"
    e = res("中国建筑科学研究院有限公司", None)
    assert e.kind == "enterprise" and e.key.startswith("cn/")
    assert res("博世汽车零部件(苏州)有限公司", None).kind == "enterprise"
    assert res("中国质量协会", "510000").jurisdiction is None  # national even here
    q = res("中国质协", "510000")
    assert (q.label, q.kind, q.jurisdiction) == ("中国质量协会", "association", None)
    assert q.key == res("中国质量协会", None).key


# --------------------------------------------------------------- vertical branches


@pytest.mark.parametrize(
    "surface,code,label,key,parent",
    [
        ("成都海关", "510000", "成都海关", "510100/customs", "cn/customs"),
        ("中华人民共和国成都海关", "510000", "成都海关", "510100/customs", "cn/customs"),
        ("海口海关", "460000", "海口海关", "460100/customs", "cn/customs"),
        ("佛山海关", "440600", "佛山海关", "440600/customs", "cn/customs"),
        (
            "人行成都分行",
            "510000",
            "中国人民银行成都分行",
            "510100/central-bank",
            "cn/central-bank",
        ),
        (
            "人民银行成都分行",
            "510000",
            "中国人民银行成都分行",
            "510100/central-bank",
            "cn/central-bank",
        ),
        (
            "人行四川省分行",
            "510000",
            "中国人民银行四川省分行",
            "510000/central-bank",
            "cn/central-bank",
        ),
        (
            "人民银行天津分行",
            "120000",
            "中国人民银行天津分行",
            "120000/central-bank",
            "cn/central-bank",
        ),
        ("市税务局", "440600", "国家税务总局佛山市税务局", "440600/tax", "cn/tax"),
        ("省税务局", "510000", "国家税务总局四川省税务局", "510000/tax", "cn/tax"),
    ],
)
def test_vertical_branches(surface, code, label, key, parent):
    o = res(surface, code)
    assert (o.label, o.key, o.parent, o.kind) == (label, key, parent, "agency")
    assert o.counterpart is None


def test_central_bank_sub_branch_keys_do_not_collide():
    o = res("人民银行海口中心支行", "460000")
    assert o.label == "中国人民银行海口中心支行" and o.parent == "cn/central-bank"
    assert o.jurisdiction == "460100"
    keys = {res(s, "460000").key for s in ("人民银行海口中心支行", "海口海关", "省市场监管局")}
    keys.add(res("人行海口分行", "460000").key)
    assert len(keys) == 4
    # a branch key is never the province's own agency key
    assert res("人行四川省分行", "510000").key not in {
        res(s, "510000").key for s in ("省市场监管局", "省公安厅", "省发展改革委")
    }


def test_customs_seat_that_is_not_a_division():
    o = res("拱北海关", "440000")
    assert o.label == "拱北海关" and o.parent == "cn/customs" and o.sector == "customs"


def test_financial_supervision_branch():
    o = res("四川金融监管局", "510000")
    assert o.label == "国家金融监督管理总局四川监管局"
    assert o.parent == "cn/financial-supervision"
    assert res("四川省地方金融监管局", "510000").sector == "financial-regulation"


# --------------------------------------------------------------- other places


def test_guangdong_city():
    o = res("市市场监管局", "440600")
    assert (o.label, o.key, o.level) == (
        "佛山市市场监督管理局",
        "440600/market-regulation",
        "prefectural",
    )
    assert o.counterpart == "440000/market-regulation"
    i = res("市工业和信息化局", "440600")
    assert (i.key, i.counterpart) == ("440600/industry-it", "440000/industry-it")
    assert res("团市委", "440600").label == "共青团佛山市委员会"
    assert res("市公安局", "440600").key == "440600/public-security"
    assert res("省公安厅", "440600").label == "广东省公安厅"
    assert res("公安厅", "440600").key == "440000/public-security"  # 厅 is provincial only
    d = res("区市场监管局", "440605")
    assert (d.label, d.counterpart) == ("南海区市场监督管理局", "440600/market-regulation")
    assert res("市市场监管局", "440605").key == "440600/market-regulation"


def test_fujian_county_level_city():
    for s in ("市市场监管局", "福鼎市市场监督管理局", "市场监管局"):
        o = res(s, "350982")
        assert o.label == "福鼎市市场监督管理局", s
        assert (o.key, o.level) == ("350982/market-regulation", "county")
        assert o.counterpart == "350900/market-regulation"


def test_inner_mongolia_league():
    o = res("盟市场监管局", "152500")
    assert (o.label, o.key) == ("锡林郭勒盟市场监督管理局", "152500/market-regulation")
    assert o.counterpart == "150000/market-regulation"
    assert res("自治区市场监管局", "152500").label == "内蒙古自治区市场监督管理局"
    assert res("自治区市场监管局", "152500").english is None  # no fixed English pattern


# --------------------------------------------------------------- governments, issuers


def test_government():
    g = R.government(J("510100"))
    assert (g.label, g.key, g.sector) == ("成都市人民政府", "510100/government", "government")
    assert g.counterpart == "510000/government"
    assert res("省政府", "510000") == R.government(J("510000"))
    assert R.government(NATION).label == "国务院"


@pytest.mark.parametrize(
    "surface,code,label",
    [
        (
            "四川省质量强省建设协调推进领导小组办公室",
            "510000",
            "四川省质量强省建设协调推进领导小组办公室",
        ),
        ("海南省质量强省工作领导小组办公室", "460000", "海南省质量强省工作领导小组办公室"),
        ("省质量强省工作领导小组办公室", "460000", "海南省质量强省工作领导小组办公室"),
        ("市质量强市工作领导小组办公室", "440600", "佛山市质量强市工作领导小组办公室"),
    ],
)
def test_issuers_and_unknown_agencies(surface, code, label):
    o = res(surface, code)
    assert o.label == label and o.kind == "agency" and o.sector is None
    assert o.jurisdiction == code
    assert o.key.startswith(code + "/") and o.key.isascii()


def test_unknown_names_never_none_and_keep_common_words():
    o = res("市场协会", "440600")  # 市场 is a word, not 市 + 场协会
    assert o.label == "市场协会" and o.kind == "association"
    with pytest.raises(ValueError):
        res(" \n", "510000")


def test_by_key_materializes_counterparts():
    assert R.by_key("cn/water").label == "水利部"
    o = R.by_key("350900/market-regulation")
    assert (o.label, o.level, o.counterpart) == (
        "宁德市市场监督管理局",
        "prefectural",
        "350000/market-regulation",
    )
    assert R.by_key("510000/government") == R.government(J("510000"))
    assert R.by_key("cn/financial-regulation") is None  # no central body
    assert R.by_key("510000/si-chuan-sheng-zhi-liang-xie-hui") is None
    assert R.by_key("999999/water") is None
    for s, code in [("市市场监管局", "350982"), ("人行成都分行", "510000"), ("省公安厅", "510000")]:
        o = res(s, code)
        for ref in (o.counterpart, o.parent):
            if ref:
                assert R.by_key(ref) is not None and R.by_key(ref).key == ref


def test_deterministic_and_cached():
    a = res("市市场监管局", "440600")
    assert res("市市场监管局", "440600") is a
    fresh = OrganizationResolver(FakeGazetteer())
    assert fresh.resolve("市市场监管局", J("440600")) == a


# --------------------------------------------------------------- tables


GOLD_SECTORS = {
    "market-regulation",
    "development-reform",
    "industry-it",
    "education",
    "science-technology",
    "public-security",
    "natural-resources",
    "ecology-environment",
    "housing-construction",
    "transport",
    "water",
    "agriculture",
    "commerce",
    "culture-tourism",
    "health",
    "central-bank",
    "state-assets",
    "customs",
    "federation-industry-commerce",
    "supply-marketing",
    "trade-union",
    "procuratorate",
    "publicity",
    "cyberspace",
    "emergency-management",
    "drug-administration",
    "trade-promotion",
    "financial-regulation",
    "youth-league",
}


def test_sector_table_covers_rosters():
    keys = {s.key for s in R.sectors()}
    assert GOLD_SECTORS <= keys
    assert {"justice", "finance", "tax", "statistics", "fire-rescue", "government"} <= keys
    s = R.sector("public-security")
    assert (s.label_zh, s.label_en) == ("公安", "public security")
    assert R.sector("customs").vertical and not R.sector("water").vertical


@pytest.mark.parametrize("name", ["sectors.csv", "agency_aliases.csv", "org_lexicon.csv"])
def test_tables_say_their_source(name):
    first = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# source:")


def test_stems_are_unique_across_sectors():
    import csv

    seen: dict[str, str] = {}
    lines = [
        ln
        for ln in (DATA_DIR / "sectors.csv").read_text(encoding="utf-8").splitlines()
        if not ln.startswith("#")
    ]
    for row in csv.DictReader(lines):
        stems = {
            s
            for c in ("provincial_stems", "municipal_stems", "county_stems")
            for s in row[c].split("|")
            if s
        }
        for s in stems:
            assert seen.setdefault(s, row["key"]) == row["key"], s


def test_branch_of_names_a_sector():
    for s in R.sectors():
        assert not s.branch_of or (s.vertical and s.branch_of in {x.key for x in R.sectors()})


@pytest.mark.parametrize("module", ["resolve/organizations.py", "lexicon/organizations.py"])
def test_no_agency_names_in_code(module):
    """Names live in data/: no Chinese characters in the modules' code strings."""
    import ast

    path = Path(__file__).resolve().parents[2] / "qmgraph" / module
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                assert not any("\u4e00" <= ch <= "\u9fff" for ch in node.value), node.value


# --------------------------------------------------------------- name length


@pytest.mark.parametrize(
    "text,n",
    [
        ("省公安厅围绕打击侵权假冒犯罪", 4),
        ("人民银行海口中心支行开展", 10),
        ("省自然资源和规划厅联合市场监管局开展", 9),
        ("市场监管总局与国务院国资委共同举办", 6),
        ("中国建筑科学研究院有限公司举办", len("中国建筑科学研究院有限公司")),
        ("中国机械工业联合会开展", 9),
        ("省质量协会联合省市场监管局", 5),
        ("国家能源投资集团有限责任公司开展", len("国家能源投资集团有限责任公司")),
        ("各区域在积极参与", 0),
        ("举办2022年活动", 0),
        # invented, other places
        ("市市场监管局会同市公安局开展电动自行车专项检查", 6),
        ("佛山海关组织进出口陶瓷质量安全培训", 4),
        ("团市委举办青年质量创新大赛", 3),
        ("盟市场监管局深入牧区开展计量惠民", 6),
        ("省委宣传部组织质量公益广告展播", 5),
        ("区市场监管局  召开电梯安全约谈会", 6),
        ("市市场监管局", 6),
        ("博世汽车零部件(苏州)有限公司组织质量开放日", len("博世汽车零部件(苏州)有限公司")),
        ("质量月期间，各地积极开展", 0),
        # chained places, district sub-branches (invented)
        ("北京市朝阳区市场监督管理局开展校园周边食品抽检", 13),
        ("浙江省湖州市市场监督管理局举办计量开放日", 13),
        ("重庆市渝中区市场监督管理局：", 13),
        ("广西壮族自治区玉林市容县市场监督管理局开展沙糖桔品质提升行动", 19),
        ("市市场监管局南浔分局开展木地板产品质量抽查", 10),
        ("市市场监管局南浔分局举办", 10),
        ("市市场监管局南浔分局：组织企业质量负责人培训", 10),
        ("宁夏回族自治区市场监管厅联合区通信管理局开展", 12),
    ],
)
def test_org_name_length(text, n):
    assert org_name_length(text) == n


# --------------------------------------------------------------- integration


def test_with_real_gazetteer():
    gaz = Gazetteer.load()
    r = OrganizationResolver(gaz)
    sichuan = gaz.get("510000")
    assert r.resolve("省公安厅", sichuan).key == "510000/public-security"
    assert r.resolve("成都海关", sichuan).key == "510100/customs"
    assert r.resolve("人行成都分行", sichuan).label == "中国人民银行成都分行"
    assert r.resolve("重庆市市场监管局", sichuan).key == "500000/market-regulation"
    fuding = gaz.get("350982")
    o = r.resolve("市市场监管局", fuding)
    assert (o.label, o.counterpart) == ("福鼎市市场监督管理局", "350900/market-regulation")
    assert r.resolve("团市委", gaz.get("120000")).label == "共青团天津市委员会"
    assert r.resolve("盟市场监管局", gaz.get("152500")).label == "锡林郭勒盟市场监督管理局"
    for surface, code, deepest in [
        ("北京市朝阳区市场监督管理局", "110000", "110105"),
        ("浙江省湖州市市场监督管理局", "330000", "330500"),
        ("重庆市渝中区市场监督管理局", "500000", "500103"),
        ("广西壮族自治区玉林市容县市场监督管理局", "450921", "450921"),
    ]:
        assert r.resolve(surface, gaz.get(code)).key == f"{deepest}/market-regulation"
    o = r.resolve("市市场监管局南浔分局", gaz.get("330500"))
    assert (o.key, o.parent) == ("330503/market-regulation", "330500/market-regulation")


# ------------------------------------------- a local stem beside a branch template


@pytest.mark.parametrize(("surface", "code", "label"), [
    ("市质监局", "330500", "湖州市质量技术监督局"),
    ("南浔区质监局", "330503", "湖州市南浔区质量技术监督局"),
    ("省质量技术监督局", "330000", "浙江省质量技术监督局"),
])
def test_quality_supervision_bureaus_are_local_agencies(surface, code, label):
    """A sector whose branches are 出入境检验检疫局 also has local 质量技术监督局: those are the
    place's own agencies, not branches of the central body."""
    o = res(surface, code)
    assert o.label.endswith(label[-8:]) and "出入境" not in o.label
    assert o.parent is None and o.sector == "quality-inspection"
    assert o.key == f"{code}/quality-inspection"


def test_entry_exit_bureau_stays_a_branch_with_its_own_key():
    o = res("湖州出入境检验检疫局", "330500")
    assert o.label.endswith("湖州出入境检验检疫局") and o.parent == "cn/quality-inspection"
    assert o.key != res("市质监局", "330500").key


@pytest.mark.parametrize(("surface", "parent"), [
    ("市气象局", "cn/meteorology"), ("县税务局", "cn/tax"), ("区烟草专卖局", "cn/tobacco"),
])
def test_stems_a_branch_template_ends_with_are_still_branches(surface, parent):
    code = {"市": "330500", "县": "450921", "区": "330503"}[surface[0]]
    assert res(surface, code).parent == parent


def test_a_bare_commission_name_in_a_county_is_the_county_s():
    """Many counties keep 发展和改革委员会: a bare 发改委 in a county's list is the county's,
    not the prefecture's (the nearest level whose stems hold the name)."""
    o = res("发改委", "450921")
    assert o.jurisdiction == "450921" and o.sector == "development-reform"
