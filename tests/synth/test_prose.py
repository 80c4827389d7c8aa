"""Synthetic prose documents (press releases, meeting reports, work summaries): the mix,
their truth, and that the extractor reads them as the truth says."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rapidfuzz import fuzz

from qmgraph.pipeline import build
from qmgraph.synth import SynthTruth, generate, score_links, score_structure

N = 30


@pytest.fixture(scope="module")
def corpus(prose_corpus: Path) -> Path:
    return prose_corpus


@pytest.fixture(scope="module")
def truth(prose_truth: SynthTruth) -> SynthTruth:
    return prose_truth


@pytest.fixture(scope="module")
def built(prose_built):
    return prose_built[0]


def _prose(truth: SynthTruth):
    return [n for n in truth.notices if n.genre != "notice"]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_corpus_has_every_genre_level_and_script(corpus: Path, truth: SynthTruth) -> None:
    prose = _prose(truth)
    assert {n.genre for n in prose} == {"press-release", "meeting-report", "work-report", "slogans"}
    assert {n.level for n in prose} == {"national", "provincial", "prefectural", "county"}
    assert {n.script for n in prose} == {"simplified", "traditional"}
    assert "gb18030" in {n.encoding for n in prose}
    assert any("。二是" in (corpus / "notices" / n.file).read_bytes().decode(n.encoding)
               for n in prose if n.genre == "work-report")
    assert all(n.blocks == [] for n in prose)
    assert all(bool(n.slogans) == (n.genre == "slogans") for n in prose)
    assert all(n.not_activities for n in prose if n.genre != "slogans")


def test_default_share_and_its_option(tmp_path: Path) -> None:
    truth = generate(200, 2, tmp_path / "d")
    share = sum(n.genre != "notice" for n in truth.notices) / len(truth.notices)
    assert 0.28 <= share <= 0.45
    assert Counter(n.genre for n in truth.notices)["press-release"] > share * 200 / 3
    assert {n.genre for n in generate(12, 2, tmp_path / "n", prose_share=0).notices} == {"notice"}
    assert "notice" not in {n.genre for n in generate(12, 2, tmp_path / "p", prose_share=1).notices}
    with pytest.raises(ValueError):
        generate(5, 2, tmp_path / "x", prose_share=1.5)


def test_every_report_reports_an_activity(tmp_path: Path) -> None:
    # More documents in a year than places: places publish again, and a later report may
    # draw only activities its place's first document already copied. At this size and
    # seed the generator once wrote a work summary of its intro alone, which a build keeps
    # once as the same document as the place's other summary (a copy cut short).
    truth = generate(4000, 1, tmp_path / "c", prose_share=0.9, years=(2024, 2024))
    reported = Counter(a.file for a in truth.activities)
    empty = [n.file for n in truth.notices if n.genre != "slogans" and not reported[n.file]]
    assert empty == []


def test_same_seed_and_share_same_files(corpus: Path, tmp_path: Path) -> None:
    def digests(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    generate(N, 4, tmp_path, prose_share=0.5)
    assert digests(tmp_path) == digests(corpus)


def test_release_reads_like_a_release(corpus: Path, truth: SynthTruth) -> None:
    """Headline, byline, a lead naming the joint organizers, running text, page residue."""
    release = next(n for n in _prose(truth) if n.genre == "press-release"
                   and n.script == "simplified" and n.encoding == "utf-8")
    text = (corpus / "notices" / release.file).read_text(encoding="utf-8")
    assert "质量月" in text.splitlines()[0] + text.splitlines()[1]
    assert re.search(r"(来源|发布时间|发布日期)：", text)
    assert re.search(r"等\d+(?:个部门|家单位)", text)
    assert not re.search(r"^[一二三四五六七八九十]、", text, re.M)  # no numbered sections


def test_truth_of_prose_activities(truth: SynthTruth) -> None:
    prose = {n.file for n in _prose(truth)}
    acts = [a for a in truth.activities if a.file in prose]
    assert acts and all(a.block == "" for a in acts)
    # every prose document has its own launch or meeting as an activity
    assert {a.file for a in acts if a.id.endswith("#lead.0")} == \
        {n.file for n in _prose(truth) if n.genre in ("press-release", "meeting-report")}
    by = {a.id: a for a in truth.activities}
    # lineage both ways: prose copying a higher document, and documents copying prose
    assert any(by[lo].file in prose and by[lo].file != by[hi].file for lo, hi, _ in truth.mirrors)
    assert any(by[hi].file in prose and by[lo].file != by[hi].file for lo, hi, _ in truth.mirrors)
    for lo, _hi, _ in truth.mirrors:
        if by[lo].file in prose and by[lo].campaign:
            assert by[lo].campaign in by[lo].text


def _assert_found_as_truth(truth: SynthTruth, built) -> None:
    assert not built.failed_inputs
    got = {Path(n.tree.source.path).name: n for n in built.corpus.notices}
    for tn in truth.notices:
        rn = got[tn.file]
        place = (rn.jurisdiction.code or "cn") if rn.jurisdiction else None
        assert (place, rn.level, rn.year, rn.tree.genre) == \
            (tn.place, tn.level, tn.year, tn.genre), tn.file
        if tn.organizer_count is not None:
            assert rn.tree.organizer_count == tn.organizer_count, tn.file


def test_prose_documents_build_at_their_place_level_year_genre(truth: SynthTruth, built) -> None:
    _assert_found_as_truth(truth, built)


def _said_only_in_text(truth: SynthTruth, root: Path) -> set[str]:
    """Which hard cases the releases of a corpus hold: no place in the headline, a national
    release without 全国 or a national body in its headline, a year only in the byline."""
    cases: set[str] = set()
    for n in truth.notices:
        if n.genre != "press-release" or n.script != "simplified":
            continue
        raw = (root / "notices" / n.file).read_bytes()
        text = raw.decode(n.encoding)
        lines = [ln for ln in text.splitlines() if ln.strip()
                 and not re.match(r"^(首页|当前位置|您现在的位置)", ln)]
        head = lines[0]
        if n.place != "cn" and not re.search(r"[省市县区州盟旗]", head.split("“")[0]):
            cases.add("placeless")
        if n.place == "cn" and not re.search(r"全国|总局", head):
            cases.add("national-lead")
        if all("来源" in ln for ln in lines if re.search(r"20\d\d年", ln)):
            cases.add("year-in-byline")
    return cases


def test_place_and_year_said_only_in_the_text(tmp_path: Path) -> None:
    """Small all-prose corpora whose releases include a headline without a place (the lead
    says "2021年XX县“质量月”"), one without a year (the byline's date says it) and a
    national one without 全国 ("…活动在京启动": the national body acting in the lead), and
    slogan pages."""
    cases: set[str] = set()
    for seed in (33, 39):
        root = tmp_path / str(seed)
        truth = generate(6, seed, root / "c", prose_share=1)
        built = build([root / "c" / "notices"], root / "o", validate=False, formats=("nt",))
        _assert_found_as_truth(truth, built)
        s = score_structure(built.corpus, truth)
        assert s.leaks == 0 and s.slogans_found == s.slogans_expected
        cases |= _said_only_in_text(truth, root / "c")
        cases |= {"slogans"} if s.slogans_expected else set()
    assert cases == {"placeless", "national-lead", "year-in-byline", "slogans"}


def test_prose_activities_are_the_truths(truth: SynthTruth, built) -> None:
    """Every activity sentence of the truth is found, and nothing else becomes one."""
    got = {Path(n.tree.source.path).name: [_squeeze(a.text) for a in n.activities]
           for n in built.corpus.notices}
    for tn in _prose(truth):
        want = [_squeeze(a.text) for a in truth.activities if a.file == tn.file]
        for w in want:
            assert any(fuzz.ratio(w, g) >= 90 for g in got[tn.file]), (tn.file, w)
        for g in got[tn.file]:
            assert any(fuzz.ratio(w, g) >= 90 for w in want), (tn.file, g)


def test_background_and_speech_never_activities(truth: SynthTruth, built) -> None:
    got = {Path(n.tree.source.path).name: [_squeeze(a.text) for a in n.activities]
           for n in built.corpus.notices}
    kinds = Counter()
    for tn in _prose(truth):
        for s in map(_squeeze, tn.not_activities):
            kinds["background" if "质量月”活动是" in s or "始于" in s or "旨在" in s
                  or "每年9月" in s else
                  "speech" if re.search(r"强调|指出|表示|要求|讲话", s[:16]) else "other"] += 1
            assert not any(s in g or fuzz.ratio(s, g) >= 90 for g in got[tn.file]), (tn.file, s)
    assert kinds["background"] and kinds["speech"] and kinds["other"]
    s = score_structure(built.corpus, truth)
    assert s.leaks == 0 and s.not_activities == sum(kinds.values())


def test_scoring_runs_on_the_mix(truth: SynthTruth, built) -> None:
    s = score_structure(built.corpus, truth)
    assert s.found_notices == N and s.place_ok == N and s.year_ok == N and s.genre_ok == N
    assert s.prose_notices == len(_prose(truth))
    # a meeting report counts who attends, not who organizes: only releases state a count
    assert s.counts_stated == sum(n.genre == "press-release" for n in _prose(truth))
    assert s.to_json()["genre_accuracy"] == 1.0 and s.to_json()["organizer_count_accuracy"] == 1.0
    assert s.slogans_expected and s.to_json()["slogan_recall"] == 1.0
    links = score_links(built.corpus, built.corpus.mirrors, truth).to_json()
    assert links["activities_matched"] >= 0.95
    # a floor against regressions, not a target (a 30-document corpus: few pairs)
    assert links["precision"] >= 0.7 and links["recall"] >= 0.8


def test_cli_prose_share_and_score(tmp_path: Path) -> None:
    from qmgraph.cli import main

    runner = CliRunner()
    r = runner.invoke(main, ["synth", "--notices", "8", "--seed", "4", "--prose-share", "1",
                             "--out", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert "notice" not in {n.genre for n in SynthTruth.load(tmp_path / "c" / "truth.json").notices}
    r = runner.invoke(main, ["synth-score", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert '"genre_accuracy": 1.0' in r.output and '"non_activity_leaks": 0' in r.output
