"""A Dask cluster build: a 2-worker LocalCluster gives byte-identical outputs to one
process; bad --cluster / --scheduler values and a missing dask are clear errors."""

from __future__ import annotations

import builtins
import hashlib
from pathlib import Path

import pytest

from qmgraph.cluster import ClusterSpec, connect, parse_spec
from qmgraph.errors import ClusterError, InputError
from qmgraph.pipeline import build
from qmgraph.synth import generate

pytest.importorskip("distributed")  # CI installs it (setup.cfg: the test extra)

FILES = ("qmgraph.trig", "qmgraph.nq", "mirrors.sssom.tsv", "validation-report.ttl",
         "validation-report.txt")


def _digests(out: Path) -> dict[str, str]:
    return {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in FILES}


def test_two_local_workers_build_the_same_bytes(tmp_path: Path) -> None:
    generate(40, 8, tmp_path / "synth", years=(2020, 2022))
    src = tmp_path / "synth" / "notices"
    (src / "broken.txt").write_bytes(b"\x00\x01 not a notice")  # a failure travels back too
    one = build([src], tmp_path / "one", formats=("trig", "nq"), cache=True)
    two = build([src], tmp_path / "two", formats=("trig", "nq"), cache=True, cluster="local:2")
    assert _digests(tmp_path / "one") == _digests(tmp_path / "two")
    assert [str(p) for p in one.problems] == [str(p) for p in two.problems]
    assert any(p.fatal and "broken.txt" in p.path for p in two.problems)
    # the client kept the cache: a rebuild on the cluster extracts only the failed input
    # again (failures are never cached)
    again = build([src], tmp_path / "two", formats=("trig", "nq"), cache=True,
                  cluster="local:2")
    assert again.reuse["extracted"] == 1 and _digests(tmp_path / "two") == _digests(tmp_path / "one")


def test_windows_linked_on_two_workers_give_the_same_bytes(tmp_path: Path) -> None:
    """Without a cache the workers resolve the notices (the client adds up their events)
    and link the statistics windows too, and the years are validated on them."""
    from qmgraph.link import LinkParams

    generate(40, 9, tmp_path / "synth", years=(2018, 2022))
    src = tmp_path / "synth" / "notices"
    (src / "broken.txt").write_bytes(b"\x00\x01 not a notice")  # a failure travels back too
    params = LinkParams(window_min_notices=8)  # several windows in a small corpus
    one = build([src], tmp_path / "one", formats=("trig", "nq"), link_params=params)
    two = build([src], tmp_path / "two", formats=("trig", "nq"), link_params=params,
                cluster="local:2")
    assert one.counts["mirrors"] > 0 and two.counts == one.counts
    assert _digests(tmp_path / "one") == _digests(tmp_path / "two")
    assert [str(p) for p in one.problems] == [str(p) for p in two.problems]
    assert two.reuse["validation"] == one.reuse["validation"]


@pytest.mark.parametrize(("cluster", "scheduler"), [
    ("local:0", None), ("local", None), ("tcp://h:1", None), (None, "local:2"),
    (None, "h:8786"), ("local:2", "tcp://h:8786"),
])
def test_bad_cluster_values(cluster: str | None, scheduler: str | None) -> None:
    with pytest.raises(InputError):
        parse_spec(cluster, scheduler)


def test_specs() -> None:
    assert parse_spec() is None
    assert parse_spec("local:3") == ClusterSpec(local_workers=3)
    assert str(parse_spec(None, "tcp://10.0.0.5:8786")) == "tcp://10.0.0.5:8786"


def test_missing_dask_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ClusterError, match="not installed") as err, connect(ClusterSpec(2)):
        pass
    assert "qmgraph[cluster]" in err.value.hint


def test_unreachable_scheduler(tmp_path: Path) -> None:
    from qmgraph.query.serve import free_port

    spec = ClusterSpec(scheduler=f"tcp://127.0.0.1:{free_port()}")
    with pytest.raises(ClusterError, match="cannot start or reach"), connect(spec):
        pass


def test_the_cli_words_a_cluster_failure_like_any_other_error(tmp_path: Path) -> None:
    """ClusterError is one of qmgraph.errors' typed errors: exit 2, one error line, a hint."""
    from click.testing import CliRunner

    from qmgraph import cluster, errors
    from qmgraph.cli import main
    from qmgraph.query.serve import free_port

    assert cluster.ClusterError is errors.ClusterError  # still importable where it was
    generate(2, 1, tmp_path / "synth", years=(2021, 2021))
    res = CliRunner().invoke(main, ["build", str(tmp_path / "synth" / "notices"), "--out",
                                    str(tmp_path / "out"), "--scheduler",
                                    f"tcp://127.0.0.1:{free_port()}"])
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert [ln for ln in lines if ln.startswith("error:")] == \
        [next(ln for ln in lines if "cannot start or reach the cluster" in ln)]
    assert f"hint: {errors.ClusterError.hint}" in lines


