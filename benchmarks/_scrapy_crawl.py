"""Stock Scrapy baseline of the crawl benchmark: one CrawlSpider rule, no item processing.

Usage: ``python benchmarks/_scrapy_crawl.py URL [--ignore-robots] [--concurrency N]``.
Runs in its own process (fresh reactor, its own peak RSS) and prints the crawl stats as
one JSON line prefixed with ``STATS `` on stdout when done.
"""

from __future__ import annotations

import argparse
import json
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class BenchSpider(CrawlSpider):
    name = "bench"
    rules = (Rule(LinkExtractor(), follow=True),)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "ROBOTSTXT_OBEY": not args.ignore_robots,
            "LOG_LEVEL": "WARNING",
        }
    )
    crawler = process.create_crawler(BenchSpider)
    process.crawl(crawler, start_urls=[args.url], allowed_domains=[urlsplit(args.url).hostname])
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    print("STATS " + json.dumps(stats, default=str), flush=True)


if __name__ == "__main__":
    main()
