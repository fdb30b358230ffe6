"""Charts drawn as PNG images with matplotlib (the ``report`` extra).

Figures are made with `matplotlib.figure.Figure` and the Agg canvas directly, never through
pyplot: no global state, no GUI backend picked from the environment (a report is often written on
a headless server), and nothing left open between figures. Each PNG is drawn at twice the size it
is shown, so it stays sharp on high-density screens, and carries no timestamp, so the same run
gives the same bytes.

`available()` says whether matplotlib can be imported; without it the page falls back to
`writ.report.htmlcharts`.
"""

from __future__ import annotations

import io
import math
from typing import Any

from writ.models.usage import money
from writ.report.charts import (
    INK,
    KEPT,
    MUTED,
    REJECTED,
    Chart,
    CountBars,
    GridChart,
    HistChart,
    RateBars,
    is_empty,
    rate_color,
    text_color,
)

__all__ = ["available", "matplotlib_version", "render_png"]

_DPI = 160
_WIDTH = 6.4  # inches; the page shows a figure about 520 px wide
_WIDE = 12.8  # a figure across the page, drawn at the same text scale


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except ImportError:
        return False
    return True


def matplotlib_version() -> str:
    import matplotlib

    return matplotlib.__version__


def _figure(height: float, width: float = _WIDTH) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#c9d1d9")
    ax.tick_params(colors=INK, labelsize=9, length=0)
    ax.set_axisbelow(True)
    return fig, ax


def _png(fig: Any, title: str) -> bytes:
    """The figure as PNG bytes, titled so the file also reads well alone (in slides, in a chat)."""
    fig.suptitle(title, x=0.012, ha="left", fontsize=11, fontweight="bold", color=INK)
    buf = io.BytesIO()
    fig.tight_layout(pad=0.6)
    fig.savefig(buf, format="png", dpi=_DPI, facecolor="white", metadata={"Software": None})
    return buf.getvalue()


def _percent_axis(axis: Any) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    axis.set_major_locator(MultipleLocator(0.25))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))


def _rate_bars(chart: RateBars) -> bytes:
    groups = chart.groups
    if chart.horizontal:
        fig, ax = _figure(max(1.7, 0.95 + 0.3 * len(groups)), _WIDE if chart.wide else _WIDTH)
        ys = list(range(len(groups)))[::-1]
        ax.barh(ys, [g.rate for g in groups], height=0.66 if len(groups) > 3 else 0.5,
                color=[rate_color(g.rate) for g in groups])
        ax.set_yticks(ys, [g.label for g in groups])
        ax.set_xlim(0, 1.18)
        _percent_axis(ax.xaxis)
        ax.grid(axis="x", color="#eaeef2")
        for y, g in zip(ys, groups, strict=True):
            ax.text(g.rate + 0.015, y, f"{g.kept}/{g.total}", va="center", fontsize=8.5, color=MUTED)
        ax.set_xlabel(chart.xlabel, color=MUTED, fontsize=9)
    else:
        fig, ax = _figure(3.0)
        xs = list(range(len(groups)))
        ax.bar(xs, [g.rate for g in groups], width=0.66, color=[rate_color(g.rate) for g in groups])
        ax.set_xticks(xs, [g.label for g in groups])
        ax.set_ylim(0, 1.15)
        _percent_axis(ax.yaxis)
        ax.grid(axis="y", color="#eaeef2")
        for x, g in zip(xs, groups, strict=True):
            ax.text(x, g.rate + 0.02, f"{g.kept}/{g.total}", ha="center", fontsize=8.5, color=MUTED)
        ax.set_xlabel(chart.xlabel, color=MUTED, fontsize=9)
        ax.set_ylabel("pass rate", color=MUTED, fontsize=9)
        if len(groups) < 4:
            ax.set_xlim(-0.5 - (4 - len(groups)) / 2, len(groups) - 0.5 + (4 - len(groups)) / 2)
    return _png(fig, chart.title)


