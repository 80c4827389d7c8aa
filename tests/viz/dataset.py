"""A small hand-made dataset following docs/decisions/0002-graph-contract.md, with lineage.

Nation → 四川省 → 成都市 → 武侯区; 公安部 / 四川省公安厅 / 国家市场监督管理总局 /
四川省市场监督管理局; a national and a provincial notice; three activities; two
``qm:mirrors`` with their ``qm:MirrorLink`` (one adapted, one verbatim); the campaign
昆仑2022 in series 昆仑; both Quality Month editions.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from qmgraph.namespaces import (
    ID,
    QM,
    SHARED_GRAPH,
    activity_iri,
    bind_all,
    campaign_iri,
    edition_iri,
    jurisdiction_iri,
    mirror_iri,
    notice_graph_iri,
    notice_iri,
    org_iri,
    sector_iri,
    series_iri,
)

NAT, PROV_KEY = "guo-shi-jian-zhi-fa-2022-76-hao", "chuan-shi-jian-fa-2022-88-hao"
CN, SC, CD, WH = (jurisdiction_iri(c) for c in (None, "510000", "510100", "510107"))
MPS, SAMR = org_iri("cn/public-security"), org_iri("cn/market-regulation")
SC_PS, SC_SAMR = org_iri("510000/public-security"), org_iri("510000/market-regulation")
WH_GOV = org_iri("510107/government")
PS, MR = sector_iri("public-security"), sector_iri("market-regulation")
KUNLUN, KUNLUN_S = campaign_iri("kun-lun-2022"), series_iri("kun-lun")
N_NAT, N_PROV = notice_iri(NAT), notice_iri(PROV_KEY)
ED_NAT, ED_PROV = edition_iri(None, 2022), edition_iri("510000", 2022)
A_NAT1, A_NAT2 = activity_iri(NAT, "b03-i02"), activity_iri(NAT, "b04-i01")
A_PROV, A_WH = activity_iri(PROV_KEY, "b02-i01"), activity_iri(PROV_KEY, "b05-i01")
L1 = mirror_iri(f"{PROV_KEY}/b02-i01", f"{NAT}/b03-i02")
L2 = mirror_iri(f"{PROV_KEY}/b05-i01", f"{NAT}/b04-i01")

NAT1_TEXT = "公安部组织开展“昆仑2022”专项行动，严厉打击食品、药品、环境等领域犯罪。"
NAT2_TEXT = "开展质量开放日活动，组织企业向公众开放生产线。"
PROV_TEXT = "省公安厅会同省市场监管局组织开展“昆仑2022”专项行动，严厉打击食品、药品领域犯罪。"
WH_TEXT = "武侯区开展质量开放日活动，组织企业向公众开放生产线。"
EVIDENCE1 = "组织开展“昆仑2022”专项行动，严厉打击食品、药品"
EVIDENCE2 = "开展质量开放日活动，组织企业向公众开放生产线。"


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _shared(g: Graph) -> None:
    g.add((CN, RDF.type, QM.Jurisdiction))
    g.add((CN, RDFS.label, zh("中华人民共和国")))
    g.add((CN, QM.level, QM.National))
    for node, name, code, level, parents in (
        (SC, "四川省", "510000", QM.Provincial, [CN]),
        (CD, "成都市", "510100", QM.Prefectural, [SC, CN]),
        (WH, "武侯区", "510107", QM.County, [CD, SC, CN]),  # partOf is transitive
    ):
        g.add((node, RDF.type, QM.Jurisdiction))
        g.add((node, RDFS.label, zh(name)))
        g.add((node, QM.divisionCode, Literal(code)))
        g.add((node, QM.level, level))
        for p in parents:
            g.add((node, QM.partOf, p))
    for node, key, label in ((PS, "public-security", "公安"), (MR, "market-regulation", "市场监管")):
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, ID.sector))
        g.add((node, SKOS.prefLabel, zh(label)))
        g.add((node, SKOS.prefLabel, Literal(key, lang="en")))
        g.add((node, SKOS.notation, Literal(key)))
    for node, label, alts, jur, level, sector, up in (
        (MPS, "公安部", (), CN, QM.National, PS, None),
        (SAMR, "国家市场监督管理总局", ("市场监管总局",), CN, QM.National, MR, None),
        (SC_PS, "四川省公安厅", ("省公安厅",), SC, QM.Provincial, PS, MPS),
        (SC_SAMR, "四川省市场监督管理局", ("省市场监管局",), SC, QM.Provincial, MR, SAMR),
        (WH_GOV, "成都市武侯区人民政府", (), WH, QM.County, None, None),
    ):
        g.add((node, RDF.type, QM.Agency))
        g.add((node, RDFS.label, zh(label)))
        for a in alts:
            g.add((node, SKOS.altLabel, zh(a)))
        g.add((node, QM.jurisdiction, jur))
        g.add((node, QM.level, level))
        if sector is not None:
            g.add((node, QM.sector, sector))
        if up is not None:
            g.add((node, QM.counterpart, up))
    g.add((KUNLUN, RDF.type, QM.Campaign))
    g.add((KUNLUN, RDFS.label, zh("昆仑2022")))
    g.add((KUNLUN, SKOS.altLabel, zh("昆仑 2022")))
    g.add((KUNLUN, QM.series, KUNLUN_S))
    g.add((KUNLUN, QM.year, Literal(2022)))
    g.add((KUNLUN_S, RDF.type, QM.CampaignSeries))
    g.add((KUNLUN_S, RDFS.label, zh("昆仑")))


def _notice(g: Graph, node, title: str, doc: str, issuer, jur, level, src: str) -> None:
    g.add((node, RDF.type, QM.Notice))
    g.add((node, DCTERMS.title, zh(title)))
    g.add((node, QM.docNumber, Literal(doc)))
    g.add((node, DCTERMS.issued, Literal("2022-08-19", datatype=XSD.date)))
    g.add((node, QM.year, Literal(2022)))
    g.add((node, QM.issuedBy, issuer))
    g.add((node, QM.jurisdiction, jur))
    g.add((node, QM.level, level))
    g.add((node, QM.sourceFile, Literal(src)))


def _edition(g: Graph, node, label: str, jur, level, notice, joint, up=None) -> None:
    g.add((node, RDF.type, QM.QualityMonth))
    g.add((node, RDFS.label, zh(label)))
    g.add((node, QM.jurisdiction, jur))
    g.add((node, QM.level, level))
    g.add((node, QM.year, Literal(2022)))
    g.add((node, QM.describedBy, notice))
    for o in joint:
        g.add((node, QM.jointOrganizer, o))
    if up is not None:
        g.add((node, QM.implements, up))


def _activity(g: Graph, node, text: str, notice, orgs, jur, start: int, edition, co=(),
              camps=(), label: str = "") -> None:
    g.add((node, RDF.type, QM.Activity))
    g.add((node, QM.text, zh(text)))
    g.add((node, QM.notice, notice))
    g.add((node, QM.year, Literal(2022)))
    for o in orgs:
        g.add((node, QM.organizer, o))
    for o in co:
        g.add((node, QM.coOrganizer, o))
    g.add((node, QM.jurisdiction, jur))
    for c in camps:
        g.add((node, QM.campaign, c))
    g.add((node, QM.blockKind, Literal("organizer")))
    if label:
        g.add((node, QM.blockLabel, zh(label)))
    g.add((node, QM.sourceStart, Literal(start)))
    g.add((node, QM.sourceEnd, Literal(start + len(text))))
    g.add((node, QM.edition, edition))


def _link(g: Graph, link, src, tgt, score: str, grade: str, ev: str, ss: int, ts: int) -> None:
    g.add((src, QM.mirrors, tgt))
    g.add((src, PROV.wasQuotedFrom if grade == "verbatim" else PROV.wasDerivedFrom, tgt))
    g.add((link, RDF.type, QM.MirrorLink))
    g.add((link, QM.source, src))
    g.add((link, QM.target, tgt))
    g.add((link, QM.score, Literal(Decimal(score))))
    g.add((link, QM.grade, Literal(grade)))
    g.add((link, QM.method, Literal("char-ngram-index+partial-ratio")))
    g.add((link, QM.evidence, zh(ev)))
    g.add((link, QM.sourceStart, Literal(ss)))
    g.add((link, QM.sourceEnd, Literal(ss + len(ev))))
    g.add((link, QM.targetStart, Literal(ts)))
    g.add((link, QM.targetEnd, Literal(ts + len(ev))))


def viz_dataset() -> Dataset:
    """A fresh dataset: shared graph + a national and a provincial notice graph."""
    ds = Dataset()
    bind_all(ds)
    _shared(ds.graph(SHARED_GRAPH))
    g = ds.graph(notice_graph_iri(NAT))
    _notice(g, N_NAT, "关于开展2022年全国“质量月”活动的通知", "国市监质发〔2022〕76号", SAMR, CN,
            QM.National, "004_national.txt")
    _edition(g, ED_NAT, "2022年全国质量月", CN, QM.National, N_NAT, [SAMR, MPS])
    _activity(g, A_NAT1, NAT1_TEXT, N_NAT, [MPS], CN, 1200, ED_NAT, camps=[KUNLUN], label="公安部")
    _activity(g, A_NAT2, NAT2_TEXT, N_NAT, [SAMR], CN, 1500, ED_NAT)
    g = ds.graph(notice_graph_iri(PROV_KEY))
    _notice(g, N_PROV, "关于开展2022年四川省“质量月”活动的通知", "川市监发〔2022〕88号", SC_SAMR, SC,
            QM.Provincial, "000_sichuan.txt")
    _edition(g, ED_PROV, "2022年四川省质量月", SC, QM.Provincial, N_PROV, [SC_SAMR], ED_NAT)
    _activity(g, A_PROV, PROV_TEXT, N_PROV, [SC_PS], SC, 800, ED_PROV, co=[SC_SAMR],
              camps=[KUNLUN], label="省公安厅")
    _activity(g, A_WH, WH_TEXT, N_PROV, [WH_GOV], WH, 2000, ED_PROV, label="武侯区")
    _link(g, L1, A_PROV, A_NAT1, "0.87", "adapted", EVIDENCE1, 800 + PROV_TEXT.index("组织开展"),
          1200 + NAT1_TEXT.index("组织开展"))
    _link(g, L2, A_WH, A_NAT2, "0.98", "verbatim", EVIDENCE2, 2003, 1500)
    return ds
