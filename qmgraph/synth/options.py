"""``build`` with explicit extraction options (``jobs``, a ``NoticeCache`` or folder).

``pipeline.build`` takes them directly now (``qmgraph build --jobs N --cache``); this thin
wrapper stays for the benchmarks and tests that pass a cache object around.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qmgraph import pipeline
from qmgraph.cache import NoticeCache


def build_with(inputs: Iterable[str | Path], out_dir: str | Path, *, jobs: int = 1,
               cache: NoticeCache | str | Path | None = None, **kwargs: Any
               ) -> pipeline.BuildResult:
    """``pipeline.build(inputs, out_dir, **kwargs)`` extracting with ``jobs`` and ``cache``."""
    return pipeline.build(inputs, out_dir, jobs=jobs, cache=cache or False, **kwargs)
