"""Live feedback: a progress line on the terminal while a crawl runs.

Enabled by ``ARCHIVER_PROGRESS`` (``archiver crawl`` turns it on when standard
error is a terminal and ``--quiet`` is not given).  It shows pages, articles,
errors, pages per second and bytes, refreshed a few times per second.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archiver.crawl import failures
from archiver.crawl.recorder import Recorder

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def snapshot(crawler: Crawler, started: float) -> dict[str, Any]:
    """The figures shown live and in the final summary."""
    recorder = Recorder.from_crawler(crawler)
    stats = crawler.stats
    counts = recorder.writer.counts if recorder.writer is not None else {}
    elapsed = max(time.monotonic() - started, 1e-6)
    errors = failures.errors(failures.counts(stats.get_stats())) + stats.get_value(
        "log_count/ERROR", 0
    )
    return {
        "pages": recorder.responses,
        "articles": counts.get("articles", 0),
        "documents": counts.get("documents", 0),
        "revisits": stats.get_value("archiver/records/revisit", 0),
        "errors": errors,
        "pages_per_s": recorder.responses / elapsed,
        "bytes": recorder.bytes_received,
        "elapsed": elapsed,
    }


class ProgressDisplay:
    """Scrapy extension drawing one status line on stderr."""

    def __init__(self, crawler: Crawler, interval: float = 0.25) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None
        self._console: Any = None
        self._live: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressDisplay:
        if not crawler.settings.getbool("ARCHIVER_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        from rich.console import Console
        from rich.live import Live

        self.started = time.monotonic()
        self._console = Console(file=sys.stderr)
        self._live = Live(
            self._render(), console=self._console, transient=True, refresh_per_second=8
        )
        self._live.start()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(self.interval, now=False)

    def _render(self) -> Any:
        from rich.text import Text

        s = snapshot(self.crawler, self.started)
        return Text.assemble(
            ("archiving ", "bold"),
            f"pages {s['pages']}  ",
            ("articles ", "green"),
            f"{s['articles']}  ",
            ("errors ", "red" if s["errors"] else ""),
            f"{s['errors']}  ",
            f"{s['pages_per_s']:.1f} pages/s  ",
            human_bytes(s["bytes"]),
            f"  {s['elapsed']:.0f}s",
        )

    def _tick(self) -> None:
        if self._live is not None:
            self._live.update(self._render())

    def spider_closed(self, spider: Any) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._live is not None:
            self._live.stop()
            self._live = None
