"""The report page: sections in reading order, filled into one self-contained HTML template.

The page must open anywhere, years later, from a mail attachment or an artifact store with no
network, so everything is inside it: CSS and JavaScript inline (`page.html`), plots as base64
PNG ``data:`` URIs, nothing fetched. Sections go from "how did the run go" (headline numbers) to
"where is it hard" (grid, pass rates) to "what do trajectories look like" (sizes, cost) to "why
were episodes rejected" and finally the conversations themselves, because that is the order in
which a person deciding whether to keep a run asks.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from importlib import resources
from string import Template
from typing import Any

from writ.core import Episode, Termination
from writ.models.usage import money
from writ.report.charts import Chart, is_empty
from writ.report.conversations import render_conversation, sample_label
from writ.report.htmlcharts import grid_table, render_html_chart
from writ.report.load import EpisodeRow, RunView
from writ.report.messages import MESSAGES_CSS
from writ.report.stats import Group, RunStats

__all__ = ["Sample", "render_page", "number", "money", "rate_text"]

_ENDINGS = {
    "user_stop": "the user ended the conversation",
    "transfer": "transferred to a human",
    "out_of_scope": "the user said it was out of scope",
    "agent_stop": "the agent ended the conversation",
    "max_steps": "cut off: too many messages",
    "too_many_errors": "cut off: too many tool errors",
    "agent_error": "the agent's model failed",
    "user_error": "the user simulator's model failed",
    "crash": "a bug in writ or an actor (see the error)",
}


@dataclass(frozen=True)
class Sample:
    row: EpisodeRow
    episode: Episode
    task: dict[str, Any]


def number(n: float) -> str:
    """1234 -> ``1.2k``; 2_500_000 -> ``2.5M``."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"{n / size:.1f}{suffix}"
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:.2f}"



def rate_text(value: float) -> str:
    return f"{value:.0%}" if value in (0, 1) or value >= 0.1 else f"{value:.1%}"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, s = divmod(int(seconds), 60)
    hours, m = divmod(minutes, 60)
    return f"{hours}h {m:02d}m" if hours else f"{m}m {s:02d}s"


def _card(label: str, value: str, sub: str, tone: str = "") -> str:
    return (f'<div class="card {tone}"><div class="card-label">{escape(label)}</div>'
            f'<div class="card-value">{escape(value)}</div><div class="card-sub">{escape(sub)}</div></div>')


def _headline(stats: RunStats) -> str:
    h = stats.headline
    per_ep = h.episodes or 1
    rate = h.episodes_per_s
    speed = "–" if rate is None else f"{rate:,.1f}" if rate < 1000 else number(rate)
    reasoning = f", {number(h.reasoning_tokens)} reasoning" if h.reasoning_tokens else ""
    cards = [
        _card("Tasks", f"{h.tasks:,}", f"{h.tasks_kept:,} with a kept trajectory"),
        _card("Episodes", f"{h.episodes:,}", f"{h.episodes / max(h.tasks, 1):.2f} attempts per task"),
        _card("Kept", f"{h.kept:,}", f"{h.rejected:,} rejected", "good"),
        _card("Yield", rate_text(h.yield_rate), "kept / episodes", "good" if h.yield_rate >= 0.5 else "bad"),
        _card("Tokens", number(h.tokens), f"{number(h.tokens / per_ep)} per episode{reasoning}"),
        _card("Cost", money(h.cost), f"{money(h.cost / per_ep)} per episode"),
        _card("Cost / kept", money(h.cost_per_kept), "all spending / kept"),
        _card("Tokens / kept", number(h.tokens_per_kept) if h.tokens_per_kept is not None else "–",
              "all tokens / kept"),
        _card("Episodes/s", speed, f"over {_duration(h.active_seconds)} of simulation"),
    ]
    per_call = stats.latency.get("per call")
    if per_call is not None:
        median, _, p90 = per_call
        cards.append(_card("Model latency", f"{median:.2f}s", f"median per call, p90 {p90:.2f}s "
                           f"({stats.model_calls:,} calls)"))
    return f'<div class="cards">{"".join(cards)}</div>'


