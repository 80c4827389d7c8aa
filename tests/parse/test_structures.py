"""Each structure rule on text it was not written from: notices in the style of other
places (a Guangdong city, a Fujian county, an Inner Mongolia league), all invented."""

from __future__ import annotations

import pytest

from qmgraph.extract import extract_notice
from qmgraph.ingest import ingest_bytes
from qmgraph.parse import parse_notice
from qmgraph.parse.metadata import find_doc_numbers, join_spaced_names
from qmgraph.parse.numbering import cn_to_int, match_numbering

FOSHAN = """佛山市质量强市工作领导小组办公室文件
佛质强办[2023]5号
佛山市质量强市工作领导小组办公室关于开展2023年全市“质量月”活动的通知
各区质量强区工作领导小组办公室，市有关单位：
为深入实施质量强市战略，按照省质量强省工作领导小组办公室《关于开展2023年全省“质量月”活动的通知》（粤质强省办〔2023〕12号）要求，现就开展2023年全市“质量月”活动有关事项通知如下：
一、活动主题
坚持质量第一 建设质量强市
二、重点活动
（一）市市场监管局：举办全市“质量月”启动仪式。开展“计量服务中小企业行”活动，组织计量技术机构走进企业。
（二）市工业和信息化局 组织工业企业质量标杆经验交流活动，联合市科技局开展关键零部件质量攻关。
（四）市公安局围绕打击侵权假冒犯罪，紧密结合“昆仑2023”专项行动，侦破一批制售假冒伪劣商品案件。
（五）佛山海关开展进出口商品质量安全风险监测活动。
三、各区活动
（一）禅城区：开展电梯安全宣传周活动，发放安全乘梯宣传资料。
（二）南海区：开展“质量开放日”活动，组织市民参观检测实验室。
四、工作要求
各单位要加强组织领导，做好活动宣传。
联系人：陈某；电话：0757-00000000
附件：2023年全市“质量月”活动口号
佛山市质量强市工作领导小组办公室
2023年8月25日
附件
2023年全市“质量月”活动口号
1.坚持质量第一 建设质量强市
2.弘扬工匠精神 打造佛山品牌
3.质量创造美好生活
"""

FUDING = """福鼎市市场监督管理局关于开展2023年“质量月”活动的通知
各乡镇（街道）、市直有关单位：
为推动质量强市建设，现就开展2023年全市“质量月”活动有关事项通知如下：
一、活动主题
质量强国 你我同行
二、活动安排
序号\t活动内容\t牵头部门\t配合部门
1\t举办“质量月”启动仪式暨白茶质量提升推进会\t市市场监管局\t市教育局、市总工会
2\t开展“护农”农资打假专项行动\t市农业农村局
3\t开展电梯安全宣传周活动\t市市场监管局\t市住建局
三、工作要求
一是开展质量宣传进社区活动，发放宣传资料。二是举办质量知识竞赛。三是加强组织领导，明确责任分工。
福鼎市市场监督管理局
2023年8月28日
"""

XILINGOL = """附件1
2023年锡林郭勒盟“质量月”联合主办单位开展的主要活动
一、盟级部门开展的活动
（一）盟市场监督管理局开展的活动
①举办全盟“质量月”启动仪式。邀请企业代表交流质量管理经验。
②开展乳制品质量安全“提质强企”帮扶行动。
（三）盟农牧局开展的活动
①开展“放心农资下乡进村”宣传活动。
（2）盟教育局开展的活动
1. 组织中小学开展质量安全进校园活动。
二、各旗县市（区）开展的活动
（一）锡林浩特市
开展“质量月”集中宣传、计量便民服务日活动。
（二）正蓝旗
开展乳制品生产企业质量帮扶活动。
"""


def _parse(text: str, name: str):
    return parse_notice(ingest_bytes(text.encode("utf-8"), name))


def test_guangdong_city_notice():
    tree = _parse(FOSHAN, "foshan.txt")
    assert tree.doc_number == "佛质强办〔2023〕5号"  # [] normalized to 〔〕
    assert tree.issuer == "佛山市质量强市工作领导小组办公室"
    assert tree.title == "关于开展2023年全市“质量月”活动的通知"
    assert tree.issued == "2023-08-25" and tree.year == 2023
    assert tree.context_code == "440600"
    assert tree.theme == "坚持质量第一 建设质量强市"
    assert tree.cited_doc_numbers == ["粤质强省办〔2023〕12号"]
    orgs = [b.name for b in tree.blocks if b.kind == "organizer"]
    # numbering skips (三) and restarts in the district part: nothing dropped or merged
    assert orgs == ["市市场监管局", "市工业和信息化局", "市公安局", "佛山海关"]
    places = [b.name for b in tree.blocks if b.kind == "jurisdiction"]
    assert places == ["禅城区", "南海区"]
    assert tree.slogans == ["坚持质量第一 建设质量强市", "弘扬工匠精神 打造佛山品牌", "质量创造美好生活"]
    acts = extract_notice(tree).activities
    by_org = {a.organizers[0] if a.organizers else a.jurisdiction: a for a in acts}
    assert "市科技局" in by_org["市工业和信息化局"].co_organizers
    assert "昆仑2023" in by_org["市公安局"].campaigns
    assert "电梯安全宣传周" in by_org["禅城区"].campaigns


