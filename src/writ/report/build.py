"""`write_report`: a run directory in, one HTML page and its PNG plots out.

The page is the product; the PNGs beside it (``<stem>_files/<chart>.png``) are the same images,
for slides and chats. The folder of PNGs is written first, as a whole (`writ.atomic.atomic_dir`),
and the page last, through a temporary file renamed into place, so a report interrupted at any
moment leaves the previous report or the new one, never a page that looks complete but is not.

Without matplotlib (the ``report`` extra) the page is still written, with HTML/CSS charts, no
PNG files, and a notice saying so: a machine that can simulate can always report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from writ.atomic import atomic_dir, atomic_write_bytes
from writ.redact import secret_values
from writ.report import plots
from writ.report.charts import build_charts
from writ.report.conversations import pick_samples
from writ.report.load import ReportError, read_run
from writ.report.page import Sample, render_page
from writ.report.stats import RunStats, compute_stats

__all__ = ["ReportResult", "files_dir", "write_report"]

NO_MATPLOTLIB = ("matplotlib is not installed, so the charts are drawn in HTML and no PNG files were written; "
                 "install writ[report] for PNG plots.")


@dataclass
class ReportResult:
    html: Path
    pngs: list[Path] = field(default_factory=list)
    stats: RunStats | None = None
    matplotlib: bool = True
    samples: int = 0


def files_dir(html: Path) -> Path:
    """Where the PNGs of `html` go: ``report.html`` -> ``report_files/``."""
    return html.with_name(html.stem + "_files")


def write_report(run_dir: str | Path, out: str | Path, *, samples: int = 25, use_matplotlib: bool | None = None
                 ) -> ReportResult:
    """Write the report of `run_dir` to `out` (and its PNGs beside it); `ReportError` for a bad run.

    `samples` is how many kept and how many rejected conversations the viewer holds (each).
    `use_matplotlib`: None uses it when installed, False forces the HTML charts.
    """
    out = Path(out)
    if out.exists() and out.is_dir():
        raise ReportError(f"{out}: is a directory; give the HTML file to write, e.g. {out}/report.html")
    if samples < 0:
        raise ReportError(f"--samples must be at least 0, got {samples}")
    with read_run(run_dir) as view:
        stats = compute_stats(view)
        charts = build_charts(stats)
        draw = plots.available() if use_matplotlib is None else (use_matplotlib and plots.available())
        pngs: dict[str, bytes | None] = {name: plots.render_png(c) for name, c in charts.items()} if draw else {}
        chosen = []
        for row in pick_samples(view.rows, samples, samples):
            episode = view.episode(row.task_id, row.attempt)
            if episode is not None:
                chosen.append(Sample(row, episode, view.tasks.get(row.task_id) or {}))
        note = f"Plots drawn with matplotlib {plots.matplotlib_version()}." if draw else NO_MATPLOTLIB
        html = render_page(view, stats, charts, pngs, chosen, plots_note=note, fallback=not draw)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if draw:
        folder = files_dir(out)
        with atomic_dir(folder) as tmp:
            for name, png in pngs.items():
                if png is not None:
                    (tmp / f"{name}.png").write_bytes(png)
                    written.append(folder / f"{name}.png")
    for secret in secret_values():  # a key that reached an old store still never reaches the page
        html = html.replace(secret, "***")
    atomic_write_bytes(out, html.encode("utf-8"))
    return ReportResult(out, written, stats, draw, len(chosen))
