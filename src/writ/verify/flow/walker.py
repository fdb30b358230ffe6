"""The information-flow verifier: every value the agent uses was said, read, or derived by a named rule.

It reads only the conversation (what any agent, scripted or LLM, could see) and walks it in order,
keeping what the customer has said and what tool results have shown so far:

* every argument value of every agent tool call (ids, enumerations, booleans, numbers, dates in
  any spelling) must have been said by the customer, be present in an earlier tool result, or be
  derived from those by a rule the domain names (recorded in the verdict); a read whose
  identifying arguments were not yet seen fails like a write;
* a value the customer must choose (the domain's ``choices``: a cancellation reason, a payment
  method, travel insurance, an amount of data) counts only when the customer's own words chose it:
  the agent proposing it and hearing "yes" does not count;
* numbers in a `calculate` expression must themselves have been seen;
* a dollar amount the agent states must have been seen or be derived by a named rule;
* the agent may not claim a change is done before a write succeeded since its last message;
* it may not re-read a record that no write could have changed (same call, same answer).

The domain's rules (`writ.verify.flow.<domain>`) say which arguments are choices and which
derivations exist. The verdict's details count the agent's questions for a needed detail, which
the report shows per run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from writ.dialogue.acts import normalize_text
from writ.verify.base import Check, Context, parse_arguments

__all__ = ["Flow", "FlowRules", "numbers_in", "run_flow"]

_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)")
_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?")
_CLAIM = re.compile(
    r"\b(has been|have been|is now|are now|i've|i have|was successfully|were successfully)\s+"
    r"(cancell?ed|updated|changed|modified|switched|processed|booked|refunded|returned|exchanged|added|removed|"
    r"suspended|resumed|enabled|disabled|sent|issued|upgraded|downgraded|submitted)\b|^(done|all set)\b|"
    r"\b(done|all set)[:!]", re.I | re.M)
_AUTH_Q = re.compile(r"(e-?mail|zip|user ?id|phone number|full name|customer id|date of birth|verify|identity)", re.I)
_CONFIRM_Q = re.compile(r"(proceed|confirm|go ahead|shall i|should i|okay to|is that okay|do it)", re.I)
_OPEN_Q = re.compile(r"(anything else|help you with|can i help|can i do for you|what do you need|what brings|"
                     r"how can i|how may i|what would you like me to|tell me what you need|what else)", re.I)


def numbers_in(text: str) -> set[float]:
    return {round(float(x.replace(",", "")), 2) for x in _NUMBER.findall(text)}


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value


@lru_cache(maxsize=8192)
def _parsed(content: str) -> Any:
    """A tool result as JSON (shared between episodes: never mutate it), or its text."""
    try:
        return json.loads(content)
    except json.JSONDecodeError:
        return content


@lru_cache(maxsize=8192)
def _read_facts(content: str) -> tuple[str, frozenset[float]]:
    """(normalized text, numbers) of one tool result; results repeat across a run's variants, so cached."""
    return normalize_text(content), frozenset(numbers_in(content))


class Flow:
    """What has been said and read up to the current point of the conversation."""

    def __init__(self) -> None:
        self.customer: list[str] = []  # customer messages, normalized
        self.said_numbers: set[float] = set()
        self.read_text: list[str] = []  # raw tool results (agent side), normalized
        self.read_numbers: set[float] = set()
        self.records: list[tuple[str, dict[str, Any], Any]] = []  # (tool, arguments, parsed result)
        self.writes = 0

    @property
    def customer_text(self) -> str:
        return " \n ".join(self.customer)

    def said(self, value: Any) -> bool:
        return normalize_text(str(value)) in self.customer_text

    def read(self, value: Any) -> bool:
        needle = normalize_text(str(value))
        return any(needle in t for t in self.read_text)

    def seen_number(self, value: float) -> bool:
        value = round(float(value), 2)
        return value in self.read_numbers or value in self.said_numbers

    def results(self, tool: str) -> list[tuple[dict[str, Any], Any]]:
        return [(args, result) for name, args, result in self.records if name == tool]


Choice = Callable[[Any, Flow, dict[str, Any]], str | None]  # (value, flow, call arguments) -> problem or None
Derive = Callable[[str, str, Any, Flow, dict[str, Any]], str | None]  # (tool, path, value, flow, args) -> rule


