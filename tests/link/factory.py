"""Small hand-made corpora for the link tests (identity offsets unless told otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qmgraph.model import (
    Campaign,
    Corpus,
    ExtractedNotice,
    Jurisdiction,
    NoticeTree,
    Organization,
    ResolvedActivity,
    ResolvedNotice,
    SourceText,
)
from qmgraph.namespaces import activity_iri

NATION = Jurisdiction(None, "中华人民共和国", ("全国",), "national", None)
SICHUAN = Jurisdiction("510000", "四川省", ("四川",), "provincial", None)
HAINAN = Jurisdiction("460000", "海南省", ("海南",), "provincial", None)
CHENGDU = Jurisdiction("510100", "成都市", ("成都",), "prefectural", "510000")
WUHOU = Jurisdiction("510107", "武侯区", (), "county", "510100")
TABLE = {"cn": NATION, "510000": SICHUAN, "460000": HAINAN, "510100": CHENGDU, "510107": WUHOU}

SAMR = Organization("cn/market-regulation", "国家市场监督管理总局", "agency", "market-regulation")
MPS = Organization("cn/public-security", "公安部", "agency", "public-security")
SC_SAMR = Organization(
    "510000/market-regulation",
    "四川省市场监督管理局",
    "agency",
    "market-regulation",
    "510000",
    "provincial",
    counterpart="cn/market-regulation",
)
SC_PS = Organization(
    "510000/public-security",
    "四川省公安厅",
    "agency",
    "public-security",
    "510000",
    "provincial",
    counterpart="cn/public-security",
)
HN_SAMR = Organization(
    "460000/market-regulation",
    "海南省市场监督管理局",
    "agency",
    "market-regulation",
    "460000",
    "provincial",
    counterpart="cn/market-regulation",
)
CD_GOV = Organization(
    "510100/government", "成都市人民政府", "agency", "government", "510100", "prefectural"
)
KUNLUN = Campaign("kun-lun-2022", "昆仑2022", "kun-lun", "昆仑", 2022)


@dataclass
class Act:
    local: str
    text: str
    orgs: list[Organization]
    campaigns: list[Campaign] = field(default_factory=list)
    kind: str = "organizer"
    jur: Jurisdiction | None = None


def notice(
    key: str,
    jur: Jurisdiction,
    year: int,
    acts: list[Act],
    *,
    original: str | None = None,
    offsets: list[int] | None = None,
    lead: str = "关于开展质量月活动的通知。\n",
) -> ResolvedNotice:
    """A notice whose text is ``lead`` then the activities, one a line."""
    text = lead
    spans = []
    for a in acts:
        spans.append((len(text), len(text) + len(a.text)))
        text += a.text + "\n"
    src = SourceText(
        path=f"{key}.txt",
        content_hash=key,
        encoding="utf-8",
        original=original if original is not None else text,
        text=text,
        offsets=offsets if offsets is not None else list(range(len(text) + 1)),
    )
    ras = [
        ResolvedActivity(
            iri=str(activity_iri(key, a.local)),
            local=a.local,
            notice_key=key,
            text=a.text,
            norm_start=s,
            norm_end=e,
            organizers=a.orgs,
            co_organizers=[],
            jurisdiction=a.jur or jur,
            year=year,
            campaigns=a.campaigns,
            cites=[],
            block_kind=a.kind,
            block_label=a.orgs[0].label if a.orgs else "",
            block_index=i,
            source=src,
        )
        for i, (a, (s, e)) in enumerate(zip(acts, spans, strict=True))
    ]
    return ResolvedNotice(
        key=key,
        extracted=ExtractedNotice(NoticeTree(source=src, year=year), []),
        jurisdiction=jur,
        year=year,
        issuer=None,
        implements=[],
        joint_organizers=[],
        slogans=[],
        activities=ras,
    )


def corpus(*notices: ResolvedNotice) -> Corpus:
    return Corpus(
        notices=list(notices),
        organizations={},
        org_surfaces={},
        jurisdictions=dict(TABLE),
        campaigns={},
        campaign_surfaces={},
        cited_notices={},
        sectors={},
    )
