"""The results file: tau2-bench's layout (``info``, ``tasks``, ``simulations``) plus writ's figures.

Each simulation carries tau2's fields (``id``, ``task_id``, ``trial``, ``messages``,
``termination_reason``, ``reward_info``, ``agent_cost``, ``user_cost``, ``duration``) and writ's
additions (``strict_reward_info``, ``usage`` per side with latency, ``attempts``). The figures of
`writ.eval.summary` sit under ``info["summary"]``; `write_results` also writes ``summary.md`` and a
self-contained ``results.html`` beside ``results.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from writ.atomic import atomic_write_text, open_atomic
from writ.core import Episode
from writ.data import DomainData
from writ.eval.judge import score_episode
from writ.eval.render import render_html, render_markdown
from writ.eval.selection import original_id, trial_of
from writ.eval.summary import summarize
from writ.redact import redact_json
from writ.sim.runstore import RunStore
from writ.task import Task

__all__ = ["build_results", "collect_run", "mutating_tools", "simulation_record", "write_results"]


def mutating_tools(data: DomainData) -> set[str]:
    return data.domain.write_tools()


def _side_usage(turns: list[dict[str, Any]], actor: str) -> dict[str, Any]:
    out = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "reasoning_tokens": 0, "cost": 0.0, "latency_s": 0.0}
    for turn in turns:
        if turn.get("actor") != actor:
            continue
        usage = turn.get("usage") or {}
        if not usage:
            continue  # a scripted turn: no model call
        out["calls"] += 1
        for key in ("prompt_tokens", "completion_tokens", "reasoning_tokens"):
            out[key] += int(usage.get(key) or 0)
        out["cost"] += float(usage.get("cost") or 0)
        out["latency_s"] += float(turn.get("latency_s") or 0)
    out["cost"] = round(out["cost"], 8)
    out["latency_s"] = round(out["latency_s"], 4)
    return out


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if not k.startswith("_")}


def simulation_record(task_id: str, trial: int, domain: str, messages: list[dict[str, Any]], termination: str,
                      scored: dict[str, Any], *, turns: list[dict[str, Any]] | None = None, duration: float = 0.0,
                      attempts: int = 1, error: str = "", agent: str = "", user: str = "") -> dict[str, Any]:
    usage = {side: _side_usage(turns or [], side) for side in ("agent", "user")}
    return {
        "id": f"{task_id}#{trial}",
        "task_id": task_id,
        "trial": trial,
        "domain": domain,
        "termination_reason": termination,
        "reward_info": scored["reward_info"],
        "strict_reward_info": scored["strict"],
        "agent_cost": usage["agent"]["cost"],
        "user_cost": usage["user"]["cost"],
        "usage": usage,
        "duration": round(duration, 4),
        "attempts": attempts,
        "error": error,
        "agent": agent,
        "user": user,
        "messages": [_public(m) for m in messages],
    }


async def collect_run(run_dir: str | Path, originals: dict[str, Task], resolve: Callable[[Task], DomainData],
                      nl_judge: Any = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One record per trial (its last attempt) from a run store, and totals over every attempt."""
    store = RunStore.read(run_dir)
    try:
        last: dict[str, Episode] = {}
        attempts: dict[str, int] = defaultdict(int)
        totals = {"episodes": 0, "prompt_tokens": 0, "completion_tokens": 0, "reasoning_tokens": 0, "cost": 0.0}
        for episode in store.episodes():
            attempts[episode.task_id] += 1
            totals["episodes"] += 1
            for key, value in episode.usage().items():
                totals[key] += value
            held = last.get(episode.task_id)
            if held is None or episode.attempt > held.attempt:
                last[episode.task_id] = episode
    finally:
        store.close()
    records = []
    for copy_id, episode in sorted(last.items(), key=lambda kv: (trial_of(kv[0]), original_id(kv[0]))):
        task = originals.get(copy_id)
        if task is None:
            continue  # a task no longer asked for (cannot happen under an equal config)
        data = resolve(task)
        scored = episode.verdicts if "reward_info" in episode.verdicts else await score_episode(
            task, data, episode.messages, episode.termination, nl_judge=nl_judge)
        records.append(simulation_record(
            task.id, trial_of(copy_id), episode.domain or data.domain.name, episode.messages, episode.termination,
            scored, turns=episode.turns, duration=episode.seconds, attempts=attempts[copy_id], error=episode.error,
            agent=episode.agent, user=episode.user))
    totals["cost"] = round(totals["cost"], 6)
    return records, totals


def build_results(info: dict[str, Any], tasks: list[Task], simulations: list[dict[str, Any]], data: DomainData,
                  trials: int, *, seed: int = 0) -> dict[str, Any]:
    by_id = {t.id: t for t in tasks}
    summary = summarize(simulations, by_id, trials, mutating_tools(data), seed=seed)
    return {"info": {**info, "write_tools": sorted(data.domain.write_tools()), "summary": {data.domain.name: summary}},
            "tasks": [t.to_json() for t in tasks],
            "simulations": simulations}


def write_results(out: str | Path, results: dict[str, Any], *, stem: str = "results") -> list[Path]:
    """``results.json``, ``summary.md`` and ``results.html`` in `out`; returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.json", out / "summary.md", out / f"{stem}.html"]
    if isinstance(results.get("info"), dict):  # endpoints may carry credentials (http://user:key@host)
        results = {**results, "info": redact_json(results["info"])}
    with open_atomic(paths[0]) as handle:  # each file whole or not at all (a kill leaves the old one)
        json.dump(results, handle, ensure_ascii=False, indent=1, default=str)
        handle.write("\n")
    atomic_write_text(paths[1], render_markdown(results))
    atomic_write_text(paths[2], render_html(results))
    return paths