class FlowRules:
    """A domain's rules: customer choices per (tool, argument), named derivations, spelled values."""

    choices: dict[str, dict[str, Choice]] = {}
    write_checks: dict[str, Callable[[Flow, dict[str, Any]], str | None]] = {}
    # Arguments that are the agent's own words, not values (the note handed to a human agent).
    free_text: dict[str, set[str]] = {"transfer_to_human_agents": {"summary"}}
    # Questions that ask the customer to do something on their own device (telecom), not for a detail.
    action_question: re.Pattern | None = None

    def derive(self, tool: str, path: str, value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
        return None

    def needs_yes(self, name: str, arguments: dict[str, Any], mutates: bool) -> bool:
        """Whether this call changes the customer's affairs, so needs their explicit yes (the protocol
        verifier): every write by default; a domain may exempt its bookkeeping (banking's unlocks)."""
        return mutates

    def spelled(self, value: str, flow: Flow) -> bool:
        """Whether the customer said `value` in another spelling (a date, an airport's city)."""
        return False

    def amount(self, value: float, flow: Flow) -> str | None:
        """The named rule that derives an amount the agent states, if any."""
        return None


def _choice_for(rules: FlowRules, tool: str, path: str) -> Choice | None:
    table = rules.choices.get(tool) or {}
    key = re.sub(r"\[\d+\]", "[]", path)
    return table.get(key) or table.get(key.split(".")[-1])


def run_flow(ctx: Context, rules: FlowRules) -> Check:
    flow = Flow()
    derived: list[str] = []
    questions = 0
    wrote_since_text = False
    pending: dict[str, tuple[str, dict[str, Any]]] = {}
    last_read: dict[str, tuple[str, int]] = {}
    domain = ctx.data.domain
    for i, m in enumerate(ctx.messages):
        role = m["role"]
        content = m.get("content") if isinstance(m.get("content"), str) else ""
        if role == "user":
            if content and not m.get("tool_calls"):
                flow.customer.append(normalize_text(content))
                flow.said_numbers |= numbers_in(content)
            continue
        if role == "tool":
            if m.get("requestor") == "user":
                continue  # the customer's own device: the agent learns it only from the customer's words
            name, args = pending.pop(m.get("tool_call_id", ""), ("", {}))
            if content.startswith("Error"):
                continue
            text, numbers = _read_facts(content)
            flow.read_text.append(text)
            flow.read_numbers |= numbers
            flow.records.append((name, args, _parsed(content)))
            tool = domain.agent.tools.get(name)
            if tool is not None and tool.mutates:
                flow.writes += 1
                wrote_since_text = True
            if tool is not None and not tool.mutates and name != "calculate":
                key = name + json.dumps(args, sort_keys=True)
                previous = last_read.get(key)
                if previous is not None and previous == (content, flow.writes):
                    return Check(False, f"message {i}: {name} re-read a record no write could have changed")
                last_read[key] = (content, flow.writes)
            continue
        if role != "assistant":
            continue
        if content:
            problem = _text_problem(content, flow, rules, wrote_since_text)
            if problem:
                return Check(False, f"message {i}: {problem}")
            wrote_since_text = False
            questions += _asks_detail(content, rules.action_question)
        for call in m.get("tool_calls") or []:
            fn = call.get("function", {})
            name = fn.get("name", "")
            args = parse_arguments(call)
            if args is None or name not in domain.agent.tools:
                continue  # the protocol verifier rejects these
            problem = _call_problem(name, args, flow, rules, derived, domain.agent.tools[name].mutates)
            if problem:
                return Check(False, f"message {i}: {name}: {problem}")
            pending[call.get("id", "")] = (name, args)
    details = {"questions": questions}
    if derived:
        details["derived"] = derived[:20]
    return Check(True, "", details)


_NEGATED = re.compile(r"\b(nothing|not|no|never|haven't|hasn't|won't)\b[^.!?]{0,20}$", re.I)


_CLAIM_HINT = re.compile(r"been|now|done|all set|successfully|i've|i have", re.I)


def _claim(text: str) -> str | None:
    """A claim that a change is done ("has been cancelled", "Done:"), unless negated ("nothing has been changed")."""
    if not _CLAIM_HINT.search(text):
        return None
    for m in _CLAIM.finditer(text):
        if not _NEGATED.search(text[max(0, m.start() - 30):m.start()]):
            return m.group(0)
    return None


def _text_problem(text: str, flow: Flow, rules: FlowRules, wrote: bool) -> str | None:
    claim = _claim(text)
    if claim and not wrote:
        return f"claims a change is done before any write succeeded ({claim!r})"
    for raw in _MONEY.findall(text):
        value = round(float(raw.replace(",", "")), 2)
        if flow.seen_number(value) or flow.seen_number(-value):  # "you get back $5.63" for a -5.63 difference
            continue
        if rules.amount(value, flow) is None:
            return f"states ${raw}, which was neither read, said, nor derived by a named rule"
    return None


def _asks_detail(text: str, action: re.Pattern | None = None) -> int:
    """1 when the message asks the customer for something other than identity, a yes, 'anything else',
    or (`action`, the domain's pattern) to do something on their own device."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if "?" not in sentence:
            continue
        if _AUTH_Q.search(sentence) or _CONFIRM_Q.search(sentence) or _OPEN_Q.search(sentence):
            continue
        if action is not None and action.search(sentence):
            continue
        return 1
    return 0


def _call_problem(name: str, args: dict[str, Any], flow: Flow, rules: FlowRules, derived: list[str],
                  write: bool) -> str | None:
    if write:
        check = rules.write_checks.get(name)
        problem = check(flow, args) if check else None
        if problem:
            return problem
    if name == "calculate":
        expression = str(args.get("expression", ""))
        for raw in _NUMBER.findall(expression):
            number = round(float(raw.replace(",", "")), 2)
            if number.is_integer() and 0 <= number <= 12:
                continue  # a count (passengers, items, bags): counting is a rule anyone can state
            if not flow.seen_number(number) and rules.derive(name, "expression", number, flow, args) is None:
                return f"uses {raw}, which was never read or said"
        return None
    for path, value in _leaves(args):
        if path in rules.free_text.get(name, ()):
            continue
        choice = _choice_for(rules, name, path)
        if choice is not None:
            problem = choice(value, flow, args)
            if problem:
                return f"{path}={value!r}: {problem}"
            continue
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            return f"{path}={value!r} is a decision the customer never made"
        if isinstance(value, (int, float)):
            if flow.seen_number(value):
                continue
            rule = rules.derive(name, path, value, flow, args)
            if rule is None:
                return f"{path}={value!r} was never read, said, or derived by a named rule"
            derived.append(f"{name}.{path}={value!r}: {rule}")
            continue
        if flow.said(value) or flow.read(value) or rules.spelled(str(value), flow):
            continue
        rule = rules.derive(name, path, value, flow, args)
        if rule is None:
            return f"{path}={value!r} was never said by the customer nor read from a tool"
        derived.append(f"{name}.{path}={value!r}: {rule}")
    return None
