"""Issue 10: the release-notes items added to the catalogue, each found at its line (and
look-alikes left alone)."""

from __future__ import annotations

import textwrap

import pytest

from upgrader.findings import scan_source


def found(source: str, filename: str = "app/views.py") -> list[tuple[str, int]]:
    return [(f.id, f.line) for f in scan_source(textwrap.dedent(source), filename)]


POSITIVE = [
    (
        "from django.core.mail import send_mail\nsend_mail('s', 'm', 'f', ['t'], True)\n",
        "mail-positional-args",
        2,
    ),
    (
        "from django import forms\nf = forms.ModelMultipleChoiceField(qs, error_messages={'list': 'x'})\n",
        "model-multiple-choice-list-key",
        2,
    ),
    ("from django.db.models.query import EmptyResultSet\n", "empty-result-set-import", 1),
    (
        "from django.contrib.postgres.aggregates import ArrayAgg\nq = ArrayAgg('x')\n",
        "postgres-aggregate-default",
        2,
    ),
    ("from django.forms.fields import CallableChoiceIterator\n", "callable-choice-iterator", 1),
    ("from django.utils.jslex import JsLexer\n", "utils-jslex", 1),
    (
        "import django\nclass F:\n    def get_cache_name(self):\n        return 'x'\n",
        "field-cache-name",
        3,
    ),
    ("from django.core.serializers.base import PickleSerializer\n", "pickle-serializer", 1),
    ("from django.utils._os import upath\n", "utils-os-py2-helpers", 1),
    ("from django.utils.safestring import SafeBytes\n", "safe-bytes", 1),
    ("from django.test.utils import patch_logger\n", "test-utils-patch-logger", 1),
    ("from django.contrib.gis.db.models.functions import ForceRHR\n", "gis-force-rhr", 1),
    (
        "from django.contrib.staticfiles import storage\nclass S(storage.CachedFilesMixin): pass\n",
        "cached-static-files-storage",
        2,
    ),
    ("from django.utils.decorators import classproperty\n", "decorators-classproperty", 1),
    ("from django.views.debug import get_safe_settings\n", "debug-safe-settings", 1),
    ("from django.contrib.admindocs.utils import trim_docstring\n", "admindocs-trim-docstring", 1),
    ("import django\nBook.objects.filter(\n    author__isnull=1)\n", "isnull-non-boolean", 3),
    ("from django.db.models import Q\nq = Q(a__isnull=0)\n", "isnull-non-boolean", 2),
    (
        "from django.utils.deprecation import MiddlewareMixin\n"
        "class M(MiddlewareMixin):\n    def __init__(self):\n        pass\n",
        "middleware-mixin-get-response",
        3,
    ),
    (
        "from django.contrib.postgres.fields.jsonb import KeyTextTransform\n",
        "postgres-jsonb-transforms",
        1,
    ),
    ("from django.utils.http import parse_qsl\n", "utils-http-parse-qsl", 1),
    ("import django\nurl = request.get_raw_uri()\n", "get-raw-uri", 2),
    ("from django.test.runner import reorder_suite\n", "test-runner-private-helpers", 1),
    (
        "from django.views.generic import DeleteView\nclass V(DeleteView):\n"
        "    def delete(self, request, *a, **k):\n        pass\n",
        "delete-view-delete",
        3,
    ),
    (
        "from django.contrib.gis import admin\nclass A(admin.OSMGeoAdmin): pass\n",
        "gis-geo-model-admin",
        2,
    ),
    ("import django\nrunner.run_tests(labels, extra_tests=[t])\n", "test-runner-extra-tests", 2),
    (
        "from django.utils.functional import cached_property\nx = cached_property(f, name='x')\n",
        "cached-property-name",
        2,
    ),
    ("import django\nhtml = self._html_output(a, b, c, d, e)\n", "form-html-output", 2),
    (
        "import django\nfor b in Book.objects.prefetch_related('a').filter(x=1).iterator():\n"
        "    pass\n",
        "iterator-prefetch-chunk-size",
        2,
    ),
    (
        "from django.contrib.sitemaps import Sitemap\nclass S(Sitemap):\n    changefreq = 'x'\n",
        "sitemap-protocol-https",
        2,
    ),
    ("from django.contrib.sitemaps import ping_google\n", "sitemaps-ping-google", 1),
    ("from django.contrib.admin.sites import NotRegistered\n", "admin-sites-already-registered", 1),
    (
        "from django.utils.topological_sort import stable_topological_sort\n",
        "utils-topological-sort",
        1,
    ),
    ("from django.db.models.sql.where import SubqueryConstraint\n", "subquery-constraint", 1),
    (
        "from django.db import models\nclass C(models.BaseConstraint):\n"
        "    def __init__(self, n):\n        super().__init__(n)\n",
        "constraint-positional-args",
        4,
    ),
    ("import django\ncols = field.get_joining_columns()\n", "get-joining-columns", 2),
    ("import django\nqs = manager.get_prefetch_queryset(instances)\n", "get-prefetch-queryset", 2),
    ("import django\nll = geoip.coords('1.2.3.4')\n", "geoip2-coords", 2),
    ("from django.core.mail.message import sanitize_address\n", "mail-header-helpers", 1),
    (
        "from django.core.mail import EmailMessage\nclass M(EmailMessage):\n"
        "    mixed_subtype = 'related'\n",
        "mail-mixed-subtype",
        2,
    ),
    ("import django\nqs.annotate(**{'a%b': F('x')})\n", "column-alias-percent", 2),
    (
        "from django.db import transaction\nsid = transaction.savepoint()\n",
        "transaction-savepoint",
        2,
    ),
    ("from django.core.mail import get_connection\n", "mail-get-connection", 1),
    (
        "from django.core.mail import send_mail\nsend_mail('s', 'm', 'f', ['t'], fail_silently=False)\n",
        "mail-fail-silently",
        2,
    ),
    (
        "from django.core.validators import EmailValidator\nv = EmailValidator(domain_whitelist=['x'])\n",
        "email-validator-whitelist",
        2,
    ),
    (
        "from django import forms\nclass W(forms.Select):\n"
        "    def create_option(self, name, value, *args, **kwargs):\n        pass\n",
        "model-choice-iterator-value",
        3,
    ),
    (
        "from django.db.models.sql.datastructures import Join\nj = Join(t, p, a, INNER, join_cols=c)\n",
        "get-joining-columns",
        2,
    ),
    (
        "from django.contrib.auth.views import SuccessURLAllowedHostsMixin\n",
        "auth-success-url-allowed-hosts-mixin",
        1,
    ),
    (
        "from django.contrib.auth import views\nclass V(views.SuccessURLAllowedHostsMixin):\n    pass\n",
        "auth-success-url-allowed-hosts-mixin",
        2,
    ),
    (
        "from django.core.paginator import Paginator\np = Paginator(items, 5, 5)\n",
        "paginator-orphans",
        2,
    ),
    (
        "from django.core import paginator\np = paginator.AsyncPaginator(qs, per_page=3, orphans=7)\n",
        "paginator-orphans",
        2,
    ),
    (
        "from django.views.generic import ListView\n"
        "class Books(ListView):\n    paginate_by = 10\n    paginate_orphans = 10\n",
        "paginator-orphans",
        4,
    ),
]


