"""The Python a project runs on today, from every file that says so.

Sources (the ``kind`` of each ``PythonDeclaration``), in the order that decides:

1. ``config``: ``[tool.upgrader] python`` (the user said so).
2. ``.python-version``: names the one interpreter developers run (pyenv, uv; first line).
3. ``runtime.txt``: the platform's production runtime (``python-3.8.10``).
   ``Pipfile``: ``[requires] python_version``/``python_full_version`` (pipenv's interpreter).
4. ``Dockerfile``: ``FROM python:3.9-slim`` in ``Dockerfile*``/``*.dockerfile``/``Containerfile``;
   the last ``FROM python:`` of a file (the runtime stage), the root Dockerfile first. Tags
   built from ``ARG``s (``python:${PY}``) say nothing and are ignored.
5. ``ci``: ``python-version``/``python`` keys and ``python:X.Y`` images in GitHub workflows,
   ``.gitlab-ci.yml``, ``.travis.yml`` and ``.circleci/config.yml``: the lowest of a matrix.
6. ``tox.ini``: ``pyXY`` factors of ``envlist`` and ``basepython``: the lowest.
   ``classifiers``: ``Programming Language :: Python :: 3.7`` in setup.py, setup.cfg or
   ``[project]``: the Pythons a package says it supports (a reusable app often has no CI file).
7. ``requires-python``: ``[project] requires-python``, Poetry's ``python``, ``python_requires``
   of setup.py/setup.cfg: the lowest feature release the range allows.

Declarations naming one interpreter come before matrices, and matrices before ranges: the more
specific the evidence, the more it says about what runs today. Every declaration is kept as
evidence. Files in a template or vendored folder (``project_template/Dockerfile`` of a library
that ships a project skeleton, ``vendor/``, ``examples/``, ``docs/``, a cookiecutter's
``{{cookiecutter.name}}/``) describe other projects: they decide only when no file of the
project itself names a Python. The workflow ``upgrader ci`` writes (its first line is
``GENERATED_MARKER``) is ours, not the project's evidence, and is not read.

Read statically (``find_python_version``), a matrix or range gives its lowest entry. Once the
current Django is known, ``python_for_django`` picks the Python the upgrade runs on: the newest
entry of the matrix (the newest Python the range allows) that this Django supports, because the
project's CI already proves the code there and every later hop needs a newer Python anyway;
``PythonFinding.reason`` says which file and entry it came from.

A file that does not parse on the Python upgrader runs on may be valid newer Python:
``newer_syntax`` asks the newer interpreters found on this machine (each one run, never
guessed), and ``syntax_error_reason`` says "upgrader runs on Python 3.11; this file needs
Python 3.12" instead of calling it a syntax error to fix. ``syntax_too_new_for`` tells, with
the running parser's ``feature_version``, whether code uses syntax newer than the project's
chosen Python (``match`` on 3.8).

A project in a subfolder of its git repository (``src/``) also has the files at the git root read
(CI files, ``.python-version``, ``runtime.txt``, a Dockerfile, ``tox.ini``): they describe the
same code (``sources.enclosing_repository`` says when). Evidence names them relative to the project root (``../.travis.yml``).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from upgrader.detect.model import Evidence, ProjectConfig, PythonDeclaration
from upgrader.detect.requirements import poetry_to_pep440
from upgrader.detect.sources import ProjectReader, enclosing_repository, line_of
from upgrader.interpreters import Interpreter, discover, supported_pythons
from upgrader.releases import RELEASES, get_release

PRIORITY = (
    "config",
    ".python-version",
    "runtime.txt",
    "Pipfile",
    "Dockerfile",
    "ci",
    "tox.ini",
    "classifiers",
    "requires-python",
)
_MATRIX_KINDS = frozenset({"ci", "tox.ini", "classifiers", "requires-python"})
_CLASSIFIER = re.compile(r"^Programming Language :: Python :: (\d+\.\d+)$")
_WHERE = {
    "ci": "the project's CI runs",
    "tox.ini": "tox.ini's envlist runs",
    "classifiers": "the project's classifiers name",
}

_VERSION = re.compile(r"(?<![\d.])([23])\.(\d{1,2})(?![\d])")
_FROM_PYTHON = re.compile(
    r"^\s*FROM\s+(?:--\S+\s+)*(?:[\w.:-]+/)*python:(\d+\.\d+)[\w.-]*", re.IGNORECASE
)
_CI_IMAGE = re.compile(r"""\b(?:image|name|container)\s*:\s*["']?(?:[\w.:-]+/)*python:(\d+\.\d+)""")
_CI_KEY = re.compile(r"""^(\s*)(?:-\s*)?["']?(python-version|python)["']?\s*:\s*(.*)$""")
_CI_ITEM = re.compile(r"""^\s*-\s*["']?(\d+\.\d+)""")
_TOX_FACTOR = re.compile(r"(?<![\w.])py(\d)(\d{1,2})(?!\d)")
_BRACES = re.compile(r"\{([^{}]*)\}")
_CI_FILES = (".gitlab-ci.yml", ".travis.yml", ".circleci/config.yml")
# The first line of every file ``upgrader ci`` writes (upgrader/ci.py).
GENERATED_MARKER = "# Generated by upgrader"
# Folders whose files describe other projects: templates a package ships, vendored code, examples.
TEMPLATE_FOLDERS = frozenset(
    {
        "project_template",
        "app_template",
        "templates",
        "template",
        "skeleton",
        "scaffold",
        "boilerplate",
        "vendor",
        "vendored",
        "_vendor",
        "third_party",
        "node_modules",
        "examples",
        "example",
        "docs",
    }
)


