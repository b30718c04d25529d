"""Items passed from the spider to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class PageItem:
    """An HTML page captured with status 200, to be extracted.

    ``body`` is the decoded (content-coding removed) body; ``record_id`` the WARC
    record that holds the page as received.
    """

    url: str
    record_id: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    depth: int = 0
