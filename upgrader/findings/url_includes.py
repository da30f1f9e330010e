"""The project's URL names as the logout-link check needs them, third-party URLconfs included.

:mod:`upgrader.urlconf` reads the project's own URLconf; a name from an included third-party
URLconf (``include("allauth.urls")``) is not in it, so a ``{% url 'account_logout' %}`` link
cannot be told from one to Django's ``LogoutView`` (F21). This module reads the same URLconf
with two additions:

- every ``include()`` of a module that is not the project's is recorded with where it is
  written (:class:`Include`), so a logout link whose name the project does not show is an
  *unverified* item naming the URLconfs it may come from;
- when a stage environment upgrader made has a site-packages folder
  (``.upgrader/cache/tox/djangoNN``, the newest first),
  the included modules are read there, statically, like the project's: their names and views
  join the project's, and a name whose view is not (a subclass of)
  ``django.contrib.auth.views.LogoutView`` is not reported. A module-level
  ``logout = SomeView.as_view()`` (allauth's way) is followed to ``SomeView``.

Nothing is imported or run.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from upgrader.project import Project
from upgrader.settings_modules import module_file
from upgrader.urlconf import AUTH_URLS, _Module, _Reader, root_urlconf

_STAGE_ENV = re.compile(r"django(\d+)")
TOX_ENVS = Path(".upgrader") / "cache" / "tox"  # where verify's tox makes the stage envs


@dataclass(frozen=True)
class Include:
    """A third-party URLconf the project includes: ``module`` at ``location`` (``file:line``)."""

    module: str
    location: str
    namespace: str  # the names' prefix it gives ("" or "ns:")


@dataclass(frozen=True)
class UrlNames:
    """URL name -> whether it routes to LogoutView; the third-party URLconfs left unread."""

    names: Mapping[str, bool]
    unread: tuple[Include, ...] = ()

    def get(self, name: str) -> bool | None:
        return self.names.get(name)

    def sources(self, name: str) -> tuple[Include, ...]:
        """The unread URLconfs ``name`` may come from: those giving its namespace, else those
        giving none (their own includes may give it)."""
        namespace = name.rpartition(":")[0]
        prefix = f"{namespace}:" if namespace else ""
        exact = tuple(i for i in self.unread if i.namespace == prefix)
        return exact or tuple(i for i in self.unread if i.namespace == "")


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner is not None else None
    return None


class _IncludeReader(_Reader):
    """``urlconf``'s reader that also looks in ``site`` and records third-party includes."""

    def __init__(self, root: Path, site: Path | None) -> None:
        super().__init__(root)
        self.site = site.resolve() if site is not None else None
        self.unread: list[Include] = []

    def module(self, dotted: str) -> _Module | None:
        found = super().module(dotted)
        if found is None and self.site is not None:
            path = module_file(self.site, self.site, 0, dotted)
            found = self.load(path) if path is not None else None
        return found

    def load(self, path: Path) -> _Module | None:
        if path not in self.modules:
            base = self.site if self.site is not None and path.is_relative_to(self.site) else None
            self.modules[path] = _Module.load(path, base or self.root)
        return self.modules[path]

    def is_logout_view(self, qualified: str, depth: int = 0) -> bool:
        if super().is_logout_view(qualified, depth):
            return True
        module_name, _, name = qualified.rpartition(".")
        module = self.module(module_name) if module_name and depth < 8 else None
        for node in module.tree.body if module is not None else ():
            # ``logout = LogoutView.as_view()``: the view is the class it is made from.
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "as_view"
                and (made_from := _dotted(node.value.func.value)) is not None
            ):
                assert module is not None
                return self.is_logout_view(module.qualify(made_from), depth + 1)
        return False

    def included(
        self, module: _Module, call: ast.Call, prefix: str, depth: int
    ) -> Iterator[tuple[str, bool]]:
        target = call.args[0] if call.args else None
        namespace = _string(next((k.value for k in call.keywords if k.arg == "namespace"), None))
        if isinstance(target, ast.Tuple) and len(target.elts) == 2:
            namespace = namespace or _string(target.elts[1])
            target = target.elts[0]
        dotted = _string(target) if target is not None else None
        if dotted is None and target is not None and (written := _dotted(target)) is not None:
            dotted = module.qualify(written)
        if dotted is not None and dotted != AUTH_URLS and self.module(dotted) is None:
            # Where it is written: a project file, or a package file under the stage env
            # (named from site-packages, ``allauth/urls.py:40``).
            in_site = self.site is not None and module.path.is_relative_to(self.site)
            base = self.site if in_site and self.site is not None else self.root
            line = getattr(call, "lineno", 0)
            location = f"{module.path.relative_to(base).as_posix()}:{line}"
            self.unread.append(
                Include(dotted, location, f"{prefix}{namespace}:" if namespace else prefix)
            )
        yield from super().included(module, call, prefix, depth)


def stage_site_packages(root: Path) -> Path | None:
    """The site-packages of the newest Django stage environment upgrader made in ``root``."""
    envs = root / TOX_ENVS
    try:
        found = [
            (int(m.group(1)), p) for p in envs.iterdir() if (m := _STAGE_ENV.fullmatch(p.name))
        ]
    except OSError:
        return None
    for _, env in sorted(found, reverse=True):
        sites = sorted(env.glob("lib/python*/site-packages")) + sorted(
            env.glob("Lib/site-packages")
        )
        if sites:
            return sites[0]
    return None


def url_names(
    project: Project, files: Iterable[Path] = (), site: Path | None = None
) -> UrlNames | None:
    """The project's URL names (``urlconf.logout_url_names``' answer) with the third-party
    URLconfs it includes read from ``site`` (default: :func:`stage_site_packages`); None when
    no URLconf could be read. ``files``: searched for ``urls.py`` without ``ROOT_URLCONF``."""
    root = project.root.resolve()
    reader = _IncludeReader(root, site if site is not None else stage_site_packages(root))
    dotted = root_urlconf(project)
    roots: list[_Module] = []
    if dotted is not None and (module := reader.module(dotted)) is not None:
        roots.append(module)
    if not roots:
        for path in sorted(files):
            resolved = path.resolve()
            if path.name == "urls.py" and resolved.is_relative_to(root):
                module = reader.load(resolved)
                if module is not None:
                    roots.append(module)
    if not roots:
        return None
    found: dict[str, bool] = {}
    for module in roots:
        for name, is_logout in reader.names(module, "", 0):
            found[name] = found.get(name, False) or is_logout
    unread = tuple(dict.fromkeys(reader.unread))
    return UrlNames(found, unread)
