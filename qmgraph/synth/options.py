"""``build`` with the extraction options ``pipeline.build`` does not take yet.

``pipeline.extract_paths`` has ``jobs`` and ``cache``; until the lead threads them through
``pipeline.build`` (and ``qmgraph build --jobs N --cache DIR``), benchmarks and tests use
:func:`build_with`, which binds them for the duration of one build.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

from qmgraph import pipeline
from qmgraph.cache import NoticeCache


def build_with(inputs: Iterable[str | Path], out_dir: str | Path, *, jobs: int = 1,
               cache: NoticeCache | str | Path | None = None, **kwargs: Any
               ) -> pipeline.BuildResult:
    """``pipeline.build(inputs, out_dir, **kwargs)`` extracting with ``jobs`` and ``cache``."""
    bound = partial(pipeline.extract_paths, jobs=jobs, cache=cache)
    with mock.patch.object(pipeline, "extract_paths", bound):
        return pipeline.build(inputs, out_dir, **kwargs)
