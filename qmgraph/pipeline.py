"""The pipeline end to end, as library functions the CLI and notebooks share.

``resolve_paths`` runs ingest → parse → extract → resolve; ``build`` adds link → emit →
validate and writes the outputs. One bad file never loses the others: its error is kept
as a ``Problem`` and the rest are built.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmgraph.errors import InputError, QmgraphError
from qmgraph.extract import extract_notice
from qmgraph.ingest import MAX_BYTES, ingest_bytes, ingest_file, source_name
from qmgraph.model import ActivityFacts, Corpus, ExtractedNotice, SourceText, activity_facts
from qmgraph.parse import parse_notice
from qmgraph.parse.prose import mentions_quality_month

if TYPE_CHECKING:
    from qmgraph.cache import NoticeCache
    from qmgraph.cluster import ClusterSpec
    from qmgraph.emit import LazyChunks
    from qmgraph.link import LinkParams
    from qmgraph.model import MirrorLink, ResolvedActivity, ResolvedNotice
    from qmgraph.spill import Spill
    from qmgraph.state import BuildState, KeptWindow, NoticeRecord
    from qmgraph.store import StoreWork

Progress = Callable[[str], None]

#: Names in an input folder that are never notices.
_SKIP_NAMES = ("README", "readme", "LICENSE")
#: Kinds of file a folder walk leaves alone: data, code, images and archives that sit
#: beside notices (a synthetic corpus's truth.json, a CSV export, a scanned attachment).
#: A file named on the command line is always read.
_SKIP_SUFFIXES = frozenset({
    ".json", ".jsonl", ".csv", ".tsv", ".yaml", ".yml", ".py", ".sh", ".zip", ".gz", ".tar",
    ".7z", ".rar", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp",
})


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input (or the corpus), reported in the build summary."""

    path: str
    message: str
    fatal: bool  #: the file produced nothing

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class BuildResult:
    """What a build made: outputs, problems, counts, timings; ``corpus`` on demand."""

    problems: list[Problem]
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    violations: int = 0
    report_text: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: how much of the previous build was reused (records, chunks, links, validation…)
    reuse: dict[str, object] = field(default_factory=dict)
    out_dir: Path | None = None  #: the folder the outputs were written to
    #: outputs of an earlier build in ``out_dir`` that this build removed (other formats…)
    removed: list[Path] = field(default_factory=list)
    _corpus: Corpus | None = field(default=None, repr=False)
    _load_corpus: Callable[[], Corpus] | None = field(default=None, repr=False)

    @property
    def graph(self) -> Path | None:
        """The graph file written (TriG preferred; see ``qmgraph.outputs.find_graph``)."""
        from qmgraph.outputs import GRAPH_FILES

        written = {p.name: p for p in self.outputs}
        return next((written[n] for n in GRAPH_FILES if n in written), None)

    @property
    def corpus(self) -> Corpus:
        """The resolved and linked corpus (a rebuild loads unchanged notices on first use)."""
        if self._corpus is None:
            assert self._load_corpus is not None
            self._corpus = self._load_corpus()
        return self._corpus

    @property
    def failed_inputs(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> dict[str, int]:
        return {**self.counts, "triples": self.triples, "violations": self.violations,
                "problems": len(self.problems)}


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and files inside folders named (recursively), sorted, without hidden
    files, READMEs or files of kinds that are never notices (``_SKIP_SUFFIXES``).

    A folder that cannot be listed is kept as an input itself, so that reading it fails
    and the build reports it like an unreadable file (never skipped silently; decision
    0018)."""
    out: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            unreadable: list[OSError] = []
            for folder, dirs, files in os.walk(p, onerror=unreadable.append):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    f = Path(folder) / name
                    if not name.startswith((".", *_SKIP_NAMES)) and f.is_file() \
                            and f.suffix.lower() not in _SKIP_SUFFIXES:
                        out.add(f)
            out.update(Path(e.filename) for e in unreadable if e.filename)
        else:
            out.add(p)
    return sorted(out, key=lambda f: str(f))


def read_notice(path: str | Path, data: bytes | None = None) -> SourceText:
    """Ingest one notice file (or ``data``, its bytes read elsewhere: a cluster worker's
    unit); raises :class:`InputError` naming it when it cannot be read or never names a
    质量月 (``build`` and ``qmgraph parse`` alike)."""
    src = ingest_file(path) if data is None else ingest_bytes(data, source_name(path))
    if not mentions_quality_month(src.text):
        raise InputError("not about a 质量月: the text never names one (is this a 质量月 "
                         "notice, plan, release or report?)", path=str(path))
    return src


def _extract_one(path: Path, cache: NoticeCache | None = None
                 ) -> tuple[ExtractedNotice | None, list[Problem]]:
    """ingest → parse → extract of one file (a worker of ``extract_paths``)."""
    key = None
    if cache is not None:
        try:
            key = cache.key(path, path.read_bytes())
        except OSError:
            key = None  # ingest reports the unreadable file
        cached = cache.get(key) if key else None
        if cached is not None:
            return cached, [Problem(str(path), w, False) for w in cached.tree.warnings]
    ex, problems = _extract_source(path, lambda: read_notice(path))
    if cache is not None and key and ex is not None:
        cache.put(key, ex)
    return ex, problems


def _extract_source(path: Path, ingest: Callable[[], SourceText]
                    ) -> tuple[ExtractedNotice | None, list[Problem]]:
    """parse → extract of what ``ingest`` reads (``read_notice``); a failure is the
    file's fatal problem."""
    try:
        tree = parse_notice(ingest())
        ex = extract_notice(tree)
    except QmgraphError as exc:
        return None, [Problem(str(path), str(exc).removeprefix(f"{path}: "), True)]
    return ex, [Problem(str(path), w, False) for w in tree.warnings]


def _extract_bytes(path: Path, data: bytes) -> tuple[ExtractedNotice | None, list[Problem]]:
    """:func:`_extract_one` of a file's bytes read by the client (a cluster worker's unit:
    workers need the package, not the input folder)."""
    return _extract_source(path, lambda: read_notice(path, data))


@dataclass
class Resolved:
    """A notice extracted and resolved on a cluster worker (:func:`_resolve_bytes`), ready
    for a build without cache: its summary and events (the corpus tables are built in the
    client), and the pickled notice, its own triples and its activity facts as the spill
    keeps them (``_spill_notice``), made on the worker too (decision 0032). Its warnings
    come back as problems, as every extracted notice's do (:func:`_extract_bytes`)."""

    summary: Any  #: ``NoticeSummary`` with ``index`` 0
    events: list
    notice: bytes  #: the pickled notice without its parsed blocks (``_spill_notice``)
    own: bytes  #: its own triples, one a line
    facts: bytes  #: the pickled activity facts


def _resolve_bytes(path: Path, data: bytes) -> tuple[Resolved | None, list[Problem]]:
    """:func:`_extract_bytes`, then the notice resolved (a function of the file alone:
    ``Resolver.resolve_notice_events``) and made ready for the spill: what a build without
    cache does with each notice, done by a cluster worker instead of the client."""
    from qmgraph.resolve import NoticeSummary

    ex, problems = _extract_bytes(path, data)
    if ex is None:
        return None, problems
    n, events = _worker_resolver().resolve_notice_events(ex)
    own, notice = _spilled_forms(n, whole=False)
    # no sketch: as in the client's own build without cache, the client works it out for
    # the few notices it compares (decision 0033)
    return Resolved(summary=NoticeSummary.of(n, 0, sketch=False), events=events,
                    notice=notice, own=own,
                    facts=_pickled(activity_facts(n.activities))), problems


_RESOLVERS = threading.local()  # a worker thread's resolver (its tables are read once)


def _worker_resolver() -> Any:
    """The resolver of this worker thread: ``resolve_notice_events`` does not touch its
    corpus tables, so one serves every notice of a thread; not one per process, as it
    gathers the events of the notice it resolves (a ``dask worker`` runs a thread a core)."""
    got = getattr(_RESOLVERS, "resolver", None)
    if got is None:
        from qmgraph.resolve import Resolver

        got = _RESOLVERS.resolver = Resolver()
    return got


Extracted = tuple[ExtractedNotice | None, list[Problem]]


def _extract_on(client: Any, paths: list[Path], store: NoticeCache | None,
                progress: Progress | None, resolve: bool = False) -> Iterator[Extracted]:
    """:func:`extract_each` on a Dask cluster, yielded in input order as results come
    back: cache hits and files that cannot be sent (unreadable, too big: ``ingest_file``
    words their error) are done here, the rest by the workers from their bytes; the cache
    is written here. A file is read only as its batch is sent (``iter_in_order`` takes the
    files lazily, a window of batches at a time), so the client never holds every input.
    ``resolve`` (without ``store``): the workers resolve the notices too and yield
    :class:`Resolved` in place of the extracted notice (:func:`_resolve_bytes`)."""
    from qmgraph.cluster import Done, iter_in_order

    keys: dict[int, str] = {}  # input index → cache key of a file sent to the workers

    def units() -> Iterator[tuple[Path, bytes] | Done]:
        for i, path in enumerate(paths):
            try:
                too_big = path.stat().st_size > MAX_BYTES
                data = b"" if too_big else path.read_bytes()
            except OSError:
                too_big = True
            if too_big:
                yield Done(_extract_one(path, None))
                continue
            if store is not None:
                key = store.key(path, data)
                cached = store.get(key)
                if cached is not None:
                    yield Done((cached, [Problem(str(path), w, False)
                                         for w in cached.tree.warnings]))
                    continue
                keys[i] = key
            yield (path, data)

    total = len(paths)

    def tell(done: int) -> None:
        if progress:
            progress(f"[{done}/{total}] extracted on the cluster")

    from functools import partial

    unit = partial(_rarely_collected, _resolve_bytes if resolve and store is None
                   else _extract_bytes)
    for i, res in enumerate(iter_in_order(client, unit, units(), tell)):
        key = keys.pop(i, None)
        if store is not None and key is not None and res[0] is not None:
            store.put(key, res[0])
        yield res


def extract_each(paths: list[Path], progress: Progress | None = None, jobs: int = 1,
                 cache: NoticeCache | str | Path | None = None, client: Any = None
                 ) -> list[Extracted]:
    """ingest → parse → extract of each file, in input order: the notice (None when the
    file failed) and its problems.

    ``jobs`` > 1 extracts in that many worker processes (results stay in input order, so
    the output is the same); ``client`` (a ``distributed.Client``, ``qmgraph.cluster``)
    extracts on a Dask cluster instead; ``cache`` (a :class:`qmgraph.cache.NoticeCache` or
    a folder) reuses the extraction of files whose path, bytes and extraction code are
    unchanged.
    """
    return list(_extract_stream(paths, progress, jobs, cache, client))


def _extract_stream(paths: list[Path], progress: Progress | None, jobs: int,
                    cache: NoticeCache | str | Path | None, client: Any,
                    resolve: bool = False) -> Iterator[Extracted]:
    """:func:`extract_each`, yielded in input order as each result is ready (a build
    resolves the first notices while the others are still being extracted). ``resolve``:
    see :func:`_extract_on` (a cluster's workers only)."""
    from qmgraph.cache import NoticeCache

    store = NoticeCache(cache) if isinstance(cache, (str, Path)) else cache
    if client is not None and paths:
        yield from _extract_on(client, paths, store, progress, resolve)
        return
    if jobs > 1 and len(paths) > 1:
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, min(32, len(paths) // (jobs * 4)))
            results = pool.map(partial(_extract_one, cache=store), paths, chunksize=chunk)
            for i, (path, res) in enumerate(zip(paths, results, strict=True), start=1):
                if progress:
                    progress(f"[{i}/{len(paths)}] {path}")
                yield res
        return
    for i, path in enumerate(paths, start=1):
        if progress:
            progress(f"[{i}/{len(paths)}] {path}")
        yield _extract_one(path, store)


def extract_paths(paths: list[Path], progress: Progress | None = None, jobs: int = 1,
                  cache: NoticeCache | str | Path | None = None
                  ) -> tuple[list[ExtractedNotice], list[Problem]]:
    """:func:`extract_each`, as the notices that were extracted and every problem."""
    done: list[ExtractedNotice] = []
    problems: list[Problem] = []
    for ex, probs in extract_each(paths, progress, jobs, cache):
        problems += probs
        if ex is not None:
            done.append(ex)
    return done, problems


def resolve_paths(paths: list[str | Path], progress: Progress | None = None) -> Corpus:
    """ingest → parse → extract → resolve for ``paths`` (files or folders)."""
    corpus, _problems = _resolve(expand_inputs(paths), progress)
    return corpus


def _resolve(paths: list[Path], progress: Progress | None, jobs: int = 1,
             cache: str | Path | NoticeCache | None = None) -> tuple[Corpus, list[Problem]]:
    from qmgraph.resolve import Resolver

    extracted, problems = extract_paths(paths, progress, jobs=jobs, cache=cache)
    resolver = Resolver()
    corpus = resolver.corpus(extracted)
    for msg in resolver.problems:
        path, _, text = msg.partition(": ")
        problems.append(Problem(path, text, False))
    return corpus, problems


@dataclass
class _Assembled:
    """The corpus as a build holds it: every kept notice's summary and record and the
    corpus tables; the full notices and their own triples are read when needed, from the
    build's spill (``qmgraph.spill``) for notices made in this build without a build
    state, else from the build state (decision 0027)."""

    tables: Corpus  #: ``notices`` are NoticeSummary objects, sorted by key
    implements: dict[str, list[str]]
    #: notice key → its input's index (the key of its activities' facts in ``spill``)
    index: dict[str, int]
    input_keys: dict[str, str]  #: notice key → cache key of its input (path + bytes)
    #: notice key → input index of the notices in ``spill`` (made here without a state)
    spilled: dict[str, int]
    state: BuildState | None
    spill: Spill | None  #: None once the build is over (the state holds every notice)
    problems: list[Problem]
    counts: dict[str, int]
    reuse: dict[str, object] = field(default_factory=dict)
    #: how many statistics windows have their SSSOM rows in ``spill`` (``("sssom", i)``),
    #: kept with their links (a cached build: ``_link``); None: rows made at writing
    sssom: int | None = None
    paths: dict[str, Path] = field(default_factory=dict)  #: notice key → its input file

    def notice(self, key: str, whole: bool = True) -> ResolvedNotice:
        """The full notice ``key``, read again (not kept: memory follows what a stage
        works on). A notice the build state lost is extracted again from its file. Unless
        ``whole``, a notice of the build state comes without its parsed sections, blocks
        and extracted records (linking reads none of them: decision 0035)."""
        from qmgraph.resolve import rekeyed

        spilled = self.spilled.get(key) if self.spill is not None else None
        n = _stored_notice(self.spill, spilled, self.state, self.input_keys[key],
                           self.paths[key], key, whole)
        if spilled is None:  # different documents sharing a key were given distinct ones
            n = rekeyed(n, key)
        n.implements = self.implements[key]
        return n

    def own_triples(self, key: str) -> list[str]:
        """The triples of notice ``key``'s graph that depend on it alone
        (``emit.notice_triples``): spilled when made, else from the build state."""
        if self.spill is not None and key in self.spilled:
            return self.spill.get(("own", self.spilled[key])).decode("utf-8").split("\n")
        own = self.state.triples(self.input_keys[key]) if self.state is not None else None
        if own is None:
            from qmgraph.emit import notice_triples

            own = notice_triples(self.notice(key))
        return own

    def lookup(self, mirrors: list[MirrorLink]) -> dict[str, ActivityFacts]:
        """Activity IRI → text, notice, place and agency of the activities ``mirrors``
        link, for the SSSOM rows (the facts of every activity are not held: a notice made
        in this build has them in the spill, one of the build state in its record, read
        only now, for the windows linked again)."""
        from qmgraph.namespaces import activity_notice

        spill = self.spill
        assert spill is not None
        linked = {iri for m in mirrors for iri in (m.source, m.target)}
        keys = sorted({activity_notice(iri) or "" for iri in linked} & set(self.index))
        stored = [self.input_keys[k] for k in keys if ("facts", self.index[k]) not in spill]
        kept = self.state.facts_of(stored) if stored and self.state is not None else {}
        out: dict[str, ActivityFacts] = {}
        for key in keys:
            if ("facts", self.index[key]) in spill:
                facts = spill.get_object(("facts", self.index[key]))
            elif (data := kept.get(self.input_keys[key])) is not None:
                facts = pickle.loads(data)
            else:  # the build state lost its record: from the notice, read or made again
                facts = activity_facts(self.notice(key, whole=False).activities)
            out.update((iri, f) for iri, f in facts.items() if iri in linked)
        return out

    def full_corpus(self, mirrors: list[MirrorLink]) -> Corpus:
        from dataclasses import replace

        notices = [self.notice(s.key) for s in self.tables.notices]
        return replace(self.tables, notices=notices, mirrors=list(mirrors))


def _stored_notice(spill: Spill | None, index: int | None, state: BuildState | None,
                   input_key: str, path: Path, key: str, whole: bool = True) -> ResolvedNotice:
    """A notice made under ``key``, read again: from ``spill`` by its input ``index`` when
    it was spilled (made in this build without a state, or re-keyed), else from the build
    state by its ``input_key`` (``whole``: with its parsed blocks, ``BuildState.resolved``),
    else extracted and resolved again from its file."""
    if index is not None:
        assert spill is not None
        return spill.get_object(("notice", index))
    n = state.resolved(input_key, whole) if state is not None else None
    return n if n is not None else _resolve_again(path, key)


def _resolve_again(path: Path, key: str) -> ResolvedNotice:
    """The notice of ``path`` extracted and resolved again (a function of the file alone),
    under the key ``key`` the build gave it: the build state kept its record but lost its
    ``ResolvedNotice`` (a damaged or removed cache file)."""
    from qmgraph.resolve import Resolver, rekeyed

    ex, _ = _extract_one(path)
    if ex is None:
        raise QmgraphError(f"build cache lost the notice {key} and its file no longer reads",
                           path=str(path), hint="delete the .cache folder and build again")
    return rekeyed(Resolver().resolve_notice_events(ex)[0], key)


def _assemble(paths: list[Path], state: BuildState | None, ex_cache: NoticeCache | None,
              progress: Progress | None, jobs: int, spill: Spill, client: Any = None,
              whole: bool = False) -> _Assembled:
    """ingest → parse → extract → resolve, reusing the records of unchanged inputs. A
    notice made here goes to ``spill`` (with its own triples; ``whole``: with its parsed
    blocks too) unless the build state keeps it; only its record stays in memory."""
    from dataclasses import replace

    from qmgraph.cache import NoticeCache
    from qmgraph.emit import notice_triples
    from qmgraph.model import text_sketch
    from qmgraph.resolve import NoticeSummary, Resolver, rekeyed
    from qmgraph.state import NoticeRecord

    if state is not None:
        state.load_pinyin()
    keys: list[str | None] = []
    for path in paths:
        try:
            keys.append(NoticeCache.key(path, path.read_bytes()))
        except OSError:
            keys.append(None)  # ingest reports the unreadable file
    found = state.records_of(k for k in keys if k is not None) if state is not None else {}
    records: list[NoticeRecord | None] = [found.get(k) if k is not None else None for k in keys]
    todo = [i for i, r in enumerate(records) if r is None]
    # results come in the order of ``todo`` (input order), each as soon as it is ready
    # a build without cache on a cluster has its workers resolve the notices as well
    # (the client only adds up their events); with a cache the client keeps each notice
    fresh = _extract_stream([paths[i] for i in todo], progress, jobs, ex_cache, client,
                            resolve=state is None and ex_cache is None and not whole)
    resolver = Resolver()
    made: set[int] = set()  # input indexes of notices spilled (made here, not in the state)
    problems: list[Problem] = []
    summaries = []
    for i, path in enumerate(paths):
        rec = records[i]
        if rec is None:
            ex, probs = next(fresh)
            problems += probs
            if ex is None:
                continue
            if isinstance(ex, Resolved):  # made ready for the spill by a worker
                spill.put(("own", i), ex.own)
                spill.put(("notice", i), ex.notice)
                rec = NoticeRecord(summary=ex.summary, events=ex.events, warnings=[],
                                   facts=ex.facts)
            else:
                n, events = resolver.resolve_notice_events(ex)
                # the sketch of a notice's text is kept in its record for the rebuilds to
                # come; a build that keeps nothing works it out only when a copy of it is
                # looked for
                rec = NoticeRecord(summary=NoticeSummary.of(n, 0, sketch=state is not None),
                                   events=events, warnings=list(ex.tree.warnings),
                                   facts=_pickled(activity_facts(n.activities)))
                if state is not None and keys[i] is not None:
                    state.put_record(keys[i], rec, n, notice_triples(n))  # type: ignore[arg-type]
                else:
                    _spill_notice(spill, i, n, whole)
            if state is None or keys[i] is None:  # not kept by the state: spilled
                made.add(i)
            # already pickled: spilled as they are (a record read from the state has them
            # read only if its window is linked again: ``lookup``)
            spill.put(("facts", i), rec.facts)
        else:
            problems += [Problem(str(path), w, False) for w in rec.warnings]
        resolver.apply(rec.events)
        # events and warnings are needed while assembling only, the facts by the SSSOM rows
        # of a window linked again: kept in the spill or the build state (``lookup``)
        records[i] = replace(rec, events=[], warnings=[], facts=b"")
        summaries.append(replace(rec.summary, index=i))

    def stored(i: int, key: str) -> ResolvedNotice:
        """The notice of input ``i`` (made under ``key``), read again (as it is spilled)."""
        return _stored_notice(spill, i if i in made else None, state, keys[i],  # type: ignore[arg-type]
                              paths[i], key, whole)

    # a summary made without its sketch (no build state) has it worked out when compared
    kept, implements = resolver.settle(
        summaries, lambda s: text_sketch(stored(s.index, s.key).tree.source.text))
    for s in kept:  # different documents sharing a key were given distinct ones
        rec = records[s.index]
        assert rec is not None
        if s.key != rec.summary.key:
            n = rekeyed(stored(s.index, rec.summary.key), s.key)
            made.add(s.index)
            _spill_notice(spill, s.index, n, whole)  # the state keeps it under its first key
            records[s.index] = replace(rec, summary=replace(rec.summary, key=s.key))
            spill.put_object(("facts", s.index), activity_facts(n.activities))
    if state is not None:
        state.save_pinyin()
        state.save_records(k for k in keys if k is not None)
    for msg in resolver.problems:
        path, _, text = msg.partition(": ")
        problems.append(Problem(path, text, False))
    tables = resolver.tables(kept)
    kinds: dict[str, int] = {}
    for o in tables.organizations.values():
        kinds[o.kind] = kinds.get(o.kind, 0) + 1
    counts = {
        "notices": len(kept),
        "activities": sum(s.n_activities for s in kept),
        "agencies": kinds.get("agency", 0),
        "associations": kinds.get("association", 0),
        "enterprises": kinds.get("enterprise", 0),
        "jurisdictions": len(tables.jurisdictions),
        "campaigns": len(tables.campaigns),
    }
    return _Assembled(
        tables=tables,
        implements=implements,
        index={s.key: s.index for s in kept},
        input_keys={s.key: keys[s.index] for s in kept},  # type: ignore[misc]
        paths={s.key: paths[s.index] for s in kept},
        spilled={s.key: s.index for s in kept if s.index in made},
        state=state,
        spill=spill,
        problems=problems,
        counts=counts,
        reuse={"extracted": len(todo)},
    )


def _spill_notice(spill: Spill, index: int, n: ResolvedNotice, whole: bool) -> None:
    """Keep notice ``n`` and its graph's own triples in ``spill``, by its input index.

    Unless ``whole``, without its parsed sections and blocks and its extracted records:
    only extraction and resolution read them, and they are four fifths of the time it
    takes to pickle a notice and read it back (decision 0027)."""

    own, notice = _spilled_forms(n, whole)
    spill.put(("own", index), own)
    spill.put(("notice", index), notice)


def _pickled(obj: Any) -> bytes:
    """``obj`` as the spill and the build state keep it."""
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _spilled_forms(n: ResolvedNotice, whole: bool) -> tuple[bytes, bytes]:
    """Notice ``n``'s own triples and the notice pickled, as :func:`_spill_notice` keeps
    them (a cluster worker makes them too: :func:`_resolve_bytes`)."""
    from qmgraph.emit import notice_triples

    own = "\n".join(notice_triples(n)).encode("utf-8")
    return own, _pickled(n if whole else n.without_parse())


#: The libraries whose versions a window's kept links are keyed by (``_link``).
_LINK_LIBRARIES = ("numpy", "rapidfuzz")
#: The code a window's kept links are keyed by (``_link``): the linker, and this module,
#: which reads the window for it (``unit``, ``lookup``), decides when kept links only move
#: (``_moved_only``) and makes what is then kept (``_placed_again``, decision 0042): a
#: state written by older code of either is not taken as this code's.
_LINK_CODE = ("link", "levels.py", "pipeline.py")


def _link(asm: _Assembled, state: BuildState | None, params: LinkParams | None = None,
          client: Any = None) -> list[MirrorLink]:
    """Lineage over the placed notices, one statistics window at a time
    (``qmgraph.link.windows``).

    With a build state, a window whose notices, places, code and params are those of the
    last build takes that build's links without reading anything else; one whose changed
    notices only moved or were renamed, their activities as linking read them, takes them
    renamed and re-placed (``_moved_only``, decision 0042); another changed window
    is linked again from its notices (read from the build state, let go after it: memory
    follows the largest window). Without a state, ``client`` (a Dask client) links the
    windows on the cluster, a few at a time."""
    from dataclasses import replace

    from qmgraph.cache import code_version, digest, library_versions
    from qmgraph.link import LinkParams
    from qmgraph.link.mirrors import LinkStats, TextSpans, collect, link_activities
    from qmgraph.link.sssom import sssom_rows
    from qmgraph.link.windows import jurisdiction_closure, partition, placed
    from qmgraph.state import KeptWindow

    params = params or LinkParams()
    placed = placed(asm.tables.notices)
    parts = partition(placed, [s.year for s in placed], params.window_min_notices)

    def unit(part: list, table: dict) -> tuple:
        """What linking a window reads: its activities, their years, its places."""
        notices = [asm.notice(s.key, whole=False) for s in part]
        return (*collect(replace(asm.tables, notices=notices)), table, params)

    def places(part: list) -> dict:
        return jurisdiction_closure(asm.tables.jurisdictions,
                                    (k for s in part for k in s.places))

    links: list[MirrorLink] = []
    if state is None:
        units = (unit(part, places(part)) for _, part in parts)  # made as they are sent
        if client is None:
            made = (link_activities(*u) for u in units)
        else:
            from functools import partial

            from qmgraph.cluster import map_scattered

            made = map_scattered(client, partial(_rarely_collected, link_activities), units)
        for got in made:
            links += got
    else:
        relinked: dict[str, LinkStats] = {}
        replaced = 0  # windows whose kept links were renamed and re-placed (decision 0042)
        asm.sssom = 0
        # the libraries that index (numpy) and align (rapidfuzz) decide links as the code
        # does: a window linked under other versions is linked again
        version = digest(code_version(_LINK_CODE), repr(params),
                         *library_versions(*_LINK_LIBRARIES))
        for window, part in parts:
            name = f"window-{window.years[0]}"
            table = places(part)
            base = digest(version, state.version, repr(window.years), repr(table))
            inputs = {s.key: (asm.input_keys[s.key], str(asm.paths[s.key])) for s in part}
            key = digest(base, *(f"{k} {v}" for k, (v, _) in inputs.items()))
            got = state.window_links(name)
            if got is not None and got.key == key:
                kept, rows = got.links, got.rows
            elif got is not None and got.base == base and len(got.spans) == len(got.links) \
                    and (moved := _moved_only(asm, got.inputs, inputs)) is not None:
                kept, rows = _placed_again(asm, got, moved)
                state.put_links(name, KeptWindow(key, kept, rows, base, inputs, got.spans))
                replaced += 1
            else:
                relinked[window.label] = stats = LinkStats()
                spans: list[TextSpans] = []
                kept = link_activities(*unit(part, table), stats, spans)
                # a row reads the facts of its two activities, both of this window
                rows = _pickled(sssom_rows(asm.lookup(kept), kept))
                state.put_links(name, KeptWindow(key, kept, rows, base, inputs, spans))
            links += kept
            # spilled: every window's rows repeat both activities' texts (53 MB at 10,000);
            # a kept window's as the state has them, pickled (not made objects and pickled
            # again)
            assert asm.spill is not None
            asm.spill.put(("sssom", asm.sssom), rows)
            asm.sssom += 1
        state.keep_link_states({f"window-{w.years[0]}" for w, _ in parts})
        asm.reuse["windows relinked"] = relinked
        asm.reuse["windows kept"] = len(parts) - len(relinked)
        asm.reuse["windows re-placed"] = replaced
    links.sort(key=lambda m: (m.source, m.target))
    return links


def _moved_only(asm: _Assembled, before: dict[str, tuple[str, str]],
                now: dict[str, tuple[str, str]]) -> dict[str, ResolvedActivity] | None:
    """For a window whose notices' inputs changed since its links were made: old
    activity IRI → the activity it is now, of each changed notice, when linking would
    decide every link as then (decision 0042); None when it might not (the window is then
    linked again). ``before`` and ``now``: notice key → (input key, file) of the window's
    notices then and now.

    Linking reads an activity's text, places, organizers, campaigns and year; where it
    lies in its file only gives its links' offsets, and its IRI only orders (IRI order of
    the activities, ties broken by IRI) and tells notices apart. So the links are those
    of then, re-placed and renamed, when the same files are in the window, each changed
    one's activities are as linking read them (:func:`link_view`, under the new key: an
    edit outside every activity's text), and the notices sort as before (a notice's
    activity IRIs all start with its key and a slash: one run in IRI order, placed by the
    key). A notice without a doc number is keyed by its bytes' digest: an edit renames it."""
    from qmgraph.link.mirrors import link_view
    from qmgraph.resolve import rekeyed

    assert asm.state is not None
    then = {path: (key, input_key) for key, (input_key, path) in before.items()}
    if len(then) != len(before) or then.keys() != {path for _, path in now.values()}:
        return None

    def files_in_order(notices: dict[str, tuple[str, str]]) -> list[str]:
        return [path for _, (_, path) in sorted(notices.items(), key=lambda kv: kv[0] + "/")]

    if files_in_order(before) != files_in_order(now):
        return None
    moved: dict[str, ResolvedActivity] = {}
    for key, (input_key, path) in now.items():
        old_key, old_input = then[path]
        if old_input == input_key:
            if old_key != key:  # an unchanged notice under another key: renamed links
                return None
            continue
        stored = asm.state.resolved(old_input, whole=False)
        if stored is None:
            return None
        new = asm.notice(key, whole=False)
        if new.year != stored.year or len(new.activities) != len(stored.activities) or any(
                link_view(a) != link_view(b)
                for a, b in zip(rekeyed(stored, key).activities, new.activities, strict=True)):
            return None
        # the linker reads the first activity of each IRI
        for a, b in zip(rekeyed(stored, old_key).activities, new.activities, strict=True):
            moved.setdefault(a.iri, b)
    return moved


def _placed_again(asm: _Assembled, got: KeptWindow, moved: dict[str, ResolvedActivity]
                  ) -> tuple[list[MirrorLink], bytes]:
    """A kept window's links and SSSOM rows, each side of them in ``moved`` (old IRI →
    activity now) renamed and re-placed (``placed_again``): the rows of the links that
    touch them are made again, the others kept."""
    import heapq

    from qmgraph.link.mirrors import placed_again
    from qmgraph.link.sssom import sssom_rows

    links = placed_again(got.links, got.spans, moved)
    old = {(m.source, m.target) for m in got.links if m.source in moved or m.target in moved}
    if not old:
        return links, got.rows
    touched = [m for m, o in zip(links, got.links, strict=True)
               if o.source in moved or o.target in moved]
    rows = [r for r in pickle.loads(got.rows) if (r[0], r[1]) not in old]
    new = sssom_rows(asm.lookup(touched), touched)
    return links, _pickled(list(heapq.merge(rows, new, key=lambda r: (r[0], r[1]))))


def _chunks(asm: _Assembled, mirrors: list[MirrorLink], state: BuildState | None
            ) -> tuple[LazyChunks, dict[str, str]]:
    """Every named graph's N-Quads (graph IRI → bytes, sorted; made or read from the build
    state on first use) and a digest of each: equal digests mean equal chunks."""
    from collections import defaultdict

    from qmgraph.cache import digest
    from qmgraph.emit import (
        LazyChunks,
        chunk,
        implements_triples,
        mirror_triples,
        shared_key,
        shared_triples,
    )
    from qmgraph.namespaces import SHARED_GRAPH, activity_notice, notice_graph_iri

    sources = {m.source for m in mirrors}
    owner = {iri: key for iri in sources
             if (key := activity_notice(iri)) is not None and key in asm.index}
    if len(owner) != len(sources):
        # a link is made between the corpus's activities only: one whose notice cannot be
        # read from its IRI would be left out of every graph without a word
        lost = sorted(sources - owner.keys())
        raise QmgraphError(f"{len(lost)} mirror link(s) from activities of no notice of the "
                           f"corpus, e.g. {lost[0]}", hint="this is a bug of qmgraph: please "
                           "report it with the inputs")
    links: dict[str, list[MirrorLink]] = defaultdict(list)
    for m in mirrors:
        links[owner[m.source]].append(m)
    makers: dict[str, Callable[[], bytes]] = {}
    digests: dict[str, str] = {}

    def kept(d: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        """``make``, through the build state's chunk ``d`` when there is a state."""
        if state is None:
            return make
        state.use_chunk(d)

        def get() -> bytes:
            data = state.chunk(d)
            if data is None:
                data = make()
                state.put_chunk(d, data)
            return data
        return get

    shared = str(SHARED_GRAPH)
    if state is None:
        data = chunk(shared, shared_triples(asm.tables))
        makers[shared], digests[shared] = (lambda d=data: d), digest(data)
    else:
        digests[shared] = digest(shared, state.version, shared_key(asm.tables))
        makers[shared] = kept(digests[shared], lambda: chunk(shared, shared_triples(asm.tables)))

    def notice_chunk(key: str, g: str, extra: list[str], mine: list[MirrorLink]) -> bytes:
        for m in mine:
            extra = extra + mirror_triples(m)
        return chunk(g, asm.own_triples(key) + extra)

    for s in asm.tables.notices:
        g = str(notice_graph_iri(s.key))
        extra = implements_triples(s, asm.implements[s.key], asm.tables.jurisdictions)
        mine = links.get(s.key, [])
        d = digest(g, asm.input_keys.get(s.key) or "", state.version if state else "", *extra,
                   *map(repr, mine))
        digests[g] = d
        makers[g] = kept(d, lambda k=s.key, g=g, e=extra, m=mine: notice_chunk(k, g, e, m))
    return LazyChunks(makers, asm.spill), digests


def _validation_units(asm: _Assembled, chunks: LazyChunks) -> dict[str, list[str]]:
    """The notice graphs by the year of their notice (undated notices together): the
    units validation works through (``qmgraph.validate.partition``, decision 0023)."""
    from qmgraph.namespaces import notice_graph_iri

    by_year: dict[int | None, list[str]] = {}
    for s in asm.tables.notices:
        g = str(notice_graph_iri(s.key))
        if g in chunks:
            by_year.setdefault(s.year, []).append(g)
    return {("undated" if y is None else str(y)): sorted(gs)
            for y, gs in sorted(by_year.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))}


def _listings_hook(store: Any) -> dict[str, Any]:
    """What validation runs on each group's store for the listings the build records
    beside its ``store`` (``qmgraph.listings``, decision 0036); nothing without a store
    of the named graphs (a Turtle or N-Triples file's store has none: the listings' GRAPH
    patterns find nothing there, whatever the groups found)."""
    if store is None or not store.from_chunks:
        return {}
    from qmgraph.listings import group_listings, listings_key

    return {"also": group_listings, "also_key": listings_key()}


def _record_listings(store: Any, parts: list[Any] | None) -> None:
    """The groups' listings merged into the answers the store keeps."""
    if store is not None and parts is not None:
        from qmgraph.listings import merge_listings

        store.answers.update(merge_listings(parts))


def _record_store_listings(store: Any) -> float:
    """The listings run on the loaded store itself (``qmgraph.listings.store_listings``,
    decision 0040) added to the answers it keeps, when the groups' listings were made (the
    same conditions: asked, validated, a store of the named graphs); the seconds taken."""
    if store is None or store.db is None:
        return 0.0
    from qmgraph.listings import store_listings

    t = time.perf_counter()
    store.answers.update(store_listings(store.db))
    return time.perf_counter() - t


def _validation_runner(client: Any) -> Callable[[Iterable[bytes], str], Iterator[Any]]:
    """A ``GroupRunner`` (``qmgraph.validate.partition``) checking each validation group's
    N-Quads on the cluster's workers (``cluster.map_scattered``), results in group order
    (decision 0032)."""
    from qmgraph.cluster import map_scattered
    from qmgraph.validate.partition import group_results

    def run(datas: Iterable[bytes], engine: str, also: Any = None) -> Iterator[Any]:
        return map_scattered(client, group_results, ((data, engine, also) for data in datas))

    return run


_COLLECTING_RARELY = threading.Lock()  #: held while a process raises its GC threshold
_collects_rarely = False  #: this process's threshold is raised (:func:`_rarely_collected`)


def _rarely_collected(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, in a process whose cyclic garbage collector runs as rarely as in a
    build's own process (:func:`_few_collections`): a cluster worker's unit. At Python's
    default threshold the workers spent ~20 % more CPU on the same extraction and linking
    than the one-process build (decision 0032). The threshold is process-wide: it is
    raised once, by the first unit a worker runs, and left so (set and restored around
    each unit, two threads of one worker could leave it raised or lowered by turns). A
    worker of a shared ``--scheduler`` cluster keeps it too, for other clients' tasks: they
    use more memory between collections, never less correct."""
    global _collects_rarely
    if not _collects_rarely:
        with _COLLECTING_RARELY:
            if not _collects_rarely:
                _raise_gc_threshold()  # never lowered again: the worker keeps it
                _collects_rarely = True
    return fn(*args)


def _report_turtle(report, state: BuildState | None) -> bytes:
    """The validation report as Turtle (rdflib's serializer: ~1 ms a result), kept in the
    build state by a digest of every field of the results."""
    def make() -> bytes:
        return report.to_graph().serialize(format="turtle").encode("utf-8")

    if state is None:
        return make()
    import rdflib

    from qmgraph.cache import code_version, digest

    # what the Turtle is made of: the results, and the code and library that write it
    nodes = [n.n3() if n is not None else "" for r in report.results
             for n in (r.focus_node, r.path_node, r.value_node)]
    key = digest(code_version(("validate",)), rdflib.__version__, repr(report.conforms),
                 repr(report.results), *nodes)
    return state.output("validation-report.ttl", key, make)


def _prepare_store(out: Path, formats: list[str], progress: Progress | None,
                   chunks: LazyChunks, digests: dict[str, str], incremental: bool
                   ) -> StoreWork | None:
    """The persistent store beside the files (``qmgraph.store``), to be made, or None when
    there is nothing to keep a store of: the graph file the build writes (TriG preferred),
    so that ``query``, ``viz`` and ``serve`` need not parse the file again. A cached
    rebuild of a TriG or N-Quads graph changes only the graphs whose chunks changed."""
    from qmgraph.emit.write import FORMATS
    from qmgraph.outputs import GRAPH_FILES
    from qmgraph.store import STORE_NAME, prepare_store, remove_store

    names = {f"qmgraph{FORMATS[f][0]}" for f in formats}
    graph = next((out / n for n in GRAPH_FILES if n in names), None)
    if graph is None or graph.suffix == ".jsonld":
        remove_store(out)  # nothing to keep a store of (JSON-LD is read as written)
        return None
    if progress:
        progress(f"storing {graph.name} in {out / STORE_NAME}")
    named = graph.suffix in (".trig", ".nq")  # the chunks are the file's named graphs
    return prepare_store(graph, out, chunks=chunks if named else None,
                         digests=digests if named and incremental else None)


def _timed_store(load: Callable[[], int]) -> tuple[int, float]:
    """Run a store's ``load`` (in the build's store thread): graphs loaded, seconds taken.
    An error that is not already typed becomes a :class:`QmgraphError` naming the store,
    raised by the build (OSError stays one: the CLI words it)."""
    t = time.perf_counter()
    try:
        loaded = load()
    except (QmgraphError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - pyoxigraph's errors are untyped
        from qmgraph.store import STORE_NAME

        raise QmgraphError(f"could not write the store: {exc}", path=STORE_NAME,
                           hint="build again; delete the store folder if it persists") from exc
    return loaded, time.perf_counter() - t


@contextmanager
def _few_collections(gen0: int = 200_000) -> Iterator[None]:
    """Run the cyclic garbage collector rarely while a build works.

    A build makes millions of long-lived objects (records, tables, link state) and few
    cycles; at the default threshold (700 allocations) Python scans the ever-growing old
    generation again and again, which cost a third of a full build and most of a small
    rebuild. Peak memory stays the same (measured in bench/: docs/decisions/0011).
    """
    before = _raise_gc_threshold(gen0)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _raise_gc_threshold(gen0: int = 200_000) -> tuple[int, int, int]:
    """Raise the collector's thresholds to at least ``gen0``/20/100 (:func:`_few_collections`);
    the thresholds before."""
    before = gc.get_threshold()
    gc.set_threshold(max(gen0, before[0]), max(20, before[1]), max(100, before[2]))
    return before


def build(inputs: Iterable[str | Path], out_dir: str | Path, *, validate: bool = True,
          formats: Iterable[str] = ("trig", "ttl"), progress: Progress | None = None,
          jobs: int = 1, cache: bool | str | Path | NoticeCache = False,
          engine: str = "shacl", cluster: str | None = None,
          scheduler: str | None = None, link_params: LinkParams | None = None,
          record_listings: bool = False) -> BuildResult:
    """The main job: build, link, emit, validate and write the graph of ``inputs``.

    ``jobs`` extracts notices in that many processes. ``cache`` (True: ``out_dir/.cache``,
    or a folder) keeps what each stage made (``qmgraph.state``), so a rebuild after
    changing one notice re-extracts and re-resolves that notice only, re-links only the
    activities the change can reach, re-serializes only the graphs that changed and
    re-validates only the years whose graphs changed (decision 0023). Outputs are
    byte-identical either way.
    ``engine`` names the SHACL validation engine (``qmgraph.validate.ENGINES``).
    ``cluster`` ("local:N") or ``scheduler`` ("tcp://HOST:PORT") extracts the documents on
    a Dask cluster (``qmgraph.cluster``); the outputs are byte-identical.
    ``link_params`` changes the linker's thresholds (default ``LinkParams()``).
    ``record_listings`` records the default rows of the listing queries beside the store,
    made while validating (``qmgraph.listings``, decision 0036).
    """
    from qmgraph.cluster import parse_spec

    spec = parse_spec(cluster, scheduler)
    with _few_collections():
        return _build(inputs, out_dir, validate=validate, formats=formats, progress=progress,
                      jobs=jobs, cache=cache, engine=engine, spec=spec,
                      link_params=link_params, record_listings=record_listings)


def _build(inputs: Iterable[str | Path], out_dir: str | Path, *, validate: bool,
           formats: Iterable[str], progress: Progress | None, jobs: int,
           cache: bool | str | Path | NoticeCache, engine: str,
           spec: ClusterSpec | None = None,
           link_params: LinkParams | None = None,
           record_listings: bool = False) -> BuildResult:
    from qmgraph.cache import NoticeCache
    from qmgraph.emit.write import atomic_write, write_chunks
    from qmgraph.state import BuildState

    t0 = time.perf_counter()
    paths = expand_inputs(inputs)
    if not paths:
        raise InputError("no input files found", path=", ".join(str(i) for i in inputs))
    out = Path(out_dir)
    if isinstance(cache, NoticeCache):
        root, ex_cache = cache.root, cache
    else:
        root = (out / ".cache") if cache is True else (Path(cache) if cache else None)
        ex_cache = NoticeCache(root) if root is not None else None
    state = BuildState(root) if root is not None else None
    from qmgraph.spill import Spill

    # what the build makes and reads again later is spilled to disk, not held (decision
    # 0027); the spill file is gone when the build ends, however it ends; a cluster lives
    # until validation is over (its workers check the years after the files are written:
    # beside the writer they slowed it and the store's loader on 2 cores, 0032 and 0039)
    with Spill(out) as spill, ExitStack() as stack:
        client = None
        if spec is not None:
            from qmgraph.cluster import connect

            if progress:
                progress(f"extracting and linking on the cluster {spec}")
            client = stack.enter_context(connect(spec))
        assembled = _assemble(paths, state, ex_cache, progress, jobs, spill, client)
        problems = assembled.problems
        t1 = time.perf_counter()
        if progress:
            progress(f"linking {assembled.counts['activities']} activities")
        # Linking leaves cycles behind (its indexes and candidate tables: ~190 of the 340
        # MB it added at 2,500 notices) that the rare full collections of
        # ``_few_collections`` would keep through the whole back half: one pass frees them
        # before the chunks are made (bench/memory.py; decision 0023). What was made
        # before linking is frozen first, so that pass looks at what linking made only
        # (scanning the corpus's records too cost a rebuild 1.6 s at 10,000 notices).
        # A rebuild that took some windows' links from the cache linked a part of the
        # corpus only: its cycles are that part's, and the pass would cost it ~1 s of 13
        # at 10,000 notices, so it is left to the collector's own rare passes.
        gc.freeze()
        try:
            mirrors = _link(assembled, state, link_params, client)
            if not assembled.reuse.get("windows kept"):
                gc.collect()
        finally:
            gc.unfreeze()
        t2 = time.perf_counter()
        chunks, digests = _chunks(assembled, mirrors, state)
        result = BuildResult(problems=problems, counts={**assembled.counts, "mirrors": len(mirrors)},
                             out_dir=out)
        t_emit = time.perf_counter()
        from concurrent.futures import ThreadPoolExecutor

        from qmgraph.emit.write import ChunkWriter

        writer = ChunkWriter(state.blocks_dir if state else None)
        formats = list(formats)
        n_chunks = len(chunks)
        store = _prepare_store(out, formats, progress, chunks, digests, state is not None)
        def check(chunks: LazyChunks) -> tuple[Any, Any]:
            """Validation year by year: SHACL and the QC queries on each year's graphs and
            the part of the shared graph they reach (decision 0023), each year's chunks let
            go once it is validated; a cached rebuild reads the chunks of the years it must
            validate again only; on a cluster, its workers check the years."""
            from qmgraph.namespaces import SHARED_GRAPH
            from qmgraph.validate.partition import validate_by_partition

            runner = _validation_runner(client) if client is not None else None
            shared = str(SHARED_GRAPH) if str(SHARED_GRAPH) in chunks else None
            return validate_by_partition(
                _validation_units(assembled, chunks), chunks, shared,
                digests if state is not None else None, engine=engine, cache=state,
                release=chunks.release, runner=runner, **_listings_hook(store if record_listings else None))

        # pyoxigraph releases the GIL while it loads: the store is loaded in a thread while the
        # files are written (from the chunks it took; a store of a Turtle or N-Triples file
        # waits for the file), the SSSOM too and validation runs, one year at a time (SHACL
        # and the QC queries on that year's graphs and the part of the shared graph they
        # reach: decision 0023). Leaving the block waits for the thread, so the build never
        # returns, nor fails, with the store half made (decision 0020).
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qmgraph-store") as pool:
                storing = pool.submit(_timed_store, store.load) \
                    if store is not None and store.from_chunks else None
                if progress:
                    progress(f"writing {n_chunks} graphs to {out}")
                result.outputs = write_chunks(chunks, out, formats=formats, digests=digests,
                                              writer=writer)
                result.triples = writer.union_triples
                result.quads = writer.quads
                if store is not None and storing is None:
                    storing = pool.submit(_timed_store, store.load)
                if mirrors:
                    from qmgraph.link.sssom import write_sssom, write_sssom_parts

                    sssom = out / "mirrors.sssom.tsv"
                    n_parts = assembled.sssom
                    atomic_write(sssom, lambda p: write_sssom(assembled.lookup(mirrors), mirrors, p)
                                 if n_parts is None else write_sssom_parts(
                                     [spill.get_object(("sssom", i)) for i in range(n_parts)], p))
                    result.outputs.append(sssom)
                t_written = time.perf_counter()
                if validate:
                    if progress:
                        progress("validating")
                    report, vstats = check(chunks)
                    _record_listings(store, vstats.also)
                    result.reuse["validation"] = {
                        "units": vstats.units, "groups": vstats.groups,
                        "validated": len(vstats.validated), "whole graph": vstats.whole,
                        "validated units": vstats.validated}
                del chunks
                t_shacl = time.perf_counter()
                loaded, store_s = storing.result() if storing is not None else (0, 0.0)
                listed_s = _record_store_listings(store) \
                    if validate and vstats.also is not None else 0.0
            if store is not None:
                store.finish()
        except BaseException:
            if store is not None:
                store.discard()
            raise
        t_waited = time.perf_counter()
        if validate:
            result.violations = sum(1 for r in report.results if r.severity == "Violation")
            result.report_text = report.text()
            report_ttl = _report_turtle(report, state)
            atomic_write(out / "validation-report.ttl", lambda p: p.write_bytes(report_ttl))
            atomic_write(out / "validation-report.txt",
                         lambda p: p.write_text(result.report_text, encoding="utf-8"))
            result.outputs += [out / "validation-report.ttl", out / "validation-report.txt"]
        t3 = time.perf_counter()
        if store is not None:
            result.reuse["store graphs loaded"] = loaded
        from qmgraph.outputs import sweep_stale

        # an earlier build's other formats or report would be read as this build's
        result.removed = sweep_stale(out, result.outputs)
        if state is not None:
            state.prune()
            result.reuse = {**result.reuse, "records": state.record_hits,
                            "chunks": n_chunks - state.chunk_misses,
                            "blocks": writer.reused, **assembled.reuse}
        t4 = time.perf_counter()
        # "store" is the store thread's own time, most of it spent while the SSSOM was written
        # and SHACL ran; "store wait" what the build then waited for it before the QC queries;
        # "store listings" the listings run on it once loaded (``--record-listings``).
        result.timings = {"extract+resolve": t1 - t0, "link": t2 - t1, "emit": t_emit - t2,
                          "write": t_written - t_emit + t4 - t3,
                          "validate": t_shacl - t_written + t3 - t_waited,
                          "store": store_s,
                          "store wait": t_waited - t_shacl - listed_s}
        if listed_s:
            result.timings["store listings"] = listed_s
        # The spill closes with this block: the corpus on demand reads the build state, or
        # resolves the inputs again.
        assembled.spill = None
        if state is None:
            result._load_corpus = lambda: _corpus_again(paths, jobs, mirrors)
        else:
            result._load_corpus = lambda: assembled.full_corpus(mirrors)
        return result


def _corpus_again(paths: list[Path], jobs: int, mirrors: list[MirrorLink]) -> Corpus:
    """The corpus of a build without a build state, resolved again from its inputs."""
    from qmgraph.spill import Spill

    with Spill() as spill:
        return _assemble(paths, None, None, None, jobs, spill, whole=True).full_corpus(mirrors)
