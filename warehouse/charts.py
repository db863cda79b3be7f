"""PNG charts of one indicator across districts and years, with Chinese labels in a bundled CJK font."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display on servers
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from fzzf.warehouse.fonts import cjk_font_path
from fzzf.warehouse.query import Comparison

MAX_SERIES = 12


def cjk_font_name() -> str:
    """Register the bundled CJK font with matplotlib once and return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def plot_comparison(comparison: Comparison, out: Path, *, title: str | None = None) -> Path:
    """Draw a by-district comparison as one line per district over the years; writes a PNG."""
    fig = draw_comparison(comparison, title=title)
    try:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, format="png")
    finally:
        plt.close(fig)
    return out


def draw_comparison(comparison: Comparison, *, title: str | None = None) -> Figure:
    """The chart as a figure (the caller closes it): a line per district, flagged values ringed, axis from 0."""
    family = cjk_font_name()
    years = [int(h) for h in comparison.header[3:]]
    series = [(row[1], row[3:]) for row in comparison.rows]
    # The largest latest values first, so the legend reads like a ranking and the cap drops the smallest.
    series.sort(key=lambda s: max((v for v in reversed(s[1]) if v is not None), default=float("-inf")), reverse=True)
    with plt.rc_context({"font.family": [family], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
        flagged = {(row[1], years[c - 3]) for (r, c), row in
                   ((cell, comparison.rows[cell[0]]) for cell in comparison.quality) if c >= 3}
        for name, values in series[:MAX_SERIES]:
            points = [(y, v) for y, v in zip(years, values) if v is not None]
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
            marked = [(y, v) for y, v in points if (name, y) in flagged]
            if marked:
                # A value a consistency check questions is ringed, never drawn as clean.
                ax.scatter([p[0] for p in marked], [p[1] for p in marked], s=160, facecolors="none",
                           edgecolors="red", linewidths=1.5, zorder=5)
        if flagged:
            ax.annotate("红圈: 有质量标记 / red ring: flagged by a check (see quality)", xy=(0.01, 0.01),
                        xycoords="axes fraction", fontsize="x-small", color="red")
        unit = f"({comparison.unit})" if comparison.unit else ""
        ax.set_title(title or f"{comparison.indicator_name}{unit} · {comparison.indicator}")
        ax.set_xlabel("报告年度 / year reported on")
        ax.set_ylabel(f"{comparison.indicator_name}{unit}")
        ax.set_xticks(years)
        ax.grid(alpha=0.3)
        if all(v >= 0 for _, values in series for v in values if v is not None):
            # Counts, amounts and rates start at zero, so a line's height reads as its size (on a 90-96 axis,
            # 90% would look like nothing).
            ax.set_ylim(bottom=0)
        if series:
            ax.legend(title="区县 / district", fontsize="small", loc="best")
        else:
            ax.text(0.5, 0.5, "无数据 / no data", ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
    return fig
