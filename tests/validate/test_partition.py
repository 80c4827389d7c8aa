"""Validation by partition (decision 0023): SHACL and the QC queries run year by year, on
each year's graphs and the part of the shared graph they reach, give the report of the
whole graph, on clean and on broken data; a cache re-validates only what changed."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from qmgraph.namespaces import SHARED_GRAPH
from qmgraph.validate import load_shapes
from qmgraph.validate.partition import (
    SharedGraph,
    partitionable,
    plan_groups,
    summarize,
    validate_by_partition,
)
from qmgraph.validate.qc import validate_with_qc
from tests.validate.inject import inject_errors

SHARED = str(SHARED_GRAPH)
YEAR = "https://w3id.org/qmgraph/ontology#year"
NOTICE = "https://w3id.org/qmgraph/ontology#Notice"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def chunks_of(nquads: bytes) -> dict[str, bytes]:
    """Graph IRI → its sorted N-Quads lines, as a build's chunks are."""
    lines: dict[str, list[str]] = defaultdict(list)
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        lines[q.graph_name.value].append(str(q) + " .\n")
    return {g: "".join(sorted(set(ls))).encode() for g, ls in sorted(lines.items())}


def units_by_year(chunks: dict[str, bytes]) -> dict[str, list[str]]:
    """Notice graphs by the year their notice states (as ``pipeline._validation_units``)."""
    units: dict[str, list[str]] = defaultdict(list)
    for g, data in chunks.items():
        if g == SHARED:
            continue
        year = "undated"
        notices = {q.subject.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
                   if q.predicate.value == RDF_TYPE and q.object.value == NOTICE}
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if q.predicate.value == YEAR and q.subject.value in notices:
                year = q.object.value
        units[year].append(g)
    return dict(sorted(units.items()))


def whole(chunks: dict[str, bytes]):
    return validate_with_qc(b"".join(chunks.values()))


def assert_same(chunks: dict[str, bytes], **kw) -> object:
    """The partitioned report equals the whole graph's, field for field and as text."""
    expected = whole(chunks)
    got, stats = validate_by_partition(units_by_year(chunks), chunks,
                                       SHARED if SHARED in chunks else None, **kw)
    assert got.results == expected.results
    assert got.text() == expected.text()
    assert got.conforms == expected.conforms
    return stats


@pytest.fixture(scope="module")
def seed_chunks(seed_graph: Path) -> dict[str, bytes]:
    data = ox.serialize(ox.parse(path=str(seed_graph), format=ox.RdfFormat.TRIG),
                        format=ox.RdfFormat.N_QUADS)
    return chunks_of(data)


