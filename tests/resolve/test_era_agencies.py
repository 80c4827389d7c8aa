"""The agencies of the 2005–2018 era resolve to a sector at every level they occur.

``era_agencies.tsv`` lists names of that era (卫生局, 安监局, 国土资源厅, 经贸委, 质监分局,
江门检验检疫局 …) with the sector each must get; ``scripts/audit_agencies.py`` resolves
them as a national, provincial, city and county notice writes them (decision 0043).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from qmgraph.lexicon.places import Gazetteer
from qmgraph.resolve.organizations import OrganizationResolver

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).with_name("era_agencies.tsv")


def _audit_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_agencies",
                                                  ROOT / "scripts" / "audit_agencies.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_era_name_gets_its_sector_at_every_level() -> None:
    audit = _audit_module()
    assert len(audit.rows(TABLE)) > 100
    assert audit.audit(TABLE) == []


@pytest.mark.parametrize(("surface", "code", "key", "label", "counterpart"), [
    ("江门市卫生局", "440700", "440700/health", "江门市卫生局", "440000/health"),
    ("市安监局", "440700", "440700/work-safety", "江门市安全生产监督管理局",
     "440000/work-safety"),
    ("县人事局", "440823", "440823/personnel", "遂溪县人事局", "440800/personnel"),
    ("省劳动保障厅", "440000", "440000/labour-social-security", "广东省劳动和社会保障厅",
     "cn/labour-social-security"),
    ("市旅游局", "440700", "440700/tourism", "江门市旅游局", "440000/tourism"),
])
def test_legacy_agency_keeps_its_era_name_and_counterpart(
        surface: str, code: str, key: str, label: str, counterpart: str) -> None:
    gaz = Gazetteer.load()
    org = OrganizationResolver(gaz).resolve(surface, gaz.get(code))
    assert (org.key, org.label, org.counterpart) == (key, label, counterpart)


def test_coexisting_predecessors_stay_apart() -> None:
    """Bodies that existed side by side before a merger keep separate keys (0043)."""
    gaz = Gazetteer.load()
    res = OrganizationResolver(gaz)
    city = gaz.get("440700")
    pairs = [("市人事局", "市劳动和社会保障局"), ("市文化局", "市旅游局"),
             ("市国土资源局", "市规划局"), ("市卫生局", "市人口和计划生育委员会"),
             ("市经贸委", "市信息产业局"), ("市发展和改革局", "市物价局"),
             ("市国税局", "市地税局"), ("市质监局", "市工商局")]
    for a, b in pairs:
        assert res.resolve(a, city).key != res.resolve(b, city).key, (a, b)


_ERA_NOTICE = """江门市{issuer}关于开展{year}年“质量月”活动的通知

各有关单位：
　　一、9月5日，由江门市{issuer}主办，江门市{carrier}承办，在江门市体育中心举办{what}咨询活动。
江门市{issuer}
{year}年8月20日
"""


@pytest.mark.parametrize("names", [("a", "b"), ("b", "a")])
def test_a_folded_body_is_labelled_by_todays_name_whatever_file_comes_first(
        tmp_path: Path, names: tuple[str, str]) -> None:
    """A 2009 江门市卫生局 and a 2021 江门市卫生健康局 are one node (folded, 0043); its
    label is today's name, the era's an alternative, not the name of whichever file sorts
    first (the rule campaigns follow too)."""
    from qmgraph.pipeline import resolve_paths

    (tmp_path / f"{names[0]}.txt").write_text(_ERA_NOTICE.format(
        issuer="质量技术监督局", year=2009, carrier="卫生局", what="质量"), encoding="utf-8")
    (tmp_path / f"{names[1]}.txt").write_text(_ERA_NOTICE.format(
        issuer="市场监督管理局", year=2021, carrier="卫生健康局", what="食品安全"),
        encoding="utf-8")
    corpus = resolve_paths([tmp_path])
    org = corpus.organizations["440700/health"]
    assert org.label == "江门市卫生健康局"
    assert "江门市卫生局" in corpus.org_surfaces["440700/health"]
