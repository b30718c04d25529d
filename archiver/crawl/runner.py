"""Run a crawl in this process: the only place that starts Scrapy's reactor.

:func:`run_crawl` checks what a user can get wrong (seeds, patterns, paths, a
locked database) before anything starts, runs the ``news`` spider with the
archiver's settings, and returns a :class:`CrawlResult` with the figures of the run.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archiver import store
from archiver.crawl import failures
from archiver.crawl import options as crawl_options
from archiver.crawl.options import CrawlOptions
from archiver.crawl.scope import Scope, ScopeError, normalize_seed
from archiver.errors import SAID_AT_THE_END, CrawlError, LockedError, WriteError, write_failure
from archiver.store import frontier, lock

logger = logging.getLogger(__name__)


@dataclass
class CrawlResult:
    crawl_id: int | None
    status: str
    stats: dict[str, Any]
    counts: dict[str, int]
    pages: int
    bytes: int
    elapsed: float
    warc_files: list[str]
    database_error: str | None = None
    #: a write that failed for lack of space or an I/O error (the crawl stopped and is
    #: ``interrupted``: free space, then ``--resume``)
    write_error: str | None = None

    @property
    def failures(self) -> dict[str, int]:
        """Failed requests by cause (:mod:`archiver.crawl.failures`)."""
        return failures.counts(self.stats)


def check_writable_dir(path: Path, what: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".archiver-check-"):
            pass
    except OSError as exc:
        raise CrawlError(f"cannot write {what} {path}: {exc.strerror or exc}") from None


def check_database(path: Path) -> None:
    """Create or migrate the archive and make sure nobody holds its write lock."""
    check_writable_dir(path.parent if str(path.parent) else Path("."), "database folder")
    try:
        db = store.open_db(path)
    except store.StoreError as exc:
        cause = exc.__cause__
        reason = write_failure(cause) if cause is not None else None
        if reason is not None:  # too full even to open (WAL, schema): say so, exit 3
            raise WriteError(f"the archive database {path} ({cause})", reason) from None
        raise CrawlError(str(exc)) from None
    try:
        db.conn.execute("PRAGMA busy_timeout = 3000")
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        raise CrawlError(f"archive database {path} is locked by another process ({exc})") from None
    finally:
        db.close()


def build_settings(options: CrawlOptions) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("archiver.crawl.settings", priority="project")
    values: dict[str, Any] = {
        "ARCHIVER_DB": options.db,
        "ARCHIVER_PROGRESS": options.progress,
        "LOG_LEVEL": options.log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        **crawl_options.scrapy_settings(options),
    }
    if options.log_file:
        values["LOG_FILE"] = options.log_file
    if options.job_id is not None:
        values["ARCHIVER_JOB_ID"] = options.job_id
    if options.resume:
        values["ARCHIVER_RESUME"] = True
    values.update(options.extra_settings)
    settings.setdict(values, priority="cmdline")
    return settings


def validate(options: CrawlOptions) -> list[str]:
    """Check the options; return the normalized seeds (raises :class:`CrawlError`).

    Takes nothing: see :func:`take_lock` for the archive's lock."""
    distributed = bool(options.extra_settings.get("REDIS_URL"))
    if not options.seeds and not distributed:  # workers joining a crawl need none
        raise CrawlError("no seed URL given")
    try:
        seeds = [normalize_seed(s) for s in options.seeds]
        Scope(seeds, options.allow, options.deny)
    except ScopeError as exc:
        raise CrawlError(str(exc)) from None
    crawl_options.check(options)
    prefix = options.prefix or ""
    if os.sep in prefix or (os.altsep and os.altsep in prefix):
        raise CrawlError("--prefix must be a file name prefix, not a path")
    if options.log_file:
        check_writable_dir(Path(options.log_file).parent, "log file folder")
    return seeds


def archive_lock(db: str | Path) -> lock.ArchiveLock:
    """The archive's crawl lock (re-entrant within a process): a second writer is a
    one-line :class:`CrawlError` naming the running crawl, a lock file that cannot be
    written for lack of space a :class:`WriteError`."""
    try:
        return lock.acquire(db, "crawl")
    except LockedError as exc:
        raise CrawlError(str(exc)) from None
    except OSError as exc:  # the lock file cannot be written: a full disk
        what = f"the archive's lock file {lock.lock_path(db)} ({exc.strerror or exc})"
        reason = write_failure(exc)
        if reason is not None:
            raise WriteError(what, reason, exc.errno) from None
        raise CrawlError(f"cannot write {what}") from None


