"""settings_crispy_template_pack_app: the pack's app after 'crispy_forms' on crispy-forms 2.0+
when the hop's set has the pack's package (djangox's 4.2 hop, F19)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_crispy_template_pack_app"
DJANGOX = (
    "INSTALLED_APPS = [\n"
    "    'django.contrib.staticfiles',\n"
    "\n"
    "    # Third-party\n"
    "    'allauth',\n"
    "    'crispy_forms',\n"
    "    'debug_toolbar',\n"
    "]\n"
    "\n"
    "CRISPY_TEMPLATE_PACK = 'bootstrap4'\n"
)
SET = {"django-crispy-forms": "2.3", "crispy-bootstrap4": "2025.6"}


def test_djangox_gets_the_app_after_crispy_forms() -> None:
    ctx = context(packages=SET, is_settings=True)
    after = DJANGOX.replace("'crispy_forms',\n", "'crispy_forms',\n    'crispy_bootstrap4',\n")
    check_transformed(RULE, DJANGOX, after, ctx)
    assert ctx.notes[0].startswith(
        "app/module.py: added 'crispy_bootstrap4' to INSTALLED_APPS after 'crispy_forms'"
    )


def test_bootstrap5_inline() -> None:
    source = 'INSTALLED_APPS = ("crispy_forms", "x")\nCRISPY_TEMPLATE_PACK = "bootstrap5"\n'
    packages = {"django-crispy-forms": "2.1", "crispy-bootstrap5": "2024.2"}
    check_transformed(
        RULE,
        source,
        source.replace('"crispy_forms",', '"crispy_forms", "crispy_bootstrap5",'),
        context(packages=packages, is_settings=True),
    )


@pytest.mark.parametrize(
    ("source", "packages"),
    [
        pytest.param(DJANGOX, {"django-crispy-forms": "2.3"}, id="pack package not in the set"),
        pytest.param(
            DJANGOX,
            {"django-crispy-forms": "1.14.0", "crispy-bootstrap4": "1"},
            id="crispy-forms 1.x",
        ),
        pytest.param(DJANGOX.replace("'bootstrap4'", "'tailwind'"), SET, id="third-party pack"),
        pytest.param(DJANGOX.replace("'debug_toolbar',", "'crispy_bootstrap4',"), SET, id="there"),
        pytest.param(
            DJANGOX.replace("CRISPY_TEMPLATE_PACK = 'bootstrap4'\n", ""),
            SET,
            id="pack set elsewhere",
        ),
    ],
)
def test_noop(source: str, packages: dict[str, str]) -> None:
    check_noop(RULE, source, context(packages=packages, is_settings=True))
