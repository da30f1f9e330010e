from __future__ import annotations

import dataclasses

import pytest

from tests.report.helpers import failing_report, sample_report
from upgrader.plan import DependencyChange, ManualItem
from upgrader.report import FileDiff, WarningItem
from upgrader.report.markdown import LIST_LIMIT, WARNINGS_LIMIT, render_markdown


def _section(markdown: str, title: str) -> str:
    """The text of the ``## title...`` section, up to the next ``## ``."""
    start = markdown.index(f"\n## {title}")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_title_and_summary_line() -> None:
    markdown = render_markdown(sample_report(manual=()))
    lines = markdown.splitlines()
    assert lines[0] == "# Django 2.2 → 3.2: done ✅"
    assert lines[2] == (
        "**Django 2.2 → 3.2 on Python 3.8 → 3.10: done; tests 42 passed, 1 skipped → 43 passed**"
    )
    assert "- **Branch:** `upgrade/django-3.2` from `0123456789ab`" in lines
    assert "- **Python:** 3.8 → 3.10" in lines
    assert (
        "- **Release notes:** [Django 3.2](<https://docs.djangoproject.com/en/stable/releases/3.2/>)"
        in lines
    )
    assert "[!WARNING]" not in markdown
    assert markdown.endswith("<sub>Written by upgrader 0.1.0.</sub>\n")


def test_sections_come_in_reading_order() -> None:
    markdown = render_markdown(failing_report())
    titles = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert titles == [
        "## Dependencies",
        "## Automatic rewrites (4 changes)",
        "## Files changed (3, +4 -4)",
        "## Tests",
        "## Remaining deprecation warnings (3)",
        "## Manual items (2)",
        "## Notes",
        "## Commits",
    ]


def test_dependency_table_escapes_pipes_and_lists_blocked_packages() -> None:
    section = _section(render_markdown(sample_report()), "Dependencies")
    assert "| package | before | after | why |" in section
    assert "| django | 2.2.28 | 3.2.25 | the hop's target |" in section
    assert (
        "| djangorestframework | 3.9.4 | 3.12.4 | "
        "oldest release supporting Django 3.2 \\| Python 3.10 |"
    ) in section
    assert (
        "| django-oldthing | - | **blocked** | no release supports Django 3.2 (newest: 1.0) |"
        in (section)
    )
    assert "Files changed: `requirements.txt`" in section


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    report = sample_report(
        dependencies=(DependencyChange("a|b", "1|2", None, "why | not\nmultiline"),),
        files=(FileDiff("odd|name.py", "", ("rule|x",), 0, 0),),
    )
    for line in render_markdown(report).splitlines():
        if line.startswith("|"):
            cells = line.replace("\\|", "").count("|") - 1
            assert cells in (3, 4, 5), line


def test_rules_link_their_docs_and_count_their_changes() -> None:
    section = _section(render_markdown(sample_report()), "Automatic rewrites")
    assert (
        "| [`django-upgrade:django_urls`](<https://github.com/adamchainz/django-upgrade#django-urls>)"
        " | 2 | `mysite/urls.py`, `polls/views.py` |"
    ) in section
    assert "| `template_load_static` | 1 | `polls/templates/polls/index.html` |" in section


def test_files_changed_with_counts_and_rules() -> None:
    section = _section(render_markdown(sample_report()), "Files changed")
    assert "- `polls/views.py` (+2 -2): `django-upgrade:django_urls`, `request_is_ajax`" in section
    assert "- `legacy/latin.py`: not valid utf-8 (byte 12): save it as UTF-8" in section


def test_tests_before_and_after() -> None:
    section = _section(render_markdown(sample_report()), "Tests")
    assert "| before | 2.2 | 3.8.18 | ✅ 42 passed, 1 skipped | 3.2 s |" in section
    assert "| after | 3.2 | 3.10.14 | ✅ 43 passed | 3.5 s |" in section
    assert "Failing" not in section


def test_failing_tests_are_listed_with_the_log_in_an_unbreakable_fence() -> None:
    markdown = render_markdown(failing_report())
    assert "> [!WARNING]" in markdown
    assert "`upgrader step --continue`" in markdown
    section = _section(markdown, "Tests")
    assert "| after | 3.2 | 3.10.14 | ❌ 40 passed, 2 failed, 1 error | 4.0 s |" in section
    assert "### Failing after the hop (3)" in section
    assert "- `polls.tests.VoteTests.test_vote`" in section
    assert "Full log: `.upgrader/logs/django32-2.log`" in section
    assert "<details><summary>Last lines of the log</summary>" in section
    # The log holds "```": the fence must be longer, and the log is kept verbatim.
    assert "````text\n" in section
    assert "AssertionError: 404 != 200 | \n```\n</details>\nFAILED" in section


def test_warnings_grouped_by_the_release_that_removes_them() -> None:
    section = _section(render_markdown(sample_report()), "Remaining deprecation warnings")
    lines = section.splitlines()
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### Removed in Django 4.0 (1)",
        "### Removed in Django 4.1 (1)",
        "### Other deprecations (1)",
    ]
    assert (
        "- `polls/models.py:7` `RemovedInDjango40Warning`: "
        "ugettext_lazy() is deprecated in favor of gettext_lazy(). (3 times)"
    ) in lines
    assert (
        "- `rest_framework/fields.py:30` `DeprecationWarning`: "
        "distutils Version classes are deprecated. _third-party_"
    ) in lines


