"""`kill -9` at any moment of `writ synth`, then the same command: the job an uninterrupted run makes.

Each case kills a real `writ synth` process with SIGKILL at a named moment (`writ.failpoints`:
between a stage's temporary output and its rename, between the two renames of a folder swap, in
the middle of the simulation, half-way through an export's rows, ...), runs the same command again
and compares every output file, byte for byte, with an uninterrupted run made in the same place.
A second rerun must then change nothing on disk (not a byte, not a modification time).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CONFIG = """\
domains: [retail]
data: {seed: 0, scale: 0.3}
tasks: {n: 6, writes: 1-3, evidence: 0-4, seed: 0}
users: {variants: 2, seed: 0}
simulate: {concurrency: 4, attempts: 2}
export: {formats: [openai, trl], val_fraction: 0.2}
"""

# Files whose bytes legitimately differ between two runs of the same job: the run store (timestamps,
# sessions), the generation report (seconds), the HTML report and its plots (speed, sessions, start time).
VOLATILE = ("run/", "tasks.retail.report.json", "report.html", "report_files/")


def synth(job: Path, config: Path, failpoint: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("WRIT_FAILPOINT", None)
    if failpoint:
        env["WRIT_FAILPOINT"] = failpoint
    return subprocess.run([sys.executable, "-m", "writ", "synth", "--config", str(config), "--out", str(job),
                           "--no-progress"], env=env, capture_output=True, text=True, timeout=timeout)


def outputs(job: Path) -> dict[str, str]:
    """Every file of a job (no temporaries left behind) -> its SHA-256, the volatile ones excluded."""
    out = {}
    for path in sorted(job.rglob("*")):
        rel = path.relative_to(job).as_posix()
        assert ".tmp-" not in rel and ".old-" not in rel, f"left behind: {rel}"
        if path.is_file() and not rel.startswith(VOLATILE):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def disk_state(job: Path) -> dict[str, tuple]:
    """Everything on disk that a no-op rerun must leave alone: names, bytes and modification times."""
    state = {}
    for path in sorted(job.rglob("*")):
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(job).as_posix()] = (digest, info.st_mtime_ns)
    return state


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("kill")
    config = root / "job.yaml"
    config.write_text(CONFIG)
    job = root / "job"
    proc = synth(job, config)
    assert proc.returncode == 0, proc.stderr
    expected = outputs(job)
    assert any(k.startswith("export/openai/") for k in expected) and "tasks.diverse.json" in expected
    shutil.rmtree(job)
    return root, config, expected


POINTS = [
    "write:config.yaml",          # the job's config, before its rename
    "write:tasks.retail.json",    # the tasks file written, not yet renamed into place
    "write:stages.json",          # the stage record, mid-update
    "write:tasks.diverse.json",   # the behaviour variants
    "simulate.episode:5",         # the fifth episode committed, the rest not simulated
    "export.record:4",            # half-way through the first export's rows
    "dir:openai",                 # the first export complete in its temporary folder
    "swap:openai",                # the old export moved aside, the new one not yet in place
    "export.record:18",           # during the second format's export (12 rows per format)
    "dir:report_files",           # the plots written, the page not
    "write:report.html",          # the page written, not yet renamed
]


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_kill_9_then_the_same_command_gives_the_uninterrupted_job(reference, point):
    root, config, expected = reference
    job = root / "job"
    shutil.rmtree(job, ignore_errors=True)
    if point == "swap:openai":  # a folder swap needs an old folder: a finished job whose export is out of date
        assert synth(job, config).returncode == 0
        stages = json.loads((job / "stages.json").read_text())
        del stages["export.openai"]
        (job / "stages.json").write_text(json.dumps(stages))
    killed = synth(job, config, failpoint=point)
    assert killed.returncode == -signal.SIGKILL, (point, killed.returncode, killed.stderr[-2000:])
    again = synth(job, config)
    assert again.returncode == 0, (point, again.stderr[-2000:])
    assert outputs(job) == expected, point
    before = disk_state(job)
    time.sleep(0.05)  # a rewrite would show in the modification times
    third = synth(job, config)
    assert third.returncode == 0, third.stderr
    assert "already" in third.stderr and "complete" in third.stderr
    assert disk_state(job) == before, "a rerun of a finished job must not change anything on disk"


@pytest.mark.slow
def test_kills_at_arbitrary_moments_never_lose_or_corrupt_the_job(reference):
    """Plain SIGKILLs at increasing delays (wherever they land), then one uninterrupted rerun."""
    root, config, expected = reference
    job = root / "job"
    shutil.rmtree(job, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("WRIT_FAILPOINT", None)
    command = [sys.executable, "-m", "writ", "synth", "--config", str(config), "--out", str(job), "--no-progress"]
    for delay in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0):
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        if proc.poll() is not None:
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert outputs(job) == expected
