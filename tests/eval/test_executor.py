"""`writ eval --executor ray` gives the same rewards as the local executor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("ray", reason="the ray extra is not installed")

from tests.eval.conftest import generated  # noqa: E402
from writ.task import save_tasks  # noqa: E402


def _eval(out, *extra):
    tasks = out.parent / "tasks.json"
    if not tasks.exists():
        save_tasks(list(generated("retail", 4)[1]), tasks)
    cmd = [sys.executable, "-m", "writ", "eval", "--domain", "retail", "--tasks", str(tasks), "--agent", "scripted",
           "--user", "scripted", "--trials", "2", "--out", str(out), "--no-progress", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**__import__("os").environ,
                          "RAY_USAGE_STATS_ENABLED": "0"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    sims = json.loads((out / "results.json").read_text())["simulations"]
    return sorted((s["task_id"], s["trial"], s["reward_info"]["reward"]) for s in sims)


@pytest.mark.slow
def test_eval_on_ray_matches_local(tmp_path):
    local = _eval(tmp_path / "local")
    remote = _eval(tmp_path / "ray", "--executor", "ray", "--workers", "1")
    assert local == remote and local
