"""Off a terminal, writ's consoles print every line whole (rich would fold them at 80 columns)."""

from __future__ import annotations

from rich.table import Table

from writ.console import make_console


def test_long_lines_are_not_folded_off_a_terminal(capsys):
    path = "/runs/" + "/".join(f"folder-{i:02d}" for i in range(30)) + "/report.html"
    make_console().print(f"wrote {path}")
    make_console(stderr=True).print(f"kept 12 of 40 episodes -> {path}")
    out, err = capsys.readouterr()
    assert out == f"wrote {path}\n" and err.endswith(f"{path}\n") and err.count("\n") == 1


def test_tables_keep_their_natural_width(capsys):
    table = Table("cell", "value")
    table.add_row("writes=3 evidence=9", "x" * 150)
    make_console().print(table)
    out = capsys.readouterr().out
    assert "x" * 150 in out and max(len(line) for line in out.splitlines()) < 200
