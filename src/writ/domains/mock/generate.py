"""Seeded generator of mock-domain databases (a few users with tasks, and their notifications)."""

from __future__ import annotations

import random

__all__ = ["generate", "invariants"]

NAMES = ["Test User", "Ada Park", "Ben Ortiz", "Cleo Marsh", "Dev Rao", "Eli Stone", "Fay Lin", "Gus Hale"]
TITLES = ["Test task", "Write report", "Book venue", "Review budget", "Call supplier", "Plan sprint",
          "Update website", "Order supplies", "Prepare slides", "Team meeting"]


def generate(seed: int, scale: float = 1.0) -> tuple[dict, dict]:
    """A fresh mock database and user database, deterministic for ``seed``.

    Scale 1.0 gives about tau2's size (one or two users, a task each); task ids stay contiguous
    (``task_1`` ... ``task_N``) so that `create_task` never overwrites an existing task.
    """
    rng = random.Random(seed)
    n_users = max(1, round(rng.randint(1, 2) * scale))
    users: dict[str, dict] = {}
    tasks: dict[str, dict] = {}
    notifications: dict[str, dict] = {}
    for u in range(1, n_users + 1):
        user_id = f"user_{u}"
        users[user_id] = {"user_id": user_id, "name": NAMES[(u - 1) % len(NAMES)] if u <= len(NAMES)
                          else f"{NAMES[(u - 1) % len(NAMES)]} {u}", "tasks": []}
        for _ in range(rng.randint(1, 3)):
            task_id = f"task_{len(tasks) + 1}"
            title = rng.choice(TITLES)
            tasks[task_id] = {"task_id": task_id, "title": title,
                              "description": f"A task: {title.lower()}" if rng.random() < 0.7 else None,
                              "status": rng.choice(["pending", "pending", "completed"])}
            users[user_id]["tasks"].append(task_id)
            if rng.random() < 0.5:
                notification_id = f"notif_{len(notifications) + 1}"
                notifications[notification_id] = {
                    "notification_id": notification_id, "message": f"Task '{title}' has been assigned to you.",
                    "status": rng.choice(["unread", "read"]), "task_id": task_id}
    return {"tasks": tasks, "users": users}, {"notifications": notifications}


def invariants(db: dict) -> list[str]:
    """Violations: unknown or shared task ids, orphan tasks, or non-contiguous task numbering."""
    problems = []
    owner: dict[str, str] = {}
    for user_id, user in db.get("users", {}).items():
        if user.get("user_id") != user_id:
            problems.append(f"user {user_id}: user_id field is {user.get('user_id')}")
        for task_id in user.get("tasks", []):
            if task_id not in db.get("tasks", {}):
                problems.append(f"user {user_id}: unknown task {task_id}")
            elif task_id in owner:
                problems.append(f"user {user_id}: task {task_id} also owned by {owner[task_id]}")
            owner[task_id] = user_id
    for task_id, task in db.get("tasks", {}).items():
        if task.get("task_id") != task_id:
            problems.append(f"task {task_id}: task_id field is {task.get('task_id')}")
        if task_id not in owner:
            problems.append(f"task {task_id}: owned by no user")
        if task.get("status") not in ("pending", "completed"):
            problems.append(f"task {task_id}: status {task.get('status')!r}")
    expected = {f"task_{i}" for i in range(1, len(db.get("tasks", {})) + 1)}
    if set(db.get("tasks", {})) != expected:
        problems.append("task ids are not task_1..task_N (create_task would overwrite a task)")
    return problems
