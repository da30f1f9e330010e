"""The Python-code detector on small snippets: what it finds, and look-alikes it leaves alone."""

from __future__ import annotations

import textwrap

import pytest

from upgrader.findings import scan_source


def found(source: str, filename: str = "app/views.py") -> list[tuple[str, int]]:
    return [(f.id, f.line) for f in scan_source(textwrap.dedent(source), filename)]


POSITIVE = [
    pytest.param(
        "from django.conf.urls import url, include\n", "conf-urls-url", 1, id="url-import"
    ),
    pytest.param(
        "from django.conf import urls\nurls.url(r'^$', v)\n",
        "conf-urls-url",
        2,
        id="url-via-module-alias",
    ),
    pytest.param(
        "import django.conf.urls as u\nu.url(r'^$', v)\n",
        "conf-urls-url",
        2,
        id="url-via-import-as",
    ),
    pytest.param(
        "from django.utils.translation import ugettext_lazy as _\n",
        "ugettext",
        1,
        id="ugettext-alias",
    ),
    pytest.param(
        "from django.utils import translation\n\nx = translation.ungettext('a', 'b', 2)\n",
        "ugettext",
        3,
        id="ungettext-attribute",
    ),
    pytest.param(
        "import django.utils.translation\ndjango.utils.translation.ugettext('x')\n",
        "ugettext",
        2,
        id="ugettext-full-path",
    ),
    pytest.param(
        "from django.utils.encoding import force_text\n", "force-text", 1, id="force-text"
    ),
    pytest.param(
        "from django.utils.encoding import smart_text\n", "force-text", 1, id="smart-text"
    ),
    pytest.param(
        "from django.shortcuts import render_to_response\n",
        "render-to-response",
        1,
        id="render-to-response",
    ),
    pytest.param("def v(request):\n    return request.is_ajax()\n", "is-ajax", 2, id="is-ajax"),
    pytest.param("from django.utils import six\n", "utils-six", 1, id="six-from-django-utils"),
    pytest.param("from django.utils.six.moves import range\n", "utils-six", 1, id="six-moves"),
    pytest.param("import django.utils.six as six\n", "utils-six", 1, id="six-import-as"),
    pytest.param(
        "from django.utils.encoding import python_2_unicode_compatible\n",
        "python-2-unicode-compatible",
        1,
        id="python-2-unicode-compatible",
    ),
    pytest.param(
        "from django.utils.decorators import available_attrs\n",
        "available-attrs",
        1,
        id="available-attrs",
    ),
    pytest.param(
        "from django.db import models\nclass A(models.Model):\n    f = models.NullBooleanField()\n",
        "null-boolean-field",
        3,
        id="null-boolean-field",
    ),
    pytest.param(
        "from django.contrib.gis.db import models\nf = models.NullBooleanField()\n",
        "null-boolean-field",
        2,
        id="null-boolean-field-gis-models",
    ),
    pytest.param(
        "from django.db import models\n"
        "class A(models.Model):\n"
        "    class Meta:\n"
        "        index_together = [('a', 'b')]\n",
        "index-together",
        4,
        id="meta-index-together",
    ),
    pytest.param("import pytz\n", "pytz", 1, id="import-pytz"),
    pytest.param("from pytz import timezone, utc\n", "pytz", 1, id="from-pytz"),
    pytest.param(
        "import pytz\ntz = pytz.timezone('Europe/Paris')\nx = tz.localize(dt)\n",
        "pytz-localize",
        3,
        id="pytz-localize",
    ),
    pytest.param("import pytz\nx = tz.normalize(dt)\n", "pytz-localize", 2, id="pytz-normalize"),
    pytest.param(
        "from django.dispatch import Signal\ns = Signal(providing_args=['a'])\n",
        "signal-providing-args",
        2,
        id="signal-providing-args",
    ),
    pytest.param(
        "import django.dispatch\ns = django.dispatch.Signal(providing_args=['a'])\n",
        "signal-providing-args",
        2,
        id="signal-providing-args-dotted",
    ),
    pytest.param(
        "from django.conf import settings\nd = settings.PASSWORD_RESET_TIMEOUT_DAYS\n",
        "password-reset-timeout-days",
        2,
        id="settings-attribute-in-code",
    ),
    pytest.param(
        "from django.conf import settings\nx = settings.DEFAULT_FILE_STORAGE\n",
        "storages-settings",
        2,
        id="default-file-storage-in-code",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertEquals(1, 1)\n",
        "unittest-aliases",
        3,
        id="assert-equals",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertRaisesRegexp(E, 'x')\n",
        "unittest-aliases",
        3,
        id="assert-raises-regexp",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertQuerysetEqual(qs, ['<A: a>'])\n",
        "assert-queryset-equal-repr",
        3,
        id="assert-queryset-equal-repr-strings",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertQuerysetEqual(qs, map(repr, xs))\n",
        "assert-queryset-equal-repr",
        3,
        id="assert-queryset-equal-map-repr",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertQuerysetEqual(qs, xs)\n",
        "assert-queryset-equal-rename",
        3,
        id="assert-queryset-equal-rename",
    ),
    pytest.param(
        "class T(TestCase):\n"
        "    def test(self):\n"
        "        self.assertFormError(response, 'form', 'name', 'Required')\n",
        "assert-form-error-response",
        3,
        id="assert-form-error-response",
    ),
    pytest.param(
        "from rest_framework.decorators import list_route, detail_route\n",
        "drf-list-detail-route",
        1,
        id="drf-list-route",
    ),
    pytest.param(
        "from rest_framework import decorators\n"
        "class V:\n"
        "    @decorators.detail_route(methods=['post'])\n"
        "    def go(self, request, pk=None): ...\n",
        "drf-list-detail-route",
        3,
        id="drf-detail-route-attribute",
    ),
    pytest.param(
        "from rest_framework import viewsets\n"
        "class V(viewsets.ModelViewSet):\n"
        "    filter_fields = ('a',)\n",
        "django-filter-view-attributes",
        3,
        id="filter-fields",
    ),
    pytest.param(
        "import django_filters\nclass V(ListAPIView):\n    filter_class = F\n",
        "django-filter-view-attributes",
        3,
        id="filter-class",
    ),
    pytest.param(
        "router.register(r'x', XViewSet, base_name='x')\n",
        "drf-router-base-name",
        1,
        id="drf-base-name",
    ),
    pytest.param(
        "from django.db import models\n"
        "class A(models.Model):\n"
        "    def save(self, *args, **kwargs):\n"
        "        super().save(False, False)\n",
        "model-save-positional-args",
        4,
        id="super-save-positional-in-model",
    ),
    pytest.param(
        "class Order(TimeStampedModel):\n    def close(self):\n        self.save(False, False, None, ['state'])\n",
        "model-save-positional-args",
        3,
        id="self-save-positional-in-model-subclass",
    ),
    pytest.param(
        "def f(order):\n    order.save(True)\n",
        "model-save-positional-args",
        2,
        id="obj-save-boolean",
    ),
    pytest.param(
        "def f(order, update_fields):\n    order.save(False, False, 'default', update_fields)\n",
        "model-save-positional-args",
        2,
        id="obj-save-several",
    ),
    pytest.param(
        "u = User.objects.make_random_password()\n",
        "make-random-password",
        1,
        id="make-random-password",
    ),
    pytest.param(
        "from django.core.files.storage import get_storage_class\n",
        "get-storage-class",
        1,
        id="get-storage-class",
    ),
    pytest.param(
        "from django.utils import datetime_safe\n", "datetime-safe", 1, id="datetime-safe"
    ),
    pytest.param("from django.utils.baseconv import base62\n", "baseconv", 1, id="baseconv"),
    pytest.param(
        "from django.contrib.postgres.fields import CICharField\nf = CICharField(max_length=9)\n",
        "postgres-ci-fields",
        2,
        id="ci-char-field",
    ),
    pytest.param(
        "from django.contrib.postgres.fields.citext import CIEmailField\nf = CIEmailField()\n",
        "postgres-ci-fields",
        2,
        id="ci-email-field-submodule",
    ),
    pytest.param(
        "from django.contrib.postgres.fields import CIText\n",
        "postgres-ci-fields",
        1,
        id="ci-text-mixin-is-gone",
    ),
    pytest.param(
        "from django.db import models\nclass Flag(models.NullBooleanField):\n    pass\n",
        "null-boolean-field",
        2,
        id="null-boolean-field-subclass",
    ),
    pytest.param(
        "SESSION = 'x'\nfrom django.contrib.sessions.serializers import PickleSerializer\n",
        "pickle-serializer",
        2,
        id="pickle-serializer",
    ),
    pytest.param(
        "from django.utils import timezone\nx = timezone.make_aware(dt, is_dst=True)\n",
        "is-dst-argument",
        2,
        id="is-dst",
    ),
    pytest.param(
        "from django.db.models.functions import TruncDay\nx = TruncDay('at', is_dst=False)\n",
        "is-dst-argument",
        2,
        id="is-dst-trunc",
    ),
    pytest.param(
        "qs = Event.objects.datetimes('at', 'day', is_dst=True)\n",
        "is-dst-argument",
        1,
        id="is-dst-datetimes",
    ),
    pytest.param(
        "from django.utils import timezone\nx = timezone.utc\n",
        "timezone-utc",
        2,
        id="timezone-utc",
    ),
    pytest.param(
        "from django.db import models\nf = models.ForeignKey('a.B')\n",
        "on-delete-required",
        2,
        id="foreign-key-without-on-delete",
    ),
    pytest.param(
        "def v(request):\n    return request.user.is_authenticated()\n",
        "user-is-authenticated-call",
        2,
        id="is-authenticated-call",
    ),
    pytest.param(
        "from django.utils.crypto import get_random_string\nx = get_random_string()\n",
        "get-random-string-length",
        2,
        id="get-random-string-no-length",
    ),
    pytest.param(
        "from django.utils.html import format_html\nx = format_html(f'<b>{n}</b>')\n",
        "format-html-no-args",
        2,
        id="format-html-no-args",
    ),
    pytest.param(
        "from django.db import models\nc = models.CheckConstraint(check=q, name='c')\n",
        "check-constraint-check",
        2,
        id="check-constraint-check",
    ),
    pytest.param(
        "class F(models.Field):\n"
        "    def from_db_value(self, value, expression, connection, context):\n"
        "        return value\n",
        "from-db-value-context",
        2,
        id="from-db-value-context",
    ),
    pytest.param(
        "class A(admin.ModelAdmin):\n"
        "    def lookup_allowed(self, lookup, value):\n"
        "        return True\n",
        "lookup-allowed-request",
        2,
        id="lookup-allowed-without-request",
    ),
    pytest.param(
        "class C(BaseCommand):\n    requires_system_checks = False\n",
        "requires-system-checks-bool",
        2,
        id="requires-system-checks-bool",
    ),
    pytest.param(
        "class T(TestCase):\n    multi_db = True\n", "testcase-multi-db", 2, id="multi-db"
    ),
    pytest.param(
        "def f(obj):\n    return obj.name\nf.allow_tags = True\n",
        "admin-allow-tags",
        3,
        id="allow-tags",
    ),
    pytest.param(
        "from django.core.urlresolvers import reverse\n",
        "core-urlresolvers",
        1,
        id="core-urlresolvers",
    ),
    pytest.param(
        "from django.utils.itercompat import is_iterable\n", "itercompat", 1, id="itercompat"
    ),
    pytest.param(
        "from django.core import signing\ns = signing.Signer('secret', ':')\n",
        "signer-positional-args",
        2,
        id="signer-positional",
    ),
    pytest.param(
        "from django.db.models.enums import ChoicesMeta\n", "choices-meta", 1, id="choices-meta"
    ),
    pytest.param(
        "from django.core.mail import BadHeaderError, send_mail\n",
        "mail-bad-header-error",
        1,
        id="bad-header-error",
    ),
    pytest.param(
        "from django.core.mail import SafeMIMEText\n",
        "mail-legacy-classes",
        1,
        id="safe-mime-text",
    ),
    pytest.param(
        "class A(admin.ModelAdmin):\n    def log_deletion(self, request, obj, repr):\n        pass\n",
        "admin-log-deletion",
        2,
        id="log-deletion-override",
    ),
    pytest.param(
        "LogEntry.objects.log_action(user_id=1, content_type_id=2, object_id=3)\n",
        "admin-log-deletion",
        1,
        id="log-action-call",
    ),
    pytest.param(
        "class I(admin.TabularInline):\n    def has_add_permission(self, request):\n        return False\n",
        "inline-has-add-permission-obj",
        2,
        id="inline-has-add-permission",
    ),
    pytest.param(
        "from django.db.models.query_utils import InvalidQuery\n",
        "invalid-query",
        1,
        id="invalid-query",
    ),
]


