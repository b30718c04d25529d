"""Baseline of the crawl benchmark: the archiver's own spider with archiving switched off.

Usage: ``python benchmarks/_spider_only.py URL [--ignore-robots] [--concurrency N]``.

The ``news`` spider runs with exactly the settings ``archiver crawl URL --delay 0
--concurrency N --no-autothrottle`` builds (same scope, seen-set, link handling,
content decoding and redirect scope), minus the archiving components:

* capture: Scrapy's stock HTTP/1.1 download handler instead of the connection tap,
  and no WARC middleware (so no WARC files, and no ``record_id`` on responses);
* extraction: the spider hands pages to extraction only when they were captured, so
  none is handed over; no extraction workers start;
* store: no item pipeline, no SQLite archive; no progress display.

The difference between this and ``archiver crawl`` is therefore the cost of archiving
alone.  Runs in its own process and prints the crawl stats as one JSON line prefixed
with ``STATS `` on stdout when done.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapy.crawler import CrawlerProcess

from archiver.crawl.runner import CrawlOptions, build_settings
from spiders.news import NewsSpider

CAPTURE_HANDLER = "archiver.crawl.capture.ArchivingDownloadHandler"
CAPTURE_MIDDLEWARE = "archiver.crawl.capture.WarcCaptureMiddleware"


def spider_only_settings(url: str, concurrency: int, ignore_robots: bool) -> Any:
    """The settings of ``archiver crawl`` for these options, archiving switched off."""
    settings = build_settings(
        CrawlOptions(
            seeds=[url],
            delay=0.0,
            concurrency=concurrency,
            autothrottle=False,
            ignore_robots=ignore_robots,
            log_level="WARNING",
        )
    )
    stock = settings.getdict("DOWNLOAD_HANDLERS_BASE")
    handlers = {
        scheme: stock[scheme]
        for scheme, path in settings.getdict("DOWNLOAD_HANDLERS").items()
        if path == CAPTURE_HANDLER
    }  # Scrapy's own HTTP/1.1 handler again
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares[CAPTURE_MIDDLEWARE] = None
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set(
        "EXTENSIONS", {"archiver.crawl.progress.ProgressDisplay": None}, priority="cmdline"
    )
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    return settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    process = CrawlerProcess(
        settings=spider_only_settings(args.url, args.concurrency, args.ignore_robots)
    )
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, seeds=args.url)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    print("STATS " + json.dumps(stats, default=str), flush=True)


if __name__ == "__main__":
    main()
