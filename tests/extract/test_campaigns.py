"""Campaign shapes (DESIGN.md definition) on sentences written for the test."""

from __future__ import annotations

import pytest

from qmgraph.extract.campaigns import find_campaigns, find_citations
from qmgraph.resolve.campaigns import resolve_campaign

CASES = [
    ("开展“昆仑2023”专项行动，侦破一批案件。", ["昆仑2023"]),
    ("实施“铁拳”“净网”“护苗”等打击侵权假冒专项行动。", ["铁拳", "净网", "护苗"]),
    ("开展电梯安全宣传周、有机产品认证宣传周活动。", ["电梯安全宣传周", "有机产品认证宣传周"]),
    ("举办“全国工商联、市场监管总局2023民营经济标准创新周”专场活动。", ["民营经济标准创新周"]),
    ("组织开展“第七届服务认证体验周”活动。", ["服务认证体验周"]),
    ("开展“浙江制造”品牌培育行动。", ["浙江制造"]),
    ("开展世界计量日宣传活动。", ["世界计量日"]),
    ("开展“金融标准 为民利企”主题活动。", ["金融标准为民利企"]),
    ("组织“老字号嘉年华”，促进品牌消费。", ["老字号嘉年华"]),
    # runs of one list joined by 、 and a field word share the last run's suffix
    ("开展“剑锋2030”“护企安商”、农资“清源”专项行动。", ["剑锋2030", "护企安商", "清源"]),
    ("开展“惠企暖心”专项工作，集中走访企业。", ["惠企暖心"]),
    ("发挥“领跑者”示范作用、开展“净风”专项行动。", ["净风"]),
    # not campaigns: slogans, jargon, case numbers, laws
    ("营造“树标杆、学标杆、超标杆”的质量改进氛围。", []),
    ("发挥“链主”企业引领作用，推动“稳链”“强链”。", []),
    ("侦破“5·18”“6·22”等侵权案件。", []),
    ("宣贯《产品质量法》和《计量法》。", []),
    ("开展“五小”等群众性技术创新活动。", []),
]


@pytest.mark.parametrize("text,want", CASES)
def test_campaign_shapes(text, want):
    assert find_campaigns(text) == want


def test_citations_and_series():
    assert find_citations("宣贯《产品质量法》和《计量法》。") == ["产品质量法", "计量法"]
    c = resolve_campaign("昆仑 2024")
    assert (c.label, c.series_label, c.year) == ("昆仑2024", "昆仑", 2024)
    # one campaign per year, each in the series of its name (decision 0015)
    a, b = resolve_campaign("电梯安全宣传周", 2022), resolve_campaign("“电梯安全宣传周”", 2024)
    assert a.key != b.key and a.series == b.series and (a.year, b.year) == (2022, 2024)
    assert (a.label, a.series_label) == ("电梯安全宣传周", "电梯安全宣传周")
    assert resolve_campaign("电梯安全宣传周2022").key == a.key  # a yearly name: the same node
    assert resolve_campaign("昆仑2024", 2023).year == 2024  # the name's own year wins
    assert resolve_campaign("电梯安全宣传周").series == a.series  # year unknown: still a series


LEAD_NOTES = [
    ("举办启动仪式。（牵头单位：市市场监管局；配合单位：市经信局、市总工会）", ["市市场监管局"], ["市经信局", "市总工会"]),
    ("开展活动（牵头部门：县教育局 配合部门：县卫健局）", ["县教育局"], ["县卫健局"]),
    ("开展检查（牵头单位：市住建局、市交通局，配合单位：各区县政府）", ["市住建局", "市交通局"], []),
    ("开展培训（市人社局牵头，市总工会、团市委配合）", ["市人社局"], ["市总工会", "团市委"]),
    ("开展宣传。牵头单位：市司法局；责任单位：市普法办", ["市司法局"], ["市普法办"]),
    ("开展“质量开放日”活动。（责任单位：市市场监管局、市科技局）", ["市市场监管局"], ["市科技局"]),
    ("开展质量安全进校园活动，由市教育局牵头，组织中小学开展。", ["市教育局"], []),
    ("开展质量安全进校园活动。", [], []),
]


@pytest.mark.parametrize("text,leads,cos", LEAD_NOTES)
def test_items_that_state_their_lead(text, leads, cos):
    from qmgraph.extract import stated_leads
    from qmgraph.resolve.organizations import org_name_length

    assert stated_leads(text, org_name_length) == (leads, cos)
