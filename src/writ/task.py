"""The task: tau2-bench's task schema plus writ's own metadata.

writ reads and writes tau2's task files unchanged, so tau2-bench can run writ's tasks and writ can
replay tau2's. Everything writ adds (axis values, evidence per write, behaviours, generator, seed)
lives under one ``writ`` key that tau2 ignores. Unknown keys are kept, so a round trip through writ
never loses information.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["Action", "EvaluationCriteria", "Task", "TaskFileError", "load_tasks", "save_tasks"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Action(_Open):
    action_id: str = ""
    requestor: str = "assistant"
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    info: str | None = None
    compare_args: list[str] | None = None


class EvaluationCriteria(_Open):
    actions: list[Action] | None = None
    env_assertions: list[dict[str, Any]] | None = None
    communicate_info: list[str] | None = None
    nl_assertions: list[str] | None = None
    reward_basis: list[str] | None = None


class Task(_Open):
    id: str
    description: dict[str, Any] | None = None
    user_scenario: dict[str, Any] = Field(default_factory=dict)
    ticket: str | None = None
    initial_state: dict[str, Any] | None = None
    evaluation_criteria: EvaluationCriteria | None = None
    annotations: Any = None
    writ: dict[str, Any] | None = None

    @property
    def actions(self) -> list[Action]:
        return list(self.evaluation_criteria.actions or []) if self.evaluation_criteria else []

    @property
    def instructions(self) -> dict[str, Any]:
        """The structured user instructions (a plain-string instruction becomes task_instructions)."""
        raw = self.user_scenario.get("instructions")
        if isinstance(raw, dict):
            return raw
        return {"task_instructions": raw or ""}

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=False, exclude={"writ"} if self.writ is None else set())


class TaskFileError(ValueError):
    """A tasks file that cannot be read; the message names the file and the problem."""


def load_tasks(path: str | Path) -> list[Task]:
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaskFileError(f"{path}: no such tasks file") from None
    except IsADirectoryError:
        raise TaskFileError(f"{path}: is a directory, not a tasks file") from None
    except UnicodeDecodeError:
        raise TaskFileError(f"{path}: not a tasks file (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise TaskFileError(f"{path}: not valid JSON ({exc})") from None
    except OSError as exc:
        raise TaskFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if isinstance(raw, dict) and "tasks" in raw:
        raw = raw["tasks"]
    if not isinstance(raw, list):
        raise TaskFileError(f"{path}: expected a JSON list of tasks")
    tasks = []
    for i, item in enumerate(raw):
        try:
            tasks.append(Task.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise TaskFileError(f"{path}: task #{i}: {where}: {first['msg']}") from None
    return tasks


def save_tasks(tasks: list[Task], path: str | Path) -> None:
    """Write `tasks` as a tau2 tasks file, atomically (a kill leaves the old file or the new one)."""
    from writ.atomic import open_atomic

    with open_atomic(path) as handle:
        handle.write("[")
        for i, task in enumerate(tasks):  # one task at a time: no second copy of the whole list
            text = json.dumps(task.to_json(), indent=1, ensure_ascii=False)
            handle.write(("," if i else "") + "\n " + text.replace("\n", "\n "))
        handle.write("\n]\n" if tasks else "]\n")
