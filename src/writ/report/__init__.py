"""The visual report of a run: one self-contained HTML page and its PNG plots.

Layers, each usable alone: `read_run` reduces a run store to one row per episode;
`compute_stats` turns rows into the report's numbers; `build_charts` decides what each figure
shows; `render_png` (matplotlib) or `render_html_chart` (no matplotlib) draws it; `render_page`
assembles the page with the conversation viewer; `write_report` does all of it for one run.
"""

from writ.report.build import NO_MATPLOTLIB, ReportResult, files_dir, write_report
from writ.report.charts import Chart, CountBars, GridChart, HistChart, RateBars, build_charts, rate_color
from writ.report.conversations import pick_samples, render_conversation
from writ.report.htmlcharts import grid_table, render_html_chart
from writ.report.load import EpisodeRow, ReportError, RunView, read_run
from writ.report.page import Sample, render_page
from writ.report.plots import available as matplotlib_available
from writ.report.plots import render_png
from writ.report.stats import Group, Headline, Histogram, RunStats, compute_stats

__all__ = [
    "NO_MATPLOTLIB", "Chart", "CountBars", "EpisodeRow", "GridChart", "Group", "Headline", "HistChart", "Histogram",
    "RateBars", "ReportError", "ReportResult", "RunStats", "RunView", "Sample", "build_charts", "compute_stats",
    "files_dir", "grid_table", "matplotlib_available", "pick_samples", "read_run", "rate_color",
    "render_conversation", "render_html_chart", "render_page", "render_png", "write_report",
]
