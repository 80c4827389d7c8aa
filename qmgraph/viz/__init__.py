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


#: Names loaded on first use from the module that holds them (matplotlib and the page's
#: renderer are slow to import).
_LAZY = {"figure": "figures", "save_figure": "figures", "render_html": "html",
         "write_html": "html"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
