"""`evaluate` end to end: the scripted teacher, the do-nothing floor, dead and slow models, resuming,
wrong domains, another config in --out, and the contamination check."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import pytest

from tests.conftest import tau2_dir
from tests.eval.conftest import GENERATED_DOMAINS, generated, tau2_data
from writ.data import DomainData
from writ.eval import EvalOptions, SelectionError, check_contamination, evaluate
from writ.models.scripted import ScriptedBackend
from writ.models.server import ChatServer
from writ.replay import replay_task
from writ.task import Task, save_tasks


def tasks_file(tmp_path: Path, tasks, name: str = "tasks.json") -> Path:
    path = tmp_path / name
    save_tasks(list(tasks), path)
    return path


def run(opts: EvalOptions):
    return asyncio.run(evaluate(opts))


def rewards(results) -> tuple[list[float], list[float]]:
    sims = results["simulations"]
    return [s["reward_info"]["reward"] for s in sims], [s["strict_reward_info"]["reward"] for s in sims]


@pytest.mark.parametrize("domain", GENERATED_DOMAINS)
def test_scripted_teacher_scores_one_on_every_generated_task(domain, tmp_path):
    data, tasks = generated(domain)
    out = run(EvalOptions(domain, tmp_path / "out", tasks_file=tasks_file(tmp_path, tasks), trials=2, progress=False))
    tau2, strict = rewards(out.results)
    assert len(tau2) == 2 * len(tasks)
    assert tau2 == [1.0] * len(tau2)
    summary = out.results["info"]["summary"][domain]
    assert summary["pass_hat_k"]["2"]["value"] == 1.0
    from writ.agents.scripted import SKILLED_DOMAINS

    if domain in SKILLED_DOMAINS:  # the legacy plan-following teacher reads the task: strict rejects it, rightly
        assert strict == [1.0] * len(strict) and summary["strict_pass_hat_k"]["2"]["value"] == 1.0
    assert summary["axes_source"] == "writ metadata"
    assert {p.name for p in out.paths} == {"results.json", "summary.md", "results.html"}
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert set(saved) == {"info", "tasks", "simulations"}
    assert {"id", "task_id", "trial", "messages", "termination_reason", "reward_info", "agent_cost", "user_cost",
            "duration"} <= set(saved["simulations"][0])
    assert {"reward", "db_check", "action_checks", "communicate_checks", "env_assertions", "nl_assertions",
            "reward_basis", "info"} <= set(saved["simulations"][0]["reward_info"])


def needs_nothing(data: DomainData, task: Task) -> bool:
    """Independently of the scorer: the gold leaves the state as it was and nothing must be said."""
    env = data.environment(task)
    gold = replay_task(data, task, sync=False)
    unchanged = (gold["final_db_hash"], gold["final_user_db_hash"]) == (env.fingerprint(), env.user_fingerprint())
    return unchanged and not (task.evaluation_criteria.communicate_info or [])


def test_do_nothing_agent_scores_the_share_of_tasks_that_need_nothing(tmp_path):
    data = tau2_data("airline")
    share = sum(needs_nothing(data, t) for t in data.tasks) / len(data.tasks)
    assert 0 < share < 1
    out = run(EvalOptions("airline", tmp_path / "tau2", tau2_data=tau2_dir(), agent="noop", progress=False))
    summary = out.results["info"]["summary"]["airline"]
    assert summary["average_reward"] == pytest.approx(share)
    assert summary["average_strict_reward"] == pytest.approx(share)
    assert summary["terminations"] == {"agent_stop": len(data.tasks)}
    for s in out.results["simulations"]:
        assert not any(m.get("tool_calls") for m in s["messages"] if m["role"] == "assistant")
    for domain in ("retail", "airline"):
        gdata, tasks = generated(domain)
        gen = run(EvalOptions(domain, tmp_path / domain, tasks_file=tasks_file(tmp_path, tasks, f"{domain}.json"),
                              agent="noop", progress=False))
        expected = sum(needs_nothing(gdata, t) for t in tasks) / len(tasks)
        assert gen.results["info"]["summary"][domain]["average_reward"] == pytest.approx(expected)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dead_model_gives_agent_errors_scored_zero_and_a_rerun_retries_them(tmp_path):
    data, tasks = generated("retail")
    opts = EvalOptions("retail", tmp_path / "out", tasks_file=tasks_file(tmp_path, tasks[:3]), agent="openai:dead",
                       base_url=[f"http://127.0.0.1:{free_port()}/v1"], trials=2, retries=0, progress=False)
    first = run(opts)
    sims = first.results["simulations"]
    assert len(sims) == 6 and first.new_simulations == 6
    assert {s["termination_reason"] for s in sims} == {"agent_error"}
    assert all(s["reward_info"]["reward"] == 0.0 and s["strict_reward_info"]["reward"] == 0.0 for s in sims)
    assert all(s["error"] for s in sims)
    assert (tmp_path / "out" / "results.json").is_file()
    # a dead server says nothing about the agent: the same command again retries those trials
    # (writ.sim.failures), instead of keeping zeros the agent never earned
    again = run(opts)
    assert again.new_simulations == 6 and again.resumed_simulations == 0
    assert len(again.results["simulations"]) == 6


def test_an_interrupted_run_keeps_partial_results_and_resumes(tmp_path):
    data, tasks = generated("retail")
    path = tasks_file(tmp_path, tasks[:3])

    async def scenario():
        server = ChatServer(ScriptedBackend(["OK, let me look into that."], delay_s=0.03, name="fake"))
        url = await server.start()
        opts = EvalOptions("retail", tmp_path / "out", tasks_file=path, agent="openai:fake", base_url=[url],
                           trials=2, concurrency=1, max_steps=10, progress=False)
        try:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(evaluate(opts), 0.5)
            partial = json.loads((tmp_path / "out" / "results.json").read_text())
            done = await evaluate(opts)
        finally:
            await server.close()
        return partial, done

    partial, done = asyncio.run(scenario())
    assert partial["info"]["interrupted"] and 0 < len(partial["simulations"]) < 6
    assert len(done.results["simulations"]) == 6
    assert done.resumed_simulations >= len(partial["simulations"])
    summary = done.results["info"]["summary"]["retail"]
    assert sum(summary["terminations"].values()) == 6 and summary["average_reward"] == 0.0  # it never writes
    assert summary["usage"]["per_simulation"]["prompt_tokens"] > 0 and summary["latency"]["agent_call_mean_s"] > 0
    assert summary["usage"]["per_task"]["prompt_tokens"] > 0 and summary["per_task"][0]["trials"] == 2


def test_tasks_of_another_domain_are_refused_with_the_domain_named(tmp_path):
    with pytest.raises(SelectionError, match="belong to domain retail, not airline.*--domain retail"):
        run(EvalOptions("airline", tmp_path / "o", tau2_data=tau2_dir(),
                        tasks_file=tau2_dir() / "retail" / "tasks.json"))
    raw = json.loads((tau2_dir() / "retail" / "tasks.json").read_text())[:3]
    for t in raw:
        t["user_scenario"]["instructions"].pop("domain")
    anonymous = tmp_path / "anon.json"
    anonymous.write_text(json.dumps(raw))
    with pytest.raises(SelectionError, match="calls tools airline does not have.*look like retail"):
        run(EvalOptions("airline", tmp_path / "o", tau2_data=tau2_dir(), tasks_file=anonymous))
    with pytest.raises(SelectionError, match="none of its 40 task ids"):
        run(EvalOptions("telecom", tmp_path / "o", tau2_data=tau2_dir(), split="test"))


def test_another_config_in_out_is_named_and_force_starts_over(tmp_path):
    data, tasks = generated("retail")
    path = tasks_file(tmp_path, tasks[:2])
    run(EvalOptions("retail", tmp_path / "out", tasks_file=path, agent="noop", progress=False))
    with pytest.raises(SelectionError, match=r"--trials \(1 there, 2 now\)"):
        run(EvalOptions("retail", tmp_path / "out", tasks_file=path, agent="noop", trials=2, progress=False))
    with pytest.raises(SelectionError, match=r"--agent \(noop there, scripted now\)"):
        run(EvalOptions("retail", tmp_path / "out", tasks_file=path, progress=False))
    forced = run(EvalOptions("retail", tmp_path / "out", tasks_file=path, trials=2, force=True, progress=False))
    assert forced.new_simulations == 4


def test_contamination_of_shared_gold_write_sets(tmp_path):
    data, tasks = generated("retail")
    evaluated = tasks_file(tmp_path, tasks, "eval.json")
    train = tasks_file(tmp_path, tasks[:2], "train.json")
    report = check_contamination(list(tasks), data, train)
    assert {s["task_id"] for s in report["shared"]} == {tasks[0].id, tasks[1].id}
    out = run(EvalOptions("retail", tmp_path / "out", tasks_file=evaluated, train_data=train, progress=False))
    assert len(out.results["info"]["contamination"]["shared"]) == 2
    assert "2 of" in (tmp_path / "out" / "summary.md").read_text()
    # a run directory, and the conversations of a results file, as training data
    assert len(check_contamination(list(tasks), data, tmp_path / "out")["shared"]) == len(tasks)
    jsonl = tmp_path / "train.jsonl"
    jsonl.write_text("\n".join(json.dumps(s) for s in out.results["simulations"][:3]))
    assert len(check_contamination(list(tasks), data, jsonl)["shared"]) == 3
    assert check_contamination(list(tau2_data("retail").tasks), tau2_data("retail"), train)["shared"] == []


def test_request_settings_reach_the_server_and_trials_get_their_own_seeds(tmp_path):
    from tests.models.helpers import RecordingServer
    from writ.models.server import serve_in_thread
    from writ.sim import ActorSpecError

    data, tasks = generated("retail")
    path = tasks_file(tmp_path, tasks[:2])
    with serve_in_thread(ScriptedBackend(["Let me check."], name="fake"), server_cls=RecordingServer) as server:
        outcome = run(EvalOptions("retail", tmp_path / "out", tasks_file=path, agent="openai:fake",
                                  base_url=[server.base_url], temperature=0.0, max_tokens=16,
                                  extra_body='{"top_k": 1}', trials=2, retries=0, max_steps=6, progress=False))
        sent = server.sampling()
        from writ.cli import main

        with pytest.raises(SystemExit) as done:  # the same through the command line
            main(["eval", "--domain", "retail", "--tasks", str(path), "--agent", "openai:fake", "--base-url",
                  server.base_url, "--top-p", "0.5", "--max-tokens", "8", "--max-steps", "6", "--no-progress",
                  "--out", str(tmp_path / "cli")])
        by_cli = server.sampling()[len(sent):]
    assert sent and all(b["temperature"] == 0.0 and b["max_tokens"] == 16 and b["top_k"] == 1 for b in sent)
    assert len({b["seed"] for b in sent}) == len(sent)  # trial copies are tasks of their own: other seeds
    assert outcome.unpriced == ["fake"] and len(outcome.results["simulations"]) == 4
    assert done.value.code in (0, None) and by_cli and all(b["top_p"] == 0.5 and b["max_tokens"] == 8 for b in by_cli)
    with pytest.raises(ActorSpecError, match="--agent scripted needs --user scripted"):
        run(EvalOptions("retail", tmp_path / "o2", tasks_file=path, user="openai:fake", progress=False))
    with pytest.raises(SelectionError, match="extra_body is not JSON"):
        run(EvalOptions("retail", tmp_path / "o3", tasks_file=path, agent="openai:fake", extra_body="{x",
                        progress=False))
