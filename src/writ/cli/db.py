"""`writ db generate`: write a fresh, seeded database of a domain's schema to a directory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from writ.cli._checks import check_number, check_output_dir
from writ.cli._common import DomainOpt, console, user_errors
from writ.data import DB_FILES, load_data, write_db_dir

app = typer.Typer(help="Databases: generate seeded databases of any scale.", no_args_is_help=True)


@app.command("generate")
def generate(
    domain: DomainOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write db.json (and user_db.json, policy.md).")],
    seed: Annotated[int, typer.Option("--seed")] = 0,
    scale: Annotated[float, typer.Option("--scale", help="1.0 is about the size of tau2's database.")] = 1.0,
) -> None:
    """Generate a realistic, internally consistent database (same seed, same bytes)."""
    check_number("--scale", scale, above=0, bound="scale")
    check_output_dir("--out", out, empty_unless=DB_FILES, what="directory (or one written by `writ db generate`)")
    start = time.perf_counter()
    with user_errors():
        loaded = load_data(domain, seed=seed, scale=scale)
        files = write_db_dir(loaded, out)
    store = loaded.base.store()
    sizes = {t: _records(store, t) for t in loaded.base.order}
    shown = [str(f) for f in files if f.parent == out]
    folders = sorted({f.parent for f in files if f.parent != out})
    shown += [f"{d}/ ({sum(1 for f in files if f.parent == d)} files)" for d in folders]
    console.print(f"generated {domain} (seed {seed}, scale {scale}) in {time.perf_counter() - start:.2f}s: "
                  + ", ".join(f"{n} {t}" for t, n in sizes.items() if n) + f" -> {', '.join(shown)}")


def _records(store, table: str) -> int:
    """Records of a table; a single-document table framed as tau2's ``{"data": {...}}`` counts its data."""
    if store.base.layout[table].kind == "doc":
        value = store.get(table)
        return len(value["data"]) if isinstance(value, dict) and isinstance(value.get("data"), dict) else 1
    return store.count(table)
