from __future__ import annotations

import re

import pytest

from tests.report.helpers import (
    HOSTILE_DIFF,
    HOSTILE_PATH,
    Element,
    failing_report,
    parse,
    sample_report,
)
from upgrader.plan import ManualItem, RewriteCount
from upgrader.report import FileDiff, StepReport
from upgrader.report.html import OPEN_DIFFS_LIMIT, render_html
from upgrader.report.html_diff import HIGHLIGHT_LINES_LIMIT


def test_document_is_well_formed_with_every_section() -> None:
    document = parse(render_html(failing_report()))
    assert document.tag == "html" and document.attrs["lang"] == "en"
    (head,) = document.iter("head")
    assert head.iter("title")[0].text == "Django 2.2 → 3.2: needs-attention · upgrader report"
    sections = [s.attrs["id"] for s in document.iter("section")]
    assert sections == [
        "dependencies",
        "rewrites",
        "files",
        "tests",
        "warnings",
        "manual",
        "notes",
        "commits",
    ]
    summary = document.by_id("summary")
    assert summary.tag == "header"
    (badge,) = [e for e in summary.iter("span") if "badge" in e.classes()]
    assert badge.text == "needs-attention" and "needs-attention" in badge.classes()
    assert "upgrader step --continue" in summary.text


def test_self_contained_nothing_loaded_from_outside() -> None:
    html = render_html(sample_report())
    document = parse(html)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert document.iter(tag) == [], tag
    assert "@import" not in html and "url(" not in html
    (csp,) = [m for m in document.iter("meta") if m.attrs.get("http-equiv")]
    assert csp.attrs["content"] == "default-src 'none'; style-src 'unsafe-inline'"
    # Only the docs the report points to are links, and only http(s) ones; the rest are
    # the contents' links to the sections.
    hrefs = {a.attrs["href"] for a in document.iter("a") if not a.attrs["href"].startswith("#")}
    assert hrefs == {
        "https://docs.djangoproject.com/en/stable/releases/3.2/",
        "https://docs.djangoproject.com/en/stable/releases/3.1/",
        "https://docs.djangoproject.com/en/stable/releases/2.0/",
        "https://github.com/adamchainz/django-upgrade#django-urls",
    }


def test_contents_link_every_section_with_counts() -> None:
    document = parse(render_html(sample_report()))
    (nav,) = document.iter("nav")
    targets = [a.attrs["href"] for a in nav.iter("a")]
    assert targets == [f"#{s.attrs['id']}" for s in document.iter("section")]
    assert nav.text == (
        "Dependencies (3) · Rewrites (4) · Files (3) · Tests · Warnings (3) · Manual items (2)"
        " · Notes (1) · Commits (2)"
    )


def test_style_has_light_dark_and_print_rules() -> None:
    document = parse(render_html(sample_report()))
    (style,) = document.iter("style")
    css = style.text
    assert "color-scheme: light dark" in css
    assert "@media screen and (prefers-color-scheme: dark)" in css
    assert "@media print" in css
    assert ".hl .k {" in css  # Pygments' token colours


def test_dependency_table_with_reasons() -> None:
    section = parse(render_html(sample_report())).by_id("dependencies")
    rows = [[td.text for td in tr.iter("td")] for tr in section.iter("tr")[1:]]
    assert rows == [
        ["django", "2.2.28", "3.2.25", "the hop's target"],
        [
            "djangorestframework",
            "3.9.4",
            "3.12.4",
            "oldest release supporting Django 3.2 | Python 3.10",
        ],
        ["django-oldthing", "-", "blocked", "no release supports Django 3.2 (newest: 1.0)"],
    ]
    assert "Files changed: requirements.txt" in section.text


def test_rules_with_counts_and_docs_links() -> None:
    section = parse(render_html(sample_report())).by_id("rewrites")
    assert section.iter("h2")[0].text == "Automatic rewrites (4 changes)"
    rows = [[td.text for td in tr.iter("td")] for tr in section.iter("tr")[1:]]
    assert rows[0] == ["django-upgrade:django_urls", "2", "mysite/urls.py, polls/views.py"]
    links = {a.text: a.attrs["href"] for a in section.iter("a")}
    assert links == {
        "django-upgrade:django_urls": "https://github.com/adamchainz/django-upgrade#django-urls",
        "request_is_ajax": "https://docs.djangoproject.com/en/stable/releases/3.1/",
    }