@pytest.mark.parametrize(("source", "expected", "line"), POSITIVE)
def test_detects(source: str, expected: str, line: int) -> None:
    assert (expected, line) in found(source)


def test_default_app_config_only_in_dunder_init() -> None:
    source = "default_app_config = 'shop.apps.ShopConfig'\n"
    assert found(source, "shop/__init__.py") == [("default-app-config", 1)]
    assert found(source, "shop/apps.py") == []


def test_index_together_in_models_is_the_item_not_in_historical_migrations() -> None:
    """Django keeps historical ``index_together`` working: verified on 5.1.15 and 5.2.19, whose
    ``CreateModel.database_forwards`` still creates those indexes and ``AlterIndexTogether``
    stays public API. Only ``Meta.index_together`` in a model has to change."""
    migration = textwrap.dedent(
        """\
        from django.db import migrations, models
        from django.db.migrations import AlterIndexTogether
        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(
                    name='A',
                    fields=[('flag', models.NullBooleanField())],
                    options={'index_together': {('a', 'b')}},
                ),
                migrations.AlterIndexTogether(name='a', index_together={('a', 'b')}),
                AlterIndexTogether(name='a', index_together=set()),
            ]
        """
    )
    assert found(migration, "shop/migrations/0001_initial.py") == []
    model = textwrap.dedent(
        """\
        from django.db import models
        class A(models.Model):
            class Meta:
                index_together = [('a', 'b')]
        """
    )
    assert found(model, "shop/models.py") == [("index-together", 4)]


