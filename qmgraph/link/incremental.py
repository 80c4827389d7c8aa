"""Incremental lineage: after some notices changed, re-score only the lower activities whose
links can have changed, and return what a full :func:`qmgraph.link.link` of the new corpus
returns — the same links, in the same order, with the same scores, offsets and evidence.

A pair's result depends on more than its two activities: on gram weights (an IDF over
units and their number), on which grams are capped (a cap that follows the number of
activities), on the stock test of its shared stretches (sector spread over every activity
holding one) and on the other members of the candidate partitions. The state (a file under
``state_dir``) keeps those corpus-wide statistics — with grams as integer ids and postings
as ``array`` bytes, so reading and writing it stays fast — and, for each lower activity,
what its links were chosen from: every scored pair with its features and the *slack* of its
candidate choice (:meth:`~qmgraph.link.index.NgramIndex.candidates_with_slack`).

A rebuild updates the statistics exactly, then sorts the lower activities in three:

* **re-scored** by the linker itself (:func:`~qmgraph.link.mirrors.link_low`, on an index of
  their candidate partitions built with the corpus-wide statistics): their own activity
  changed; a higher activity they scored changed or went; a changed or new higher activity
  of their partitions could now be a candidate; a gram of theirs changed capped status; a
  stretch they tested changed its stock verdict; or gram weight changes could reorder their
  candidates (the change exceeds the slack);
* **moved**: an activity whose text stayed but whose place in its file moved (an edit
  above it) keeps its pairs; the links it makes and takes get their new offsets;
* **re-weighed**: weights moved under some scored pair but within the slack — the pair's
  score and grade are re-derived from its kept features with
  :func:`~qmgraph.link.score.verdict` when bounds on the re-summed weights decide them
  (re-scored otherwise);
* **kept**: everything else.

What it cannot bound — no or unreadable state, another code or params version, other
jurisdictions, duplicate notice keys or activity IRIs, too many lower activities affected —
runs the full linker and starts a new state.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import tempfile
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path

from qmgraph.link.index import (
    CorpusStats,
    GramWeights,
    Hierarchy,
    NgramIndex,
    campaign_keys,
    jkey,
    posting_cap,
    rank,
    spread_of,
    unit_weight,
)
from qmgraph.link.mirrors import (
    LinkStats,
    LowTrace,
    best_per_level,
    choice_key,
    collect,
    evidence_of,
    link_low,
    original_span,
)
from qmgraph.link.params import LinkParams
from qmgraph.link.score import METHOD, verdict
from qmgraph.link.text import grams, normalize
from qmgraph.model import Corpus, Jurisdiction, MirrorLink, ResolvedActivity, ResolvedNotice

STATE_FILE = "link-state.pickle"
#: Bumped when the state's layout changes (the code digest covers it too).
FORMAT = 1
NO_YEAR = -(2**31)
GRADES: tuple[str | None, ...] = (None, "adapted", "verbatim")
GRADE_CODE = {g: k for k, g in enumerate(GRADES)}
F_CAMPAIGN, F_ORG, F_LEADS, F_EVIDENCE, F_NOTICE = 1, 2, 4, 8, 16
#: Two float sums of the same ≤ 10⁵ positive weights in different orders differ by far less
#: than this share of the sum; re-derived pair features are bounded with it.
REL = 1e-9
#: The same for accumulated candidate weights (≤ a few hundred), as an absolute bound.
TOL = 1e-9
#: A column is rewritten without its stale entries when it holds more than this many times
#: its live ones (rows: plus STALE_ROWS), so a long series of rebuilds keeps the state small.
STALE = 2
STALE_ROWS = 1024
IRREGULAR = "activities without their notice's key, a place or a unique IRI"
#: Re-scoring more lower activities than this share costs about as much as a full link.
MAX_RESCORE_SHARE = 0.3


@dataclass(frozen=True)
class NoticeRef:
    """A placed notice of the corpus as the caller knows it."""

    key: str  #: ``ResolvedNotice.key``
    fingerprint: str  #: changes whenever the notice's resolved content may have changed


@dataclass
class IncrementalStats:
    """What the last :meth:`IncrementalLinker.link` did (the build reports it)."""

    full: bool = False  #: the full linker ran
    reason: str = ""  #: why it did
    notices: int = 0
    changed: int = 0  #: notices changed or added
    removed: int = 0
    loaded: int = 0  #: notices read through ``load``
    lows: int = 0  #: activities with a higher jurisdiction (all could have links)
    rescored: int = 0  #: lower activities run through the linker again
    reweighed: int = 0  #: lower activities whose scores changed, re-derived from kept features
    seconds: dict[str, float] = field(default_factory=dict)


class _Fallback(Exception):
    """The change cannot be bounded: link in full (the message says why)."""


def state_version(params: LinkParams) -> str:
    """Digest of the linker's code, the model, the params and the state layout: a state of
    another version is never read."""
    h = hashlib.sha256(f"{FORMAT}|{params!r}".encode())
    here = Path(__file__).resolve().parent
    for path in [*sorted(here.glob("*.py")), here.parent / "model.py"]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _jurisdictions_digest(table: dict[str, Jurisdiction]) -> str:
    return hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest()


class _Digests:
    """Digests of what a result can read of an activity: 16 bytes of content (text, year,
    place, organizers, campaigns) then 16 bytes of placement (its map to original offsets).
    The repr of the objects activities share (organizations…) is made once per object."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}  # id → (object kept alive, repr)

    def _repr(self, o: object) -> str:
        hit = self._memo.get(id(o))
        if hit is None:
            hit = self._memo[id(o)] = (o, repr(o))
        return hit[1]

    def __call__(self, a: ResolvedActivity, year: int | None) -> bytes:
        r = self._repr
        content = repr((a.iri, a.notice_key, a.text, year, r(a.jurisdiction),
                        [*map(r, a.organizers)], [*map(r, a.co_organizers)],
                        [*map(r, a.campaigns)]))
        if a.source is None:
            place = repr(a.norm_start).encode()
        else:
            end = a.norm_start + len(a.text) + 1
            place = array("q", a.source.offsets[a.norm_start : end]).tobytes()
        return (
            hashlib.blake2b(content.encode(), digest_size=16).digest()
            + hashlib.blake2b(place, digest_size=16).digest()
        )


