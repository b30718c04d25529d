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

__version__ = "0.1.0"

__all__ = ["Archive", "__version__"]


def __getattr__(name: str) -> object:
    if name == "Archive":  # imported lazily: ``import archiver`` stays light
        from archiver.research.archive import Archive

        return Archive
    raise AttributeError(f"module 'archiver' has no attribute {name!r}")
