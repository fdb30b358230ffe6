"""What each figure shows, decided once, drawn by either renderer.

A chart here is data plus words (title, axis label, one-line caption), not pixels: `writ.report.plots`
draws it as a PNG with matplotlib, `writ.report.htmlcharts` as HTML/CSS bars when matplotlib is
missing. Keeping the decision apart from the drawing means both renderers show the same numbers,
in the same colours, and a new figure is one more entry in `build_charts`.

The palette: green is kept, coral is rejected, and a pass rate runs from coral (0%) through amber
to green (100%) everywhere (heatmap, bars, the HTML table), so a colour means one thing per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from writ.report.stats import Group, Histogram, RunStats

__all__ = ["Chart", "CountBars", "GridChart", "HistChart", "KEPT", "REJECTED", "RateBars", "build_charts",
           "is_empty", "rate_color", "text_color"]

KEPT = "#2f9e72"
REJECTED = "#e0605a"
INK = "#24292f"
MUTED = "#6e7781"
_RAMP = ((0.0, (214, 80, 72)), (0.25, (236, 134, 76)), (0.5, (240, 184, 70)), (0.75, (150, 196, 90)),
         (1.0, (47, 158, 114)))


def rate_color(rate: float) -> str:
    """The colour of a pass rate in [0, 1] (coral, amber, green), as ``#rrggbb``."""
    rate = min(max(rate, 0.0), 1.0)
    for (x0, c0), (x1, c1) in pairwise(_RAMP):
        if rate <= x1:
            t = (rate - x0) / (x1 - x0)
            return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(c0, c1, strict=True))
    return "#" + "".join(f"{c:02x}" for c in _RAMP[-1][1])


def text_color(rate: float) -> str:
    """Dark or white text, whichever reads better on `rate_color(rate)`."""
    r, g, b = (int(rate_color(rate)[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#ffffff"


@dataclass(frozen=True)
class RateBars:
    """Pass rate per value of one property, each bar labelled kept/total."""

    name: str
    title: str
    caption: str
    groups: list[Group]
    xlabel: str
    horizontal: bool = False
    wide: bool = False  # drawn across the page (many long labels)


@dataclass(frozen=True)
class GridChart:
    """The writes x evidence heatmap: colour is pass rate, text is kept/total."""

    name: str
    title: str
    caption: str
    writes: list[int]
    evidence: list[int]
    cells: dict[tuple[int, int], Group]


@dataclass(frozen=True)
class HistChart:
    name: str
    title: str
    caption: str
    hist: Histogram
    xlabel: str
    money: bool = False
    note: str = ""  # said instead of drawing, when the data cannot say anything


@dataclass(frozen=True)
class CountBars:
    """Horizontal bars of counts, largest first."""

    name: str
    title: str
    caption: str
    counts: list[tuple[str, int]]
    color: str = REJECTED


Chart = RateBars | GridChart | HistChart | CountBars


def _rate_bars(name: str, title: str, groups: list[Group], xlabel: str, what: str, *, horizontal: bool = False,
               wide: bool = False, limit: int = 30) -> RateBars:
    caption = f"Kept episodes over all episodes, per {what}; each bar says kept/total."
    if len(groups) > limit:
        caption += f" The {limit} largest of {len(groups)} are shown."
        groups = sorted(groups, key=lambda g: -g.total)[:limit]
    return RateBars(name, title, caption, groups, xlabel, horizontal, wide)


def build_charts(stats: RunStats) -> dict[str, Chart]:
    """Every figure of the report, by name (the name is also the PNG's file stem)."""
    writes, evidence = stats.grid_axes
    h = stats.headline
    charts: list[Chart] = [
        GridChart("grid", "Pass rate over the difficulty grid",
                  "Each cell: tasks with that many writes (rows) and that evidence burden (columns); "
                  "colour is the pass rate, text is kept/total episodes.", writes, evidence, stats.grid),
        _rate_bars("pass_by_writes", "Pass rate by writes per task", stats.by_writes, "writes per task",
                   "number of writes"),
        _rate_bars("pass_by_evidence", "Pass rate by evidence burden", stats.by_evidence, "evidence burden",
                   "evidence burden (reads needed by the hardest write)"),
        _rate_bars("pass_by_behaviour", "Pass rate by user behaviour", stats.by_behaviour, "pass rate",
                   "user behaviour (an episode counts once for each behaviour of its user)", horizontal=True,
                   wide=True),
        _rate_bars("pass_by_domain", "Pass rate by domain", stats.by_domain, "pass rate", "domain", horizontal=True),
        HistChart("turns", "Turns per trajectory", "User and agent messages per episode (tool results not counted).",
                  stats.turns, "turns"),
        HistChart("tokens", "Tokens per trajectory", "Prompt and completion tokens of every model call of an episode.",
                  stats.tokens, "tokens",
                  note="" if h.tokens else "No model tokens were spent: the actors of this run are scripted."),
        HistChart("cost_per_kept", "Cost per kept trajectory",
                  "Per kept task, the cost of all its attempts (the rejected ones were paid for too).",
                  stats.cost_per_kept_task, "cost (USD)", money=True,
                  note="" if h.cost else ("Nothing was kept yet." if not h.kept else
                                          "Nothing was spent: no model of this run reports a price.")),
        CountBars("rejections", "Why episodes were rejected",
                  "Verifier checks failed by conversations that ended on their own, and terminations of those "
                  "that were cut off or crashed (one episode may fail several checks).",
                  [(f"check: {k}", n) for k, n in stats.check_failures.most_common()]
                  + [(f"ended: {k}", n) for k, n in stats.terminations.most_common() if not _completed(k)]),
    ]
    if len(stats.by_generator) > 1:
        charts.append(_rate_bars("pass_by_generator", "Pass rate by task generator", stats.by_generator, "pass rate",
                                 "task generator", horizontal=True))
    return {c.name: c for c in charts}


def _completed(termination: str) -> bool:
    from writ.core import Termination

    try:
        return Termination(termination).terminated
    except ValueError:
        return False


def is_empty(chart: Chart) -> bool:
    if isinstance(chart, RateBars):
        return not chart.groups
    if isinstance(chart, GridChart):
        return not chart.cells
    if isinstance(chart, HistChart):
        return bool(chart.note) or chart.hist.empty
    return not chart.counts