@dataclass
class _Features:
    """An activity as the state keeps it (the same values ``NgramIndex.build`` derives)."""

    iri: str
    year: int
    jur: Jurisdiction
    chars: str
    grams: frozenset[str]
    sectors: tuple[str, ...]
    camps: frozenset[str]
    digest: bytes

    @classmethod
    def of(
        cls, a: ResolvedActivity, notice_year: int | None, n: int, digest: _Digests
    ) -> _Features:
        year = a.year if a.year is not None else notice_year
        chars = normalize(a.text).chars
        return cls(
            a.iri,
            NO_YEAR if year is None else year,
            a.jurisdiction,  # type: ignore[arg-type]  # checked by the caller
            chars,
            frozenset(grams(chars, n)),
            tuple(sorted({o.sector for o in a.organizers if o.sector})),
            frozenset(campaign_keys(a.campaigns)),
            digest(a, year),
        )


#: State fields by kind: integer arrays, float arrays, byte arrays, plain objects.
_INT_FIELDS = (
    "nidx", "year", "jur", "nstart", "nlen", "gstart", "glen", "gflat", "sect", "camp",
    "pstart", "plen", "df", "af", "poff", "pflat", "p_low", "p_high", "p_longest",
    "p_sstart", "p_slen", "p_ls", "p_le", "p_ts", "p_te", "p_spans", "s_flat", "best",
)
_FLOAT_FIELDS = ("wt", "slack", "p_score", "p_align", "p_cover")
_BYTE_FIELDS = ("digest", "alive", "p_flags", "p_grade")
_OBJECT_FIELDS = (
    "version", "jdigest", "notices", "nkeys", "n_units", "cap", "n_alive", "iri", "jurs",
    "sects", "campsets", "nblob", "gblob", "p_ev",
)


@dataclass
class _Changes:
    """What :meth:`_Rebuild._apply` found: activity ids by kind of change, old versions."""

    old_units: dict[str, dict[str, set[int]]]  #: notice key → unit → gram ids, before
    af_before: array
    n_units: int  #: before
    cap: int  #: before
    content: list[int] = field(default_factory=list)  #: changed in what scores read
    place: list[int] = field(default_factory=list)  #: changed in their offsets only
    added: list[int] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    #: previous normalized texts of the changed (content) and gone activities
    olds: dict[int, str] = field(default_factory=dict)
    new_ids: dict[str, list[int]] = field(default_factory=dict)  #: changed notice → ids


