"""The offline page: one file, no network, embedded JSON safe, evidence spans right."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from qmgraph.cli import main
from qmgraph.viz.html import embed_json, evidence_spans, page_data, render_html
from qmgraph.viz.load import Facts
from tests.viz import dataset as D


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="qmgraph-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_page_is_self_contained(facts: Facts) -> None:
    page = render_html(facts)
    assert page.count("<script") == 2
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|@import|url\(|fetch\(|XMLHttpRequest", page)
    assert "default-src 'none'" in page  # the CSP forbids any request
    data = _data(page)
    assert set(data["views"]) == {"hierarchy", "lineage", "campaigns"}
    labels = {n["label"] for n in data["nodes"]}
    assert {"公安部", "四川省公安厅", "武侯区", "昆仑2022"} <= labels


def test_embedded_json_cannot_close_the_script() -> None:
    nasty = {"t": "</script><script>alert(1)</script><!-- & \u2028"}
    text = embed_json(nasty)
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == nasty


def test_evidence_spans_in_both_texts(facts: Facts) -> None:
    data = page_data(facts)
    by_link = {m["link"]: m for m in data["mirrors"]}
    m = by_link[str(D.L1)]
    src, tgt = data["nodes"][m["s"]], data["nodes"][m["t"]]
    assert src["text"] == D.PROV_TEXT and tgt["text"] == D.NAT1_TEXT
    [[a, b]] = m["targetSpans"]
    assert tgt["text"][a:b] == D.EVIDENCE1
    [[a, b]] = m["sourceSpans"]
    assert src["text"][a:b] == D.EVIDENCE1  # adapted text, but this run is shared verbatim
    m2 = by_link[str(D.L2)]
    [[a, b]] = m2["sourceSpans"]
    assert data["nodes"][m2["s"]]["text"][a:b] == D.EVIDENCE2


def test_evidence_spans_for_reworded_text() -> None:
    text = "省公安厅联合组织开展昆仑专项行动，打击食品犯罪。"
    spans = evidence_spans(text, "组织开展“昆仑2022”专项行动，严厉打击食品", (4, 20))
    marked = "".join(text[a:b] for a, b in spans)
    assert "组织开展" in marked and "专项行动" in marked


def test_cli_writes_everything(trig_path: Path, tmp_path: Path) -> None:
    out = {ext: tmp_path / f"x.{ext}" for ext in ("html", "graphml", "gexf", "png", "svg")}
    args = ["viz", "--graph", str(trig_path), "--view", "lineage", "--notice", D.PROV_KEY]
    for ext, p in out.items():
        args += [f"--{ext}", str(p)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert all(p.is_file() and p.stat().st_size > 100 for p in out.values())
    res = CliRunner().invoke(main, ["viz", "--graph", str(trig_path), "--view", "campaigns",
                                    "--campaign", "昆仑2022", "--png", str(tmp_path / "c.png")])
    assert res.exit_code == 0, res.output


def test_cli_errors(trig_path: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["viz", "--graph", str(tmp_path / "none.trig"),
                                    "--html", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "not found" in res.output
    res = CliRunner().invoke(main, ["viz", "--graph", str(trig_path), "--png",
                                    str(tmp_path / "x.png"), "--notice", "不存在"])
    assert res.exit_code == 2 and "no single notice" in res.output
    res = CliRunner().invoke(main, ["viz", "--graph", str(trig_path)])
    assert res.exit_code != 0 and "nothing to write" in res.output