@pytest.fixture(scope="module")
def in_process_client():
    """A one-thread cluster inside the test process (no worker processes to start)."""
    import distributed

    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        yield client


def _tenfold(x: int) -> int:
    return 10 * x


def test_iter_in_order_takes_items_a_window_at_a_time(in_process_client) -> None:
    from qmgraph import cluster

    taken: list[int] = []

    def items():
        for i in range(100):
            taken.append(i)
            yield cluster.Done(10 * i) if i % 7 == 0 else (i,)

    out = []
    for value in cluster.iter_in_order(in_process_client, _tenfold, items(), window=2):
        out.append(value)
        # at most the window's batches and the batch being filled are taken, not yet yielded
        assert len(taken) - len(out) <= 3 * cluster.BATCH
    assert out == [10 * i for i in range(100)]


def test_a_cluster_build_reads_files_as_their_batch_is_sent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process_client) -> None:
    from qmgraph import cluster
    from qmgraph.pipeline import _extract_on, extract_each

    generate(30, 3, tmp_path / "synth", years=(2021, 2021))
    paths = sorted((tmp_path / "synth" / "notices").glob("*.txt"))
    monkeypatch.setattr(cluster, "BATCH", 2)
    monkeypatch.setattr(cluster, "WINDOW_PER_WORKER", 1)
    real = Path.read_bytes
    read: list[Path] = []

    def counted(self: Path) -> bytes:
        if self.parent == paths[0].parent:
            read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    stream = _extract_on(in_process_client, paths, None, None)
    first = next(stream)
    assert len(read) <= 2 * 2  # the window's one batch and the one being filled
    rest = list(stream)
    assert len(read) == len(paths)
    monkeypatch.setattr(Path, "read_bytes", real)
    alone = extract_each(paths)
    assert [r[0] for r in [first, *rest]] == [r[0] for r in alone]


def test_years_checked_on_the_cluster_give_the_same_report(in_process_client,
                                                           tmp_path: Path) -> None:
    """Validation groups checked by the cluster's workers (``_validation_runner``), with
    errors injected: the report equals the one checked in this process, result for
    result and as text, and every group was sent."""
    from qmgraph.pipeline import _validation_runner
    from qmgraph.validate.partition import validate_by_partition
    from tests.validate.inject import inject_errors
    from tests.validate.test_partition import SHARED, chunks_of, units_by_year

    generate(30, 4, tmp_path / "synth", years=(2020, 2022))
    build([tmp_path / "synth" / "notices"], tmp_path / "out", validate=False, formats=("nq",))
    data = (tmp_path / "out" / "qmgraph.nq").read_bytes()
    chunks = chunks_of(inject_errors(data, seed=3, rate=0.02))
    units = units_by_year(chunks)
    sent: list[int] = []
    runner = _validation_runner(in_process_client)

    def counted(datas, engine):
        yield from runner((sent.append(len(d)) or d for d in datas), engine)

    here, stats = validate_by_partition(units, chunks, SHARED)
    there, stats_there = validate_by_partition(units, chunks, SHARED, runner=counted)
    assert not here.conforms
    assert there.results == here.results and there.text() == here.text()
    assert len(sent) == stats_there.groups == stats.groups
    # the listings a build records run on the workers' group stores too (decision 0036)
    from qmgraph.listings import group_listings

    _, with_rows = validate_by_partition(units, chunks, SHARED, also=group_listings)
    _, with_rows_there = validate_by_partition(units, chunks, SHARED, runner=runner,
                                               also=group_listings)
    assert with_rows.also is not None and len(with_rows.also) == stats.groups
    assert with_rows_there.also == with_rows.also


def test_notices_resolved_in_threads_of_one_worker_keep_their_own_events() -> None:
    """A ``dask worker`` runs a thread a core, and a resolver gathers the events of the
    notice it resolves: each thread has its own (decision 0032), so notices resolved at
    once give the events they give one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from qmgraph.pipeline import _resolve_bytes

    files = sorted(Path(__file__).parents[2].joinpath("data", "raw").iterdir())
    items = [(p, p.read_bytes()) for p in files] * 4

    def events(item: tuple[Path, bytes]) -> str:
        got, _problems = _resolve_bytes(*item)
        return repr(got.events) if got is not None else ""

    alone = [events(item) for item in items]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(events, items)) == alone
