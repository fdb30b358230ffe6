"""Judges: the NL-assertion judge (a model) and the runner's judge that scores every simulation.

`ModelNLJudge` asks a model, once per conversation, whether each natural-language assertion holds,
showing it the conversation as tau2 does (``role: content`` lines) and asking for JSON back. Its
answer is read per assertion; an assertion the model did not grade is not met.

`EvalJudge` is what `writ.sim.runner.simulate` calls after each episode: it stores the
tau2-equal reward info and the strict reward in the episode's verdicts and says the trial is
*settled* (``passed``) when the conversation was not cut short by a model error or a crash, so
the runner retries only trials that failed for reasons outside the agent's control.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from writ.core import Episode, Termination
from writ.data import DomainData
from writ.eval.reward import score_reward
from writ.eval.strict import strict_reward
from writ.task import Task

__all__ = ["EvalJudge", "INFRA_FAILURES", "ModelNLJudge", "score_episode"]

INFRA_FAILURES = {Termination.AGENT_ERROR.value, Termination.USER_ERROR.value, Termination.CRASH.value}

NL_SYSTEM = (
    "You grade a customer-service conversation between an agent and a customer against expected outcomes.\n"
    "Grade every expected outcome on its own: is it satisfied by what the agent said and did in the conversation?\n"
    "Answer with one JSON object and nothing else:\n"
    '{"results": [{"expectedOutcome": "<the outcome, verbatim>", "reasoning": "<one short sentence>", '
    '"metExpectation": true or false}]}'
)


def _transcript(messages: list[dict[str, Any]]) -> str:
    return "\n".join(f"{m['role']}: {m.get('content')}" for m in messages)


def _json_object(text: str) -> dict[str, Any]:
    text = (text or "").strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError(f"the judge answered no JSON object: {text[:120]!r}")
    value = json.loads(text[start:end + 1])
    if not isinstance(value, dict):
        raise ValueError("the judge's answer is not a JSON object")
    return value


class ModelNLJudge:
    """NL assertions graded by a model backend (`writ.models.make_backend`)."""

    def __init__(self, backend: Any, spec: str):
        self.backend = backend
        self.config = {"spec": spec}

    async def aclose(self) -> None:
        close = getattr(self.backend, "aclose", None)
        if close is not None:
            await close()

    async def __call__(self, assertions: list[str], messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        prompt = (f"conversation:\n{_transcript(messages)}\n\n"
                  f"expectedOutcomes:\n{json.dumps(assertions, ensure_ascii=False)}")
        reply = await self.backend.complete([{"role": "system", "content": NL_SYSTEM},
                                             {"role": "user", "content": prompt}], None, temperature=0.0)
        graded = _json_object(reply.content or "").get("results") or []
        by_text = {str(r.get("expectedOutcome", "")).strip(): r for r in graded if isinstance(r, dict)}
        out = []
        for i, assertion in enumerate(assertions):
            r = by_text.get(assertion.strip()) or (graded[i] if i < len(graded) and isinstance(graded[i], dict) else {})
            out.append({"nl_assertion": assertion, "met": r.get("metExpectation") is True,
                        "justification": str(r.get("reasoning", "not graded by the judge"))})
        return out


async def score_episode(task: Task, data: DomainData, messages: list[dict[str, Any]], termination: str, *,
                        nl_judge: Any = None, strict_replay: bool = True) -> dict[str, Any]:
    """Both rewards of one conversation: ``{"reward_info": ..., "strict": ...}``."""
    reward_info = await score_reward(task, data, messages, termination, nl_judge=nl_judge, strict_replay=strict_replay)
    return {"reward_info": reward_info, "strict": strict_reward(task, data, messages, termination, reward_info)}


class EvalJudge:
    """The runner's judge for evaluation runs; `originals` maps a trial copy's id to its task."""

    def __init__(self, originals: Mapping[str, Task], nl_judge: Any = None, strict_replay: bool = True):
        self.originals = originals
        self.nl_judge = nl_judge
        self.strict_replay = strict_replay
        self.config = {"scorer": "writ.eval", "nl_judge": getattr(nl_judge, "config", None),
                       "strict_replay": strict_replay}

    async def __call__(self, episode: Episode, task: Task, data: DomainData) -> dict[str, Any]:
        original = self.originals.get(task.id, task)
        scored = await score_episode(original, data, episode.messages, episode.termination,
                                     nl_judge=self.nl_judge, strict_replay=self.strict_replay)
        return {"passed": episode.termination not in INFRA_FAILURES, **scored}
