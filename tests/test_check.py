"""``upgrader check`` on the files pre-commit passes: only those files, settings rules for settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.check import check_project_files, run_check, target_version
from upgrader.errors import NotADjangoProjectError, UsageError
from upgrader.project import detect_project
from upgrader.releases import newest_lts

URL_IMPORT = "from django.conf.urls import url\n"  # removed in Django 4.0


def project(root: Path, *, pyproject: str = "") -> Path:
    make_tiny_project(root, extra_settings='DEFAULT_FILE_STORAGE = "x.Storage"\n')
    (root / "notes" / "old_urls.py").write_text(URL_IMPORT)
    (root / "notes" / "other_urls.py").write_text(URL_IMPORT)
    templates = root / "notes" / "templates" / "notes"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text("{% load staticfiles %}\n")
    (root / "docs").mkdir()
    (root / "docs" / "snippet.html").write_text("{% load staticfiles %}\n")
    if pyproject:
        (root / "pyproject.toml").write_text(pyproject)
    return root


def ids(root: Path, *files: str, target: str | None = "5.2") -> list[tuple[str, str]]:
    run = run_check([root / name for name in files], target=target)
    return [(f.file, f.id) for _p, _t, result in run.projects for f in result.findings]


def test_only_the_files_given_are_checked(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    assert ids(root, "notes/old_urls.py") == [("notes/old_urls.py", "conf-urls-url")]
    found = ids(root, "notes/old_urls.py", "notes/templates/notes/page.html")
    assert ("notes/other_urls.py", "conf-urls-url") not in found
    assert ("notes/templates/notes/page.html", "staticfiles-template-library") in found


def test_settings_rules_when_a_settings_file_is_given(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    assert ("tinysite/settings.py", "storages-settings") in ids(root, "tinysite/settings.py")
    assert not [i for i in ids(root, "notes/old_urls.py") if i[0] == "tinysite/settings.py"]


def test_an_html_file_given_by_name_is_a_template(tmp_path: Path) -> None:
    """The whole-project scan reads templates under templates/ folders; a named one is read."""
    root = project(tmp_path / "p")
    assert ids(root, "docs/snippet.html") == [("docs/snippet.html", "staticfiles-template-library")]


def test_the_target_decides_what_is_removed(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    assert ids(root, "notes/old_urls.py", target="3.2") == []
    assert ids(root, "notes/old_urls.py", target=None) == [("notes/old_urls.py", "conf-urls-url")]
    assert target_version(detect_project(root), None) == newest_lts().version


def test_the_target_defaults_to_the_configured_one(tmp_path: Path) -> None:
    root = project(tmp_path / "p", pyproject='[tool.upgrader]\ntarget = "3.2"\n')
    assert ids(root, "notes/old_urls.py", target=None) == []
    assert ids(root, "notes/old_urls.py", target="4.2") == [("notes/old_urls.py", "conf-urls-url")]


def test_excluded_deleted_and_outside_files_are_not_checked(tmp_path: Path) -> None:
    root = project(tmp_path / "p", pyproject='[tool.upgrader]\nexclude = ["notes/old_*"]\n')
    outside = tmp_path / "elsewhere.py"
    outside.write_text(URL_IMPORT)
    venv = root / ".venv" / "lib" / "x.py"
    venv.parent.mkdir(parents=True)
    venv.write_text(URL_IMPORT)
    result = check_project_files(
        detect_project(root),
        [root / "notes/old_urls.py", root / "gone.py", outside, venv, root / "requirements.txt"],
    )
    assert result.findings == () and result.files_checked == 0


def test_files_of_two_projects_are_judged_each_by_its_own(tmp_path: Path) -> None:
    first, second = project(tmp_path / "a"), project(tmp_path / "b")
    run = run_check([first / "notes/old_urls.py", second / "notes/other_urls.py"], target="5.2")
    assert [p.root for p, _t, _r in run.projects] == [first.resolve(), second.resolve()]
    assert run.breaking == 2


def test_a_folder_checks_the_whole_project(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    run = run_check([root], target="5.2")
    files = {f.file for _p, _t, result in run.projects for f in result.findings}
    assert {"notes/old_urls.py", "notes/other_urls.py", "tinysite/settings.py"} <= files


def test_a_folder_among_files_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    with pytest.raises(UsageError, match="is a folder"):
        run_check([root / "notes/old_urls.py", root / "notes"], target="5.2")


def test_paths_none_of_which_exist_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    with pytest.raises(UsageError, match=r"nothere\.py does not exist \(nor do the other 1\)"):
        run_check([root / "nothere.py", tmp_path / "nope"], target="5.2")
    with pytest.raises(UsageError, match="does not exist"):
        run_check([tmp_path / "no-such-folder"], target="5.2")
    run = run_check([root / "notes/old_urls.py", root / "gone.py"], target="5.2")
    assert run.breaking == 1  # one deleted file among existing ones is nothing to check


def test_an_unknown_target_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    with pytest.raises(UsageError, match=r"--target 1\.8"):
        run_check([root / "notes/old_urls.py"], target="1.8")


def test_a_file_in_no_single_project_is_left_out(tmp_path: Path) -> None:
    """A monorepo's top-level file above two projects belongs to neither: it is not checked."""
    first, second = project(tmp_path / "a"), project(tmp_path / "b")
    (tmp_path / "setup.py").write_text(URL_IMPORT)
    run = run_check([tmp_path / "setup.py", first / "notes/old_urls.py"], target="5.2")
    assert [p.root for p, _t, _r in run.projects] == [first.resolve()] and run.breaking == 1
    with pytest.raises(NotADjangoProjectError, match="several Django projects"):
        run_check([tmp_path / "setup.py"], target="5.2")
    assert second.is_dir()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param(
            "notes/wide_urls.py",
            b"\xff\xfe" + URL_IMPORT.encode("utf-16-le"),
            id="UTF-16 module using url()",
        ),
        pytest.param("notes/templates/notes/logo.html", bytes(range(256)), id="binary template"),
        pytest.param("notes/blob.py", b"x = 1\x00\n", id="null byte, no needle"),
    ],
)
def test_a_file_that_cannot_be_read_as_text_is_named_not_passed(
    tmp_path: Path, name: str, data: bytes
) -> None:
    """Issue 15: the needle pre-filter looked at the raw bytes first, so a file with no needle
    there (a UTF-16 module using url()) passed the hook unread and unnamed."""
    root = project(tmp_path / "p")
    (root / name).write_bytes(data)
    run = run_check([root / name, root / "notes/old_urls.py"], target="5.2")
    [(_project, _target, result)] = run.projects
    assert [s.path.relative_to(root.resolve()).as_posix() for s in result.skipped] == [name]
    assert [f.file for f in result.findings] == ["notes/old_urls.py"]
    assert result.files_checked == 2
