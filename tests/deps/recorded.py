"""PyPI as it was recorded: real PEP 691 listings and core metadata of old packages, no network.

``tests/deps/recorded/<name>.json`` holds, per package, the PEP 691 JSON listing PyPI served
(each file's name, ``requires-python``, ``yanked``, PEP 700 ``upload-time``, hashes, URLs
and sizes dropped) and the core metadata (``Requires-Dist``, ``Requires-Python``, Django classifiers) of
every release a test reads. Where ``WINDOWS`` names a range, only those releases were kept
(Django and Pillow list thousands of files). Recorded on 2026-12-03.

To record more (needs the network): ``UPGRADER_RECORD_FIXTURES=1 pytest tests/deps/test_recorded.py``
fetches what a test asks for and is missing, and writes it into the fixture.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from upgrader.deps.index import (
    ACCEPT,
    CoreMetadata,
    IndexConfig,
    PackageIndex,
    PackageReleases,
    ReleaseFiles,
    _get,
    group_releases,
    parse_json_listing,
)

FIXTURES = Path(__file__).parent / "recorded"
PAGE = "https://pypi.org/simple/{name}/"
RECORDING = os.environ.get("UPGRADER_RECORD_FIXTURES") == "1"
WINDOWS = {
    "django": SpecifierSet(">=2.2,<5.0"),
    "pillow": SpecifierSet(">=7.0,<9.1"),
    "lxml": SpecifierSet("<4.7"),
    "psycopg2-binary": SpecifierSet("<2.9.6"),
    "mysqlclient": SpecifierSet("<2.2"),
}
KEPT_FILE_KEYS = ("filename", "requires-python", "yanked", "upload-time")


def _trim_listing(name: str, data: dict[str, object]) -> dict[str, object]:
    window = WINDOWS.get(name)
    files = []
    raw = data.get("files", [])
    assert isinstance(raw, list)
    for item in raw:
        release = group_releases(
            name, parse_json_listing({"files": [item]}, PAGE.format(name=name))
        )
        if not release:
            continue
        if window is not None and not window.contains(release[0].version, prereleases=True):
            continue
        # URLs, hashes and sizes dropped (no test downloads a file); false values left out.
        kept = {k: item[k] for k in KEPT_FILE_KEYS if item.get(k)}
        if item.get("core-metadata") or item.get("dist-info-metadata"):
            kept["core-metadata"] = True
        files.append(kept)
    return {"meta": data.get("meta"), "name": name, "files": files}


class RecordedIndex:
    """A ``MetadataSource`` over the recorded fixtures (``upgrader.deps.model``)."""

    def __init__(self, folder: Path = FIXTURES) -> None:
        self.folder = folder
        self._data: dict[str, dict[str, object]] = {}
        self._live: PackageIndex | None = None
        self.metadata_reads = 0

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def _load(self, name: str) -> dict[str, object]:
        name = canonicalize_name(name)
        if name not in self._data:
            path = self._path(name)
            if path.is_file():
                self._data[name] = json.loads(path.read_text("utf-8"))
            elif RECORDING:
                response = _get(PAGE.format(name=name), ACCEPT)
                assert response is not None, name
                listing = _trim_listing(name, json.loads(response.data))
                self._data[name] = {"listing": listing, "metadata": {}}
                self._save(name)
            else:
                raise AssertionError(
                    f"{name} is not recorded in {self.folder}: run with UPGRADER_RECORD_FIXTURES=1"
                )
        return self._data[name]

    def _save(self, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = self._data[name]
        listing = data["listing"]
        assert isinstance(listing, dict)
        # One file per line: small, and diffs show which release a re-recording added.
        files = ",\n".join(json.dumps(f, sort_keys=True) for f in listing["files"])
        head = json.dumps({k: v for k, v in listing.items() if k != "files"}, sort_keys=True)
        meta = json.dumps(data["metadata"], indent=0, sort_keys=True)
        text = f'{{"listing": {head[:-1]}, "files": [\n{files}\n]}},\n"metadata": {meta}}}\n'
        self._path(name).write_text(text, "utf-8")

    def releases(self, name: str) -> PackageReleases:
        name = canonicalize_name(name)
        listing = self._load(name)["listing"]
        assert isinstance(listing, dict)
        files = parse_json_listing(listing, PAGE.format(name=name))
        return PackageReleases(name, group_releases(name, files), ("recorded",))

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        name = canonicalize_name(name)
        self.metadata_reads += 1
        data = self._load(name)
        recorded = data["metadata"]
        assert isinstance(recorded, dict)
        key = str(release.version)
        if key not in recorded:
            if not RECORDING:
                raise AssertionError(
                    f"the metadata of {name} {key} is not recorded: "
                    "run with UPGRADER_RECORD_FIXTURES=1"
                )
            if self._live is None:
                self._live = PackageIndex(IndexConfig())
            real = self._live.releases(name).get(release.version)  # with the real file URLs
            assert real is not None, (name, key)
            live = self._live.metadata(name, real)
            recorded[key] = {
                "requires_dist": list(live.requires_dist),
                "requires_python": live.requires_python,
                "classifiers": [c for c in live.classifiers if c.startswith("Framework :: Django")],
                "source": live.source,
            }
            self._save(name)
        item = recorded[key]
        assert isinstance(item, dict)
        return CoreMetadata(
            name,
            release.version,
            tuple(item["requires_dist"]),
            item["requires_python"],
            tuple(item["classifiers"]),
            str(item["source"]),
        )
