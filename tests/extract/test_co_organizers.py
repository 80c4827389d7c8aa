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
    # a list of carriers closed like one of helpers, longer than 60 characters (0043)
    ("本次活动由某市人民政府主办，市质量技术监督局、市工商行政管理局、市卫生局、"
     "市安全生产监督管理局、市经济贸易委员会、市文化广电新闻出版局等6个部门承办。",
     ["市质量技术监督局", "市工商行政管理局", "市卫生局", "市安全生产监督管理局",
      "市经济贸易委员会", "市文化广电新闻出版局"]),
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


_LAUNCH = """青山县启动2023年“质量月”活动

来源：青山县市场监督管理局 发布时间：2023-09-06 10:20

9月5日上午，青山县市场监督管理局联合县教育局、县总工会等12个部门在人民广场举办2023年全县“质量月”活动启动仪式。

{second}

质量月期间，县市场监督管理局还将组织开展电梯安全宣传周活动，推动企业落实质量安全主体责任。
"""


def _activities(tmp_path, text: str):
    from qmgraph.extract import extract_notice
    from qmgraph.parse import parse_notice
    from qmgraph.pipeline import read_notice

    path = tmp_path / "launch.txt"
    path.write_text(text, encoding="utf-8")
    return extract_notice(parse_notice(read_notice(path))).activities


def test_a_paragraph_about_this_event_stays_with_it(tmp_path):
    """"本次活动以…为主题，设置了咨询台…" as a paragraph of its own after the launch is a
    detail of the launch, not one more activity; the next paragraph's event is its own."""
    detail = ("本次活动以“加强质量支撑 共建质量强国”为主题，设置了质量咨询台、计量器具免费检定台和"
              "消费维权服务台，现场发放宣传资料3000余份。")
    launch, week = _activities(tmp_path, _LAUNCH.format(second=detail))
    assert launch.text.startswith("9月5日上午") and launch.text.endswith(detail)
    assert launch.co_organizers == ["县教育局", "县总工会"] and launch.venue == "人民广场"
    assert week.campaigns == ["电梯安全宣传周"]
    # only a sentence about the event crosses a paragraph: one on the purpose does not
    other = "通过设置质量咨询台、计量器具免费检定台，现场发放宣传资料3000余份。"
    assert len(_activities(tmp_path, _LAUNCH.format(second=other))) == 3


@pytest.mark.parametrize(("text", "expected"), [
    ("市场监管局携手市人力资源和社会保障局、市住房和城乡建设局举办技能竞赛",
     ["市人力资源和社会保障局", "市住房和城乡建设局"]),
    ("县市场监管局联手县工信局开展质量帮扶", ["县工信局"]),
    ("区市场监管局与区教体局携手开展质量进校园", ["区教体局"]),
    ("市场监管总局携手工信部、人社部和国家发展改革委开展质量提升行动",
     ["工信部", "人社部", "国家发展改革委"]),
])
def test_joining_hands_names_co_organizers(text, expected):
    assert find_co_organizers(text, org_name_length) == expected


@pytest.mark.parametrize(("text", "lead"), [
    ("县市场监管局协同县卫健委、县应急管理局开展食品安全检查。", "县市场监管局"),
    ("9月2日，市市监局携手市文化和旅游局举办质量开放日活动。", "市市监局"),
])
def test_the_one_joining_hands_leads(text, lead):
    from qmgraph.parse.prose import lead_organization

    assert lead_organization(text, org_name_length) == lead


@pytest.mark.parametrize(("text", "lead", "co"), [
    ("市水务局与市应急局、市工信局和市住房和城乡建设局共同举办水利工程质量提升专项行动。",
     "市水务局", ["市应急局", "市工信局", "市住房和城乡建设局"]),
    ("区市场监督管理局将与区科技局和区商务局共同组织开展“质量开放日”活动。",
     "区市场监督管理局", ["区科技局", "区商务局"]),
    ("县市场监管局携手县商务局引导电商企业开展质量承诺活动。", "县市场监管局", ["县商务局"]),
])
def test_the_lead_of_a_joint_list_is_its_first_name(text, lead, co):
    from qmgraph.parse.prose import lead_organization

    assert lead_organization(text, org_name_length) == lead
    assert find_co_organizers(text, org_name_length) == co


@pytest.mark.parametrize(("text", "n"), [
    ("省药品监督管理局协办，推动", 8),  # 协办 follows the name; 办 ends no name here
    ("县商务局引导企业", 4),
    ("市人民政府国有资产监督管理委员会支持", 16),
])
def test_helping_verbs_end_a_name(text, n):
    assert org_name_length(text) == n


NATIONAL_RELEASE = """2015年全国“质量月”活动启动
本报讯 近日，国家质检总局印发通知，决定在全国开展以“提高质量 促进发展”为主题的“质量月”活动。
活动期间，将组织开展质量宣传、质量提升和质量服务三大类共40项重点活动。
各地质检部门要结合实际，认真组织实施。
"""


def test_a_national_page_without_issuer_is_led_by_the_central_body_acting_in_it():
    from qmgraph.extract import extract_notice
    from qmgraph.ingest import ingest_bytes
    from qmgraph.lexicon.places import national_actor
    from qmgraph.parse import parse_notice

    assert national_actor(NATIONAL_RELEASE) == "国家质检总局"
    assert national_actor("根据国家质检总局通知要求，本市开展质量月活动。") == ""
    tree = parse_notice(ingest_bytes(NATIONAL_RELEASE.encode(), "national.txt"))
    acts = extract_notice(tree).activities
    assert acts and all(a.organizers == ["国家质检总局"] for a in acts)


@pytest.mark.parametrize(("text", "items"), [
    ("统筹开展好质量整治、质量提升、质量宣传、质量服务等五大活动，推动质量知识进企业。", []),
    ("统筹开展好“质量开放日”、“标准进社区”、“计量服务中小企业行”等活动。",
     ["“质量开放日”", "“标准进社区”", "“计量服务中小企业行”"]),
    ("开展“诚信经营”、“绿色消费宣传月”、农资质量“进乡村、进农户”、“护农2024”专项行动等活动。",
     ["“诚信经营”", "“绿色消费宣传月”", "农资质量“进乡村、进农户”", "“护农2024”专项行动"]),
])
def test_a_run_of_kinds_of_activity_names_no_actions(text, items):
    from qmgraph.extract import named_run

    assert [text[a:b] for a, b in named_run(text)] == items


@pytest.mark.parametrize(("text", "co"), [
    ("9月8日，市市场监管局召开推进会，市生态环境局和市教育局等22个部门参加会议。", []),
    ("县市监局召开部署会，县应急局和县水务局等7个成员单位联络员参加。", []),
    ("市场监管局与市总工会等5个部门共同举办技能竞赛。", ["市总工会"]),
])
def test_bodies_counted_as_attending_join_in_nothing(text, co):
    assert find_co_organizers(text, org_name_length) == co
