"""`agent_setup`: the one function that says what an agent sees, and the options that change it.

`PromptOptions` holds what the user gave with ``--agent-prompt`` and ``--policy`` (or
``agent_prompt:`` / ``policy:`` in a synth config): for each domain, or for whichever single
domain a run has, an `AgentPrompt` and a `PolicyFile`. `agent_setup(data, options)` turns a loaded
data source plus those options into an `AgentSetup`: the system message, the agent's tool schemas,
the user's tool schemas. The export, the LLM agent and the LLM user, and `writ eval` call it and
nothing else, so what a model is trained on is what it is prompted and evaluated with.

A file given without a domain (``--agent-prompt FILE``) applies to the run's only domain; a run
with several domains needs ``DOMAIN=FILE`` per domain, since a prompt file's tool schemas, and a
policy, belong to one domain. `PromptOptions.check` says so, and checks each prompt file against
its domain, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.agents.prompt import AgentPrompt, AgentSetup, PolicyFile, PromptError
from writ.core import Domain
from writ.data import DomainData
from writ.domains import domain_names

__all__ = ["ANY_DOMAIN", "PromptOptions", "agent_setup", "parse_file_specs"]

ANY_DOMAIN = "*"  # the key of a file given without DOMAIN=


def parse_file_specs(value: Any, flag: str) -> dict[str, str]:
    """``FILE``, ``DOMAIN=FILE``, a list of those, or a mapping domain -> FILE, as {domain or "*": FILE}."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    else:
        pairs = []
        for item in [value] if isinstance(value, (str, Path)) else list(value):
            text = str(item)
            name, sep, rest = text.partition("=")
            pairs.append((name, rest) if sep and name in domain_names() else (ANY_DOMAIN, text))
    out: dict[str, str] = {}
    for domain, path in pairs:
        if domain != ANY_DOMAIN and domain not in domain_names():
            raise PromptError(
                f"{flag} {domain}={path}: unknown domain {domain!r} (choose from {', '.join(domain_names())})")
        if not path.strip():
            raise PromptError(f"{flag} {domain}=: no file given")
        if domain in out:
            raise PromptError(f"{flag}: {'a file without a domain' if domain == ANY_DOMAIN else domain} given twice")
        out[domain] = path
    if ANY_DOMAIN in out and len(out) > 1:
        raise PromptError(f"{flag}: give either one FILE or DOMAIN=FILE for each domain, not both")
    return out


def _policy_source(data: DomainData) -> str:
    if data.policy == data.domain.policy:
        return f"writ's built-in {data.domain.name} policy"
    kind, _, folder = data.source.partition(":")
    return f"{folder}/policy.md" if kind in ("tau2", "dir") else data.source


@dataclass(frozen=True)
class PromptOptions:
    """Per domain (or ``"*"``: the run's only domain), the agent prompt file and policy file to use."""

    agent_prompts: dict[str, AgentPrompt] = field(default_factory=dict)
    policies: dict[str, PolicyFile] = field(default_factory=dict)

    @classmethod
    def load(cls, agent_prompt: Any = None, policy: Any = None) -> PromptOptions:
        """Read the files `parse_file_specs` accepts; raises `PromptError` (one line) for a bad one."""
        prompts = {d: AgentPrompt.load(p) for d, p in parse_file_specs(agent_prompt, "--agent-prompt").items()}
        policies = {d: PolicyFile.load(p) for d, p in parse_file_specs(policy, "--policy").items()}
        return cls(prompts, policies)

    def __bool__(self) -> bool:
        return bool(self.agent_prompts or self.policies)

    def prompt_for(self, domain: str) -> AgentPrompt | None:
        return self.agent_prompts.get(domain) or self.agent_prompts.get(ANY_DOMAIN)

    def policy_for(self, domain: str) -> PolicyFile | None:
        return self.policies.get(domain) or self.policies.get(ANY_DOMAIN)

    def check(self, domains: Iterable[Domain], *, complete: bool = True) -> None:
        """Refuse, in one line, options that do not fit the domains of a run (before it writes anything).

        `complete`: `domains` are all the run has, so a file for any other domain is a mistake
        (False while an export still discovers domains run by run).
        """
        unique = {d.name: d for d in domains}
        if complete:
            for flag, given in (("--agent-prompt", self.agent_prompts), ("--policy", self.policies)):
                stray = sorted(set(given) - set(unique) - {ANY_DOMAIN})
                if stray:
                    raise PromptError(f"{flag} {stray[0]}={given[stray[0]].path}: this run has no {stray[0]} tasks "
                                      f"(its domains: {', '.join(sorted(unique)) or 'none'})")
        if len(unique) > 1:
            for flag, given in (("--agent-prompt", self.agent_prompts), ("--policy", self.policies)):
                if ANY_DOMAIN in given:
                    raise PromptError(f"{flag} {given[ANY_DOMAIN].path} names no domain, and this run has "
                                      f"{len(unique)} ({', '.join(sorted(unique))}); use {flag} DOMAIN=FILE for each")
        for domain in unique.values():
            prompt = self.prompt_for(domain.name)
            if prompt is not None:
                prompt.check(domain)

    def identity(self) -> dict[str, Any]:
        """What changes a model's answers, for a run's config (content hashes, not paths)."""
        out: dict[str, Any] = {}
        if self.agent_prompts:
            out["agent_prompt"] = {d: p.sha256 for d, p in sorted(self.agent_prompts.items())}
        if self.policies:
            out["policy"] = {d: p.sha256 for d, p in sorted(self.policies.items())}
        return out

    def describe(self) -> dict[str, Any]:
        """The options as given: per domain key, each file's path and SHA-256."""
        out: dict[str, Any] = {}
        if self.agent_prompts:
            out["agent_prompt"] = {d: {"path": p.path, "sha256": p.sha256}
                                   for d, p in sorted(self.agent_prompts.items())}
        if self.policies:
            out["policy"] = {d: {"path": p.path, "sha256": p.sha256} for d, p in sorted(self.policies.items())}
        return out


def agent_setup(data: DomainData, options: PromptOptions | None = None, task: Any = None) -> AgentSetup:
    """The system message and tool schemas an agent sees on `data` under `options` (for `task`).

    Without options: the data source's policy (the task's own where the domain has one, e.g.
    banking's golden_retrieval) as the whole system message, writ's own schemas.
    With a prompt file: its template filled with the policy, its schemas (byte for byte); raises
    `PromptError` when the file does not fit the domain. With a policy file: its text as policy.
    """
    domain = data.domain
    policy_file = options.policy_for(domain.name) if options else None
    prompt = options.prompt_for(domain.name) if options else None
    policy = policy_file.text if policy_file else data.policy_for(task)
    policy_source = policy_file.path if policy_file else _policy_source(data)
    own_user_tools = domain.user.schemas() if domain.user is not None and domain.user.tools else None
    if prompt is None:
        return AgentSetup(domain.name, policy, domain.agent.schemas(), own_user_tools, policy,
                          policy_source=policy_source)
    prompt.check(domain)
    user_tools = own_user_tools if prompt.user_tools is None else (prompt.user_tools or None)
    return AgentSetup(domain.name, prompt.fill(policy), prompt.agent_tools, user_tools, policy, prompt, policy_source)
