"""Guards around django-upgrade fixers whose rewrite can change what a project does.

Each guard decides from the original text of the file being rewritten and, where the answer
lives in another file, the original text of that file (a :class:`Sibling`, which the rewrite
stage passes to the worker and includes in the cache key). Decisions are pure functions of
those texts, so the two files of a pair (``__init__.py`` and ``apps.py``) decide alike.

- ``default_app_config`` (Django 3.2): removing the line keeps behaviour only when Django's
  own discovery (``AppConfig.create``) finds the named class in ``<package>/apps.py``: the
  class is the module's only AppConfig, or is marked ``default = True``. Where the module has
  other candidates (imported base configs count: ``inspect.getmembers`` sees them), the named
  class gets ``default = True``; where Django could not find it at all (the class lives in
  ``__init__.py`` or another module, no ``apps.py``) the line stays and is a manual item.
- ``settings_storages`` (Django 4.2): ``STORAGES = {**STORAGES, ...}`` is only valid when a
  star import that provides ``STORAGES`` runs before it; otherwise the whole dict is written,
  with Django's default for the other key.

See ``docs/wrapped-fixers.md`` for the audit of every wrapped fixer.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from codemods import docs_note
from upgrader.rewrite.model import Sibling

APPS_DOCS = "https://docs.djangoproject.com/en/3.2/ref/applications/#configuring-applications"
STORAGES_DOCS = "https://docs.djangoproject.com/en/4.2/ref/settings/#storages"
DEFAULT_APP_CONFIG = b"default_app_config"
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _parse(text: str | None) -> ast.Module | None:
    if text is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


# --------------------------------------------------------------------------- default_app_config


AppConfigAction = Literal["remove", "mark-default", "create-apps", "keep"]


@dataclass(frozen=True)
class AppConfigDecision:
    """What to do with ``default_app_config = "<value>"`` in a package's ``__init__.py``."""

    action: AppConfigAction
    value: str
    line: int
    class_name: str
    reason: str = ""  # for "keep": why the line stays and what to do by hand


