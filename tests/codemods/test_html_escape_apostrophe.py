"""html_escape_apostrophe: &#39; -> &#x27; in test assertions, on the hop that crosses 3.0."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "html_escape_apostrophe"
TESTS = "app/tests/test_mail.py"


def hop(filename: str = TESTS, django_from: str = "2.2", django_to: str = "3.2") -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename=filename)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class T(TestCase):\n"
            "    def test_it(self):\n"
            "        self.assertEqual(\n"
            "            email.subject,  # the invitation\n"
            "            'You have been invited to join Alice&#39;s Project',\n"
            "        )\n",
            "class T(TestCase):\n"
            "    def test_it(self):\n"
            "        self.assertEqual(\n"
            "            email.subject,  # the invitation\n"
            "            'You have been invited to join Alice&#x27;s Project',\n"
            "        )\n",
            id="assertEqual keeps layout and comment",
        ),
        pytest.param(
            'assert b"Bob&#39;s &#39;x&#39;" in response.content\n',
            'assert b"Bob&#x27;s &#x27;x&#x27;" in response.content\n',
            id="bytes in assert statement, every occurrence",
        ),
        pytest.param(
            "self.assertContains(r, f'{name}&#39;s page', html=True)\n",
            "self.assertContains(r, f'{name}&#x27;s page', html=True)\n",
            id="f-string",
        ),
        pytest.param(
            "assertInHTML('<b>it&#39;s</b>', html)\n",
            "assertInHTML('<b>it&#x27;s</b>', html)\n",
            id="bare assertion helper",
        ),
        pytest.param(
            "self.assertIn(\n    'a&#39;' 'b&#39;',\n    out)\n",
            "self.assertIn(\n    'a&#x27;' 'b&#x27;',\n    out)\n",
            id="implicit concatenation",
        ),
        pytest.param(
            "class ProjectTestCase(TestCase):\n"
            "    def test_it_adds_team_member(self):\n"
            "        subj = (\n"
            '            "You have been invited to join"\n'
            '            " Alice&#39;s Project on %s" % settings.SITE_NAME\n'
            "        )\n"
            "        self.assertEqual(mail.outbox[0].subject, subj)\n",
            "class ProjectTestCase(TestCase):\n"
            "    def test_it_adds_team_member(self):\n"
            "        subj = (\n"
            '            "You have been invited to join"\n'
            '            " Alice&#x27;s Project on %s" % settings.SITE_NAME\n'
            "        )\n"
            "        self.assertEqual(mail.outbox[0].subject, subj)\n",
            id="a local only assertions read (healthchecks at 87b2320, F25)",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "expected = 'Alice&#39;s'\nself.assertEqual(s, expected)\n", id="outside assertion"
        ),
        pytest.param(
            "def test_it(self):\n    expected = 'Alice&#39;s'\n    send(expected)\n"
            "    self.assertEqual(s, expected)\n",
            id="a local also used outside an assertion",
        ),
        pytest.param(
            "def test_it(self):\n    expected = 'Alice&#39;s'\n    expected = expected.upper()\n"
            "    self.assertEqual(s, expected)\n",
            id="a local assigned twice",
        ),
        pytest.param(
            "def test_it(self, expected='A&#39;s'):\n    self.assertEqual(s, expected)\n",
            id="a parameter's default",
        ),
        pytest.param("self.assertEqual(s, 'Alice&#x27;s')\n", id="already new"),
        pytest.param("self.client.post('/', {'n': 'A&#39;s'})\n", id="not an assertion"),
        pytest.param(
            "import jinja2\nassert env.render() == 'it&#39;s'\n", id="jinja2 escapes with &#39;"
        ),
        pytest.param(
            "from markupsafe import escape\nassert escape(\"'\") == '&#39;'\n", id="markupsafe"
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


def test_only_in_test_files() -> None:
    source = "assert render() == 'it&#39;s'\n"
    check_noop(RULE, source, hop(filename="app/views.py"))
    for name in ("tests.py", "app/test_views.py", "app/tests/views.py", "app/views_tests.py"):
        check_transformed(RULE, source, "assert render() == 'it&#x27;s'\n", hop(filename=name))


def test_version_gate() -> None:
    source = "self.assertEqual(s, 'it&#39;s')\n"
    check_noop(RULE, source, hop(django_from="2.1", django_to="2.2"))  # before 3.0
    check_noop(RULE, source, hop(django_from="3.2", django_to="4.2"))  # green on 3.x already
    check_transformed(RULE, source, "self.assertEqual(s, 'it&#x27;s')\n", hop(django_to="3.0"))


# --- parametrize tables (FINDINGS F20: pretalx's review_score test) ----------------------------

TABLE = (
    "import pytest\n\n\n"
    "@pytest.mark.parametrize(\n"
    '    "score,expected",\n'
    "    (\n"
    "        (3, '<span title=\"&#39;great&#39;\">3/3</span>'),\n"
    "        pytest.param(1.5, '<span title=\"&#39;okay&#39;\">1.5/3</span>', id='half'),\n"
    '        (None, "x"),\n'
    "    ),\n"
    ")\n"
    "def test_review_score(score, expected, context):\n"
    "    assert review_score(context, score) == expected\n"
)


def test_a_parametrize_table_the_assertions_compare_is_rewritten() -> None:
    check_transformed(RULE, TABLE, TABLE.replace("&#39;", "&#x27;"), hop("tests/test_tags.py"))


@pytest.mark.parametrize(
    "source",
    [
        # the column is an input too: it is printed outside the assertion
        TABLE.replace("    assert review_score", "    print(expected)\n    assert review_score"),
        # the column with &#39; is the input the test renders, not what it compares with
        TABLE.replace(
            "    assert review_score(context, score) == expected\n",
            "    html = render(expected)\n    assert html == score\n",
        ),
        # the parameter is reassigned before the assertion
        TABLE.replace("    assert review_score", "    expected = x\n    assert review_score"),
        # a row the rule cannot read
        TABLE.replace('        (None, "x"),\n', "        *MORE,\n"),
    ],
)
def test_a_parametrize_table_that_is_not_only_compared_is_left(source: str) -> None:
    check_noop(RULE, source, hop("tests/test_tags.py"))
