"""The seed graph built once for tests/api with the public API."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"


@pytest.fixture(scope="package")
def built(tmp_path_factory: pytest.TempPathFactory):
    """``qmgraph.build`` of the seeds (no cache) and its output folder."""
    import qmgraph

    out = tmp_path_factory.mktemp("api-out")
    return qmgraph.build(RAW, out=out, cache=False)
