"""Which URL names of a project route to ``django.contrib.auth``'s ``LogoutView``, read statically.

From ``ROOT_URLCONF`` (the settings modules' first string assignment; every ``urls.py`` of the
project when none is found), every ``path()``/``re_path()``/``url()`` call with ``name=`` is
followed, ``include()`` of project modules recursively with its namespace (``namespace=``, an
``(module, app_name)`` tuple, or the included module's ``app_name``). A name routes to
LogoutView when its view is ``LogoutView.as_view()`` (through any import alias), a project
class built on it (followed through project modules; a module-level ``logout = X.as_view()``
is followed to ``X``), ``logout_then_login``, the admin site's
``admin:logout``, or the ``logout`` of ``include("django.contrib.auth.urls")``. Nothing is
imported or run; files that cannot be read or parsed add no names. :class:`UrlconfReader` is the
public reader (:mod:`upgrader.findings.url_includes` extends it to third-party URLconfs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from upgrader.files import SourceText, read_text
from upgrader.project import Project
from upgrader.settings_modules import module_file, settings_modules

LOGOUT_VIEWS = frozenset(
    {
        "django.contrib.auth.views.LogoutView",
        "django.contrib.auth.views.logout_then_login",
    }
)
AUTH_URLS = "django.contrib.auth.urls"
AUTH_URL_NAMES = (
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
)
_ROUTE_FUNCS = frozenset({"path", "re_path", "url"})
_MAX_DEPTH = 8


def _parse(path: Path) -> ast.Module | None:
    source = read_text(path)
    if not isinstance(source, SourceText):
        return None
    try:
        return ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def dotted_name(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def string_value(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


@dataclass
class UrlModule:
    """A parsed URLconf (or views) module: its tree, dotted name and the names it binds."""

    path: Path
    tree: ast.Module
    dotted: str  # the module's dotted name ("" when unknown)
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> qualified name

    @classmethod
    def load(cls, path: Path, root: Path) -> UrlModule | None:
        tree = _parse(path)
        if tree is None:
            return None
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        module = cls(path, tree, ".".join(parts))
        package = parts[:-1] if rel.name != "__init__" else parts
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        module.imports[top] = top
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                    base = ".".join([*up, *([base] if base else [])])
                for alias in node.names:
                    if alias.name != "*":
                        module.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.ClassDef | ast.FunctionDef):
                module.imports[node.name] = f"{module.dotted}.{node.name}"
        return module

    def qualify(self, dotted: str) -> str:
        head, dot, rest = dotted.partition(".")
        known = self.imports.get(head)
        return f"{known}{dot}{rest}" if known else dotted


class UrlconfReader:
    """Reads modules under ``root`` (each parsed once) and the named routes they give.

    A subclass may look elsewhere (``module``/``load``), know more views (``is_logout_view``)
    or record the includes it cannot read (``unread_include``): see
    :mod:`upgrader.findings.url_includes`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: dict[Path, UrlModule | None] = {}

    def module(self, dotted: str) -> UrlModule | None:
        path = module_file(self.root, self.root, 0, dotted)
        return self.load(path) if path is not None else None

    def load(self, path: Path) -> UrlModule | None:
        if path not in self.modules:
            self.modules[path] = UrlModule.load(path, self.root)
        return self.modules[path]

    def is_logout_view(self, qualified: str, depth: int = 0) -> bool:
        """Whether ``qualified`` is LogoutView, logout_then_login, or a project subclass."""
        if qualified in LOGOUT_VIEWS:
            return True
        module_name, _, name = qualified.rpartition(".")
        module = self.module(module_name) if module_name and depth < _MAX_DEPTH else None
        if module is None:
            return False
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return any(
                    self.is_logout_view(module.qualify(base), depth + 1)
                    for base in filter(None, map(dotted_name, node.bases))
                )
            if isinstance(node, ast.ImportFrom | ast.Import) and name in module.imports:
                target = module.imports[name]
                if target != qualified:
                    return self.is_logout_view(target, depth + 1)
            if (
                # ``logout = LogoutView.as_view()`` (allauth's way): the class it is made from.
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "as_view"
                and (made_from := dotted_name(node.value.func.value)) is not None
            ):
                return self.is_logout_view(module.qualify(made_from), depth + 1)
        return False

    def names(self, module: UrlModule, prefix: str, depth: int) -> Iterator[tuple[str, bool]]:
        """``(namespaced URL name, routes to LogoutView)`` for every named route of ``module``."""
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = dotted_name(node.func)
            if func is None or func.rpartition(".")[2] not in _ROUTE_FUNCS:
                continue
            view = node.args[1]
            name = string_value(next((k.value for k in node.keywords if k.arg == "name"), None))
            if isinstance(view, ast.Call) and dotted_name(view.func) in ("include", "urls.include"):
                yield from self.included(module, view, prefix, depth)
            elif isinstance(view, ast.Attribute) and view.attr == "urls":
                yield f"{prefix}admin:logout", True  # an AdminSite's urls: logout is LogoutView
            elif name is not None:
                yield f"{prefix}{name}", self.routes_to_logout(module, view)

    def routes_to_logout(self, module: UrlModule, view: ast.expr) -> bool:
        if (
            isinstance(view, ast.Call)
            and isinstance(view.func, ast.Attribute)
            and view.func.attr == "as_view"
        ):
            view = view.func.value
        dotted = dotted_name(view)
        return dotted is not None and self.is_logout_view(module.qualify(dotted))

    def included(
        self, module: UrlModule, call: ast.Call, prefix: str, depth: int
    ) -> Iterator[tuple[str, bool]]:
        if not call.args or depth >= _MAX_DEPTH:
            return
        target = call.args[0]
        namespace = string_value(
            next((k.value for k in call.keywords if k.arg == "namespace"), None)
        )
        if isinstance(target, ast.Tuple) and len(target.elts) == 2:
            namespace = namespace or string_value(target.elts[1])
            target = target.elts[0]
        dotted = string_value(target)
        if dotted is None and isinstance(target, ast.Name | ast.Attribute):
            # ``include(admin_urls)`` after ``from app import urls as admin_urls``
            written = dotted_name(target)
            dotted = module.qualify(written) if written is not None else None
        if dotted is None:
            return
        inner = f"{prefix}{namespace}:" if namespace else prefix
        if dotted == AUTH_URLS:
            for name in AUTH_URL_NAMES:
                yield f"{inner}{name}", name == "logout"
            return
        included = self.module(dotted)
        if included is None:
            self.unread_include(module, call, dotted, inner)
            return
        app_name = next(
            (
                string_value(node.value)
                for node in included.tree.body
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "app_name" for t in node.targets)
            ),
            None,
        )
        namespace = namespace or app_name
        yield from self.names(included, f"{prefix}{namespace}:" if namespace else prefix, depth + 1)

    def unread_include(self, module: UrlModule, call: ast.Call, dotted: str, prefix: str) -> None:
        """``call`` in ``module`` includes ``dotted``, a module this reader cannot read (not the
        project's); ``prefix``: the names' namespace prefix it gives. Nothing by default."""


