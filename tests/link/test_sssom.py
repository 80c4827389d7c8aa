"""SSSOM export of mirror links."""

from __future__ import annotations

from pathlib import Path

from qmgraph.link import link, write_sssom

from .factory import NATION, SAMR, SC_SAMR, SICHUAN, Act, corpus, notice

TEXT = (
    "开展质量基础设施“一站式”服务“惠百城助万企”行动，推动工业产品质量技术帮扶“提质强企”行动落地见效，"
    * 2
)


def _corpus():
    nat = notice("cn-2022", NATION, 2022, [Act("b01-i01", TEXT, [SAMR])])
    sc = notice("sc-2022", SICHUAN, 2022, [Act("b01-i01", "认真落实：" + TEXT, [SC_SAMR])])
    return corpus(nat, sc)


def test_sssom_metadata_columns_and_rows(tmp_path: Path) -> None:
    c = _corpus()
    links = link(c)
    assert links
    out = tmp_path / "mirrors.sssom.tsv"
    write_sssom(c, links, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    meta = [x for x in lines if x.startswith("#")]
    assert meta[0] == "# curie_map:"
    for prefix in ("qm:", "qmid:", "skos:", "semapv:"):
        assert any(x.strip("# ").startswith(prefix) for x in meta)
    assert any(x.startswith("# mapping_set_id: ") for x in meta)
    assert any(x.startswith("# license: ") for x in meta)
    body = [x.split("\t") for x in lines if not x.startswith("#")]
    assert body[0] == [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
        "confidence",
        "comment",
    ]
    row = dict(zip(body[0], body[1], strict=True))
    assert row["subject_id"] == "qmid:activity/sc-2022/b01-i01"
    assert row["object_id"] == "qmid:activity/cn-2022/b01-i01"
    assert row["predicate_id"] == "qm:mirrors"
    assert row["mapping_justification"] == "semapv:LexicalMatching"
    assert len(row["subject_label"]) <= 80
    assert 0.0 <= float(row["confidence"]) <= 1.0
    assert row["comment"].startswith("verbatim: ")


def test_sssom_is_deterministic(tmp_path: Path) -> None:
    c = _corpus()
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_sssom(c, link(c), a)
    write_sssom(c, list(reversed(link(c))), b)
    assert a.read_bytes() == b.read_bytes()
