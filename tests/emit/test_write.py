"""The writer and the shared graph's key: what lets a rebuild skip unchanged graphs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from qmgraph.cache import digest
from qmgraph.emit import LazyChunks, corpus_chunks, shared_key, shared_triples
from qmgraph.emit.write import ChunkWriter, chunk_subjects
from qmgraph.model import Corpus
from qmgraph.namespaces import SHARED_GRAPH


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    from qmgraph.pipeline import build

    return build(["data/raw"], tmp_path_factory.mktemp("out"), validate=False).corpus


def _digests(chunks: dict[str, bytes]) -> dict[str, str]:
    return {g: digest(d) for g, d in chunks.items()}


def test_cached_writer_reads_only_changed_chunks(corpus: Corpus, tmp_path: Path) -> None:
    chunks = corpus_chunks(corpus)
    cache = tmp_path / "blocks"
    first = ChunkWriter(cache)
    want = {fmt: first.render(chunks, fmt, _digests(chunks)) for fmt in ("trig", "ttl")}
    first._analyze(chunks, _digests(chunks))
    first.prune()

    # one notice graph changes: a new writer over lazy chunks reads that one only
    g = next(x for x in chunks if x != str(SHARED_GRAPH))
    changed = dict(chunks)
    changed[g] = chunks[g].replace("质量".encode(), "品质".encode())
    assert changed[g] != chunks[g]
    lazy = LazyChunks({x: (lambda x=x: changed[x]) for x in changed})
    writer = ChunkWriter(cache)
    got = {fmt: writer.render(lazy, fmt, _digests(changed)) for fmt in ("trig", "ttl")}
    assert lazy.loaded == 1
    fresh = ChunkWriter(None)
    assert got == {fmt: fresh.render(changed, fmt) for fmt in ("trig", "ttl")}
    assert got != want
    assert writer.quads == sum(d.count(b"\n") for d in changed.values())
    assert writer.union_triples == fresh.union_triples


def test_shared_key_follows_what_the_shared_graph_reads(corpus: Corpus) -> None:
    key = shared_key(corpus)
    assert shared_key(replace(corpus)) == key
    # what the shared graph does not read
    assert shared_key(replace(corpus, mirrors=[])) == key
    # each thing it reads
    org = next(iter(corpus.organizations))
    surfaces = {k: set(v) for k, v in corpus.org_surfaces.items()}
    surfaces.setdefault(org, set()).add("某某局")
    assert shared_key(replace(corpus, org_surfaces=surfaces)) != key
    renamed = {k: replace(o, label=o.label + "（新）") if k == org else o
               for k, o in corpus.organizations.items()}
    assert shared_key(replace(corpus, organizations=renamed)) != key
    slogans = [replace(corpus.notices[0], slogans=[*corpus.notices[0].slogans, "新口号"]),
               *corpus.notices[1:]]
    assert shared_key(replace(corpus, notices=slogans)) != key
    assert shared_triples(replace(corpus, notices=slogans)) != shared_triples(corpus)


def test_blocks_come_from_the_previous_output_while_it_is_unchanged(
        corpus: Corpus, tmp_path: Path) -> None:
    from qmgraph.emit.write import write_chunks

    chunks = corpus_chunks(corpus)
    cache, out = tmp_path / "blocks", tmp_path / "out"
    write_chunks(chunks, out, cache_dir=cache)
    want = {f: (out / f).read_bytes() for f in ("qmgraph.trig", "qmgraph.ttl")}

    # the block files are gone: an unchanged output still provides every block
    for f in cache.iterdir():
        if f.name.startswith(("trig-", "ttl-")):
            f.unlink()
    writer = ChunkWriter(cache)
    write_chunks(chunks, out, writer=writer)
    assert writer.rendered == 0
    assert {f: (out / f).read_bytes() for f in want} == want

    # an output changed by hand is not trusted: blocks are made again, the same bytes
    (out / "qmgraph.trig").write_bytes(b"# edited\n" + want["qmgraph.trig"][9:])
    for f in cache.iterdir():
        if f.name.startswith("trig-"):
            f.unlink()
    writer = ChunkWriter(cache)
    write_chunks(chunks, out, writer=writer)
    assert writer.rendered == len(chunks)
    assert {f: (out / f).read_bytes() for f in want} == want


def test_every_format_has_a_renderer() -> None:
    """The format table and the renderer registry name the same formats."""
    from qmgraph.emit.write import FORMATS, ChunkWriter

    assert set(ChunkWriter._RENDERERS) == set(FORMATS)


def test_turtle_blocks_made_from_trig_equal_serialized_ones(corpus: Corpus) -> None:
    """A graph's Turtle block is its TriG block one tab less (no second parse); literals
    with line breaks, quotes and tabs, blank nodes and typed values included, it is
    byte for byte what pyoxigraph writes for the triples."""
    from qmgraph.emit.write import _turtle_of_trig

    g = "https://w3id.org/qmgraph/id/graph/notice/x"
    odd = (f'<https://w3id.org/qmgraph/id/a> <http://www.w3.org/2000/01/rdf-schema#label> '
           f'"two\\nlines\\t\\"quoted\\"\\r"@zh <{g}> .\n'
           f'<https://w3id.org/qmgraph/id/a> <https://w3id.org/qmgraph/ontology#x> _:b0 <{g}> .\n'
           f'_:b0 <https://w3id.org/qmgraph/ontology#year> '
           f'"2022"^^<http://www.w3.org/2001/XMLSchema#integer> <{g}> .\n').encode()
    chunks = {**corpus_chunks(corpus), g: odd}
    writer = ChunkWriter()
    for name, data in chunks.items():
        trig = writer._serialize(data, ox.RdfFormat.TRIG)
        assert _turtle_of_trig(trig) == writer._serialize(data, ox.RdfFormat.TURTLE), name
    assert _turtle_of_trig(b"<g> {\n\t<a> <b> <c> .\nnot indented\n}\n") is None
    # and the writer's Turtle, made from the TriG it rendered first, is the same file
    digests = _digests(chunks)
    both = ChunkWriter()
    both.render(chunks, "trig", digests)
    assert both.render(chunks, "ttl", digests) == ChunkWriter().render(chunks, "ttl", digests)


def _reference(chunks: dict[str, bytes], fmt: str) -> bytes:
    """The TriG / Turtle / N-Quads files as the writer made them when it held every block
    (before decision 0027), written out plainly: each graph serialized on its own; the
    Turtle's subjects that several graphs state de-duplicated into one last block."""
    from qmgraph.emit.write import _body, _prefixes

    def ser(data: bytes, f: ox.RdfFormat) -> bytes:
        items = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        if f == ox.RdfFormat.TURTLE:
            items = (q.triple for q in items)
        return _body(ox.serialize(list(items), format=f, prefixes=_prefixes()))

    if fmt == "nq":
        return b"".join(chunks.values())
    head = "".join(f"@prefix {k}: <{v}> .\n" for k, v in _prefixes().items()).encode()
    if fmt == "trig":
        return head + b"".join(ser(d, ox.RdfFormat.TRIG) for d in chunks.values())

    def subject(line: bytes) -> bytes:
        return line.split(b" ", 1)[0]

    subjects = {g: {subject(x) for x in d.splitlines()} for g, d in chunks.items()}
    seen: dict[bytes, int] = {}
    for ss in subjects.values():
        for s in ss:
            seen[s] = seen.get(s, 0) + 1
    shared = {s for s, n in seen.items() if n > 1}
    out, common = [head], set()
    for d in chunks.values():
        lines = d.splitlines(keepends=True)
        out.append(ser(b"".join(x for x in lines if subject(x) not in shared),
                       ox.RdfFormat.TURTLE))
        common.update(x[: x.rindex(b" <")] + b" .\n" for x in lines if subject(x) in shared)
    if common:
        triples = list(ox.parse(b"".join(sorted(common)), format=ox.RdfFormat.N_TRIPLES))
        out.append(_body(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                      prefixes=_prefixes())))
    return b"".join(out)


