"""Outages are retried by a rerun; the model's own failures are not; a key echoed by a server is never kept.

Real `writ simulate` command lines against a loopback port: first nothing listens there (every
request is refused), then a fake OpenAI-compatible server comes up on that same port and the same
command is run again. Tasks are the mock domain's: "ask" tasks pass with an agent that only talks,
"write" tasks fail whatever it says (a permanent failure: the model's own doing).
"""

from __future__ import annotations

import socket
import sqlite3

import pytest

from tests.models.helpers import FaultyServer, error_body
from tests.sim.conftest import mock_task, write_tasks_file
from writ.cli import main
from writ.models.scripted import ScriptedBackend
from writ.models.server import serve_in_thread
from writ.sim import RunStore

KEY = "sk-writ-test-0123456789abcdefXYZ"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def simulate(*args: str) -> int:
    try:
        main(["simulate", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def tasks_file(tmp_path):
    tasks = [mock_task(0, "ask"), mock_task(1, "ask"), mock_task(2, "write")]
    return str(write_tasks_file(tmp_path / "tasks.json", tasks))


def stored(run) -> dict[str, tuple[str, bool, str | None]]:
    with RunStore.read(run) as store:
        return {e.task_id: (e.termination, e.passed, e.meta.get("failure")) for e in store.episodes()}


def retired(run) -> int:
    conn = sqlite3.connect(run / "run.db")
    try:
        return conn.execute("SELECT COUNT(*) FROM retired").fetchone()[0]
    finally:
        conn.close()


def test_dead_server_then_live_server_the_rerun_retries_the_failed_episodes(tmp_path, tasks_file, capsys):
    port = free_port()
    run = tmp_path / "run"
    command = [tasks_file, "--run", str(run), "--agent", "openai:fake", "--base-url", f"http://127.0.0.1:{port}/v1",
               "--attempts", "1", "--judge", "hash", "--max-steps", "12", "--no-progress"]
    assert simulate(*command) == 0
    err = capsys.readouterr().err
    assert "3 tasks failed on transient errors" in err and "rerun the same command" in err
    assert stored(run) == {t: ("agent_error", False, "transient") for t in ("ask-0000", "ask-0001", "write-0002")}

    with serve_in_thread(ScriptedBackend(["Sure, I can help with that."]), port=port):
        assert simulate(*command) == 0
        err = capsys.readouterr().err
        assert "retried 3 episodes that earlier failed on transient errors" in err
        after = stored(run)
        assert after["ask-0000"][1] and after["ask-0001"][1]  # kept now that the server answers
        assert after["write-0002"][:2] != ("agent_error", False)  # ran for real this time, and failed on its own
        assert after["write-0002"][2] != "transient"
        assert retired(run) == 3  # the outage's episodes are kept aside, not lost
        with RunStore.read(run) as store:
            assert store.counts()["episodes"] == 3  # and never counted twice

        assert simulate(*command) == 0  # the model's own failure is not retried: nothing left to do
        err = capsys.readouterr().err
        assert "0 simulated now" in err and "retried" not in err and retired(run) == 3


def test_a_refused_key_is_transient_and_the_echoed_key_is_never_stored_printed_or_reported(
        tmp_path, tasks_file, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    echo = error_body(f"invalid key; got Authorization: Bearer {KEY}", "invalid_api_key")
    run = tmp_path / "run"
    with serve_in_thread(ScriptedBackend(["hello"]), server_cls=FaultyServer, faults=[(401, echo)] * 50) as server:
        url = f"http://user:pw-s3cr3t-Zq@127.0.0.1:{server.port}/v1"  # credentials in the URL too
        code = simulate(tasks_file, "--run", str(run), "--agent", "openai:fake", "--base-url", url, "--attempts", "1",
                        "--judge", "hash", "--no-progress")
    printed = capsys.readouterr()
    assert code == 0
    assert stored(run)["ask-0000"] == ("agent_error", False, "transient")  # a 401 is fixed by the user: retried
    assert "HTTP 401" in printed.err and "***" in printed.err
    report = tmp_path / "report.html"
    try:
        main(["report", str(run), "--out", str(report), "--no-plots"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    files = [p for p in run.iterdir() if p.is_file()] + [report]
    for secret in (KEY, "pw-s3cr3t-Zq"):
        assert secret not in printed.out + printed.err
        for path in files:
            assert secret.encode() not in path.read_bytes(), f"{secret[:6]}... found in {path.name}"
