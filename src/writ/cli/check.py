"""`writ check`: the conformance check of one or every domain."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from writ.check import check_domain_data, check_generator
from writ.cli._common import DataOpt, ScaleOpt, SeedOpt, Tau2DataOpt, load, out
from writ.domains import domain_names, get_domain


def check(
    domain: Annotated[str | None, typer.Option("--domain", "-d", help="One domain (default: all).")] = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    seed: SeedOpt = 0,
    scale: ScaleOpt = 0.3,
) -> None:
    """Check that domains honour writ's environment contract (known tau2 data quirks are warnings)."""
    names = [domain] if domain else domain_names()
    failed = 0
    for name in names:
        loaded = load(name, tau2_data, data, seed, scale)
        reports = [check_domain_data(loaded)]
        if tau2_data is None and data is None:
            reports.append(check_generator(get_domain(name), scale=scale))
        for report in reports:
            for line in report.passed:
                out.print(f"[green]ok[/green]   {name}: {escape(line)}", highlight=False)
            for line in report.warnings:
                out.print(f"[yellow]warn[/yellow] {name}: {escape(line)}", highlight=False)
            for line in report.failed:
                out.print(f"[red]FAIL[/red] {name}: {escape(line)}", highlight=False)
            failed += len(report.failed)
    raise typer.Exit(1 if failed else 0)
