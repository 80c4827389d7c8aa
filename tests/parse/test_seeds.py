"""The structure of the five seed notices, counted by eye (issue: foundation, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.ingest import ingest_file
from qmgraph.parse import parse_notice

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _tree(prefix: str):
    (path,) = sorted(RAW.glob(f"{prefix}_*.txt"))
    return parse_notice(ingest_file(path))


def _orgs(tree, section_contains: str = ""):
    return [b for b in tree.blocks if b.kind == "organizer" and section_contains in b.section]


@pytest.fixture(scope="module")
def sichuan2022():
    return _tree("000")


@pytest.fixture(scope="module")
def sichuan2024():
    return _tree("001")


@pytest.fixture(scope="module")
def hainan2022():
    return _tree("002")


@pytest.fixture(scope="module")
def tianjin2022():
    return _tree("003")


@pytest.fixture(scope="module")
def national2022():
    return _tree("004")


def test_sichuan_2022_has_17_agency_blocks(sichuan2022):
    blocks = _orgs(sichuan2022)
    assert len(blocks) == 17
    assert blocks[0].name == "省市场监管局"
    assert blocks[14].name == "人行成都分行"
    assert sichuan2022.context_code == "510000"
    assert sichuan2022.year == 2022


def test_tianjin_2022_headers_items_and_districts(tianjin2022):
    orgs = _orgs(tianjin2022)
    assert len(orgs) == 16
    assert sum(len(b.items) for b in orgs) == 53
    assert [b.name for b in orgs][:2] == ["市市场监管委", "市国资委"]
    districts = [b for b in tianjin2022.blocks if b.kind == "jurisdiction"]
    assert len(districts) == 16
    assert districts[0].name == "和平区" and districts[-1].name == "滨海新区"
    assert all("bookmark" not in it.text for b in tianjin2022.blocks for it in b.items)


def test_sichuan_2024_blocks_slogans_and_no_web_residue(sichuan2024):
    assert len(_orgs(sichuan2024)) == 20
    cities = [b for b in sichuan2024.blocks if b.kind == "jurisdiction"]
    assert len(cities) == 21
    assert {"成都市", "阿坝州", "凉山州"} <= {b.name for b in cities}
    assert len(sichuan2024.slogans) == 13
    assert sichuan2024.issuer == "四川省质量强省建设协调推进领导小组办公室"
    assert sichuan2024.issued == "2024-08-26"
    assert sichuan2024.theme == "加强质量支撑 共建质量强省"
    assert sichuan2024.follows_national
    text = sichuan2024.source.text
    for residue in ("欢迎访问", "版权所有", "本站部分信息", "办公区", "住房城乡建设部..."):
        assert residue not in text


def test_hainan_2022_blocks_roster_slogans_doc_number(hainan2022):
    blocks = _orgs(hainan2022)
    assert len(blocks) == 17
    assert blocks[2].name == "省公安厅"  # "三、省公安厅围绕…": the name runs into the verb
    assert len(hainan2022.roster) == 21
    assert len(hainan2022.slogans) == 15
    assert hainan2022.doc_number == "琼质强省办〔2022〕8号"
    assert "国市监质发〔2022〕76号" in hainan2022.cited_doc_numbers
    assert hainan2022.issued == "2022-08-30"


def test_national_2022_blocks_roster_slogans(national2022):
    assert national2022.context_national
    assert len(_orgs(national2022, "联合主办单位")) == 16
    assert len(_orgs(national2022, "协会")) == 11
    assert len(_orgs(national2022, "企业")) == 20
    assert len(national2022.signatories) == 21
    assert "教育部" in national2022.signatories and "水利部" in national2022.signatories
    assert len(national2022.slogans) == 15
    assert national2022.doc_number == "国市监质发〔2022〕76号"
    assert national2022.title == "关于开展2022年全国“质量月”活动的通知"
    assert national2022.source.script == "traditional"
