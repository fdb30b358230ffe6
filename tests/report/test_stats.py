"""The report's numbers on a real run: headline, grid, pass rates, rejections, samples."""

from __future__ import annotations

import pytest

from tests.report.conftest import FLAKY, SLOPPY_ALWAYS, SLOPPY_ONCE
from writ.report import compute_stats, pick_samples, read_run
from writ.report.load import failed_checks
from writ.report.stats import histogram


@pytest.fixture(scope="module")
def view(run_dir):
    with read_run(run_dir) as view:
        yield view


@pytest.fixture(scope="module")
def stats(view):
    return compute_stats(view)


def test_headline_counts_every_episode_and_its_price(view, stats):
    h = stats.headline
    # 10 tasks (9 retail variants + 1 mock); 3 of them took a second attempt
    assert (h.tasks, h.episodes, h.kept, h.rejected, h.tasks_kept) == (10, 13, 9, 4, 9)
    assert h.yield_rate == pytest.approx(9 / 13)
    assert h.tokens == sum(r.tokens for r in view.rows) > 0
    assert h.cost_per_kept == pytest.approx(h.cost / 9) and h.cost > 0
    assert h.episodes_per_s is not None and h.episodes_per_s > 0


def test_grid_places_each_episode_on_its_tasks_cell(view, stats):
    assert sum(g.total for g in stats.grid.values()) == 13 and stats.off_grid == 0
    assert stats.grid_axes == ([1, 2], [0, 1, 2])
    assert (stats.grid[(1, 0)].kept, stats.grid[(1, 0)].total) == (1, 1)  # the mock task
    sloppy = next(r for r in view.rows if r.task_id == SLOPPY_ALWAYS)
    cell = stats.grid[(sloppy.n_writes, sloppy.evidence)]
    assert cell.rejected >= 2 and 0 < cell.rate < 1


def test_pass_rates_by_axis_behaviour_and_domain(view, stats):
    assert [g.label for g in stats.by_writes] == ["1", "2"]
    assert sum(g.total for g in stats.by_evidence) == 13
    assert {g.label: (g.kept, g.total) for g in stats.by_domain} == {"retail": (8, 12), "mock": (1, 1)}
    behaviours = {g.label for g in stats.by_behaviour}
    assert "(none)" in behaviours  # the mock task has no behaviour
    assert behaviours - {"(none)"} == {b for r in view.rows for b in r.behaviours}


def test_rejections_split_verifier_failures_from_terminations(view, stats):
    # wrong cancel reason, twice for one task and once for another: a wrong state, and a reason the customer never gave
    assert stats.check_failures == {"state": 3, "information_flow": 3}
    assert stats.terminations == {"user_stop": 3, "agent_error": 1}
    assert "differs" in stats.check_examples["state"]
    rejected = {(r.task_id, r.attempt) for r in view.rows if not r.passed}
    assert rejected == {(SLOPPY_ALWAYS, 0), (SLOPPY_ALWAYS, 1), (SLOPPY_ONCE, 0), (FLAKY, 0)}


def test_trajectory_histograms_hold_every_episode(view, stats):
    assert sum(map(sum, stats.turns.series.values())) == 13
    assert sum(stats.turns.series["rejected"]) == 4 and stats.turns.integer
    assert sum(map(sum, stats.tokens.series.values())) == 13
    assert sum(stats.cost_per_kept_task.series["kept"]) == 9
    median, mean, p90 = stats.sizes["turns"]["kept"]
    assert min(r.turns for r in view.rows) <= median <= p90 <= max(r.turns for r in view.rows) and mean > 0


def test_histogram_bins():
    small = histogram({"a": [1, 2, 2, 5]}, integer=True)
    assert small.edges == [1, 2, 3, 4, 5, 6] and small.series["a"] == [1, 2, 0, 0, 1]
    wide = histogram({"a": list(range(100))}, integer=True, bins=10)
    assert len(wide.series["a"]) == 10 and sum(wide.series["a"]) == 100
    flat = histogram({"a": [0.0, 0.0]})
    assert sum(flat.series["a"]) == 2
    assert histogram({"kept": [], "rejected": []}).empty


def test_failed_checks_reads_both_verdict_shapes():
    assert failed_checks({"passed": False, "checks": {"state": {"passed": False, "reason": "x"},
                                                      "protocol": {"passed": True, "reason": ""}}}) == ("state",)
    assert failed_checks({"passed": False, "db": False, "user_db": True, "completed": True}) == ("db",)
    assert failed_checks({}) == ()


def test_samples_cover_every_rejection_reason_first(view):
    picked = pick_samples(view.rows, kept=3, rejected=2)
    kept, rejected = [r for r in picked if r.passed], [r for r in picked if not r.passed]
    assert len(kept) == 3 and len(rejected) == 2
    assert {r.termination if not r.completed else r.failed_checks[0] for r in rejected} == {"state", "agent_error"}
    assert len({(r.domain, r.n_writes, r.evidence) for r in kept}) == 3  # spread over cells
    everything = pick_samples(view.rows, kept=100, rejected=100)
    assert len(everything) == 13 and len({(r.task_id, r.attempt) for r in everything}) == 13


def test_model_latency_per_call_and_per_episode(view, stats):
    calls = sorted(x for r in view.rows for x in r.call_latencies)
    assert stats.model_calls == len(calls) > 20 and calls[0] == pytest.approx(0.05)
    median, mean, p90 = stats.latency["per call"]
    assert calls[0] <= median <= p90 <= calls[-1] and mean == pytest.approx(sum(calls) / len(calls))
    per_episode = sorted(sum(r.call_latencies) for r in view.rows if r.call_latencies)
    assert stats.latency["per episode"][0] == pytest.approx((per_episode[(len(per_episode) - 1) // 2]
                                                             + per_episode[len(per_episode) // 2]) / 2)
    assert stats.headline.tokens_per_kept == pytest.approx(stats.headline.tokens / 9)


def test_rejections_by_verifier_name_the_common_reason_and_an_episode(stats):
    ranked = {r.verifier: r for r in stats.rejections.ranked()}
    assert set(ranked) == {"state", "information_flow"}  # the wrong reason: a wrong state, and one never given
    state, flow = ranked["state"], ranked["information_flow"]
    assert flow.count == 3 and "reason" in next(iter(flow.reasons))
    assert state.verifier == "state" and state.count == 3
    assert state.reasons == {"the agent database differs from the gold replay": 3}
    assert state.example in {f"{SLOPPY_ALWAYS}#0", f"{SLOPPY_ONCE}#0"} and "differs" in state.example_reason
