"""Command output as UTF-8, whatever encoding the locale gives stdout.

A C, ASCII or ``PYTHONIOENCODING=…:backslashreplace`` stdout would turn every Chinese label
into ``\\uXXXX`` escapes or an encoding error; machine-readable output (``--json``,
``--format csv|tsv|json``) is UTF-8 bytes by contract, so it bypasses the text layer.
"""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["echo_json", "echo_utf8"]


def echo_utf8(text: str, nl: bool = True) -> None:
    """Write ``text`` (and a newline) to stdout as UTF-8 bytes."""
    click.echo(text.encode("utf-8") + (b"\n" if nl else b""), nl=False)


def echo_json(obj: Any) -> None:
    """Write ``obj`` as indented JSON with Chinese as itself (UTF-8), not ``\\uXXXX``."""
    echo_utf8(json.dumps(obj, ensure_ascii=False, indent=2))