def take_lock(options: CrawlOptions) -> lock.ArchiveLock:
    """Take the archive's crawl lock before anything is written (a second writer is
    refused with a one-line :class:`CrawlError` naming the running crawl; a lock file
    that cannot be written for lack of space is a :class:`WriteError`), then check
    the WARC folder and the database.  The caller releases the lock."""
    db = Path(options.db)
    check_writable_dir(db.parent if str(db.parent) else Path("."), "database folder")
    held = archive_lock(db)
    try:
        check_writable_dir(Path(options.warc_dir), "WARC folder")
        check_database(db)
    except BaseException:
        held.release()
        raise
    return held


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Run one crawl to its end in this process (the reactor cannot be restarted:
    one call per process)."""
    seeds = validate(options)
    held = take_lock(options)
    try:
        check_unfinished(options, seeds)
        return _run_crawl(options, seeds)
    finally:
        held.release()


def check_unfinished(options: CrawlOptions, seeds: list[str]) -> None:
    """With ``--resume``, make sure there is a crawl to continue (one-line error if
    not); without, mention an unfinished one (``options.notify``)."""
    conn = store.connect(options.db)
    try:
        found = frontier.unfinished_crawl(conn, seeds)
    except sqlite3.Error:
        found = None
    finally:
        conn.close()
    if options.resume and found is None:
        raise CrawlError(f"no unfinished crawl of these seeds in {options.db} to resume")
    if found is not None and not options.resume and options.notify is not None:
        status = "interrupted" if found[1] == "running" else found[1]
        options.notify(
            f"crawl {found[0]} of these seeds did not finish ({status}); "
            "add --resume to continue it instead of starting afresh"
        )


def _run_crawl(options: CrawlOptions, seeds: list[str]) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess

    from archiver.crawl.recorder import Recorder
    from spiders.news import NewsSpider

    settings = build_settings(options)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    started = time.monotonic()
    process.crawl(
        crawler,
        seeds=seeds,
        depth=0 if options.seeds_only else options.depth,
        max_pages=options.max_pages,
        allow=options.allow,
        deny=options.deny,
        requisites=options.requisites,
    )
    level = options.log_level.upper()
    if level != "DEBUG":
        for handler in logging.getLogger().handlers:
            handler.addFilter(_no_tracebacks)
            if level != "INFO":
                handler.addFilter(_no_duplicate_failures)
            if not isinstance(handler, logging.FileHandler):
                handler.addFilter(_not_said_at_the_end)
    process.start()
    elapsed = time.monotonic() - started
    recorder = Recorder.from_crawler(crawler)
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    reason = str(stats.get("finish_reason", "finished"))
    writer = recorder.writer
    write_error = str(recorder.write_error) if recorder.write_error is not None else None
    db_error = (
        str(writer.error) if writer is not None and writer.error and write_error is None else None
    )
    status = failures.crawl_status(
        reason, stats, database_error=db_error is not None, write_error=write_error is not None
    )
    return CrawlResult(
        crawl_id=recorder.crawl_id,
        status=status,
        stats=stats,
        counts=dict(writer.counts) if writer is not None else {},
        pages=recorder.responses,
        bytes=recorder.bytes_received,
        elapsed=elapsed,
        warc_files=list(recorder.warc.files_written) if recorder.warc else [],
        database_error=db_error,
        write_error=write_error,
    )


def _not_said_at_the_end(record: logging.LogRecord) -> bool:
    """Keep off the console what the command repeats as its final ``error:`` line (a
    failed write: disk full), so that it is said once."""
    return not getattr(record, SAID_AT_THE_END, False)


def _no_tracebacks(record: logging.LogRecord) -> bool:
    """Keep log lines to one line each: tracebacks only at DEBUG level."""
    record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    return True


#: Scrapy's own lines about a request that failed for good: each such request is
#: already counted by cause, kept in the failures table and reported once by the
#: spider ("Failed: URL: cause"), so on the console they are noise before the one
#: error line (shown with --log-level INFO or DEBUG).
_DUPLICATE_FAILURE_LOGGERS = (
    "scrapy.downloadermiddlewares.retry",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.core.scraper",
)


def _no_duplicate_failures(record: logging.LogRecord) -> bool:
    if not record.name.startswith(_DUPLICATE_FAILURE_LOGGERS):
        return True
    message = str(record.msg)
    return not ("Gave up retrying" in message or "Error downloading" in message)


def first_error(stats: dict[str, Any]) -> str | None:
    """A one-line reason why nothing was fetched, from the crawl's stats."""
    if stats.get(failures.ROBOTS_BLOCKED_STAT):
        return str(stats[failures.ROBOTS_BLOCKED_STAT])
    for key in sorted(stats):
        if key.startswith("downloader/exception_type_count/") and "FailedContent" not in key:
            name = key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
            name = name.removeprefix("Download").removesuffix("Error") or name
            words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
            return f"{words} ({name})"
    if stats.get(failures.ROBOTS_UNAVAILABLE_STAT):  # robots.txt answered 5xx
        return str(stats[failures.ROBOTS_UNAVAILABLE_STAT])
    if stats.get("robotstxt/forbidden"):
        return "every seed is disallowed by robots.txt (use --ignore-robots to override)"
    if stats.get("offsite/filtered"):
        return "every request was outside the seeds' sites"
    return None
