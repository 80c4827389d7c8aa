"""Fixtures shared by ``tests/query`` and ``tests/reliability``: the seed graph (built once per
session), a real ``oxigraph serve`` (and a factory for extra ones), and a real Virtuoso.

Helpers live in ``tests/query/servers.py`` and ``tests/query/virtuoso.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.query.servers import Server, build_seed_graph, start_server


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--generate-snapshots", action="store_true", default=False,
                     help="(Re)write tests/cases/*/expected.ttl from the graphs built now; "
                     "without it a missing snapshot fails.")


@pytest.fixture(scope="session")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``qmgraph.trig`` of the five seed notices, built once per session."""
    return build_seed_graph(tmp_path_factory.mktemp("seed-graph"))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One oxigraph server for the session, union default graph on."""
    srv = start_server(tmp_path_factory.mktemp("oxigraph-db"), union=True)
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start extra servers for one test (stopped at its end)."""
    started: list[Server] = []

    def make(*, union: bool = True) -> Server:
        srv = start_server(tmp_path / f"db{len(started)}", union=union)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """A Virtuoso 7 from Debian on free 127.0.0.1 ports (dba/dba); skips if not installed."""
    from tests.query.virtuoso import VirtuosoUnavailable, start_virtuoso

    try:
        srv = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except VirtuosoUnavailable as exc:
        pytest.skip(str(exc))
    yield srv
    srv.stop()