class _State:
    """The linker's memory between runs, by activity id (stable across rebuilds; a removed
    activity's id stays dead), by gram id and by scored-pair row.

    Activities: IRI, notice, year, jurisdiction, normalized text, gram ids, sectors,
    campaign keys, digests, slack and their row range. Grams: the gram strings, unit and
    activity frequencies and the postings (holders by gram). Rows (one per scored pair, a
    lower activity's rows contiguous, rewritten rows left behind until compaction): the
    higher activity, the pair's features and stretches, its link when graded. ``best``:
    the rows that are links. ``stock``: every tested stretch's stock verdict.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.version = ""
        self.jdigest = ""
        self.notices: dict[str, tuple[str, int]] = {}  #: key → (fingerprint, ordinal)
        self.nkeys: list[str] = []  #: ordinal → key
        self.n_units = 0
        self.cap = 0
        self.n_alive = 0
        self.iri: list[str] = []
        self.jurs: list[Jurisdiction] = []
        self.sects: list[tuple[str, ...]] = []
        self.campsets: list[frozenset[str]] = []
        self.nblob = ""
        self.gblob = ""
        self.p_ev: list[str] = []
        for name in _INT_FIELDS:
            setattr(self, name, array("i"))
        for name in _FLOAT_FIELDS:
            setattr(self, name, array("d"))
        for name in _BYTE_FIELDS:
            setattr(self, name, bytearray())
        self.stock: dict[str, bool] = {}
        # what a run changed, folded into the columns by fold()
        self._chars: dict[int, str] = {}
        self._grams: dict[int, array] = {}
        self._post: dict[int, set[int]] = {}
        self._gextra: list[str] = []
        self._gid: dict[str, int] | None = None
        self._jur_of: dict[str, int] | None = None
        self._sect_of: dict[tuple[str, ...], int] = {}
        self._camp_of: dict[frozenset[str], int] = {}

    # ------------------------------------------------------------------ persistence

    def dump(self) -> bytes:
        """The state as bytes (call :meth:`fold` first)."""
        d: dict[str, object] = {name: getattr(self, name) for name in _OBJECT_FIELDS}
        for name in (*_INT_FIELDS, *_FLOAT_FIELDS):
            d[name] = getattr(self, name).tobytes()
        for name in _BYTE_FIELDS:
            d[name] = bytes(getattr(self, name))
        d["stock_keys"] = "\n".join(self.stock)  # normalized text never holds a newline
        d["stock_flags"] = bytes(self.stock.values())
        d["n"] = self.n
        return pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, data: bytes) -> _State:
        d = pickle.loads(data)
        st = cls(d["n"])
        for name in _OBJECT_FIELDS:
            setattr(st, name, d[name])
        for name in _INT_FIELDS:
            getattr(st, name).frombytes(d[name])
        for name in _FLOAT_FIELDS:
            getattr(st, name).frombytes(d[name])
        for name in _BYTE_FIELDS:
            setattr(st, name, bytearray(d[name]))
        keys = d["stock_keys"].split("\n") if d["stock_keys"] else []
        st.stock = dict(zip(keys, map(bool, d["stock_flags"]), strict=True))
        st._sect_of = {s: k for k, s in enumerate(st.sects)}
        st._camp_of = {c: k for k, c in enumerate(st.campsets)}
        return st

    # ------------------------------------------------------------------ activities

    def chars(self, i: int) -> str:
        c = self._chars.get(i)
        if c is not None:
            return c
        s = self.nstart[i]
        return self.nblob[s : s + self.nlen[i]]

    def gram_ids(self, i: int) -> Sequence[int]:
        g = self._grams.get(i)
        if g is not None:
            return g
        s = self.gstart[i]
        return self.gflat[s : s + self.glen[i]]

    def jurisdiction(self, i: int) -> Jurisdiction:
        return self.jurs[self.jur[i]]

    def is_low(self, i: int) -> bool:
        """Whether activity ``i`` can have links (a year and a place below the nation)."""
        return (bool(self.alive[i]) and self.year[i] != NO_YEAR
                and self.jurisdiction(i).code is not None)

    def rows(self, i: int) -> range:
        return range(self.pstart[i], self.pstart[i] + self.plen[i])

    def new_act(self) -> int:
        """A fresh activity id (dead until written)."""
        i = len(self.iri)
        self.iri.append("")
        for name in ("nidx", "year", "jur", "nstart", "nlen", "gstart", "glen", "sect", "camp",
                     "pstart", "plen"):
            getattr(self, name).append(0)
        self.slack.append(math.inf)
        self.digest.extend(bytes(32))
        self.alive.append(0)
        return i

    def write(self, i: int, f: _Features, ordinal: int) -> None:
        """Activity ``i`` becomes ``f`` (postings and frequencies follow)."""
        if self.alive[i]:
            self._unpost(i)
        else:
            self.n_alive += 1
        self.iri[i] = f.iri
        self.nidx[i] = ordinal
        self.year[i] = f.year
        self.jur[i] = self._jur_index(f.jur)
        self._chars[i] = f.chars
        self.nlen[i] = len(f.chars)
        ids = array("i", (self.intern(g) for g in f.grams))
        self._grams[i] = ids
        self.glen[i] = len(ids)
        self.sect[i] = _table_index(self.sects, self._sect_of, f.sectors)
        self.camp[i] = _table_index(self.campsets, self._camp_of, f.camps)
        self.digest[32 * i : 32 * i + 32] = f.digest
        self.alive[i] = 1
        self.slack[i] = math.inf
        self.plen[i] = 0
        for g in ids:
            self._holders_mut(g).add(i)
            self.af[g] += 1

    def kill(self, i: int) -> None:
        """Activity ``i`` is gone."""
        self._unpost(i)
        self.alive[i] = 0
        self.n_alive -= 1
        self.plen[i] = 0

    def _unpost(self, i: int) -> None:
        for g in self.gram_ids(i):
            self._holders_mut(g).discard(i)
            self.af[g] -= 1

    def _jur_index(self, j: Jurisdiction) -> int:
        if self._jur_of is None:
            self._jur_of = {jkey(x): k for k, x in enumerate(self.jurs)}
        k = self._jur_of.get(jkey(j))
        if k is None:
            k = self._jur_of[jkey(j)] = len(self.jurs)
            self.jurs.append(j)
        elif self.jurs[k] != j:
            # Hierarchy caches ancestors by key: two values of one key make a full link's
            # result depend on which activity asks first.
            raise _Fallback(f"two jurisdictions with the key {jkey(j)}")
        return k

    def iri_index(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.iri) if self.alive[i]}

    # ------------------------------------------------------------------ grams

    def gid(self) -> dict[str, int]:
        """Gram string → id (built on first use)."""
        if self._gid is None:
            n = self.n
            b = self.gblob
            self._gid = {b[k : k + n]: k // n for k in range(0, len(b), n)}
            base = len(b) // n
            self._gid.update((s, base + k) for k, s in enumerate(self._gextra))
        return self._gid

    def gram(self, g: int) -> str:
        base = len(self.gblob) // self.n
        if g < base:
            return self.gblob[g * self.n : (g + 1) * self.n]
        return self._gextra[g - base]

    def intern(self, s: str) -> int:
        gid = self.gid()
        g = gid.get(s)
        if g is None:
            g = gid[s] = len(self.df)
            self._gextra.append(s)
            self.df.append(0)
            self.af.append(0)
            self.wt.append(0.0)  # set with its unit frequency
        return g

    def holders(self, g: int) -> Collection[int]:
        """Alive activities holding gram ``g`` (ascending ids when unchanged this run)."""
        m = self._post.get(g)
        if m is not None:
            return m
        if g + 1 < len(self.poff):
            return self.pflat[self.poff[g] : self.poff[g + 1]]
        return ()

    def holder_count(self, g: int) -> int:
        m = self._post.get(g)
        if m is not None:
            return len(m)
        return self.poff[g + 1] - self.poff[g] if g + 1 < len(self.poff) else 0

    def _holders_mut(self, g: int) -> set[int]:
        m = self._post.get(g)
        if m is None:
            m = self._post[g] = set(self.holders(g))
        return m

    # ------------------------------------------------------------------ rows

    def add_rows(self, i: int, trace: LowTrace, ids: Sequence[int], targets: set[str]) -> list[int]:
        """Store the pairs ``trace`` scored for activity ``i`` (``ids``: index → activity id)
        as its rows; returns the rows that are links (their targets are ``targets``)."""
        self.pstart[i] = len(self.p_low)
        self.plen[i] = len(trace.pairs)
        self.slack[i] = trace.slack
        out: list[int] = []
        for pt in trace.pairs:
            h = ids[pt.high]
            ps = pt.score
            r = len(self.p_low)
            self.p_low.append(i)
            self.p_high.append(h)
            self.p_flags.append(
                (F_CAMPAIGN if ps.campaign else 0) | (F_ORG if ps.org else 0)
                | (F_LEADS if pt.leads else 0)
                | (F_EVIDENCE if ps.high_span[1] > ps.high_span[0] else 0)
                | (F_NOTICE if ps.same_notice else 0)
            )
            self.p_grade.append(GRADE_CODE[ps.grade])
            self.p_score.append(ps.score)
            self.p_align.append(ps.align)
            self.p_cover.append(ps.cover)
            self.p_longest.append(ps.longest)
            self.p_sstart.append(len(self.s_flat))
            self.p_slen.append(len(ps.stretches))
            short = self.chars(self.short(i, h))
            for s, c, stock in ps.stretches:
                self.s_flat.extend((s, c, int(stock)))
                self.stock[short[s : s + c]] = stock
            m = pt.link
            if m is None:  # an ungraded pair makes no link; a re-weigh never grades it
                spans, evidence = (0, 0, 0, 0), ""
            else:
                spans = (m.source_start, m.source_end, m.target_start, m.target_end)
                evidence = m.evidence
                if m.target in targets:
                    out.append(r)
            for col, v in zip((self.p_ls, self.p_le, self.p_ts, self.p_te), spans, strict=True):
                col.append(v)
            self.p_ev.append(evidence)
            self.p_spans.extend((*ps.low_span, *ps.high_span))
        return out

    def short(self, i: int, h: int) -> int:
        """The activity of a pair whose text is the shorter (the lower one on a tie)."""
        return i if self.nlen[i] <= self.nlen[h] else h

    def stretches(self, r: int) -> Iterable[tuple[int, int, int]]:
        s = self.s_flat
        k0 = self.p_sstart[r]
        for k in range(k0, k0 + 3 * self.p_slen[r], 3):
            yield s[k], s[k + 1], s[k + 2]

    def best_rows(self, i: int, second_mass: float) -> list[int]:
        """The rows of activity ``i`` that are its links, from the rows' grades and scores
        (the choice :func:`link_low` makes)."""
        graded = []
        low = self.chars(i)
        for r in self.rows(i):
            if self.p_grade[r]:
                h = self.p_high[r]
                key = choice_key(bool(self.p_flags[r] & F_LEADS), self.p_score[r],
                                 GRADES[self.p_grade[r]] or "", self.iri[h])
                ev = evidence_of(low, self.chars(self.short(i, h)), self.stretches(r),
                                 self.row_mass(r, i, h), self.sects[self.sect[h]])
                graded.append((rank(self.jurisdiction(h)), key, r, ev))
        return best_per_level(graded, second_mass)

    def row_mass(self, r: int, i: int, h: int) -> float:
        """IDF mass of row ``r``'s non-stock shared grams under the current weights (what
        :func:`~qmgraph.link.score.score_pair` sums as ``mass``)."""
        n = self.n
        chars = self.chars(self.short(i, h))
        shared = {chars[k : k + n] for s, c, stock in self.stretches(r) if not stock
                  for k in range(s, s + c - n + 1)}
        gid = self.gid()
        return sum(self.wt[gid[g]] for g in shared)

    def links(self) -> list[MirrorLink]:
        """The links of the ``best`` rows, sorted as :func:`link` sorts them."""
        iri = self.iri
        out = [
            MirrorLink(iri[self.p_low[r]], iri[self.p_high[r]], self.p_score[r],
                       GRADES[self.p_grade[r]] or "", METHOD, self.p_ls[r], self.p_le[r],
                       self.p_ts[r], self.p_te[r], self.p_ev[r])
            for r in self.best
        ]
        out.sort(key=lambda m: (m.source, m.target))
        return out

    # ------------------------------------------------------------------ folding

    def fold(self) -> None:
        """Move what the run changed into the flat columns; compact what has grown stale."""
        n_ids = len(self.iri)
        alive = [i for i in range(n_ids) if self.alive[i]]
        if self._chars:
            live = sum(self.nlen[i] for i in alive)
            # append the new texts; rewrite all when the stale ones are most of the blob
            again = alive if len(self.nblob) > STALE * live else list(self._chars)
            parts = [] if again is alive else [self.nblob]
            pos = 0 if again is alive else len(self.nblob)
            for i in again:
                c = self.chars(i)
                self.nstart[i] = pos
                parts.append(c)
                pos += len(c)
            self.nblob = "".join(parts)
            self._chars = {}
        if self._grams:
            live = sum(self.glen[i] for i in alive)
            if len(self.gflat) > STALE * live:
                flat = array("i")
                for i in alive:
                    s = self.gram_ids(i)
                    self.gstart[i] = len(flat)
                    flat.extend(s)
                self.gflat = flat
            else:
                for i, g in self._grams.items():
                    self.gstart[i] = len(self.gflat)
                    self.gflat.extend(g)
            self._grams = {}
        if self._gextra:
            self.gblob += "".join(self._gextra)
            self._gextra = []
        if self._post:
            self._fold_postings()
        live_rows = sum(self.plen[i] for i in alive)
        if len(self.p_low) > STALE * live_rows + STALE_ROWS:
            self._compact_rows(alive)

    def _fold_postings(self) -> None:
        total = len(self.df)
        base = len(self.poff) - 1
        off = array("i")
        flat = array("i")
        g = 0
        for m in [*sorted(self._post), total]:
            hi = min(m, base)
            if g < hi:  # grams g … hi-1 unchanged: their postings slice, offsets shifted
                shift = len(flat) - self.poff[g]
                off.extend(map(shift.__add__, self.poff[g:hi]))
                flat.extend(self.pflat[self.poff[g] : self.poff[hi]])
                g = hi
            while g < m:  # new grams without holders
                off.append(len(flat))
                g += 1
            if m < total:
                off.append(len(flat))
                flat.extend(sorted(self._post[m]))
                g = m + 1
        off.append(len(flat))
        self.poff, self.pflat, self._post = off, flat, {}

    def _compact_rows(self, alive: list[int]) -> None:
        """Keep only the live rows (those of alive activities' current ranges)."""
        old = {name: getattr(self, name) for name in (
            "p_low", "p_high", "p_longest", "p_ls", "p_le", "p_ts", "p_te", "p_score",
            "p_align", "p_cover", "p_flags", "p_grade", "p_ev", "p_spans", "p_sstart", "p_slen",
            "s_flat")}
        for name, col in old.items():
            setattr(self, name, type(col)() if not isinstance(col, array) else array(col.typecode))
        renum: dict[int, int] = {}
        for i in alive:
            start = len(self.p_low)
            for r in range(self.pstart[i], self.pstart[i] + self.plen[i]):
                renum[r] = len(self.p_low)
                for name in ("p_low", "p_high", "p_longest", "p_ls", "p_le", "p_ts", "p_te",
                             "p_score", "p_align", "p_cover", "p_flags", "p_grade", "p_ev"):
                    getattr(self, name).append(old[name][r])
                self.p_spans.extend(old["p_spans"][4 * r : 4 * r + 4])
                k0, k1 = old["p_sstart"][r], old["p_sstart"][r] + 3 * old["p_slen"][r]
                self.p_sstart.append(len(self.s_flat))
                self.p_slen.append(old["p_slen"][r])
                self.s_flat.extend(old["s_flat"][k0:k1])
            self.pstart[i] = start
        self.best = array("i", (renum[r] for r in self.best))
        # the stock verdicts of stretches no live row tested go too
        tested = {
            self.chars(self.short(lo, hi))[s : s + c]
            for r, (lo, hi) in enumerate(zip(self.p_low, self.p_high, strict=True))
            for s, c, _ in self.stretches(r)
        }
        self.stock = {k: v for k, v in self.stock.items() if k in tested}


def _table_index(table: list, index: dict, value: object) -> int:
    """The position of ``value`` in ``table`` (of distinct values), appended if new."""
    k = index.get(value)
    if k is None:
        k = index[value] = len(table)
        table.append(value)
    return k


class IncrementalLinker:
    """:func:`qmgraph.link.link` over a corpus that changes a few notices at a time.

    ``link`` takes every placed notice as a :class:`NoticeRef` and a ``load`` function that
    returns one :class:`~qmgraph.model.ResolvedNotice`; it loads only the notices it needs
    (changed ones, and the notices of the activities it re-scores and of their candidate
    partitions) and returns exactly what ``link`` returns on the whole corpus. ``stats``
    tells what the last run did.
    """

    def __init__(self, state_dir: Path | str, params: LinkParams | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.params = params or LinkParams()
        self.version = state_version(self.params)
        self.stats = IncrementalStats()

    @property
    def path(self) -> Path:
        return self.state_dir / STATE_FILE

    def link(
        self,
        notices: Sequence[NoticeRef],
        jurisdictions: dict[str, Jurisdiction],
        load: Callable[[str], ResolvedNotice],
    ) -> list[MirrorLink]:
        """The mirror links of the corpus of ``notices`` (every placed notice, in corpus
        order); the state is updated for the next call."""
        self.stats = stats = IncrementalStats(notices=len(notices))
        loaded: dict[str, ResolvedNotice] = {}

        def cached(key: str) -> ResolvedNotice:
            hit = loaded.get(key)
            if hit is None:
                hit = loaded[key] = load(key)
                stats.loaded += 1
            return hit

        t0 = time.perf_counter()
        st = self._read()
        stats.seconds["load_state"] = time.perf_counter() - t0
        jdigest = _jurisdictions_digest(jurisdictions)
        if st is None:
            reason = "no readable state"
        elif st.version != self.version:
            reason = "another code or params version"
        elif st.jdigest != jdigest:
            reason = "jurisdictions changed"
        else:
            t1 = time.perf_counter()
            try:
                rebuild = _Rebuild(st, self.params, jurisdictions, cached, stats)
                links, dirty = rebuild.run(notices)
            except _Fallback as exc:
                reason = str(exc)
            else:
                stats.seconds["link"] = time.perf_counter() - t1
                if dirty:
                    self._write(st)
                return links
        stats.full, stats.reason = True, reason
        t1 = time.perf_counter()
        links, new = _full_link(notices, jurisdictions, cached, self.params, stats)
        stats.seconds["link"] = time.perf_counter() - t1
        if new is None:
            self.path.unlink(missing_ok=True)  # a stale state must not outlive its corpus
        else:
            new.version, new.jdigest = self.version, jdigest
            self._write(new)
        return links

    def _read(self) -> _State | None:
        try:
            st = _State.load(self.path.read_bytes())
        except Exception:  # missing, truncated or foreign: start over
            return None
        return st

    def _write(self, st: _State) -> None:
        t0 = time.perf_counter()
        st.fold()
        data = st.dump()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_dir, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.stats.seconds["save_state"] = time.perf_counter() - t0


def _irregular(refs: Sequence[NoticeRef], notices: Sequence[ResolvedNotice]) -> str | None:
    """Why the corpus cannot be followed incrementally (None when it can): the full linker
    keeps the first of duplicate IRIs and reads years by notice key, which only a whole
    corpus settles."""
    keys = {r.key for r in refs}
    if len(keys) != len(refs):
        return "duplicate notice keys"
    iris: set[str] = set()
    places: dict[str, Jurisdiction] = {}
    for r, n in zip(refs, notices, strict=True):
        if n.key != r.key:
            return "a loaded notice has another key"
        for a in n.activities:
            if a.notice_key != n.key or a.jurisdiction is None or a.iri in iris:
                return IRREGULAR
            iris.add(a.iri)
            if places.setdefault(jkey(a.jurisdiction), a.jurisdiction) != a.jurisdiction:
                return "two jurisdictions with one key"
    return None


def _full_link(
    refs: Sequence[NoticeRef],
    jurisdictions: dict[str, Jurisdiction],
    load: Callable[[str], ResolvedNotice],
    params: LinkParams,
    stats: IncrementalStats,
) -> tuple[list[MirrorLink], _State | None]:
    """The full linker (the code of ``link_with_stats``, each lower activity traced) and
    the state it leaves, None for a corpus the state cannot follow."""
    notices = [load(r.key) for r in refs]
    corpus = Corpus(
        notices=notices,
        organizations={},
        org_surfaces={},
        jurisdictions=jurisdictions,
        campaigns={},
        campaign_surfaces={},
        cited_notices={},
        sectors={},
    )
    acts, years = collect(corpus)
    idx = NgramIndex.build(acts, years, Hierarchy(jurisdictions), params)
    run = LinkStats()
    traces = [LowTrace() for _ in acts]
    links: list[MirrorLink] = []
    targets: list[set[str]] = []
    for i in range(len(acts)):
        got = link_low(idx, i, run, traces[i])
        links.extend(got)
        targets.append({m.target for m in got})
    links.sort(key=lambda m: (m.source, m.target))
    stats.lows = sum(
        1 for a, y in zip(acts, years, strict=True) if y is not None and a.jurisdiction.code
    )
    stats.rescored = stats.lows
    if _irregular(refs, notices) is not None:
        return links, None
    return links, _state_of(idx, traces, targets, refs, notices, params)


def _state_of(
    idx: NgramIndex,
    traces: list[LowTrace],
    targets: list[set[str]],
    refs: Sequence[NoticeRef],
    notices: Sequence[ResolvedNotice],
    params: LinkParams,
) -> _State:
    """The state of a full run (activity ids are the index's, gram ids any order)."""
    st = _State(params.ngram)
    for r in refs:
        st.notices[r.key] = (r.fingerprint, len(st.nkeys))
        st.nkeys.append(r.key)
    acts, m = idx.acts, len(idx.acts)
    gid = {g: k for k, g in enumerate(idx.gram_acts)}
    st._gid = gid
    st.gblob = "".join(idx.gram_acts)
    # the full index's postings are the state's (holders in index order)
    holders = list(idx.gram_acts.values())
    st.af = array("i", map(len, holders))
    st.pflat = array("i", chain.from_iterable(holders))
    st.poff = array("i", accumulate(st.af, initial=0))
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, gs in zip(acts, idx.gramsets, strict=True):
        units[(a.notice_key, jkey(a.jurisdiction))].update(gs)
    df = Counter(chain.from_iterable(units.values()))
    st.df = array("i", map(df.__getitem__, gid))
    st.n_units = len(units)
    st.wt = array("d", (unit_weight(d, st.n_units, params.weight_floor, params.weight_power)
                        for d in st.df))
    st.cap = posting_cap(params, m)
    year_of = {nt.key: nt.year for nt in notices}
    digest = _Digests()
    st.iri = [a.iri for a in acts]
    st.nidx = array("i", (st.notices[a.notice_key][1] for a in acts))
    st.year = array("i", (NO_YEAR if y is None else y for y in idx.years))
    st.jur = array("i", (st._jur_index(a.jurisdiction) for a in acts))
    chars = [nt.chars for nt in idx.norms]
    st.nblob = "".join(chars)
    st.nlen = array("i", map(len, chars))
    st.nstart = array("i", accumulate(st.nlen, initial=0))[:m]
    st.gflat = array("i", chain.from_iterable(map(gid.__getitem__, gs) for gs in idx.gramsets))
    st.glen = array("i", map(len, idx.gramsets))
    st.gstart = array("i", accumulate(st.glen, initial=0))[:m]
    st.sect = array("i", (_table_index(st.sects, st._sect_of, s) for s in idx.act_sectors))
    st.camp = array("i", (_table_index(st.campsets, st._camp_of, frozenset(c)) for c in idx.camps))
    st.digest = bytearray(b"".join(
        digest(a, a.year if a.year is not None else year_of[a.notice_key]) for a in acts))
    st.alive = bytearray(b"\x01" * m)
    st.n_alive = m
    st.slack = array("d", (t.slack for t in traces))
    st.pstart = array("i", bytes(4 * m))
    st.plen = array("i", bytes(4 * m))
    for i, t in enumerate(traces):
        st.best.extend(st.add_rows(i, t, range(m), targets[i]))
    return st


class _Rebuild:
    """One incremental run over a state (see the module docstring for the plan)."""

    def __init__(
        self,
        st: _State,
        params: LinkParams,
        jurisdictions: dict[str, Jurisdiction],
        load: Callable[[str], ResolvedNotice],
        stats: IncrementalStats,
    ) -> None:
        self.st = st
        self.p = params
        self.n = params.ngram
        self.hier = Hierarchy(jurisdictions)
        self.load = load
        self.stats = stats
        self.acts: dict[str, ResolvedActivity] = {}  #: loaded activities by IRI
        self._anc: dict[int, frozenset[str]] = {}
        self._total: dict[int, float] = {}  #: activity → new weight of its grams
        self._stock: dict[str, bool] = {}

    # ------------------------------------------------------------------ corpus-wide tests

    def ancestors(self, j: int) -> frozenset[str]:
        hit = self._anc.get(j)
        if hit is None:
            hit = self._anc[j] = frozenset(self.hier.ancestors(self.st.jurs[j]))
        return hit

    def is_stock(self, stretch: str) -> bool:
        """``NgramIndex.is_stock`` over the whole new corpus (holders in IRI order, so the
        float sum is the full index's)."""
        hit = self._stock.get(stretch)
        if hit is not None:
            return hit
        st, n = self.st, self.n
        gid = st.gid()
        ids = [gid.get(stretch[k : k + n]) for k in range(len(stretch) - n + 1)]
        if not ids or None in ids:  # a gram nobody holds: neither does the stretch
            held: list[int] = []
        else:  # the rarest gram's holders, checked exactly
            rarest = min(ids, key=st.holder_count)
            held = sorted((c for c in st.holders(rarest) if stretch in st.chars(c)),
                          key=st.iri.__getitem__)
        out = spread_of(st.sects[st.sect[c]] for c in held) >= self.p.stock_sectors
        self._stock[stretch] = out
        return out

    # ------------------------------------------------------------------ the run

    def run(self, refs: Sequence[NoticeRef]) -> tuple[list[MirrorLink], bool]:
        """The links of the new corpus, and whether the state changed."""
        st, stats = self.st, self.stats
        fps: dict[str, str] = {}
        for r in refs:
            if r.key in fps:
                raise _Fallback("duplicate notice keys")
            fps[r.key] = r.fingerprint
        changed = [k for k, fp in fps.items() if k not in st.notices or st.notices[k][0] != fp]
        removed = [k for k in st.notices if k not in fps]
        stats.changed, stats.removed = len(changed), len(removed)
        if not changed and not removed:
            stats.lows = self._count_lows()
            return st.links(), False
        ch = self._apply(changed, removed, fps)
        delta, recapped = self._statistics(ch)

        # activities holding a gram whose weight moved; how far their candidates may move
        touched: set[int] = set()
        shift: dict[int, float] = defaultdict(float)
        for g, dw in delta.items():
            capped = st.af[g] > st.cap
            for i in st.holders(g):
                touched.add(i)
                if not capped:
                    shift[i] += abs(dw)
        evaluators = self._evaluators({*ch.content, *ch.gone, *ch.place, *touched})

        self._move(ch.place, evaluators)

        # --- lower activities to re-score
        rescore: set[int] = {*ch.content, *ch.added}
        for h in (*ch.content, *ch.gone):
            rescore.update(evaluators.get(h, ()))
        fresh = (*ch.content, *ch.added)
        camp_index = self._camp_index() if any(st.campsets[st.camp[h]] for h in fresh) else {}
        for h in fresh:
            self._reach(h, rescore, camp_index)
        for g in recapped:
            rescore.update(st.holders(g))
        self._flips([*ch.olds.values(), *map(st.chars, fresh)], rescore)

        # --- weights moved under kept pairs: re-weigh, or re-score when bounds cannot decide
        reweigh = set(shift) | {i for i in touched if st.plen[i]}
        for h in touched:
            reweigh.update(evaluators.get(h, ()))
        relinked: dict[int, list[int]] = {}
        for i in sorted(reweigh - rescore):
            if not st.alive[i]:
                continue
            got = self._reweigh(i, shift.get(i, 0.0), touched)
            if got is None:
                rescore.add(i)
            elif got:
                relinked[i] = st.best_rows(i, self.p.adopted_min_mass)
                stats.reweighed += 1

        rescore = {i for i in rescore if st.alive[i]}
        stats.lows = lows = self._count_lows()
        if len(rescore) > MAX_RESCORE_SHARE * lows and len(rescore) > 50:
            raise _Fallback(f"{len(rescore)} of {lows} lower activities to re-score")
        relinked.update(self._rescore(rescore))
        stats.rescored = sum(1 for i in rescore if st.is_low(i))

        dropped = set(relinked) | set(ch.gone)
        best = array("i", (r for r in st.best if st.p_low[r] not in dropped))
        for rows in relinked.values():
            best.extend(rows)
        st.best = best
        return st.links(), True

    def _apply(self, changed: list[str], removed: list[str], fps: dict[str, str]) -> _Changes:
        """Write the changed notices' activities into the state; kill the removed ones."""
        st = self.st
        wanted = {st.notices[k][1]: k for k in (*changed, *removed) if k in st.notices}
        old_ids: dict[str, list[int]] = {k: [] for k in (*changed, *removed)}
        for i, (o, a) in enumerate(zip(st.nidx, st.alive, strict=True)):
            if a and o in wanted:
                old_ids[wanted[o]].append(i)
        ch = _Changes(old_units={k: self._units(ids) for k, ids in old_ids.items()},
                      af_before=array("i", st.af), n_units=st.n_units, cap=st.cap)
        iri_id: dict[str, int] | None = None
        seen: set[str] = set()
        digest = _Digests()
        for k in changed:
            notice = self.load(k)
            if notice.key != k:
                raise _Fallback("a loaded notice has another key")
            if k in st.notices:
                ordinal = st.notices[k][1]
            else:
                ordinal = len(st.nkeys)
                st.nkeys.append(k)
            before = {st.iri[i]: i for i in old_ids[k]}
            mine: list[int] = []
            for a in notice.activities:
                if a.notice_key != k or a.jurisdiction is None or a.iri in seen:
                    raise _Fallback(IRREGULAR)
                seen.add(a.iri)
                self.acts[a.iri] = a
                f = _Features.of(a, notice.year, self.n, digest)
                i = before.pop(a.iri, None)
                if i is None:
                    if iri_id is None:
                        iri_id = st.iri_index()
                    if a.iri in iri_id:
                        raise _Fallback("an activity IRI moved between notices")
                    i = st.new_act()
                    st.write(i, f, ordinal)
                    ch.added.append(i)
                elif st.digest[32 * i : 32 * i + 16] != f.digest[:16]:
                    ch.olds[i] = st.chars(i)
                    st.write(i, f, ordinal)
                    ch.content.append(i)
                elif st.digest[32 * i + 16 : 32 * i + 32] != f.digest[16:]:
                    st.digest[32 * i : 32 * i + 32] = f.digest
                    ch.place.append(i)
                mine.append(i)
            for i in before.values():
                ch.olds[i] = st.chars(i)
                st.kill(i)
                ch.gone.append(i)
            ch.new_ids[k] = mine
            st.notices[k] = (fps[k], ordinal)
        for k in removed:
            for i in old_ids[k]:
                ch.olds[i] = st.chars(i)
                st.kill(i)
                ch.gone.append(i)
            del st.notices[k]
        return ch

    def _statistics(self, ch: _Changes) -> tuple[dict[int, float], list[int]]:
        """Update units, unit frequencies and the cap; return the grams whose weight moved
        (gram → new − old weight) and those whose capped status moved."""
        st, p = self.st, self.p
        df_before: dict[int, int] = {}
        for k, old in ch.old_units.items():
            new = self._units(ch.new_ids.get(k, []))
            st.n_units += len(new) - len(old)
            for unit in old.keys() | new.keys():
                a, b = old.get(unit, set()), new.get(unit, set())
                for g in a - b:
                    df_before.setdefault(g, st.df[g])
                    st.df[g] -= 1
                for g in b - a:
                    df_before.setdefault(g, st.df[g])
                    st.df[g] += 1
        st.cap = posting_cap(p, st.n_alive)
        # every weight moves with the number of units; else those whose frequency did
        moved = range(len(st.df)) if st.n_units != ch.n_units else df_before
        delta: dict[int, float] = {}
        for g in moved:
            old = st.wt[g]
            st.wt[g] = new = unit_weight(st.df[g], st.n_units, p.weight_floor, p.weight_power)
            # a gram only old or only new versions hold reaches no kept pair
            if new != old and st.df[g] and df_before.get(g, st.df[g]):
                delta[g] = new - old
        # capped status: of the grams whose holders moved, or of all when the cap moved
        recount = range(len(st.af)) if st.cap != ch.cap else list(st._post)
        before = ch.af_before
        recapped = [
            g for g in recount
            if ((before[g] if g < len(before) else 0) > ch.cap) != (st.af[g] > st.cap)
        ]
        return delta, recapped

    def _evaluators(self, highs: set[int]) -> dict[int, list[int]]:
        """High activity → the alive lower activities that scored it (of ``highs``)."""
        st = self.st
        out: dict[int, list[int]] = defaultdict(list)
        for r, (lo, hi) in enumerate(zip(st.p_low, st.p_high, strict=True)):
            if hi in highs and st.alive[lo] and st.pstart[lo] <= r < st.pstart[lo] + st.plen[lo]:
                out[hi].append(lo)
        return out

    def _move(self, moved: list[int], evaluators: dict[int, list[int]]) -> None:
        """Activities whose text stayed but moved in their file (an edit above them): the
        links they make and take get their new original offsets, nothing is re-scored."""
        st = self.st
        for x in moved:
            act = self.acts[st.iri[x]]
            norm = normalize(act.text)
            for r in st.rows(x):
                if st.p_grade[r]:
                    span = (st.p_spans[4 * r], st.p_spans[4 * r + 1])
                    st.p_ls[r], st.p_le[r] = original_span(act, norm, span)
            for i in evaluators.get(x, ()):
                for r in st.rows(i):
                    if st.p_high[r] == x and st.p_grade[r]:
                        span = (st.p_spans[4 * r + 2], st.p_spans[4 * r + 3])
                        st.p_ts[r], st.p_te[r] = original_span(act, norm, span)

    def _count_lows(self) -> int:
        st = self.st
        placed = [j.code is not None for j in st.jurs]
        return sum(
            1 for a, y, j in zip(st.alive, st.year, st.jur, strict=True)
            if a and y != NO_YEAR and placed[j]
        )

    def _units(self, ids: Iterable[int]) -> dict[str, set[int]]:
        """Unit (jurisdiction key within one notice) → the gram ids it holds."""
        st = self.st
        out: dict[str, set[int]] = defaultdict(set)
        for i in ids:
            out[jkey(st.jurisdiction(i))].update(st.gram_ids(i))
        return out

    def _camp_index(self) -> dict[str, list[int]]:
        st = self.st
        out: dict[str, list[int]] = defaultdict(list)
        for i in range(len(st.iri)):
            if st.alive[i]:
                for c in st.campsets[st.camp[i]]:
                    out[c].append(i)
        return out

    def _reach(self, h: int, rescore: set[int], camp_index: dict[str, list[int]]) -> None:
        """Lower activities that may now take the new version of ``h`` among their
        candidates go to ``rescore``; the others holding some of its grams keep a slack
        that counts it."""
        st, p = self.st, self.p
        y = st.year[h]
        if y == NO_YEAR:
            return
        jh = st.jurisdiction(h)
        key, rh = jkey(jh), rank(jh)
        under: dict[int, bool] = {}  # jurisdiction index → is it below h's?

        def below(i: int) -> bool:
            if i == h or st.year[i] != y:
                return False
            j = st.jur[i]
            hit = under.get(j)
            if hit is None:
                hit = under[j] = rank(st.jurs[j]) > rh and key in self.ancestors(j)
            return hit

        acc: dict[int, float] = defaultdict(float)
        for g in st.gram_ids(h):
            if st.af[g] > st.cap:
                continue
            wg = st.wt[g]
            for i in st.holders(g):
                acc[i] += wg
        for c in st.campsets[st.camp[h]]:
            rescore.update(i for i in camp_index.get(c, ()) if below(i))
        m = p.min_candidate_mass
        for i, mass in acc.items():
            if below(i):
                if mass >= m - TOL:
                    rescore.add(i)
                else:
                    st.slack[i] = min(st.slack[i], m - mass - TOL)

    def _flips(self, texts: list[str], rescore: set[int]) -> None:
        """Lower activities that tested a stretch whose stock verdict the change flipped."""
        st, p = self.st, self.p
        if not st.stock or not texts:
            return
        shortest = p.min_run_grams + self.n - 1
        longest = max(map(len, st.stock))
        flipped: set[str] = set()
        checked: set[str] = set()
        for t in texts:  # a stretch's holders change only where a changed text holds it
            for a in range(len(t)):
                for b in range(a + shortest, min(len(t), a + longest) + 1):
                    s = t[a:b]
                    if s in checked or s not in st.stock:
                        continue
                    checked.add(s)
                    now = self.is_stock(s)
                    if now != st.stock[s]:
                        st.stock[s] = now
                        flipped.add(s)
        if not flipped:
            return
        for i in range(len(st.iri)):
            if not st.alive[i]:
                continue
            for r in st.rows(i):
                short = st.chars(st.short(i, st.p_high[r]))
                if any(short[s : s + c] in flipped for s, c, _ in st.stretches(r)):
                    rescore.add(i)
                    break

    def _reweigh(self, i: int, shift: float, touched: set[int]) -> bool | None:
        """Re-derive the pairs of activity ``i`` under the new weights: True when a score or
        grade changed, False when none did, None when the bounds cannot decide (re-score).

        ``shift`` bounds how far any of its candidates' accumulated weights moved.
        """
        st = self.st
        if shift and shift + TOL >= st.slack[i]:
            return None
        updates: list[tuple[int, float, int]] = []
        for r in st.rows(i):
            h = st.p_high[r]
            short = st.short(i, h)
            if short not in touched or min(st.nlen[i], st.nlen[h]) < self.n:
                continue
            v = self._verdict(r, short, max(st.nlen[i], st.nlen[h]))
            if v is None:
                return None
            score, grade = v
            if (score, grade) != (st.p_score[r], st.p_grade[r]):
                if grade and not st.p_grade[r]:
                    return None  # a new link: its spans were not kept
                updates.append((r, score, grade))
        for r, score, grade in updates:
            st.p_score[r] = score
            st.p_grade[r] = grade
        if shift:
            st.slack[i] -= shift + TOL
        return bool(updates)

    def _verdict(self, r: int, short: int, long_len: int) -> tuple[float, int] | None:
        """Score and grade code of row ``r`` under the new weights, or None when the float
        sums the scorer makes could fall either side of a rounding or grade boundary."""
        st, n, wt = self.st, self.n, self.st.wt
        total = self._total.get(short)
        if total is None:
            total = self._total[short] = sum(map(wt.__getitem__, st.gram_ids(short)))
        chars = st.chars(short)
        shared = {
            chars[k : k + n]
            for s, c, stock in st.stretches(r)
            if not stock
            for k in range(s, s + c - n + 1)
        }
        gid = st.gid()
        mass = sum(wt[gid[g]] for g in shared)
        m_lo, m_hi = mass * (1 - REL), mass * (1 + REL)
        t_lo, t_hi = total * (1 - REL), total * (1 + REL)
        fl = st.p_flags[r]
        fixed = (st.p_longest[r], st.p_align[r], bool(fl & F_CAMPAIGN), bool(fl & F_ORG),
                 bool(fl & F_EVIDENCE))
        same = bool(fl & F_NOTICE)
        # verdict is non-decreasing in wcover and mass: equal at both corners = decided
        lo = verdict(self.p, st.nlen[short], st.p_cover[r], m_lo / t_hi, m_lo, *fixed,
                     long_len=long_len, same_notice=same, n_shared=len(shared))
        hi = verdict(self.p, st.nlen[short], st.p_cover[r], m_hi / t_lo, m_hi, *fixed,
                     long_len=long_len, same_notice=same, n_shared=len(shared))
        if lo != hi:
            return None
        return lo[0], GRADE_CODE[lo[1]]

    def _rescore(self, rescore: set[int]) -> dict[int, list[int]]:
        """Run the linker for the activities ``rescore`` over an index of their candidate
        partitions with the corpus-wide statistics; their rows and links are replaced."""
        st, p = self.st, self.p
        if not rescore:
            return {}
        # the members of their candidate partitions (year, higher jurisdiction)
        wanted = {(st.year[i], anc) for i in rescore if st.year[i] != NO_YEAR
                  for anc in self.ancestors(st.jur[i])}
        keys = [jkey(j) for j in st.jurs]
        members = set(rescore)
        members.update(
            i for i, (a, y, j) in enumerate(zip(st.alive, st.year, st.jur, strict=True))
            if a and (y, keys[j]) in wanted
        )
        sub = sorted(members, key=st.iri.__getitem__)
        want = {st.iri[i]: i for i in sub if st.iri[i] not in self.acts}
        digest = _Digests()
        for k in sorted({st.nkeys[st.nidx[i]] for i in want.values()}):
            notice = self.load(k)
            for a in notice.activities:
                i = want.pop(a.iri, None)
                if i is None:
                    continue
                # the fingerprint is the caller's word; what is read anyway is checked
                year = a.year if a.year is not None else notice.year
                if digest(a, year) != st.digest[32 * i : 32 * i + 32]:
                    raise _Fallback(f"notice {k} changed without a new fingerprint")
                self.acts[a.iri] = a
        if want:
            raise _Fallback("a notice lost activities without a new fingerprint")
        acts = [self.acts[st.iri[i]] for i in sub]
        years = [None if st.year[i] == NO_YEAR else st.year[i] for i in sub]
        gids: set[int] = set()
        for i in sub:
            gids.update(st.gram_ids(i))
        corpus_wide = CorpusStats(
            GramWeights({st.gram(g): st.wt[g] for g in gids}, self.is_stock),
            frozenset(st.gram(g) for g in gids if st.af[g] > st.cap),
            st.n_units,
        )
        idx = NgramIndex.build(acts, years, self.hier, p, corpus_wide)
        out: dict[int, list[int]] = {}
        run = LinkStats()
        for pos, i in enumerate(sub):
            if i in rescore:
                trace = LowTrace()
                got = link_low(idx, pos, run, trace)
                out[i] = st.add_rows(i, trace, sub, {m.target for m in got})
        return out
