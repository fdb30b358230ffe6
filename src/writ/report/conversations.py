"""The conversation viewer: which episodes to show, and each one as readable HTML.

Numbers say how often a run fails; only reading conversations says why. The viewer shows a
sample, not the run: a few kept episodes spread over the difficulty grid and behaviours (what
the dataset will teach), and rejected ones spread over the rejection reasons (one of each kind
before a second of any), so the first few picked already cover every way the run goes wrong.

The messages themselves are drawn by `writ.report.messages`, the one conversation renderer that
the evaluation page uses too; a call that changes state (one of the task's gold write tools) is
marked, since writes are what the verifiers judge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape
from typing import Any

from writ.core import Episode
from writ.models.usage import money
from writ.redact import redact
from writ.report.load import EpisodeRow
from writ.report.messages import render_messages

__all__ = ["pick_samples", "render_conversation", "sample_label"]

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
        extra = f'<p class="error-box">gold replay failed: {escape(redact(str(verdicts["gold_error"])))}</p>'
    return f'<ul class="verdicts">{"".join(items)}</ul>{extra}'


def _chips(row: EpisodeRow) -> str:
    chips = [("domain", row.domain), ("attempt", str(row.attempt)), ("ended", row.termination)]
    if row.n_writes is not None:
        chips += [("writes", str(row.n_writes)), ("evidence", str(row.evidence))]
    chips += [("turns", str(row.turns)), ("tool calls", str(row.tool_calls))]
    if row.tokens:
        chips.append(("tokens", f"{row.tokens:,}"))
    if row.cost:
        chips.append(("cost", money(row.cost)))
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
    error = f'<p class="error-box">{escape(redact(episode.error))}</p>' if episode.error else ""
    return (f'<article class="conv" id="conv-{index}" data-kept="{int(row.passed)}">'
            f'<header class="conv-head">{badge}<h3>{escape(row.task_id)}</h3>'
            f'<div class="chips">{_chips(row)}</div></header>'
            f'<section class="conv-verdict"><h4>Verifiers</h4>{_verdicts(episode)}{error}</section>'
            f'{_scenario(task)}{render_messages(episode.messages, writes)}</article>')
