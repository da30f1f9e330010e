"""geoip2_coords: GeoIP2.coords() -> lon_lat()/lat_lon(), GeoIP2.open() -> GeoIP2() (5.1+)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "geoip2_coords"
HOP = context(django_from="4.2", django_to="5.2")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "lon, lat = geoip.coords(ip)  # keep\n",
            "lon, lat = geoip.lon_lat(ip)  # keep\n",
            id="default ordering",
        ),
        pytest.param(
            "where = self.geoip.coords(ip, ('latitude', 'longitude'))\n",
            "where = self.geoip.lat_lon(ip)\n",
            id="latitude first",
        ),
        pytest.param(
            "where = g_geoip.coords(ip, ordering=['longitude', 'latitude'])\n",
            "where = g_geoip.lon_lat(ip)\n",
            id="ordering keyword",
        ),
        pytest.param(
            "g = GeoIP2.open('/data/GeoLite2', 0)\n",
            "g = GeoIP2('/data/GeoLite2', 0)\n",
            id="open",
        ),
        pytest.param(
            "g = geoip2.GeoIP2.open(full_path=PATH, cache=GeoIP2.MODE_MMAP)\n",
            "g = geoip2.GeoIP2(path=PATH, cache=GeoIP2.MODE_MMAP)\n",
            id="open with keywords",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("geoip.coords(ip, ('latitude',))\n", id="other ordering"),
        pytest.param("geoip.coords(ip, ORDER)\n", id="ordering not literal"),
        pytest.param("geoip.coords(*args)\n", id="star args"),
        pytest.param("shape.coords(ip)\n", id="not a geoip receiver"),
        pytest.param("geoip.open(path, 0)\n", id="open on an instance"),
        pytest.param("geoip.lat_lon(ip)\n", id="already the replacement"),
        pytest.param("f = open('geoip.dat')\n", id="builtin open"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    check_noop(RULE, "geoip.coords(ip)\n", context(django_from="3.2", django_to="4.2"))
