"""The banking teacher plays generated tasks with the scripted customer: episodes are kept, every value
it passes to a tool (inside discoverable calls too) was said or read before, it searches before it
unlocks, and it works for the grep-only retrieval variant."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from tests.conftest import tau2_dir
from writ.agents.scripted import scripted_teacher
from writ.data import load_data
from writ.dialogue.acts import normalize_text, number_forms
from writ.sim.orchestrator import run_episode
from writ.tasks import AxisRange, generate_tasks
from writ.tasks.banking_knowledge.desk import AGENT_WORDS
from writ.tasks.banking_knowledge.wording import cues
from writ.users.diversify import diversify
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode

FREE = {("transfer_to_human_agents", "summary"), ("transfer_to_human_agents", "reason")}


def _play(data, tasks, domain="banking_knowledge"):
    out = []
    for task in tasks:
        teacher = scripted_teacher(domain, seed=f"{task.id}/0")
        episode = asyncio.run(run_episode(task, data.environment(task), teacher, ScriptedUser(task)))
        out.append((task, episode, verify_episode(episode, task, data)))
    return out


@pytest.fixture(scope="module", params=["tau2", "generated"])
def played(request):
    if request.param == "tau2":
        data = load_data("banking_knowledge", tau2_data=tau2_dir())
    else:
        data = load_data("banking_knowledge", seed=2, scale=1.0)
    tasks, _ = generate_tasks(data, 16, AxisRange(1, 4), AxisRange(0, 10), seed=7)
    variants, _ = diversify(tasks, variants=2, seed=7)
    return data, _play(data, variants)


def test_episodes_are_kept(played):
    _, out = played
    kept = sum(v.passed for _, _, v in out)
    assert kept >= 0.95 * len(out), [v.failures for _, _, v in out if not v.passed][:3]


def _leaves(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


def _contained(value, text: str) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", text) for f in number_forms(value))
    return normalize_text(str(value)) in text


def test_every_value_the_teacher_passes_was_said_or_read_before(played):
    _, out = played
    checked = 0
    for task, episode, _ in out:
        heard = ""
        for m in episode.messages:
            content = m.get("content") or ""
            if m["role"] in ("user", "tool"):
                heard += " \n " + normalize_text(content)
            if m["role"] != "assistant":
                continue
            for call in m.get("tool_calls") or []:
                name = call["function"]["name"]
                args = json.loads(call["function"]["arguments"])
                if name == "call_discoverable_agent_tool":
                    args = {"agent_tool_name": args["agent_tool_name"], **json.loads(args.get("arguments") or "{}")}
                for key, value in _leaves(args):
                    if (name, key) in FREE or isinstance(value, bool) or value in ("", None):
                        continue  # the note to a human, the tool's reason code; yes/no decisions have cue words
                    if name in ("KB_search", "grep"):
                        words = re.findall(r"[a-z0-9][a-z0-9'-]*", str(value).lower().replace("|", " "))
                        unsaid = [w for w in words if w not in heard and w not in AGENT_WORDS]
                        assert not unsaid, (task.id, value, unsaid)
                        continue
                    checked += 1
                    assert _contained(value, heard), (task.id, name, key, value)
    assert checked > 100


def test_the_teacher_searches_before_it_unlocks_and_logs_identity_before_account_reads(played):
    _, out = played
    for task, episode, _ in out:
        searched, logged = "", False
        for m in episode.messages:
            if m["role"] == "tool" and m.get("content", "").startswith(("1. ", "No ")):
                searched += m["content"]
            for call in m.get("tool_calls") or [] if m["role"] == "assistant" else []:
                name = call["function"]["name"]
                args = json.loads(call["function"]["arguments"])
                if name in ("unlock_discoverable_agent_tool", "call_discoverable_agent_tool"):
                    assert args["agent_tool_name"] in searched, (task.id, args["agent_tool_name"])
                    assert logged, task.id
                if name == "log_verification":
                    logged = True
                if "user_id" in args and name != "log_verification":
                    assert logged, (task.id, name)


def test_a_held_back_detail_reaches_a_write_only_after_the_customer_said_it(played):
    _, out = played
    seen = 0
    for task, episode, verdict in out:
        if not verdict.passed:
            continue
        for request in task.writ["requests"]:
            for slot in request.get("withhold") or []:
                value = request["frame"].get(slot)
                if not isinstance(value, str) or len(value) < 4 or cues(slot, value) is not None:
                    continue  # a choice said in words ("someone stole it") is the flow rules' to check
                first_said = next((i for i, m in enumerate(episode.messages)
                                   if m["role"] == "user" and normalize_text(value) in normalize_text(m.get("content")
                                                                                                      or "")), None)
                used = next((i for i, m in enumerate(episode.messages) if m["role"] == "assistant"
                             and value in json.dumps(m.get("tool_calls") or [])), None)
                if used is not None:
                    seen += 1
                    assert first_said is not None and first_said < used, (task.id, slot, value)
    assert seen > 0


def test_the_grep_only_variant_is_played_with_grep():
    data = load_data("banking_knowledge-grep_only", seed=2, scale=1.0)
    tasks, _ = generate_tasks(load_data("banking_knowledge", seed=2, scale=1.0), 6, AxisRange(1, 2),
                              AxisRange(0, 6), seed=1)
    out = _play(data, tasks, "banking_knowledge-grep_only")
    names = {c["function"]["name"] for _, e, _ in out for m in e.messages for c in m.get("tool_calls") or []}
    assert "grep" in names and "KB_search" not in names
    assert sum(v.passed for _, _, v in out) >= 5, [v.failures for _, _, v in out if not v.passed][:2]
