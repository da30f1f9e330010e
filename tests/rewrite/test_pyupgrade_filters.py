"""The stage's pyupgrade shortcuts give what pyupgrade's own passes give (issue 11)."""

from __future__ import annotations

import warnings

import pytest
from pyupgrade._data import Settings
from pyupgrade._main import _fix_plugins, _fix_tokens

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
