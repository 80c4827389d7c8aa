"""The README's "Use from Python" example runs as written and prints the 2022 rows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_python_example_runs_and_prints_2022_rows(tmp_path: Path, monkeypatch,
                                                        capsys: pytest.CaptureFixture) -> None:
    blocks = _python_blocks()
    assert len(blocks) == 2, "the README's Python section changed: update this test"
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)  # the example's relative paths, as a user in a checkout
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    df = namespace["df"]
    assert len(df) > 0 and set(df["year"]) == {2022}
    assert str(df["year"].dtype) == "Int64" and str(df["score"].dtype) == "float64"
    lines = out.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["year", "province"])
    printed = lines[header + 1:]
    assert len(printed) == len(df), out
    assert all(ln.split()[0] == "2022" for ln in printed)
    assert "四川省" in out and "国家市场监督管理总局" in out
    assert re.search(r"^5 notices, \d+ mirror links, 0 problems; graph in data/out/qmgraph.trig",
                     out, flags=re.M), out
    exec(compile(blocks[1], "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "conforms: True" in out
    assert (tmp_path / "data" / "out" / "tables" / "adoption_panel.parquet").is_file()
