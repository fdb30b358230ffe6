"""`writ simulate` against a fake OpenAI-compatible server that records every request body.

The agent is an LLM (``openai:m``) that always says the same thing, the user is scripted: write
tasks are never done (rejected, so a second attempt runs), the question task is kept. What is
checked is what reached the server: the sampling settings, a seed per request that differs
between attempts, the retry temperature, the extra body; and what the run shows: progress lines
in a log, rejections by verifier, a note when no price is known.
"""

from __future__ import annotations

import json

import pytest

from tests.models.helpers import RecordingServer
from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.cli import main
from writ.models import ScriptedBackend, serve_in_thread
from writ.sim import RunStore


def cli(*args: str) -> int:
    try:
        main(["simulate", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def server():
    with serve_in_thread(ScriptedBackend(["OK, one moment please."], name="m"), server_cls=RecordingServer) as s:
        yield s


@pytest.fixture
def tasks(tmp_path):
    return str(write_tasks_file(tmp_path / "tasks.json", mock_tasks(3)))


def agent_seeds(run) -> dict[tuple[str, int], list[int]]:
    """(task, attempt) -> the seeds its agent turns recorded."""
    with RunStore.read(run) as store:
        return {(e.task_id, e.attempt): [t["sampling"]["seed"] for t in e.turns if t.get("sampling")]
                for e in store.episodes()}


def test_settings_reach_the_server_and_each_attempt_has_its_own_seeds(server, tasks, tmp_path, capsys):
    run = tmp_path / "r"
    assert cli(tasks, "--agent", "openai:m", "--user", "scripted", "--base-url", server.base_url, "--run", str(run),
               "--temperature", "0.3", "--max-tokens", "64", "--attempts", "2", "--max-steps", "8") == 0
    sent = server.sampling()
    assert sent and all(b["temperature"] == 0.3 and b["max_tokens"] == 64 and b["model"] == "m" for b in sent)
    assert all(isinstance(b["seed"], int) for b in sent) and len({b["seed"] for b in sent}) == len(sent)
    seeds = agent_seeds(run)
    assert sorted(s for v in seeds.values() for s in v) == sorted(b["seed"] for b in sent)  # recorded per turn
    retried = [task for task, attempt in seeds if attempt == 1]
    assert retried, "a write task should have needed a second attempt"
    for task in retried:
        assert seeds[(task, 0)] and seeds[(task, 1)] and not set(seeds[(task, 0)]) & set(seeds[(task, 1)])
    err = capsys.readouterr().err
    assert "rejected by state x" in err and "(e.g. episode " in err
    assert "x4: the agent database differs from the gold replay" in err
    assert "no price known for m: counted as $0; --prices FILE sets one" in err


def test_a_greedy_run_retries_at_the_retry_temperature(server, tasks, tmp_path):
    run = tmp_path / "r"
    assert cli(tasks, "--agent", "openai:m", "--base-url", server.base_url, "--run", str(run), "--temperature", "0",
               "--retry-temperature", "0.9", "--attempts", "2", "--max-steps", "8", "--no-progress") == 0
    with RunStore.read(run) as store:
        by_attempt = {a: {t["sampling"]["temperature"] for e in store.episodes() if e.attempt == a
                          for t in e.turns if t.get("sampling")} for a in (0, 1)}
    assert by_attempt == {0: {0.0}, 1: {0.9}}
    assert {b["temperature"] for b in server.sampling()} == {0.0, 0.9}


def test_extra_body_reaches_every_request(server, tasks, tmp_path):
    assert cli(tasks, "--agent", "openai:m", "--base-url", server.base_url, "--run", str(tmp_path / "r"),
               "--extra-body", '{"chat_template_kwargs": {"enable_thinking": false}, "top_k": 20}',
               "--top-p", "0.8", "--attempts", "1", "--max-steps", "8", "--no-progress") == 0
    assert all(b["chat_template_kwargs"] == {"enable_thinking": False} and b["top_k"] == 20 and b["top_p"] == 0.8
               for b in server.sampling())


def test_timeout_and_response_size_limit_are_recorded_failures(tmp_path, capsys):
    one = str(write_tasks_file(tmp_path / "one.json", mock_tasks(1)))
    with serve_in_thread(ScriptedBackend(["late"], name="m"), server_cls=RecordingServer, delay_s=0.5) as slow:
        assert cli(one, "--agent", "openai:m", "--base-url", slow.base_url, "--run", str(tmp_path / "slow"),
                   "--timeout", "0.1", "--attempts", "1", "--no-progress") == 0
    with serve_in_thread(ScriptedBackend(["word " * 400], name="m"), server_cls=RecordingServer) as big:
        assert cli(one, "--agent", "openai:m", "--base-url", big.base_url, "--run", str(tmp_path / "big"),
                   "--max-response-bytes", "1000", "--attempts", "1", "--no-progress") == 0
    with RunStore.read(tmp_path / "slow") as store:
        (episode,) = store.episodes()
        assert episode.termination == "agent_error" and "timeout" in episode.error
    with RunStore.read(tmp_path / "big") as store:
        (episode,) = store.episodes()
        assert episode.termination == "agent_error" and "exceeds the limit of 1,000" in episode.error
        assert "word word" not in json.dumps(episode.messages)  # the oversized reply is not kept


def test_cache_and_prices(server, tasks, tmp_path, capsys):
    prices = tmp_path / "prices.yaml"
    prices.write_text("m: {prompt: 2.0, completion: 8.0}\n")
    args = [tasks, "--agent", "openai:m", "--base-url", server.base_url, "--run", str(tmp_path / "r"), "--attempts",
            "2", "--max-steps", "8", "--no-progress", "--cache", str(tmp_path / "cache.db"), "--prices", str(prices)]
    assert cli(*args) == 0
    first = len(server.bodies)
    err = capsys.readouterr().err
    assert "no price known" not in err and "cost $0.0000" not in err
    assert cli(*args, "--force") == 0  # the same episodes again: every request is in the cache
    assert len(server.bodies) == first
    with RunStore.read(tmp_path / "r") as store:
        turns = [t for e in store.episodes() for t in e.turns if t.get("sampling")]
        assert turns and all(t["usage"]["cached"] and t["usage"]["cost"] == 0 for t in turns)


def test_progress_lines_in_a_log_and_on_resume(tmp_path, capsys):
    tasks = str(write_tasks_file(tmp_path / "tasks.json", mock_tasks(3)))
    with serve_in_thread(ScriptedBackend(["OK."], name="m", delay_s=0.02), server_cls=RecordingServer) as slow:
        args = [tasks, "--agent", "openai:m", "--base-url", slow.base_url, "--run", str(tmp_path / "r"),
                "--attempts", "2", "--max-steps", "8", "--concurrency", "1", "--progress-every", "0.1"]
        assert cli(*args) == 0
        lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("simulating: ")]
        assert len(lines) >= 3 and lines[0].startswith("simulating: 0/3 tasks done | kept 0 | failed 0 | episodes 0")
        assert lines[-1].startswith("simulating: 3/3 tasks done | kept 1 | failed 2 | episodes 5 | ")
        assert " ep/" in lines[-1] and "tok " in lines[-1]
        assert cli(*args) == 0  # resumed: nothing left, and the line says what was done before
        again = [line for line in capsys.readouterr().err.splitlines() if line.startswith("simulating: ")]
        assert again[0].startswith("simulating: 3/3 tasks done | kept 1 | failed 2 | episodes 5 (+0 now)")


def test_scripted_teacher_refuses_an_llm_user_and_hash_judge_warns(tasks, tmp_path, capsys):
    assert cli(tasks, "--agent", "scripted", "--user", "openai:m", "--run", str(tmp_path / "r")) == 2
    err = capsys.readouterr().err
    assert err.startswith("writ: error: --agent scripted needs --user scripted") and err.count("\n") == 1
    assert cli(tasks, "--run", str(tmp_path / "h"), "--judge", "hash", "--no-progress") == 0
    err = capsys.readouterr().err
    assert err.startswith("writ: warning: --judge hash keeps every episode that reaches the gold final state")


@pytest.mark.parametrize("args, message", [
    (("--temperature", "3"), "--temperature must be between 0 and 2"),
    (("--top-p", "0"), "--top-p must be in (0, 1]"),
    (("--max-tokens", "0"), "--max-tokens must be at least 1"),
    (("--extra-body", "{oops"), "--extra-body is not JSON"),
    (("--extra-body", "[1, 2]"), "--extra-body must be a JSON object"),
    (("--timeout", "0"), "--timeout must be positive"),
    (("--prices", "/no/such/prices.yaml"), "cannot read the price file"),
    (("--progress-every", "0"), "--progress-every must be positive"),
])
def test_bad_model_options_are_one_line(tasks, tmp_path, capsys, args, message):
    assert cli(tasks, "--agent", "openai:m", "--base-url", "http://127.0.0.1:9/v1", "--run", str(tmp_path / "r"),
               *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("writ: error: ") and message in err and err.count("\n") == 1, err


@pytest.mark.slow
def test_end_to_end_with_the_tiny_real_model_behind_the_writ_server(smollm2, tmp_path, capsys):
    """SmolLM2-135M served as `writ serve` serves it (loaded, strict about model names), driven by
    `writ simulate`: real tokens, the settings in every request, other seeds on the second attempt."""
    import http.client

    one = str(write_tasks_file(tmp_path / "one.json", mock_tasks(1)))
    with serve_in_thread(smollm2, server_cls=RecordingServer, model_name="smollm2", check_model=True) as server:
        assert cli(one, "--agent", "openai:smollm2", "--user", "scripted", "--base-url", server.base_url,
                   "--run", str(tmp_path / "r"), "--temperature", "0.3", "--max-tokens", "16", "--attempts", "2",
                   "--max-steps", "6", "--timeout", "300", "--no-progress") == 0
        sent = server.sampling()
        statuses = []
        for body in ({"model": "smollm2", "messages": [{"role": "user", "content": "hi"}], "max_tokens": "abc"},
                     {"model": "qwen", "messages": [{"role": "user", "content": "hi"}]}):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("POST", "/v1/chat/completions", body=json.dumps(body),
                         headers={"Content-Type": "application/json"})
            statuses.append(conn.getresponse().status)
            conn.close()
    assert statuses == [400, 404]
    assert sent and all(b["temperature"] == 0.3 and b["max_tokens"] == 16 for b in sent)
    seeds = agent_seeds(tmp_path / "r")
    assert set(seeds) == {("write-0000", 0), ("write-0000", 1)}  # the tiny model does not make the write
    assert seeds[("write-0000", 0)] and not set(seeds[("write-0000", 0)]) & set(seeds[("write-0000", 1)])
    with RunStore.read(tmp_path / "r") as store:
        calls = [t for e in store.episodes() for t in e.turns if t.get("sampling")]
    assert calls and all(0 < t["usage"]["completion_tokens"] <= 16 and t["usage"]["prompt_tokens"] > 50 for t in calls)


def test_a_factory_pickles_with_its_settings_for_other_processes(server, tmp_path):
    """A Ray worker rebuilds the factory from its recipe: the same sampling, prices and seeds."""
    import asyncio
    import pickle

    from writ.data import load_data
    from writ.models.sampling import model_options
    from writ.sim import make_agent_factory

    prices = tmp_path / "prices.yaml"
    prices.write_text("m: {prompt: 1.0, completion: 1.0}\n")
    options = model_options(temperature=0.0, max_tokens=12, extra_body={"top_k": 2}, prices=prices)
    factory = make_agent_factory("openai:m", seed=5, base_url=server.base_url, **options)
    copy = pickle.loads(pickle.dumps(factory))
    assert copy.config == factory.config and copy.config["options"]["sampling"]["max_tokens"] == 12
    assert factory.unpriced is None and copy.unpriced is None
    task, data = mock_tasks(1)[0], load_data("mock")

    async def first_request(f, attempt):
        agent = f(task, data, attempt)
        await agent.act([{"role": "assistant", "content": "Hi!"}, {"role": "user", "content": "hello"}])
        await f.backend.aclose()
        return server.sampling()[-1]

    sent = [asyncio.run(first_request(f, a)) for f, a in ((factory, 1), (copy, 1), (copy, 0))]
    assert sent[0] == sent[1] and sent[0]["temperature"] == 0.7 and sent[0]["top_k"] == 2
    assert sent[2]["temperature"] == 0.0 and sent[2]["seed"] != sent[0]["seed"]