def test_fujian_county_notice_with_flattened_table():
    tree = _parse(FUDING, "fuding.txt")
    assert tree.context_code == "350982"
    assert tree.issuer == "福鼎市市场监督管理局"
    assert tree.title == "关于开展2023年“质量月”活动的通知"
    orgs = [b for b in tree.blocks if b.kind == "organizer"]
    assert [b.name for b in orgs] == ["市市场监管局", "市农业农村局", "市市场监管局"]
    acts = extract_notice(tree).activities
    table = [a for a in acts if a.organizers and a.organizers[0] != tree.issuer]
    assert table[0].co_organizers == ["市教育局", "市总工会"]
    assert table[1].co_organizers == []
    assert "护农" in table[1].campaigns
    # "一是…二是…三是…" in the requirements: two concrete actions, one admonition (dropped)
    body = [a for a in acts if a.organizers == [tree.issuer]]
    assert len(body) == 2


def test_inner_mongolia_league_attachment_with_circled_and_mixed_numbering():
    tree = _parse(XILINGOL, "xilingol.txt")
    assert tree.context_code == "152500"
    orgs = [b for b in tree.blocks if b.kind == "organizer"]
    assert [b.name for b in orgs] == ["盟市场监督管理局", "盟农牧局", "盟教育局"]
    assert [len(b.items) for b in orgs] == [2, 1, 1]
    places = [b.name for b in tree.blocks if b.kind == "jurisdiction"]
    assert places == ["锡林浩特市", "正蓝旗"]


def test_numbering_styles():
    cases = {
        "一、省公安厅": ("cn", 1),
        "十六、成都海关": ("cn", 16),
        "（十四）人民银行": ("paren-cn", 14),
        "(二)河北区": ("paren-cn", 2),
        "（9） 西青区": ("paren-num", 9),
        "12、开展": ("num", 12),
        "3.开展": ("num-dot", 3),
        "2.2022年全国“质量月”活动口号": ("num-dot", 2),
        "⑦开展": ("circled", 7),
        "二是注重宣传": ("shi", 2),
    }
    for text, (style, value) in cases.items():
        num = match_numbering(text)
        assert num is not None, text
        assert (num.style, num.value) == (style, value), text
    assert match_numbering("3.5亿元投资") is None
    assert match_numbering("一站式服务") is None
    assert cn_to_int("二十一") == 21 and cn_to_int("一百零二") == 102


def test_doc_numbers_in_every_bracket_style():
    for raw, want in [
        ("川质强办【2023】3号", "川质强办〔2023〕3号"),
        ("国市监质发〔2022〕76号", "国市监质发〔2022〕76号"),
        ("琼质强省办[2022]8号", "琼质强省办〔2022〕8号"),
        ("闽市监质〔2021 15号", "闽市监质〔2021〕15号"),  # lost closing bracket
    ]:
        assert [d for _s, _e, d in find_doc_numbers(raw)] == [want]


def test_signature_names_with_inner_spaces():
    assert join_spaced_names("市场监管总局 国家发展改革委 教 育 部") == ["市场监管总局", "国家发展改革委", "教育部"]
    assert join_spaced_names("科 技 部 公 安 部") == ["科技部", "公安部"]


HANGZHOU = """关于开展2023年全市“质量月”活动的通知
各区、县（市）质量强区（县、市）工作领导小组办公室，市直有关单位：
按照全国“质量月”活动总体部署，现就开展2023年全市“质量月”活动有关事项通知如下：
一、活动主题
质量强国 杭州先行
二、活动安排
（一）举办全市“质量月”启动仪式。（牵头单位：市市场监管局；配合单位：市经信局、市总工会）
（二）开展质量安全进校园活动，由市教育局牵头，组织中小学开展质量科普。
（三）开展“质量开放日”活动。（责任单位：市市场监管局、市科技局）
（四）广泛开展群众性质量活动，营造浓厚氛围。
三、部门活动
【市公安局】开展“昆仑2023”专项行动，严厉打击侵权假冒犯罪。
【市商务局】开展“老字号嘉年华”活动。
杭州市质量强市工作领导小组办公室
2023年8月20日
"""


