"""Notice-level lineage stated in the text: cited doc numbers and cited titles."""

from __future__ import annotations

from pathlib import Path

from qmgraph.pipeline import build


def test_cited_title_without_doc_number_links_the_higher_notice(tmp_path: Path):
    d = tmp_path / "gd"
    d.mkdir()
    (d / "prov.txt").write_text(
        "广东省市场监督管理局关于开展2021年全省“质量月”活动的通知\n各地级以上市市场监管局：\n"
        "现就开展2021年全省“质量月”活动有关事项通知如下：\n一、主要活动\n"
        "（一）省市场监管局举办全省“质量月”启动仪式。\n广东省市场监督管理局\n2021年8月20日\n",
        encoding="utf-8")
    (d / "city.txt").write_text(
        "深圳市市场监督管理局关于开展2021年全市“质量月”活动的通知\n各区市场监管局：\n"
        "根据广东省市场监督管理局《关于开展2021年全省“质量月”活动的通知》部署，"
        "现就开展2021年全市“质量月”活动有关事项通知如下：\n一、主要活动\n"
        "（一）市市场监管局举办全市“质量月”启动仪式。\n深圳市市场监督管理局\n2021年8月25日\n",
        encoding="utf-8")
    corpus = build([d], tmp_path / "out", validate=False).corpus
    by_place = {n.jurisdiction.code: n for n in corpus.notices}
    assert by_place["440300"].implements == [by_place["440000"].key]
    assert by_place["440000"].implements == []
