"""Scrapy settings of the archiver (``scrapy.cfg`` points here).

Rules for contributors: every ``ARCHIVER_*`` setting has its default here, with a
one-line comment, and is listed in docs/settings.md.  Stock Scrapy settings are changed
only to make the crawl polite or to put the capture components in place.
"""

from __future__ import annotations

from archiver import __version__

BOT_NAME = "archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness ---------------------------------------------------------------
ROBOTSTXT_OBEY = True
USER_AGENT = f"archiver/{__version__} (news web archiver; polite crawler that obeys robots.txt)"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 1.0  # minimum seconds between requests to one site
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many item workers per response; pages yield one item each.
CONCURRENT_ITEMS = 8
DOWNLOAD_TIMEOUT = 60
# a response larger than this, as sent or once decoded, is refused (cause too-large):
# a gzip bomb or a huge page costs bounded memory
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False  # no listening ports besides what the crawl needs
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# --- Capture components -----------------------------------------------------------
# The HTTP/1.1 handler that keeps raw request bytes and response heads.
DOWNLOAD_HANDLERS = {
    "http": "archiver.crawl.capture.ArchivingDownloadHandler",
    "https": "archiver.crawl.capture.ArchivingDownloadHandler",
}
# 950: process_response sees each response before decompression (590), redirects
# (600) and retries (550), so every response is kept as received.
DOWNLOADER_MIDDLEWARES = {
    "archiver.crawl.capture.WarcCaptureMiddleware": 950,
    # bodies are decoded by archiver.codings, as everywhere else in the archiver: the
    # crawl advertises only codings it can decode, and reports those it cannot
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "archiver.crawl.middlewares.ContentDecodingMiddleware": 590,
    # the public suffix list comes from the installed snapshot, never the internet
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "archiver.crawl.middlewares.CookiesMiddleware": 700,
    # redirect targets obey the same scope, --allow and --deny as links: a redirect out
    # of scope is not followed (no robots.txt fetched on the other host); a malformed
    # target or a loop is a bad-redirect failure
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "archiver.crawl.middlewares.RedirectMiddleware": 600,
    "archiver.crawl.middlewares.RedirectScopeMiddleware": 99,
    # RFC 9309: robots.txt 4xx allows all, 5xx or unreachable disallows the site
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "archiver.crawl.middlewares.RobotsTxtMiddleware": 100,
    # Retry-After of a 429/503 honoured up to ARCHIVER_RETRY_AFTER_MAX seconds
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "archiver.crawl.middlewares.RetryMiddleware": 550,
}
# The spider tracks depth itself (sitemap and feed hops count differently).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
ITEM_PIPELINES = {
    "archiver.crawl.pipelines.ArchivePipeline": 300,
}
EXTENSIONS = {
    "archiver.crawl.progress.ProgressDisplay": 500,
}

# --- Archiver -----------------------------------------------------------------------
ARCHIVER_CRAWL = "news"  # distributed crawl: its name in Redis (keys archiver:NAME:*)
ARCHIVER_COMMIT_INTERVAL = 0.5  # seconds between database commits during a crawl
ARCHIVER_DB = "archive.db"  # SQLite archive (created if missing)
ARCHIVER_HEARTBEAT = 2.0  # distributed crawl: seconds between a worker's heartbeats
ARCHIVER_HEARTBEAT_TIMEOUT = 30.0  # distributed crawl: claims of a silent worker requeued after
ARCHIVER_EXTRACT_WORKERS = "auto"  # extraction processes; 0 = a thread; auto = one per core (max 4)
ARCHIVER_MAX_LINKS_PER_PAGE = 2000  # links of one page followed; the rest dropped, counted
ARCHIVER_MAX_SEGMENT_REPEATS = 3  # a path repeating one segment more often is a trap
ARCHIVER_JOB_ID = None  # id of the scheduled job a crawl runs for, if any
ARCHIVER_INCREMENTAL = False  # job recrawl: skip known articles not due, conditional GETs
ARCHIVER_PROGRESS = False  # live progress display on the terminal (the CLI turns it on)
ARCHIVER_REVISIT_SCHEDULE = "1h,6h,1d,7d"  # incremental: refetch known articles at these ages
ARCHIVER_PATTERN_CHAIN = 25  # links in a row of one URL pattern (calendars, next page)
ARCHIVER_RESUME = False  # continue the most recent unfinished crawl of the seeds (--resume)
ARCHIVER_RETRY_AFTER_MAX = 60.0  # longest Retry-After (s) waited for; longer: not retried
ARCHIVER_REVISITS = True  # write revisit records for unchanged payloads of known URLs
ARCHIVER_SITEMAP_NESTING = 3  # levels of sitemap indexes followed (a longer chain is a trap)
ARCHIVER_SITE_MAX_PAGES = 100_000  # pages of one site per crawl (0 = no limit)
ARCHIVER_SITE_CONCURRENCY = 2  # distributed crawl: requests in flight per site, all workers
ARCHIVER_SITE_DELAY = 1.0  # distributed crawl: seconds from a site's response to its next request
ARCHIVER_WARC_DIR = "warc"  # folder of the WARC files
ARCHIVER_WARC_GZIP_LEVEL = 6  # zlib level of each record's gzip member
ARCHIVER_WARC_MAX_SIZE = 1_000_000_000  # rotate WARC files at this size (bytes)
ARCHIVER_WARC_PREFIX = "archiver"  # WARC file name prefix
ARCHIVER_WORKER_ID = None  # distributed crawl: this worker's id [default: HOST-PID]
# Distributed crawl (archiver.crawl.distributed): set to redis://HOST:PORT/DB to join
# the crawl ARCHIVER_CRAWL with scrapy-redis's scheduler and dupefilter
REDIS_URL = None
