"""A realistic StepReport to render (several files, failing tests, warnings, manual items), and\na strict HTML tree builder to check what the renderings hold."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from upgrader.plan import BlockedPackage, DependencyChange, ManualItem, RewriteCount, SkippedFile
from upgrader.report import (
    DONE,
    NEEDS_ATTENTION,
    FileDiff,
    PhaseCommit,
    StepReport,
    TestSummary,
    WarningItem,
)

VIEWS_DIFF = """\
--- a/polls/views.py
+++ b/polls/views.py
@@ -1,6 +1,6 @@
 from django.http import JsonResponse
-from django.conf.urls import url
+from django.urls import re_path
\x20
\x20
 def index(request):
-    if request.is_ajax():
+    if request.headers.get("x-requested-with") == "XMLHttpRequest":
         return JsonResponse({"ok": True})
"""

URLS_DIFF = """\
--- a/mysite/urls.py
+++ b/mysite/urls.py
@@ -3,5 +3,5 @@
 DOC = \"\"\"A docstring
 spanning lines\"\"\"
 urlpatterns = [
-    url(r"^polls/", include("polls.urls")),
+    re_path(r"^polls/", include("polls.urls")),
 ]
"""

TEMPLATE_DIFF = """\
--- a/polls/templates/polls/index.html
+++ b/polls/templates/polls/index.html
@@ -1,3 +1,3 @@
-{% load staticfiles %}
+{% load static %}
 <h1>{{ question.text }}</h1>
 {% if items|length > 0 %}<ul></ul>{% endif %}
"""

# A diff whose text tries to break out of the page.
HOSTILE_DIFF = """\
--- a/evil/</script><script>alert(1)</script>.py
+++ b/evil/</script><script>alert(1)</script>.py
@@ -1 +1 @@
-x = "</script><script>alert(1)</script>"
+x = "<img src=x onerror=alert(2)>"
"""
HOSTILE_PATH = "evil/</script><script>alert(1)</script>.py"


def sample_report(**changes: Any) -> StepReport:
    report = StepReport(
        tool="0.1.0",
        project="/home/dev/mysite",
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.10",
        branch="upgrade/django-3.2",
        base_commit="0123456789abcdef0123456789abcdef01234567",
        commits=(
            PhaseCommit(
                "dependencies",
                "1111111111111111111111111111111111111111",
                "upgrader: Django 3.2 dependencies",
            ),
            PhaseCommit(
                "rewrites",
                "2222222222222222222222222222222222222222",
                "upgrader: Django 3.2 rewrites\n\ndjango-upgrade, codemods, pyupgrade",
            ),
        ),
        started="2026-11-21T11:00:00+00:00",
        finished="2026-11-21T11:04:30+00:00",
        status=DONE,
        release_notes="https://docs.djangoproject.com/en/stable/releases/3.2/",
        dependencies=(
            DependencyChange("django", "2.2.28", "3.2.25", "the hop's target"),
            DependencyChange(
                "djangorestframework",
                "3.9.4",
                "3.12.4",
                "oldest release supporting Django 3.2 | Python 3.10",
            ),
        ),
        blocked=(BlockedPackage("django-oldthing", "no release supports Django 3.2", "1.0"),),
        dependency_files=("requirements.txt",),
        rewrites=(
            RewriteCount(
                "django-upgrade:django_urls",
                2,
                ("mysite/urls.py", "polls/views.py"),
                "https://github.com/adamchainz/django-upgrade#django-urls",
            ),
            RewriteCount(
                "request_is_ajax",
                1,
                ("polls/views.py",),
                "https://docs.djangoproject.com/en/stable/releases/3.1/",
            ),
            RewriteCount("template_load_static", 1, ("polls/templates/polls/index.html",), ""),
        ),
        files=(
            FileDiff("mysite/urls.py", URLS_DIFF, ("django-upgrade:django_urls",), 1, 1),
            FileDiff(
                "polls/templates/polls/index.html", TEMPLATE_DIFF, ("template_load_static",), 1, 1
            ),
            FileDiff(
                "polls/views.py",
                VIEWS_DIFF,
                ("django-upgrade:django_urls", "request_is_ajax"),
                2,
                2,
            ),
        ),
        skipped=(SkippedFile("legacy/latin.py", "not valid utf-8 (byte 12): save it as UTF-8"),),
        tests_before=TestSummary(
            stage="2.2",
            python="3.8.18",
            command=("python", "manage.py", "test"),
            passed=42,
            failed=0,
            errors=0,
            skipped=1,
            duration=3.25,
            failures=(),
            log=".upgrader/logs/django22-1.log",
        ),
        tests_after=TestSummary(
            stage="3.2",
            python="3.10.14",
            command=("python", "manage.py", "test"),
            passed=43,
            failed=0,
            errors=0,
            skipped=0,
            duration=3.5,
            failures=(),
            log=".upgrader/logs/django32-1.log",
        ),
        warnings=(
            WarningItem(
                "polls/models.py",
                7,
                "RemovedInDjango40Warning",
                "ugettext_lazy() is deprecated in favor of gettext_lazy().",
                "project",
                "4.0",
                3,
            ),
            WarningItem(
                "polls/forms.py",
                12,
                "RemovedInDjango41Warning",
                "'default_app_config' is deprecated.",
                "project",
                "4.1",
            ),
            WarningItem(
                "rest_framework/fields.py",
                30,
                "DeprecationWarning",
                "distutils Version classes are deprecated.",
                "third-party",
                None,
            ),
        ),
        manual=(
            ManualItem(
                "url_include_namespace",
                "mysite/urls.py",
                9,
                "include() with a 3-tuple was removed",
                "Pass (patterns, app_name) and set namespace=",
                "https://docs.djangoproject.com/en/stable/releases/2.0/",
                "2.0",
            ),
            ManualItem(
                "signal_providing_args",
                "polls/signals.py",
                3,
                "Signal(providing_args=) is deprecated",
                "Drop the argument; document the arguments instead",
                "https://docs.djangoproject.com/en/stable/releases/3.1/",
                "4.0",
            ),
        ),
        notes=("Python 3.8 -> 3.10: Django 3.2 supports 3.6-3.10.",),
    )
    return dataclasses.replace(report, **changes)


def failing_report() -> StepReport:
    after = TestSummary(
        stage="3.2",
        python="3.10.14",
        command=("python", "manage.py", "test"),
        passed=40,
        failed=2,
        errors=1,
        skipped=0,
        duration=4.0,
        failures=(
            "polls.tests.QuestionTests.test_ajax",
            "polls.tests.VoteTests.test_vote",
            "polls.tests_api",
        ),
        log=".upgrader/logs/django32-2.log",
        exit_code=1,
        log_excerpt='Traceback (most recent call last):\n  File "polls/tests.py", line 9\n'
        "AssertionError: 404 != 200 | \n```\n</details>\nFAILED (failures=2, errors=1)",
    )
    return sample_report(status=NEEDS_ATTENTION, tests_after=after)


VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> list[Element]:
        found = [self] if tag is None or self.tag == tag else []
        for child in self.children:
            found += child.iter(tag)
        return found

    def by_id(self, ident: str) -> Element:
        (element,) = [e for e in self.iter() if e.attrs.get("id") == ident]
        return element

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class TreeBuilder(HTMLParser):
    """A strict tree: every element closed in order (void elements excepted)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        open_tag = self.stack.pop().tag
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], [e.tag for e in builder.stack]
    assert builder.declarations == ["DOCTYPE html"]
    (document,) = builder.root.children
    return document
