"""What writ's LLM agent and user put on the wire with an agent prompt file, against a local server.

The request bodies a loopback OpenAI-compatible server receives must carry exactly the system
message and tools the export writes (`DomainContext.of`, the same `agent_setup`), and tau2's own
values; the guided teacher adds its plan only to what it sends.
"""

from __future__ import annotations

import asyncio
import json
import pickle
from typing import Any

import pytest

from tests.agents.test_prompt import tau2_prompt
from tests.conftest import TAU2, tau2_dir
from writ.agents.setup import PromptOptions
from writ.data import load_data
from writ.export import DomainContext
from writ.models.scripted import ScriptedBackend
from writ.models.server import ChatServer, serve_in_thread
from writ.sim import make_agent_factory, make_user_factory


class RecordingServer(ChatServer):
    """Keeps every request body as it arrived (parsed JSON keeps the key order of the bytes)."""

    def __init__(self, backend: Any, **kw: Any) -> None:
        super().__init__(backend, **kw)
        self.bodies: list[dict[str, Any]] = []

    async def handle_chat(self, body: dict) -> tuple[int, dict]:
        self.bodies.append(body)
        return await super().handle_chat(body)


@pytest.fixture
def server():
    with serve_in_thread(ScriptedBackend(["Sure, one moment."], name="fake"), RecordingServer) as running:
        yield running


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _act(factory, task, data, messages):
    async def go():
        try:
            return await factory(task, data, 0).act(messages)
        finally:
            await factory.backend.aclose()
    return asyncio.run(go())


@pytest.mark.parametrize("domain", ["retail", "airline", "telecom"])
@pytest.mark.parametrize("guided", [False, True])
def test_the_agent_sends_what_the_export_writes(server, domain, guided):
    path = tau2_prompt(domain)
    data = load_data(domain, tau2_data=tau2_dir())
    options = PromptOptions.load(str(path))
    factory = make_agent_factory(("guided:" if guided else "") + "openai:fake", base_url=server.base_url,
                                 prompt=options)
    task = data.tasks[0]
    _act(factory, task, data, [{"role": "assistant", "content": "Hi! How can I help you today?"},
                               {"role": "user", "content": "I need help with my account."}])
    body = server.bodies[-1]
    raw = json.loads(path.read_text(encoding="utf-8"))
    tau2_system = raw["system_prompt_template"].replace("{policy}",
                                                        (TAU2 / domain / "policy.md").read_text(encoding="utf-8"))
    exported = DomainContext.of(data, options)
    assert exported.system == tau2_system and _dumps(exported.tools) == _dumps(raw["agent_tools"])
    assert _dumps(body["tools"]) == _dumps(raw["agent_tools"])
    system = body["messages"][0]
    assert system["role"] == "system"
    if guided:  # the plan is appended to what the teacher sends, never to what is exported
        assert system["content"].startswith(tau2_system + "\n<hint>\n") and "<hint>" not in exported.system
    else:
        assert system["content"] == tau2_system
    assert factory.config["prompt"] == {"agent_prompt": {"*": options.agent_prompts["*"].sha256}}


def test_without_options_the_agent_sends_the_bare_policy_and_writs_schemas(server):
    data = load_data("retail", seed=0, scale=0.2)
    from writ.tasks import AxisRange, generate_tasks

    task = generate_tasks(data, 1, AxisRange(1, 1), AxisRange(0, 0), seed=0)[0][0]
    factory = make_agent_factory("openai:fake", base_url=server.base_url)
    _act(factory, task, data, [{"role": "user", "content": "Hello"}])
    body = server.bodies[-1]
    assert body["messages"][0] == {"role": "system", "content": data.policy}
    assert body["tools"] == data.domain.agent.schemas() and "prompt" not in factory.config


def test_the_telecom_user_is_shown_the_files_device_tools(server):
    path = tau2_prompt("telecom")
    data = load_data("telecom", tau2_data=tau2_dir())
    factory = make_user_factory("openai:fake", base_url=server.base_url, prompt=PromptOptions.load(str(path)))
    _act(factory, data.tasks[0], data, [{"role": "assistant", "content": "Hi! How can I help you today?"}])
    assert _dumps(server.bodies[-1]["tools"]) == _dumps(json.loads(path.read_text(encoding="utf-8"))["user_tools"])


def test_a_factory_with_a_prompt_crosses_processes_as_its_recipe(server):
    path = tau2_prompt("airline")
    options = PromptOptions.load(str(path))
    factory = make_agent_factory("openai:fake", base_url=server.base_url, prompt=options)
    copy = pickle.loads(pickle.dumps(factory))  # what a Ray worker gets
    assert copy.config == factory.config
    assert copy.config["prompt"]["agent_prompt"]["*"] == options.agent_prompts["*"].sha256
    data = load_data("airline", tau2_data=tau2_dir())
    _act(copy, data.tasks[0], data, [{"role": "user", "content": "Hello"}])
    assert _dumps(server.bodies[-1]["tools"]) == _dumps(json.loads(path.read_text(encoding="utf-8"))["agent_tools"])
    asyncio.run(factory.backend.aclose())
