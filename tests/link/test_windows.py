"""Statistics windows (qmgraph.link.windows): the year partitions of lineage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qmgraph.link import LinkParams, link
from qmgraph.link.mirrors import LinkStats, link_window
from qmgraph.link.windows import Window, jurisdiction_closure, partition, plan_windows
from qmgraph.model import Jurisdiction
from qmgraph.pipeline import BuildResult, build, resolve_paths
from qmgraph.synth import generate


def test_years_are_pooled_until_a_window_is_large_enough() -> None:
    counts = {2005: 3, 2006: 3, 2007: 10, 2008: 2}
    assert plan_windows(counts, 5) == [Window((2005, 2006), 6), Window((2007, 2008), 12)]
    # every year large enough: each its own window
    assert [w.years for w in plan_windows(counts, 1)] == [(2005,), (2006,), (2007,), (2008,)]
    # a corpus smaller than a window is one window
    assert plan_windows(counts, 100) == [Window((2005, 2006, 2007, 2008), 18)]
    assert plan_windows({}, 5) == []


def test_a_new_year_leaves_the_windows_of_past_years() -> None:
    counts = {2005: 6, 2006: 2, 2007: 7}
    before = plan_windows(counts, 5)
    after = plan_windows({**counts, 2008: 9}, 5)
    assert after[: len(before) - 1] == before[:-1]
    assert after[-1].years == (2008,)


def test_partition_keeps_order_and_drops_undated_items() -> None:
    parts = partition(["a", "b", "c", "d"], [2021, None, 2023, 2021], 1)
    assert [(w.years, items) for w, items in parts] == [((2021,), ["a", "d"]),
                                                        ((2023,), ["c"])]


def test_jurisdiction_closure_follows_parent_chains() -> None:
    def j(code: str | None, parent: str | None, level: str) -> Jurisdiction:
        return Jurisdiction(code, code or "中华人民共和国", (), level, parent)

    table = {"cn": j(None, None, "national"), "510000": j("510000", None, "provincial"),
             "510100": j("510100", "510000", "prefectural"),
             "510104": j("510104", "510100", "county"),
             "120000": j("120000", None, "provincial")}
    assert list(jurisdiction_closure(table, ["510104", "cn", "999999"])) == [
        "510000", "510100", "510104", "cn"]


@pytest.fixture(scope="module")
def years_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("win")
    generate(60, 3, root, years=(2015, 2020))
    return root / "notices"


def test_a_window_links_as_a_corpus_of_its_own_notices(years_corpus: Path) -> None:
    corpus = resolve_paths([years_corpus])
    params = LinkParams(window_min_notices=15)
    windows = partition(corpus.notices, [n.year for n in corpus.notices], 15)
    assert len(windows) >= 2
    links = link(corpus, params=params)
    alone = []
    for _, notices in windows:
        alone += link_window(replace(corpus, notices=notices), params, LinkStats())
    assert links == sorted(alone, key=lambda m: (m.source, m.target))
    # the links of the first window do not move when the other windows' notices go
    first = {a.iri for n in windows[0][1] for a in n.activities}
    only_first = link(replace(corpus, notices=windows[0][1]), params=params)
    assert only_first and only_first == [m for m in links if m.source in first]


def test_cached_rebuild_relinks_only_the_window_it_touches(years_corpus: Path,
                                                          tmp_path: Path) -> None:
    import shutil

    notices = tmp_path / "notices"
    shutil.copytree(years_corpus, notices)
    params = LinkParams(window_min_notices=15)
    first = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    assert len(first.reuse["windows relinked"]) >= 2
    placed = [n for n in first.corpus.notices if n.jurisdiction and n.year]
    windows = [w for w, _ in partition(placed, [n.year for n in placed], 15)]
    last = max(notices.iterdir(), key=lambda f: (f.stem.split("_")[-1], f.name))
    year = last.stem.split("_")[-1]
    text = last.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2) + 1
    last.write_text(text[:at] + "同时组织计量专家走进产业园区开展质量帮扶。" + text[at:],
                    encoding="utf-8")
    again = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    build([notices], tmp_path / "full", cache=False, formats=("nq",),
          link_params=params, validate=False)
    assert (tmp_path / "out" / "qmgraph.nq").read_bytes() == \
        (tmp_path / "full" / "qmgraph.nq").read_bytes()
    relinked = again.reuse["windows relinked"]
    label = next(w.label for w in windows if int(year) in w.years)
    assert list(relinked) == [label]  # the others took their kept links
    # linked again from scratch: every activity of the window, none of the others
    assert relinked[label].activities == first.reuse["windows relinked"][label].activities + 1
    assert relinked[label].scored_pairs > 0


def test_link_folder_keeps_only_the_links_of_current_windows(years_corpus: Path,
                                                              tmp_path: Path) -> None:
    """What older builds left under ``.cache/link`` (another window, the incremental
    linker's state beside a window's links) is swept; the links stay and are used."""
    params = LinkParams(window_min_notices=15)
    out = tmp_path / "out"
    first = build([years_corpus], out, cache=True, formats=("nq",), link_params=params,
                  validate=False)
    link_dir = out / ".cache" / "link"
    windows = sorted(p.name for p in link_dir.iterdir())
    assert len(windows) == len(first.reuse["windows relinked"]) >= 2
    (link_dir / windows[0] / "state.pickle").write_bytes(b"old incremental state")
    (link_dir / "window-1990").mkdir()
    again = build([years_corpus], out, cache=True, formats=("nq",), link_params=params,
                  validate=False)
    assert again.reuse["windows relinked"] == {}
    assert sorted(p.name for p in link_dir.iterdir()) == windows
    assert [q.name for q in (link_dir / windows[0]).iterdir()] == ["links.pickle"]


def test_a_new_years_notices_relink_only_the_last_window(tmp_path: Path) -> None:
    import shutil

    generate(60, 3, tmp_path / "synth", years=(2015, 2021))
    notices = tmp_path / "notices"
    newest = tmp_path / "newest"
    newest.mkdir()
    for f in sorted((tmp_path / "synth" / "notices").iterdir()):
        target = newest if f.stem.endswith("_2021") else notices
        target.mkdir(exist_ok=True)
        shutil.copy(f, target / f.name)
    params = LinkParams(window_min_notices=15)
    first = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    kept = list(first.reuse["windows relinked"])
    assert len(kept) >= 2
    for f in newest.iterdir():
        shutil.copy(f, notices / f.name)
    again = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    assert again.reuse["extracted"] == len(list(newest.iterdir()))
    build([notices], tmp_path / "full", cache=False, formats=("nq",), link_params=params,
          validate=False)
    assert (tmp_path / "out" / "qmgraph.nq").read_bytes() == \
        (tmp_path / "full" / "qmgraph.nq").read_bytes()
    # only the window the new year joins (the last one) is linked again
    # only the years of the first build's last window and the new year are linked again
    # (the last window may split in two when the new year lets its first years close)
    relinked = list(again.reuse["windows relinked"])
    start = int(kept[-1].split("–")[0])
    assert relinked and relinked[-1].endswith("2021")
    assert all(int(label.split("–")[0]) >= start for label in relinked)
    assert not set(kept[:-1]) & set(relinked)


def test_windows_are_linked_again_under_another_rapidfuzz(years_corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A window's kept links are keyed by the versions of the libraries that index and
    align its activities: after an upgrade of one, every window is linked again."""
    import importlib.metadata

    params = LinkParams(window_min_notices=15)
    out = tmp_path / "out"
    first = build([years_corpus], out, cache=True, formats=("nq",), link_params=params,
                  validate=False)
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda d: "999.0" if d == "rapidfuzz" else real(d))
    again = build([years_corpus], out, cache=True, formats=("nq",), link_params=params,
                  validate=False)
    assert list(again.reuse["windows relinked"]) == list(first.reuse["windows relinked"])


