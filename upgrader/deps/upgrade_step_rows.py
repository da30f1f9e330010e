"""The curated rows of third-party upgrade steps (``STEPS``) and the types they speak in.

Each row is (package, the release that needs the step, its source, a function judging the
project's ``StepContext``); :mod:`upgrader.deps.upgrade_steps` applies them to a hop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from upgrader.deps.apps import SettingsValues
from upgrader.detect.test_env import EnvVariable
from upgrader.files import SourceText, project_files, read_text


@dataclass(frozen=True)
class UpgradeStep:
    """One thing a package's release asks the project to do."""

    package: str  # canonical name
    version: str  # the release that needs it ("0.56.0")
    todo: str  # what to do, one line
    source: str  # where the step is documented
    mechanical: bool  # upgrader can do it exactly (the fields below say what)
    add_requirements: tuple[str, ...] = ()  # companion packages for the hop's dependency set
    add_installed_apps: tuple[str, ...] = ()
    add_middleware: tuple[str, ...] = ()
    replace_values: tuple[tuple[str, str, str], ...] = ()  # (setting, old dotted path, new)
    about: str = ""  # the setting it concerns, when none of the fields above names it
    where: tuple[str, int] | None = None  # (project-relative file, line) it is about, if known
    how: str = ""  # a manual step's replacement (its item's suggestion); "": ``todo`` says it
    codemod: str = ""  # the settings codemod the rewrite stage makes it with, if one does

    @property
    def setting(self) -> str:
        """The setting the step changes or concerns ("MIDDLEWARE"); "" when none."""
        if self.add_middleware:
            return "MIDDLEWARE"
        if self.add_installed_apps:
            return "INSTALLED_APPS"
        if self.replace_values:
            return self.replace_values[0][0]
        return self.about


@dataclass
class StepContext:
    """What a row sees of the project: its settings, the variables its tests run with (read
    once, when a row first asks: ``test_env``) and its Python files (``mentions``)."""

    settings: SettingsValues
    load_test_env: Callable[[], Sequence[EnvVariable]] = tuple
    root: Path | None = None  # where ``mentions`` looks; None: nowhere
    _test_env: tuple[EnvVariable, ...] | None = field(default=None, repr=False)

    @property
    def test_env(self) -> tuple[EnvVariable, ...]:
        if self._test_env is None:
            self._test_env = tuple(self.load_test_env())
        return self._test_env

    def variable(self, name: str) -> EnvVariable | None:
        """The test environment's ``name`` (the source that wins), or None."""
        return next((v for v in self.test_env if v.name == name), None)

    def mentions(self, pattern: str) -> tuple[str, int] | None:
        """The first line of the project's Python files (tests included) that the regex
        ``pattern`` matches, comments aside, as (project-relative path, line); None when none
        does or no root is known."""
        if self.root is None:
            return None
        regex = re.compile(pattern, re.MULTILINE)
        for path in project_files(self.root, suffixes=(".py",)):
            source = read_text(path)
            if not isinstance(source, SourceText) or not regex.search(source.text):
                continue
            for number, line in enumerate(source.text.splitlines(), start=1):
                if regex.search(line) and not line.lstrip().startswith("#"):
                    return path.relative_to(self.root).as_posix(), number
        return None


@dataclass(frozen=True)
class StepRow:
    """A row of the table: ``package`` at ``version`` asks for what ``steps`` returns for a
    project (nothing when the project does not need it, or has done it)."""

    package: str
    version: str
    source: str
    steps: Callable[[StepRow, StepContext], tuple[UpgradeStep, ...]]


# --- django-allauth ----------------------------------------------------------------------------

_ALLAUTH_NOTES = "https://docs.allauth.org/en/latest/release-notes/recent.html"
_ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"


