"""Fixtures of the viz tests: the hand-made dataset, also written as a TriG file."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.viz.load import Facts, load_facts
from tests.viz.dataset import viz_dataset


@pytest.fixture(scope="session")
def trig_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vizdata") / "qmgraph.trig"
    viz_dataset().serialize(path, format="trig", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def facts(trig_path: Path) -> Facts:
    return load_facts(trig_path)
