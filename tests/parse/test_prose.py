"""Facts of releases, reports and pages (parse/prose.py, parse/page.py) on invented texts in
the shapes real pages take: theme frames, counts of organizers (own or cited), rosters,
acting organizations, sentence filters, portal panels, bylines, headlines and genres."""

from __future__ import annotations

import pytest

from qmgraph.lexicon.organizations import org_name_length
from qmgraph.lexicon.words import words
from qmgraph.parse.metadata import split_lines
from qmgraph.parse.page import genre_of, headline, iso_date, read_page
from qmgraph.parse.prose import (
    activity_sentence,
    clean_theme,
    edition_year,
    joint_roster,
    lead_organization,
    mentions_quality_month,
    organizer_count,
    theme_in_prose,
    theme_year,
)


@pytest.mark.parametrize(("text", "theme"), [
    ("今年“质量月”活动主题是“增强质量意识 推进高质量发展”。", "增强质量意识 推进高质量发展"),
    ("会议以“提升供给质量，建设质量强国”为主题。", "提升供给质量，建设质量强国"),
    ("结合2016年“质量月”主题——“提升供给质量,建设质量强国”，开展宣传。", "提升供给质量,建设质量强国"),
    ("围绕“加强质量支撑 共建质量强国”活动主题，开展质量宣传。", "加强质量支撑 共建质量强国"),
    ("举办“质量月”广场宣传活动。", ""),
])
def test_theme_in_prose(text, theme):
    assert theme_in_prose(text) == theme


@pytest.mark.parametrize(("raw", "clean"), [
    ("2022年“质量月”活动的主题是：“推动质量变革创新 促进质量强国建设”。", "推动质量变革创新 促进质量强国建设"),
    ("全国统一主题：加强质量支撑 共建质量强国", "加强质量支撑 共建质量强国"),
    ("“建设质量强国，共创美好生活”", "建设质量强国，共创美好生活"),
])
def test_clean_theme(raw, clean):
    assert clean_theme(raw) == clean


def test_theme_year_from_the_national_table():
    assert theme_year("加强质量支撑共建质量强国") == 2024
    assert theme_year("增强质量意识，推进高质量发展") == 2023
    assert theme_year("建设质量强县 聚力高质量发展") is None


def test_edition_year_is_the_year_before_quality_month():
    text = "中国“质量月”活动始于1978年。近日，宜春市2017年全市质量月宣传活动举行，2017年“质量月”期间…"
    assert edition_year(text) == 2017
    assert edition_year("质量月活动启动。") is None
    assert edition_year("二〇二三年全县“质量月”活动方案") == 2023


@pytest.mark.parametrize(("text", "count"), [
    ("省市场监管局联合省发展改革委、省科技厅等17个部门开展了系列活动。", 17),
    ("市质量工作领导小组办公室牵头全市21个部门和各区政府开展77项活动。", 21),
    ("根据市场监管总局等21个部门关于开展2022年全国“质量月”活动的通知要求，开展宣传。", None),
    ("落实重庆市市场监管局等23个部门《关于开展2022年全市“质量月”活动的通知》。", None),
    ("依据《市场监管总局等20个部门关于开展2021年全国“质量月”活动的通知》，县市场监管局等十二个部门联合开展。", 12),
])
def test_organizer_count_is_the_documents_own(text, count):
    assert organizer_count(text) == count


def test_joint_roster_names_the_lead_and_the_listed():
    text = "9月20日，省市场监管局联合省发展改革委、省科技厅等17个部门开展了系列活动。"
    assert joint_roster(text, org_name_length) == ["省市场监管局", "省发展改革委", "省科技厅"]
    text = "市场监管总局、住房城乡建设部等27个部门近日发布通知。"
    assert joint_roster(text, org_name_length) == ["市场监管总局", "住房城乡建设部"]
    # a cited notice's organizers are not this document's roster
    text = "根据市场监管总局、工业和信息化部等21个部门关于开展全国“质量月”活动的通知，开展宣传。"
    assert joint_roster(text, org_name_length) == []


@pytest.mark.parametrize(("text", "lead"), [
    ("活动由区市场监管局和区科技局牵头，10个部门参加。", "区市场监管局"),
    ("9月8日，云南省市场监管局联合云南省委宣传部等23个部门共同举办启动仪式。", "云南省市场监管局"),
    ("近日，江宁区市场监督管理局在东山街道举行质量知识竞赛。", "江宁区市场监督管理局"),
    ("本次活动通过政府组织、部门联动开展宣传。", ""),  # 政府 ends no name here
])
def test_lead_organization(text, lead):
    assert lead_organization(text, org_name_length) == lead


