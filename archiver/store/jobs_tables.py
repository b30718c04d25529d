"""The scheduled jobs' tables and their run history view (the scheduler's rows).

Every table's DDL lives in :mod:`archiver.store`; :mod:`archiver.schedule.jobs` reads
and writes these tables.

- ``jobs``: one row per scheduled crawl (seeds, schedule, options, state).
- ``job_locks``: at most one row per job while a run of it is in progress.
- ``sources``: adaptive polling state of each feed and sitemap of a job.
- ``job_runs`` (view): run history, one row per ``crawls`` row of a job.  ``pages``
  is what the page budget (``--max-pages``) spends: pages fetched (answered, any
  status), not robots.txt, feeds, sitemaps or page requisites; ``captures`` counts
  every WARC response and revisit record of the run (requisites, robots.txt,
  redirects included).
"""

from __future__ import annotations

from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    seeds TEXT NOT NULL,
    feeds TEXT NOT NULL DEFAULT '[]',
    sitemaps TEXT NOT NULL DEFAULT '[]',
    schedule_kind TEXT NOT NULL,
    schedule TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    revisit_schedule TEXT NOT NULL,
    poll_min TEXT NOT NULL,
    poll_max TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    last_started_at REAL
);
CREATE TABLE IF NOT EXISTS job_locks (
    job_id INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at REAL NOT NULL,
    heartbeat_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    job_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    interval REAL NOT NULL,
    last_fetch_at REAL,
    next_fetch_at REAL,
    fetches INTEGER NOT NULL DEFAULT 0,
    items_last INTEGER NOT NULL DEFAULT 0,
    new_last INTEGER NOT NULL DEFAULT 0,
    new_total INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, url)
);
CREATE INDEX IF NOT EXISTS crawls_job_id ON crawls (job_id);
"""

#: The run history; recreated when an archive holds an older definition.
JOB_RUNS_VIEW = """
CREATE VIEW job_runs AS
SELECT
    c.id AS crawl_id,
    c.job_id,
    j.name AS job,
    c.started_at,
    c.finished_at,
    CASE WHEN c.status = 'ok' THEN 'ok'
         WHEN c.status = 'partial' THEN 'partial'
         WHEN c.status = 'running' THEN 'running'
         WHEN c.status IN ('shutdown', 'interrupted') THEN 'interrupted'
         ELSE 'failed' END AS status,
    coalesce(json_extract(c.stats, '$."archiver/pages"'),
      (SELECT count(*) FROM captures p WHERE p.crawl_id = c.id)) AS pages,
    (SELECT count(*) FROM documents d JOIN captures p ON p.id = d.capture_id
      WHERE p.crawl_id = c.id AND d.page_type = 'article' AND NOT EXISTS
        (SELECT 1 FROM documents e WHERE e.url = d.url AND e.id < d.id)) AS new_articles,
    (SELECT count(*) FROM documents d JOIN captures p ON p.id = d.capture_id
      WHERE p.crawl_id = c.id AND d.page_type = 'article' AND EXISTS
        (SELECT 1 FROM documents e WHERE e.url = d.url AND e.id < d.id)) AS changed_articles,
    (SELECT count(*) FROM captures p WHERE p.crawl_id = c.id
      AND (p.status = 304 OR p.record_type = 'revisit')) AS unchanged,
    (SELECT count(*) FROM failures f WHERE f.crawl_id = c.id AND f.cause != 'robots-denied')
      + coalesce(json_extract(c.stats, '$."archiver/fetch_errors"'), 0)
      + coalesce(json_extract(c.stats, '$."log_count/ERROR"'), 0)
      + (CASE WHEN json_extract(c.stats, '$.error') IS NOT NULL THEN 1 ELSE 0 END) AS errors,
    (SELECT json_group_object(cause, n) FROM (SELECT cause, count(*) AS n FROM failures f
      WHERE f.crawl_id = c.id GROUP BY cause ORDER BY cause)) AS failures,
    coalesce(json_extract(c.stats, '$."downloader/response_bytes"'),
      (SELECT sum(p.content_length) FROM captures p WHERE p.crawl_id = c.id), 0) AS bytes,
    (SELECT count(*) FROM captures p WHERE p.crawl_id = c.id) AS captures
FROM crawls c LEFT JOIN jobs j ON j.id = c.job_id
WHERE c.job_id IS NOT NULL"""


def ensure_jobs_schema(db: Any) -> None:
    """Create the job tables and the ``job_runs`` view (idempotent)."""
    conn = db.conn if hasattr(db, "conn") else db
    conn.executescript(SCHEMA)
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'job_runs'"
    ).fetchone()
    if row is None or row[0].strip() != JOB_RUNS_VIEW.strip():
        conn.executescript(f"BEGIN; DROP VIEW IF EXISTS job_runs; {JOB_RUNS_VIEW}; COMMIT;")
