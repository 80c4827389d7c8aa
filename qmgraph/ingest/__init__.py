"""Stage 1, ingest: a file's bytes → ``SourceText`` (decoded, normalized, offset-mapped).

``ingest_file(path)`` is the entry point; ``ingest_bytes`` does the same for bytes in
memory. The original text is kept beside the normalized one, and ``SourceText.offsets``
maps every normalized character back to it.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from pathlib import Path

from qmgraph.errors import InputError
from qmgraph.ingest.normalize import _needs_conversion, _to_simplified, normalize_lines
from qmgraph.ingest.readers import read_document
from qmgraph.model import SourceText

#: Files larger than this are refused with a clear error instead of exhausting memory.
MAX_BYTES = 20 * 1024 * 1024


def ingest_bytes(data: bytes, path: str) -> SourceText:
    """Decode, normalize and offset-map one document given as bytes."""
    _check_size(len(data), path)
    raw = read_document(data, path)
    # Only plain text and PDF text carry paragraphs cut by page or line breaks.
    text, offsets, dropped = normalize_lines(raw.text, rejoin=raw.reader in ("text", "pdf", "doc"))
    if not text.strip():
        raise InputError("no text left after removing page residue", path=path)
    return SourceText(
        path=path, content_hash=hashlib.sha256(data).hexdigest(), encoding=raw.encoding,
        original=raw.text, text=text, offsets=array("I", offsets),
        script="traditional" if _looks_traditional(raw.text) else "simplified",
        reader=raw.reader, dropped=dropped, meta=dict(raw.meta))


def _check_size(size: int, path: str) -> None:
    if size > MAX_BYTES:
        raise InputError(f"file is {size / 1e6:.0f} MB; notices are well under "
                         f"{MAX_BYTES // 2**20} MB — is this a whole site dump or a binary?",
                         path=path)


def ingest_file(path: str | Path) -> SourceText:
    """Read ``path`` from disk and ingest it; errors name the file."""
    p = Path(path)
    if p.is_dir():  # a folder that could not be listed (``pipeline.expand_inputs``)
        try:
            os.listdir(p)
        except OSError as exc:
            raise InputError(f"cannot read this folder ({exc.strerror or exc}); none of its "
                             "files was built", path=str(path),
                             hint="check the folder's permissions") from exc
        raise InputError("a folder, not a notice file", path=str(path))
    try:
        _check_size(p.stat().st_size, str(path))  # before reading: a dump should cost nothing
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    return ingest_bytes(data, source_name(path))


def source_name(path: str | Path) -> str:
    """The path a notice's ``SourceText.path`` keeps: the name of an absolute path, a
    relative path as given (what the outputs show)."""
    p = Path(path)
    return p.name if p.is_absolute() else str(path)


def _looks_traditional(original: str) -> bool:
    """True when OpenCC changed a sizeable share of Han characters (≥ 3%)."""
    sample = original[:5000]
    if len(sample) == len(original) and not _needs_conversion(original):
        return False  # OpenCC changes nothing (asked once already by normalize_lines)
    conv = _to_simplified(sample)  # length-preserving, so positions line up
    if conv == sample:
        return False  # nothing changed (the usual simplified notice): no need to count
    han = changed = 0
    for a, b in zip(sample, conv, strict=True):
        if "\u4e00" <= a <= "\u9fff":
            han += 1
            changed += a != b
    return bool(han) and changed / han >= 0.03


__all__ = ["ingest_bytes", "ingest_file", "MAX_BYTES"]
