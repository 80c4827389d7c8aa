"""Where a build's first stage goes: CPU time per document of ingest, parse, extract and
resolve, one process, no cache (docs/decisions/0021-extract-speed.md).

    .venv/bin/python bench/extract_stages.py [FOLDER] [--every N] [--limit N]

Without FOLDER it builds a 1,000-notice synthetic corpus (``qmgraph synth``, seed 7) in a
temporary folder first. ``--every 3`` takes every third file (a sample of a big corpus).
Prints milliseconds of CPU per document for each stage and the peak RSS; the numbers move
with the machine's load (CPU time less than wall time), so compare runs made side by side.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", help="notices to read (default: a synthetic corpus)")
    ap.add_argument("--every", type=int, default=1, help="take every N-th file")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files")
    args = ap.parse_args(argv)

    from qmgraph.extract import extract_notice
    from qmgraph.parse import parse_notice
    from qmgraph.pipeline import expand_inputs, read_notice
    from qmgraph.resolve import Resolver

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            from qmgraph.synth import generate

            generate(1000, 7, Path(tmp))
            folder = str(Path(tmp) / "notices")
        paths = expand_inputs([folder])[:: args.every]
        if args.limit:
            paths = paths[: args.limit]
        spent = dict.fromkeys(("ingest", "parse", "extract", "resolve"), 0.0)
        resolver = Resolver()
        clock = time.process_time
        done = 0
        for path in paths:
            t0 = clock()
            try:
                source = read_notice(path)
            except Exception:  # noqa: BLE001 - a file the build would report; not timed
                continue
            t1 = clock()
            tree = parse_notice(source)
            t2 = clock()
            extracted = extract_notice(tree)
            t3 = clock()
            _notice, events = resolver.resolve_notice_events(extracted)
            resolver.apply(events)
            t4 = clock()
            for stage, dt in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                spent[stage] += dt
            done += 1
    if not done:
        print("no document could be read", file=sys.stderr)
        return 2
    total = sum(spent.values())
    print(f"{done} documents from {folder}")
    for stage, s in spent.items():
        print(f"  {stage:8s} {1000 * s / done:6.3f} ms/doc  ({s:6.2f} s CPU)")
    print(f"  {'total':8s} {1000 * total / done:6.3f} ms/doc  ({total:6.2f} s CPU)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
