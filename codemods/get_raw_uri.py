"""``request.get_raw_uri()`` -> ``request.build_absolute_uri()``: Django 4.0 removed the
undocumented ``HttpRequest.get_raw_uri()`` without a deprecation period.

Both return ``scheme://host/full-path?query``; ``build_absolute_uri()`` (in every Django) reads
the host with ``get_host()``, which checks it against ``ALLOWED_HOSTS``, where ``get_raw_uri()``
did not. A request whose host is not allowed never reaches a view when ``CommonMiddleware``
runs (it calls ``get_host()`` first), so the URL a view builds is the same. The method is
matched by name on any receiver, as the scanner does (``get_raw_uri`` is Django's alone);
calls with arguments are left alone.

https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#backwards-incompatible-changes-in-4-0"


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_raw_uri"
            and not updated_node.args
        ):
            return updated_node.with_changes(
                func=func.with_changes(attr=cst.Name("build_absolute_uri"))
            )
        return updated_node


def transform(source: str, context: RuleContext) -> str:
    if "get_raw_uri" not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.0"),
        summary="request.get_raw_uri() -> request.build_absolute_uri()",
        docs=DOCS,
        transform=transform,
        needles=(b"get_raw_uri",),
    )
)
