"""``qmgraph serve``: load the graph into a local Oxigraph, serve it, query it, stop it."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.errors import StoreError
from qmgraph.query import run_query, serve
from qmgraph.query.serve import free_port, oxigraph_binary

pytestmark = pytest.mark.server


def test_serve_answers_like_the_embedded_store_and_stops_cleanly(seed_graph: Path) -> None:
    from qmgraph.cli import main

    served = serve(seed_graph, port=free_port())
    try:
        assert served.poll() is None and served.temporary and served.location.is_dir()
        assert served.triples > 0
        res = CliRunner().invoke(main, ["query", "campaign-spread", "--param", "campaign=昆仑2022",
                                        "--endpoint", served.query_url, "--format", "json"])
        assert res.exit_code == 0, res.output
        import json

        rows = [tuple(r[c] for c in json.loads(res.output)["columns"])
                for r in json.loads(res.output)["rows"]]
        assert rows == run_query("campaign-spread", params={"campaign": "昆仑2022"},
                                 graph=seed_graph).values()
        with urllib.request.urlopen(served.ui_url, timeout=5) as resp:  # the YASGUI page
            assert resp.status == 200
    finally:
        served.stop()
    assert served.poll() is not None
    assert not served.location.exists()


def test_serve_location_is_kept_and_replaced(seed_graph: Path, tmp_path: Path) -> None:
    loc = tmp_path / "store"
    with serve(seed_graph, port=0, location=loc) as first:
        n = first.triples
    assert loc.is_dir()
    with serve(seed_graph, port=0, location=loc) as second:  # loaded again: nothing doubled
        assert second.triples == n
        assert run_query("summary", endpoint=second.query_url).values() == \
            run_query("summary", graph=seed_graph).values()
    assert loc.is_dir()


def test_missing_binary_and_graph_are_clear_errors(tmp_path: Path, monkeypatch,
                                                   seed_graph: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StoreError, match="oxigraph server is not installed"):
        oxigraph_binary()
    monkeypatch.undo()
    with pytest.raises(StoreError, match="graph file not found"):
        serve(tmp_path / "none.trig", port=0)


def test_busy_port_is_a_clear_error(seed_graph: Path) -> None:
    with serve(seed_graph, port=0) as first:
        with pytest.raises(StoreError, match="port .* is in use"):
            serve(seed_graph, port=first.port, startup_timeout=10)


def test_cli_serve_prints_the_urls(seed_graph: Path) -> None:
    """Run the real command in a subprocess and stop it as Ctrl-C would."""
    import os
    import signal
    import subprocess
    import time

    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "qmgraph"), "serve", "--graph", str(seed_graph),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        line = proc.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}/query" in line
        assert f"http://127.0.0.1:{port}/store" in proc.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline().decode()
        assert run_query("summary", endpoint=f"http://127.0.0.1:{port}/query").rows
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, proc.stderr.read().decode()
    time.sleep(0.1)
    assert b"stopped" in proc.stderr.read()
