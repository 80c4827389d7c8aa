"""``qmgraph validate --shapes DIR``: a user's own shapes, checked with qmgraph's by the
same engine and reported the same way; shapes that cannot be checked exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.cli import main

PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix qm: <https://w3id.org/qmgraph/ontology#> .
@prefix qms: <https://w3id.org/qmgraph/shapes#> .
@prefix my: <https://example.org/my-shapes#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: Every activity must name a campaign: not true of the seeds, so it finds results.
CAMPAIGN_RULE = PREFIXES + """
my:ActivityCampaign a sh:NodeShape ;
    sh:targetClass qm:Activity ;
    sh:property my:ActivityCampaign-campaign .
my:ActivityCampaign-campaign a sh:PropertyShape ;
    sh:path qm:campaign ;
    sh:minCount 1 ;
    qms:ruleId "MY-001" ;
    sh:message "Every activity names a campaign."@en, "每项活动都须写明所属活动品牌。"@zh .
"""

#: Holds for every notice of the seeds (each has a year, at most one).
YEAR_RULE = PREFIXES + """
my:NoticeYear a sh:NodeShape ;
    sh:targetClass qm:Notice ;
    sh:property [ sh:path qm:year ; sh:maxCount 1 ; sh:datatype xsd:integer ] .
"""


def _shapes(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "rules.ttl").write_text(text, encoding="utf-8")
    return folder


def _validate(graph: Path, *args: str, engine: str = "shacl"):
    return CliRunner().invoke(
        main, ["validate", "--graph", str(graph), "--no-qc", "--engine", engine, *args]
    )


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_own_shapes_find_results_with_their_rule_and_messages(
    seed_graph: Path, tmp_path: Path, engine: str
) -> None:
    plain = _validate(seed_graph, engine=engine)
    assert "MY-001" not in plain.output
    mine = _shapes(tmp_path, "mine", CAMPAIGN_RULE)
    done = _validate(seed_graph, "--shapes", str(mine), engine=engine)
    assert done.exit_code == 1, done.output
    assert f"Validation ({engine}): does not conform" in done.output
    assert "[MY-001] Violation (MinCount): Every activity names a campaign." in done.output
    assert "每项活动都须写明所属活动品牌。" in done.output
    assert "path:  qm:campaign" in done.output
    # qmgraph's own results are still there, unchanged
    for line in plain.output.splitlines():
        if line.startswith("["):
            assert line in done.output


def test_engines_agree_on_own_shapes(seed_graph: Path, tmp_path: Path) -> None:
    mine = _shapes(tmp_path, "mine", CAMPAIGN_RULE)
    a = _validate(seed_graph, "--shapes", str(mine), engine="shacl").output
    b = _validate(seed_graph, "--shapes", str(mine), engine="pyshacl").output
    assert a.replace("(shacl)", "(pyshacl)", 1) == b


def test_conforming_own_shapes_and_several_folders(seed_graph: Path, tmp_path: Path) -> None:
    """A shape without a rule ID is its own rule; one that holds adds nothing."""
    plain = _validate(seed_graph)
    year = _shapes(tmp_path, "year", YEAR_RULE)
    done = _validate(seed_graph, "--shapes", str(year))
    assert done.exit_code == plain.exit_code and done.output == plain.output
    broken = YEAR_RULE.replace("sh:maxCount 1", "sh:maxCount 0")
    other = _shapes(tmp_path, "other", broken.replace("my:NoticeYear", "my:NoticeNoYear"))
    done = _validate(seed_graph, "--shapes", str(year), "--shapes", str(other))
    assert done.exit_code == 1
    assert "[https://example.org/my-shapes#NoticeNoYear] Violation (MaxCount)" in done.output


@pytest.mark.parametrize(("name", "text", "expect"), [
    ("js", PREFIXES + "my:S a sh:NodeShape ; sh:targetClass qm:Notice ; sh:js my:f .",
     "sh:js"),
    ("typo", PREFIXES + "my:S a sh:NodeShape ; sh:targetClass qm:Notice ; sh:minCnt 1 .",
     "sh:minCnt"),
    ("syntax", PREFIXES + "my:S a sh:NodeShape ; sh:targetClass", "cannot parse"),
])
def test_shapes_that_cannot_be_checked_exit_2(
    seed_graph: Path, tmp_path: Path, name: str, text: str, expect: str
) -> None:
    done = _validate(seed_graph, "--shapes", str(_shapes(tmp_path, name, text)))
    assert done.exit_code == 2, done.output
    assert expect in done.output and "error:" in done.output


def test_folder_without_shapes_exits_2(seed_graph: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = _validate(seed_graph, "--shapes", str(tmp_path / "empty"))
    assert done.exit_code == 2 and "no shapes" in done.output
