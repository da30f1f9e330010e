from __future__ import annotations

import pytest

import codemods.model_save_positional_args as rule_module
from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "model_save_positional_args"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "book.save(True)\n",
            "book.save(force_insert=True)\n",
            id="one flag",
        ),
        pytest.param(
            "book.save(False, True, 'replica', ['title'])  # all four\n",
            "book.save(force_insert=False, force_update=True, using='replica', update_fields=['title'])  # all four\n",
            id="all four slots",
        ),
        pytest.param(
            "await book.asave(False, False, None, update_fields=('title',))\n",
            "await book.asave(force_insert=False, force_update=False, using=None, update_fields=('title',))\n",
            id="asave with a keyword already",
        ),
        pytest.param(
            "class Book(models.Model):\n"
            "    def save(self, force_insert=False, force_update=False, using=None, update_fields=None):\n"
            "        super(Book, self).save(\n"
            "            force_insert,\n"
            "            force_update,  # pass on\n"
            "            using,\n"
            "            update_fields,\n"
            "        )\n",
            "class Book(models.Model):\n"
            "    def save(self, force_insert=False, force_update=False, using=None, update_fields=None):\n"
            "        super(Book, self).save(\n"
            "            force_insert=force_insert,\n"
            "            force_update=force_update,  # pass on\n"
            "            using=using,\n"
            "            update_fields=update_fields,\n"
            "        )\n",
            id="save override passing its parameters, one per line",
        ),
        pytest.param(
            "class Book(TimeStampedModel):\n"
            "    def publish(self):\n"
            "        self.save(False, False, self._state.db)\n",
            "class Book(TimeStampedModel):\n"
            "    def publish(self):\n"
            "        self.save(force_insert=False, force_update=False, using=self._state.db)\n",
            id="self in a model class takes any expression",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="5.1"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("instance = form.save(False)\n", id="ModelForm.save(commit)"),
        pytest.param("objs = formset.save(False)\n", id="formset.save(commit)"),
        pytest.param("self.user_form.save(False)\n", id="form attribute"),
        pytest.param("request.session.save(True)\n", id="SessionBase.save(must_create)"),
        pytest.param("serializer.save(True)\n", id="serializer"),
        pytest.param(
            "class BookForm(forms.ModelForm):\n"
            "    def save(self, commit=True):\n"
            "        obj = super().save(False)\n"
            "        return obj\n",
            id="super().save(commit) in a ModelForm",
        ),
        pytest.param(
            "profile.avatar.save('a.png', content, True)\n",
            id="FieldFile.save(name, content, save)",
        ),
        pytest.param(
            "default_storage.save(path, ContentFile(data))\n", id="Storage.save(name, content)"
        ),
        pytest.param("workbook.save(filename)\n", id="unrelated library save(path)"),
        pytest.param(
            "class Book(models.Model):\n"
            "    def save(self, *args, **kwargs):\n"
            "        super().save(*args, **kwargs)\n",
            id="star arguments untouched",
        ),
        pytest.param("book.save(force_insert=True)\n", id="already keywords"),
        pytest.param("book.save()\n", id="no arguments"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.1"))


def test_not_before_5_1() -> None:
    check_noop(RULE, "book.save(True)\n", context(django_to="5.0"))


def _no_libcst(*args: object) -> str:
    raise AssertionError("the libcst pass ran")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("form.save(False)\n", id="form receiver"),
        pytest.param("obj.save(commit)\n", id="argument that fits no slot"),
        pytest.param("default_storage.save(name, content)\n", id="storage"),
        pytest.param("obj.save(*args, **kwargs)\n", id="unpacked"),
        pytest.param("obj.save(False, force_insert=True)\n", id="given twice"),
        pytest.param("x = '.save(True)'\n", id="needle in a string"),
    ],
)
def test_files_without_a_candidate_call_skip_libcst(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_module, "run_rule", _no_libcst)
    assert run_rule(RULE, source, context(django_to="5.1")) is source


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class Book(models.Model):\n    def save(self, *args):\n        self.save(x)\n",
            "class Book(models.Model):\n    def save(self, *args):\n        self.save(force_insert=x)\n",
            id="self in a model, any argument",
        ),
        pytest.param(
            "def f():\n    return book.asave(False, False, 'replica', ['name'])\n",
            "def f():\n    return book.asave(force_insert=False, force_update=False, "
            "using='replica', update_fields=['name'])\n",
            id="every slot",
        ),
    ],
)
def test_candidate_calls_are_still_rewritten(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="5.1"))
