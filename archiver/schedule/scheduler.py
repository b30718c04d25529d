"""The scheduler: start due jobs as separate crawl processes.

One :class:`Scheduler` loop per archive.  Each tick it reaps finished runs, then
starts the jobs that are due (by schedule, or earlier when a feed or sitemap of the
job is due under adaptive polling), at most ``max_parallel`` at once, never one that
is running (its own child, or a live lock in ``job_locks`` held by another process,
e.g. ``archiver jobs run``).  A run is the process ``python -m archiver jobs run NAME
--db DB``: it takes the job's lock itself, so a crashed run leaves a lock whose
process is gone, which the next run takes over.

The clock, the process launcher and the sleep are injectable for tests.
SIGTERM/SIGINT: stop starting jobs, pass SIGTERM on to the running crawls (Scrapy
then stops cleanly: requests in flight finish, rows are committed, WARC files
closed), wait for them, exit 0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archiver import store
from archiver.schedule import jobs as jobs_mod
from archiver.store import lock as store_lock

logger = logging.getLogger("archiver.schedule.scheduler")


@dataclass
class Running:
    job_id: int
    name: str
    process: Any  # subprocess.Popen or a test double with poll(), pid, send_signal()
    started: float


def spawn_run(db: str, name: str, log_level: str | None = None) -> subprocess.Popen[bytes]:
    """The crawl process of one run (own session: a terminal's Ctrl-C reaches the
    scheduler, which passes it on)."""
    args = [sys.executable, "-m", "archiver", "jobs", "run", name, "--db", db, "--quiet"]
    if log_level:
        args += ["--log-level", log_level]
    return subprocess.Popen(args, start_new_session=True)


class Scheduler:
    def __init__(
        self,
        db: str | Path,
        *,
        max_parallel: int = 2,
        clock: Callable[[], float] = time.time,
        spawn: Callable[[str, str], Any] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        tick: float = 1.0,
        alive: Callable[[int], bool] = jobs_mod.pid_alive,
        log_level: str | None = None,
    ) -> None:
        self.db = str(db)
        self.max_parallel = max(1, max_parallel)
        self.clock = clock
        self.spawn = spawn or (lambda db_, name: spawn_run(db_, name, log_level))
        self.sleep = sleep
        self.tick = tick
        self.alive = alive
        self.running: dict[int, Running] = {}
        self.stopping = False
        self.signals = 0
        self.conn = store.open_db(self.db).conn
        for name in jobs_mod.migrate_warc_dirs(self.conn, self.db):
            logger.info("job %s: relative warc_dir made absolute", name)

    def close(self) -> None:
        self.conn.close()

    # -- decisions -------------------------------------------------------------
    def due_jobs(self, now: float) -> list[tuple[float, jobs_mod.Job]]:
        """Jobs due at ``now``, earliest first, that are neither paused nor running."""
        due = []
        for job in jobs_mod.list_jobs(self.conn):
            if job.paused or job.id in self.running:
                continue
            when = jobs_mod.job_next_due(self.conn, job)
            if when > now:
                continue
            if jobs_mod.lock_holder(self.conn, job.id, now, alive=self.alive) is not None:
                continue  # a run started elsewhere (jobs run) is in progress
            due.append((when, job))
        due.sort(key=lambda pair: (pair[0], pair[1].name))
        return due

    def next_job(self) -> tuple[jobs_mod.Job, float] | None:
        """The active job due soonest, with its time (None when every job is paused
        or there is none)."""
        upcoming = [
            (jobs_mod.job_next_due(self.conn, job), job.name, job)
            for job in jobs_mod.list_jobs(self.conn)
            if not job.paused
        ]
        if not upcoming:
            return None
        when, _name, job = min(upcoming, key=lambda t: (t[0], t[1]))
        return job, when

    def start_due(self, skip: Collection[int] = ()) -> list[str]:
        """Start what is due now (but the jobs ``skip``), within the parallel limit and
        one run at a time: the archive takes one writer (archiver.store.lock), so a
        due job waits, still due, while a run of ours or any other crawl writes to it
        (started together, the second would be refused and its run lost).  Returns
        the names started."""
        if self.stopping:
            return []
        now = self.clock()
        started: list[str] = []
        for when, job in self.due_jobs(now):
            if job.id in skip:
                continue
            if len(self.running) >= self.max_parallel:
                break
            if self.running or store_lock.holder(self.db) is not None:
                break
            missed = jobs_mod.missed_count(job, now)
            jobs_mod.mark_started(self.conn, job.id, now)
            try:
                process = self.spawn(self.db, job.name)
            except OSError as exc:
                logger.error("cannot start job %s: %s", job.name, exc)
                continue
            self.running[job.id] = Running(job.id, job.name, process, now)
            extra = f", {missed} slots missed: running once" if missed > 1 else ""
            logger.info(
                "start job %s (due %s%s) pid %s",
                job.name,
                jobs_mod.fmt_time(when),
                extra,
                getattr(process, "pid", "?"),
            )
            started.append(job.name)
        return started

    def reap(self) -> list[tuple[str, int]]:
        """Collect finished runs; log their end; mark a crashed run's crawl failed."""
        ended = []
        for job_id, run in list(self.running.items()):
            code = run.process.poll()
            if code is None:
                continue
            del self.running[job_id]
            if code not in (0, 130):
                # killed by our own SIGTERM before Scrapy could handle it: interrupted
                stopped = self.stopping and code == -signal.SIGTERM
                jobs_mod.fail_running_crawls(
                    self.conn,
                    job_id,
                    f"crawl process exited with status {code}",
                    "shutdown" if stopped else "failed",
                )
            history = jobs_mod.runs(self.conn, job_id, limit=1)
            last = history[0] if history else None
            if last is not None and iso_after(last["started_at"], run.started - 5):
                logger.info(
                    "end job %s: %s (crawl %s, exit %s, %s pages, %s new articles, %s changed, "
                    "%s errors, %.1f s)",
                    run.name,
                    last["status"],
                    last["crawl_id"],
                    code,
                    last["pages"],
                    last["new_articles"],
                    last["changed_articles"],
                    last["errors"],
                    self.clock() - run.started,
                )
            else:
                logger.info("end job %s: no crawl recorded (exit %s)", run.name, code)
            ended.append((run.name, code))
        return ended

    # -- loops -------------------------------------------------------------------
    def request_stop(self, signum: int = signal.SIGTERM) -> None:
        self.signals += 1
        if not self.stopping:
            logger.info("stopping: no new jobs; waiting for %d running crawl(s)", len(self.running))
        self.stopping = True
        for run in self.running.values():
            with contextlib.suppress(ProcessLookupError, OSError):
                run.process.send_signal(signal.SIGTERM)

    def install_signals(self) -> None:
        def handler(signum: int, frame: Any) -> None:
            self.request_stop(signum)

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def run_once(self) -> list[tuple[str, int]]:
        """Run what is due now, one after the other (each job once), wait for those
        runs, return (name, exit code)."""
        self.start_due()
        ran = set(self.running)
        ended: list[tuple[str, int]] = []
        while self.running:
            self.sleep(min(self.tick, 0.2))
            ended += self.reap()
            if not self.running:
                self.start_due(skip=ran)
                ran |= set(self.running)
        return ended

    def run_forever(self) -> None:
        logger.info(
            "scheduler started on %s (max %d parallel runs, pid %d)",
            self.db,
            self.max_parallel,
            os.getpid(),
        )
        while True:
            try:
                self.reap()
                if self.stopping:
                    if not self.running:
                        break
                    self.sleep(0.2)
                    continue
                self.start_due()
            except sqlite3.Error as exc:  # a busy or briefly unreadable archive: next tick
                logger.error("archive database error: %s (retrying)", exc)
            self.sleep(self.tick)
        logger.info("scheduler stopped")


def iso_after(value: str | None, moment: float) -> bool:
    ts = jobs_mod.iso_to_ts(value)
    return ts is not None and ts >= moment
