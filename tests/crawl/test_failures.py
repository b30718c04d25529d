"""Unit tests of archiver.crawl.failures: causes, crawl status and exit codes."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archiver.crawl import failures
from archiver.crawl.failures import FailedContent, classify, crawl_status, describe, exit_status


def fail(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def http_error(status: int) -> HttpError:
    return HttpError(Response("http://x.org/", status=status), "Ignoring non-200 response")


@pytest.mark.parametrize(
    ("exc", "cause", "status"),
    [
        (http_error(404), "http-4xx", 404),
        (http_error(410), "http-4xx", 410),
        (http_error(500), "http-5xx", 500),
        (http_error(503), "http-5xx", 503),
        (
            CannotResolveHostError("DNS lookup failed: no results for hostname lookup: x.invalid."),
            "dns",
            None,
        ),
        (
            DownloadConnectionRefusedError("Connection was refused by other side: 111"),
            "connect",
            None,
        ),
        (
            DownloadTimeoutError("Getting http://x.org/ took longer than 60.0 seconds."),
            "timeout",
            None,
        ),
        (
            DownloadFailedError("[<twisted.python.failure.Failure ConnectionLost>]"),
            "connection-lost",
            None,
        ),
        (
            DownloadFailedError(
                "[<twisted.python.failure.Failure OpenSSL.SSL.Error: certificate verify failed>]"
            ),
            "tls",
            None,
        ),
        (
            DownloadCancelledError(
                "Expected to receive 2000000 bytes which is larger than download max size (1000)"
            ),
            "too-large",
            None,
        ),
        (
            FailedContent("undecodable-content-encoding", "br: decoder failed"),
            "undecodable-content-encoding",
            None,
        ),
        (IgnoreRequest("Forbidden by robots.txt"), "robots-denied", None),
        (IgnoreRequest("Forbidden by robots.txt of example.org"), "robots-denied", None),
        (IgnoreRequest("max redirections reached"), "bad-redirect", None),
        (
            FailedContent("robots-unavailable", "robots.txt of h unavailable"),
            "robots-unavailable",
            None,
        ),
        (DownloadCancelledError(""), "other", None),
        (
            DownloadFailedError(
                "[<twisted.python.failure.Failure archiver.crawl.capture.HeadTooLarge: "
                "response head larger than 256 KiB: refused>]"
            ),
            "too-large",
            None,
        ),
        (ResponseDataLossError(""), "connection-lost", None),
        (RuntimeError("something else"), "other", None),
    ],
)
def test_classify(exc: BaseException, cause: str, status: int | None) -> None:
    found = classify(fail(exc))
    assert found is not None
    assert (found.cause, found.status) == (cause, status)
    assert found.detail and "\n" not in found.detail


@pytest.mark.parametrize(
    "exc",
    [
        http_error(304),  # not modified: an incremental crawl's answer, not a failure
        IgnoreRequest("redirect out of scope: http://elsewhere.org/"),
    ],
)
def test_not_failures(exc: BaseException) -> None:
    assert classify(fail(exc)) is None


@pytest.mark.parametrize(
    ("by_cause", "code"),
    [
        ({}, 0),
        ({"robots-denied": 5}, 0),
        ({"http-4xx": 1}, 8),
        ({"http-5xx": 2, "http-4xx": 1}, 8),
        ({"undecodable-content-encoding": 1, "http-4xx": 3}, 7),
        ({"too-large": 1}, 7),
        ({"unreadable-sitemap": 1}, 7),
        ({"timeout": 1, "undecodable-content-encoding": 1, "http-5xx": 1}, 4),
        ({"dns": 1}, 4),
        ({"other": 1}, 1),
        ({"bad-redirect": 1, "http-4xx": 1}, 7),
        ({"robots-blocked": 1, "robots-denied": 3}, 8),
        ({"robots-unavailable": 2}, 8),
    ],
)
def test_exit_status_follows_wget_lowest_wins(by_cause: dict[str, int], code: int) -> None:
    assert exit_status(by_cause) == code


def test_status_and_description() -> None:
    stats = {
        "archiver/failed/http-4xx": 2,
        "archiver/failed/timeout": 1,
        "archiver/failed/robots-denied": 4,
        "downloader/request_count": 50,
    }
    assert failures.counts(stats) == {"http-4xx": 2, "timeout": 1, "robots-denied": 4}
    assert crawl_status("finished", stats) == "partial"
    assert crawl_status("finished", {"archiver/failed/robots-denied": 4}) == "ok"
    assert crawl_status("finished", {}) == "ok"
    assert crawl_status("shutdown", stats) == "shutdown"
    assert crawl_status("finished", {}, database_error=True) == "failed"
    assert describe(failures.counts(stats)) == (
        "3 failed: 2 http-4xx, 1 timeout; 4 denied by robots.txt"
    )
    assert describe({}) == ""


def test_request_is_reported_once_with_its_cause() -> None:
    """The spider reports through a Scrapy signal the recorder listens to."""
    from scrapy.utils.test import get_crawler

    from spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    seen: list[tuple[str, str]] = []
    crawler.signals.connect(
        lambda request, failed: seen.append((request.url, failed.cause)),
        signal=failures.request_failed,
        weak=False,
    )
    spider = NewsSpider.from_crawler(crawler, seeds="http://x.org/")
    crawler.stats.open_spider()
    request = Request("http://x.org/gone", meta={"archiver_kind": "page"})
    failure = fail(http_error(404))
    failure.request = request  # type: ignore[attr-defined]
    spider.on_error(failure)
    probe = Request(
        "http://x.org/sitemap.xml", meta={"archiver_kind": "sitemap", "archiver_probe": True}
    )
    failure = fail(http_error(404))
    failure.request = probe  # type: ignore[attr-defined]
    spider.on_error(failure)  # a guessed file that is missing: no failure
    assert seen == [("http://x.org/gone", "http-4xx")]
