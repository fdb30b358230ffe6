"""Bad input is reported per item with a reason and the rest exported; exit 2 only when nothing is left."""

from __future__ import annotations

import json
import sqlite3

import pytest

from writ.cli import main
from writ.data import load_data
from writ.export import ExportError, collect, export_run, read_jsonl


def _sql(run, statement, *args):
    conn = sqlite3.connect(run / "run.db")
    try:
        conn.execute(statement, args)
        conn.commit()
    finally:
        conn.close()


def _ids(run):
    conn = sqlite3.connect(run / "run.db")
    try:
        return [r[0] for r in conn.execute("SELECT task_id FROM episodes WHERE passed = 1 ORDER BY task_id")]
    finally:
        conn.close()


def cli(*args):
    try:
        main(["export", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_corrupt_rows_and_missing_tasks_are_skipped_with_reasons(run_copy, tmp_path):
    ids = _ids(run_copy)
    _sql(run_copy, "UPDATE episodes SET messages = '{not json' WHERE task_id = ?", ids[0])
    _sql(run_copy, "UPDATE episodes SET messages = '[{\"role\": \"assistant\", \"content\": null, \"tool_calls\": "
                   "[{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"x\", \"arguments\": "
                   "\"{}\"}}]}]' WHERE task_id = ?", ids[1])
    _sql(run_copy, "DELETE FROM tasks WHERE task_id = ?", ids[2])
    _sql(run_copy, "UPDATE tasks SET task = 'garbage' WHERE task_id = ?", ids[3])
    result = export_run(run_copy, tmp_path / "o", fmt="openai", val_fraction=0)
    reasons = {s.item.split(": ", 1)[1]: s.reason for s in result.skipped}
    assert reasons == {
        f"{ids[0]}#0": "corrupt row: messages is not JSON (Expecting property name enclosed in double quotes: "
                       "line 1 column 2 (char 1))",
        f"{ids[1]}#0": "tool call c1 has no answer",
        f"{ids[2]}#0": "its task is missing from the run store",
        f"{ids[3]}#0": "its task row is corrupt (JSONDecodeError)",
    }
    assert result.manifest["counts"]["exported"] == len(ids) - 4
    assert result.manifest["counts"]["skipped"] == 4 and len(result.manifest["skipped"]) == 4


def test_the_system_message_is_the_policy_never_a_stored_prompt(run_copy, tmp_path):
    """A guided teacher's prompt carried the gold plan; the export rebuilds the system message."""
    task_id = next(i for i in _ids(run_copy) if i.startswith("writ-retail"))
    conn = sqlite3.connect(run_copy / "run.db")
    messages = json.loads(conn.execute("SELECT messages FROM episodes WHERE task_id = ?", (task_id,)).fetchone()[0])
    conn.close()
    hinted = [{"role": "system", "content": "policy\n<hint>\n1. call cancel_pending_order(...)\n</hint>"}] + messages
    _sql(run_copy, "UPDATE episodes SET messages = ? WHERE task_id = ?", json.dumps(hinted), task_id)
    export_run(run_copy, tmp_path / "o", fmt="openai", val_fraction=0)
    rows = read_jsonl(tmp_path / "o" / "train.jsonl")
    assert "<hint>" not in json.dumps(rows)
    row = next(r for r in rows if r["messages"][1]["content"] == messages[0]["content"])
    assert [m["role"] for m in row["messages"]].count("system") == 1
    assert row["messages"][0]["content"] == load_data("retail", seed=3, scale=0.3).policy


def test_runs_of_another_version_or_not_runs_are_skipped_whole(runs, run_copy, tmp_path):
    conn = sqlite3.connect(run_copy / "run.db")
    config = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()[0])
    conn.close()
    config["writ_version"] = "0.0.1"
    _sql(run_copy, "UPDATE meta SET value = ? WHERE key = 'config'", json.dumps(config))
    empty = tmp_path / "empty"
    empty.mkdir()
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "run.db").write_bytes(b"not a database at all" * 100)
    collection = collect([run_copy, empty, garbage, runs[0]])
    reasons = {s.item: s.reason for s in collection.skipped}
    assert reasons[str(run_copy)].startswith("created by writ 0.0.1, this is writ ")
    assert reasons[str(empty)] == "no run store (run.db) here"
    assert reasons[str(garbage)].startswith("not a writ run store")
    assert len(collection.records) == 18 and {r.run for r in collection.records} == {str(runs[0])}
    assert all(r.id.startswith("r3:") for r in collection.records)


def test_nothing_to_export_is_an_error(run_copy, tmp_path):
    _sql(run_copy, "DELETE FROM tasks")
    with pytest.raises(ExportError, match="nothing to export: 18 kept episodes, 18 items skipped; first: .*missing"):
        export_run(run_copy, tmp_path / "o", fmt="trl")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_cli_exports_and_reports(run_copy, runs, tmp_path, capsys):
    _sql(run_copy, "DELETE FROM tasks WHERE task_id = ?", _ids(run_copy)[0])
    assert cli(str(run_copy), "--format", "sharegpt", "--out", str(tmp_path / "s"), "--val-fraction", "0.2",
               "--seed", "3", "--weights", "last") == 0
    err = capsys.readouterr().err
    assert "exported 17 trajectories" in err and "from 18 kept episodes as sharegpt" in err
    assert "items skipped: 1" in err and "its task is missing from the run store" in err
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["options"] == {"val_fraction": 0.2, "seed": 3, "weights": "last", "dedup": True}
    assert cli(str(runs[0]), str(runs[1]), "--format", "parquet", "--out", str(tmp_path / "p"), "--no-dedup",
               "--max-rows-per-shard", "4") == 0
    assert json.loads((tmp_path / "p" / "manifest.json").read_text())["counts"]["exported"] == 36


@pytest.mark.parametrize("args, expected", [
    (("--format", "csv"), "unknown format 'csv'"),
    (("--weights", "some"), "unknown weights 'some'"),
    (("--val-fraction", "1"), "--val-fraction must be in [0, 1)"),
    (("--max-rows-per-shard", "0"), "--max-rows-per-shard must be at least 1"),
])
def test_cli_bad_options_are_one_line_and_exit_2(runs, tmp_path, capsys, args, expected):
    assert cli(str(runs[0]), "--out", str(tmp_path / "o"), *args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("writ: error: ") and expected in err and "\n" not in err


def test_cli_nothing_exported_exits_2(tmp_path, capsys):
    (tmp_path / "nothing").mkdir()
    assert cli(str(tmp_path / "nothing"), "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"writ: error: nothing to export: 0 kept episodes, 1 items skipped; first: {tmp_path / 'nothing'}: " \
                  "no run store (run.db) here"