def _diff_rows(details: Element) -> list[tuple[str, str, str, str]]:
    rows = []
    for tr in details.iter("tr"):
        old, new, code = (td.text for td in tr.iter("td"))
        rows.append((tr.attrs["class"], old, new, code))
    return rows


def test_one_collapsible_highlighted_diff_per_file() -> None:
    report = sample_report()
    section = parse(render_html(report)).by_id("files")
    details = section.iter("details")
    assert [d.iter("summary")[0].iter("code")[0].text for d in details] == [
        f.path for f in report.files
    ]
    views = details[2]
    assert "open" in views.attrs
    assert views.iter("summary")[0].text == (
        "polls/views.py+2-2django-upgrade:django_urls, request_is_ajax"
    )
    rows = _diff_rows(views)
    assert rows[:3] == [
        ("meta", "", "", "--- a/polls/views.py"),
        ("meta", "", "", "+++ b/polls/views.py"),
        ("hunk", "", "", "@@ -1,6 +1,6 @@"),
    ]
    assert ("del", "2", "", "-from django.conf.urls import url") in rows
    assert ("add", "", "2", "+from django.urls import re_path") in rows
    assert ("ctx", "7", "7", '         return JsonResponse({"ok": True})') in rows
    # Highlighted: Python keywords carry Pygments' classes.
    keywords = [s.text for s in views.iter("span") if s.attrs.get("class") == "kn"]
    assert keywords.count("import") == 3


def test_a_string_spanning_lines_stays_a_string() -> None:
    section = parse(render_html(sample_report())).by_id("files")
    urls = section.iter("details")[0]
    (line,) = [tr for tr in urls.iter("tr") if "spanning lines" in tr.text]
    assert {s.attrs["class"] for s in line.iter("span")} == {"s2"}


def test_templates_are_highlighted_as_django_templates() -> None:
    section = parse(render_html(sample_report())).by_id("files")
    template = section.iter("details")[1]
    tags = [s.text for s in template.iter("span") if s.attrs.get("class") == "cp"]
    assert "{%" in tags and "{{" in tags