@dataclass(frozen=True)
class PythonFinding:
    version: str | None  # "3.8"; None when nothing says
    declarations: tuple[PythonDeclaration, ...]
    source: PythonDeclaration | None
    reason: str = ""  # why ``version``: the file and entry it came from, and the rule


def _key(version: str) -> Version:
    return Version(version)


def _feature(text: str) -> str | None:
    match = _VERSION.search(text)
    return f"{match.group(1)}.{int(match.group(2))}" if match else None


def _known_pythons() -> list[str]:
    names = {"2.7", *(f"3.{minor}" for minor in range(4))}
    names.update(p.python for release in RELEASES for p in release.python)
    return sorted(names, key=_key)


def lowest_allowed_python(specifier: str) -> str | None:
    """The lowest known Python feature release ``specifier`` allows (``>=3.8.1`` -> 3.8)."""
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    for name in _known_pythons():
        if any(spec.contains(c, prereleases=False) for c in (name, f"{name}.99")):
            return name
    return None


class _Found:
    def __init__(self, reader: ProjectReader) -> None:
        self.reader = reader
        self.items: list[PythonDeclaration] = []

    def add(self, kind: str, version: str, path: Path, line: int | None, detail: str) -> None:
        evidence = Evidence(self.reader.rel(path), line, detail)
        self.items.append(PythonDeclaration(evidence, kind, version))


def _python_version_file(found: _Found, folder: Path) -> None:
    path = folder / ".python-version"
    text = found.reader.text(path) or ""
    for number, line in enumerate(text.splitlines(), start=1):
        version = _feature(line.split("#")[0])
        if version:
            found.add(".python-version", version, path, number, line.strip())
            return


def _runtime_txt(found: _Found, folder: Path) -> None:
    path = folder / "runtime.txt"
    text = found.reader.text(path) or ""
    first: tuple[int, str] | None = None  # the first line that says something
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*python-(\d+\.\d+)", line)
        if match:
            found.add("runtime.txt", _feature(match.group(1)) or "", path, number, line.strip())
            return
        if first is None and line.strip() and not line.lstrip().startswith("#"):
            first = number, line.strip()
    if first is not None:  # a runtime.txt that names no Python says nothing: tell the user
        number, line = first
        found.reader.skip(
            path,
            f"line {number}: {line[:80]!r} is not a Python runtime: write it like python-3.8.10",
        )


