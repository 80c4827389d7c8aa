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
    assert body[0][:8] == [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
        "confidence",
        "comment",
    ]
    # issue 20: notice, place and agency of both sides, grade, evidence and offsets, each
    # extra column declared as an SSSOM extension (slot_name, property, type_hint)
    extra = body[0][8:]
    assert extra == ["subject_notice", "subject_place", "subject_agency", "object_notice",
                     "object_place", "object_agency", "grade", "evidence", "subject_start",
                     "subject_end", "object_start", "object_end"]
    assert "# extension_definitions:" in meta
    declared = [x.split("slot_name: ")[1] for x in meta if "slot_name: " in x]
    assert declared == extra
    assert sum("property: " in x for x in meta) == sum("type_hint: " in x for x in meta) == len(extra)
    row = dict(zip(body[0], body[1], strict=True))
    assert row["subject_id"] == "qmid:activity/sc-2022/b01-i01"
    assert row["object_id"] == "qmid:activity/cn-2022/b01-i01"
    assert row["predicate_id"] == "qm:mirrors"
    assert row["mapping_justification"] == "semapv:LexicalMatching"
    assert row["subject_label"] == "认真落实：" + TEXT  # the full text, never cut
    assert row["object_label"] == TEXT
    assert row["subject_notice"] == "qmid:notice/sc-2022" and row["object_notice"] == "qmid:notice/cn-2022"
    assert row["subject_place"] == "四川省" and row["object_place"] == "中华人民共和国"
    assert row["subject_agency"] and row["object_agency"]
    assert row["grade"] == "verbatim" and row["evidence"]
    assert int(row["subject_start"]) <= int(row["subject_end"])
    assert int(row["object_start"]) <= int(row["object_end"])
    assert 0.0 <= float(row["confidence"]) <= 1.0
    assert row["comment"].startswith("verbatim: ")


def test_sssom_is_deterministic(tmp_path: Path) -> None:
    c = _corpus()
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_sssom(c, link(c), a)
    write_sssom(c, list(reversed(link(c))), b)
    assert a.read_bytes() == b.read_bytes()