def test_a_huge_diff_keeps_its_colours_but_not_the_language_highlighting() -> None:
    body = "".join(f"-x = {i}\n+y = {i}\n" for i in range(HIGHLIGHT_LINES_LIMIT // 2))
    diff = f"--- a/big.py\n+++ b/big.py\n@@ -1,{HIGHLIGHT_LINES_LIMIT // 2} +1,0 @@\n{body}"
    big = FileDiff("big.py", diff, ("r",), HIGHLIGHT_LINES_LIMIT // 2, HIGHLIGHT_LINES_LIMIT // 2)
    document = parse(render_html(sample_report(files=(big, *sample_report().files))))
    huge, *others = document.by_id("files").iter("details")
    rows = [tr.attrs["class"] for tr in huge.iter("tr")]
    assert rows.count("add") == rows.count("del") == HIGHLIGHT_LINES_LIMIT // 2
    assert huge.iter("table")[0].iter("span") == []  # no token classes
    assert any(s.attrs.get("class") == "kn" for s in others[-1].iter("span"))


def test_many_files_start_closed() -> None:
    files = tuple(
        FileDiff(f"app/m{i}.py", "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n", ("r",), 1, 1)
        for i in range(OPEN_DIFFS_LIMIT + 1)
    )
    section = parse(render_html(sample_report(files=files))).by_id("files")
    details = section.iter("details")
    assert len(details) == OPEN_DIFFS_LIMIT + 1
    assert not [d for d in details if "open" in d.attrs]


def test_hostile_file_names_and_diffs_are_inert() -> None:
    report = sample_report(files=(FileDiff(HOSTILE_PATH, HOSTILE_DIFF, ("x",), 1, 1),))
    html = render_html(report)
    document = parse(html)
    assert document.iter("script") == [] and document.iter("img") == []
    assert "<script>" not in html and "</script>" not in html and "<img" not in html
    (details,) = document.by_id("files").iter("details")
    assert details.iter("summary")[0].iter("code")[0].text == HOSTILE_PATH
    rows = _diff_rows(details)
    assert ("del", "1", "", '-x = "</script><script>alert(1)</script>"') in rows
    assert ("add", "", "1", '+x = "<img src=x onerror=alert(2)>"') in rows


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("javascript:alert(1)", id="javascript URL"),
        pytest.param('https://x" onmouseover="alert(1)', id="attribute break-out"),
        pytest.param("", id="no docs"),
    ],
)
def test_docs_links_are_only_http_and_quoted(url: str) -> None:
    item = ManualItem("x", "a.py", 3, "summary", "suggestion", url)
    rewrite = RewriteCount("rule", 1, ("a.py",), url)
    document = parse(render_html(sample_report(manual=(item,), rewrites=(rewrite,))))
    hrefs = [a.attrs["href"] for a in document.iter("a")]
    assert "javascript:alert(1)" not in hrefs
    for a in document.iter("a"):
        assert set(a.attrs) == {"href"}
    if url.startswith("https://"):
        assert url in hrefs


def test_tests_before_and_after_with_failures_and_log() -> None:
    section = parse(render_html(failing_report())).by_id("tests")
    rows = [[td.text for td in tr.iter("td")] for tr in section.iter("tr")[1:]]
    assert rows == [
        ["before", "2.2", "3.8.18", "42 passed, 1 skipped", "3.2 s"],
        ["after", "3.2", "3.10.14", "40 passed, 2 failed, 1 error", "4.0 s"],
    ]
    assert [h.text for h in section.iter("h3")] == ["Failing after the hop (3)"]
    assert [c.text for c in section.iter("li")] == [
        "polls.tests.QuestionTests.test_ajax",
        "polls.tests.VoteTests.test_vote",
        "polls.tests_api",
    ]
    (details,) = section.iter("details")
    assert "open" in details.attrs  # the developer needs it now
    (log,) = details.iter("pre")
    assert log.text.endswith("```\n</details>\nFAILED (failures=2, errors=1)")


def test_warnings_grouped_by_release_with_locations() -> None:
    section = parse(render_html(sample_report())).by_id("warnings")
    assert [h.text for h in section.iter("h3")] == [
        "Removed in Django 4.0 (1)",
        "Removed in Django 4.1 (1)",
        "Other deprecations (1)",
    ]
    first = [td.text for td in section.iter("tr")[1].iter("td")]
    assert first == [
        "polls/models.py:7",
        "RemovedInDjango40Warning",
        "ugettext_lazy() is deprecated in favor of gettext_lazy().",
        "3",
        "project",
    ]


def test_manual_items_with_locations_and_docs() -> None:
    section = parse(render_html(sample_report())).by_id("manual")
    items = section.iter("li")
    assert [i.iter("code")[0].text for i in items] == ["mysite/urls.py:9", "polls/signals.py:3"]
    assert items[0].iter("strong")[0].text == "include() with a 3-tuple was removed"
    assert items[0].iter("a")[0].attrs["href"] == (
        "https://docs.djangoproject.com/en/stable/releases/2.0/"
    )


def test_notes_and_commits() -> None:
    document = parse(render_html(sample_report()))
    assert document.by_id("notes").iter("li")[0].text == (
        "Python 3.8 -> 3.10: Django 3.2 supports 3.6-3.10."
    )
    rows = [[td.text for td in tr.iter("td")] for tr in document.by_id("commits").iter("tr")[1:]]
    assert rows == [
        ["111111111111", "dependencies", "upgrader: Django 3.2 dependencies"],
        ["222222222222", "rewrites", "upgrader: Django 3.2 rewrites"],
    ]


@pytest.mark.parametrize(
    "report",
    [
        pytest.param(
            sample_report(
                branch=None,
                base_commit=None,
                commits=(),
                notes=(),
                dependencies=(),
                blocked=(),
                dependency_files=(),
                rewrites=(),
                files=(),
                skipped=(),
                tests_before=None,
                tests_after=None,
                warnings=(),
                manual=(),
                release_notes="",
            ),
            id="empty --no-git hop",
        ),
        pytest.param(
            sample_report(files=(FileDiff("data.bin", "Binary files differ\n", (), 0, 0),)),
            id="diff without hunks",
        ),
        pytest.param(
            sample_report(
                files=(
                    FileDiff(
                        "a.py",
                        "@@ -1 +1 @@\r\n-a\r\n+b\r\n\\ No newline at end of file\n",
                        (),
                        1,
                        1,
                    ),
                )
            ),
            id="CRLF diff without headers",
        ),
    ],
)
def test_unusual_reports_still_render_well_formed(report: StepReport) -> None:
    document = parse(render_html(report))
    assert document.by_id("summary")
    assert not re.search(r"\r", render_html(report))


def test_a_green_hop_with_manual_items_open_shows_it_in_title_and_badge() -> None:
    report = sample_report()  # green tests, manual items left
    document = parse(render_html(report))
    (head,) = document.iter("head")
    assert head.iter("title")[0].text == "Django 2.2 → 3.2: manual-items-open · upgrader report"
    summary = document.by_id("summary")
    (badge,) = [e for e in summary.iter("span") if "badge" in e.classes()]
    assert badge.text == "manual-items-open" and "manual-items-open" in badge.classes()
    assert "manual item(s) are open" in summary.text
    assert "upgrader step --continue" in summary.text
    (done,) = [
        e
        for e in parse(render_html(sample_report(manual=()))).by_id("summary").iter("span")
        if "badge" in e.classes()
    ]
    assert done.text == "done"


def _many_files(count: int) -> tuple[FileDiff, ...]:
    folders = ("app", "app/views", "templates/app")
    files = []
    for i in range(count):
        folder = folders[i % len(folders)]
        path = "settings.py" if i == count - 1 else f"{folder}/m{i:03}.py"
        files.append(FileDiff(path, VIEWS_DIFF_SMALL, ("rule-a", "rule-b"), i % 7 + 1, i % 5))
    return tuple(files)


VIEWS_DIFF_SMALL = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"


def test_a_hop_of_300_files_has_an_index_with_sizes_linked_to_closed_diffs() -> None:
    files = _many_files(300)
    document = parse(render_html(sample_report(files=files)))
    section = document.by_id("files")
    details = section.iter("details")
    assert len(details) == 300 and not [d for d in details if "open" in d.attrs]
    assert [d.attrs["id"] for d in details] == [f"file-{n}" for n in range(1, 301)]
    (index,) = [div for div in section.iter("div") if "index" in div.classes()]
    rows = index.iter("tbody")[0].iter("tr")
    assert len(rows) == 300
    first = rows[0].iter("td")
    assert first[0].iter("a")[0].attrs["href"] == "#file-1"
    assert [cell.text for cell in first] == [files[0].path, "+1", "-0", "rule-a, rule-b"]
    last = files[-1]
    assert [cell.text for cell in rows[-1].iter("td")][:3] == [
        "settings.py",
        f"+{last.added}",
        f"-{last.removed}",
    ]
    # The folders, the fullest first, with their counts and sizes.
    folders = [li.text for li in index.iter("li")]
    app = [f for f in files if f.path.startswith("app/m")]
    assert folders[0] == (
        f"app/ {len(app)} files +{sum(f.added for f in app)} -{sum(f.removed for f in app)}"
    )
    assert folders[-1] == f"./ 1 file +{last.added} -{last.removed}"
    assert len(folders) == 4


def test_a_few_files_have_no_index() -> None:
    files = _many_files(OPEN_DIFFS_LIMIT)
    section = parse(render_html(sample_report(files=files))).by_id("files")
    assert not [div for div in section.iter("div") if "index" in div.classes()]
    assert all("open" in d.attrs for d in section.iter("details"))
