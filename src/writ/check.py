"""The conformance check every domain must pass, in the spirit of Gymnasium's ``check_env``.

It asserts the parts of the contract that the rest of writ silently relies on: schemas a model API
accepts, every tool reachable through the environment, errors returned and never raised, forks that
never leak into each other or into the loaded database, and a seeded generator that is
deterministic to the byte and produces a database satisfying the domain's invariants.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from writ.core import Domain, ToolCall
from writ.data import DomainData
from writ.fingerprint import fingerprint
from writ.schema import schema_problem

__all__ = ["CheckReport", "check_domain_data", "check_generator"]

@dataclass
class CheckReport:
    domain: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # known data quirks: reported, not failed

    @property
    def ok(self) -> bool:
        return not self.failed

    def record(self, name: str, problem: str | None) -> None:
        (self.failed.append(f"{name}: {problem}") if problem else self.passed.append(name))


def _sample_value(prop: dict[str, Any], keys: list[str], rng: random.Random) -> Any:
    kind = prop.get("type") or next((a.get("type") for a in prop.get("anyOf", []) if a.get("type") != "null"), "string")
    if kind == "integer":
        return rng.randint(0, 3)
    if kind == "number":
        return float(rng.randint(0, 30))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "array":
        return [_sample_value(prop.get("items", {}), keys, rng) for _ in range(rng.randint(0, 2))]
    if kind == "object":
        return {k: _sample_value(v, keys, rng) for k, v in prop.get("properties", {}).items()}
    if "enum" in prop:
        return rng.choice(prop["enum"])
    return rng.choice(keys) if keys and rng.random() < 0.9 else "nonexistent"


def _probe_calls(data: DomainData, rng: random.Random, n: int) -> list[ToolCall]:
    """Tool calls that exercise success and error paths: gold actions plus schema-driven samples."""
    calls = [ToolCall(a.name, dict(a.arguments), requestor=a.requestor) for t in data.tasks for a in t.actions]
    store = data.base.store()
    keys = [k for table in data.base.order for k in list(store.keys(table))[:50]]
    sides = [("assistant", data.domain.tools("agent"))]
    if data.domain.user is not None:
        sides.append(("user", data.domain.tools("user")))
    for _ in range(n):
        requestor, tools = rng.choice(sides)
        tool = rng.choice(tools)
        props = tool.schema["function"]["parameters"]["properties"]
        calls.append(ToolCall(tool.name, {k: _sample_value(p, keys, rng) for k, p in props.items()},
                              requestor=requestor))
    return calls


def check_domain_data(data: DomainData, *, seed: int = 0, probes: int = 300) -> CheckReport:
    """Run the conformance check on one loaded domain."""
    domain = data.domain
    report = CheckReport(domain.name)
    problems = [p for t in domain.tools("agent") + domain.tools("user") if (p := schema_problem(t.schema))]
    report.record("schemas are valid OpenAI function schemas", "; ".join(problems) or None)

    env = data.environment()
    unreachable = []
    for side, requestor in (("agent", "assistant"), ("user", "user")):
        for tool in domain.tools(side):
            result = env.fork().step(tool.name, {}, requestor=requestor)
            if "not found." in result.content and result.content.startswith("Error: Tool"):
                unreachable.append(tool.name)
    report.record("every tool is reachable", ", ".join(unreachable) or None)

    base_before = (data.base.store().fingerprint(), data.user_base.store().fingerprint() if data.user_base else None)
    rng = random.Random(seed)
    calls = _probe_calls(data, rng, probes)
    episode_a, episode_b = data.environment(), data.environment()
    b_before = episode_b.fingerprint()
    raised = []
    for call in calls:
        try:
            result = episode_a.step(call)
            if not isinstance(result.content, str):
                raised.append(f"{call.name} returned {type(result.content).__name__}")
        except Exception as exc:  # the contract says step never raises
            raised.append(f"{call.name} raised {type(exc).__name__}: {exc}")
    report.record("step never raises and always returns text", "; ".join(raised[:3]) or None)
    base_after = (data.base.store().fingerprint(), data.user_base.store().fingerprint() if data.user_base else None)
    leak = None
    if base_after != base_before:
        leak = "the loaded database changed"
    elif episode_b.fingerprint() != b_before:
        leak = "a sibling episode changed"
    elif episode_a.fingerprint() != fingerprint(episode_a.db.dump()):
        leak = "incremental fingerprint differs from the reference fingerprint"
    report.record("fork isolation and fingerprint consistency", leak)
    if domain.invariants is not None:
        violations = domain.invariants(data.base.store().dump())
        known = [v for v in violations if v in domain.data_quirks]
        report.warnings += [f"database invariants: {v} ({domain.data_quirks[v]})" for v in known]
        unknown = [v for v in violations if v not in domain.data_quirks]
        report.record("database invariants hold" + (f" (except {len(known)} known data quirk(s))" if known else ""),
                      "; ".join(unknown[:3]) or None)
    return report


def check_generator(domain: Domain, seeds: tuple[int, ...] = (0, 1), scale: float = 0.3) -> CheckReport:
    """Same seed gives the same database byte for byte; different seeds differ; invariants hold."""
    report = CheckReport(domain.name)
    if domain.generate is None:
        report.record("has a generator", "no generator")
        return report
    first = [json.dumps(domain.generate(seed=s, scale=scale)) for s in seeds]
    again = [json.dumps(domain.generate(seed=s, scale=scale)) for s in seeds]
    report.record("same seed gives the same database", None if first == again else "outputs differ")
    report.record("different seeds give different databases", None if len(set(first)) == len(seeds) else "identical")
    if domain.invariants is not None:
        db = domain.generate(seed=seeds[0], scale=scale)[0]
        report.record("generated database satisfies invariants",
                      "; ".join(domain.invariants(domain.normalize_db(db))[:3]) or None)
    return report
