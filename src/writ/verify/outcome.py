"""The outcome verifier: a request the policy refuses is refused in words; a transfer happens when due.

The state verifier already rejects any forbidden write (the gold state has none). This one checks
what the state cannot show: that the customer was told (an agent message says the request cannot
be done), and that a transfer to a human agent happens exactly when the task calls for one, with
tau2's hold message after the transfer call and the conversation ending in the transfer.
"""

from __future__ import annotations

import re

from writ.verify.base import Check, Context, fail, ok, register, texts

__all__ = ["outcome", "refuses"]

TRANSFER_MESSAGE = "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."
_REFUSAL = re.compile(r"\b(can't|cannot|can not|unable|not able|not possible|isn't possible|not allowed|"
                      r"unfortunately|i'm afraid|i am afraid|i'm sorry|i am sorry|only \w+ (orders?|reservations?|"
                      r"lines?) can|doesn't allow|does not allow|isn't something|out of stock|not available|"
                      r"doesn't cover|does not cover)\b", re.I)


def refuses(text: str) -> bool:
    """Whether an agent message tells the customer that something cannot be done."""
    return bool(_REFUSAL.search(text))


@register("outcome")
def outcome(ctx: Context) -> Check:
    requests = (ctx.task.writ or {}).get("requests") or []
    wanted = {r.get("outcome", "write") for r in requests}
    agent_texts = [t for _, t in texts(ctx.messages, "assistant")]
    if "refuse" in wanted and not any(refuses(t) for t in agent_texts):
        return fail("a request the policy refuses was never refused in words")
    transfer_at = [i for i, m in enumerate(ctx.messages) if m["role"] == "assistant"
                   for c in m.get("tool_calls") or []
                   if c.get("function", {}).get("name") == "transfer_to_human_agents"]
    if "transfer" in wanted:
        if not transfer_at:
            return fail("the task calls for a transfer to a human agent, and none was made")
        after = [m.get("content") or "" for m in ctx.messages[transfer_at[0] + 1:] if m["role"] == "assistant"]
        if not any(TRANSFER_MESSAGE in t for t in after):
            return fail("no hold message after the transfer call")
        if ctx.episode.termination != "transfer":
            return fail(f"the conversation did not end in the transfer ({ctx.episode.termination})")
    elif transfer_at:
        return fail("transferred to a human agent although the policy lets the agent handle every request")
    return ok()
