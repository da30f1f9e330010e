"""``from django.contrib.admindocs.utils import trim_docstring`` -> the function itself: Django
3.1 removed it without a deprecation period (admindocs uses ``inspect.cleandoc()`` since).

``inspect.cleandoc()`` answers differently: it leaves the first line out of the common
indentation and returns ``None``'s error, where ``trim_docstring("Title\\n    body")`` keeps
``"    body"`` and ``trim_docstring(None)`` is ``""``. So a module-level import of the name
becomes a definition of Django 3.0's own body (checked in 2.2.28's
``django/contrib/admindocs/utils.py``, unchanged in 3.0), with a comment saying where it came
from; other uses are left to the scanner's manual item
(:func:`codemods.itercompat_is_iterable.define_in_place`).

https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods.itercompat_is_iterable import define_in_place

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1"
MODULE = "django.contrib.admindocs.utils"
BODY = """\
# django.contrib.admindocs.utils.trim_docstring, removed in Django 3.1 (inspect.cleandoc()
# answers differently).
def {name}(docstring):
    if not docstring or not docstring.strip():
        return ""
    lines = docstring.expandtabs().splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.lstrip())
    trimmed = [lines[0].lstrip()] + [line[indent:].rstrip() for line in lines[1:]]
    return "\\n".join(trimmed).strip()
"""


def transform(source: str, context: RuleContext) -> str:
    return define_in_place(source, context, MODULE, "trim_docstring", BODY, DOCS)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary="from django.contrib.admindocs.utils import trim_docstring -> a local definition",
        docs=DOCS,
        transform=transform,
        needles=(b"trim_docstring",),
    )
)