def _latency(stats: RunStats) -> str:
    """Model latency per call and per episode (median, mean, p90), when the run called a model."""
    rows = "".join(f"<tr><th scope=row>{escape(name)}</th>" + "".join(f"<td>{v:.2f}s</td>" for v in spread) + "</tr>"
                   for name, spread in stats.latency.items() if spread is not None)
    if not rows:
        return ""
    return ('<figure class="fig"><table class="data sizes"><caption>Model latency '
            f'({stats.model_calls:,} calls, cache hits left out)</caption><thead><tr><th></th><th>median</th>'
            f'<th>mean</th><th>p90</th></tr></thead><tbody>{rows}</tbody></table></figure>')


def _figure(chart: Chart, png: bytes | None, fallback: bool, wide: bool = False) -> str:
    title = f"<h3>{escape(chart.title)}</h3>"
    if is_empty(chart) or (png is None and not fallback):
        note = getattr(chart, "note", "") or "Nothing to show yet."
        body = f'{title}<p class="empty-note">{escape(note)}</p>'
    elif fallback:
        body = title + render_html_chart(chart)
    else:
        data = base64.b64encode(png).decode("ascii")
        body = (f'<img class="plot" src="data:image/png;base64,{data}" alt="{escape(chart.title)}" '
                f'data-file="{escape(chart.name)}.png">')
    return (f'<figure class="fig{" wide" if wide else ""}" id="fig-{escape(chart.name)}">{body}'
            f'<figcaption>{escape(chart.caption)}</figcaption></figure>')


def _section(anchor: str, title: str, intro: str, body: str) -> str:
    intro_html = f'<p class="intro">{intro}</p>' if intro else ""
    return f'<section class="block" id="{anchor}"><h2>{escape(title)}</h2>{intro_html}{body}</section>'


def _group_table(title: str, groups: list[Group]) -> str:
    rows = "".join(f"<tr><td>{escape(g.label)}</td><td>{g.kept:,}</td><td>{g.rejected:,}</td>"
                   f"<td>{rate_text(g.rate)}</td></tr>" for g in groups)
    return (f'<table class="data"><caption>{escape(title)}</caption><thead><tr><th></th><th>kept</th>'
            f'<th>rejected</th><th>pass rate</th></tr></thead><tbody>{rows}</tbody></table>')


def _sizes(stats: RunStats) -> str:
    """Median, mean and 90th percentile of each trajectory size, kept next to rejected."""
    def cell(metric: str, value: float) -> str:
        if metric == "cost":
            return money(value)
        if metric == "seconds":
            return f"{value:.2f}s" if value < 10 else f"{value:,.0f}s" if value < 600 else _duration(value)
        return number(value) if value >= 10_000 else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    rows = []
    for metric, sides in stats.sizes.items():
        values = []
        for side in ("kept", "rejected"):
            spread = sides.get(side)
            values += [cell(metric, v) for v in spread] if spread else ["–"] * 3
        rows.append(f"<tr><th scope=row>{escape(metric)}</th>" + "".join(f"<td>{escape(v)}</td>" for v in values)
                    + "</tr>")
    return ('<figure class="fig"><table class="data wide sizes"><caption>Per episode: median, mean and 90th '
            'percentile</caption><thead><tr><th></th><th colspan=3 class="kept-head">kept</th>'
            '<th colspan=3 class="rejected-head">rejected</th></tr><tr><th></th>'
            + "<th>median</th><th>mean</th><th>p90</th>" * 2 + f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            '</figure>')


def _ending(termination: str) -> str:
    meaning = _ENDINGS.get(termination, "")
    try:
        completed = Termination(termination).terminated
    except ValueError:
        return meaning
    return f"{meaning}; a verifier rejected it" if completed else meaning


def _reasons(entry: Any) -> str:
    """A verifier's most common reason patterns with counts, then one episode to open and its reason."""
    items = "".join(f"<li>{n:,} &times; {escape(pattern)}</li>" for pattern, n in entry.reasons.most_common(3))
    example = (f'<div class="example">e.g. episode <code>{escape(entry.example)}</code>: '
               f'{escape(entry.example_reason)}</div>' if entry.example else "")
    return f'<ul class="reasons">{items}</ul>{example}'


