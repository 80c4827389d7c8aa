"""The "oxigraph" (SHACL compiled to SPARQL) and "pyshacl" engines give identical reports."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS

import qmgraph.validate as v
from qmgraph.namespaces import QM, SH, new_graph
from qmgraph.validate import ENGINES, QMS, load_shapes, validate
from qmgraph.validate.sparql_engine import UnsupportedShape, compile_shapes

from . import fixtures as fx
from .fixtures import valid_dataset, zh
from .test_shapes import CASES, nat, shared


def _both(data, **kw) -> tuple[v.ValidationReport, v.ValidationReport]:
    return validate(data, engine="oxigraph", **kw), validate(data, engine="pyshacl", **kw)


def _same(a: v.ValidationReport, b: v.ValidationReport) -> None:
    """Same results, field by field (rule, severity, focus, path, value, messages…)."""
    assert a.results == b.results, (a.text(), b.text())
    assert a.conforms == b.conforms


def test_both_engines_registered() -> None:
    assert {"oxigraph", "pyshacl"} <= set(ENGINES)
    assert v.DEFAULT_ENGINE == "oxigraph"


@pytest.mark.parametrize(("name", "expected", "mutate"), CASES, ids=[c[0] for c in CASES])
def test_mutation_results_identical(name, expected, mutate) -> None:
    ds = valid_dataset()
    mutate(ds)
    a, b = _both(ds)
    _same(a, b)
    assert a.rule_ids() == expected


def test_sharding_is_emulated_exactly(monkeypatch) -> None:
    """A node stated in two graphs is validated in each, with only that graph's triples;
    against pyshacl with one shard per batch (the reference semantics of 0005)."""
    monkeypatch.setattr(v, "PYSHACL_BATCH_TRIPLES", 1)
    ds = valid_dataset()
    # SC_PS is typed in the national graph too, with none of its other triples there
    nat(ds).add((fx.SC_PS, RDF.type, QM.Agency))
    nat(ds).add((fx.SC_PS, RDFS.label, zh("四川省公安厅")))
    # CN is stated (untyped) in the national graph: there sh:class sees no type for it
    nat(ds).add((fx.CN, RDFS.comment, Literal("stated here without a type")))
    a, b = _both(ds)
    _same(a, b)
    assert {"QM-ORG-011", "QM-ORG-012", "QM-NOTICE-006"} <= a.rule_ids()


def test_input_forms_agree() -> None:
    """Dataset, quads, N-Quads bytes, a pyoxigraph Store and a default graph all work."""
    ds = valid_dataset()
    shared(ds).remove((fx.SLOGAN, RDFS.label, None))
    want = validate(ds, engine="pyshacl")
    quads = [(s, p, o, c) for s, p, o, c in ds.quads((None, None, None, None))]
    from qmgraph.emit.write import nquads_lines

    nq = "".join(nquads_lines(quads)).encode()
    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    for data in (ds, quads, nq, store):
        for engine in ("oxigraph", "pyshacl"):
            got = validate(data, engine=engine)
            assert got.results == want.results, (engine, type(data))
    # triples in the default graph form their own shard
    d2 = Dataset()
    for s, p, o, c in quads:
        (d2.default_graph if c == fx.G_NAT else d2.graph(c)).add((s, p, o))
    _same(*_both(d2))


def test_unsupported_component_fails_at_compile_time() -> None:
    shapes = new_graph()
    for t in load_shapes():
        shapes.add(t)
    shapes.add((QMS["Notice-title"], SH.equals, RDFS.label))
    with pytest.raises(UnsupportedShape, match="equals"):
        compile_shapes(shapes)
    with pytest.raises(UnsupportedShape):
        validate(valid_dataset(), engine="oxigraph", shapes=shapes)


def test_compiled_shapes_cover_every_targeted_shape() -> None:
    shapes = load_shapes()
    checks = compile_shapes(shapes)
    sources = {c.source_shape for c in checks}
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
        for s in shapes.subjects(pred, None):
            for prop in shapes.objects(s, SH.property):
                assert prop in sources, prop
    assert all(c.sparql.startswith("SELECT DISTINCT ?focus") for c in checks)


def test_seed_build_identical(tmp_path) -> None:
    from qmgraph.emit import corpus_quads
    from qmgraph.pipeline import build

    result = build(["data/raw"], tmp_path, validate=False, formats=("nq",))
    quads = corpus_quads(result.corpus)
    assert len(quads) > 1000
    _same(*_both(quads))


@pytest.mark.slow
def test_synthetic_200_identical(tmp_path) -> None:
    from qmgraph.emit import corpus_quads
    from qmgraph.pipeline import build
    from qmgraph.synth.generate import generate

    generate(200, 7, tmp_path / "synth")
    result = build(
        [tmp_path / "synth" / "notices"], tmp_path / "out", validate=False, formats=("nq",)
    )
    quads = corpus_quads(result.corpus)
    assert len(quads) > 50_000
    a, b = _both(quads)
    _same(a, b)
