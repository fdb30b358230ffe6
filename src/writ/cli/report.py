"""`writ report`: the visual report of a run (one HTML page and its PNG plots) and a terminal summary.

The page is for people deciding whether a run is good (`writ.report`); the few lines printed
here are for the person who just ran it: how much was kept, at what price, and the main reasons
for rejections, so the page is opened only when something there needs a look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from writ.cli._common import UserError, out as stdout
from writ.report import ReportError, write_report
from writ.report.page import money, number, rate_text
from writ.report.stats import RunStats


def _summary(stats: RunStats) -> Table:
    h = stats.headline
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(style="dim")
    table.add_column(justify="right", style="bold")
    table.add_column(style="dim")
    table.add_row("tasks", f"{h.tasks:,}", f"{h.tasks_kept:,} with a kept trajectory")
    table.add_row("episodes", f"{h.episodes:,}", f"{h.kept:,} kept, {h.rejected:,} rejected")
    table.add_row("yield", rate_text(h.yield_rate), "kept / episodes")
    table.add_row("tokens", number(h.tokens), f"cost {money(h.cost)}, {money(h.cost_per_kept)} per kept trajectory")
    if h.episodes_per_s is not None:
        table.add_row("speed", f"{h.episodes_per_s:,.1f}", "episodes/s")
    reasons = [(f"check {k}", n) for k, n in stats.check_failures.most_common()]
    reasons += [(k, n) for k, n in stats.terminations.most_common() if k not in ("user_stop", "agent_stop",
                                                                                "transfer", "out_of_scope")]
    if reasons:
        table.add_row("rejected by", "", ", ".join(f"{k} x{n}" for k, n in reasons[:5])
                      + (", ..." if len(reasons) > 5 else ""))
    return table


def report(
    run: Annotated[Path, typer.Argument(help="A run directory written by `writ simulate` (holds run.db).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML page to write; its PNG plots go to "
                                                         "<name>_files/ beside it.")] = Path("report.html"),
    samples: Annotated[int, typer.Option("--samples", help="Kept and rejected conversations in the viewer "
                                                         "(this many of each).")] = 25,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="PNG plots with matplotlib, or HTML charts "
                                                                  "only.")] = True,
) -> None:
    """Write a self-contained HTML report of a run (plots, pass rates, conversations) and print a summary."""
    try:
        result = write_report(run, out, samples=samples, use_matplotlib=None if plots else False)
    except ReportError as exc:
        raise UserError(str(exc)) from None
    if result.stats is not None:
        stdout.print(_summary(result.stats))
    where = f" and {len(result.pngs)} PNG plots in {result.pngs[0].parent}/" if result.pngs else ""
    note = "" if result.matplotlib or not plots else " (matplotlib is not installed: HTML charts, no PNGs)"
    stdout.print(f"wrote {result.html}{where}{note}", highlight=False, soft_wrap=True)