def _rejections(stats: RunStats) -> str:
    checks = "".join(f'<tr><td><code>{escape(v.verifier)}</code></td><td>{v.count:,}</td><td class="reason">'
                     f'{_reasons(v)}</td></tr>' for v in stats.rejections.ranked())
    ends = "".join(f'<tr><td><code>{escape(k)}</code></td><td>{n:,}</td><td>{escape(_ending(k))}</td></tr>'
                   for k, n in stats.terminations.most_common())
    if not checks and not ends:
        return '<p class="empty-note">No episode was rejected.</p>'
    out = ""
    if checks:
        out += (f'<table class="data wide"><caption>Verifier failures ({stats.rejected_completed:,} completed '
                f'conversations rejected)</caption><thead><tr><th>check</th><th>episodes</th><th>most common reasons'
                f'</th></tr>'
                f'</thead><tbody>{checks}</tbody></table>')
    if ends:
        out += (f'<table class="data wide"><caption>How the rejected episodes ended</caption><thead><tr>'
                f'<th>termination</th><th>episodes</th><th>meaning</th></tr></thead><tbody>{ends}</tbody></table>')
    return out


def _quality(q: dict[str, Any]) -> str:
    """Language and behaviour figures of the kept conversations (see `writ.report.quality`)."""
    if not q.get("conversations"):
        return '<p class="empty-note">No kept conversation yet.</p>'

    def share(value: Any) -> str:
        return "n/a" if value is None else f"{100 * float(value):.1f}%"

    outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted((q.get("outcomes") or {}).items())) or "n/a"
    debris = ", ".join(f"{k} x{v}" for k, v in (q.get("debris") or {}).items()) or "none"
    rows = [
        ("distinct agent sentences (names, ids, numbers, amounts masked)", share(q["agent_distinct_ratio"]),
         f"{q['agent_sentences']:,} sentences"),
        ("distinct customer sentences", share(q["user_distinct_ratio"]), f"{q['user_sentences']:,} sentences"),
        ("agent sentences covered by the 15 most common openings", share(q["top15_openings_share"]), ""),
        ("conversations where the agent asked for a detail (not identity, not a yes)",
         share(q.get("asked_detail_share")), f"{q.get('questions_per_conversation') or 0} questions per conversation"),
        ("conversations using calculate", share(q["calculate_share"]), ""),
        ("outcomes of the tasks", outcomes, "write / refuse / transfer / inform"),
        ("agent messages with template debris", f"{q['debris_messages']:,}", debris),
        ("LLM realizations that fell back to the scripted text", f"{q.get('realization_fallbacks', 0):,}", ""),
    ]
    body = "".join(f"<tr><td>{escape(a)}</td><td class=\"num\">{escape(b)}</td><td>{escape(c)}</td></tr>"
                   for a, b, c in rows)
    openings = "".join(f"<tr><td>{escape(o['opening'])}</td><td class=\"num\">{o['count']:,}</td></tr>"
                       for o in q.get("top_openings") or [])
    return (f'<table class="groups"><tbody>{body}</tbody></table>'
            f'<details class="tables"><summary>most common agent sentence openings</summary>'
            f'<table class="groups"><tbody>{openings}</tbody></table></details>')


def _viewer(samples: list[Sample], total_kept: int, total_rejected: int) -> str:
    if not samples:
        return '<p class="empty-note">No episodes in this run yet.</p>'
    groups = []
    for kept, label, total in ((True, "Kept", total_kept), (False, "Rejected", total_rejected)):
        options = "".join(f'<option value="{i}">{escape(sample_label(s.row))}</option>'
                          for i, s in enumerate(samples) if s.row.passed == kept)
        shown = sum(1 for s in samples if s.row.passed == kept)
        if options:
            groups.append(f'<optgroup label="{label} ({shown} of {total:,})">{options}</optgroup>')
    articles = "".join(render_conversation(i, s.row, s.episode, s.task) for i, s in enumerate(samples))
    controls = ('<div class="viewer-bar"><button type="button" id="conv-prev" title="previous (←)">◀</button>'
                f'<select id="conv-select" aria-label="conversation">{"".join(groups)}</select>'
                '<button type="button" id="conv-next" title="next (→)">▶</button>'
                '<span class="filters"><button type="button" data-filter="all" class="on">all</button>'
                '<button type="button" data-filter="1">kept</button><button type="button" data-filter="0">rejected'
                '</button></span><button type="button" id="conv-unfold">unfold tool calls</button></div>')
    return f'<div class="viewer">{controls}<div class="convs">{articles}</div></div>'


