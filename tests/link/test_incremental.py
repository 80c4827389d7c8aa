"""``IncrementalLinker``: after every kind of change, exactly what a full ``link`` returns.

The corpus is a small synthetic one (``qmgraph.synth``: nation, provinces, cities, counties
over three years) resolved by the pipeline; edits are made on copies of its resolved
notices, each with a new fingerprint, and every rebuild is compared with ``link`` on the
edited corpus (the same list: links, order, scores, offsets, evidence).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from qmgraph.link import LinkParams, incremental, link
from qmgraph.link.incremental import STATE_FILE, IncrementalLinker, IncrementalStats, NoticeRef
from qmgraph.model import Corpus, Jurisdiction, MirrorLink, ResolvedNotice
from qmgraph.namespaces import activity_iri
from qmgraph.pipeline import _resolve, expand_inputs
from qmgraph.synth import generate

SENTENCE = "同时邀请质量专家开展现场咨询服务，"


class World:
    """A corpus being edited: its placed notices by key, their order and fingerprints."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        placed = [n for n in corpus.notices if n.jurisdiction is not None and n.year is not None]
        self.notices = {n.key: n for n in placed}
        self.order = [n.key for n in placed]
        self.version = dict.fromkeys(self.order, 0)
        self.loads = 0

    def copy(self) -> World:
        other = World.__new__(World)
        other.corpus = self.corpus
        other.notices, other.order = dict(self.notices), list(self.order)
        other.version, other.loads = dict(self.version), 0
        return other

    def refs(self) -> list[NoticeRef]:
        return [NoticeRef(k, f"v{self.version[k]}") for k in self.order]

    def load(self, key: str) -> ResolvedNotice:
        self.loads += 1
        return self.notices[key]

    def put(self, n: ResolvedNotice) -> None:
        if n.key not in self.notices:
            self.order.append(n.key)
        self.notices[n.key] = n
        self.version[n.key] = self.version.get(n.key, 0) + 1

    def drop(self, key: str) -> None:
        self.order.remove(key)
        del self.notices[key]

    def of_level(self, level: str) -> list[ResolvedNotice]:
        return [self.notices[k] for k in self.order
                if self.notices[k].level == level and self.notices[k].activities]

    def full(self, params: LinkParams | None = None) -> list[MirrorLink]:
        notices = [self.notices[k] for k in self.order]
        return link(dataclasses.replace(self.corpus, notices=notices, mirrors=[]), params=params)


def insert(n: ResolvedNotice, k: int, text: str) -> ResolvedNotice:
    """``n`` with ``text`` inserted in the middle of its activity ``k``, in the file too (the
    later activities' offsets move, as when a notice is edited)."""
    a = n.activities[k]
    src = a.source
    at = a.norm_start + len(a.text) // 2
    o = src.offsets[at]
    shift = len(text)
    src = dataclasses.replace(
        src,
        text=src.text[:at] + text + src.text[at:],
        original=src.original[:o] + text + src.original[o:],
        offsets=[*src.offsets[:at], *range(o, o + shift), *(x + shift for x in src.offsets[at:])],
    )
    acts = []
    for b in n.activities:
        start = b.norm_start + shift if b.norm_start >= at else b.norm_start
        end = b.norm_end + shift if b.norm_end > at or b is a else b.norm_end
        acts.append(dataclasses.replace(b, norm_start=start, norm_end=end,
                                        text=src.text[start:end], source=src))
    return dataclasses.replace(n, activities=acts)


def rekeyed(n: ResolvedNotice, key: str) -> ResolvedNotice:
    """A copy of ``n`` as another notice."""
    acts = [dataclasses.replace(a, notice_key=key, iri=str(activity_iri(key, a.local)))
            for a in n.activities]
    return dataclasses.replace(n, key=key, activities=acts)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, bytes]:
    """The corpus and the state a first (full) run leaves."""
    folder = tmp_path_factory.mktemp("synth")
    generate(80, 5, folder)
    corpus, _ = _resolve(expand_inputs([folder / "notices"]), None)
    world = World(corpus)
    state = tmp_path_factory.mktemp("state")
    linker = IncrementalLinker(state)
    assert linker.link(world.refs(), corpus.jurisdictions, world.load) == world.full()
    assert linker.stats.full and linker.stats.reason == "no readable state"
    assert sorted(p.name for p in state.iterdir()) == [STATE_FILE]  # no temporary left
    return world, (state / STATE_FILE).read_bytes()


@pytest.fixture
def world(base: tuple[World, bytes], tmp_path: Path) -> World:
    """A fresh copy of the corpus, with the first run's state under ``tmp_path``."""
    (tmp_path / STATE_FILE).write_bytes(base[1])
    return base[0].copy()


def relink(world: World, state: Path, params: LinkParams | None = None) -> IncrementalStats:
    """Rebuild incrementally, check the result against a full link, return what it did."""
    world.loads = 0
    linker = IncrementalLinker(state, params)
    got = linker.link(world.refs(), world.corpus.jurisdictions, world.load)
    assert got == world.full(params)
    assert linker.stats.loaded == world.loads
    return linker.stats


