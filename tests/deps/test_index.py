from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from tests.deps.conftest import LocalIndex, Served, django_classifiers
from upgrader.deps.index import (
    PYPI_SIMPLE,
    IndexConfig,
    PackageIndex,
    PackageIndexError,
    default_cache_dir,
    index_config,
    parse_html_listing,
    redact_text,
    redact_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://user:s3cret@pypi.example.com/simple/",
            "https://user:****@pypi.example.com/simple/",
            id="user and password",
        ),
        pytest.param(
            "https://TOKEN123@pkgs.example.com/simple/",
            "https://****@pkgs.example.com/simple/",
            id="token as user name",
        ),
        pytest.param(
            "https://pypi.org/simple/", "https://pypi.org/simple/", id="no credentials unchanged"
        ),
        pytest.param("file:///tmp/simple/", "file:///tmp/simple/", id="file url unchanged"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def _fill(index: LocalIndex) -> LocalIndex:
    index.add(
        "demo-pkg", "1.0", requires_dist=("Django>=2.2",), classifiers=django_classifiers("2.2")
    )
    index.add("demo-pkg", "1.1", requires_python=">=3.8", yanked="broken upload")
    index.add("demo-pkg", "2.0", requires_dist=("Django>=3.2", "requests; extra == 'http'"))
    return index.build()


def test_releases_from_file_index(local_index: LocalIndex, tmp_path: Path) -> None:
    client = _fill(local_index).client(tmp_path / "cache")
    found = client.releases("Demo_Pkg")
    assert found.versions == (Version("1.0"), Version("1.1"), Version("2.0"))
    release = found.get("1.1")
    assert release is not None
    assert release.yanked
    assert release.yanked_reason == "broken upload"
    assert release.requires_python == ">=3.8"


@pytest.mark.parametrize(
    "pep658", [pytest.param(True, id="pep658"), pytest.param(False, id="wheel")]
)
def test_metadata_from_file_index(local_index: LocalIndex, tmp_path: Path, pep658: bool) -> None:
    local_index.pep658 = pep658
    client = _fill(local_index).client(tmp_path / "cache")
    release = client.releases("demo-pkg").get("1.0")
    assert release is not None
    meta = client.metadata("demo-pkg", release)
    assert meta.requires_dist == ("Django>=2.2",)
    assert meta.django_classifiers == ("2.2",)
    assert meta.source == ("pep658" if pep658 else "wheel")


def test_json_api_over_http(
    local_index: LocalIndex, tmp_path: Path, serve: Callable[[LocalIndex], Served]
) -> None:
    served = serve(_fill(local_index))
    client = PackageIndex(IndexConfig(index_url=served.url), cache_dir=tmp_path / "cache")
    found = client.releases("demo-pkg")
    release = found.get("1.1")
    assert release is not None and release.yanked and release.yanked_reason == "broken upload"
    meta = client.metadata("demo-pkg", found.releases[-1])
    assert meta.requires_dist == ("Django>=3.2", "requests; extra == 'http'")


def test_html_fallback_over_http(
    local_index: LocalIndex, tmp_path: Path, serve: Callable[..., Served]
) -> None:
    served = serve(_fill(local_index), json_api=False)
    client = PackageIndex(IndexConfig(index_url=served.url), cache_dir=tmp_path / "cache")
    found = client.releases("demo-pkg")
    release = found.get("1.1")
    assert release is not None and release.yanked and release.yanked_reason == "broken upload"
    assert client.metadata("demo-pkg", found.releases[0]).requires_dist == ("Django>=2.2",)


def test_html_listing_yanked_and_metadata_attributes() -> None:
    page = (
        '<a href="/f/pkg-1.0-py3-none-any.whl#sha256=ab" data-yanked="" '
        'data-dist-info-metadata="sha256=cd">pkg-1.0-py3-none-any.whl</a>'
        '<a href="pkg-2.0.tar.gz" data-requires-python="&gt;=3.10">pkg-2.0.tar.gz</a>'
    )
    first, second = parse_html_listing(page, "https://host/simple/pkg/")
    assert first.yanked and first.yanked_reason is None
    assert first.sha256 == "ab"
    assert first.metadata_url == "https://host/f/pkg-1.0-py3-none-any.whl.metadata"
    assert second.url == "https://host/simple/pkg/pkg-2.0.tar.gz"
    assert second.requires_python == ">=3.10"
    assert not second.yanked and second.metadata_url is None


def test_offline_uses_cache_and_names_missing_package(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _fill(local_index)
    cache = tmp_path / "cache"
    online = local_index.client(cache)
    release = online.releases("demo-pkg").get("2.0")
    assert release is not None
    online.metadata("demo-pkg", release)
    # The index disappears: the cache alone answers.
    (local_index.root / "simple").rename(local_index.root / "gone")
    offline = local_index.client(cache, offline=True)
    again = offline.releases("demo-pkg").get("2.0")
    assert again is not None
    assert offline.metadata("demo-pkg", again).requires_dist[0] == "Django>=3.2"
    with pytest.raises(PackageIndexError, match="other-pkg is not in the metadata cache"):
        offline.releases("other-pkg")


def test_unknown_package_names_the_index(local_index: LocalIndex, tmp_path: Path) -> None:
    client = _fill(local_index).client(tmp_path / "cache")
    with pytest.raises(PackageIndexError, match="package nope was not found on file://"):
        client.releases("nope")


def test_unreachable_http_index_is_redacted(tmp_path: Path) -> None:
    client = PackageIndex(
        IndexConfig(index_url="http://alice:hunter2@127.0.0.1:9/simple/"), cache_dir=tmp_path
    )
    with pytest.raises(PackageIndexError) as info:
        client.releases("django")
    assert "hunter2" not in info.value.message
    assert "alice:****@127.0.0.1:9" in info.value.message


def test_index_config_precedence_and_missing_file_indexes(tmp_path: Path) -> None:
    existing = tmp_path / "extra"
    existing.mkdir()
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("--index-url https://u:p@private.example/simple\nDjango==2.2\n")
    config_file = tmp_path / "pip.conf"
    config_file.write_text(
        "[global]\nextra-index-url = file:///opt/nowhere/simple "
        f"{existing.as_uri()}\nindex-url = https://config.example/simple\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PIP_CONFIG_FILE": str(config_file),
    }
    config = index_config([requirements], env=env)
    assert config.index_url == "https://u:p@private.example/simple"
    assert config.extra_index_urls == (existing.as_uri(),)
    assert any("file:///opt/nowhere/simple does not exist" in n for n in config.notes)
    # PIP_EXTRA_INDEX_URL replaces the configuration files' extra indexes, as in pip.
    env["PIP_EXTRA_INDEX_URL"] = "https://env-extra.example/simple"
    assert index_config([], env=env).extra_index_urls == ("https://env-extra.example/simple",)
    assert index_config([], env=env).index_url == "https://config.example/simple"


def test_index_config_defaults_to_pypi(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    assert index_config([], env=env).index_url == PYPI_SIMPLE


def test_redact_text_hides_every_url_credential() -> None:
    text = "fetch https://u:pw@a.example/x failed; then http://tok@b.example/ too; c@d.example ok"
    assert redact_text(text) == (
        "fetch https://u:****@a.example/x failed; then http://****@b.example/ too; c@d.example ok"
    )


def test_metadata_from_an_sdist_only_release(local_index: LocalIndex, tmp_path: Path) -> None:
    local_index.add("old-pkg", "1.59", requires_dist=("six>=1.4",), sdist_only=True)
    client = local_index.build().client(tmp_path / "cache")
    release = client.releases("old-pkg").get("1.59")
    assert release is not None and release.files[0].filename == "old_pkg-1.59.tar.gz"
    meta = client.metadata("old-pkg", release)
    assert (meta.source, meta.requires_dist) == ("sdist", ("six>=1.4",))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param(
            {"UPGRADER_CACHE_DIR": "/c/up", "XDG_CACHE_HOME": "/x"}, "/c/up", id="override"
        ),
        pytest.param({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/upgrader", id="xdg"),
        pytest.param({"HOME": "/h"}, "/h/.cache/upgrader", id="home"),
    ],
)
def test_default_cache_dir(env: dict[str, str], expected: str) -> None:
    assert default_cache_dir(env) == Path(expected)


def test_credentials_from_the_url_or_netrc(
    local_index: LocalIndex,
    tmp_path: Path,
    serve: Callable[..., Served],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served = serve(_fill(local_index), basic_auth="alice:s3cret")
    with_url = served.url.replace("http://", "http://alice:s3cret@")
    client = PackageIndex(IndexConfig(index_url=with_url), cache_dir=tmp_path / "a")
    assert client.releases("demo-pkg").versions[-1] == Version("2.0")
    # Without credentials: refused, and the message shows no secret.
    bare = PackageIndex(IndexConfig(index_url=served.url), cache_dir=tmp_path / "b")
    monkeypatch.setenv("NETRC", str(tmp_path / "missing-netrc"))
    with pytest.raises(PackageIndexError, match="answered HTTP 401"):
        bare.releases("demo-pkg")
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine 127.0.0.1 login alice password s3cret\n")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    from_netrc = PackageIndex(IndexConfig(index_url=served.url), cache_dir=tmp_path / "c")
    assert from_netrc.releases("demo-pkg").versions[-1] == Version("2.0")


def test_an_unreachable_extra_index_does_not_hide_the_main_one(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _fill(local_index)
    config = IndexConfig(local_index.url, ("http://127.0.0.1:9/simple/",))
    client = PackageIndex(config, cache_dir=tmp_path / "cache")
    assert client.releases("demo-pkg").sources == (local_index.url,)
    only_broken = PackageIndex(
        IndexConfig("http://u:pw@127.0.0.1:9/simple/"), cache_dir=tmp_path / "cache"
    )
    with pytest.raises(PackageIndexError, match=r"cannot reach http://u:\*\*\*\*@127.0.0.1:9"):
        only_broken.releases("demo-pkg")


def test_no_index_from_a_requirement_file(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"--no-index\n--find-links {wheels}\nDjango==2.2.28\n")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    config = index_config([requirements], env=env)
    assert config.no_index and config.urls == ()
    assert config.find_links == (str(wheels),)


def test_a_listing_cached_without_upload_times_is_fetched_again(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    import json

    _fill(local_index)
    cache = tmp_path / "cache"
    local_index.client(cache).releases("demo-pkg")
    (listing,) = (cache / "v1" / "listing").glob("*.json")
    payload = json.loads(listing.read_text())
    for item in payload["files"]:
        del item["upload_time"]  # as an older upgrader wrote it
        item["url"] = item["url"].replace("demo", "stale")
    listing.write_text(json.dumps(payload))
    fresh = local_index.client(cache).releases("demo-pkg")
    assert all("stale" not in f.url for r in fresh.releases for f in r.files)
    offline = local_index.client(cache, offline=True)
    offline._memory.clear()
    # Offline, the old cache is better than nothing (it was rewritten by the fetch above).
    assert offline.releases("demo-pkg").releases
