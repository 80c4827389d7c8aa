"""Static report figures (PNG, SVG) with matplotlib's Agg backend and a CJK font.

- :func:`lineage_figure`: one notice against the higher notice(s) it mirrors — lower
  activities on the left, higher on the right, one line per ``qm:mirrors`` edge
  (colour = grade, width = score).
- :func:`campaign_figure`: one campaign's spread — the campaign on the left, the places
  that ran it in columns by level, coloured by year.
- :func:`hierarchy_figure`: the jurisdiction tree (radial), organizations as dots.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from qmgraph.errors import InputError  # noqa: E402
from qmgraph.levels import LEVEL_RANK  # noqa: E402
from qmgraph.viz.fonts import cjk_rc  # noqa: E402
from qmgraph.viz.layout import hierarchy_layout  # noqa: E402
from qmgraph.viz.load import LEVEL_ZH, Facts, load_facts, shorten  # noqa: E402
from qmgraph.viz.views import campaigns_view, hierarchy_view, lineage_view  # noqa: E402

GRADE_COLOR = {"verbatim": "#c0392b", "adapted": "#e67e22"}
LEVEL_COLOR = {"national": "#8e44ad", "provincial": "#2471a3", "prefectural": "#17a589",
               "county": "#7d8c2a"}


def _act_label(d: dict[str, Any], n: int = 22) -> str:
    head = d.get("block_label", "")
    body = shorten(d.get("text", d.get("label", "")), n)
    return f"[{head}] {body}" if head else body


# --- picking a notice / campaign ----------------------------------------------------------

def find_notice(facts: Facts, key: str | None) -> str:
    """The notice IRI for ``key`` (IRI, key, doc number, source file or title part).

    With no key: the notice with the most outgoing mirror links (then the first notice).
    """
    notices = facts.of_kind("notice")
    if not notices:
        raise InputError("the graph has no qm:Notice", hint="is this a qmgraph build?")
    if key is None:
        sources = (facts.get(m.source) for m in facts.mirrors)
        out = Counter(nt for src in sources if src and (nt := src.one("notice")))
        if out:
            return max(sorted(out), key=lambda n: out[n])
        return notices[0].iri
    for e in notices:
        if key in (e.iri, e.iri.rsplit("/", 1)[-1], e.one("docNumber"), e.one("sourceFile")):
            return e.iri
    hits = [e.iri for e in notices if key in e.label or key in str(e.one("sourceFile", ""))]
    if len(hits) == 1:
        return hits[0]
    known = "; ".join(f"{e.iri.rsplit('/', 1)[-1]} ({e.label})" for e in notices[:12])
    raise InputError(f"no single notice matches {key!r}",
                     hint=f"give a notice key, doc number or source file: {known}")


def find_campaign(g: nx.MultiDiGraph, label: str | None) -> str:
    """The campaign node of the campaigns view for ``label`` (label, alt label or IRI;
    of a name run in several years, the year run in the most places).

    With no label: the named campaign run in the most places.
    """
    camps = [n for n, d in g.nodes(data=True) if d.get("kind") in ("campaign", "quality-month")]
    if not camps:
        raise InputError("the graph has no qm:Campaign")

    def places(n: str) -> int:
        return sum(1 for _, _, k in g.out_edges(n, keys=True) if k == "ran_in")

    if label is None:
        named = [n for n in camps if g.nodes[n]["kind"] == "campaign"] or camps
        return max(named, key=lambda n: (places(n), -named.index(n)))
    exact = []
    for n in camps:
        d = g.nodes[n]
        alts = d.get("alt_labels", "").split("、")
        if label in (n, d.get("label"), n.rsplit("/", 1)[-1]) or label in alts:
            exact.append(n)
    if exact:
        # one campaign per year: a name run in several years (电梯安全宣传周) draws the year
        # run in the most places, the latest on a tie (an IRI picks another year)
        return max(exact, key=lambda n: (places(n), g.nodes[n].get("year") or 0, n))
    hits = [n for n in camps if label in g.nodes[n].get("label", "")]
    if len(hits) == 1:
        return hits[0]
    known = "、".join(list(dict.fromkeys(g.nodes[n]["label"] for n in camps))[:20])
    raise InputError(f"no single campaign matches {label!r}", hint=f"known campaigns: {known}")


# --- figures ------------------------------------------------------------------------------

def lineage_figure(dataset: Any, notice: str | None = None) -> Figure:
    """Bipartite lineage of one notice: its activities (left) → the higher ones (right)."""
    facts = load_facts(dataset)
    g = lineage_view(facts)
    nt = find_notice(facts, notice)
    mirrors = [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True)
               if k == "mirrors" and g.nodes[u].get("notice") == nt]
    lows = sorted({u for u, _, _ in mirrors})
    low_y = {n: i for i, n in enumerate(lows)}
    highs_w: dict[str, list[float]] = {}
    for u, v, _ in mirrors:
        highs_w.setdefault(v, []).append(low_y[u])
    highs = sorted(highs_w, key=lambda n: (sum(highs_w[n]) / len(highs_w[n]), n))
    rows = max(len(lows), len(highs), 1)
    scale = rows / max(len(highs), 1)
    high_y = {n: i * scale for i, n in enumerate(highs)}
    scale_low = rows / max(len(lows), 1)
    low_y = {n: i * scale_low for i, n in enumerate(lows)}
    title = facts.label(nt)
    with cjk_rc():
        fig = Figure(figsize=(13, max(3.0, 0.42 * rows + 1.6)), dpi=110)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-1.05, 2.05)
        ax.set_ylim(rows, -1.5)
        if not mirrors:
            ax.text(0.5, rows / 2, "该通知没有 qm:mirrors 链接（no mirror links）",
                    ha="center", va="center", fontsize=12)
        for u, v, d in mirrors:
            grade = d.get("grade", "")
            score = float(d.get("score", 0.5))
            ax.plot([0, 1], [low_y[u], high_y[v]], color=GRADE_COLOR.get(grade, "#7f8c8d"),
                    lw=0.6 + 2.6 * score, alpha=0.75, zorder=1)
        for n in lows:
            d = g.nodes[n]
            ax.scatter([0], [low_y[n]], s=36, color=LEVEL_COLOR.get(d.get("level", ""), "#555"),
                       zorder=2)
            ax.text(-0.03, low_y[n], _act_label(d), ha="right", va="center", fontsize=8)
        for n in highs:
            d = g.nodes[n]
            ax.scatter([1], [high_y[n]], s=36,
                       color=LEVEL_COLOR.get(d.get("level", ""), "#555"), zorder=2)
            notice = shorten(d.get("notice_label", ""), 16)
            ax.text(1.03, high_y[n], _act_label(d) + f"  〔{notice}〕", ha="left", va="center",
                    fontsize=8)
        ax.text(0, -0.9, "本级活动 lower", ha="center", fontsize=10, weight="bold")
        ax.text(1, -0.9, "上级活动 higher", ha="center", fontsize=10, weight="bold")
        for i, (grade, color) in enumerate(GRADE_COLOR.items()):
            ax.text(1.6 + 0.25 * i, -0.9, f"━ {grade}", color=color, fontsize=9)
        ax.set_title(f"沿袭 Lineage：{title}（{len(mirrors)} 条 mirrors）", fontsize=12, pad=14)
        fig.tight_layout()
    return fig


def campaign_figure(dataset: Any, campaign: str | None = None) -> Figure:
    """A campaign's spread: the campaign → the places that ran it, by level and year."""
    g = campaigns_view(load_facts(dataset))
    c = find_campaign(g, campaign)
    places = sorted({v for _, v, k in g.out_edges(c, keys=True)
                     if k == "ran_in" and g.nodes[v].get("kind") == "jurisdiction"},
                    key=lambda n: (LEVEL_RANK.get(g.nodes[n].get("level", ""), 4), n))
    years: dict[str, int] = {}
    acts: dict[str, int] = {}
    for _, v, k, d in g.out_edges(c, keys=True, data=True):
        if k == "ran_in":
            years[v] = int(d.get("year", g.nodes[c].get("year", 0)) or 0)
            acts[v] = int(d.get("activities", 1))
    cols: dict[int, list[str]] = {}
    for n in places:
        cols.setdefault(LEVEL_RANK.get(g.nodes[n].get("level", ""), 4), []).append(n)
    rows = max((len(v) for v in cols.values()), default=1)
    all_years = sorted(set(years.values()))
    cmap = matplotlib.colormaps["tab10"]
    ycolor = {y: cmap(i % 10) for i, y in enumerate(all_years)}
    with cjk_rc():
        fig = Figure(figsize=(3 + 2.6 * max(len(cols), 1), max(3.0, 0.4 * rows + 1.8)), dpi=110)
        ax = fig.add_subplot()
        ax.set_axis_off()
        cy = (rows - 1) / 2
        ax.scatter([0], [cy], s=260, color="#34495e", zorder=3)
        ax.text(0, cy - 0.6, g.nodes[c]["label"], ha="center", fontsize=11, weight="bold")
        for ci, r in enumerate(sorted(cols)):
            x = ci + 1
            ns = cols[r]
            off = (rows - len(ns)) / 2
            ax.text(x, -1.0, LEVEL_ZH.get(list(LEVEL_ZH)[r] if r < 4 else "", "其他"),
                    ha="center", fontsize=10, weight="bold")
            for i, n in enumerate(ns):
                y = off + i
                col = ycolor.get(years.get(n, 0), "#888")
                ax.plot([0, x], [cy, y], color=col, lw=0.5 + 0.4 * min(acts.get(n, 1), 6),
                        alpha=0.45, zorder=1)
                ax.scatter([x], [y], s=50, color=col, zorder=2)
                ax.text(x + 0.06, y, f"{g.nodes[n]['label']}（{acts.get(n, 1)}）",
                        va="center", fontsize=8)
        for i, y in enumerate(all_years):
            ax.text(0, rows + 0.2 + 0.5 * i, f"● {y} 年", color=ycolor[y], ha="center",
                    fontsize=9)
        ax.set_xlim(-0.8, len(cols) + 0.9)
        ax.set_ylim(rows + 0.6 + 0.5 * len(all_years), -1.6)
        series = g.nodes[c].get("series")
        # a campaign named like its series (电梯安全宣传周 of one year) needs no series note
        extra = f"（系列：{series}）" if series and series != g.nodes[c]["label"] else ""
        fig.suptitle(f"活动扩散 Campaign spread：{g.nodes[c]['label']}{extra}"
                     f"，{len(places)} 个地区", fontsize=12)
        fig.tight_layout()
    return fig


