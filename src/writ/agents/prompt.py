"""What an agent sees: its system message and tool schemas, built in exactly one place.

Export, the LLM agent and `writ eval` all call `agent_setup`, so the system message and the tools a
model is trained on are the ones it is prompted with during synthesis and evaluation; they cannot
drift apart.

By default an agent sees the data source's policy as its whole system message and writ's own tool
schemas. An *agent prompt file* (``--agent-prompt``) replaces both with another harness's, e.g.
tau2-bench's: a JSON object with ``system_prompt_template`` (text holding ``{policy}`` exactly once),
``agent_tools`` and optionally ``user_tools`` (OpenAI function schemas). A *policy file*
(``--policy``) replaces the policy text, e.g. tau2's ``policy.md`` on a generated database.

A prompt file must fit the domain, because schemas a model reads but writ cannot execute would
teach calls that fail: tool names must match both ways, and every parameter must agree on its name,
whether it is required and the JSON types it accepts (through ``$ref``, ``anyOf`` and array items).
Descriptions, titles, enum lists and order are free: they are the point of using another
harness's schemas. ``null`` is ignored in the type comparison, since optionality is what
``required`` says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.core import Domain, Toolbox

__all__ = ["AgentPrompt", "AgentSetup", "PolicyFile", "PromptError", "sha256_text", "tools_sha256"]

PLACEHOLDER = "{policy}"


class PromptError(ValueError):
    """An agent prompt or policy file that cannot be used; the message is one line."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tools_sha256(tools: list[dict[str, Any]]) -> str:
    """SHA-256 of the schemas as an exported record writes its ``tools`` (``json.dumps``, UTF-8)."""
    return sha256_text(json.dumps(tools, ensure_ascii=False))


def _read(path: str | Path, what: str) -> tuple[Path, bytes]:
    path = Path(path)
    try:
        return path.resolve(), path.read_bytes()
    except FileNotFoundError:
        raise PromptError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise PromptError(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise PromptError(f"{path}: cannot read ({exc.strerror})") from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PromptError(f"{path}: not UTF-8 text") from None


@dataclass(frozen=True)
class PolicyFile:
    """A policy text given by file; `text` is used verbatim (no newline added or stripped)."""

    path: str
    sha256: str
    text: str

    @classmethod
    def load(cls, path: str | Path) -> PolicyFile:
        resolved, raw = _read(path, "policy file")
        text = _decode(resolved, raw)
        if not text.strip():
            raise PromptError(f"{path}: the policy file is empty")
        return cls(str(resolved), hashlib.sha256(raw).hexdigest(), text)


def _tool_list(raw: Any, key: str, path: Path) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise PromptError(f"{path}: {key} must be a list of OpenAI tool schemas")
    seen: set[str] = set()
    for i, tool in enumerate(raw):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(fn, dict):
            raise PromptError(
                f"{path}: {key}[{i}] is not an OpenAI tool schema ({{\"type\": \"function\", \"function\": {{...}}}})")
        name = fn.get("name")
        if not isinstance(name, str) or not name:
            raise PromptError(f"{path}: {key}[{i}] has no function name")
        if not isinstance(fn.get("parameters", {}), dict):
            raise PromptError(f"{path}: {key}[{i}] ({name}): parameters is not an object")
        if name in seen:
            raise PromptError(f"{path}: {key} lists {name} twice")
        seen.add(name)
    return raw


# -- comparing schemas ---------------------------------------------------------------------------

def _resolve(schema: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and depth < 20:
        target = defs.get(ref.rsplit("/", 1)[-1])
        return _resolve(target, defs, depth + 1) if isinstance(target, dict) else {}
    return schema


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "null")


def _shapes(schema: Any, defs: dict[str, Any], depth: int = 0) -> frozenset[str]:
    """The JSON types a (sub)schema accepts, arrays with their item types: ``{"array[object]"}``."""
    schema = _resolve(schema, defs)
    if not isinstance(schema, dict) or depth > 20:
        return frozenset()
    found: set[str] = set()
    declared = schema.get("type")
    for kind in ([declared] if isinstance(declared, str) else declared or []):
        if kind == "array":
            items = _shapes(schema.get("items"), defs, depth + 1)
            found.add(f"array[{'|'.join(sorted(items))}]")
        elif kind != "null":
            found.add(str(kind))
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key) or []:
            found |= _shapes(option, defs, depth + 1)
    if not declared and "enum" in schema:
        found |= {_json_type(v) for v in schema["enum"]} - {"null"}
    return frozenset(found)


def _parameters(schema: dict[str, Any]) -> tuple[dict[str, frozenset[str]], set[str]]:
    """(parameter -> accepted types, required names) of one tool schema."""
    params = schema.get("function", {}).get("parameters") or {}
    defs = params.get("$defs") or params.get("definitions") or {}
    props = params.get("properties") or {}
    return ({name: _shapes(sub, defs) for name, sub in props.items()},
            {str(r) for r in params.get("required") or []})


def _show(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) or "(any)"


