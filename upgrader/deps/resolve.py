"""Resolve a hop's whole dependency set with ``uv pip compile`` (when uv is installed) or
pip-tools' ``pip-compile``, for the hop's Django series and Python.

Both are given the same input: a temporary ``requirements.in`` with the chosen pins and a
constraint ``django==X.Y.*``, and the indexes upgrader read from pip's configuration
(``upgrader.deps.index.index_config``), passed explicitly while the tools' own configuration is
switched off, so both resolve against the same indexes. uv is told ``--python-version``;
pip-compile runs under an interpreter of the hop's Python (from ``upgrader.interpreters``) so
markers and ``Requires-Python`` are evaluated for it. An sdist whose metadata must be built is
built as the stage's environment builds it: by the stage's interpreter (uv's ``--python``) with
the stage's build caps (``stage_build_constraints``: ``[tool.upgrader] build-constraints`` and
``setuptools<70`` on Python <= 3.8); a package that still fails to build is a ``BuildFailure``
naming it and the fix (``upgrader.verify.install_errors``), never "no dependency set works".
The output is one constraints file per
stage, ``.upgrader/constraints/django-X.Y.txt``, that the stage's test environment installs with.

When no set exists the resolver's explanation is parsed into ``Blocked`` entries (which package,
which release, what it requires) and nothing is written.

External programs run through a ``Runner`` so tests can swap them.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from upgrader import interpreters
from upgrader.deps.index import IndexConfig, default_cache_dir, redact_text
from upgrader.deps.model import Blocked, Choice, Target
from upgrader.errors import ResolutionError
from upgrader.files import write_atomic

RESOLVE_TIMEOUT = 600.0
TOOLS = ("uv", "pip-compile")
# Old setup.py files import setuptools.convert_path (setuptools 70.0.0's changelog: "Remove
# setuptools.convert_path after long deprecation period"; django-allauth 0.46.0's setup.py,
# djangox), setuptools.command.test (gone in 72.0.0) or pkg_resources: sdists built for a stage
# on these Pythons get a setuptools from before 70 (69.5.1 still supports Python 3.8).
OLD_PYTHON_BUILD_CONSTRAINTS = ("setuptools<70",)
OLD_PYTHON = (3, 8)


def _constraint_name(line: str) -> str:
    try:
        return canonicalize_name(Requirement(line.split(" #")[0].strip()).name)
    except InvalidRequirement:
        return ""


def stage_build_constraints(declared: Sequence[str], python: str) -> tuple[str, ...]:
    """What builds sdists for a stage on Python ``python``: ``[tool.upgrader] build-constraints``
    (``declared``) plus, on Python <= 3.8, the era's caps (``setuptools<72``) for the packages
    the user did not cap. One answer for the resolver and the stage's environment."""
    build = list(declared)
    try:
        old = tuple(int(part) for part in python.split(".")[:2]) <= OLD_PYTHON
    except ValueError:
        old = False
    if old:
        names = {_constraint_name(line) for line in build}
        build += [c for c in OLD_PYTHON_BUILD_CONSTRAINTS if _constraint_name(c) not in names]
    return tuple(build)


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str


class Runner(Protocol):
    def __call__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> RunResult: ...


