"""Downloader middleware that keeps redirects within the crawl's scope.

The spider filters the links it follows; redirects are created later by Scrapy's
``RedirectMiddleware`` and come back through the downloader, where this
middleware applies the same site, ``--allow`` and ``--deny`` rules to them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

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
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            return None
        kind = request.meta.get("archiver_kind", "page")
        ok = scope.accepts(request.url) if kind == "page" else scope.in_site(request.url)
        if ok:
            return None
        self.crawler.stats.inc_value("archiver/redirect_out_of_scope")
        logger.debug("Redirect out of scope: %(url)s", {"url": request.url})
        raise IgnoreRequest(f"redirect out of scope: {request.url}")