def default_app_config(tree: ast.Module) -> tuple[str, int] | None:
    """The value and line of a module-level ``default_app_config = "..."`` (what the fixer
    removes), if any."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "default_app_config"
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value, node.lineno
    return None


def _module_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those under ``if``/``try``/``with`` (not in defs)."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _module_statements(node.body)
            yield from _module_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _module_statements(block)
            for handler in node.handlers:
                yield from _module_statements(handler.body)
        elif isinstance(node, ast.With):
            yield from _module_statements(node.body)


def _explicit_default(node: ast.ClassDef) -> bool | None:
    """``default = True/False`` written in the class body (None: not written)."""
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "default" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
        ):
            return bool(stmt.value.value)
    return None


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def decide_default_app_config(
    init_tree: ast.Module, package: str, apps: Sibling | None, *, apps_taken: bool = False
) -> AppConfigDecision | None:
    """The guard's decision for the ``__init__.py`` of the package folder named ``package``;
    None when the file has no ``default_app_config`` line the fixer would remove.
    ``apps_taken``: the package has an ``apps`` subpackage, so no ``apps.py`` can be added."""
    found = default_app_config(init_tree)
    if found is None:
        return None
    value, line = found
    module, _, class_name = value.rpartition(".")

    def keep(reason: str) -> AppConfigDecision:
        return AppConfigDecision("keep", value, line, class_name, reason)

    where_django_looks = f"{package}/apps.py"
    in_init = (module == package or module.endswith(f".{package}")) and any(
        isinstance(node, ast.ClassDef) and node.name == class_name for node in init_tree.body
    )
    if in_init and apps is None and not apps_taken:
        # The class lives in __init__.py: an apps.py that imports it is where Django looks.
        return AppConfigDecision("create-apps", value, line, class_name)
    if module != f"{package}.apps" and not module.endswith(f".{package}.apps"):
        return keep(
            f"default_app_config names {value}, which is not in {where_django_looks}, the only "
            "module Django 3.2+ searches for an AppConfig (the line is ignored from Django 4.1): "
            f"move {class_name} into {where_django_looks}, or name '{value}' in INSTALLED_APPS, "
            "then delete this line"
        )
    apps_tree = _parse(apps.text) if apps is not None else None
    if apps is None or apps_tree is None:
        return keep(
            f"default_app_config names {value}, but {where_django_looks} could not be read: "
            f"make sure Django finds {class_name} there (only class, or default = True), then "
            "delete this line"
        )
    classes = [n for n in _module_statements(apps_tree.body) if isinstance(n, ast.ClassDef)]
    named = [n for n in classes if n.name == class_name]
    if len(named) != 1:
        return keep(
            f"default_app_config names {value}, which {apps.rel} does not define as one class: "
            f"make sure Django finds {class_name} there (only class, or default = True), then "
            "delete this line"
        )
    target = named[0]
    if _explicit_default(target) is True:
        return AppConfigDecision("remove", value, line, class_name)
    others = [n for n in classes if n is not target]
    imported = _imported_class_names(apps_tree)
    if not others and not imported:
        return AppConfigDecision("remove", value, line, class_name)
    conflict = next(
        (n.name for n in others if class_name in _base_names(n) or _explicit_default(n) is True),
        None,
    )
    if conflict is not None or _explicit_default(target) is False:
        why = (
            f"{class_name} says default = False"
            if conflict is None
            else f"{conflict} would also be a default AppConfig"
        )
        return keep(
            f"default_app_config names {value}, and {apps.rel} has several AppConfig classes "
            f"({why}): Django 3.2+ would not pick {class_name}; mark exactly that class "
            "default = True (or name it in INSTALLED_APPS), then delete this line"
        )
    if not apps.editable or target.body[0].lineno == target.lineno:
        return keep(
            f"default_app_config names {value}, and {apps.rel} has several AppConfig classes: "
            f"add default = True to {class_name} (Django 3.2+ picks the plain AppConfig "
            "otherwise), then delete this line"
        )
    return AppConfigDecision("mark-default", value, line, class_name)


def _imported_class_names(tree: ast.Module) -> list[str]:
    """Names imported into the module that may be AppConfig subclasses (Django's discovery
    sees them): capitalised names and star imports, except Django's own names outside its
    ``apps`` modules (``django.apps.AppConfig`` itself, ``ImproperlyConfigured``, ...)."""
    names = []
    for node in _module_statements(tree.body):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        if not node.level and module.split(".")[0] == "django" and not module.endswith(".apps"):
            continue
        for alias in node.names:
            bound = alias.asname or alias.name
            if alias.name == "*":
                names.append("*")
            elif (
                not (module == "django.apps" and alias.name == "AppConfig") and bound[:1].isupper()
            ):
                names.append(bound)
    return names


def mark_default(apps_text: str, class_name: str) -> str:
    """``apps_text`` with ``default = True`` as the first statement of ``class_name`` (after its
    docstring); unchanged when the class is not found or already says ``default``."""
    tree = _parse(apps_text)
    if tree is None:
        return apps_text
    for node in _module_statements(tree.body):
        if not isinstance(node, ast.ClassDef) or node.name != class_name:
            continue
        if _explicit_default(node) is not None or node.body[0].lineno == node.lineno:
            return apps_text
        first = node.body[0]
        lines = _lines(apps_text)
        indent = lines[first.lineno - 1][: first.col_offset]  # as written: spaces or tabs
        has_docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        after = (first.end_lineno or first.lineno) if has_docstring else first.lineno - 1
        newline = _newline(lines[after - 1] if after else lines[0])
        lines.insert(after, f"{indent}default = True{newline}")
        return "".join(lines)
    return apps_text


def _lines(text: str) -> list[str]:
    """Lines with their endings, split where ``ast`` counts lines (not at ``\\f`` etc.)."""
    lines: list[str] = []
    start = 0
    for match in _NEWLINE.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _newline(line: str) -> str:
    match = _NEWLINE.search(line)
    return match.group() if match else "\n"


def apps_module_for(class_name: str) -> str:
    """The ``apps.py`` written beside an ``__init__.py`` that defines the app's AppConfig."""
    return (
        "# Django 3.2+ finds an app's AppConfig in its apps module only (default_app_config,\n"
        "# which named this class, is ignored from Django 4.1); the class stays in __init__.py.\n"
        f"from . import {class_name}\n"
        "\n"
        f'__all__ = ["{class_name}"]\n'
    )


