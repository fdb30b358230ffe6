"""The HTTP backend against loopback servers: parsing, retries, failures, routing, limits."""

import asyncio
import json

import pytest

from writ.models import (
    BadResponse,
    ContextLengthExceeded,
    EndpointUnavailable,
    ModelError,
    OpenAICompatBackend,
    ScriptedBackend,
    UsageMeter,
)
from writ.models.openai_compat import is_context_length_error

from .helpers import TOOLS, error_body

MSGS = [{"role": "user", "content": "where is order 7?"}]


def backend(url, **kw):
    kw.setdefault("retries", 2)
    kw.setdefault("backoff_base_s", 0.01)
    kw.setdefault("backoff_max_s", 0.05)
    kw.setdefault("timeout", 5.0)
    return OpenAICompatBackend("test-model", base_url=url, **kw)


def completion(message, usage=None, finish="stop"):
    return {"id": "x", "object": "chat.completion", "model": "served", "choices": [
        {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
        "usage": usage or {"prompt_tokens": 10, "completion_tokens": 5}}


def run(coro):
    return asyncio.run(coro)


# --- parsing canned replies (the backend reads raw JSON, as servers bend the schema) -----------

def parse(message, tools=TOOLS, **kw):
    b = OpenAICompatBackend("m", base_url="http://127.0.0.1:9/v1", **kw)
    return b._parse(json.dumps(completion(message, **({"usage": kw.pop("usage")} if "usage" in kw else {}))).encode(),
                    MSGS, tools)


def test_parse_missing_ids_object_arguments_and_malformed_json():
    reply = parse({"content": None, "tool_calls": [
        {"type": "function", "function": {"name": "get_order", "arguments": {"order_id": "7"}}},
        {"id": "c2", "type": "function", "function": {"name": "get_order", "arguments": '{"order_id": '}},
    ]})
    assert len(reply.tool_calls) == 1 and reply.tool_calls[0].arguments == {"order_id": "7"}
    assert reply.tool_calls[0].id.startswith("call_")
    assert reply.tool_calls[0].id == parse({"content": None, "tool_calls": [
        {"function": {"name": "get_order", "arguments": {"order_id": "7"}}}]}).tool_calls[0].id
    assert len(reply.parse_errors) == 1 and "not valid JSON" in reply.parse_errors[0]
    assert reply.to_message()["tool_calls"][0]["function"]["arguments"] == '{"order_id": "7"}'


def test_parse_tool_call_in_text_and_reasoning():
    reply = parse({"content": 'Sure.<tool_call>{"name": "get_order", "arguments": {"order_id": "7"}}</tool_call>',
                   "reasoning_content": "the user wants order 7"})
    assert reply.content == "Sure." and reply.tool_calls[0].name == "get_order"
    assert reply.reasoning == "the user wants order 7"


def test_parse_usage_reasoning_tokens_and_prices():
    b = OpenAICompatBackend("m", base_url="http://127.0.0.1:9/v1", prices={"m": {"prompt": 1.0, "completion": 2.0}})
    body = completion({"content": "hi"}, usage={"prompt_tokens": 1000, "completion_tokens": 500,
                                                "completion_tokens_details": {"reasoning_tokens": 300}})
    reply = b._parse(json.dumps(body).encode(), MSGS, None)
    assert reply.usage.reasoning_tokens == 300 and reply.usage.prompt_tokens == 1000
    assert reply.usage.cost == pytest.approx((1000 * 1.0 + 500 * 2.0) / 1e6)


def test_parse_bad_responses():
    b = OpenAICompatBackend("m", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(BadResponse):
        b._parse(b"<html>502</html>", MSGS, None)
    with pytest.raises(BadResponse):
        b._parse(b'{"choices": []}', MSGS, None)


def test_context_length_messages():
    assert is_context_length_error(400,
                                   "This model's maximum context length is 4096 tokens. However, you requested 5000")
    assert is_context_length_error(400,
                                   "The input (9000 tokens) is longer than the model's context length (8192 tokens).")
    assert is_context_length_error(400, "context_length_exceeded")
    assert not is_context_length_error(400, "tools[0] is invalid")
    assert not is_context_length_error(500, "maximum context length")


def test_request_merges_extra_body_into_the_json_body():
    b = OpenAICompatBackend("m", base_url="http://127.0.0.1:9/v1",
                            extra_body={"chat_template_kwargs": {"enable_thinking": False}}, params={"temperature": 0})
    req = b._request([{"role": "assistant", "content": None, "tool_calls": [
        {"id": "1", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]}], TOOLS,
        {"seed": 3, "top_k": 20, "max_new_tokens": 8})
    assert req["temperature"] == 0 and req["seed"] == 3 and req["max_tokens"] == 8 and req["tools"] == TOOLS
    # the body is posted as is: extra_body fields and unknown sampling params sit at its top level
    assert req["chat_template_kwargs"] == {"enable_thinking": False} and req["top_k"] == 20
    assert "extra_body" not in req
    assert req["messages"][0]["tool_calls"][0]["function"]["arguments"] == '{"a": 1}'


# --- over loopback HTTP ---------------------------------------------------------------------------

def test_end_to_end_and_extra_body_reaches_server(serve):
    script = ScriptedBackend([{"content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "get_order", "arguments": '{"order_id": "7"}'}}]}])
    server = serve(script)
    meter = UsageMeter()
    b = backend(server.base_url, extra_body={"chat_template_kwargs": {"enable_thinking": False}}, meter=meter)
    reply = run(b.complete(MSGS, TOOLS, temperature=0.0, seed=1))
    assert reply.tool_calls[0].id == "c1" and reply.tool_calls[0].arguments == {"order_id": "7"}
    assert reply.finish_reason == "tool_calls" and reply.usage.prompt_tokens > 0 and reply.usage.latency_s > 0
    params = script.last_request["params"]
    assert params["chat_template_kwargs"] == {"enable_thinking": False} and params["seed"] == 1
    assert script.last_request["tools"] == TOOLS
    assert meter.total.calls == 1


def test_retries_on_429_and_500_then_succeeds(serve):
    server = serve(faults=[(429, error_body("slow down")), (500, error_body("boom"))])
    reply = run(backend(server.base_url, retries=3).complete(MSGS))
    assert reply.content == "hello"
    assert server.stats["requests"] == 3


def test_retries_exhausted_is_endpoint_unavailable(serve):
    server = serve(faults=[(503, error_body("down"))] * 5)
    with pytest.raises(EndpointUnavailable, match="3 attempt"):
        run(backend(server.base_url, retries=2).complete(MSGS))
    assert server.stats["requests"] == 3


def test_dead_endpoint_fails_fast_with_bounded_retries(dead_url):
    meter = UsageMeter()  # how fast it gives up is measured in bench/bench_models.py, not asserted here
    with pytest.raises(EndpointUnavailable, match="connection error.*3 attempt|3 attempt.*connection error"):
        run(backend(dead_url, retries=2, meter=meter).complete(MSGS))
    assert meter.total.failures == 1


def test_timeout_is_retried_then_unavailable(serve):
    server = serve(ScriptedBackend(["late"], delay_s=1.0))
    with pytest.raises(EndpointUnavailable, match="timeout"):  # the reply comes after 1 s: only the 0.2 s limit ends it
        run(backend(server.base_url, retries=1, timeout=0.2).complete(MSGS))
    assert server.stats["requests"] == 2  # the first attempt and one retry


def test_context_length_error_is_mapped_and_not_retried(serve):
    msg = "This model's maximum context length is 2048 tokens. However, your messages resulted in 3000 tokens."
    server = serve(faults=[(400, error_body(msg))])
    with pytest.raises(ContextLengthExceeded):
        run(backend(server.base_url).complete(MSGS))
    assert server.stats["requests"] == 1


def test_other_client_errors_are_not_retried(serve):
    server = serve(faults=[(401, error_body("bad key"))])
    with pytest.raises(ModelError) as info:
        run(backend(server.base_url).complete(MSGS))
    assert info.value.status_code == 401 and not isinstance(info.value, EndpointUnavailable)
    assert server.stats["requests"] == 1


def test_round_robin_over_two_servers(serve):
    a, b_ = serve(), serve()
    b = backend([a.base_url, b_.base_url])

    async def go():
        for _ in range(6):
            await b.complete(MSGS)

    run(go())
    assert a.stats["requests"] == 3 and b_.stats["requests"] == 3


def test_failing_endpoint_is_skipped(serve, dead_url):
    live = serve()
    b = backend([dead_url, live.base_url], retries=1, cooldown_s=60)

    async def go():
        return [await b.complete(MSGS) for _ in range(4)]

    assert all(r.content == "hello" for r in run(go()))
    assert live.stats["requests"] == 4
    assert b.pool.endpoints[0].consecutive_failures == 1  # tried once, then benched


def test_concurrency_limit_is_honoured(serve):
    server = serve(ScriptedBackend(["ok"], delay_s=0.05))
    b = backend(server.base_url, concurrency=3)

    async def go():
        return await asyncio.gather(*(b.complete(MSGS) for _ in range(12)))

    replies = run(go())
    assert len(replies) == 12
    assert server.stats["max_in_flight"] == 3


def test_backend_survives_several_event_loops(serve):
    server = serve()
    b = backend(server.base_url)
    assert run(b.complete(MSGS)).content == "hello"
    assert run(b.complete(MSGS)).content == "hello"


# --- the SDK's public surface only, and the response-size limit -------------------------------------

def test_only_the_sdks_public_names_are_used():
    import inspect

    import writ.models.openai_compat as module

    source = inspect.getsource(module)
    assert "openai._" not in source and "from openai._" not in source  # no private SDK module
    from writ.models.openai_compat import _response_type

    assert _response_type().__name__ == "Response"  # the documented cast_to of client.post


def test_call_parameters_win_over_the_backends_extra_body_and_a_calls_extra_body_over_all():
    b = OpenAICompatBackend("m", base_url="http://127.0.0.1:9/v1", extra_body={"top_k": 20, "temperature": 1.0})
    req = b._request(MSGS, None, {"temperature": 0.3, "extra_body": {"top_k": 5}})
    assert req["temperature"] == 0.3 and req["top_k"] == 5


def test_an_oversized_response_is_a_bad_response_not_a_reply(serve):
    server = serve(raw=completion({"content": "x" * 5000}))
    with pytest.raises(BadResponse, match="exceeds the limit of 2,000"):
        run(backend(server.base_url, max_response_bytes=2000).complete(MSGS))
    assert server.stats["requests"] == 1  # refused once, not retried as a server fault
    assert run(backend(server.base_url, max_response_bytes=100_000).complete(MSGS)).content == "x" * 5000


def test_an_oversized_chunked_response_is_caught_after_reading():
    """A server that sends no Content-Length (chunked) gets past the header check, not past the size check."""
    body = json.dumps(completion({"content": "y" * 5000})).encode()

    async def scenario():
        async def answer(reader, writer):
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                         b"Connection: close\r\n\r\n")
            for i in range(0, len(body), 1000):
                part = body[i:i + 1000]
                writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"
        try:
            with pytest.raises(BadResponse, match="exceeds the limit"):
                await backend(url, max_response_bytes=2000, retries=0).complete(MSGS)
            return (await backend(url, retries=0).complete(MSGS)).content
        finally:
            server.close()

    assert run(scenario()) == "y" * 5000
