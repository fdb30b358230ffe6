"""The written report: a self-contained page, its PNGs, the fallback without matplotlib, odd runs."""

from __future__ import annotations

import base64
import re

import pytest

from writ import __version__
from writ.core import Episode
from writ.report import NO_MATPLOTLIB, files_dir, plots, write_report
from writ.sim import RunStore, StoredTask

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|<link\b|url\(\s*["']?https?:""", re.I)


@pytest.fixture(scope="module")
def written(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "report.html"
    result = write_report(run_dir, out)
    return result, out.read_text(encoding="utf-8")


def test_png_plots_are_written_beside_the_page_and_embedded(written):
    result, html = written
    assert result.matplotlib and result.html.is_file()
    names = {p.name for p in result.pngs}
    assert {"grid.png", "pass_by_writes.png", "pass_by_evidence.png", "pass_by_behaviour.png", "pass_by_domain.png",
            "turns.png", "tokens.png", "cost_per_kept.png", "rejections.png"} <= names
    assert all(p.parent == files_dir(result.html) and p.read_bytes().startswith(PNG_MAGIC) for p in result.pngs)
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(embedded) == len(result.pngs)
    on_disk = {p.read_bytes() for p in result.pngs}
    assert {base64.b64decode(b) for b in embedded} == on_disk  # the page shows exactly the files


def test_png_plots_decode_as_images(written):
    from PIL import Image  # installed with matplotlib

    result, _ = written
    for path in result.pngs:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.width >= 800 and image.height >= 200  # drawn at 2x for sharp screens


def test_page_is_self_contained(written):
    _, html = written
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert html.count("<script") == 1 and html.count("<style") == 1  # both inline, both ours
    assert "report_files" not in html  # images are embedded, never linked


def test_page_holds_every_section(written):
    result, html = written
    for anchor in ("overview", "grid", "rates", "trajectories", "rejections", "conversations"):
        assert f'id="{anchor}"' in html
    assert "<table class=\"grid-table\"" in html and "2 kept / 2 rej." in html
    assert "$0.0116" in html or "Cost / kept" in html
    assert html.count('<article class="conv"') == result.samples == 13
    assert html.count('data-kept="0"') == 4
    assert '<details class="call write">' in html and "cancel_pending_order" in html
    assert "the agent database differs from the gold replay" in html  # a verifier's reason
    assert "_intent" not in html  # private annotations never shown


def test_without_matplotlib_the_page_says_so_and_draws_html_charts(run_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "available", lambda: False)
    result = write_report(run_dir, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not result.matplotlib and result.pngs == [] and not files_dir(tmp_path / "r.html").exists()
    assert NO_MATPLOTLIB in html and "data:image/png" not in html
    assert html.count('class="css-chart"') >= 8 and '<table class="grid-table"' in html


def test_samples_limit_the_viewer(run_dir, tmp_path):
    result = write_report(run_dir, tmp_path / "r.html", samples=1, use_matplotlib=False)
    assert result.samples == 2


def _hand_run(run_dir):
    """A run written directly: a tau2-style task (no writ metadata), flat verdicts, hostile text, a crash."""
    store = RunStore.open(run_dir, {"writ_version": __version__})
    task = {"id": "tau2-1", "user_scenario": {"instructions": "<b>cancel</b> my order"},
            "evaluation_criteria": {"actions": []}}
    store.add_tasks([StoredTask("tau2-1", task, "h", None, None), StoredTask("tau2-2", {"id": "tau2-2"}, None, None,
                                                                             "KeyError: 'orders'")])
    hostile = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
    store.add_episode(Episode("tau2-1", 0, "retail", termination="user_stop", passed=False,
                              verdicts={"passed": False, "db": False, "user_db": True, "completed": True},
                              messages=[{"role": "assistant", "content": "Hi"},
                                        {"role": "user", "content": hostile},
                                        {"role": "assistant", "content": None, "tool_calls": [
                                            {"id": "c1", "type": "function",
                                             "function": {"name": "lookup", "arguments": '{"q": "</pre><script>"}'}}]},
                                        {"role": "tool", "tool_call_id": "c1", "name": "lookup",
                                         "content": "Error: no"},
                                        {"role": "tool", "tool_call_id": "zz", "name": "stray", "content": "{}"}]))
    store.add_episode(Episode("tau2-2", 0, "retail", termination="crash", error="setup: KeyError: 'orders'"))
    store.close()


def test_a_hand_written_run_renders_and_escapes_everything(tmp_path):
    _hand_run(tmp_path / "run")
    result = write_report(tmp_path / "run", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1 and "<img src=x" not in html and "<b>cancel" not in html
    assert "&lt;script&gt;alert" in html and "&lt;/pre&gt;&lt;script&gt;" in html
    assert "2 episodes of tasks without writ metadata" in html
    assert result.stats.check_failures == {"db": 1} and '<span class="check-name">db</span>' in html
    assert result.stats.terminations == {"user_stop": 1, "crash": 1}
    assert "setup: KeyError" in html and "No model tokens were spent" in html


def test_an_empty_run_still_gets_a_page(tmp_path):
    RunStore.open(tmp_path / "run", {"writ_version": __version__}).close()
    result = write_report(tmp_path / "run", tmp_path / "out" / "r.html")
    html = result.html.read_text(encoding="utf-8")
    assert result.stats.headline.episodes == 0 and "No episodes in this run yet." in html
    assert "No episode was rejected." in html
