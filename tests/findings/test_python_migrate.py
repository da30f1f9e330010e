"""FINDINGS F73: ``test-db-no-migrations-table``: a test running ``migrate`` inside its
transaction, on a test database built without migrations (no ``django_migrations`` table from
Django 4.1 on), is an item, judged on the whole project; and the simple-history 4.2 look-alike
of ``assert-queryset-equal-repr`` (a transform given as the third positional argument)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.findings import scan_project, scan_source
from upgrader.findings.python_migrate import disabled_at
from upgrader.hops import hop_path
from upgrader.plan.stages import hop_findings

ID = "test-db-no-migrations-table"
# django-simple-history 2.8's simple_history/registry_tests/tests.py (its TestMigrate).
REGISTRY_TESTS = """\
from io import StringIO

from django.core import management
from django.test import TestCase, override_settings


@override_settings(MIGRATION_MODULES={})
class TestMigrate(TestCase):
    def test_makemigration_command(self):
        management.call_command("makemigrations", "migration_test_app", stdout=StringIO())

    def test_migrate_command(self):
        management.call_command("migrate", "migration_test_app", fake=True, stdout=StringIO())
"""
MIGRATE_LINE = 13
# its runtests.py: every app's migrations disabled for the test database
RUNTESTS = """\
from django.conf import settings


class DisableMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


DEFAULT_SETTINGS = dict(
    INSTALLED_APPS=["app"],
    MIGRATION_MODULES=DisableMigrations(),
)
settings.configure(**DEFAULT_SETTINGS)
"""
RUNTESTS_LINE = 14


def hits(source: str, filename: str = "app/tests.py") -> list[int]:
    return [f.line for f in scan_source(textwrap.dedent(source), filename) if f.id == ID]


def test_migrate_in_a_test_case_is_a_hit_in_its_file() -> None:
    assert hits(REGISTRY_TESTS) == [MIGRATE_LINE]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.core.management import call_command\nimport django.test\n"
            "class T(django.test.TestCase):\n    def test(self):\n        call_command('migrate')\n",
            id="from-import-and-dotted-base",
        ),
        pytest.param(
            "import pytest\nfrom django.core.management import call_command\n"
            "@pytest.mark.django_db\ndef test_it():\n    call_command('migrate', 'app')\n",
            id="pytest-django-db",
        ),
        pytest.param(
            "import pytest\nfrom django.core.management import call_command\n"
            "@pytest.mark.django_db(transaction=False)\ndef test_it():\n"
            "    call_command('migrate', 'app')\n",
            id="pytest-django-db-transaction-false",
        ),
    ],
)
def test_other_shapes_in_a_transaction(source: str) -> None:
    assert len(hits(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        # outside a transaction: Django's TransactionTestCase, upstream's fix (0c749b4)
        REGISTRY_TESTS.replace("TestCase, override", "TransactionTestCase, override").replace(
            "(TestCase)", "(TransactionTestCase)"
        ),
        "import pytest\nfrom django.core.management import call_command\n"
        "@pytest.mark.django_db(transaction=True)\ndef test_it():\n    call_command('migrate')\n",
        # another command; a call_command that is not Django's
        REGISTRY_TESTS.replace('"migrate", "migration_test_app", fake=True', '"check"'),
        "from django.test import TestCase\nfrom tools import call_command\n"
        "class T(TestCase):\n    def test(self):\n        call_command('migrate')\n",
        # not a test: a management command running migrate
        "from django.core.management import call_command\n"
        "def handle():\n    call_command('migrate')\n",
    ],
)
def test_look_alikes_are_no_hit(source: str) -> None:
    assert hits(source) == []


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("runtests.py", RUNTESTS, RUNTESTS_LINE),
        ("proj/test_settings.py", "MIGRATION_MODULES = DisableMigrations()\n", 1),
        (
            "proj/test_settings.py",
            "from x import apps\nMIGRATION_MODULES = {a: None for a in apps}\n",
            2,
        ),
        (
            "proj/test_settings.py",
            "DATABASES = {'default': {'ENGINE': 'x', 'TEST': {\n    'MIGRATE': False}}}\n",
            2,
        ),
        ("pytest.ini", "[pytest]\naddopts = --reuse-db\n    --nomigrations\n", 3),
        ("tox.ini", "[testenv]\ncommands = pytest --no-migrations {posargs}\n", 2),
    ],
)
def test_where_the_test_database_is_built_without_migrations(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    assert disabled_at(tmp_path, [path]) == f"{name}:{line}"


@pytest.mark.parametrize(
    "text",
    [
        # some apps only: the others' migrations still make django_migrations
        "MIGRATION_MODULES = {'app': None}\n",
        "MIGRATION_MODULES = dict(app='app.db_migrations')\n",
        "DATABASES = {'default': {'TEST': {'MIGRATE': True}}}\n",
    ],
)
def test_migrations_kept_for_the_test_database(tmp_path: Path, text: str) -> None:
    path = tmp_path / "proj" / "settings.py"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert disabled_at(tmp_path, [path]) is None


def test_the_item_is_judged_on_the_whole_project(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "proj/__init__.py": "",
        "proj/settings.py": SETTINGS,
        "app/__init__.py": "",
        "app/tests.py": REGISTRY_TESTS,
    }
    kept = make_project(tmp_path / "kept", files)
    assert [f for f in scan_project(kept).findings if f.id == ID] == []  # migrations kept

    project = make_project(tmp_path / "disabled", {**files, "runtests.py": RUNTESTS})
    [finding] = [f for f in scan_project(project).findings if f.id == ID]
    assert (finding.file, finding.line) == ("app/tests.py", MIGRATE_LINE)
    assert f"built without migrations (runtests.py:{RUNTESTS_LINE})" in finding.message


def test_the_plan_lists_it_on_the_hop_crossing_4_1_only(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "proj/__init__.py": "",
        "proj/settings.py": SETTINGS,
        "app/__init__.py": "",
        "app/tests.py": REGISTRY_TESTS,
        "runtests.py": RUNTESTS,
    }
    project = make_project(tmp_path, files)
    ids = {}
    for hop in hop_path(project.django_version, "3.8", to="4.2", via="lts"):
        found, _ = hop_findings(project, hop)
        ids[hop.target.name] = {f.id for f in found.breaking}
    assert ID not in ids["3.2"] and ID in ids["4.2"], ids


@pytest.mark.parametrize(
    ("call", "items"),
    [
        # simple-history's test_manager.py after django-upgrade's rename at 4.2: a transform
        # given positionally compares the strings it makes, as meant
        ("self.assertQuerySetEqual(qs, ['Question 1'], attrgetter('question'))", []),
        ("self.assertQuerySetEqual(qs, ['<Poll: 1>'])", ["assert-queryset-equal-repr"]),
    ],
)
def test_a_positional_transform_is_a_transform(call: str, items: list[str]) -> None:
    source = f"class T(TestCase):\n    def test(self):\n        {call}\n"
    found = [f.id for f in scan_source(source, "app/tests.py")]
    assert [i for i in found if i == "assert-queryset-equal-repr"] == items
