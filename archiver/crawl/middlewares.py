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
- :class:`CookiesMiddleware`: Scrapy's, but its public suffix list is the snapshot
  that ``tldextract`` ships: stock Scrapy downloads the list from the internet on the
  first cookie of a crawl, a request nobody asked for (and that fails offline).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares import cookies as _scrapy_cookies
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.responsetypes import responsetypes

from archiver.codings import ACCEPT_ENCODING, UndecodableContent, decode_body
from archiver.crawl.failures import FailedContent
from archiver.crawl.protocol import ArchivingSpider, kind_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class RedirectScopeMiddleware:
    """Drop redirected requests that leave the scope (priority 100)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Any:
        if not request.meta.get("redirect_times"):
            return None
        spider = self.crawler.spider
        if not isinstance(spider, ArchivingSpider):
            return None
        scope = spider.scope
        kind = kind_of(request)
        ok = scope.accepts(request.url) if kind == "page" else scope.in_site(request.url)
        if ok:
            return None
        self.crawler.stats.inc_value("archiver/redirect_out_of_scope")
        logger.debug("Redirect out of scope: %(url)s", {"url": request.url})
        raise IgnoreRequest(f"redirect out of scope: {request.url}")


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
