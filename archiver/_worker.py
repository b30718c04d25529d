"""Extraction jobs run in worker processes (or a thread) during a crawl.

Kept apart from the Scrapy modules so that a worker process imports only the
extractor, not the crawler.
"""

from __future__ import annotations

from typing import Any


def warm_up() -> None:
    """Prepare a worker process: the crawl process handles Ctrl-C (and finishes the
    pages in flight), so workers ignore SIGINT; import the extractor once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import archiver.extract  # noqa: F401


def extract_page(body: bytes, url: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """Extract one page; return the document as a dict, None, or ``{"error": ...}``."""
    from archiver.extract import extract

    try:
        doc = extract(body, url=url, headers=headers)
    except Exception as exc:  # a worker never dies on one page
        return {"error": f"{type(exc).__name__}: {exc}"}
    return doc.to_dict() if doc is not None else None
