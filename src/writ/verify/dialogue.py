"""Verifiers of what was said: communication, grounding of write arguments, and the protocol.

* communication: every value the task says the agent must communicate appears in an agent
  message (tau2's rule: case-insensitive substring, commas ignored), and every dollar amount the
  agent states appears in something it read or was told (no invented figures);
* grounding: every identifier in a write's arguments appeared earlier in the conversation, in a
  tool result or a user message (an id that "happened to work" is still a hallucination);
* protocol: explicit confirmation before each agent write and no write after a refusal, no
  message that mixes text and tool calls, arguments that are valid JSON matching the tool
  schema, only known tools, and a clean termination.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from writ.core import Termination
from writ.schema import argument_problem
from writ.verify.base import Check, Context, fail, normalize, ok, parse_arguments, register, texts

_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
YES = re.compile(r"\b(yes|yeah|yep|sure|confirm(ed)?|go ahead|please do|proceed|correct|sounds good|ok(ay)?)\b", re.I)


def affirmative(text: str) -> bool:
    head = text.strip().lower()
    if re.match(r"^(no|nope)\b", head):
        return False
    return bool(YES.search(text)) and not re.search(r"\b(don't|do not|not yet|wait)\b", text, re.I)


def _numbers(text: str) -> set[float]:
    return {round(float(x), 2) for x in _NUMBER.findall(text.replace(",", ""))}


def _derived(value: float, known: set[float]) -> bool:
    """Whether `value` is a sum or difference of two known numbers (cent precision)."""
    numbers = [k for k in known if abs(k) < 1e7][:2000]
    pool = set(numbers)
    for a in numbers:
        if round(value - a, 2) in pool or round(a - value, 2) in pool or round(value + a, 2) in pool:
            return True
    return False


@register("communication")
def communication(ctx: Context) -> Check:
    criteria = ctx.task.evaluation_criteria
    infos = (criteria.communicate_info if criteria else None) or []
    agent_texts = [normalize(t) for _, t in texts(ctx.messages, "assistant")]
    for info in infos:
        if not any(normalize(str(info)) in t for t in agent_texts):
            return fail(f"never told the user {info!r}")
    # Amounts may be read directly, or derived from what was read: a sum or difference of two read
    # numbers, or a figure the task's generator computed from the database (its findings and
    # summaries are validated by execution). Anything else is an invented figure.
    known: set[float] = set()
    for info in infos:
        known |= _numbers(str(info))
    for request in (ctx.task.writ or {}).get("requests") or []:
        known |= _numbers(str(request.get("findings") or "")) | _numbers(str(request.get("summary") or ""))
    for m in ctx.messages:
        if m["role"] in ("tool", "user") and isinstance(m.get("content"), str):
            known |= _numbers(m["content"])
        elif m["role"] == "assistant" and isinstance(m.get("content"), str):
            for amount in _MONEY.findall(m["content"]):
                value = round(float(amount.replace(",", "")), 2)
                if value not in known and not _derived(value, known):
                    return fail(f"stated ${amount} which no tool result or user message supports")
    return ok()


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value


_NAME_KEYS = {"first_name", "last_name", "full_name", "name"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _needs_grounding(path: str, value: Any) -> bool:
    if not isinstance(value, str) or len(value) < 2:
        return False
    key = path.rsplit(".", 1)[-1].split("[")[0]
    return key in _NAME_KEYS or bool(re.search(r"[\d@#]", value))


@register("grounding")
def grounding(ctx: Context) -> Check:
    seen: list[str] = []
    pending_reads: dict[str, str] = {}
    for m in ctx.messages:
        role = m["role"]
        if role == "assistant" and m.get("tool_calls"):
            for call in m["tool_calls"]:
                fn = call.get("function", {})
                args = parse_arguments(call)
                if args is None:
                    continue
                if ctx.is_write(fn.get("name", "")):
                    corpus = " ".join(seen)
                    for path, value in _leaves(args):
                        if _needs_grounding(path, value) and normalize(value) not in corpus:
                            return fail(f"{fn.get('name')} argument {path}={value!r} never appeared before it")
                else:
                    # A read's arguments become evidence once the read works, but only values that
                    # were themselves grounded, or dates (which users give as "the 25th"): an id
                    # the agent made up does not become legitimate because a lookup accepted it.
                    corpus = " ".join(seen)
                    derived = [normalize(v) for p, v in _leaves(args) if isinstance(v, str) and (
                        not _needs_grounding(p, v) or normalize(v) in corpus or _DATE.fullmatch(v))]
                    pending_reads[call.get("id", "")] = " ".join(derived)
        elif role == "tool" and isinstance(m.get("content"), str):
            seen.append(normalize(m["content"]))
            if not m["content"].startswith("Error") and m.get("tool_call_id") in pending_reads:
                seen.append(pending_reads.pop(m["tool_call_id"]))  # arguments of a read that worked
        elif role == "user" and isinstance(m.get("content"), str):
            seen.append(normalize(m["content"]))
    return ok()


def _schema_problem(schema: dict[str, Any], args: dict[str, Any]) -> str | None:
    return argument_problem(schema, args)


@register("protocol")
def protocol(ctx: Context) -> Check:
    domain = ctx.data.domain
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
            if tool.mutates:
                if not confirmed:
                    return fail(f"message {i}: {name} without the user's explicit confirmation")
                confirmed = False  # each write needs its own yes
    termination = ctx.episode.termination
    if not termination or not Termination(termination).terminated:
        return fail(f"the conversation did not end cleanly ({termination or 'no termination'})")
    return ok()
