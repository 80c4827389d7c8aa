"""``qmgraph`` command line: one click group of thin per-feature commands.

Each command calls a library function (``qmgraph.pipeline.build``, ``qmgraph.evaluate``…)
and maps typed errors (``qmgraph.errors``) to exit codes with a one-line hint:
0 ok, 1 violations, 2 bad input or runtime error. Progress and errors go to stderr.
"""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from qmgraph.api import DEFAULT_ENGINE, DEFAULT_FORMATS, DEFAULT_OUT
from qmgraph.echo import echo_json
from qmgraph.errors import QmgraphError
from qmgraph.validate import ENGINES

#: Where commands read a graph by default: the folder ``build`` writes (its graph file is
#: found by ``qmgraph.outputs.find_graph``), so a build in another format is read as it is.
DEFAULT_GRAPH = DEFAULT_OUT


def _progress(msg: str) -> None:
    click.echo(msg, err=True)


def _fail(exc: QmgraphError) -> None:
    click.echo(f"error: {exc}", err=True)
    click.echo(f"hint: {exc.hint}", err=True)
    sys.exit(exc.exit_code)


class _Group(click.Group):
    """Turns typed errors from any command into a message, a hint and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QmgraphError as exc:
            _fail(exc)


@click.group(cls=_Group)
@click.version_option(package_name="qmgraph")
def main() -> None:
    """Knowledge graph of 质量月 (Quality Month) notices and their lineage."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT),
              show_default=True, help="Folder for qmgraph.trig, qmgraph.ttl and reports "
              "(outputs of an earlier build that this one does not write are removed).")
@click.option("--format", "formats", multiple=True, default=DEFAULT_FORMATS, show_default=True,
              type=click.Choice(["trig", "ttl", "nq", "nt", "jsonld"]), help="Output formats.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--keep-going", is_flag=True, help="Exit 0 even when some inputs failed.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extract notices in this many processes.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep what each stage made in OUT/.cache, so a rebuild redoes only what "
              "changed (outputs are identical either way).")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default=DEFAULT_ENGINE,
              show_default=True, help="SHACL validation engine (pyshacl: the reference).")
@click.option("--cluster", metavar="local:N", default=None,
              help="Extract the documents on a Dask LocalCluster of N worker processes "
              "(needs qmgraph[cluster]; outputs are identical).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Extract the documents on a running Dask cluster (see the README).")
def build(inputs, out_dir, formats, no_validate, keep_going, as_json, quiet, jobs, cache,
          engine, cluster, scheduler) -> None:
    """Build the graph of INPUTS (files or folders; default ./data/raw)."""
    from qmgraph.api import build as run_build

    result = run_build(list(inputs) or None, out_dir, validate=not no_validate,
                       formats=formats, progress=None if quiet else _progress,
                       jobs=jobs, cache=cache, engine=engine, cluster=cluster,
                       scheduler=scheduler)
    summary = result.summary()
    if as_json:
        echo_json({"summary": summary,
                   "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
                   "problems": [asdict(p) for p in result.problems],
                   "outputs": [str(p) for p in result.outputs],
                   "removed": [str(p) for p in result.removed]})
    else:
        click.echo("qmgraph build summary")
        for k, v in summary.items():
            click.echo(f"  {k:<14} {v}")
        click.echo("  time           " + " · ".join(f"{k} {v:.1f}s" for k, v in result.timings.items()))
        for p in result.outputs:
            click.echo(f"  wrote          {p}")
        for p in result.removed:
            click.echo(f"  removed        {p} (an earlier build's)")
        if result.problems:
            click.echo("problems:")
            for p in result.problems:
                click.echo(f"  {'ERROR' if p.fatal else 'warn '} {p}")
    if result.violations:
        click.echo(f"error: {result.violations} SHACL violations; see {out_dir}/validation-report.txt",
                   err=True)
        sys.exit(1)
    if result.failed_inputs and not keep_going:
        failed = len(result.failed_inputs)
        if result.counts.get("notices", 0) == 0:
            click.echo(f"error: {failed} input(s) failed and no notice was built", err=True)
            click.echo("hint: the problems above say why for each file", err=True)
        else:
            click.echo(f"error: {failed} input(s) failed; the {result.counts['notices']} "
                       "other notice(s) were built (use --keep-going to exit 0)", err=True)
        sys.exit(2)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
def parse(file, fmt) -> None:
    """Show what the parser understood of FILE."""
    from qmgraph.ingest import ingest_file
    from qmgraph.parse import parse_notice
    from qmgraph.parse.render import tree_json, tree_text

    tree = parse_notice(ingest_file(file))
    if fmt == "json":
        echo_json(tree_json(tree))
    else:
        click.echo(tree_text(tree))


@main.command()
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="Graph file, or a build's output folder.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def evaluate(gold_path, graph_path, as_json) -> None:
    """Score the graph against a gold annotation file (precision/recall/F1 per facet)."""
    from qmgraph.api import evaluate as run_eval

    result = run_eval(gold_path, graph_path)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(result.table())


@main.command()
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="Graph file, or a build's output folder.")
@click.option("--qc/--no-qc", default=True, help="Also run queries/qc/*-violation.rq.")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default=DEFAULT_ENGINE,
              show_default=True, help="SHACL validation engine (pyshacl: the reference).")
@click.option("--shapes", "shapes_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="A folder of your own shapes (*.ttl), checked as well as qmgraph's "
                   "(repeatable).")
def validate(graph_path, qc, engine, shapes_dirs) -> None:
    """Validate a built graph with SHACL (and the QC queries); exit 1 on violations."""
    from qmgraph.api import validate as run_validation

    result = run_validation(graph_path, engine=engine, shapes=shapes_dirs, qc=qc)
    click.echo(result.text())
    sys.exit(0 if result.conforms else 1)


def _register_optional() -> None:
    """Commands that live in feature modules register themselves when present."""
    import importlib

    for mod in ("qmgraph.query.cli", "qmgraph.viz.cli", "qmgraph.synth.cli",
                "qmgraph.export.cli"):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name and mod.startswith(exc.name):
                continue
            raise
        for cmd in getattr(m, "COMMANDS", []):
            main.add_command(cmd)


_register_optional()

if __name__ == "__main__":
    main()
