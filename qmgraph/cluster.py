"""Running a build's independent units on a Dask distributed cluster.

``qmgraph build --cluster local:N`` starts a ``LocalCluster`` of N single-threaded worker
processes for the build and stops it after; ``--scheduler tcp://HOST:PORT`` uses a running
cluster (``dask scheduler`` + ``dask worker`` on other machines, each with this very
qmgraph installed); without either the build runs in one process. The units sent out are
documents to extract (ingest → parse → extract, and without a cache resolve too): the
client reads each file's bytes and sends them, so workers need the package, not the input
folder; it reads a file only as its batch is sent, with a few batches per worker in
flight, so it never holds the corpus; results come back in input order, so the outputs are
byte-identical to a one-process build. The extraction cache stays with the client. Then
the statistics windows to link, and the years to validate (each year's N-Quads with its
slice of the shared graph, once the files are written; decision 0032).
Why Dask and what runs where: docs/decisions/0016-year-partitions.md.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from qmgraph.errors import ClusterError, InputError, QmgraphError

__all__ = ["ClusterError", "ClusterSpec", "Done", "connect", "iter_in_order", "map_scattered",
           "parse_spec"]

_LOCAL = re.compile(r"local:(\d{1,3})")
_REMOTE = re.compile(r"(tcp|tls)://[^\s/:]+:\d{1,5}")
#: documents per task: enough to hide the scheduler's per-task cost (~1 ms), few enough
#: that two workers share the work evenly
BATCH = 16
#: batches sent and not yet yielded, per worker thread: enough to keep every worker busy
#: while the client reads the next files and takes the results in order, few enough that
#: the client never holds the corpus (a batch's bytes are read as it is sent)
WINDOW_PER_WORKER = 3
_END = object()


@dataclass(frozen=True)
class ClusterSpec:
    """Where a build's units run: ``local`` workers started here, or a ``scheduler``."""

    local_workers: int = 0
    scheduler: str = ""

    def __str__(self) -> str:
        return f"local:{self.local_workers}" if self.local_workers else self.scheduler


def parse_spec(cluster: str | None = None, scheduler: str | None = None) -> ClusterSpec | None:
    """``--cluster local:N`` / ``--scheduler tcp://HOST:PORT`` as a spec (None: one
    process). Raises :class:`InputError` for a malformed value or both given."""
    if cluster and scheduler:
        raise InputError("give --cluster or --scheduler, not both",
                         hint="--cluster local:N starts workers here; --scheduler uses a "
                         "running cluster")
    if cluster:
        m = _LOCAL.fullmatch(cluster.strip())
        if not m or int(m.group(1)) < 1:
            raise InputError(f"--cluster {cluster!r} is not local:N (N workers, e.g. local:2)",
                             hint="for a running cluster use --scheduler tcp://HOST:PORT")
        return ClusterSpec(local_workers=int(m.group(1)))
    if scheduler:
        if not _REMOTE.fullmatch(scheduler.strip()):
            raise InputError(f"--scheduler {scheduler!r} is not tcp://HOST:PORT",
                             hint="the address `dask scheduler` prints, e.g. tcp://10.0.0.5:8786")
        return ClusterSpec(scheduler=scheduler.strip())
    return None


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError("dask.distributed is not installed: a cluster build needs it",
                           hint="pip install 'qmgraph[cluster]' (or build without "
                           "--cluster/--scheduler)") from exc
    return distributed


