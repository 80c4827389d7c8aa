"""Unit tests of ``qmgraph.link`` on hand-made corpora."""

from __future__ import annotations

import dataclasses

import pytest

from qmgraph.link import LinkParams, link, link_with_stats
from qmgraph.link.text import normalize, plain_length
from qmgraph.model import Organization
from qmgraph.namespaces import activity_iri
from qmgraph.synth.corpus import SynthSpec, synthetic_corpus

from .factory import (
    CD_GOV,
    CHENGDU,
    HAINAN,
    HN_SAMR,
    KUNLUN,
    MPS,
    NATION,
    SAMR,
    SC_PS,
    SC_SAMR,
    SICHUAN,
    Act,
    corpus,
    notice,
)

NAT_QI = (
    "持续推动为民办质量实事，开展质量基础设施“一站式”服务“惠百城助万企”行动、"
    "工业产品质量技术帮扶“提质强企”行动、食品生产领域“千企万坊”帮扶行动。"
)
NAT_KL = "围绕打击侵权假冒犯罪，紧密结合“昆仑2022”专项行动，侦破一批大案要案，打掉一批犯罪团伙。"
NAT_OTHER = "组织开展全国检验检测机构开放日活动，宣传检验检测的质量基础作用。"
SC_KL = "深入推进“昆仑2022”专项行动，严厉打击食品药品和农资领域犯罪，守护群众安全。"


def _iri(key: str, local: str) -> str:
    return str(activity_iri(key, local))


def _national(year: int = 2022) -> object:
    return notice(
        f"cn-{year}",
        NATION,
        year,
        [
            Act("b01-i01", NAT_QI, [SAMR]),
            Act("b01-i02", NAT_OTHER, [SAMR]),
            Act("b02-i01", NAT_KL, [MPS], [KUNLUN]),
        ],
    )


def _sichuan(year: int = 2022) -> object:
    return notice(
        f"sc-{year}",
        SICHUAN,
        year,
        [
            Act("b01-i01", "认真落实部署，" + NAT_QI, [SC_SAMR]),
            Act("b02-i01", SC_KL, [SC_PS], [KUNLUN]),
            Act("b03-i01", "举办天府质量大讲堂，邀请专家解读品牌建设。", [SC_SAMR]),
            Act(
                "j01-i01",
                "成都市开展质量基础设施“一站式”服务“惠百城助万企”行动。",
                [CD_GOV],
                kind="jurisdiction",
                jur=CHENGDU,
            ),
        ],
    )


def _pairs(links: list) -> set[tuple[str, str]]:
    return {(m.source, m.target) for m in links}


def test_verbatim_copy_found_and_graded_verbatim() -> None:
    links = link(corpus(_national(), _sichuan()))
    by = {(m.source, m.target): m for m in links}
    m = by[(_iri("sc-2022", "b01-i01"), _iri("cn-2022", "b01-i01"))]
    assert m.grade == "verbatim"
    assert 0.9 <= m.score <= 1.0
    assert m.method == "char-ngram-index+partial-ratio"
    assert "惠百城助万企" in m.evidence


def test_adapted_with_shared_campaign() -> None:
    links = link(corpus(_national(), _sichuan()))
    by = {(m.source, m.target): m for m in links}
    m = by[(_iri("sc-2022", "b02-i01"), _iri("cn-2022", "b02-i01"))]
    assert m.grade == "adapted"
    assert "昆仑2022" in m.evidence
    assert 0.0 < m.score < 1.0


def test_unrelated_activity_not_linked() -> None:
    links = link(corpus(_national(), _sichuan()))
    assert not any(m.source == _iri("sc-2022", "b03-i01") for m in links)


def test_city_block_copies_same_notice_agency_and_the_nation() -> None:
    links = link(corpus(_national(), _sichuan()))
    city = _iri("sc-2022", "j01-i01")
    targets = {m.target for m in links if m.source == city}
    assert _iri("sc-2022", "b01-i01") in targets  # the province's own agency, same notice
    assert _iri("cn-2022", "b01-i01") in targets  # and the national source


def test_same_level_pairs_never_linked() -> None:
    hn = notice("hn-2022", HAINAN, 2022, [Act("b01-i01", "组织开展，" + NAT_QI, [HN_SAMR])])
    links = link(corpus(_sichuan(), hn))  # no national notice: only same-level matches
    assert not any(
        {m.source.split("/")[-2], m.target.split("/")[-2]} == {"hn-2022", "sc-2022"} for m in links
    )


