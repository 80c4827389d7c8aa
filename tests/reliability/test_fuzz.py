"""Fuzzing: random mixes of notice structures, numbering, punctuation, scripts and
encodings never crash ingest or parse — they give a tree or a typed error."""

from __future__ import annotations

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmgraph.errors import QmgraphError
from qmgraph.extract import extract_notice
from qmgraph.ingest import ingest_bytes
from qmgraph.parse import parse_notice

NUMBERING = ["一、", "十六、", "（一）", "(二)", "（9）", "1、", "2.", "3．", "①", "一是", "", "附件1", "附件："]
HEADS = ["省公安厅", "市市场监管局", "成都市：", "（一）和平区", "团市委开展的活动", "中国质量协会",
         "人行成都分行  ", "海口海关", "各区开展的活动", "活动主题", "宣传口号", "联合主办单位名单"]
BODIES = ["开展“昆仑2022”专项行动。", "联合市教育局举办质量知识竞赛，", "《产品质量法》宣传",
          "2022年9月", "国市监质发〔2022〕76号", "— 3 —", "[bookmark: x]", "……", "推动质量变革创新 促进质量强国建设",
          "序号 活动内容 牵头部门 配合部门", "1 举办启动仪式 市市场监管局 市总工会", "\t", "  ", "：", "。", "、"]
LINE = st.tuples(st.sampled_from(NUMBERING), st.sampled_from(HEADS), st.lists(st.sampled_from(BODIES), max_size=4),
                 st.text(max_size=8)).map(lambda t: t[0] + t[1] + "".join(t[2]) + t[3])
DOC = st.lists(LINE, min_size=1, max_size=25).map("\n".join)
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "latin-1"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOC, encoding=ENCODING, traditional=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_ingest_and_parse_never_crash(doc: str, encoding: str, traditional: bool, newline: str):
    if traditional:
        doc = opencc.OpenCC("s2tw").convert(doc)
    data = doc.replace("\n", newline).encode(encoding, errors="replace")
    try:
        tree = parse_notice(ingest_bytes(data, "fuzz.txt"))
    except QmgraphError:
        return  # a structured error is a fine answer
    extracted = extract_notice(tree)
    for a in extracted.activities:
        assert 0 <= a.start <= a.end <= len(tree.source.text)
    assert len(tree.source.offsets) == len(tree.source.text) + 1


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_crash(data: bytes):
    try:
        parse_notice(ingest_bytes(data, "bytes.txt"))
    except QmgraphError:
        pass
