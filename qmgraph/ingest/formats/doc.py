"""Legacy Word (.doc) and WPS (.wps) files: OLE2 compound documents, converted by a tool.

``antiword -m UTF-8.txt -w 0`` (one paragraph per line) is tried first, then LibreOffice
(``soffice --headless --convert-to txt:Text``). Both run in a temporary directory with a
timeout. antiword draws tables as ``|cell|cell|`` lines; those become rows for
``qmgraph.ingest.formats.table_lines``. With neither tool installed the reader raises
``ReaderUnavailable`` naming the package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from qmgraph.errors import InputError, ReaderUnavailable
from qmgraph.ingest.formats import sniffer, table_lines
from qmgraph.ingest.readers import RawDocument, register

#: Seconds a converter may take before the file is reported as unreadable.
TIMEOUT = 60
MISSING = "legacy .doc needs antiword or LibreOffice: apt-get install antiword"


def find_tools() -> list[tuple[str, str]]:
    """Available converters as ``(name, executable)``, in the order they are tried."""
    found = (("antiword", shutil.which("antiword")),
             ("soffice", shutil.which("soffice") or shutil.which("libreoffice")))
    return [(name, exe) for name, exe in found if exe]


def _antiword(exe: str, src: Path) -> str:
    env = dict(os.environ)
    env.setdefault("HOME", str(src.parent))  # antiword looks for ~/.antiword
    proc = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(src)], capture_output=True,
                          timeout=TIMEOUT, env=env, check=False)
    if proc.returncode != 0:
        raise _failed("antiword", proc)
    return proc.stdout.decode("utf-8", "replace")


def _failed(tool: str, proc: subprocess.CompletedProcess) -> RuntimeError:
    """The error of a converter that failed: the last line it wrote to stderr."""
    msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return RuntimeError(msg[-1] if msg else f"{tool} exited with {proc.returncode}")


def _soffice(exe: str, src: Path) -> str:
    out = src.parent / "out"
    out.mkdir()
    proc = subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{src.parent}/lo",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out), str(src)],
        capture_output=True, timeout=TIMEOUT, check=False,
    )
    produced = list(out.glob("*.txt"))
    if proc.returncode != 0 or not produced:
        raise _failed("soffice", proc)
    return produced[0].read_text(encoding="utf-8-sig", errors="replace")


def antiword_tables(text: str) -> str:
    """Turn antiword's ``|a|b|c|`` table rows into lines via ``table_lines``."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            out.extend(table_lines(rows))
            rows.clear()

    for line in text.splitlines():
        s = line.strip()
        if len(s) > 2 and s.startswith("|") and s.endswith("|"):
            rows.append([c.strip() for c in s[1:-1].split("|")])
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


@register("doc", sniffer("ole2", ("doc", "wps", "dot")))
def read_doc(data: bytes, path: str) -> RawDocument:
    """Convert a .doc/.wps with antiword or LibreOffice; the text, one paragraph a line."""
    tools = find_tools()
    if not tools:
        raise ReaderUnavailable(MISSING, path=path)
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="qmgraph-doc-") as tmp:
        suffix = Path(path).suffix.lower()
        src = Path(tmp) / ("input" + (suffix if suffix in (".doc", ".wps", ".dot") else ".doc"))
        src.write_bytes(data)
        for name, exe in tools:
            try:
                text = _antiword(exe, src) if name == "antiword" else _soffice(exe, src)
            except subprocess.TimeoutExpired:
                errors.append(f"{name} took longer than {TIMEOUT}s")
                continue
            except (RuntimeError, OSError) as exc:
                errors.append(f"{name}: {exc}")
                continue
            text = antiword_tables(text) if name == "antiword" else text
            if text.strip():
                return RawDocument(text=text.replace("\r\n", "\n"), encoding="utf-8",
                                   reader="doc", meta={"converter": name})
            errors.append(f"{name} found no text")
    raise InputError("cannot convert legacy Word file (" + "; ".join(errors) + ")", path=path,
                     hint="is it a Word .doc/.wps? save it as .docx or .pdf and try again")


__all__ = ["read_doc", "find_tools", "antiword_tables", "MISSING", "TIMEOUT"]
