"""CI files: GitHub Actions workflows, ``.gitlab-ci.yml`` and ``.travis.yml``: their literal
variables (never a secret or an expression), set-up steps, the packages they ``pip install`` and
the services their jobs run (notes: nothing here starts them)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from upgrader.detect.model import Evidence
from upgrader.detect.sources import line_of
from upgrader.detect.test_env.found import (
    ASSIGNMENT,
    NAME,
    SETUP_COMMAND,
    TEST_COMMAND,
    EnvVariable,
    Found,
)

_SERVICE_URL = re.compile(
    r"^(postgres(ql)?|postgis|mysql|mysql2|mariadb|redis|rediss|amqp|memcached?|mongodb|"
    r"elasticsearch)(\+\w+)?://[^/]*\b(localhost|127\.0\.0\.1|postgres|mysql|redis|"
    r"rabbitmq|db|database|memcached|elasticsearch|mongo)\b",
    re.IGNORECASE,
)


def _yaml(found: Found, path: Path) -> Any:
    text = found.reader.text(path)
    if text is None:
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        found.reader.skip(path, f"invalid YAML ({reason}): fix the file so CI can read it")
        return None


def _ci_value(found: Found, name: str, value: object, path: Path, detail: str) -> None:
    text = found.reader.text(path) or ""
    evidence = found.evidence(path, line_of(text, rf"^\s*-?\s*{re.escape(name)}\s*[:=]"), detail)
    if not NAME.fullmatch(name):
        return
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        found.note(f"{name} is not a literal value: left out", evidence)
        return
    if "secrets." in value:
        found.note(
            f"{name} comes from a CI secret: never copied; set it in your environment", evidence
        )
        return
    if "${{" in value or "$" in value:
        found.note(f"{name} = {value!r} is a CI expression: left out", evidence)
        return
    if "\n" in value:
        found.note(f"{name} spans lines: left out", evidence)
        return
    if _names_django(value):
        found.note(
            f"{name} = {value!r} selects the CI's Django: left out (each stage installs its own)",
            evidence,
        )
        return
    if _SERVICE_URL.match(value):
        found.note(
            f"{name} = {value!r} names a CI service that is not running here: left out "
            f'(set it in your environment or [tool.upgrader] env = {{{name} = "..."}})',
            evidence,
        )
        return
    found.set(name, value, evidence)


def _names_django(value: str) -> bool:
    """Whether a CI value is a Django requirement (Travis's ``DJANGO="Django>=2.2,<2.3"``)."""
    try:
        requirement = Requirement(value)
    except InvalidRequirement:
        return False
    return canonicalize_name(requirement.name) == "django" and bool(requirement.specifier)


def _ci_env(found: Found, table: object, path: Path, detail: str) -> None:
    if isinstance(table, dict):
        for name, value in table.items():
            _ci_value(found, str(name), value, path, detail)
    elif isinstance(table, list):  # Travis: ["A=1 B=2", ...]
        for entry in table:
            if isinstance(entry, str):
                for word in entry.split():
                    assigned = ASSIGNMENT.match(word)
                    if assigned:
                        _ci_value(
                            found, assigned["name"], assigned["value"].strip("\"'"), path, detail
                        )
            elif isinstance(entry, dict) and "secure" in entry:
                found.note(
                    "an encrypted Travis variable: never copied", found.evidence(path, None, detail)
                )


def _run_steps(found: Found, steps: object, path: Path, detail: str) -> None:
    """The env of steps that run tests, set-up commands in steps before them, and the packages
    the steps install."""
    if not isinstance(steps, list):
        return
    text = found.reader.text(path) or ""
    for step in steps:
        if not isinstance(step, dict):
            continue
        run = step.get("run")
        if not isinstance(run, str):
            continue
        if TEST_COMMAND.search(run):
            _ci_env(found, step.get("env"), path, f"{detail} step env")
        for line in run.splitlines():
            line = line.strip()
            if SETUP_COMMAND.search(line) and "$" not in line:
                found.command(line, found.evidence(path, line_of(text, re.escape(line)), detail))
            _pip_install(found, line, path, detail)


# "pip install X", "pip3 install X", "python -m pip install X", "uv pip install X".
_PIP_INSTALL = re.compile(
    r"(?:^|[;&|]\s*|\s)(?:(?:python[\d.]*|py)\s+-m\s+pip|pip[\d.]*|uv\s+pip)\s+install\s+(?P<args>.*)$"
)
# Options of pip install that take a value (the value is not a package).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--python",
        "--cache-dir",
        "--src",
        "--trusted-host",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--no-binary",
        "--only-binary",
        "--progress-bar",
        "--log",
        "--timeout",
        "--retries",
        "--proxy",
        "--upgrade-strategy",
        "-p",
    }
)
# Tools a CI installs to run, report or lint, not for the tests' imports (decided: left out).
_CI_TOOLS = frozenset(
    {
        "pip",
        "setuptools",
        "wheel",
        "tox",
        "tox-uv",
        "tox-gh-actions",
        "tox-travis",
        "nox",
        "virtualenv",
        "uv",
        "pipenv",
        "poetry",
        "pip-tools",
        "coverage",
        "coveralls",
        "python-coveralls",
        "codecov",
        "flake8",
        "black",
        "isort",
        "ruff",
        "pylint",
        "mypy",
        "pre-commit",
        "twine",
        "build",
        "django",
    }
)
# Packages that build against a system library the stage may not have: a note, not a requirement.
_SYSTEM_LIBRARY = {
    "mysqlclient": "MySQL's client library",
    "mysql-python": "MySQL's client library",
}


