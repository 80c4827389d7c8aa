"""``qmgraph export tables``: a thin click command over :func:`qmgraph.export_tables`."""

from __future__ import annotations

import click

from qmgraph.outputs import DEFAULT_GRAPH


@click.group()
def export() -> None:
    """Export the built graph for analysis."""


@export.command("tables")
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="Graph file, or a build's output folder.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for the tables and data_dictionary.csv.")
@click.option("--format", "formats", multiple=True, default=("csv", "parquet"),
              show_default=True, type=click.Choice(["csv", "parquet"]), help="Table formats.")
def tables(graph_path, out_dir, formats) -> None:
    """Tidy CSV/Parquet tables: documents, activities, organizations, campaigns, mirror
    links, the jurisdiction × year × campaign adoption panel, and a data dictionary."""
    from qmgraph.api import export_tables

    for path in export_tables(graph_path, out_dir, formats=formats):
        click.echo(f"wrote {path}")


COMMANDS = [export]