def test_cross_year_pairs_never_linked() -> None:
    links = link(corpus(_national(2022), _sichuan(2023)))
    assert not any("cn-2022" in m.target for m in links)
    assert not any("sc-2023" in m.source and "cn-" in m.target for m in links)


def test_one_target_per_higher_level() -> None:
    nat = notice(
        "cn-2022",
        NATION,
        2022,
        [
            Act("b01-i01", NAT_QI, [SAMR]),
            Act("b01-i02", "再次强调：" + NAT_QI, [SAMR]),
            Act("b01-i03", NAT_QI + "各地积极参与。", [SAMR]),
        ],
    )
    links = link(corpus(nat, _sichuan()))
    levels: dict[tuple[str, str], int] = {}
    for m in links:
        lvl = "national" if "/cn-" in m.target else "provincial"
        levels[(m.source, lvl)] = levels.get((m.source, lvl), 0) + 1
    assert levels and max(levels.values()) == 1
    assert (_iri("sc-2022", "b01-i01"), "national") in levels


def test_output_independent_of_notice_order() -> None:
    a = link(corpus(_national(), _sichuan()))
    b = link(corpus(_sichuan(), _national()))
    assert a == b
    assert a == sorted(a, key=lambda m: (m.source, m.target))


def test_evidence_offsets_map_to_original_identity() -> None:
    c = corpus(_national(), _sichuan())
    texts = {n.key: n.extracted.tree.source.original for n in c.notices}
    for m in link(c):
        tkey, skey = m.target.split("/")[-2], m.source.split("/")[-2]
        assert texts[tkey][m.target_start : m.target_end] == m.evidence
        src_slice = texts[skey][m.source_start : m.source_end]
        assert src_slice and m.source_end > m.source_start
        if m.grade == "verbatim":
            assert normalize(src_slice).chars == normalize(m.evidence).chars


def test_evidence_offsets_map_through_a_non_identity_offset_map() -> None:
    """Original text with full-width spaces that normalization removed."""
    base = notice("sc-2022", SICHUAN, 2022, [Act("b01-i01", "认真落实部署，" + NAT_QI, [SC_SAMR])])
    text = base.extracted.tree.source.text
    original, offsets = "", []
    for ch in text:
        offsets.append(len(original))
        original += ch + ("　" if ch == "质" else "")
    offsets.append(len(original))
    sc = notice(
        "sc-2022",
        SICHUAN,
        2022,
        [Act("b01-i01", "认真落实部署，" + NAT_QI, [SC_SAMR])],
        original=original,
        offsets=offsets,
    )
    (m,) = link(corpus(_national(), sc))
    src_slice = original[m.source_start : m.source_end]
    assert "　" in src_slice
    assert normalize(src_slice).chars == normalize(m.evidence).chars


def test_params_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LinkParams().top_k = 3  # type: ignore[misc]


def test_index_scores_far_fewer_pairs_than_all_and_finds_copies() -> None:
    syn = synthetic_corpus(SynthSpec())
    n = len(syn.corpus.activities())
    assert n >= 2000
    links, stats = link_with_stats(syn.corpus)
    got = _pairs(links)
    recall = len(got & syn.truth) / len(syn.truth)
    precision = len(got & syn.truth) / len(got)
    assert stats.scored_pairs < n * (n - 1) / 2 / 100  # far below all pairs
    assert stats.scored_pairs < 5 * n  # ~linear
    assert recall >= 0.95
    assert precision >= 0.9


STOCK = "严厉打击质量违法行为，维护公平竞争的市场秩序。"


def _org(sector: str, code: str | None = None) -> Organization:
    where = code or "cn"
    return Organization(
        f"{where}/{sector}",
        sector,
        "agency",
        sector,
        code,
        "provincial" if code else None,
        counterpart=f"cn/{sector}" if code else None,
    )


