"""The offline teacher acts only on what was said and read, asks for what it needs, and the customer's
and teacher's readings are parses of their own words. Checked over generated tasks of every domain
the teacher has skills for, with every behaviour of the catalogue."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import random

import pytest

from writ.agents.scripted import SKILLED_DOMAINS, ScriptedTeacher, scripted_teacher
from writ.data import load_data
from writ.dialogue.acts import acts_of, grounding_problems
from writ.sim.orchestrator import run_episode
from writ.tasks.axes import AxisRange
from writ.tasks.generate import GENERATOR_MODULES, data_scale, generate_tasks
from writ.users.diversify import diversify
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode
from writ.verify.flow import rules_for

GENERATED = sorted(d for d in SKILLED_DOMAINS if d in GENERATOR_MODULES)  # mock has skills, tasks come by hand


@pytest.fixture(scope="module", params=GENERATED)
def played(request):
    domain = request.param
    data = load_data(domain, seed=1, scale=data_scale(domain, 24, 0.5))  # telecom: enough customers for 24 tasks
    tasks, _ = generate_tasks(data, 24, AxisRange(1, 3), AxisRange(0, 6), seed=5)
    variants, _ = diversify(tasks, variants=2, seed=5)
    out = []
    for task in variants:
        teacher = scripted_teacher(domain, seed=f"{task.id}/0")
        episode = asyncio.run(run_episode(task, data.environment(task), teacher, ScriptedUser(task)))
        out.append((task, episode, verify_episode(episode, task, data)))
    return domain, data, out


def test_the_teacher_is_built_without_the_task():
    assert "task" not in inspect.signature(ScriptedTeacher.__init__).parameters
    assert "task" not in inspect.signature(scripted_teacher).parameters


def test_episodes_are_kept(played):
    domain, _, out = played
    kept = sum(v.passed for _, _, v in out)
    failures = [v.failures for _, _, v in out if not v.passed][:3]
    assert kept >= 0.95 * len(out), failures


def test_every_reading_is_grounded_in_its_text(played):
    domain, _, out = played
    teacher_cues = scripted_teacher(domain).cues
    customer_cues = importlib.import_module(f"writ.users.scripted.{domain}").cues
    for _, episode, _ in out:
        for m in episode.messages:
            if m.get("_reading") and m.get("content"):
                cues = customer_cues if m["role"] == "user" else teacher_cues
                assert grounding_problems(acts_of(m), m["content"], cues) == [], (m["content"], m["_reading"])


def test_no_tool_call_before_the_customer_asks_for_something(played):
    _, data, out = played
    auth = {"find_user_id_by_email", "find_user_id_by_name_zip", "get_user_details", "get_customer_by_phone",
            "get_customer_by_id", "get_customer_by_name", "get_user_information_by_name"}
    for _, episode, _ in out:
        asked = False
        for m in episode.messages:
            acts = {a["act"] for a in acts_of(m)}
            if m["role"] == "user" and "request" in acts:
                asked = True
            if m["role"] == "assistant" and m.get("tool_calls") and not asked:
                names = {c["function"]["name"] for c in m["tool_calls"]}
                assert names <= auth, (names, episode.task_id)


def test_the_teacher_asks_for_what_the_customer_held_back(played):
    _, _, out = played
    asked = held = 0
    for task, episode, _verdict in out:
        withheld = [s for r in (task.writ or {}).get("requests") or [] for s in r.get("withhold") or []]
        if not withheld or "volunteers" in (task.writ or {}).get("behaviours", []):
            continue
        held += 1
        asked += any(a["act"] == "ask_slot" for m in episode.messages for a in acts_of(m))
    assert held and asked / held >= 0.9


def test_the_agent_asks_for_a_detail_in_most_conversations(played):
    _, _, out = played
    shares = [v.checks["information_flow"].details.get("questions", 0) > 0 for _, _, v in out if v.passed]
    assert sum(shares) / len(shares) >= 0.6


def test_refused_requests_are_refused_and_never_written(played):
    _, data, out = played
    for task, episode, verdict in out:
        if (task.writ or {}).get("outcome") in ("refuse", "transfer") and verdict.passed:
            rules = rules_for(data.domain.name)  # banking's unlocks and verification record are bookkeeping
            writes = [c for m in episode.messages if m["role"] == "assistant" for c in m.get("tool_calls") or []
                      if rules.needs_yes(c["function"]["name"], json.loads(c["function"]["arguments"]),
                                         data.domain.agent.tools[c["function"]["name"]].mutates)]
            assert writes == [], task.id


def test_same_seed_same_conversation(played):
    domain, data, out = played
    task, episode, _ = random.Random(0).choice(out)
    again = asyncio.run(run_episode(task, data.environment(task), scripted_teacher(domain, seed=f"{task.id}/0"),
                                    ScriptedUser(task)))
    assert [m.get("content") for m in again.messages] == [m.get("content") for m in episode.messages]
