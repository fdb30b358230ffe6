"""The report in a real headless browser (Debian's Chromium): plots decode, the viewer works, no JS errors.

String checks on the HTML cannot tell whether a browser shows it: a data URI can be corrupt, a
script can throw, CSS can hide everything. So the page is loaded in Chromium: ``--dump-dom``
gives the DOM after the scripts ran (a small probe added to a copy of the page records each
image's decoded size), and ``--screenshot`` renders it. Skipped, with the reason, when no
Chromium is installed (CI: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from writ.report import write_report

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
PROBE = ("<script>window.addEventListener('load', function () { document.querySelectorAll('img').forEach("
         "function (i) { i.setAttribute('data-natural', i.naturalWidth + 'x' + i.naturalHeight); }); });</script>")


def chromium() -> str:
    override = os.environ.get("WRIT_CHROMIUM")
    found = [override] if override else [shutil.which(c) or "" for c in CANDIDATES] + ["/usr/bin/chromium"]
    for path in found:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    pytest.skip("no Chromium found (install Debian's: apt-get install -y chromium, or set WRIT_CHROMIUM)")


def browse(page: Path, tmp: Path, *args: str, fragment: str = "") -> tuple[str, str]:
    """(stdout, stderr) of Chromium on `page`, with a fresh profile in `tmp`."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    proc = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri() + fragment],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


class Dom(HTMLParser):
    """The few things the tests look at in a dumped DOM."""

    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.articles: list[dict[str, str]] = []
        self.options: list[str] = []
        self.calls = self.verdicts = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "img":
            self.images.append(a)
        elif tag == "article" and "conv" in classes:
            self.articles.append(a)
        elif tag == "option":
            self.options.append(a.get("value", ""))
        elif tag == "details" and "call" in classes:
            self.calls += 1
            assert "open" not in a  # folded by default
        elif tag == "ul" and "verdicts" in classes:
            self.verdicts += 1


@pytest.fixture(scope="module")
def page(run_dir, tmp_path_factory) -> Path:
    chromium()
    folder = tmp_path_factory.mktemp("browser")
    write_report(run_dir, folder / "report.html")
    probed = folder / "probed.html"
    probed.write_text((folder / "report.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                      encoding="utf-8")
    return probed


def test_plots_decode_and_the_viewer_shows_one_conversation(page, tmp_path):
    out, err = browse(page, tmp_path, "--virtual-time-budget=5000", "--dump-dom")
    assert "Uncaught" not in err, err[-2000:]
    dom = Dom(out)
    plots = [i for i in dom.images if i.get("src", "").startswith("data:image/png;base64,")]
    assert len(plots) >= 9 and len(plots) == len(dom.images)
    for img in plots:
        width, height = (int(v) for v in img["data-natural"].split("x"))
        assert width >= 800 and height >= 200, img["alt"]  # the browser decoded it
    assert len(dom.options) == len(dom.articles) == 13
    shown = [a["id"] for a in dom.articles if "hidden" not in a]
    assert shown == ["conv-0"]  # the script ran: one conversation at a time
    assert dom.calls > 13 and dom.verdicts == 13


def test_a_link_to_a_conversation_opens_it(page, tmp_path):
    out, err = browse(page, tmp_path, "--virtual-time-budget=5000", "--dump-dom", fragment="#conv-10")
    dom = Dom(out)
    assert [a["id"] for a in dom.articles if "hidden" not in a] == ["conv-10"]
    assert dom.articles[10]["data-kept"] == "0"


def test_screenshot_shows_the_page(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    browse(page, tmp_path, "--window-size=1280,3200", f"--screenshot={shot}")
    with Image.open(shot) as image:
        assert image.size == (1280, 3200)
        rgb = image.convert("RGB")
        assert rgb.getpixel((10, 10))[0] < 60  # the dark header
        colours = rgb.resize((320, 800)).getcolors(maxcolors=1 << 16)
        assert colours is not None and len(colours) > 200  # plots and text, not a blank page
    keep = os.environ.get("WRIT_REPORT_SCREENSHOT")
    if keep:  # to look at it: WRIT_REPORT_SCREENSHOT=/tmp/report.png pytest tests/report
        shutil.copy(shot, keep)
