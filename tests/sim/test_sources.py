"""Task data sources: a task's own db_source first, the command line's data otherwise."""

from __future__ import annotations

import pytest

from tests.sim.conftest import mock_task
from writ.data import DataError
from writ.sim import DataResolver, parse_source, task_domain
from writ.task import Task


def test_parse_source():
    assert parse_source("generated:seed=3,scale=0.5") == {"seed": 3, "scale": 0.5}
    assert parse_source("tau2:/a/b") == {"tau2_data": "/a/b"}
    assert parse_source("dir:/x") == {"data": "/x"}
    for bad in ("generated:seed=x", "generated:colour=red", "ftp:/x", "tau2:", "nothing"):
        with pytest.raises(DataError, match="bad db_source"):
            parse_source(bad)


def test_resolver_prefers_the_tasks_source_and_caches():
    resolve = DataResolver(domain="mock", seed=5)
    own = mock_task(0, "write")
    bare = mock_task(1, "write", with_source=False)
    assert resolve(own).source == "generated:seed=0,scale=1.0"
    assert resolve(bare).source == "generated:seed=5,scale=1.0"
    assert resolve(own) is resolve(mock_task(2, "ask"))  # one load per source
    assert len(resolve.loaded()) == 2


def test_resolver_uses_tau2_data_for_tasks_without_source(tau2):
    resolve = DataResolver(domain="mock", tau2_data=tau2)
    assert resolve(mock_task(0, "write", with_source=False)).source.startswith("tau2:")
    tau2_task = Task.model_validate({"id": "x", "user_scenario": {"instructions": "help"}})
    assert task_domain(tau2_task) is None
    assert resolve(tau2_task).domain.name == "mock"


def test_resolver_needs_a_domain():
    task = Task.model_validate({"id": "x", "user_scenario": {"instructions": "help"}})
    with pytest.raises(DataError, match="task x: names no domain; pass --domain"):
        DataResolver()(task)
