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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

#: What a request fetches; in ``request.meta["archiver_kind"]`` (:func:`kind_of`).
RequestKind = Literal["page", "requisite", "feed", "sitemap", "robots"]
KIND_META = "archiver_kind"
#: Where the capture middleware leaves its :class:`Captured` (:func:`captured`).
CAPTURED_META = "archiver"


@dataclass(frozen=True, slots=True)
class Captured:
    """What the capture middleware wrote for a response: its WARC record, whether
    that is a revisit, and whether the page still needs its text extracted (a
    revisit of a page that has no document yet)."""

    record_id: str
    revisit: bool
    extract: bool
    warc_file: str
    warc_offset: int


def kind_of(request: Request | Response) -> RequestKind:
    """The kind of a request (or of the request behind a response): ``page`` unless
    the spider said otherwise."""
    kind: RequestKind = request.meta.get(KIND_META, "page")
    return kind


def captured(request: Request | Response) -> Captured | None:
    """What the capture middleware recorded for this exchange, if it did."""
    found = request.meta.get(CAPTURED_META)
    return found if isinstance(found, Captured) else None


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