def test_items_that_name_their_own_lead_and_bracketed_headers():
    tree = _parse(HANGZHOU, "hangzhou.txt")
    assert tree.context_code == "330100"
    assert tree.follows_national
    acts = extract_notice(tree).activities
    first, second, third, fourth = acts[:4]
    assert (first.organizers, first.co_organizers, first.kind) == (
        ["市市场监管局"], ["市经信局", "市总工会"], "organizer")
    assert (second.organizers, second.kind) == (["市教育局"], "organizer")
    assert (third.organizers, third.co_organizers) == (["市市场监管局"], ["市科技局"])
    assert fourth.organizers == [tree.issuer] and fourth.kind == ""
    orgs = [b.name for b in tree.blocks if b.kind == "organizer"]
    assert orgs == ["市公安局", "市商务局"]


HUZHOU = """2023年湖州市“质量月”活动安排
一、市级部门活动
（一）市市场监管局开展的活动
1.举办全市“质量月”启动仪式。
二、各区县开展的活动
（一）吴兴区
1.区市场监管局联合区教育局开展质量教育进校园活动。
2.区住建局开展工程质量观摩活动。
（二）德清县：县市场监管局举办“计量服务中小企业行”活动。
（三）乡镇（街道）活动
雉城街道：开展质量知识进社区宣传。
和平镇：开展农资打假宣传。
三、市公安局开展的活动
1.开展“昆仑2023”专项行动。
"""

YULIN = """附件2
2023年玉林市各县（市、区）开展的活动
玉州区：开展质量宣传进社区活动。
容县：举办沙田柚质量提升培训。
"""

TABLE_EXTRA_COLUMNS = """2023年全省“质量月”重点活动安排表
序号\t活动名称\t主办单位\t时间
1\t全省“质量月”启动仪式\t省市场监管局\t9月1日
2\t质量知识竞赛\t省总工会\t9月中旬
"""


def test_agency_lines_inside_a_place_block_stay_in_that_place():
    tree = _parse(HUZHOU, "huzhou.txt")
    assert tree.context_code == "330500"
    kinds = [(b.kind, b.name) for b in tree.blocks]
    assert kinds == [
        ("organizer", "市市场监管局"),
        ("jurisdiction", "吴兴区"),
        ("jurisdiction", "德清县"),
        ("jurisdiction", "雉城街道"),
        ("jurisdiction", "和平镇"),
        ("organizer", "市公安局"),
    ]
    acts = extract_notice(tree).activities
    wuxing = [a for a in acts if a.jurisdiction == "吴兴区"]
    assert [a.organizers for a in wuxing] == [["区市场监管局"], ["区住建局"]]
    assert wuxing[0].co_organizers == ["区教育局"]
    deqing = next(a for a in acts if a.jurisdiction == "德清县")
    assert deqing.organizers == ["县市场监管局"]


def test_unnumbered_place_lines_under_a_place_attachment():
    tree = _parse(YULIN, "yulin.txt")
    assert [(b.kind, b.name) for b in tree.blocks] == [("jurisdiction", "玉州区"), ("jurisdiction", "容县")]


def test_table_with_other_columns_is_read_by_header_names():
    tree = _parse(TABLE_EXTRA_COLUMNS.replace("全省", "江苏省"), "table.txt")
    assert [(b.kind, b.name) for b in tree.blocks] == [("organizer", "省市场监管局"), ("organizer", "省总工会")]
    acts = extract_notice(tree).activities
    assert [a.text for a in acts] == ["江苏省“质量月”启动仪式", "质量知识竞赛"]
    src = tree.source.text
    assert all(src[a.start:a.end] == a.text for a in acts)


def test_cited_doc_number_without_the_verb_before_it():
    from qmgraph.parse.metadata import find_doc_numbers

    assert [d for *_, d in find_doc_numbers("根据浙质强省办〔2019〕8号文件要求")] == ["浙质强省办〔2019〕8号"]


def test_letter_spaced_organizer_heading():
    tree = _parse("2023年浙江省“质量月”联合主办单位主要活动\n一、省 教 育 厅：开展质量教育进校园活动。\n",
                  "spaced.txt")
    assert [b.name for b in tree.blocks] == ["省教育厅"]


