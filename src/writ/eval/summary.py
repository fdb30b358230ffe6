"""Figures of an evaluation: pass^k with intervals, breakdowns by writ's axes, tokens and latency.

Everything is computed from the simulation records of a results file, per domain, so a results
file can be summarized again without the run store. A simulation succeeds when its reward is 1
(tau2's test); the strict figures use the strict reward. Simulations whose reward left a
component not evaluated (NL assertions without a judge) are counted, and the figures are then
"over evaluated components", which every rendering marks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from writ.eval.passk import pass_hat_k, pass_hat_ks
from writ.eval.reward import is_success
from writ.task import Task
from writ.tasks.stats import task_axes

__all__ = ["READ_HEAVY_EVIDENCE", "summarize", "task_groups"]

READ_HEAVY_EVIDENCE = 3  # evidence burden from which a task counts as read-heavy
TOKENS = ("prompt_tokens", "completion_tokens", "reasoning_tokens")


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def task_groups(task: Task, mutating: set[str]) -> dict[str, list[str]]:
    """The breakdown groups a task belongs to: writes, evidence, behaviours, read-heavy or not."""
    writes, evidence = task_axes(task, mutating)
    behaviours = list((task.writ or {}).get("behaviours") or []) or ["(none)"]
    heavy = f"read-heavy (evidence >= {READ_HEAVY_EVIDENCE})" if evidence >= READ_HEAVY_EVIDENCE else "other"
    return {"n_writes": [str(writes)], "evidence": [str(evidence)], "behaviours": behaviours, "read_heavy": [heavy]}


def _counts(sims: list[dict[str, Any]], reward: Callable[[dict[str, Any]], float | None]) -> dict[str, tuple[int, int]]:
    per_task: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in sims:
        row = per_task[s["task_id"]]
        row[0] += int(is_success(reward(s)))
        row[1] += 1
    return {t: (c, n) for t, (c, n) in per_task.items()}


def _tau2(s: dict[str, Any]) -> float | None:
    return (s.get("reward_info") or {}).get("reward")


def _strict(s: dict[str, Any]) -> float | None:
    return (s.get("strict_reward_info") or {}).get("reward")


def _usage_means(sims: list[dict[str, Any]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in TOKENS:
        out[key] = _mean(float((s.get("usage") or {}).get("agent", {}).get(key, 0) or 0) for s in sims)
    out["user_prompt_tokens"] = _mean(float((s.get("usage") or {}).get("user", {}).get("prompt_tokens", 0) or 0)
                                      for s in sims)
    out["agent_cost"] = _mean(float(s.get("agent_cost") or 0) for s in sims)
    return {k: (round(v, 3) if v is not None else None) for k, v in out.items()}


def _group_rows(sims: list[dict[str, Any]], tasks: dict[str, Task], mutating: set[str], trials: int,
                seed: int) -> dict[str, list[dict[str, Any]]]:
    members: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for s in sims:
        task = tasks.get(s["task_id"])
        if task is None:
            continue
        for axis, groups in task_groups(task, mutating).items():
            for g in groups:
                members[axis][g].append(s)
    out: dict[str, list[dict[str, Any]]] = {}
    for axis, groups in members.items():
        rows = []
        for g, group_sims in sorted(groups.items(), key=lambda kv: (len(kv[0]), kv[0])):
            tau2 = list(_counts(group_sims, _tau2).values())
            strict = list(_counts(group_sims, _strict).values())
            row = {"group": g, "tasks": len(tau2), "pass^1": pass_hat_k(tau2, 1, seed=seed).to_json(),
                   "strict pass^1": pass_hat_k(strict, 1, seed=seed).to_json(),
                   "completion_tokens_per_simulation": _usage_means(group_sims)["completion_tokens"]}
            if trials > 1:
                row[f"pass^{trials}"] = pass_hat_k(tau2, trials, seed=seed).to_json()
            rows.append(row)
        out[axis] = rows
    return out


def _per_task(sims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sims:
        by_task[s["task_id"]].append(s)
    rows = []
    for task_id, group in by_task.items():
        won = [s for s in group if is_success(_tau2(s))]
        rows.append({"task_id": task_id, "trials": len(group), "successes": len(won),
                     "strict_successes": sum(1 for s in group if is_success(_strict(s))),
                     "tokens": _usage_means(group), "tokens_when_successful": _usage_means(won) if won else None,
                     "duration_mean_s": _round(_mean(float(s.get("duration") or 0) for s in group))})
    return rows


def _mean_over_tasks(rows: list[dict[str, Any]], key: str) -> dict[str, float | None]:
    present = [r[key] for r in rows if r.get(key)]
    return {k: _round(_mean(float(r[k] or 0) for r in present)) for k in (*TOKENS, "agent_cost")} if present else {}


def summarize(simulations: list[dict[str, Any]], tasks: dict[str, Task], trials: int, mutating: set[str], *,
              seed: int = 0) -> dict[str, Any]:
    """The figures of one domain's simulations (`tasks` by id, for the breakdowns)."""
    sims = list(simulations)
    tau2_counts = list(_counts(sims, _tau2).values())
    strict_counts = list(_counts(sims, _strict).values())
    not_evaluated = Counter(name for s in sims
                            for name in ((s.get("reward_info") or {}).get("info") or {}).get("not_evaluated", []))
    successes = [s for s in sims if is_success(_tau2(s))]
    durations = [float(s.get("duration") or 0) for s in sims]
    latencies = [float(s["usage"]["agent"]["latency_s"]) / s["usage"]["agent"]["calls"]
                 for s in sims if (s.get("usage") or {}).get("agent", {}).get("calls")]
    total = {key: sum(int((s.get("usage") or {}).get(side, {}).get(key, 0) or 0) for s in sims)
             for side in ("agent",) for key in TOKENS}
    per_task = _per_task(sims)
    axes_source = ("writ metadata" if tasks and all((t.writ or {}).get("n_writes") is not None for t in tasks.values())
                   else "derived from the gold actions")
    return {
        "tasks": len(tasks),
        "tasks_with_results": len(tau2_counts),
        "complete_tasks": sum(1 for _, n in tau2_counts if n >= trials),
        "simulations": len(sims),
        "trials": trials,
        "average_reward": round(_mean(float(_tau2(s) or 0) for s in sims) or 0.0, 6),
        "average_strict_reward": round(_mean(float(_strict(s) or 0) for s in sims) or 0.0, 6),
        "pass_hat_k": {str(k): v.to_json() for k, v in pass_hat_ks(tau2_counts, trials, seed=seed).items()},
        "strict_pass_hat_k": {str(k): v.to_json() for k, v in pass_hat_ks(strict_counts, trials, seed=seed).items()},
        "ci": "95% percentile bootstrap over tasks, 1000 resamples, seed " + str(seed),
        "not_evaluated": dict(not_evaluated),
        "not_evaluated_simulations": sum(1 for s in sims
                                         if ((s.get("reward_info") or {}).get("info") or {}).get("not_evaluated")),
        "terminations": dict(Counter(s.get("termination_reason") for s in sims).most_common()),
        "strict_failures": dict(Counter(name for s in sims
                                        for name, c in ((s.get("strict_reward_info") or {}).get("checks") or {}).items()
                                        if not c.get("passed")).most_common()),
        "breakdown": _group_rows(sims, tasks, mutating, trials, seed),
        "axes_source": axes_source,
        "usage": {"per_simulation": _usage_means(sims), "per_successful_simulation": _usage_means(successes),
                  "per_task": _mean_over_tasks(per_task, "tokens"),
                  "per_successful_task": _mean_over_tasks(per_task, "tokens_when_successful"),
                  "total_agent": total},
        "latency": {"duration_mean_s": _round(_mean(durations)), "duration_p50_s": _round(_quantile(durations, 0.5)),
                    "duration_p95_s": _round(_quantile(durations, 0.95)),
                    "agent_call_mean_s": _round(_mean(latencies))},
        "per_task": per_task,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
