import random

import pytest

from writ.models import EndpointPool, RetryPolicy


def test_backoff_grows_with_jitter_and_cap():
    policy = RetryPolicy(retries=5, base_s=1.0, max_s=4.0, rng=random.Random(0))
    for attempt, step in [(0, 1.0), (1, 2.0), (2, 4.0), (5, 4.0)]:
        delays = {policy.delay(attempt) for _ in range(50)}
        assert all(step / 2 <= d <= step for d in delays)
        assert len(delays) > 1  # jittered
    assert policy.delay(0, retry_after=3.0) == 3.0  # a server's Retry-After wins...
    assert policy.delay(0, retry_after=100.0) == 4.0  # ...up to the cap
    assert policy.attempts == 6
    with pytest.raises(ValueError):
        RetryPolicy(retries=-1)


def test_pool_round_robin_and_benching():
    pool = EndpointPool(["http://a/v1/", "http://b/v1"], cooldown_s=60)
    assert [pool.pick().base_url for _ in range(4)] == ["http://a/v1", "http://b/v1"] * 2
    a = pool.endpoints[0]
    pool.mark_failed(a)
    assert {pool.pick().base_url for _ in range(4)} == {"http://b/v1"}
    pool.mark_failed(pool.endpoints[1])
    assert pool.pick() is a  # all benched: the one back soonest
    pool.mark_ok(a)
    assert a.consecutive_failures == 0 and a.healthy(0.0)
    with pytest.raises(ValueError):
        EndpointPool([])
