"""The archiver's error types, in one place: every layer raises these, and the
command line (:mod:`archiver.cli`) turns each into one ``error: ...`` line and a
non-zero exit status, never a traceback.  Messages are one line a user can act on.

::

    ArchiverError                   anything a user can cause or fix
    ├── StoreError                  the archive database cannot be opened or written
    │   └── LockedError             another writer holds the archive's crawl lock
    ├── WriteError                  a write failed for lack of space or an I/O error
    │                               (WARC files or the database: disk full, quota, EIO)
    ├── CrawlError                  a crawl cannot start, or fetched nothing
    ├── ScopeError (ValueError)     a seed URL or an --allow/--deny pattern is unusable
    ├── ArchiveError                the archive cannot be read as asked
    │   ├── NotFound (LookupError)  no document, URL or capture with that id
    │   └── SearchQueryError (ValueError)  a full-text query that does not parse
    ├── ReplayError                 replay or packaging cannot run (port, folder, selection)
    │   └── PywbMissing             no pywb to run, and how to get it
    ├── ReindexError                bad input to reindex (missing file, outside --warc-dir)
    ├── JobError                    a job operation (unknown name, bad option, locked)
    ├── ScheduleError (ValueError)  a schedule or duration that does not parse
    └── ContentError (ValueError)   bytes that cannot be read as what they claim to be
        ├── UndecodableContent      unknown or broken Content-Encoding
        │   └── ContentTooLarge     decoded body beyond the limit
        └── DiscoveryError          a sitemap or feed that cannot be read

``ContentError`` and its subclasses carry a ``cause`` (the names used in the
``failures`` table: ``undecodable-content-encoding``, ``too-large``,
``unreadable-sitemap``, ``unreadable-feed``).
"""

from __future__ import annotations

__all__ = [
    "ArchiveError",
    "ArchiverError",
    "ContentError",
    "ContentTooLarge",
    "CrawlError",
    "DiscoveryError",
    "JobError",
    "LockedError",
    "NotFound",
    "PywbMissing",
    "ReindexError",
    "ReplayError",
    "ScheduleError",
    "ScopeError",
    "SearchQueryError",
    "StoreError",
    "UndecodableContent",
    "WriteError",
]


class ArchiverError(Exception):
    """Anything a user can cause or fix; the message is one line."""


class StoreError(ArchiverError):
    """The archive database cannot be opened or written."""


class LockedError(StoreError):
    """Another writer (named in the message) holds the archive's crawl lock."""


class WriteError(ArchiverError, OSError):
    """Writing ``what`` (``"WARC files in warc"``, ``"the archive database a.db"``)
    failed for lack of space or an I/O error; ``reason`` says which, in a few words."""

    def __init__(self, what: str, reason: str, errno: int | None = None) -> None:
        super().__init__(f"{reason} writing {what}")
        self.what = what
        self.reason = reason
        self.errno = errno


#: errno values of a write that failed for lack of room or a failing device
_FULL_ERRNOS = {28: "disk full", 122: "disk quota exceeded", 27: "file too large", 5: "I/O error"}
#: SQLite's primary result codes for the same (SQLITE_FULL, SQLITE_IOERR)
_SQLITE_CODES = {13: "disk full", 10: "I/O error"}


#: attribute of a log record whose message the command repeats as its final one-line
#: error (a failed write): the console leaves it out, a log file keeps it
SAID_AT_THE_END = "archiver_said_at_the_end"


def write_failure(exc: BaseException) -> str | None:
    """``"disk full"``, ``"disk quota exceeded"``, ``"I/O error"``... when ``exc`` is
    a write that failed for lack of space or a failing device (an ``OSError`` with
    ENOSPC, EDQUOT, EFBIG or EIO, or SQLite's "database or disk is full" and disk
    I/O errors); None for anything else."""
    if isinstance(exc, WriteError):
        return exc.reason
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_CODES:
        return _SQLITE_CODES[code & 0xFF]
    text = str(exc)
    if type(exc).__name__ in ("OperationalError", "DatabaseError"):
        if "database or disk is full" in text:
            return "disk full"
        if "disk I/O error" in text:
            return "I/O error"
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return _FULL_ERRNOS[exc.errno]
    return None


class CrawlError(ArchiverError):
    """A crawl could not start or fetched nothing."""


class ScopeError(ArchiverError, ValueError):
    """A seed URL or a pattern is not usable."""


class ArchiveError(ArchiverError):
    """The archive cannot be used as asked (missing file, bad filter value, ...)."""


class NotFound(ArchiveError, LookupError):
    """No document, URL or capture with that id."""


class SearchQueryError(ArchiveError, ValueError):
    """A full-text query that cannot be parsed."""


class ReplayError(ArchiverError):
    """A problem a user can fix (bad port, missing folder, nothing selected)."""


class PywbMissing(ReplayError):
    """pywb cannot be found or installed; the message says how to get it."""


class ReindexError(ArchiverError):
    """Bad input a user can fix (missing file, file outside --warc-dir, ...)."""


class JobError(ArchiverError):
    """A job operation a user can get wrong (unknown name, bad schedule...)."""


class ScheduleError(ArchiverError, ValueError):
    """A schedule, duration or revisit schedule that cannot be parsed."""


class ContentError(ArchiverError, ValueError):
    """Bytes that cannot be read as what they claim to be; ``cause`` names why."""

    cause = "unreadable"

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        if cause is not None:
            self.cause = cause


class UndecodableContent(ContentError):
    """A body whose content coding is unknown or broken."""

    cause = "undecodable-content-encoding"


class ContentTooLarge(UndecodableContent):
    """A body that decodes to more than the limit."""

    cause = "too-large"


class DiscoveryError(ContentError):
    """A sitemap or feed that cannot be read (``unreadable-sitemap``,
    ``unreadable-feed`` or ``too-large``)."""
