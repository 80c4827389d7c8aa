"""The OWL ontology: parses, names every contract term bilingually, stays consistent."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from qmgraph.namespaces import ORG, QM, SCHEMA, new_graph
from qmgraph.validate import load_ontology, load_shapes

from . import fixtures as fx
from .fixtures import valid_dataset

ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # owlrl's error markers

CLASSES = """Notice Jurisdiction AdministrativeLevel Agency Association Enterprise Campaign
CampaignSeries QualityMonth Activity MirrorLink Slogan""".split()
PROPERTIES = """docNumber year issuedBy jurisdiction level theme implements sourceFile contentHash
encoding divisionCode partOf sector counterpart series jointOrganizer slogan describedBy text
notice organizer coOrganizer campaign cites blockKind blockLabel sourceStart sourceEnd
targetStart targetEnd edition mirrors source target score grade method evidence describes
activity""".split()
LEVELS = ["National", "Provincial", "Prefectural", "County"]


@pytest.fixture(scope="module")
def onto():
    return load_ontology()


def test_header(onto) -> None:
    o = URIRef("https://w3id.org/qmgraph/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, URIRef("http://purl.org/dc/terms/license")) is not None
    assert str(onto.value(o, URIRef("http://purl.org/dc/terms/creator"))) == "qmgraph"


def _langs(g, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


@pytest.mark.parametrize(
    ("name", "kind"),
    [(c, OWL.Class) for c in CLASSES]
    + [(p, None) for p in PROPERTIES]
    + [(lv, QM.AdministrativeLevel) for lv in LEVELS],
)
def test_term_declared_and_bilingual(onto, name: str, kind) -> None:
    term = QM[name]
    types = set(onto.objects(term, RDF.type))
    if kind is None:
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
    else:
        assert kind in types, name
    assert {"zh", "en"} <= _langs(onto, term, RDFS.label), name
    assert {"zh", "en"} <= _langs(onto, term, SKOS.definition), name


def test_every_qm_term_is_labelled(onto) -> None:
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(QM))}
    for t in terms:
        assert {"zh", "en"} <= _langs(onto, t, RDFS.label), t


def test_alignments(onto) -> None:
    assert (QM.Agency, RDFS.subClassOf, ORG.FormalOrganization) in onto
    assert (QM.Agency, RDFS.subClassOf, SCHEMA.GovernmentOrganization) in onto
    assert (QM.QualityMonth, RDFS.subClassOf, QM.Campaign) in onto
    assert (QM.partOf, RDF.type, OWL.TransitiveProperty) in onto
    assert (QM.partOf, RDFS.subPropertyOf, SKOS.broaderTransitive) in onto
    assert (QM.divisionCode, RDFS.subPropertyOf, SKOS.notation) in onto
    assert (QM.mirrors, RDFS.subPropertyOf, PROV.wasInfluencedBy) in onto
    assert (QM.counterpart, RDFS.subPropertyOf, ORG.linkedTo) in onto
    assert (QM.describes, OWL.inverseOf, QM.describedBy) in onto
    assert (QM.activity, OWL.inverseOf, QM.notice) in onto
    # schema: is http, never rdflib's https default
    assert not [t for t in onto if any("https://schema.org" in str(x) for x in t)]


def test_shapes_use_only_ontology_terms(onto) -> None:
    declared = {s for s in onto.subjects() if isinstance(s, URIRef)}
    used = {
        x for t in load_shapes() for x in t if isinstance(x, URIRef) and str(x).startswith(str(QM))
    }
    assert used - declared == set()


def ontology_with_valid_data() -> Graph:
    """The ontology and the valid contract dataset in one graph (``bench/micro.py`` times
    its OWL RL closure)."""
    g = new_graph()
    g += load_ontology()
    for s, p, o, _c in valid_dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def test_owlrl_closure_is_consistent() -> None:
    g = ontology_with_valid_data()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []
    errors = [
        str(m) for e in g.subjects(RDF.type, ERR.ErrorMessage) for m in g.objects(e, ERR.error)
    ]
    assert errors == []
    # the alignments reason as intended …
    assert (fx.SC_PS, RDF.type, ORG.FormalOrganization) in g
    assert (fx.ED_PROV, RDF.type, QM.Campaign) in g
    assert (fx.A_PROV, PROV.wasInfluencedBy, fx.A_NAT) in g
    assert (fx.CHENGDU, QM.partOf, fx.CN) in g
    assert (fx.N_PROV, QM.activity, fx.A_CITY) in g
    # … and union domains type nothing wrongly
    assert (fx.ED_PROV, RDF.type, QM.Notice) not in g
    assert (fx.SC_PS, RDF.type, QM.Activity) not in g
    assert (fx.CN, RDF.type, QM.Notice) not in g
    assert (fx.ED_NAT, RDF.type, QM.Notice) not in g


def test_owlrl_detects_a_clash() -> None:
    """The disjointness axioms bite: an agency that is also an association is an error."""
    g = new_graph()
    g += load_ontology()
    g.add((fx.SC_PS, RDF.type, QM.Agency))
    g.add((fx.SC_PS, RDF.type, QM.Association))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.subjects(RDF.type, ERR.ErrorMessage))
