"""`writ export` under ``kill -9``: the previous export or the new one, never a stuck half of either."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from writ.export import export_run


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def export_cli(run: Path, out: Path, *extra: str, failpoint: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("WRIT_FAILPOINT", None)
    if failpoint:
        env["WRIT_FAILPOINT"] = failpoint
    return subprocess.run([sys.executable, "-m", "writ", "export", str(run), "--out", str(out), *extra],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("point", ["export.record:5", "dir:o", "swap:o"])
def test_a_killed_export_leaves_the_previous_one_and_the_same_command_completes(runs, tmp_path, point):
    out = tmp_path / "o"
    export_run(runs[0], out, fmt="openai", val_fraction=0.5, seed=1)
    (out / "notes.txt").write_text("the user's own notes, kept across exports\n")
    previous = files(out)
    killed = export_cli(runs[0], out, "--force", "--val-fraction", "0.2", failpoint=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if point != "swap:o":  # killed before the swap: the old export is there, untouched
        assert files(out) == previous
    again = export_cli(runs[0], out, "--force", "--val-fraction", "0.2")
    assert again.returncode == 0, again.stderr
    fresh = tmp_path / "fresh"
    export_run(runs[0], fresh, fmt="openai", val_fraction=0.2)
    got = files(out)
    assert got.pop("notes.txt") == previous["notes.txt"]
    assert {k: v for k, v in got.items() if k != "manifest.json"} == \
        {k: v for k, v in files(fresh).items() if k != "manifest.json"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporaries left behind"


def test_a_killed_first_export_leaves_nothing_and_is_redone(runs, tmp_path):
    out = tmp_path / "o"
    killed = export_cli(runs[0], out, failpoint="export.record:3")
    assert killed.returncode == -signal.SIGKILL
    assert not out.exists()
    again = export_cli(runs[0], out)  # no --force needed: there was never an export here
    assert again.returncode == 0, again.stderr
    assert (out / "manifest.json").is_file()


def test_a_streamed_export_holds_one_episode_not_the_run(runs, tmp_path):
    """Parquet shards roll over and row groups flush while rows stream in: every row lands once."""
    pytest.importorskip("pyarrow", reason="the parquet format needs pyarrow (the export extra)")
    import pyarrow.parquet as pq

    result = export_run(runs, tmp_path / "p", fmt="parquet", dedup=False, max_rows_per_shard=7, val_fraction=0)
    shards = sorted((tmp_path / "p" / "data").glob("train-*.parquet"))
    rows = [pq.read_table(s).num_rows for s in shards]
    assert sum(rows) == result.manifest["counts"]["exported"] == 36
    assert rows[:-1] == [7] * (len(rows) - 1) and len(shards) == 6
    assert [f["rows"] for f in result.manifest["files"] if f["path"].endswith(".parquet")] == rows