def _pip_install(found: Found, line: str, path: Path, detail: str) -> None:
    """The packages a CI command line ``pip install``s by name, as test requirements."""
    match = _PIP_INSTALL.search(line)
    if match is None:
        return
    words: list[str] = []
    lexer = shlex.shlex(match["args"], posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        for word in lexer:  # up to the end of the command: ``pip install black; fi``
            if set(word) <= set(";&|"):
                break
            words.append(word)
    except ValueError:
        return
    text = found.reader.text(path) or ""
    evidence = found.evidence(path, line_of(text, re.escape(line.strip())), detail)
    skip_value = False
    for word in words:
        if skip_value:
            skip_value = False
            continue
        if word.startswith("-"):
            skip_value = word in _PIP_VALUE_OPTIONS
            continue
        if "$" in word or "{" in word or "/" in word or word.startswith("."):
            continue  # a variable, a path or URL (the project itself): not a package name
        try:
            requirement = Requirement(word)
        except InvalidRequirement:
            continue
        name = canonicalize_name(requirement.name)
        if requirement.url or name in _CI_TOOLS or name.startswith("tox-"):
            continue
        if name in _SYSTEM_LIBRARY:
            found.note(
                f"the CI installs {word}, which builds against {_SYSTEM_LIBRARY[name]}: left out "
                f'(if the tests import it: [tool.upgrader] test-requirements = ["{word}"])',
                evidence,
            )
            continue
        found.requirement(word, evidence)


# Images of the services a CI job runs, and what the tests then need.
_SERVICES = (
    (re.compile(r"post(gres|gis)", re.IGNORECASE), "postgres", "PostgreSQL"),
    (re.compile(r"mysql|mariadb", re.IGNORECASE), "mysql", "MySQL"),
    (re.compile(r"redis|valkey", re.IGNORECASE), "redis", "Redis"),
    (re.compile(r"memcached", re.IGNORECASE), "memcached", "memcached"),
    (re.compile(r"rabbitmq", re.IGNORECASE), "rabbitmq", "RabbitMQ"),
    (re.compile(r"elasticsearch|opensearch", re.IGNORECASE), "elasticsearch", "Elasticsearch"),
    (re.compile(r"mongo", re.IGNORECASE), "mongodb", "MongoDB"),
)


def _services(found: Found, services: object, path: Path, detail: str) -> None:
    """A note per service a CI job runs: the tests need one, and nothing here starts it."""
    entries: list[tuple[str, object]] = []
    if isinstance(services, dict):  # GitHub: {name: {image: ..., ports: [...]}}
        entries = [(str(name), spec) for name, spec in services.items()]
    elif isinstance(services, list):  # GitLab: ["postgres:12", {name: "redis:6", alias: ...}]
        for entry in services:
            if isinstance(entry, str):
                entries.append((entry, entry))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries.append((str(entry["name"]), entry))
    text = found.reader.text(path) or ""
    for name, spec in entries:
        image = (spec.get("image") or spec.get("name")) if isinstance(spec, dict) else spec
        label = image if isinstance(image, str) and "${{" not in image else name
        ports = spec.get("ports") if isinstance(spec, dict) else None
        kind = next(
            ((key, what) for pattern, key, what in _SERVICES if pattern.search(f"{name} {label}")),
            None,
        )
        if kind is None:
            continue
        key, what = kind
        on = ""
        if isinstance(ports, list) and ports:
            on = " on " + ", ".join(str(p) for p in ports)
        found.services.append((key, f"{label}{on}", found.reader.rel(path)))
        point = (
            f' (e.g. [tool.upgrader] env = {{DATABASE_URL = "{key}://user:password@host/db"}})'
            if key in ("postgres", "mysql")
            else ""
        )
        message = (
            f"the project's CI runs a {key} service ({label}{on}): its tests need {what} "
            f"running, and nothing here starts it; start one, or point the settings at one{point}"
        )
        if any(note.value == message for note in found.notes):
            continue
        found.note(
            message,
            found.evidence(
                path,
                line_of(text, rf"^\s*-?\s*(name:\s*)?['\"]?{re.escape(name)}\b"),
                f"{detail}.services" if detail else "services",
            ),
        )


# The words of the variables that configure a client of each kind of service.
_SERVICE_WORDS = {
    "postgres": ("POSTGRES", "POSTGRESQL", "PG", "PGHOST", "DATABASE", "DB"),
    "mysql": ("MYSQL", "MARIADB", "DATABASE", "DB"),
    "redis": ("REDIS", "CACHE", "BROKER", "CELERY"),
    "memcached": ("MEMCACHE", "MEMCACHED", "CACHE"),
    "rabbitmq": ("RABBITMQ", "AMQP", "BROKER", "CELERY"),
    "elasticsearch": ("ELASTICSEARCH", "ELASTIC", "OPENSEARCH", "SEARCH", "HAYSTACK"),
    "mongodb": ("MONGO", "MONGODB"),
}


def service_variables(found: Found) -> None:
    """A variable copied from a CI file that runs a service (``POSTGRES_HOST=localhost`` beside a
    ``postgres`` service) is kept, since it is right once the service runs here too, and its
    evidence says which service it is for."""
    for name, variable in list(found.env.items()):
        words = set(name.upper().split("_"))
        for kind, label, file in found.services:
            if variable.evidence.file != file or not words & set(_SERVICE_WORDS.get(kind, ())):
                continue
            evidence = variable.evidence
            detail = ", ".join(
                part
                for part in (evidence.detail, f"for the CI's {kind} service ({label}): start one")
                if part
            )
            found.env[name] = EnvVariable(
                name, variable.value, Evidence(evidence.file, evidence.line, detail)
            )
            break


def from_github(found: Found) -> None:
    folder = found.reader.root / ".github" / "workflows"
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        data = _yaml(found, path)
        if not isinstance(data, dict):
            continue
        _ci_env(found, data.get("env"), path, "env")
        jobs = data.get("jobs")
        if not isinstance(jobs, dict):
            continue
        for job_name, job in jobs.items():
            if isinstance(job, dict):
                _ci_env(found, job.get("env"), path, f"jobs.{job_name}.env")
                _run_steps(found, job.get("steps"), path, f"jobs.{job_name}")
                _services(found, job.get("services"), path, f"jobs.{job_name}")


def from_gitlab(found: Found) -> None:
    path = found.reader.root / ".gitlab-ci.yml"
    data = _yaml(found, path)
    if not isinstance(data, dict):
        return
    _ci_env(found, data.get("variables"), path, "variables")
    tests = False
    for name, job in data.items():
        if isinstance(job, dict) and "script" in job:
            script = job.get("script")
            if isinstance(script, list) and any(
                isinstance(s, str) and TEST_COMMAND.search(s) for s in script
            ):
                tests = True
                _ci_env(found, job.get("variables"), path, f"{name}.variables")
                before = _script_lines(job.get("before_script"))
                steps = [{"run": "\n".join([*before, *(s for s in script if isinstance(s, str))])}]
                _run_steps(found, steps, path, str(name))
                _services(found, job.get("services"), path, str(name))
    if tests:
        for line in _script_lines(data.get("before_script")):
            _pip_install(found, line, path, "before_script")
        _services(found, data.get("services"), path, "")


def _script_lines(value: object) -> list[str]:
    """The commands of a CI script key (a string or a list of strings)."""
    if isinstance(value, str):
        return value.splitlines()
    if isinstance(value, list):
        return [line for item in value if isinstance(item, str) for line in item.splitlines()]
    return []


def from_travis(found: Found) -> None:
    path = found.reader.root / ".travis.yml"
    data = _yaml(found, path)
    if not isinstance(data, dict):
        return
    env = data.get("env")
    if isinstance(env, dict):
        _ci_env(found, env.get("global"), path, "env.global")
    elif isinstance(env, list):
        _ci_env(found, env[:1], path, "env")  # a matrix: its first row
    elif isinstance(env, str):
        _ci_env(found, [env], path, "env")
    for key in ("before_install", "install", "before_script", "script"):
        for line in _script_lines(data.get(key)):
            _pip_install(found, line, path, key)