@contextmanager
def connect(spec: ClusterSpec) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec`` (a local cluster lives as long as the
    ``with``). Refuses workers whose extraction code differs from this process's: their
    results would not be this build's."""
    distributed = _import_distributed()
    from qmgraph.cache import code_version

    cluster = None
    try:
        if spec.local_workers:
            cluster = distributed.LocalCluster(
                n_workers=spec.local_workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40)
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(spec.scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot start or reach the cluster {spec}: {exc}") from exc
    try:
        mine = code_version()
        try:
            theirs = set(client.run(code_version).values())
        except Exception as exc:  # noqa: BLE001 - any failure of the cluster is one error
            raise ClusterError(f"the workers of {spec} do not answer: {exc}") from exc
        if not theirs:
            raise ClusterError(f"the cluster {spec} has no workers")
        if theirs != {mine}:
            raise ClusterError(f"workers of {spec} run other qmgraph code than this process "
                               "(their extraction would differ)",
                               hint="install the same qmgraph version on every worker")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run_batch(fn: Callable[..., Any], batch: Sequence[tuple]) -> list[Any]:
    return [fn(*args) for args in batch]


@dataclass(frozen=True)
class Done:
    """An item the caller worked out itself (a cache hit): :func:`iter_in_order` yields its
    ``value`` in its place without sending anything."""

    value: Any


def iter_in_order(client: Any, fn: Callable[..., Any], items: Iterable[tuple | Done],
                  progress: Callable[[int], None] | None = None,
                  window: int | None = None, batch_size: int | None = None,
                  scatter: bool = False) -> Iterator[Any]:
    """``fn(*item)`` of each item on the cluster, in batches of ``batch_size`` (``BATCH``), yielded in input
    order as soon as every earlier item is back (the caller works on the first results
    while the workers make the rest); a :class:`Done` item is yielded as it is.

    ``items`` is read lazily: an item is taken only when fewer than ``window`` batches
    (default ``WINDOW_PER_WORKER`` × the cluster's threads) are sent and not yet yielded,
    so the caller can read an item's bytes as it hands it over, and the client holds at
    most that window's items and results, whatever the corpus size.
    ``progress(done)`` after each batch comes back (``done`` counts Done items too).
    ``scatter``: each item is put on a worker as it is taken (``Client.scatter``) and the
    task refers to it, not carried inside the task graph — for items of megabytes (a link
    window's activities, a year's N-Quads), which Dask would otherwise embed in the graph
    and warn about."""
    distributed = _import_distributed()
    batch_size = batch_size or BATCH
    if window is None:
        window = WINDOW_PER_WORKER * max(1, sum(client.nthreads().values()))
    window = max(1, window)
    source = iter(items)
    slots: deque[Done | tuple[int, int]] = deque()  # input order: Done or (batch, position)
    batch: list[tuple] = []  # the batch being filled, not sent yet
    sizes: dict[int, int] = {}  # batch sent and not wholly yielded → its size
    running: dict[str, tuple[int, Any]] = {}  # future key → its batch, the future
    back: dict[int, list[Any]] = {}
    waiting = distributed.as_completed()
    sent = done = 0
    exhausted = False

    def send() -> None:
        nonlocal sent
        fut = client.submit(_run_batch, fn, list(batch), pure=False)
        running[fut.key], sizes[sent] = (sent, fut), len(batch)
        waiting.add(fut)
        sent += 1
        batch.clear()

    try:
        while True:
            while slots:  # yield what is ready at the head
                head = slots[0]
                if isinstance(head, Done):
                    slots.popleft()
                    yield head.value
                    continue
                k, pos = head
                if k not in back:
                    break
                slots.popleft()
                value = back[k][pos]
                if pos == sizes[k] - 1:  # a batch's items are consecutive: this is its last
                    del back[k], sizes[k]
                yield value
            if exhausted and not slots:
                return
            if not exhausted and len(sizes) < window:
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                    if batch:
                        send()
                elif isinstance(item, Done):
                    slots.append(item)
                    done += 1
                else:
                    slots.append((sent, len(batch)))
                    # a scattered item's future, in the batch's list, arrives as the item
                    # through the scheduler (not ``direct``): a remote cluster's workers
                    # need not be reachable from the client
                    batch.append(client.scatter([item], hash=False)[0]
                                 if scatter else item)
                    if len(batch) >= batch_size:
                        send()
                continue
            # the window is full (its first batch holds the head) or every batch is sent
            fut = next(waiting)
            k = running.pop(fut.key)[0]
            try:
                back[k] = fut.result()
            except QmgraphError:
                raise
            except Exception as exc:  # noqa: BLE001 - a killed worker, a lost connection…
                raise ClusterError(f"the cluster lost a batch of {sizes[k]} units: "
                                   f"{type(exc).__name__}: {exc}",
                                   hint="build again, with fewer documents per worker or "
                                   "without --cluster") from exc
            fut.release()  # its results are here now: the worker may drop them
            done += sizes[k]
            if progress:
                progress(done)
    finally:
        if running:  # a failure, or the caller stopped reading: stop the rest
            client.cancel([f for _, f in running.values()])


def map_scattered(client: Any, fn: Callable[..., Any], items: Iterable[tuple]
                  ) -> Iterator[Any]:
    """``fn(*item)`` of each item on the cluster, yielded in order: each item scattered
    to a worker as it is sent (megabytes: a year's N-Quads, not embedded in the task
    graph), one more item than there are worker threads in flight, so the client holds
    a few items, not all of them (``qmgraph.validate.partition.GroupRunner`` of a build on
    a cluster: decision 0032)."""
    threads = max(1, sum(client.nthreads().values()))
    yield from iter_in_order(client, fn, items, window=threads + 1, batch_size=1, scatter=True)
