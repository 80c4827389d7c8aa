"""Validation runs in a thread beside the writer (decision 0039): a failure of either is the
build's error, raised once both threads are over, with no half-written file and no store
that claims to match, and no thread left running."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qmgraph.emit.write
import qmgraph.validate.partition
from qmgraph.pipeline import build
from qmgraph.store import STORE_NAME, fresh_store

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
OUTPUTS = ("qmgraph.trig", "qmgraph.ttl", "mirrors.sssom.tsv")
WAIT = 120  # seconds: only a broken build waits that long (never the test's measure)


def _leftovers(out: Path) -> list[str]:
    """Partial files and a store being made: what a failed build must not leave."""
    return sorted(p.name for p in [*out.glob(".*.part"), *out.glob(f".{STORE_NAME}.tmp-*")])


def _writer_waiting_for(event: threading.Event, started: threading.Event
                        ) -> Callable[..., Any]:
    """The real ``write_chunks``, once ``started`` is set and ``event`` is."""
    real = qmgraph.emit.write.write_chunks

    def write_chunks(*args: Any, **kw: Any) -> Any:
        started.set()
        assert event.wait(WAIT), "validation never ran beside the writer"
        return real(*args, **kw)

    return write_chunks


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("qmgraph")]


def test_an_engine_failing_while_the_writer_runs_is_the_builds_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good"
    build([RAW], good, validate=False)
    writing, failed = threading.Event(), threading.Event()

    def broken(*args: Any, **kw: Any) -> Any:
        # the engine fails on the first group while the writer is at work
        assert writing.wait(WAIT), "the writer never started"
        failed.set()
        raise RuntimeError("engine broke")

    monkeypatch.setattr(qmgraph.emit.write, "write_chunks", _writer_waiting_for(failed, writing))
    monkeypatch.setattr(qmgraph.validate.partition, "validate", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="engine broke"):
        build([RAW], out)
    assert failed.is_set()
    assert _leftovers(out) == []
    # the files the writer finished are whole; no report, no store that claims to match
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (good / name).read_bytes()
    assert not (out / "validation-report.ttl").exists()
    assert not (out / "validation-report.txt").exists()
    assert fresh_store(out / "qmgraph.trig") is None
    assert _threads() == []


def test_a_writer_failing_while_validation_runs_is_the_builds_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checking, calls = threading.Event(), []
    real = qmgraph.validate.partition.validate

    def engine(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        checking.set()
        return real(*args, **kw)

    def broken(*args: Any, **kw: Any) -> Any:
        assert checking.wait(WAIT), "validation never started"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(qmgraph.validate.partition, "validate", engine)
    monkeypatch.setattr(qmgraph.emit.write, "write_chunks", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        build([RAW], out)
    assert calls and _leftovers(out) == []
    assert not any((out / name).exists() for name in (*OUTPUTS, "validation-report.ttl"))
    assert fresh_store(out / "qmgraph.trig") is None
    assert _threads() == []
    # the next build, nothing broken, makes everything
    monkeypatch.undo()
    build([RAW], out)
    assert fresh_store(out / "qmgraph.trig") is not None
    assert (out / "validation-report.txt").is_file()



def test_validating_after_writing_gives_the_same_bytes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A build over ``OVERLAP_MAX_GRAPHS`` validates after writing, in the build's thread:
    the same outputs, listings included, as beside the writer."""
    import qmgraph.pipeline as pipeline
    from qmgraph.store import ANSWERS_NAME

    beside = build([RAW], tmp_path / "beside", record_listings=True)
    monkeypatch.setattr(pipeline, "OVERLAP_MAX_GRAPHS", 0)
    after = build([RAW], tmp_path / "after", record_listings=True)
    assert beside.timings["validate"] > 0 and after.timings["validate wait"] == 0
    for name in (*OUTPUTS, "validation-report.ttl", "validation-report.txt"):
        assert (tmp_path / "beside" / name).read_bytes() == (tmp_path / "after" / name).read_bytes()
    recorded = [{p.name: p.read_bytes() for p in (d / STORE_NAME / ANSWERS_NAME).iterdir()}
                for d in (tmp_path / "beside", tmp_path / "after")]
    assert recorded[0] == recorded[1] and recorded[0]
