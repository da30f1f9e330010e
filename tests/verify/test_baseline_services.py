"""A red baseline whose failures are one missing service's connection error (F16)."""

from __future__ import annotations

import pytest

from upgrader.verify.baseline import service_outage

# Django's runner on djangogirls' baseline (PostgreSQL on localhost:5432, not running).
DJANGO_RUNNER = """\
ERROR: test_event_page (core.tests.test_views.EventPageTest{n})
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/w/.upgrader/cache/tox/django22/lib/python3.7/site-packages/django/db/backends/base/base.py", line 217, in ensure_connection
    self.connect()
  File "/w/.upgrader/cache/tox/django22/lib/python3.7/site-packages/psycopg2/__init__.py", line 127, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
psycopg2.OperationalError: could not connect to server: Connection refused
\tIs the server running on host "localhost" (127.0.0.1) and accepting
\tTCP/IP connections on port 5432?


The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/w/.upgrader/cache/tox/django22/lib/python3.7/site-packages/django/test/testcases.py", line 1123, in setUpClass
    cls.cls_atomics = cls._enter_atomics()
django.db.utils.OperationalError: could not connect to server: Connection refused
\tIs the server running on host "localhost" (127.0.0.1) and accepting
\tTCP/IP connections on port 5432?

"""

# pytest 3.x with pytest-django: the error at set-up, then the short summary line.
PYTEST_MYSQL = """\
_________________ ERROR at setup of test_list[{n}] _________________
    def connect(self):
>       self.connection = self.get_new_connection(conn_params)
E   django.db.utils.OperationalError: (2002, "Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)")
"""
PYTEST_MYSQL_SUMMARY = (
    "ERROR shop/tests.py::test_list[{n}] - django.db.utils.OperationalError: (2002, \"Can't "
    "connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)\")\n"
)
REDIS = (
    "E   redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. "
    "Connection refused.\n"
)
ASSERTION = "AssertionError: 2 != 3\n"
CI_NOTE = (
    "the project's CI runs a postgres service (postgres:10.8 on 5432:5432): its tests need "
    "PostgreSQL running, and nothing here starts it; start one, or point the settings at one"
)


def test_every_failure_a_refused_postgresql_connection_names_the_service_and_the_ci() -> None:
    log = "".join(DJANGO_RUNNER.format(n=n) for n in range(177))
    log += "Ran 180 tests in 2.104s\n\nFAILED (errors=177, skipped=3)\n"
    outage = service_outage(log, 177, ["something else", CI_NOTE])
    assert outage is not None
    assert (outage.key, outage.what, outage.port, outage.errors) == (
        "postgres",
        "PostgreSQL",
        5432,
        354,
    )
    assert outage.ci == "postgres:10.8 on 5432:5432"
    assert "177 failing test(s) fail to connect to PostgreSQL on port 5432" in outage.message
    assert "psycopg2.OperationalError: could not connect to server" in outage.message
    assert "Start PostgreSQL (the project's CI runs postgres:10.8 on 5432:5432)" in outage.hint
    assert 'DATABASE_URL = "postgres://' in outage.hint


def test_pytest_output_with_mysql_down() -> None:
    log = "".join(PYTEST_MYSQL.format(n=n) for n in range(8))
    log += "".join(PYTEST_MYSQL_SUMMARY.format(n=n) for n in range(8))
    outage = service_outage(log, 8)
    assert outage is not None and (outage.key, outage.port, outage.ci) == ("mysql", 3306, None)


def test_redis_refused() -> None:
    outage = service_outage(REDIS * 5, 5)
    assert outage is not None and (outage.what, outage.port) == ("Redis", 6379)
    assert "DATABASE_URL" not in outage.hint


@pytest.mark.parametrize(
    ("log", "failing"),
    [
        pytest.param(REDIS * 4, 4, id="fewer-than-five-failures"),
        pytest.param(REDIS * 8 + ASSERTION * 2, 10, id="only-80-percent"),
        pytest.param(REDIS * 5, 10, id="half-the-failing-tests-say-nothing"),
        pytest.param(ASSERTION * 10, 10, id="the-projects-own-failures"),
        pytest.param("", 10, id="no-log"),
    ],
)
def test_failures_of_the_project_itself_are_no_outage(log: str, failing: int) -> None:
    assert service_outage(log, failing) is None


def test_nine_in_ten_is_enough() -> None:
    assert service_outage(REDIS * 9 + ASSERTION, 10) is not None