def test_a_warning_the_plan_knew_names_its_catalogue_entry() -> None:
    report = sample_report()
    known = dataclasses.replace(report.warnings[0], catalogue_id="ugettext")
    markdown = render_markdown(dataclasses.replace(report, warnings=(known, *report.warnings[1:])))
    section = _section(markdown, "Remaining deprecation warnings")
    assert "(known to the plan: `ugettext`)" in section
    assert section.count("known to the plan") == 1


def test_manual_items_are_a_task_list_with_locations_and_docs() -> None:
    section = _section(render_markdown(sample_report()), "Manual items")
    assert (
        "- [ ] `mysite/urls.py:9` **include() with a 3-tuple was removed**: "
        "Pass (patterns, app_name) and set namespace= "
        "([docs](<https://docs.djangoproject.com/en/stable/releases/2.0/>))"
    ) in section


def test_commits_list_the_first_line_of_each_message() -> None:
    section = _section(render_markdown(sample_report()), "Commits")
    assert "1. `111111111111` dependencies: upgrader: Django 3.2 dependencies" in section
    assert "2. `222222222222` rewrites: upgrader: Django 3.2 rewrites" in section
    assert "django-upgrade, codemods, pyupgrade" not in section


@pytest.mark.parametrize(
    ("changes", "absent"),
    [
        pytest.param({"notes": ()}, "## Notes", id="no notes"),
        pytest.param({"commits": ()}, "## Commits", id="no commits"),
        pytest.param({"branch": None, "base_commit": None}, "**Branch:**", id="--no-git"),
    ],
)
def test_empty_parts_are_left_out(changes: dict[str, object], absent: str) -> None:
    assert absent not in render_markdown(sample_report(**changes))


def test_empty_lists_say_none() -> None:
    markdown = render_markdown(
        sample_report(
            dependencies=(), blocked=(), rewrites=(), files=(), skipped=(), warnings=(), manual=()
        )
    )
    assert "No dependency changes." in _section(markdown, "Dependencies")
    for title in ("Automatic rewrites", "Files changed", "Remaining deprecation", "Manual items"):
        assert "None." in _section(markdown, title), title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("use `gettext`", "`` use `gettext` ``", id="backticks in code"),
        pytest.param("a<script>b", "`a<script>b`", id="html inside code is literal"),
    ],
)
def test_user_text_in_code_spans(text: str, expected: str) -> None:
    report = sample_report(files=(FileDiff(text, "", (), 0, 0),))
    assert f"- {expected} (+0 -0)" in render_markdown(report)


def test_free_text_cannot_inject_html_or_links() -> None:
    warning = WarningItem(
        "a.py", 1, "DeprecationWarning", "<img src=x onerror=alert(1)>", "project", None
    )
    item = ManualItem("x", "a.py", 1, "<b>bold</b>", "do it", "javascript:alert(1)")
    markdown = render_markdown(sample_report(warnings=(warning,), manual=(item,)))
    assert "<img" not in markdown
    assert "&lt;img src=x onerror=alert(1)>" in markdown
    assert "&lt;b>bold&lt;/b>" in markdown
    assert "javascript:" not in markdown


def test_long_lists_stop_and_point_to_the_html_report() -> None:
    files = tuple(FileDiff(f"app/m{i:03}.py", "", ("r",), 1, 1) for i in range(LIST_LIMIT + 7))
    warnings = tuple(
        WarningItem(f"app/m{i:03}.py", 1, "RemovedInDjango40Warning", "m", "project", "4.0")
        for i in range(WARNINGS_LIMIT + 1)
    )
    markdown = render_markdown(sample_report(files=files, warnings=warnings))
    listed = [line for line in _section(markdown, "Files changed").splitlines() if "app/m" in line]
    assert len(listed) == LIST_LIMIT
    assert "- … and 7 more (all of them: report.html)" in markdown
    assert "- … and 1 more (all of them: report.html)" in markdown
    count = LIST_LIMIT + 7
    assert f"## Files changed ({count}, +{count} -{count})" in markdown


def test_a_large_hop_still_fits_a_pull_request_description() -> None:
    long = "x" * 120
    files = tuple(FileDiff(f"app/{long}{i}.py", "", ("rule",), 1, 1) for i in range(500))
    warnings = tuple(
        WarningItem(f"app/{long}{i}.py", i, f"RemovedInDjango{v}Warning", long, "project", release)
        for v, release in (("40", "4.0"), ("41", "4.1"), ("50", "5.0"), ("51", "5.1"))
        for i in range(300)
    )
    report = failing_report()
    assert report.tests_after is not None
    tests = dataclasses.replace(
        report.tests_after,
        failures=tuple(f"tests.{long}{i}" for i in range(500)),
        log_excerpt="\n".join(long for _ in range(160)),
    )
    markdown = render_markdown(
        dataclasses.replace(report, files=files, warnings=warnings, tests_after=tests)
    )
    assert len(markdown) < 65_536


def test_a_green_hop_with_manual_items_open_is_not_done() -> None:
    report = sample_report()  # green tests, manual items left
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert lines[0] == "# Django 2.2 → 3.2: manual-items-open ⚠️"
    assert "done" not in lines[0] and ": manual-items-open;" in lines[2]
    assert f"> {len(report.manual)} manual item(s) are open" in markdown
    assert "`upgrader step --continue`" in markdown
