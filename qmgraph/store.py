"""The persistent store a build leaves beside its files, and opening it again.

``qmgraph build --out DIR`` writes the folder ``DIR/qmgraph.oxigraph``: ``db/``, an on-disk
Oxigraph store holding the graph file just written, named graphs and all, and
``stamp.json`` (what the store was made from — the graph file's name, size and modification time, the
digest of each named graph — and the answers the build recorded: the summary's counts,
``qmgraph.counts``; with ``build --record-listings`` the default rows of the listings, one
file each in ``answers/``, ``qmgraph.listings``). ``query``,
``export``, ``viz``, ``serve`` and ``push`` open that store instead of parsing the graph file
again (``open_graph``); a store that is missing, or older than the graph file (another
build, a hand edit), is ignored and the file is parsed as before. See
docs/decisions/0016-year-partitions.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from qmgraph.outputs import FORMATS

__all__ = ["RECORDED", "STAMP_NAME", "STORE_NAME", "StoreInfo", "decode_cell", "fresh_store", "open_graph",
           "StoreWork", "prepare_store", "recorded_answer", "remove_store",
           "write_store"]

STORE_NAME = "qmgraph.oxigraph"  #: the store's folder in a build's output folder
DB_NAME = "db"  #: the Oxigraph database inside it
STAMP_NAME = "stamp.json"  #: inside it: what the database was made from, recorded answers
ANSWERS_NAME = "answers"  #: inside it too: the recorded listings, one file each
_STAMP_VERSION = 1
#: Canned queries that read every quad of the graph (counts: ~17 s on a 10,000-notice
#: graph): their rows are kept in the stamp the first time one runs on this store, and
#: read from there until the next build (not run by the build itself: a rebuild after
#: editing one notice would pay the whole count again).
RECORDED = ("summary",)

@dataclass(frozen=True)
class StoreInfo:
    """A build's store that matches its graph file."""

    path: Path  #: the Oxigraph database (``qmgraph.oxigraph/db``)
    stamp: dict  #: the stamp file's content


def _source_stamp(graph_file: Path) -> dict:
    st = graph_file.stat()
    return {"version": _STAMP_VERSION, "graph": graph_file.name, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "pyoxigraph": ox.__version__}


def query_digest(text: str) -> str:
    """What names a recorded answer: the SPARQL text exactly as run."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remove_store(out_dir: str | Path) -> None:
    """Remove a build's store (a build that writes no graph file)."""
    out = Path(out_dir)
    (out / STORE_NAME / STAMP_NAME).unlink(missing_ok=True)
    shutil.rmtree(out / STORE_NAME, ignore_errors=True)


#: Above this share of changed graphs (and more than a few) a store is made anew (one bulk
#: load) rather than changed graph by graph (each change is a transaction).
_PATCH_SHARE = 0.2
_PATCH_MIN = 16
#: N-Quads bytes per bulk load when a store is made from a build's chunks (~100,000 quads)
_BATCH_BYTES = 16 * 2**20


def write_store(graph_file: str | Path, out_dir: str | Path, *,
                chunks: Mapping[str, bytes] | None = None,
                digests: Mapping[str, str] | None = None) -> tuple[Path, int]:
    """Make ``out_dir/qmgraph.oxigraph`` hold ``graph_file``; returns the store and how many
    graphs were (re)loaded (:func:`prepare_store`, its ``load``, then its ``finish``)."""
    work = prepare_store(graph_file, out_dir, chunks=chunks, digests=digests)
    try:
        loaded = work.load()
    except BaseException:
        work.discard()
        raise
    return work.finish(), loaded


@dataclass
class StoreWork:
    """A store being made (:func:`prepare_store`): ``load`` can run in another thread
    (pyoxigraph releases the GIL) and only reads chunks already made; ``finish`` (once
    the graph file is written and ``load`` returned) puts the store in place and writes its
    stamp; ``discard`` removes what ``load`` made, when the build fails."""

    load: Callable[[], int]  #: loads the quads; returns how many graphs were (re)loaded
    finish: Callable[[], Path]
    discard: Callable[[], None]
    from_chunks: bool  #: loads the chunks taken, not the graph file (may start before it)
    #: more recorded answers (bound text's digest → answer) to keep with the stamp, each in
    #: its own file (``ANSWERS_NAME``): a build adds its listings before ``finish``
    #: (``qmgraph.listings``), so a query reads the stamp and the one answer it needs
    answers: dict[str, dict] = field(default_factory=dict)
    #: the database ``load`` fills (until ``finish`` puts it in place): a build runs the
    #: listings it records on the store there (``qmgraph.listings.store_listings``)
    db: Path | None = None


