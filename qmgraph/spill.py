"""A build's spill store: what a build made and needs again later, kept on disk, not in RAM.

A build makes things once and reads them again stages later: the full notices (read per
link window, 64 kB each in memory), each notice graph's own triples (read when its chunk
is made) and the chunks themselves (read by the store, the writer, the counts and
validation). Held in memory they made a build's peak grow with the corpus (2.2 GB at
10,000 notices, 7.7 GB at 55,698); spilled, a build holds only what the stage at hand
works on (docs/decisions/0027-bounded-memory.md).

:class:`Spill` is one append-only temporary file and an index of where each entry is.
The file is unlinked as soon as it is made (nothing is left behind by a build that fails
or is killed) and closed by :meth:`Spill.close` (a ``with`` block). Reads use ``os.pread``
(no shared file position), so another thread may read entries while the build appends.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Hashable
from pathlib import Path
from typing import Any

__all__ = ["Spill"]


class Spill:
    """Bytes and pickled objects by key, in one unlinked temporary file."""

    def __init__(self, folder: str | Path | None = None) -> None:
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
        self.folder = str(folder) if folder is not None else tempfile.gettempdir()
        self._fh = tempfile.TemporaryFile(prefix=".qmgraph-spill-", dir=folder)
        self._fd = self._fh.fileno()
        self._end = 0
        self._index: dict[Hashable, tuple[int, int]] = {}
        self._lock = threading.Lock()  # appends only: reads need none (pread)

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop every entry: the file's space is freed. A read after it fails (it never
        returns another file's bytes)."""
        with self._lock:
            self._index.clear()
            self._fd = -1
            self._fh.close()

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._end

    def __contains__(self, key: Hashable) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def put(self, key: Hashable, data: bytes) -> None:
        """Keep ``data`` under ``key`` (a later put of the same key replaces it)."""
        with self._lock:
            if self._fd < 0:
                raise ValueError("the spill is closed")
            at = self._end
            view = memoryview(data)
            while view:
                try:
                    n = os.pwrite(self._fd, view, at + len(data) - len(view))
                except OSError as exc:
                    from qmgraph.errors import QmgraphError

                    raise QmgraphError(
                        f"could not write the build's spill file: {exc.strerror or exc}",
                        path=self.folder,
                        hint="a build needs about its N-Quads' size free beside the outputs "
                             "(docs/decisions/0027)") from exc
                view = view[n:]
            self._end += len(data)
            self._index[key] = (at, len(data))

    def get(self, key: Hashable) -> bytes:
        """The bytes kept under ``key`` (KeyError when none are)."""
        at, n = self._index[key]
        if self._fd < 0:
            raise ValueError("the spill is closed")
        parts = []
        while n:
            got = os.pread(self._fd, n, at)
            if not got:
                raise OSError(f"spill file truncated at {at}")
            parts.append(got)
            at, n = at + len(got), n - len(got)
        return b"".join(parts) if len(parts) != 1 else parts[0]

    def put_object(self, key: Hashable, obj: Any) -> None:
        self.put(key, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def get_object(self, key: Hashable) -> Any:
        return pickle.loads(self.get(key))