@pytest.mark.parametrize(("sentence", "keep"), [
    ("9月10日，县市场监管局在人民广场举办“质量月”宣传活动。", True),
    ("“质量月”活动是每年9月在全国范围内广泛开展的一项群众性质量活动。", False),
    ("中国“质量月”活动始于1978年，旨在提高全民质量意识。", False),
    ("副市长在讲话中强调，要开展好质量提升行动。", False),
    ("二要明确责任，开展质量帮扶工作。", False),
    ("今年共收到稿件13087件。", False),
    ("组织开展“服务认证体验周”系列活动。", True),
])
def test_activity_sentence(sentence, keep):
    assert activity_sentence(sentence, "体验周" in sentence) is keep


def test_portal_panel_is_metadata():
    text = (
        "索引号： | 1153/2024-00031 | 主题分类： | 市场监管 |\n"
        "发布机构： | 宜良县市场监督管理局 | 文号： | 宜市监发〔2024〕41号 |\n"
        "名称： | 宜良县市场监督管理局关于印发2024年“质量月”活动方案的通知 | 成文日期： | 2024-08-28 |\n"
        "按照统一部署，制定本方案。\n"
    )
    lines = split_lines(text)
    page = read_page(lines, [])
    assert page.consumed == {0, 1, 2}
    assert page.fields["doc_number"] == "宜市监发〔2024〕41号"
    assert page.fields["issuer"] == "宜良县市场监督管理局"
    assert page.fields["title"].endswith("活动方案的通知")
    assert page.signed == "2024-08-28"


@pytest.mark.parametrize(("line", "published"), [
    ("来源：灞桥区政府办 发布时间：2025-09-08 17:04", "2025-09-08"),
    ("2022年09月12日10:22 来源：江苏省市场监督管理局", "2022-09-12"),
    ("2017年09月01日 21:08 | 作者：王明 | 来源：新华社", "2017-09-01"),
    ("2021/9/10 16:10:36", "2021-09-10"),
    ("时间：2017-09-18 11:54   来源：江西省质量技术监督局", "2017-09-18"),
    ("2023-09-12来源：柳州日报", "2023-09-12"),
    ("2022-09-13 10:21 四川日报", "2022-09-13"),
])
def test_byline_publication_date(line, published):
    lines = split_lines(f"某市开展2022年“质量月”活动\n{line}\n9月1日，某市举行启动仪式。\n")
    page = read_page(lines, [])
    assert page.published == published
    assert 1 in page.consumed


@pytest.mark.parametrize("row", [
    "2023年9月15日 9:30|质量开放日活动|市市场监管局|人民广场",
    "2023-09-15 09:30\t质量宣传进社区\t县市场监管局",
    "2023年9月15日9:30 质量开放日活动 市市场监管局",
    "2023年9月15日 9:30 20家企业开放",
])
def test_a_schedule_row_with_a_time_is_no_byline(row):
    lines = split_lines(f"某市2023年“质量月”活动安排\n日期 | 活动 | 单位 | 地点\n{row}\n")
    page = read_page(lines, [])
    assert 2 not in page.consumed
    assert not page.published


def test_publication_date_from_a_dropped_source_line():
    page = read_page(split_lines("正文。"), ["信息来源：某协会  信息提供日期：2006-08-08   浏览：25"])
    assert page.published == "2006-08-08"


def test_european_dates_are_not_read():
    assert iso_date("28.09.2016 16:36") == ""


def test_headline_skips_sentences_and_site_suffix():
    lines = split_lines("黑龙江省2024年“质量月”活动来了！-新华网\n根据部署，省局开展活动。\n")
    assert headline(lines) == "黑龙江省2024年“质量月”活动来了！"
    assert headline(split_lines("9月5日，某县举行“质量月”启动仪式。\n")) == ""


@pytest.mark.parametrize(("title", "text", "genre"), [
    ("关于开展2021年“质量月”活动的通知", "", "notice"),
    ("2024年福鼎市“质量月”活动方案", "", "plan"),
    ("关于请提供2024年全国“质量月”活动主题建议的函", "", "letter"),
    ("渭源县举行2021年质量月启动仪式", "", "meeting-report"),
    ("市场监管总局面向社会公开征集2020年全国“质量月”活动口号", "", "slogan-call"),
    ("关于2018年“质量月”活动的工作总结", "", "work-report"),
    ("", "序号 | 活动名称 | 活动内容 |\n1 | 启动仪式 | 举办启动仪式 |", "activity-list"),
    ("", "9月5日，某区“质量月”活动启动仪式举行。", "meeting-report"),
    ("汕尾市开启2022年“质量月”宣传活动", "为深入实施质量强市战略…", "press-release"),
])
def test_genre(title, text, genre):
    assert genre_of(title, text) == genre


