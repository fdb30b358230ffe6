"""Three views of one results file: a rich table (terminal), ``summary.md`` and ``results.html``.

All three read only the results dict, so any results file can be rendered again. A figure computed
while some component was not evaluated (NL assertions without ``--judge``) carries a ``*`` and a
footnote saying how many simulations that concerns.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from writ.report.messages import MESSAGES_CSS, render_messages

__all__ = ["print_summary", "render_html", "render_markdown"]

MAX_CONVERSATIONS = 400  # simulations whose conversation the HTML page embeds


def _fmt(x: Any, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _interval(v: dict[str, Any] | None) -> str:
    if not v or v.get("value") is None:
        return "-"
    return f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"


def _header(results: dict[str, Any]) -> list[str]:
    info = results["info"]
    judge = info.get("judge") or "none"
    return [f"agent `{info.get('agent')}` · user `{info.get('user')}` · NL judge `{judge}` · "
            f"{info.get('num_tasks')} tasks × {info.get('num_trials')} trials · source {info.get('task_source')}"]


def _marker(summary: dict[str, Any]) -> str:
    return "*" if summary.get("not_evaluated_simulations") else ""


def _footnotes(summary: dict[str, Any]) -> list[str]:
    notes = []
    if summary.get("not_evaluated_simulations"):
        names = ", ".join(summary["not_evaluated"])
        notes.append(f"\\* {names} not evaluated in {summary['not_evaluated_simulations']} of "
                     f"{summary['simulations']} simulations (no --judge): rewards are over the evaluated components.")
    if (summary.get("complete_tasks", 0) < summary.get("tasks_with_results", 0)
            or summary.get("tasks_with_results", 0) < summary.get("tasks", 0)):
        notes.append(f"Partial results: {summary['complete_tasks']} of {summary['tasks']} tasks have all "
                     f"{summary['trials']} trials; pass^k uses only tasks with at least k trials.")
    return notes


def _main_rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    m = _marker(summary)
    rows = [("average reward", _fmt(summary["average_reward"]) + m, _fmt(summary["average_strict_reward"]) + m)]
    for k, v in summary["pass_hat_k"].items():
        rows.append((f"pass^{k}", _interval(v) + m, _interval(summary["strict_pass_hat_k"][k]) + m))
    return rows


def render_markdown(results: dict[str, Any]) -> str:
    info = results["info"]
    lines = []
    for domain, s in info["summary"].items():
        lines += [f"# writ eval: {domain}", "", *_header(results), ""]
        lines += ["| metric | tau2-equal | strict |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in _main_rows(s)]
        lines += ["", f"Intervals: {s['ci']}.", *_footnotes(s), ""]
        lines.append("Terminations: " + ", ".join(f"{k} {v}" for k, v in s["terminations"].items()))
        if s["strict_failures"]:
            lines.append("Strict checks failed: " + ", ".join(f"{k} {v}" for k, v in s["strict_failures"].items()))
        lines += ["", f"## Breakdown (axes {s['axes_source']})", ""]
        k = s["trials"]
        for axis, rows in s["breakdown"].items():
            lines += [f"### by {axis}", "", f"| {axis} | tasks | pass^1 | pass^{k} | strict pass^1 |",
                      "|---|---|---|---|---|"]
            for r in rows:
                lines.append(f"| {r['group']} | {r['tasks']} | {_interval(r['pass^1'])} | "
                             f"{_interval(r.get(f'pass^{k}')) if k > 1 else '-'} | {_interval(r['strict pass^1'])} |")
            lines.append("")
        u, lat = s["usage"], s["latency"]
        lines += ["## Tokens and latency (agent)", "", "| | prompt | completion | reasoning | cost |",
                  "|---|---|---|---|---|"]
        for label, key in (("per simulation", "per_simulation"),
                           ("per successful simulation", "per_successful_simulation"),
                           ("per task (mean of its trials)", "per_task"),
                           ("per successful task (its successful trials)", "per_successful_task")):
            x = u.get(key) or {}
            if not x:
                continue
            lines.append(f"| {label} | {_fmt(x.get('prompt_tokens'), 1)} | {_fmt(x.get('completion_tokens'), 1)} | "
                         f"{_fmt(x.get('reasoning_tokens'), 1)} | {_fmt(x.get('agent_cost'), 5)} |")
        lines += ["", f"Duration per simulation: mean {_fmt(lat['duration_mean_s'])} s, p50 "
                      f"{_fmt(lat['duration_p50_s'])} s, p95 {_fmt(lat['duration_p95_s'])} s; agent model call mean "
                      f"{_fmt(lat['agent_call_mean_s'])} s.", ""]
    contamination = info.get("contamination")
    if contamination:
        lines += ["## Contamination", "", contamination["message"], ""]
    return "\n".join(lines) + "\n"


def print_summary(results: dict[str, Any], console: Any) -> None:
    """The headline figures as a rich table."""
    from rich.table import Table

    for domain, s in results["info"]["summary"].items():
        table = Table(title=f"writ eval: {domain} ({s['tasks']} tasks x {s['trials']} trials)")
        table.add_column("metric")
        table.add_column("tau2-equal", justify="right")
        table.add_column("strict", justify="right")
        for row in _main_rows(s):
            table.add_row(*row)
        console.print(table)
        for note in _footnotes(s):
            console.print(note.replace("\\*", "*"), markup=False)
        heavy = {r["group"]: r for r in s["breakdown"].get("read_heavy", [])}
        for group, r in heavy.items():
            console.print(f"{group}: {r['tasks']} tasks, pass^1 {_interval(r['pass^1'])}, "
                          f"strict {_interval(r['strict pass^1'])}", markup=False)
        u = s["usage"]["per_simulation"]
        console.print(f"agent tokens per simulation: {_fmt(u['prompt_tokens'], 0)} prompt, "
                      f"{_fmt(u['completion_tokens'], 0)} completion, {_fmt(u['reasoning_tokens'], 0)} reasoning; "
                      f"terminations: " + ", ".join(f"{k} {v}" for k, v in s["terminations"].items()), markup=False)
    contamination = results["info"].get("contamination")
    if contamination and contamination.get("shared"):
        console.print(f"warning: {contamination['message']}", markup=False, style="yellow")


# -- HTML ---------------------------------------------------------------------------------------------
CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}.ok{color:#17803d}.bad{color:#b42318}
details{margin:3px 0}summary{cursor:pointer}ol.msgs{margin:6px 0 12px}
.note{color:#555;font-size:13px}code{background:#f3f3f3;padding:0 3px}"""


