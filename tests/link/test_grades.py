"""Issue 20: what a grade means. "verbatim" only when the lower text is (nearly) all copied
from a higher text of comparable length; a short item found inside a long list is "adapted"."""

from __future__ import annotations

from qmgraph.link import link
from qmgraph.link.params import LinkParams
from qmgraph.link.score import verdict

from .factory import NATION, SAMR, SC_SAMR, SICHUAN, Act, corpus, notice

ITEM = "开展质量基础设施“一站式”服务“惠百城助万企”行动，推动工业产品质量技术帮扶“提质强企”行动落地见效。"
LIST = ITEM + (
    "组织开展计量便民服务日、电梯安全宣传周、有机产品认证宣传周、服务认证体验周等系列活动，"
    "举办全国品牌故事大赛、质量标杆经验交流、QC小组优秀成果发布交流和质量管理数字化培训，"
    "加强重点工业产品质量安全监管，严厉打击制售假冒伪劣商品违法行为，曝光一批典型案例。"
)


def _grade(low_text: str, high_text: str) -> tuple[str, float]:
    nat = notice("cn-2022", NATION, 2022, [Act("b01-i01", high_text, [SAMR])])
    sc = notice("sc-2022", SICHUAN, 2022, [Act("b01-i01", low_text, [SC_SAMR])])
    links = link(corpus(nat, sc))
    assert len(links) == 1
    return links[0].grade, links[0].score


def test_a_whole_copy_is_verbatim() -> None:
    grade, _ = _grade("认真落实：" + ITEM, ITEM)
    assert grade == "verbatim"


def test_a_short_item_inside_a_long_list_is_adapted() -> None:
    grade, _ = _grade(ITEM, LIST)
    assert grade == "adapted"


def test_a_long_list_quoting_a_short_item_is_adapted() -> None:
    grade, _ = _grade(LIST, ITEM)
    assert grade == "adapted"


def test_length_ratio_rule_in_verdict() -> None:
    p = LinkParams()
    args = (p, 40, 1.0, 1.0, 30.0, 40, 1.0, False, True, True)
    assert verdict(*args)[1] == "verbatim"
    assert verdict(*args, long_len=50)[1] == "verbatim"
    assert verdict(*args, long_len=200)[1] == "adapted"
    # the score does not depend on the grade rule
    assert verdict(*args, long_len=200)[0] == verdict(*args)[0]


STOCK = "营造政府重视质量、企业追求质量、社会崇尚质量、人人关心质量的良好氛围"


def test_evidence_made_only_of_a_stock_phrase_makes_no_link() -> None:
    """The 天津 launch ceremony and the national 提升全民质量素养 item share only the stock
    purpose clause of data/stock_phrases.tsv: no evidence, no link."""
    nat = notice("cn-2022", NATION, 2022, [Act(
        "b01-i06", "提升全民质量素养。深入开展质量进企业、进校园、进社区活动，" + STOCK + "。", [SAMR])])
    sc = notice("sc-2022", SICHUAN, 2022, [Act(
        "b01-i01", "举办启动仪式，邀请市领导出席现场活动，" + STOCK + "。", [SC_SAMR])])
    assert link(corpus(nat, sc)) == []


def test_a_pair_left_unaligned_is_one_no_alignment_could_grade() -> None:
    """``score_pair(graded_only=True)`` skips aligning a pair whose features could not be
    graded even by a perfect alignment; on every scored pair of a synthetic corpus its
    grade (and for graded pairs its whole score) is the full scoring's."""
    from qmgraph.link.index import Hierarchy, NgramIndex
    from qmgraph.link.mirrors import collect
    from qmgraph.link.score import score_pair
    from qmgraph.synth.corpus import SynthSpec, synthetic_corpus

    c = synthetic_corpus(SynthSpec(provinces=2, cities_per_province=2, seed=5)).corpus
    acts, years = collect(c)
    p = LinkParams()
    idx = NgramIndex.build(acts, years, Hierarchy(c.jurisdictions), p)
    seen = skipped = 0
    for i in range(len(acts)):
        for hs in idx.candidates(i).values():
            for h in hs:
                args = (acts[i], acts[h], idx.norms[i], idx.norms[h], idx.gramsets[i],
                        idx.gramsets[h], idx.camps[i], idx.camps[h], idx.weights, p)
                full, quick = score_pair(*args), score_pair(*args, graded_only=True)
                seen += 1
                assert quick.grade == full.grade
                if quick.grade is not None:
                    assert quick == full
                elif quick.align == 0.0 and full.align > 0.0:
                    skipped += 1
    assert seen > 100 and skipped > 0
