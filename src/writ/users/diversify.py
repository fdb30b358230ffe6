"""Diversification: one task becomes several variants, each played by a differently behaving user.

Variants keep the task's gold solution (behaviours change the conversation, not the correct final
state) and share its id stem (``writ["variant_of"]``) so that exports split by task and a task's
variants never straddle train and validation. Behaviour combinations are compatible by
construction (one per dimension, and only behaviours that apply to the task), and coverage is
deliberate: variants cycle through the catalogue so that every behaviour occurs in every domain it
applies to, rather than hoping random draws reach the rare ones. The same seed gives the same
variants, byte for byte.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from writ.task import Task
from writ.users.behaviours import (
    BEHAVIOURS,
    HOLD_LINE,
    ORDER_LINES,
    Behaviour,
    BehaviourError,
    check_combination,
    misremember,
)

__all__ = ["DiversifyReport", "diversify", "variant"]

_STYLE = "style"


@dataclass
class DiversifyReport:
    tasks: int = 0
    variants: int = 0
    behaviours: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {"tasks": self.tasks, "variants": self.variants, "behaviours": dict(self.behaviours.most_common()),
                "skipped": dict(self.skipped.most_common())}


def variant(task: Task, behaviours: list[Behaviour], k: int) -> Task:
    """A copy of `task` played by a user with `behaviours` (scenario rewritten to say so)."""
    data = task.model_dump(mode="json")
    meta = dict(data.get("writ") or {})
    names = [b.name for b in behaviours]
    meta["behaviours"] = names
    meta["variant_of"] = meta.get("variant_of") or task.id
    meta["variant"] = k
    if "misremembers" in names:
        auth = (meta.get("facts") or {}).get("auth") or {}
        meta["behaviour_facts"] = {"wrong_auth": misremember(auth)}
    data["writ"] = meta
    data["id"] = f"{task.id}-v{k}"
    scenario = dict(data.get("user_scenario") or {})
    instructions = scenario.get("instructions")
    lines = [b.instruction for b in behaviours]
    ordered = any(b.dimension == "request_order" for b in behaviours)
    if isinstance(instructions, dict):
        instructions = dict(instructions)
        base = instructions.get("task_instructions") or ""
        if ordered:  # the behaviour says how to order the requests; drop the generator's own line
            base = ORDER_LINES.sub("", base).strip()
        if "volunteers" in names:  # says everything up front: the generator's "hold back" line goes
            base = HOLD_LINE.sub("", base).strip()
        instructions["task_instructions"] = (base + " " + " ".join(lines)).strip()
        scenario["instructions"] = instructions
    else:
        scenario["instructions"] = ((instructions or "") + " " + " ".join(lines)).strip()
    scenario["persona"] = " ".join(b.persona for b in behaviours) or scenario.get("persona")
    data["user_scenario"] = scenario
    return Task.model_validate(data)


def _applicable(task: Task) -> dict[str, list[Behaviour]]:
    by_dim: dict[str, list[Behaviour]] = {}
    for b in BEHAVIOURS.values():
        if b.applies(task):
            by_dim.setdefault(b.dimension, []).append(b)
    return by_dim


def _draw(task: Task, rng: random.Random, preferred: Behaviour, by_dim: dict[str, list[Behaviour]]) -> list[Behaviour]:
    chosen = {preferred.dimension: preferred} if preferred.applies(task) else {}
    dims = [d for d in by_dim if d not in chosen]
    rng.shuffle(dims)
    extra = rng.randint(1, 2) if chosen else rng.randint(1, 3)
    for dim in dims[:extra]:
        chosen[dim] = rng.choice(by_dim[dim])
    return sorted(chosen.values(), key=lambda b: list(BEHAVIOURS).index(b.name))


def diversify(tasks: list[Task], variants: int = 4, seed: int = 0, behaviours: list[str] | None = None
              ) -> tuple[list[Task], DiversifyReport]:
    """Variants of every task; `behaviours` forces one combination (checked per task)."""
    if variants < 1:
        raise BehaviourError(f"--variants must be at least 1, got {variants}")
    forced = check_combination(behaviours) if behaviours else None
    report = DiversifyReport(tasks=len(tasks))
    catalogue = list(BEHAVIOURS.values())
    out: list[Task] = []
    cursor = 0
    for task in tasks:
        if not (task.writ or {}).get("requests"):
            report.skipped["no writ plan (tau2 task): the catalogue cannot vary it"] += 1
            continue
        if forced is not None:
            try:
                check_combination([b.name for b in forced], task)
            except BehaviourError as exc:
                report.skipped[str(exc).split(" does not apply")[0] + " does not apply"] += 1
                continue
            out.append(variant(task, forced, 0))
            report.behaviours.update(b.name for b in forced)
            continue
        by_dim = _applicable(task)
        seen: set[tuple[str, ...]] = set()
        for k in range(variants):
            rng = random.Random(f"{seed}/{task.id}/{k}")
            combo: list[Behaviour] = []
            for _ in range(20):
                preferred = catalogue[cursor % len(catalogue)]
                cursor += 1
                combo = _draw(task, rng, preferred, by_dim)
                if tuple(b.name for b in combo) not in seen:
                    break
            seen.add(tuple(b.name for b in combo))
            out.append(variant(task, combo, k))
            report.behaviours.update(b.name for b in combo)
    report.variants = len(out)
    return out, report