def test_signing_date_in_chinese_numerals():
    text = FOSHAN.replace("2023年8月25日", "二〇二三年八月二十五日")
    tree = _parse(text, "cn-date.txt")
    assert tree.issued == "2023-08-25"
    assert tree.issuer == "佛山市质量强市工作领导小组办公室"


SHANDONG = """山东省市场监督管理局等部门关于开展2023年全省“质量月”活动的通知
各市市场监管局，省有关部门：
现就开展2023年全省“质量月”活动有关事项通知如下：
一、主要活动
（一）省市场监管局。会同省国资委举办全省质量管理小组成果发表赛。
（二）省教育厅、省科技厅联合开展质量科普进校园活动。
（三）开展全省质量基础设施“一站式”服务活动。
（四）省局举办“计量服务中小企业行”活动。
山东省市场监督管理局
2023年8月18日
"""


def test_sibling_items_joint_leads_and_self_reference():
    tree = _parse(SHANDONG, "shandong.txt")
    assert tree.issuer == "山东省市场监督管理局"  # not "…等部门"
    assert [(b.kind, b.name) for b in tree.blocks] == [
        ("organizer", "省市场监管局"),
        ("organizer", "省教育厅、省科技厅"),
        ("body", ""),  # （三） is a sibling of the agency headers: the issuer's own item
        ("organizer", "省局"),
    ]
    acts = extract_notice(tree).activities
    assert acts[0].text.startswith("会同省国资委")  # no stray "。"
    assert (acts[1].organizers, acts[1].co_organizers) == (["省教育厅"], ["省科技厅"])
    assert acts[2].organizers == [tree.issuer]


def test_rows_of_names_and_place_lines_are_never_glued():
    from qmgraph.ingest import ingest_bytes

    raw = ("各区活动：\n福田区：举办“质量服务进楼宇”活动\n罗湖区：开展计量惠民服务\n"
           "新疆维吾尔自治区市场监督管理局    新疆维吾尔自治区发展和改革委员会\n"
           "新疆维吾尔自治区教育厅    新疆维吾尔自治区科学技术厅\n")
    lines = ingest_bytes(raw.encode(), "g.txt").text.split("\n")
    assert len(lines) == 5


def test_tables_keyed_by_place_or_unit():
    by_place = _parse("2023年河南省“质量月”各地活动安排\n序号\t地区\t活动内容\t时间\n"
                      "1\t郑州市\t举办质量月启动仪式\t9月1日\n2\t洛阳市\t开展计量惠民服务\t9月中旬\n", "t1.txt")
    assert [(b.kind, b.name) for b in by_place.blocks] == [("jurisdiction", "郑州市"), ("jurisdiction", "洛阳市")]
    by_unit = _parse("2023年河南省“质量月”部门活动安排\n序号\t单位\t活动内容\t时间\n"
                     "1\t省教育厅\t开展质量进校园\t9月\n", "t2.txt")
    assert [(b.kind, b.name) for b in by_unit.blocks] == [("organizer", "省教育厅")]


@pytest.mark.parametrize(("opening", "addressees"), [
    ("各县（区）市场监管局，局机关各科室：", ["各县（区）市场监管局", "局机关各科室"]),
    ("按照全市统一部署，我局组织开展了“质量月”活动，现将活动开展情况总结如下：", []),
    ("为深入推动全民质量行动，促进质量强国建设，现就开展2023年“质量月”活动通知如下：", []),
])
def test_addressees_are_a_list_not_an_opening_sentence(opening, addressees):
    text = f"关于开展2023年“质量月”活动的通知\n{opening}\n一、活动主题\n质量强国。\n"
    assert parse_notice(ingest_bytes(text.encode(), "n.txt")).addressees == addressees


JOINT_TITLE = """某省质量技术监督局文件
某质监质〔2010〕88号
某某省质量技术监督局 某某省经济贸易委员会 某某省卫生厅 某某省安全生产监督管理局关于开展2010年全省“质量月”活动的通知
各设区市质量技术监督局、经贸委、卫生局、安监局：
为做好2010年“质量月”活动，现将有关事项通知如下：
一、主要活动
（一）省质监局会同省经贸委组织开展质量宣传周活动。
某省质量技术监督局
2010年8月20日
"""


def test_a_title_long_with_its_joint_issuers_is_still_the_title() -> None:
    """Four issuers written before 关于 make the title line longer than a paragraph's
    threshold; it is a title (no full stop, ends in 通知), not the first paragraph (0043)."""
    tree = parse_notice(ingest_bytes(JOINT_TITLE.encode("utf-8"), "joint.txt"))
    assert tree.title == "关于开展2010年全省“质量月”活动的通知"
    assert tree.doc_number == "某质监质〔2010〕88号"
