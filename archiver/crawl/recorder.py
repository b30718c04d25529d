"""The recorder: one per crawl, shared by the capture middleware and the pipeline.

It owns the crawl's WARC writer, its database writer thread, its extraction
workers and the revisit index, opens them when the spider opens and closes them,
in order, when it closes: extraction finishes, rows are committed, WARC files are
closed, then the ``crawls`` row gets its status and stats.
"""

from __future__ import annotations

import functools
import json
import logging
import platform
import queue
import sqlite3
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred

from archiver import __version__, store
from archiver.crawl import failures
from archiver.crawl.protocol import CAPTURED_META, ArchivingSpider, Captured, captured, kind_of
from archiver.errors import SAID_AT_THE_END, WriteError, write_failure
from archiver.extract.worker import cores, default_workers, extract_page, process_pool
from archiver.store import frontier, lock
from archiver.warc import (
    OPEN_SUFFIX,
    RevisitOf,
    WarcWriter,
    parse_http_head,
    record_at,
    sha1_digest,
    split_http,
)

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_ATTR = "_archiver_recorder"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def software_string() -> str:
    parts = [f"archiver/{__version__}"]
    parts += [f"{d}/{_version(d)}" for d in ("Scrapy", "warcio", "trafilatura", "Twisted")]
    parts.append(f"Python/{platform.python_version()}")
    return " ".join(parts)


def mime_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    if not value:
        return None
    return value.decode("latin-1").split(";", 1)[0].strip().lower() or None


