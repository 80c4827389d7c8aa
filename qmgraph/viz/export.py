"""GraphML and GEXF exports of a view, readable by Gephi and Cytoscape.

Both are UTF-8 XML with Chinese labels as they are. Attribute values are made
export-safe first (str/int/float only, lists joined with "、", None dropped), so a graph
built elsewhere can be written too. GEXF also gets the ``label`` as the node label Gephi shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from qmgraph.viz.views import safe_attrs

_LASTMOD = re.compile(r' lastmodifieddate="[^"]*"')


def export_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose graph, node and edge attributes are all str/int/float."""
    out = nx.MultiDiGraph()
    out.graph.update(safe_attrs(g.graph))
    for n, d in g.nodes(data=True):
        out.add_node(str(n), **safe_attrs(d))
    for u, v, k, d in g.edges(keys=True, data=True):
        out.add_edge(str(u), str(v), key=k, **safe_attrs(d))
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``g`` as GraphML (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(export_safe(g), path, encoding="utf-8", prettyprint=True)
    return path


def write_gexf(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``g`` as GEXF 1.2 (UTF-8); Gephi shows each node's Chinese ``label``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = export_safe(g)
    safe.graph.setdefault("name", str(g.graph.get("view", "qmgraph")))
    text = "\n".join(nx.generate_gexf(safe, encoding="utf-8", prettyprint=True,
                                      version="1.2draft"))
    # networkx stamps today's date into <meta>; drop it so two runs give identical files
    text = _LASTMOD.sub("", text, count=1)
    if not text.startswith("<?xml"):
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    path.write_text(text + "\n", encoding="utf-8")
    return path
