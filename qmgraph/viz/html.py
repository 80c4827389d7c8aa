"""One self-contained, offline HTML page to explore the graph.

Everything is inline: the data as JSON in ``<script type="application/json">`` (every
``<`` escaped as ``\\u003c`` so no ``</script>`` can end it early), a small vanilla-JS
canvas renderer and its CSS. No CDN, no fonts or scripts fetched, no network at all.

All three views are embedded with layouts precomputed in Python
(:mod:`qmgraph.viz.layout`); the page only pans, zooms, filters and draws, so it stays
responsive with thousands of nodes. Mirror edges carry the highlight spans of their
aligned evidence in both activity texts, computed here from the MirrorLink offsets and
``qm:evidence``.
"""

from __future__ import annotations

import difflib
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from qmgraph.levels import LEVEL_RANK
from qmgraph.viz.layout import layout
from qmgraph.viz.load import LEVEL_ZH, Facts, Mirror, load_facts
from qmgraph.viz.views import BUILDERS, JOIN, VIEWS


def _asset(name: str) -> str:
    """The page's HTML frame, CSS or JavaScript, ``qmgraph/viz/page.html`` / ``page.css`` /
    ``page.js`` (package data); the frame's ``{title}``, ``{css}``, ``{data}`` and ``{js}``
    are filled in by :func:`render_html`.

    The renderer draws precomputed positions on a canvas: pan (drag), zoom (wheel), a grid
    index for node hit tests, culling to the viewport, labels only when zoomed in. Per frame
    it is O(nodes + edges); a click is at most O(edges). ``window.qmgraph`` exposes a small
    API for tests and power users: ``search(q)``, ``selectNode(id)``, ``selectEdge(id)``,
    ``focusEdge(id)``, ``edgeScreenPoint(id)``, ``nodeScreenPoint(id)``, ``mirrorIds()``,
    ``setView(name)``, ``setFilter(name, value)``.
    """
    return files("qmgraph.viz").joinpath(name).read_text(encoding="utf-8")


#: Node attributes shown in the details panel (others are used for filtering only).
_DETAIL_KEYS = ("kind", "level_zh", "year", "jurisdiction", "sector", "division_code",
                "alt_labels", "campaigns", "series", "organizers", "co_organizers",
                "notice_label", "doc_number", "source_file", "block_label", "source_start",
                "source_end", "theme")


def _window(text: str, act_start: Any, act_end: Any, start: Any, end: Any) -> tuple[int, int]:
    """Where ``[start, end)`` (original-file offsets) falls in the activity ``text``.

    Activity and link offsets are in the original file; the text is normalized, so the
    relative position is scaled by the length ratio (exact when nothing was normalized).
    """
    n = len(text)
    if not all(isinstance(v, int) for v in (act_start, act_end, start, end)):
        return (0, n)
    span = max(1, act_end - act_start)
    scale = n / span
    s = max(0, min(n, round((start - act_start) * scale)))
    e = max(s, min(n, round((end - act_start) * scale)))
    return (s, e) if e > s else (0, n)


def evidence_spans(text: str, evidence: str, window: tuple[int, int]) -> list[list[int]]:
    """Character spans of ``text`` to highlight as the aligned evidence.

    An exact occurrence of ``evidence`` nearest to ``window`` wins; otherwise the runs of
    ``text`` (within the window, widened a little) that also occur in ``evidence``.
    """
    if not text:
        return []
    if evidence:
        hits = []
        i = text.find(evidence)
        while i >= 0:
            hits.append(i)
            i = text.find(evidence, i + 1)
        if hits:
            best = min(hits, key=lambda h: abs(h - window[0]))
            return [[best, best + len(evidence)]]
        lo = max(0, window[0] - 12)
        hi = min(len(text), window[1] + 12)
        part = text[lo:hi]
        sm = difflib.SequenceMatcher(None, part, evidence, autojunk=False)
        spans = [[lo + b.a, lo + b.a + b.size] for b in sm.get_matching_blocks() if b.size >= 2]
        if spans:
            return spans
    return [list(window)] if window != (0, len(text)) else []


