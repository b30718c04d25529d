"""Downloader middlewares of the crawl.

- :class:`RedirectScopeMiddleware`: the spider filters the links it follows;
  redirects are created later by Scrapy's ``RedirectMiddleware`` and come back
  through the downloader, where this middleware applies the same site, ``--allow``
  and ``--deny`` rules to them.
- :class:`ContentDecodingMiddleware`: stands in for Scrapy's
  ``HttpCompressionMiddleware`` (at the same priority, 590) so that the crawl decodes
  bodies with :mod:`archiver.codings`, like every other reader of the archive.  It
  advertises only the codings that decode in this environment, and a body that does
  not decode fails its request with the cause ``undecodable-content-encoding`` (or
  ``too-large``) instead of reaching the spider still encoded.  The capture
  middleware (950) has already written the response to WARC as received.
- :class:`RedirectMiddleware`: Scrapy's, but a redirect is not followed at all when
  its target leaves the scope (counted as ``archiver/refused/redirect-out-of-scope``;
  the 3xx response is archived, no robots.txt of the other host is fetched), and a
  malformed ``Location`` or a loop fails its request with the cause ``bad-redirect``.
- :class:`RobotsTxtMiddleware`: Scrapy's, with RFC 9309's rules for a robots.txt
  that cannot be read: a 4xx answer allows everything; a 5xx answer or no answer
  (after the retries of any request) disallows the whole site, each request then
  failing with the cause ``robots-unavailable`` (5xx) or the network's cause
  (``connect``, ``dns``, ...: a host that is down).
- :class:`RetryMiddleware`: Scrapy's, which also honours ``Retry-After`` on a 429 or
  503 answer, waiting up to ``ARCHIVER_RETRY_AFTER_MAX`` seconds; a longer wait is not
  made: the request fails at once with the reason in its failure's detail.
- :class:`CookiesMiddleware`: Scrapy's, but its public suffix list is the snapshot
  that ``tldextract`` ships: stock Scrapy downloads the list from the internet on the
  first cookie of a crawl, a request nobody asked for (and that fails offline).
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares import cookies as _scrapy_cookies
from scrapy.downloadermiddlewares import redirect as _scrapy_redirect
from scrapy.downloadermiddlewares import retry as _scrapy_retry
from scrapy.downloadermiddlewares import robotstxt as _scrapy_robotstxt
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from archiver.codings import ACCEPT_ENCODING, UndecodableContent, decode_body
from archiver.crawl import traps
from archiver.crawl.failures import (
    BAD_REDIRECT,
    RETRY_AFTER_META,
    ROBOTS_UNAVAILABLE,
    ROBOTS_UNAVAILABLE_STAT,
    FailedContent,
    network_cause,
)
from archiver.crawl.protocol import ArchivingSpider, kind_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def _in_scope(spider: Any, request: Request, url: str) -> bool:
    if not isinstance(spider, ArchivingSpider):
        return True
    scope = spider.scope
    return scope.accepts(url) if kind_of(request) == "page" else scope.in_site(url)


def _refuse_redirect(crawler: Crawler, request: Request, url: str) -> IgnoreRequest:
    key = "archiver/refused/redirect-out-of-scope"
    if not crawler.stats.get_value(key):
        logger.warning(
            "Not following the redirect of %(from)s to %(url)s: out of scope (further"
            " refusals of this kind are only counted, in the crawl's stats)",
            {"from": request.url, "url": url[:300]},
        )
    crawler.stats.inc_value(key)
    return IgnoreRequest(f"redirect out of scope: {url[:300]}")


class RedirectMiddleware(_scrapy_redirect.RedirectMiddleware):
    """Scrapy's redirect middleware, bounded: out-of-scope targets are not followed,
    a malformed target or a loop is a ``bad-redirect`` failure (priority 600)."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        location = response.headers.get("Location")
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as exc:  # max redirections reached
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            raise FailedContent(
                BAD_REDIRECT, f"{BAD_REDIRECT}: {exc} ({self.max_redirect_times}) from {first}"
            ) from None
        except ValueError as exc:  # a Location that does not parse
            raise FailedContent(
                BAD_REDIRECT, f"{BAD_REDIRECT}: malformed Location {_shown(location)}: {exc}"
            ) from None
        if result is response:
            return response
        problem = traps.url_problem(result.url)
        if problem is not None:
            raise FailedContent(
                BAD_REDIRECT, f"{BAD_REDIRECT}: malformed Location {_shown(location)}: {problem}"
            )
        if not _in_scope(self.crawler.spider, request, result.url):
            raise _refuse_redirect(self.crawler, request, result.url)
        return result


def _shown(location: bytes | None) -> str:
    return repr((location or b"").decode("latin-1")[:200])


