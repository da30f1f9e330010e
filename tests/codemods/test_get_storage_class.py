from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "get_storage_class"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.core.files.storage import get_storage_class\n\n"
            "storage = get_storage_class('storages.backends.s3boto3.S3Boto3Storage')()  # s3\n",
            "from django.utils.module_loading import import_string\n\n"
            "storage = import_string('storages.backends.s3boto3.S3Boto3Storage')()  # s3\n",
            id="literal path",
        ),
        pytest.param(
            "from django.conf import settings\n"
            "from django.core.files import storage\n\n"
            "cls = storage.get_storage_class(import_path=settings.MEDIA_STORAGE)\n",
            "from django.conf import settings\n"
            "from django.utils.module_loading import import_string\n\n"
            "cls = import_string(settings.MEDIA_STORAGE)\n",
            id="own setting as keyword argument, module attribute, unused module import removed",
        ),
        pytest.param(
            "from django.core.files.storage import FileSystemStorage, get_storage_class as gsc\n"
            "from django.utils.module_loading import import_string\n\n"
            "cls = gsc(path)\n",
            "from django.core.files.storage import FileSystemStorage\n"
            "from django.utils.module_loading import import_string\n\n"
            "cls = import_string(path)\n",
            id="alias import, import_string already imported",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.2"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from myapp.storage import get_storage_class\n\nx = get_storage_class('a.B')\n",
            id="look-alike from another module",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.2"))


def test_not_before_4_2() -> None:
    source = (
        "from django.core.files.storage import get_storage_class\n\nx = get_storage_class('a.B')\n"
    )
    check_noop(RULE, source, context(django_to="4.1"))


@pytest.mark.parametrize(
    ("call", "alias"),
    [
        pytest.param("get_storage_class()", "default", id="no argument"),
        pytest.param("get_storage_class(None)", "default", id="None"),
    ],
)
def test_storage_settings_are_notes(call: str, alias: str) -> None:
    ctx = context(filename="app/files.py")
    source = f"from django.core.files.storage import get_storage_class\n\nstorage = {call}()\n"
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith(f"app/files.py:3: {call} is removed in Django 5.1")
    assert f'storages["{alias}"]' in ctx.notes[0]


@pytest.mark.parametrize(
    ("setting", "alias"),
    [("DEFAULT_FILE_STORAGE", "default"), ("STATICFILES_STORAGE", "staticfiles")],
)
def test_storage_settings_become_the_storages_backend(setting: str, alias: str) -> None:
    # wagtail 2.9's admin/staticfiles.py: imported by django.setup(), so an ImportError on 5.1+.
    before = (
        "from django.conf import settings\n"
        "from django.core.files.storage import get_storage_class\n\n"
        f"storage = get_storage_class(settings.{setting})\n"
    )
    after = (
        "from django.conf import settings\n"
        "from django.utils.module_loading import import_string\n\n"
        f'storage = import_string(settings.STORAGES["{alias}"]["BACKEND"])\n'
    )
    ctx = context()
    check_transformed(RULE, before, after, ctx)
    assert ctx.notes == []
