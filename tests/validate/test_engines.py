"""The default engine ("shacl") and the reference ("pyshacl") give identical reports, and
shapes that cannot be checked are refused, never passed."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import qmgraph.validate as v
from qmgraph.errors import UnsupportedShape
from qmgraph.namespaces import QM, SH, new_graph
from qmgraph.validate import ENGINES, QMS, load_shapes, validate

from . import fixtures as fx
from .fixtures import valid_dataset
from .inject import inject_errors
from .test_shapes import CASES, nat, shared

_BLANK = re.compile(r"_:[A-Za-z0-9_]+")


def _both(data, **kw) -> tuple[v.ValidationReport, v.ValidationReport]:
    return validate(data, engine="shacl", **kw), validate(data, engine="pyshacl", **kw)


def _rows(report: v.ValidationReport) -> list[tuple]:
    """Every field of every result; blank node labels masked (each engine has its own)."""
    return sorted(
        tuple(_BLANK.sub("_:b", x or "") for x in (
            r.rule_id, r.severity, r.focus, r.path, r.value, r.message, r.message_zh,
            r.source_shape, r.constraint))
        for r in report.results
    )


def _same(a: v.ValidationReport, b: v.ValidationReport) -> None:
    """Same results, field by field (rule, severity, focus, path, value, messages…)."""
    assert _rows(a) == _rows(b), (a.text(), b.text())
    assert a.conforms == b.conforms


def test_both_engines_registered() -> None:
    assert {"shacl", "pyshacl"} <= set(ENGINES)
    assert v.DEFAULT_ENGINE == "shacl"


@pytest.mark.parametrize(("name", "expected", "mutate"), CASES, ids=[c[0] for c in CASES])
def test_mutation_results_identical(name, expected, mutate) -> None:
    ds = valid_dataset()
    mutate(ds)
    a, b = _both(ds)
    _same(a, b)
    assert a.rule_ids() == expected


def test_union_of_graphs_is_validated() -> None:
    """A node described in two graphs is validated once, with all its triples (the
    QC query node-in-two-graphs flags the split itself)."""
    ds = valid_dataset()
    nat(ds).add((fx.SC_PS, RDF.type, QM.Agency))
    nat(ds).add((fx.CN, RDFS.comment, Literal("stated here without a type")))
    a, b = _both(ds)
    _same(a, b)
    assert a.conforms and a.results == []
    nat(ds).add((fx.SC_PS, RDFS.label, Literal("a second label, in no language")))
    a, b = _both(ds)
    _same(a, b)
    assert "QM-ORG-001" in a.rule_ids()


def test_input_forms_agree(tmp_path) -> None:
    """Dataset, quads, N-Quads bytes, a pyoxigraph Store, a file and a default graph."""
    ds = valid_dataset()
    shared(ds).remove((fx.SLOGAN, RDFS.label, None))
    want = validate(ds, engine="pyshacl")
    assert want.rule_ids() == {"QM-SLOGAN-001"}
    quads = [(s, p, o, c) for s, p, o, c in ds.quads((None, None, None, None))]
    nq = "".join(v._nquad(*q) for q in quads).encode()
    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    trig = tmp_path / "data.trig"
    store.dump(trig, format=ox.RdfFormat.TRIG)
    for data in (ds, quads, nq, store, trig):
        for engine in ENGINES:
            got = validate(data, engine=engine)
            assert got.results == want.results, (engine, type(data))
    d2 = Dataset()
    for s, p, o, c in quads:
        (d2.default_graph if c == fx.G_NAT else d2.graph(c)).add((s, p, o))
    _same(*_both(d2))
    assert validate(d2).rule_ids() == {"QM-SLOGAN-001"}


def _with(*triples) -> object:
    shapes = new_graph()
    for t in load_shapes():
        shapes.add(t)
    for t in triples:
        shapes.add(t)
    return shapes


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
@pytest.mark.parametrize(("term", "obj"), [
    ("js", URIRef("urn:x:fn")),  # SHACL-JS: nothing here runs JavaScript
    ("rule", URIRef("urn:x:rule")),  # SHACL-AF rules: validation infers nothing
    ("minCnt", Literal(1)),  # not a SHACL term: a typo would check nothing
])
def test_unsupported_terms_are_refused(engine: str, term: str, obj) -> None:
    shapes = _with((QMS["Notice-title"], SH[term], obj))
    with pytest.raises(UnsupportedShape, match=f"sh:{term}"):
        validate(valid_dataset(), engine=engine, shapes=shapes)


def test_refused_type_is_named() -> None:
    shapes = _with((URIRef("urn:x:c"), RDF.type, SH.JSConstraint))
    with pytest.raises(UnsupportedShape, match="sh:JSConstraint"):
        v.check_supported(shapes)
    v.check_supported(load_shapes())  # ours are all checked


def test_blank_node_shapes_and_complex_paths() -> None:
    """A user's shape with blank-node property shapes and a complex path: both engines
    name the rule (the nearest shape with an IRI), its messages and the path alike."""
    from rdflib import BNode
    from rdflib.collection import Collection

    shapes = new_graph()
    shape, prop, inv, path = URIRef("urn:x:AgencyShape"), BNode(), BNode(), BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, QM.Agency))
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, path))
    shapes.add((prop, SH.minCount, Literal(1)))
    shapes.add((prop, SH.message, Literal("needs a notice citing it", lang="en")))
    shapes.add((prop, SH.message, Literal("须有通知提及", lang="zh")))
    Collection(shapes, path, [inv, RDF.type])
    shapes.add((inv, SH.inversePath, QM.organizer))
    a, b = _both(valid_dataset(), shapes=shapes)
    _same(a, b)
    assert a.results and {r.rule_id for r in a.results} == {"urn:x:AgencyShape"}
    r = a.results[0]
    assert r.path == f"^<{QM.organizer}>/<{RDF.type}>"
    assert (r.message, r.message_zh) == ("needs a notice citing it", "须有通知提及")
    assert a.to_graph().serialize(format="nt")


def test_seed_build_identical(tmp_path) -> None:
    from qmgraph.emit import corpus_quads
    from qmgraph.pipeline import build

    result = build(["data/raw"], tmp_path, validate=False, formats=("nq",))
    quads = corpus_quads(result.corpus)
    assert len(quads) > 1000
    _same(*_both(quads))
    bad = inject_errors((tmp_path / "qmgraph.nq").read_bytes(), seed=3, rate=0.02)
    a, b = _both(bad)
    _same(a, b)
    assert a.counts()["Violation"] > 20


@pytest.mark.slow
def test_synthetic_with_injected_errors_identical(tmp_path) -> None:
    """Clean and error-injected synthetic corpus: identical result sets (CI's cross-check)."""
    from qmgraph.pipeline import build
    from qmgraph.synth.generate import generate

    generate(60, 7, tmp_path / "synth")
    build([tmp_path / "synth" / "notices"], tmp_path / "out", validate=False, formats=("nq",))
    clean = (tmp_path / "out" / "qmgraph.nq").read_bytes()
    assert clean.count(b"\n") > 15_000
    _same(*_both(clean))
    a, b = _both(inject_errors(clean, seed=7, rate=0.005))
    _same(a, b)
    assert a.counts()["Violation"] > 50 and len(a.rule_ids()) > 15
