"""What a build keeps between runs, so a rebuild redoes only what changed.

Under the cache folder (``OUT/.cache`` by default):

* ``<version>/`` — each input's :class:`~qmgraph.model.ExtractedNotice` (``qmgraph.cache``);
* ``records/<version>/`` — each input's :class:`NoticeRecord` (what resolve adds to the
  corpus tables, its summary), in one pack per year of the notices, and its
  ``ResolvedNotice`` (in two parts: the notice without its parsed blocks, then them, so a
  window linked again reads the first only: decision 0035) and own triples, each keyed by
  the input's path and bytes, under a version of the code that makes them; and the slugs
  and pinyin words worked out so far (``pinyin.pickle``: pypinyin takes 0.3 s to load);
* ``chunks/`` — each notice graph's N-Quads, keyed by everything it is made of;
* ``outputs/`` — small outputs slow to make again, by a digest of what they are made of;
* ``link/WINDOW/`` — per statistics window (``qmgraph.link.windows``), its links and their
  SSSOM rows with the digest of their inputs, its notices' inputs and where each link's
  evidence lies in its texts (:class:`KeptWindow`: a window whose edited notices only
  moved or were renamed keeps its links, renamed and re-placed: decision 0042; another
  changed window is linked again from scratch: decision 0024; the SSSOM file is its
  windows' rows merged: decision 0029);
  ``blocks/`` — the writer's (``emit.write.ChunkWriter``).
  ``kept/`` — validation's, by partition (``qmgraph.validate.partition``): each year
  group's results (and recorded listings), summaries, plan and shared-graph slices, kept
  by the digests of their data and code (decisions 0023, 0032).

Every entry is written atomically (temporary file + rename) and an unreadable entry is a
miss, so a killed build never poisons the next one. See docs/decisions/0011.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qmgraph import cache
from qmgraph.model import Event, ExtractedNotice, MirrorLink, NoticeSummary

#: File of the pinyin table (``qmgraph.namespaces.slug``, ``pinyin_word``) in the records folder.
_PINYIN = "pinyin.pickle"
_LINKS = "links.pickle"  #: a window's :class:`KeptWindow`
_PACKS = "packs"  #: folder of the record packs (one per year) in the records folder
_PACK_INDEX = "packs.pickle"  #: year → its pack and the input keys it holds

#: Packages whose code decides a NoticeRecord (extraction's, plus what records hold).
RECORD_PACKAGES = ("tables.py", "levels.py", "model.py", "lexicon", "ingest", "parse", "extract",
                   "resolve", "emit", "rdfterms.py", "state.py")


@dataclass
class NoticeRecord:
    """One input's contribution to a build, reusable while its bytes and the code hold."""

    summary: NoticeSummary  #: with ``index`` 0; the build sets the input position
    events: list[Event]  #: what resolving it adds to the corpus tables (Resolver.apply)
    warnings: list[str]  #: parse warnings, reported again on every build
    #: activity IRI → text, notice, place and agency (``dict[str, ActivityFacts]``), pickled:
    #: only the SSSOM rows of a window linked again read them, so reading a record (every
    #: record, on every rebuild) copies these bytes instead of making their objects
    facts: bytes = b""


@dataclass
class KeptWindow:
    """A statistics window's links as a build keeps them (``link/WINDOW/links.pickle``)."""

    key: str  #: digest of everything its links are made of (code, places, notices, inputs)
    links: list[MirrorLink]  #: in the order the linker made them
    rows: bytes  #: their SSSOM rows, pickled
    base: str = ""  #: digest of the code, years and places alone
    #: notice key → its input's key and file
    inputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: each link's ``qmgraph.link.mirrors.TextSpans`` (where its evidence lies in the texts)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)


