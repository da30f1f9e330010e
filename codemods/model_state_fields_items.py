"""``for name, field in <ModelState>.fields`` -> ``<ModelState>.fields.items()``, on the hop that
crosses Django 3.1.

``django.db.migrations.state.ModelState.fields`` was a list of ``(name, field)`` pairs up to 3.0
and is a dict from 3.1 on (3.1's ``state.py``: ``self.fields = dict(fields)``): iterating it
gives the names, and unpacking a name fails with ``ValueError: too many values to unpack``
(django-simple-history's tests on 3.2, FINDINGS F71). ``.items()`` gives the same pairs, in the
same order, on 3.1+.

The loops and comprehensions rewritten are the ones the scanner's ``model-state-fields-dict``
item names (``upgrader.findings.python_model_state.model_state_loops``: a pair unpacked from
``<x>.fields`` with ``<x>`` built by ``ModelState(...)``/``ModelState.from_model(...)`` in the
same function or module, resolved through the file's imports). A project already on 3.1+ has
working code there: nothing to do.

https://docs.djangoproject.com/en/3.1/releases/3.1/
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python_text import edit_tree, replace_spans
from upgrader.findings.python_model_state import model_state_loops
from upgrader.findings.python_visitor import import_resolver

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/"
VERSION = Version("3.1")


def transform(source: str, context: RuleContext) -> str:
    found = edit_tree(source, "ModelState", context.django_from, VERSION)
    if found is None:
        return source
    tree, positions = found
    edits = []
    for _where, iterable, _owner in model_state_loops(tree, import_resolver(tree)):
        _start, end = positions.span(iterable)
        edits.append((end, end, ".items()"))
    return replace_spans(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary="for name, field in <ModelState>.fields -> .fields.items() (a dict since 3.1)",
        docs=DOCS,
        transform=transform,
        needles=(b"ModelState",),
    )
)
