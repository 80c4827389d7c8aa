"""Content-hash cache of extracted notices, so unchanged inputs are not re-extracted.

An entry is the pickled :class:`qmgraph.model.ExtractedNotice` of one file, stored under
``<cache dir>/<version>/<key[:2]>/<key>.pickle``. The key is the sha256 of the file's path
as given and its raw bytes (the path is part of the output: ``SourceText.path``); the
version (:func:`code_version`) hashes the code and data tables extraction reads and the
library versions, so editing any of them starts a fresh version directory and a stale
entry is never read. A corrupt or unreadable entry is a miss. Writes are atomic
(temporary file + rename), so concurrent builds never see half an entry.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from qmgraph.model import ExtractedNotice
from qmgraph.resources import data_dir

_ROOT = Path(__file__).resolve().parents[1]
_PACKAGES = ("tables.py", "levels.py", "lexicon", "ingest", "parse", "extract", "resolve")
DEFAULT_CACHE_DIR = Path("data/out/.cache")


def library_versions(*dists: str) -> list[str]:
    """The installed versions of ``dists`` ("" for one without metadata: a missing
    distribution only weakens a cache key), for keys of what those libraries decide."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in dists:
        try:
            out.append(version(dist))
        except PackageNotFoundError:
            out.append("")
    return out


@functools.lru_cache(maxsize=8)
def code_version(packages: tuple[str, ...] = _PACKAGES) -> str:
    """sha256 (hex, 16 chars) of everything that decides what extraction produces (or
    what the given subpackages and modules of ``qmgraph`` produce)."""
    h = hashlib.sha256()
    files = [_ROOT / "qmgraph" / "model.py", _ROOT / "qmgraph" / "namespaces.py"]
    for pkg in packages:  # a subpackage, or one module ("state.py")
        where = _ROOT / "qmgraph" / pkg
        files += [where] if pkg.endswith(".py") else sorted(where.rglob("*.py"))
    data = data_dir()  # the checkout's data/ or the wheel's copy: both lie under _ROOT
    files += sorted([*data.glob("*.tsv"), *data.glob("*.csv")])
    for f in files:
        h.update(str(f.relative_to(_ROOT)).encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    # script conversion, slugs, serializing
    for v in library_versions("opencc", "pypinyin", "pyoxigraph"):
        h.update(v.encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:16]


class NoticeCache:
    """Pickled ``ExtractedNotice`` s keyed by (path, bytes) under one code version."""

    def __init__(self, directory: str | Path = DEFAULT_CACHE_DIR, version: str | None = None):
        self.root = Path(directory)
        self.version = version or code_version()
        self.dir = self.root / self.version
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(path: str | Path, data: bytes) -> str:
        """sha256 hex of the path as given and the file's bytes."""
        h = hashlib.sha256(str(path).encode("utf-8"))
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> ExtractedNotice | None:
        """The cached notice, or None (missing, corrupt or of another type)."""
        obj = load_pickle(self._file(key), ExtractedNotice)
        if obj is None:
            self.misses += 1
        else:
            self.hits += 1
        return obj

    def put(self, key: str, notice: ExtractedNotice) -> None:
        """Store ``notice`` atomically; failures to write are ignored (the cache is optional)."""
        dump_atomic(self._file(key), notice)


def load_pickle(path: Path, kind: type, more: int = 0) -> Any:
    """The ``kind`` object pickled first in ``path``; None (a miss) when missing, unreadable
    or foreign. ``more``: (the object, [the next ``more`` objects of the file]) — see
    :func:`dump_atomic` —, or None."""
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
            if not isinstance(obj, kind):
                return None
            return (obj, [pickle.load(fh) for _ in range(more)]) if more else obj
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss
        return None


def load_sealed(path: Path) -> Any:
    """The object pickled in the sealed file ``path``; None when missing or damaged."""
    data = read_sealed(path)
    try:
        return pickle.loads(data) if data is not None else None
    except Exception:  # noqa: BLE001 - unreadable: a miss
        return None


def read_sealed(path: Path) -> bytes | None:
    """The data sealed in ``path`` (:func:`write_sealed`); None when missing or damaged."""
    try:
        return unseal(path.read_bytes())
    except OSError:
        return None


def digest(*parts: str | bytes) -> str:
    """A short stable hash of ``parts`` (file names for cached chunks, keys of kept results)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def dump_atomic(path: Path, obj: object, *more: object) -> None:
    """Pickle ``obj`` to the cache file ``path`` (atomically, see :func:`_replace`); each
    of ``more`` is pickled after it in the same file, to be read only when wanted
    (:func:`load_pickle` reads ``obj``)."""
    _replace(path, b"".join(pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL)
                            for o in (obj, *more)))


def dump_sealed(path: Path, obj: object) -> None:
    """Pickle ``obj`` to the sealed cache file ``path`` (read back by :func:`load_sealed`)."""
    write_sealed(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def write_sealed(path: Path, data: bytes) -> None:
    """Write ``seal(data)`` to the cache file ``path`` (atomically, see :func:`_replace`)."""
    _replace(path, seal(data))


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a reader sees
    the old file or the whole new one. A file system that refuses is ignored: caches are
    optional (the entry is a miss next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def seal(data: bytes) -> bytes:
    """``data`` with a CRC-32 trailer, for a cache file read back by :func:`unseal`."""
    return data + zlib.crc32(data).to_bytes(4, "big")


def unseal(blob: bytes) -> bytes | None:
    """The data :func:`seal` stored, or None when the file is damaged (a cache miss)."""
    data, tail = blob[:-4], blob[-4:]
    if len(blob) < 4 or zlib.crc32(data).to_bytes(4, "big") != tail:
        return None
    return data