@pytest.fixture(scope="module")
def synth_chunks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A 40-notice corpus over five years, built without validation."""
    from qmgraph.pipeline import build
    from qmgraph.synth import generate

    root = tmp_path_factory.mktemp("partition-synth")
    generate(40, 5, root / "c", years=(2019, 2023))
    build([root / "c" / "notices"], root / "out", validate=False, formats=("nq",))
    return chunks_of((root / "out" / "qmgraph.nq").read_bytes())


def test_seeds_partitioned_equal_whole(seed_chunks: dict[str, bytes]) -> None:
    stats = assert_same(seed_chunks)
    assert not stats.whole and stats.units >= 1


def test_seeds_with_errors_partitioned_equal_whole(seed_chunks: dict[str, bytes]) -> None:
    broken = chunks_of(inject_errors(b"".join(seed_chunks.values()), seed=3, rate=0.02))
    assert not whole(broken).conforms
    assert_same(broken)


@pytest.mark.parametrize("seed", [None, 5, 11])
def test_synthetic_years_partitioned_equal_whole(synth_chunks: dict[str, bytes],
                                                 seed: int | None) -> None:
    chunks = synth_chunks if seed is None else \
        chunks_of(inject_errors(b"".join(synth_chunks.values()), seed=seed, rate=0.01))
    stats = assert_same(chunks)
    assert not stats.whole
    if seed is None:
        assert stats.units == 5 and stats.groups == 6  # five years alone, the shared graph
    else:  # an injected error may move a notice's year: its edition then joins two units
        assert stats.units >= 5 and stats.groups <= stats.units + 1


def _line(s: str, p: str, o: str, g: str) -> bytes:
    return f"<{s}> <{p}> {o} <{g}> .\n".encode()


def _with(chunks: dict[str, bytes], g: str, *lines: bytes) -> dict[str, bytes]:
    out = dict(chunks)
    out[g] = b"".join(sorted(set(out[g].splitlines(keepends=True)) | set(lines)))
    return out


def test_subject_in_two_years_joins_them(synth_chunks: dict[str, bytes]) -> None:
    """An activity stated by notices of two years: their units are validated together, so
    QC ``node-in-two-graphs`` and the maxCount of its text see both graphs."""
    units = units_by_year(synth_chunks)
    g19, g23 = units["2019"][0], units["2023"][0]
    act = next(q.subject.value for q in ox.parse(synth_chunks[g19], format=ox.RdfFormat.N_QUADS)
               if "/activity/" in q.subject.value)
    broken = _with(synth_chunks, g23,
                   _line(act, RDF_TYPE, "<https://w3id.org/qmgraph/ontology#Activity>", g23),
                   _line(act, "https://w3id.org/qmgraph/ontology#text", '"又一段"@zh', g23))
    expected = whole(broken)
    assert any(r.rule_id.startswith("QM-QC") and r.focus == act for r in expected.results)
    stats = assert_same(broken)
    assert stats.groups == 5  # 2019 and 2023 together


def test_reference_across_years_joins_them(synth_chunks: dict[str, bytes]) -> None:
    """A notice of 2020 implementing one of 2022 (whose type is checked by sh:class)."""
    units = units_by_year(synth_chunks)
    g20, g22 = units["2020"][0], units["2022"][0]
    n22 = next(q.subject.value for q in ox.parse(synth_chunks[g22], format=ox.RdfFormat.N_QUADS)
               if q.object.value == NOTICE)
    n20 = next(q.subject.value for q in ox.parse(synth_chunks[g20], format=ox.RdfFormat.N_QUADS)
               if q.object.value == NOTICE)
    broken = _with(synth_chunks, g20,
                   _line(n20, "https://w3id.org/qmgraph/ontology#implements", f"<{n22}>", g20))
    stats = assert_same(broken)
    assert stats.groups == 5 and not stats.whole


def test_shared_graph_stating_a_notice_subject_validates_the_whole(
        synth_chunks: dict[str, bytes]) -> None:
    units = units_by_year(synth_chunks)
    g21 = units["2021"][0]
    n21 = next(q.subject.value for q in ox.parse(synth_chunks[g21], format=ox.RdfFormat.N_QUADS)
               if q.object.value == NOTICE)
    broken = _with(synth_chunks, SHARED,
                   _line(n21, "https://w3id.org/qmgraph/ontology#docNumber", '"x"', SHARED))
    stats = assert_same(broken)
    assert stats.whole and stats.groups == 1


def test_no_notice_graph_validates_the_shared_graph(seed_chunks: dict[str, bytes]) -> None:
    only_shared = {SHARED: seed_chunks[SHARED]}
    stats = assert_same(only_shared)
    assert stats.units == 0 and stats.validated == ["shared"]


def test_plan_joins_and_refuses() -> None:
    a = summarize([b"<a> <p> <b> <g1> .\n"])
    b = summarize([b"<b> <p> \"x\" <g2> .\n"])
    c = summarize([b"<c> <p> <s> <g3> .\n"])
    data = b"<s> <p> <t> <gs> .\n<t> <p> \"y\" <gs> .\n"
    shared = summarize([data])
    assert plan_groups({"1": a, "2": b, "3": c}, shared) == [["1", "2"], ["3"]]
    index = SharedGraph(data)
    assert index.slice(index.closure(c.refs)) == data
    assert index.closure(a.refs) == []
    sub = summarize([b"<c> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <d> <g> .\n"])
    assert plan_groups({"1": a, "2": sub}, shared) is None
    assert plan_groups({"1": a}, summarize([b"<x> <p> <a> <gs> .\n"])) is None
    assert plan_groups({"1": a}, summarize([b"<a> <p> <z> <gs> .\n"])) is None


def test_shapes_that_look_backwards_are_not_partitionable() -> None:
    assert partitionable(load_shapes())
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <urn:C> ; sh:property [ sh:path [ sh:inversePath <urn:p> ] ;
            sh:minCount 1 ] .""", format="turtle")
    assert not partitionable(g)