def _run_facts(view: RunView) -> str:
    c = view.config

    def spec(actor: Any) -> str:
        return str(actor.get("spec")) if isinstance(actor, dict) else str(actor)

    facts = [("agent", spec(c.get("agent"))), ("user", spec(c.get("user"))), ("judge", str(c.get("judge", "?"))),
             ("attempts", str(c.get("attempts", "?"))), ("writ", str(c.get("writ_version", "?"))),
             ("started", str(view.created_at)[:19].replace("T", " ")), ("sessions", str(view.sessions))]
    return "".join(f'<span class="fact"><i>{escape(k)}</i> {escape(v)}</span>' for k, v in facts)


def render_page(view: RunView, stats: RunStats, charts: dict[str, Chart], pngs: dict[str, bytes | None],
                samples: list[Sample], *, plots_note: str = "", fallback: bool = False) -> str:
    """The whole page as one string (no external references)."""
    def fig(name: str, wide: bool = False) -> str:
        return _figure(charts[name], pngs.get(name), fallback, wide) if name in charts else ""

    grid = charts["grid"]
    grid_html = (grid_table(grid) if not is_empty(grid)
                 else '<p class="empty-note">No episode of a task with writ axis metadata yet.</p>')
    off = (f'<p class="note">{stats.off_grid:,} episodes of tasks without writ metadata (tau2\'s own tasks) are '
           f'not on the grid.</p>' if stats.off_grid else "")
    axes = [name for name in ("pass_by_writes", "pass_by_evidence", "pass_by_domain", "pass_by_generator")
            if name in charts]
    tables = "".join(_group_table(title, groups) for title, groups in (
        ("writes per task", stats.by_writes), ("evidence", stats.by_evidence), ("domain", stats.by_domain),
        ("behaviour", stats.by_behaviour), ("generator", stats.by_generator)))
    h = stats.headline
    sections = [
        _section("overview", "Overview", "", _headline(stats)),
        _section("grid", "Difficulty grid", "Kept and rejected episodes over writes per task and evidence burden.",
                 f'<div class="pair">{"" if fallback else fig("grid")}'
                 f'<div class="table-side">{grid_html}{off}</div></div>'),
        _section("rates", "Pass rate by property", "",
                 f'<div class="figs">{"".join(fig(n) for n in axes)}</div>{fig("pass_by_behaviour", wide=True)}'
                 f'<details class="tables"><summary>as tables</summary>{tables}</details>'),
        _section("trajectories", "Trajectories", "How long conversations are and what they cost.",
                 f'<div class="figs">{fig("turns")}{fig("tokens")}{fig("cost_per_kept")}{_sizes(stats)}'
                 f'{_latency(stats)}</div>'),
        _section("quality", "Language and behaviour",
                 "Measured on the kept conversations, which are what a model is trained on.", _quality(view.quality)),
        _section("rejections", "Rejections", f"{h.rejected:,} of {h.episodes:,} episodes were rejected.",
                 f'<div class="pair">{fig("rejections")}<div class="table-side">{_rejections(stats)}</div></div>'),
        _section("conversations", "Conversations",
                 "A sample of kept and rejected episodes, spread over the grid and the rejection reasons. "
                 "Tool calls are folded: click one to see its arguments and result.",
                 _viewer(samples, h.kept, h.rejected)),
    ]
    notice = f'<div class="notice">{escape(plots_note)}</div>' if fallback and plots_note else ""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    template = Template(resources.files("writ.report").joinpath("page.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=escape(f"writ report: {view.run_dir.name}"), run=escape(str(view.run_dir.name)),
        facts=_run_facts(view), notice=notice, body="".join(sections), messages_css=MESSAGES_CSS,
        footer=escape(f"generated {generated} by writ {view.config.get('writ_version', '?')}. {plots_note}".strip()),
    )
