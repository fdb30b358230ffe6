"""Task generation sharded over Ray workers writes the local generator's file, byte for byte.

Workers draft and validate; the driver dedups and numbers in target order. The cases cover the
three generators, a setting where most tries are duplicates (telecom with one write: the driver
continues those targets itself), and a worker killed while chunks are in flight.
"""

from __future__ import annotations

import json

import pytest

from writ.data import load_data
from writ.sim import RayExecutor
from writ.task import save_tasks
from writ.tasks import AxisRange, generate_tasks


def written(tmp_path, name, tasks, report) -> tuple[bytes, dict]:
    path = tmp_path / f"{name}.json"
    save_tasks(tasks, path)
    return path.read_bytes(), {k: v for k, v in report.to_json().items() if k != "seconds"}


@pytest.mark.parametrize("domain, n, writes, evidence, mode", [
    ("retail", 24, AxisRange(1, 4), AxisRange(0, 8), "grid"),
    ("airline", 16, AxisRange(1, 3), AxisRange(0, 6), "mix"),
    ("telecom", 12, AxisRange(1, 1), AxisRange(0, 1), "grid"),  # mostly duplicates
])
def test_generation_on_ray_equals_local(tmp_path, ray_cluster, domain, n, writes, evidence, mode):
    data = load_data(domain, seed=0, scale=0.5)
    local = written(tmp_path, "local",
                    *generate_tasks(data, n, writes, evidence, seed=5, mode=mode, attempts_per_task=8))
    with RayExecutor(workers=2) as executor:
        sharded = written(tmp_path, "ray", *executor.generate_tasks(data, n, writes, evidence, seed=5, mode=mode,
                                                                      attempts_per_task=8))
    assert sharded == local
    assert json.loads(local[0])[0]["id"].endswith("-00000")
    if domain == "telecom":
        assert local[1]["rejections"].get("duplicate: gold write set already used", 0) > 10


def test_generation_survives_a_killed_worker(tmp_path, ray_cluster, monkeypatch):
    import ray

    import writ.sim.ray_tasks as ray_tasks

    pools = []

    class Recorded(ray_tasks.ActorPool):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(ray_tasks, "ActorPool", Recorded)

    def kill_a_worker(done: int, total: int) -> None:
        if done == 2:  # the first chunks are back, later ones are queued on both workers
            ray.kill(pools[0].actors[0], no_restart=True)

    data = load_data("retail", seed=0, scale=0.5)
    args = (data, 40, AxisRange(1, 3), AxisRange(0, 6))
    local = written(tmp_path, "local", *generate_tasks(*args, seed=2))
    with RayExecutor(workers=2) as executor:
        sharded = written(tmp_path, "ray", *executor.generate_tasks(*args, seed=2, progress=kill_a_worker))
    assert pools[0].deaths == 1
    assert sharded == local