def test_edit_a_city_notice_rescores_a_few(world: World, tmp_path: Path) -> None:
    city = world.of_level("prefectural")[0]
    world.put(insert(city, 0, SENTENCE))
    stats = relink(world, tmp_path)
    assert not stats.full
    assert 0 < stats.rescored <= 0.05 * stats.lows
    assert stats.loaded <= 0.15 * len(world.order)


@pytest.mark.parametrize("level", ["provincial", "national"])
def test_edit_a_higher_notice(world: World, tmp_path: Path, level: str) -> None:
    n = world.of_level(level)[0]
    copied = world.of_level("prefectural")[1].activities[0].text
    n = insert(n, 0, SENTENCE)
    n = insert(n, len(n.activities) - 1, copied)  # a city's text now has a higher source
    world.put(n)
    stats = relink(world, tmp_path)
    assert not stats.full


def test_add_a_notice(world: World, tmp_path: Path) -> None:
    world.put(rekeyed(insert(world.of_level("county")[0], 0, SENTENCE), "zz-added"))
    stats = relink(world, tmp_path)
    assert stats.changed == 1
    assert not stats.full  # every weight moved (one more unit): re-weighed, not re-linked


def test_remove_a_notice(world: World, tmp_path: Path) -> None:
    gone = world.of_level("prefectural")[2].key
    world.drop(gone)
    stats = relink(world, tmp_path)
    assert stats.removed == 1 and not stats.full


def test_no_change_loads_nothing(world: World, tmp_path: Path) -> None:
    before = (tmp_path / STATE_FILE).read_bytes()
    stats = relink(world, tmp_path)
    assert not stats.full and stats.loaded == 0 and stats.rescored == 0
    assert (tmp_path / STATE_FILE).read_bytes() == before


@pytest.mark.parametrize("compact", [False, True])
def test_several_changes_in_a_row(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compact: bool
) -> None:
    """Rounds of mixed edits, each state building on the last (and, with ``compact``, each
    saved state rewritten without its stale entries)."""
    if compact:
        monkeypatch.setattr(incremental, "STALE", 0)
        monkeypatch.setattr(incremental, "STALE_ROWS", 0)
    rng = random.Random(3)
    orgs = [o for n in world.notices.values() for a in n.activities for o in a.organizers]
    texts = [a.text for n in world.notices.values() for a in n.activities]
    for round_ in range(3):
        for j, key in enumerate(rng.sample(world.order, 4)):
            n = world.notices[key]
            if not n.activities:
                continue
            k = rng.randrange(len(n.activities))
            kind = ("insert", "organizer", "delete", "year")[(round_ + j) % 4]
            if kind == "insert":  # another notice's activity text, so copies come and go
                n = insert(n, k, rng.choice(texts))
            elif kind == "organizer":
                acts = list(n.activities)
                acts[k] = dataclasses.replace(acts[k], organizers=[rng.choice(orgs)])
                n = dataclasses.replace(n, activities=acts)
            elif kind == "delete":
                n = dataclasses.replace(n, activities=n.activities[:k] + n.activities[k + 1 :])
            else:
                year = n.year + 1
                n = dataclasses.replace(n, year=year, activities=[
                    dataclasses.replace(a, year=year) for a in n.activities])
            world.put(n)
        relink(world, tmp_path)


def test_corrupt_state_links_in_full(world: World, tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_bytes(b"not a state")
    world.put(insert(world.of_level("prefectural")[0], 0, SENTENCE))
    stats = relink(world, tmp_path)
    assert stats.full and stats.reason == "no readable state"
    assert relink(world, tmp_path).loaded == 0  # and a good state was written


def test_other_params_start_over(world: World, tmp_path: Path) -> None:
    stats = relink(world, tmp_path, LinkParams(top_k=4))
    assert stats.full and stats.reason == "another code or params version"


def test_other_jurisdictions_start_over(world: World, tmp_path: Path) -> None:
    extra = Jurisdiction("999900", "新设市", (), "prefectural", None)
    world.corpus = dataclasses.replace(
        world.corpus, jurisdictions={**world.corpus.jurisdictions, "999900": extra})
    stats = relink(world, tmp_path)
    assert stats.full and stats.reason == "jurisdictions changed"


def test_duplicate_iris_link_in_full_without_state(world: World, tmp_path: Path) -> None:
    """Two notices holding one IRI: the full linker keeps the first in corpus order, which
    only a whole corpus settles; no state is kept for such a corpus."""
    city = world.of_level("prefectural")[0]
    world.put(dataclasses.replace(city, key="zz-duplicate"))
    stats = relink(world, tmp_path)
    assert stats.full and not (tmp_path / STATE_FILE).exists()


def test_a_change_without_a_new_fingerprint_is_caught_when_read(
    world: World, tmp_path: Path
) -> None:
    """A notice the rebuild reads (a province above an edited city) but whose fingerprint
    did not change is checked against the state: it changed, so the link runs in full."""
    city, province = next(
        (c, p) for c in world.of_level("prefectural") for p in world.of_level("provincial")
        if c.jurisdiction.parent == p.jurisdiction.code and c.year == p.year
    )
    world.put(insert(city, 0, SENTENCE))
    world.notices[province.key] = insert(province, 0, SENTENCE)  # same fingerprint
    stats = relink(world, tmp_path)
    assert stats.full and "without a new fingerprint" in stats.reason
