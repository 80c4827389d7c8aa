"""QC queries: none fires on the valid fixture; each mutation makes exactly its query fire."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS

from qmgraph.namespaces import ID, QM, SHARED_GRAPH, jurisdiction_iri, org_iri
from qmgraph.validate.qc import load_qc, qc_results, run_qc, to_store

from . import fixtures as fx
from .fixtures import valid_dataset, zh

Mutation = Callable[[Dataset], None]


def _shared(d: Dataset):
    return d.graph(SHARED_GRAPH)


def _prov(d: Dataset):
    return d.graph(fx.G_PROV)


def _nat(d: Dataset):
    return d.graph(fx.G_NAT)


def _duplicate_org(d: Dataset) -> None:
    g = _shared(d)
    dup = org_iri("510000/si-chuan-sheng-gong-an-ting")
    g.add((dup, RDF.type, QM.Agency))
    g.add((dup, RDFS.label, zh("四川省公安厅")))
    g.add((dup, QM.jurisdiction, fx.SICHUAN))
    g.add((dup, QM.level, QM.Provincial))


def _remove_link(d: Dataset) -> None:
    _prov(d).remove((fx.LINK, None, None))


def _guangzhou_activity(d: Dataset) -> None:
    g = _shared(d)
    gz = jurisdiction_iri("440100")
    g.add((gz, RDF.type, QM.Jurisdiction))
    g.add((gz, RDFS.label, zh("广州市")))
    g.add((gz, QM.level, QM.Prefectural))
    g.add((gz, QM.partOf, jurisdiction_iri("440000")))
    _prov(d).set((fx.A_CITY, QM.jurisdiction, gz))


QC_CASES: list[tuple[str, set[str], Mutation]] = [
    ("activity-jurisdiction", {"activity-jurisdiction"}, _guangzhou_activity),
    (
        "mirror-level-year",
        {"mirror-level"},
        lambda d: _prov(d).set((fx.A_PROV, QM.year, Literal(2021))),
    ),
    (
        "mirror-level-reversed",
        {"mirror-level"},
        # the link says the national activity copies the city one
        lambda d: (
            _prov(d).set((fx.LINK, QM.source, fx.A_CITY)),
            _prov(d).set((fx.LINK, QM.target, fx.A_NAT)),
            _prov(d).remove((fx.A_PROV, QM.mirrors, None)),
            _prov(d).remove((fx.A_PROV, PROV.wasDerivedFrom, None)),
            _prov(d).add((fx.A_CITY, QM.mirrors, fx.A_NAT)),
            _prov(d).add((fx.A_CITY, PROV.wasDerivedFrom, fx.A_NAT)),
            _nat(d).set((fx.A_NAT, QM.jurisdiction, fx.CHENGDU)),
            _prov(d).set((fx.A_CITY, QM.jurisdiction, fx.SICHUAN)),
        ),
    ),
    ("mirrors-without-link", {"mirror-link-missing"}, _remove_link),
    (
        "link-without-mirrors",
        {"mirror-link-missing"},
        lambda d: _prov(d).remove((fx.A_PROV, QM.mirrors, None)),
    ),
    (
        "mirror-provenance",
        {"mirror-provenance"},
        lambda d: _prov(d).set((fx.LINK, QM.grade, Literal("verbatim"))),
    ),
    (
        "counterpart-level",
        {"counterpart-level"},
        lambda d: _shared(d).set((fx.SC_PS, QM.counterpart, fx.CD_GOV)),
    ),
    (
        "notice-edition",
        {"notice-edition"},
        lambda d: _prov(d).remove((fx.ED_PROV, QM.describedBy, None)),
    ),
    ("duplicate-organization-label", {"duplicate-organization-label"}, _duplicate_org),
    (
        "slogan-label",
        {"slogan-label"},
        lambda d: _shared(d).remove((fx.SLOGAN, RDFS.label, None)),
    ),
    ("activity-text", {"activity-text"}, lambda d: _prov(d).set((fx.A_PROV, QM.text, zh(" \n")))),
    (
        "level-mismatch",
        {"level-mismatch"},
        lambda d: _prov(d).set((fx.N_PROV, QM.level, QM.National)),
    ),
    (
        "edition-implements",
        {"edition-implements"},
        lambda d: _nat(d).add((fx.ED_NAT, QM.implements, fx.ED_PROV)),
    ),
    (
        "blank-node",
        {"blank-node"},
        lambda d: _shared(d).add((BNode(), RDFS.label, zh("匿名"))),
    ),
    (
        "node-in-two-graphs",
        {"node-in-two-graphs"},
        lambda d: _shared(d).add((fx.N_NAT, RDF.type, QM.Notice)),
    ),
]


def test_qc_files_have_headers() -> None:
    queries = load_qc()
    assert len(queries) >= 6
    ids = [q.rule_id for q in queries]
    assert len(set(ids)) == len(ids)
    for q in queries:
        assert q.rule_id.startswith("QM-QC-"), q.path
        assert q.question and q.message and q.message_zh, q.path
        assert "# row:" in q.text and "# example:" in q.text, q.path
        assert "?focus" in q.text.split("WHERE", 1)[0], q.path


def test_qc_empty_on_valid_dataset() -> None:
    rows = run_qc(valid_dataset())
    assert set(rows) == {q.name for q in load_qc()}
    assert {k: v for k, v in rows.items() if v} == {}


@pytest.mark.parametrize(("name", "expected", "mutate"), QC_CASES, ids=[c[0] for c in QC_CASES])
def test_qc_mutation_fires_its_query(name: str, expected: set[str], mutate: Mutation) -> None:
    ds = valid_dataset()
    mutate(ds)
    rows = run_qc(ds)
    fired = {k for k, v in rows.items() if v}
    assert fired == expected, {k: rows[k] for k in fired}
    for k in fired:
        assert all(row.get("focus") for row in rows[k])


def test_all_queries_have_a_case() -> None:
    covered = set().union(*(c[1] for c in QC_CASES))
    assert {q.name for q in load_qc()} <= covered


def test_row_values_are_plain_strings() -> None:
    ds = valid_dataset()
    _prov(ds).set((fx.A_PROV, QM.year, Literal(2021)))
    (row,) = run_qc(ds)["mirror-level"]
    assert row == {
        "focus": str(fx.LINK),
        "problem": "different-year",
        "source": str(fx.A_PROV),
        "target": str(fx.A_NAT),
        "sourceLevel": str(QM.Provincial),
        "targetLevel": str(QM.National),
        "sourceYear": "2021",
        "targetYear": "2022",
    }


def test_qc_from_trig_file_and_store(tmp_path: Path) -> None:
    ds = valid_dataset()
    _prov(ds).set((fx.A_PROV, QM.jurisdiction, fx.CN))  # national place in a provincial notice
    path = tmp_path / "qmgraph.trig"
    ds.serialize(path, format="trig")
    rows = run_qc(path)
    assert [r["focus"] for r in rows["activity-jurisdiction"]] == [str(fx.A_PROV)]
    store = to_store(path)
    assert isinstance(store, ox.Store)
    assert run_qc(store) == rows


def test_qc_from_turtle_union_file(tmp_path: Path) -> None:
    """A single-graph file (qmgraph.ttl, the union) loads into the default graph."""
    from qmgraph.namespaces import new_graph

    g = new_graph()
    for s, p, o, _c in valid_dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    g.remove((fx.SLOGAN, RDFS.label, None))
    path = tmp_path / "qmgraph.ttl"
    g.serialize(path, format="turtle")
    rows = run_qc(path)
    assert [r["focus"] for r in rows["slogan-label"]] == [str(fx.SLOGAN)]


def test_qc_results_as_validation_results() -> None:
    ds = valid_dataset()
    _shared(ds).set((fx.SC_PS, QM.counterpart, fx.CD_GOV))
    results = qc_results(run_qc(ds))
    assert len(results) == 1
    (r,) = results
    assert r.rule_id == "QM-QC-005" and r.focus == str(fx.SC_PS)
    assert r.message and r.message_zh and "counterpart=" in (r.value or "")
    assert ID["org/510100/government"] == fx.CD_GOV


def test_build_validation_reports_qc_rows_as_results() -> None:
    """``qmgraph build`` validates with ``validate_with_qc``: a QC row is a Violation
    result in the same report as the SHACL results (and counts in ``violations``)."""
    from qmgraph.validate import validate
    from qmgraph.validate.qc import validate_with_qc

    data = (b"<https://w3id.org/qmgraph/id/slogan/x> "
            b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            b"<https://w3id.org/qmgraph/ontology#Slogan> <https://w3id.org/qmgraph/id/g> .\n")
    shacl_only = validate(data)
    both = validate_with_qc(data)
    qc_ids = {r.rule_id for r in both.results} - {r.rule_id for r in shacl_only.results}
    assert qc_ids == {"QM-QC-008"}
    assert not both.conforms
    assert "[QM-QC-008] Violation" in both.text()


def test_a_query_is_skipped_on_data_without_the_text_it_requires(tmp_path: Path) -> None:
    """A QC query whose header says ``requires: TEXT`` is not run on N-Quads without
    TEXT (its rows are none), and run as usual on N-Quads with it (decision 0032)."""
    (tmp_path / "any-triple-violation.rq").write_text(
        "# rule: QM-QC-T1\n# requires: marker\n"
        "SELECT ?focus WHERE { ?focus ?p ?o }\n", encoding="utf-8")
    without = b'<https://example.org/a> <https://example.org/p> "x" <https://example.org/g> .\n'
    with_it = without.replace(b'"x"', b'"marker"')
    for data, n in ((without, 0), (with_it, 1)):
        store = to_store(data)
        assert len(run_qc(store, tmp_path, data=data)["any-triple"]) == n
        assert len(run_qc(store, tmp_path)["any-triple"]) == 1  # no data given: always run
