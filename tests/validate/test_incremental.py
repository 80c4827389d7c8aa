"""Incremental validation gives exactly the report of a full validation, after any change."""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from qmgraph.emit.write import nquads_lines, nt_term
from qmgraph.errors import QmgraphError
from qmgraph.namespaces import QM, SH, SHARED_GRAPH, new_graph
from qmgraph.validate import QMS, ValidationReport, load_shapes, validate
from qmgraph.validate import incremental as inc
from qmgraph.validate.incremental import IncrementalValidator, footprint

Chunks = dict[str, bytes]


@pytest.fixture(scope="module")
def seed_chunks(tmp_path_factory) -> Chunks:
    """The seed notices of data/raw, one N-Quads chunk per named graph."""
    from qmgraph.emit import corpus_quads
    from qmgraph.pipeline import build

    corpus = build(["data/raw"], tmp_path_factory.mktemp("out"), validate=False).corpus
    quads = corpus_quads(corpus)
    lines: dict[str, set[str]] = defaultdict(set)
    for quad, line in zip(quads, nquads_lines(quads), strict=True):
        lines[str(quad[3])].add(line)
    return {g: "".join(sorted(ls)).encode() for g, ls in sorted(lines.items())}


@pytest.fixture
def chunks(seed_chunks) -> Chunks:
    return dict(seed_chunks)


def _lines(chunk: bytes) -> list[str]:
    return chunk.decode().splitlines(keepends=True)