def _table(head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _simulation_html(s: dict[str, Any], with_messages: bool, writes: frozenset[str]) -> str:
    r = s["reward_info"]
    strict = s.get("strict_reward_info") or {}
    failed = [f"{k}: {v.get('reason')}" for k, v in (strict.get("checks") or {}).items() if not v.get("passed")]
    tone = "ok" if r.get("reward") == 1.0 else "bad"
    head = (f'<span class="{tone}">reward {_fmt(r.get("reward"), 2)}</span> · strict {_fmt(strict.get("reward"), 0)} · '
            f"{escape(s['task_id'])} trial {s['trial']} · {escape(str(s['termination_reason']))}")
    detail = [f"<div class='note'>basis {escape(json.dumps(r.get('reward_basis')))} · breakdown "
              f"{escape(json.dumps(r.get('reward_breakdown')))} · not evaluated "
              f"{escape(json.dumps((r.get('info') or {}).get('not_evaluated')))}</div>"]
    if failed:
        detail.append("<div class='note'>strict: " + escape("; ".join(failed)) + "</div>")
    if with_messages:
        detail.append(render_messages(s.get("messages", []), writes))
    return f"<details><summary>{head}</summary>{''.join(detail)}</details>"


def render_html(results: dict[str, Any]) -> str:
    info = results["info"]
    body = []
    for domain, s in info["summary"].items():
        body.append(f"<h1>writ eval: {escape(domain)}</h1><p>{escape(_header(results)[0].replace('`', ''))}</p>")
        body.append(_table(["metric", "tau2-equal", "strict"], [list(r) for r in _main_rows(s)]))
        body.append("".join(f"<p class='note'>{escape(n.replace(chr(92), ''))}</p>" for n in _footnotes(s)))
        body.append(f"<p class='note'>Intervals: {escape(s['ci'])}. Terminations: "
                    + escape(", ".join(f"{k} {v}" for k, v in s["terminations"].items())) + "</p>")
        k = s["trials"]
        for axis, rows in s["breakdown"].items():
            body.append(f"<h3>by {escape(axis)}</h3>")
            body.append(_table([axis, "tasks", "pass^1", f"pass^{k}", "strict pass^1"],
                               [[r["group"], str(r["tasks"]), _interval(r["pass^1"]),
                                 _interval(r.get(f"pass^{k}")) if k > 1 else "-", _interval(r["strict pass^1"])]
                                for r in rows]))
        u = s["usage"]
        body.append("<h2>Tokens (agent)</h2>" + _table(
            ["", "prompt", "completion", "reasoning"],
            [[label, _fmt(u[key]["prompt_tokens"], 1), _fmt(u[key]["completion_tokens"], 1),
              _fmt(u[key]["reasoning_tokens"], 1)]
             for label, key in (("per simulation", "per_simulation"),
                                ("per successful simulation", "per_successful_simulation"))]))
    contamination = info.get("contamination")
    if contamination:
        body.append(f"<h2>Contamination</h2><p>{escape(contamination['message'])}</p>")
    sims = results["simulations"]
    body.append(f"<h2>Simulations ({len(sims)})</h2>")
    writes = frozenset(info.get("write_tools") or ())
    body.extend(_simulation_html(s, i < MAX_CONVERSATIONS, writes) for i, s in enumerate(sims))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>writ eval</title>"
            f"<style>{CSS}{MESSAGES_CSS}</style></head><body>{''.join(body)}</body></html>\n")
