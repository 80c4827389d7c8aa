"""``qmgraph`` command line: one click group of thin per-feature commands.

Each command calls a library function (``qmgraph.api.build``, ``qmgraph.api.evaluate``…)
and prints what it returns. Errors are raised, never turned into exit codes by a command:
:class:`_Group` maps every typed error (``qmgraph.errors``) and every file-system error to
an exit code with a one-line message and hint — 0 ok, 1 violations, 2 bad input or runtime
error. Progress and errors go to stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from qmgraph.api import DEFAULT_ENGINE, DEFAULT_FORMATS, DEFAULT_OUT
from qmgraph.echo import echo_json
from qmgraph.errors import QmgraphError, ValidationFailed
from qmgraph.outputs import DEFAULT_GRAPH


def _query_commands() -> list[click.Command]:
    from qmgraph.query.cli import COMMANDS

    return COMMANDS


def _viz_commands() -> list[click.Command]:
    from qmgraph.viz.cli import COMMANDS

    return COMMANDS


def _synth_commands() -> list[click.Command]:
    from qmgraph.synth.cli import COMMANDS

    return COMMANDS


def _export_commands() -> list[click.Command]:
    from qmgraph.export.cli import COMMANDS

    return COMMANDS


#: Commands that live beside their feature, by name → what loads their module's
#: ``COMMANDS``: imported only when the command runs (or help lists it), so ``qmgraph
#: query`` does not pay for rdflib, the parser, the synthesizer and networkx (≈1.5 s of
#: imports before, docs/decisions/0019-query-speed.md).
LAZY_COMMANDS: dict[str, Callable[[], list[click.Command]]] = {
    "query": _query_commands, "push": _query_commands, "serve": _query_commands,
    "viz": _viz_commands, "synth": _synth_commands, "synth-score": _synth_commands,
    "export": _export_commands,
}


class _LazyChoice(click.Choice):
    """A ``click.Choice`` whose choices come from a registry read when an option is first
    checked or shown (the output formats and SHACL engines live in modules that import
    rdflib)."""

    def __init__(self, load: Callable[[], Sequence[str]]):
        self._load = load
        self._loaded: tuple[str, ...] | None = None
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        if self._loaded is None:
            self._loaded = tuple(self._load())
        return self._loaded

    @choices.setter
    def choices(self, _value: Sequence[str]) -> None:  # click's __init__ sets it
        pass


def _output_formats() -> list[str]:
    from qmgraph.emit.write import FORMATS

    return list(FORMATS)


def _engines() -> list[str]:
    from qmgraph.validate import ENGINES

    return sorted(ENGINES)


def _progress(msg: str) -> None:
    click.echo(msg, err=True)


class _Group(click.Group):
    """The one place errors become exit codes: a typed error from any command (or an
    operating-system error reading or writing a file) gives one ``error:`` line naming the
    file, a ``hint:`` line and the error's exit code; no traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            for cmd in LAZY_COMMANDS[cmd_name]():
                if cmd.name == cmd_name:
                    self.add_command(cmd)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QmgraphError as exc:
            self._fail(ctx, str(exc), exc.hint, exc.exit_code)
        except OSError as exc:  # a file that vanished, a full disk, a folder we may not read
            where = f"{exc.filename}: " if exc.filename else ""
            self._fail(ctx, f"{where}{exc.strerror or exc}", "check the path and its "
                       "permissions", QmgraphError.exit_code)

    @staticmethod
    def _fail(ctx: click.Context, message: str, hint: str, code: int) -> None:
        click.echo(f"error: {message.splitlines()[0] if message else 'failed'}", err=True)
        click.echo(f"hint: {hint}", err=True)
        ctx.exit(code)


@click.group(cls=_Group)
@click.version_option(package_name="qmgraph")
def main() -> None:
    """Knowledge graph of 质量月 (Quality Month) notices and their lineage."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT),
              show_default=True, help="Folder for qmgraph.trig, qmgraph.ttl and reports "
              "(outputs of an earlier build that this one does not write are removed).")
@click.option("--format", "formats", multiple=True, default=DEFAULT_FORMATS, show_default=True,
              type=_LazyChoice(_output_formats), help="Output formats.")
@click.option("--no-validate", is_flag=True, help="Skip validation (SHACL shapes and QC queries).")
@click.option("--keep-going", is_flag=True, help="Exit 0 even when some inputs failed.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extract notices in this many processes.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep what each stage made in OUT/.cache, so a rebuild redoes only what "
              "changed (outputs are identical either way).")
@click.option("--engine", type=_LazyChoice(_engines), default=DEFAULT_ENGINE,
              show_default=True, help="SHACL validation engine (pyshacl: the reference).")
@click.option("--cluster", metavar="local:N", default=None,
              help="Extract the documents on a Dask LocalCluster of N worker processes "
              "(needs qmgraph[cluster]; outputs are identical).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Extract the documents on a running Dask cluster (see the README).")
@click.option("--record-listings", is_flag=True,
              help="Record the default rows of eight listing queries beside the store "
              "(made while validating, one on the loaded store), so they answer from the "
              "record (about +10 % build CPU; docs/decisions/0036-recorded-listings.md, "
              "0040-last-two-listings.md).")
def build(inputs, out_dir, no_validate, keep_going, as_json, quiet, **options) -> None:
    """Build the graph of INPUTS (files or folders; default ./data/raw)."""
    from qmgraph.api import build as run_build
    from qmgraph.summary import BuildSummary

    # the other options are named as qmgraph.api.build names them
    summary = BuildSummary(run_build(list(inputs) or None, out_dir, validate=not no_validate,
                                     progress=None if quiet else _progress, **options),
                          Path(out_dir))
    if as_json:
        echo_json(summary.to_json())
    else:
        click.echo(summary.text())
    summary.check(keep_going=keep_going)


@main.command()
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
def parse(file, fmt) -> None:
    """Show what the parser understood of FILE."""
    from qmgraph.api import parse as run_parse
    from qmgraph.parse.render import tree_json, tree_text

    tree = run_parse(file)
    if fmt == "json":
        echo_json(tree_json(tree))
    else:
        click.echo(tree_text(tree))


@main.command()
@click.option("--gold", "gold_path", required=True, type=click.Path())
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
@click.option("--engine", type=_LazyChoice(_engines), default=DEFAULT_ENGINE,
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
    if not result.conforms:
        raise ValidationFailed(f"{result.violations} violations (SHACL shapes and QC queries)")


if __name__ == "__main__":
    main()
