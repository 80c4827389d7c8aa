"""Issue 20 on the seeds: canned queries that do not depend on the store's default graph,
places given as a code or a name, counterparts through vertical branches, evidence columns."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from qmgraph.errors import QueryError
from qmgraph.query import list_queries, run_query
from qmgraph.query.canned import bind
from qmgraph.query.run import Result, embedded_store

from .samples import every_chain, required_params

NAMES = [q.name for q in list_queries()]

#: Gold pairs established by reading the seed notices: (province code, national joint
#: organizer, the branch serving the province that reports activities in its notice).
BRANCH_GOLD = [
    ("460000", "海关总署", "海口海关"),
    ("460000", "中国人民银行", "中国人民银行海口中心支行"),
    ("510000", "海关总署", "成都海关"),
    ("510000", "中国人民银行", "中国人民银行成都分行"),
]


def _without_union(seed_graph: Path, name: str) -> Result:
    """``name`` on the embedded store with an empty default graph (named graphs only)."""
    q = next(q for q in list_queries() if q.name == name)
    res = embedded_store(seed_graph).query(bind(q, required_params(name, seed_graph)),
                                           use_default_graph_as_union=False)
    assert isinstance(res, ox.QuerySolutions)
    cols = [v.value for v in res.variables]
    rows = [{c: (None if s[c] is None else s[c].value) for c in cols} for s in res]
    return Result(cols, rows)


@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_names_its_graphs(seed_graph: Path, name: str) -> None:
    union = run_query(name, params=required_params(name, seed_graph), graph=seed_graph)
    plain = _without_union(seed_graph, name)
    assert union.rows, name
    assert plain.columns == union.columns
    assert plain.values() == union.values()


@pytest.mark.parametrize("code,national,branch", BRANCH_GOLD)
def test_counterparts_reach_vertical_branches(seed_graph: Path, code: str, national: str,
                                              branch: str) -> None:
    rows = run_query("counterpart-reporting", params={"province": code}, graph=seed_graph).rows
    mine = [r for r in rows if r["national_agency"] == national]
    assert any(r["provincial_agency"] == branch and r["reported"] == "true"
               and int(r["activities"] or 0) >= 1 for r in mine), mine
    assert all(r["provincial_agency"] for r in mine), "no empty counterpart row left"


@pytest.mark.parametrize("name,param,code,zh", [
    ("counterpart-reporting", "province", "510000", "四川省"),
    ("provincial-mirrors-national", "province", "460000", "海南"),
    ("local-mirrors-provincial", "province", "510000", "四川"),
    ("activity-search", "place", "510100", "成都市"),
    ("joint-organizers", "place", "460000", "海南省"),
    ("jurisdiction-tree", "root", "120000", "天津市"),
])
def test_a_place_as_code_or_name_gives_the_same_rows(seed_graph: Path, name: str, param: str,
                                                     code: str, zh: str) -> None:
    need = required_params(name, seed_graph)
    by_code = run_query(name, params={param: code, **need}, graph=seed_graph)
    by_name = run_query(name, params={param: zh, **need}, graph=seed_graph)
    assert by_code.rows and by_code.values() == by_name.values()


def test_nation_by_name(seed_graph: Path) -> None:
    rows = run_query("joint-organizers", params={"place": "全国", "year": "2022"}, graph=seed_graph).rows
    assert rows and {r["place"] for r in rows} == {"中华人民共和国"}


@pytest.mark.parametrize("params,message", [
    ({"province": "火星省"}, "no place called"),
    ({"province": "999999"}, "not a division code"),
    ({"province": "成都市"}, "is not a province"),
])
def test_unknown_or_wrong_places_are_refused(seed_graph: Path, params: dict[str, str],
                                             message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run_query("counterpart-reporting", params=params, graph=seed_graph)


def test_ambiguous_place_exits_2_with_the_candidates(seed_graph: Path) -> None:
    from qmgraph.cli import main

    res = CliRunner().invoke(main, ["query", "activity-search", "--graph", str(seed_graph),
                                    "--param", "text=质量", "--param", "place=朝阳区"])
    assert res.exit_code == 2
    assert "ambiguous" in res.output and "110105" in res.output and "220104" in res.output


@pytest.mark.parametrize("name", ["provincial-mirrors-national", "local-mirrors-provincial",
                                  "activity-chain"])
def test_lineage_queries_return_evidence_and_offsets(seed_graph: Path, name: str) -> None:
    res = run_query(name, params=required_params(name, seed_graph), graph=seed_graph)
    for col in ("score", "grade", "evidence", "source_start", "source_end", "target_start",
                "target_end"):
        assert col in res.columns
    rows = every_chain(seed_graph) if name == "activity-chain" else res.rows
    assert rows and all(r["evidence"] and r["grade"] and r["score"] for r in rows)
    for r in rows:
        assert int(r["source_start"]) <= int(r["source_end"])
        assert int(r["target_start"]) <= int(r["target_end"])