def test_stock_clause_used_by_many_sectors_is_not_evidence() -> None:
    """A purpose clause every sector appends links nothing across sectors, while the same
    clause inside a real copy does not hide the copy."""
    sectors = ["water", "transport", "health", "commerce", "education"]
    actions = [
        "水利工程质量提升专项行动",
        "交通运输产品质量行业监督抽查",
        "医疗质量安全改进专项行动",
        "诚信兴商宣传月活动",
        "质量第一课进校园活动",
    ]
    nat = notice(
        "cn-2022",
        NATION,
        2022,
        [
            Act(f"b{i:02d}-i01", f"组织开展{a}，{STOCK}", [_org(s)])
            for i, (s, a) in enumerate(zip(sectors, actions, strict=True), start=1)
        ],
    )
    sc = notice(
        "sc-2022",
        SICHUAN,
        2022,
        [
            # another sector's own action with the stock clause: not a copy of anything
            Act(
                "b01-i01",
                f"深入推进农机质量提升示范县创建，{STOCK}",
                [_org("agriculture", "510000")],
            ),
            # the province's health agency adapts the national health action
            Act(
                "b02-i01",
                f"结合本地实际，认真组织医疗质量安全改进专项行动，{STOCK}",
                [_org("health", "510000")],
            ),
        ],
    )
    links = link(corpus(nat, sc))
    assert not any(m.source == _iri("sc-2022", "b01-i01") for m in links)
    targets = {m.target for m in links if m.source == _iri("sc-2022", "b02-i01")}
    assert targets == {_iri("cn-2022", "b03-i01")}


def test_stock_test_is_off_without_sector_spread() -> None:
    """The same clause shared by one sector only stays evidence (a copy down its line)."""
    idx_link = link(
        corpus(
            notice("cn-2022", NATION, 2022, [Act("b01-i01", f"开展标准宣贯活动，{STOCK}", [SAMR])]),
            notice(
                "sc-2022", SICHUAN, 2022, [Act("b01-i01", f"部署标准宣贯活动，{STOCK}", [SC_SAMR])]
            ),
        )
    )
    assert _pairs(idx_link) == {(_iri("sc-2022", "b01-i01"), _iri("cn-2022", "b01-i01"))}


# ------------------------------------------------------------ lineage inside one notice

SC_QO = Organization("510000/quality-office", "四川省质量强省办", "agency", None, "510000",
                     "provincial")
SC_UNION = Organization("510000/trade-union", "四川省总工会", "agency", "trade-union", "510000",
                        "provincial", counterpart="cn/trade-union")
COUNTY_PLAN = "开展质量强县（市、区）培育建设共享合作交流活动，建立完善培育清单。"
CITY_PLAN = "成都开展质量强县培育建设经验交流等活动。"


def _city(local: str, text: str) -> Act:
    return Act(local, text, [CD_GOV], kind="jurisdiction", jur=CHENGDU)


def test_city_block_adapting_its_own_notice_plan_is_linked() -> None:
    one = notice("sc-2024", SICHUAN, 2024, [Act("b01-i01", COUNTY_PLAN, [SC_QO]),
                                            _city("j01-i01", CITY_PLAN)])
    links = link(corpus(one))
    assert _pairs(links) == {(_iri("sc-2024", "j01-i01"), _iri("sc-2024", "b01-i01"))}
    assert links[0].grade == "adapted"


def test_the_same_wording_across_notices_is_not_enough() -> None:
    prov = notice("sc-2024", SICHUAN, 2024, [Act("b01-i01", COUNTY_PLAN, [SC_QO])])
    city = notice("cd-2024", CHENGDU, 2024, [Act("b01-i01", CITY_PLAN, [CD_GOV])])
    assert link(corpus(prov, city)) == []


def test_a_list_takes_each_item_from_its_own_agency() -> None:
    one = notice("sc-2024", SICHUAN, 2024, [
        Act("b01-i01", "开展“计量便民服务日”活动，免费检定计量器具。", [SC_SAMR]),
        Act("b02-i01", "举办全省职工职业技能大赛活动，提升职工技能素质。", [SC_UNION]),
        _city("j01-i01", "组织开展计量便民服务日活动、组队参加职工职业技能大赛等活动。"),
    ])
    targets = {m.target for m in link(corpus(one)) if m.source == _iri("sc-2024", "j01-i01")}
    assert targets == {_iri("sc-2024", "b01-i01"), _iri("sc-2024", "b02-i01")}


