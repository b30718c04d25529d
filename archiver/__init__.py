"""archiver: a news crawler and web archiver.

Every page is kept byte for byte in WARC files, every article as clean, searchable
text in a SQLite archive.  The folders follow the data: ``crawl`` (Scrapy
components: request -> response -> WARC record -> rows), ``warc`` (the one writer
and reader of WARC files), ``codings`` (the one body decoder), ``extract`` (HTML ->
clean text and metadata), ``store`` (the SQLite schema and writes), then the users:
``research`` (the read-only Archive API, exports, web interface), ``ops`` (verify,
reindex, replay, packages), ``schedule`` (scheduled crawls), with ``cli`` on top;
``errors`` holds every error type.  The spider is ``spiders/news.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Where each public name lives; imported on first use, so ``import archiver`` stays
#: light (no Scrapy, no lxml) until a name is used.
_EXPORTS = {
    # the researchers' API
    "Archive": "archiver.research.archive",
    "Capture": "archiver.research.archive",
    "Diff": "archiver.research.archive",
    "Document": "archiver.research.archive",
    "Filters": "archiver.research.archive",
    "SearchHit": "archiver.research.archive",
    "SearchResults": "archiver.research.archive",
    "normalise_query": "archiver.research.archive",
    # extraction (the function ``extract`` stays ``archiver.extract.extract``: the name
    # ``archiver.extract`` is the subpackage)
    "EXTRACTOR": "archiver.extract",
    "Extraction": "archiver.extract",
    "extract_text": "archiver.extract",
    "render": "archiver.extract",
    # errors
    "ArchiveError": "archiver.errors",
    "ArchiverError": "archiver.errors",
    "ContentError": "archiver.errors",
    "ContentTooLarge": "archiver.errors",
    "CrawlError": "archiver.errors",
    "DiscoveryError": "archiver.errors",
    "JobError": "archiver.errors",
    "LockedError": "archiver.errors",
    "NotFound": "archiver.errors",
    "PywbMissing": "archiver.errors",
    "ReindexError": "archiver.errors",
    "ReplayError": "archiver.errors",
    "ScheduleError": "archiver.errors",
    "ScopeError": "archiver.errors",
    "SearchQueryError": "archiver.errors",
    "StoreError": "archiver.errors",
    "UndecodableContent": "archiver.errors",
    "WriteError": "archiver.errors",
}

__all__ = [
    "EXTRACTOR",
    "Archive",
    "ArchiveError",
    "ArchiverError",
    "Capture",
    "ContentError",
    "ContentTooLarge",
    "CrawlError",
    "Diff",
    "DiscoveryError",
    "Document",
    "Extraction",
    "Filters",
    "JobError",
    "LockedError",
    "NotFound",
    "PywbMissing",
    "ReindexError",
    "ReplayError",
    "ScheduleError",
    "ScopeError",
    "SearchHit",
    "SearchQueryError",
    "SearchResults",
    "StoreError",
    "UndecodableContent",
    "WriteError",
    "__version__",
    "extract_text",
    "normalise_query",
    "render",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'archiver' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
