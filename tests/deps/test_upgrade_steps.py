"""Third-party upgrade steps: the table judged against a hop's changes and the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from codemods import all_rules
from upgrader.deps.apps import SettingsValues, settings_values
from upgrader.deps.model import Choice
from upgrader.deps.upgrade_steps import (
    STEPS,
    companion_additions,
    companion_requirements,
    crosses,
    open_step_items,
    step_items,
    upgrade_steps,
)
from upgrader.deps.write import Addition

# djangox's settings (config/settings.py), trimmed to what the steps read.
DJANGOX = """\
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "crispy_forms",
    "allauth",
    "allauth.account",
    "accounts",
]
MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
)
CRISPY_TEMPLATE_PACK = 'bootstrap4'
"""


def _change(name: str, current: str | None, chosen: str) -> Choice:
    return Choice(name, current, chosen, "test", "test")


def _settings(tmp_path: Path, *texts: str) -> SettingsValues:
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"settings{number}.py"
        path.write_text(text)
        paths.append(path)
    return settings_values(paths)


def test_djangox_hops_get_the_allauth_middleware_and_the_crispy_pack(tmp_path: Path) -> None:
    settings = _settings(tmp_path, DJANGOX)
    steps = upgrade_steps(
        [
            _change("django-crispy-forms", "==1.12.0", "2.1"),
            _change("django_allauth", "0.55.0", "65.7.0"),
            _change("django", "==3.2.25", "4.2.20"),
        ],
        settings,
    )
    assert [(s.package, s.version, s.mechanical) for s in steps] == [
        ("django-crispy-forms", "2.0", True),
        ("django-allauth", "0.56.0", True),
    ]
    crispy, allauth = steps
    assert crispy.add_requirements == ("crispy-bootstrap4",)
    assert crispy.add_installed_apps == ("crispy_bootstrap4",)
    assert crispy.todo == (
        "add crispy-bootstrap4 to the requirements and 'crispy_bootstrap4' to INSTALLED_APPS: "
        "django-crispy-forms 2.0 moved the bootstrap4 template pack (CRISPY_TEMPLATE_PACK) into it"
    )
    assert crispy.source.startswith("https://github.com/django-crispy-forms/")
    assert allauth.add_middleware == ("allauth.account.middleware.AccountMiddleware",)
    assert allauth.source.startswith("https://docs.allauth.org/")
    assert companion_requirements(steps) == ("crispy-bootstrap4",)
    assert companion_additions(steps, {"crispy-bootstrap4": "2024.1"}) == (
        Addition(
            "crispy-bootstrap4",
            "2024.1",
            "django-crispy-forms",
            "django-crispy-forms 2.0 moved it out",
        ),
    )
    assert companion_additions(steps, {}) == ()


@pytest.mark.parametrize(
    ("current", "chosen", "expected"),
    [
        pytest.param("0.55.0", "65.7.0", True, id="crosses"),
        pytest.param("==0.55.0", "0.56.0", True, id="lands on the release"),
        pytest.param("0.56.0", "65.7.0", False, id="already past"),
        pytest.param("0.50.0", "0.55.0", False, id="stops before"),
        pytest.param(None, "65.7.0", True, id="unpinned before: counts as below"),
        pytest.param(">=0.40", "65.7.0", True, id="a range before: counts as below"),
    ],
)
def test_crosses(current: str | None, chosen: str, expected: bool) -> None:
    assert crosses(current, chosen, "0.56.0") is expected


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(
            'MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]\n',
            id="middleware added in another settings module",
        ),
        pytest.param('INSTALLED_APPS = ["django.contrib.auth"]\n', id="no allauth.account app"),
    ],
)
def test_allauth_step_only_when_still_needed(tmp_path: Path, extra: str) -> None:
    base = DJANGOX if "MIDDLEWARE" in extra else ""
    settings = _settings(tmp_path, base, extra)
    assert upgrade_steps([_change("django-allauth", "0.55.0", "0.57.0")], settings) == ()


@pytest.mark.parametrize(
    ("pack", "requirement"),
    [
        pytest.param("bootstrap", "crispy-forms-bootstrap2", id="bootstrap2"),
        pytest.param("bootstrap3", "crispy-bootstrap3", id="bootstrap3"),
        pytest.param("bootstrap5", "crispy-bootstrap5", id="bootstrap5"),
    ],
)
def test_crispy_pack_companions(tmp_path: Path, pack: str, requirement: str) -> None:
    text = DJANGOX.replace("'bootstrap4'", f"'{pack}'")
    steps = upgrade_steps(
        [_change("django-crispy-forms", "1.14.0", "2.3")], _settings(tmp_path, text)
    )
    assert companion_requirements(steps) == (requirement,)


def test_crispy_pack_already_installed_or_manual(tmp_path: Path) -> None:
    installed = DJANGOX.replace('"accounts",', '"accounts", "crispy_bootstrap4",')
    change = [_change("django-crispy-forms", "1.14.0", "2.3")]
    assert upgrade_steps(change, _settings(tmp_path, installed)) == ()
    uni_form = upgrade_steps(change, _settings(tmp_path, DJANGOX.replace("bootstrap4", "uni_form")))
    assert [(s.mechanical, s.add_requirements) for s in uni_form] == [(False, ())]
    assert "uni_form" in uni_form[0].todo
    unset = upgrade_steps(change, _settings(tmp_path, DJANGOX.replace("CRISPY_TEMPLATE_PACK", "X")))
    assert [s.mechanical for s in unset] == [False]


def test_cors_origins_without_scheme_are_a_manual_step(tmp_path: Path) -> None:
    text = "CORS_ORIGIN_WHITELIST = ('example.com', 'https://ok.example', 'null')\n"
    [step] = upgrade_steps(
        [_change("django-cors-headers", "2.5.3", "3.14.0")], _settings(tmp_path, text)
    )
    assert not step.mechanical
    assert "'example.com'" in step.todo and "ok.example" not in step.todo


def test_whitenoise_storage_is_a_mechanical_replacement(tmp_path: Path) -> None:
    text = "STATICFILES_STORAGE = 'whitenoise.django.GzipManifestStaticFilesStorage'\n"
    [step] = upgrade_steps([_change("whitenoise", "3.3.1", "6.5.0")], _settings(tmp_path, text))
    assert step.replace_values == (
        (
            "STATICFILES_STORAGE",
            "whitenoise.django.GzipManifestStaticFilesStorage",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    )


def test_unparsable_settings_read_as_empty(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "INSTALLED_APPS = [\n", DJANGOX)
    assert "allauth.account" in settings.get("INSTALLED_APPS")


def test_every_row_has_a_source_and_a_version() -> None:
    for row in STEPS:
        assert row.source.startswith("https://"), row
        assert row.version[0].isdigit(), row


def test_no_row_repeats_a_package_codemod() -> None:
    """A step a codemod carries out by the chosen package version is the codemod's, not ours;
    only the settings codemods that make a row's settings edit share its release (the row
    still adds the companion requirement, and is the item when the edit could not be made)."""
    codemods = {
        (rule.package, rule.version): rule for rule in all_rules() if rule.scope == "package"
    }
    assert codemods  # the registry was read
    rows = {(canonicalize_name(row.package), Version(row.version)) for row in STEPS}
    shared = {codemods[key].id for key in rows & set(codemods)}
    assert shared == {"settings_allauth_account_middleware", "settings_crispy_template_pack_app"}
    assert all(codemods[key].kind == "settings" for key in rows & set(codemods))


def test_the_settings_codemods_close_the_djangox_items(tmp_path: Path) -> None:
    """The two mechanical settings steps (F18, F19) are the rewrite stage's: their codemods,
    run on djangox's settings with the hop's set, leave no item open."""
    from codemods import RuleContext, get_rule

    settings = tmp_path / "site" / "settings.py"
    settings.parent.mkdir()
    settings.write_text(DJANGOX)
    changes = [
        _change("django-crispy-forms", "1.12.0", "2.1"),
        _change("django-allauth", "0.55.0", "65.7.0"),
    ]
    before = open_step_items(tmp_path, changes)
    assert [i.id for i in before] == ["django-crispy-forms-2.0", "django-allauth-0.56.0"]
    steps = upgrade_steps(changes, settings_values([settings]))
    assert [s.codemod for s in steps] == [
        "settings_crispy_template_pack_app",
        "settings_allauth_account_middleware",
    ]
    packages = {"django-crispy-forms": "2.1", "crispy-bootstrap4": "2024.1"}
    packages["django-allauth"] = "65.7.0"
    context = RuleContext(
        Version("4.2"),
        Version("5.2"),
        Version("3.10"),
        packages={k: Version(v) for k, v in packages.items()},
        is_settings=True,
    )
    text = DJANGOX
    for step in steps:
        text = get_rule(step.codemod).transform(text, context)
    settings.write_text(text)
    assert open_step_items(tmp_path, changes) == ()


def test_steps_as_items_sit_at_the_setting_they_concern(tmp_path: Path) -> None:
    base = "INSTALLED_APPS = ['crispy_forms', 'allauth.account']\nCRISPY_TEMPLATE_PACK = 'bootstrap4'\n"
    later = "import os\n\nMIDDLEWARE = []\nMIDDLEWARE += ['x.Middleware']\n"
    cors = "\n\nCORS_ORIGIN_WHITELIST = ('example.com',)\n"
    broken = "MIDDLEWARE = [\n"  # does not parse: skipped, not an error
    paths = []
    for name, text in (("broken", broken), ("base", base), ("later", later), ("cors", cors)):
        path = tmp_path / "settings" / f"{name}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        paths.append(path)
    steps = upgrade_steps(
        [
            _change("django-crispy-forms", "1.14.0", "2.1"),
            _change("django-allauth", "0.55.0", "65.7.0"),
            _change("django-cors-headers", "2.5.3", "3.14.0"),
        ],
        settings_values(paths),
    )
    items = step_items(steps, tmp_path, paths)
    assert [(i.id, i.file, i.line, i.removed_in) for i in items] == [
        ("django-crispy-forms-2.0", "settings/base.py", 1, "django-crispy-forms 2.0"),
        ("django-allauth-0.56.0", "settings/later.py", 3, "django-allauth 0.56.0"),
        ("django-cors-headers-3.0.0", "settings/cors.py", 3, "django-cors-headers 3.0.0"),
    ]
    crispy, allauth, cors_item = items
    assert crispy.suggestion == (
        "add 'crispy_bootstrap4' to INSTALLED_APPS; "
        "(the dependency stage adds crispy-bootstrap4 to the requirements)"
    )
    assert crispy.summary == steps[0].todo and crispy.docs == steps[0].source
    assert allauth.suggestion == "add 'allauth.account.middleware.AccountMiddleware' to MIDDLEWARE"
    assert cors_item.suggestion == steps[2].todo  # not mechanical: the step's own words
    # A setting assigned nowhere (the crispy pack left unset): at INSTALLED_APPS.
    unset = tmp_path / "settings" / "unset.py"
    unset.write_text("DEBUG = True\nINSTALLED_APPS = ['crispy_forms']\n")
    [manual] = upgrade_steps(
        [_change("django-crispy-forms", "1.14.0", "2.1")], settings_values([unset])
    )
    assert not manual.mechanical and manual.setting == "CRISPY_TEMPLATE_PACK"
    [item] = step_items([manual], tmp_path, [unset])
    assert (item.file, item.line, item.suggestion) == ("settings/unset.py", 2, manual.todo)
    assert step_items(steps, tmp_path, []) == ()


def test_an_open_step_item_closes_once_the_settings_have_it(tmp_path: Path) -> None:
    settings = tmp_path / "site" / "settings.py"
    settings.parent.mkdir()
    settings.write_text(DJANGOX)
    changes = [_change("django-allauth", "0.55.0", "65.7.0")]
    [item] = open_step_items(tmp_path, changes)
    assert (item.id, item.file) == ("django-allauth-0.56.0", "site/settings.py")
    assert item.line == DJANGOX.splitlines().index("MIDDLEWARE = (") + 1
    settings.write_text(
        DJANGOX.replace(
            "MIDDLEWARE = (", 'MIDDLEWARE = (\n    "allauth.account.middleware.AccountMiddleware",'
        )
    )
    assert open_step_items(tmp_path, changes) == ()


# djangogirls at 464e3555f4: pytest.ini sets the switch through pytest-env.
DJANGOGIRLS_PYTEST_INI = """\
[pytest]
DJANGO_SETTINGS_MODULE=djangogirls.settings
addopts = --ff --nomigrations
env =
    OPBEAT_DISABLE_SEND=true
    RECAPTCHA_TESTING=True
