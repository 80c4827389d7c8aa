"""Where a build's memory goes: the peak resident size of each phase of one build.

Runs ``qmgraph.pipeline.build`` in this process (no cache unless ``--cache``), samples the
process's RSS every 0.1 s with psutil, and attributes each sample to the phase the build's
progress messages last announced (extracting, linking, writing, validating, …). Prints one
line per phase: its peak RSS and its RSS when it ended, in MiB.

    .venv/bin/python bench/memory.py CORPUS_FOLDER [--out DIR] [--cache]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

import psutil

#: progress message prefix → phase name (the build's own wording, qmgraph.pipeline)
PHASES = (("[", "extract+resolve"), ("extracting", "extract+resolve"), ("linking", "link"),
          ("storing", "emit"), ("writing", "write"), ("validating", "validate"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--out", default=None)
    ap.add_argument("--cache", action="store_true")
    a = ap.parse_args()
    from qmgraph.pipeline import build

    out = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="qmgraph-memory-"))
    proc = psutil.Process()
    phase = ["start"]
    peaks: dict[str, list[int]] = {}  # phase → [peak, last]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss = proc.memory_info().rss
            p = peaks.setdefault(phase[0], [0, 0])
            p[0], p[1] = max(p[0], rss), rss
            time.sleep(0.1)

    def progress(msg: str) -> None:
        for prefix, name in PHASES:
            if msg.startswith(prefix):
                phase[0] = name
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    result = build([a.corpus], out, cache=a.cache, progress=progress)
    phase[0] = "after"
    time.sleep(0.3)
    done.set()
    sampler.join()
    mib = 1 << 20
    print(json.dumps({"wall_s": round(time.perf_counter() - t0, 1),
                      "timings": {k: round(v, 1) for k, v in result.timings.items()},
                      "reuse": result.reuse.get("validation")}, default=str))
    for name, (peak, last) in peaks.items():
        print(f"{name:16s} peak {peak / mib:8.0f} MiB   at its end {last / mib:8.0f} MiB")


if __name__ == "__main__":
    main()
