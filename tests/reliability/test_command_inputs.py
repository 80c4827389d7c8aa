"""Every command that reads a file, fed every class of bad input, ends with one named
error on stderr and exit code 2 — never a traceback.

One parametrised test over commands × bad-input classes, and hypothesis over the bytes of
the file. "Unreadable" is real, not simulated: the file (or folder) is ``chmod 000``; when
the tests run as root, who reads anything, that cell runs the command in a subprocess as
user ``nobody`` (``setpriv``), and is skipped when that is not possible.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmgraph.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "data" / "raw").glob("002_*.txt"))
GOLD = {"documents": []}

# --------------------------------------------------------------------------- inputs

#: Contents of a well-formed file of each kind (used to make "wrong format" files).
GOOD = {
    "notice": SEED.read_bytes(),
    "graph": b"@prefix : <https://example.org/> .\n:a :b :c .\n",
    "json": b'{"documents": []}\n',
    "query": b"SELECT ?s WHERE { ?s ?p ?o }\n",
}
SUFFIX = {"notice": ".txt", "graph": ".ttl", "json": ".json", "query": ".rq"}
#: For each kind, a well-formed file of another kind (right suffix, wrong content).
OTHER = {"notice": "graph", "graph": "json", "json": "graph", "query": "json"}
#: For each kind, a file cut short or broken inside.
MALFORMED = {
    "notice": "关于开展“质量月”活动的通知\n".encode() + b"\x00\x01" * 8 + "一、".encode("gb18030"),
    "graph": b'@prefix : <https://example.org/> .\n:a :b "no end\n',
    "json": b'{"documents": [{"notice": ',
    "query": b"SELECT ?s WHERE { ?s ?p \n",
}
BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8

CLASSES = ("missing", "empty", "binary", "wrong-format", "malformed", "unreadable-file",
           "unreadable-folder")


def make_input(cls: str, kind: str, where: Path) -> Path:
    """A bad input of class ``cls`` for an argument of ``kind``, inside ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"input{SUFFIX[kind]}"
    if cls == "missing":
        return path
    if cls == "unreadable-folder":
        folder = where / "locked"
        folder.mkdir()
        (folder / path.name).write_bytes(GOOD[kind])
        folder.chmod(0)
        return folder
    path.write_bytes({"empty": b"", "binary": BINARY, "wrong-format": GOOD[OTHER[kind]],
                      "malformed": MALFORMED[kind], "unreadable-file": GOOD[kind]}[cls])
    if cls == "unreadable-file":
        path.chmod(0)
    return path


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Command:
    """A command line with one file argument of ``kind`` that the test fills in."""

    kind: str
    argv: Callable[[Path, Path, Path], list[str]]  # (bad input, seed graph, scratch dir)
    #: the argument is a folder holding the file (the file's folder is passed)
    folder_arg: bool = False


COMMANDS: dict[str, Command] = {
    "build": Command("notice", lambda p, g, t: ["build", str(p), "--out", str(t / "o"), "-q",
                                                "--no-validate", "--no-cache"]),
    "build-folder": Command("notice", lambda p, g, t: ["build", str(p), "--out", str(t / "o"),
                                                       "-q", "--no-validate", "--no-cache"],
                            folder_arg=True),
    "parse": Command("notice", lambda p, g, t: ["parse", str(p)]),
    "evaluate --gold": Command("json", lambda p, g, t: ["evaluate", "--gold", str(p),
                                                        "--graph", str(g)]),
    "evaluate --graph": Command("graph", lambda p, g, t: ["evaluate", "--gold", str(t / "gold.json"),
                                                          "--graph", str(p)]),
    "validate": Command("graph", lambda p, g, t: ["validate", "--graph", str(p)]),
    "validate --shapes": Command("graph", lambda p, g, t: ["validate", "--graph", str(g),
                                                           "--shapes", str(p)], folder_arg=True),
    "query --graph": Command("graph", lambda p, g, t: ["query", "summary", "--graph", str(p)]),
    "query FILE": Command("query", lambda p, g, t: ["query", str(p), "--graph", str(g)]),
    "push": Command("graph", lambda p, g, t: ["push", "--store", "http://127.0.0.1:9/store",
                                              "--graph", str(p), "--retries", "0"]),
    "viz": Command("graph", lambda p, g, t: ["viz", "--graph", str(p), "--html",
                                             str(t / "v.html")]),
    "export tables": Command("graph", lambda p, g, t: ["export", "tables", "--graph", str(p),
                                                       "--out", str(t / "tables")]),
    "synth-score": Command("json", lambda p, g, t: ["synth-score", str(p)], folder_arg=True),
}


