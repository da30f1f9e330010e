from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from upgrader.serialize import from_data, to_data


@dataclass(frozen=True)
class Inner:
    name: str
    count: int = 0


@dataclass(frozen=True)
class Outer:
    source: str = field(metadata={"json": "from"})
    items: tuple[Inner, ...]
    maybe: str | None
    mapping: dict[str, int]
    ratio: float = 1.0


def test_round_trip_with_renamed_keys() -> None:
    value = Outer("2.2", (Inner("a", 1), Inner("b")), None, {"x": 1}, 0.5)
    data = to_data(value)
    assert data["from"] == "2.2" and "source" not in data
    assert data["items"] == [{"name": "a", "count": 1}, {"name": "b", "count": 0}]
    assert from_data(Outer, data) == value


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"items": [], "maybe": None, "mapping": {}}, id="missing-required-key"),
        pytest.param({"from": 2, "items": [], "maybe": None, "mapping": {}}, id="wrong-type"),
        pytest.param(
            {"from": "x", "items": [{"count": 1}], "maybe": None, "mapping": {}}, id="nested"
        ),
        pytest.param(
            {"from": "x", "items": {}, "maybe": None, "mapping": {}}, id="object-for-list"
        ),
    ],
)
def test_shape_errors_are_value_errors(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        from_data(Outer, data)


def test_defaults_fill_missing_optional_keys_and_ints_become_floats() -> None:
    value = from_data(
        Outer, {"from": "x", "items": [{"name": "n"}], "maybe": "m", "mapping": {}, "ratio": 2}
    )
    assert value.items == (Inner("n", 0),)
    assert value.ratio == 2.0 and isinstance(value.ratio, float)
