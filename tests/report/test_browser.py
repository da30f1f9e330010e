"""The HTML report in a real headless browser (Debian's chromium; ``make test`` installs it)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.report.helpers import (
    HOSTILE_DIFF,
    HOSTILE_PATH,
    VIEWS_DIFF,
    failing_report,
    parse,
    sample_report,
)
from upgrader.report import FileDiff, StepReport, write_reports
from upgrader.report.html import OPEN_DIFFS_LIMIT, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium is not installed (Debian: apt-get install -y chromium; `make test` does it)",
    ),
]

SECTIONS = ("dependencies", "rewrites", "files", "tests", "warnings", "manual", "notes", "commits")


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=True, cwd=profile
    )


@pytest.fixture
def report_html(tmp_path: Path) -> tuple[StepReport, Path]:
    report = failing_report()
    hostile = FileDiff(HOSTILE_PATH, HOSTILE_DIFF, ("pyupgrade",), 1, 1)
    report = dataclasses.replace(report, files=(*report.files, hostile))
    paths = write_reports(report, tmp_path / "report")
    return report, paths.html


def test_the_browser_sees_every_section_and_a_diff_per_file(
    tmp_path: Path, report_html: tuple[StepReport, Path]
) -> None:
    report, html = report_html
    profile = tmp_path / "profile"
    profile.mkdir()
    result = _chromium(profile, "--dump-dom", html.as_uri())

    document = parse(result.stdout)
    ids = [s.attrs.get("id") for s in document.iter("section")]
    assert ids == list(SECTIONS)
    assert document.by_id("summary").iter("h1")[0].text == "Django 2.2 → 3.2 needs-attention"
    details = document.by_id("files").iter("details")
    assert [d.iter("summary")[0].iter("code")[0].text for d in details] == [
        f.path for f in report.files
    ]
    assert all("open" in d.attrs for d in details)
    # The hostile diff stayed text: no script or image element reached the DOM.
    assert document.iter("script") == [] and document.iter("img") == []
    assert '-x = "</script><script>alert(1)</script>"' in details[-1].text
    assert "Failing after the hop (3)" in document.by_id("tests").text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_report_renders_to_a_screenshot(
    tmp_path: Path, report_html: tuple[StepReport, Path]
) -> None:
    _, html = report_html
    profile = tmp_path / "profile"
    profile.mkdir()
    shot = tmp_path / "shot.png"
    _chromium(profile, f"--screenshot={shot}", "--window-size=1200,1600", html.as_uri())

    data = shot.read_bytes()
    assert _png_size(data) == (1200, 1600)
    # A page of text, tables and coloured diffs (about 180 kB), not a blank one (about 10 kB).
    assert len(data) > 50_000


def _pdf_pages(data: bytes) -> int:
    assert data.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_printing_shows_the_diffs_of_closed_files(tmp_path: Path) -> None:
    files = tuple(
        FileDiff(f"app/m{i:02}.py", VIEWS_DIFF, ("r",), 2, 2) for i in range(OPEN_DIFFS_LIMIT + 2)
    )
    closed = render_html(sample_report(files=files))
    assert '<details class="file" open>' not in closed
    opened = closed.replace('<details class="file">', '<details class="file" open>')
    pages = {}
    for name, html in (("closed", closed), ("opened", opened)):
        page = tmp_path / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        profile = tmp_path / f"profile-{name}"
        profile.mkdir()
        pdf = tmp_path / f"{name}.pdf"
        _chromium(profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        pages[name] = _pdf_pages(pdf.read_bytes())
    assert pages["opened"] > 2
    assert pages["closed"] == pages["opened"]
