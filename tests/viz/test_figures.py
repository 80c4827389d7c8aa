"""Static figures: a CJK font is found, Chinese renders without missing glyphs, files written."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from qmgraph.errors import InputError
from qmgraph.viz import VIEWS
from qmgraph.viz.figures import figure, find_notice, lineage_figure, save_figure
from qmgraph.viz.fonts import cjk_rc, find_cjk_font
from qmgraph.viz.load import Facts
from tests.viz import dataset as D


def test_cjk_font_found() -> None:
    fam = find_cjk_font()
    assert any(t in fam for t in ("CJK", "Han", "WenQuanYi", "Hei")), fam


def test_chinese_renders_without_missing_glyphs(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with cjk_rc():
            fig = Figure(figsize=(4, 2))
            fig.text(0.1, 0.5, "四川省公安厅 昆仑2022 质量月 凉山彝族自治州")
            fig.savefig(tmp_path / "zh.png")
            fig.savefig(tmp_path / "zh.svg")
    glyph = [str(w.message) for w in caught if "missing from" in str(w.message)
             or "Glyph" in str(w.message)]
    assert not glyph, glyph


@pytest.mark.parametrize("view", VIEWS)
def test_figures_written(facts: Facts, tmp_path: Path, view: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = figure(facts, view)
        png = save_figure(fig, tmp_path / f"{view}.png")
        svg = save_figure(fig, tmp_path / f"{view}.svg")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:2000]


def test_lineage_figure_picks_a_notice(facts: Facts) -> None:
    assert find_notice(facts, None) == str(D.N_PROV)  # the one with mirror links
    assert find_notice(facts, "川市监发〔2022〕88号") == str(D.N_PROV)
    assert find_notice(facts, D.NAT) == str(D.N_NAT)
    with pytest.raises(InputError, match="no single notice"):
        find_notice(facts, "不存在的通知")
    ax = lineage_figure(facts, D.PROV_KEY).axes[0]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "省公安厅" in texts and "公安部" in texts


def test_campaign_figure_by_label(facts: Facts) -> None:
    fig = figure(facts, "campaigns", campaign="昆仑2022")
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "四川省" in texts and "中华人民共和国" in texts
