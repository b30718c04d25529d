"""Incremental recrawls of a scheduled job: what the spider needs to know.

Active only when a crawl runs for a job with ``ARCHIVER_INCREMENTAL`` on (``archiver
jobs run`` and the scheduler set it).  From the job's earlier crawls it loads:

- every URL captured before (status 200 or 304), with first capture and last fetch;
- which of them are articles (their latest document has ``page_type = 'article'``).

The spider then asks :meth:`IncrementalState.gate` before requesting a page found
through links, feeds or sitemaps: a known article is fetched again only when its
decaying revisit schedule says so, with ``If-None-Match`` / ``If-Modified-Since``
from its last capture's response headers (read from the WARC record); known page
requisites are not fetched again; everything else (seeds, feeds, sitemaps, section
pages, new URLs) is fetched as usual.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from archiver.schedule.jobs import iso_to_ts
from archiver.schedule.rules import RevisitSchedule, parse_revisit_schedule, revisit_due

logger = logging.getLogger(__name__)

SKIP = None


class IncrementalState:
    def __init__(
        self,
        conn: sqlite3.Connection,
        warc_dir: str | Path,
        job_id: int,
        revisits: RevisitSchedule,
        now: float | None = None,
    ) -> None:
        self.conn = conn
        self.warc_dir = Path(warc_dir)
        self.job_id = job_id
        self.revisits = revisits
        self.now = time.time() if now is None else now
        self.known: dict[str, tuple[float, float]] = {}
        self.articles: set[str] = set()
        self._load()

    def _load(self) -> None:
        rows = self.conn.execute(
            "SELECT p.url, min(CASE WHEN p.status = 200 THEN p.fetched_at END), "
            "max(p.fetched_at) FROM captures p JOIN crawls c ON c.id = p.crawl_id "
            "WHERE c.job_id = ? AND p.status IN (200, 304) GROUP BY p.url",
            (self.job_id,),
        ).fetchall()
        for url, first, last in rows:
            first_ts = iso_to_ts(first or last)
            last_ts = iso_to_ts(last)
            if first_ts is not None and last_ts is not None:
                self.known[url] = (first_ts, last_ts)
        rows = self.conn.execute(
            "SELECT d.url, d.page_type FROM documents d JOIN captures p ON p.id = d.capture_id "
            "JOIN crawls c ON c.id = p.crawl_id WHERE c.job_id = ? ORDER BY d.id",
            (self.job_id,),
        ).fetchall()
        latest = dict(rows)
        self.articles = {u for u, t in latest.items() if t == "article" and u in self.known}

    def is_known(self, url: str) -> bool:
        return url in self.known

    def is_new(self, url: str) -> bool:
        return url not in self.known

    def gate(self, url: str) -> dict[str, str] | None:
        """Headers for a request of ``url`` (empty: an ordinary request), or None to
        skip it: a known article not due under the revisit schedule."""
        if url not in self.articles:
            return {}
        first, last = self.known[url]
        if not revisit_due(self.revisits, first, last, self.now):
            return SKIP
        return self.conditional_headers(url)

    def conditional_headers(self, url: str) -> dict[str, str]:
        row = self.conn.execute(
            "SELECT p.warc_file, p.warc_offset FROM captures p JOIN crawls c ON "
            "c.id = p.crawl_id WHERE c.job_id = ? AND p.url = ? AND p.status IN (200, 304) "
            "ORDER BY p.fetched_at DESC, p.id DESC LIMIT 1",
            (self.job_id, url),
        ).fetchone()
        if row is None or not row[0]:
            return {}
        from archiver.warc import record_at

        try:
            record = record_at(self.warc_dir / row[0], row[1])
        except (OSError, LookupError):
            return {}
        headers: dict[str, str] = {}
        http = record.http_headers
        if http is None:
            return headers
        etag = http.get_header("ETag")
        modified = http.get_header("Last-Modified")
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers


def load_for_crawl(settings: Any) -> IncrementalState | None:
    """The state for a crawl whose settings ask for it, else None."""
    job_id = settings.getint("ARCHIVER_JOB_ID") if settings.get("ARCHIVER_JOB_ID") else 0
    if not job_id or not settings.getbool("ARCHIVER_INCREMENTAL"):
        return None
    from archiver import store

    revisits = parse_revisit_schedule(settings.get("ARCHIVER_REVISIT_SCHEDULE") or "")
    conn = store.connect(settings.get("ARCHIVER_DB"))
    state = IncrementalState(conn, settings.get("ARCHIVER_WARC_DIR"), job_id, revisits)
    logger.info(
        "Incremental crawl for job %s: %d known URLs, %d known articles",
        job_id,
        len(state.known),
        len(state.articles),
    )
    return state