class Recorder:
    """Per-crawl state behind :mod:`archiver.crawl.capture` and :mod:`archiver.crawl.pipelines`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = Path(settings.get("ARCHIVER_DB"))
        self.warc_dir = Path(settings.get("ARCHIVER_WARC_DIR"))
        self.prefix = settings.get("ARCHIVER_WARC_PREFIX")
        self.max_size = settings.getint("ARCHIVER_WARC_MAX_SIZE")
        self.gzip_level = settings.getint("ARCHIVER_WARC_GZIP_LEVEL")
        self.revisits = settings.getbool("ARCHIVER_REVISITS")
        self.workers = settings.get("ARCHIVER_EXTRACT_WORKERS")
        self.commit_interval = settings.getfloat("ARCHIVER_COMMIT_INTERVAL")
        self.crawl_id: int | None = None
        self.warc: WarcWriter | None = None
        self.writer: store.StoreWriter | None = None
        self.executor: Executor | None = None
        self.lock: lock.ArchiveLock | None = None
        self.pending_extractions = 0
        #: a resumed crawl's extractions that were pending when it stopped: (capture
        #: id, record id, job), run by the executor alongside the crawl
        self._pending_jobs: list[tuple[int, str, tuple[bytes, str, dict[str, str]]]] = []
        self._background: list[Future[Any]] = []
        self._background_done: queue.SimpleQueue[tuple[str, Future[Any]]] = queue.SimpleQueue()
        self.bytes_received = 0
        self.responses = 0
        self.extraction_errors = 0
        #: the write that failed for lack of space or an I/O error (WARC files or the
        #: database): the crawl stops, its row is ``interrupted``, --resume continues it
        self.write_error: WriteError | None = None
        self._lookup: Any = None
        self._seen_digests: dict[str, tuple[str, str, str]] = {}
        # a distributed crawl's digest index in Redis (archiver.crawl.distributed)
        self.shared_digests: Any = None
        self._flusher: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.record_failure, signal=failures.request_failed)
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        self.resume = settings.getbool("ARCHIVER_RESUME")
        #: the frontier of the crawl being resumed (archiver.store.frontier), for the spider
        self.resume_state: frontier.ResumeState | None = None
        self._previous_stats: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Recorder:
        recorder = getattr(crawler, _ATTR, None)
        if recorder is None:
            recorder = cls(crawler)
            setattr(crawler, _ATTR, recorder)
        return recorder

    @classmethod
    def of(cls, crawler: Crawler) -> Recorder | None:
        """The crawl's recorder if its components made one (None in a bare spider)."""
        return getattr(crawler, _ATTR, None)

    # -- lifecycle -----------------------------------------------------------
    def crawl_settings(self, spider: Spider) -> dict[str, Any]:
        s = self.crawler.settings
        described = spider.describe_scope() if isinstance(spider, ArchivingSpider) else {}
        return {
            **described,
            "user_agent": s.get("USER_AGENT"),
            "robots_obey": s.getbool("ROBOTSTXT_OBEY"),
            "download_delay": s.getfloat("DOWNLOAD_DELAY"),
            "autothrottle": s.getbool("AUTOTHROTTLE_ENABLED"),
            "concurrent_requests": s.getint("CONCURRENT_REQUESTS"),
            "concurrent_requests_per_domain": s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            "warc_prefix": self.prefix,
            "warc_max_size": self.max_size,
            "revisits": self.revisits,
        }

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawl_settings(spider)
        seeds = list(spider.seeds) if isinstance(spider, ArchivingSpider) else []
        try:
            # re-entrant: `archiver crawl` holds it already; `scrapy crawl news` takes it here
            self.lock = lock.acquire(self.db_path, "crawl")
        except store.StoreError as exc:
            logger.error("%s", exc)
            self.crawler.stats.set_value("archiver/lock_error", str(exc))
            self._abort_when_running("the archive is locked by another writer")
            return
        self.repair_debris(seeds)
        try:
            db = store.open_db(self.db_path)
            try:
                if self.resume:
                    if not self._reopen(db, seeds):
                        return
                else:
                    self.crawl_id = store.start_crawl(
                        db,
                        seeds,
                        settings,
                        job_id=self.crawler.settings.getint("ARCHIVER_JOB_ID") or None,
                    )
            finally:
                db.close()
        except (store.StoreError, sqlite3.Error, OSError) as exc:
            reason = write_failure(exc) or write_failure(exc.__cause__ or exc.__context__ or exc)
            if reason is None:
                raise
            # the database is full before the crawl could start (or continue)
            self.write_error = WriteError(f"the archive database {self.db_path} ({exc})", reason)
            self.stats.set_value("archiver/write_error", str(self.write_error))
            self._abort_when_running(str(self.write_error), said_at_the_end=True)
            return
        self.lock.set_crawl(self.crawl_id)
        self._lookup = store.connect(self.db_path)
        robots = "obey" if settings["robots_obey"] else "ignore"
        info = {
            "software": software_string(),
            "isPartOf": f"crawl-{self.crawl_id}",
            "description": "Crawl of " + " ".join(seeds),
            "http-header-user-agent": str(settings["user_agent"]),
            "robots": robots,
            "crawl-settings": _json(settings),
        }
        self.warc = WarcWriter(
            self.warc_dir,
            prefix=self.prefix,
            max_size=self.max_size,
            info=info,
            gzip_level=self.gzip_level,
        )
        self.writer = store.StoreWriter(
            self.db_path,
            interval=self.commit_interval,
            before_commit=self.warc.sync,
        )
        if self.resume_state is not None:
            self._continue_counts()
        self.writer.start()
        self._flusher = task.LoopingCall(self._tick)
        self._flusher.start(max(self.commit_interval / 2, 0.05), now=False)
        self.executor = self._make_executor()
        self._extract_pending()
        logger.info(
            "Archiving crawl %(id)s into %(db)s and %(warc)s",
            {"id": self.crawl_id, "db": self.db_path, "warc": self.warc_dir},
        )

    def _reopen(self, db: Any, seeds: list[str]) -> bool:
        """Continue the most recent unfinished crawl of ``seeds`` (``--resume``):
        its pending extractions (alongside the crawl), its frontier (see the spider's start)."""
        found = frontier.unfinished_crawl(db.conn, seeds)
        if found is None:
            message = "no unfinished crawl of these seeds to resume in " + str(self.db_path)
            logger.error("%s", message)
            self.stats.set_value("archiver/resume_error", message)
            self._abort_when_running(message)
            return False
        self.crawl_id = found[0]
        row = db.conn.execute("SELECT stats FROM crawls WHERE id = ?", (self.crawl_id,)).fetchone()
        try:
            self._previous_stats = json.loads(row[0]) if row and row[0] else {}
        except ValueError:
            self._previous_stats = {}
        # failures are durable rows: their counts continue from the table
        self._previous_stats = {
            k: v for k, v in self._previous_stats.items() if not k.startswith(failures.STATS_PREFIX)
        }
        for cause, n in db.conn.execute(
            "SELECT cause, count(*) FROM failures WHERE crawl_id = ? GROUP BY cause",
            (self.crawl_id,),
        ):
            self.stats.set_value(failures.STATS_PREFIX + cause, n)
        self.stats.set_value(
            "archiver/resumed", int(self._previous_stats.get("archiver/resumed", 0)) + 1
        )
        with db.conn:
            db.conn.execute(
                "UPDATE crawls SET status = 'running', finished_at = NULL WHERE id = ?",
                (self.crawl_id,),
            )
        from archiver.ops.reindex import missing_jobs

        # its pending extractions run alongside the crawl (see _extract_pending)
        self._pending_jobs = missing_jobs(db.conn, self.warc_dir, crawl_id=self.crawl_id)
        self.stats.set_value("archiver/resume/pending_extractions", len(self._pending_jobs))
        self.resume_state = frontier.load(db.conn, self.crawl_id)
        self.stats.set_value("archiver/resume/queued", len(self.resume_state.queued))
        if not self.resume_state.rows:  # no frontier committed: from the seeds again
            self.stats.set_value("archiver/resume/from_seeds", 1)
        logger.info(
            "Resuming crawl %(id)s: %(n)d queued requests, %(docs)d pending extractions",
            {
                "id": self.crawl_id,
                "n": len(self.resume_state.queued),
                "docs": len(self._pending_jobs),
            },
        )
        return True

    def _continue_counts(self) -> None:
        """The writer's counters start from what the resumed crawl committed."""
        assert self.writer is not None
        conn = store.connect(self.db_path, readonly=True)
        try:
            row = conn.execute(
                "SELECT sum(record_type = 'response'), sum(record_type = 'revisit') "
                "FROM captures WHERE crawl_id = ?",
                (self.crawl_id,),
            ).fetchone()
            docs = conn.execute(
                "SELECT count(*), sum(d.page_type = 'article') FROM documents d "
                "JOIN captures c ON c.id = d.capture_id WHERE c.crawl_id = ?",
                (self.crawl_id,),
            ).fetchone()
        finally:
            conn.close()
        self.writer.counts.update(
            {
                "captures": row[0] or 0,
                "revisits": row[1] or 0,
                "documents": docs[0] or 0,
                "articles": docs[1] or 0,
            }
        )

    # -- frontier (archiver.store.frontier) ------------------------------------
    def request_scheduled(self, request: Request, spider: Spider) -> None:
        if self.writer is None or self.crawl_id is None:
            return
        meta = request.meta
        self.writer.add_frontier(
            {
                "crawl_id": self.crawl_id,
                "url": request.url,
                "kind": kind_of(request),
                "depth": meta.get("depth", 0),
                "priority": request.priority,
                "probe": 1 if meta.get("archiver_probe") else 0,
            }
        )

    def url_done(self, url: str) -> None:
        """``url`` was answered and handled (links followed), failed or dropped: a
        resumed crawl does not fetch it again."""
        if self.writer is not None and self.crawl_id is not None:
            self.writer.frontier_done(self.crawl_id, url)

    def archived_response(self, request: Request, capture: dict[str, Any]) -> Response | None:
        """The response ``request`` got, as archived in this crawl (``capture``: the
        ``warc_file`` and ``warc_offset`` of its record, see
        :func:`archiver.store.frontier.load`), its body decoded as the crawl decodes
        it (:mod:`archiver.codings`); None when the record cannot be read or decoded."""
        from scrapy.http import Headers, TextResponse
        from scrapy.responsetypes import responsetypes

        from archiver.codings import UndecodableContent, decode_body

        name, offset = capture.get("warc_file"), capture.get("warc_offset")
        if not name or offset is None:
            return None
        path = self.warc_dir / name
        if not path.is_file():
            path = self.warc_dir / (name + OPEN_SUFFIX)
        try:
            head, payload = split_http(record_at(path, int(offset)))
            if head is None:
                return None
            parsed = parse_http_head(head)
            status = int(parsed.get_statuscode())
        except (OSError, LookupError, ValueError):
            return None
        headers = Headers()
        for key, value in parsed.headers:
            if key.lower() == "x-archiver-transfer-encoding":
                continue  # the body is stored de-chunked
            headers.appendlist(key, value)
        codings = headers.getlist("Content-Encoding")
        if codings:
            try:
                payload = decode_body(payload, codings)
            except UndecodableContent:
                return None
            del headers["Content-Encoding"]
        cls = responsetypes.from_args(headers=headers, url=request.url, body=payload)
        kwargs: dict[str, Any] = {}
        if issubclass(cls, TextResponse):
            kwargs["encoding"] = None
        return cls(
            url=request.url,
            status=status,
            headers=headers,
            body=payload,
            request=request,
            **kwargs,
        )

    def repair_debris(self, seeds: list[str]) -> None:
        """Repair what crashed crawls left (archiver.ops.repair): their .open WARC
        files closed, records without rows given rows, their rows marked interrupted;
        with --resume, the records of the crawl to continue that have no rows too."""
        from archiver.ops.repair import repair

        try:
            resuming = self._to_resume(seeds) if self.resume else None
            fixed = repair(self.db_path, self.warc_dir, resuming=resuming)
        except (store.StoreError, OSError, sqlite3.Error) as exc:
            logger.error("Could not repair the debris of earlier crawls: %s", exc)
            return
        if fixed.changed:
            logger.warning("Repaired what an earlier crawl left: %s", fixed.summary())
        for key in ("closed", "removed", "interrupted"):
            if getattr(fixed, key):
                self.stats.set_value(f"archiver/repair/{key}", len(getattr(fixed, key)))

    def _to_resume(self, seeds: list[str]) -> int | None:
        try:
            conn = store.connect(self.db_path)
            try:
                found = frontier.unfinished_crawl(conn, seeds)
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return found[0] if found else None

    def _extract_pending(self) -> None:
        """Hand the resumed crawl's pending extractions to the executor: the crawl
        goes on meanwhile; their documents are queued as they come (:meth:`_tick`)
        and, at the latest, when the crawl closes."""
        assert self.executor is not None
        jobs, self._pending_jobs = self._pending_jobs, []
        for _capture_id, record_id, job in jobs:
            fut = self.executor.submit(extract_page, *job)
            fut.add_done_callback(functools.partial(self._background_finished, record_id))
            self._background.append(fut)

    def _background_finished(self, record_id: str, fut: Future[Any]) -> None:
        self._background_done.put((record_id, fut))  # called in the executor's thread

    def _pending_documents(self) -> None:
        """Queue the documents of the pending extractions done so far."""
        while True:
            try:
                record_id, fut = self._background_done.get_nowait()
            except queue.Empty:
                return
            if fut.cancelled():
                continue
            result = fut.result() if fut.exception() is None else {"error": repr(fut.exception())}
            if not result or "error" in result:
                if result:
                    self.extraction_errors += 1
                continue
            if self.writer is not None:
                self.writer.add_document(record_id, result)
                self.stats.inc_value("archiver/resume/extracted")

    def _tick(self) -> None:
        self._pending_documents()
        if self.writer is not None:
            self.writer.flush()
            if self.writer.error is not None:
                self._database_failed()
        if self.lock is not None:
            self.lock.heartbeat()

    def _make_executor(self) -> Executor:
        workers = self.workers
        if workers in (None, "", "auto"):
            # the crawl process itself needs about a third of a core: on 2+ cores,
            # one extraction process per core keeps both busy
            workers = default_workers() if cores() > 1 else 0
        workers = int(workers)
        if workers <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="archiver-extract")
        return process_pool(workers)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        if self.executor is not None:
            if reason != "finished":  # stopped: what has not started stays pending
                for fut in self._background:
                    fut.cancel()
            self.executor.shutdown(wait=True)
            self._pending_documents()
        error = None
        if self.writer is not None:
            self.writer.close()
            error = self.writer.error
            if error is not None:
                self._database_failed()
            for key, value in self.writer.counts.items():
                self.stats.set_value(f"archiver/{key}", value)
        if self.warc is not None:
            try:
                self.warc.close()
            except WriteError as exc:
                self._write_failed(exc)
            self.stats.set_value("archiver/warc_files", list(self.warc.files_written))
        if self._lookup is not None:
            self._lookup.close()
        if self.crawl_id is None:
            self._release()
            return
        status = failures.crawl_status(
            reason,
            self.stats.get_stats(),
            database_error=error is not None,
            write_error=self.write_error is not None,
        )
        if self.write_error is not None:
            self.stats.set_value("archiver/write_error", str(self.write_error))
        elif error is not None:
            self.stats.set_value("archiver/database_error", str(error))
        stats = {
            k: v
            for k, v in self.stats.get_stats().items()
            if isinstance(v, (int, float, str, list))
        }
        stats["archiver/extraction_errors"] = self.extraction_errors
        stats = _continued(self._previous_stats, stats)
        try:
            db = store.open_db(self.db_path)
            store.finish_crawl(db, self.crawl_id, status, stats)
            if status in ("ok", "partial"):
                with db.conn:
                    frontier.forget(db.conn, self.crawl_id)
            db.close()
        except (store.StoreError, OSError, sqlite3.Error) as exc:
            # after a failed write (disk full) the row stays 'running': the next
            # crawl's repair marks it interrupted, and --resume continues it
            logger.error(
                "Could not record the end of crawl %s: %s",
                self.crawl_id,
                exc,
                extra=_said_at_the_end(self.write_error is not None),
            )
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # -- capture -------------------------------------------------------------
    def _previous(self, url: str, digest: str) -> tuple[str, str, str] | None:
        key = f"{digest} {url}"
        found = self._seen_digests.get(key)
        if found is None and self._lookup is not None:
            found = store.find_previous_capture(self._lookup, url, digest)
        if found is None and self.shared_digests is not None:
            found = self.shared_digests.get(url, digest)
        return found

    def _has_document(self, url: str) -> bool:
        if self._lookup is None:
            return True
        try:
            return (
                self._lookup.execute(
                    "SELECT 1 FROM documents WHERE url = ? LIMIT 1", (url,)
                ).fetchone()
                is not None
            )
        except sqlite3.Error:
            return True

    def capture(
        self,
        request: Request,
        response: Response,
        response_head: bytes,
        request_head: bytes,
        request_body: bytes,
    ) -> None:
        """Write one exchange to WARC, then queue its ``captures`` row."""
        if self.write_error is not None:
            self._write_failed(self.write_error)
            # not archived: left queued in the frontier for --resume, not parsed
            raise NotArchived(f"not archived: {self.write_error}")
        if self.writer is not None and self.writer.error is not None:
            self._database_failed()
            raise NotArchived(f"not archived: {self.writer.error}")
        if self.warc is None or self.writer is None:
            return
        body = response.body
        digest = sha1_digest(body)
        url = response.url
        previous = self._previous(url, digest) if self.revisits else None
        revisit = RevisitOf(*previous) if previous else None
        ip = getattr(response, "ip_address", None)
        try:
            location = self.warc.write_exchange(
                url,
                request_head,
                request_body,
                response_head,
                body,
                moment=datetime.now(UTC),
                ip_address=str(ip) if ip else None,
                revisit_of=revisit,
                payload_digest=digest,
            )
        except WriteError as exc:  # the file was cut back to its last complete record
            self._write_failed(exc)
            raise NotArchived(f"not archived: {exc}") from None
        if revisit is None:
            self._seen_digests[f"{digest} {url}"] = (location.record_id, url, location.date)
            if self.shared_digests is not None:
                self.shared_digests.put(url, digest, location.record_id, location.date)
        self.responses += 1
        self.bytes_received += len(body) + len(response_head)
        self.stats.inc_value("archiver/records/" + location.record_type)
        self.writer.add_capture(
            {
                "crawl_id": self.crawl_id,
                "url": url,
                "status": response.status,
                "mime_type": mime_type(response),
                "fetched_at": location.date,
                "payload_digest": digest,
                "content_length": len(body),
                "warc_file": location.warc_file,
                "warc_offset": location.offset,
                "warc_length": location.length,
                "warc_record_id": location.record_id,
                "revisit_of_record": revisit.record_id if revisit else None,
                "record_type": location.record_type,
                "ip_address": str(ip) if ip else None,
            }
        )
        if (
            300 <= response.status < 400
            or kind_of(request) in ("requisite", "robots")
            or response.status != 200
        ):
            self.url_done(request.url)  # nothing to parse for links
        request.meta[CAPTURED_META] = Captured(
            record_id=location.record_id,
            revisit=revisit is not None,
            # a revisit of a page that has no text (its extraction was lost): extract it
            extract=revisit is not None and not self._has_document(url),
            warc_file=location.warc_file,
            warc_offset=location.offset,
        )

    def record_failure(self, request: Request, failed: failures.Failed) -> None:
        """Count a failed request by cause and queue its ``failures`` row."""
        self.stats.inc_value(failures.STATS_PREFIX + failed.cause)
        if self.writer is None or self.crawl_id is None:
            return
        info = captured(request)
        self.writer.add_failure(  # its URL done in the frontier in the same transaction
            {
                "crawl_id": self.crawl_id,
                "url": request.url,
                "kind": kind_of(request),
                "cause": failed.cause,
                "status": failed.status,
                "detail": failed.detail,
                "warc_record_id": info.record_id if info is not None else None,
            }
        )

    def _abort_when_running(self, reason: str, *, said_at_the_end: bool = False) -> None:
        """Stop the crawl as soon as its engine runs (at spider_opened it does not yet)."""
        from twisted.internet import reactor

        engine = self.crawler.engine
        if engine is not None and engine.running:
            self._abort(reason, said_at_the_end=said_at_the_end)
        elif not getattr(self, "_aborting", False):
            # twisted's stubs type the reactor module, not the IReactorTime it provides
            later: Any = reactor.callLater
            later(0.05, self._abort_when_running, reason, said_at_the_end=said_at_the_end)

    def _abort(self, reason: str, *, said_at_the_end: bool = False) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.running and not getattr(self, "_aborting", False):
            self._aborting = True
            logger.error("Stopping the crawl: %s", reason, extra=_said_at_the_end(said_at_the_end))
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.stop_async())

    def _write_failed(self, exc: WriteError) -> None:
        """A write failed for lack of space or an I/O error: stop the crawl (the
        first such error is the one reported)."""
        if self.write_error is None:
            self.write_error = exc
            self.stats.set_value("archiver/write_error", str(exc))
        self._abort(str(self.write_error), said_at_the_end=True)

    def _database_failed(self) -> None:
        """The database writer failed: a disk full (or I/O error) is a write error,
        of the WARC folder when it was the WARC sync before a commit that failed."""
        error = self.writer.error if self.writer is not None else None
        if error is None:
            return
        if isinstance(error, WriteError):
            self._write_failed(error)
        elif write_failure(error) is not None:
            self._write_failed(
                WriteError(
                    f"the archive database {self.db_path} ({error})",
                    write_failure(error) or "error",
                )
            )
        else:
            self._abort("database error")

    # -- extraction ------------------------------------------------------------
    async def extract(
        self, record_id: str, url: str, body: bytes, headers: dict[str, str]
    ) -> dict[str, Any] | None:
        """Extract ``body`` off the reactor thread and queue the document row."""
        if self.executor is None or self.writer is None:
            return None
        from twisted.internet import reactor

        d: Deferred[Any] = Deferred()

        def done(fut: Future[Any]) -> None:
            reactor.callFromThread(_fire, d, fut)

        self.pending_extractions += 1
        try:
            fut = self.executor.submit(extract_page, body, url, headers)
            fut.add_done_callback(done)
            result = await maybe_deferred_to_future(d)
        finally:
            self.pending_extractions -= 1
        if not result or "error" in result:
            if result:
                self.extraction_errors += 1
                logger.warning("Extraction failed for %s: %s", url, result["error"])
            return None
        self.writer.add_document(record_id, result)
        return result


