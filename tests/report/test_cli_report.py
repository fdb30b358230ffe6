"""`writ report`: a summary on the terminal, the page on disk, one-line errors with exit code 2."""

from __future__ import annotations

import json
import shutil
import sqlite3

from writ.cli import main


def cli(*args: str) -> int:
    try:
        main(["report", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_writes_the_page_and_prints_a_summary(run_dir, tmp_path, capsys):
    out = tmp_path / "site" / "report.html"
    assert cli(str(run_dir), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "yield" in printed and "69%" in printed and "rejected by state" in printed
    assert "x3 the agent database differs from the gold replay" in printed and "(e.g. episode " in printed
    assert "per kept trajectory" in printed and "model latency" in printed
    assert f"wrote {out}" in printed and "PNG plots" in printed
    assert out.is_file() and (tmp_path / "site" / "report_files" / "grid.png").is_file()


def test_no_plots_writes_html_charts_only(run_dir, tmp_path, capsys):
    assert cli(str(run_dir), "--out", str(tmp_path / "r.html"), "--no-plots") == 0
    assert not (tmp_path / "r_files").exists() and "css-chart" in (tmp_path / "r.html").read_text()


def _other_version(run_dir, tmp_path):
    copy = tmp_path / "old"
    shutil.copytree(run_dir, copy)
    conn = sqlite3.connect(copy / "run.db")
    config = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()[0])
    config["writ_version"] = "0.0.1"
    conn.execute("UPDATE meta SET value = ? WHERE key = 'config'", (json.dumps(config),))
    conn.commit()
    conn.close()
    return copy


def _other_format(run_dir, tmp_path):
    copy = tmp_path / "fmt"
    shutil.copytree(run_dir, copy)
    conn = sqlite3.connect(copy / "run.db")
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'format'")
    conn.commit()
    conn.close()
    return copy


def test_bad_input_is_one_line_and_exit_2(run_dir, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "run.db").write_text("not a database")
    (tmp_path / "adir.html").mkdir()
    cases = [
        ((str(tmp_path / "missing"),), "no such run directory"),
        ((str(tmp_path / "empty"),), "no run store"),
        ((str(tmp_path / "junk"),), "not a writ run store"),
        ((str(_other_version(run_dir, tmp_path)),), "written by writ 0.0.1"),
        ((str(_other_format(run_dir, tmp_path)),), "run store format 99"),
        ((str(run_dir), "--out", str(tmp_path / "adir.html")), "is a directory"),
        ((str(run_dir), "--samples", "-1"), "--samples must be at least 0"),
    ]
    for args, message in cases:
        assert cli(*args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("writ: error: ") and message in err and err.count("\n") == 1, (args, err)