def _pipfile(found: _Found) -> None:
    path = found.reader.root / "Pipfile"
    data = found.reader.toml(path) if path.is_file() else None
    requires = data.get("requires") if isinstance(data, dict) else None
    if not isinstance(requires, dict):
        return
    text = found.reader.text(path) or ""
    for key in ("python_full_version", "python_version"):
        value = requires.get(key)
        version = _feature(value) if isinstance(value, str) else None
        if version:
            line = line_of(text, rf"^\s*{key}\s*=")
            found.add("Pipfile", version, path, line, f"[requires] {key} = {value!r}")
            return


def _is_dockerfile(path: Path) -> bool:
    name = path.name
    return name.startswith(("Dockerfile", "Containerfile")) or name.endswith(".dockerfile")


def _dockerfiles(found: _Found, files: Sequence[Path], extra: Sequence[Path] = ()) -> None:
    root = found.reader.root
    paths = sorted((p for p in files if _is_dockerfile(p)), key=lambda p: (p.parent != root, p))
    paths += [p for p in extra if p not in paths]
    for path in paths:
        text = found.reader.text(path) or ""
        stages = [
            (number, match)
            for number, line in enumerate(text.splitlines(), start=1)
            if (match := _FROM_PYTHON.match(line))
        ]
        # The last stage is what runs: list it first so it decides among this file's stages.
        for number, match in reversed(stages):
            version = _feature(match.group(1)) or ""
            found.add("Dockerfile", version, path, number, match.group(0).strip())


def _ci_versions(text: str) -> Iterable[tuple[int, str, str]]:
    """(line, version, detail) for every Python a CI configuration names."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if (image := _CI_IMAGE.search(line)) is not None:
            yield index + 1, image.group(1), line.strip()
            continue
        match = _CI_KEY.match(line)
        if match is None:
            continue
        indent, _key_name, value = match.groups()
        value = value.split(" #")[0]
        if "${" in value:
            continue  # ${{ matrix.python-version }}: the matrix itself is read elsewhere
        if value.strip():
            for version in re.findall(r"\d+\.\d+", value):
                yield index + 1, version, line.strip()
            continue
        for offset, item in enumerate(lines[index + 1 :], start=index + 2):
            if not item.strip():
                continue
            if len(item) - len(item.lstrip()) < len(indent) or not item.lstrip().startswith("-"):
                break
            if entry := _CI_ITEM.match(item):
                yield offset, entry.group(1), item.strip()


def ci_files(root: Path, files: Sequence[Path]) -> list[Path]:
    """The CI configurations that may name Pythons: GitHub workflows, GitLab, Travis, CircleCI;
    those at the git root too when the project is in a subfolder of its repository."""
    workflows = root / ".github" / "workflows"
    paths = [p for p in files if p.parent == workflows and p.suffix in (".yml", ".yaml")]
    paths += [root / name for name in _CI_FILES]
    top = enclosing_repository(root)
    if top is not None:
        paths += sorted(
            p
            for p in (top / ".github" / "workflows").glob("*.y*ml")
            if p.suffix in (".yml", ".yaml")
        )
        paths += [top / name for name in _CI_FILES]
    return [p for p in paths if p.is_file()]


def _ci(found: _Found, files: Sequence[Path]) -> None:
    for path in ci_files(found.reader.root, files):
        text = found.reader.text(path)
        if text is not None and text.startswith(GENERATED_MARKER):
            continue  # upgrader ci's matrix of stages: what we run, not what the project runs
        for number, version, detail in _ci_versions(text or ""):
            feature = _feature(version)
            if feature:
                found.add("ci", feature, path, number, detail)


def expand_braces(text: str, limit: int = 1000) -> list[str]:
    """tox's generative names: ``py{37,38}-django{22,30}`` -> the four combinations."""
    match = _BRACES.search(text)
    if match is None:
        return [text]
    results: list[str] = []
    for option in match.group(1).split(","):
        expanded = text[: match.start()] + option.strip() + text[match.end() :]
        results.extend(expand_braces(expanded, limit))
        if len(results) >= limit:
            break
    return results[:limit]


def split_envlist(text: str) -> list[str]:
    """tox's env list split at the commas and line breaks outside braces:
    ``py{27,34}-dj111,\n py35`` -> ``["py{27,34}-dj111", "py35"]``."""
    entries: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        if depth == 0 and char in ",\n":
            entries.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    entries.append("".join(current).strip())
    return [entry for entry in entries if entry]