def _prepare(name: str, cls: str, tmp: Path) -> tuple[Command, Path]:
    cmd = COMMANDS[name]
    (tmp / "gold.json").write_bytes(GOOD["json"])
    where = tmp / "in"
    bad = make_input(cls, cmd.kind, where)
    if name == "synth-score" and bad.is_file():  # the folder's truth.json is the bad file
        bad.rename(where / "truth.json")
        (where / "notices").mkdir()
    if name == "build-folder" and cls != "missing":  # a good notice beside the bad one
        shutil.copy(SEED, where / "good.txt")
        return cmd, where  # an unreadable sub-folder is an input that failed, not skipped
    if cmd.folder_arg and cls != "unreadable-folder":
        return cmd, where if cls != "missing" else where / "nowhere"
    return cmd, bad


_AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@functools.lru_cache(maxsize=1)
def _nobody_can_run_qmgraph() -> bool:
    """Whether user nobody can start this Python and import qmgraph (not when the checkout
    or the virtualenv lies in a folder only root may enter)."""
    if shutil.which("setpriv") is None:
        return False
    try:
        done = subprocess.run([*_AS_NOBODY, sys.executable, "-c", "import qmgraph.cli"],
                              capture_output=True, timeout=120, cwd="/")
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _as_nobody(argv: list[str], tmp: Path) -> subprocess.CompletedProcess:
    """Run ``qmgraph ARGV`` as user nobody in ``tmp`` (made reachable and writable for it;
    the locked input stays locked)."""
    for p in [tmp, *tmp.rglob("*")]:
        if p.stat().st_mode & 0o777:
            p.chmod(p.stat().st_mode | stat.S_IROTH | stat.S_IWOTH | stat.S_IXOTH)
    return subprocess.run([*_AS_NOBODY, sys.executable, "-m", "qmgraph", *argv], capture_output=True,
                          text=True, timeout=300, cwd=tmp, env={**os.environ, "HOME": str(tmp)})


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder user nobody can reach (pytest's own tmp folders are private to
    their owner, root included)."""
    d = Path(tempfile.mkdtemp(prefix="qmgraph-inputs-"))
    d.chmod(0o755)
    yield d
    for p in d.rglob("*"):
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_bad_input_gives_one_named_error_and_exit_2(name: str, cls: str, scratch: Path,
                                                    seed_graph: Path) -> None:
    graph = scratch / "seed.trig"  # a good graph, for the commands that need one beside
    shutil.copy(seed_graph, graph)
    cmd, bad = _prepare(name, cls, scratch)
    argv = cmd.argv(bad, graph, scratch)
    if cls.startswith("unreadable") and os.geteuid() == 0:
        if not _nobody_can_run_qmgraph():
            pytest.skip("root reads any file, and qmgraph cannot be run as nobody here "
                        "(no setpriv, or a checkout only root may enter)")
        done = _as_nobody(argv, scratch)
        code, err = done.returncode, done.stderr
    else:
        res = CliRunner().invoke(main, argv)
        assert res.exception is None or isinstance(res.exception, SystemExit), \
            f"traceback: {res.exception!r}"
        code, err = res.exit_code, res.stderr
    assert "Traceback" not in err, err
    assert code == 2, (code, err)
    errors = [ln for ln in err.splitlines() if ln.startswith(("error:", "Error:"))]
    assert len(errors) == 1, err
    named = {bad.name, "truth.json", "locked"}
    assert any(n in errors[0] for n in named), err


# --------------------------------------------------------------------------- hypothesis

_FUZZ = {
    "parse": ("notice", lambda p, g, t: ["parse", str(p)]),
    "evaluate --gold": ("json", COMMANDS["evaluate --gold"].argv),
    "validate": ("graph", COMMANDS["validate"].argv),
    "query --graph": ("graph", COMMANDS["query --graph"].argv),
}


@pytest.mark.parametrize("name", list(_FUZZ))
def test_any_file_content_ends_without_a_traceback(name: str, tmp_path: Path,
                                                   seed_graph: Path) -> None:
    kind, argv = _FUZZ[name]
    (tmp_path / "gold.json").write_bytes(GOOD["json"])
    path = tmp_path / f"fuzz{SUFFIX[kind]}"
    seeds = st.sampled_from([GOOD[kind], MALFORMED[kind], BINARY, GOOD[OTHER[kind]]])

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=300),
                     st.tuples(seeds, st.integers(0, 400), st.binary(max_size=8)).map(
                         lambda t: t[0][: t[1]] + t[2])))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        res = CliRunner().invoke(main, argv(path, seed_graph, tmp_path))
        assert res.exception is None or isinstance(res.exception, SystemExit), \
            f"{data!r}: {res.exception!r}"
        assert res.exit_code in (0, 1, 2), res.exit_code
        if res.exit_code == 2:
            assert res.stderr.startswith("error:") and path.name in res.stderr.splitlines()[0], \
                res.stderr

    run()
