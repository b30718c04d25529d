"""Item pipeline: captured HTML pages go through extraction into ``documents``.

Extraction runs in a worker process (or a thread), never on Scrapy's reactor
thread; the pipeline awaits the result, so Scrapy's own back-pressure (items in
flight per response, scraper slot size) bounds the memory held by pending pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archiver.crawl.items import PageItem
from archiver.crawl.recorder import Recorder

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ArchivePipeline:
    """Extract :class:`~archiver.crawl.items.PageItem` pages and store their documents."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(Recorder.from_crawler(crawler))

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            doc = await self.recorder.extract(item.record_id, item.url, item.body, item.headers)
            item.body = b""  # release the page as soon as it is extracted
            if doc is not None:
                self.recorder.stats.inc_value(f"archiver/extracted/{doc.get('page_type')}")
        return item
