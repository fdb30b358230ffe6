"""Optional LLM realization: the scripted pair's turns rewritten into freer language, guarded.

The scripted teacher and customer decide *what* is said (acts, values, order); an LLM may decide
*how* it is said. `RealizedActor` wraps a scripted actor: each text turn is sent to the realizer
model with the speaker's role and the previous message, and the rewrite is kept only if it passes
the guards that make the data trustworthy:

* every value of the turn's reading is still in the text (`writ.dialogue.acts.grounding_problems`,
  with the speaker's cues), so the information flow is unchanged;
* every protected token of the original (ids, numbers, amounts, emails, capitalised names) is
  written verbatim, and no new dollar amount appears;
* an agent rewrite claims nothing is done that the original did not claim, and never reaches a
  stop token;
* it is not empty and not wildly longer than the original.

A rewrite that fails any guard falls back to the scripted text; the actor counts rewrites and
fallbacks, and the episode records both (the report shows the fallbacks). Tool calls and stop
tokens are never rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from writ.core import Turn
from writ.dialogue.acts import CueFn, grounding_problems
from writ.dialogue.lexicon import affirmative

__all__ = ["RealizedActor", "guard_problem"]

_PROTECTED = re.compile(r"[\w.+#@/-]*\d[\w.+#@/-]*|[\w.+-]+@[\w-]+\.[\w.]+|(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")
_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")
_CLAIM = re.compile(r"\b(has been|have been|is now|are now|all set|done)\b", re.I)

SYSTEM = {
    "assistant": "You rewrite messages of a customer-service agent so they read naturally and vary in wording. "
                 "Keep the meaning exactly: the same questions, the same facts, the same commitments, nothing added "
                 "and nothing left out. Copy every id, number, amount, date, email, name, product and option "
                 "exactly as written. Reply with the rewritten message only.",
    "user": "You rewrite messages of a customer talking to a support agent so they sound like a real person in "
            "the given persona. Keep the meaning exactly: the same requests, answers and details, nothing added "
            "and nothing left out. Copy every id, number, amount, date, email, name, product and option exactly "
            "as written. Reply with the rewritten message only.",
}


def _tokens(text: str) -> list[str]:
    return [t.rstrip(".,;:!?)") for t in _PROTECTED.findall(text)]


def guard_problem(original: str, rewrite: str, acts: list[dict[str, Any]], cues: CueFn | None,
                  role: str) -> str | None:
    """Why `rewrite` may not replace `original` (None: it may)."""
    if not rewrite.strip():
        return "empty"
    if len(rewrite) > 3 * len(original) + 80:
        return "too long"
    if "###" in rewrite:
        return "stop token"
    missing = [t for t in _tokens(original) if t and t not in rewrite]
    if missing:
        return f"lost {missing[0]!r}"
    if set(_AMOUNT.findall(rewrite.replace(" ", ""))) - set(_AMOUNT.findall(original.replace(" ", ""))):
        return "new amount"
    if role == "assistant" and _CLAIM.search(rewrite) and not _CLAIM.search(original):
        return "new completion claim"
    problems = grounding_problems(acts, rewrite, cues)
    if problems:
        return f"reading not grounded: {problems[0]}"
    names = {a["act"] for a in acts}
    if names & {"affirm", "deny"} and affirmative(rewrite) != ("affirm" in names):
        return "the yes or no changed"
    if names & {"propose", "ask_slot", "ask_auth", "anything_else", "ask_request"} and "?" not in rewrite:
        return "the question is gone"
    return None


class RealizedActor:
    """A scripted actor whose text turns an LLM rewrites, under `guard_problem` (see module docstring)."""

    def __init__(self, inner: Any, backend: Any, role: str, cues: CueFn | None, *, persona: str = "",
                 params: dict[str, Any] | None = None):
        self.inner = inner
        self.backend = backend
        self.role = role
        self.cues = cues
        self.persona = persona
        self.params = dict(params or {})
        self.rewrites = 0
        self.fallbacks = 0
        self.name = f"{getattr(inner, 'name', 'scripted')}+realizer"

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        turn = await self.inner.act(messages)
        text = turn.content or ""
        if not text or turn.tool_calls or "###" in text:
            return turn
        acts = list((turn.reading or {}).get("acts") or [])
        previous = next((m.get("content") for m in reversed(messages)
                         if m.get("role") in ("user", "assistant") and m.get("content")), "")
        prompt = [{"role": "system", "content": SYSTEM[self.role]},
                  {"role": "user", "content": (f"Persona: {self.persona}\n" if self.persona else "")
                   + (f"Previous message: {previous}\n" if previous else "") + f"Message to rewrite: {text}"}]
        try:
            reply = await self.backend.complete(prompt, None, **self.params)
        except Exception:  # a realizer outage must not cost the episode: keep the scripted text
            self.fallbacks += 1
            return turn
        rewrite = (reply.content or "").strip().strip('"')
        if guard_problem(text, rewrite, acts, self.cues, self.role) is not None:
            self.fallbacks += 1
            return turn
        self.rewrites += 1
        turn.content = rewrite
        return turn

