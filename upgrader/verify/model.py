"""The verify stage's data: :class:`TestRun`, the result of one stage's test run, apart from the
runner that makes it (``upgrader.verify.run``), so the report and the baseline read it without
importing the runner. ``verify.run`` re-exports both names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from upgrader.errors import VerifyError
from upgrader.verify.deprecations import DeprecationFinding
from upgrader.verify.system_checks import SystemCheck

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class TestRun:
    """The result of running one stage's test suite."""

    __test__ = False  # not a pytest test class, despite the name

    stage: str  # the Django release, "2.2"
    env: str  # the tox environment, "django22"
    python: str  # the interpreter's version, "3.8.18"
    runner: str  # "django" | "pytest"
    command: tuple[str, ...]  # the tox command line that ran the tests
    passed: int
    failed: int
    errors: int
    skipped: int
    failures: tuple[str, ...]  # ids of failed tests
    error_ids: tuple[str, ...]  # ids of erroring tests (and test modules that did not import)
    warnings: tuple[DeprecationFinding, ...]
    duration: float | None  # the test runner's own figure, seconds
    elapsed: float  # wall time of the whole tox run (environment creation included), seconds
    log: Path
    exit_code: int
    results: str = "log"  # where the outcome was read: "result-writer", "junit-xml" or "log"
    # Django's system check messages the run printed; None: the run showed no system check
    # output (pytest-django runs no checks), which is not "no issues".
    checks: tuple[SystemCheck, ...] | None = None

    @property
    def green(self) -> bool:
        return self.exit_code == 0 and self.failed == 0 and self.errors == 0

    @property
    def failing(self) -> tuple[str, ...]:
        """Every failing or erroring test id, sorted."""
        return tuple(sorted({*self.failures, *self.error_ids}))

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped

    def to_json(self) -> dict[str, object]:
        return {
            "schema": SCHEMA_VERSION,
            "stage": self.stage,
            "env": self.env,
            "python": self.python,
            "runner": self.runner,
            "command": list(self.command),
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "skipped": self.skipped,
            "failures": list(self.failures),
            "error_ids": list(self.error_ids),
            "warnings": [finding.to_json() for finding in self.warnings],
            "duration": self.duration,
            "elapsed": self.elapsed,
            "log": str(self.log),
            "exit_code": self.exit_code,
            "results": self.results,
            "checks": None if self.checks is None else [check.to_json() for check in self.checks],
            "green": self.green,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TestRun:
        if data.get("schema") != SCHEMA_VERSION:
            raise VerifyError(
                f"a saved test run has schema {data.get('schema')!r}, this upgrader reads {SCHEMA_VERSION}",
                hint="Run `upgrader verify` again to record it afresh.",
            )
        warnings = data["warnings"]
        duration = data["duration"]
        assert isinstance(warnings, list)
        return cls(
            stage=str(data["stage"]),
            env=str(data["env"]),
            python=str(data["python"]),
            runner=str(data["runner"]),
            command=tuple(str(part) for part in _list(data["command"])),
            passed=int(str(data["passed"])),
            failed=int(str(data["failed"])),
            errors=int(str(data["errors"])),
            skipped=int(str(data["skipped"])),
            failures=tuple(str(test) for test in _list(data["failures"])),
            error_ids=tuple(str(test) for test in _list(data["error_ids"])),
            warnings=tuple(DeprecationFinding.from_json(item) for item in warnings),
            duration=None if duration is None else float(str(duration)),
            elapsed=float(str(data["elapsed"])),
            log=Path(str(data["log"])),
            exit_code=int(str(data["exit_code"])),
            results=str(data.get("results", "log")),
            checks=_checks(data.get("checks")),
        )


def _checks(value: object) -> tuple[SystemCheck, ...] | None:
    """A saved run's system checks; runs saved before they were recorded have none (``None``)."""
    if value is None:
        return None
    checks: list[SystemCheck] = []
    for item in _list(value):
        if not isinstance(item, Mapping):
            raise VerifyError(f"a saved test run is malformed: expected a check, found {item!r}")
        checks.append(SystemCheck.from_json(item))
    return tuple(checks)


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise VerifyError(f"a saved test run is malformed: expected a list, found {value!r}")
    return value
