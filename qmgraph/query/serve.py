"""A local SPARQL endpoint over the built graph: the ``oxigraph`` server from PyPI.

:func:`serve` loads the graph file into an Oxigraph store directory (a fresh temporary one
by default), starts ``oxigraph serve --union-default-graph`` on 127.0.0.1 and waits until it
answers; the returned :class:`ServedGraph` has the query, Graph Store and UI URLs and
``stop()``. ``qmgraph serve`` runs it in the foreground until Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from qmgraph.errors import StoreError
from qmgraph.graphfile import check_text_file

__all__ = ["ServedGraph", "free_port", "oxigraph_binary", "serve"]


def oxigraph_binary() -> str:
    """The ``oxigraph`` server CLI next to the running Python (a venv), else on PATH."""
    cand = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if cand.is_file() and os.access(cand, os.X_OK):
        return str(cand)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed (no 'oxigraph' next to "
                         f"{sys.executable} nor on PATH)",
                         hint="pip install oxigraph (it ships the server binary)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class ServedGraph:
    """A running ``oxigraph serve`` over a loaded graph (Popen-like: ``poll``/``wait``)."""

    proc: subprocess.Popen
    host: str
    port: int
    location: Path
    temporary: bool  #: the location is removed by :meth:`stop`
    triples: int = 0  #: quads in the store after loading

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    @property
    def ui_url(self) -> str:
        return self.base + "/"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def poll(self) -> int | None:
        return self.proc.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self.proc.wait(timeout)

    def stop(self, timeout: float = 5) -> None:
        """Terminate the server (SIGKILL after ``timeout``) and remove a temporary location."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        if self.temporary:
            shutil.rmtree(self.location, ignore_errors=True)

    def __enter__(self) -> ServedGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _check_port(host: str, port: int) -> None:
    """Refuse a port something already listens on (the probe would reach that server)."""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise StoreError(f"port {port} on {host} is in use ({exc.strerror})",
                             hint="pick another --port, or --port 0 for any free one") from exc


def _run(cmd: list[str], what: str, timeout: float) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"{what} took longer than {timeout:g} s") from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise StoreError(f"{what} failed (exit {done.returncode}): {err[-800:]}")


def _count(binary: str, location: Path, timeout: float) -> int:
    done = subprocess.run([binary, "query", "--location", str(location), "--query",
                           "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                           "--results-format", "tsv"],
                          capture_output=True, timeout=timeout, check=False)
    if done.returncode != 0:
        return 0
    lines = done.stdout.decode().split()
    try:
        return int(lines[-1].split("^^")[0].strip('"'))
    except (IndexError, ValueError):
        return 0


def serve(graph: str | Path, port: int = 7878, location: str | Path | None = None, *,
          host: str = "127.0.0.1", startup_timeout: float = 30, load_timeout: float = 600,
          log: int | None = subprocess.DEVNULL) -> ServedGraph:
    """Load ``graph`` into an Oxigraph store and start ``oxigraph serve`` on ``host:port``.

    ``location`` keeps the store in that directory (its previous content is replaced by
    the graph); by default a fresh temporary directory is used and removed by ``stop()`` —
    a copy of the store the build left beside the graph file when it was made from that
    file (``qmgraph.store``), else the file loaded anew.
    ``port`` 0 picks a free port. The default graph is the union of the named graphs, so
    ``qmgraph query --endpoint URL`` gives the same rows as the embedded store. Raises
    :class:`StoreError` when the binary is missing, the graph cannot be loaded, or the
    server does not answer within ``startup_timeout`` seconds (it is stopped then).
    """
    import urllib.request  # here, not at the top: ``qmgraph query`` need not pay for it

    binary = oxigraph_binary()
    g = Path(graph)
    if not g.is_file():
        raise StoreError("graph file not found", path=str(g),
                         hint="run qmgraph build first, or pass --graph FILE")
    check_text_file(g, "graph file")  # empty, binary, unreadable: say so before loading
    if port == 0:
        port = free_port(host)
    else:
        _check_port(host, port)
    temporary = location is None
    loc = Path(tempfile.mkdtemp(prefix="qmgraph-oxigraph-")) if temporary else Path(location)
    try:
        loc.mkdir(parents=True, exist_ok=True)
        if not temporary and any(loc.iterdir()):
            _run([binary, "update", "--location", str(loc), "--update", "DROP ALL"],
                 f"clearing the store in {loc}", load_timeout)
        from qmgraph.store import fresh_store

        built = fresh_store(g) if temporary else None
        if built is not None:  # a copy of the build's store: no parsing, and pushes to the
            # server never change the store the build left (its stamp would lie)
            shutil.copytree(built.path, loc, dirs_exist_ok=True)
        else:
            _run([binary, "load", "--location", str(loc), "--file", str(g)],
                 f"loading {g} into {loc}", load_timeout)
        triples = _count(binary, loc, load_timeout)
        cmd = [binary, "serve", "--location", str(loc), "--bind", f"{host}:{port}",
               "--union-default-graph"]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.PIPE)
    except BaseException:
        if temporary:
            shutil.rmtree(loc, ignore_errors=True)
        raise
    served = ServedGraph(proc, host, port, loc, temporary, triples)
    deadline = time.monotonic() + startup_timeout
    probe = served.query_url + "?query=ASK%7B%7D"
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
            served.stop()
            raise StoreError(f"oxigraph serve exited with {proc.returncode}: {err[-800:]}",
                             hint=f"is port {port} already in use? try --port")
        try:
            with urllib.request.urlopen(probe, timeout=1) as resp:
                if resp.status == 200 and proc.poll() is None:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            served.stop()
            raise StoreError(f"oxigraph serve did not answer on {served.base} within "
                             f"{startup_timeout:g} s")
        time.sleep(0.05)
    if proc.stderr is not None:  # don't let a full pipe block the server: drain it
        import threading

        def drain(stream=proc.stderr) -> None:
            for _ in iter(lambda: stream.read(65536), b""):
                pass

        threading.Thread(target=drain, daemon=True).start()
    return served


def run_foreground(served: ServedGraph) -> int:
    """Wait for the server until it exits or Ctrl-C / SIGTERM; then stop it cleanly."""
    stop = {"flag": False}

    def on_term(signum, frame) -> None:  # noqa: ARG001
        stop["flag"] = True
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        return served.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, old)
        served.stop()
