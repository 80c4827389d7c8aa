"""The canned queries written for speed (one-pattern sub-selects joined by hashing,
docs/decisions/0019-query-speed.md) give exactly the rows of their plain formulations.

``tests/query/plain/*.rq`` are the queries as they were before that rewrite (patterns joined
directly in GRAPH blocks): the readable statement of what each question means. Both run on
the seed graph and on a small synthetic corpus spread over years, with the default
parameters and with parameters that select something; the rows must be equal as multisets.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from qmgraph.query import load_query, run_query
from qmgraph.query.canned import parse_query_file

from .samples import chain_starts, required_params

PLAIN = Path(__file__).parent / "plain"
PLAIN_NAMES = sorted(p.stem for p in PLAIN.glob("*.rq"))


def _params(name: str, graph: Path) -> list[dict[str, str]]:
    """Default parameters (with a value for each required one), and values taken from the
    graph itself that select some rows; activity-chain from every activity that mirrors
    something (its former default, decision 0031)."""
    q = load_query(name)
    need = required_params(name, graph)
    out: list[dict[str, str]] = [need]
    if "year" in q.params:
        years = sorted({r["year"] for r in run_query("implements-chain", graph=graph).rows
                        if r["year"]})
        out += [{**need, "year": y} for y in years[-1:]]
    if "province" in q.params:
        out.append({**need, "province": "四川省"})
        out.append({**need, "province": "460000", **({"year": "2022"} if "year" in q.params else {})})
    if "place" in q.params:
        out.append({**need, "place": "全国"})
    if "min_score" in q.params:
        out.append({**need, "min_score": "0.8"})
    if "min_copies" in q.params:
        out.append({**need, "min_copies": "3"})
    if "text" in q.params:
        out.append({**need, "text": "计量"})
    if "series" in q.params:
        out.append({**need, "series": "昆仑"})
    if "activity" in q.params:
        out += [{**need, "activity": a} for a in chain_starts(graph)]
    return out


def _rows(text_or_name, graph: Path, params: dict[str, str]) -> Counter:
    res = run_query(text_or_name, params=params, graph=graph)
    return Counter(tuple(r.get(c) for c in res.columns) for r in res.rows)


@pytest.fixture(scope="module")
def synthetic_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-notice synthetic corpus over five years, built once."""
    from qmgraph.pipeline import build
    from qmgraph.synth import generate

    root = tmp_path_factory.mktemp("plain-synth")
    generate(60, 7, root / "c", years=(2019, 2023))
    build([root / "c" / "notices"], root / "out", validate=False, formats=("trig",))
    return root / "out" / "qmgraph.trig"


def test_every_rewritten_query_has_its_plain_form() -> None:
    assert PLAIN_NAMES, "no plain formulations"
    for name in PLAIN_NAMES:
        assert load_query(name).params == parse_query_file(PLAIN / f"{name}.rq").params


@pytest.mark.parametrize("name", PLAIN_NAMES)
def test_same_rows_as_the_plain_query(name: str, seed_graph: Path, synthetic_graph: Path) -> None:
    plain = parse_query_file(PLAIN / f"{name}.rq")
    for graph in (seed_graph, synthetic_graph):
        for params in _params(name, graph):
            fast = _rows(name, graph, params)
            assert fast == _rows(plain, graph, params), (name, graph.parent.name, params)
    # at least one of the runs found rows (the comparison is not between two empty sets)
    assert any(_rows(name, g, required_params(name, g)) for g in (seed_graph, synthetic_graph))


def test_query_command_imports_no_rdflib(seed_graph: Path) -> None:
    """``qmgraph query`` loads only what a query needs: not rdflib, the parser or the
    synthesizer (they cost more than a second of start-up on a busy machine)."""
    code = ("import sys\nfrom qmgraph.cli import main\n"
            f"main(['query', 'summary', '--graph', {str(seed_graph)!r}, '--format', 'tsv'],"
            " standalone_mode=False)\n"
            "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'qmgraph.parse',"
            " 'qmgraph.synth', 'qmgraph.emit') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "notices in the corpus" in done.stdout
    assert "HEAVY []" in done.stdout


def test_lazy_commands_are_every_feature_command() -> None:
    from qmgraph.cli import LAZY_COMMANDS, main

    for name, load in LAZY_COMMANDS.items():
        assert name in {c.name for c in load()}, name
        for cmd in load():
            assert LAZY_COMMANDS.get(cmd.name) is load, cmd.name
    assert set(LAZY_COMMANDS) <= set(main.list_commands(None))  # type: ignore[arg-type]
