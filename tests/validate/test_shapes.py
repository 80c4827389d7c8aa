"""SHACL shapes: the valid fixture conforms, and each mutation breaks exactly its rule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from qmgraph.errors import QmgraphError
from qmgraph.namespaces import ID, QM, SCHEMA, SH, SHARED_GRAPH
from qmgraph.namespaces import ORG as ORGNS
from qmgraph.validate import ENGINES, QMS, ValidationInput, load_shapes, validate

from . import fixtures as fx
from .fixtures import valid_dataset, zh

Mutation = Callable[[Dataset], None]


def shared(ds: Dataset):
    return ds.graph(SHARED_GRAPH)


def nat(ds: Dataset):
    return ds.graph(fx.G_NAT)


def prov(ds: Dataset):
    return ds.graph(fx.G_PROV)


def setv(graph, s, p, o) -> None:
    graph.set((s, p, o))


def drop(graph, s, p) -> None:
    graph.remove((s, p, None))


def add(graph, s, p, o) -> None:
    graph.add((s, p, o))


def bnode_with(graph, cls, *pairs) -> None:
    b = BNode()
    graph.add((b, RDF.type, cls))
    for p, o in pairs:
        graph.add((b, p, o))


# (rule IDs expected, mutation). Each mutation breaks one rule (a few break a rule whose
# failure necessarily implies another; those list both).
CASES: list[tuple[str, set[str], Mutation]] = [
    # ------------------------------------------------------------------ notice
    (
        "notice-blank",
        {"QM-NOTICE-000"},
        lambda d: bnode_with(shared(d), QM.Notice, (QM.docNumber, Literal("国发〔2021〕2号"))),
    ),
    (
        "notice-docnumber-pattern",
        {"QM-NOTICE-001"},
        lambda d: setv(nat(d), fx.N_NAT, QM.docNumber, Literal("国市监质发2022-76")),
    ),
    (
        "notice-title-lang",
        {"QM-NOTICE-002"},
        lambda d: setv(nat(d), fx.N_NAT, DCTERMS.title, Literal("关于开展质量月活动的通知")),
    ),
    (
        "notice-issued-datatype",
        {"QM-NOTICE-003"},
        lambda d: setv(nat(d), fx.N_NAT, DCTERMS.issued, Literal("2022-08-19")),
    ),
    (
        "notice-year-range",
        {"QM-NOTICE-004"},
        lambda d: setv(nat(d), fx.N_NAT, QM.year, Literal(1900)),
    ),
    (
        "notice-issuedby-class",
        {"QM-NOTICE-005"},
        lambda d: setv(nat(d), fx.N_NAT, QM.issuedBy, fx.CN),
    ),
    (
        "notice-jurisdiction-class",
        {"QM-NOTICE-006"},
        lambda d: setv(nat(d), fx.N_NAT, QM.jurisdiction, fx.SAMR),
    ),
    (
        "notice-level-in",
        {"QM-NOTICE-007"},
        lambda d: setv(nat(d), fx.N_NAT, QM.level, QM.Municipal),
    ),
    (
        "notice-theme-lang",
        {"QM-NOTICE-008"},
        lambda d: setv(nat(d), fx.N_NAT, QM.theme, Literal("quality", lang="en")),
    ),
    (
        "notice-implements-class",
        {"QM-NOTICE-009"},
        lambda d: setv(prov(d), fx.N_PROV, QM.implements, fx.ED_NAT),
    ),
    (
        "notice-sourcefile-empty",
        {"QM-NOTICE-010"},
        lambda d: setv(nat(d), fx.N_NAT, QM.sourceFile, Literal("")),
    ),
    (
        "notice-contenthash-pattern",
        {"QM-NOTICE-011"},
        lambda d: setv(nat(d), fx.N_NAT, QM.contentHash, Literal("XYZ")),
    ),
    (
        "notice-encoding-max",
        {"QM-NOTICE-012"},
        lambda d: add(nat(d), fx.N_NAT, QM.encoding, Literal("gb18030")),
    ),
    ("notice-unidentified", {"QM-NOTICE-013"}, lambda d: drop(shared(d), fx.N_CITED, QM.docNumber)),
    (
        "corpus-notice-type",
        {"QM-NOTICE-021", "QM-NOTICE-022", "QM-NOTICE-025", "QM-NOTICE-026", "QM-NOTICE-027",
         "QM-NOTICE-031"},
        lambda d: add(nat(d), fx.A_NAT, QM.sourceFile, Literal("001_national.txt")),
    ),
    ("corpus-notice-title", {"QM-NOTICE-022"}, lambda d: drop(prov(d), fx.N_PROV, DCTERMS.title)),
    ("corpus-notice-genre", {"QM-NOTICE-031"}, lambda d: drop(prov(d), fx.N_PROV, QM.genre)),
    (
        "corpus-notice-genre-unknown",
        {"QM-NOTICE-031"},
        lambda d: add(prov(d), fx.N_PROV, QM.genre, QM.Notice),
    ),
    ("notice-issued-kind", {"QM-NOTICE-033"}, lambda d: drop(prov(d), fx.N_PROV, QM.issuedKind)),
    ("corpus-notice-year", {"QM-NOTICE-023"}, lambda d: drop(prov(d), fx.N_PROV, QM.year)),
    (
        "corpus-notice-jurisdiction",
        {"QM-NOTICE-024"},
        lambda d: drop(prov(d), fx.N_PROV, QM.jurisdiction),
    ),
    ("corpus-notice-level", {"QM-NOTICE-025"}, lambda d: drop(prov(d), fx.N_PROV, QM.level)),
    ("corpus-notice-hash", {"QM-NOTICE-026"}, lambda d: drop(prov(d), fx.N_PROV, QM.contentHash)),
    ("corpus-notice-encoding", {"QM-NOTICE-027"}, lambda d: drop(prov(d), fx.N_PROV, QM.encoding)),
    # ------------------------------------------------------------ jurisdiction
    (
        "jur-blank",
        {"QM-JUR-000"},
        lambda d: bnode_with(
            shared(d),
            QM.Jurisdiction,
            (RDFS.label, zh("某县")),
            (QM.level, QM.County),
            (QM.divisionCode, Literal("510199")),
            (QM.partOf, fx.CHENGDU),
        ),
    ),
    (
        "jur-label-unique-lang",
        {"QM-JUR-001"},
        lambda d: add(shared(d), fx.SICHUAN, RDFS.label, zh("四川")),
    ),
    (
        "jur-label-zh",
        {"QM-JUR-002"},
        lambda d: setv(shared(d), fx.SICHUAN, RDFS.label, Literal("Sichuan", lang="en")),
    ),
    (
        "jur-altlabel-lang",
        {"QM-JUR-003"},
        lambda d: setv(shared(d), fx.SICHUAN, SKOS.altLabel, Literal("川")),
    ),
    (
        "jur-code-pattern",
        {"QM-JUR-004"},
        lambda d: setv(shared(d), fx.SICHUAN, QM.divisionCode, Literal("51000")),
    ),
    ("jur-level-missing", {"QM-JUR-005"}, lambda d: drop(shared(d), fx.CHENGDU, QM.level)),
    (
        "jur-partof-class",
        {"QM-JUR-006"},
        lambda d: setv(shared(d), fx.CHENGDU, QM.partOf, fx.SC_PS),
    ),
    (
        "jur-division-without-parent",
        {"QM-JUR-007"},
        lambda d: drop(shared(d), fx.CHENGDU, QM.partOf),
    ),
    (
        "jur-nation-with-code",
        {"QM-JUR-007"},
        lambda d: add(shared(d), fx.CN, QM.divisionCode, Literal("100000")),
    ),
    # ------------------------------------------------------------ organization
    (
        "org-blank",
        {"QM-ORG-000"},
        lambda d: bnode_with(shared(d), QM.Enterprise, (RDFS.label, zh("某公司"))),
    ),
    (
        "org-label-unique-lang",
        {"QM-ORG-001"},
        lambda d: add(shared(d), fx.SC_PS, RDFS.label, zh("公安厅")),
    ),
    (
        "org-label-zh",
        {"QM-ORG-002"},
        lambda d: setv(
            shared(d), fx.CAQ, RDFS.label, Literal("China Association for Quality", lang="en")
        ),
    ),
    (
        "org-altlabel-lang",
        {"QM-ORG-003"},
        lambda d: add(shared(d), fx.SC_PS, SKOS.altLabel, Literal("PSB", lang="en")),
    ),
    (
        "org-jurisdiction-class",
        {"QM-ORG-004"},
        lambda d: setv(shared(d), fx.CAQ, QM.jurisdiction, fx.SAMR),
    ),
    (
        "org-level-in",
        {"QM-ORG-005"},
        lambda d: setv(shared(d), fx.CAQ, QM.level, Literal("national")),
    ),
    (
        "org-sector-class",
        # the undeclared sector is a focus node of the sector shape (sh:targetObjectsOf
        # qm:sector) and lacks everything a sector needs: the whole graph is validated,
        # as SHACL defines it (decision 0005), not only the nodes a graph states
        {"QM-ORG-006", "QM-ORG-021", "QM-ORG-022", "QM-ORG-023", "QM-ORG-024"},
        lambda d: setv(shared(d), fx.SC_PS, QM.sector, ID["sector/undeclared"]),
    ),
    (
        "org-counterpart-class",
        {"QM-ORG-007"},
        lambda d: setv(shared(d), fx.SC_PS, QM.counterpart, fx.CN),
    ),
    (
        "org-suborganization-class",
        {"QM-ORG-008"},
        lambda d: add(shared(d), fx.SC_PS, ORGNS.subOrganizationOf, fx.KUNLUN),
    ),
    ("agency-jurisdiction", {"QM-ORG-011"}, lambda d: drop(shared(d), fx.SC_PS, QM.jurisdiction)),
    ("agency-level", {"QM-ORG-012"}, lambda d: drop(shared(d), fx.SC_PS, QM.level)),
    (
        "sector-preflabel-unique-lang",
        {"QM-ORG-021"},
        lambda d: add(shared(d), fx.SECTOR_PS, SKOS.prefLabel, zh("公安机关")),
    ),
    (
        "sector-preflabel-zh",
        {"QM-ORG-022"},
        lambda d: shared(d).remove((fx.SECTOR_PS, SKOS.prefLabel, zh("公安"))),
    ),
    (
        "sector-notation-pattern",
        {"QM-ORG-023"},
        lambda d: setv(shared(d), fx.SECTOR_PS, SKOS.notation, Literal("Public Security")),
    ),
    (
        "sector-scheme",
        {"QM-ORG-024"},
        lambda d: setv(shared(d), fx.SECTOR_PS, SKOS.inScheme, ID["scheme/other"]),
    ),
    # ---------------------------------------------------------------- campaign
    (
        "campaign-blank",
        {"QM-CAMP-000", "QM-CAMP-005"},
        lambda d: bnode_with(shared(d), QM.Campaign, (RDFS.label, zh("惠百城助万企"))),
    ),
    ("campaign-label", {"QM-CAMP-001"}, lambda d: drop(shared(d), fx.KUNLUN_2022, RDFS.label)),
    (
        "campaign-altlabel-empty",
        {"QM-CAMP-002"},
        lambda d: add(shared(d), fx.KUNLUN_2022, SKOS.altLabel, zh("")),
    ),
    (
        "campaign-series-class",
        {"QM-CAMP-003"},
        lambda d: setv(shared(d), fx.KUNLUN_2022, QM.series, fx.KUNLUN_2022),
    ),
    (
        "campaign-without-series",
        {"QM-CAMP-005"},
        lambda d: drop(shared(d), fx.KUNLUN_2022, QM.series),
    ),
    (
        "campaign-year-datatype",
        {"QM-CAMP-004"},
        lambda d: setv(shared(d), fx.KUNLUN_2022, QM.year, Literal("2022")),
    ),
    (
        "series-blank",
        {"QM-CAMP-010"},
        lambda d: bnode_with(shared(d), QM.CampaignSeries, (RDFS.label, zh("蓝天"))),
    ),
    ("series-label", {"QM-CAMP-011"}, lambda d: drop(shared(d), fx.KUNLUN, RDFS.label)),
    # ----------------------------------------------------------------- edition
    ("edition-label", {"QM-ED-001"}, lambda d: drop(prov(d), fx.ED_PROV, RDFS.label)),
    (
        "edition-organizer-count",
        {"QM-ED-020"},
        lambda d: add(prov(d), fx.ED_PROV, QM.organizerCount, Literal(0)),
    ),
    ("edition-jurisdiction", {"QM-ED-002"}, lambda d: drop(prov(d), fx.ED_PROV, QM.jurisdiction)),
    ("edition-level", {"QM-ED-003"}, lambda d: drop(prov(d), fx.ED_PROV, QM.level)),
    (
        "edition-year-datatype",
        {"QM-ED-004"},
        lambda d: setv(prov(d), fx.ED_PROV, QM.year, Literal("2022")),
    ),
    (
        "edition-theme-lang",
        {"QM-ED-005"},
        lambda d: setv(prov(d), fx.ED_PROV, QM.theme, Literal("主题")),
    ),
    (
        "edition-jointorganizer-class",
        {"QM-ED-006"},
        lambda d: add(prov(d), fx.ED_PROV, QM.jointOrganizer, fx.SICHUAN),
    ),
    (
        "edition-slogan-class",
        {"QM-ED-007"},
        lambda d: setv(prov(d), fx.ED_PROV, QM.slogan, fx.KUNLUN),
    ),
    (
        "edition-implements-class",
        {"QM-ED-008"},
        lambda d: setv(prov(d), fx.ED_PROV, QM.implements, fx.N_NAT),
    ),
    (
        "edition-describedby-class",
        {"QM-ED-009"},
        lambda d: setv(prov(d), fx.ED_PROV, QM.describedBy, fx.KUNLUN),
    ),
    # ---------------------------------------------------------------- activity
    ("activity-text-blank", {"QM-ACT-001"}, lambda d: setv(prov(d), fx.A_PROV, QM.text, zh("   "))),
    ("activity-notice", {"QM-ACT-002"}, lambda d: drop(prov(d), fx.A_PROV, QM.notice)),
    (
        "activity-start-date",
        {"QM-ACT-020"},
        lambda d: add(prov(d), fx.A_PROV, SCHEMA.startDate, Literal("9月5日")),
    ),
    (
        "activity-location",
        {"QM-ACT-021"},
        lambda d: add(prov(d), fx.A_PROV, SCHEMA.location, Literal("人民广场")),
    ),
    ("activity-year", {"QM-ACT-016"}, lambda d: drop(prov(d), fx.A_PROV, QM.year)),
    (
        "activity-year-range",
        {"QM-ACT-003"},
        lambda d: setv(prov(d), fx.A_PROV, QM.year, Literal(1800, datatype=XSD.integer)),
    ),
    ("activity-no-jurisdiction", {"QM-ACT-017"}, lambda d: drop(prov(d), fx.A_PROV, QM.jurisdiction)),
    ("activity-no-organizer", {"QM-ACT-004"}, lambda d: drop(prov(d), fx.A_PROV, QM.organizer)),
    (
        "activity-organizer-class",
        {"QM-ACT-004"},
        lambda d: add(prov(d), fx.A_PROV, QM.organizer, fx.SICHUAN),
    ),
    (
        "activity-coorganizer-class",
        {"QM-ACT-005"},
        lambda d: add(prov(d), fx.A_PROV, QM.coOrganizer, fx.KUNLUN_2022),
    ),
    (
        "activity-jurisdiction-class",
        {"QM-ACT-006"},
        lambda d: setv(prov(d), fx.A_PROV, QM.jurisdiction, fx.SC_PS),
    ),
    (
        "activity-campaign-class",
        {"QM-ACT-007"},
        lambda d: add(prov(d), fx.A_PROV, QM.campaign, fx.KUNLUN),
    ),
    (
        "activity-cites-brackets",
        {"QM-ACT-008"},
        lambda d: add(prov(d), fx.A_PROV, QM.cites, zh("《产品质量法》")),
    ),
    (
        "activity-blockkind-in",
        {"QM-ACT-009"},
        lambda d: setv(prov(d), fx.A_PROV, QM.blockKind, Literal("section")),
    ),
    (
        "activity-blocklabel-empty",
        {"QM-ACT-010"},
        lambda d: setv(prov(d), fx.A_PROV, QM.blockLabel, zh("")),
    ),
    (
        "activity-sourcestart-negative",
        {"QM-ACT-011"},
        lambda d: setv(prov(d), fx.A_PROV, QM.sourceStart, Literal(-1)),
    ),
    (
        "activity-sourceend-missing",
        {"QM-ACT-012"},
        lambda d: drop(prov(d), fx.A_PROV, QM.sourceEnd),
    ),
    (
        "activity-source-order",
        {"QM-ACT-013"},
        lambda d: setv(prov(d), fx.A_PROV, QM.sourceStart, Literal(900)),
    ),
    (
        "activity-edition-class",
        {"QM-ACT-014"},
        lambda d: setv(prov(d), fx.A_PROV, QM.edition, fx.N_PROV),
    ),
    (
        "activity-mirrors-class",
        {"QM-ACT-015"},
        lambda d: add(prov(d), fx.A_CITY, QM.mirrors, fx.SAMR),
    ),
    # ------------------------------------------------------------------ mirror
    ("mirror-source-missing", {"QM-MIRROR-001"}, lambda d: drop(prov(d), fx.LINK, QM.source)),
    (
        "mirror-target-class",
        {"QM-MIRROR-002"},
        lambda d: setv(prov(d), fx.LINK, QM.target, fx.SAMR),
    ),
    ("mirror-self", {"QM-MIRROR-003"}, lambda d: setv(prov(d), fx.LINK, QM.target, fx.A_PROV)),
    (
        "mirror-score-range",
        {"QM-MIRROR-004"},
        lambda d: setv(prov(d), fx.LINK, QM.score, Literal(Decimal("1.5"))),
    ),
    (
        "mirror-score-datatype",
        {"QM-MIRROR-004"},
        lambda d: setv(prov(d), fx.LINK, QM.score, Literal(0.5)),
    ),
    (
        "mirror-grade-in",
        {"QM-MIRROR-005"},
        lambda d: setv(prov(d), fx.LINK, QM.grade, Literal("copied")),
    ),
    ("mirror-method", {"QM-MIRROR-006"}, lambda d: drop(prov(d), fx.LINK, QM.method)),
    ("mirror-evidence", {"QM-MIRROR-007"}, lambda d: drop(prov(d), fx.LINK, QM.evidence)),
    (
        "mirror-sourcestart-max",
        {"QM-MIRROR-008"},
        lambda d: add(prov(d), fx.LINK, QM.sourceStart, Literal(811)),
    ),
    (
        "mirror-sourceend-max",
        {"QM-MIRROR-009"},
        lambda d: add(prov(d), fx.LINK, QM.sourceEnd, Literal(900)),
    ),
    (
        "mirror-source-order",
        {"QM-MIRROR-010"},
        lambda d: setv(prov(d), fx.LINK, QM.sourceStart, Literal(850)),
    ),
    (
        "mirror-targetstart-max",
        {"QM-MIRROR-011"},
        lambda d: add(prov(d), fx.LINK, QM.targetStart, Literal(1204)),
    ),
    (
        "mirror-targetend-max",
        {"QM-MIRROR-012"},
        lambda d: add(prov(d), fx.LINK, QM.targetEnd, Literal(1300)),
    ),
    (
        "mirror-target-order",
        {"QM-MIRROR-013"},
        lambda d: setv(prov(d), fx.LINK, QM.targetStart, Literal(1300)),
    ),
    # ------------------------------------------------------------------ slogan
    (
        "slogan-blank",
        {"QM-SLOGAN-000"},
        lambda d: bnode_with(shared(d), QM.Slogan, (RDFS.label, zh("质量第一"))),
    ),
    ("slogan-label", {"QM-SLOGAN-001"}, lambda d: drop(shared(d), fx.SLOGAN, RDFS.label)),
]


ENGINE_NAMES = ["shacl", "pyshacl"]


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def valid_report(request):
    return validate(valid_dataset(), engine=request.param)


def test_valid_dataset_conforms(valid_report) -> None:
    assert valid_report.results == [], valid_report.text()
    assert valid_report.conforms
    assert valid_report.engine in ENGINE_NAMES


def test_default_engine_is_shacl() -> None:
    assert validate(valid_dataset()).engine == "shacl"


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize(("name", "expected", "mutate"), CASES, ids=[c[0] for c in CASES])
def test_mutation_breaks_its_rule(
    name: str, expected: set[str], mutate: Mutation, engine: str
) -> None:
    ds = valid_dataset()
    mutate(ds)
    report = validate(ds, engine=engine)
    assert report.conforms == (expected <= WARNING_RULES)  # warnings alone still conform
    assert report.rule_ids() == expected, report.text()
    for r in report.results:
        want = "Warning" if r.rule_id in WARNING_RULES else "Violation"
        assert r.message and r.message_zh and r.severity == want


#: Missing year or place on a notice of the corpus is flagged, not guessed: warnings.
WARNING_RULES = {"QM-NOTICE-022", "QM-NOTICE-023", "QM-NOTICE-024", "QM-NOTICE-025", "QM-ACT-016", "QM-ACT-017"}


def test_every_rule_has_a_case() -> None:
    """Each targeted shape and each of its property shapes is exercised by some mutation."""
    shapes = load_shapes()
    targeted = set()
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
        targeted |= set(shapes.subjects(pred, None))
    rule_ids = {str(shapes.value(s, QMS.ruleId)) for s in targeted}
    for s in targeted:
        rule_ids |= {str(shapes.value(p, QMS.ruleId)) for p in shapes.objects(s, SH.property)}
    covered = set().union(*(c[1] for c in CASES))
    # node shapes whose only constraint is their targets' property shapes cannot fail alone
    container_only = {
        str(shapes.value(s, QMS.ruleId))
        for s in targeted
        if not set(shapes.predicates(s))
        - {
            RDF.type,
            SH.targetClass,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.property,
            SH.message,
            QMS.ruleId,
        }
    }
    # edition and activity blank-node rules are the same constraint as the other classes'
    missing = rule_ids - covered - container_only - {"QM-ED-000", "QM-ACT-000", "QM-MIRROR-000"}
    assert not missing, sorted(missing)


def test_shapes_are_named_with_rule_ids_and_bilingual_messages() -> None:
    shapes = load_shapes()
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    nodes |= set(shapes.subjects(SH.path, None))
    assert len(nodes) > 80
    for s in nodes:
        assert isinstance(s, URIRef) and str(s).startswith(str(QMS)), s
        assert shapes.value(s, QMS.ruleId) is not None, s
        langs = {m.language for m in shapes.objects(s, SH.message)}
        assert {"zh", "en"} <= langs, s
    assert (QMS.ruleId, RDF.type, OWL.AnnotationProperty) in shapes
    # no SHACL-SPARQL constraints: cross-node rules are QC queries
    assert not list(shapes.subjects(SH.sparql, None))


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_shared_node_reported_once(engine: str) -> None:
    """A shared organization referenced by both notice graphs is validated once."""
    ds = valid_dataset()
    shared(ds).add((fx.SC_SAMR, RDFS.label, zh("省市场监管局")))
    report = validate(ds, engine=engine)
    assert [r.rule_id for r in report.results] == ["QM-ORG-001"]
    assert report.results[0].focus == str(fx.SC_SAMR)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_report_is_deterministic_and_graph_shaped(engine: str) -> None:
    ds = valid_dataset()
    prov(ds).remove((fx.A_PROV, QM.organizer, None))
    nat(ds).set((fx.N_NAT, QM.year, Literal(1800)))
    shared(ds).set((fx.SICHUAN, QM.divisionCode, Literal("5100")))
    a, b = validate(ds, engine=engine), validate(ds, engine=engine)
    assert a.results == b.results
    assert [r.rule_id for r in a.results] == ["QM-ACT-004", "QM-JUR-004", "QM-NOTICE-004"]
    assert a.results == sorted(a.results, key=lambda r: r.sort_key())
    ga, gb = a.to_graph(), b.to_graph()
    assert ga.serialize(format="nt") and set(ga) == set(gb)
    assert not [t for t in ga if any(isinstance(x, BNode) for x in t)]
    assert len(list(ga.subjects(RDF.type, SH.ValidationResult))) == 3
    assert (ID["validation/report"], SH.conforms, Literal(False)) in ga
    text = a.text()
    assert "does not conform" in text and "QM-ACT-004" in text and "qm:organizer" in text


def test_unknown_engine_and_registry(monkeypatch) -> None:
    with pytest.raises(QmgraphError) as err:
        validate(valid_dataset(), engine="nope")
    assert "pyshacl" in err.value.hint
    assert "shacl" in err.value.hint
    calls = []

    def fake(data: ValidationInput, shapes):
        calls.append(len(data.graph()))
        return ENGINES["pyshacl"](data, shapes)

    monkeypatch.setitem(ENGINES, "fake", fake)
    report = validate(valid_dataset(), engine="fake")
    assert report.conforms and report.engine == "fake"
    assert len(calls) == 1  # an engine gets all the data and shards it itself


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_plain_graph_is_one_shard(engine: str) -> None:
    from qmgraph.namespaces import new_graph

    g = new_graph()
    for s, p, o, _c in valid_dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    assert validate(g, engine=engine).conforms
    g.remove((fx.LINK, QM.grade, None))
    assert validate(g, engine=engine).rule_ids() == {"QM-MIRROR-005"}


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_prov_relation_untouched_by_shapes(engine: str) -> None:
    """prov:wasQuotedFrom / wasDerivedFrom are checked by QC, not by shapes."""
    ds = valid_dataset()
    prov(ds).remove((fx.A_PROV, PROV.wasDerivedFrom, None))
    assert validate(ds, engine=engine).conforms


def test_shapes_checked_again_when_the_loaded_graph_changes() -> None:
    """The checks and compiled shapes kept for a graph of ``load_shapes`` are worked out
    again when that graph changes: a constraint added later is refused, not skipped."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from qmgraph.errors import UnsupportedShape
    from qmgraph.validate import load_shapes, validate

    data = b'<http://example.org/x> <http://example.org/p> "1" .\n'
    shapes = load_shapes()
    validate(data, shapes=shapes)
    shape, js = BNode(), BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetNode, URIRef("http://example.org/x")))
    shapes.add((shape, SH.js, js))  # SHACL-JS: refused, never skipped
    shapes.add((js, SH.jsFunctionName, Literal("check")))
    try:
        with pytest.raises(UnsupportedShape):
            validate(data, shapes=shapes)
    finally:
        shapes.remove((shape, None, None))
        shapes.remove((js, None, None))
    validate(data, shapes=shapes)