def test_a_rebuild_reads_the_facts_of_the_window_it_relinks_only(
        years_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts of an unchanged notice (its activities' texts, for the SSSOM rows) stay in
    the build state: a rebuild neither pickles nor spills them again, and reads them back
    only for the window it links again, whose notices come without their parsed blocks
    (decision 0035); the SSSOM file is that of a build without cache."""
    import shutil

    from qmgraph.spill import Spill
    from qmgraph.state import BuildState

    notices = tmp_path / "notices"
    shutil.copytree(years_corpus, notices)
    params = LinkParams(window_min_notices=15)
    first = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    spilled: list[object] = []
    asked: list[str] = []
    wholes: list[bool] = []
    put, facts_of, resolved = Spill.put, BuildState.facts_of, BuildState.resolved

    def spy_put(self: Spill, key: object, data: bytes) -> None:
        spilled.append(key)
        put(self, key, data)

    def spy_facts(self: BuildState, keys):  # type: ignore[no-untyped-def]
        keys = list(keys)
        asked.extend(keys)
        return facts_of(self, keys)

    def spy_resolved(self: BuildState, key: str, whole: bool = True):  # type: ignore[no-untyped-def]
        wholes.append(whole)
        return resolved(self, key, whole)

    monkeypatch.setattr(Spill, "put", spy_put)
    monkeypatch.setattr(BuildState, "facts_of", spy_facts)
    monkeypatch.setattr(BuildState, "resolved", spy_resolved)
    same = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                 link_params=params, validate=False)
    assert same.reuse["windows relinked"] == {}
    assert not [k for k in spilled if k[0] == "facts"] and not asked and not wholes

    last = max(notices.iterdir(), key=lambda f: (f.stem.split("_")[-1], f.name))
    text = last.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2) + 1
    last.write_text(text[:at] + "同时组织计量专家走进产业园区开展质量帮扶。" + text[at:],
                    encoding="utf-8")
    spilled.clear()
    again = build([notices], tmp_path / "out", cache=True, formats=("nq",),
                  link_params=params, validate=False)
    (label, stats), = again.reuse["windows relinked"].items()
    # the edited notice's facts only (made in this build, spilled as made)
    assert len([k for k in spilled if k[0] == "facts"]) == 1
    # read back: notices of the relinked window only, never all of the corpus
    assert 0 < len(set(asked)) < first.counts["notices"]
    assert wholes and not any(wholes)
    monkeypatch.undo()
    build([notices], tmp_path / "full", cache=False, formats=("nq",), link_params=params,
          validate=False)
    for name in ("qmgraph.nq", "mirrors.sssom.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def _linked_notice(result: BuildResult, folder: Path, doc_number: bool) -> tuple[Path, str]:
    """The file and key of a notice in UTF-8 whose activities are linked, with a doc
    number (its key does not move with its bytes) or without (keyed by a digest of its
    bytes)."""
    from qmgraph.namespaces import activity_notice

    corpus = result.corpus
    linked = {activity_notice(iri) for m in corpus.mirrors for iri in (m.source, m.target)}
    for n in corpus.notices:
        if n.key in linked and bool(n.tree.doc_number) == doc_number \
                and n.tree.source.encoding == "utf-8":
            return folder / Path(n.tree.source.path).name, n.key
    raise AssertionError("no such notice")


@pytest.mark.parametrize("doc_number", [True, False])
def test_an_edit_outside_every_activity_keeps_the_windows_links(
        years_corpus: Path, tmp_path: Path, doc_number: bool) -> None:
    """Decision 0042: an edit that moves a notice's activities in its file (and renames
    them with the notice when its key is its bytes' digest) but leaves them as linking
    reads them keeps its window's links, renamed and re-placed; the outputs are those of a
    build without cache, and the links did change."""
    import shutil

    from qmgraph.namespaces import activity_notice

    notices = tmp_path / "notices"
    shutil.copytree(years_corpus, notices)
    params = LinkParams(window_min_notices=15)
    kw = {"formats": ("nq",), "link_params": params, "validate": False}
    first = build([notices], tmp_path / "out", cache=True, **kw)
    path, key = _linked_notice(first, notices, doc_number)

    def touching(result, key: str) -> list:  # type: ignore[no-untyped-def]
        return [m for m in result.corpus.mirrors
                if key in (activity_notice(m.source), activity_notice(m.target))]

    text = path.read_text(encoding="utf-8")
    title_end = text.index("\n", text.index("质量月"))  # the title line, before any activity
    path.write_text(text[:title_end] + "（修订稿）" + text[title_end:], encoding="utf-8")
    again = build([notices], tmp_path / "out", cache=True, **kw)
    assert again.reuse["windows relinked"] == {}
    assert again.reuse["windows re-placed"] == 1
    build([notices], tmp_path / "full", cache=False, **kw)
    for name in ("qmgraph.nq", "mirrors.sssom.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()
    new_key = next(n.key for n in again.corpus.notices
                   if Path(n.tree.source.path).name == path.name)
    assert (new_key == key) == doc_number
    moved, was = touching(again, new_key), touching(first, key)
    assert moved and len(moved) == len(was) and not set(moved) & set(was)
    assert set(again.corpus.mirrors) - set(moved) == set(first.corpus.mirrors) - set(was)

    # an edit of an activity's own text links its window again, and still as a full build
    text = path.read_text(encoding="utf-8")
    act = next(a for n in again.corpus.notices if n.key == new_key for a in n.activities
               if a.text[:6] in text)
    at = text.index(act.text[:6])
    path.write_text(text[:at] + "组织" + text[at:], encoding="utf-8")
    third = build([notices], tmp_path / "out", cache=True, **kw)
    assert len(third.reuse["windows relinked"]) == 1 and third.reuse["windows re-placed"] == 0
    build([notices], tmp_path / "full", cache=False, **kw)
    for name in ("qmgraph.nq", "mirrors.sssom.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def test_a_window_whose_notices_reorder_or_change_files_is_linked_again() -> None:
    """Kept links are renamed only when the window holds the same files and its notices
    keep their IRI order (ties among candidates are broken by IRI): otherwise
    ``_moved_only`` gives None before reading any notice."""
    from types import SimpleNamespace

    from qmgraph.pipeline import _moved_only

    asm = SimpleNamespace(state=object())  # never read: each case is decided before
    before = {"a-2019-1": ("k1", "f1"), "b-2019-2": ("k2", "f2")}
    # f1's notice renamed past f2's: its activities now sort after f2's
    assert _moved_only(asm, before, {"c-2019-9": ("k9", "f1"), "b-2019-2": ("k2", "f2")}) is None
    # another file in the window
    assert _moved_only(asm, before, {"a-2019-1": ("k1", "f1"), "b-2019-2": ("k3", "f3")}) is None
    # an unchanged input under another key (keys given to copies moved)
    assert _moved_only(asm, before, {"a-2019-0": ("k1", "f1"), "b-2019-2": ("k2", "f2")}) is None
    # nothing changed: nothing moved
    assert _moved_only(asm, before, dict(before)) == {}


def test_kept_links_are_keyed_by_the_code_that_makes_and_moves_them() -> None:
    """A window's kept links are made by the linker and, since decision 0042, re-placed and
    accepted by the pipeline's ``_placed_again`` and ``_moved_only``: a state written by an
    older version of any of them must not pass for this code's (its key's code digest
    covers every module they live in)."""
    import inspect

    import qmgraph
    from qmgraph import pipeline
    from qmgraph.link.mirrors import link_activities, placed_again
    from qmgraph.link.sssom import sssom_rows

    root = Path(inspect.getsourcefile(qmgraph) or "").parent
    covered = [root / part for part in pipeline._LINK_CODE]
    for f in (link_activities, placed_again, sssom_rows, pipeline._moved_only,
              pipeline._placed_again):
        where = Path(inspect.getsourcefile(f) or "")
        assert any(where == c or c in where.parents for c in covered), f.__name__