def test_streamed_files_equal_whole_renderings(corpus: Corpus, tmp_path: Path) -> None:
    """TriG, Turtle and N-Quads written together graph by graph (decision 0027) are the
    files made from every block at once; a rebuild from the block cache and the previous
    outputs too, and so are the writer's counts."""
    from qmgraph.emit.write import write_chunks

    chunks = corpus_chunks(corpus)
    g = "https://w3id.org/qmgraph/id/graph/notice/zz-extra"
    edition = next(x.split(b" ", 1)[0] for d in chunks.values() for x in d.splitlines()
                   if b"/quality-month/" in x.split(b" ", 1)[0])
    chunks[g] = edition + b' <http://www.w3.org/2000/01/rdf-schema#comment> "x" <' \
        + g.encode() + b"> .\n"  # one more graph stating a subject others state
    want = {f: _reference(chunks, f) for f in ("trig", "ttl", "nq")}
    for run in range(2):
        writer = ChunkWriter(tmp_path / "blocks")
        write_chunks(chunks, tmp_path / "out", formats=("trig", "ttl", "nq"), writer=writer)
        for f in want:
            assert (tmp_path / "out" / f"qmgraph.{f}").read_bytes() == want[f], (run, f)
        assert (writer.rendered == 0) == (run == 1)  # the rebuild serializes nothing
        assert writer.quads == sum(d.count(b"\n") for d in chunks.values())
        union = {x[: x.rindex(b" <")] for d in chunks.values() for x in d.splitlines()}
        assert writer.union_triples == len(union)
    for f in ("trig", "ttl", "nq"):
        assert ChunkWriter().render(chunks, f) == want[f]


def test_chunk_subjects_are_each_lines_first_term(corpus: Corpus) -> None:
    """The subjects found by runs of lines equal those split off every line: in a sorted
    chunk, in the same lines shuffled (a subject's lines apart), with a subject that is
    the start of another, blank nodes and no final line break."""
    chunks = corpus_chunks(corpus)
    odd = (b'<http://e/a> <http://e/p> "x" <http://e/g> .\n'
           b'<http://e/a/b> <http://e/p> <http://e/a> <http://e/g> .\n'
           b'_:b1 <http://e/p> "<http://e/z> " <http://e/g> .\n'
           b'<http://e/a> <http://e/q> _:b1 <http://e/g> .\n'
           b'<http://e/c> <http://e/r> "1" <http://e/g> .')
    cases = [*chunks.values(), odd, b"".join(reversed(next(iter(chunks.values())).splitlines(True)))]
    for data in cases:
        assert chunk_subjects(data) == {x.split(b" ", 1)[0] for x in data.splitlines()}
    assert chunk_subjects(odd) == {b"<http://e/a>", b"<http://e/a/b>", b"_:b1",
                                    b"<http://e/c>"}
    assert chunk_subjects(b"") == set()
