"""The persistent store a build leaves beside its files: same quads as the graph file,
opened by query / viz / push instead of parsing, ignored when older than the file, and the
whole-graph answers the build records equal to running the query, after a cached rebuild too."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from qmgraph.pipeline import build
from qmgraph.query import run_query
from qmgraph.query.run import clear_cache, embedded_store
from qmgraph.query.store import read_graphs
from qmgraph.store import STAMP_NAME, STORE_NAME, fresh_store, open_graph, recorded_answer

SEEDS = Path(__file__).resolve().parents[2] / "data" / "raw"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store")
    build([SEEDS], out, validate=False, formats=("trig",))
    return out


def _parsed(path: Path) -> ox.Store:
    st = ox.Store()
    st.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return st


def test_build_leaves_a_store_of_its_graph(built: Path) -> None:
    assert (built / STORE_NAME / "db").is_dir() and (built / STORE_NAME / STAMP_NAME).is_file()
    st = open_graph(built / "qmgraph.trig")
    assert st is not None
    assert set(st) == set(_parsed(built / "qmgraph.trig"))


def test_query_reads_the_store_and_the_record(built: Path) -> None:
    clear_cache()
    graph = built / "qmgraph.trig"
    store = embedded_store(graph)
    assert store is not None and fresh_store(graph) is not None
    from qmgraph.query import bind, load_query

    text = bind(load_query("summary"), None)
    recorded = recorded_answer(graph, text)  # the build counted from its chunks
    assert recorded is not None and recorded["query"] == "summary"
    again = run_query("summary", graph=graph)  # read from the record
    sols = list(_parsed(graph).query(text, use_default_graph_as_union=True))
    assert [(r["order"], r["metric"], r["value"]) for r in again.rows] == \
        [(s["order"].value, s["metric"].value, s["value"].value) for s in sols]
    assert isinstance(again.typed[0]["value"], int)
    # an ad-hoc query is never kept
    run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", graph=graph)
    assert len(fresh_store(graph).stamp["answers"]) == 1  # type: ignore[union-attr]


def test_no_record_for_another_summary_text(built: Path, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    """The counts answer the summary.rq they were written for: a build whose summary.rq
    says something else records nothing (the query then runs on the store)."""
    import qmgraph.counts

    monkeypatch.setattr(qmgraph.counts, "SUMMARY_DIGEST", "0" * 64)
    build([SEEDS], tmp_path, validate=False, formats=("trig",))
    info = fresh_store(tmp_path / "qmgraph.trig")
    assert info is not None and info.stamp["answers"] == {}


def test_summary_digest_is_that_of_the_query() -> None:
    """Editing queries/summary.rq means checking qmgraph/counts.py's rows still answer it,
    then updating SUMMARY_DIGEST (the record test above compares the two)."""
    from qmgraph.counts import SUMMARY_DIGEST
    from qmgraph.query import bind, load_query
    from qmgraph.store import query_digest

    assert query_digest(bind(load_query("summary"), None)) == SUMMARY_DIGEST


def test_older_store_is_ignored(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    out.mkdir()
    build([SEEDS], out, validate=False, formats=("trig",))
    graph = out / "qmgraph.trig"
    assert fresh_store(graph) is not None
    # a hand edit after the build: the store no longer holds what the file says
    with graph.open("a", encoding="utf-8") as fh:
        fh.write('\n<urn:x:s> <urn:x:p> "edited" .\n')
    os.utime(graph, ns=(graph.stat().st_atime_ns, graph.stat().st_mtime_ns + 10**9))
    assert fresh_store(graph) is None and open_graph(graph) is None
    clear_cache()
    text = 'SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o }'
    assert run_query(text + "\n", graph=graph).rows == [{"o": "edited"}]
    assert recorded_answer(graph, text) is None


def test_push_reads_the_file_as_written(built: Path) -> None:
    """The store keeps values, not lexical forms ("0.4560"^^xsd:decimal comes back as
    "0.456"): push sends the terms of the file, so it parses the file."""
    graph = built / "qmgraph.trig"
    scores = {str(t.object) for ts in read_graphs(graph).values() for t in ts
              if t.predicate.value.endswith("#score")}
    assert any(s.startswith('"0.') and len(s.split('"')[1]) == 6 for s in scores)


def test_viz_facts_from_the_store(built: Path, tmp_path: Path) -> None:
    from qmgraph.viz.load import load_facts

    plain = tmp_path / "plain.trig"
    plain.write_bytes((built / "qmgraph.trig").read_bytes())
    a, b = load_facts(built / "qmgraph.trig"), load_facts(plain)
    assert sorted(a.entities) == sorted(b.entities)


def test_no_graph_file_no_store(tmp_path: Path) -> None:
    build([SEEDS], tmp_path, validate=False, formats=("jsonld",))
    assert not (tmp_path / STORE_NAME).exists()


def test_rebuild_changes_only_the_changed_graphs(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached rebuild after editing one notice reloads that notice's graph (and the
    shared graph if it changed), and the store still holds exactly the file's quads."""
    from qmgraph.synth import generate

    generate(12, 4, tmp_path / "c", prose_share=0)
    src = tmp_path / "c" / "notices"
    out = tmp_path / "out"
    first = build([src], out, validate=False, formats=("trig",), cache=True)
    # a full load the first time: every notice's graph and the shared graph
    assert first.reuse["store graphs loaded"] == first.counts["notices"] + 1
    victim = sorted(src.glob("*.txt"))[-1]
    victim.write_text(victim.read_text(encoding="utf-8").replace("开展", "组织开展", 1),
                      encoding="utf-8")
    import qmgraph.counts

    counted: list[int] = []
    real = qmgraph.counts.chunk_counts
    monkeypatch.setattr(qmgraph.counts, "chunk_counts", lambda d: counted.append(1) or real(d))
    second = build([src], out, validate=False, formats=("trig",), cache=True)
    assert 1 <= second.reuse["store graphs loaded"] <= 3
    assert len(counted) == second.reuse["store graphs loaded"]  # the others' counts are kept
    st = open_graph(out / "qmgraph.trig")
    assert st is not None and set(st) == set(_parsed(out / "qmgraph.trig"))
    # the recorded counts are those of the rebuilt graph: only the changed chunks were
    # counted again, the others' counts came from graph-counts.marshal
    from qmgraph.query import bind, load_query

    clear_cache()
    text = bind(load_query("summary"), None)
    assert recorded_answer(out / "qmgraph.trig", text) is not None
    sols = _parsed(out / "qmgraph.trig").query(text, use_default_graph_as_union=True)
    assert [r["value"] for r in run_query("summary", graph=out / "qmgraph.trig").rows] == \
        [s["value"].value for s in sols]
    # removing a notice drops its graph from the store
    victim.unlink()
    third = build([src], out, validate=False, formats=("trig",), cache=True)
    st = open_graph(out / "qmgraph.trig")
    assert st is not None and set(st) == set(_parsed(out / "qmgraph.trig"))
    clear_cache()
    sols = _parsed(out / "qmgraph.trig").query(text, use_default_graph_as_union=True)
    assert [r["value"] for r in run_query("summary", graph=out / "qmgraph.trig").rows] == \
        [s["value"].value for s in sols]
    # (every link score follows the corpus's gram weights: graphs with links change too)
    assert third.counts["notices"] == first.counts["notices"] - 1


