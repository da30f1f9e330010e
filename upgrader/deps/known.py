"""What the package index's metadata does not say: renamed, abandoned and replaced packages,
and the first release of a package that supports a Django series when its ``Requires-Dist``
does not tell (most Django packages declare ``Django>=X`` with no upper bound).

Every row names its source. Only facts read in the packages' own release notes, announcements
or repositories are here; a package missing from ``MINIMUM_VERSIONS`` is chosen from its
metadata and classifiers alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.utils import canonicalize_name
from packaging.version import Version


@dataclass(frozen=True)
class Replacement:
    """A package to leave behind, and what takes its place.

    ``action``: ``"rename"`` (swap the requirement line for ``replacement``; the code keeps
    working or the rewrite stage handles it), ``"code"`` (a Django built-in replaces it: the
    import sites change by hand or by a codemod, the requirement goes once nothing imports it),
    ``"abandoned"`` (no maintained successor is a drop-in; the report says what to move to).
    """

    name: str
    replacement: str | None
    action: str
    since_django: str | None  # the first Django series that needs the move; None: any hop
    reason: str
    source: str


REPLACEMENTS: tuple[Replacement, ...] = (
    Replacement(
        "djangorestframework-jwt",
        "djangorestframework-simplejwt",
        "rename",
        "3.0",
        "unmaintained since 2019 and archived (no Django 3 support); its README points to "
        "djangorestframework-simplejwt (settings and import paths change: see the rewrite stage)",
        "https://github.com/jpadilla/django-rest-framework-jwt",
    ),
    Replacement(
        "django-rest-swagger",
        "drf-spectacular",
        "rename",
        "3.0",
        "deprecated by its author (README) and broken with DRF 3.10+ CoreAPI removal; "
        "drf-spectacular generates OpenAPI 3 schemas (URL configuration changes by hand)",
        "https://github.com/marcgibbons/django-rest-swagger",
    ),
    Replacement(
        "jsonfield",
        None,
        "code",
        "3.1",
        "Django 3.1 added models.JSONField for every database backend; "
        "replace jsonfield.JSONField with django.db.models.JSONField",
        "https://docs.djangoproject.com/en/3.1/releases/3.1/#jsonfield-for-all-supported-database-backends",
    ),
    Replacement(
        "django-jsonfield",
        None,
        "code",
        "3.1",
        "Django 3.1 added models.JSONField for every database backend; "
        "replace jsonfield.JSONField with django.db.models.JSONField",
        "https://docs.djangoproject.com/en/3.1/releases/3.1/#jsonfield-for-all-supported-database-backends",
    ),
    Replacement(
        "python-memcached",
        "pymemcache",
        "rename",
        "4.1",
        "Django 4.1 removed the MemcachedCache backend (python-memcached); "
        "use django.core.cache.backends.memcached.PyMemcacheCache with pymemcache",
        "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-removed-in-4-1",
    ),
    Replacement(
        "django-nose",
        "pytest-django",
        "abandoned",
        None,
        "nose is unmaintained and does not run on Python 3.10+; "
        "use Django's own test runner or pytest with pytest-django",
        "https://github.com/jazzband/django-nose",
    ),
    Replacement(
        "django-celery",
        "celery",
        "abandoned",
        None,
        "Celery 3.1+ integrates with Django itself; django-celery supports neither "
        "Celery 4 nor Django 2+ (follow Celery's 'First steps with Django')",
        "https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html",
    ),
)


@dataclass(frozen=True)
class MinimumVersion:
    """The first release of ``package`` that supports Django ``django`` (a series)."""

    package: str
    django: str
    minimum: str
    source: str


_DRF_NOTES = "https://www.django-rest-framework.org/community/release-notes/"
_CORS_CHANGES = "https://github.com/adamchainz/django-cors-headers/blob/main/CHANGELOG.rst"
_DJDT_CHANGES = "https://django-debug-toolbar.readthedocs.io/en/latest/changes.html"
_CRISPY_CHANGES = (
    "https://github.com/django-crispy-forms/django-crispy-forms/blob/main/CHANGELOG.md"
)

MINIMUM_VERSIONS: tuple[MinimumVersion, ...] = (
    # Django REST framework: each announcement names the Django series it adds.
    MinimumVersion(
        "djangorestframework",
        "3.0",
        "3.11",
        "https://www.django-rest-framework.org/community/3.11-announcement/",
    ),
    MinimumVersion(
        "djangorestframework",
        "3.1",
        "3.12",
        "https://www.django-rest-framework.org/community/3.12-announcement/",
    ),
    MinimumVersion("djangorestframework", "3.2", "3.12", _DRF_NOTES),
    MinimumVersion(
        "djangorestframework",
        "4.0",
        "3.13",
        "https://www.django-rest-framework.org/community/3.13-announcement/",
    ),
    MinimumVersion("djangorestframework", "4.1", "3.14", _DRF_NOTES + "#3140"),
    MinimumVersion("djangorestframework", "4.2", "3.14", _DRF_NOTES + "#3140"),
    MinimumVersion(
        "djangorestframework",
        "5.0",
        "3.15",
        "https://www.django-rest-framework.org/community/3.15-announcement/",
    ),
    MinimumVersion(
        "djangorestframework",
        "5.1",
        "3.16",
        "https://www.django-rest-framework.org/community/3.16-announcement/",
    ),
    MinimumVersion(
        "djangorestframework",
        "5.2",
        "3.16",
        "https://www.django-rest-framework.org/community/3.16-announcement/",
    ),
    # django-filter: CHANGES.rst ("Declared support for Django 4.2" in 23.1, 5.0 in 23.4).
    MinimumVersion(
        "django-filter",
        "4.1",
        "22.1",
        "https://github.com/carltongibson/django-filter/blob/main/CHANGES.rst",
    ),
    MinimumVersion(
        "django-filter",
        "4.2",
        "23.1",
        "https://github.com/carltongibson/django-filter/blob/main/CHANGES.rst",
    ),
    MinimumVersion(
        "django-filter",
        "5.0",
        "23.4",
        "https://github.com/carltongibson/django-filter/blob/main/CHANGES.rst",
    ),
    # pytest-django: changelog "Official Django 3.2 support" (4.2.0).
    MinimumVersion(
        "pytest-django",
        "3.2",
        "4.2.0",
        "https://pytest-django.readthedocs.io/en/latest/changelog.html#v4-2-0-2021-04-10",
    ),
    # django-cors-headers: CHANGELOG.rst ("Support Django X.Y" per release).
    *(
        MinimumVersion("django-cors-headers", django, minimum, _CORS_CHANGES)
        for django, minimum in (
            ("3.2", "3.7.0"),
            ("4.0", "3.9.0"),
            ("4.1", "3.13.0"),
            ("4.2", "3.14.0"),
            ("5.2", "4.7.0"),
        )
    ),
    # django-debug-toolbar: docs/changes.rst (4.0.0 added Django 4.2 to CI; 4.3.0 "Added
    # support for Django 5.0").
    MinimumVersion("django-debug-toolbar", "4.2", "4.0.0", _DJDT_CHANGES),
    MinimumVersion("django-debug-toolbar", "5.0", "4.3.0", _DJDT_CHANGES),
    # django-crispy-forms: CHANGELOG.md ("Added support for Django 5.0" in 2.1, 5.1 in 2.3).
    MinimumVersion("django-crispy-forms", "5.0", "2.1", _CRISPY_CHANGES),
    MinimumVersion("django-crispy-forms", "5.1", "2.3", _CRISPY_CHANGES),
    # Database drivers: Django's own release notes raise the minimum.
    MinimumVersion(
        "psycopg2",
        "4.2",
        "2.8.4",
        "https://docs.djangoproject.com/en/4.2/ref/databases/#postgresql-notes",
    ),
    MinimumVersion(
        "psycopg2-binary",
        "4.2",
        "2.8.4",
        "https://docs.djangoproject.com/en/4.2/ref/databases/#postgresql-notes",
    ),
)


@dataclass(frozen=True)
class PythonMinimum:
    """The first release of ``package`` that runs on Python ``python`` (metadata says nothing)."""

    package: str
    python: str
    minimum: str
    source: str


PYTHON_MINIMUMS: tuple[PythonMinimum, ...] = (
    # pytest < 6.2.5 crashes on Python 3.10 (assertion rewriting); Requires-Python admits it.
    PythonMinimum(
        "pytest",
        "3.10",
        "6.2.5",
        "https://docs.pytest.org/en/stable/changelog.html#pytest-6-2-5-2021-08-29",
    ),
    # six < 1.16.0's meta path importer has find_module only (1.15.0's six.py; 1.16.0 adds
    # find_spec), which Python 3.12's import system no longer calls: `import six` works,
    # `from six.moves import ...` raises ModuleNotFoundError (simple-history on 6.1, F77).
    PythonMinimum(
        "six",
        "3.12",
        "1.16.0",
        "https://github.com/benjaminp/six/blob/1.16.0/CHANGES",
    ),
)


def python_minimum(name: str, python: str) -> PythonMinimum | None:
    """The highest minimum the table sets for ``name`` at or below Python ``python``."""
    wanted = canonicalize_name(name)
    rows = [
        row
        for row in PYTHON_MINIMUMS
        if canonicalize_name(row.package) == wanted and Version(row.python) <= Version(python)
    ]
    return max(rows, key=lambda r: Version(r.minimum), default=None)


def replacement_for(name: str, django: str) -> Replacement | None:
    """The table's replacement of ``name`` that applies when moving to Django ``django``."""
    wanted = canonicalize_name(name)
    for row in REPLACEMENTS:
        if canonicalize_name(row.name) != wanted:
            continue
        if row.since_django is None or Version(django) >= Version(row.since_django):
            return row
    return None


def minimum_version(name: str, django: str) -> MinimumVersion | None:
    """The highest minimum the table sets for ``name`` at or below Django ``django``.

    A package that needed 3.14 for Django 4.1 still needs at least 3.14 for 4.2.
    """
    wanted = canonicalize_name(name)
    rows = [
        row
        for row in MINIMUM_VERSIONS
        if canonicalize_name(row.package) == wanted and Version(row.django) <= Version(django)
    ]
    # On a tie the row of the newest series wins: it is the one that names the target itself.
    return max(rows, key=lambda r: (Version(r.minimum), Version(r.django)), default=None)
