"""The baseline: the tests that already fail before the first hop, and what a later run may not add.

Before the first hop the project's current stage must be green. When it is not, the user either
fixes it or accepts the failing tests (``--accept-failing``): they are recorded as a ``Baseline``,
and every later stage is judged against it: a hop may keep those failures (or fix them) but may
not add a failing test. Test ids are compared as the parsers write them, which is the same on
every Python (see ``upgrader.verify.parse``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from upgrader.errors import StateError, VerifyError
from upgrader.verify.run import TestRun


class TestsFailedError(VerifyError):
    """A stage's tests ran and failed beyond what the baseline accepts."""

    __test__ = False  # not a pytest test class, despite the name
    exit_code = 1


@dataclass(frozen=True)
class Baseline:
    """Failing test ids accepted on ``stage`` (the project's Django before the first hop)."""

    stage: str
    failing: frozenset[str]
    log: str = ""  # the run that recorded them

    @classmethod
    def from_run(cls, run: TestRun) -> Baseline:
        return cls(run.stage, frozenset(run.failing), str(run.log))

    def to_json(self) -> dict[str, object]:
        return {"stage": self.stage, "failing": sorted(self.failing), "log": self.log}

    @classmethod
    def from_json(cls, data: object) -> Baseline:
        """The baseline saved by ``to_json``; a ``StateError`` naming what is wrong otherwise."""
        if not isinstance(data, Mapping):
            raise _malformed(f"it holds {type(data).__name__}, not an object")
        stage = data.get("stage")
        if not isinstance(stage, str) or not stage:
            raise _malformed(f"'stage' is {stage!r}, not a Django version such as \"2.2\"")
        failing = data.get("failing", [])
        if not isinstance(failing, list) or not all(isinstance(t, str) for t in failing):
            raise _malformed(f"'failing' is {failing!r}, not a list of test ids")
        log = data.get("log", "")
        if not isinstance(log, str):
            raise _malformed(f"'log' is {log!r}, not a path")
        return cls(stage, frozenset(failing), log)


def _malformed(why: str) -> StateError:
    return StateError(
        f"the saved baseline (.upgrader/baseline.json) is malformed: {why}",
        hint="Delete .upgrader/baseline.json and run `upgrader verify --accept-failing` to "
        "record it again.",
    )


def new_failures(baseline: Baseline | None, run: TestRun) -> tuple[str, ...]:
    """The tests failing in ``run`` that the baseline did not accept (all of them without one)."""
    accepted = baseline.failing if baseline is not None else frozenset()
    return tuple(test for test in run.failing if test not in accepted)


def passes(run: TestRun, baseline: Baseline | None = None) -> bool:
    """Green, or failing only tests the baseline accepts.

    A run that exits non-zero with no failing test id (e.g. pytest's "no tests ran") never passes.
    """
    return not new_failures(baseline, run) and (run.green or bool(run.failing))


def fixed_since(baseline: Baseline, run: TestRun) -> tuple[str, ...]:
    """Accepted failures that pass now (worth telling: the baseline can shrink)."""
    return tuple(sorted(baseline.failing - set(run.failing)))


def _listing(tests: tuple[str, ...], limit: int = 20) -> str:
    shown = "\n".join(f"  {test}" for test in tests[:limit])
    more = len(tests) - limit
    return shown + (f"\n  ... and {more} more" if more > 0 else "")


def check_run(run: TestRun, baseline: Baseline | None = None) -> None:
    """Raise ``TestsFailedError``, listing what failed, unless the run ``passes``."""
    if passes(run, baseline):
        return
    added = new_failures(baseline, run)
    if added:
        what = "new failing tests" if baseline is not None else "failing tests"
        hint = (
            "Fix them, or accept the current failures with --accept-failing (a later hop may "
            "not add any)."
            if baseline is None
            else "A hop may not add failures: fix these before continuing."
        )
        raise TestsFailedError(
            f"Django {run.stage}: {len(added)} {what} (log: {run.log}):\n{_listing(added)}",
            hint=hint,
            path=run.log,
        )
    raise TestsFailedError(
        f"Django {run.stage}: the test command exited with code {run.exit_code} (log: {run.log})",
        hint="Read the end of the log.",
        path=run.log,
    )


# --- a red baseline that only says a service is down (F16) -----------------------------------

