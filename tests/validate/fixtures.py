"""A small, hand-built dataset that follows docs/decisions/0002-graph-contract.md exactly.

Reusable by other test suites: ``valid_dataset()`` returns a fresh :class:`rdflib.Dataset`
with a shared graph and two notice graphs — a national notice (2022 全国质量月) and a
Sichuan provincial notice that implements it — with one activity mirrored across them, a
city-block activity, organizations with counterparts, a campaign and series, a slogan and
both editions. The module-level constants name its nodes so tests can mutate them.
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
    slogan_iri,
)
from qmgraph.namespaces import ORG as ORGNS

YEAR = 2022

# keys ---------------------------------------------------------------------------------
NATIONAL_KEY = "guo-shi-jian-zhi-fa-2022-76-hao"
PROVINCIAL_KEY = "chuan-shi-jian-fa-2022-88-hao"

# jurisdictions ------------------------------------------------------------------------
CN = jurisdiction_iri(None)
SICHUAN = jurisdiction_iri("510000")
CHENGDU = jurisdiction_iri("510100")

# organizations and sectors ------------------------------------------------------------
SAMR = org_iri("cn/market-regulation")
MPS = org_iri("cn/public-security")
CAQ = org_iri("cn/zhong-guo-zhi-liang-xie-hui")
SC_SAMR = org_iri("510000/market-regulation")
SC_PS = org_iri("510000/public-security")
CD_GOV = org_iri("510100/government")
SECTOR_MR = sector_iri("market-regulation")
SECTOR_PS = sector_iri("public-security")
SECTOR_GOV = sector_iri("government")

# campaigns, slogan --------------------------------------------------------------------
KUNLUN_2022 = campaign_iri("kun-lun-2022")
KUNLUN = series_iri("kun-lun")
SLOGAN_TEXT = "坚持质量第一 建设质量强国"
SLOGAN = slogan_iri(SLOGAN_TEXT)

# notices, editions, activities, mirror link ---------------------------------------------
N_NAT = notice_iri(NATIONAL_KEY)
N_PROV = notice_iri(PROVINCIAL_KEY)
N_CITED = notice_iri("guo-fa-2021-1-hao")  # cited, not in the corpus: shared graph
G_NAT = notice_graph_iri(NATIONAL_KEY)
G_PROV = notice_graph_iri(PROVINCIAL_KEY)
ED_NAT = edition_iri(None, YEAR)
ED_PROV = edition_iri("510000", YEAR)
A_NAT = activity_iri(NATIONAL_KEY, "b03-i02")
A_PROV = activity_iri(PROVINCIAL_KEY, "b02-i01")
A_CITY = activity_iri(PROVINCIAL_KEY, "b05-i01")
LINK = mirror_iri(f"{PROVINCIAL_KEY}/b02-i01", f"{NATIONAL_KEY}/b03-i02")

THEME = "推动质量变革创新 促进质量强国建设"
NAT_TEXT = "公安部组织开展“昆仑2022”专项行动，严厉打击食品、药品、环境等领域犯罪。"
PROV_TEXT = "省公安厅会同省市场监管局组织开展“昆仑2022”专项行动，严厉打击食品、药品领域犯罪。"
CITY_TEXT = "成都市开展质量提升宣传活动，组织企业开放日。"


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _shared(g: Graph) -> None:
    # jurisdictions
    g.add((CN, RDF.type, QM.Jurisdiction))
    g.add((CN, RDFS.label, zh("中华人民共和国")))
    g.add((CN, RDFS.label, Literal("People's Republic of China", lang="en")))
    g.add((CN, QM.level, QM.National))
    for node, name, short, code, level, parent in (
        (SICHUAN, "四川省", "四川", "510000", QM.Provincial, CN),
        (CHENGDU, "成都市", "成都", "510100", QM.Prefectural, SICHUAN),
    ):
        g.add((node, RDF.type, QM.Jurisdiction))
        g.add((node, RDFS.label, zh(name)))
        g.add((node, SKOS.altLabel, zh(short)))
        g.add((node, QM.divisionCode, Literal(code)))
        g.add((node, QM.level, level))
        g.add((node, QM.partOf, parent))

    # sectors
    for node, key, label_zh, label_en in (
        (SECTOR_MR, "market-regulation", "市场监管", "market regulation"),
        (SECTOR_PS, "public-security", "公安", "public security"),
        (SECTOR_GOV, "government", "人民政府", "people's government"),
    ):
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, ID.sector))
        g.add((node, SKOS.prefLabel, zh(label_zh)))
        g.add((node, SKOS.prefLabel, Literal(label_en, lang="en")))
        g.add((node, SKOS.notation, Literal(key)))

    # organizations
    orgs = (
        (
            SAMR,
            QM.Agency,
            "国家市场监督管理总局",
            ("市场监管总局",),
            CN,
            QM.National,
            SECTOR_MR,
            None,
        ),
        (MPS, QM.Agency, "公安部", (), CN, QM.National, SECTOR_PS, None),
        (CAQ, QM.Association, "中国质量协会", ("中质协",), CN, QM.National, None, None),
        (
            SC_SAMR,
            QM.Agency,
            "四川省市场监督管理局",
            ("省市场监管局",),
            SICHUAN,
            QM.Provincial,
            SECTOR_MR,
            SAMR,
        ),
        (
            SC_PS,
            QM.Agency,
            "四川省公安厅",
            ("省公安厅", "公安厅"),
            SICHUAN,
            QM.Provincial,
            SECTOR_PS,
            MPS,
        ),
        (
            CD_GOV,
            QM.Agency,
            "成都市人民政府",
            ("成都市",),
            CHENGDU,
            QM.Prefectural,
            SECTOR_GOV,
            None,
        ),
    )
    for node, cls, label, alts, jur, level, sector, counterpart in orgs:
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, zh(label)))
        for alt in alts:
            g.add((node, SKOS.altLabel, zh(alt)))
        g.add((node, QM.jurisdiction, jur))
        g.add((node, QM.level, level))
        if sector is not None:
            g.add((node, QM.sector, sector))
        if counterpart is not None:
            g.add((node, QM.counterpart, counterpart))
    g.add((MPS, RDFS.label, Literal("Ministry of Public Security", lang="en")))

    # campaign and series
    g.add((KUNLUN_2022, RDF.type, QM.Campaign))
    g.add((KUNLUN_2022, RDFS.label, zh("昆仑2022")))
    g.add((KUNLUN_2022, SKOS.altLabel, zh("昆仑 2022")))
    g.add((KUNLUN_2022, QM.series, KUNLUN))
    g.add((KUNLUN_2022, QM.year, Literal(YEAR)))
    g.add((KUNLUN, RDF.type, QM.CampaignSeries))
    g.add((KUNLUN, RDFS.label, zh("昆仑")))

    # slogan, cited notice
    g.add((SLOGAN, RDF.type, QM.Slogan))
    g.add((SLOGAN, RDFS.label, zh(SLOGAN_TEXT)))
    g.add((N_CITED, RDF.type, QM.Notice))
    g.add((N_CITED, QM.docNumber, Literal("国发〔2021〕1号")))


def _notice(
    g: Graph, node, *, title, doc, issued, issuer, jur, level, source_file, content
) -> None:
    g.add((node, RDF.type, QM.Notice))
    g.add((node, DCTERMS.title, zh(title)))
    g.add((node, QM.docNumber, Literal(doc)))
    g.add((node, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((node, QM.issuedKind, QM.SigningDate))
    g.add((node, QM.genre, QM.NoticeGenre))
    g.add((node, QM.year, Literal(YEAR)))
    g.add((node, QM.issuedBy, issuer))
    g.add((node, QM.jurisdiction, jur))
    g.add((node, QM.level, level))
    g.add((node, QM.theme, zh(THEME)))
    g.add((node, QM.sourceFile, Literal(source_file)))
    g.add((node, QM.contentHash, Literal(content * 64)))
    g.add((node, QM.encoding, Literal("utf-8")))


def _edition(g: Graph, node, *, label, jur, level, notice, implements=None) -> None:
    g.add((node, RDF.type, QM.QualityMonth))
    g.add((node, RDFS.label, zh(label)))
    g.add((node, QM.jurisdiction, jur))
    g.add((node, QM.level, level))
    g.add((node, QM.year, Literal(YEAR)))
    g.add((node, QM.theme, zh(THEME)))
    g.add((node, QM.slogan, SLOGAN))
    g.add((node, QM.describedBy, notice))
    if implements is not None:
        g.add((node, QM.implements, implements))


def _activity(
    g: Graph,
    node,
    *,
    text,
    notice,
    organizers,
    jur,
    kind,
    label,
    start,
    end,
    edition,
    co=(),
    campaigns=(),
    cites=(),
) -> None:
    g.add((node, RDF.type, QM.Activity))
    g.add((node, QM.text, zh(text)))
    g.add((node, QM.notice, notice))
    g.add((node, QM.year, Literal(YEAR)))
    for o in organizers:
        g.add((node, QM.organizer, o))
    for o in co:
        g.add((node, QM.coOrganizer, o))
    g.add((node, QM.jurisdiction, jur))
    for c in campaigns:
        g.add((node, QM.campaign, c))
    for c in cites:
        g.add((node, QM.cites, zh(c)))
    g.add((node, QM.blockKind, Literal(kind)))
    if label:
        g.add((node, QM.blockLabel, zh(label)))
    g.add((node, QM.sourceStart, Literal(start)))
    g.add((node, QM.sourceEnd, Literal(end)))
    g.add((node, QM.edition, edition))


def _national(g: Graph) -> None:
    _notice(
        g,
        N_NAT,
        title="关于开展2022年全国“质量月”活动的通知",
        doc="国市监质发〔2022〕76号",
        issued="2022-08-19",
        issuer=SAMR,
        jur=CN,
        level=QM.National,
        source_file="001_national.txt",
        content="a",
    )
    g.add((N_NAT, QM.implements, N_CITED))
    _edition(g, ED_NAT, label="2022年全国质量月", jur=CN, level=QM.National, notice=N_NAT)
    g.add((ED_NAT, QM.jointOrganizer, SAMR))
    g.add((ED_NAT, QM.jointOrganizer, MPS))
    g.add((ED_NAT, QM.jointOrganizer, CAQ))
    _activity(
        g,
        A_NAT,
        text=NAT_TEXT,
        notice=N_NAT,
        organizers=[MPS],
        jur=CN,
        kind="organizer",
        label="公安部",
        start=1200,
        end=1240,
        edition=ED_NAT,
        campaigns=[KUNLUN_2022],
        cites=["中华人民共和国产品质量法"],
    )


def _provincial(g: Graph) -> None:
    _notice(
        g,
        N_PROV,
        title="关于开展2022年四川省“质量月”活动的通知",
        doc="川市监发〔2022〕88号",
        issued="2022-08-30",
        issuer=SC_SAMR,
        jur=SICHUAN,
        level=QM.Provincial,
        source_file="002_sichuan.txt",
        content="b",
    )
    g.add((N_PROV, QM.implements, N_NAT))
    _edition(
        g,
        ED_PROV,
        label="2022年四川省质量月",
        jur=SICHUAN,
        level=QM.Provincial,
        notice=N_PROV,
        implements=ED_NAT,
    )
    g.add((ED_PROV, QM.jointOrganizer, SC_SAMR))
    _activity(
        g,
        A_PROV,
        text=PROV_TEXT,
        notice=N_PROV,
        organizers=[SC_PS],
        co=[SC_SAMR],
        jur=SICHUAN,
        kind="organizer",
        label="省公安厅",
        start=800,
        end=842,
        edition=ED_PROV,
        campaigns=[KUNLUN_2022],
    )
    _activity(
        g,
        A_CITY,
        text=CITY_TEXT,
        notice=N_PROV,
        organizers=[CD_GOV],
        jur=CHENGDU,
        kind="jurisdiction",
        label="成都市",
        start=2000,
        end=2022,
        edition=ED_PROV,
    )

    # lineage: provincial activity adapts the national one
    g.add((A_PROV, QM.mirrors, A_NAT))
    g.add((A_PROV, PROV.wasDerivedFrom, A_NAT))
    g.add((LINK, RDF.type, QM.MirrorLink))
    g.add((LINK, QM.source, A_PROV))
    g.add((LINK, QM.target, A_NAT))
    g.add((LINK, QM.score, Literal(Decimal("0.87"))))
    g.add((LINK, QM.grade, Literal("adapted")))
    g.add((LINK, QM.method, Literal("char-ngram-index+partial-ratio")))
    g.add((LINK, QM.evidence, zh("组织开展“昆仑2022”专项行动，严厉打击食品、药品")))
    g.add((LINK, QM.sourceStart, Literal(810)))
    g.add((LINK, QM.sourceEnd, Literal(835)))
    g.add((LINK, QM.targetStart, Literal(1203)))
    g.add((LINK, QM.targetEnd, Literal(1228)))


def valid_dataset() -> Dataset:
    """A fresh dataset that conforms to the shapes and passes every QC query."""
    ds = Dataset()
    bind_all(ds)
    _shared(ds.graph(SHARED_GRAPH))
    _national(ds.graph(G_NAT))
    _provincial(ds.graph(G_PROV))
    return ds


__all__ = [name for name in dir() if name.isupper()] + ["valid_dataset", "zh", "ORGNS"]
