"""`writ domains`: list the domains with their tools, kinds and data sources."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from writ.cli._common import out
from writ.domains import domain_names, get_domain


def domains(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    tools: Annotated[bool, typer.Option("--tools", help="List every tool with its kind.")] = False,
) -> None:
    """List the available domains and their tools."""
    rows = []
    for name in domain_names():
        d = get_domain(name)
        agent, user = d.tools("agent"), d.tools("user")
        rows.append({
            "name": name,
            "description": d.description,
            "agent_tools": {t.name: t.kind.value for t in agent},
            "user_tools": {t.name: t.kind.value for t in user},
            "generator": d.generate is not None,
        })
    if as_json:
        print(json.dumps(rows, indent=1))
        return
    table = Table(title="writ domains")
    for col in ("domain", "agent tools (read/write/generic)", "user tools", "generator", "description"):
        table.add_column(col)
    for r in rows:
        kinds = list(r["agent_tools"].values())
        counts = f"{len(kinds)} ({kinds.count('read')}/{kinds.count('write')}/{kinds.count('generic')})"
        table.add_row(r["name"], counts, str(len(r["user_tools"])), "yes" if r["generator"] else "no", r["description"])
    out.print(table)
    if tools:
        for r in rows:
            out.print(f"[bold]{r['name']}[/bold]")
            for side in ("agent_tools", "user_tools"):
                for tool, kind in r[side].items():
                    out.print(f"  {side.split('_')[0]:5} {kind:7} {tool}")
