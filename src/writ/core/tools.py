"""Tools: typed Python functions with a kind (read, write, generic) and a side (agent or user).

A tool's OpenAI schema comes from its type hints and docstring. A failed precondition raises
`ToolError`, which the environment turns into the ``"Error: ..."`` text a model must see; it never
escapes to the caller.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

from writ.schema import function_schema

__all__ = ["Tool", "ToolCall", "ToolError", "ToolKind", "ToolResult", "Toolbox", "render_result"]


class ToolKind(str, Enum):
    READ = "read"
    WRITE = "write"
    GENERIC = "generic"  # neither reads nor changes the database (calculate, transfer)


class ToolError(ValueError):
    """A failed precondition. The environment turns it into ``"Error: <message>"``."""


@dataclass(frozen=True)
class Tool:
    name: str
    fn: Callable[..., Any]
    kind: ToolKind
    side: str  # "agent" or "user"
    owner: str  # tau2's toolkit class name, which appears in argument-error texts
    # tau2's ``mutates_state``: None means "a write tool mutates, others do not". A few generic
    # tools change episode state all the same (banking's unlock and give-to-user), and replay
    # must re-run them.
    mutates_state: bool | None = None

    @property
    def mutates(self) -> bool:
        return self.kind is ToolKind.WRITE if self.mutates_state is None else self.mutates_state

    @cached_property
    def schema(self) -> dict[str, Any]:
        return function_schema(self.fn, self.name)

    @cached_property
    def _params(self) -> list[inspect.Parameter]:
        return list(inspect.signature(self.fn).parameters.values())[1:]

    def argument_error(self, arguments: dict[str, Any]) -> str | None:
        """Python's own TypeError text for a bad keyword call, as tau2 reports it (or None)."""
        names = {p.name for p in self._params}
        for key in arguments:
            if key not in names:
                return f"{self.owner}.{self.name}() got an unexpected keyword argument '{key}'"
        missing = [p.name for p in self._params if p.default is inspect.Parameter.empty and p.name not in arguments]
        if not missing:
            return None
        quoted = [f"'{m}'" for m in missing]
        if len(quoted) == 1:
            listing = quoted[0]
        elif len(quoted) == 2:
            listing = f"{quoted[0]} and {quoted[1]}"
        else:
            listing = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
        plural = "argument" if len(missing) == 1 else "arguments"
        return f"{self.owner}.{self.name}() missing {len(missing)} required positional {plural}: {listing}"


class Toolbox:
    """The ordered tools of one side of a domain, plus its non-tool helper functions.

    Helpers (task initialisation actions, evaluation assertions) can be run by a task's setup or
    by the evaluator but never by a model's tool call. Registration order is the order in which
    tools are presented to the model. Hidden tools are callable by name but never presented
    (tau2's "discoverable" tools, which a model learns about from documents).
    """

    def __init__(self, owner: str, side: str = "agent"):
        self.owner = owner
        self.side = side
        self.tools: dict[str, Tool] = {}
        self.hidden: dict[str, Tool] = {}
        self.helpers: dict[str, Callable[..., Any]] = {}

    def _register(self, kind: ToolKind, mutates: bool | None = None) -> Callable[[Callable], Callable]:
        def decorate(fn: Callable) -> Callable:
            self.tools[fn.__name__] = Tool(fn.__name__, fn, kind, self.side, self.owner, mutates)
            return fn

        return decorate

    def register(self, kind: ToolKind, *, mutates: bool | None = None) -> Callable[[Callable], Callable]:
        """Register a tool of `kind` whose ``mutates`` differs from the kind's default."""
        return self._register(kind, mutates)

    def lookup(self, name: str) -> Tool | None:
        """A presented or hidden tool by name."""
        return self.tools.get(name) or self.hidden.get(name)

    @property
    def read(self) -> Callable[[Callable], Callable]:
        return self._register(ToolKind.READ)

    @property
    def write(self) -> Callable[[Callable], Callable]:
        return self._register(ToolKind.WRITE)

    @property
    def generic(self) -> Callable[[Callable], Callable]:
        return self._register(ToolKind.GENERIC)

    def helper(self, fn: Callable) -> Callable:
        self.helpers[fn.__name__] = fn
        return fn

    def add(self, tool_fn: Callable, kind: ToolKind) -> None:
        """Register a shared function (e.g. `calculate`) as a tool of this box."""
        self.tools[tool_fn.__name__] = Tool(tool_fn.__name__, tool_fn, kind, self.side, self.owner)

    def function(self, name: str) -> Callable[..., Any] | None:
        tool = self.tools.get(name)
        return tool.fn if tool else self.helpers.get(name)

    def schemas(self) -> list[dict[str, Any]]:
        return [t.schema for t in self.tools.values()]


@dataclass
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str = ""
    requestor: str = "assistant"  # "assistant" or "user"


@dataclass
class ToolResult:
    content: str
    error: bool = False


def render_result(value: Any) -> str:
    """tau2's result text: strings verbatim, everything else as default-format JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)
