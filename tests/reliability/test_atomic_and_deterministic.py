"""Nothing half-written, and the same inputs give byte-identical outputs in any order."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from rdflib import Dataset

from qmgraph.pipeline import build

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
OUTPUTS = ("qmgraph.trig", "qmgraph.ttl", "mirrors.sssom.tsv")


def _read(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_two_builds_and_any_input_order_are_byte_identical(tmp_path: Path):
    files = sorted(RAW.glob("*.txt"))
    build(files, tmp_path / "a", validate=False)
    build(list(reversed(files)), tmp_path / "b", validate=False)
    # the same files under another folder, named in another order
    other = tmp_path / "elsewhere"
    other.mkdir()
    for f in reversed(files):
        shutil.copy(f, other / f.name)
    build([other], tmp_path / "c", validate=False)
    a, b, c = _read(tmp_path / "a"), _read(tmp_path / "b"), _read(tmp_path / "c")
    assert a == b == c
    assert b"/tmp" not in a["qmgraph.trig"]  # no machine paths in the graph


KILLER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import qmgraph.emit.write as w

    orig_atomic = w.atomic_write
    def slow_atomic(path, write):
        def half_then_hang(tmp):
            write(tmp)
            data = Path(tmp).read_bytes()
            Path(tmp).write_bytes(data[: len(data) // 2])
            print("WRITING", flush=True)
            time.sleep(60)
        orig_atomic(path, half_then_hang)
    w.atomic_write = slow_atomic
    from qmgraph.pipeline import build
    build([sys.argv[1]], sys.argv[2], validate=False)
    """
)


def test_build_killed_mid_write_leaves_previous_outputs_intact(tmp_path: Path):
    out = tmp_path / "out"
    build([RAW], out, validate=False)
    before = _read(out)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(RAW), str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.time() + 120
        line = ""
        while time.time() < deadline and "WRITING" not in line:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise AssertionError(proc.stderr.read())
        assert any(p.name.endswith(".part") for p in out.iterdir())  # it really was mid-write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _read(out) == before
    build([RAW], out, validate=False)  # the next build sweeps the dead run's .part files
    assert not any(p.name.endswith(".part") for p in out.iterdir())
    ds = Dataset()
    ds.parse(out / "qmgraph.trig", format="trig")  # still loadable
    assert len(ds) > 1000