class NotArchived(IgnoreRequest):
    """A response that could not be archived (a failed write): dropped unparsed and
    left ``queued`` in the frontier, so a resumed crawl fetches it again."""


def _said_at_the_end(yes: bool) -> dict[str, Any]:
    """``extra`` of a log line that ``archiver crawl`` repeats as its final one-line
    error (:mod:`archiver.crawl.runner` keeps it off the console)."""
    return {SAID_AT_THE_END: True} if yes else {}


def _fire(d: Deferred[Any], fut: Future[Any]) -> None:
    exc = fut.exception()
    if exc is not None:
        d.callback({"error": repr(exc)})
    else:
        d.callback(fut.result())


#: counters that are not summed over the runs of a resumed crawl
_NOT_SUMMED = (
    "elapsed_time_seconds",
    "memusage/",
    "archiver/captures",
    "archiver/revisits",
    "archiver/documents",
    "archiver/articles",
    "archiver/resume",
)


#: Stats that describe how one run ended, not the crawl: not carried into a resumed run.
_ONE_RUN = frozenset({"archiver/write_error", "archiver/resume_error", "finish_reason"})


def _continued(previous: dict[str, Any], stats: dict[str, Any]) -> dict[str, Any]:
    """The stats of a resumed crawl: its earlier runs' counters plus this run's."""
    if not previous:
        return stats
    # what stopped an earlier run (a failed write) is not this run's: it is in the log
    out = {k: v for k, v in previous.items() if k not in _ONE_RUN}
    for key, value in stats.items():
        old = out.get(key)
        if (
            isinstance(value, int)
            and isinstance(old, int)
            and not isinstance(value, bool)
            and not key.startswith(_NOT_SUMMED)
        ):
            out[key] = old + value
        else:
            out[key] = value
    return out


def _json(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True, default=str)
