"""A chat template that renders tools, for base models whose own template does not.

A trained model is only useful if the prompt it is trained on is the prompt it gets later: from
``writ eval --agent hf:PATH`` (`writ.models.hf_local`) and from vLLM, which both render the
conversation with the *saved* tokenizer's chat template and ``tools=``. Many small models
(SmolLM2, for one) ship a template that knows only system/user/assistant and fails on a tool call
without text. For those, `tool_template` wraps the model's own template in a Jinja prelude that
rewrites the conversation first, exactly the way `writ.models.hf_local` does for such templates
at inference time (``_inline_tools``):

* the tool schemas go at the end of the system message (Hermes convention, `TOOLS_PROMPT`);
* an assistant tool call becomes ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` text,
  which `writ.models.toolparse` and vLLM's ``hermes`` tool parser read back;
* a tool result becomes a user message in ``<tool_response>`` tags.

The prelude then hands the rewritten list to the unchanged base template (``{% set messages =
... %}``), so role markers, special tokens and default system prompts stay the model's own. The
same wrapped template is used for training and saved with the model: training, `hf:PATH` and
vLLM see one format. Templates that already handle ``tools`` are kept as they are.
"""

from __future__ import annotations

import json
from typing import Any

from writ.models.hf_local import TOOLS_PROMPT

__all__ = ["WRIT_TOOLS_MARK", "supports_tools", "tool_template", "training_template"]

WRIT_TOOLS_MARK = "{#- writ tool prelude -#}"
_SPLIT = "\x00"
_HEAD, _TAIL = TOOLS_PROMPT.format(schemas=_SPLIT).split(_SPLIT)

_PRELUDE = """{#- writ tool prelude -#}
{%- set _w = namespace(msgs=[]) -%}
{%- for m in messages -%}
{%- if m.role == 'assistant' and m.tool_calls -%}
{%- set _c = namespace(parts=[m.content or '']) -%}
{%- for call in m.tool_calls -%}
{%- set f = call.function if call.function is defined else call -%}
{%- set a = f.arguments if f.arguments is string else (f.arguments if f.arguments is defined else none)|tojson -%}
{%- set _c.parts = _c.parts + ['<tool_call>\\n{"name": ' ~ (f.name|tojson) ~ ', "arguments": ' ~ a
                              ~ '}\\n</tool_call>'] -%}
{%- endfor -%}
{%- set _w.msgs = _w.msgs + [{'role': 'assistant', 'content': (_c.parts|join('\\n'))|trim}] -%}
{%- elif m.role == 'tool' -%}
{%- set _w.msgs = _w.msgs + [{'role': 'user',
                              'content': '<tool_response>\\n' ~ (m.content or '') ~ '\\n</tool_response>'}] -%}
{%- else -%}
{%- set _w.msgs = _w.msgs + [{'role': m.role, 'content': m.content or ''}] -%}
{%- endif -%}
{%- endfor -%}
{%- if tools -%}
{%- set _t = namespace(text=HEAD) -%}
{%- for t in tools -%}
{%- set _t.text = _t.text ~ (t|tojson) ~ ('\\n' if not loop.last else '') -%}
{%- endfor -%}
{%- set _t.text = _t.text ~ TAIL -%}
{%- if _w.msgs and _w.msgs[0].role == 'system' -%}
{%- set _w.msgs = [{'role': 'system', 'content': _w.msgs[0].content ~ '\\n\\n' ~ _t.text}] + _w.msgs[1:] -%}
{%- else -%}
{%- set _w.msgs = [{'role': 'system', 'content': _t.text}] + _w.msgs -%}
{%- endif -%}
{%- endif -%}
{%- set messages = _w.msgs -%}
""".replace("HEAD", json.dumps(_HEAD)).replace("TAIL", json.dumps(_TAIL))


def supports_tools(template: str | None) -> bool:
    """Whether a chat template renders ``tools`` itself (the test `writ.models.hf_local` applies)."""
    return bool(template) and "tools" in str(template)


def tool_template(base: str) -> str:
    """`base` behind writ's tool prelude (see the module docstring); idempotent."""
    if WRIT_TOOLS_MARK in base:
        return base
    return _PRELUDE + base


def training_template(tokenizer: Any) -> tuple[str, str]:
    """The template to train with and save: ``(template, kind)``, kind ``base`` or ``writ-tools``.

    A tokenizer without any chat template cannot be trained on conversations: that is an error
    here rather than a silent fallback to a format nothing at inference would reproduce.
    """
    base = getattr(tokenizer, "chat_template", None)
    if isinstance(base, dict):  # several named templates: the default one renders chats
        base = base.get("default") or next(iter(base.values()), None)
    if not base:
        raise ValueError("the base model's tokenizer has no chat template; pick an instruct model")
    if supports_tools(base):
        return base, "base"
    return tool_template(base), "writ-tools"
