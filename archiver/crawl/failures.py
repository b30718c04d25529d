"""Why a request of a crawl failed, in a few causes a user can act on, and what the
crawl's exit status says about them.

Every failed request is counted by cause in the crawl's stats
(``archiver/failed/<cause>``), kept as a row of the ``failures`` table, shown in the
crawl summary and in the scheduler's run history.  Causes:

=============================== =====================================================
``dns``                         the host name does not resolve
``connect``                     the connection was refused or could not be made
``timeout``                     no answer within ``DOWNLOAD_TIMEOUT``
``connection-lost``             the connection broke before the response was complete
``tls``                         the TLS handshake failed
``too-large``                   larger than ``DOWNLOAD_MAXSIZE`` (sent or decoded), or
                                a response head larger than 256 KiB
``bad-redirect``                a redirect to a malformed URL, or more than
                                ``REDIRECT_MAX_TIMES`` redirects in a row (a loop)
``undecodable-content-encoding`` an unknown or broken ``Content-Encoding`` (the record
                                is in WARC as received; no text was extracted)
``unreadable-sitemap``          a sitemap that cannot be parsed or unpacked
``unreadable-feed``             a feed that cannot be unpacked
``http-4xx`` / ``http-5xx``     the server answered with an error status (the record
                                is in WARC)
``robots-denied``               robots.txt forbids it (counted; not an error)
``robots-blocked``              robots.txt forbids a seed: the crawl was refused
``robots-unavailable``          robots.txt answered 5xx (after the retries): the site
                                is not crawled (RFC 9309); when it could not be
                                fetched at all, the site's requests fail with that
                                network cause (``dns``, ``connect``, ...) instead
``other``                       anything else (the detail says what)
=============================== =====================================================

Exit status of ``archiver crawl``, after wget's convention (when several kinds of
failure happened, the lowest number wins): 0 every request answered, 4 network
failure, 7 protocol error (undecodable, too large, unreadable sitemap, bad redirect),
8 the server answered with an error status or refused the crawl (robots.txt
disallows a seed or is unavailable), 1 any other failure, 3 the crawl stopped because
a write failed (disk full, quota, I/O error: continue it with ``--resume``).  1 and 2
also stand for errors of the command itself and of its usage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error

from archiver.codings import TOO_LARGE, UNDECODABLE
from archiver.crawl.discovery import UNREADABLE_FEED, UNREADABLE_SITEMAP

DNS = "dns"
CONNECT = "connect"
TIMEOUT = "timeout"
CONNECTION_LOST = "connection-lost"
TLS = "tls"
HTTP_4XX = "http-4xx"
HTTP_5XX = "http-5xx"
ROBOTS_DENIED = "robots-denied"
ROBOTS_BLOCKED = "robots-blocked"
ROBOTS_UNAVAILABLE = "robots-unavailable"
BAD_REDIRECT = "bad-redirect"
OTHER = "other"

NETWORK = frozenset({DNS, CONNECT, TIMEOUT, CONNECTION_LOST, TLS})
PROTOCOL = frozenset({UNDECODABLE, TOO_LARGE, UNREADABLE_SITEMAP, UNREADABLE_FEED, BAD_REDIRECT})
SERVER = frozenset({HTTP_4XX, HTTP_5XX, ROBOTS_BLOCKED, ROBOTS_UNAVAILABLE})
#: Causes that are not errors: the crawl obeyed a rule.
NOT_ERRORS = frozenset({ROBOTS_DENIED})

EXIT_OK = 0
EXIT_GENERIC = 1
#: a write failed for lack of space or an I/O error (wget's "file I/O error")
EXIT_WRITE = 3
EXIT_NETWORK = 4
EXIT_PROTOCOL = 7
EXIT_SERVER = 8

STATS_PREFIX = "archiver/failed/"
#: Where the retry middleware notes why it did not wait for a ``Retry-After``
#: (``response.meta``); the failure's detail repeats it.
RETRY_AFTER_META = "archiver_retry_after"
#: The first seed robots.txt disallows, said so (``robots.txt of HOST disallows URL``).
ROBOTS_BLOCKED_STAT = "archiver/robots/blocked"
#: The first robots.txt that could not be read (``robots.txt of HOST unavailable ...``).
ROBOTS_UNAVAILABLE_STAT = "archiver/robots/unavailable_detail"
#: The words a refused response head's failure carries (archiver.crawl.capture).
HEAD_TOO_LARGE = "response head larger than"

#: Scrapy signal sent by the spider for each failed request (``request``,
#: ``failed``); the recorder counts it and keeps its row.
request_failed = object()


class FailedContent(IgnoreRequest):
    """Raised by the crawl's components for a response that was received (and
    archived) but cannot be used; ``cause`` is one of this module's causes."""

    def __init__(self, cause: str, message: str) -> None:
        super().__init__(message)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class Failed:
    """One failed request: its cause, HTTP status if any, and a one-line detail."""

    cause: str
    status: int | None
    detail: str


