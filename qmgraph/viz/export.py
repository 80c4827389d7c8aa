"""GraphML and GEXF exports of a view, readable by Gephi and Cytoscape.

Both are UTF-8 XML with Chinese labels as they are. Attribute values are made
export-safe first (str/int/float only, lists joined with "、", None dropped), so a graph
built elsewhere can be written too. GEXF also gets the ``label`` as the node label Gephi shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx

from qmgraph.viz.views import JOIN

_LASTMOD = re.compile(r' lastmodifieddate="[^"]*"')


def _safe(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return JOIN.join(str(v) for v in items if v is not None and v != "")
    return str(value)


def _safe_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """``attrs`` made export-safe, without the empty ones."""
    return {k: v for k, v in ((k, _safe(v)) for k, v in attrs.items()) if v is not None and v != ""}


def export_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose graph, node and edge attributes are all str/int/float."""
    out = nx.MultiDiGraph()
    out.graph.update(_safe_attrs(g.graph))
    for n, d in g.nodes(data=True):
        out.add_node(str(n), **_safe_attrs(d))
    for u, v, k, d in g.edges(keys=True, data=True):
        out.add_edge(str(u), str(v), key=k, **_safe_attrs(d))
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
