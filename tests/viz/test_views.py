"""The networkx views on the hand-made dataset: node kinds, edges, attributes, determinism."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from qmgraph.viz import VIEWS, to_networkx
from qmgraph.viz.load import Facts, load_facts
from tests.viz import dataset as D


def kinds(g: nx.MultiDiGraph) -> Counter[str]:
    return Counter(d["kind"] for _, d in g.nodes(data=True))


def edges_of(g: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in g.edges(keys=True) if k == kind}


def test_hierarchy_nation_to_district_with_agencies(facts: Facts) -> None:
    g = to_networkx(facts, "hierarchy")
    assert kinds(g) == {"jurisdiction": 4, "agency": 5}
    # direct parents only, although qm:partOf lists every ancestor
    assert edges_of(g, "contains") == {(str(D.CN), str(D.SC)), (str(D.SC), str(D.CD)),
                                       (str(D.CD), str(D.WH))}
    assert (str(D.WH), str(D.WH_GOV)) in edges_of(g, "has_organization")
    assert (str(D.SC_PS), str(D.MPS)) in edges_of(g, "counterpart")
    assert g.nodes[str(D.WH)]["label"] == "武侯区"
    assert g.nodes[str(D.WH)]["level"] == "county"
    assert g.nodes[str(D.SC_PS)]["sector"] == "公安"


def test_lineage_mirrors_carry_score_and_grade(facts: Facts) -> None:
    g = to_networkx(facts, "lineage")
    assert kinds(g) == {"activity": 4, "agency": 5}
    m = g.edges[str(D.A_PROV), str(D.A_NAT1), "mirrors"]
    assert m["score"] == pytest.approx(0.87) and m["grade"] == "adapted"
    assert m["evidence"] == D.EVIDENCE1 and m["link"] == str(D.L1)
    assert g.edges[str(D.A_WH), str(D.A_NAT2), "mirrors"]["grade"] == "verbatim"
    a = g.nodes[str(D.A_PROV)]
    assert a["text"] == D.PROV_TEXT and a["campaigns"] == "昆仑2022" and a["year"] == 2022
    assert a["level"] == "provincial" and a["organizers"] == "四川省公安厅"
    assert a["notice_label"].startswith("关于开展2022年四川省")
    assert (str(D.A_PROV), str(D.SC_SAMR)) in edges_of(g, "co_organizer")


def test_campaigns_link_campaigns_places_and_bodies(facts: Facts) -> None:
    g = to_networkx(facts, "campaigns")
    k = kinds(g)
    assert k["campaign"] == 1 and k["series"] == 1 and k["quality-month"] == 2
    assert k["jurisdiction"] == 2 and k["agency"] >= 3
    ran = edges_of(g, "ran_in")
    assert {(str(D.KUNLUN), str(D.CN)), (str(D.KUNLUN), str(D.SC))} <= ran
    assert (str(D.KUNLUN), str(D.KUNLUN_S)) in edges_of(g, "in_series")
    assert (str(D.KUNLUN), str(D.SC_PS)) in edges_of(g, "run_by")
    assert (str(D.ED_PROV), str(D.ED_NAT)) in edges_of(g, "implements")
    assert g.edges[str(D.KUNLUN), str(D.SC), "ran_in"]["activities"] == 1


@pytest.mark.parametrize("view", VIEWS)
def test_attributes_are_export_safe(facts: Facts, view: str) -> None:
    g = to_networkx(facts, view)
    for _, d in g.nodes(data=True):
        assert d["label"] and d["kind"]
        assert all(isinstance(v, str | int | float) for v in d.values()), d
    for _, _, d in g.edges(data=True):
        assert all(isinstance(v, str | int | float) for v in d.values()), d


@pytest.mark.parametrize("view", VIEWS)
def test_deterministic_order(trig_path: Path, view: str) -> None:
    a, b = to_networkx(trig_path, view), to_networkx(D.viz_dataset(), view)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_inputs_path_dataset_store(trig_path: Path) -> None:
    store = ox.Store()
    store.bulk_load(path=str(trig_path), format=ox.RdfFormat.TRIG)
    n = {len(load_facts(x).entities) for x in (trig_path, D.viz_dataset(), store)}
    assert len(n) == 1


def test_unknown_view(facts: Facts) -> None:
    with pytest.raises(ValueError, match="hierarchy"):
        to_networkx(facts, "nope")