def _mirror_record(m: Mirror, facts: Facts) -> dict[str, Any]:
    src, tgt = facts.get(m.source), facts.get(m.target)
    rec: dict[str, Any] = {"link": m.iri, "score": m.score, "grade": m.grade,
                           "method": m.method, "evidence": m.evidence}
    for side, e, start, end in (("source", src, m.source_start, m.source_end),
                                ("target", tgt, m.target_start, m.target_end)):
        if e is None:
            rec[side + "Spans"] = []
            continue
        text = str(e.one("text", ""))
        win = _window(text, e.one("sourceStart"), e.one("sourceEnd"), start, end)
        rec[side + "Spans"] = evidence_spans(text, m.evidence, win)
    return rec


def page_data(dataset: Any, initial_view: str = "lineage") -> dict[str, Any]:
    """The JSON the page embeds: nodes once, then per view positions and edges."""
    facts = load_facts(dataset)
    graphs: dict[str, nx.MultiDiGraph] = {v: BUILDERS[v](facts) for v in VIEWS}
    index: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    for v in VIEWS:
        for n, d in graphs[v].nodes(data=True):
            if n in index:
                continue
            index[n] = len(nodes)
            rec: dict[str, Any] = {"id": n, "label": d.get("label", ""), "kind": d["kind"]}
            for k in ("level", "year", "sector", "alt_labels", "text", "notice"):
                if k in d:
                    rec[k] = d[k]
            rec["campaigns"] = [c for c in d.get("campaigns", "").split(JOIN) if c]
            rec["sectors"] = [c for c in d.get("sector", "").split(JOIN) if c]
            rec["details"] = {k: d[k] for k in _DETAIL_KEYS if k in d}
            nodes.append(rec)
    mirrors: list[dict[str, Any]] = []
    mirror_index: dict[tuple[str, str], int] = {}
    for m in facts.mirrors:
        if m.source in index and m.target in index:
            mirror_index[(m.source, m.target)] = len(mirrors)
            rec = _mirror_record(m, facts)
            rec.update({"id": f"m{len(mirrors)}", "s": index[m.source], "t": index[m.target]})
            mirrors.append(rec)
    views: dict[str, Any] = {}
    for v in VIEWS:
        g = graphs[v]
        pos = layout(g, v)
        edges = []
        for u, w, k in g.edges(keys=True):
            e: list[Any] = [index[u], index[w], k]
            if k == "mirrors":
                e.append(mirror_index.get((u, w), -1))
            edges.append(e)
        views[v] = {"nodes": [[index[n], pos[n][0], pos[n][1]] for n in g],
                    "edges": edges}
    levels = sorted({n["level"] for n in nodes if "level" in n}, key=lambda x: LEVEL_RANK[x])
    notices = {e.iri: {"label": e.label, "doc_number": e.one("docNumber", ""),
                       "source_file": e.one("sourceFile", ""), "year": e.one("year", "")}
               for e in facts.of_kind("notice")}
    return {
        "initialView": initial_view,
        "nodes": nodes,
        "mirrors": mirrors,
        "notices": notices,
        "views": views,
        "filters": {
            "level": [[lv, LEVEL_ZH[lv]] for lv in levels],
            "year": sorted({n["year"] for n in nodes if "year" in n}),
            "sector": sorted({s for n in nodes for s in n["sectors"]}),
            "campaign": sorted({c for n in nodes for c in n["campaigns"]}),
        },
    }


def embed_json(data: Any) -> str:
    """``data`` as JSON safe inside a ``<script>`` element (no ``</``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(dataset: Any, view: str = "lineage", title: str = "qmgraph 图谱浏览") -> str:
    """The whole page as a string (see module doc)."""
    data = page_data(dataset, view)
    from html import escape

    return _asset("page.html").format(title=escape(title), css=_asset("page.css"),
                                      data=embed_json(data), js=_asset("page.js"))


def write_html(dataset: Any, path: str | Path, view: str = "lineage") -> Path:
    """Write the page for ``dataset`` to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(dataset, view), encoding="utf-8")
    return path
