"""A local package index built by the tests: tiny wheels with chosen metadata, no network.

``local_index`` writes a PEP 503 ``simple/`` tree (with PEP 592 ``data-yanked`` and optionally
PEP 658 ``.metadata`` files) under ``tmp_path``; ``served_index`` serves the same tree over HTTP on
127.0.0.1 and answers PEP 691 JSON when asked for it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import io
import json
import tarfile
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.deps.index import IndexConfig, PackageIndex


@dataclass(frozen=True)
class Dist:
    name: str
    version: str
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    classifiers: tuple[str, ...] = ()
    yanked: bool | str = False
    sdist_only: bool = False
    upload_time: str | None = None  # PEP 700, in the JSON listing only
    files: tuple[tuple[str, str], ...] = ()  # (path in the package, text): its modules


def _metadata(dist: Dist) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {dist.name}", f"Version: {dist.version}"]
    if dist.requires_python:
        lines.append(f"Requires-Python: {dist.requires_python}")
    lines += [f"Classifier: {c}" for c in dist.classifiers]
    lines += [f"Requires-Dist: {r}" for r in dist.requires_dist]
    return "\n".join(lines) + "\n\n"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_sdist(dist: Dist, folder: Path) -> Path:
    """A minimal sdist (``PKG-INFO`` at its top level) with ``dist``'s metadata."""
    stem = f"{dist.name.replace('-', '_').lower()}-{dist.version}"
    path = folder / f"{stem}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (
            (f"{stem}/PKG-INFO", _metadata(dist).encode()),
            (f"{stem}/setup.py", b"from setuptools import setup\nsetup()\n"),
            *((f"{stem}/{rel}", text.encode()) for rel, text in dist.files),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def build_wheel(dist: Dist, folder: Path) -> Path:
    """A minimal, installable pure-Python wheel with ``dist``'s metadata."""
    module = dist.name.replace("-", "_").lower()
    stem = f"{module}-{dist.version}"
    path = folder / f"{stem}-py3-none-any.whl"
    files = {
        f"{module}/__init__.py": f"__version__ = {dist.version!r}\n".encode(),
        **{rel: text.encode() for rel, text in dist.files},
        f"{stem}.dist-info/METADATA": _metadata(dist).encode(),
        f"{stem}.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: upgrader-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n\n"
        ),
    }
    record = "".join(f"{n},{_record_hash(d)},{len(d)}\n" for n, d in files.items())
    record += f"{stem}.dist-info/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{stem}.dist-info/RECORD", record)
    return path


@dataclass
class LocalIndex:
    root: Path
    pep658: bool = True
    dists: list[Dist] = field(default_factory=list)

    @property
    def simple(self) -> Path:
        return self.root / "simple"

    @property
    def url(self) -> str:
        return self.simple.as_uri() + "/"

    def add(self, name: str, version: str, **kwargs: object) -> LocalIndex:
        self.dists.append(Dist(name, version, **kwargs))  # type: ignore[arg-type]
        return self

    def build(self) -> LocalIndex:
        files_dir = self.root / "files"
        files_dir.mkdir(parents=True, exist_ok=True)
        projects: dict[str, list[tuple[Dist, Path]]] = {}
        for dist in self.dists:
            wheel = (
                build_sdist(dist, files_dir) if dist.sdist_only else build_wheel(dist, files_dir)
            )
            if self.pep658 and not dist.sdist_only:
                Path(f"{wheel}.metadata").write_text(_metadata(dist))
            projects.setdefault(canonicalize_name(dist.name), []).append((dist, wheel))
        self.simple.mkdir(parents=True, exist_ok=True)
        names = sorted(projects)
        (self.simple / "index.html").write_text("".join(f'<a href="{n}/">{n}</a>\n' for n in names))
        for project, entries in projects.items():
            folder = self.simple / project
            folder.mkdir(exist_ok=True)
            links: list[str] = []
            json_files: list[dict[str, object]] = []
            for dist, wheel in sorted(entries, key=lambda e: Version(e[0].version)):
                sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
                attrs = f'href="../../files/{wheel.name}#sha256={sha}"'
                if dist.requires_python:
                    attrs += f' data-requires-python="{html.escape(dist.requires_python)}"'
                if dist.yanked:
                    reason = dist.yanked if isinstance(dist.yanked, str) else ""
                    attrs += f' data-yanked="{html.escape(reason)}"'
                if self.pep658 and not dist.sdist_only:
                    attrs += ' data-core-metadata="true"'
                links.append(f"<a {attrs}>{wheel.name}</a><br/>")
                json_files.append(
                    {
                        "filename": wheel.name,
                        "url": f"../../files/{wheel.name}",
                        "hashes": {"sha256": sha},
                        "requires-python": dist.requires_python,
                        "yanked": dist.yanked,
                        "core-metadata": self.pep658 and not dist.sdist_only,
                        "size": wheel.stat().st_size,
                        **({"upload-time": dist.upload_time} if dist.upload_time else {}),
                    }
                )
            (folder / "index.html").write_text(
                "<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n"
            )
            (folder / "index.json").write_text(
                json.dumps({"meta": {"api-version": "1.1"}, "name": project, "files": json_files})
            )
        return self

    def client(self, cache_dir: Path, **kwargs: object) -> PackageIndex:
        return PackageIndex(IndexConfig(index_url=self.url), cache_dir=cache_dir, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def local_index(tmp_path: Path) -> LocalIndex:
    return LocalIndex(tmp_path / "index")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        accept = self.headers.get("Accept", "")
        if self.path.endswith("/") and "application/vnd.pypi.simple.v1+json" in accept:
            target = Path(self.translate_path(self.path)) / "index.json"
            if target.is_file():
                data = target.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
        super().do_GET()


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:PORT/

    @property
    def url(self) -> str:
        return self.base + "simple/"


@pytest.fixture
def serve() -> Iterator[object]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(index: LocalIndex, *, json_api: bool = True, basic_auth: str | None = None) -> Served:
        root = str(index.root)
        base = _Handler if json_api else http.server.SimpleHTTPRequestHandler
        expected = "Basic " + base64.b64encode(basic_auth.encode()).decode() if basic_auth else None

        class Handler(base):  # type: ignore[valid-type,misc]
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if expected and self.headers.get("Authorization") != expected:
                    self.send_error(401)
                    return
                super().do_GET()

            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=root, **kwargs)  # type: ignore[arg-type]

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Served(f"http://127.0.0.1:{server.server_address[1]}/")

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def django_classifiers(*series: str) -> tuple[str, ...]:
    return ("Framework :: Django", *(f"Framework :: Django :: {s}" for s in series))


def names(items: Sequence[object]) -> list[str]:
    return [getattr(i, "name") for i in items]  # noqa: B009
