"""pass^k against hand-computed cases, and the bootstrap interval's contract."""

from __future__ import annotations

import pytest

from writ.eval.passk import bootstrap_mean, pass_hat_k, pass_hat_ks, task_pass_hat_k


def test_one_task_n4_c2():
    # C(2,k)/C(4,k): 2/4, 1/6, 0, 0
    assert [task_pass_hat_k(2, 4, k) for k in (1, 2, 3, 4)] == pytest.approx([0.5, 1 / 6, 0.0, 0.0])


def test_extremes_and_average_over_tasks():
    assert task_pass_hat_k(4, 4, 4) == 1.0
    assert task_pass_hat_k(0, 4, 1) == 0.0
    assert task_pass_hat_k(3, 4, 2) == pytest.approx(3 / 6)
    # two tasks: (c=4, n=4) and (c=1, n=4): pass^1 = (1 + 1/4)/2, pass^2 = (1 + 0)/2
    ks = pass_hat_ks([(4, 4), (1, 4)], 4)
    assert ks[1].value == pytest.approx(0.625)
    assert ks[2].value == pytest.approx(0.5)
    assert ks[4].value == pytest.approx(0.5)
    assert ks[1].tasks == 2


def test_tasks_with_fewer_trials_are_left_out_of_larger_k():
    ks = pass_hat_ks([(2, 2), (0, 1)], 2)
    assert ks[1].value == pytest.approx(0.5) and ks[1].tasks == 2
    assert ks[2].value == pytest.approx(1.0) and ks[2].tasks == 1


def test_bad_arguments():
    with pytest.raises(ValueError):
        task_pass_hat_k(3, 2, 1)
    with pytest.raises(ValueError):
        task_pass_hat_k(1, 2, 3)


def test_bootstrap_is_seeded_and_brackets_the_mean():
    values = [1, 0, 1, 1, 0, 0, 1, 0.5, 1, 0] * 3
    a, b = bootstrap_mean(values, seed=7), bootstrap_mean(values, seed=7)
    assert a == b
    assert a.low <= a.value <= a.high
    assert 0 <= a.low < a.high <= 1


def test_bootstrap_degenerate_cases():
    assert bootstrap_mean([]).value is None
    one = pass_hat_k([(4, 4)] * 5, 2)
    assert (one.value, one.low, one.high) == (1.0, 1.0, 1.0)
