"""How the project's tests are run: pytest (with pytest-django) or ``manage.py test``.

pytest is chosen when any of these is found, in this order (the first is the evidence):
``pytest.ini``, ``[tool.pytest.ini_options]`` in pyproject.toml, ``[tool:pytest]`` in setup.cfg,
``[pytest]`` in tox.ini, a ``conftest.py``, or pytest-django among the declared requirements.
Otherwise ``python manage.py test``.

A reusable app (no ``manage.py``) that runs its tests through its own script (``runtests.py``,
``quicktest.py``, the script setup.py's ``test_suite`` names; see ``layout.find_test_script``)
is tested with ``python <script>``: the script configures settings itself. The arguments come
from the project's own invocation of the script, when tox.ini's ``commands`` or a CI file runs it
(``python quicktest.py taggit`` needs its app name); tox substitutions (``{posargs}``) are
left out. Its kind is
``pytest`` when the script imports pytest, else ``django``. pytest is preferred over the script
only when the project configures pytest and its tox.ini does not run the script.

``[tool.upgrader] test-runner = "pytest"|"django"`` and ``test-command = "..."`` override what
was found.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from upgrader.detect.layout import find_test_script
from upgrader.detect.model import Evidence, ProjectConfig, TestRunner
from upgrader.detect.requirements import DeclaredSet
from upgrader.detect.sources import ProjectReader, line_of

PYTEST_COMMAND = ("python", "-m", "pytest")
DJANGO_COMMAND = ("python", "manage.py", "test")
COMMANDS = {"pytest": PYTEST_COMMAND, "django": DJANGO_COMMAND}


def _ini_section(reader: ProjectReader, name: str, section: str) -> Evidence | None:
    path = reader.root / name
    parser = reader.ini(path)
    if parser is None or not parser.has_section(section):
        return None
    line = line_of(reader.text(path) or "", rf"^\s*\[{section}\]")
    return Evidence(name, line, f"[{section}]")


def pytest_evidence(
    reader: ProjectReader, files: Sequence[Path], declared: DeclaredSet
) -> Evidence | None:
    """The first sign that the project runs its tests with pytest, or None."""
    root = reader.root
    if (root / "pytest.ini").is_file():
        return _ini_section(reader, "pytest.ini", "pytest") or Evidence("pytest.ini")
    pyproject = reader.toml(root / "pyproject.toml") or {}
    tool = pyproject.get("tool")
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    if isinstance(pytest_table, dict) and "ini_options" in pytest_table:
        line = line_of(reader.text(root / "pyproject.toml") or "", r"^\s*\[tool\.pytest")
        return Evidence("pyproject.toml", line, "[tool.pytest.ini_options]")
    for name, section in (("setup.cfg", "tool:pytest"), ("tox.ini", "pytest")):
        evidence = _ini_section(reader, name, section)
        if evidence is not None:
            return evidence
    conftests = [p for p in files if p.name == "conftest.py"]
    if conftests:
        return Evidence(reader.rel(conftests[0]), None, "conftest.py")
    for requirement in declared.named("pytest-django"):
        return requirement.evidence
    return None


def _imports_pytest(reader: ProjectReader, script: Path) -> bool:
    tree = reader.python(script)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Import) and any(a.name == "pytest" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "pytest":
            return True
    return False


def _tox_runs(reader: ProjectReader, name: str) -> bool:
    parser = reader.ini(reader.root / "tox.ini")
    if parser is None:
        return False
    return any(
        name in parser.get(section, "commands")
        for section in parser.sections()
        if parser.has_option(section, "commands")
    )


_CI_NAMES = (".travis.yml", ".gitlab-ci.yml", ".circleci/config.yml")
# What runs a script (``black runtests.py`` does not): python, python3.8, {envpython}, coverage.
_RUNS_PYTHON = re.compile(r"^(?:.*/)?(?:python[\d.]*|\{envpython\}|coverage)$")


def _invocation_lines(reader: ProjectReader) -> list[tuple[Path, int, str]]:
    """(file, line, text) of every line of tox.ini, the Makefile and CI files: where projects
    write how they run their tests."""
    root = reader.root
    paths = [root / "tox.ini", root / "Makefile", *(root / n for n in _CI_NAMES)]
    workflows = root / ".github" / "workflows"
    if workflows.is_dir():
        paths += sorted(p for p in workflows.iterdir() if p.suffix in (".yml", ".yaml"))
    found: list[tuple[Path, int, str]] = []
    for path in paths:
        text = reader.text(path) if path.is_file() else None
        for number, line in enumerate((text or "").splitlines(), start=1):
            found.append((path, number, line))
    return found


def script_arguments(
    reader: ProjectReader, script: Path
) -> tuple[tuple[str, ...], Evidence] | None:
    """The arguments the project passes to its test script, and where it does."""
    rel = reader.rel(script)
    names = {rel, f"./{rel}", script.name}
    for path, number, line in _invocation_lines(reader):
        if script.name not in line:
            continue
        text = line.strip().lstrip("-").strip()
        text = text.split(":", 1)[1].strip() if re.match(r"^[\w-]+:\s", text) else text
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            continue
        for index, word in enumerate(words):
            if word.replace("{toxinidir}/", "").replace("{tox_root}/", "") in names and any(
                _RUNS_PYTHON.match(w) for w in words[:index]
            ):
                args = []
                for arg in words[index + 1 :]:
                    if arg in ("&&", ";", "|", "||"):
                        break
                    if "{" not in arg and "$" not in arg:
                        args.append(arg)
                return tuple(args), Evidence(reader.rel(path), number, line.strip())
    return None


def script_runner(reader: ProjectReader, pytest_found: Evidence | None) -> TestRunner | None:
    """``python runtests.py`` for a project without manage.py that has its own test script."""
    if (reader.root / "manage.py").is_file():
        return None
    found = find_test_script(reader)
    if found is None:
        return None
    script, evidence = found
    rel = reader.rel(script)
    if pytest_found is not None and not _tox_runs(reader, script.name):
        return None
    kind = "pytest" if _imports_pytest(reader, script) else "django"
    invoked = script_arguments(reader, script)
    if invoked is not None and invoked[0]:
        return TestRunner(kind, ("python", rel, *invoked[0]), invoked[1])
    return TestRunner(kind, ("python", rel), evidence)


def find_test_runner(
    reader: ProjectReader, files: Sequence[Path], declared: DeclaredSet, config: ProjectConfig
) -> TestRunner:
    """The test runner and command (``[tool.upgrader]`` first, then what the files say)."""
    found = pytest_evidence(reader, files, declared)
    script = script_runner(reader, found)
    if script is not None and config.test_runner is None and config.test_command is None:
        return script
    kind = "pytest" if found is not None else "django"
    evidence = found
    config_evidence = Evidence("pyproject.toml", None, "[tool.upgrader]")
    if config.test_runner is not None:
        kind, evidence = config.test_runner, config_evidence
    if config.test_command is not None:
        if config.test_runner is None:
            command = " ".join(config.test_command)
            if "pytest" in command:
                kind = "pytest"
            elif "manage.py" in command:
                kind = "django"
        return TestRunner(kind, config.test_command, config_evidence)
    return TestRunner(kind, COMMANDS[kind], evidence)
