"""Bad input: each gets a clear error naming the file; the other files are still built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmgraph.cli import main
from qmgraph.pipeline import build

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
HAINAN = next(RAW.glob("002_*.txt"))
SICHUAN = next(RAW.glob("000_*.txt"))

NO_PLACE_NO_YEAR = """关于开展“质量月”活动的通知
各有关单位：
现就开展“质量月”活动有关事项通知如下：
一、活动内容
（一）举办质量知识竞赛，组织企业开展质量改进活动。
（二）开展“计量服务中小企业行”活动，免费检定计量器具。
"""

BAD_NUMBERING = """2023年全省“质量月”联合主办单位开展的主要活动
一、省市场监管局 举办“质量月”启动仪式。
一、省公安厅 开展“昆仑2023”专项行动。
三、省教育厅 开展质量进校园活动。
（2）省水利厅 开展水利工程质量提升行动。
1. 省商务厅 开展“老字号嘉年华”活动。
十、省总工会 开展职工技能大赛。
（二）省卫生健康委 开展医疗质量提升行动。
"""


@pytest.fixture()
def messy(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(HAINAN, d / "hainan.txt")
    shutil.copy(HAINAN, d / "hainan-copy.txt")  # same content, another name
    # the same notice in another encoding: other bytes, same text
    (d / "hainan-gbk.txt").write_bytes(HAINAN.read_text(encoding="utf-8").encode("gb18030"))
    shutil.copy(SICHUAN, d / "sichuan.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (d / "undecodable.txt").write_bytes(b"\x80\xff\xfe\xff" * 64)
    (d / "mixed.txt").write_bytes(
        BAD_NUMBERING.splitlines()[0].encode("utf-8") + b"\n"
        + "\n".join(BAD_NUMBERING.splitlines()[1:4]).encode("gb18030") + b"\n"
        + "\n".join(BAD_NUMBERING.splitlines()[4:]).encode("utf-8") + b"\n"
    )
    with open(d / "huge.txt", "wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.truncate(100 * 1024 * 1024)
    (d / "prose.txt").write_text("今天天气很好。我们去公园散步，然后回家吃饭。\n", encoding="utf-8")
    (d / "noplace.txt").write_text(NO_PLACE_NO_YEAR, encoding="utf-8")
    (d / "numbering.txt").write_text(BAD_NUMBERING.replace("2023年全省", "2023年四川省"), encoding="utf-8")
    # A second, different notice for Sichuan 2022: both must be kept.
    (d / "sichuan-other.txt").write_text(
        "2022年四川省“质量月”补充活动安排\n一、省药监局 开展“全国药品安全宣传周”活动。\n",
        encoding="utf-8",
    )
    return d


def test_every_bad_file_is_reported_and_the_rest_built(messy: Path, tmp_path: Path):
    result = build([messy], tmp_path / "out", validate=True)
    fatal = {Path(p.path).name: p.message for p in result.problems if p.fatal}
    assert set(fatal) == {"empty.txt", "picture.txt", "undecodable.txt", "huge.txt", "prose.txt"}
    assert "empty" in fatal["empty.txt"]
    assert "binary" in fatal["picture.txt"]
    assert "decode" in fatal["undecodable.txt"] or "binary" in fatal["undecodable.txt"]
    assert "MB" in fatal["huge.txt"]
    assert "not about a 质量月" in fatal["prose.txt"]
    warnings = [str(p) for p in result.problems if not p.fatal]
    assert any("hainan-copy.txt" in w and "same content" in w for w in warnings)
    assert any("hainan-gbk.txt" in w and "same content" in w for w in warnings)
    assert any("noplace.txt" in w and "no jurisdiction" in w for w in warnings)
    assert any("noplace.txt" in w and "no year" in w for w in warnings)
    assert any("mixed.txt" in w and "encodings" in w for w in warnings)
    # hainan (once), sichuan, sichuan-other, mixed, numbering, noplace
    assert len(result.corpus.notices) == 6
    sichuan_2022 = [n for n in result.corpus.notices
                    if n.jurisdiction and n.jurisdiction.code == "510000" and n.year == 2022]
    assert len(sichuan_2022) == 2  # two different notices for one place and year: both kept
    assert result.violations == 0  # missing place/year are warnings, never guesses
    assert (tmp_path / "out" / "qmgraph.trig").stat().st_size > 0


def test_malformed_numbering_keeps_every_block(messy: Path, tmp_path: Path):
    result = build([messy / "numbering.txt"], tmp_path / "out", validate=False)
    (notice,) = result.corpus.notices
    names = [a.block_label for a in notice.activities]
    assert names == ["省市场监管局", "省公安厅", "省教育厅", "省水利厅", "省商务厅", "省总工会", "省卫生健康委"]


def test_exit_codes(messy: Path, tmp_path: Path):
    runner = CliRunner()
    bad = runner.invoke(main, ["build", str(messy), "--out", str(tmp_path / "o1"), "-q", "--no-validate"])
    assert bad.exit_code == 2
    assert "empty.txt" in bad.output and "input(s) failed" in bad.output
    ok = runner.invoke(main, ["build", str(messy), "--out", str(tmp_path / "o2"), "-q", "--no-validate",
                              "--keep-going"])
    assert ok.exit_code == 0, ok.output
    clean = runner.invoke(main, ["build", str(HAINAN), "--out", str(tmp_path / "o3"), "-q"])
    assert clean.exit_code == 0, clean.output


def test_missing_input_path_is_a_clear_error(tmp_path: Path):
    res = CliRunner().invoke(main, ["build", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    assert "nope.txt" in res.output

