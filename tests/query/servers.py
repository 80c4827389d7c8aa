"""Helpers for the store tests: the seed graph and real ``oxigraph serve`` servers.

The fixtures built on them (``seed_graph``, ``server``, ``server_factory``, ``virtuoso``) are
in ``tests/conftest.py`` so that ``tests/query`` and ``tests/reliability`` share one seed graph
and one server per session."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"


def build_seed_graph(out: Path) -> Path:
    """``qmgraph.trig`` of the five seed notices in ``out``, built as the CLI builds it."""
    from qmgraph.api import build

    build([RAW], out, validate=False, formats=("trig",), cache=False)
    return out / "qmgraph.trig"


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI next to the running Python (the venv), else on PATH."""
    cand = Path(sys.executable).parent / "oxigraph"
    if cand.is_file():
        return str(cand)
    import shutil

    found = shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server CLI is not installed (pip install oxigraph)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``oxigraph serve``."""

    proc: subprocess.Popen
    base: str

    @property
    def store(self) -> str:
        return self.base + "/store"

    @property
    def query(self) -> str:
        return self.base + "/query"

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(location: Path, *, union: bool = True) -> Server:
    """Start ``oxigraph serve`` on a free port and wait until it answers a query."""
    port = free_port()
    cmd = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        cmd.append("--union-default-graph")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(proc, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 20
    url = server.query + "?query=ASK%7B%7D"
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            pytest.fail(f"oxigraph serve exited with {proc.returncode}: {err}")
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail("oxigraph serve did not answer within 20 s")
        time.sleep(0.05)