NEGATIVE = [
    pytest.param("from myapp.compat import url\nurl('x')\n", id="url-from-project-module"),
    pytest.param("from django.urls import path, re_path, include\n", id="django-urls"),
    pytest.param("import six\nsix.text_type('x')\n", id="six-from-pypi"),
    pytest.param("from six.moves import range\n", id="six-moves-from-pypi"),
    pytest.param("def url(x):\n    return x\nurl('a')\n", id="local-url-function"),
    pytest.param("from django.utils.translation import gettext_lazy as _\n", id="gettext"),
    pytest.param(
        "from django import forms\nf = forms.NullBooleanField()\n", id="forms-null-boolean"
    ),
    pytest.param(
        "from django.db import models\nclass A(models.Model):\n"
        "    def save(self, *args, **kwargs):\n        super().save(*args, **kwargs)\n",
        id="save-passing-args-through",
    ),
    pytest.param("def f(form):\n    obj = form.save(False)\n", id="modelform-save-commit"),
    pytest.param("def f(o):\n    o.save(update_fields=['a'])\n", id="save-keywords"),
    pytest.param(
        "def f(storage, content):\n    storage.save('a.txt', content)\n", id="storage-save"
    ),
    pytest.param("def f(img, buf):\n    img.save(buf, 'PNG')\n", id="pillow-save"),
    pytest.param(
        "class Helper:\n    def go(self):\n        self.save(True)\n", id="self-save-outside-model"
    ),
    pytest.param("x = tz.localize(dt)\n", id="localize-without-pytz"),
    pytest.param("def f(babel):\n    babel.normalize('x')\n", id="normalize-without-pytz"),
    pytest.param("x = obj.is_ajax\n", id="is-ajax-not-called"),
    pytest.param("assertEquals(1, 1)\n", id="assert-equals-not-on-self"),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertQuerySetEqual(qs, ['a'], transform=repr)\n"
        "        self.assertQuerySetEqual(qs, [a, b])\n",
        id="assert-queryset-equal-new-style",
    ),
    pytest.param(
        "class T(TestCase):\n    def test(self):\n        self.assertFormError(form, 'name', 'Required')\n",
        id="assert-form-error-new-signature",
    ),
    pytest.param("class V:\n    filter_fields = ('a',)\n", id="filter-fields-without-drf"),
    pytest.param(
        "from django.db import models\nf = models.ForeignKey('a.B', models.CASCADE)\n"
        "g = models.ForeignKey('a.B', on_delete=models.CASCADE)\n",
        id="foreign-key-with-on-delete",
    ),
    pytest.param(
        "from django.utils.crypto import get_random_string\nx = get_random_string(12)\n",
        id="get-random-string-with-length",
    ),
    pytest.param(
        "from django.utils.html import format_html\nx = format_html('<b>{}</b>', n)\n",
        id="format-html-with-args",
    ),
    pytest.param(
        "class A(admin.ModelAdmin):\n"
        "    def lookup_allowed(self, lookup, value, request=None):\n        return True\n",
        id="lookup-allowed-with-request",
    ),
    pytest.param(
        "class C(BaseCommand):\n    requires_system_checks = []\n", id="system-checks-list"
    ),
    pytest.param("from .models import url\n", id="relative-import"),
    pytest.param("class A:\n    class Meta:\n        indexes = []\n", id="meta-indexes"),
    pytest.param("index_together = 1\n", id="index-together-outside-meta"),
    pytest.param("user.is_authenticated\n", id="is-authenticated-property"),
    pytest.param(
        "from django.core.signing import Signer\ns = Signer(key='k', salt='s')\n",
        id="signer-keywords",
    ),
    pytest.param("logger.log_action('x')\n", id="log-action-not-logentry"),
    pytest.param(
        "class A(admin.ModelAdmin):\n    def has_add_permission(self, request):\n        return False\n",
        id="modeladmin-has-add-permission",
    ),
    pytest.param(
        "class I(admin.StackedInline):\n"
        "    def has_add_permission(self, request, obj=None):\n        return False\n",
        id="inline-has-add-permission-with-obj",
    ),
]


