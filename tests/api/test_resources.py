"""qmgraph finds its own files through qmgraph.resources only: packaged, or in a checkout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qmgraph import resources

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_root():
    resources.resource_root.cache_clear()
    yield
    resources.resource_root.cache_clear()


def test_checkout_folders_are_found() -> None:
    assert resources.resource_root() == REPO
    assert (resources.data_dir() / "divisions.csv").is_file()
    assert sorted(resources.shapes_dir().glob("*.ttl"))
    assert (resources.queries_dir() / "summary.rq").is_file()
    assert sorted(resources.qc_dir().glob("*-violation.rq"))
    assert resources.ontology_file().is_file()
    assert len(list(resources.seeds_dir().glob("*.txt"))) == 5


def test_packaged_copy_wins_over_the_checkout(tmp_path: Path, monkeypatch, fresh_root) -> None:
    pkg = tmp_path / "qmgraph"
    for name in resources.FOLDERS:
        shutil.copytree(REPO / name, pkg / "_resources" / name,
                        ignore=shutil.ignore_patterns("out", "raw"))
    monkeypatch.setattr(resources._ilr, "files", lambda name: pkg)
    assert resources.resource_root() == pkg / "_resources"
    assert resources.shapes_dir() == pkg / "_resources" / "shapes"


def test_neither_packaged_nor_checkout_is_a_typed_error(tmp_path: Path, monkeypatch,
                                                        fresh_root) -> None:
    (tmp_path / "site" / "qmgraph" / "_resources" / "shapes").mkdir(parents=True)  # incomplete
    monkeypatch.setattr(resources._ilr, "files", lambda name: tmp_path / "site" / "qmgraph")
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "site" / "qmgraph" / "resources.py"))
    with pytest.raises(resources.ResourcesMissing, match="data files") as err:
        resources.resource_root()
    assert err.value.exit_code == 2 and "reinstall" in err.value.hint


def test_no_module_computes_paths_to_the_source_tree() -> None:
    """Every path to ontology/ shapes/ queries/ data/ goes through qmgraph.resources."""
    pattern = re.compile(r'/\s*"(data|shapes|queries|ontology)"')
    offenders = []
    for f in sorted((REPO / "qmgraph").rglob("*.py")):
        if f.name == "resources.py":
            continue
        for no, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{f.relative_to(REPO)}:{no}: {line.strip()}")
    assert offenders == []


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "qmgraph", "query", "--list"], cwd="/",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "provincial-mirrors-national" in done.stdout
