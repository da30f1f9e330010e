"""Hostile project trees for the bad-input suite (``tests/test_bad_input.py``).

A ``Case`` adds one kind of bad (or merely unusual) input to a small Django 2.2 project: odd
encodings, BOMs, line endings, syntax and tab errors, modules too deep or too big to parse,
binary files, symlinks of every sort, files that cannot be read, broken TOML/INI/JSON and
requirements files. ``names`` says which commands must name the file in what they print
(a file they skip, or a declaration they cannot use), ``rewrites`` which files a real
``rewrite`` may change (every other byte of the tree must stay as it was).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from upgrader.cli import main

# The commands every case runs (argv after the project path is inserted as the second item).
COMMANDS: dict[str, tuple[str, ...]] = {
    "plan": ("plan", "--no-dependencies"),
    "check": ("check", "--target", "4.2"),
    "rewrite-dry-run": ("rewrite", "--to", "3.2", "--dry-run"),
    "rewrite": ("rewrite", "--to", "3.2"),
    "status": ("status",),
}
# Commands that read the project's Python modules and templates.
CODE_READERS = frozenset({"plan", "check", "rewrite-dry-run", "rewrite"})
# The commands that read every declaration (requirements, config, Python version files).
DECLARATION_READERS = frozenset({"plan"})

BASE_FILES: dict[str, bytes] = {
    "manage.py": b"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
    "requirements.txt": b"Django==2.2.28\n",
    ".python-version": b"3.8\n",
    "site_cfg/__init__.py": b"",
    "site_cfg/settings.py": b"SECRET_KEY = 'x'\nINSTALLED_APPS = ['shop']\n",
    "site_cfg/urls.py": b"from django.conf.urls import url\nurlpatterns = [url(r'^$', lambda r: None)]\n",
    "shop/__init__.py": b"",
    "shop/views.py": b"def v(request):\n    return request.is_ajax()\n",
    "shop/templates/shop/base.html": b"{% load staticfiles %}<p>{% ifequal a b %}x{% endifequal %}</p>\n",
}

# A line the Django 3.2 rewrites change (django.conf.urls.url -> re_path), as text.
URL_USE = "from django.conf.urls import url\nurlpatterns = [url(r'^x$', None)]\n"


@dataclass(frozen=True)
class Case:
    """One bad input: files (bytes), symlinks, and what the commands must say about it."""

    id: str
    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # link (in the project) -> target
    outside: dict[str, bytes] = field(default_factory=dict)  # files beside the project
    dirs: tuple[str, ...] = ()  # folders made where a file is expected
    fifos: tuple[str, ...] = ()  # named pipes: reading one would block forever
    names: dict[str, frozenset[str]] = field(default_factory=dict)  # shown path -> commands
    rewrites: frozenset[str] = frozenset()  # files a real rewrite may change
    exit_codes: frozenset[int] = frozenset({0, 1})  # what every command may exit with
    # Text a command must not print about this case (a misleading hint), per command set.
    never_says: tuple[str, ...] = ()
    build: Callable[[Path], object] | None = None  # anything the fields above cannot say

    def make(self, base: Path) -> Path:
        """The project at ``base/proj`` (and its neighbours in ``base``), built."""
        root = base / "proj"
        write_files(root, BASE_FILES)
        write_files(root, self.files)
        write_files(base, self.outside)
        for rel in self.dirs:
            (root / rel).mkdir(parents=True, exist_ok=True)
        for rel in self.fifos:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(root / rel)
        for rel, target in self.links.items():
            link = root / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target)
        if self.build is not None:
            self.build(root)
        return root


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def every(*commands: str) -> frozenset[str]:
    return frozenset(commands)


CODE = CODE_READERS


def _deep_module(terms: int) -> bytes:
    return ("from django.conf.urls import url\nX = " + " + ".join(["1"] * terms) + "\n").encode()


def huge_module(size: int = 5 * 1024 * 1024) -> bytes:
    """A generated module of about ``size`` bytes that uses a removed API on its first line."""
    head = URL_USE.encode()
    line = b"VALUE_%07d = 'padding padding padding padding padding padding padding padding'\n"
    count = (size - len(head)) // len(line % 0) + 1
    return head + b"".join(line % i for i in range(count))


def _utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


CASES: tuple[Case, ...] = (
    # -- encodings and BOMs
    Case(
        "latin-1-with-cookie",
        files={
            "shop/latin.py": b"# -*- coding: latin-1 -*-\n"
            + URL_USE.encode()
            + b"NAME = 'caf\xe9'\n"
        },
        rewrites=every("shop/latin.py"),
    ),
    Case(
        "cp1252-with-cookie",
        files={
            "shop/win.py": b"# coding: cp1252\n" + URL_USE.encode() + b"Q = '\x93quoted\x94 \x80'\n"
        },
        rewrites=every("shop/win.py"),
    ),
    Case(
        "latin-1-without-cookie",
        files={"shop/latin.py": URL_USE.encode() + b"NAME = 'caf\xe9'\n"},
        names={"shop/latin.py": CODE},
    ),
    Case(
        "utf-16-with-bom",
        files={"shop/wide.py": _utf16(URL_USE)},
        names={"shop/wide.py": CODE},
    ),
    Case(
        "invalid-utf-8",
        files={"shop/bad.py": URL_USE.encode() + b"X = '\xc3\x28 \xff\xfe'\n"},
        names={"shop/bad.py": CODE},
    ),
    Case(
        "unknown-coding-cookie",
        files={"shop/cookie.py": b"# -*- coding: klingon -*-\n" + URL_USE.encode()},
        names={"shop/cookie.py": CODE},
    ),
    Case(
        "utf-8-bom-module",
        files={"shop/bom.py": codecs.BOM_UTF8 + URL_USE.encode()},
        rewrites=every("shop/bom.py"),
    ),
    Case(
        "utf-8-bom-template",
        files={"shop/templates/shop/bom.html": codecs.BOM_UTF8 + b"{% load staticfiles %}\n"},
        rewrites=every("shop/templates/shop/bom.html"),
    ),
    Case(
        "latin-1-template",
        files={"shop/templates/shop/latin.html": b"{% load staticfiles %}<p>caf\xe9</p>\n"},
        names={"shop/templates/shop/latin.html": CODE},
        never_says=("PEP 263",),
    ),
    Case(
        "utf-16-template",
        files={"shop/templates/shop/wide.html": _utf16("{% load staticfiles %}\n")},
        names={"shop/templates/shop/wide.html": CODE},
        never_says=("PEP 263",),
    ),
    # -- line endings
    Case(
        "crlf-module",
        files={"shop/crlf.py": URL_USE.replace("\n", "\r\n").encode() + b"Y = 1\r\n"},
        rewrites=every("shop/crlf.py"),
    ),
    Case(
        "cr-module",
        files={"shop/cr.py": URL_USE.replace("\n", "\r").encode() + b"Y = 1\r"},
        rewrites=every("shop/cr.py"),
    ),
    Case(
        "mixed-line-endings",
        files={
            "shop/mixed.py": b"from django.conf.urls import url\r\nA = 1\nB = 2\rurlpatterns = [url('^$', None)]\r\n"
        },
        rewrites=every("shop/mixed.py"),
    ),
    Case(
        "crlf-template",
        files={
            "shop/templates/shop/crlf.html": b"{% load staticfiles %}\r\n{% ifequal a b %}x{% endifequal %}\r\n"
        },
        rewrites=every("shop/templates/shop/crlf.html"),
    ),
    # -- syntax, tabs, depth, size, binary
    Case(
        "syntax-error",
        files={"shop/broken.py": URL_USE.encode() + b"def broken(:\n    pass\n"},
        names={"shop/broken.py": CODE},
    ),
    Case(
        "tab-error",
        files={"shop/tabs.py": URL_USE.encode() + b"if True:\n\tx = 1\n        y = 2\n"},
        names={"shop/tabs.py": CODE},
    ),
    Case(
        "python-2-module",
        files={"shop/py2.py": URL_USE.encode() + b"print 'hello'\nexec 'x = 1'\n"},
        names={"shop/py2.py": CODE},
    ),
    Case(
        "null-byte-in-module",
        files={"shop/nul.py": URL_USE.encode() + b"X = 1\x00\n"},
        names={"shop/nul.py": CODE},
    ),
    Case(
        "deep-expression",
        files={"shop/deep.py": _deep_module(100_000)},
        names={"shop/deep.py": CODE},
    ),
    Case(
        "deep-nesting",
        files={
            "shop/nest.py": b"from django.conf.urls import url\nX = "
            + b"[" * 5000
            + b"]" * 5000
            + b"\n"
        },
        names={"shop/nest.py": CODE},
    ),
    Case(
        "long-line",
        files={"shop/long.py": URL_USE.encode() + b"S = '" + b"x" * 300_000 + b"'\n"},
        rewrites=every("shop/long.py"),
    ),
    Case(
        "binary-module",
        files={"shop/blob.py": bytes(range(256)) * 64},
        names={"shop/blob.py": CODE},
    ),
    Case(
        "binary-template",
        files={
            "shop/templates/shop/logo.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
            + bytes(range(256)) * 16
        },
        names={"shop/templates/shop/logo.html": CODE},
    ),
    Case(
        "empty-files",
        files={
            "shop/empty.py": b"",
            "shop/templates/shop/empty.html": b"",
            "site_cfg/local.py": b"",
        },
    ),
    # -- symlinks
    Case(
        "symlink-inside",
        links={"shop/alias.py": "../site_cfg/urls.py"},
        rewrites=every("site_cfg/urls.py"),
    ),
    Case(
        "symlink-outside",
        outside={"elsewhere/urls.py": URL_USE.encode()},
        links={"shop/outside.py": "../../elsewhere/urls.py"},
        names={"shop/outside.py": CODE},
    ),
    Case(
        "symlinked-folder-outside",
        outside={"elsewhere/pkg/urls.py": URL_USE.encode()},
        links={"shop/vendored": "../../elsewhere/pkg"},
    ),
    Case(
        "symlink-loop",
        links={"shop/a.py": "b.py", "shop/b.py": "a.py", "shop/again": "."},
        names={"shop/a.py": CODE, "shop/b.py": CODE},
    ),
    Case(
        "dangling-symlink",
        links={"shop/gone.py": "missing.py", "shop/templates/shop/gone.html": "nowhere.html"},
        names={"shop/gone.py": CODE},
    ),
    Case(
        "dangling-requirements-link",
        links={"requirements/base.txt": "../nowhere.txt"},
        files={"requirements.txt": b"-r requirements/base.txt\nDjango==2.2.28\n"},
        names={"requirements/base.txt": DECLARATION_READERS},
    ),
    # -- files that cannot be read (as root, chmod 000 reads anyway: folders and pipes instead)
    Case(
        "folder-named-like-a-module",
        dirs=("shop/models.py", "shop/templates/shop/folder.html"),
    ),
    Case(
        "named-pipe-module",
        fifos=("shop/pipe.py", "shop/templates/shop/pipe.html"),
    ),
    Case(
        "named-pipe-requirements",
        files={"requirements.txt": b"-r requirements/base.txt\n"},
        fifos=("requirements/base.txt",),
        names={"requirements/base.txt": CODE},
        exit_codes=frozenset({0, 1, 2}),
    ),
    # -- declarations: requirements
    Case(
        "requirements-include-loop",
        files={
            "requirements.txt": b"-r requirements/base.txt\n",
            "requirements/base.txt": b"-r ../requirements.txt\nDjango==2.2.28\n",
        },
        names={"requirements.txt": DECLARATION_READERS},
    ),
    Case(
        "requirements-self-include",
        files={"requirements.txt": b"-r requirements.txt\nDjango==2.2.28\n"},
        names={"requirements.txt": DECLARATION_READERS},
    ),
    Case(
        "requirements-missing-include",
        files={
            "requirements.txt": b"Django==2.2.28\n-r requirements/missing.txt\n-c constraints.txt\n"
        },
        names={"requirements/missing.txt": DECLARATION_READERS},
    ),
    Case(
        "requirements-every-line-kind",
        files={
            "requirements.txt": (
                b"--index-url https://pypi.example.org/simple\n"
                b"--extra-index-url=https://other.example.org/simple\n"
                b"Django==2.2.28 \\\n    --hash=sha256:"
                + b"a" * 64
                + b" \\\n    --hash=sha256:"
                + b"b" * 64
                + b"\n"
                b"pytz==2019.1; python_version >= '3'  # comment\n"
                b"enum34==1.1.6 ; python_version < '3.4'\n"
                b"git+https://github.com/example/pkg.git@v1.0#egg=pkg\n"
                b"-e git+https://github.com/example/editable.git#egg=editable\n"
                b"-e .\n"
                b"-e ./libs/local\n"
                b"https://example.com/archive/pkg-1.0.tar.gz#sha256=" + b"c" * 64 + b"\n"
                b"./wheels/local-1.0-py3-none-any.whl\n"
                b"pkg[extra1,extra2]>=1.0,<2.0\n"
                b"!!! not a requirement !!!\n"
                b"--no-binary :all:\n"
                b"\n#only a comment\n"
            )
        },
    ),
    Case(
        "requirements-crlf-bom-latin-1",
        files={
            "requirements.txt": codecs.BOM_UTF8 + b"Django==2.2.28\r\npytz==2019.1\r\n",
            "requirements/dev.txt": b"# caf\xe9\n-r ../requirements.txt\n",
        },
        never_says=("PEP 263",),
    ),
    Case(
        "requirements-binary",
        files={"requirements.txt": b"Django==2.2.28\n", "requirements/dev.txt": bytes(range(256))},
        never_says=("PEP 263",),
    ),
    # -- declarations: TOML, INI, JSON, Python version files
    Case(
        "broken-pyproject",
        files={"pyproject.toml": b'[tool.upgrader\nexclude = ["vendor/*"\n'},
        names={"pyproject.toml": every("plan", "check", "rewrite-dry-run", "rewrite")},
        exit_codes=frozenset({0, 1, 2}),
    ),
    Case(
        "pyproject-wrong-types",
        files={"pyproject.toml": b'[tool.upgrader]\nexclude = "vendor"\n'},
        names={"pyproject.toml": every("plan", "check", "rewrite-dry-run", "rewrite")},
        exit_codes=frozenset({2}),
    ),
    Case(
        "pyproject-binary",
        files={"pyproject.toml": bytes(range(256))},
        names={"pyproject.toml": every("plan", "check", "rewrite-dry-run", "rewrite")},
        exit_codes=frozenset({0, 1, 2}),
        never_says=("PEP 263",),
    ),
    Case(
        "broken-tox-ini",
        files={
            "tox.ini": b"[tox\nenvlist = py38-django22\n[testenv]\ndeps =\n  Django\n[testenv]\n"
        },
        names={"tox.ini": DECLARATION_READERS},
    ),
    Case(
        "broken-setup-cfg",
        files={
            "setup.cfg": b"[metadata\nname = x\n[options]\ninstall_requires =\n\tDjango>=2.2\n[options]\n"
        },
        names={"setup.cfg": DECLARATION_READERS},
    ),
    Case(
        "broken-setup-py",
        files={
            "setup.py": b"from setuptools import setup\nsetup(install_requires=['Django==2.2.28'\n"
        },
        names={"setup.py": DECLARATION_READERS},
    ),
    Case(
        "broken-pipfile",
        files={
            "Pipfile": b'[packages\ndjango = "==2.2.28"\n',
            "Pipfile.lock": b'{"default": {"django": ',
        },
        names={"Pipfile": DECLARATION_READERS},
    ),
    Case(
        "garbage-python-version",
        files={".python-version": b"\xff\xfegarbage\n"},
        names={".python-version": DECLARATION_READERS},
        never_says=("PEP 263",),
    ),
    Case(
        "garbage-runtime-txt",
        files={"runtime.txt": b"python-banana\n"},
        names={"runtime.txt": DECLARATION_READERS},
    ),
    Case(
        "broken-settings-module",
        files={"site_cfg/settings.py": b"SECRET_KEY = 'x'\nINSTALLED_APPS = [\n"},
        names={"site_cfg/settings.py": CODE},
    ),
    # -- names
    Case(
        "markup-and-spaces-in-names",
        files={"shop/[bold red]x[/bold red] y.py": URL_USE.encode()},
        rewrites=every("shop/[bold red]x[/bold red] y.py"),
        # Shown as it is (rich markup escaped), in the lines naming what was rewritten.
        names={"shop/[bold red]x[/bold red] y.py": every("rewrite-dry-run", "rewrite")},
    ),
    Case(
        "newline-in-a-name",
        build=lambda root: (root / "shop" / "two\nlines.py").write_bytes(URL_USE.encode()),
        rewrites=every("shop/two\nlines.py"),
    ),
    Case(
        "non-utf-8-name",
        build=lambda root: (root / "shop" / os.fsdecode(b"caf\xe9.py")).write_bytes(
            URL_USE.encode()
        ),
        rewrites=every(os.fsdecode(b"shop/caf\xe9.py")),
    ),
    Case(
        "binary-gitignore",
        files={".gitignore": bytes(range(256))},
    ),
)


def snapshot(base: Path) -> dict[str, tuple[str, str]]:
    """Every entry under ``base``: (kind, sha256 of the bytes or the link's target)."""
    out: dict[str, tuple[str, str]] = {}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        for name in [*dirnames, *filenames]:
            path = here / name
            rel = path.relative_to(base).as_posix()
            if "__pycache__" in path.parts:
                continue
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir", "")
            elif path.is_file():
                out[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                out[rel] = ("other", "")
    return out


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_main(argv: Sequence[str]) -> Outcome:
    """``upgrader.cli.main(argv)`` in this process, its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Outcome(code, out.getvalue(), err.getvalue())


def command_argv(command: str, root: Path) -> list[str]:
    first, *rest = COMMANDS[command]
    return [first, str(root), *rest]


def git_init(root: Path) -> None:
    """Make ``root`` a repository with everything in it committed."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "initial")


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
