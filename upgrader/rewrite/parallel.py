"""Files to worker processes: largest first, in balanced chunks, results streamed as they come."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from upgrader.rewrite.django_upgrade import tag_finders
from upgrader.rewrite.engine import _rules, process_file
from upgrader.rewrite.model import Job, Outcome, RewriteConfig


def process_all(
    files: list[Job], config: RewriteConfig, jobs: int | None
) -> Iterator[tuple[Job, Outcome]]:
    """Each file's outcome, as files finish (not in ``files``' order)."""
    workers = min(jobs or os.cpu_count() or 1, len(files))
    if workers <= 1:
        for job in files:
            yield job, process_file(job, config)
        return
    _preload_tools(config.rule_ids)  # once here rather than once per forked worker
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_process_chunk, chunk, config) for chunk in chunks(files, workers)]
        for future in as_completed(futures):
            yield from future.result()


def _preload_tools(rule_ids: tuple[str, ...]) -> None:
    """Import both tools, tag django-upgrade's finders and import our rules (libcst with them:
    selection no longer imports them, ``codemods.rule_index``) in this process, so workers
    forked from it start with them."""
    _rules(rule_ids)  # cached: the workers find them there
    try:
        import django_upgrade.main  # noqa: F401
        import pyupgrade._main  # noqa: F401
    except ImportError:  # pragma: no cover - the stage reports the tool's absence per file
        return
    tag_finders()


def chunks(files: Sequence[Job], workers: int) -> list[list[Job]]:
    """``files`` largest first, in chunks of about 1/(8 x workers) of the bytes (at most 64
    files): workers take the next chunk as they finish one, so the big files start first and the
    small ones even out the end; each chunk costs one round trip to a worker."""
    ordered = sorted(files, key=lambda job: (-len(job.data), job.path))
    share = max(1, sum(len(job.data) for job in ordered) // (workers * 8))
    chunks: list[list[Job]] = []
    chunk: list[Job] = []
    size = 0
    for job in ordered:
        chunk.append(job)
        size += len(job.data)
        if size >= share or len(chunk) >= 64:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _process_chunk(chunk: list[Job], config: RewriteConfig) -> list[tuple[Job, Outcome]]:
    return [(job, process_file(job, config)) for job in chunk]
