"""Co-organizers named after 联合/会同/与…共同: a joiner inside an agency's own name joins nobody."""

from __future__ import annotations

import pytest

from qmgraph.extract import find_co_organizers
from qmgraph.lexicon.organizations import inside_known_name, org_name_length


@pytest.mark.parametrize(("text", "expected"), [
    ("市工业和信息化局联合市场监管局开展质量安全检查", ["市场监管局"]),
    ("住房和城乡建设局和市场监管局共同开展电梯安全检查", ["市场监管局"]),
    ("市场监管局联合住房和城乡建设局开展电梯安全检查", ["住房和城乡建设局"]),
    ("县市场监管局和县人力资源和社会保障局共同举办技能竞赛", ["县人力资源和社会保障局"]),
    ("县市场监管局会同县教育局开展质量进校园", ["县教育局"]),
])
def test_joiners_inside_names_are_no_triggers(text, expected):
    assert find_co_organizers(text, org_name_length) == expected


def test_inside_known_name_reads_the_tables():
    text = "省工业和信息化厅和省市场监管局"
    assert inside_known_name(text, text.index("和"))  # 工业和信息化厅
    assert not inside_known_name(text, text.rindex("和"))  # between two names


@pytest.mark.parametrize(("text", "expected"), [
    ("本次活动由市市场监督管理局主办，市发展改革委、市经济和信息化局等单位协办。",
     ["市发展改革委", "市经济和信息化局"]),
    ("活动由县市场监管局主办，县教育局和县科协协办。", ["县教育局", "县科协"]),
    ("由市场监管局主办，各有关单位协办。", []),  # no names, no co-organizers
    ("由区质量发展委员会办公室主办，区市场监管局承办，区教育局等单位协办的启动仪式",
     ["区教育局", "区市场监管局"]),
    ("市市场监管局承办了全省质量大会。", []),  # alone, who carries out is the lead
])
def test_a_list_closed_by_a_helping_verb_names_co_organizers(text, expected):
    assert find_co_organizers(text, org_name_length) == expected


ROUNDUP = """全省各地扎实开展2021年“质量月”活动
2021-09-28 来源：某省市场监督管理局
9月以来，全省各地市场监管部门扎实开展“质量月”活动。
兰州市：9月3日，兰州市市场监管局联合市教育局在七里河区举办“质量月”启动仪式。
宜宾市：联合泸州、重庆荣昌区市场监管局举办质量管理小组成果交流活动。
酒泉市：酒泉市开展电梯安全宣传周活动，市市场监管局联合市住房和城乡建设局检查住宅小区电梯120台。
"""


def test_a_place_paragraph_is_led_by_its_own_body_acting_later_in_it():
    from qmgraph.extract import extract_notice
    from qmgraph.ingest import ingest_bytes
    from qmgraph.parse import parse_notice

    acts = extract_notice(parse_notice(ingest_bytes(ROUNDUP.encode(), "roundup.txt"))).activities
    by_place = {a.jurisdiction: a for a in acts if a.jurisdiction}
    assert by_place["兰州市"].organizers == ["兰州市市场监管局"]
    assert by_place["兰州市"].co_organizers == ["市教育局"]
    # a partner the place joins does not lead its paragraph
    assert "重庆荣昌区市场监管局" not in by_place["宜宾市"].organizers
    # a name followed by a plain verb (检查) is still read as a name
    assert by_place["酒泉市"].co_organizers == ["市住房和城乡建设局"]


def test_a_sentence_about_this_event_stays_with_it():
    from qmgraph.extract import split_sentences

    text = "9月5日，区市场监管局在人民广场举办启动仪式。本次活动由区质量强区办主办，设置咨询台12个。"
    assert len(split_sentences(text, 0)) == 1