def subprocess_runner(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
) -> RunResult:
    """Run ``argv`` for real, capturing its output."""
    try:
        done = subprocess.run(
            list(argv),
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return RunResult(124, "", f"{argv[0]} did not finish within {timeout:.0f} s")
    except OSError as exc:
        return RunResult(127, "", f"cannot run {argv[0]}: {exc}")
    return RunResult(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Resolver:
    """A resolver program: ``tool`` is "uv" or "pip-compile"; ``argv`` starts its command."""

    tool: str
    argv: tuple[str, ...]
    note: str = ""  # e.g. which interpreter pip-compile runs under


def find_uv() -> str | None:
    """The ``uv`` binary: on PATH, else the one the ``uv`` Python package ships."""
    found = shutil.which("uv")
    if found:
        return found
    try:
        module = importlib.import_module("uv")
        path = str(module.find_uv_bin())
    except (ImportError, FileNotFoundError, AttributeError):
        return None
    return path if Path(path).is_file() else None


def _has_pip_tools(python: str, runner: Runner) -> bool:
    check = runner([python, "-c", "import piptools"], cwd=Path.cwd(), env=os.environ, timeout=60)
    return check.returncode == 0


def pip_compile_python(
    python: str, *, runner: Runner = subprocess_runner, cache_dir: Path | None = None
) -> tuple[str, str]:
    """An interpreter of feature version ``python`` that can run pip-tools, and a note.

    Ours when it is that version; else the hop's interpreter when it has pip-tools; else a
    virtualenv made once with it in upgrader's cache. Failing all, ours (markers are then
    evaluated for our Python, and the note says so).
    """
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    if python == ours:
        return sys.executable, ""
    found = interpreters.find(python)
    fallback = (
        sys.executable,
        f"no Python {python} with pip-tools: pip-compile ran on Python {ours}, "
        f"so markers were evaluated for {ours}",
    )
    if found is None:
        return fallback
    if _has_pip_tools(str(found.path), runner):
        return str(found.path), ""
    venv = (cache_dir or default_cache_dir()) / "tools" / f"pip-tools-py{python}"
    venv_python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not venv_python.is_file():
        made = runner(
            [str(found.path), "-m", "venv", str(venv)], cwd=Path.cwd(), env=os.environ, timeout=300
        )
        if made.returncode != 0:
            return fallback
        runner(
            [str(venv_python), "-m", "pip", "install", "--quiet", "pip-tools"],
            cwd=Path.cwd(),
            env=os.environ,
            timeout=600,
        )
    if _has_pip_tools(str(venv_python), runner):
        return str(venv_python), ""
    return fallback


def find_resolver(
    target: Target,
    *,
    prefer: str = "auto",
    runner: Runner = subprocess_runner,
    cache_dir: Path | None = None,
) -> Resolver:
    """uv when available (measured faster: benchmarks/resolve), else pip-compile."""
    if prefer not in ("auto", *TOOLS):
        raise ValueError(f"prefer must be auto, uv or pip-compile, not {prefer!r}")
    if prefer in ("auto", "uv"):
        uv = find_uv()
        if uv:
            return Resolver("uv", (uv, "pip", "compile"))
        if prefer == "uv":
            raise ResolutionError(
                "uv is not installed",
                hint="Install it (`pip install uv`) or resolve with pip-compile.",
            )
    python, note = pip_compile_python(target.python, runner=runner, cache_dir=cache_dir)
    return Resolver("pip-compile", (python, "-m", "piptools", "compile"), note)


@dataclass(frozen=True)
class Resolution:
    """A resolved dependency set for one stage."""

    target: Target
    tool: str
    requirements_in: str  # what the resolver was given
    pins: tuple[tuple[str, str], ...]  # (canonical name, version), sorted
    text: str  # the constraints file's content
    notes: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"django-{self.target.django}.txt"

    def version_of(self, name: str) -> str | None:
        wanted = canonicalize_name(name)
        return next((v for n, v in self.pins if n == wanted), None)


class BuildFailure(ResolutionError):
    """A package of the set did not build while the resolver read its metadata: not a conflict
    (a set may well exist); ``package`` names it, ``cause`` and the hint say the fix."""

    def __init__(
        self, message: str, *, package: str, cause: str, output: str, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.package = package
        self.cause = cause
        self.output = output


class DependencyConflict(ResolutionError):
    """No dependency set satisfies the hop; ``blocked`` says which packages and why."""

    def __init__(
        self, message: str, *, blocked: Sequence[Blocked], output: str, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.blocked = tuple(blocked)
        self.output = output


def requirements_in(choices: Sequence[Choice], extra: Sequence[str] = ()) -> str:
    """The resolver's input: one pinned line per chosen package, then any extra lines."""
    lines = [c.requirement for c in sorted(choices, key=lambda c: c.name)]
    return "\n".join([*lines, *extra]) + "\n"


def _index_args(config: IndexConfig, tool: str) -> list[str]:
    args = ["--no-index"] if config.no_index else ["--index-url", config.index_url]
    for url in () if config.no_index else config.extra_index_urls:
        args += ["--extra-index-url", url]
    for link in config.find_links:
        args += ["--find-links", link]
    if tool == "pip-compile":
        args += ["--no-emit-index-url", "--no-emit-find-links"]
    return args


def _isolated_env(cache_dir: Path | None, tool: str) -> dict[str, str]:
    """Our environment without the index settings we pass explicitly."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "UV_INDEX", "UV_EXTRA_INDEX", "UV_FIND_LINKS", "UV_CONFIG"))
    }
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if cache_dir is not None:
        env["UV_CACHE_DIR" if tool == "uv" else "PIP_CACHE_DIR"] = str(cache_dir)
    return env


def _command(
    resolver: Resolver,
    infile: Path,
    target: Target,
    config: IndexConfig,
    upgrade: bool,
    cache_dir: Path | None,
    offline: bool = False,
    exclude_newer: datetime | None = None,
    exclude_newer_package: Mapping[str, datetime] | None = None,
    build_constraint: Path | None = None,
    python: str | None = None,
) -> list[str]:
    argv = [*resolver.argv, str(infile), "--no-header", "--no-annotate"]
    argv += _index_args(config, resolver.tool)
    if resolver.tool == "uv":
        argv += ["--python-version", target.python, "--no-config", "--quiet", "--color", "never"]
        # sdists are built (for their metadata) by the stage's interpreter with the stage's
        # build caps, as the stage's environment builds them, never by uv's own Python.
        if python is not None:
            argv += ["--python", python]
        if build_constraint is not None:
            argv += ["--build-constraint", str(build_constraint)]
        # pip merges every index's releases and takes the best; uv's default stops at the first
        # index that has the package. Ask uv for pip's behaviour so both resolve alike.
        argv += ["--index-strategy", "unsafe-best-match"]
        # --python-version needs no interpreter; never let uv try to download one.
        argv.append("--no-python-downloads")
        if offline:
            argv.append("--offline")
        if exclude_newer is not None:
            argv += ["--exclude-newer", rfc3339(exclude_newer)]
        for name, moment in sorted((exclude_newer_package or {}).items()):
            argv += ["--exclude-newer-package", f"{name}={rfc3339(moment)}"]
    else:
        argv += ["--quiet", "--output-file", "-", "--strip-extras"]
        if cache_dir is not None:
            argv += ["--cache-dir", str(cache_dir / "pip-tools")]
    if upgrade:
        argv.append("--upgrade")
    return argv


_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def parse_pins(text: str) -> tuple[tuple[str, str], ...]:
    pins = {}
    for line in text.splitlines():
        match = _PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match["name"])] = match["version"]
    return tuple(sorted(pins.items()))


def read_pins(path: Path) -> dict[str, str]:
    """The exact pins (canonical name -> version) of a locked set such as ``write_constraints``
    writes; {} when the file cannot be read."""
    try:
        return dict(parse_pins(path.read_text("utf-8", errors="replace")))
    except OSError:
        return {}


# "stuck==1.0 depends on django<3.0" (uv) and "stuck 1.0 depends on Django<3.0" (pip).
_DEPENDS = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:==|<=|>=|\s)(?P<version>\d[^\s,]*) depends on "
    r"(?P<req>[A-Za-z0-9][^\s,]*(?:,\s?[<>=!~][^\s,]*)*)"
)
# uv: "all versions of stuck depend on django<4.0".
_ALL_DEPEND = re.compile(
    r"all versions of (?P<name>[A-Za-z0-9][A-Za-z0-9._-]*) depend on "
    r"(?P<req>[A-Za-z0-9][^\s,]*(?:,\s?[<>=!~][^\s,]*)*)"
)
# pip's ResolutionImpossible repr: the requirement and the file of the release that made it.
_PIP_CAUSE = re.compile(
    r"SpecifierRequirement\('(?P<req>[^']+)'\), parent=\w*Candidate\('(?P<url>[^ ')#]+)"
)
# "Because only plugin<=2.0 is available and you require plugin>2.0" / "no version of X".
_NO_VERSION = re.compile(
    r"(?:there is no version of|No matching distribution found for|"
    r"Could not find a version that satisfies the requirement) (?P<req>[A-Za-z0-9][^\s,]*)"
)


def explain_failure(output: str, user_pins: Mapping[str, str] | None = None) -> tuple[Blocked, ...]:
    """The packages a resolver's failure message blames, with what they require."""
    found: dict[str, Blocked] = {}
    first = next(
        (ln.strip(" \u00d7\u2570\u2500\u25b6") for ln in output.splitlines() if ln.strip()), ""
    )
    lines = output
    # uv wraps its explanation to the terminal's width: read it as one line.
    output = re.sub(r"\s+", " ", output)
    for match in _DEPENDS.finditer(output):
        name = canonicalize_name(match["name"])
        if name in found:
            continue
        found[name] = Blocked(
            name,
            match["version"],
            match["req"].rstrip("."),
            f"the resolver found no compatible set: {name} {match['version']} "
            f"depends on {match['req'].rstrip('.')}",
        )
    for match in _ALL_DEPEND.finditer(output):
        name = canonicalize_name(match["name"])
        req = match["req"].rstrip(".")
        if name not in found:
            found[name] = Blocked(
                name,
                None,
                req,
                f"the resolver found no compatible set: every {name} requires {req}",
            )
    for match in _PIP_CAUSE.finditer(output):
        filename = match["url"].rsplit("/", 1)[-1]
        parts = filename.split("-")
        if len(parts) < 2:
            continue
        name, version = canonicalize_name(parts[0]), parts[1].removesuffix(".tar.gz")
        if name not in found:
            found[name] = Blocked(
                name,
                version,
                match["req"],
                f"the resolver found no compatible set: {name} {version} requires {match['req']}",
            )
    django = (user_pins or {}).get("django")
    blamed = [b for b in found.values() if not _admits(b.what_it_requires, django)]
    for match in _NO_VERSION.finditer(output):
        req = match["req"].rstrip(".")
        name = canonicalize_name(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0])
        if name not in found:
            found[name] = Blocked(name, None, req, f"the indexes have no release matching {req}")
            blamed.append(found[name])
    if not blamed:
        # Nothing recognisable: quote the resolver's own explanation, briefly.
        kept = [ln.strip(" \u00d7\u2570\u2500\u25b6") for ln in lines.splitlines()]
        cause = " ".join(ln for ln in kept if ln and not ln.startswith("Traceback"))[:500]
        return (Blocked("", None, "", cause or first),)
    return tuple(blamed)


def _admits(requirement: str, django: str | None) -> bool:
    """Whether ``requirement`` is on Django and admits the pinned ``django`` (so blames nothing)."""
    if django is None:
        return False
    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return False
    return canonicalize_name(req.name) == "django" and req.specifier.contains(
        django, prereleases=True
    )


def resolve_dependencies(
    choices: Sequence[Choice],
    target: Target,
    *,
    index: IndexConfig,
    resolver: Resolver | None = None,
    runner: Runner = subprocess_runner,
    extra: Sequence[str] = (),
    cache_dir: Path | None = None,
    upgrade: bool = False,
    offline: bool = False,
    exclude_newer: datetime | None = None,
    exclude_newer_package: Mapping[str, datetime] | None = None,
    build_constraints: Sequence[str] = (),
    python: str | None = None,
) -> Resolution:
    """Resolve ``choices`` (+ ``extra`` requirement lines) for ``target``; never writes files.

    Raises ``DependencyConflict`` (a ``ResolutionError``) with the blocking packages when the
    resolver finds no set. ``offline``: uv resolves from its cache only; pip-compile cannot, so
    it is refused with a hint. ``exclude_newer``: resolve as the index was at that moment
    (uv's ``--exclude-newer``; pip-compile has no such option and is refused);
    ``exclude_newer_package``: another moment for some packages (``--exclude-newer-package``).
    ``build_constraints``: what sdists build with (``stage_build_constraints``; uv's
    ``--build-constraint``, pip's ``PIP_CONSTRAINT`` for pip-compile's builds); ``python``: the
    stage's interpreter, which builds them with uv (default: the one found for
    ``target.python``, if any). Raises ``BuildFailure`` when a package failed to build rather
    than to fit.
    """
    resolver = resolver or find_resolver(target, runner=runner)
    if offline and resolver.tool != "uv":
        raise ResolutionError(
            "pip-compile cannot resolve offline",
            hint="Install uv (`pip install uv`) to resolve from its cache, or drop --offline.",
        )
    if (exclude_newer is not None or exclude_newer_package) and resolver.tool != "uv":
        raise ResolutionError(
            "pip-compile cannot resolve as of a date",
            hint="Install uv (`pip install uv`) to resolve with --exclude-newer.",
        )
    body = requirements_in(choices, extra)
    with tempfile.TemporaryDirectory(prefix="upgrader-resolve-") as tmp:
        folder = Path(tmp)
        (folder / "constraints.txt").write_text(f"django=={target.django}.*\n")
        infile = folder / "requirements.in"
        infile.write_text(body + "-c constraints.txt\n")
        build_file: Path | None = None
        if build_constraints:
            build_file = folder / "build-constraints.txt"
            build_file.write_text("\n".join(build_constraints) + "\n")
        if python is None and resolver.tool == "uv":
            found = interpreters.find(target.python)
            python = str(found.path) if found is not None else None
        argv = _command(
            resolver,
            infile,
            target,
            index,
            upgrade,
            cache_dir,
            offline,
            exclude_newer=exclude_newer,
            exclude_newer_package=exclude_newer_package,
            build_constraint=build_file,
            python=python,
        )
        env = _isolated_env(cache_dir, resolver.tool)
        if build_file is not None and resolver.tool != "uv":
            env["PIP_CONSTRAINT"] = str(build_file)  # pip's build environments read it
        result = runner(argv, cwd=folder, env=env, timeout=RESOLVE_TIMEOUT)
    output = redact_text("\n".join(part for part in (result.stderr, result.stdout) if part))
    if result.returncode != 0:
        _raise_build_failure(output, target, resolver)
        pins = {c.name: c.chosen for c in choices}
        blocked = explain_failure(output, pins)
        names = ", ".join(b.name for b in blocked if b.name) or "the dependency set"
        detail = "; ".join(b.reason for b in blocked)
        raise DependencyConflict(
            f"no dependency set works with Django {target.django} on Python {target.python} "
            f"({resolver.tool}): {names} blocks it: {detail}",
            blocked=blocked,
            output=output,
            hint="Upgrade or replace the blocking package (see its release notes), "
            "or stop at an earlier Django with --to. No file was changed.",
        )
    lines = [ln for ln in result.stdout.splitlines() if ln.strip() and not ln.startswith("#")]
    text = _header(target, resolver) + "\n".join(lines) + "\n"
    notes = (resolver.note,) if resolver.note else ()
    return Resolution(target, resolver.tool, body, parse_pins(text), text, notes)


# Words of a BuildFailure's message (and so of the Blocked entry it becomes): ``is_build_failure``.
BUILD_FAILED = "failed to build while resolving"


def _raise_build_failure(output: str, target: Target, resolver: Resolver) -> None:
    """Raise ``BuildFailure`` when the resolver stopped because a package did not build."""
    from upgrader.verify.install_errors import build_failure

    failure = build_failure(output)
    if failure is None:
        return
    raise BuildFailure(
        f"{failure.package} {BUILD_FAILED} Django {target.django} on Python "
        f"{target.python} ({resolver.tool}): {failure.cause}; this is not a version conflict",
        package=failure.package or "",
        cause=failure.cause,
        output=output,
        hint=failure.hint + " No file was changed.",
    )


# uv's hint when --exclude-newer hid every release that fits: "`atomicwrites` was filtered by
# `exclude-newer` to only include packages uploaded before ..." (a package re-uploaded since).
_FILTERED = re.compile(r"`(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)` was filtered by `exclude-newer`")


def filtered_by_date(output: str) -> tuple[str, ...]:
    """The packages uv says its ``--exclude-newer`` cut-off left without a fitting release."""
    return tuple(dict.fromkeys(canonicalize_name(m["name"]) for m in _FILTERED.finditer(output)))


def rfc3339(moment: datetime) -> str:
    """``moment`` in UTC as uv's ``--exclude-newer`` / ``UV_EXCLUDE_NEWER`` reads it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment.microsecond:  # whole seconds only: round up so a file uploaded then is kept
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header(target: Target, resolver: Resolver) -> str:
    tool = "uv pip compile" if resolver.tool == "uv" else "pip-compile"
    return (
        f"# Dependency set for Django {target.django} on Python {target.python}.\n"
        f"# Generated by upgrader with {tool}; the stage's test environment installs with it:\n"
        f"#   pip install -c django-{target.django}.txt -r requirements.txt\n"
    )


def write_constraints(resolution: Resolution, target_dir: Path) -> Path:
    """Write the stage's constraints file into ``target_dir`` (e.g. .upgrader/constraints)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / resolution.filename
    write_atomic(path, resolution.text.encode())
    return path
