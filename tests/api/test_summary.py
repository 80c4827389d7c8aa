"""``qmgraph build``'s summary object: its text and the typed error a failed build ends with."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmgraph.errors import InputError, ValidationFailed
from qmgraph.pipeline import BuildResult, Problem
from qmgraph.summary import BuildSummary


def _result(**kw) -> BuildResult:
    return BuildResult(problems=kw.pop("problems", []), counts={"notices": kw.pop("notices", 1)},
                       timings={"extract+resolve": 0.25}, **kw)


def test_violations_are_exit_1_and_name_the_report(tmp_path: Path) -> None:
    summary = BuildSummary(_result(violations=3), tmp_path / "out")
    with pytest.raises(ValidationFailed, match=r"3 violations .*out/validation-report.txt") as e:
        summary.check()
    assert e.value.exit_code == 1


def test_failed_inputs_are_exit_2_and_name_the_first_file(tmp_path: Path) -> None:
    problems = [Problem("in/a.txt", "file is empty", True), Problem("in/b.txt", "binary", True),
                Problem("in/c.txt", "no year", False)]
    summary = BuildSummary(_result(problems=problems, notices=0), tmp_path)
    with pytest.raises(InputError, match=r"2 input\(s\) failed and no notice was built — "
                       r"in/a.txt: file is empty \(and 1 more\)") as e:
        summary.check()
    assert e.value.exit_code == 2
    summary.check(keep_going=True)  # --keep-going: the same build exits 0
    text = summary.text()
    assert text.startswith("qmgraph build summary\n  notices        0")
    assert "  time           extract+resolve 0.2s" in text
    assert "  ERROR in/a.txt: file is empty" in text and "  warn  in/c.txt: no year" in text
    assert summary.to_json()["problems"][2] == {"path": "in/c.txt", "message": "no year",
                                                "fatal": False}
