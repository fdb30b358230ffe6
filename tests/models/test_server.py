"""The OpenAI-compatible server, spoken to by the official client and by raw HTTP."""

import asyncio
import http.client
import json
import sys
from pathlib import Path

import pytest

from writ.models import (
    ChatServer,
    ContextLengthExceeded,
    EndpointUnavailable,
    ModelError,
    ModelReply,
    OpenAICompatBackend,
    ScriptedBackend,
)

from .helpers import TOOLS

MSGS = [{"role": "user", "content": "hi"}]


class Refuses:
    name = "tiny"

    async def complete(self, messages, tools=None, **params):
        raise ContextLengthExceeded("prompt has 9999 tokens; maximum context length is 2048")


def post(server, path, body, method="POST"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(method, path, body=body if isinstance(body, (bytes, type(None))) else json.dumps(body),
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    conn.close()
    return resp.status, data


def test_models_health_and_errors(serve):
    server = serve(ScriptedBackend(["x"], name="toy"))
    assert post(server, "/v1/models", None, "GET") == (200, {"object": "list", "data": [
        {"id": "toy", "object": "model", "owned_by": "writ"}]})
    assert post(server, "/health", None, "GET")[0] == 200
    assert post(server, "/v1/nope", None, "GET")[0] == 404
    assert post(server, "/v1/chat/completions", b"{not json")[0] == 400
    assert post(server, "/v1/chat/completions", {"messages": []})[0] == 400
    assert post(server, "/v1/chat/completions", {"messages": MSGS, "stream": True})[0] == 400
    status, body = post(server, "/v1/chat/completions", {"model": "toy", "messages": MSGS})
    assert status == 200 and body["choices"][0]["message"]["content"] == "x"
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]


def test_context_error_round_trips_through_http(serve):
    server = serve(Refuses())
    status, body = post(server, "/v1/chat/completions", {"messages": MSGS})
    assert status == 400 and body["error"]["code"] == "context_length_exceeded"
    client = OpenAICompatBackend("tiny", base_url=server.base_url, retries=0)
    with pytest.raises(ContextLengthExceeded):
        asyncio.run(client.complete(MSGS))


def test_tool_calls_survive_the_round_trip(serve):
    reply = ModelReply(content="checking", reasoning="think", finish_reason="tool_calls")
    script = ScriptedBackend([{"content": "checking", "tool_calls": [
        {"id": "c9", "type": "function", "function": {"name": "get_order", "arguments": {"order_id": "1"}}}]}, reply])
    server = serve(script)
    client = OpenAICompatBackend("toy", base_url=server.base_url, retries=0)

    async def go():
        return [await client.complete(MSGS, TOOLS) for _ in range(2)]

    first, second = asyncio.run(go())
    assert first.content == "checking" and first.tool_calls[0].id == "c9"
    assert first.tool_calls[0].arguments == {"order_id": "1"} and first.finish_reason == "tool_calls"
    assert second.reasoning == "think"


def test_binds_loopback_only():
    with pytest.raises(ValueError, match="loopback"):
        ChatServer(ScriptedBackend(), host="0.0.0.0")


def test_fixed_delay_fake_server_serves_concurrently():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from fake_server import build_server
    finally:
        sys.path.pop(0)

    async def go():
        server = build_server(delay_ms=100, content="canned", tool_call="get_order")
        url = await server.start()
        client = OpenAICompatBackend("fake", base_url=url, concurrency=32, retries=0)
        replies = await asyncio.gather(*(client.complete(MSGS) for _ in range(32)))
        await client.aclose()
        await server.close()
        return replies, server.stats

    replies, stats = asyncio.run(go())
    assert all(r.tool_calls[0].name == "get_order" for r in replies)
    assert stats["requests"] == 32 and stats["max_in_flight"] > 8  # in parallel (timed in bench/bench_models.py)


# --- answering like a real server: 400 for a bad parameter, 404 for another model, a log line each ---

class Picky:
    """A backend that, like the local HF one, chokes on a parameter it cannot use."""

    name = "picky"

    async def complete(self, messages, tools=None, **params):
        return ModelReply(content=str(int(params.get("top_k", 1))))


@pytest.mark.parametrize("extra, param", [({"max_tokens": "abc"}, "max_tokens"), ({"max_tokens": 0}, "max_tokens"),
                                          ({"temperature": -1}, "temperature"), ({"top_p": 1.5}, "top_p"),
                                          ({"seed": "7"}, "seed"), ({"n": 2}, "n"), ({"stop": [1]}, "stop"),
                                          ({"messages": "hi"}, "messages"), ({"model": 3}, "model")])
def test_a_bad_parameter_is_400_naming_it(serve, extra, param):
    server = serve(ScriptedBackend(["x"], name="toy"))
    status, body = post(server, "/v1/chat/completions", {"model": "toy", "messages": MSGS, **extra})
    assert status == 400 and body["error"]["param"] == param and body["error"]["message"].startswith(param)


def test_a_parameter_the_backend_cannot_use_is_400_and_the_client_does_not_retry_it(serve):
    server = serve(Picky())
    status, body = post(server, "/v1/chat/completions", {"messages": MSGS, "top_k": "many"})
    assert status == 400 and "bad request parameter" in body["error"]["message"]
    client = OpenAICompatBackend("picky", base_url=server.base_url, retries=3, backoff_base_s=0.01)
    with pytest.raises(ModelError, match="HTTP 400") as caught:
        asyncio.run(client.complete(MSGS, None, top_k="many"))
    assert not isinstance(caught.value, EndpointUnavailable) and server.stats["requests"] == 2  # one each
    assert asyncio.run(client.complete(MSGS, None, top_k=5)).content == "5"


def test_check_model_answers_404_for_another_model_name(serve):
    strict = serve(ScriptedBackend(["x"], name="toy"), check_model=True)
    status, body = post(strict, "/v1/chat/completions", {"model": "gpt-4o", "messages": MSGS})
    assert status == 404 and body["error"]["code"] == "model_not_found" and "`toy`" in body["error"]["message"]
    assert post(strict, "/v1/chat/completions", {"model": "toy", "messages": MSGS})[0] == 200
    assert post(strict, "/v1/chat/completions", {"messages": MSGS})[0] == 200  # no name: the one served
    with pytest.raises(ModelError, match="HTTP 404"):
        asyncio.run(OpenAICompatBackend("gpt-4o", base_url=strict.base_url, retries=0).complete(MSGS))
    lenient = serve(ScriptedBackend(["x"], name="toy"))  # test servers answer to any name
    assert post(lenient, "/v1/chat/completions", {"model": "gpt-4o", "messages": MSGS})[0] == 200


def test_one_log_line_per_request(serve):
    lines = []
    server = serve(ScriptedBackend(["hello there"], name="toy"), log=lines.append)
    post(server, "/v1/chat/completions", {"messages": MSGS})
    post(server, "/v1/chat/completions", {"messages": MSGS, "max_tokens": "abc"})
    post(server, "/v1/models", None, "GET")
    assert len(lines) == 3
    assert lines[0].startswith("POST /v1/chat/completions 200 ") and " tokens " in lines[0] and lines[0].endswith("s")
    assert lines[1].startswith("POST /v1/chat/completions 400 max_tokens:")
    assert lines[2].startswith("GET /v1/models 200")


class Loadable(ScriptedBackend):
    def __init__(self):
        super().__init__(["ok"], name="loadable")
        self.loads = 0

    def load(self):
        self.loads += 1


def test_writ_serve_loads_the_model_before_listening_unless_lazy(monkeypatch):
    import writ.models.registry as registry
    from writ.models.server import prepare_server

    made = []
    monkeypatch.setattr(registry, "make_backend", lambda spec: made.append(Loadable()) or made[-1])
    server, note = prepare_server("hf:whatever")
    assert made[-1].loads == 1 and "loaded in" in note and server.check_model
    server, note = prepare_server("hf:whatever", lazy=True, name="alias")
    assert made[-1].loads == 0 and "loads on the first request" in note and server.model_name == "alias"


def test_writ_serve_prints_one_start_line_and_logs_each_request():
    import os
    import socket
    import subprocess

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", "from writ.cli import main; main()", "serve", "--model",
                             "canned:hello", "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        start = proc.stderr.readline()
        assert start.startswith(f"serving canned (canned:hello) at http://127.0.0.1:{port}/v1")

        class At:
            pass

        server = At()
        server.port = port
        assert post(server, "/v1/chat/completions", {"model": "canned", "messages": MSGS})[0] == 200
        assert post(server, "/v1/chat/completions", {"model": "other", "messages": MSGS})[0] == 404
        bad = {"model": "canned", "messages": MSGS, "max_tokens": "abc"}
        assert post(server, "/v1/chat/completions", bad)[0] == 400
        logged = [proc.stderr.readline() for _ in range(3)]
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=30)[1]
    assert [line.split()[2] for line in logged] == ["200", "404", "400"]
    assert "serving" not in "".join(logged) + rest  # the start line came once