@pytest.mark.parametrize(("text", "about"), [
    ("2023年“质量月”活动方案", True),
    ("关于开展质 量 月活动的通知", True),
    ("2023年8月环境空气质量月报", False),
    ("本市空气质量月度排名", False),
])
def test_mentions_quality_month(text, about):
    assert mentions_quality_month(text) is about


@pytest.mark.parametrize(("sentence", "items"), [
    ("实施“计量服务中小企业行”“知识产权服务万里行”“民营经济标准创新周”等助企帮扶系列行动。",
     ["“计量服务中小企业行”", "“知识产权服务万里行”", "“民营经济标准创新周”"]),
    ("深入开展质量基础知识公益讲座、质量基础设施“一站式”服务、电梯安全宣传周、检验检测机构开放日等系列活动。",
     ["质量基础知识公益讲座", "质量基础设施“一站式”服务", "电梯安全宣传周", "检验检测机构开放日"]),
    ("开展“质量开放日”、电梯安全宣传周等活动。", []),  # two items: the sentence stays whole
    ("开展质量宣传，组织企业参观，开展培训等活动。", []),  # clauses, not a list of names
    # an aspect particle after the verb belongs to the verb (0043)
    ("现场开展了计量器具免费检定、纤维制品咨询、食品安全知识问答等活动。",
     ["计量器具免费检定", "纤维制品咨询", "食品安全知识问答"]),
    ("各县区组织开展了质量宣传咨询、“质量开放日”、标准知识讲座等系列活动。",
     ["质量宣传咨询", "“质量开放日”", "标准知识讲座"]),
    ("先后举办了电梯安全演练、计量进社区、消费品质量讲座等主题活动。",
     ["电梯安全演练", "计量进社区", "消费品质量讲座"]),
    # …but 了 of the word 了解 is no particle
    ("开展了解企业质量需求、送标准进企业、质量诊断等帮扶活动。",
     ["了解企业质量需求", "送标准进企业", "质量诊断"]),
])
def test_named_run(sentence, items):
    from qmgraph.extract import named_run

    assert [sentence[a:b] for a, b in named_run(sentence)] == items


def test_each_named_action_of_a_release_is_an_activity():
    from qmgraph.extract import extract_notice
    from qmgraph.ingest import ingest_bytes
    from qmgraph.parse import parse_notice

    text = ("某市开展2023年“质量月”活动\n"
            "9月1日，绵阳市市场监督管理局联合市教育局等8个部门，组织开展“计量服务中小企业行”"
            "“质量开放日”“电梯安全宣传周”等系列活动，走访企业30家。\n")
    ex = extract_notice(parse_notice(ingest_bytes(text.encode(), "r.txt")))
    named = {a.text: a for a in ex.activities if a.text.startswith("“")}
    assert set(named) == {"“计量服务中小企业行”", "“质量开放日”", "“电梯安全宣传周”"}
    act = named["“质量开放日”"]
    assert act.campaigns == ["质量开放日"]
    assert act.organizers == ["绵阳市市场监督管理局"] and act.co_organizers == ["市教育局"]
    assert act.date == "2023-09-01"
    src = ex.tree.source.text
    assert all(src[a.start:a.end] == a.text for a in ex.activities)


@pytest.mark.parametrize(("text", "lead"), [
    ("9月1日，四川省市场监督管理局与绵阳市人民政府共同举办启动仪式。", "四川省市场监督管理局"),
    ("按照省局要求，9月1日县市场监管局在人民广场举办启动仪式。", "县市场监管局"),
])
def test_lead_organization_of_joint_hosts_and_after_a_date(text, lead):
    assert lead_organization(text, org_name_length) == lead


def test_review_cases_of_prose_sentences():
    # a citation's 要求 is no speech; 自1978年…以来 is background
    assert activity_sentence("按照省局要求，县市场监管局在人民广场举办启动仪式。", False)
    assert not activity_sentence("自1978年开展“质量月”活动以来，我国已连续举办46届。", False)
    assert edition_year("自1978年开展“质量月”活动以来，已举办46届。") is None
    # a campaign's “…”主题宣传活动 is no theme; the national theme stated later is
    text = "县局开展“计量进社区”主题宣传活动。今年质量月活动主题是“增强质量意识 推进高质量发展”。"
    assert theme_in_prose(text) == "增强质量意识 推进高质量发展"


