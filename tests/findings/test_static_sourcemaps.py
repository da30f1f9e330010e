"""Source map comments naming a missing map, listed when a manifest storage is set (F42)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from tests.findings.test_scan import make_project
from upgrader.findings import relevant, scan_project
from upgrader.findings.static_sourcemaps import (
    CSS_ID,
    JS_ID,
    DanglingMap,
    dangling_source_maps,
    names_manifest_storage,
)

SETTINGS = "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\nUSE_TZ = False\n"
WHITENOISE = "STATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'\n"
# pretalx's vendored colorpicker: the JS names a map the project does not ship.
COLORPICKER = "src/app/static/vendored/colorpicker/js/bootstrap-colorpicker.min.js"


def write(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_missing_js_and_css_maps_are_listed(tmp_path: Path) -> None:
    files = write(
        tmp_path,
        {
            COLORPICKER: "!function(){}();\n//# sourceMappingURL=bootstrap-colorpicker.min.js.map\n",
            "src/app/static/css/site.min.css": "a{}\n/*# sourceMappingURL=../maps/site.css.map */\n",
            "src/app/static/js/ok.min.js": "x()\n//# sourceMappingURL=ok.min.js.map\n",
            "src/app/static/js/ok.min.js.map": "{}",
        },
    )
    assert dangling_source_maps(tmp_path, files) == [
        DanglingMap(
            JS_ID,
            COLORPICKER,
            2,
            "bootstrap-colorpicker.min.js.map",
            "vendored/colorpicker/js/bootstrap-colorpicker.min.js.map",
        ),
        DanglingMap(
            CSS_ID,
            "src/app/static/css/site.min.css",
            2,
            "../maps/site.css.map",
            "maps/site.css.map",
        ),
    ]


def test_a_map_in_another_static_folder_is_found(tmp_path: Path) -> None:
    """Both folders are collected into one namespace: the map may come from the other one."""
    files = write(
        tmp_path,
        {
            "a/static/js/lib.js": "//# sourceMappingURL=lib.js.map\n",
            "b/static/js/lib.js.map": "{}",
        },
    )
    assert dangling_source_maps(tmp_path, files) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("//# sourceMappingURL=data:application/json;base64,e30=\n", id="data URI"),
        pytest.param("//# sourceMappingURL=https://cdn.example/lib.js.map\n", id="absolute URL"),
        pytest.param("//# sourceMappingURL=/static/lib.js.map\n", id="absolute path"),
        pytest.param("//# sourceMappingURL=#frag\n", id="no path"),
        pytest.param("x = 1; //# sourceMappingURL=lib.js.map\n", id="not at a line's start"),
        pytest.param("//# sourcemappingurl=lib.js.map\n", id="case differs (Django's pattern)"),
        pytest.param("/*# sourceMappingURL=lib.css.map */\n", id="CSS comment in JS"),
    ],
)
def test_references_django_does_not_follow(tmp_path: Path, text: str) -> None:
    files = write(tmp_path, {"app/static/lib.js": text})
    assert dangling_source_maps(tmp_path, files) == []


def test_only_files_under_a_static_folder(tmp_path: Path) -> None:
    files = write(tmp_path, {"node_modules_copy/lib.js": "//# sourceMappingURL=lib.js.map\n"})
    assert dangling_source_maps(tmp_path, files) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("django.contrib.staticfiles.storage.ManifestStaticFilesStorage", True),
        ("whitenoise.storage.CompressedManifestStaticFilesStorage", True),
        ("proj.storage.MyManifestStorage", True),
        ("whitenoise.storage.CompressedStaticFilesStorage", False),
        ("django.contrib.staticfiles.storage.StaticFilesStorage", False),
        ("Manifest", False),
        ("see the Manifest docs.", False),
    ],
)
def test_names_manifest_storage(value: str, expected: bool) -> None:
    assert names_manifest_storage(value) is expected


def _scan(tmp_path: Path, settings: str) -> list[tuple[str, int, str]]:
    project = make_project(
        tmp_path,
        {
            "manage.py": "import os\n",
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS + settings,
            "proj/static/js/lib.min.js": "f()\n//# sourceMappingURL=lib.min.js.map\n",
        },
    )
    return [(f.file, f.line, f.id) for f in scan_project(project).findings]


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param(WHITENOISE, id="STATICFILES_STORAGE (whitenoise)"),
        pytest.param(
            "STORAGES = {'staticfiles': {'BACKEND': "
            "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\n",
            id="STORAGES",
        ),
    ],
)
def test_scan_lists_them_with_a_manifest_storage(tmp_path: Path, settings: str) -> None:
    found = _scan(tmp_path, settings)
    assert ("proj/static/js/lib.min.js", 2, JS_ID) in found


def test_scan_leaves_them_without_a_manifest_storage(tmp_path: Path) -> None:
    found = _scan(
        tmp_path, "STATICFILES_STORAGE = 'whitenoise.storage.CompressedStaticFilesStorage'\n"
    )
    assert [f for f in found if f[2] in (JS_ID, CSS_ID)] == []


@pytest.mark.parametrize(
    ("source", "target", "breaking"),
    [
        ("3.2", "4.2", {JS_ID, CSS_ID}),
        ("3.2", "4.0", {JS_ID}),
        ("4.0", "4.1", {CSS_ID}),
        ("4.2", "5.2", set()),
    ],
)
def test_the_hop_that_starts_following_them(
    tmp_path: Path, source: str, target: str, breaking: set[str]
) -> None:
    project = make_project(
        tmp_path,
        {
            "manage.py": "import os\n",
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS + WHITENOISE,
            "proj/static/a.js": "//# sourceMappingURL=a.js.map\n",
            "proj/static/a.css": "/*# sourceMappingURL=a.css.map */\n",
        },
    )
    found = relevant(scan_project(project).findings, Version(source), Version(target))
    assert {f.id for f in found.breaking} & {JS_ID, CSS_ID} == breaking
