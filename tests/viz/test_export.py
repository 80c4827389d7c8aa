"""GraphML and GEXF: UTF-8, Chinese labels intact, networkx can read them back."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from qmgraph.viz import VIEWS, to_networkx, write_gexf, write_graphml
from qmgraph.viz.load import Facts
from tests.viz import dataset as D


@pytest.mark.parametrize("view", VIEWS)
def test_graphml_round_trip(facts: Facts, tmp_path: Path, view: str) -> None:
    g = to_networkx(facts, view)
    path = write_graphml(g, tmp_path / f"{view}.graphml")
    raw = path.read_bytes()
    assert raw.startswith(b"<?xml") and b"utf-8" in raw.lower()[:60]
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    for n, d in g.nodes(data=True):
        assert back.nodes[n]["label"] == d["label"]
        assert back.nodes[n]["kind"] == d["kind"]


def test_graphml_keeps_chinese_and_mirror_scores(facts: Facts, tmp_path: Path) -> None:
    path = write_graphml(to_networkx(facts, "lineage"), tmp_path / "l.graphml")
    assert "四川省公安厅" in path.read_text(encoding="utf-8")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.nodes[str(D.A_PROV)]["text"] == D.PROV_TEXT
    e = back.get_edge_data(str(D.A_PROV), str(D.A_NAT1))["mirrors"]
    assert e["score"] == pytest.approx(0.87) and e["grade"] == "adapted"


def test_graphml_is_deterministic(facts: Facts, tmp_path: Path) -> None:
    a = write_graphml(to_networkx(facts, "campaigns"), tmp_path / "a.graphml").read_bytes()
    b = write_graphml(to_networkx(D.viz_dataset(), "campaigns"), tmp_path / "b.graphml")
    assert a == b.read_bytes()


@pytest.mark.parametrize("view", VIEWS)
def test_gexf_written_and_readable(facts: Facts, tmp_path: Path, view: str) -> None:
    g = to_networkx(facts, view)
    path = write_gexf(g, tmp_path / f"{view}.gexf")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "lastmodifieddate" not in text  # no run-dependent date
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(g.nodes)
    for n, d in g.nodes(data=True):
        assert back.nodes[n]["label"] == d["label"]


def test_export_safe_joins_lists_and_drops_none(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", label="公安部", tags=["甲", "乙"], missing=None, flag=True)
    g.add_node("b", label="水利部")
    g.add_edge("a", "b", key="x", kind="x", nums=(1, 2))
    back = nx.read_graphml(write_graphml(g, tmp_path / "x.graphml"), force_multigraph=True)
    assert back.nodes["a"]["tags"] == "甲、乙" and "missing" not in back.nodes["a"]
    assert back.nodes["a"]["flag"] == 1
    write_gexf(g, tmp_path / "x.gexf")
