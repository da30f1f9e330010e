"""After ``<x>.__class__ = <CharField/TextField/...>``: ``<x>.db_collation = getattr(<x>,
"db_collation", None)``, on the hop that crosses Django 3.2.

Django 3.2's ``CharField.__init__`` and ``TextField.__init__`` (and EmailField's, SlugField's,
URLField's, the CI*Fields') set ``self.db_collation``, which ``deconstruct()`` and the system
checks read. An instance re-classed to one of them (django-simple-history's ``transform_field``
turns a copied ``FileField`` into a ``TextField``) never ran that ``__init__``: ``AttributeError:
'TextField' object has no attribute 'db_collation'`` (FINDINGS F70). The added line keeps a
collation the instance had (a re-classed ``SlugField``) and gives one that had none the
``__init__`` default, None: the same instance on every Django version (before 3.2 nothing reads
the attribute).

The assignments completed are the scanner's ``field-init-db-collation`` items of the
``__class__ =`` shape (``upgrader.findings.python_reclass.reclassed_receivers``: resolved through
the file's imports, silenced when the function already sets the attribute). A field subclass
whose ``__init__`` skips the field class's (``super(CharField, self).__init__``) stays the
item's manual fix, as do the 4.1/4.2/6.0 attributes, whose defaults are not None.

https://docs.djangoproject.com/en/3.2/releases/3.2/#models
"""

from __future__ import annotations

import ast

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods._python_insert import insertions_after
from codemods._python_text import edit_tree, replace_spans
from upgrader.findings.python_reclass import reclassed_receivers
from upgrader.findings.python_visitor import import_resolver

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#models"
VERSION = Version("3.2")
ITEM = "field-init-db-collation"


def transform(source: str, context: RuleContext) -> str:
    found = edit_tree(source, "__class__", context.django_from, VERSION)
    if found is None:
        return source
    tree, positions = found
    lines: dict[int, tuple[ast.Assign, list[str]]] = {}
    for item, assign, receiver, attribute, _cls in reclassed_receivers(tree, import_resolver(tree)):
        if item != ITEM:
            continue
        name = string_literal(attribute, source)
        line = f"{receiver}.{attribute} = getattr({receiver}, {name}, None)"
        entry = lines.setdefault(id(assign), (assign, []))
        if line not in entry[1]:
            entry[1].append(line)
    edits = []
    for assign, added in lines.values():
        edits.append(insertions_after(positions, assign, added))
    return replace_spans(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary='x.__class__ = TextField (etc.) gets x.db_collation = getattr(x, "db_collation", None)',
        docs=DOCS,
        transform=transform,
        needles=(b"__class__",),
    )
)
