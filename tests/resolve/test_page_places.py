"""Where a release or report is from: the place it writes before 质量月, a central body acting
in its lead, a lower place whose agency acts, a city bureau's branch, its source line."""

from __future__ import annotations

import pytest

from qmgraph.lexicon.places import Gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


def test_edition_place_before_quality_month(gz):
    text = "9月2日上午，2021年福州市“质量月”活动正式启动。本次活动由福建省市场监督管理局主办。"
    assert gz.resolve_notice("", "", text).code == "350100"


def test_followed_edition_is_not_the_documents_own(gz):
    text = "按照湖州市“质量月”活动统一部署，德清县市场监督管理局在武康街道开展宣传。全县各部门积极参与。"
    assert gz.resolve_notice("", "", text).code != "330500"


def test_agency_of_a_lower_place_acting_in_the_lead(gz):
    text = ("9月3日，金牛区市场监督管理局召开2024年“质量月”活动部署会。会议传达学习了成都市"
            "“质量月”活动方案。")
    assert gz.resolve_notice("区市场监管局召开“质量月”活动部署会", "", text).code == "510106"


@pytest.mark.parametrize("lead", [
    "近日，国家质检总局以“贯彻《质量发展纲要》、推进质量强国建设”为主题，部署开展全国“质量月”活动。",
    "市场监管总局、住房城乡建设部等27个部门近日发布通知，定于今年9月联合开展“质量月”活动。",
])
def test_central_body_acting_in_the_lead_is_national(gz, lead):
    assert gz.resolve_notice("", "", lead).code is None


def test_cited_central_body_is_not_national(gz):
    text = "根据市场监管总局等21个部门关于开展“质量月”活动的通知要求，汕尾市在明珠广场举办宣传活动。"
    assert gz.resolve_notice("", "", text).code == "441500"


def test_branch_of_a_city_bureau_places_the_district(gz):
    text = "2023年9月15日，成都市市场监督管理局武侯分局在浆洗街社区开展“质量月”计量惠民活动。"
    assert gz.resolve_notice("", "", text).code == "510107"


def test_source_line_when_the_text_names_no_place(gz):
    text = "9月14日，我县在县城中心广场开展“质量月”宣传咨询活动。"
    assert gz.resolve_notice("", "", text) is None
    assert gz.resolve_notice("", "", text, "武义县市场监督管理局").code == "330723"


def test_follows_the_national_notice_not_a_letter(gz):
    """"按照全国…部署" follows the year's national notice or plan; a letter of a national
    association asking for theme ideas deploys nothing."""
    from qmgraph.resolve import NoticeSummary, Resolver

    def summary(i, key, j, genre, follows=False):
        return NoticeSummary(index=i, key=key, path=f"{key}.txt", content_hash=key,
                             text_hash=key, doc_number="", title="", year=2024, jurisdiction=j,
                             cited_doc_numbers=(), cited_titles=(), follows_national=follows,
                             n_activities=1, n_blocks=1, slogans=(), genre=genre)

    nation, province = gz.nation, gz.get("230000")
    notices = [summary(0, "a-letter", nation, "letter"),
               summary(1, "b-release", nation, "press-release"),
               summary(2, "c-province", province, "press-release", follows=True)]
    _kept, implements = Resolver(gazetteer=gz).settle(notices)
    assert implements["c-province"] == ["b-release"]
    notices.append(summary(3, "z-notice", nation, "notice"))
    _kept, implements = Resolver(gazetteer=gz).settle(notices)
    assert implements["c-province"] == ["z-notice"]
