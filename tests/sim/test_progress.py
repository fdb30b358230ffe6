"""What a run shows while it runs: plain progress lines in a log, counts that include a resumed
run's earlier sessions, a rate that never reads 0.0, and rejections told by verifier and reason."""

from __future__ import annotations

import io
import time

from writ.core import Episode
from writ.sim.progress import LiveProgress, RunSummary, rate_text
from writ.sim.rejections import RejectionTally, reason_pattern


def test_rate_reads_per_minute_or_hour_when_slow():
    assert rate_text(30, 10) == "3.0 ep/s"
    assert rate_text(3, 60) == "3.0 ep/min"  # not "0.1 ep/s", and never "0.0 ep/s"
    assert rate_text(2, 7200) == "1.0 ep/h"
    assert rate_text(0, 10) == "0 ep/min"


def test_lines_at_a_steady_interval_when_not_a_terminal_counting_earlier_sessions():
    log = io.StringIO()  # not a terminal
    before = {"kept": 7, "failed": 2, "episodes": 12, "tokens": 50_000, "cost": 1.5}
    with LiveProgress(20, 9, every=0.05, before=before, stream=log) as live:
        time.sleep(0.3)  # nothing finishes: a log still hears from the run
        episode = Episode("t", 0, "mock", turns=[{"usage": {"prompt_tokens": 900, "completion_tokens": 100}}])
        live.episode(episode)
        live.task_settled(True)
    lines = log.getvalue().splitlines()
    assert len(lines) >= 4 and all(line.startswith("simulating: ") for line in lines)
    assert lines[0].startswith("simulating: 9/20 tasks done | kept 7 | failed 2 | episodes 12 (+0 now) | ")
    assert lines[-1].startswith("simulating: 10/20 tasks done | kept 8 | failed 2 | episodes 13 (+1 now) | ")
    assert "tok 51.0k | $1.50" in lines[-1] and "ep/" in lines[-1]


def test_disabled_progress_writes_nothing():
    log = io.StringIO()
    with LiveProgress(3, 0, enabled=False, every=0.01, stream=log):
        time.sleep(0.05)
    assert log.getvalue() == ""


def test_reasons_are_grouped_by_pattern_with_an_example_episode():
    assert reason_pattern("message 12: cancel_pending_order without the user's explicit confirmation") == \
        "message N: cancel_pending_order without the user's explicit confirmation"
    assert reason_pattern("never told the user '#W123'") == reason_pattern("never told the user '#W9'")
    assert reason_pattern("stated $1,234.50 which no tool result supports") == "stated N which no tool result supports"
    tally = RejectionTally()
    tally.add("a#0", {"passed": False, "checks": {"protocol": {"passed": False, "reason": "message 4: x without ok"},
                                                  "state": {"passed": True, "reason": ""}}})
    tally.add("b#1", {"passed": False, "checks": {"protocol": {"passed": False, "reason": "message 9: x without ok"},
                                                  "state": {"passed": False, "reason": "differs"}}})
    tally.add("c#0", {"passed": False, "db": False, "completed": True})  # hash_judge's flat verdict
    assert [(v.verifier, v.count) for v in tally.ranked()] == [("protocol", 2), ("db", 1), ("state", 1)]
    protocol = tally.by_verifier["protocol"]
    assert protocol.reasons == {"message N: x without ok": 2} and protocol.example == "a#0"
    assert protocol.example_reason == "message 4: x without ok"
    summary = RunSummary("r", tasks=3, rejections=tally.to_json())
    lines = summary.lines()
    assert "rejected by protocol x2 (e.g. episode a#0)" in lines and "  x2: message N: x without ok" in lines
