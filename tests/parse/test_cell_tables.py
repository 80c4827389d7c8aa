"""A table flattened to one cell per line (HTML and DOCX tables copied as text): the header
cells under a lone 序号, then each row's cells, the row numbers often dropped as page residue
and empty cells lost. Each row is one activity with its lead and helpers, never a run of
one-word items."""

from __future__ import annotations

from qmgraph.lexicon.organizations import org_name_length
from qmgraph.parse.blocks import Lexicon, cell_table
from qmgraph.parse.metadata import Line

LEX = Lexicon(org_name_length, lambda name: None)


def _lines(*texts: str) -> list[Line]:
    out, pos = [], 0
    for t in texts:
        out.append(Line(t, pos, pos + len(t)))
        pos += len(t) + 1
    return out


def test_rows_open_with_content_and_fill_the_columns_they_fit():
    lines = _lines("序号", "活动内容", "活动时间", "牵头部门", "配合部门",
                   "举办质量知识竞赛", "9月10日", "县教育局", "县总工会、县科协",
                   "开展电梯安全宣传周活动", "9月中旬", "特种设备股",  # no helpers
                   "组织企业参加首席质量官培训", "县市场监管局", "县工信局",  # no time
                   "（一）加强组织领导")
    rows, after = cell_table(lines, 0, LEX)
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("举办质量知识竞赛", "县教育局", ["县总工会", "县科协"]),
        ("开展电梯安全宣传周活动", "特种设备股", []),
        ("组织企业参加首席质量官培训", "县市场监管局", ["县工信局"]),
    ]
    assert lines[after].text == "（一）加强组织领导"  # the table ends at the next item
    # each row's content keeps its own offsets
    assert all(r[0].text == r[2] for r in rows)


def test_kept_row_numbers_are_skipped_and_a_lone_number_cell_is_no_table():
    lines = _lines("序号", "活动名称", "牵头单位", "1", "开展质量开放日活动", "县市场监管局",
                   "2", "举办标准化知识讲座", "县科协")
    rows, _ = cell_table(lines, 0, LEX)
    assert [(r[1], r[2], r[3]) for r in rows] == [("1", "开展质量开放日活动", "县市场监管局"),
                                                   ("2", "举办标准化知识讲座", "县科协")]
    assert cell_table(_lines("序号", "开展质量开放日活动", "县市场监管局"), 0, LEX) is None


def test_a_paragraph_after_the_table_is_no_row():
    """The lines after the last row with a cell, unnumbered, are the text after the table
    (a closing requirement), not a row whose cells are all empty; a numbered row or a row
    in the middle with every cell empty stays a row."""
    lines = _lines("序号", "活动内容", "活动时间", "牵头部门",
                   "举办质量知识竞赛", "9月10日", "县教育局",
                   "开展标准化知识讲座",  # every cell empty
                   "开展电梯安全宣传周活动", "9月中旬", "县市场监管局",
                   "各单位要高度重视，认真组织实施，确保活动取得实效。",
                   "请于10月10日前报送活动总结。")
    rows, after = cell_table(lines, 0, LEX)
    assert [r[2] for r in rows] == ["举办质量知识竞赛", "开展标准化知识讲座", "开展电梯安全宣传周活动"]
    assert lines[after].text == "各单位要高度重视，认真组织实施，确保活动取得实效。"
    numbered = _lines("序号", "活动内容", "牵头部门", "1", "举办质量知识竞赛", "县教育局",
                      "2", "开展标准化知识讲座")
    rows, after = cell_table(numbered, 0, LEX)
    assert [r[2] for r in rows] == ["举办质量知识竞赛", "开展标准化知识讲座"] and after == len(numbered)
    # a table none of whose rows has a cell keeps them all
    bare = _lines("序号", "活动内容", "活动时间", "举办质量知识竞赛", "开展标准化知识讲座")
    assert [r[2] for r in cell_table(bare, 0, LEX)[0]] == ["举办质量知识竞赛", "开展标准化知识讲座"]