def _tox(found: _Found, folder: Path) -> None:
    path = folder / "tox.ini"
    parser = found.reader.ini(path)
    text = found.reader.text(path)
    if parser is None or text is None:
        return
    for section in parser.sections():
        keys = ("envlist", "env_list") if section == "tox" else ("basepython",)
        for key in keys:
            if not parser.has_option(section, key):
                continue
            value = parser.get(section, key)
            line = line_of(text, rf"^\s*{key}\s*=")
            if key == "basepython":
                versions = [v for v in [_feature(value)] if v]
            else:
                names = " ".join(n for entry in split_envlist(value) for n in expand_braces(entry))
                versions = [f"{a}.{b}" for a, b in _TOX_FACTOR.findall(names)]
            for version in dict.fromkeys(versions):  # one declaration per Python, not per env
                found.add("tox.ini", version, path, line, f"[{section}] {key}")


def _classifiers(found: _Found) -> None:
    reader = found.reader
    root = reader.root
    entries: list[tuple[Path, str]] = []
    setup_py = root / "setup.py"
    tree = reader.python(setup_py) if setup_py.is_file() else None
    for node in ast.walk(tree) if tree else ():
        if (
            isinstance(node, ast.keyword)
            and node.arg == "classifiers"
            and isinstance(node.value, (ast.List, ast.Tuple))
        ):
            entries += [
                (setup_py, e.value)
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
    setup_cfg = root / "setup.cfg"
    parser = reader.ini(setup_cfg) if setup_cfg.is_file() else None
    if parser is not None and parser.has_option("metadata", "classifiers"):
        entries += [
            (setup_cfg, line) for line in parser.get("metadata", "classifiers").splitlines()
        ]
    pyproject = root / "pyproject.toml"
    project = (reader.toml(pyproject) or {}).get("project") if pyproject.is_file() else None
    if isinstance(project, dict) and isinstance(project.get("classifiers"), list):
        entries += [(pyproject, c) for c in project["classifiers"] if isinstance(c, str)]
    seen: set[tuple[Path, str]] = set()
    for path, text in entries:
        match = _CLASSIFIER.match(text.strip())
        version = _feature(match.group(1)) if match else None
        if version and (path, version) not in seen:
            seen.add((path, version))
            line = line_of(reader.text(path) or "", re.escape(text.strip()))
            found.add("classifiers", version, path, line, text.strip())


def _requires_python(found: _Found) -> None:
    reader = found.reader
    pyproject = reader.root / "pyproject.toml"
    data = reader.toml(pyproject) or {}
    text = reader.text(pyproject) or ""
    project = data.get("project")
    specs: list[tuple[Path, int | None, str]] = []
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        specs.append(
            (pyproject, line_of(text, r"^\s*requires-python\s*="), project["requires-python"])
        )
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(deps, dict) and isinstance(deps.get("python"), str):
        converted = poetry_to_pep440(deps["python"])
        if converted is not None:
            specs.append((pyproject, line_of(text, r"^\s*python\s*="), converted))
    setup_py = reader.root / "setup.py"
    tree = reader.python(setup_py)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.keyword) and node.arg == "python_requires":
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                specs.append((setup_py, value.lineno, value.value))
    setup_cfg = reader.root / "setup.cfg"
    parser = reader.ini(setup_cfg)
    if parser is not None and parser.has_option("options", "python_requires"):
        line = line_of(reader.text(setup_cfg) or "", r"^\s*python_requires\s*=")
        specs.append((setup_cfg, line, parser.get("options", "python_requires").strip()))
    for path, line, spec in specs:
        version = lowest_allowed_python(spec)
        if version:
            found.add("requires-python", version, path, line, spec)


def is_template_path(file: str) -> bool:
    """Whether ``file`` (relative, "/"-separated) is in a template or vendored folder
    (``TEMPLATE_FOLDERS``, or a folder named with template tags: ``{{ cookiecutter.slug }}``)."""
    folders = PurePosixPath(file).parts[:-1]
    return any(part.lower() in TEMPLATE_FOLDERS or "{{" in part or "{%" in part for part in folders)


