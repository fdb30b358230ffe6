"""Charts drawn in HTML and CSS, for the page without matplotlib, and the grid's table always.

matplotlib is an optional extra: a server that only simulates should still be able to say how a
run went. Bars are ``<div>`` elements whose width is the value, coloured like the PNGs
(`writ.report.charts.rate_color`), so the fallback page reads the same, only plainer. The
writes x evidence table is drawn here in both cases: a table can be copied, searched and read by
a screen reader, which an image cannot.
"""

from __future__ import annotations

from html import escape

from writ.models.usage import money as format_money
from writ.report.charts import (
    KEPT,
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

__all__ = ["grid_table", "render_html_chart"]


def _bar_row(label: str, fraction: float, color: str, text: str) -> str:
    width = max(0.0, min(fraction, 1.0)) * 100
    return (f'<div class="hbar"><span class="hbar-label" title="{escape(label)}">{escape(label)}</span>'
            f'<span class="hbar-track"><span class="hbar-fill" style="width:{width:.1f}%;background:{color}"></span>'
            f'</span><span class="hbar-text">{escape(text)}</span></div>')


def _rate_bars(chart: RateBars) -> str:
    return "".join(_bar_row(g.label, g.rate, rate_color(g.rate), f"{g.rate:.0%}  {g.kept}/{g.total}")
                   for g in chart.groups)


def _counts(chart: CountBars) -> str:
    top = max(n for _, n in chart.counts)
    return "".join(_bar_row(label, n / top, chart.color if label.startswith("check:") else "#8c6bb1", str(n))
                   for label, n in chart.counts)


def _edge(value: float, money: bool, integer: bool) -> str:
    if money:
        return format_money(value)
    return f"{value:,.0f}" if integer or abs(value) >= 10 else f"{value:.2f}"


def _hist(chart: HistChart) -> str:
    hist = chart.hist
    totals = [sum(col) for col in zip(*hist.series.values(), strict=True)]
    top = max(totals) or 1
    columns = []
    for i, total in enumerate(totals):
        lo, hi = hist.edges[i], hist.edges[i + 1]
        label = (_edge(lo, chart.money, True) if hist.integer and hi - lo == 1
                 else f"{_edge(lo, chart.money, hist.integer)} to {_edge(hi, chart.money, hist.integer)}")
        parts = "".join(
            f'<span style="height:{counts[i] / top * 100:.1f}%;background:{KEPT if name == "kept" else REJECTED}">'
            f'</span>' for name, counts in reversed(list(hist.series.items())) if counts[i])
        columns.append(f'<div class="vbar" title="{escape(label)}: {total}">{parts}</div>')
    first, last = hist.edges[0], hist.edges[-1]
    return (f'<div class="vbars">{"".join(columns)}</div><div class="vbars-axis">'
            f'<span>{escape(_edge(first, chart.money, hist.integer))}</span><span>{escape(chart.xlabel)}</span>'
            f'<span>{escape(_edge(last, chart.money, hist.integer))}</span></div>')


def render_html_chart(chart: Chart) -> str:
    """The chart as an HTML fragment (the grid's is its table, see `grid_table`); "" if empty."""
    if is_empty(chart):
        return ""
    if isinstance(chart, GridChart):
        return grid_table(chart)
    body = (_rate_bars(chart) if isinstance(chart, RateBars) else _counts(chart) if isinstance(chart, CountBars)
            else _hist(chart))
    return f'<div class="css-chart" data-chart="{escape(chart.name)}">{body}</div>'


def grid_table(chart: GridChart) -> str:
    """The writes x evidence grid as a table: rows are writes, columns evidence, cells coloured by rate."""
    head = "".join(f"<th scope=col>{e}</th>" for e in chart.evidence)
    rows = []
    for w in reversed(chart.writes):  # most writes on top, as in the heatmap
        cells = []
        for e in chart.evidence:
            g = chart.cells.get((w, e))
            if g is None:
                cells.append('<td class="empty">&middot;</td>')
                continue
            style = f"background:{rate_color(g.rate)};color:{text_color(g.rate)}"
            cells.append(f'<td style="{style}" title="{w} writes, evidence {e}: {g.kept} kept, {g.rejected} rejected">'
                         f'<b>{g.rate:.0%}</b>'
                         f'<small>{g.kept} kept / {g.rejected} rej.</small></td>')
        rows.append(f"<tr><th scope=row>{w}</th>{''.join(cells)}</tr>")
    return (f'<table class="grid-table"><caption>pass rate per cell; rows: writes per task, columns: '
            f'evidence burden</caption><thead><tr><th class="corner">writes \\ evidence</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
