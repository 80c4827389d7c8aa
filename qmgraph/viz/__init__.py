"""``viz``: see the graph — networkx views, GraphML/GEXF, report figures and an offline page.

Library API::

    from qmgraph.viz import to_networkx, write_graphml, write_gexf, figure, write_html
    g = to_networkx("data/out/qmgraph.trig", view="lineage")   # nx.MultiDiGraph
    write_graphml(g, "lineage.graphml"); write_gexf(g, "lineage.gexf")
    save_figure(figure("data/out/qmgraph.trig", "lineage", notice=KEY), "lineage.png")
    write_html("data/out/qmgraph.trig", "graph.html")

See docs/decisions/0008-viz.md.
"""

from __future__ import annotations

from typing import Any

from qmgraph.viz.export import export_safe, write_gexf, write_graphml
from qmgraph.viz.load import Facts, load_facts
from qmgraph.viz.views import VIEWS, to_networkx

__all__ = ["VIEWS", "Facts", "export_safe", "figure", "load_facts", "render_html",
           "save_figure", "to_networkx", "write_gexf", "write_graphml", "write_html"]


def figure(dataset: Any, view: str = "lineage", **kw: Any) -> Any:
    """A matplotlib Figure of ``view`` (imports matplotlib lazily); see :mod:`.figures`."""
    from qmgraph.viz.figures import figure as _figure

    return _figure(dataset, view, **kw)


def save_figure(fig: Any, path: Any) -> Any:
    """Write a figure to .png or .svg; see :func:`qmgraph.viz.figures.save_figure`."""
    from qmgraph.viz.figures import save_figure as _save

    return _save(fig, path)


def render_html(dataset: Any, view: str = "lineage") -> str:
    """The offline explorer page as a string; see :mod:`qmgraph.viz.html`."""
    from qmgraph.viz.html import render_html as _render

    return _render(dataset, view)


def write_html(dataset: Any, path: Any, view: str = "lineage") -> Any:
    """Write the offline explorer page; see :mod:`qmgraph.viz.html`."""
    from qmgraph.viz.html import write_html as _write

    return _write(dataset, path, view)