@pytest.mark.parametrize(
    ("source", "expected", "line"), [pytest.param(*p, id=p[1]) for p in POSITIVE]
)
def test_detects(source: str, expected: str, line: int) -> None:
    assert (expected, line) in found(source)


NEGATIVE = [
    "from django.core.mail import send_mail\nsend_mail('s', 'm', 'f', ['t'], html_message='x')\n",
    "from django import forms\nf = forms.ModelMultipleChoiceField(qs, error_messages={'invalid_list': 'x'})\n",
    "from django.contrib.postgres.aggregates import ArrayAgg\nq = ArrayAgg('x', default=[])\n",
    "import django\nBook.objects.filter(author__isnull=True)\n",
    "import django\nfor b in Book.objects.filter(x=1).iterator():\n    pass\n",
    "import django\nBook.objects.prefetch_related('a').iterator(chunk_size=100)\n",
    "from django.contrib.sitemaps import Sitemap\nclass S(Sitemap):\n    protocol = 'https'\n",
    "from django.db import models\nc = models.UniqueConstraint(fields=['a'], name='u')\n",
    "from django.db import models\nc = models.UniqueConstraint(Lower('a'), name='u')\n",
    "import django\nclass V(View):\n    def delete(self, request):\n        pass\n",
    "from django.utils.deprecation import MiddlewareMixin\n"
    "class M(MiddlewareMixin):\n    def __init__(self, get_response):\n        pass\n",
    "from django.utils.functional import classproperty, cached_property\nx = cached_property(f)\n",
    "import django\nqs.annotate(**{'ab': F('x')})\n",
    "from django.core.mail import send_mail\nsend_mail('s', 'm', 'f', ['t'])\n",
    "import django\nfrom django.db import transaction\nsid = transaction.savepoint_create()\n",
    "from django.core.paginator import Paginator\np = Paginator(items, 5, 4)\n",
    "from django.core.paginator import Paginator\np = Paginator(items, per_page=n, orphans=9)\n",
    "from mylib import Paginator\np = Paginator(items, 5, 5)\n",
    "import django\nclass Books(ListView):\n    paginate_by = 10\n    paginate_orphans = 3\n",
    "import django\nclass Books(ListView):\n    paginate_orphans = 3\n",
    "import django\nll = g.lat_lon('1.2.3.4')\nlonlat = geoip.lon_lat('1.2.3.4')\n",
]