def hierarchy_figure(dataset: Any) -> Figure:
    """The jurisdiction tree as a radial layout; organizations as small dots."""
    g = hierarchy_view(load_facts(dataset))
    pos = hierarchy_layout(g)
    with cjk_rc():
        fig = Figure(figsize=(12, 12), dpi=110)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        for u, v, k in g.edges(keys=True):
            if k in ("contains", "has_organization") and u in pos and v in pos:
                ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]],
                        color="#bbb" if k == "has_organization" else "#777",
                        lw=0.4 if k == "has_organization" else 0.9, zorder=1)
        for n, d in g.nodes(data=True):
            x, y = pos[n]
            if d.get("kind") == "jurisdiction":
                lvl = d.get("level", "")
                ax.scatter([x], [y], s={"national": 160, "provincial": 90}.get(lvl, 40),
                           color=LEVEL_COLOR.get(lvl, "#555"), zorder=3)
                ang = math.atan2(y, x)
                ax.text(x + 14 * math.cos(ang), y + 14 * math.sin(ang), d["label"],
                        fontsize={"national": 11, "provincial": 9}.get(lvl, 6.5),
                        ha="left" if x >= 0 else "right", va="center", zorder=4)
            else:
                ax.scatter([x], [y], s=6, color="#95a5a6", zorder=2)
        ax.invert_yaxis()
        n_j = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "jurisdiction")
        fig.suptitle(f"行政层级 Hierarchy：{n_j} 个地区，{g.number_of_nodes() - n_j} 个机构",
                     fontsize=13)
        fig.tight_layout()
    return fig


def figure(dataset: Any, view: str = "lineage", *, notice: str | None = None,
           campaign: str | None = None) -> Figure:
    """The report figure of ``view`` (lineage of a notice, a campaign's spread, hierarchy)."""
    try:
        draw = FIGURES[view]
    except KeyError:
        raise ValueError(f"unknown view {view!r}") from None
    return draw(dataset, notice=notice, campaign=campaign)


#: The figure of each view (``qmgraph.viz.views.VIEWS``), drawn from the dataset and the
#: notice or campaign asked for (each figure reads the one it needs).
FIGURES: dict[str, Callable[..., Figure]] = {
    "lineage": lambda ds, notice=None, campaign=None: lineage_figure(ds, notice),
    "campaigns": lambda ds, notice=None, campaign=None: campaign_figure(ds, campaign),
    "hierarchy": lambda ds, notice=None, campaign=None: hierarchy_figure(ds),
}


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix: .png or .svg)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with cjk_rc():
        meta = {"Date": None} if path.suffix.lower() == ".svg" else {"Software": None}
        fig.savefig(path, metadata=meta, bbox_inches="tight")
    return path
