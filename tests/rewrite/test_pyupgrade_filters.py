"""The stage's pyupgrade shortcuts give what pyupgrade's own passes give (issue 11)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pyupgrade._data import Settings
from pyupgrade._main import _fix_plugins, _fix_tokens

import upgrader.rewrite.engine as rw_engine
import upgrader.rewrite.stages as rw_stages
from tests.test_rewrite import run, write
from upgrader.rewrite.pyupgrade import run_pyupgrade, without_coding_cookie
from upgrader.rewrite.stages import tool_tree

SETTINGS = Settings(min_version=(3, 8), keep_percent_format=True, keep_mock=True)

CASES = [
    "# -*- coding: utf-8 -*-\nx = 1\n",
    "# -*- coding: utf-8 -*-\r\nx = 1\r\n",
    "# coding=utf-8\n\n\nimport os\n",
    "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = 1\n",
    "# -*- coding: utf-8 -*-\n# vim: set fileencoding=utf-8 :\nx = 1\n",
    "# coding: utf-8\n# coding: latin-1\nx = 1\n",
    "\n# coding: utf-8\nx = 1\n",
    "x = 1\n# coding: utf-8\n",
    'x = """\n# coding: utf-8\n"""\n',
    "  # coding: utf-8\nx = 1\n",
    "# coding: utf-8\nx = u'a'\n",
    "# coding: utf-8\nx = ((1))\n",
    "# coding: utf-8\nx = '{0}'.format(1)\n",
    "# coding: utf-8\nx = '\\d'\n",
    "# coding: utf-8\nclass A(object):\n    pass\n",
    "# coding: utf-8",
    "# coding: utf-8\n",
    "# codingx utf-8\nx = 1\n",
    "#coding:\nx = 1\n",
    "# This is not a cookie\n# coding: utf-8\n\n# coding: utf-8\nx = 1\n",
]


@pytest.mark.parametrize("text", CASES)
def test_run_pyupgrade_matches_pyupgrade(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences: pyupgrade's to fix
        expected = _fix_tokens(_fix_plugins(text, settings=SETTINGS))
    tree = tool_tree(text)
    assert tree is not None
    assert run_pyupgrade(text, (3, 8), tree=tree) == expected
    assert run_pyupgrade(text, (3, 8)) == expected


def test_cookie_only_files_skip_the_token_pass() -> None:
    assert without_coding_cookie("# -*- coding: utf-8 -*-\n\nx = 1\n") == "x = 1\n"
    assert (
        without_coding_cookie("#!/bin/python\n# coding: utf-8\nx = 1\n") == "#!/bin/python\nx = 1\n"
    )
    assert without_coding_cookie("x = 1\n# coding: utf-8\n") is None  # line 1 code: tokenize
    assert without_coding_cookie("x = 1\n") is None


def test_a_file_only_losing_its_cookie_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stage's final parse check is skipped where pyupgrade only dropped the coding cookie,
    and made where it did more; the changes are those of the run checking each stage."""
    root = tmp_path / "proj"
    write(root, "app/a.py", "# -*- coding: utf-8 -*-\n\nx = 1\n")
    write(root, "app/b.py", "# -*- coding: utf-8 -*-\nx = u'a'\n")
    checked: list[str] = []
    real = rw_stages._parses

    def counting(text: str, grammar: tuple[int, ...] | None, filename: str) -> bool:
        checked.append(text)
        return real(text, grammar, filename)

    monkeypatch.setattr(rw_stages, "_parses", counting)
    result = run(root, tmp_path, write_files=False)
    changed = {change.path.name: change for change in result.changes}
    assert sorted(changed) == ["a.py", "b.py"]
    assert [hit.rule for hit in changed["a.py"].rules] == ["pyupgrade"]
    assert checked == ["x = 'a'\n"]  # b.py's final text only
    real_run = rw_engine._run_stages

    def careful(*args: object, check_each: bool) -> object:
        return real_run(*args, check_each=True)  # type: ignore[arg-type]

    monkeypatch.setattr(rw_engine, "_run_stages", careful)
    again = run(root, tmp_path / "careful", write_files=False)
    assert (again.changes, again.notes) == (result.changes, result.notes)