@pytest.mark.parametrize("source", NEGATIVE)
def test_leaves_look_alikes_alone(source: str) -> None:
    assert found(source) == []


def test_cached_static_files_storage_in_settings() -> None:
    text = 'STATICFILES_STORAGE = "django.contrib.staticfiles.storage.CachedStaticFilesStorage"\n'
    ids = [f.id for f in scan_source(text, "proj/settings.py", is_settings=True)]
    assert "cached-static-files-storage" in ids


# FINDINGS F9: Django 3.0 escapes ' as &#x27;; tests comparing with &#39; fail.
@pytest.mark.parametrize(
    ("source", "filename", "lines"),
    [
        ("x = 'Alice&#39;s'\nassert f(x) == b'&#39;'\n", "app/tests/test_mail.py", [1, 2]),
        ("import django\nok = f'{a}&#39;s'\n", "tests.py", [2]),
        ("def test_x():\n    assert out == '''\n&#39;\n'''\n", "conftest.py", [2]),
    ],
)
def test_apostrophe_in_tests(source: str, filename: str, lines: list[int]) -> None:
    assert [line for id_, line in found(source, filename) if id_ == "html-escape-apostrophe"] == (
        lines
    )


@pytest.mark.parametrize(
    ("source", "filename"),
    [
        ("html = '<p>it&#39;s</p>'\n", "app/views.py"),  # renders the same on every Django
        ("assert out == 'it&#x27;s'\n", "app/tests.py"),
        ("# &#39; in a comment\nx = 1\n", "app/tests.py"),
    ],
)
def test_apostrophe_left_alone(source: str, filename: str) -> None:
    assert "html-escape-apostrophe" not in [id_ for id_, _ in found(source, filename)]


# FINDINGS F13: settings.configure() without SECRET_KEY stops every test on Django 3.2.
@pytest.mark.parametrize(
    ("source", "filename", "line"),
    [
        (
            "from django.conf import settings\nS = {'DEBUG': True}\n\n"
            "if __name__ == '__main__':\n    settings.configure(**S)\n",
            "runtests.py",
            5,
        ),
        ("from django.conf import settings\nsettings.configure(DEBUG=True)\n", "tools/run.py", 2),
    ],
)
def test_configure_without_secret_key(source: str, filename: str, line: int) -> None:
    assert ("secret-key-configure", line) in found(source, filename)


@pytest.mark.parametrize(
    "source",
    [
        "from django.conf import settings\nsettings.configure(SECRET_KEY='k')\n",
        "import os\nfrom django.conf import settings\n"
        "settings.configure(SECRET_KEY=os.environ['SECRET_KEY'])\n",
        "from django.conf import settings\nfrom base import S\nsettings.configure(**S)\n",
        "from django.conf import settings\nS = dict(DEBUG=1)\nS.update(K)\nsettings.configure(**S)\n",
        "from django.conf import settings\nsettings.configure(default_settings=d)\n",
        "settings.configure(DEBUG=True)\n",  # no import: not Django's settings
    ],
)
def test_configure_with_a_key_or_unknown(source: str) -> None:
    assert "secret-key-configure" not in [id_ for id_, _ in found(source, "runtests.py")]


def test_settings_module_without_secret_key_is_not_reported() -> None:
    """Django 2.2 already refused a settings module with no SECRET_KEY at load: nothing new."""
    findings = [f.id for f in scan_source("DEBUG = True\n", "proj/settings.py", is_settings=True)]
    assert "secret-key-configure" not in findings


def test_get_prefetch_queryset_override_is_found() -> None:
    """Django 6.0 calls get_prefetch_querysets() only: an override of the old name goes unused."""
    source = (
        "from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor\n"
        "class D(ForwardManyToOneDescriptor):\n"
        "    def get_prefetch_queryset(self, instances, queryset=None):\n"
        "        return super().get_prefetch_queryset(instances, queryset)\n"
    )
    assert [line for id_, line in found(source) if id_ == "get-prefetch-queryset"] == [3, 4]
    other = (
        "import django\nclass D:\n    def get_prefetch_querysets(self, instances):\n        pass\n"
    )
    assert "get-prefetch-queryset" not in [id_ for id_, _ in found(other)]
