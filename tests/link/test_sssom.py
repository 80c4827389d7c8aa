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


def test_rows_made_in_parts_merge_to_the_whole_document() -> None:
    """A cached build keeps each statistics window's rows and merges them: the windows'
    IRIs interleave in the global order, so the merge must give exactly the rows of all
    links made at once (decision 0029)."""
    from qmgraph.link.sssom import sssom_rows, sssom_text, sssom_text_of_parts
    from qmgraph.model import ActivityFacts, MirrorLink
    from qmgraph.namespaces import ID

    def act(notice: str, i: int) -> str:
        return f"{ID}activity/{notice}/b01-i{i:02d}"

    notices = ["a-2012", "m-2020", "b-2012", "z-2019", "c-2024", "k-2020"]
    facts = {act(n, i): ActivityFacts(text=f"{n} 活动\t{i}", notice=n, place="四川省", agency="局")
             for n in notices for i in range(3)}
    links = [MirrorLink(source=act(n, i), target=act(t, j), score=0.5 + i / 10, grade="adapted",
                        method="m", source_start=i, source_end=i + 4, target_start=j,
                        target_end=j + 2, evidence=f"证据 {n}")
             for n, t in zip(notices, reversed(notices), strict=True)
             for i in range(3) for j in (2, 0)]
    windows = [[m for m in links if m.source.split("/")[-2][-4:] in ys]
               for ys in (("2012",), ("2019", "2020"), ("2024",))]
    assert sum(map(len, windows)) == len(links)
    parts = [sssom_rows(facts, list(reversed(w))) for w in windows]
    whole = sssom_text(facts, links)
    assert sssom_text_of_parts(parts) == whole
    assert sssom_text_of_parts(reversed(parts)) == whole
    assert whole.count("\n") == len(links) + whole.count("\n#") + 2