@pytest.mark.parametrize("source", NEGATIVE)
def test_leaves_look_alikes_alone(source: str) -> None:
    assert found(source) == []


def test_null_boolean_field_in_migrations_is_not_reported() -> None:
    source = "from django.db import models\nf = models.NullBooleanField()\n"
    assert found(source, "shop/migrations/0002_x.py") == []
    assert found(source, "shop/models.py") == [("null-boolean-field", 2)]


def test_findings_carry_location_and_catalogue_entry() -> None:
    [finding] = scan_source("x = 1\nif request.is_ajax():\n    pass\n", "shop/views.py")
    assert (finding.file, finding.line, finding.col) == ("shop/views.py", 2, 3)
    assert finding.deprecation.removed_in == "4.0"
    assert finding.location == "shop/views.py:2"
    assert "is_ajax" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.db import models\nok = isinstance(f, (models.BooleanField, models.NullBooleanField))\n",
            id="isinstance-null-boolean-field",  # wagtail 2.9's api/v2/filters.py
        ),
        pytest.param("from django.db.models import NullBooleanField\n", id="import-only"),
        pytest.param(
            "from django.contrib.postgres.fields import JSONField, CITextField\n"
            "KINDS = (JSONField, CITextField)\n",
            id="postgres-classes-named",
        ),
    ],
)
def test_fields_django_keeps_are_items_only_where_a_model_uses_them(source: str) -> None:
    """Django 5.2 still defines NullBooleanField, contrib.postgres's JSONField and CI*Field (for
    historical migrations): naming or importing them works; only a model field made of them fails
    its system check (fields.E903/E904/E905)."""
    assert found(source, "shop/utils.py") == []