def is_template(declaration: PythonDeclaration) -> bool:
    """Whether the declaration is read from a template or vendored folder."""
    return is_template_path(declaration.evidence.file)


def _deciding_kind(declarations: Sequence[PythonDeclaration]) -> list[PythonDeclaration]:
    """The declarations of the strongest kind present (see ``PRIORITY``), in reading order;
    the project's own files first, templates and vendored code only when nothing else says."""
    own = [d for d in declarations if not is_template(d)]
    ranked = own or list(declarations)
    for kind in PRIORITY:
        of_kind = [d for d in ranked if d.kind == kind]
        if of_kind:
            return of_kind
    return []


def _choose(declarations: Sequence[PythonDeclaration]) -> PythonDeclaration | None:
    of_kind = _deciding_kind(declarations)
    if not of_kind:
        return None
    if of_kind[0].kind in _MATRIX_KINDS:
        return min(of_kind, key=lambda d: _key(d.version))
    return of_kind[0]


def _describe(declaration: PythonDeclaration) -> str:
    detail = f": {declaration.evidence.detail}" if declaration.evidence.detail else ""
    return f"{declaration.evidence} ({declaration.kind}{detail})"


def _allowed(declaration: PythonDeclaration, python: str) -> bool:
    """Whether a ``requires-python`` range (its detail is the specifier) allows ``python``."""
    try:
        spec = SpecifierSet(declaration.evidence.detail)
    except InvalidSpecifier:
        return False
    return any(spec.contains(c, prereleases=False) for c in (python, f"{python}.99"))


def python_for_django(finding: PythonFinding, django: Version) -> PythonFinding:
    """The Python the upgrade starts from, now that the project's Django is known.

    One interpreter named (config, ``.python-version``, ``runtime.txt``, Pipfile, Dockerfile):
    that one. A matrix (CI, tox.ini): its newest entry that ``django`` supports. A range
    (``requires-python``): the newest Python ``django`` supports that the range allows. When
    the matrix has no supported entry, its newest entry (the hop path then moves to the nearest
    supported Python). The reason names the file, the entry and the rule.
    """
    of_kind = _deciding_kind(finding.declarations)
    if not of_kind:
        return finding
    kind = of_kind[0].kind
    release = get_release(django)
    if kind not in _MATRIX_KINDS:
        chosen = of_kind[0]
        reason = f"{_describe(chosen)} names Python {chosen.version}"
        return PythonFinding(chosen.version, finding.declarations, chosen, reason)
    if release is None:  # a Django outside the release table: the static answer stands
        return finding
    supported = supported_pythons(release, django)  # 2.2.5 leaves out 3.8 (from 2.2.8)
    name = f"Django {django}"
    if kind == "requires-python":
        for python in reversed(supported):
            for declaration in of_kind:
                if _allowed(declaration, python):
                    reason = (
                        f"the newest Python {name} supports ({', '.join(supported)}) that "
                        f"{_describe(declaration)} allows"
                    )
                    return PythonFinding(python, finding.declarations, declaration, reason)
        chosen = max(of_kind, key=lambda d: _key(d.version))
        reason = (
            f"{_describe(chosen)} allows no Python {name} supports; its lowest is {chosen.version}"
        )
        return PythonFinding(chosen.version, finding.declarations, chosen, reason)
    runs = sorted({d.version for d in of_kind}, key=_key)
    where = _WHERE[kind]
    candidates = [d for d in of_kind if d.version in supported]
    if candidates:
        newest = max(_key(d.version) for d in candidates)
        chosen = next(d for d in candidates if _key(d.version) == newest)
        reason = (
            f"the newest Python {where} ({', '.join(runs)}) that {name} supports: "
            f"{_describe(chosen)}"
        )
    else:
        newest = max(_key(d.version) for d in of_kind)
        chosen = next(d for d in of_kind if _key(d.version) == newest)
        reason = (
            f"{where} Python {', '.join(runs)}, none of which {name} supports "
            f"({', '.join(supported)}); its newest: {_describe(chosen)}"
        )
    return PythonFinding(chosen.version, finding.declarations, chosen, reason)


