"""Banking conversations read like many agents and customers, not one template (issue 13, language).

Plays 150 generated banking tasks (the issue's benchmark size; ten seconds), two variants each, with
the scripted teacher and customer, and counts sentences after masking names, numbers, ids, emails and
amounts (`writ.report.quality`): distinct agent sentences at least 50%, distinct customer sentences at
least 60%, the 15 most common two-word agent openings at most 20% of agent sentences, and no template
debris in any message.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import pytest

from writ.agents.scripted import scripted_teacher
from writ.data import load_data
from writ.report.quality import mask, sentences
from writ.sim.orchestrator import run_episode
from writ.tasks import AxisRange, generate_tasks
from writ.users.diversify import diversify
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode

# Grammar left-overs ("[a|b]", "{slot}"), "(s)", arrows, snake_case values, a doubled word.
DEBRIS = re.compile(r"\(s\)|->|[\[\]{}|]|\b[a-z]+_[a-z_]+\b|\b(\w+) \1\b")


@pytest.fixture(scope="module")
def conversations():
    data = load_data("banking_knowledge", seed=3, scale=1.0)
    tasks, _ = generate_tasks(data, 150, AxisRange(1, 4), AxisRange(0, 10), seed=11)
    variants, _ = diversify(tasks, variants=2, seed=11)
    out = []
    for task in variants:
        teacher = scripted_teacher("banking_knowledge", seed=f"{task.id}/0")
        episode = asyncio.run(run_episode(task, data.environment(task), teacher, ScriptedUser(task)))
        out.append((episode, verify_episode(episode, task, data).passed))
    return out


def _said(conversations, role: str) -> list[str]:
    return [m["content"] for episode, _ in conversations for m in episode.messages
            if m["role"] == role and m.get("content") and not m.get("tool_calls")
            and not m["content"].startswith("###")]


def _distinct(texts: list[str]) -> float:
    counts = Counter(mask(s) for text in texts for s in sentences(text))
    return len(counts) / sum(counts.values())


def test_conversations_are_kept(conversations):
    assert sum(kept for _, kept in conversations) >= 0.95 * len(conversations)


def test_agent_sentences_are_varied(conversations):
    texts = _said(conversations, "assistant")
    assert _distinct(texts) >= 0.5
    openings = Counter(" ".join(mask(s).split()[:2]) for text in texts for s in sentences(text))
    top = sum(n for _, n in openings.most_common(15)) / sum(openings.values())
    assert top <= 0.2, openings.most_common(15)


def test_customer_sentences_are_varied(conversations):
    assert _distinct(_said(conversations, "user")) >= 0.6


def test_no_template_debris(conversations):
    bad = [text for role in ("assistant", "user") for text in _said(conversations, role)
           if DEBRIS.search(re.sub(r"\S+@\S+", "", text))]
    assert not bad, bad[:3]
