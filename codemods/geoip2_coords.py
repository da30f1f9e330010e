"""``GeoIP2.coords()`` -> ``lon_lat()`` / ``lat_lon()``, ``GeoIP2.open(path, cache)`` ->
``GeoIP2(path, cache)``: Django 5.1 deprecated both, 6.0 removed them.

In 5.1-5.2 ``coords(query, ordering=("longitude", "latitude"))`` is
``tuple(self.city(query)[o] for o in ordering)``: with the default ordering it is what
``lon_lat(query)`` returns, with ``("latitude", "longitude")`` what ``lat_lon(query)`` returns
(both methods exist since Django 1.9 and stay in 6.0); ``open(full_path, cache)`` is
``GeoIP2(full_path, cache)`` (``full_path=`` becomes ``path=``). Checked in 5.2.19 and 6.0.10's
``django/contrib/gis/geoip2.py``.

The receiver is matched by name, as the scanner does (:func:`is_geoip_receiver`: a name
containing ``geoip``); ``open()`` only on the class itself (a name ending in ``GeoIP2``). Any
other ordering, a non-literal ordering or more arguments are left to the scanner's manual item.

https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1"
_ORDERINGS = {("longitude", "latitude"): "lon_lat", ("latitude", "longitude"): "lat_lon"}


def is_geoip_receiver(receiver: str | None) -> bool:
    """Whether a receiver (a dotted name) is named like a GeoIP2 object or the class."""
    return receiver is not None and "geoip" in receiver.lower()


def _ordering(node: cst.BaseExpression) -> tuple[str, ...] | None:
    if not isinstance(node, (cst.Tuple, cst.List)):
        return None
    names: list[str] = []
    for element in node.elements:
        if not isinstance(element, cst.Element) or not isinstance(element.value, cst.SimpleString):
            return None
        value = element.value.evaluated_value
        if not isinstance(value, str):
            return None
        names.append(value)
    return tuple(names)


def _plain(arg: cst.Arg) -> bool:
    return not arg.star


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Attribute) or not all(map(_plain, updated_node.args)):
            return updated_node
        receiver = dotted_name(func.value)
        if func.attr.value == "coords" and is_geoip_receiver(receiver):
            return self._coords(updated_node, func)
        if func.attr.value == "open" and receiver is not None and receiver.endswith("GeoIP2"):
            args = [
                arg.with_changes(keyword=cst.Name("path"))
                if arg.keyword is not None and arg.keyword.value == "full_path"
                else arg
                for arg in updated_node.args
            ]
            return updated_node.with_changes(func=func.value, args=args)
        return updated_node

    def _coords(self, call: cst.Call, func: cst.Attribute) -> cst.Call:
        args = list(call.args)
        if not args or args[0].keyword is not None or len(args) > 2:
            return call
        method = "lon_lat"
        if len(args) == 2:
            second = args[1]
            if second.keyword is not None and second.keyword.value != "ordering":
                return call
            found = _ordering(second.value)
            if found not in _ORDERINGS:
                return call
            method = _ORDERINGS[found]
        query = args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return call.with_changes(func=func.with_changes(attr=cst.Name(method)), args=[query])


def transform(source: str, context: RuleContext) -> str:
    if "coords" not in source and ".open" not in source:
        return source
    if "geoip" not in source.lower():
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.1"),
        summary="GeoIP2.coords(q) -> lon_lat(q) / lat_lon(q), GeoIP2.open(p, c) -> GeoIP2(p, c)",
        docs=DOCS,
        transform=transform,
        needles=(b"coords", b".open"),
    )
)
