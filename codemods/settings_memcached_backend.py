"""``MemcachedCache`` -> ``PyMemcacheCache``: Django 4.1 removed the python-memcached backend.

``django.core.cache.backends.memcached.MemcachedCache`` (python-memcached, unmaintained) was
deprecated in 3.2 and removed in 4.1; ``PyMemcacheCache`` (pymemcache, added in 3.2) replaces it
with the same ``LOCATION`` syntax. The project's requirements must swap ``python-memcached`` for
``pymemcache`` (``REQUIREMENT_SWAPS``, for the dependency stage); backend ``OPTIONS`` are
client-specific and are flagged in a note.
https://docs.djangoproject.com/en/4.1/releases/4.1/#features-removed-in-4-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-removed-in-4-1"
OLD = "django.core.cache.backends.memcached.MemcachedCache"
NEW = "django.core.cache.backends.memcached.PyMemcacheCache"
# The dependency stage reads this: requirement to remove -> requirement to add.
REQUIREMENT_SWAPS = {"python-memcached": "pymemcache"}


class _Rename(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (cst.metadata.PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        if original_node.evaluated_value != OLD or "\\" in original_node.value:
            return updated_node
        self.lines.append(
            self.get_metadata(cst.metadata.PositionProvider, original_node).start.line
        )
        body = original_node.value[len(original_node.prefix) + len(original_node.quote) :]
        body = body[: -len(original_node.quote)]
        new_body = body.replace("MemcachedCache", "PyMemcacheCache")
        literal = f"{original_node.prefix}{original_node.quote}{new_body}{original_node.quote}"
        return updated_node.with_changes(value=literal)


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings:
        return source
    wrapper = cst.metadata.MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    renamer = _Rename()
    new = wrapper.visit(renamer)
    for line in renamer.lines:
        context.notes.append(
            docs_note(
                context.filename,
                line,
                "cache backend MemcachedCache -> PyMemcacheCache: replace python-memcached with "
                "pymemcache in the requirements, and review the backend OPTIONS (they are passed "
                "to pymemcache's client now)",
                DOCS,
            )
        )
    return new.code if renamer.lines else source


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("4.1"),
        summary="Cache backend MemcachedCache -> PyMemcacheCache (swap python-memcached for pymemcache)",
        docs=DOCS,
        transform=transform,
        needles=(b"MemcachedCache",),
    )
)
