"""What a run shows while it runs (a live bar) and when it ends (`RunSummary`).

A long LLM run is watched for three things: is it moving (rate), is it working (kept vs failed),
and what is it costing (tokens, dollars). The bar shows exactly those; the summary adds why
episodes failed, by termination, because "max_steps" and "agent_error" call for different fixes.
A completed conversation that still failed (wrong final state, or the judge said no) is listed as
its termination followed by ``rejected``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from writ.core import Episode, Termination

__all__ = ["LiveProgress", "RunSummary", "failure_label"]


def failure_label(termination: str) -> str:
    try:
        completed = Termination(termination).terminated
    except ValueError:
        completed = False
    return f"{termination} rejected" if completed else termination


@dataclass
class RunSummary:
    """The state of a run after `simulate` returns (whole run), plus what this call added."""

    run_dir: str
    tasks: int = 0
    kept: int = 0  # tasks with a passed episode
    failed: int = 0  # tasks whose every attempt failed
    pending: int = 0  # tasks neither kept nor out of attempts (an interrupted run)
    episodes: int = 0  # episodes in the store
    new_episodes: int = 0  # episodes simulated by this call
    resumed_episodes: int = 0  # episodes already in the store when this call began
    failures: dict[str, int] = field(default_factory=dict)  # failed episodes by failure_label
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    seconds: float = 0.0  # this call, wall clock
    errors: dict[str, int] = field(default_factory=dict)  # the most common recorded errors, with counts

    @property
    def episodes_per_s(self) -> float:
        return self.new_episodes / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "episodes_per_s": round(self.episodes_per_s, 2), "tokens": self.tokens}

    def lines(self) -> list[str]:
        resumed = f" ({self.resumed_episodes} from before)" if self.resumed_episodes else ""
        out = [
            f"run {self.run_dir}: {self.tasks} tasks, {self.kept} kept, {self.failed} failed"
            + (f", {self.pending} unfinished" if self.pending else ""),
            f"episodes: {self.episodes}{resumed}; {self.new_episodes} simulated now in {self.seconds:.1f}s "
            f"({self.episodes_per_s:.1f} episodes/s)",
            f"tokens: {self.tokens:,} ({self.prompt_tokens:,} prompt, {self.completion_tokens:,} completion), "
            f"cost ${self.cost:.4f}",
        ]
        if self.failures:
            out.append("failed episodes: " + ", ".join(f"{k} x{v}" for k, v in self.failures.items()))
        for error, n in self.errors.items():
            out.append(f"  x{n}: {error}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


class LiveProgress:
    """Counters for a run, drawn as a rich progress bar on stderr when `enabled`."""

    def __init__(self, total_tasks: int, settled: int, *, enabled: bool = True, label: str = "simulating"):
        self.episodes = self.kept = self.failed = self.tokens = 0
        self.cost = 0.0
        self.start = time.perf_counter()
        self._bar: Any = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"), TimeElapsedColumn(),
            console=Console(stderr=True), refresh_per_second=4,
        )
        self._job = self._bar.add_task(label, total=total_tasks, completed=settled, stats=self._stats())

    def _stats(self) -> str:
        rate = self.episodes / max(time.perf_counter() - self.start, 1e-9)
        return (f"ep {self.episodes} | kept {self.kept} | failed {self.failed} | "
                f"tok {self.tokens:,} | ${self.cost:.2f} | {rate:.1f} ep/s")

    def __enter__(self) -> "LiveProgress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.update(self._job, stats=self._stats())
            self._bar.stop()

    def episode(self, episode: Episode) -> None:
        usage = episode.usage()
        self.episodes += 1
        self.tokens += int(usage["prompt_tokens"] + usage["completion_tokens"])
        self.cost += usage["cost"]
        if self._bar is not None:
            self._bar.update(self._job, stats=self._stats())

    def task_settled(self, kept: bool) -> None:
        if kept:
            self.kept += 1
        else:
            self.failed += 1
        if self._bar is not None:
            self._bar.update(self._job, advance=1, stats=self._stats())
