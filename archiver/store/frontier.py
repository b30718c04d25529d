"""The durable frontier of a crawl: what it has queued and what it has done.

Table ``frontier`` (one row per URL a crawl scheduled): ``crawl_id``, ``url``,
``kind`` (page, sitemap, feed, requisite, robots), ``depth``, ``priority``, ``probe``
(a guessed URL whose absence is no failure) and ``state`` (``queued`` until the URL
is answered, fails or is dropped, then ``done``).  Rows are written by the crawl's
:class:`~archiver.store.StoreWriter` in the same transactions as the captures, so
after a SIGKILL the committed frontier matches the committed captures: a resumed
crawl (``archiver crawl --resume``) fetches the ``queued`` rows again and nothing
else.  The rows of a crawl that finished are deleted.
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
    database was full): the resumed crawl starts from its seeds again."""

    crawl_id: int
    queued: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
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
    captured = {
        url for (url,) in conn.execute("SELECT url FROM captures WHERE crawl_id = ?", (crawl_id,))
    }
    state.seen |= captured
    state.queued = sorted(
        (
            r
            for r in state.queued
            if r["url"] not in captured or r["kind"] in ("page", "sitemap", "feed")
        ),
        key=lambda r: -r["priority"],
    )
    return state
