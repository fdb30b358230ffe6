"""The OpenAI-compatible server, spoken to by the official client and by raw HTTP."""

import asyncio
import http.client
import json
import sys
from pathlib import Path

import pytest

from writ.models import ChatServer, ContextLengthExceeded, ModelReply, OpenAICompatBackend, ScriptedBackend

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
        start = asyncio.get_running_loop().time()
        replies = await asyncio.gather(*(client.complete(MSGS) for _ in range(32)))
        elapsed = asyncio.get_running_loop().time() - start
        await client.aclose()
        await server.close()
        return replies, elapsed, server.stats

    replies, elapsed, stats = asyncio.run(go())
    assert all(r.tool_calls[0].name == "get_order" for r in replies)
    assert stats["requests"] == 32 and stats["max_in_flight"] > 8
    assert elapsed < 2.0  # 32 requests of 100 ms each, in parallel rather than 3.2 s in series
