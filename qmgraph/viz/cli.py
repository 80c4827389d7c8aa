"""``qmgraph viz``: write any of the views, exports, figures and the page in one call."""

from __future__ import annotations

import click

from qmgraph.outputs import DEFAULT_GRAPH
from qmgraph.viz.views import VIEWS


@click.command()
@click.option("--graph", "graph_path", type=click.Path(), default=str(DEFAULT_GRAPH),
              show_default=True, help="The built graph (.trig, .ttl, .nq, .nt) or its folder.")
@click.option("--view", type=click.Choice(VIEWS), default="lineage", show_default=True,
              help="Which view to export / draw (the page holds all three, opening on this).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False),
              help="Write the offline explorer page here.")
@click.option("--graphml", "graphml_out", type=click.Path(dir_okay=False),
              help="Write the view as GraphML.")
@click.option("--gexf", "gexf_out", type=click.Path(dir_okay=False), help="Write the view as GEXF.")
@click.option("--png", "png_out", type=click.Path(dir_okay=False), help="Write the figure as PNG.")
@click.option("--svg", "svg_out", type=click.Path(dir_okay=False), help="Write the figure as SVG.")
@click.option("--notice", help="Lineage figure: notice key, doc number or source file "
              "(default: the notice with the most mirror links).")
@click.option("--campaign", help="Campaigns figure: campaign label or IRI; a name run in "
              "several years draws the year run in the most places "
              "(default: the campaign run in the most places).")
def viz(graph_path, view, html_out, graphml_out, gexf_out, png_out, svg_out, notice,
        campaign) -> None:
    """Look at the graph: GraphML/GEXF of a view, a PNG/SVG figure, an offline HTML page."""
    from qmgraph.viz.load import load_facts

    if not any((html_out, graphml_out, gexf_out, png_out, svg_out)):
        raise click.UsageError("nothing to write: give --html, --graphml, --gexf, --png or --svg")
    from qmgraph.outputs import find_graph

    facts = load_facts(find_graph(graph_path))
    written = []
    if graphml_out or gexf_out:
        from qmgraph.viz.export import write_gexf, write_graphml
        from qmgraph.viz.views import to_networkx

        g = to_networkx(facts, view)
        if graphml_out:
            written.append(write_graphml(g, graphml_out))
        if gexf_out:
            written.append(write_gexf(g, gexf_out))
    if png_out or svg_out:
        from qmgraph.viz.figures import figure, save_figure

        fig = figure(facts, view, notice=notice, campaign=campaign)
        for out in (png_out, svg_out):
            if out:
                written.append(save_figure(fig, out))
    if html_out:
        from qmgraph.viz.html import write_html

        written.append(write_html(facts, html_out, view))
    for p in written:
        click.echo(f"wrote {p}", err=True)


COMMANDS = [viz]
