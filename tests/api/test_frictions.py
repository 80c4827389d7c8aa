"""The small frictions of issue #16, one test each: UTF-8 JSON, ``query --list --format``,
``build`` with no inputs outside a checkout, outputs of an earlier build, truthful hints,
CLI option names in CLI errors, and URLs without a scheme refused at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from qmgraph.cli import main

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"


def _qmgraph(*args: str, cwd: Path, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "qmgraph", *args], cwd=cwd, capture_output=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_json_output_is_utf8_whatever_the_locale(built, tmp_path: Path) -> None:
    # An ASCII stdout that escapes what it cannot encode: the old output was \\uXXXX there.
    env = {"PYTHONIOENCODING": "ascii:backslashreplace"}
    (tmp_path / "bad.txt").write_text("坏", encoding="utf-8")
    runs = [
        _qmgraph("query", "provincial-mirrors-national", "--graph", str(built.out_dir),
                 "--param", "year=2022", "--format", "json", cwd=tmp_path, env=env),
        _qmgraph("query", "--list", "--format", "json", cwd=tmp_path, env=env),
        _qmgraph("build", str(RAW / "000_1eccb1b21a9f1bb1.txt"), str(tmp_path / "bad.txt"),
                 "--out", str(tmp_path / "out"), "--json", "-q", "--keep-going", cwd=tmp_path,
                 env=env),
    ]
    runs.append(_qmgraph("parse", str(RAW / "000_1eccb1b21a9f1bb1.txt"), "--format", "json",
                         cwd=tmp_path, env=env))
    gold = REPO.parent / "shared" / "gold" / "seeds.json"
    if gold.is_file():  # the shared gold set lies beside the checkout (and in CI)
        runs.append(_qmgraph("evaluate", "--gold", str(gold), "--graph", str(built.out_dir),
                             "--json", cwd=tmp_path, env=env))
    for done in runs:
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("utf-8")  # strict: fails on anything but UTF-8
        assert "\\u" not in text
        json.loads(text)
    assert "四川省" in runs[0].stdout.decode("utf-8")
    assert "省" in runs[1].stdout.decode("utf-8")
    assert "质量月" in runs[2].stdout.decode("utf-8")  # the bad file's problem, in Chinese
    assert "四川省" in runs[3].stdout.decode("utf-8")
    if len(runs) > 4:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in runs[4].stdout.decode("utf-8"))


def test_query_list_honours_format() -> None:
    res = CliRunner().invoke(main, ["query", "--list", "--format", "json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout_bytes.decode("utf-8"))
    by_name = {q["name"]: q for q in listed}
    params = {p["name"]: p for p in by_name["provincial-mirrors-national"]["parameters"]}
    assert params["year"]["type"] == "integer" and params["year"]["default"] == "*"
    res = CliRunner().invoke(main, ["query", "--list", "--format", "csv"])
    lines = res.stdout_bytes.decode("utf-8").splitlines()
    assert lines[0] == "name,question,parameters" and len(lines) == len(listed) + 1
    res = CliRunner().invoke(main, ["query", "--list"])
    assert "    --param year=…  (integer, default *)" in res.output


def test_build_without_inputs_outside_a_checkout_says_what_is_missing(tmp_path: Path) -> None:
    done = _qmgraph("build", cwd=tmp_path)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "no inputs given, and no data/raw here" in err
    assert "hint: name the notice files or folders to build" in err
    assert "Traceback" not in err
    assert not (tmp_path / "data").exists()  # no empty graph written


def test_a_new_format_removes_the_previous_build_outputs(tmp_path: Path) -> None:
    import qmgraph

    out = tmp_path / "out"
    first = qmgraph.build(RAW, out=out, cache=False)
    assert first.removed == [] and (out / "qmgraph.trig").is_file()
    second = qmgraph.build(RAW, out=out, formats=["nt"], validate=False, cache=False)
    names = sorted(p.name for p in second.removed)
    assert names == ["qmgraph.trig", "qmgraph.ttl", "validation-report.ttl",
                     "validation-report.txt"]
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["mirrors.sssom.tsv",
                                                                     "qmgraph.nt"]
    # the default graph of a folder is now this build's, not an earlier TriG
    assert qmgraph.open(out).path == out / "qmgraph.nt"
    res = CliRunner().invoke(main, ["build", str(RAW), "--out", str(out), "--format", "ttl",
                                    "--no-cache", "-q"])
    assert res.exit_code == 0, res.output
    assert f"removed        {out / 'qmgraph.nt'} (an earlier build's)" in res.output
    rows = qmgraph.open(out).query("summary")
    assert qmgraph.open(out).path.name == "qmgraph.ttl" and len(rows) > 0


def test_hints_say_what_happened(tmp_path: Path) -> None:
    # a query that cannot reach its endpoint promises nothing about loading
    res = CliRunner().invoke(main, ["query", "summary", "--endpoint",
                                    "http://127.0.0.1:9/query", "--timeout", "2"])
    assert res.exit_code == 2
    assert "half-loaded" not in res.output and "hint: is the endpoint running" in res.output
    # every input failed: nothing was built, and the message does not say otherwise
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是通知。", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(bad), "--out", str(tmp_path / "o"), "-q",
                                    "--no-cache"])
    assert res.exit_code == 2
    assert "others were built" not in res.output
    assert "1 input(s) failed and no notice was built" in res.output
    # some failed: the others were built, and the message counts them
    res = CliRunner().invoke(main, ["build", str(bad), str(RAW / "000_1eccb1b21a9f1bb1.txt"),
                                    "--out", str(tmp_path / "o2"), "-q", "--no-cache"])
    assert res.exit_code == 2
    assert "1 input(s) failed; the 1 other notice(s) were built" in res.output


def test_cli_errors_name_cli_options_not_python_arguments(built) -> None:
    res = CliRunner().invoke(main, ["push", "--graph", str(built.out_dir), "--store",
                                    "http://127.0.0.1:9/somewhere", "--retries", "0"])
    assert res.exit_code == 2
    assert "verify=False" not in res.output and "query_endpoint" not in res.output
    assert "--query-endpoint URL" in res.output and "--no-verify" in res.output


def test_a_url_without_scheme_is_refused_at_once(built) -> None:
    for args in (["push", "--graph", str(built.out_dir), "--store", "127.0.0.1:9/store"],
                 ["push", "--graph", str(built.out_dir), "--store", "localhost:7878/store",
                  "--no-verify"],
                 ["query", "summary", "--endpoint", "127.0.0.1:7878/query"]):
        t0 = time.monotonic()
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2, res.output
        assert "is not an http:// or https:// URL" in res.output
        assert "hint: give the whole URL, e.g. http://127.0.0.1:7878/store" in res.output
        assert "attempt" not in res.output
        assert time.monotonic() - t0 < 1.5  # the default backoff would take 3.5 s


def test_build_copies_nothing_outside_out(tmp_path: Path) -> None:
    """``build`` from another folder reads the packaged tables, not the cwd's data/."""
    shutil.copytree(RAW, tmp_path / "raw")
    done = _qmgraph("build", "raw", "--out", "o", "-q", "--no-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o", "raw"]
