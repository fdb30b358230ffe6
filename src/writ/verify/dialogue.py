"""Verifiers of what was said: communication and the protocol.

* communication: every value the task says the agent must communicate appears in an agent message
  (tau2's rule, `writ.verify.communicate`); amounts the agent states are judged by the
  information-flow verifier (`writ.verify.flow`), with named derivations;
* protocol: explicit confirmation before each agent write and no write after a refusal, no
  message that mixes text and tool calls, arguments that are valid JSON matching the tool
  schema, only known tools, and a clean termination.
"""

from __future__ import annotations

from typing import Any

from writ.core import Termination
from writ.dialogue.lexicon import affirmative
from writ.schema import argument_problem
from writ.verify.base import Check, Context, fail, ok, parse_arguments, register, texts
from writ.verify.communicate import communicated
from writ.verify.flow import rules_for


@register("communication")
def communication(ctx: Context) -> Check:
    criteria = ctx.task.evaluation_criteria
    infos = (criteria.communicate_info if criteria else None) or []
    agent_texts = [t for _, t in texts(ctx.messages, "assistant")]
    for info in infos:
        if not communicated(info, agent_texts):
            return fail(f"never told the user {info!r}")
    return ok()


def _schema_problem(schema: dict[str, Any], args: dict[str, Any]) -> str | None:
    return argument_problem(schema, args)


@register("protocol")
def protocol(ctx: Context) -> Check:
    domain = ctx.data.domain
    rules = rules_for(domain.name)
    confirmed = asked = False
    for i, m in enumerate(ctx.messages):
        if m["role"] == "user" and m.get("content") and not m.get("tool_calls"):
            confirmed = asked and affirmative(m["content"])
        if m["role"] != "assistant":
            continue
        calls = m.get("tool_calls") or []
        if not calls and m.get("content"):
            asked = "?" in m["content"]  # a yes only counts as an answer to a question
        if calls and (m.get("content") or "").strip():
            return fail(f"message {i} mixes text and a tool call")
        if len(calls) > 1:
            return fail(f"message {i} makes {len(calls)} tool calls at once")
        for call in calls:
            name = call.get("function", {}).get("name", "")
            tool = domain.agent.tools.get(name)
            if tool is None:
                return fail(f"message {i} calls an unknown tool {name!r}")
            args = parse_arguments(call)
            if args is None:
                return fail(f"message {i}: arguments of {name} are not a JSON object")
            problem = _schema_problem(tool.schema, args)
            if problem:
                return fail(f"message {i}: {name}: {problem}")
            if rules.needs_yes(name, args, tool.mutates):
                if not confirmed:
                    return fail(f"message {i}: {name} without the user's explicit confirmation")
                confirmed = False  # each write needs its own yes
    termination = ctx.episode.termination
    if not termination or not Termination(termination).terminated:
        return fail(f"the conversation did not end cleanly ({termination or 'no termination'})")
    return ok()
