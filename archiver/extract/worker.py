"""Extraction jobs run in worker processes (or a thread), for crawls and reindexing.

Kept apart from the Scrapy modules so that a worker process imports only the
extractor, not the crawler.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: Response headers the extractor uses (charset, language, dates).
EXTRACTION_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Date")


def cores() -> int:
    """CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    """Extraction processes to start: one per core, at most 4."""
    return max(1, min(cores(), 4))


#: seconds between a worker's checks that the process that started it still runs
PARENT_CHECK_EVERY = 0.5


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` extraction processes (spawned: no forked reactor state).

    The workers exit on their own when the process that started them dies, however
    it dies (SIGKILL included): see :func:`watch_parent`."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_up,
        initargs=(os.getpid(),),
    )


def warm_up(parent: int | None = None) -> None:
    """Prepare a worker process: the crawl process handles Ctrl-C (and finishes the
    pages in flight), so workers ignore SIGINT; watch the parent; import the
    extractor once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        watch_parent(parent)
    import archiver.extract  # noqa: F401


def watch_parent(parent: int, every: float = PARENT_CHECK_EVERY) -> None:
    """End this process as soon as ``parent`` is no longer its parent (it died and
    this process was handed to another: init or a subreaper).  A daemon thread
    polls ``getppid()``; no signal or pipe from the parent is needed, so it works
    however the parent ends."""
    import threading
    import time

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(0)
            time.sleep(every)

    threading.Thread(target=watch, name="archiver-parent-watch", daemon=True).start()


def extract_page(body: bytes, url: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """Extract one page; return the document as a dict, None, or ``{"error": ...}``."""
    from archiver.extract import extract

    try:
        doc = extract(body, url=url, headers=headers)
    except Exception as exc:  # a worker never dies on one page
        return {"error": f"{type(exc).__name__}: {exc}"}
    return doc.to_dict() if doc is not None else None