class DictCache:
    """A build state's ``kept``/``keep``, in memory."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], object] = {}

    def kept(self, kind: str, key: str) -> object:
        return self.data.get((kind, key))

    def keep(self, kind: str, key: str, value: object) -> None:
        self.data[(kind, key)] = value

    def use(self, kind: str, key: str) -> None:
        pass


def test_cache_revalidates_only_the_changed_year(synth_chunks: dict[str, bytes]) -> None:
    cache = DictCache()
    units = units_by_year(synth_chunks)

    def digests(chunks: dict[str, bytes]) -> dict[str, str]:
        import hashlib
        return {g: hashlib.sha1(d).hexdigest() for g, d in chunks.items()}

    first, s1 = validate_by_partition(units, synth_chunks, SHARED, digests(synth_chunks),
                                      cache=cache)
    assert len(s1.validated) == 6
    g21 = units["2021"][0]
    edited = _with(synth_chunks, g21, _line(
        next(q.subject.value for q in ox.parse(synth_chunks[g21], format=ox.RdfFormat.N_QUADS)
             if q.object.value == NOTICE),
        "http://purl.org/dc/terms/title", '"第二个标题"@zh', g21))
    read: list[str] = []

    class Watched(dict):
        def __getitem__(self, g: str) -> bytes:
            read.append(g)
            return dict.__getitem__(self, g)

    again, s2 = validate_by_partition(units, Watched(edited), SHARED, digests(edited),
                                      cache=cache)
    assert s2.validated == ["2021"]
    assert set(read) == set(units["2021"])  # the others' chunks, the shared graph unread
    assert again.results == whole(edited).results
    assert again.results != first.results


def test_cached_rebuild_revalidates_only_the_years_it_touches(tmp_path: Path) -> None:
    """``qmgraph build`` with a cache: editing one notice re-validates only years whose
    graphs changed — those of its statistics window, whose link scores may move — never
    the shared graph or another window's years; the report is that of a build without
    cache."""
    from qmgraph.link import LinkParams
    from qmgraph.pipeline import build
    from qmgraph.synth import generate

    generate(60, 3, tmp_path / "synth", years=(2015, 2020))
    notices = tmp_path / "synth" / "notices"
    params = LinkParams(window_min_notices=15)
    first = build([notices], tmp_path / "out", cache=True, formats=("trig",),
                  link_params=params)
    years = first.reuse["validation"]["units"]
    assert first.reuse["validation"]["validated"] == years + 1  # and the shared graph
    edited = max(notices.iterdir(), key=lambda f: (f.stem.split("_")[-1], f.name))
    text = edited.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2) + 1
    edited.write_text(text[:at] + "同时组织计量专家走进产业园区开展质量帮扶。" + text[at:],
                      encoding="utf-8")
    again = build([notices], tmp_path / "out", cache=True, formats=("trig",),
                  link_params=params)
    full = build([notices], tmp_path / "full", cache=False, formats=("trig",),
                 link_params=params)
    (window,) = again.reuse["windows relinked"]
    first_year, last_year = (int(y) for y in window.split("–")) if "–" in window \
        else (int(window), int(window))
    validated = again.reuse["validation"]["validated units"]
    assert edited.stem.split("_")[-1] in validated
    assert all(first_year <= int(y) <= last_year for y in validated), (window, validated)
    assert again.report_text == full.report_text
    for name in ("validation-report.ttl", "validation-report.txt", "qmgraph.trig"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def test_build_without_cache_lets_go_of_its_notices(tmp_path: Path) -> None:
    """A build without cache never holds its full notices (spilled: decisions 0023, 0027);
    ``result.corpus`` resolves the inputs again, equal to a cached build's."""
    from qmgraph.pipeline import build
    from qmgraph.synth import generate

    generate(20, 2, tmp_path / "synth", years=(2020, 2021))
    notices = tmp_path / "synth" / "notices"
    plain = build([notices], tmp_path / "plain", formats=("nq",))
    cached = build([notices], tmp_path / "cached", cache=True, formats=("nq",))
    a, b = plain.corpus, cached.corpus
    assert [n.key for n in a.notices] == [n.key for n in b.notices] and a.notices
    assert [x.iri for n in a.notices for x in n.activities] == \
        [x.iri for n in b.notices for x in n.activities]
    assert a.mirrors == b.mirrors and a.jurisdictions == b.jurisdictions


def _blank_year(year: int, n: int) -> tuple[str, bytes]:
    """A notice graph of ``year`` holding ``n`` triples of blank nodes."""
    q = "https://w3id.org/qmgraph/ontology#"
    g = f"https://example.org/graph/blank-{year}"
    n_iri = f"https://example.org/notice/blank-{year}"
    lines = [_line(n_iri, RDF_TYPE, f"<{NOTICE}>", g),
             _line(n_iri, YEAR, f'"{year}"^^<http://www.w3.org/2001/XMLSchema#gYear>', g)]
    lines += [f'_:y{year}b{i} <{q}note> "x" <{g}> .\n'.encode() for i in range(n)]
    return g, b"".join(sorted(lines))


