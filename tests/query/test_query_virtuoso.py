"""The same code against a second, independent store: Virtuoso 7 from Debian.

Push with the Graph Store Protocol (``graph-uri``, ``/sparql-graph-crud-auth``, digest auth
dba/dba), counts verified; every canned query run on ``/sparql`` (whose default graph is
the union of all graphs) gives exactly the embedded rows; pushing again doubles nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.query import list_queries, push, run_query, run_sparql
from qmgraph.query.store import read_graphs
from tests.query.samples import chain_starts, required_params
from tests.query.test_query_canned import ECHO, HOSTILE

pytestmark = pytest.mark.server

NAMES = [q.name for q in list_queries()]
#: Virtuoso keeps system graphs of its own (virtrdf:, …): count only qmgraph's.
COUNT_OURS = ('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } '
              'FILTER (STRSTARTS(STR(?g), "https://w3id.org/qmgraph/")) }')


def _push(virtuoso, seed_graph: Path):
    return push(seed_graph, virtuoso.store, param_name="graph-uri", auth=virtuoso.auth,
                auth_scheme="digest", timeout=60)


@pytest.fixture(scope="module")
def pushed(virtuoso, seed_graph: Path):
    return _push(virtuoso, seed_graph)


def _ours(virtuoso) -> int:
    return int(run_sparql(COUNT_OURS, endpoint=virtuoso.query).rows[0]["n"])


def test_push_with_digest_auth_loads_and_verifies(pushed, virtuoso, seed_graph: Path) -> None:
    graphs = read_graphs(seed_graph)
    assert pushed.ok, pushed.to_table()
    assert pushed.loaded == list(graphs)
    assert [g.stored for g in pushed.graphs] == [len(t) for t in graphs.values()]
    assert _ours(virtuoso) == sum(len(t) for t in graphs.values())
    assert virtuoso.version.startswith("Version 7.")


def test_repush_doubles_nothing(pushed, virtuoso, seed_graph: Path) -> None:
    before = _ours(virtuoso)
    again = _push(virtuoso, seed_graph)
    assert again.ok and all(g.verified for g in again.graphs)
    assert _ours(virtuoso) == before == sum(len(t) for t in read_graphs(seed_graph).values())


@pytest.mark.parametrize("name", NAMES)
def test_every_canned_query_gives_the_embedded_rows(pushed, virtuoso, seed_graph: Path,
                                                    name: str) -> None:
    params = required_params(name, seed_graph)
    embedded = run_query(name, params=params, graph=seed_graph)
    remote = run_query(name, params=params, endpoint=virtuoso.query, timeout=60)
    assert remote.columns == embedded.columns
    assert remote.values() == embedded.values()
    assert remote.rows


@pytest.mark.parametrize("name,params", [
    ("provincial-mirrors-national", {"year": "2022", "province": "460000", "min_score": "0.5"}),
    ("campaign-spread", {"campaign": "昆仑2022"}),
    ("jurisdiction-tree", {"root": "120000"}),
    ("counterpart-reporting", {"province": "460000"}),
    ("counterpart-reporting", {"province": "四川省"}),
    ("activity-search", {"text": "质量", "place": "成都市"}),
    ("activity-chain", {}),
    ("joint-organizers", {"year": "2022"}),
    ("activity-search", {"text": "昆仑", "year": "2022"}),
    # Virtuoso 7.2.5 could not compile the former formulation with ?year filtered (SQ156
    # 'Bad dfe in sqlo_place_exp'); the one-pattern sub-selects of 0019 it answers
    ("counterpart-reporting", {"year": "2022"}),
])
def test_parameters_give_the_embedded_rows(pushed, virtuoso, seed_graph: Path, name: str,
                                           params: dict[str, str]) -> None:
    params = {**required_params(name, seed_graph), **params}
    embedded = run_query(name, params=params, graph=seed_graph)
    remote = run_query(name, params=params, endpoint=virtuoso.query, timeout=60)
    assert remote.values() == embedded.values()
    assert remote.rows


def test_chains_of_many_activities_give_the_embedded_rows(pushed, virtuoso,
                                                           seed_graph: Path) -> None:
    """activity-chain starts from the activity given (docs/decisions/0031): every tenth start
    of the seeds, chains of one to four steps, the same rows on Virtuoso."""
    starts = chain_starts(seed_graph)
    for start in starts[::10]:
        params = {"activity": start}
        embedded = run_query("activity-chain", params=params, graph=seed_graph)
        remote = run_query("activity-chain", params=params, endpoint=virtuoso.query, timeout=60)
        assert remote.values() == embedded.values(), start
        assert remote.rows, start


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_literals_on_virtuoso(pushed, virtuoso, tmp_path: Path,
                                                  value: str) -> None:
    before = _ours(virtuoso)
    echo = tmp_path / "echo.rq"
    echo.write_text(ECHO, encoding="utf-8")
    assert run_query(echo, params={"v": value}, endpoint=virtuoso.query).values() == [(value,)]
    assert run_query("activity-search", params={"text": value}, endpoint=virtuoso.query).rows == []
    assert _ours(virtuoso) == before


def test_cli_push_and_query_against_virtuoso(pushed, virtuoso, seed_graph: Path) -> None:
    from qmgraph.cli import main

    runner = CliRunner()
    res = runner.invoke(main, ["push", "--store", virtuoso.store, "--graph", str(seed_graph),
                               "--param-name", "graph-uri", "--user", "dba", "--password", "dba",
                               "--auth", "digest"])
    assert res.exit_code == 0, res.output
    n = len(read_graphs(seed_graph))
    assert f"{n} of {n} graphs loaded" in res.output and "MISMATCH" not in res.output
    res = runner.invoke(main, ["query", "campaign-spread", "--param", "campaign=昆仑2022",
                               "--endpoint", virtuoso.query, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "海南省公安厅" in res.output and "公安部" in res.output


def test_wrong_password_is_refused_and_loads_nothing(pushed, virtuoso, seed_graph: Path) -> None:
    from qmgraph.query import PushError

    before = _ours(virtuoso)
    with pytest.raises(PushError, match="HTTP 401"):
        push(seed_graph, virtuoso.store, param_name="graph-uri", auth=("dba", "wrong"),
             auth_scheme="digest", retries=0, timeout=10)
    assert _ours(virtuoso) == before