class BuildState:
    """The cache folder of one output folder (see the module docstring)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.version = cache.code_version(RECORD_PACKAGES)
        self.records = self.root / "records" / self.version
        self.chunks = self.root / "chunks"
        self.link_dir = self.root / "link"
        self.blocks_dir = self.root / "blocks"
        self.record_hits = 0
        self.chunk_misses = 0
        self._chunks_used: set[str] = set()
        self.kept_dir = self.root / "kept"
        self._kept_used: set[tuple[str, str]] = set()
        self._pinyin_seen = 0
        #: input key → (year group, pickled record) of the records put, until packed
        self._new: dict[str, tuple[str, bytes]] = {}
        self._read: dict[str, str] = {}  #: input key → year group of the records read
        self._sound: set[str] = set()  #: packs that read whole in this build

    # -- records ----------------------------------------------------------------------

    def _record_file(self, key: str, kind: str) -> Path:
        return self.records / key[:2] / f"{key}.{kind}.pickle"

    def records_of(self, keys: Iterable[str]) -> dict[str, NoticeRecord]:
        """The records kept for the inputs ``keys`` (input key → record, those found).

        Records are kept in packs, one per year of their notices (``_PACKS``), not one
        file per input: a rebuild reads every unchanged record, and 10,000 small files cost
        it ~0.7 s more than 20 packs (decision 0029). A pack maps each input key to its
        pickled record, so only the records asked for are unpickled; a pack is read when
        it holds any of ``keys``."""
        wanted = set(keys)
        found: dict[str, NoticeRecord] = {}
        for group, (name, held) in self._pack_index().items():
            if wanted.isdisjoint(held):
                continue
            pack = self._read_pack(name)
            if pack is None:
                continue  # its records are misses, made again and packed anew
            self._sound.add(name)
            for k in wanted & held:
                try:
                    rec = pickle.loads(pack[k])
                except Exception:  # noqa: BLE001 - a foreign entry: a miss
                    continue
                if isinstance(rec, NoticeRecord):
                    found[k] = rec
                    self._read[k] = group
        self.record_hits += len(found)
        return found

    def facts_of(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The pickled activity facts (:attr:`NoticeRecord.facts`) of the inputs ``keys``,
        read again from the packs that hold them (those found): the facts of a window
        linked again, after :meth:`save_records` (a rebuild that links no window reads
        none)."""
        wanted = set(keys)
        found: dict[str, bytes] = {}
        for name, held in self._pack_index().values():
            if wanted.isdisjoint(held):
                continue
            pack = self._read_pack(name)
            for k in wanted & held if pack is not None else ():
                try:
                    rec = pickle.loads(pack[k])  # type: ignore[index]
                except Exception:  # noqa: BLE001 - a foreign entry: not found
                    continue
                if isinstance(rec, NoticeRecord) and isinstance(rec.facts, bytes):
                    found[k] = rec.facts
        return found

    def _read_pack(self, name: str) -> dict[str, bytes] | None:
        pack = cache.load_sealed(self.records / _PACKS / name)
        if not isinstance(pack, dict) or not all(isinstance(v, bytes) for v in pack.values()):
            return None
        return pack

    def put_record(self, key: str, record: NoticeRecord, resolved: Any, triples: list[str]) -> None:
        """Store one input's ``ResolvedNotice`` and its graph's own triples
        (``qmgraph.emit.notice_triples``); its record goes into its year's pack at
        :meth:`save_records`, after them, as a record marks the entry whole. Until then the
        record is held pickled (a third of its size as objects)."""
        # in two parts: the notice as linking reads it (``without_parse``), then the rest
        t = resolved.extracted.tree
        cache.dump_atomic(self._record_file(key, "resolved"), resolved.without_parse(),
                          (t.sections, t.attachments, t.blocks, resolved.extracted.activities))
        cache.dump_atomic(self._record_file(key, "triples"), triples)
        year = record.summary.year
        self._new[key] = ("undated" if year is None else str(year),
                          pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def save_records(self, keys: Iterable[str]) -> None:
        """Keep the records of the inputs ``keys`` (read or put in this build) in packs by
        their notices' year: a pack whose inputs are those of the last build, and which read
        whole, is left as it is (a rebuild after one edit writes one pack); packs of no year
        of this build go."""
        groups: dict[str, list[str]] = {}
        for k in keys:
            group = self._new[k][0] if k in self._new else self._read.get(k)
            if group is not None:
                groups.setdefault(group, []).append(k)
        before = self._pack_index()
        index: dict[str, tuple[str, frozenset[str]]] = {}
        folder = self.records / _PACKS
        for group, ks in sorted(groups.items()):
            held = frozenset(ks)
            old = before.get(group)
            if old is not None and old[1] == held and old[0] in self._sound \
                    and held.isdisjoint(self._new) and (folder / old[0]).is_file():
                index[group] = old
                continue
            # records read from the old pack are taken from it as they are (bytes); one it no
            # longer holds (another build rewrote the cache meanwhile) is a miss next time
            kept = (self._read_pack(old[0]) if old is not None else None) or {}
            pack = {k: v for k in sorted(held)
                    if (v := self._new[k][1] if k in self._new else kept.get(k)) is not None}
            held = frozenset(pack)
            name = cache.digest(group, *sorted(held))
            cache.dump_sealed(folder / name, pack)
            index[group] = (name, held)
        if index != before:
            cache.dump_sealed(self.records / _PACK_INDEX, index)
            names = {name for name, _ in index.values()}
            for p in folder.iterdir() if folder.is_dir() else ():
                if p.name not in names:
                    p.unlink(missing_ok=True)
        self._new, self._read = {}, {}

    def _pack_index(self) -> dict[str, tuple[str, frozenset[str]]]:
        """Year → (file name of its pack, the input keys it holds), as the last build left
        them (empty when missing or damaged)."""
        index = cache.load_sealed(self.records / _PACK_INDEX)
        return index if isinstance(index, dict) else {}

    def triples(self, key: str) -> list[str] | None:
        return cache.load_pickle(self._record_file(key, "triples"), list)

    def resolved(self, key: str, whole: bool = True) -> Any:
        """The ``ResolvedNotice`` stored with the record of input ``key`` (or None); unless
        ``whole``, without its parsed sections, attachments and blocks and its extracted
        records (what linking reads: decision 0035)."""
        from qmgraph.model import ResolvedNotice

        path = self._record_file(key, "resolved")
        if not whole:
            return cache.load_pickle(path, ResolvedNotice)
        got = cache.load_pickle(path, ResolvedNotice, more=1)
        if got is None:
            return None
        try:
            n, [(sections, attachments, blocks, records)] = got
        except (TypeError, ValueError):  # a foreign second part: a miss
            return None
        return replace(n, extracted=ExtractedNotice(
            replace(n.tree, sections=sections, attachments=attachments, blocks=blocks), records))

    # -- pinyin -----------------------------------------------------------------------

    def load_pinyin(self) -> None:
        """Teach ``qmgraph.namespaces`` the slugs and pinyin words earlier builds of this
        code worked out (a damaged table is ignored)."""
        from qmgraph.namespaces import learn_pinyin

        table = cache.load_sealed(self.records / _PINYIN)
        if not isinstance(table, dict):
            table = {}
        learn_pinyin(table)
        # Saved again when this process knows more than the file (even from another build).
        self._pinyin_seen = sum(len(v) for v in table.values())

    def save_pinyin(self) -> None:
        """Keep the slugs and pinyin words known now for the next build (when any are new)."""
        from qmgraph.namespaces import known_pinyin, pinyin_known

        if pinyin_known() == self._pinyin_seen:
            return
        cache.dump_sealed(self.records / _PINYIN, known_pinyin())
        self._pinyin_seen = pinyin_known()

    # -- small outputs ----------------------------------------------------------------

    def output(self, name: str, key: str, make: Callable[[], bytes]) -> bytes:
        """``make()``, or what it returned for ``key`` last time (one entry per ``name``):
        for outputs slow to make from what a build already has (a report's Turtle)."""
        path = self.root / "outputs" / name
        data = cache.read_sealed(path)
        head = key.encode("utf-8") + b"\n"
        if data is not None and data.startswith(head):
            return data[len(head):]
        made = make()
        cache.write_sealed(path, head + made)
        return made

    # -- chunks -----------------------------------------------------------------------

    def use_chunk(self, digest: str) -> None:
        """Keep chunk ``digest`` at the next :meth:`prune` (this build needs it)."""
        self._chunks_used.add(digest)

    def chunk(self, digest: str) -> bytes | None:
        self._chunks_used.add(digest)
        return cache.read_sealed(self.chunks / digest)

    def put_chunk(self, digest: str, data: bytes) -> None:
        self._chunks_used.add(digest)
        self.chunk_misses += 1
        cache.write_sealed(self.chunks / digest, data)

    # -- values kept by a digest of their inputs -------------------------------------

    def kept(self, kind: str, key: str) -> Any:
        """The value kept for ``key`` among ``kind`` (a partition's summary or validation
        results), or None; either way it is kept at the next :meth:`prune`."""
        self._kept_used.add((kind, key))
        return cache.load_pickle(self.kept_dir / kind / key, object)

    def use(self, kind: str, key: str) -> None:
        """Keep the value of ``key`` among ``kind`` at the next :meth:`prune`, unread."""
        self._kept_used.add((kind, key))

    def keep(self, kind: str, key: str, value: Any) -> None:
        self._kept_used.add((kind, key))
        cache.dump_atomic(self.kept_dir / kind / key, value)

    # -- links of a statistics window ------------------------------------------------

    def window_links(self, name: str) -> KeptWindow | None:
        """What window ``name`` kept at the last build, whatever its inputs (None: none);
        the caller compares its keys (``pipeline._link``). Its SSSOM rows
        (``qmgraph.link.sssom.sssom_rows``) stay pickled: the build spills them as they are
        until the SSSOM file is written."""
        got = cache.load_sealed(self.link_dir / name / _LINKS)
        return got if isinstance(got, KeptWindow) and isinstance(got.rows, bytes) else None

    def put_links(self, name: str, kept: KeptWindow) -> None:
        """Keep window ``name``'s links, their pickled SSSOM rows and what they were made of."""
        cache.dump_sealed(self.link_dir / name / _LINKS, kept)

    def keep_link_states(self, names: set[str]) -> None:
        """Remove what ``link/`` holds besides the links of the windows ``names``: windows
        of an earlier build, and what older versions kept there (the incremental linker's
        state beside a window's links)."""
        import shutil

        if not self.link_dir.is_dir():
            return
        for p in self.link_dir.iterdir():
            kept = p.name in names and p.is_dir()
            for q in (list(p.iterdir()) if kept else [p]):
                if kept and q.name == _LINKS:
                    continue
                if q.is_dir():
                    shutil.rmtree(q, ignore_errors=True)
                else:
                    q.unlink(missing_ok=True)

    def prune(self) -> None:
        """Drop chunks this build did not use, records of other code versions and the
        state of the incremental validator that older versions kept (``validate/``)."""
        import shutil

        shutil.rmtree(self.root / "validate", ignore_errors=True)
        if self.chunks.is_dir():
            for p in self.chunks.iterdir():
                if p.name not in self._chunks_used:
                    p.unlink(missing_ok=True)
        if self.kept_dir.is_dir():
            for d in self.kept_dir.iterdir():
                for p in d.iterdir() if d.is_dir() else ():
                    if (d.name, p.name) not in self._kept_used:
                        p.unlink(missing_ok=True)
        parent = self.records.parent
        if parent.is_dir():
            for p in parent.iterdir():
                if p.is_dir() and p.name != self.version:
                    shutil.rmtree(p, ignore_errors=True)