# The services tests reach, by the port they listen on: (key, what the user starts).
SERVICE_PORTS: dict[int, tuple[str, str]] = {
    5432: ("postgres", "PostgreSQL"),
    3306: ("mysql", "MySQL"),
    6379: ("redis", "Redis"),
    11211: ("memcached", "memcached"),
    5672: ("rabbitmq", "RabbitMQ"),
    9200: ("elasticsearch", "Elasticsearch"),
    27017: ("mongodb", "MongoDB"),
}
# A database or service client's "cannot reach the server", and the service it implies when the
# text names no port: psycopg2/psycopg, MySQLdb/PyMySQL, redis-py, kombu/amqp, plain sockets.
_CONNECTION = (
    (re.compile(r"could not connect to server|connection to server at .* failed"), 5432),
    (re.compile(r"Can't connect to (?:local )?MySQL server"), 3306),
    (re.compile(r"Error \d+ connecting to [\w.\-]+:\d+"), 6379),
    (re.compile(r"Connection refused|ECONNREFUSED"), None),
)
# The last line of a traceback as the runners print it: "django.db.utils.OperationalError: …",
# pytest's "E   redis.exceptions.ConnectionError: …" and its summary "ERROR id - X: …".
_EXCEPTION = re.compile(
    r"^(?:E\s+|(?:ERROR|FAILED)\s+\S+\s+-\s+)?"
    r"(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Refused|Failure)):(?:\s(?P<message>.*))?$"
)
_PORT = re.compile(r"\bport (\d{2,5})\b|[\w\]]:(\d{2,5})\b")
_CI_SERVICE = re.compile(r"^the project's CI runs a (?P<key>\w+) service \((?P<what>[^)]*)\)")
SHARE = 0.9  # the share of failures one connection error must explain
AT_LEAST = 5  # failures: fewer prove nothing about the suite


@dataclass(frozen=True)
class ServiceOutage:
    """Most of a red run's failures are one service's connection error: the run verifies
    nothing, so it must not be accepted as a baseline."""

    key: str  # "postgres"
    what: str  # "PostgreSQL"
    port: int | None
    errors: int  # traceback lines naming the connection error
    failing: int  # failing tests in the run
    sample: str  # one such line, as the log has it
    ci: str | None = None  # the project's CI service, "postgres:10.8 on 5432:5432"

    @property
    def message(self) -> str:
        on = f" on port {self.port}" if self.port else ""
        return (
            f"the baseline's failures are not the project's: {self.failing} failing test(s) "
            f"fail to connect to {self.what}{on} ({self.sample.strip()}); accepting them "
            "would leave every later hop verifying nothing"
        )

    @property
    def hint(self) -> str:
        ci = f" (the project's CI runs {self.ci})" if self.ci else ""
        point = (
            f'[tool.upgrader] env = {{DATABASE_URL = "{self.key}://user:password@host/db"}}'
            if self.key in ("postgres", "mysql")
            else '[tool.upgrader] env = {NAME = "value"} with the variables its settings read'
        )
        return (
            f"Start {self.what}{ci} where the settings look for it, or point the tests at a "
            f"running one in pyproject.toml ({point}), then run the step again; "
            "--accept-failing is refused while the tests cannot reach it."
        )


def _service_of(lines: list[str], at: int) -> tuple[str, str, int | None] | None:
    """The service the connection error at ``lines[at]`` (and the lines psycopg2 adds after it:
    "Is the server running … on port 5432?") is about; None when the line is no such error."""
    text = " ".join(lines[at : at + 4])
    default: int | None = None
    for pattern, port in _CONNECTION:
        if pattern.search(lines[at]):
            default = port
            break
    else:
        return None
    ports = [int(m[1] or m[2]) for m in _PORT.finditer(text)]
    known = [p for p in ports if p in SERVICE_PORTS]
    port = known[0] if known else (default if default is not None else next(iter(ports), None))
    if port in SERVICE_PORTS:
        key, what = SERVICE_PORTS[port]
        return key, what, port
    return "service", "the service the tests connect to", port


def service_outage(log: str, failing: int, ci_services: Iterable[str] = ()) -> ServiceOutage | None:
    """The service whose connection error explains at least 90% (and at least five) of the
    ``failing`` tests of a run whose log is ``log``; None otherwise. Counted on the tracebacks'
    last lines (every runner prints one per failure, pytest twice: both counts move together).
    ``ci_services``: the project's notes on its CI's services (``upgrader.detect.test_env``)."""
    if failing < AT_LEAST:
        return None
    lines = log.splitlines()
    total = 0
    hits: dict[tuple[str, str, int | None], list[str]] = {}
    for at, line in enumerate(lines):
        if _EXCEPTION.match(line.strip()) is None:
            continue
        total += 1
        service = _service_of(lines, at)
        if service is not None:
            hits.setdefault(service, []).append(line)
    if not hits:
        return None
    (key, what, port), samples = max(hits.items(), key=lambda item: len(item[1]))
    count = len(samples)
    if count < SHARE * failing or count < SHARE * total:
        return None
    ci = None
    for note in ci_services:
        match = _CI_SERVICE.match(note)
        if match and match["key"] == key:
            ci = match["what"]
            break
    return ServiceOutage(key, what, port, count, failing, samples[0], ci)
