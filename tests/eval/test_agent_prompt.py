"""`writ eval --agent-prompt`: the evaluated model is sent what the export writes, and results say so."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.agents.test_llm_prompt import RecordingServer
from tests.agents.test_prompt import tau2_prompt, write_prompt
from tests.conftest import TAU2, tau2_dir
from writ.agents.setup import PromptOptions
from writ.data import load_data
from writ.eval import EvalOptions, SelectionError, evaluate
from writ.export import DomainContext
from writ.models.scripted import ScriptedBackend
from writ.models.server import serve_in_thread
from writ.task import save_tasks
from writ.tasks import AxisRange, generate_tasks


def test_eval_sends_taus_system_message_and_tools(tmp_path):
    path = tau2_prompt("telecom")
    options = PromptOptions.load(str(path))
    raw = json.loads(path.read_text(encoding="utf-8"))
    # the scripted customer speaks only writ-generated tasks: one made on tau2's own database
    tasks, _ = generate_tasks(load_data("telecom", tau2_data=tau2_dir()), 1, AxisRange(1, 1), AxisRange(1, 3), seed=0,
                              outcomes={"write": 1.0})
    save_tasks(tasks, tmp_path / "tasks.json")
    with serve_in_thread(ScriptedBackend(["I'm looking into it."], name="fake"), RecordingServer) as server:
        opts = EvalOptions("telecom", tmp_path / "out", tasks_file=tmp_path / "tasks.json", limit=1,
                           agent="openai:fake",
                           base_url=[server.base_url], max_steps=6, progress=False, prompt=options)
        outcome = asyncio.run(evaluate(opts))
    assert server.bodies, "the agent never called the model"
    system = raw["system_prompt_template"].replace("{policy}",
                                                   (TAU2 / "telecom" / "policy.md").read_text(encoding="utf-8"))
    exported = DomainContext.of(load_data("telecom", tau2_data=tau2_dir()), options)
    for body in server.bodies:
        assert (body["messages"][0] == {"role": "system", "content": system}
                == {"role": "system", "content": exported.system})
        assert json.dumps(body["tools"], ensure_ascii=False) == json.dumps(raw["agent_tools"], ensure_ascii=False)
    info = outcome.results["info"]
    assert info["agent_setup"]["agent_prompt_file"]["sha256"] == options.agent_prompts["*"].sha256
    assert info["prompt_options"]["agent_prompt"]["*"]["path"] == str(path.resolve())

    other = write_prompt(tmp_path, "telecom", lambda agent, user: agent.reverse())
    again = EvalOptions("telecom", tmp_path / "out", tasks_file=tmp_path / "tasks.json", limit=1, agent="openai:fake",
                        base_url=["http://127.0.0.1:9/v1"], max_steps=6, progress=False,
                        prompt=PromptOptions.load(str(other)))
    with pytest.raises(SelectionError, match=r"another config: --agent-prompt/--policy \(SHA-256\)"):
        asyncio.run(evaluate(again))


def test_eval_refuses_a_prompt_of_another_domain(tmp_path):
    opts = EvalOptions("retail", tmp_path / "out", tau2_data=tau2_dir(), limit=1, progress=False,
                       prompt=PromptOptions.load(str(tau2_prompt("airline"))))
    with pytest.raises(SelectionError, match="does not fit domain retail: agent tool cancel_pending_order is missing"):
        asyncio.run(evaluate(opts))
    assert not (tmp_path / "out").exists()