def app_config_note(filename: str, decision: AppConfigDecision) -> str:
    if decision.action == "keep":
        return docs_note(filename, decision.line, decision.reason, APPS_DOCS)
    if decision.action == "create-apps":
        return docs_note(
            filename,
            decision.line,
            f"default_app_config removed; apps.py added beside it, importing {decision.class_name} "
            "(Django 3.2+ looks for the AppConfig there only)",
            APPS_DOCS,
        )
    return docs_note(
        filename,
        decision.line,
        f"default_app_config removed; {decision.class_name} marked default = True in apps.py "
        "(Django 3.2+ sees several AppConfig classes there, imported ones included, and picks "
        "the plain AppConfig otherwise)",
        APPS_DOCS,
    )


# --------------------------------------------------------------------------- settings_storages


STORAGE_SETTINGS = ("DEFAULT_FILE_STORAGE", "STATICFILES_STORAGE")
_DEFAULT_ENTRIES = {
    "default": "django.core.files.storage.FileSystemStorage",
    "staticfiles": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
_SPREAD = re.compile(r"^(?P<indent>[ \t]*)\*\*STORAGES,[ \t]*(?P<nl>\r\n|\r|\n)", re.MULTILINE)


def _settings_star_imports(tree: ast.Module) -> list[ast.ImportFrom]:
    """The star imports that make django-upgrade spread ``**STORAGES`` (any depth)."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.names[0].name == "*"
        and node.module is not None
        and "settings" in node.module
    ]


def _first_storage_assignment(tree: ast.Module) -> int | None:
    lines = [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in STORAGE_SETTINGS
    ]
    return min(lines, default=None)


def may_define_storages(data: bytes) -> bool:
    """Whether a star-imported module may bind ``STORAGES`` (directly, through the settings the
    rewrite turns into it, or through a star import of its own)."""
    return b"STORAGE" in data or b"import *" in data


def spread_is_valid(tree: ast.Module, provided: dict[str, bool | None]) -> bool:
    """Whether ``STORAGES = {**STORAGES, ...}`` at the first storage setting is valid.

    ``provided``: star-imported module name (as written, with leading dots) -> whether that
    module may define ``STORAGES`` (None: not a project file, assumed to). Only star imports
    written before the assignment count: one after it has not run yet.
    """
    first = _first_storage_assignment(tree)
    if first is None:
        return True
    for node in _settings_star_imports(tree):
        if node.lineno >= first:
            continue
        if provided.get(star_import_name(node)) is not False:
            return True
    return False


def star_import_name(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def settings_star_imports(tree: ast.Module) -> list[ast.ImportFrom]:
    """The star imports that make django-upgrade spread ``**STORAGES`` (any depth)."""
    return _settings_star_imports(tree)


def without_spread(after: str, before_tree: ast.Module) -> str:
    """django-upgrade's ``STORAGES`` block in ``after`` with the whole dict instead of the
    ``**STORAGES`` spread: Django's default for the key the file did not set."""
    match = _SPREAD.search(after)
    if match is None:
        return after
    assigned = {
        node.targets[0].id
        for node in before_tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    }
    indent, newline = match.group("indent"), match.group("nl")

    def entry(key: str) -> str:
        value = _DEFAULT_ENTRIES[key]
        return (
            f'{indent}"{key}": {{{newline}'
            f'{indent}{indent}"BACKEND": "{value}",{newline}'
            f"{indent}}},{newline}"
        )

    head = entry("default") if "DEFAULT_FILE_STORAGE" not in assigned else ""
    text = after[: match.start()] + head + after[match.end() :]
    if "STATICFILES_STORAGE" not in assigned:
        # The closing brace of the block: the first line after the spread that is just "}".
        close = re.compile(r"^\}[ \t]*(?:\r\n|\r|\n|\Z)", re.MULTILINE)
        end = close.search(text, match.start())
        if end is not None:
            text = text[: end.start()] + entry("staticfiles") + text[end.start() :]
    return text


def storages_note(filename: str, line: int) -> str:
    return docs_note(
        filename,
        line,
        "STORAGES written whole: no star import before this line defines STORAGES, so "
        "django-upgrade's {**STORAGES, ...} would raise NameError; the other key has Django's "
        "default",
        STORAGES_DOCS,
    )


# --------------------------------------------------------------------------- settings defaults

#: Fixers that delete ``SETTING = <the new default>``, and the first Django that ignores the
#: setting (removal is exact from there on, whatever was star-imported before).
DEFAULT_SETTING_FIXERS: dict[str, tuple[str, tuple[int, int]]] = {
    "use_l10n": ("USE_L10N", (5, 0)),
    "default_auto_field": ("DEFAULT_AUTO_FIELD", (99, 0)),
}


def star_import_before(tree: ast.Module, setting: str) -> bool:
    """Whether a star import runs before the first module-level assignment of ``setting``."""
    lines = [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == setting for t in node.targets)
    ]
    if not lines:
        return False
    first = min(lines)
    return any(
        isinstance(node, ast.ImportFrom) and node.names[0].name == "*" and node.lineno < first
        for node in ast.walk(tree)
    )