"""
RECAPTCHA = [_change("django-recaptcha", "1.4.0", "3.0.0")]


def _site(tmp_path: Path, **files: str) -> None:
    (tmp_path / "djangogirls").mkdir()
    (tmp_path / "djangogirls" / "settings.py").write_text("INSTALLED_APPS = ['captcha']\n")
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_recaptcha_testing_in_pytest_env_is_an_item_at_its_line(tmp_path: Path) -> None:
    _site(tmp_path, **{"pytest.ini": DJANGOGIRLS_PYTEST_INI})
    [item] = open_step_items(tmp_path, RECAPTCHA)
    assert (item.id, item.file, item.line) == ("django-recaptcha-1.5.0", "pytest.ini", 6)
    assert item.summary.startswith(
        "django-recaptcha 1.5.0 removed the RECAPTCHA_TESTING switch "
        "(pytest.ini:6 sets RECAPTCHA_TESTING=True): a form posting 'g-recaptcha-response': "
        "'PASSED' is checked with Google again"
    )
    assert "patch 'captcha.fields.client.submit'" in item.suggestion
    assert "'captcha.recaptcha_test_key_error'" in item.suggestion
    assert item.docs.endswith("django-recaptcha/blob/main/CHANGELOG.md")
    # Not crossed (2.0 -> 3.0), or the switch gone from the test env: nothing to do.
    assert open_step_items(tmp_path, [_change("django-recaptcha", "2.0.6", "3.0.0")]) == ()
    (tmp_path / "pytest.ini").write_text(DJANGOGIRLS_PYTEST_INI.replace("RECAPTCHA_", "X_"))
    assert open_step_items(tmp_path, RECAPTCHA) == ()


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"tox.ini": "[testenv]\nsetenv =\n    RECAPTCHA_TESTING = True\n"}, ("tox.ini", 3)),
        (
            {"tests__conftest.py": "import os\n\nos.environ['RECAPTCHA_TESTING'] = 'True'\n"},
            ("tests/conftest.py", 3),
        ),
    ],
)
def test_recaptcha_testing_set_elsewhere(
    tmp_path: Path, files: dict[str, str], where: tuple[str, int]
) -> None:
    _site(tmp_path, **files)
    [item] = open_step_items(tmp_path, RECAPTCHA)
    assert (item.file, item.line) == where


def test_a_row_sees_settings_only_without_a_project(tmp_path: Path) -> None:
    # upgrade_steps given bare settings: no test env, no files to look in.
    assert upgrade_steps(RECAPTCHA, _settings(tmp_path, "INSTALLED_APPS = ['captcha']\n")) == ()
    [step] = upgrade_steps(RECAPTCHA, _settings(tmp_path, "RECAPTCHA_TESTING = True\n"))
    assert step.setting == "RECAPTCHA_TESTING" and step.where is None


def test_recaptcha_4_namespace_rename_names_the_app_and_the_imports(tmp_path: Path) -> None:
    _site(tmp_path, **{"core__forms.py": "from captcha.fields import ReCaptchaField\n"})
    [item] = open_step_items(tmp_path, [_change("django-recaptcha", "3.0.0", "4.0.0")])
    assert (item.id, item.file, item.line) == (
        "django-recaptcha-4.0.0",
        "djangogirls/settings.py",
        1,
    )
    assert item.suggestion.startswith(
        "INSTALLED_APPS: replace 'captcha' with 'django_recaptcha'; and its imports (first at "
        "core/forms.py:1)"
    )
    (tmp_path / "djangogirls" / "settings.py").write_text("INSTALLED_APPS = ['django_recaptcha']\n")
    assert open_step_items(tmp_path, [_change("django-recaptcha", "3.0.0", "4.0.0")]) == ()


def test_recaptcha_testing_named_in_a_comment_or_docstring_is_not_set(tmp_path: Path) -> None:
    # The walk's replacement fixture names the switch in its docstring: the item is closed.
    fixture = (
        "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef recaptcha_passes(monkeypatch):\n"
        '    """django-recaptcha 1.5+ has no RECAPTCHA_TESTING: PASSED passes."""\n'
        "    # os.environ['RECAPTCHA_TESTING'] is gone\n"
    )
    _site(tmp_path, **{"tests__conftest.py": fixture})
    assert open_step_items(tmp_path, RECAPTCHA) == ()
