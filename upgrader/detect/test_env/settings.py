"""The settings modules, read with ``ast``: the environment variables they read (passed
through), the CI flags they test (set when that selects no CI service), and a manifest static
files storage (``collectstatic`` before the tests); catalogues with no compiled ``.mo``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from upgrader.detect.model import Evidence
from upgrader.detect.test_env.found import NAME, Found

# GitHub Actions, GitLab CI and Travis set these on every run, without the workflow naming them.
CI_FLAGS = {
    "GITHUB_ACTIONS": ".github/workflows",
    "GITLAB_CI": ".gitlab-ci.yml",
    "TRAVIS": ".travis.yml",
}
_ENV_TYPED = frozenset(
    {"bool", "str", "int", "float", "list", "tuple", "dict", "json", "url", "db", "db_url", "cache"}
)
# Settings a CI flag must not switch on here: they point at services CI starts and we do not.
SERVICE_SETTINGS = frozenset(
    {
        "DATABASES",
        "CACHES",
        "CHANNEL_LAYERS",
        "HAYSTACK_CONNECTIONS",
        "ELASTICSEARCH_DSL",
        "BROKER_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "REDIS_URL",
        "DATABASE_URL",
    }
)


def _read_key(node: ast.AST) -> ast.expr | None:
    """The variable-name expression of an environment read, or None when ``node`` is none."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    if (
        isinstance(node, ast.Compare)
        and _is_environ(node.comparators[0])
        and isinstance(node.ops[0], ast.In | ast.NotIn)
    ):
        return node.left
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("getenv", "env", "config"):
            return node.args[0]
        if isinstance(func, ast.Attribute) and (
            func.attr == "getenv"
            or (func.attr == "get" and _is_environ(func.value))
            or (
                isinstance(func.value, ast.Name)
                and func.value.id == "env"
                and func.attr in _ENV_TYPED
            )
        ):
            return node.args[0]
    return None


def _read_names(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Names of environment variables read under ``tree``: ``os.environ["X"]``, ``"X" in
    os.environ``, ``os.getenv("X")``, ``os.environ.get("X")``, django-environ's ``env("X")`` and
    ``env.bool("X")``, decouple's ``config("X")``."""
    for node in ast.walk(tree):
        key = _read_key(node)
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and NAME.fullmatch(key.value)
        ):
            yield key.value, key.lineno


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _assigned(nodes: Iterable[ast.stmt]) -> set[str]:
    """Setting names assigned (or item-assigned, ``DATABASES["default"] = ...``) in ``nodes``."""
    names: set[str] = set()
    for statement in nodes:
        for node in ast.walk(statement):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                while isinstance(target, ast.Subscript | ast.Attribute):
                    target = target.value
                if isinstance(target, ast.Name):
                    names.add(target.id)
    return names


def _flag_switches(tree: ast.Module, flag: str) -> tuple[set[str], bool]:
    """(settings assigned under an ``if`` on ``flag``, whether every read of it is such a test)."""
    switched: set[str] = set()
    tested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If | ast.IfExp):
            reads = [line for name, line in _read_names(node.test) if name == flag]
            if reads:
                tested.update(reads)
                if isinstance(node, ast.If):
                    switched |= _assigned([*node.body, *node.orelse])
                else:
                    switched.add("?")  # a value chosen by the flag: what it feeds is unknown
    every = {line for name, line in _read_names(tree) if name == flag} <= tested
    return switched, every


def from_settings(found: Found, settings_files: Iterable[Path]) -> None:
    root = found.reader.root
    for path in settings_files:
        tree = found.reader.python(path if path.is_absolute() else root / path)
        if tree is None:
            continue
        for name, line in sorted(_read_names(tree), key=lambda found: found[1]):
            evidence = found.evidence(root / path, line, "read by the settings")
            found.passes(name, evidence)
            ci = CI_FLAGS.get(name)
            if not ci or not (root / ci).exists() or name in found.env:
                continue
            switched, every = _flag_switches(tree, name)
            services = sorted(switched & SERVICE_SETTINGS)
            if every and "?" not in switched and not services:
                what = ", ".join(sorted(switched)) or "nothing"
                found.set(
                    name,
                    "true",
                    Evidence(
                        evidence.file,
                        evidence.line,
                        f"set on every {ci} run; here it selects {what}",
                    ),
                )
                continue
            why = (
                f"it selects {', '.join(services)} (a CI service)"
                if services
                else "what it selects cannot be read statically"
            )
            found.note(
                f"{name} is set on every CI run ({ci}) but not here: {why}; to test with the CI "
                f'settings, set it in your environment or [tool.upgrader] env = {{{name} = "true"}}',
                evidence,
            )


# --- a Manifest static files storage: collectstatic before the tests -------------------------

# ManifestStaticFilesStorage, whitenoise's CompressedManifestStaticFilesStorage, ManifestFilesMixin.
_MANIFEST = re.compile(r"Manifest\w*(StaticFilesStorage|FilesMixin)$")
COLLECTSTATIC = "python manage.py collectstatic --noinput"


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _item(node: ast.expr | None, key: str) -> ast.expr | None:
    """``node[key]`` of a dict literal."""
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if _string(k) == key:
                return v
    return None