def test_a_body_restating_an_agency_item_is_a_source_too() -> None:
    one = notice("sc-2024", SICHUAN, 2024, [
        Act("b00-i01", "严厉打击侵权假冒。开展“护品牌促发展”专项行动。", [SC_QO]),
        Act("b01-i01", "开展“护品牌促发展”专项行动，重点打击知识产权犯罪。", [SC_PS]),
        _city("j01-i01", "实施“铁拳”“护品牌促发展”等专项行动。"),
    ])
    targets = {m.target for m in link(corpus(one)) if m.source == _iri("sc-2024", "j01-i01")}
    assert targets == {_iri("sc-2024", "b00-i01"), _iri("sc-2024", "b01-i01")}


def test_a_year_written_as_a_year_is_no_evidence() -> None:
    assert plain_length("开展2024年") == plain_length("开展2024年度") == 2
    assert plain_length("开展昆仑2024") == 8  # a year inside a name counts
    prov = notice("sc-2024", SICHUAN, 2024, [Act("b01-i01", "开展2024年谷物干燥机质量调查。", [SC_SAMR])])
    city = notice("cd-2024", CHENGDU, 2024, [Act("b01-i01", "开展2024年旅游复核。", [CD_GOV])])
    assert link(corpus(prov, city)) == []


def test_kept_runs_are_the_letters_and_digits_of_every_code_point() -> None:
    """``normalize`` keeps runs of ``[^\\W_]``; that class must be exactly the Unicode
    categories L* and N* (``_keep``), for every code point this Python knows."""
    import sys

    from qmgraph.link.text import _KEPT_RUN, _keep

    differ = [c for c in range(sys.maxunicode + 1)
              if _keep(chr(c)) != bool(_KEPT_RUN.fullmatch(chr(c)))]
    assert differ == []


def test_normalize_drops_stock_phrases_punctuation_and_lowers_ascii_only() -> None:
    text = "2021年全国“质量月”活动，开展ＡＢ-Cd质量_宣传。"
    nt = normalize(text)
    assert nt.chars == "开展ＡＢcd质量宣传"
    assert [text[p] for p in nt.pos] == list("开展ＡＢCd质量宣传")


def test_activities_without_a_gram_link_nothing_and_do_not_fail() -> None:
    """Texts shorter than an n-gram (or all punctuation) give an index without grams."""
    nat = notice("cn-2022", NATION, 2022, [Act("b01-i01", "宣传", [SAMR])])
    sc = notice("sc-2022", SICHUAN, 2022, [Act("b01-i01", "。", [SC_SAMR])])
    assert link(corpus(nat, sc)) == []
    assert link(corpus()) == []



_PAIR_MASS = """
from qmgraph.link import LinkParams
from qmgraph.link.index import GramWeights
from qmgraph.link.score import score_pair
from qmgraph.link.text import grams, normalize
from qmgraph.model import Organization
from tests.link.factory import NATION, SAMR, SC_SAMR, SICHUAN, Act, corpus, notice

text = "组织开展质量基础设施一站式服务进企业进园区活动并推动检验检测机构开放日宣传"
c = corpus(notice("cn", NATION, 2022, [Act("b01-i01", text + "全国", [SAMR])]),
           notice("sc", SICHUAN, 2022, [Act("b01-i01", text + "全省", [SC_SAMR])]))
low, high = (a for n in sorted(c.notices, key=lambda n: n.key, reverse=True)
             for a in n.activities)
p = LinkParams()
nl, nh = normalize(low.text), normalize(high.text)
gl, gh = frozenset(grams(nl.chars, p.ngram)), frozenset(grams(nh.chars, p.ngram))
# weights of many magnitudes: a sum of them depends on the order it is taken in
weights = GramWeights({g: (0.1, 0.7, 0.3, 1e-3, 0.9)[k % 5] for k, g in enumerate(sorted(gl | gh))})
ps = score_pair(low, high, nl, nh, gl, gh, set(), set(), weights, p)
print(repr((ps.mass, ps.wcover, weights.total(gl))))
"""


def test_pair_mass_is_the_same_whatever_the_hash_seed() -> None:
    """A pair's IDF mass and weighted cover (which grade and rank it) are the same in every
    process: the weights of a set of grams are not summed in the set's order."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    got = {subprocess.run([sys.executable, "-c", _PAIR_MASS], check=True, cwd=root,
                          env={**os.environ, "PYTHONHASHSEED": str(seed)},
                          capture_output=True, text=True).stdout
           for seed in range(6)}
    assert len(got) == 1, got
