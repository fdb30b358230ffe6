"""The one HTML conversation renderer: the run report's viewer and the evaluation page both use it.

The user, the agent and the tools look different (user on the right, agent on the left, tools as
folded ``<details>`` between them). Each tool call is shown with its own result, matched by
``tool_call_id``, folded to one line that names the tool and its arguments; a call to a
state-changing tool is marked. Private annotations (``_reading``) are never shown: they are not
part of the data. `MESSAGES_CSS` styles the markup and carries its own colours, so any page that
embeds the fragment only has to include it.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

__all__ = ["MESSAGES_CSS", "render_messages"]

_MAX_RESULT = 6000  # characters of a tool result shown before it is cut

MESSAGES_CSS = """
ol.msgs { --agent: #f1f3f6; --user: #e4eeff; --user-line: #bcd2fb; --tool: #fbfbfc; --line: #e3e7ec;
  --muted: #6e7781; --amber: #f0b43c;
  list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
ol.msgs pre, ol.msgs .tool-name, ol.msgs .args-preview {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.msg { display: flex; flex-direction: column; max-width: 78%; }
.msg.cont .who { display: none; }
.msg.cont { margin-top: -4px; }
.msg .who { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  margin: 0 4px 2px; }
.msg .device { text-transform: none; font-weight: 400; letter-spacing: 0; }
.msg.agent { align-self: flex-start; }
.msg.user { align-self: flex-end; align-items: flex-end; }
.msg.system, .msg.tool { align-self: stretch; max-width: 100%; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; }
.msg.agent .bubble { background: var(--agent); border: 1px solid #e2e6ea; border-top-left-radius: 4px; }
.msg.user .bubble { background: var(--user); border: 1px solid var(--user-line); border-top-right-radius: 4px; }
.msg.system .bubble { background: #fffbea; border: 1px dashed #f0d27a; font-size: 12.5px; }
.bubble.empty { color: var(--muted); font-style: italic; }
.msg.calls { max-width: 92%; gap: 4px; }
details.call { background: var(--tool); border: 1px solid var(--line); border-left: 4px solid #9fb3c8;
  border-radius: 8px; font-size: 12.5px; }
details.call.write { border-left-color: var(--amber); }
.msg.user details.call { border-left: 1px solid var(--line); border-right: 4px solid #7fa6f0; }
details.call > summary { cursor: pointer; padding: 5px 10px; display: flex; gap: 8px; align-items: baseline;
  list-style: none; overflow: hidden; }
details.call > summary::-webkit-details-marker { display: none; }
details.call > summary::before { content: "\\25B8"; color: var(--muted); }
details.call[open] > summary::before { content: "\\25BE"; }
.tool-name { font-weight: 700; color: #1f4e9c; white-space: nowrap; }
.write-tag { font-size: 10.5px; font-weight: 700; text-transform: uppercase; background: #fdf0d2; color: #8a5a00;
  border-radius: 4px; padding: 0 5px; }
.args-preview { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 1;
  min-width: 0; }
.status { margin-left: auto; font-size: 11px; font-weight: 700; border-radius: 4px; padding: 0 6px;
  white-space: nowrap; }
.status.ok { background: #e3f4ec; color: #1d7a52; }
.status.err { background: #fdecea; color: #b3261e; }
.status.none { background: #f1f3f5; color: var(--muted); }
.call-body { padding: 2px 12px 10px; border-top: 1px solid var(--line); }
.call-body .label { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  margin-top: 6px; }
.call-body pre { margin: 3px 0 0; white-space: pre-wrap; word-break: break-word; max-height: 360px; overflow: auto;
  background: #f6f8fa; border-radius: 6px; padding: 6px 8px; font-size: 12px; }
"""


def _text(content: Any) -> str:
    if content is None:
        return ""
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    return escape(content)


def _arguments(raw: Any) -> tuple[str, str]:
    """(short one-line preview, pretty JSON) of a call's arguments."""
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        return escape(str(raw)[:80]), escape(str(raw))
    if not isinstance(value, dict):
        return escape(json.dumps(value)[:80]), escape(json.dumps(value, indent=2, ensure_ascii=False))
    preview = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
    if len(preview) > 90:
        preview = preview[:87] + "…"
    return escape(preview), escape(json.dumps(value, indent=2, ensure_ascii=False))


def _result(content: Any) -> tuple[str, bool]:
    """(pretty escaped result, is an error) of a tool message."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    error = text.lstrip().lower().startswith("error")
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (json.JSONDecodeError, TypeError):
        pass
    if len(text) > _MAX_RESULT:
        text = text[:_MAX_RESULT] + f"\n… ({len(text) - _MAX_RESULT:,} more characters)"
    return escape(text), error


def _call(call: dict[str, Any], result: dict[str, Any] | None, writes: set[str] | frozenset[str]) -> str:
    fn = call.get("function") or {}
    name = str(fn.get("name", "?"))
    preview, pretty = _arguments(fn.get("arguments"))
    write = name in writes
    if result is None:
        status, body = '<span class="status none">no result</span>', ""
    else:
        shown, error = _result(result.get("content"))
        status = f'<span class="status {"err" if error else "ok"}">{"error" if error else "ok"}</span>'
        body = f'<div class="label">result</div><pre>{shown}</pre>'
    tag = '<span class="write-tag">write</span>' if write else ""
    return (f'<details class="call{" write" if write else ""}"><summary><span class="tool-name">{escape(name)}</span>'
            f'{tag}<span class="args-preview">({preview})</span>{status}</summary>'
            f'<div class="call-body"><div class="label">arguments</div><pre>{pretty}</pre>{body}</div></details>')


def render_messages(messages: list[dict[str, Any]], writes: set[str] | frozenset[str] = frozenset()) -> str:
    """The messages as an ``<ol class="msgs">``; calls to a tool named in `writes` are marked."""
    results = {m.get("tool_call_id"): m for m in messages if m.get("role") == "tool" and m.get("tool_call_id")}
    shown_results: set[str] = set()
    items = []
    previous = ""
    for m in messages:
        role = m.get("role")
        if role == "tool":
            if m.get("tool_call_id") in shown_results:
                continue
            shown, error = _result(m.get("content"))
            previous = "tool"
            name = escape(str(m.get("name") or "tool"))
            items.append(f'<li class="msg tool"><details class="call"><summary><span class="tool-name">{name}</span>'
                         f'<span class="status {"err" if error else "ok"}">result</span></summary>'
                         f'<div class="call-body"><pre>{shown}</pre></div></details></li>')
            continue
        side = {"assistant": "agent", "user": "user"}.get(role, "system")
        who = {"agent": "Agent", "user": "User", "system": escape(str(role).capitalize())}[side]
        parts = []
        if m.get("content"):
            parts.append(f'<div class="bubble">{_text(m["content"])}</div>')
        calls = m.get("tool_calls") or []
        for call in calls:
            result = results.get(call.get("id"))
            if result is not None:
                shown_results.add(call.get("id"))
            parts.append(_call(call, result, writes))
        if not parts:
            parts.append('<div class="bubble empty">(empty message)</div>')
        device = ' <span class="device">on own device</span>' if side == "user" and calls else ""
        classes = f"msg {side}" + (" calls" if calls else "") + (" cont" if side == previous else "")
        previous = side
        items.append(f'<li class="{classes}"><div class="who">{who}{device}</div>{"".join(parts)}</li>')
    return f'<ol class="msgs">{"".join(items)}</ol>'