def root_urlconf(project: Project) -> str | None:
    """``ROOT_URLCONF`` as the settings modules assign it (the declared settings module first)."""
    main = project.settings_file
    main = (project.root / main).resolve() if main is not None else None
    paths = sorted(settings_modules(project), key=lambda p: p != main)
    for path in paths:
        tree = _parse(path)
        for node in tree.body if tree is not None else ():
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in node.targets)
                and (value := string_value(node.value))
            ):
                return value
    return None


def logout_url_names(
    project: Project, files: Iterable[Path] = (), reader: UrlconfReader | None = None
) -> dict[str, bool] | None:
    """URL name (``namespace:name``) -> whether it routes to LogoutView; None when no URLconf
    could be read (the caller cannot tell, and says so). ``files``: the project's Python files,
    searched for ``urls.py`` when the settings name no ``ROOT_URLCONF``. ``reader``: the
    modules' reader (default: the project's files only), rooted at the project's root."""
    root = project.root.resolve()
    reader = reader if reader is not None else UrlconfReader(root)
    dotted = root_urlconf(project)
    roots: list[UrlModule] = []
    if dotted is not None:
        module = reader.module(dotted)
        if module is not None:
            roots.append(module)
    if not roots:
        for path in sorted(files):
            if path.name == "urls.py" and path.resolve().is_relative_to(root):
                module = reader.load(path.resolve())
                if module is not None:
                    roots.append(module)
    if not roots:
        return None
    found: dict[str, bool] = {}
    for module in roots:
        for name, is_logout in reader.names(module, "", 0):
            found[name] = found.get(name, False) or is_logout
    return found