def _storage_settings(tree: ast.Module) -> Iterator[tuple[str, int, str]]:
    """(dotted path, line, setting) of each static files storage the settings name:
    ``STATICFILES_STORAGE = "..."`` and ``STORAGES["staticfiles"]["BACKEND"]`` (a dict literal,
    or item assignments)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            value: ast.expr | None = None
            setting = "STORAGES"
            if isinstance(target, ast.Name) and target.id == "STATICFILES_STORAGE":
                value, setting = node.value, target.id
            elif isinstance(target, ast.Name) and target.id == "STORAGES":
                value = _item(_item(node.value, "staticfiles"), "BACKEND")
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                if target.value.id == "STORAGES" and _string(target.slice) == "staticfiles":
                    value = _item(node.value, "BACKEND")
            elif (
                isinstance(target, ast.Subscript)
                and _string(target.slice) == "BACKEND"
                and isinstance(target.value, ast.Subscript)
                and isinstance(target.value.value, ast.Name)
                and target.value.value.id == "STORAGES"
                and _string(target.value.slice) == "staticfiles"
            ):
                value = node.value
            path = _string(value)
            if path:
                yield path, node.lineno, setting


def _is_manifest(found: Found, dotted: str, depth: int = 0) -> bool:
    """Whether the storage class at ``dotted`` is a manifest storage: by its name, or a class of
    the project's own code whose bases are (read with ``ast``, followed through its module)."""
    module, _, name = dotted.rpartition(".")
    if _MANIFEST.search(name):
        return True
    if not module or depth > 4:
        return False
    base = found.reader.root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        tree = found.reader.python(path) if path.is_file() else None
        if tree is None:
            continue
        imported = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                for b in node.bases:
                    base_name = (
                        b.id
                        if isinstance(b, ast.Name)
                        else b.attr
                        if isinstance(b, ast.Attribute)
                        else ""
                    )
                    if _MANIFEST.search(base_name):
                        return True
                    target = imported.get(base_name, f"{module}.{base_name}")
                    if base_name and _is_manifest(found, target, depth + 1):
                        return True
        return False
    return False


def manifest_collectstatic(found: Found, settings_files: Iterable[Path]) -> None:
    """F3 (locallibrary): a Manifest storage needs the manifest ``collectstatic`` writes (Heroku
    runs it at deploy, so no file of the repository does); without it every page that names a
    static file raises "Missing staticfiles manifest entry". Added as a pre-test command unless
    one runs collectstatic or ``[tool.upgrader] pre-test`` is set (``[]`` turns it off)."""
    if any("collectstatic" in item.value for item in found.pre_test.values()):
        return
    pyproject = found.reader.toml(found.reader.root / "pyproject.toml") or {}
    table = pyproject.get("tool", {}).get("upgrader", {}) if isinstance(pyproject, dict) else {}
    if isinstance(table, dict) and "pre-test" in table:
        return  # the user's list, even an empty one, is the whole of it
    root = found.reader.root
    trees: list[tuple[Path, ast.Module]] = []
    for path in settings_files:
        absolute = path if path.is_absolute() else root / path
        tree = found.reader.python(absolute)
        if tree is not None:
            trees.append((absolute, tree))
    static_root = any("STATIC_ROOT" in _assigned(tree.body) for _path, tree in trees)
    for absolute, tree in trees:
        for dotted, line, setting in _storage_settings(tree):
            if not _is_manifest(found, dotted):
                continue
            evidence = found.evidence(
                absolute,
                line,
                f"{setting} is a manifest storage ({dotted.rpartition('.')[2]}): the tests need "
                "the manifest collectstatic writes",
            )
            if not (root / "manage.py").is_file() or not static_root:
                missing = "there is no manage.py to run it" if static_root else "no STATIC_ROOT"
                found.note(
                    f"{setting} names a manifest storage, whose manifest collectstatic writes, and "
                    f"{missing}: add the command to [tool.upgrader] pre-test",
                    evidence,
                )
                return
            found.command(COLLECTSTATIC, evidence)
            return


def uncompiled_messages(found: Found) -> None:
    """Catalogues (``locale/<lang>/LC_MESSAGES/*.po``) with no compiled ``.mo`` beside them: tests
    of translated text need ``compilemessages`` first, which needs GNU gettext's ``msgfmt`` (not a
    Python package), so a note says what to add rather than a command that may not run here."""
    if any("compilemessages" in item.value for item in found.pre_test.values()):
        return
    from upgrader.files import project_files

    root = found.reader.root
    missing = [
        path
        for path in project_files(root, suffixes=(".po",))
        if "LC_MESSAGES" in path.parts and not path.with_suffix(".mo").is_file()
    ]
    if missing:
        found.note(
            f"{len(missing)} translation catalogue(s) have no compiled .mo (e.g. "
            f"{found.reader.rel(missing[0])}): tests of translated text need `python manage.py "
            "compilemessages` before them (it needs GNU gettext's msgfmt): add it to "
            "[tool.upgrader] pre-test if they do",
            found.evidence(missing[0], None, "compilemessages"),
        )
