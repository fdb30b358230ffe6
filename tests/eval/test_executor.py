"""`writ eval --executor ray` gives the same rewards as the local executor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("ray", reason="the ray extra is not installed")

from tests.conftest import tau2_dir  # noqa: E402


def _eval(out, *extra):
    tau2 = tau2_dir()
    cmd = [sys.executable, "-m", "writ", "eval", "--domain", "mock", "--tau2-data", str(tau2), "--agent", "scripted",
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
