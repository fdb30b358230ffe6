"""Helpers shared by the command modules: option types and error translation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from writ.console import make_console
from writ.data import DataError, DomainData, load_data
from writ.task import TaskFileError, load_tasks

console = make_console(stderr=True)
out = make_console()


class UserError(Exception):
    """An error caused by the user's input; printed as one line, exit code 2."""


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except (DataError, TaskFileError) as exc:
        raise UserError(str(exc)) from None


DomainOpt = Annotated[str, typer.Option(
    "--domain", "-d", help="airline, retail, telecom, mock or banking_knowledge[-<retrieval variant>].")]
Tau2DataOpt = Annotated[Path | None, typer.Option(
    "--tau2-data", help="A tau2-bench data directory (its root or one domain's folder).")]
DataOpt = Annotated[Path | None, typer.Option("--data", help="A database directory written by `writ db generate`.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the generated database when no data directory is given.")]
ScaleOpt = Annotated[float, typer.Option("--scale", help="Size of the generated database relative to tau2's.")]


def load(domain: str, tau2_data: Path | None, data: Path | None, seed: int = 0, scale: float = 1.0) -> DomainData:
    with user_errors():
        return load_data(domain, tau2_data=tau2_data, data=data, seed=seed, scale=scale)


def read_tasks(path: Path):
    with user_errors():
        return load_tasks(path)
