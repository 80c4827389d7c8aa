"""Synthetic corpora: determinism, parseability, and identical builds with cache and jobs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qmgraph.cache import NoticeCache
from qmgraph.pipeline import build, extract_paths
from qmgraph.synth import SynthTruth, generate, score_structure


def _digests(folder: Path) -> dict[str, str]:
    """Every output file's digest; the store (``qmgraph.oxigraph``: a database whose
    files differ from run to run, its content tested equal to the graph in tests/store)
    is left out."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and p.relative_to(folder).parts[0] != "qmgraph.oxigraph"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(20, 3, out)
    return out


@pytest.fixture(scope="module")
def plain_build(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("plain")
    return build([corpus / "notices"], out, validate=False, formats=("nt",)), out


def test_same_seed_same_files(corpus: Path, tmp_path: Path) -> None:
    generate(20, 3, tmp_path)
    assert _digests(tmp_path) == _digests(corpus)


def test_other_seed_other_files(corpus: Path, tmp_path: Path) -> None:
    generate(20, 4, tmp_path)
    assert _digests(tmp_path) != _digests(corpus)


def test_truth_is_consistent(corpus: Path) -> None:
    truth = SynthTruth.load(corpus / "truth.json")
    assert len(truth.notices) == 20
    files = {p.name for p in (corpus / "notices").iterdir()}
    assert {n.file for n in truth.notices} == files
    ids = {a.id for a in truth.activities}
    assert truth.mirrors and all(lo in ids and hi in ids for lo, hi, _ in truth.mirrors)
    assert {n.script for n in truth.notices} | {n.encoding for n in truth.notices} >= {"simplified"}


def test_corpus_builds_and_parses(corpus: Path, plain_build) -> None:
    result, _ = plain_build
    assert not result.failed_inputs
    s = score_structure(result.corpus, SynthTruth.load(corpus / "truth.json"))
    assert s.found_notices == 20
    assert s.block_recall >= 0.9
    assert s.place_ok == 20 and s.year_ok == 20


def test_jobs_and_cache_give_identical_output(corpus: Path, plain_build, tmp_path: Path) -> None:
    _, plain_out = plain_build
    cache = NoticeCache(tmp_path / "cache")
    kw = {"validate": False, "formats": ("nt",)}
    cold = build([corpus / "notices"], tmp_path / "cold", cache=cache, **kw)
    assert cache.misses == 20 and cache.hits == 0 and cold.reuse["records"] == 0
    warm = build([corpus / "notices"], tmp_path / "warm", cache=cache, **kw)
    # the warm build reuses each notice's record: nothing is extracted again
    assert warm.reuse["records"] == 20 and warm.reuse["extracted"] == 0
    build([corpus / "notices"], tmp_path / "jobs", jobs=2, **kw)
    want = _digests(plain_out)
    for name in ("cold", "warm", "jobs"):
        assert _digests(tmp_path / name) == want, name


def test_corrupt_cache_entry_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    paths = sorted((corpus / "notices").iterdir())[:2]
    cache = NoticeCache(tmp_path)
    first, _ = extract_paths(paths, cache=cache)
    for f in cache.dir.rglob("*.pickle"):
        f.write_bytes(b"not a pickle")
    again = NoticeCache(tmp_path)
    second, problems = extract_paths(paths, cache=again)
    assert again.hits == 0 and again.misses == 2
    assert [e.tree.source.text for e in second] == [e.tree.source.text for e in first]
    assert not [p for p in problems if p.fatal]


def test_jobs_keep_input_order(corpus: Path) -> None:
    paths = sorted((corpus / "notices").iterdir())[:6]
    seq, _ = extract_paths(paths)
    par, _ = extract_paths(paths, jobs=2)
    assert [e.tree.source.path for e in par] == [e.tree.source.path for e in seq]


def test_copies_come_from_the_nearest_higher_notice(corpus: Path) -> None:
    """A notice copies from its parent's notice when the corpus has one (the nation only
    when no nearer notice of that year exists), so the truth's direct source is the one a
    reader of the text would name; place blocks copy their own notice."""
    from qmgraph.lexicon.places import Gazetteer

    gaz = Gazetteer.load()
    truth = SynthTruth.load(corpus / "truth.json")
    notices = {n.file: n for n in truth.notices}
    have = {(n.year, n.place) for n in truth.notices}
    for low, high, _ in truth.mirrors:
        lo, hi = notices[low.split("#")[0]], notices[high.split("#")[0]]
        if lo.file == hi.file:
            continue
        nearest = next(a.code or "cn" for a in gaz.ancestors(lo.place)
                       if (lo.year, a.code or "cn") in have)
        assert hi.place == nearest, (low, high)


def test_years_spread_a_corpus_over_a_span(tmp_path: Path) -> None:
    from qmgraph.synth.generate import year_counts

    counts = year_counts(1000, 20)
    assert sum(counts) == 1000 and len(counts) == 20
    assert counts == sorted(counts) and counts[-1] > 5 * counts[0]  # more in later years
    truth = generate(60, 3, tmp_path, years=(2005, 2010))
    years = {n.year for n in truth.notices}
    assert years == set(range(2005, 2011))
    # a mirror never crosses a year: every derivation stays within its year
    by_file = {n.file: n.year for n in truth.notices}
    assert all(by_file[truth.activity(lo).file] == by_file[truth.activity(hi).file]
               for lo, hi, _ in truth.mirrors)
    with pytest.raises(ValueError):
        generate(5, 3, tmp_path / "x", years=(2024, 2005))


def test_years_option_of_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qmgraph.cli import main

    r = CliRunner().invoke(main, ["synth", "--notices", "30", "--years", "2019-2021",
                                  "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert {n.year for n in SynthTruth.load(tmp_path / "truth.json").notices} == {2019, 2020, 2021}
    bad = CliRunner().invoke(main, ["synth", "--years", "twenty", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "span of years" in bad.output


def test_more_documents_than_places_in_a_year(tmp_path: Path, monkeypatch) -> None:
    """A year asking for more documents than it has places: places publish again (prose:
    one formal notice a place a year), after every place's first document, and the build
    keeps every one of them."""
    from qmgraph.lexicon.places import Gazetteer
    from qmgraph.synth.generate import _Gen

    gen = _Gen(3, Gazetteer.load())
    plan = gen.plan(9000, (2023, 2023))
    assert len(plan) == 9000
    firsts: list = []
    for _year, j in plan:
        if j not in firsts:
            firsts.append(j)
    n = len(firsts)
    assert n < 9000 and plan[:n] == [(2023, j) for j in firsts]  # every place once first
    assert plan[n:] == [(2023, firsts[k % n]) for k in range(9000 - n)]

    real_plan = _Gen.plan

    def twice(self, count, years=None):  # a 12-document year of 6 places, each twice
        first = real_plan(self, 6, years)
        return first + first

    monkeypatch.setattr(_Gen, "plan", twice)
    truth = generate(12, 5, tmp_path, years=(2023, 2023), prose_share=0.0)
    assert len(truth.notices) == 12
    genres = [t.genre for t in truth.notices]
    assert genres[:6] == ["notice"] * 6 and "notice" not in genres[6:]
    # a later document copies nothing its place's first one copied
    by_file = {t.file: i for i, t in enumerate(truth.notices)}
    copied: dict[int, set[str]] = {}
    for lo, hi, _ in truth.mirrors:
        copied.setdefault(by_file[truth.activity(lo).file], set()).add(hi)
    for i in range(6):
        assert not copied.get(i, set()) & copied.get(i + 6, set())
    res = build([tmp_path / "notices"], tmp_path / "out", formats=("nt",))
    assert res.counts["notices"] == 12
    # a place's documents of a year state one theme (its edition has at most one: QM-ED-005)
    assert res.violations == 0, res.report_text