# --------------------------------------------------------------------------- fixer notes


@dataclass(frozen=True)
class FixerNote:
    """A manual item for a django-upgrade fixer whose change can alter behaviour in a way the
    rewrite cannot check (what a view receives, what a template shows, a migration)."""

    message: str
    docs: str
    marker: str = ""  # only when the fixer's output adds this text (empty: always)

    def applies(self, before: str, after: str) -> bool:
        return not self.marker or after.count(self.marker) > before.count(self.marker)

    def first_line(self, before: str, after: str) -> int | None:
        """The 0-based line of ``after`` where the marker first appears anew (None: none)."""
        if not self.marker:
            return None
        old = set(before.splitlines())
        for index, line in enumerate(after.splitlines()):
            if self.marker in line and line not in old:
                return index
        return None

    def text(self, filename: str, line: int | None) -> str:
        return docs_note(filename, line, self.message, self.docs)


FIXER_NOTES: dict[str, FixerNote] = {
    "django_urls": FixerNote(
        "url() made path() with an <int:...> converter: the view now receives an int, not a "
        "str; check views that use the argument as a string",
        "https://docs.djangoproject.com/en/2.0/topics/http/urls/#path-converters",
        marker="<int:",
    ),
    "format_html": FixerNote(
        "format_html() now gets its values as arguments, so they are escaped (the old call "
        "inserted them raw): values meant as HTML need mark_safe() or format_html() themselves",
        "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0",
    ),
    "null_boolean_field": FixerNote(
        "NullBooleanField made BooleanField(null=True): run makemigrations for the AlterField "
        "it needs (no schema change on PostgreSQL, MySQL or SQLite)",
        "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1",
    ),
    "postgres_float_range_field": FixerNote(
        "FloatRangeField made DecimalRangeField: its bounds are now Decimal, not float, in "
        "Python; check code doing float arithmetic with them, and run makemigrations",
        "https://docs.djangoproject.com/en/2.2/releases/2.2/#features-deprecated-in-2-2",
    ),
}
