"""The pipeline end to end, as library functions the CLI and notebooks share.

``resolve_paths`` runs ingest → parse → extract → resolve; ``build`` adds link → emit →
validate and writes the outputs. One bad file never loses the others: its error is kept
as a ``Problem`` and the rest are built.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qmgraph.errors import InputError, QmgraphError
from qmgraph.extract import extract_notice
from qmgraph.ingest import ingest_file
from qmgraph.model import Corpus, ExtractedNotice
from qmgraph.parse import parse_notice

if TYPE_CHECKING:
    from qmgraph.cache import NoticeCache

Progress = Callable[[str], None]

#: Names in an input folder that are never notices.
_SKIP_NAMES = ("README", "readme", "LICENSE")


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input (or the corpus), reported in the build summary."""

    path: str
    message: str
    fatal: bool  #: the file produced nothing

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class BuildResult:
    corpus: Corpus
    problems: list[Problem]
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    violations: int = 0
    report_text: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed_inputs(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> dict[str, int]:
        c = self.corpus
        kinds: dict[str, int] = {}
        for o in c.organizations.values():
            kinds[o.kind] = kinds.get(o.kind, 0) + 1
        return {
            "notices": len(c.notices),
            "activities": len(c.activities()),
            "agencies": kinds.get("agency", 0),
            "associations": kinds.get("association", 0),
            "enterprises": kinds.get("enterprise", 0),
            "jurisdictions": len(c.jurisdictions),
            "campaigns": len(c.campaigns),
            "mirrors": len(c.mirrors),
            "triples": self.triples,
            "violations": self.violations,
            "problems": len(self.problems),
        }


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and files inside folders named (recursively), sorted, without hidden
    files or READMEs."""
    out: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in p.rglob("*"):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts) \
                        and not f.name.startswith(_SKIP_NAMES):
                    out.add(f)
        else:
            out.add(p)
    return sorted(out, key=lambda f: str(f))


def _extract_one(path: Path, cache: NoticeCache | None = None
                 ) -> tuple[ExtractedNotice | None, list[Problem]]:
    """ingest → parse → extract of one file (a worker of ``extract_paths``)."""
    key = None
    if cache is not None:
        try:
            key = cache.key(path, path.read_bytes())
        except OSError:
            key = None  # ingest reports the unreadable file
        cached = cache.get(key) if key else None
        if cached is not None:
            return cached, [Problem(str(path), w, False) for w in cached.tree.warnings]
    try:
        src = ingest_file(path)
        tree = parse_notice(src)
        if not tree.blocks:
            raise InputError("no notice structure found: no organizer, place or numbered "
                             "activity blocks (is this a 质量月 notice?)", path=str(path))
        ex = extract_notice(tree)
    except QmgraphError as exc:
        return None, [Problem(str(path), str(exc).removeprefix(f"{path}: "), True)]
    if cache is not None and key:
        cache.put(key, ex)
    return ex, [Problem(str(path), w, False) for w in tree.warnings]


def extract_paths(paths: list[Path], progress: Progress | None = None, jobs: int = 1,
                  cache: NoticeCache | str | Path | None = None
                  ) -> tuple[list[ExtractedNotice], list[Problem]]:
    """ingest → parse → extract for each file; errors become problems, never aborts.

    ``jobs`` > 1 extracts in that many worker processes (results stay in input order, so
    the output is the same); ``cache`` (a :class:`qmgraph.cache.NoticeCache` or a folder)
    reuses the extraction of files whose path, bytes and extraction code are unchanged.
    """
    from qmgraph.cache import NoticeCache

    store = NoticeCache(cache) if isinstance(cache, (str, Path)) else cache
    done: list[ExtractedNotice] = []
    problems: list[Problem] = []
    if jobs > 1 and len(paths) > 1:
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, min(32, len(paths) // (jobs * 4)))
            results = pool.map(partial(_extract_one, cache=store), paths, chunksize=chunk)
            for i, (path, (ex, probs)) in enumerate(zip(paths, results, strict=True), start=1):
                if progress:
                    progress(f"[{i}/{len(paths)}] {path}")
                problems += probs
                if ex is not None:
                    done.append(ex)
        return done, problems
    for i, path in enumerate(paths, start=1):
        if progress:
            progress(f"[{i}/{len(paths)}] {path}")
        ex, probs = _extract_one(path, store)
        problems += probs
        if ex is not None:
            done.append(ex)
    return done, problems


def resolve_paths(paths: list[str | Path], progress: Progress | None = None) -> Corpus:
    """ingest → parse → extract → resolve for ``paths`` (files or folders)."""
    corpus, _problems = _resolve(expand_inputs(paths), progress)
    return corpus


def _resolve(paths: list[Path], progress: Progress | None, jobs: int = 1,
             cache: str | Path | NoticeCache | None = None) -> tuple[Corpus, list[Problem]]:
    from qmgraph.resolve import Resolver

    extracted, problems = extract_paths(paths, progress, jobs=jobs, cache=cache)
    resolver = Resolver()
    corpus = resolver.corpus(extracted)
    for msg in resolver.problems:
        path, _, text = msg.partition(": ")
        problems.append(Problem(path, text, False))
    return corpus, problems


def link_corpus(corpus: Corpus) -> None:
    """Run lineage (``qmgraph.link``) and store the links on the corpus."""
    from dataclasses import replace

    from qmgraph.link import link

    # Lineage needs a place and a year; notices without them are flagged, not linked.
    placed = [n for n in corpus.notices if n.jurisdiction is not None and n.year is not None]
    corpus.mirrors = link(replace(corpus, notices=placed, mirrors=[]))


def build(inputs: Iterable[str | Path], out_dir: str | Path, *, validate: bool = True,
          formats: Iterable[str] = ("trig", "ttl"), progress: Progress | None = None,
          jobs: int = 1, cache: bool | str | Path | NoticeCache = False,
          engine: str = "oxigraph") -> BuildResult:
    """The main job: build, link, emit, validate and write the graph of ``inputs``.

    ``jobs`` extracts notices in that many processes; ``cache`` keeps each notice's
    extraction under ``out_dir/.cache`` keyed by its bytes and the extractor's version, so
    a rebuild after changing one notice re-extracts only that one. Outputs are identical
    either way. ``engine`` names the SHACL validation engine (``qmgraph.validate.ENGINES``).
    """
    from qmgraph.emit import corpus_quads
    from qmgraph.emit.write import atomic_write, write_outputs

    t0 = time.perf_counter()
    paths = expand_inputs(inputs)
    if not paths:
        raise InputError("no input files found", path=", ".join(str(i) for i in inputs))
    store = (Path(out_dir) / ".cache") if cache is True else (cache or None)
    corpus, problems = _resolve(paths, progress, jobs=jobs, cache=store)
    t1 = time.perf_counter()
    if progress:
        progress(f"linking {len(corpus.activities())} activities")
    link_corpus(corpus)
    t2 = time.perf_counter()
    quads = corpus_quads(corpus)
    result = BuildResult(corpus=corpus, problems=problems, quads=len(quads))
    result.triples = len({q[:3] for q in quads})
    t_emit = time.perf_counter()
    out = Path(out_dir)
    if validate:
        if progress:
            progress("validating")
        from qmgraph.validate import validate as run_validation

        report = run_validation(quads, engine=engine)  # "oxigraph" or "pyshacl" (0005)
        result.violations = sum(1 for r in report.results if r.severity == "Violation")
        result.report_text = report.text()
        report_ttl = report.to_graph().serialize(format="turtle")
        atomic_write(out / "validation-report.ttl", lambda p: p.write_text(report_ttl, encoding="utf-8"))
        atomic_write(out / "validation-report.txt",
                     lambda p: p.write_text(result.report_text, encoding="utf-8"))
    t3 = time.perf_counter()
    if progress:
        progress(f"writing {len(quads)} quads to {out}")
    result.outputs = write_outputs(quads, out, formats=formats)
    if corpus.mirrors:
        from qmgraph.link import write_sssom

        sssom = out / "mirrors.sssom.tsv"
        atomic_write(sssom, lambda p: write_sssom(corpus, corpus.mirrors, p))
        result.outputs.append(sssom)
    t4 = time.perf_counter()
    result.timings = {"extract+resolve": t1 - t0, "link": t2 - t1, "emit": t_emit - t2,
                      "validate": t3 - t_emit, "write": t4 - t3}
    return result