def prepare_store(graph_file: str | Path, out_dir: str | Path, *,
                  chunks: Mapping[str, bytes] | None = None,
                  digests: Mapping[str, str] | None = None) -> StoreWork:
    """What :func:`write_store` does, in steps: this one decides and makes every chunk it
    needs; the :class:`StoreWork` it returns does the rest, only reading those chunks again
    (a build's chunks are spilled: reading one is safe from another thread), so a build
    loads the store in a thread while it writes the files and validates (decision 0020;
    0027 for the spill).

    ``chunks`` (graph IRI → N-Quads, every named graph of the file) are loaded in
    batches instead of the file (bounded memory; each batch is let go once loaded). With
    their ``digests`` too, a store the previous build left (its stamp lists the digest of
    each graph it holds) is changed in place: graphs gone are dropped, changed and new ones
    replaced from their chunks, so a rebuild after editing one notice loads one graph, not
    the corpus. Otherwise the chunks (or, without them, the file) are bulk-loaded into a new
    store in a temporary folder that is renamed into place. Either way the stamp is removed
    first (here) and written last, so an interrupted or failed build leaves no store that
    claims to match (readers then parse the file, the next build makes the store anew).
    """
    g, out = Path(graph_file), Path(out_dir)
    fmt = FORMATS.get(g.suffix.lower())  # the suffixes every graph reader knows
    if fmt is None:
        raise ValueError(f"no store from a {g.suffix} file")
    final = out / STORE_NAME
    old_stamp = _read_stamp(final)
    (final / STAMP_NAME).unlink(missing_ok=True)  # the old store no longer matches
    for stale in [*out.glob(f".{STORE_NAME}.tmp-*"), *out.glob(f".{STORE_NAME}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    old_graphs = old_stamp.get("graphs") if old_stamp.get("pyoxigraph") == ox.__version__ else None
    changed: list[str] = []
    gone: list[str] = []
    if chunks is not None and digests is not None and isinstance(old_graphs, dict) \
            and (final / DB_NAME).is_dir():
        changed = [k for k, d in digests.items() if old_graphs.get(k) != d]
        gone = [k for k in old_graphs if k not in digests]
        if len(changed) + len(gone) > max(_PATCH_MIN, _PATCH_SHARE * len(digests)):
            old_graphs = None
    else:
        old_graphs = None
    stamp_graphs = dict(digests) if digests is not None else None

    answers, counts_file = _recorded(final, chunks, digests)
    listed: dict[str, dict] = {}

    def stamp() -> Path:
        _write_counts(final, counts_file)
        _write_answers(final, listed)
        _write_stamp(final, {**_source_stamp(g), "answers": answers, "graphs": stamp_graphs,
                             "answer_files": sorted(listed)})
        return final

    if old_graphs is not None:
        patch = {k: chunks[k] for k in changed}  # type: ignore[index]

        def patch_load() -> int:
            store = ox.Store(str(final / DB_NAME))
            for k in [*gone, *changed]:
                store.remove_graph(ox.NamedNode(k))
            for k in changed:
                store.load(patch.pop(k), format=ox.RdfFormat.N_QUADS)
            store.flush()
            return len(changed)
        # a patch that failed half-way leaves a store without a stamp: readers ignore it
        return StoreWork(patch_load, stamp, lambda: None, from_chunks=True, answers=listed,
                         db=final / DB_NAME)

    # Every chunk is made here, in the build's thread; the loader reads them again in
    # batches (a build's chunks are spilled to disk: ``emit.LazyChunks``), so the store
    # holds one batch at a time, never the whole graph (decision 0027).
    pending = list(chunks) if chunks is not None else None
    if pending is not None:
        # a build's lazy chunks make what is missing without reading back what is made;
        # a plain mapping holds every chunk already
        ensure = getattr(chunks, "ensure", None)
        if ensure is not None:
            ensure(pending)
    tmp = out / f".{STORE_NAME}.tmp-{os.getpid()}"

    def load() -> int:
        loaded = len(pending) if pending is not None else -1
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)  # the build may not have made its folder yet
        store = ox.Store(str(tmp / DB_NAME))
        try:
            if pending is not None:
                _bulk_load_chunks(store, (chunks[k] for k in pending))  # type: ignore[index]
            else:
                store.bulk_load(path=str(g), format=fmt)
            store.flush()
        except BaseException as exc:
            # the database is closed before it is removed: the traceback's frames hold it
            traceback.clear_frames(exc.__traceback__)
            del store
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        del store  # closes the database before it moves
        return loaded

    def finish() -> Path:
        old = out / f".{STORE_NAME}.old-{os.getpid()}"
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        return stamp()

    return StoreWork(load, finish, lambda: shutil.rmtree(tmp, ignore_errors=True),
                     from_chunks=pending is not None, answers=listed, db=tmp / DB_NAME)


def _recorded(folder: Path, chunks: Mapping[str, bytes] | None,
              digests: Mapping[str, str] | None) -> tuple[dict[str, dict], dict | None]:
    """The answers of the whole-graph canned queries, ``RECORDED``, made from the build's
    chunks (``qmgraph.counts``; a graph whose chunk did not change is not read again), keyed
    by the digest of the query text, and the per-graph counts to keep beside the store.
    Nothing without chunks (the query then runs on the store), nor when ``summary.rq`` is
    not the text the counts were written for."""
    from qmgraph.counts import SUMMARY_DIGEST, collect, summary_answer, summary_rows
    from qmgraph.resources import queries_dir

    if chunks is None:
        return {}, None
    text = (queries_dir() / "summary.rq").read_text(encoding="utf-8")
    if query_digest(text) != SUMMARY_DIGEST:
        return {}, None
    graphs, kept = collect(chunks, digests, folder)
    return {query_digest(text): summary_answer(summary_rows(graphs))}, kept


def _write_counts(folder: Path, kept: dict | None) -> None:
    import marshal

    from qmgraph.counts import COUNTS_NAME

    (folder / "graph-counts.json").unlink(missing_ok=True)  # what older versions wrote
    if kept is None:
        (folder / COUNTS_NAME).unlink(missing_ok=True)
        return
    part = folder / f"{COUNTS_NAME}.part"
    part.write_bytes(marshal.dumps(kept))
    part.replace(folder / COUNTS_NAME)


def _write_answers(folder: Path, answers: Mapping[str, dict]) -> None:
    """``answers`` as ``folder/answers/<digest>.json``, and no other file there."""
    where = folder / ANSWERS_NAME
    shutil.rmtree(where, ignore_errors=True)
    if not answers:
        return
    where.mkdir()
    for key, answer in answers.items():
        (where / f"{key}.json").write_text(
            json.dumps(answer, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _write_stamp(folder: Path, stamp: dict) -> None:
    part = folder / f"{STAMP_NAME}.part-{os.getpid()}"
    part.write_text(json.dumps(stamp, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    part.replace(folder / STAMP_NAME)


def _bulk_load_chunks(store: ox.Store, chunks: Iterable[bytes]) -> None:
    """Bulk-load the N-Quads ``chunks`` (read as they are loaded) in batches of about
    ``_BATCH_BYTES``: one bulk load of a whole 3,000-notice graph took 666 MiB more memory,
    batches of 100,000 quads 65 MiB (and 30 % more time) — the store must not raise the
    build's peak."""
    batch: list[bytes] = []
    size = 0
    for data in chunks:
        batch.append(data)
        size += len(data)
        if size >= _BATCH_BYTES:
            store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
            batch, size = [], 0
    if batch:
        store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)


def _read_stamp(folder: Path) -> dict:
    try:
        got = json.loads((folder / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return got if isinstance(got, dict) else {}


def fresh_store(graph_file: str | Path) -> StoreInfo | None:
    """The store a build left beside ``graph_file``, if it was made from that very file
    (same name, size and modification time, same pyoxigraph); else None."""
    g = Path(graph_file)
    folder = g.parent / STORE_NAME
    try:
        stamp = json.loads((folder / STAMP_NAME).read_text(encoding="utf-8"))
        now = _source_stamp(g)
    except (OSError, ValueError):
        return None
    if not (folder / DB_NAME).is_dir() or any(stamp.get(k) != v for k, v in now.items()):
        return None
    return StoreInfo(folder / DB_NAME, stamp)


def decode_cell(cell: Sequence[str] | str | None) -> object:
    """A recorded answer's cell as a term: a bare string is an xsd:string literal (most
    cells of a listing), else ``[kind, value, datatype or language]`` (a list as read from
    JSON, a tuple as a build makes it)."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return ox.Literal(cell)
    kind, value, extra = cell
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra))


def recorded_answer(graph_file: str | Path, text: str) -> dict | None:
    """The rows the build recorded for the SPARQL ``text`` on ``graph_file``'s store
    (``{"columns": […], "rows": […]}``), or None."""
    info = fresh_store(graph_file)
    if info is None:
        return None
    key = query_digest(text)
    got = info.stamp.get("answers", {}).get(key)
    if got is None and key in info.stamp.get("answer_files", ()):
        try:
            got = json.loads((info.path.parent / ANSWERS_NAME / f"{key}.json")
                             .read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    return got


def open_graph(graph_file: str | Path) -> ox.Store | None:
    """The build's store for ``graph_file``, opened read-only, or None when there is no
    fresh one (the caller parses the file)."""
    info = fresh_store(graph_file)
    if info is None:
        return None
    try:
        return ox.Store.read_only(str(info.path))
    except OSError:
        return None
