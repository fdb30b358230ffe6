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

from writ.cli._checks import check_number, check_output_file
from writ.cli._common import UserError
from writ.cli._common import out as stdout
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
    per_kept = f"{number(h.tokens_per_kept)} per kept trajectory" if h.tokens_per_kept is not None else "none kept"
    table.add_row("tokens", number(h.tokens), f"{per_kept}; cost {money(h.cost)}, "
                  f"{money(h.cost_per_kept)} per kept trajectory")
    if h.episodes_per_s is not None:
        table.add_row("speed", f"{h.episodes_per_s:,.1f}", "episodes/s")
    per_call, per_episode = stats.latency.get("per call"), stats.latency.get("per episode")
    if per_call is not None and per_episode is not None:
        table.add_row("model latency", f"{per_call[0]:.2f}s", f"median per call (p90 {per_call[2]:.2f}s, "
                      f"{stats.model_calls:,} calls); per episode median {per_episode[0]:.1f}s, "
                      f"p90 {per_episode[2]:.1f}s")
    ends = [(k, n) for k, n in stats.terminations.most_common() if k not in ("user_stop", "agent_stop",
                                                                           "transfer", "out_of_scope")]
    if ends:
        table.add_row("cut short", "", ", ".join(f"{k} x{n}" for k, n in ends[:5]) + (", ..." if len(ends) > 5 else ""))
    for v in stats.rejections.ranked()[:5]:
        top = "; ".join(f"x{n} {pattern}" for pattern, n in v.reasons.most_common(2))
        table.add_row(f"rejected by {v.verifier}", f"{v.count:,}", f"{top} (e.g. episode {v.example})")
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
    check_number("--samples", samples, least=0, bound="samples")
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out}: is a directory; give the HTML file to write, e.g. {out}/report.html")
    check_output_file("--out", out)
    if not run.is_dir():
        raise UserError(f"{run}: no such run directory")
    try:
        result = write_report(run, out, samples=samples, use_matplotlib=None if plots else False)
    except ReportError as exc:
        raise UserError(str(exc)) from None
    if result.stats is not None:
        stdout.print(_summary(result.stats))
    where = f" and {len(result.pngs)} PNG plots in {result.pngs[0].parent}/" if result.pngs else ""
    note = "" if result.matplotlib or not plots else " (matplotlib is not installed: HTML charts, no PNGs)"
    stdout.print(f"wrote {result.html}{where}{note}", highlight=False, soft_wrap=True)
