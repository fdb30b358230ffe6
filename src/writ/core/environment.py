"""The domain (tools, database layout, policy, hooks) and the environment that executes its tools.

An `Environment` executes one tool call at a time against a copy-on-write database and *always*
answers with the tool-result string a tau2-bench environment would give: failures are
``"Error: ..."`` strings, never exceptions, because a model must see them and recover. Because only
write tools change state, a conversation can be verified by replaying just its write calls and
comparing fingerprints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core.tools import Tool, Toolbox, ToolCall, ToolError, ToolResult, render_result
from writ.store import Base, Store

__all__ = ["AssertionResult", "Domain", "Environment", "deep_merge"]


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
    sync: Callable[[Environment], None] | None = None
    generate: Callable[..., tuple[dict, dict | None]] | None = None  # (seed, scale) -> dbs
    invariants: Callable[[dict], list[str]] | None = None  # db -> violated invariants
    # violations tau2's own shipped data is known to have (exact text -> why): warnings, not failures
    data_quirks: dict[str, str] = field(default_factory=dict)
    description: str = ""
    extras: dict[str, Any] = field(default_factory=dict)
    # The user's tools act on the agent's database itself (tau2 hands both toolkits one DB object).
    shared_db: bool = False
    # Per-task setup after the initial state is applied (e.g. banking's read-log allowlist).
    setup_env: Callable[[Environment, Any], None] | None = None
    # Resources beside the database (e.g. banking's knowledge base): `attach(base, source)` loads
    # them from a data folder (a Path) or from what `generate` returned third (a dict) into
    # ``base.attachments`` and returns the policy to use (None keeps the folder's or the domain's);
    # `write_resources(base, out)` writes them next to a generated db.json; `task_policy(policy,
    # base, task)` is the policy one task's agent gets (default: the domain's).
    attach: Callable[[Base, Any], str | None] | None = None
    write_resources: Callable[[Base, Any], list] | None = None
    task_policy: Callable[[str, Base, Any], str] | None = None
    data_folder: str = ""  # the folder of a tau2 data root holding this domain (default: `name`)

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

    def is_write(self, name: str, requestor: str | None = None) -> bool:
        """Whether a call to `name` can change state: the one rule every replay and verifier uses.

        Hidden tools count (a direct call of one runs). With a `requestor` ("assistant" or "user")
        only that side's tools are consulted, as the environment dispatches a live call. Without
        one, the name is looked up in the agent's tools and then the user's, tau2's evaluator rule
        for a call whose side is not known. An unknown name is not a write: writ's environment
        answers it with an error and changes nothing (tau2 assumes an unknown name mutates, but
        replays it as a no-op all the same).
        """
        boxes = [self.user if requestor == "user" else self.agent] if requestor is not None else [self.agent, self.user]
        for box in boxes:
            tool = box.lookup(name) if box is not None else None  # hidden (discoverable) tools too
            if tool is not None:
                return tool.mutates
        return False

    def write_tools(self) -> set[str]:
        """Names of every state-changing tool of either side, hidden ones included."""
        return {t.name for box in (self.agent, self.user) if box is not None
                for t in (*box.tools.values(), *box.hidden.values()) if t.mutates}


@dataclass(frozen=True)
class AssertionResult:
    """One env assertion checked: whether it holds and, when it could not be judged, why."""

    met: bool
    note: str | None = None


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
        self.user_db = db if user_db is None and domain.shared_db and domain.user is not None else user_db

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
        tool = box.lookup(call.name)
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

    def check_assertion(self, assertion: dict[str, Any], *, sync: bool = True) -> AssertionResult:
        """Run one env assertion (tau2's ``EnvAssertion``) and say whether it holds.

        tau2's defaults: the agent's side unless ``env_type`` is "user", ``assert_value`` true,
        the domain's sync after the function (pass ``sync=False`` to leave the state untouched).
        A function that raises, or returns something other than a bool, does not hold (tau2
        raises there; a reward must still be given), and the note says why.
        """
        side = "user" if assertion.get("env_type") == "user" else "agent"
        name = assertion.get("func_name", "")
        expected = assertion.get("assert_value", True)
        try:
            value = self.run(side, name, assertion.get("arguments") or {}, sync=sync)
        except Exception as exc:  # an assertion that cannot run is an assertion that does not hold
            return AssertionResult(False, f"{type(exc).__name__}: {exc}")
        if not isinstance(value, bool):
            return AssertionResult(False, f"Function {name} returned {type(value)} instead of bool")
        return AssertionResult(value == expected)

    def run_sync(self) -> None:
        if self.domain.sync is not None:
            self.domain.sync(self)

    def fork(self) -> Environment:
        db = self.db.fork()
        user_db = db if self.user_db is self.db else (self.user_db.fork() if self.user_db else None)
        return Environment(self.domain, db, user_db)

    def reset(self) -> Environment:
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
    def _merged(self, store: Store, patch: Any) -> Store:
        """A store of a new base: `store`'s data with tau2's initialisation merge applied."""
        base = self.domain.base(deep_merge(store.dump(), patch))
        base.attachments = store.base.attachments  # resources (a knowledge base) stay with the data
        return base.store()

    def apply_initial_state(self, initial_state: dict[str, Any] | None) -> Environment:
        """Apply a task's ``initial_state`` the way tau2 does: data, then actions, then history."""
        if not initial_state:
            return self
        data = initial_state.get("initialization_data") or {}
        if data.get("agent_data"):
            self.db = self._merged(self.db, data["agent_data"])
            if self.user_db is not None:
                self.user_db = self.db  # tau2 quirk: the user toolkit now holds the agent DB object
        if data.get("user_data") and self.user_db is not None and self.domain.shared_db:
            self.db = self.user_db = self._merged(self.db, data["user_data"])
        elif data.get("user_data") and self.user_db is not None:
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
