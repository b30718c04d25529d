"""How the spider and the crawl's components work together: a declared protocol and
signals, instead of components looking for attributes on whatever spider runs.

- :class:`ArchivingSpider`: what the recorder and the redirect middleware read from
  the spider (its seeds, its scope, a description of it for the ``crawls`` row).
- :data:`robots_txt_captured`: sent by the capture middleware with each robots.txt
  response it archives (``response``); the spider schedules the sitemaps listed.
- :data:`archiver.crawl.failures.request_failed`: sent by the spider for each failed
  request; the recorder counts and keeps it.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

#: Scrapy signal: a robots.txt response was archived (argument ``response``).
robots_txt_captured = object()


@runtime_checkable
class ArchivingSpider(Protocol):
    """The spider side of a crawl (``spiders.news.NewsSpider`` is one)."""

    seeds: list[str]
    scope: Any  # archiver.crawl.scope.Scope

    def describe_scope(self) -> dict[str, Any]:
        """Seeds, limits and patterns, as recorded in ``crawls.settings``."""
        ...
