"""The report of a hop that changes 300 files, read in headless Chromium at 1400 px (issue 12).

Chromium is driven over its DevTools pipe (``--remote-debugging-pipe``: JSON messages ending in
a NUL byte on file descriptors 3 and 4), so the test reads the page's real layout: diffs
collapsed, an index of every file with its size that fits the first screen and scrolls in its
own box, each index link landing on its file, nothing wider than the window.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.helpers import sample_report
from upgrader.report import FileDiff, write_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH, HEIGHT = 1400, 900
FILES = 300

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium is not installed (Debian: apt-get install -y chromium; `make test` does it)",
    ),
]


class Page:
    """One tab of a headless Chromium, spoken to over the DevTools pipe."""

    def __init__(self, process: subprocess.Popen[bytes], write: int, read: int) -> None:
        self.process, self.write, self.read = process, write, read
        self.buffer = b""
        self.last = 0
        self.session: str | None = None

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.last += 1
        message: dict[str, Any] = {"id": self.last, "method": method, "params": params or {}}
        if self.session is not None and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self.write, json.dumps(message).encode() + b"\0")
        while True:  # events come in between: skip to our reply
            while b"\0" not in self.buffer:
                chunk = os.read(self.read, 1 << 16)
                assert chunk, f"chromium closed the DevTools pipe during {method}"
                self.buffer += chunk
            raw, _, self.buffer = self.buffer.partition(b"\0")
            reply: dict[str, Any] = json.loads(raw)
            if reply.get("id") == self.last:
                assert "error" not in reply, (method, reply["error"])
                result: dict[str, Any] = reply["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        for _ in range(200):  # a bounded wait for the load, not a timed assertion
            if (
                self.evaluate("document.readyState") == "complete"
                and self.evaluate("location.href") == url
            ):
                return
            self.call(
                "Runtime.evaluate",
                {"expression": "new Promise(r => setTimeout(r, 50))", "awaitPromise": True},
            )
        raise AssertionError(f"{url} did not load")


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    assert CHROMIUM is not None
    to_chromium, from_us = os.pipe()
    to_us, from_chromium = os.pipe()

    def descriptors() -> None:  # in the child: the pipe on fds 3 and 4, as Chromium expects
        os.dup2(to_chromium, 3)
        os.dup2(from_chromium, 4)

    profile = tmp_path / "profile"
    profile.mkdir()
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        pass_fds=(3, 4),
        preexec_fn=descriptors,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=profile,
    )
    os.close(to_chromium)
    os.close(from_chromium)
    tab = Page(process, from_us, to_us)
    try:
        target = tab.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = tab.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        tab.session = attached["sessionId"]
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        yield tab
    finally:
        with contextlib.suppress(AssertionError, OSError):  # gone already: nothing to close
            tab.call("Browser.close")
        os.close(from_us)
        os.close(to_us)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _diff(path: str, lines: int) -> str:
    old = "".join(f"-from django.conf.urls import url  # {n}\n" for n in range(lines))
    new = "".join(f"+from django.urls import re_path  # {n}\n" for n in range(lines))
    return f"--- a/{path}\n+++ b/{path}\n@@ -1,{lines} +1,{lines} @@\n{old}{new}"


def _three_hundred_files() -> tuple[FileDiff, ...]:
    folders = ("shop", "shop/views", "accounts", "blog/templatetags", "core")
    files = []
    for number in range(FILES):
        folder = folders[number % len(folders)]
        path = f"{folder}/module_{number:03}.py"
        if number == 7:  # a path longer than any row: it must not widen the page
            path = f"{folder}/module_{number:03}{'_with_a_very_long_name' * 12}.py"
        lines = 1 + number % 9
        files.append(
            FileDiff(path, _diff(path, lines), ("django-upgrade:django_urls",), lines, lines)
        )
    return tuple(files)


@pytest.fixture
def big_report(tmp_path: Path) -> tuple[tuple[FileDiff, ...], Path]:
    files = _three_hundred_files()
    paths = write_reports(sample_report(files=files), tmp_path / "report")
    return files, paths.html


def test_a_300_file_report_stays_usable_at_1400_px(
    tmp_path: Path, page: Page, big_report: tuple[tuple[FileDiff, ...], Path]
) -> None:
    files, html = big_report
    page.open(html.as_uri())

    # Every diff starts closed, one summary line per file.
    closed = page.evaluate(
        "[...document.querySelectorAll('#files details.file')].map(d => [d.open, d.id])"
    )
    assert closed == [[False, f"file-{n}"] for n in range(1, FILES + 1)]

    # The index lists every file with its size, in the report's order.
    rows = page.evaluate(
        "[...document.querySelectorAll('.index-table tbody tr')].map(r => "
        "[...r.cells].map(c => c.textContent.trim()))"
    )
    assert [row[:3] for row in rows] == [[f.path, f"+{f.added}", f"-{f.removed}"] for f in files]
    folders = page.evaluate(
        "[...document.querySelectorAll('ul.folders li')].map(li => li.textContent)"
    )
    assert len(folders) == 5 and all(" 60 files " in folder for folder in folders)

    # The index is a box that scrolls: it fits the window instead of pushing the diffs 300 rows
    # down, and it scrolls to its last file.
    box = page.evaluate(
        "(() => { const b = document.querySelector('div.index-table'); const r = "
        "b.getBoundingClientRect(); return [r.height, b.scrollHeight, b.clientHeight]; })()"
    )
    height, scroll_height, client_height = box
    assert height < HEIGHT and scroll_height > client_height * 5

    # Nothing is wider than the window, the 280-character path included.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # A closed file is one row, so the 300 of them take a few screens, not hundreds.
    summary_height = page.evaluate(
        "document.querySelector('#file-1').getBoundingClientRect().height"
    )
    assert summary_height < 60
    files_height = page.evaluate("document.querySelector('#files').getBoundingClientRect().height")
    assert files_height < FILES * 60 + 2 * HEIGHT

    # What a reader sees at the files section (kept beside the test's files to look at).
    page.evaluate("document.querySelector('#files').scrollIntoView()")
    shot = page.call("Page.captureScreenshot", {"format": "png"})
    (tmp_path / "report-300-files-index.png").write_bytes(base64.b64decode(shot["data"]))

    # An index link lands on its file; opening that file shows its diff, the others stay closed.
    page.evaluate("document.querySelector('a[href=\"#file-150\"]').click()")
    top = page.evaluate("document.querySelector('#file-150').getBoundingClientRect().top")
    assert -1 < top < HEIGHT / 2  # at the top of the window (to a fraction of a pixel)
    page.evaluate("document.querySelector('#file-150 summary').click()")
    opened = page.evaluate(
        "[...document.querySelectorAll('#files details.file[open]')].map(d => d.id)"
    )
    assert opened == ["file-150"]
    diff_rows = page.evaluate("document.querySelectorAll('#file-150 table tr').length")
    assert diff_rows >= 2 * files[149].added

    shot = page.call("Page.captureScreenshot", {"format": "png"})
    (tmp_path / "report-300-files-opened.png").write_bytes(base64.b64decode(shot["data"]))
