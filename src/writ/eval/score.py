"""`score_file`: rescore recorded conversations without simulating anything.

Input is a JSONL file, one conversation per line (``{"task_id", "termination_reason", "messages",
"trial"?}``, OpenAI-format messages; user-side device calls in telecom as user messages with
``tool_calls`` and tool messages marked ``"requestor": "user"``), or a results JSON file with a
``simulations`` list (tau2-bench's or writ's). Every line is scored with the same two rewards as a
live evaluation; a line that cannot be read is reported with its line number and left out.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.data import DomainData
from writ.eval.conversation import ConversationError, canonical_messages, tool_calls
from writ.eval.judge import score_episode
from writ.eval.results import build_results, simulation_record
from writ.eval.run import EvalOptions, load_eval_tasks, make_nl_judge
from writ.eval.selection import SelectionError, owner_of
from writ.sim.sources import DataResolver

__all__ = ["ScoreOutcome", "read_conversations", "score_file"]


@dataclass
class ScoreOutcome:
    results: dict[str, Any]
    skipped: list[str] = field(default_factory=list)  # "line N: why"


def read_conversations(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """(rows, problems): rows with task_id, trial, termination_reason and canonical messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SelectionError(f"{path}: not a conversations file (not UTF-8 text)") from None
    except OSError as exc:
        raise SelectionError(f"{path}: cannot read ({exc.strerror})") from None
    raw_rows: list[tuple[str, Any]] = []
    stripped = text.lstrip()
    if stripped.startswith("{") and path.suffix != ".jsonl":
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SelectionError(f"{path}: not valid JSON ({exc})") from None
        sims = whole.get("simulations") if isinstance(whole, dict) else None
        if not isinstance(sims, list):
            raise SelectionError(f"{path}: a JSON file must be a results file with a 'simulations' list")
        raw_rows = [(f"simulation {i}", s) for i, s in enumerate(sims)]
    else:
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    raw_rows.append((f"line {i}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    raw_rows.append((f"line {i}", ConversationError(f"not valid JSON ({exc.msg})")))
    rows, problems = [], []
    seen: dict[str, int] = {}
    for where, row in raw_rows:
        try:
            if isinstance(row, Exception):
                raise row
            if not isinstance(row, dict) or not row.get("task_id"):
                raise ConversationError("no task_id")
            task_id = str(row["task_id"])
            trial = row.get("trial")
            if not isinstance(trial, int):
                trial = seen.get(task_id, 0)
            seen[task_id] = max(seen.get(task_id, 0), trial + 1)
            termination = row.get("termination_reason")
            if isinstance(termination, dict):  # some writers store the enum as an object
                termination = termination.get("value")
            rows.append({"task_id": task_id, "trial": trial, "termination_reason": str(termination or ""),
                         "messages": canonical_messages(row.get("messages")),
                         "duration": float(row.get("duration") or 0), "agent_cost": row.get("agent_cost"),
                         "user_cost": row.get("user_cost")})
        except ConversationError as exc:
            problems.append(f"{where}: {exc}")
        except (TypeError, ValueError) as exc:  # e.g. a duration that is not a number
            problems.append(f"{where}: malformed ({exc})")
    return rows, problems


def _check_tools(rows: list[dict[str, Any]], data: DomainData, path: Path) -> None:
    """Refuse conversations that mostly call tools the domain does not have (another domain's)."""
    known = {t.name for side in ("agent", "user") for t in data.domain.tools(side)} | {"invalid_tool_call"}
    foreign: set[str] = set()
    odd = 0
    for row in rows:
        unknown = {c.name for c in tool_calls(row["messages"])} - known
        foreign |= unknown
        odd += bool(unknown)
    if foreign and odd * 2 >= len(rows):
        owner = owner_of(foreign)
        hint = f"; they look like {owner} conversations (pass --domain {owner})" if owner else ""
        raise SelectionError(f"{path}: {odd} of {len(rows)} conversations call tools {data.domain.name} does not have "
                             f"({', '.join(sorted(foreign)[:4])}){hint}; wrong --domain?")


async def score_file(path: Path, opts: EvalOptions) -> ScoreOutcome:
    """Score every conversation of `path` against the tasks `opts` names (domain, data, tasks file)."""
    started = time.time()
    data, tasks, source = load_eval_tasks(opts)
    by_id = {t.id: t for t in tasks}
    rows, problems = read_conversations(path)
    if not rows:
        raise SelectionError(f"{path}: no conversation could be read" + (f" ({problems[0]})" if problems else ""))
    unknown = [r["task_id"] for r in rows if r["task_id"] not in by_id]
    if len(unknown) == len(rows):
        raise SelectionError(f"{path}: none of its task ids are tasks of {source} (first: {unknown[0]}); "
                             "wrong --domain or --tasks?")
    _check_tools(rows, data, path)
    nl_judge = make_nl_judge(opts.judge, opts.judge_base_url)
    resolve = DataResolver(opts.domain, opts.tau2_data.resolve() if opts.tau2_data else None,
                           opts.data.resolve() if opts.data else None, opts.seed)
    simulations = []
    try:
        for row in rows:
            task = by_id.get(row["task_id"])
            if task is None:
                problems.append(f"task {row['task_id']}: not in {source}")
                continue
            start = time.perf_counter()
            scored = await score_episode(task, resolve(task), row["messages"], row["termination_reason"],
                                         nl_judge=nl_judge, strict_replay=opts.strict_replay)
            record = simulation_record(task.id, row["trial"], data.domain.name, row["messages"],
                                       row["termination_reason"], scored, duration=row["duration"])
            record["scoring_seconds"] = round(time.perf_counter() - start, 5)
            for key in ("agent_cost", "user_cost"):
                if row[key] is not None:
                    record[key] = row[key]
            simulations.append(record)
    finally:
        if nl_judge is not None:
            await nl_judge.aclose()
    scored_ids = {s["task_id"] for s in simulations}
    trials = max((sum(1 for s in simulations if s["task_id"] == t) for t in scored_ids), default=1)
    from writ import __version__

    info = {"writ_version": __version__, "domain": data.domain.name, "mode": "score", "conversations": str(path),
            "agent": "(recorded)", "user": "(recorded)", "judge": opts.judge, "num_tasks": len(scored_ids),
            "num_trials": trials, "task_source": source, "data_source": data.source,
            "strict_replay": opts.strict_replay, "skipped": problems, "seconds": round(time.time() - started, 3)}
    scored_tasks = [t for t in tasks if t.id in scored_ids]
    return ScoreOutcome(build_results(info, scored_tasks, simulations, data, trials, seed=opts.seed), problems)
