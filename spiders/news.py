"""The ``news`` spider: crawl news sites from seeds, sitemaps and feeds.

Run it as ``archiver crawl SEED...`` or, from the project root,
``scrapy crawl news -a seeds=URL[,URL...]`` (other arguments: ``depth``,
``max_pages``, ``allow``, ``deny``, ``requisites``).

The spider decides *what* to fetch; the capture middleware keeps every response
in WARC and the pipeline extracts the pages this spider hands over as
:class:`~archiver.crawl.items.PageItem`.  Links already seen are dropped before a
``Request`` is built, which is where a stock ``CrawlSpider`` spends most of its time.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from archiver.codings import UndecodableContent, decode_body
from archiver.crawl import failures, protocol, traps
from archiver.crawl.discovery import (
    DiscoveryError,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    sniff,
)
from archiver.crawl.distributed import request_done
from archiver.crawl.items import PageItem
from archiver.crawl.recorder import NotArchived, Recorder
from archiver.crawl.scope import Scope, normalize_seed, site_root, skipped_by_extension
from archiver.extract.worker import EXTRACTION_HEADERS
from archiver.urls import site_key

_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#", "about:", "ftp:", "sms:")
# Compiled once; plain strings (no parsel Selector per link: that alone costs more
# than the rest of link handling on a page with a hundred links).
_LINKS = etree.XPath("//a/@href | //area/@href", smart_strings=False)
_FEEDS = etree.XPath(
    "//link[contains(@rel, 'alternate') and (contains(@type, 'rss') or contains(@type, 'atom')"
    " or contains(@type, 'rdf'))]/@href",
    smart_strings=False,
)
_REQUISITES = etree.XPath(
    "//img/@src | //link[contains(@rel, 'stylesheet') or contains(@rel, 'icon')]/@href"
    " | //script/@src | //video/@poster | //source/@src | //input[@type='image']/@src",
    smart_strings=False,
)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _as_bool(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    return bool(value)


class NewsSpider(Spider):
    """Crawl the seeds' sites, their sitemaps and feeds."""

    name = "news"

    def __init__(
        self,
        seeds: Any = None,
        depth: Any = None,
        max_pages: Any = None,
        allow: Any = None,
        deny: Any = None,
        requisites: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.seeds = [normalize_seed(s) for s in _as_list(seeds)]
        if not self.seeds:  # a distributed crawl's seeds come from Redis (from_crawler)
            raise ValueError("no seeds: pass -a seeds=URL[,URL...]")
        self.depth_limit = _as_int(depth)
        self.max_pages = _as_int(max_pages)
        # a regex may contain commas: -a allow=... takes one pattern, the CLI several
        self.scope = Scope(
            self.seeds,
            [allow] if isinstance(allow, str) else allow,
            [deny] if isinstance(deny, str) else deny,
        )
        self.requisites = _as_bool(requisites, True)
        self.allowed_domains = sorted({s.split(":")[0] for s in self.scope.sites})
        self._seen: set[str] = set()
        #: captures of a resumed crawl that no frontier row names (see _request)
        self._unscheduled: dict[str, dict[str, Any]] = {}
        self._pages = 0
        self._site_pages: dict[str | None, int] = {}  # pages scheduled per site
        # With a page budget (--max-pages), pages found through links wait until the
        # spider is idle, so that feed and sitemap entries take the budget first.
        self._deferred: dict[str, tuple[int, int]] = {}  # url -> (depth, chain)
        self._incremental: Any = None  # archiver.schedule.incremental state of a job's recrawl

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        if crawler.settings.get("REDIS_URL"):
            # a distributed crawl: the first worker defines it in Redis, others join it
            from archiver.crawl.distributed import join_crawl

            kwargs = join_crawl(crawler.settings, kwargs)
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_txt_captured, signal=protocol.robots_txt_captured)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        settings = crawler.settings
        spider.site_max_pages = settings.getint("ARCHIVER_SITE_MAX_PAGES")
        spider.max_links = settings.getint("ARCHIVER_MAX_LINKS_PER_PAGE")
        spider.pattern_chain = settings.getint("ARCHIVER_PATTERN_CHAIN")
        spider.segment_repeats = settings.getint("ARCHIVER_MAX_SEGMENT_REPEATS")
        return spider

    # trap defences (set from the settings by from_crawler; 0 = no limit)
    site_max_pages = 0
    max_links = 0
    pattern_chain = 0
    segment_repeats = 0

    def refuse(self, reason: str, url: str, detail: str = "") -> None:
        """Count a URL the crawl refuses (``archiver/refused/<reason>``, reasons in
        :data:`archiver.crawl.traps.REASONS`); the first of each reason is logged."""
        key = f"archiver/refused/{reason}"
        stats = self.crawler.stats
        if not stats.get_value(key):
            self.logger.warning(
                "Refused %(url)s: %(reason)s%(detail)s (further refusals of this kind are"
                " only counted, in the crawl's stats)",
                {"url": url[:300], "reason": reason, "detail": f" ({detail})" if detail else ""},
            )
        stats.inc_value(key)

    def describe_scope(self) -> dict[str, Any]:
        return {
            "seeds": self.seeds,
            "depth": self.depth_limit,
            "max_pages": self.max_pages,
            "allow": [p.pattern for p in self.scope.allow],
            "deny": [p.pattern for p in self.scope.deny],
            "requisites": self.requisites,
        }

    # -- scheduling ----------------------------------------------------------
    def _request(
        self,
        url: str,
        kind: protocol.RequestKind,
        depth: int,
        *,
        check_scope: bool = True,
        priority: int = 0,
        probe: bool = False,
        chain: int = 0,
    ) -> Request | None:
        """Build a request for ``url`` unless it was seen or is out of bounds
        (``chain``: links in a row of the same URL pattern, see :mod:`.traps`)."""
        url = url.split("#", 1)[0]
        if url in self._seen:
            return None
        problem = traps.url_problem(url)
        if problem is not None:
            self._seen.add(url)
            self.refuse("malformed-url", url, problem)
            return None
        stripped = traps.strip_session_ids(url)
        if stripped != url:
            self._seen.add(url)
            self.refuse("session-id", url)
            url = stripped
            if url in self._seen:
                return None
        headers: dict[str, str] | None = None
        if kind == "page":
            if check_scope and (not self.scope.accepts(url) or skipped_by_extension(url)):
                return None
            if self.depth_limit is not None and depth > self.depth_limit:
                return None
            if check_scope and not self._within_trap_limits(url, chain):
                return None  # not "seen": a shorter way to it (a sitemap) may come
            if self._incremental is not None and check_scope:
                headers = self._incremental.gate(url)
                if headers is None:  # a known article not due for a revisit
                    self._seen.add(url)
                    self.crawler.stats.inc_value("archiver/incremental/not_due")
                    return None
            if self.max_pages is not None and self._pages >= self.max_pages:
                return None
            site = site_key(url)
            if self.site_max_pages and self._site_pages.get(site, 0) >= self.site_max_pages:
                self._seen.add(url)
                self.refuse("site-budget", url, f"{self.site_max_pages} pages of {site}")
                return None
            self._site_pages[site] = self._site_pages.get(site, 0) + 1
            self._pages += 1
        elif check_scope and not self.scope.in_site(url):
            return None
        elif (
            kind == "requisite"
            and self._incremental is not None
            and self._incremental.is_known(url)
        ):
            return None
        self._seen.add(url)
        meta: dict[str, Any] = {"depth": depth, protocol.KIND_META: kind}
        if chain:
            meta["archiver_chain"] = chain
        if probe:  # a guess (robots.txt, /sitemap.xml): its absence is no failure
            meta["archiver_probe"] = True
        request = Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            priority=priority,
            meta=meta,
            headers=headers if self._incremental is not None else None,
        )
        capture = self._unscheduled.pop(url, None) if self._unscheduled else None
        if capture is not None:
            # captured by the crawl being resumed, its request's frontier row lost:
            # answered from the archive, as a queued captured entry is (see _resume)
            if kind not in ("page", "sitemap", "feed"):
                return None  # a requisite or robots.txt: nothing to follow
            engine = self.crawler.engine
            answered = self._from_archive([(request, capture)])
            for follow in answered:
                if follow is request:
                    return request  # fetched again after all
                engine.crawl(follow)
            return None
        return request

    def _within_trap_limits(self, url: str, chain: int) -> bool:
        """False (and the refusal counted) for a URL of a crawler trap: a path that
        repeats a segment, or one link too many in a chain of one URL pattern."""
        segment = traps.repeated_segment(url, self.segment_repeats)
        if segment is not None:
            self.refuse("repeated-path", url, f"segment {segment[:60]!r} repeated")
            return False
        if self.pattern_chain and chain > self.pattern_chain:
            pattern = traps.pattern_key(url)
            self.refuse("pattern-chain", url, f"{chain} links in a row of the pattern {pattern}")
            return False
        return True

    def _requests(
        self, urls: Iterable[str], kind: protocol.RequestKind, depth: int, **kwargs: Any
    ) -> Iterator[Request]:
        for url in urls:
            request = self._request(url, kind, depth, **kwargs)
            if request is not None:
                yield request

    async def start(self) -> AsyncIterator[Any]:
        if self.max_pages is not None:
            self.crawler.signals.connect(self._schedule_deferred, signal=signals.spider_idle)
        if self.settings.get("ARCHIVER_JOB_ID") and self.settings.getbool("ARCHIVER_INCREMENTAL"):
            from archiver.schedule.incremental import load_for_crawl

            self._incremental = load_for_crawl(self.settings)
        recorder = Recorder.of(self.crawler)
        resumed = recorder.resume_state if recorder is not None else None
        if resumed is not None and resumed.rows:
            # --resume: the crawl's durable frontier, not the seeds (with no committed
            # frontier at all, it starts from the seeds again)
            for queued in self._resume(resumed):
                yield queued
            return
        obey = self.settings.getbool("ROBOTSTXT_OBEY")
        for seed in self.seeds:
            request = self._request(seed, "page", 0, check_scope=False)
            if request is not None:
                yield request
        for root in dict.fromkeys(site_root(s) for s in self.seeds):
            if not obey:  # otherwise the robots.txt middleware fetches it
                request = self._request(root + "robots.txt", "robots", 0, priority=10, probe=True)
                if request is not None:
                    yield request
            request = self._request(root + "sitemap.xml", "sitemap", 0, priority=5, probe=True)
            if request is not None:
                yield request

    def _resume(self, state: Any) -> Iterator[Request]:
        """The queued requests of the crawl being resumed; everything it saw stays seen.

        A queued page, sitemap or feed that this crawl already captured (it was
        answered, its links not yet followed when the crawl stopped) is not fetched
        again: its archived response goes through :meth:`parse` (or, for an HTTP
        error, :meth:`on_error`), which queues what the first answer would have."""
        self._seen |= state.seen
        self._unscheduled = dict(state.unscheduled)
        self._pages = max(self._pages, state.pages)
        answered: list[tuple[Request, dict[str, Any]]] = []
        for row in state.queued:
            meta: dict[str, Any] = {"depth": row["depth"], protocol.KIND_META: row["kind"]}
            if row["probe"]:
                meta["archiver_probe"] = True
            request = Request(
                row["url"],
                callback=self.parse,
                errback=self.on_error,
                priority=row["priority"],
                meta=meta,
                dont_filter=True,
            )
            capture = row.get("capture")
            if capture is not None:
                answered.append((request, capture))
            else:
                yield request
        # after the requests to fetch, so that the fetching starts at once
        yield from self._from_archive(answered)

    def _retry_codes(self) -> set[int]:
        if not self.settings.getbool("RETRY_ENABLED"):
            return set()
        return {int(c) for c in self.settings.getlist("RETRY_HTTP_CODES")}

    def _from_archive(self, answered: list[tuple[Request, dict[str, Any]]]) -> Iterator[Request]:
        """Each request answered from its archived capture (see :meth:`_answered`); a
        request whose record cannot be read, or whose answer the first run would have
        retried (a 503...), is yielded itself, to be fetched again."""
        recorder = Recorder.of(self.crawler)
        retry = self._retry_codes()
        for request, capture in answered:
            response = None
            if recorder is not None and capture["status"] not in retry:
                response = recorder.archived_response(request, capture)
            if response is None:
                yield request
                continue
            self.crawler.stats.inc_value("archiver/resume/from_archive")
            yield from self._answered(request, response)

    def _answered(self, request: Request, response: Response) -> Iterator[Request]:
        """Handle an archived answer to ``request`` as the crawl handled it when it
        came: a redirect's target, an HTTP error's failure, a page's links (through
        :meth:`parse`, as any response: the page's text, if missing, comes from the
        resumed crawl's pending extractions, not from here)."""
        status = response.status
        location = response.headers.get(b"Location")
        if status in (301, 302, 303, 307, 308) and location:
            self._url_done(request.url)
            target = urljoin(response.url, location.decode("latin-1").strip()).split("#", 1)[0]
            if target in self._seen:
                return  # its request was queued (and is in the frontier)
            self._seen.add(target)
            meta = dict(request.meta)
            meta["redirect_times"] = meta.get("redirect_times", 0) + 1
            meta["redirect_urls"] = [*meta.get("redirect_urls", []), request.url]
            meta["redirect_reasons"] = [*meta.get("redirect_reasons", []), status]
            yield request.replace(url=target, meta=meta)
        elif 200 <= status < 300:
            for result in self.parse(response):
                if isinstance(result, Request):
                    yield result
        else:  # what Scrapy's HttpErrorMiddleware raises for it
            failure = Failure(HttpError(response, "Ignoring non-200 response"))
            failure.request = request  # type: ignore[attr-defined]
            self.on_error(failure)

    def _done(self, response: Response) -> None:
        """The response is handled (its links scheduled): a resume skips it."""
        self._url_done(response.request.url if response.request else response.url)

    def _url_done(self, url: str) -> None:
        recorder = Recorder.of(self.crawler)
        if recorder is not None:
            recorder.url_done(url)

    def _defer(self, links: Iterable[tuple[str, int]], depth: int) -> None:
        """Keep links for later (a page budget is set): feed and sitemap entries first."""
        if self._pages >= (self.max_pages or 0):
            return  # the budget is spent: nothing found through links will be fetched
        for url, chain in links:
            self._deferred.setdefault(url, (depth, chain))

    def _schedule_deferred(self, spider: Spider | None = None) -> None:
        """On idle: the links kept for later get what is left of the budget."""
        if not self._deferred:
            return
        pending, self._deferred = self._deferred, {}
        scheduled = 0
        for url, (depth, chain) in pending.items():
            request = self._request(url, "page", depth, chain=chain)
            if request is not None:
                self.crawler.engine.crawl(request)
                scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def robots_txt_captured(self, response: Response) -> None:
        """Connected to the capture middleware's ``robots_txt_captured`` signal, sent
        for each robots.txt it keeps: schedule the sitemaps it lists."""
        if response.status != 200 or not self.scope.in_site(response.url):
            return
        try:
            body = decode_body(response.body, response.headers.getlist(b"Content-Encoding"))
        except UndecodableContent as exc:
            self.failed(
                response.request, failures.Failed(exc.cause, response.status, f"robots.txt: {exc}")
            )
            return
        engine = self.crawler.engine
        urls = robots_sitemaps(body.decode("utf-8", "replace"), response.url)
        for request in self._requests(urls, "sitemap", 0, check_scope=False, priority=5):
            engine.crawl(request)

    def request_dropped(self, request: Request, spider: Spider | None = None) -> None:
        """A redirect to a URL the crawl already asked for is dropped by the duplicate
        filter: the request that was redirected is done, and a redirect back to a URL
        of its own chain (a loop) is a ``bad-redirect`` failure."""
        chain = request.meta.get("redirect_urls")
        if not chain:
            return
        self._url_done(chain[0])
        if request.url in chain:
            self.failed(
                request,
                failures.Failed(
                    failures.BAD_REDIRECT,
                    None,
                    f"{failures.BAD_REDIRECT}: redirect loop back to {request.url}",
                ),
            )

    # -- parsing -------------------------------------------------------------
    def on_error(self, failure: Any) -> None:
        """Report a failed request by cause (:mod:`archiver.crawl.failures`); a missing
        guessed file (robots.txt, /sitemap.xml) is no failure."""
        if failure.check(NotArchived):
            # a write failed (disk full): left queued in the frontier, and claimed in a
            # distributed crawl (handed back when this worker stops), to be fetched again
            return
        try:
            self._on_error(failure)
        finally:  # a distributed crawl gives the request's claim up
            self.crawler.signals.send_catch_log(
                request_done, request=getattr(failure, "request", None)
            )

    def _on_error(self, failure: Any) -> None:
        failed = failures.classify(failure)
        request = getattr(failure, "request", None)
        if request is not None:
            self._url_done(request.url)
        if failure.check(HttpError) and request is not None and protocol.kind_of(request) == "page":
            self.crawler.stats.inc_value("archiver/pages")  # answered, with an error or 304
        if failed is None or request is None:
            if failure.check(HttpError) and failure.value.response.status == 304:
                self.crawler.stats.inc_value("archiver/incremental/not_modified")
            return
        if request.meta.get("archiver_probe") and failed.cause != failures.ROBOTS_DENIED:
            return
        if (
            failed.cause == failures.ROBOTS_DENIED
            and protocol.kind_of(request) == "page"
            and not request.meta.get("depth")
            and not request.meta.get("redirect_times")
        ):  # a seed: the crawl itself was refused, an error
            host = urlsplit(request.url).netloc
            failed = failures.Failed(
                failures.ROBOTS_BLOCKED, None, f"robots.txt of {host} disallows {request.url}"
            )
            if not self.crawler.stats.get_value(failures.ROBOTS_BLOCKED_STAT):
                self.crawler.stats.set_value(failures.ROBOTS_BLOCKED_STAT, failed.detail)
        self.failed(request, failed)

    def failed(self, request: Request | None, failed: failures.Failed) -> None:
        """Count and keep one failed request, with its cause."""
        if request is None:
            return
        if failed.cause not in failures.NOT_ERRORS:
            self.logger.warning(
                "Failed: %(url)s: %(cause)s (%(detail)s)",
                {"url": request.url, "cause": failed.cause, "detail": failed.detail},
            )
        self.crawler.signals.send_catch_log(failures.request_failed, request=request, failed=failed)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        kind = protocol.kind_of(response)
        source = response.meta.get("archiver_source")
        if source:  # a new entry of a job's feed or sitemap, now captured
            self.crawler.stats.inc_value(f"archiver/source/{source}/new")
        if kind in ("requisite", "robots"):
            return
        yield from self._parse_kind(response, kind)
        self._done(response)

    def _parse_kind(self, response: Response, kind: protocol.RequestKind) -> Iterator[Any]:
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        found = sniff(ctype, response.body)
        depth = int(response.meta.get("depth", 0))
        if kind == "page":
            if found in ("sitemap", "feed"):
                # a feed or sitemap given as a seed is no page: the budget gets it back
                if self.max_pages is not None and self._pages > 0:
                    self._pages -= 1
            else:  # pages fetched: what the page budget spends (job_runs.pages)
                self.crawler.stats.inc_value("archiver/pages")
        try:
            if found == "sitemap":
                sitemap_type, urls = parse_sitemap(response.body, response.url)
                if sitemap_type == "sitemapindex":
                    yield from self._index_requests(response, urls, depth)
                else:
                    yield from self._source_requests(response, urls, depth + 1)
            elif found == "feed":
                yield from self._source_requests(
                    response, parse_feed(response.body, response.url), depth + 1
                )
            elif found == "html" and isinstance(response, TextResponse):
                yield from self.parse_page(response, depth)
        except DiscoveryError as exc:
            self.failed(response.request, failures.Failed(exc.cause, response.status, str(exc)))

    def _index_requests(
        self, response: Response, urls: Iterable[str], depth: int
    ) -> Iterator[Request]:
        """The sitemaps a sitemap index lists, within bounds: at most
        ``ARCHIVER_SITEMAP_NESTING`` levels of indexes (a chain of indexes is a trap),
        and none once the page budget is spent (they could only list refused pages).
        What is left out is counted (``archiver/refused/...``) and logged once."""
        nesting = int(response.meta.get("archiver_nesting", 0)) + 1
        limit = self.settings.getint("ARCHIVER_SITEMAP_NESTING")
        reason = None
        if nesting > limit:
            reason = "sitemap-nesting"
        elif self.max_pages is not None and self._pages >= self.max_pages:
            reason = "budget-spent"
        if reason is not None:
            key = f"archiver/refused/{reason}"
            if not self.crawler.stats.get_value(key):
                self.logger.warning(
                    "Not following the sitemaps listed in %(url)s: %(reason)s",
                    {"url": response.url, "reason": reason},
                )
            self.crawler.stats.inc_value(key)
            return
        for request in self._requests(urls, "sitemap", depth, check_scope=False, priority=5):
            request.meta["archiver_nesting"] = nesting
            yield request

    def _source_requests(
        self, response: Response, urls: Iterable[str], depth: int
    ) -> Iterator[Request]:
        """Requests for a feed's or sitemap's entries.  In a job's incremental crawl,
        count the entries (``archiver/source/<url>/items``) and mark the new ones, so
        that only those actually captured count as new (``.../new``, adaptive
        polling): an entry left out by the page budget or a failed fetch is not new."""
        if self._incremental is None:
            yield from self._requests(urls, "page", depth)
            return
        urls = list(urls)
        source = (response.meta.get("redirect_urls") or [response.url])[0]
        self.crawler.stats.set_value(f"archiver/source/{source}/items", len(urls))
        self.crawler.stats.set_value(f"archiver/source/{source}/new", 0)
        for url in urls:
            request = self._request(url, "page", depth)
            if request is None:
                continue
            if self._incremental.is_new(request.url):
                request.meta["archiver_source"] = source
            yield request

    def parse_page(self, response: TextResponse, depth: int) -> Iterator[Any]:
        try:
            root = response.selector.root
        except (ValueError, TypeError):  # a body lxml cannot parse at all
            root = None
        hrefs = _LINKS(root) if root is not None else []
        farm = bool(self.max_links) and len(hrefs) > self.max_links
        info = protocol.captured(response)
        if response.status == 200 and info is not None and (not info.revisit or info.extract):
            if farm:  # a page of links, no article: its extraction would cost hundreds of MB
                self.refuse("link-farm", response.url, f"{len(hrefs)} links: not extracted")
            else:
                headers = {}
                for name in EXTRACTION_HEADERS:
                    value = response.headers.get(name)
                    if value:
                        headers[name] = value.decode("latin-1")
                yield PageItem(response.url, info.record_id, response.body, headers, depth)
        if root is None:
            return
        base = get_base_url(response)
        resolve = _Resolver(base)
        if farm:
            dropped = len(hrefs) - self.max_links
            self.refuse("link-cap", response.url, f"{len(hrefs)} links, {self.max_links} followed")
            self.crawler.stats.inc_value("archiver/refused/link-cap", dropped - 1)
            hrefs = hrefs[: self.max_links]
        links = self._chained(resolve.unseen(hrefs, self._seen), response)
        if self.max_pages is not None:
            self._defer(links, depth + 1)
        else:
            for url, chain in links:
                request = self._request(url, "page", depth + 1, chain=chain)
                if request is not None:
                    yield request
        yield from self._requests(
            resolve.unseen(_FEEDS(root), self._seen), "feed", depth, priority=5
        )
        if self.requisites:
            yield from self._requests(
                resolve.unseen(_REQUISITES(root), self._seen), "requisite", depth, priority=-5
            )
        if resolve.skipped:
            self.crawler.stats.inc_value("archiver/refused/not-http", resolve.skipped)
        _release_parse_caches(response)

    def _chained(self, urls: Iterable[str], response: Response) -> Iterator[tuple[str, int]]:
        """Each link with its chain: the number of links in a row, ending with it, whose
        URL pattern (:func:`~archiver.crawl.traps.pattern_key`) is that of their page."""
        if not self.pattern_chain:
            for url in urls:
                yield url, 0
            return
        key = traps.pattern_key(response.url)
        chain = int(response.meta.get("archiver_chain", 0)) + 1
        for url in urls:
            yield url, chain if traps.pattern_key(url) == key else 0


