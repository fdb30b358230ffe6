"""tau2's discoverable tools: callable, never presented; the agent learns of them from documents.

A discoverable tool is registered as a *hidden* tool of its side's `Toolbox`, with a spec (the
description the agent sees when it unlocks the tool, or when it gives a user tool) kept in
`specs_agent` / `specs_user`. The agent unlocks an agent tool by name, then calls it through
``call_discoverable_agent_tool`` with its arguments as a JSON text; it gives a user tool with
``give_discoverable_user_tool`` and the user calls it through ``call_discoverable_user_tool``.
Calling a hidden tool directly by name also works, as in tau2 (its toolkit executes any tool
method it has).

Episode state that is not database state (which agent tools are unlocked, and which read-only
tools the task's gold solution calls, whose calls are logged like writes) lives in the store's
``scratch``, so it forks and resets with the episode and never enters the fingerprint.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ.core import Tool, Toolbox, ToolKind
from writ.store import Store

__all__ = ["Spec", "binding_error", "describe", "discoverable", "load_arguments", "parse_spec", "READ_LOG_KEY",
           "UNLOCKED_KEY", "is_unlocked", "unlock", "read_log_allowlist"]

UNLOCKED_KEY = "banking.unlocked_agent_tools"
READ_LOG_KEY = "banking.read_log_allowlist"

_ARGS = re.compile(r"\n\s*Args:\s*\n")
_RETURNS = re.compile(r"\n\s*Returns:\s*\n")
_PARAM = re.compile(r"^\s*(\w+)\s*(?:\(([^)]+)\))?\s*:\s*(.+?)$", re.MULTILINE)
_OPTIONAL = re.compile(r",?\s*optional", re.IGNORECASE)


@dataclass(frozen=True)
class Spec:
    name: str
    description: str
    params: tuple[tuple[str, str, bool, str], ...]  # (name, type, required, description)


def parse_spec(name: str, text: str) -> Spec:
    """Read a tau2-layout description: the part before ``Args:``, then one parameter per line."""
    parts = _ARGS.split(text, maxsplit=1)
    params = []
    if len(parts) > 1:
        section = _RETURNS.split(parts[1], maxsplit=1)[0]
        for match in _PARAM.finditer(section):
            type_info = match.group(2) or "string"
            kind = _OPTIONAL.sub("", type_info).strip() or "string"
            params.append((match.group(1), kind, "optional" not in type_info.lower(), match.group(3).strip()))
    return Spec(name, parts[0].strip(), tuple(params))


def describe(spec: Spec) -> str:
    """The tool card shown on unlock: name, description, one line per parameter."""
    lines = [f"  - {p}: {kind} {'(required)' if required else '(optional)'} - {desc}"
             for p, kind, required, desc in spec.params]
    return (f"Tool: {spec.name}\nDescription: {spec.description}\n"
            f"Parameters:\n{chr(10).join(lines) if lines else '  (no parameters)'}")


def discoverable(box: Toolbox, specs: dict[str, str], kind: ToolKind) -> Callable[[Callable], Callable]:
    """Register a hidden tool of `box`; its spec text must exist (the agent reads it on unlock)."""
    def register(fn: Callable) -> Callable:
        if fn.__name__ not in specs:
            raise KeyError(f"discoverable tool {fn.__name__} has no spec")
        box.hidden[fn.__name__] = Tool(fn.__name__, fn, kind, box.side, box.owner)
        return fn

    return register


def parameters(tool: Tool) -> list[inspect.Parameter]:
    return list(inspect.signature(tool.fn).parameters.values())[1:]


def load_arguments(text: Any, numbers_as_float: bool = True) -> Any:
    """Parse a JSON arguments text as tau2 does (every JSON integer becomes a float); raises like it."""
    return json.loads(text, parse_int=float) if numbers_as_float else json.loads(text)


def binding_error(tool: Tool, arguments: Any) -> str | None:
    """Python's TypeError text for calling the tool's method with ``**arguments`` (or None)."""
    label = f"{tool.owner}.{tool.name}()"
    if not isinstance(arguments, dict):
        return f"{label} argument after ** must be a mapping, not {type(arguments).__name__}"
    params = parameters(tool)
    names = {p.name for p in params}
    for key in arguments:
        if key == "self":
            return f"{label} got multiple values for argument 'self'"
        if key not in names:
            return f"{label} got an unexpected keyword argument '{key}'"
    return tool.argument_error(arguments)


def is_unlocked(db: Store, name: str) -> bool:
    return name in db.scratch.get(UNLOCKED_KEY, {})


def unlock(db: Store, name: str) -> None:
    db.scratch.setdefault(UNLOCKED_KEY, {})[name] = True


def read_log_allowlist(db: Store) -> set[str]:
    return set(db.scratch.get(READ_LOG_KEY, []))
