"""div_form_renderer: the transitional div renderers' dotted paths -> DjangoTemplates / Jinja2."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "div_form_renderer"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "FORM_RENDERER = 'django.forms.renderers.DjangoDivFormRenderer'  # div early\n",
            "FORM_RENDERER = 'django.forms.renderers.DjangoTemplates'  # div early\n",
            id="setting keeps quotes and comment",
        ),
        pytest.param(
            '@override_settings(FORM_RENDERER="django.forms.renderers.Jinja2DivFormRenderer")\n'
            "def test_it():\n    pass\n",
            '@override_settings(FORM_RENDERER="django.forms.renderers.Jinja2")\ndef test_it():\n'
            "    pass\n",
            id="jinja2 in a test",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.2", django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        "FORM_RENDERER = 'django.forms.renderers.DjangoTemplates'\n",
        "NOTE = 'we used django.forms.renderers.DjangoDivFormRenderer before'\n",
        "# FORM_RENDERER = 'django.forms.renderers.DjangoDivFormRenderer'\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_from="4.2", django_to="5.0"))


def test_version_gate() -> None:
    """On 4.1/4.2 the default is still table: the transitional renderer is what renders div."""
    source = "FORM_RENDERER = 'django.forms.renderers.DjangoDivFormRenderer'\n"
    check_noop(RULE, source, context(django_from="4.1", django_to="4.2"))


def test_imports_move_with_moved_names() -> None:
    check_transformed(
        "moved_names",
        "from django.forms.renderers import DjangoDivFormRenderer\n\n"
        "class R(DjangoDivFormRenderer):\n    pass\n",
        "from django.forms.renderers import DjangoTemplates\n\n"
        "class R(DjangoTemplates):\n    pass\n",
        context(django_from="4.2", django_to="5.0"),
    )
    check_noop(
        "moved_names",
        "from django.forms.renderers import DjangoDivFormRenderer\n",
        context(django_from="4.1", django_to="4.2"),
    )
