"""Frozen dataclasses <-> JSON-ready data, driven by the type hints.

One generic converter instead of a ``to_json``/``from_json`` pair per class: every document
upgrader writes (the plan, step state, reports) is a tree of frozen dataclasses whose fields are
str, int, float, bool, None, tuples, dicts of str, and other such dataclasses. A field may carry
``metadata={"json": "from"}`` to use a JSON key that is not a Python identifier.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

T = TypeVar("T")


def json_key(field: dataclasses.Field[Any]) -> str:
    return str(field.metadata.get("json", field.name))


def to_data(value: Any) -> Any:
    """A JSON-ready copy of ``value`` (dataclasses become dicts with their JSON keys)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {json_key(f): to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a ``cls`` instance from ``to_data`` output; raises ValueError on a shape mismatch."""
    return typing.cast(T, _convert(cls, data, cls.__name__))


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = get_origin(tp)
    if tp is Any:
        return data
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(option, data, where)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError("; ".join(errors) or f"{where}: no type matches {data!r}")
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {}
        for field in dataclasses.fields(tp):
            key = json_key(field)
            if key in data:
                kwargs[field.name] = _convert(hints[field.name], data[key], f"{where}.{key}")
            elif (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise ValueError(f"{where}: missing key {key!r}")
        return tp(**kwargs)
    if origin is tuple:
        if not isinstance(data, list):
            raise ValueError(f"{where}: expected a list, got {type(data).__name__}")
        args = get_args(tp)
        item = args[0] if args else Any
        return tuple(_convert(item, v, f"{where}[{i}]") for i, v in enumerate(data))
    if origin in (dict, Mapping) or tp is dict:
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        args = get_args(tp)
        value_type = args[1] if len(args) == 2 else Any
        return {str(k): _convert(value_type, v, f"{where}.{k}") for k, v in data.items()}
    if tp is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if isinstance(tp, type) and tp in (str, int, float, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"{where}: expected {tp.__name__}, got {data!r}")
        return data
    if tp is type(None):
        if data is not None:
            raise ValueError(f"{where}: expected null, got {data!r}")
        return None
    raise ValueError(f"{where}: unsupported type {tp!r}")
