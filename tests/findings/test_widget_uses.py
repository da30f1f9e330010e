"""``model-choice-iterator-value`` judged on the project's uses of the widget (F22): no item for
a widget only given plain choices (pretalx's ``MultipleLanguagesWidget``), an item naming the
model use or saying the use cannot be seen otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.findings.test_scan import SETTINGS, make_project
from upgrader.findings import scan_project
from upgrader.findings.model import Finding

ID = "model-choice-iterator-value"
# pretalx/orga/forms/widgets.py's shape: value used as a key of a dict of language codes.
WIDGETS = (
    "from django.conf import settings\n"
    "from django.forms import CheckboxSelectMultiple\n"
    "\n"
    "class MultipleLanguagesWidget(CheckboxSelectMultiple):\n"
    "    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):\n"
    "        opt = super(MultipleLanguagesWidget, self).create_option(\n"
    "            name, value, label, selected, index, subindex, attrs\n"
    "        )\n"
    "        opt['official'] = settings.LANGUAGES_INFORMATION[value]\n"
    "        return opt\n"
)
# pretalx/orga/forms/event.py and pretalx/event/forms.py: plain MultipleChoiceFields.
PLAIN_FORMS = (
    "from django import forms\n"
    "from django.conf import settings\n"
    "from shop.widgets import MultipleLanguagesWidget\n"
    "\n"
    "class EventForm(forms.ModelForm):\n"
    "    locales = forms.MultipleChoiceField(\n"
    "        choices=settings.LANGUAGES, widget=MultipleLanguagesWidget\n"
    "    )\n"
    "\n"
    "class WizardForm(forms.Form):\n"
    "    locales = forms.MultipleChoiceField(\n"
    "        choices=settings.LANGUAGES, widget=MultipleLanguagesWidget()\n"
    "    )\n"
    "    ok = isinstance(locales.widget, MultipleLanguagesWidget)\n"
)


def findings(tmp_path: Path, forms: str | None) -> list[Finding]:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": SETTINGS,
        "shop/__init__.py": "",
        "shop/widgets.py": WIDGETS,
    }
    if forms is not None:
        files["shop/forms.py"] = forms
    found = scan_project(make_project(tmp_path, files)).findings
    return [f for f in found if f.id == ID]


MODELS = (
    "from django.db import models\n"
    "class Base(models.Model):\n"
    "    locale = models.CharField(max_length=5, choices=[('en', 'English')])\n"
    "    class Meta:\n"
    "        abstract = True\n"
    "class Event(Base):\n"
    "    tags = models.ManyToManyField('Tag')\n"
)
META_FORM = (
    "from django import forms\n"
    "from shop.models import Event\n"
    "from shop.widgets import MultipleLanguagesWidget\n"
    "class EventForm(forms.ModelForm):\n"
    "    class Meta:\n"
    "        model = Event\n"
    "        fields = ['locale', 'tags']\n"
    "        widgets = {'{field}': MultipleLanguagesWidget}\n"
)


def test_widget_only_used_with_plain_choices_gets_no_item(tmp_path: Path) -> None:
    assert findings(tmp_path, PLAIN_FORMS) == []


def test_a_model_form_s_widget_is_judged_on_the_model_field(tmp_path: Path) -> None:
    """``Meta.widgets`` for the CharField with choices an abstract base defines: plain; for the
    ManyToManyField: the item, naming the field."""
    (tmp_path / "a/shop").mkdir(parents=True)
    (tmp_path / "a/shop/models.py").write_text(MODELS)
    assert findings(tmp_path / "a", META_FORM.replace("{field}", "locale")) == []
    (tmp_path / "b/shop").mkdir(parents=True)
    (tmp_path / "b/shop/models.py").write_text(MODELS)
    found = findings(tmp_path / "b", META_FORM.replace("{field}", "tags"))
    assert [f.message.partition(": ")[2] for f in found] == [
        "`MultipleLanguagesWidget` is used with the ModelForm field Event.tags (a "
        "ManyToManyField) at shop/forms.py:8"
    ]


@pytest.mark.parametrize(
    ("forms", "reason"),
    [
        pytest.param(
            PLAIN_FORMS
            + "class TagForm(forms.Form):\n"
            + "    tags = forms.ModelMultipleChoiceField(None, widget=MultipleLanguagesWidget)\n",
            "is used with ModelMultipleChoiceField at shop/forms.py:16",
            id="model-choice-field",
        ),
        pytest.param(
            "from django import forms\n"
            "from shop import widgets\n"
            "class TagForm(forms.ModelForm):\n"
            "    class Meta:\n"
            "        fields = ['tags']\n"
            "        widgets = {'tags': widgets.MultipleLanguagesWidget}\n",
            "is used with a ModelForm field, which may be a ForeignKey or ManyToManyField at "
            "shop/forms.py:6",
            id="meta-widgets",
        ),
        pytest.param(
            PLAIN_FORMS
            + "class Pick(MultipleLanguagesWidget):\n"
            + "    pass\n"
            + "class PickField(forms.ModelChoiceField):\n"
            + "    widget = Pick\n",
            "is used with ModelChoiceField at shop/forms.py:18",
            id="subclass-in-a-model-field-class",
        ),
        pytest.param(
            PLAIN_FORMS
            + "def setup(form):\n"
            + "    form.fields['tags'].widget = MultipleLanguagesWidget()\n",
            "is used where its choices cannot be seen (shop/forms.py:16)",
            id="assigned-to-a-form-field",
        ),
        pytest.param(
            PLAIN_FORMS + "class LangForm(forms.Form):\n"
            "    lang = LanguageField(widget=MultipleLanguagesWidget)\n",
            "is used where its choices cannot be seen (shop/forms.py:16)",
            id="unknown-field",
        ),
        pytest.param(None, "is used where it cannot be seen", id="no-use-in-the-project"),
    ],
)
def test_widget_that_can_get_model_choices_keeps_its_item(
    tmp_path: Path, forms: str | None, reason: str
) -> None:
    found = findings(tmp_path, forms)
    assert [(f.file, f.line) for f in found] == [("shop/widgets.py", 5)]
    assert found[0].message == (
        f"`create_option()` receives ModelChoiceIteratorValue: `MultipleLanguagesWidget` {reason}"
    )