def test_bodies_attending_a_meeting_are_no_roster():
    text = ("9月2日，某县召开质量工作推进会，县市场监督管理局、县发展改革局、县农业农村局等"
            "26个单位负责同志参加会议。")
    assert organizer_count(text) is None
    assert joint_roster(text, org_name_length) == []
    # the same list organizing stays a roster
    hosting = "县市场监督管理局联合县发展改革局、县农业农村局等26个单位举办质量月启动仪式。"
    assert organizer_count(hosting) == 26
    assert joint_roster(hosting, org_name_length) == ["县市场监督管理局", "县发展改革局", "县农业农村局"]


def test_the_body_reading_out_the_plan_acts():
    text = "会上，县市场监督管理局宣读了《质量月活动方案》，对品牌培育行动作出部署。"
    assert lead_organization(text, org_name_length) == "县市场监督管理局"


@pytest.mark.parametrize(("sentence", "activity"), [
    ("省市场监管局副局长王建国出席启动仪式并讲话，市政府副市长李卫东致辞。", False),
    ("市市场监管局局长张明华主持启动仪式。", False),
    ("各成员单位负责同志和企业代表共200余人参加了启动仪式。", False),
    ("9月1日，市长出席2023年“质量月”启动仪式并宣布活动启动。", True),  # the launch itself
    ("组织企业参加首席质量官培训。", True),
    ("9月5日，县市场监管局召开推进会，县教育局等12个部门参加会议。", True),
])
def test_who_attended_is_no_activity(sentence, activity):
    from qmgraph.parse.prose import activity_sentence

    assert activity_sentence(sentence, False) is activity


def test_qualified_counted_bodies_that_attend_are_no_roster():
    from qmgraph.parse.prose import joint_roster

    text = "市委宣传部、市发改委、市教育局等12家质量强市领导小组成员单位参加活动。"
    assert joint_roster(text, org_name_length) == []
    text = "市市场监管局联合市教育局、市公安局等19个部门，将在9月组织开展42项活动。"
    assert joint_roster(text, org_name_length) == ["市市场监管局", "市教育局", "市公安局"]


def test_a_roster_name_never_starts_with_the_words_before_it():
    from qmgraph.parse.prose import joint_roster

    text = "通知确定2019年全国“质量月”活动由市场监管总局等14个部门联合主办。"
    assert joint_roster(text, org_name_length) == ["市场监管总局"]


@pytest.mark.parametrize(("sentence", "lead"), [
    ("2024年9月26日，三亚市市场监督管理局吉阳分局围绕“加强质量支撑 共建质量强国”主题，"
     "在河东农贸市场开展宣传咨询活动。", "三亚市市场监督管理局吉阳分局"),
    ("近日，安丘市市场监督管理局结合“质量月”主题——“提升供给质量，建设质量强国”，"
     "在青云广场举行广场宣传咨询活动。", "安丘市市场监督管理局"),
    ("根据市场监管总局等21个部门的通知要求，9月16日，我市在明珠广场开展宣传活动。", ""),
])
def test_the_subject_opening_a_clause_acts_when_no_name_is_before_the_verb(sentence, lead):
    from qmgraph.parse.prose import lead_organization

    assert lead_organization(sentence, org_name_length) == lead


@pytest.mark.parametrize(("text", "roster"), [
    ("市市场监管局联合市教育局、市公安局和市住房和城乡建设局等19个部门开展活动。",
     ["市市场监管局", "市教育局", "市公安局", "市住房和城乡建设局"]),
    ("市场监管总局、人力资源社会保障部及住房和城乡建设部等27个部门联合开展活动。",
     ["市场监管总局", "人力资源社会保障部", "住房和城乡建设部"]),
    ("全市质量工作和食品安全等15个部门", []),
])
def test_a_roster_may_join_its_last_names_with_he(text, roster):
    from qmgraph.parse.prose import joint_roster

    assert joint_roster(text, org_name_length) == roster


@pytest.mark.parametrize("opening", [*words("notice_words.tsv", "clause-time"),
                                     *(f"9月5日{w}" for w in words("notice_words.tsv", "day-part"))])
def test_a_clause_opened_by_a_time_word_names_its_actor(opening: str) -> None:
    """The time words before a clause's subject come from data/notice_words.tsv."""
    text = f"{opening}，青山县市场监督管理局围绕质量强国主题，在人民广场举办质量咨询活动。"
    assert lead_organization(text, org_name_length) == "青山县市场监督管理局"