class RedirectScopeMiddleware:
    """Drop redirected requests that leave the scope (priority 99, before robots.txt
    is consulted): meta refreshes, which Scrapy's ``MetaRefreshMiddleware`` follows."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Any:
        if not request.meta.get("redirect_times"):
            return None
        if _in_scope(self.crawler.spider, request, request.url):
            return None
        raise _refuse_redirect(self.crawler, request, request.url)


class Unavailable:
    """The robots.txt "parser" of a site whose robots.txt could not be read: each
    request to it fails with ``cause``."""

    def __init__(self, netloc: str, why: str, cause: str) -> None:
        self.netloc = netloc
        self.why = why
        self.cause = cause

    def allowed(self, url: str, user_agent: Any) -> bool:
        return False


class RobotsTxtMiddleware(_scrapy_robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's rules for an unreadable
    robots.txt: 4xx allows all, 5xx or no answer disallows all (priority 100)."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if 400 <= response.status < 500:  # "unavailable": no rules (RFC 9309 2.3.1.3)
            response = response.replace(body=b"")
        elif response.status >= 500:  # "unreachable": complete disallow (2.3.1.4)
            self._unavailable(netloc, f"HTTP {response.status}", ROBOTS_UNAVAILABLE)
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # e.g. a redirect out of scope: no rules
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
        # unreachable: the site's requests fail with the network's cause (a host that
        # is down is a network failure, exit status 4)
        self._unavailable(netloc, why, network_cause(exc))

    def _unavailable(self, netloc: str, why: str, cause: str) -> None:
        self._stats.inc_value("archiver/robots/unavailable")
        detail = f"robots.txt of {netloc} unavailable ({why}): not fetched"
        if not self._stats.get_value(ROBOTS_UNAVAILABLE_STAT):
            self._stats.set_value(ROBOTS_UNAVAILABLE_STAT, detail)
        logger.warning(
            "robots.txt of %(netloc)s is unavailable (%(why)s): the site is not crawled",
            {"netloc": netloc, "why": why},
        )
        waiting = self._parsers[netloc]
        parser: Any = Unavailable(netloc, why, cause)  # stands in for a RobotParser
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    async def robot_parser(self, request: Request) -> Any:
        """Scrapy's, except that each request waiting for a robots.txt being fetched
        gets the parser.  Scrapy's awaits the one Deferred of the site from every
        waiting request, and awaiting a Deferred consumes its result: the second
        request waiting and those after it got ``None`` (no rules) and were fetched
        whatever robots.txt said."""
        from scrapy.utils.defer import maybe_deferred_to_future

        parser = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(parser, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[Any] = Deferred()

        def relay(result: Any) -> Any:
            mine.callback(result)
            return result  # for the next request waiting

        parser.addBoth(relay)
        return await maybe_deferred_to_future(mine)

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, Unavailable):
            raise FailedContent(
                rp.cause, f"robots.txt of {rp.netloc} unavailable ({rp.why}): not fetched"
            )
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            netloc = urlparse_cached(request).netloc
            raise IgnoreRequest(f"Forbidden by robots.txt of {netloc}") from None


class RetryMiddleware(_scrapy_retry.RetryMiddleware):
    """Scrapy's retry middleware, honouring ``Retry-After`` on 429 and 503 up to
    ``ARCHIVER_RETRY_AFTER_MAX`` seconds (priority 550)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("ARCHIVER_RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Any:
        if (
            response.status not in (429, 503)
            or request.meta.get("dont_retry")
            or response.status not in self.retry_http_codes
        ):
            return super().process_response(request, response)
        wait = retry_after(response.headers.get("Retry-After"))
        if wait is not None and wait > self.retry_after_max:
            reason = (
                f"Retry-After {wait:.0f} s is beyond the {self.retry_after_max:g} s bound"
                " (ARCHIVER_RETRY_AFTER_MAX): not retried"
            )
            request.meta[RETRY_AFTER_META] = reason
            stats = self.crawler.stats
            if not stats.get_value("archiver/refused/retry-after-too-long"):
                logger.warning("%(url)s: %(reason)s", {"url": request.url, "reason": reason})
            stats.inc_value("archiver/refused/retry-after-too-long")
            return response
        retried = self._retry(request, f"{response.status} (Retry-After {wait or 0:g} s)")
        if retried is None:
            return response
        if wait:
            from twisted.internet import reactor  # the installed one (imported late)

            self.crawler.stats.inc_value("archiver/retry_after/waited", int(wait + 0.999))
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retried


def retry_after(value: bytes | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or
    None when there is none or it does not parse."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class ContentDecodingMiddleware:
    """Decode ``Content-Encoding`` with :mod:`archiver.codings` (priority 590)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentDecodingMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)

    def process_response(self, request: Request, response: Response) -> Response:
        codings = response.headers.getlist("Content-Encoding")
        if request.method == "HEAD" or not codings:
            return response
        limit = request.meta.get("download_maxsize", self.max_size) or 0
        try:
            body = decode_body(response.body, codings, **({"limit": limit} if limit else {}))
        except UndecodableContent as exc:
            self.crawler.stats.inc_value(f"archiver/decoding/{exc.cause}")
            logger.warning(
                "Cannot decode %(url)s (Content-Encoding: %(coding)s): %(error)s",
                {
                    "url": response.url,
                    "coding": b", ".join(codings).decode("latin-1"),
                    "error": exc,
                },
            )
            raise FailedContent(exc.cause, f"{exc.cause}: {exc}") from None
        cls = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
        kwargs: dict[str, Any] = {"body": body}
        if issubclass(cls, TextResponse):
            kwargs["encoding"] = None  # found again from the decoded body
        decoded = response.replace(cls=cls, **kwargs)
        del decoded.headers["Content-Encoding"]
        return decoded


class CookiesMiddleware(_scrapy_cookies.CookiesMiddleware):
    """Scrapy's cookies middleware with the bundled public suffix list (priority 700)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tldextract import TLDExtract

        # the module-level splitter Scrapy's _is_public_domain uses: no suffix list URLs,
        # so tldextract reads its bundled snapshot instead of fetching one
        _scrapy_cookies._split_domain = TLDExtract(
            suffix_list_urls=(), include_psl_private_domains=True
        )
        super().__init__(*args, **kwargs)