def edit(chunks: Chunks, graph: str, drop=lambda line: False, add: tuple = ()) -> Chunks:
    """``chunks`` with the lines of ``graph`` matching ``drop`` removed and triples added."""
    g = f"<{graph}>"
    lines = {line for line in _lines(chunks.get(graph, b"")) if not drop(line)}
    lines |= {f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {g} .\n" for s, p, o in add}
    out = dict(chunks)
    out[graph] = "".join(sorted(lines)).encode()
    return out


def notices(chunks: Chunks) -> list[str]:
    return [g for g in sorted(chunks) if g != str(SHARED_GRAPH)]


def objects(chunks: Chunks, graph: str, pred: URIRef) -> list[tuple[str, str]]:
    """The (subject, object) IRI pairs of the ``pred`` triples ``graph`` states."""
    out = []
    for line in _lines(chunks[graph]):
        s, p, o = line.split(" ", 3)[:3]
        if p == f"<{pred}>" and o.startswith("<"):
            out.append((s[1:-1], o[1:-1]))
    return out


def check(iv: IncrementalValidator, chunks: Chunks) -> ValidationReport:
    """Validate incrementally and assert the report is the full validation's, exactly."""
    got = iv.validate(chunks)
    want = validate(b"".join(chunks[g] for g in sorted(chunks)), engine="oxigraph")
    assert got.results == want.results
    assert [(r.focus_node, r.path_node, r.value_node) for r in got.results] == [
        (r.focus_node, r.path_node, r.value_node) for r in want.results
    ]
    assert got.conforms == want.conforms
    assert got.text() == want.text()
    assert got.to_graph().serialize(format="nt") == want.to_graph().serialize(format="nt")
    return got


def test_footprint_of_the_shapes() -> None:
    """Our shapes read one hop from a focus node: the types of what it points to."""
    fp = footprint(load_shapes())
    assert fp.depth == 1
    assert fp.classes == {1}
    assert {n.value for n in fp.reads[1]} == {str(RDF.type)}
    assert str(QM.organizer) in {n.value for n in fp.hops[0]}
    assert str(RDFS.label) not in {n.value for n in fp.hops[0]}  # values are only literals
    assert {n.value for n in fp.objects_of} == {str(QM.sector)}


def test_footprint_refuses_components_it_does_not_know(monkeypatch) -> None:
    from qmgraph.validate import sparql_engine

    monkeypatch.setitem(sparql_engine.SUPPORTED, SH.equals, "Equals")
    with pytest.raises(inc.UnsupportedShape, match="equals"):
        footprint(load_shapes())


def test_unchanged_then_reopened(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    assert iv.last.full and iv.last.reason == "no state"
    check(iv, chunks)
    assert not iv.last.full and iv.last.graphs_changed == 0 and iv.last.focus_checked == 0
    again = IncrementalValidator(tmp_path)  # a new process: state and store from disk
    check(again, chunks)
    assert not again.last.full


def test_notice_edit_adds_then_fixes_a_violation(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    g = notices(chunks)[1]
    act = objects(chunks, g, QM.organizer)[0][0]
    dropped = edit(chunks, g, drop=lambda line: line.startswith(f"<{act}> <{QM.text}>"))
    report = check(iv, dropped)
    assert not iv.last.full and iv.last.graphs_changed == 1
    assert 0 < iv.last.focus_checked < 20
    assert any(r.rule_id == "QM-ACT-001" and r.focus == act for r in report.results)
    assert not report.conforms

    # another text plus a triple: still a change, and the violation is gone
    fixed = edit(
        dropped,
        g,
        add=[
            (URIRef(act), QM.text, Literal("改写后的活动。", lang="zh")),
            (URIRef(act), QM.cites, Literal("某通知", lang="zh")),
        ],
    )
    report = check(iv, fixed)
    assert not iv.last.full
    assert report.conforms and not report.results


def test_shared_type_removed_reaches_unchanged_notice_graphs(tmp_path, chunks) -> None:
    """An organization loses its type in the shared graph: activities that name it as
    organizer, in notice graphs that did not change, now violate QM-ACT-004."""
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    shared = str(SHARED_GRAPH)
    referenced = {o: g for g in notices(chunks) for _s, o in objects(chunks, g, QM.organizer)}
    org = sorted(referenced)[0]
    untyped = edit(chunks, shared, drop=lambda line: line.startswith(f"<{org}> <{RDF.type}>"))
    report = check(iv, untyped)
    assert not iv.last.full and iv.last.graphs_changed == 1
    users = {s for g in notices(chunks) for s, o in objects(chunks, g, QM.organizer) if o == org}
    flagged = {r.focus for r in report.results if r.rule_id == "QM-ACT-004"}
    assert flagged == users

    check(iv, chunks)  # the type back: the violations go away
    assert not iv.last.full


def test_node_stated_without_type_in_a_notice_graph(tmp_path, chunks) -> None:
    """A notice graph starts stating an organization it names (without its type): there,
    sh:class no longer looks at the shared graph's types, so the graph's activities that
    name it violate QM-ACT-004 — though none of their own triples changed."""
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    g = notices(chunks)[0]
    _act, org = objects(chunks, g, QM.organizer)[0]
    stated = edit(chunks, g, add=[(URIRef(org), RDFS.comment, Literal("named here"))])
    report = check(iv, stated)
    assert not iv.last.full
    users = {s for s, o in objects(chunks, g, QM.organizer) if o == org}
    assert {r.focus for r in report.results if r.rule_id == "QM-ACT-004"} == users
    check(iv, chunks)
    assert not iv.last.full


def test_shared_labels_recheck_only_the_labelled(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    shared = str(SHARED_GRAPH)
    orgs = sorted({o for g in notices(chunks) for _s, o in objects(chunks, g, QM.organizer)})
    labelled = edit(
        chunks,
        shared,
        add=[
            (URIRef(o), SKOS.altLabel, Literal(f"别名{i}", lang="zh")) for i, o in enumerate(orgs)
        ],
    )
    check(iv, labelled)
    assert not iv.last.full and iv.last.focus_checked == len(orgs)
    # an empty altLabel is a violation of the organization itself
    bad = edit(labelled, shared, add=[(URIRef(orgs[0]), SKOS.altLabel, Literal("", lang="zh"))])
    report = check(iv, bad)
    assert {r.rule_id for r in report.results} == {"QM-ORG-003"}


def test_graph_removed_then_added(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    for g in notices(chunks)[:2]:
        fewer = {k: v for k, v in chunks.items() if k != g}
        check(iv, fewer)
        assert not iv.last.full and iv.last.graphs_changed == 1
        check(iv, chunks)
        assert not iv.last.full
    # a new graph that restates a notice graph's nodes: they are validated in both
    g = notices(chunks)[0]
    copy = "https://w3id.org/qmgraph/id/graph/notice/copy"
    more = dict(chunks)
    more[copy] = chunks[g].replace(f"<{g}> .".encode(), f"<{copy}> .".encode())
    check(iv, edit(more, copy, drop=lambda line: f"<{QM.sourceStart}>" in line))
    assert not iv.last.full and iv.last.graphs_changed == 1


def test_target_objects_of(tmp_path, chunks) -> None:
    """A triple whose object is a target (sh:targetObjectsOf qm:sector) re-checks it."""
    iv = IncrementalValidator(tmp_path)
    g = notices(chunks)[0]
    node = URIRef("https://w3id.org/qmgraph/id/sector/made-up")
    act = URIRef(objects(chunks, g, QM.organizer)[0][0])
    stated = edit(chunks, g, add=[(node, RDFS.comment, Literal("stated, not a target"))])
    check(iv, stated)
    report = check(iv, edit(stated, g, add=[(act, QM.sector, node)]))
    assert not iv.last.full
    assert {r.rule_id for r in report.results if r.focus == str(node)} >= {"QM-ORG-021"}


def test_nested_shapes_two_hops(tmp_path, chunks) -> None:
    """A shape that looks two hops away (an organizer's jurisdiction must be typed): the
    footprint follows, and a type removed in the shared graph still reaches the activity."""
    shapes = new_graph()
    for t in load_shapes():
        shapes.add(t)
    placed = QMS["PlacedOrganization"]
    shapes.add((placed, RDF.type, SH.NodeShape))
    shapes.add((placed, SH.property, QMS["PlacedOrganization-jurisdiction"]))
    shapes.add((QMS["PlacedOrganization-jurisdiction"], SH.path, QM.jurisdiction))
    shapes.add((QMS["PlacedOrganization-jurisdiction"], SH["class"], QM.Jurisdiction))
    shapes.add((QMS["Activity-organizer"], SH.node, placed))
    fp = footprint(shapes)
    assert fp.depth == 2 and fp.classes == {1, 2}

    iv = IncrementalValidator(tmp_path, shapes=shapes)
    shared = str(SHARED_GRAPH)
    first = iv.validate(chunks)
    orgs = {o for g in notices(chunks) for _s, o in objects(chunks, g, QM.organizer)}
    place = next(j for s, j in objects(chunks, shared, QM.jurisdiction) if s in orgs)
    changed = edit(chunks, shared, drop=lambda line: line.startswith(f"<{place}> <{RDF.type}>"))
    got = iv.validate(changed)
    want = validate(b"".join(changed[g] for g in sorted(changed)), shapes=shapes)
    assert not iv.last.full
    assert got.results == want.results
    assert len(got.results) > len(first.results)
    assert any(r.focus.startswith("https://w3id.org/qmgraph/id/activity/") for r in got.results)


def test_random_edits(tmp_path, chunks) -> None:
    """Lines dropped and restored at random, in notice graphs and the shared graph."""
    rng = random.Random(5)
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    current = dict(chunks)
    for _round in range(5):
        for g in rng.sample(sorted(chunks), 2):
            # from the original lines: what an earlier round dropped comes back
            keep = [line for line in _lines(chunks[g]) if rng.random() > 0.03]
            current[g] = "".join(keep).encode()
        report = check(iv, current)
        assert not iv.last.full and report.results


def test_many_focus_nodes_rechecked_in_memory(tmp_path, chunks, monkeypatch) -> None:
    monkeypatch.setattr(inc, "MAX_SCOPED_FOCUS", 5)
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    g = notices(chunks)[0]
    report = check(iv, edit(chunks, g, drop=lambda line: f"<{QM.blockKind}>" in line))
    assert not iv.last.full and iv.last.reason.endswith("all re-checked in memory")
    assert "QM-ACT-009" in report.rule_ids()
    check(iv, chunks)
    assert iv.last.reason.endswith("all re-checked in memory")


def test_bad_state_means_full(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    state = tmp_path / "state.json"
    g = notices(chunks)[0]
    changed = edit(chunks, g, drop=lambda line: f"<{QM.blockKind}>" in line)

    state.write_text("{not json")
    check(iv, changed)
    assert iv.last.full and iv.last.reason.startswith("unreadable state")

    state.unlink()  # as after a crash while the store was being changed
    check(iv, chunks)
    assert iv.last.full and iv.last.reason == "no state"

    data = json.loads(state.read_text())
    shutil.rmtree(tmp_path / data["store"])
    check(iv, changed)
    assert iv.last.full and iv.last.reason == "store missing"

    data = json.loads(state.read_text())
    data["version"] = "another"
    state.write_text(json.dumps(data))
    check(iv, chunks)
    assert iv.last.full and iv.last.reason == "shapes or validation code changed"
    assert len(list(tmp_path.glob("store-*"))) == 1  # older stores are swept
    assert len(list((tmp_path / "chunks").iterdir())) == len(chunks)

    check(iv, changed)
    assert not iv.last.full

    data = json.loads(state.read_text())
    (tmp_path / "chunks" / f"{data['graphs'][g]}{inc._CHUNK_SUFFIX}").write_bytes(b"")
    check(iv, chunks)
    assert iv.last.full and iv.last.reason == f"previous chunk of {g} damaged"


def test_busy_state_dir_validates_in_memory(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    with inc._locked(tmp_path):
        check(iv, edit(chunks, notices(chunks)[0], drop=lambda line: f"<{QM.year}>" in line))
    assert iv.last.full and iv.last.reason == "state directory in use"
    check(iv, chunks)  # the state was left alone: still in step with the store
    assert not iv.last.full and iv.last.graphs_changed == 0


def test_blank_nodes_rejected(tmp_path, chunks) -> None:
    iv = IncrementalValidator(tmp_path)
    g = notices(chunks)[0]
    blank = dict(chunks)
    blank[g] += f'_:b1 <{RDFS.label}> "x" <{g}> .\n'.encode()
    with pytest.raises(QmgraphError, match="blank nodes"):
        iv.validate(blank)
    check(iv, chunks)
    with pytest.raises(QmgraphError, match="blank nodes"):
        iv.validate(blank)


def test_state_dir_layout(tmp_path: Path, chunks) -> None:
    iv = IncrementalValidator(tmp_path / "new" / "dir")
    check(iv, chunks)
    names = {p.name for p in (tmp_path / "new" / "dir").iterdir()}
    assert {"state.json", "chunks", "lock"} <= names


class _Watched(dict):
    """Chunks that remember which graphs' bytes were looked at."""

    def __init__(self, chunks: Chunks) -> None:
        super().__init__(chunks)
        self.read: set[str] = set()

    def __getitem__(self, graph: str) -> bytes:
        self.read.add(graph)
        return super().__getitem__(graph)

    def get(self, graph, default=None):
        return self[graph] if graph in self else default

    def values(self):
        return [self[g] for g in self]

    def items(self):
        return [(g, self[g]) for g in self]


def test_given_digests_read_only_changed_chunks(tmp_path, chunks) -> None:
    """With the caller's digests, unchanged chunks are not read at all (a build's chunks are
    read from its cache on first use), and the report is still the full one."""
    from qmgraph.emit import LazyChunks

    def digests(cs: Chunks) -> dict[str, str]:
        import hashlib

        return {g: hashlib.blake2b(d, digest_size=16).hexdigest() for g, d in cs.items()}

    iv = IncrementalValidator(tmp_path)
    got = iv.validate(chunks, digests(chunks))
    assert iv.last.full
    g = notices(chunks)[2]
    act = objects(chunks, g, QM.organizer)[0][0]
    changed = edit(chunks, g, drop=lambda line: line.startswith(f"<{act}> <{QM.text}>"))
    watched = _Watched(changed)
    got = iv.validate(watched, digests(changed))
    want = validate(b"".join(changed[x] for x in sorted(changed)), engine="oxigraph")
    assert not iv.last.full and iv.last.graphs_changed == 1
    assert watched.read == {g}
    assert got.text() == want.text() and not got.conforms

    lazy = LazyChunks({x: (lambda x=x: chunks[x]) for x in chunks})
    got = iv.validate(lazy, digests(chunks))
    assert not iv.last.full and lazy.loaded == 1  # only g, changed back
    assert got.text() == validate(b"".join(chunks[x] for x in sorted(chunks)),
                                  engine="oxigraph").text()
    with pytest.raises(ValueError, match="digests"):
        iv.validate(chunks, {})


def test_shapes_kept_compiled_in_the_state_dir(tmp_path, chunks, monkeypatch) -> None:
    """The default shapes are parsed and compiled once per state directory; a damaged or
    foreign copy is prepared again, and results stay those of a full validation."""
    check(IncrementalValidator(tmp_path), chunks)
    kept = tmp_path / inc._PREPARED_FILE
    assert kept.is_file()

    def no_parsing():
        raise AssertionError("shapes parsed again")

    with monkeypatch.context() as m:
        m.setattr(inc, "load_shapes", no_parsing)
        iv = IncrementalValidator(tmp_path)
        assert iv.checks and iv.footprint.depth == 1
        check(iv, chunks)
        assert not iv.last.full

    kept.write_bytes(b"garbage")
    iv = IncrementalValidator(tmp_path)
    check(iv, chunks)
    assert not iv.last.full  # same checks, so the stored results still hold
    assert inc.unseal(kept.read_bytes()) is not None


def test_finish_later_saves_the_state_only_when_finished(tmp_path, chunks) -> None:
    """A first validation may return while its persistent store is still loading; the
    state is written by finish(), so a process dying before it leaves a full run next."""
    iv = IncrementalValidator(tmp_path)
    got = iv.validate(chunks, finish_later=True)
    assert iv.last.full
    assert not (tmp_path / "state.json").exists()
    assert got.text() == validate(b"".join(chunks[g] for g in sorted(chunks)),
                                  engine="oxigraph").text()
    with pytest.raises(inc._Busy):  # the directory stays locked until finished
        with inc._locked(tmp_path):
            pass
    iv.finish()
    assert (tmp_path / "state.json").exists()
    iv.finish()  # nothing left: a no-op
    check(iv, chunks)
    assert not iv.last.full

    # never finished (the process died, or gave up): the next validator starts over
    other = tmp_path / "other"
    dying = IncrementalValidator(other)
    dying.validate(chunks, finish_later=True)
    dying.abandon()
    fresh = IncrementalValidator(other)
    check(fresh, chunks)
    assert fresh.last.full and fresh.last.reason == "no state"


def test_failure_after_checks_releases_the_directory(tmp_path, chunks, monkeypatch) -> None:
    """An error after a finish_later run started its load leaves no lock, no thread and no
    state behind (the next run is a full one)."""
    import threading

    def broken(*args, **kwargs):
        raise RuntimeError("report failed")

    before = threading.active_count()
    iv = IncrementalValidator(tmp_path)
    with monkeypatch.context() as m:
        m.setattr(inc, "make_report", broken)
        with pytest.raises(RuntimeError, match="report failed"):
            iv.validate(chunks, finish_later=True)
    assert threading.active_count() == before
    with inc._locked(tmp_path):
        pass
    assert not (tmp_path / "state.json").exists()
    check(iv, chunks)
    assert iv.last.full

    # the caller fails after validating: abandon() releases without saving
    other = tmp_path / "other"
    iv = IncrementalValidator(other)
    iv.validate(chunks, finish_later=True)
    iv.abandon()
    with inc._locked(other):
        pass
    assert not (other / "state.json").exists()
