"""The build's spill store (``qmgraph.spill``): what it keeps comes back whole, it can be
read from another thread while the build appends, and it is gone when a build ends, even
one that fails."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from qmgraph.emit import LazyChunks
from qmgraph.spill import Spill


def test_round_trip_of_bytes_and_objects(tmp_path: Path) -> None:
    with Spill(tmp_path) as spill:
        spill.put("a", b"first")
        spill.put(("chunk", "g"), b"")
        spill.put_object(("notice", 3), {"key": "k", "list": [1, 2.5, None]})
        big = os.urandom(3 * 2**20)
        spill.put("big", big)
        spill.put("a", b"replaced")  # a later put wins
        assert spill.get("a") == b"replaced"
        assert spill.get(("chunk", "g")) == b""
        assert spill.get_object(("notice", 3)) == {"key": "k", "list": [1, 2.5, None]}
        assert spill.get("big") == big
        assert "a" in spill and "b" not in spill and len(spill) == 4
        assert spill.size == len(b"first") + len(big) + len(b"replaced") + \
            len(spill.get(("notice", 3)))
        with pytest.raises(KeyError):
            spill.get("b")
    assert not list(tmp_path.iterdir())  # nothing named was ever left in the folder


def test_reads_from_another_thread_while_appending(tmp_path: Path) -> None:
    with Spill(tmp_path) as spill:
        for i in range(200):
            spill.put(i, bytes([i % 256]) * (i * 97))
        bad: list[int] = []

        def read() -> None:
            for _ in range(5):
                for i in range(200):
                    if spill.get(i) != bytes([i % 256]) * (i * 97):
                        bad.append(i)

        t = threading.Thread(target=read)
        t.start()
        for i in range(200, 2000):
            spill.put(i, b"x" * 1000)
        t.join()
        assert bad == []


def test_closing_frees_the_file(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    spill.put("a", b"x" * 10_000)
    fd = spill._fd
    spill.close()
    with pytest.raises(OSError):
        os.fstat(fd)  # the unlinked file is closed: its space is freed


def test_lazy_chunks_keep_made_chunks_in_the_spill(tmp_path: Path) -> None:
    made: list[str] = []

    def maker(g: str):
        def make() -> bytes:
            made.append(g)
            return g.encode() * 3
        return make

    with Spill(tmp_path) as spill:
        chunks = LazyChunks({g: maker(g) for g in ("b", "a", "c")}, spill)
        assert list(chunks) == ["a", "b", "c"] and chunks.loaded == 0
        assert chunks["b"] == b"bbb" and chunks["b"] == b"bbb"
        assert made == ["b"]  # made once, then read back from the spill
        assert chunks._made == {} and ("chunk", "b") in spill
        chunks.release(["b"])  # spilled chunks hold no memory: nothing to let go
        assert chunks["b"] == b"bbb" and made == ["b"] and chunks.loaded == 1


def test_a_failing_build_closes_its_spill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qmgraph.pipeline as pipeline
    from qmgraph.errors import QmgraphError

    opened: list[Spill] = []
    closed: list[Spill] = []
    real_init, real_close = Spill.__init__, Spill.close

    def init(self: Spill, folder: str | Path | None = None) -> None:
        real_init(self, folder)
        opened.append(self)

    def close(self: Spill) -> None:
        closed.append(self)
        real_close(self)

    def fail(*_a: object, **_k: object) -> list:
        raise QmgraphError("linking failed on purpose")

    monkeypatch.setattr(Spill, "__init__", init)
    monkeypatch.setattr(Spill, "close", close)
    monkeypatch.setattr(pipeline, "_link", fail)
    with pytest.raises(QmgraphError):
        pipeline.build(["data/raw"], tmp_path / "out", validate=False)
    assert len(opened) == 1 and closed == opened
    assert opened[0].size > 0  # it held the notices made
    assert not [p for p in (tmp_path / "out").iterdir() if "spill" in p.name]


def test_a_full_disk_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    """No space left for the spill: a typed error naming the folder and what it needs."""
    import errno
    import os

    from qmgraph.errors import QmgraphError

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with Spill(tmp_path) as spill:
        monkeypatch.setattr(os, "pwrite", full)
        with pytest.raises(QmgraphError) as err:
            spill.put("k", b"data")
    assert str(tmp_path) in str(err.value.path) and "free" in err.value.hint


def test_reads_after_close_fail(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    spill.put("k", b"data")
    spill.close()
    with pytest.raises((KeyError, ValueError)):
        spill.get("k")
