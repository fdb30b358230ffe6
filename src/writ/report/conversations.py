"""The conversation viewer: which episodes to show, and each one as readable HTML.

Numbers say how often a run fails; only reading conversations says why. The viewer shows a
sample, not the run: a few kept episodes spread over the difficulty grid and behaviours (what
the dataset will teach), and rejected ones spread over the rejection reasons (one of each kind
before a second of any), so the first few picked already cover every way the run goes wrong.

In an episode, the user, the agent and the tools look different (user on the right, agent on the
left, tools as folded ``<details>`` between them). Each tool call is shown with its own result,
matched by ``tool_call_id``, folded to one line that names the tool and its arguments; a call
that changes state (one of the task's gold write tools) is marked, since writes are what the
verifiers judge. Private annotations (``_intent``) are never shown: they are not part of the data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from typing import Any, Iterable

from writ.report.load import EpisodeRow
from writ.core import Episode

__all__ = ["pick_samples", "render_conversation", "sample_label"]

_MAX_RESULT = 6000  # characters of a tool result shown before it is cut


def _spread(groups: dict[Any, list[EpisodeRow]], n: int) -> list[EpisodeRow]:
    """Round-robin over the groups (largest first), taking each group's rows in order."""
    queues = [list(rows) for _, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))]
    out: list[EpisodeRow] = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def _reason(row: EpisodeRow) -> str:
    return row.failed_checks[0] if row.completed and row.failed_checks else row.termination


def pick_samples(rows: Iterable[EpisodeRow], kept: int = 25, rejected: int = 25) -> list[EpisodeRow]:
    """Up to `kept` kept and `rejected` rejected episodes, spread over cells and rejection reasons."""
    by_cell: dict[Any, list[EpisodeRow]] = defaultdict(list)
    by_reason: dict[str, list[EpisodeRow]] = defaultdict(list)
    for row in rows:
        if row.passed:
            by_cell[(row.domain, row.n_writes, row.evidence)].append(row)
        else:
            by_reason[_reason(row)].append(row)
    return _spread(by_cell, kept) + _spread(by_reason, rejected)


def sample_label(row: EpisodeRow) -> str:
    """One line for the viewer's selector."""
    axes = f" · {row.n_writes}w/{row.evidence}e" if row.n_writes is not None else ""
    tail = "" if row.passed else " · " + (", ".join(row.failed_checks) if row.completed and row.failed_checks
                                          else row.termination)
    return f"{'✓' if row.passed else '✗'} {row.task_id} #{row.attempt} · {row.domain}{axes}{tail}"


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


def _call(call: dict[str, Any], result: dict[str, Any] | None, writes: set[str]) -> str:
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


def _messages(messages: list[dict[str, Any]], writes: set[str]) -> str:
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


def _verdicts(episode: Episode) -> str:
    verdicts = episode.verdicts or {}
    checks = verdicts.get("checks")
    if not isinstance(checks, dict):  # a flat judge (hash_judge): name -> bool
        checks = {k: {"passed": v, "reason": ""} for k, v in verdicts.items()
                  if k != "passed" and isinstance(v, bool)}
    if not checks:
        return '<p class="no-verdict">No verifier ran on this episode (it was cut off or crashed).</p>'
    items = []
    for name, check in checks.items():
        ok = bool(check.get("passed"))
        reason = f'<span class="reason">{escape(str(check.get("reason") or ""))}</span>' if check.get("reason") else ""
        items.append(f'<li class="{"ok" if ok else "bad"}"><span class="mark">{"✓" if ok else "✗"}</span>'
                     f'<span class="check-name">{escape(str(name))}</span>{reason}</li>')
    extra = ""
    if verdicts.get("gold_error"):
        extra = f'<p class="error-box">gold replay failed: {escape(str(verdicts["gold_error"]))}</p>'
    return f'<ul class="verdicts">{"".join(items)}</ul>{extra}'


def _chips(row: EpisodeRow) -> str:
    chips = [("domain", row.domain), ("attempt", str(row.attempt)), ("ended", row.termination)]
    if row.n_writes is not None:
        chips += [("writes", str(row.n_writes)), ("evidence", str(row.evidence))]
    chips += [("turns", str(row.turns)), ("tool calls", str(row.tool_calls))]
    if row.tokens:
        chips.append(("tokens", f"{row.tokens:,}"))
    if row.cost:
        chips.append(("cost", f"${row.cost:.4f}"))
    out = "".join(f'<span class="chip"><i>{escape(k)}</i> {escape(v)}</span>' for k, v in chips)
    out += "".join(f'<span class="chip behaviour">{escape(b)}</span>' for b in row.behaviours)
    return out


def _scenario(task: dict[str, Any]) -> str:
    scenario = task.get("user_scenario") or {}
    instructions = scenario.get("instructions")
    if isinstance(instructions, dict):
        lines = "".join(f"<dt>{escape(k.replace('_', ' '))}</dt><dd>{escape(str(v))}</dd>"
                        for k, v in instructions.items() if v)
    else:
        lines = f"<dd>{escape(str(instructions or ''))}</dd>"
    persona = f"<dt>persona</dt><dd>{escape(str(scenario['persona']))}</dd>" if scenario.get("persona") else ""
    return f'<details class="scenario"><summary>User scenario</summary><dl>{persona}{lines}</dl></details>'


def render_conversation(index: int, row: EpisodeRow, episode: Episode, task: dict[str, Any]) -> str:
    """One episode as an ``<article>``: header, verdicts, the user's scenario and the messages."""
    writes = {w.get("name") for w in ((task.get("writ") or {}).get("writes") or []) if isinstance(w, dict)}
    badge = '<span class="badge kept">kept</span>' if row.passed else '<span class="badge rejected">rejected</span>'
    error = f'<p class="error-box">{escape(episode.error)}</p>' if episode.error else ""
    return (f'<article class="conv" id="conv-{index}" data-kept="{int(row.passed)}">'
            f'<header class="conv-head">{badge}<h3>{escape(row.task_id)}</h3>'
            f'<div class="chips">{_chips(row)}</div></header>'
            f'<section class="conv-verdict"><h4>Verifiers</h4>{_verdicts(episode)}{error}</section>'
            f'{_scenario(task)}{_messages(episode.messages, writes)}</article>')
