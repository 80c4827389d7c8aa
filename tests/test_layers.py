"""The package's layering (scripts/check_layers.py): no stage imports a later stage, and no
two parts import each other — checked on qmgraph itself and shown to catch breaches."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_layers.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_layers", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def test_qmgraph_keeps_its_layers() -> None:
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"qmgraph/__init__.py": "", **files}.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("files, expected", [
    # a stage importing a later stage, even lazily inside a function
    ({"qmgraph/parse/__init__.py": "def f():\n    from qmgraph.resolve import x\n",
      "qmgraph/resolve/__init__.py": "x = 1\n"}, "parse (parse) imports qmgraph.resolve"),
    # the lexicon importing a stage
    ({"qmgraph/lexicon/__init__.py": "import qmgraph.parse.blocks\n",
      "qmgraph/parse/__init__.py": "", "qmgraph/parse/blocks.py": ""},
     "lexicon (lexicon) imports qmgraph.parse.blocks"),
    # a relative import counts too
    ({"qmgraph/emit/__init__.py": "from ..validate import y\n",
      "qmgraph/validate/__init__.py": "y = 1\n"}, "emit (emit) imports qmgraph.validate"),
    # two foundation modules importing each other
    ({"qmgraph/model.py": "from qmgraph import namespaces\n",
      "qmgraph/namespaces.py": "from qmgraph.model import Thing\n"},
     "cycle between model, namespaces"),
    # a module in no layer
    ({"qmgraph/newthing.py": ""}, "part 'newthing' is in no layer"),
])
def test_breaches_are_found(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    problems = _checker().check(_package(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_earlier_stages_and_commands_are_fine(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "qmgraph/resolve/__init__.py": "from qmgraph.parse.blocks import SUBCOUNTY\n"
                                       "from qmgraph.lexicon import read_table\n",
        "qmgraph/parse/__init__.py": "", "qmgraph/parse/blocks.py": "SUBCOUNTY = 1\n",
        "qmgraph/lexicon/__init__.py": "from qmgraph.tables import read_table\n",
        "qmgraph/tables.py": "",
        # a command module anywhere is part of the CLI, above the API it calls
        "qmgraph/query/__init__.py": "", "qmgraph/query/cli.py": "from qmgraph.api import q\n",
        "qmgraph/api.py": "from qmgraph.query import run\nq = 1\n",
    })
    assert _checker().check(root) == []
