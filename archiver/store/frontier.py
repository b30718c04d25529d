"""The durable frontier of a crawl: what it has queued and what it has done.

Table ``frontier`` (one row per URL a crawl scheduled): ``crawl_id``, ``url``,
``kind`` (page, sitemap, feed, requisite, robots), ``depth``, ``priority``, ``probe``
(a guessed URL whose absence is no failure) and ``state`` (``queued`` until the URL
is answered, fails or is dropped, then ``done``).  Rows are written by the crawl's
:class:`~archiver.store.StoreWriter` in the same transactions as the captures, so
after a SIGKILL the committed frontier matches the committed captures: a resumed
crawl (``archiver crawl --resume``) fetches the ``queued`` rows again and nothing
else, except those already captured (answered, their links not yet followed): their
links are read from their archived records.  The rows of a crawl that finished are
deleted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

DDL = """CREATE TABLE IF NOT EXISTS frontier (
  crawl_id INTEGER NOT NULL REFERENCES crawls(id),
  url TEXT NOT NULL,
  kind TEXT,
  depth INTEGER,
  priority INTEGER,
  probe INTEGER,
  state TEXT NOT NULL DEFAULT 'queued',
  PRIMARY KEY (crawl_id, url)
) WITHOUT ROWID"""

COLUMNS = ("crawl_id", "url", "kind", "depth", "priority", "probe")
_ADD = (
    f"INSERT OR IGNORE INTO frontier ({', '.join(COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in COLUMNS)})"
)
_DONE = "UPDATE frontier SET state = 'done' WHERE crawl_id = ? AND url = ? AND state = 'queued'"

#: statuses of a crawl that did not finish (``running`` only while its lock is held)
UNFINISHED = ("running", "interrupted", "shutdown")


def ensure_schema(conn: sqlite3.Connection) -> None:
    with conn:
        conn.execute(DDL)


def add(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    conn.execute(_ADD, [row.get(c) for c in COLUMNS])


def done(conn: sqlite3.Connection, crawl_id: int, url: str) -> None:
    conn.execute(_DONE, (crawl_id, url))


def forget(conn: sqlite3.Connection, crawl_id: int) -> None:
    """Drop the frontier of a finished crawl."""
    conn.execute("DELETE FROM frontier WHERE crawl_id = ?", (crawl_id,))


def unfinished_crawl(conn: sqlite3.Connection, seeds: list[str]) -> tuple[int, str] | None:
    """(id, status) of the most recent unfinished crawl of exactly these seeds."""
    marks = ", ".join("?" for _ in UNFINISHED)
    for crawl_id, raw, status in conn.execute(
        f"SELECT id, seeds, status FROM crawls WHERE status IN ({marks}) ORDER BY id DESC",
        UNFINISHED,
    ):
        try:
            if sorted(json.loads(raw or "[]")) == sorted(seeds):
                return int(crawl_id), str(status)
        except (ValueError, TypeError):
            continue
    return None


@dataclass
class ResumeState:
    """What a resumed crawl needs: its queued requests, every URL it has seen, and
    how many pages it has scheduled (for ``--max-pages``).  ``rows`` is 0 when none
    of its frontier was committed (it stopped before its first commit: killed, or its
    database was full): the resumed crawl starts from its seeds again.

    ``queued`` rows of a page, sitemap or feed that already has a committed capture
    in this crawl carry it as ``capture`` (the latest: ``status``, ``warc_file`` and
    ``warc_offset`` of its record, of the original's for a revisit): it was answered,
    only its links were not yet followed, so the spider reads them from the archived
    record instead of fetching it again."""

    crawl_id: int
    queued: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    #: captures of this crawl with no frontier row (their rows, or their records'
    #: rows given by the repair, were committed after the frontier rows that would have
    #: named them were lost): not "seen", so that the link that leads to one again is
    #: followed, and answered from this archived capture instead of fetched
    unscheduled: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: int = 0
    rows: int = 0


def load(conn: sqlite3.Connection, crawl_id: int) -> ResumeState:
    state = ResumeState(crawl_id)
    for url, kind, depth, priority, probe, status in conn.execute(
        "SELECT url, kind, depth, priority, probe, state FROM frontier WHERE crawl_id = ?",
        (crawl_id,),
    ):
        state.seen.add(url)
        state.rows += 1
        if kind == "page":
            state.pages += 1
        if status == "queued":
            state.queued.append(
                {
                    "url": url,
                    "kind": kind,
                    "depth": depth or 0,
                    "priority": priority or 0,
                    "probe": bool(probe),
                }
            )
    captured: dict[str, dict[str, Any]] = {}
    for url, status, rtype, wfile, woffset, ofile, ooffset in conn.execute(
        "SELECT c.url, c.status, c.record_type, c.warc_file, c.warc_offset, "
        "o.warc_file, o.warc_offset FROM captures c "
        "LEFT JOIN captures o ON o.id = c.revisit_of WHERE c.crawl_id = ? ORDER BY c.id",
        (crawl_id,),
    ):
        if rtype == "revisit":  # its body is the original's
            wfile, woffset = ofile, ooffset
        captured[url] = {
            "status": status,
            "warc_file": wfile,
            "warc_offset": woffset,
        }
    # a URL with a failure row was handled (the row and its frontier row's done mark
    # are committed together): seen, even when its frontier row is gone
    state.seen.update(
        url for (url,) in conn.execute("SELECT url FROM failures WHERE crawl_id = ?", (crawl_id,))
    )
    state.unscheduled = {u: c for u, c in captured.items() if u not in state.seen}
    queued = []
    for row in state.queued:
        capture = captured.get(row["url"])
        if capture is not None:
            if row["kind"] not in ("page", "sitemap", "feed"):
                continue  # a requisite or robots.txt: nothing to follow
            row["capture"] = capture
        queued.append(row)
    state.queued = sorted(queued, key=lambda r: -r["priority"])
    return state
