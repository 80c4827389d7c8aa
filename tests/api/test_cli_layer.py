"""The command line stays a thin layer: commands raise typed errors and ``_Group.invoke``
alone turns them into exit codes (docs/decisions/0018-one-of-each.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import qmgraph

PACKAGE = Path(qmgraph.__file__).parent
CLI_MODULES = sorted([PACKAGE / "cli.py", *PACKAGE.glob("*/cli.py")])


def _calls(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name):
            out.add(f"{node.func.value.id}.{node.func.attr}")
    return out


def test_no_command_exits_by_hand_or_imports_by_name() -> None:
    assert len(CLI_MODULES) >= 5
    for path in CLI_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = _calls(tree)
        assert "sys.exit" not in calls, path
        assert "ctx.exit" not in calls or path == PACKAGE / "cli.py", path
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "importlib" not in imported, path


def test_the_group_maps_errors_in_one_place() -> None:
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    exits = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
             and "ctx.exit" in _calls(n)]
    assert [f.name for f in exits] == ["_fail"]
