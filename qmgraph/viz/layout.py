"""Deterministic layouts computed once in Python (O(n log n)), in page pixels.

The page and the figures only draw these positions; nothing is simulated in the browser.

- ``hierarchy``: a radial tree — the nation in the centre, provinces, cities and districts
  on rings further out, each organization just outside its jurisdiction.
- ``lineage``: one band per administrative level, higher levels to the right; in each band
  the activities stacked notice by notice, their organizers to the left at the mean height
  of their activities.
- ``campaigns``: columns series | campaigns | places | organizations, places and
  organizations at the mean height of the campaigns they ran.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from qmgraph.levels import LEVEL_RANK
from qmgraph.viz.load import ORG_KINDS

Pos = dict[str, tuple[float, float]]
ROW = 22.0  #: vertical distance between two stacked nodes
COL = 360.0  #: horizontal distance between columns


def _stack(nodes: Iterable[str], x: float, y0: float = 0.0) -> Pos:
    return {n: (x, y0 + i * ROW) for i, n in enumerate(nodes)}


def _barycentric(g: nx.MultiDiGraph, nodes: list[str], placed: Pos, x: float) -> Pos:
    """Place ``nodes`` in one column at the mean y of their placed neighbours, no overlaps."""
    want: list[tuple[float, str]] = []
    for n in nodes:
        ys = [placed[m][1] for m in nx.all_neighbors(g, n) if m in placed]
        want.append((sum(ys) / len(ys) if ys else math.inf, n))
    want.sort()
    out: Pos = {}
    last = -math.inf
    tail = max((p[1] for p in placed.values()), default=0.0)
    for y, n in want:
        if y == math.inf:
            tail += ROW
            y = tail
        y = max(y, last + ROW)
        out[n] = (x, y)
        last = y
    return out


def hierarchy_layout(g: nx.MultiDiGraph) -> Pos:
    """Radial tree over ``contains`` and ``has_organization`` edges."""
    children: dict[str, list[str]] = defaultdict(list)
    has_parent: set[str] = set()
    for u, v, k in g.edges(keys=True):
        if k in ("contains", "has_organization"):
            children[u].append(v)
            has_parent.add(v)
    for c in children.values():
        # places first (by code), then their organizations
        c.sort(key=lambda n: (g.nodes[n].get("kind") != "jurisdiction", n))
    roots = sorted(n for n in g if n not in has_parent
                   and g.nodes[n].get("kind") == "jurisdiction")
    loose = sorted(n for n in g if n not in has_parent and n not in roots)

    leaves: dict[str, int] = {}

    def count(n: str) -> int:
        stack, order = [n], []
        while stack:
            m = stack.pop()
            order.append(m)
            stack.extend(children.get(m, []))
        for m in reversed(order):
            kids = children.get(m, [])
            floor = 4 if g.nodes[m].get("kind") == "jurisdiction" else 1  # room for a label
            leaves[m] = max(floor, sum(leaves[k] for k in kids))
        return leaves[n]

    total = sum(count(r) for r in roots) or 1
    depth: dict[str, int] = {}
    angle: dict[str, float] = {}
    start = 0.0
    stack: list[tuple[str, int, float, float]] = []
    for r in roots:
        span = 2 * math.pi * leaves[r] / total
        stack.append((r, 0, start, start + span))
        start += span
    while stack:
        n, d, a0, a1 = stack.pop()
        depth[n] = d
        angle[n] = (a0 + a1) / 2
        a = a0
        for k in children.get(n, []):
            span = (a1 - a0) * leaves[k] / leaves[n]
            stack.append((k, d + 1, a, a + span))
            a += span
    per_depth = Counter(depth.values())
    radius: dict[int, float] = {}
    r_prev = 0.0
    for d in sorted(per_depth):
        need = per_depth[d] * ROW * 1.2 / (2 * math.pi)
        radius[d] = 0.0 if d == 0 and per_depth[d] == 1 else max(r_prev + 260.0, need)
        r_prev = radius[d]
    pos: Pos = {}
    for n, d in depth.items():
        r = radius[d]
        pos[n] = (r * math.cos(angle[n]), r * math.sin(angle[n]))
    bottom = max((p[1] for p in pos.values()), default=0.0) + 4 * ROW
    for i, n in enumerate(loose):
        pos[n] = ((i % 20) * 200.0, bottom + (i // 20) * ROW)
    return pos


def _level_rank(g: nx.MultiDiGraph, n: str) -> int:
    return LEVEL_RANK.get(g.nodes[n].get("level", ""), 4)


def lineage_layout(g: nx.MultiDiGraph) -> Pos:
    """Bands by level (county left … national right): organizers | activities."""
    pos: Pos = {}
    acts = [n for n in g if g.nodes[n].get("kind") == "activity"]
    bands: dict[int, list[str]] = defaultdict(list)
    for n in acts:
        bands[_level_rank(g, n)].append(n)
    ranks = sorted(bands, reverse=True)  # lower levels to the left, higher to the right
    band_x = {r: i * 2 * COL for i, r in enumerate(ranks)}
    for r in ranks:
        y = 0.0
        last_notice = None
        for n in sorted(bands[r], key=lambda a: (g.nodes[a].get("notice", ""), a)):
            nt = g.nodes[n].get("notice", "")
            if last_notice is not None and nt != last_notice:
                y += 2 * ROW  # a gap between notices
            last_notice = nt
            pos[n] = (band_x[r] + COL, y)
            y += ROW
    orgs = [n for n in g if n not in pos]
    by_rank: dict[int, list[str]] = defaultdict(list)
    for n in orgs:
        r = _level_rank(g, n)
        by_rank[r if r in band_x else min(band_x, key=lambda b: abs(b - r), default=0)].append(n)
    for r, ns in sorted(by_rank.items()):
        # organizers a little left of their band's activities, off the mirror midpoints
        placed = _barycentric(g, sorted(ns), pos, band_x.get(r, 0.0) + 0.3 * COL)
        # half a row down, so a level mirror line never runs through an organizer
        pos.update({n: (x, y + ROW / 2) for n, (x, y) in placed.items()})
    return pos


def campaigns_layout(g: nx.MultiDiGraph) -> Pos:
    """Columns: series | campaigns (by series, year) | places | organizations."""
    kind = {n: g.nodes[n].get("kind") for n in g}
    series = sorted(n for n in g if kind[n] == "series")
    camps = [n for n in g if kind[n] in ("campaign", "quality-month")]

    def series_of(n: str) -> str:
        for _, v, k in g.out_edges(n, keys=True):
            if k == "in_series":
                return v
        return "~"

    camps.sort(key=lambda n: (kind[n] != "quality-month", series_of(n),
                              g.nodes[n].get("year", 0), g.nodes[n].get("label", ""), n))
    pos: Pos = _stack(camps, COL)
    pos.update(_barycentric(g, series, pos, 0.0))
    places = sorted((n for n in g if kind[n] == "jurisdiction"),
                    key=lambda n: (_level_rank(g, n), n))
    # places: by level, then by the campaigns they ran
    y0 = 0.0
    for r in sorted({_level_rank(g, n) for n in places}):
        group = [n for n in places if _level_rank(g, n) == r]
        placed = _barycentric(g, group, pos, 2.2 * COL)
        shift = y0 - min((p[1] for p in placed.values()), default=0.0)
        shift = max(shift, 0.0)
        placed = {n: (x, y + shift) for n, (x, y) in placed.items()}
        pos.update(placed)
        y0 = max(p[1] for p in placed.values()) + 2 * ROW
    orgs = sorted(n for n in g if kind[n] in ORG_KINDS)
    pos.update(_barycentric(g, orgs, {n: pos[n] for n in camps}, 3.4 * COL))
    rest = sorted(n for n in g if n not in pos)
    pos.update(_stack(rest, 4.6 * COL))
    return pos


_LAYOUTS = {"hierarchy": hierarchy_layout, "lineage": lineage_layout,
            "campaigns": campaigns_layout}


def layout(g: nx.MultiDiGraph, view: str | None = None) -> Pos:
    """Positions (x, y) in pixels for every node of view graph ``g``."""
    view = view or g.graph.get("view", "lineage")
    pos = _LAYOUTS[view](g)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}