def test_a_store_that_fails_is_the_builds_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is loaded in a thread while the build writes and validates: its failure is
    the build's typed error (exit 2 from the CLI), and no store is left that claims to match
    the file, nor a half-made one."""
    import qmgraph.store
    from qmgraph.errors import QmgraphError

    build([SEEDS], tmp_path, validate=False, formats=("trig",))
    assert fresh_store(tmp_path / "qmgraph.trig") is not None

    def broken(store: ox.Store, pending: list[bytes]) -> None:
        raise RuntimeError("disk said no")

    monkeypatch.setattr(qmgraph.store, "_bulk_load_chunks", broken)
    with pytest.raises(QmgraphError, match="could not write the store: disk said no"):
        build([SEEDS], tmp_path, formats=("trig",))
    assert fresh_store(tmp_path / "qmgraph.trig") is None
    assert not list(tmp_path.glob(f".{STORE_NAME}.tmp-*"))
    # the next build makes the store again
    monkeypatch.undo()
    build([SEEDS], tmp_path, validate=False, formats=("trig",))
    st = open_graph(tmp_path / "qmgraph.trig")
    assert st is not None and set(st) == set(_parsed(tmp_path / "qmgraph.trig"))


def test_a_store_of_any_suffix_the_graph_readers_know(built: Path, tmp_path: Path) -> None:
    """write_store reads the suffix → format table of qmgraph.graphfile, not one of its own."""
    from qmgraph.graphfile import FORMATS
    from qmgraph.store import write_store

    quads = _parsed(built / "qmgraph.trig")
    graph = tmp_path / "graph.nquads"
    assert FORMATS[graph.suffix] == ox.RdfFormat.N_QUADS
    graph.write_bytes(quads.dump(format=ox.RdfFormat.N_QUADS))
    write_store(graph, tmp_path)
    st = open_graph(graph)
    assert st is not None and set(st) == set(quads)