def _tool_problems(side: str, name: str, theirs: dict[str, Any], ours: dict[str, Any], domain: str) -> list[str]:
    mine, required_mine = _parameters(ours)
    given, required_given = _parameters(theirs)
    where = f"{side} tool {name}"
    problems = [f"{where}: parameter {p} is missing ({domain}'s tool takes it)" for p in mine if p not in given]
    problems += [f"{where}: unknown parameter {p} ({domain}'s tool has no such parameter)" for p in given
                 if p not in mine]
    for p in given:
        if p in mine and given[p] != mine[p]:
            problems.append(f"{where}: parameter {p} has type {_show(given[p])}, {domain}'s is {_show(mine[p])}")
    for p in sorted(required_given ^ required_mine):
        if p in mine and p in given:
            state = "required" if p in required_given else "optional"
            problems.append(f"{where}: parameter {p} is {state} here but not in {domain}'s tool")
    return problems


def _side_problems(side: str, tools: list[dict[str, Any]], box: Toolbox | None, domain: str) -> list[str]:
    ours = {name: tool.schema for name, tool in (box.tools.items() if box else [])}
    theirs = {t["function"]["name"]: t for t in tools}
    problems = [f"{side} tool {name} is missing" for name in ours if name not in theirs]
    problems += [f"unknown {side} tool {name} ({domain} has no such {side} tool)" for name in theirs
                 if name not in ours]
    for name in theirs:
        if name in ours:
            problems += _tool_problems(side, name, theirs[name], ours[name], domain)
    return problems


@dataclass(frozen=True)
class AgentPrompt:
    """An agent prompt file: a system-message template and the tool schemas to show instead of writ's."""

    path: str
    sha256: str
    template: str
    agent_tools: list[dict[str, Any]]
    user_tools: list[dict[str, Any]] | None = None  # None: the file has none; writ's own stay
    _fits: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> AgentPrompt:
        resolved, raw = _read(path, "agent prompt file")
        try:
            obj = json.loads(_decode(resolved, raw))
        except json.JSONDecodeError as exc:
            raise PromptError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(obj, dict):
            raise PromptError(f"{path}: expected a JSON object with system_prompt_template and agent_tools")
        template = obj.get("system_prompt_template")
        if not isinstance(template, str):
            raise PromptError(f"{path}: system_prompt_template is missing or not text")
        if template.count(PLACEHOLDER) != 1:
            raise PromptError(f"{path}: system_prompt_template must hold {PLACEHOLDER} exactly once "
                              f"(it holds it {template.count(PLACEHOLDER)} times)")
        if "agent_tools" not in obj:
            raise PromptError(f"{path}: agent_tools is missing")
        agent_tools = _tool_list(obj["agent_tools"], "agent_tools", resolved)
        user_tools = (_tool_list(obj["user_tools"], "user_tools", resolved) if obj.get("user_tools") is not None
                      else None)
        return cls(str(resolved), hashlib.sha256(raw).hexdigest(), template, agent_tools, user_tools)

    def fill(self, policy: str) -> str:
        """The system message for `policy` (a plain substitution: other braces stay as they are)."""
        return self.template.replace(PLACEHOLDER, policy, 1)

    def problems(self, domain: Domain) -> list[str]:
        """Every way the file does not fit `domain` (empty when it fits)."""
        found = _side_problems("agent", self.agent_tools, domain.agent, domain.name)
        if self.user_tools is not None:
            found += _side_problems("user", self.user_tools, domain.user, domain.name)
        return found

    def check(self, domain: Domain) -> None:
        """Raise a one-line `PromptError` naming the first mismatch with `domain` (checked once per domain)."""
        if domain.name in self._fits:
            return
        found = self.problems(domain)
        if found:
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            raise PromptError(f"{self.path}: does not fit domain {domain.name}: {found[0]}{more}")
        self._fits.add(domain.name)


@dataclass(frozen=True)
class AgentSetup:
    """The system message and tool schemas an agent sees, and where each came from."""

    domain: str
    system: str
    tools: list[dict[str, Any]]
    user_tools: list[dict[str, Any]] | None  # what an LLM user is shown (None: no user tools)
    policy: str
    prompt: AgentPrompt | None = None
    policy_source: str = ""

    def describe(self) -> dict[str, Any]:
        """What the dataset card and the manifest record: sources and SHA-256s (texts not repeated)."""
        out: dict[str, Any] = {
            "domain": self.domain,
            "system_prompt": {"source": self.prompt.path if self.prompt else "writ default (the policy alone)",
                              "sha256": sha256_text(self.system), "chars": len(self.system)},
            "tools": {"source": self.prompt.path if self.prompt else f"writ's {self.domain} tool schemas",
                      "sha256": tools_sha256(self.tools), "count": len(self.tools)},
            "policy": {"source": self.policy_source, "sha256": sha256_text(self.policy), "chars": len(self.policy)},
        }
        if self.prompt:
            out["agent_prompt_file"] = {"path": self.prompt.path, "sha256": self.prompt.sha256}
        return out
