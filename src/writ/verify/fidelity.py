"""User-fidelity guards: failures of the *simulated user* that would poison a training example.

* premature stop: the user ended the conversation after confirming a change the agent had not
  yet made;
* invented facts: the user stated an identifier (an id, an email, a number with digits) that its
  scenario does not hold and nobody said before (behaviours that misremember on purpose declare
  their wrong details in the task's metadata, which makes them expected);
* leaks: the user said an identifier its scenario marks as unknown to it (one a write needs)
  before the agent had said it.
"""

from __future__ import annotations

import json
import re

from writ.dialogue.lexicon import affirmative
from writ.verify.base import Check, Context, fail, normalize, ok, register

_TOKEN = re.compile(r"[#\w.@+-]*\d[#\w.@+-]*|[\w.+-]+@[\w-]+\.[\w.]+")
_STOPS = ("###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###")


def _tokens(text: str) -> set[str]:
    out = set()
    for tok in _TOKEN.findall(text):
        tok = tok.strip(".,;:!?()[]'\"")
        if len(tok) >= 3 and not re.fullmatch(r"\d{1,2}(st|nd|rd|th)?|\d+(\.\d+)?%?", tok):
            out.add(tok.lower())
    return out


@register("user_fidelity")
def user_fidelity(ctx: Context) -> Check:
    meta = ctx.task.writ or {}
    scenario = normalize(json.dumps([ctx.task.user_scenario, meta.get("facts"), meta.get("requests"),
                                     meta.get("behaviour_facts")], ensure_ascii=False))
    secrets = {s.lower() for w in meta.get("writes", []) for s in w.get("secret_ids", []) if s}
    heard = ""  # what the agent (and the user's own device) said so far
    confirmed_pending = False
    for m in ctx.messages:
        content = m.get("content") if isinstance(m.get("content"), str) else ""
        if m["role"] == "assistant":
            heard += " " + normalize(content)
            if m.get("tool_calls") and confirmed_pending:
                if any(ctx.is_write(c.get("function", {}).get("name", "")) for c in m["tool_calls"]):
                    confirmed_pending = False
        elif m["role"] == "tool" and m.get("requestor") == "user":
            heard += " " + normalize(content)
        elif m["role"] == "user" and content and not m.get("tool_calls"):
            if any(stop in content for stop in _STOPS) and confirmed_pending:
                return fail("the user ended the conversation before the agent made the change it confirmed")
            for token in _tokens(content):
                if token in scenario or token in heard:
                    continue
                if token in secrets:
                    return fail(f"the user leaked {token!r}, which its scenario says it does not know")
                return fail(f"the user stated {token!r}, which neither its scenario nor the agent gave it")
            last_agent = heard.rsplit("?", 1)
            confirmed_pending = affirmative(content) and len(last_agent) > 1 and _asked_to_confirm(ctx, m)
    return ok()


_CONFIRM = re.compile(r"(proceed|confirm|go ahead|shall i|should i|okay to)", re.I)


def _asked_to_confirm(ctx: Context, user_message: dict) -> bool:
    """Whether the agent text right before this user message asked, in a question, for a confirmation."""
    index = ctx.messages.index(user_message)
    for m in reversed(ctx.messages[:index]):
        if m["role"] == "assistant" and m.get("content"):
            questions = [q for q in re.split(r"(?<=[.!?])\s+", m["content"]) if q.endswith("?")]
            return any(_CONFIRM.search(q) for q in questions)
        if m["role"] == "assistant":
            return False
    return False
