"""archiver: a news crawler and web archiver.

Every page is kept byte for byte in WARC files, every article as clean, searchable
text in a SQLite archive.  The command line lives in :mod:`archiver.cli`, the Scrapy
components in :mod:`archiver.capture`, :mod:`archiver.pipelines` and :mod:`archiver.warc`,
the database in :mod:`archiver.store`.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Archive", "__version__"]


def __getattr__(name: str) -> object:
    if name == "Archive":  # imported lazily: ``import archiver`` stays light
        from archiver.archive import Archive

        return Archive
    raise AttributeError(f"module 'archiver' has no attribute {name!r}")