def _allauth_middleware(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    settings = seen.settings
    # allauth/account/apps.py raises ImproperlyConfigured at start-up without it (0.56.0).
    apps = settings.get("INSTALLED_APPS")
    if not any(a == "allauth.account" or a.startswith("allauth.account.") for a in apps):
        return ()
    if settings.names("MIDDLEWARE", _ACCOUNT_MIDDLEWARE):
        return ()
    return (
        UpgradeStep(
            row.package,
            row.version,
            f"add '{_ACCOUNT_MIDDLEWARE}' to MIDDLEWARE: django-allauth {row.version} refuses "
            "to start without it (ImproperlyConfigured)",
            row.source,
            mechanical=True,
            add_middleware=(_ACCOUNT_MIDDLEWARE,),
            codemod="settings_allauth_account_middleware",
        ),
    )


# --- django-crispy-forms -----------------------------------------------------------------------

_CRISPY_NOTES = "https://github.com/django-crispy-forms/django-crispy-forms/blob/main/CHANGELOG.md"
# CRISPY_TEMPLATE_PACK -> (the package that has it since crispy-forms 2.0, its app).
CRISPY_PACKS: Mapping[str, tuple[str, str]] = {
    "bootstrap": ("crispy-forms-bootstrap2", "crispy_forms_bootstrap2"),
    "bootstrap3": ("crispy-bootstrap3", "crispy_bootstrap3"),
    "bootstrap4": ("crispy-bootstrap4", "crispy_bootstrap4"),
    "bootstrap5": ("crispy-bootstrap5", "crispy_bootstrap5"),
}


def _crispy_packs(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    settings = seen.settings
    if not settings.names("INSTALLED_APPS", "crispy_forms"):
        return ()
    packs = settings.get("CRISPY_TEMPLATE_PACK")
    if not packs:
        return (
            UpgradeStep(
                row.package,
                row.version,
                f"django-crispy-forms {row.version} ships no template pack: set "
                "CRISPY_TEMPLATE_PACK and install its package (crispy-bootstrap4, "
                "crispy-bootstrap5, ...) with its app in INSTALLED_APPS",
                row.source,
                mechanical=False,
                about="CRISPY_TEMPLATE_PACK",
            ),
        )
    steps = []
    for pack in dict.fromkeys(packs):
        if pack == "uni_form":
            steps.append(
                UpgradeStep(
                    row.package,
                    row.version,
                    f"django-crispy-forms {row.version} removed the uni_form template pack "
                    "(and FormHelper.form_style): move CRISPY_TEMPLATE_PACK to another pack",
                    row.source,
                    mechanical=False,
                    about="CRISPY_TEMPLATE_PACK",
                )
            )
            continue
        found = CRISPY_PACKS.get(pack)
        if found is None:
            continue  # a third-party pack (crispy-tailwind, ...): it was never bundled
        package, app = found
        if settings.names("INSTALLED_APPS", app):
            continue
        steps.append(
            UpgradeStep(
                row.package,
                row.version,
                f"add {package} to the requirements and '{app}' to INSTALLED_APPS: "
                f"django-crispy-forms {row.version} moved the {pack} template pack "
                f"(CRISPY_TEMPLATE_PACK) into it",
                row.source,
                mechanical=True,
                add_requirements=(package,),
                add_installed_apps=(app,),
                codemod="settings_crispy_template_pack_app",
            )
        )
    return tuple(steps)


# --- django-cors-headers -----------------------------------------------------------------------

_CORS_CHANGES = "https://github.com/adamchainz/django-cors-headers/blob/main/CHANGELOG.rst"


def _cors_schemes(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    settings = seen.settings
    missing = [
        origin
        for origin in settings.get("CORS_ORIGIN_WHITELIST")
        if "://" not in origin and origin != "null"
    ]
    if not missing:
        return ()
    shown = ", ".join(repr(o) for o in missing)
    return (
        UpgradeStep(
            row.package,
            row.version,
            f"give each CORS_ORIGIN_WHITELIST origin its scheme ({shown} -> 'https://...' or "
            f"'http://...'): django-cors-headers {row.version} requires it",
            row.source,
            mechanical=False,  # http or https: only the project knows
            about="CORS_ORIGIN_WHITELIST",
        ),
    )


# --- whitenoise --------------------------------------------------------------------------------

_WHITENOISE_CHANGES = "https://whitenoise.readthedocs.io/en/latest/changelog.html"
_WHITENOISE_STORAGES = {
    "whitenoise.django.GzipManifestStaticFilesStorage": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    ),
}


def _whitenoise_storage(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    settings = seen.settings
    steps = []
    for old, new in _WHITENOISE_STORAGES.items():
        if settings.names("STATICFILES_STORAGE", old):
            steps.append(
                UpgradeStep(
                    row.package,
                    row.version,
                    f"STATICFILES_STORAGE: replace '{old}' with '{new}' "
                    f"(whitenoise {row.version} removed the old path)",
                    row.source,
                    mechanical=True,
                    replace_values=(("STATICFILES_STORAGE", old, new),),
                )
            )
    return tuple(steps)


# --- django-recaptcha --------------------------------------------------------------------------

_RECAPTCHA_CHANGES = "https://github.com/django-recaptcha/django-recaptcha/blob/main/CHANGELOG.md"
_RECAPTCHA_TESTING = "RECAPTCHA_TESTING"


def _recaptcha_testing(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    # django-recaptcha <= 1.4 let a form through when the environment variable
    # RECAPTCHA_TESTING was 'True' and the response 'PASSED' (captcha/fields.py); 1.5.0 removed
    # it, so such tests call Google's siteverify (and fail without the network).
    name = _RECAPTCHA_TESTING
    where: tuple[str, int] | None = None
    found = seen.variable(name)
    if found is not None:
        file, line = found.evidence.file, found.evidence.line
        how = f"{file}{f':{line}' if line else ''} sets {name}={found.value}"
        where = (file, line) if file and line else None
    elif name in seen.settings.strings:
        how = f"the settings set {name}"
    else:
        # Set in code: os.environ["RECAPTCHA_TESTING"] = ..., setdefault(...), setenv(...).
        where = seen.mentions(rf"(environ\s*\[|setdefault\(|setenv\()\s*['\"]{name}['\"]")
        if where is None:
            return ()
        how = f"{where[0]}:{where[1]} sets {name}"
    todo = (
        f"django-recaptcha {row.version} removed the {name} switch ({how}): a form posting "
        "'g-recaptcha-response': 'PASSED' is checked with Google again, and those tests fail "
        "without the network"
    )
    how_to = (
        "mock the check in the tests: patch 'captcha.fields.client.submit' (from "
        "django-recaptcha 4.0 'django_recaptcha.fields.client.submit') to return "
        "captcha.client.RecaptchaResponse(is_valid=recaptcha_response == 'PASSED'), e.g. in an "
        "autouse conftest fixture, then drop "
        f"{name}; or leave RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY unset in the tests so "
        "Google's test keys are used (always valid, but still a call to Google) with "
        "SILENCED_SYSTEM_CHECKS = ['captcha.recaptcha_test_key_error'] (from 4.0 "
        "'django_recaptcha.recaptcha_test_key_error')"
    )
    return (
        UpgradeStep(
            row.package,
            row.version,
            todo,
            row.source,
            mechanical=False,
            about=name if where is None else "",
            where=where,
            how=how_to,
        ),
    )


def _recaptcha_namespace(row: StepRow, seen: StepContext) -> tuple[UpgradeStep, ...]:
    # 4.0.0 renamed the package's modules: captcha -> django_recaptcha (no alias is left).
    if not seen.settings.names("INSTALLED_APPS", "captcha"):
        return ()
    imports = seen.mentions(r"^\s*(from\s+captcha(\.\w+)*\s+import|import\s+captcha\b)")
    also = (
        f"; and its imports (first at {imports[0]}:{imports[1]}): 'captcha.fields', "
        "'captcha.widgets' -> 'django_recaptcha.fields', 'django_recaptcha.widgets'"
        if imports
        else ""
    )
    return (
        UpgradeStep(
            row.package,
            row.version,
            f"django-recaptcha {row.version} renamed its package from captcha to "
            "django_recaptcha: 'captcha' in INSTALLED_APPS and the project's imports of it no "
            "longer load",
            row.source,
            mechanical=False,  # the imports are the project's code, outside the settings
            replace_values=(("INSTALLED_APPS", "captcha", "django_recaptcha"),),
            how=f"INSTALLED_APPS: replace 'captcha' with 'django_recaptcha'{also}; "
            "SILENCED_SYSTEM_CHECKS: 'captcha.recaptcha_test_key_error' -> "
            "'django_recaptcha.recaptcha_test_key_error'; a mock of 'captcha.fields.client' -> "
            "'django_recaptcha.fields.client'",
        ),
    )


STEPS: tuple[StepRow, ...] = (
    # ChangeLog 0.56.0, "Backwards incompatible changes": the AccountMiddleware is required.
    StepRow("django-allauth", "0.56.0", _ALLAUTH_NOTES, _allauth_middleware),
    # CHANGELOG 2.0a1 "Major Changes and Migration Guide": all Bootstrap template packs are
    # standalone packages; install the one you use and add it to INSTALLED_APPS.
    StepRow("django-crispy-forms", "2.0", _CRISPY_NOTES, _crispy_packs),
    # CHANGELOG 3.0.0: CORS_ORIGIN_WHITELIST entries must include the scheme.
    StepRow("django-cors-headers", "3.0.0", _CORS_CHANGES, _cors_schemes),
    # Changelog 4.0: the whitenoise.django module (GzipManifestStaticFilesStorage) is removed.
    StepRow("whitenoise", "4.0", _WHITENOISE_CHANGES, _whitenoise_storage),
    # CHANGELOG 1.5.0 (2019-01-09): "Remove the need for RECAPTCHA_TESTING environment variable
    # during unit testing" (1.4.0's captcha/fields.py read it; 1.5.0's does not).
    StepRow("django-recaptcha", "1.5.0", _RECAPTCHA_CHANGES, _recaptcha_testing),
    # CHANGELOG 4.0.0 "Package namespace renamed": update imports and INSTALLED_APPS.
    StepRow("django-recaptcha", "4.0.0", _RECAPTCHA_CHANGES, _recaptcha_namespace),
)
