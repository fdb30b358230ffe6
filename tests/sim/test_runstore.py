"""The run store: committed episodes survive reopening; another config is refused unless forced."""

from __future__ import annotations

import sqlite3

import pytest

from writ.core import Episode
from writ.sim import RunStore, RunStoreError, StoredTask

CONFIG = {"writ_version": "0.1.0", "agent": {"spec": "scripted", "seed": 0}, "attempts": 3}


def episode(task_id: str, attempt: int, passed: bool, termination: str = "user_stop") -> Episode:
    return Episode(task_id, attempt, "mock",
                   messages=[{"role": "assistant", "content": f"hi {attempt}", "_intent": {"kind": "greet"}}],
                   termination=termination, passed=passed, agent="scripted", user="scripted",
                   turns=[{"actor": "agent", "usage": {"prompt_tokens": 10, "completion_tokens": 5, "cost": 0.01},
                           "latency_s": 0.1}], verdicts={"db": passed}, final_db_hash="f", gold_db_hash="g")


def test_commit_and_reopen(tmp_path):
    with RunStore.open(tmp_path / "run", CONFIG) as store:
        store.add_tasks([StoredTask("t1", {"id": "t1"}, "g", None, None)])
        store.add_episode(episode("t1", 0, False, "max_steps"))
        store.add_episode(episode("t1", 1, True))
        store.add_episode(episode("t2", 0, False))
        with pytest.raises(sqlite3.IntegrityError):  # an episode is never written twice
            store.add_episode(episode("t1", 1, True))
    with RunStore.open(tmp_path / "run", CONFIG) as store:
        assert store.finished() == {"t1": {0: False, 1: True}, "t2": {0: False}}
        again = store.episode("t1", 1)
        assert again.messages == episode("t1", 1, True).messages and again.passed and again.verdicts == {"db": True}
        assert again.turns[0]["usage"]["prompt_tokens"] == 10
        assert store.tasks()["t1"].gold_db_hash == "g"
        counts = store.counts()
        assert (counts["episodes"], counts["passed"], counts["tasks_passed"], counts["tasks"]) == (3, 1, 1, 1)
        assert counts["prompt_tokens"] == 30 and counts["cost"] == pytest.approx(0.03)
        assert counts["failures"] == {"max_steps": 1, "user_stop": 1}
        best = store.best_per_task()
        assert best["t1"].attempt == 1 and best["t1"].passed and best["t2"].attempt == 0
        assert len(store.sessions) == 2
        assert [e.task_id for e in store.episodes(passed=False)] == ["t1", "t2"]


def test_wal_and_full_sync(tmp_path):
    with RunStore.open(tmp_path, CONFIG) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_other_config_or_version_refused(tmp_path):
    with RunStore.open(tmp_path, CONFIG) as store:
        store.add_episode(episode("t1", 0, True))
    with pytest.raises(RunStoreError) as err:
        RunStore.open(tmp_path, {**CONFIG, "attempts": 5})
    message = str(err.value)
    assert "\n" not in message and "attempts: 5 now, 3 there" in message and "--force" in message
    with pytest.raises(RunStoreError, match="created by writ 0.1.0, this is writ 9.9"):
        RunStore.open(tmp_path, {**CONFIG, "writ_version": "9.9"})
    with RunStore.read(tmp_path) as reader:  # readers take any config
        assert reader.config == CONFIG and reader.counts()["episodes"] == 1


def test_overwrite_sets_the_old_run_aside(tmp_path):
    with RunStore.open(tmp_path, CONFIG) as store:
        store.add_episode(episode("t1", 0, True))
    with RunStore.open(tmp_path, {**CONFIG, "attempts": 1}, overwrite=True) as store:
        assert store.counts()["episodes"] == 0 and store.config["attempts"] == 1
    backups = list(tmp_path.glob("run.replaced-*.db"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT task_id FROM episodes").fetchall() == [("t1",)]


def test_one_writer_at_a_time(tmp_path):
    with RunStore.open(tmp_path, CONFIG):
        with pytest.raises(RunStoreError, match="another writ process"):
            RunStore.open(tmp_path, CONFIG)
    RunStore.open(tmp_path, CONFIG).close()  # released on close


def test_not_a_store_refused(tmp_path):
    (tmp_path / "run.db").write_text("hello")
    with pytest.raises(RunStoreError, match="not a writ run store"):
        RunStore.open(tmp_path, CONFIG)
    with RunStore.open(tmp_path, CONFIG, overwrite=True) as store:
        assert store.counts()["episodes"] == 0
    with pytest.raises(RunStoreError, match="no run store"):
        RunStore.read(tmp_path / "elsewhere")


def test_an_empty_store_file_is_a_store_never_started(tmp_path):
    """A kill right after SQLite created the file (or a reader that opened it first) leaves 0 bytes."""
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "run.db").write_bytes(b"")
    with RunStore.open(tmp_path / "run", CONFIG) as store:
        store.add_tasks([StoredTask("t1", {"id": "t1"}, "g", None, None)])
    with RunStore.read(tmp_path / "run") as store:
        assert store.counts()["tasks"] == 1
