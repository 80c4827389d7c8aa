"""Incremental builds: a rebuild with the build cache gives byte-for-byte the outputs of a
build without it, whatever changed in between (docs/decisions/0011)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qmgraph.pipeline import build, resolve_paths
from qmgraph.synth import generate

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
OUTPUTS = ("qmgraph.trig", "qmgraph.ttl", "qmgraph.nq", "mirrors.sssom.tsv",
           "validation-report.txt", "validation-report.ttl")
FORMATS = ("trig", "ttl", "nq")


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS if (folder / name).exists()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds plus a synthetic corpus: 30 notices over several levels and years."""
    root = tmp_path_factory.mktemp("inc")
    generate(25, 7, root / "synth")
    notices = root / "notices"
    shutil.copytree(root / "synth" / "notices", notices)
    for f in RAW.iterdir():
        if f.is_file() and not f.name.startswith("README"):
            shutil.copy(f, notices / f.name)
    return notices


def _check(notices: Path, work: Path) -> dict:
    """Rebuild ``notices`` with the cache in ``work/out``; compare with a cache-less build."""
    inc = build([notices], work / "out", cache=True, formats=FORMATS)
    full = build([notices], work / "full", cache=False, formats=FORMATS)
    assert _outputs(work / "out") == _outputs(work / "full")
    assert inc.summary() == full.summary()
    assert [str(p) for p in inc.problems] == [str(p) for p in full.problems]
    return inc.reuse


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _city_notice(notices: Path) -> Path:
    for f in sorted(notices.iterdir()):
        parts = f.stem.split("_")
        if len(parts) == 3 and parts[1].endswith("00") and not parts[1].endswith("0000"):
            try:
                f.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            return f
    raise AssertionError("no UTF-8 city notice in the corpus")


def test_rebuilds_equal_full_builds(corpus: Path, tmp_path: Path) -> None:
    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    first = _check(notices, tmp_path)
    assert first["records"] == 0

    # nothing changed: everything is reused
    again = _check(notices, tmp_path)
    assert again["extracted"] == 0 and again["records"] == len(list(notices.iterdir()))

    # one city notice edited: only it is extracted again
    city = _city_notice(notices)
    text = city.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2) + 1
    city.write_text(text[:at] + "同时组织计量专家走进产业园区开展质量帮扶。" + text[at:],
                    encoding="utf-8")
    edited = _check(notices, tmp_path)
    assert edited["extracted"] == 1

    # the national seed (traditional script) edited: lower notices' links may change
    national = notices / "004_f4add9d44e257720.txt"
    _edit(national, "質量", "品質")
    _check(notices, tmp_path)

    # a provincial notice removed, then added back
    moved = tmp_path / "moved.txt"
    shutil.move(notices / "000_1eccb1b21a9f1bb1.txt", moved)
    _check(notices, tmp_path)
    shutil.move(moved, notices / "000_1eccb1b21a9f1bb1.txt")
    _check(notices, tmp_path)

    # a duplicate copy (same text, another file) is kept once in both builds
    shutil.copy(notices / "002_9430d09607fe0a64.txt", notices / "002-copy.txt")
    _check(notices, tmp_path)