def find_python_version(
    reader: ProjectReader, files: Sequence[Path], config: ProjectConfig
) -> PythonFinding:
    """The Python the project runs on today. ``files``: the project's files (for Dockerfiles
    and GitHub workflows), as ``upgrader.files.project_files`` lists them."""
    found = _Found(reader)
    root = reader.root
    top = enclosing_repository(root)
    folders = [root] if top is None else [root, top]
    if config.python:
        found.add("config", config.python, root / "pyproject.toml", None, "[tool.upgrader]")
    for folder in folders:
        _python_version_file(found, folder)
    for folder in folders:
        _runtime_txt(found, folder)
    _pipfile(found)
    extra_dockerfiles = [
        p for f in folders[1:] for p in sorted(f.iterdir()) if p.is_file() and _is_dockerfile(p)
    ]
    _dockerfiles(found, files, extra_dockerfiles)
    _ci(found, files)
    for folder in folders:
        _tox(found, folder)
    _classifiers(found)
    _requires_python(found)
    chosen = _choose(found.items)
    reason = f"{_describe(chosen)} (read statically)" if chosen else ""
    return PythonFinding(chosen.version if chosen else None, tuple(found.items), chosen, reason)


# --- syntax newer than a Python ------------------------------------------------------------

SYNTAX_TIMEOUT = 20.0  # seconds for another interpreter to parse one file
_PARSE = "import ast, sys; ast.parse(sys.stdin.buffer.read())"


def _running() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def newer_syntax(text: str, interpreters: Sequence[Interpreter] | None = None) -> str | None:
    """The oldest Python newer than the running one whose parser accepts ``text``; None when
    none found here does (a real syntax error, or no newer interpreter to ask).

    ``interpreters``: the candidates (default: ``interpreters.discover()``); each is run.
    """
    running = Version(_running())
    candidates = discover() if interpreters is None else interpreters
    newer: dict[str, Interpreter] = {}
    for interpreter in sorted(candidates, key=lambda i: i.version):
        if Version(interpreter.feature) > running:
            newer.setdefault(interpreter.feature, interpreter)
    data = text.encode("utf-8", errors="surrogateescape")
    for feature, interpreter in newer.items():
        try:
            result = subprocess.run(
                [str(interpreter.path), "-c", _PARSE],
                input=data,
                capture_output=True,
                timeout=SYNTAX_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0:
            return feature
    return None


def syntax_error_reason(
    exc: SyntaxError, text: str, interpreters: Sequence[Interpreter] | None = None
) -> str:
    """Why a file did not parse, as a sentence for the user: newer Python when it is (with what
    to do), else the syntax error at its line."""
    where = f"line {exc.lineno}" if exc.lineno else "somewhere"
    running = _running()
    needed = newer_syntax(text, interpreters)
    if needed is not None:
        return (
            f"upgrader runs on Python {running}; this file needs Python {needed} (its syntax "
            f"at {where} is newer): install upgrader on Python {needed} or newer, or add the "
            "file to [tool.upgrader] exclude"
        )
    return (
        f"syntax error at {where} ({exc.msg}) for Python {running}: fix it, or add the file "
        "to [tool.upgrader] exclude"
    )


def syntax_too_new_for(text: str, python: str) -> str | None:
    """Why ``text`` does not parse as Python ``python`` ("3.8") though it parses here: the
    parser's message with its line ("line 3: Pattern matching is only supported in Python 3.10
    and greater"); None when it parses (or ``python`` is not older than the running one, or the
    text does not parse here at all). ``feature_version`` is best-effort: the newest grammar
    checks (3.12's f-strings) are not all tied to it."""
    try:
        version = Version(python)
    except ValueError:
        return None
    if version >= Version(_running()) or version.major != 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        try:
            ast.parse(text, feature_version=(3, version.minor))
        except SyntaxError as exc:
            return f"line {exc.lineno}: {exc.msg}" if exc.lineno else exc.msg
        except (ValueError, RecursionError, MemoryError):
            return None
    return None
