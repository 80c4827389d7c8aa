"""A throw-away Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``) for the store tests.

:func:`start_virtuoso` writes a minimal ``virtuoso.ini`` into a temporary directory
(database, log and transaction files there, ISQL and HTTP on free 127.0.0.1 ports, small
buffers), starts ``virtuoso-t +foreground +configfile INI`` and waits until ``/sparql``
answers. Default credentials dba/dba. ``scripts/install-system-deps.sh`` installs the
package; without it the fixture skips and says why.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.query.servers import free_port

PACKAGE = "virtuoso-opensource-7-bin"
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
VADInstallDir = {d}/vad
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 20000000
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DefaultIsolation = 2
MaxQueryMem = 256M
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 5
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[Replication]
ServerName = qmgraph-test
ServerEnable = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""


def virtuoso_binary() -> str | None:
    """``virtuoso-t`` on PATH (Debian installs it in /usr/bin), else None."""
    return shutil.which("virtuoso-t")


def version(binary: str) -> str:
    done = subprocess.run([binary, "--help"], capture_output=True, timeout=10, check=False)
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    for line in text.splitlines():
        if line.startswith("Version"):
            return line.strip()
    return "unknown"


@dataclass
class Virtuoso:
    """A running Virtuoso: SPARQL at ``query``, Graph Store (digest auth) at ``store``."""

    proc: subprocess.Popen
    base: str
    directory: Path
    version: str
    auth: tuple[str, str] = (USER, PASSWORD)

    @property
    def query(self) -> str:
        return self.base + "/sparql"

    @property
    def store(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def log(self) -> str:
        p = self.directory / "virtuoso.log"
        return p.read_text("utf-8", "replace")[-3000:] if p.is_file() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class VirtuosoUnavailable(RuntimeError):
    """Virtuoso is not installed or did not start (the message says which)."""


def start_virtuoso(directory: Path, *, timeout: float = 60) -> Virtuoso:
    binary = virtuoso_binary()
    if binary is None:
        raise VirtuosoUnavailable(
            f"virtuoso-t not found: the Debian package {PACKAGE} is not installed "
            "(scripts/install-system-deps.sh installs it when run as root)")
    directory.mkdir(parents=True, exist_ok=True)
    isql, http = free_port(), free_port()
    while http == isql:
        http = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(d=directory, isql=isql, http=http), encoding="utf-8")
    out = (directory / "stdout.log").open("wb")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=directory,
                            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    server = Virtuoso(proc, f"http://127.0.0.1:{http}", directory, version(binary))
    probe = server.query + "?query=ASK%7B%7D"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise VirtuosoUnavailable(f"virtuoso-t exited with {proc.returncode}: "
                                      + (directory / "stdout.log").read_text("utf-8", "replace")[-1500:])
        try:
            with urllib.request.urlopen(probe, timeout=2) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise VirtuosoUnavailable(f"Virtuoso did not answer on {server.base} within "
                                      f"{timeout:g} s: {server.log()[-1500:]}")
        time.sleep(0.2)
