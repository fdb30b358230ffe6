"""writ's core contract: tools, the environment that executes them, and the domain they belong to.

Read this module first. Everything else composes it:

* a `Tool` is a typed Python function with a `ToolKind` (read, write, generic) and a side (the
  agent's, or the user's own device in dual-control domains); its OpenAI schema comes from its
  type hints and docstring;
* a `Domain` is a named set of tools plus its database layout, policy and optional sync hook;
* an `Environment` executes one tool call at a time against a copy-on-write database and *always*
  answers with the tool-result string a tau2-bench environment would give: failures are
  ``"Error: ..."`` strings, never exceptions, because a model must see them and recover.

Because only write tools change state, a conversation can be verified by replaying just its write
calls and comparing fingerprints (`Environment.fingerprint`).
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, Callable

from writ.schema import function_schema
from writ.store import Base, Store

__all__ = [
    "Domain",
    "Environment",
    "Tool",
    "ToolCall",
    "ToolError",
    "ToolKind",
    "ToolResult",
    "Toolbox",
    "deep_merge",
    "render_result",
]


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

    @property
    def mutates(self) -> bool:
        return self.kind is ToolKind.WRITE

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
    tools are presented to the model.
    """

    def __init__(self, owner: str, side: str = "agent"):
        self.owner = owner
        self.side = side
        self.tools: dict[str, Tool] = {}
        self.helpers: dict[str, Callable[..., Any]] = {}

    def _register(self, kind: ToolKind) -> Callable[[Callable], Callable]:
        def decorate(fn: Callable) -> Callable:
            self.tools[fn.__name__] = Tool(fn.__name__, fn, kind, self.side, self.owner)
            return fn

        return decorate

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
class Domain:
    """A domain: tools, database layout, policy and the hooks that tie agent and user state."""

    name: str
    agent: Toolbox
    layout: dict[str, Any]  # table -> writ.store.Shape
    db_name: str  # tau2's DB class name (appears in some error texts)
    normalize_db: Callable[[dict], dict]  # validate + fill defaults + declaration order
    policy: str
    user: Toolbox | None = None
    user_layout: dict[str, Any] | None = None
    user_db_name: str = ""
    normalize_user_db: Callable[[dict], dict] | None = None
    sync: Callable[["Environment"], None] | None = None
    generate: Callable[..., tuple[dict, dict | None]] | None = None  # (seed, scale) -> dbs
    invariants: Callable[[dict], list[str]] | None = None  # db -> violated invariants
    description: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    def base(self, data: dict) -> Base:
        return Base(self.normalize_db(data), self.layout, self.db_name)

    def user_base(self, data: dict | None) -> Base | None:
        if self.user is None or self.user_layout is None or data is None:
            return None
        normalize = self.normalize_user_db or (lambda d: d)
        return Base(normalize(data), self.user_layout, self.user_db_name)

    def tools(self, side: str = "agent") -> list[Tool]:
        box = self.agent if side == "agent" else self.user
        return list(box.tools.values()) if box else []


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


def deep_merge(target: Any, patch: Any) -> Any:
    """tau2's initialisation-data merge: dicts merged key by key, everything else replaced."""
    if isinstance(target, dict) and isinstance(patch, dict):
        out = dict(target)
        for key, value in patch.items():
            out[key] = deep_merge(target.get(key), value) if key in target else value
        return out
    return patch


class Environment:
    """Executes tool calls for one episode. Cheap to `fork`; `reset` returns to the loaded state."""

    def __init__(self, domain: Domain, db: Store, user_db: Store | None = None):
        self.domain = domain
        self.db = db
        self.user_db = user_db

    # -- the contract ----------------------------------------------------------------------------
    def step(self, call: ToolCall | str, arguments: dict[str, Any] | None = None,
             requestor: str = "assistant", *, sync: bool = True) -> ToolResult:
        """Execute one tool call and return its result text; never raises."""
        if isinstance(call, str):
            call = ToolCall(call, arguments if arguments is not None else {}, requestor=requestor)
        if call.requestor == "user":
            if self.domain.user is None:
                return ToolResult("Error: User tools not available", True)
            box, store = self.domain.user, self.user_db
        else:
            box, store = self.domain.agent, self.db
        tool = box.tools.get(call.name)
        if tool is None:
            return ToolResult(f"Error: Tool '{call.name}' not found.", True)
        if not isinstance(call.arguments, dict):
            return ToolResult("Error: tool arguments must be a JSON object", True)
        problem = tool.argument_error(call.arguments)
        if problem:
            return ToolResult(f"Error: {problem}", True)
        try:
            value = tool.fn(store, **call.arguments)
            if sync:
                self.run_sync()
            if isinstance(value, dict) and store is not None:
                return ToolResult(store.base.render(value, render_result))
            return ToolResult(render_result(value))
        except Exception as exc:  # every failure is a message the caller must see, not a crash
            return ToolResult(f"Error: {exc}", True)

    def run(self, side: str, name: str, arguments: dict[str, Any] | None = None, *, sync: bool = True) -> Any:
        """Run any function of a side (tool or helper) and return its raw value; raises on failure.

        Used by task initialisation actions and evaluation assertions, which may call helpers that
        no model can reach.
        """
        box = self.domain.user if side == "user" else self.domain.agent
        fn = box.function(name) if box else None
        if fn is None:
            raise ToolError(f"Function {name} not found in the {side} tools")
        value = fn(self.user_db if side == "user" else self.db, **(arguments or {}))
        if sync:
            self.run_sync()
        return value

    def run_sync(self) -> None:
        if self.domain.sync is not None:
            self.domain.sync(self)

    def fork(self) -> "Environment":
        db = self.db.fork()
        user_db = db if self.user_db is self.db else (self.user_db.fork() if self.user_db else None)
        return Environment(self.domain, db, user_db)

    def reset(self) -> "Environment":
        """Drop every change: back to the loaded database."""
        self.db.reset()
        if self.user_db is not None and self.user_db is not self.db:
            self.user_db.reset()
        return self

    def fingerprint(self) -> str:
        return self.db.fingerprint()

    def user_fingerprint(self) -> str | None:
        return self.user_db.fingerprint() if self.user_db is not None else None

    def tools(self, side: str = "agent") -> list[Tool]:
        return self.domain.tools(side)

    # -- task setup ------------------------------------------------------------------------------
    def apply_initial_state(self, initial_state: dict[str, Any] | None) -> "Environment":
        """Apply a task's ``initial_state`` the way tau2 does: data, then actions, then history."""
        if not initial_state:
            return self
        data = initial_state.get("initialization_data") or {}
        if data.get("agent_data"):
            merged = deep_merge(self.db.dump(), data["agent_data"])
            self.db = self.domain.base(merged).store()
            if self.user_db is not None:
                self.user_db = self.db  # tau2 quirk: the user toolkit now holds the agent DB object
        if data.get("user_data") and self.user_db is not None:
            normalize = self.domain.normalize_user_db or (lambda d: d)
            merged = deep_merge(self.user_db.dump(), data["user_data"])
            self.user_db = Base(normalize(merged), self.domain.user_layout or {}, self.domain.user_db_name).store()
            self.db = self.user_db  # the same quirk, mirrored
        for action in initial_state.get("initialization_actions") or []:
            side = "user" if action.get("env_type") == "user" else "agent"
            self.run(side, action["func_name"], action.get("arguments") or {})
        for message in initial_state.get("message_history") or []:
            for call in message.get("tool_calls") or []:
                requestor = "user" if message.get("role") == "user" else "assistant"
                self.step(ToolCall(call["name"], call.get("arguments") or {}, call.get("id", ""), requestor))
        return self