def _grid(chart: GridChart) -> bytes:
    from matplotlib.colors import LinearSegmentedColormap

    writes, evidence = chart.writes, chart.evidence
    fig, ax = _figure(max(2.4, 1.2 + 0.55 * len(writes)))
    cmap = LinearSegmentedColormap.from_list("rate", [(x / 8, rate_color(x / 8)) for x in range(9)])
    cmap = cmap.with_extremes(bad="#f3f4f6")  # cells without episodes
    values = [[chart.cells[(w, e)].rate if (w, e) in chart.cells else math.nan for e in evidence] for w in writes]
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=1, origin="lower", aspect="auto")
    ax.set_xticks(range(len(evidence)), [str(e) for e in evidence])
    ax.set_yticks(range(len(writes)), [str(w) for w in writes])
    ax.set_xlabel("evidence burden (reads needed by the hardest write)", color=MUTED, fontsize=9)
    ax.set_ylabel("writes per task", color=MUTED, fontsize=9)
    small = len(evidence) > 10
    for i, w in enumerate(writes):
        for j, e in enumerate(evidence):
            g = chart.cells.get((w, e))
            if g is None:
                continue
            text = f"{g.kept}/{g.total}" if small else f"{g.rate:.0%}\n{g.kept}/{g.total}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7 if small else 8.5, color=text_color(g.rate),
                    fontweight="bold", linespacing=1.3)
    ax.set_xticks([x - 0.5 for x in range(1, len(evidence))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(writes))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    _percent_axis(bar.ax.yaxis)
    bar.ax.tick_params(labelsize=8, colors=MUTED, length=0)
    bar.outline.set_visible(False)
    return _png(fig, chart.title)


def _hist(chart: HistChart) -> bytes:
    hist = chart.hist
    fig, ax = _figure(2.8)
    edges = hist.edges
    width = edges[1] - edges[0]
    bottom = [0] * (len(edges) - 1)
    colors = {"kept": KEPT, "rejected": REJECTED}
    centred = hist.integer and width == 1
    xs = [e for e in edges[:-1]] if centred else edges[:-1]
    for name, counts in hist.series.items():
        if not sum(counts):
            continue
        ax.bar(xs, counts, bottom=bottom, width=width * (0.82 if centred else 0.94),
               align="center" if centred else "edge", color=colors.get(name, KEPT),
               label=f"{name} ({sum(counts)})")
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.grid(axis="y", color="#eaeef2")
    ax.set_xlabel(chart.xlabel, color=MUTED, fontsize=9)
    ax.set_ylabel("episodes" if len(hist.series) > 1 else "tasks", color=MUTED, fontsize=9)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if hist.integer:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if chart.money:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    elif not hist.integer:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    if len(hist.series) > 1:  # above the plot, right of the title: never over the bars
        ax.legend(frameon=False, fontsize=8.5, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2,
                  borderaxespad=0.2)
    return _png(fig, chart.title)


def _counts(chart: CountBars) -> bytes:
    counts = chart.counts
    fig, ax = _figure(max(1.8, 0.8 + 0.34 * len(counts)))
    ys = list(range(len(counts)))[::-1]
    colors = [chart.color if label.startswith("check:") else "#8c6bb1" for label, _ in counts]
    ax.barh(ys, [n for _, n in counts], height=0.62, color=colors)
    ax.set_yticks(ys, [label for label, _ in counts])
    top = max(n for _, n in counts)
    ax.set_xlim(0, top * 1.15 + 0.5)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#eaeef2")
    for y, (_, n) in zip(ys, counts, strict=True):
        ax.text(n + top * 0.015, y, str(n), va="center", fontsize=8.5, color=MUTED)
    ax.set_xlabel("rejected episodes", color=MUTED, fontsize=9)
    return _png(fig, chart.title)


def render_png(chart: Chart) -> bytes | None:
    """The chart as PNG bytes, or None when it has nothing to show."""
    if is_empty(chart):
        return None
    if isinstance(chart, RateBars):
        return _rate_bars(chart)
    if isinstance(chart, GridChart):
        return _grid(chart)
    if isinstance(chart, HistChart):
        return _hist(chart)
    if isinstance(chart, CountBars):
        return _counts(chart)
    raise TypeError(f"no renderer for {type(chart).__name__}")
