"""What a run shows while it runs (a live bar, or log lines) and when it ends (`RunSummary`).

A long LLM run is watched for three things: is it moving (rate), is it working (kept vs failed),
and what is it costing (tokens, dollars). On a terminal a rich bar shows exactly those; when
stderr is a file or a pipe (a job log, ``nohup``) a bar draws nothing useful, so one plain line is
written every ``every`` seconds instead, whether or not an episode finished meanwhile. Counts
include what earlier sessions of a resumed run did, so a resumed run never reads "kept 0"; the
rate is this session's episodes over this session's time, in episodes per minute when that
reads better than "0.0 ep/s".

The summary adds why episodes failed: by termination, because "max_steps" and "agent_error" call
for different fixes, and for conversations that ended but were rejected, by verifier with the
most common reasons (`writ.sim.rejections`). A completed conversation that still failed is
listed as its termination followed by ``rejected``.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from writ.core import Episode, Termination
from writ.models.usage import money
from writ.redact import redact
from writ.sim.rejections import rejection_lines

__all__ = ["LiveProgress", "RunSummary", "failure_label", "rate_text"]


def failure_label(termination: str) -> str:
    try:
        completed = Termination(termination).terminated
    except ValueError:
        completed = False
    return f"{termination} rejected" if completed else termination


def rate_text(episodes: int, seconds: float) -> str:
    """Episodes per second, or per minute (or hour) when fewer than one a second (never "0.0 ep/s")."""
    if seconds <= 0 or episodes <= 0:
        return "0 ep/min"
    per_s = episodes / seconds
    if per_s >= 1:
        return f"{per_s:.1f} ep/s"
    if per_s * 60 >= 1:
        return f"{per_s * 60:.1f} ep/min"
    return f"{per_s * 3600:.1f} ep/h"


def _tokens(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.1f}k" if n >= 1e4 else f"{n:,}"


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
    rejections: dict[str, Any] = field(default_factory=dict)  # RejectionTally.to_json(): per verifier
    unpriced: list[str] = field(default_factory=list)  # models whose cost is $0 for want of a price
    retried: int = 0  # transient failures of earlier calls simulated again by this one
    retryable: int = 0  # unkept tasks with transient failures: the next call retries them

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
        price_note = ""
        if self.unpriced:
            price_note = (f" (no price known for {', '.join(self.unpriced)}: counted as $0; "
                          "--prices FILE sets one)")
        out = [
            f"run {self.run_dir}: {self.tasks} tasks, {self.kept} kept, {self.failed} failed"
            + (f", {self.pending} unfinished" if self.pending else ""),
            f"episodes: {self.episodes}{resumed}; {self.new_episodes} simulated now in {self.seconds:.1f}s "
            f"({rate_text(self.new_episodes, self.seconds)})",
            f"tokens: {self.tokens:,} ({self.prompt_tokens:,} prompt, {self.completion_tokens:,} completion), "
            f"cost {money(self.cost)}{price_note}",
        ]
        if self.failures:
            out.append("failed episodes: " + ", ".join(f"{k} x{v}" for k, v in self.failures.items()))
        for error, n in self.errors.items():
            out.append(f"  x{n}: {error}")
        out.extend(rejection_lines(self.rejections))
        if self.retried:
            out.append(f"retried {self.retried} episodes that earlier failed on transient errors")
        if self.retryable:
            out.append(f"{self.retryable} tasks failed on transient errors (server down, timeout, rate limit, 5xx, "
                       "refused key): fix the cause and rerun the same command to retry them")
        return [redact(line) for line in out]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class LiveProgress:
    """Counters for a run, shown on stderr when `enabled`: a rich bar on a terminal, else one line
    every `every` seconds (and one at the end).

    `before` holds what earlier sessions left in the store (``kept``, ``failed``, ``episodes``,
    ``tokens``, ``cost``), counted in so that a resumed run shows the run, not just this session.
    """

    def __init__(self, total_tasks: int, settled: int, *, enabled: bool = True, label: str = "simulating",
                 every: float = 30.0, before: dict[str, Any] | None = None, stream: TextIO | None = None):
        before = before or {}
        self.total, self.settled = total_tasks, settled
        self.kept, self.failed = int(before.get("kept", 0)), int(before.get("failed", 0))
        self.episodes_before = int(before.get("episodes", 0))
        self.tokens, self.cost = int(before.get("tokens", 0)), float(before.get("cost", 0.0))
        self.episodes = 0  # this session's
        self.label, self.every = label, every
        self.start = time.perf_counter()
        self._bar: Any = None
        self._stream = stream
        self._lines = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if not enabled:
            return
        if not self._terminal():
            self._lines = True
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"), TimeElapsedColumn(),
            console=Console(stderr=True), refresh_per_second=4,
        )
        self._job = self._bar.add_task(label, total=total_tasks, completed=settled, stats=self._stats(short=True))

    def _out(self) -> TextIO:
        return self._stream or sys.stderr

    def _terminal(self) -> bool:
        isatty = getattr(self._out(), "isatty", None)
        return bool(isatty and isatty())

    def _stats(self, short: bool = False) -> str:
        """The counters; `short` for the bar, which shares a terminal line with the bar itself."""
        elapsed = time.perf_counter() - self.start
        before = f" (+{self.episodes} now)" if self.episodes_before else ""
        episodes = "ep" if short else "episodes"
        total = self.episodes_before + self.episodes
        return (f"kept {self.kept} | failed {self.failed} | {episodes} {total}{before} | "
                f"{rate_text(self.episodes, elapsed)} | tok {_tokens(self.tokens)} | {money(self.cost)}")

    def line(self) -> str:
        """The plain progress line: ``simulating: 40/200 tasks done | kept 30 | ... | 5m12s``."""
        elapsed = int(time.perf_counter() - self.start)
        hours, minutes, seconds = elapsed // 3600, elapsed // 60 % 60, elapsed % 60
        clock = f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s"
        return f"{self.label}: {self.settled}/{self.total} tasks done | {self._stats()} | {clock}"

    def _emit(self) -> None:
        out = self._out()
        out.write(self.line() + "\n")
        out.flush()

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            self._emit()

    def __enter__(self) -> LiveProgress:
        if self._bar is not None:
            self._bar.start()
        elif self._lines:
            self._emit()  # the starting point, so a log shows at once where a resumed run stands
            if self.every > 0:
                self._thread = threading.Thread(target=self._tick, name="writ-progress", daemon=True)
                self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.update(self._job, stats=self._stats(short=True))
            self._bar.stop()
        elif self._lines:
            self._stop.set()
            if self._thread is not None:
                self._thread.join(5)
            self._emit()

    def episode(self, episode: Episode) -> None:
        usage = episode.usage()
        self.episodes += 1
        self.tokens += int(usage["prompt_tokens"] + usage["completion_tokens"])
        self.cost += usage["cost"]
        if self._bar is not None:
            self._bar.update(self._job, stats=self._stats(short=True))

    def task_settled(self, kept: bool) -> None:
        self.settled += 1
        if kept:
            self.kept += 1
        else:
            self.failed += 1
        if self._bar is not None:
            self._bar.update(self._job, advance=1, stats=self._stats(short=True))
