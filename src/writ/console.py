"""The rich consoles writ prints through: wrapped to the terminal on a terminal, never wrapped elsewhere.

When output goes to a file, a pipe or a CI log, rich assumes 80 columns and folds long lines, which
splits file paths and run summaries in two and cuts the progress line. Off a terminal nothing
needs folding, so lines are printed whole; on a terminal rich measures the window as usual.
"""

from __future__ import annotations

import sys

from rich.console import Console

__all__ = ["UNWRAPPED_WIDTH", "make_console"]

UNWRAPPED_WIDTH = 10_000  # columns assumed off a terminal: wide enough that no line is folded


def make_console(*, stderr: bool = False) -> Console:
    """A console on stdout (or stderr) that folds lines only when it writes to a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=UNWRAPPED_WIDTH, soft_wrap=True)