def classify(failure: Any) -> Failed | None:
    """The :class:`Failed` of a Twisted ``Failure`` from a request's errback, or None
    when it is no failure (a ``304 Not Modified``, a redirect out of scope, a request
    the crawl itself dropped)."""
    exc = failure.value
    detail = _one_line(failure.getErrorMessage())
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status == 304:
            return None
        cause = HTTP_5XX if status >= 500 else HTTP_4XX if status >= 400 else OTHER
        note = exc.response.meta.get(RETRY_AFTER_META) if exc.response.request is not None else None
        return Failed(cause, status, f"HTTP {status}" + (f" ({note})" if note else ""))
    if isinstance(exc, FailedContent):
        return Failed(exc.cause, None, detail)
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in detail:  # RobotsTxtMiddleware: "Forbidden by robots.txt"
            return Failed(ROBOTS_DENIED, None, detail)
        if "DOWNLOAD_MAXSIZE" in detail:  # decompression beyond the limit
            return Failed(TOO_LARGE, None, detail)
        if "max redirections" in detail:  # Scrapy's RedirectMiddleware
            return Failed(BAD_REDIRECT, None, detail)
        return None  # dropped on purpose (scope, duplicates)
    return Failed(_network_cause(exc, detail), None, detail or _unnamed(exc))


def _unnamed(exc: BaseException) -> str:
    """A detail for an exception that carries no message."""
    if isinstance(exc, ResponseDataLossError):
        return "the connection closed before the whole body arrived (data loss)"
    if isinstance(exc, DownloadFailedError):
        return "the response was cut off or could not be parsed"
    return type(exc).__name__


def network_cause(exc: BaseException) -> str:
    """The cause of a download exception (``dns``, ``connect``, ``timeout``, ...)."""
    return _network_cause(exc, _one_line(str(exc)))


def _network_cause(exc: BaseException, detail: str) -> str:
    if isinstance(exc, (CannotResolveHostError, tx_error.DNSLookupError)):
        return DNS
    if isinstance(exc, (DownloadTimeoutError, tx_error.TimeoutError)):
        return TIMEOUT
    if isinstance(exc, DownloadCancelledError) and "max size" in detail:
        return TOO_LARGE
    if HEAD_TOO_LARGE in detail:  # archiver.crawl.capture refused the response head
        return TOO_LARGE
    if "SSL" in detail or "certificate" in detail.lower() or "TLS" in detail:
        return TLS
    if isinstance(exc, (DownloadConnectionRefusedError, tx_error.ConnectError)):
        return CONNECT
    if isinstance(
        exc,
        (
            DownloadFailedError,
            ResponseDataLossError,
            tx_error.ConnectionLost,
            tx_error.ConnectionDone,
        ),
    ):
        return CONNECTION_LOST
    return OTHER


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counts(stats: dict[str, Any]) -> dict[str, int]:
    """Failed requests by cause, from a crawl's stats."""
    return {
        k[len(STATS_PREFIX) :]: int(v)
        for k, v in stats.items()
        if k.startswith(STATS_PREFIX) and isinstance(v, int) and v
    }


def errors(by_cause: dict[str, int]) -> int:
    """How many of the failures are errors (robots.txt denials are not)."""
    return sum(n for cause, n in by_cause.items() if cause not in NOT_ERRORS)


def exit_status(by_cause: dict[str, int]) -> int:
    """The crawl's exit status for these failures (wget's convention)."""
    causes = {c for c, n in by_cause.items() if n and c not in NOT_ERRORS}
    if causes & NETWORK:
        return EXIT_NETWORK
    if causes & PROTOCOL:
        return EXIT_PROTOCOL
    if causes & SERVER:
        return EXIT_SERVER
    return EXIT_GENERIC if causes else EXIT_OK


def crawl_status(
    finish_reason: str,
    stats: dict[str, Any],
    *,
    database_error: bool = False,
    write_error: bool = False,
) -> str:
    """A crawl's status: ``ok`` (finished, nothing failed), ``partial`` (finished, some
    requests failed), ``interrupted`` (a write failed for lack of space or an I/O
    error: ``--resume`` continues it), ``failed`` (the archive could not be written
    for another reason), or Scrapy's finish reason (``shutdown`` for an interrupted
    crawl, ``closespider_...``)."""
    if write_error:
        return "interrupted"
    if database_error:
        return "failed"
    if finish_reason != "finished":
        return finish_reason
    return "partial" if errors(counts(stats)) else "ok"


def describe(by_cause: dict[str, int]) -> str:
    """``"3 failed: 2 http-4xx, 1 timeout"`` (errors first), or ``""``."""
    parts = [
        f"{n} {c}"
        for c, n in sorted(by_cause.items(), key=lambda kv: (-kv[1], kv[0]))
        if n and c not in NOT_ERRORS
    ]
    denied = by_cause.get(ROBOTS_DENIED, 0)
    text = f"{errors(by_cause)} failed: " + ", ".join(parts) if parts else ""
    if denied:
        text += ("; " if text else "") + f"{denied} denied by robots.txt"
    return text
