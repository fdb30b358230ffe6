"""`writ tasks generate` and `writ tasks stats`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from writ.atomic import atomic_write_text
from writ.cli._checks import check_input_file, check_number, check_output_file
from writ.cli._common import DataOpt, DomainOpt, ScaleOpt, Tau2DataOpt, UserError, console, load, out, read_tasks
from writ.domains import get_domain
from writ.task import save_tasks
from writ.tasks.axes import RangeError, parse_outcomes, parse_range
from writ.tasks.draft import DraftError
from writ.tasks.generate import data_scale, generate_tasks
from writ.tasks.stats import load_report, report_path, tasks_stats

app = typer.Typer(help="Tasks: generate tasks on both difficulty axes; show their statistics.", no_args_is_help=True)


@app.command("generate")
def generate(
    domain: DomainOpt,
    n: Annotated[int, typer.Option("--n", help="How many tasks.")] = 100,
    writes: Annotated[str, typer.Option("--writes", help="Writes per task, N or LOW-HIGH.")] = "1-3",
    evidence: Annotated[str, typer.Option("--evidence",
                                          help="Evidence burden of the hardest write, N or LOW-HIGH.")] = "0-6",
    seed: Annotated[int, typer.Option("--seed")] = 0,
    grid: Annotated[bool, typer.Option("--grid/--mix",
                                       help="Every cell equally often (grid) or uniform draws (mix).")] = True,
    out_path: Annotated[Path,
                        typer.Option("--out", "-o", help="Tasks file to write (tau2 schema).")] = Path("tasks.json"),
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    db_seed: Annotated[int, typer.Option("--db-seed",
                                         help="Seed of the generated database (without --data/--tau2-data).")] = 0,
    scale: ScaleOpt = 1.0,
    attempts: Annotated[int,
                        typer.Option("--attempts", help="Drafting attempts per task before giving up on it.")] = 12,
    outcomes: Annotated[str | None, typer.Option(
        "--outcomes", help="Shares of tasks by outcome, e.g. write=0.8,refuse=0.1,transfer=0.04,inform=0.06 "
                           "(default: the domain's mix, close to tau2-bench's; write=1 for writes only).")] = None,
) -> None:
    """Generate validated tasks that cover the writes x evidence grid."""
    check_number("--n", n, least=1, bound="tasks")
    check_number("--attempts", attempts, least=1, bound="attempts")
    check_number("--scale", scale, above=0, bound="scale")
    check_output_file("--out", out_path)
    try:
        w_range = parse_range(writes, "writes", minimum=0, maximum=12)
        e_range = parse_range(evidence, "evidence", minimum=0, maximum=60)
        mix = parse_outcomes(outcomes)
    except RangeError as exc:
        raise UserError(str(exc)) from None
    if tau2_data is None and data is None:
        scale = data_scale(domain, n, scale)  # enough customers for n tasks (telecom)
    loaded = load(domain, tau2_data, data, db_seed, scale)
    try:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            job = bar.add_task(f"generating {domain} tasks", total=n)
            tasks, report = generate_tasks(loaded, n, w_range, e_range, seed=seed, mode="grid" if grid else "mix",
                                           attempts_per_task=attempts, outcomes=mix,
                                           progress=lambda done, total: bar.update(job, completed=done))
    except DraftError as exc:
        raise UserError(str(exc)) from None
    if report.produced == 0:
        reasons = ", ".join(f"{k} x{v}" for k, v in report.rejections.most_common(3)) or "none recorded"
        raise UserError(f"no {domain} task could be produced with --writes {writes} --evidence {evidence} "
                        f"({report.attempts} attempts; most common rejections: {reasons})")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(report_path(out_path), json.dumps(report.to_json(), indent=1) + "\n")
    save_tasks(tasks, out_path)
    rate = report.produced / report.seconds if report.seconds else 0.0
    console.print(f"{report.produced}/{n} {domain} tasks written to {out_path} in {report.seconds:.1f}s "
                  f"({rate:.0f} validated tasks/s, {report.attempts} attempts)")
    if report.produced < n:
        reasons = ", ".join(f"{k} x{v}" for k, v in report.rejections.most_common(4))
        console.print(
            f"[yellow]only {report.produced} of {n} could be produced[/yellow]; most common rejections: {reasons}")


def _generation_report(tasks_file: Path) -> dict | None:
    """The generation report beside a tasks file, or None when it is missing or not one."""
    try:
        report = load_report(tasks_file)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    keys = ("produced", "requested", "seconds", "attempts", "rejections")
    if not isinstance(report, dict) or not all(k in report for k in keys) or not isinstance(report["rejections"], dict):
        return None
    return report


@app.command("stats")
def stats(
    tasks_file: Annotated[Path, typer.Argument(help="A tasks file (writ's or tau2's).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    domain: Annotated[str, typer.Option("--domain", "-d", help="Domain, for tasks without writ metadata.")] = "",
) -> None:
    """Show the writes x evidence grid, generators, write tools, behaviours and rejections."""
    check_input_file("TASKS_FILE", tasks_file, "tasks file")
    tasks = read_tasks(tasks_file)
    name = domain or next((t.user_scenario.get("instructions", {}).get("domain") for t in tasks
                           if isinstance(t.user_scenario.get("instructions"), dict)), "") or ""
    mutating = None
    try:
        if name:
            d = get_domain(name)
            mutating = d.write_tools()
    except KeyError:
        mutating = None
    result = tasks_stats(tasks, mutating)
    result["generation"] = _generation_report(tasks_file)
    if as_json:
        print(json.dumps(result, indent=1))
        return
    grid = Table(title=f"{tasks_file}: {result['tasks']} tasks, writes (rows) x evidence (columns)")
    grid.add_column("writes")
    for e in result["evidence_axis"]:
        grid.add_column(str(e), justify="right")
    grid.add_column("total", justify="right")
    for w in result["writes_axis"]:
        cells = [result["grid"].get(f"{w}x{e}", 0) for e in result["evidence_axis"]]
        grid.add_row(str(w), *[str(c) if c else "." for c in cells], str(sum(cells)))
    out.print(grid)
    for title, key in (("outcome", "outcomes"), ("generator", "generators"), ("write tool", "write_tools"),
                       ("behaviour", "behaviours")):
        if result[key]:
            table = Table(title=f"by {title}")
            table.add_column(title)
            table.add_column("count", justify="right")
            for k, v in result[key].items():
                table.add_row(k, str(v))
            out.print(table)
    out.print(f"mean evidence chars per write: {result['mean_evidence_chars_per_write']}, "
              f"mean candidates per write: {result['mean_candidates_per_write']}")
    gen = result["generation"]
    if gen:
        out.print(f"generation: {gen['produced']}/{gen['requested']} produced in {gen['seconds']}s "
                  f"from {gen['attempts']} attempts")
        for reason, count in gen["rejections"].items():
            out.print(f"  rejected {count:5d}  {reason}")