def _release_parse_caches(response: TextResponse) -> None:
    """Drop the parsed tree and decoded text Scrapy caches on the response.

    The response stays alive until its page is extracted (in another process); its
    lxml tree is ten times the page's size and is not needed after link extraction,
    so keeping it would make memory grow with the extraction backlog.
    """
    for name in ("_cached_selector", "_cached_ubody"):
        with contextlib.suppress(AttributeError):
            setattr(response, name, None)


def _join(base: str, href: str) -> str:
    """``urljoin``, or ``href`` itself when it does not parse (the spider then refuses
    it as a malformed URL, with its reason)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


class _Resolver:
    """Resolve hrefs against a base URL, with fast paths for the common forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.skipped = 0  # javascript:, mailto:, ... links (not in-page anchors)
        parts = urlsplit(base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.scheme = parts.scheme

    def resolve(self, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(_SKIP_SCHEMES):
            if href and href[0] != "#":
                self.skipped += 1
            return None
        if "/." in href or "\\" in href or " " in href:
            url = _join(self.base, href)
        elif href.startswith(("http://", "https://")):
            url = href
        elif href.startswith("//"):
            url = f"{self.scheme}:{href}"
        elif href.startswith("/"):
            url = self.origin + href
        else:
            url = _join(self.base, href)
        return url.split("#", 1)[0]

    def unseen(self, hrefs: Iterable[str], seen: set[str]) -> Iterator[str]:
        for href in hrefs:
            url = self.resolve(href)
            if url is not None and url not in seen:
                yield url
