"""Readers: one per kind of file, chosen by content first and extension second.

A reader turns raw bytes into ``RawDocument`` (the text as published, before
normalization). Register new kinds with ``@register(name, sniff)``; ``pick_reader`` asks
every sniffer, so a .txt that is really HTML is read as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from qmgraph.errors import InputError
from qmgraph.ingest.decode import decode_bytes


@dataclass
class RawDocument:
    text: str
    encoding: str
    reader: str
    meta: dict[str, str] = field(default_factory=dict)


Reader = Callable[[bytes, str], RawDocument]
Sniffer = Callable[[bytes, str], bool]

#: name → (sniffer, reader); order matters: the first sniffer that says yes wins.
READERS: dict[str, tuple[Sniffer, Reader]] = {}


def register(name: str, sniff: Sniffer):
    """Decorator: add a reader under ``name`` with a content/extension sniffer."""

    def deco(fn: Reader) -> Reader:
        READERS[name] = (sniff, fn)
        return fn

    return deco


def pick_reader(data: bytes, path: str) -> tuple[str, Reader]:
    for name, (sniff, reader) in READERS.items():
        if name != "text" and sniff(data, path):
            return name, reader
    return "text", READERS["text"][1]


def read_document(data: bytes, path: str) -> RawDocument:
    """Read ``data`` (the bytes of ``path``) with the reader its content calls for."""
    if not data:
        raise InputError("empty file", path=path)
    _name, reader = pick_reader(data, path)
    return reader(data, path)


@register("text", lambda data, path: True)
def read_text(data: bytes, path: str) -> RawDocument:
    text, enc = decode_bytes(data, path)
    return RawDocument(text=text, encoding=enc, reader="text")


def _load_optional_readers() -> None:
    """Import the readers for published formats (html, docx, pdf, doc) when present."""
    import importlib

    for mod in ("html", "docx", "pdf", "doc"):
        try:
            importlib.import_module(f"qmgraph.ingest.formats.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("qmgraph.ingest.formats"):
                continue
            raise


_load_optional_readers()