def test_every_blank_node_row_of_every_year_is_reported() -> None:
    """The blank-node QC rows of two years are those of the whole graph: a QC query cut by
    a LIMIT would keep that many rows per group, more than the whole graph's. (Oxigraph
    renames blank nodes, so the rows are counted, not compared.)"""
    chunks = dict(_blank_year(y, 600) for y in (2021, 2022))
    got, stats = validate_by_partition(units_by_year(chunks), chunks, None)
    assert stats.groups == 2

    def rows(report) -> int:
        return sum(1 for r in report.results if r.rule_id == "QM-QC-012")

    assert rows(got) == rows(whole(chunks)) == 1200


def test_no_qc_query_is_cut_by_a_limit() -> None:
    """Each group's rows are merged: a LIMIT or OFFSET would be applied per group, not to
    the whole graph's rows (decision 0023)."""
    import re

    from qmgraph.validate.qc import load_qc

    cut = [q.name for q in load_qc()
           if re.search(r"^\s*(LIMIT|OFFSET)\b", q.text, re.M | re.I)]
    assert cut == []


def test_cached_results_are_kept_by_all_the_code_that_makes_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A group's cached results are kept by the code of every qmgraph module validation
    imports (``rdfterms`` turns the engines' terms into results, ``graphfile`` reads the
    data): a change to one of them validates again. Errors, resources and the cache
    itself make no result."""
    import ast

    import qmgraph.cache
    from qmgraph.validate import partition

    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(qmgraph.cache, "code_version",
                        lambda packages=(): asked.append(tuple(packages)) or "v")
    partition._rules_digest("shacl")
    covered = {"model.py", "namespaces.py", *asked[0]}
    root = Path(partition.__file__).resolve().parents[1]
    imported = set()
    for f in (root / "validate").glob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qmgraph."):
                top = node.module.split(".")[1]
                imported.add(top if (root / top).is_dir() else f"{top}.py")
    assert imported - covered - {"errors.py", "resources.py", "cache.py"} == set()


def test_a_slice_missed_by_the_cache_is_read_back_when_its_group_is_checked(
        synth_chunks: dict[str, bytes]) -> None:
    """A slice of the shared graph the cache misses is cut for its digest while planning,
    kept, and let go: its group reads it back when it is checked, so a rebuild whose shared
    graph changed holds one slice at a time, not every group's (decision 0035)."""
    from qmgraph.validate.partition import group_results

    hits: list[str] = []

    class Logged(DictCache):
        def kept(self, kind: str, key: str) -> object:
            got = super().kept(kind, key)
            if kind == "slice-data" and got is not None:
                hits.append(key)
            return got

    seen: list[int] = []

    def runner(datas, engine):  # type: ignore[no-untyped-def]
        for data in datas:
            seen.append(len(hits))  # slices read back so far, as this group is checked
            yield group_results(data, engine)

    units = units_by_year(synth_chunks)
    report, stats = validate_by_partition(units, synth_chunks, SHARED, cache=Logged(),
                                          runner=runner)
    assert len(units) == 5 and stats.validated == [*units, "shared"]
    assert seen == [1, 2, 3, 4, 5, 5]  # one slice a year, read as its year is checked
    assert report.results == whole(synth_chunks).results


def test_a_change_to_the_validate_code_cuts_and_plans_again(
        synth_chunks: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries, the plan and the slices of the shared graph are made by the validate
    code as the results are: kept under another code version, none is reused."""
    import qmgraph.cache
    from qmgraph.validate import partition

    cuts: list[int] = []
    real_slice = partition.SharedGraph.slice
    monkeypatch.setattr(partition.SharedGraph, "slice",
                        lambda self, keep: cuts.append(1) or real_slice(self, keep))
    units, cache = units_by_year(synth_chunks), DictCache()

    def run(version: str) -> int:
        monkeypatch.setattr(qmgraph.cache, "code_version", lambda packages=(): version)
        cuts.clear()
        report, _ = validate_by_partition(units, synth_chunks, SHARED, cache=cache)
        assert report.results == whole(synth_chunks).results
        return len(cuts)

    assert run("v1") == len(units)
    assert run("v1") == 0  # all kept
    assert run("v2") == len(units)  # the validate code changed: every slice cut again