def test_corrupt_cache_entries_are_rebuilt(corpus: Path, tmp_path: Path) -> None:
    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    _check(notices, tmp_path)
    cache = tmp_path / "out" / ".cache"
    for sub in ("records", "chunks", "blocks", "link", "outputs"):
        files = sorted(p for p in (cache / sub).rglob("*") if p.is_file())
        assert files, sub
        for f in files[: max(1, len(files) // 3)]:
            f.write_bytes(b"garbage")
    # the incremental validator's state that older versions kept is swept, never read
    (cache / "validate" / "chunks").mkdir(parents=True)
    (cache / "validate" / "state.json").write_bytes(b"garbage")
    _check(notices, tmp_path)
    assert not (cache / "validate").exists()


def test_records_kept_in_year_packs_and_lost_notices_made_again(corpus: Path, tmp_path: Path
                                                                ) -> None:
    """Records are kept one pack per year (decision 0029): a rebuild after one edit writes
    its year's pack only; a notice whose record was kept but whose ``ResolvedNotice`` file
    is gone is extracted and resolved again, not a failed build."""
    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    _check(notices, tmp_path)
    records = next((tmp_path / "out" / ".cache" / "records").iterdir())
    packs = {p.name: p.stat().st_mtime_ns for p in (records / "packs").iterdir()}
    assert len(packs) > 1
    assert not list(records.rglob("*.record.pickle"))  # no file per input any more
    city = _city_notice(notices)
    _edit(city, "。", "，并开展质量帮扶。")
    for f in records.rglob("*.resolved.pickle"):
        f.unlink()
    again = _check(notices, tmp_path)
    assert again["extracted"] == 1
    after = {p.name: p.stat().st_mtime_ns for p in (records / "packs").iterdir()}
    assert len(set(after) - set(packs)) == 1 and len(set(packs) - set(after)) == 1
    assert all(after[n] == t for n, t in packs.items() if n in after)


def test_a_damaged_record_pack_is_written_again(corpus: Path, tmp_path: Path) -> None:
    """A pack that does not read is a miss for its records, and the next build packs them
    anew: the one after it reads every record again (nothing re-extracted)."""
    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    _check(notices, tmp_path)
    records = next((tmp_path / "out" / ".cache" / "records").iterdir())
    damaged = sorted((records / "packs").iterdir())[0]
    damaged.write_bytes(b"garbage")
    again = _check(notices, tmp_path)
    assert again["extracted"] > 0 and again["records"] > 0
    assert not damaged.exists() or damaged.read_bytes() != b"garbage"
    assert _check(notices, tmp_path)["extracted"] == 0


def test_a_damaged_record_in_a_sound_pack_is_packed_again(corpus: Path, tmp_path: Path
                                                          ) -> None:
    """One entry of a pack that does not unpickle is a miss; the record made again replaces
    it, though the pack's inputs are the same: the next build re-extracts nothing."""
    import pickle

    from qmgraph.cache import unseal, write_sealed

    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    _check(notices, tmp_path)
    records = next((tmp_path / "out" / ".cache" / "records").iterdir())
    pack_file = sorted((records / "packs").iterdir())[0]
    pack = pickle.loads(unseal(pack_file.read_bytes()))
    pack[sorted(pack)[0]] = b"not a pickle"
    write_sealed(pack_file, pickle.dumps(pack))
    assert _check(notices, tmp_path)["extracted"] == 1
    assert _check(notices, tmp_path)["extracted"] == 0


def test_rebuild_of_known_texts_does_not_load_pinyin(corpus: Path, tmp_path: Path) -> None:
    """pypinyin takes 0.3 s to load: a rebuild after an edit that brings no new name or
    doc number takes the slugs and pinyin words from the build state instead."""
    import subprocess
    import sys

    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)
    build([notices], tmp_path / "out", cache=True, formats=("nq",))
    city = _city_notice(notices)
    text = city.read_text(encoding="utf-8")
    at = text.index("。", len(text) // 2) + 1
    city.write_text(text[:at] + "同时组织计量专家走进产业园区开展质量帮扶。" + text[at:],
                    encoding="utf-8")
    script = (
        "import sys\n"
        "from qmgraph.pipeline import build\n"
        f"r = build([{str(notices)!r}], {str(tmp_path / 'out')!r}, cache=True, formats=('nq',))\n"
        "print(r.reuse['extracted'], 'pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["1", "False"]


def test_failed_report_write_then_rebuild(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """A cached build whose validation report cannot be written fails; the next build
    works and matches a full one."""
    import qmgraph.pipeline as pipeline

    notices = tmp_path / "notices"
    shutil.copytree(corpus, notices)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "_report_turtle", disk_full)
        with pytest.raises(OSError, match="No space"):
            build([notices], tmp_path / "out", cache=True, formats=FORMATS)
    _check(notices, tmp_path)


def test_a_kept_notice_reads_back_whole_or_without_its_blocks(corpus: Path, tmp_path: Path
                                                             ) -> None:
    """The build state keeps a notice in two parts (decision 0035): read whole it is the
    notice resolved from its file; read for linking it has no parsed blocks, the same
    activities and source."""
    from qmgraph.cache import NoticeCache
    from qmgraph.pipeline import expand_inputs
    from qmgraph.state import BuildState

    _check(corpus, tmp_path)
    state = BuildState(tmp_path / "out" / ".cache")
    plain = {Path(n.tree.source.path).name: n for n in resolve_paths([corpus]).notices}
    checked = 0
    for path in expand_inputs([corpus]):
        n = plain.get(path.name)
        if n is None or not n.tree.blocks:
            continue
        key = NoticeCache.key(path, path.read_bytes())
        whole, slim = state.resolved(key), state.resolved(key, whole=False)
        if whole is None or whole.key != n.key:
            continue  # re-keyed: compared under its first key elsewhere
        whole.implements = n.implements
        assert whole == n
        assert slim.tree.blocks == [] and slim.extracted.activities == []
        assert slim.activities == n.activities and slim.tree.source == n.tree.source
        checked += 1
    assert checked > 3
