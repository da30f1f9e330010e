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
  ``django.contrib.auth.views.LogoutView`` is not reported. The plan works on a scratch copy
  without ``.upgrader/``: it passes the project's own root (``origin``) so that plan and step
  read the same stage environment.

Nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from upgrader.project import Project
from upgrader.settings_modules import module_file
from upgrader.stage_envs import newest_site_packages
from upgrader.urlconf import UrlconfReader, UrlModule, logout_url_names


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


class _IncludeReader(UrlconfReader):
    """``urlconf``'s reader that also looks in ``site`` and records third-party includes."""

    def __init__(self, root: Path, site: Path | None) -> None:
        super().__init__(root)
        self.site = site.resolve() if site is not None else None
        self.unread: list[Include] = []

    def module(self, dotted: str) -> UrlModule | None:
        found = super().module(dotted)
        if found is None and self.site is not None:
            path = module_file(self.site, self.site, 0, dotted)
            found = self.load(path) if path is not None else None
        return found

    def load(self, path: Path) -> UrlModule | None:
        if path not in self.modules:
            base = self.site if self.site is not None and path.is_relative_to(self.site) else None
            self.modules[path] = UrlModule.load(path, base or self.root)
        return self.modules[path]

    def unread_include(self, module: UrlModule, call: ast.Call, dotted: str, prefix: str) -> None:
        # Where it is written: a project file, or a package file under the stage env (named
        # from site-packages, ``allauth/urls.py:40``).
        site = self.site
        base = site if site is not None and module.path.is_relative_to(site) else self.root
        location = f"{module.path.relative_to(base).as_posix()}:{getattr(call, 'lineno', 0)}"
        self.unread.append(Include(dotted, location, prefix))


def stage_site_packages(root: Path) -> Path | None:
    """The site-packages of the newest Django stage environment upgrader made in ``root``."""
    return newest_site_packages(root)


def url_names(
    project: Project,
    files: Iterable[Path] = (),
    site: Path | None = None,
    *,
    origin: Path | None = None,
) -> UrlNames | None:
    """The project's URL names (``urlconf.logout_url_names``' answer) with the third-party
    URLconfs it includes read from ``site`` (default: :func:`stage_site_packages` of ``origin``,
    the project's own root when ``project`` is the plan's scratch copy of it, else of
    ``project.root``); None when no URLconf could be read. ``files``: searched for ``urls.py``
    without ``ROOT_URLCONF``."""
    root = project.root.resolve()
    if site is None:
        site = stage_site_packages(origin if origin is not None else root)
    reader = _IncludeReader(root, site)
    names = logout_url_names(project, files, reader=reader)
    return None if names is None else UrlNames(names, tuple(dict.fromkeys(reader.unread)))
