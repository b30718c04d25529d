"""Scheduled crawl jobs in the archive's SQLite: schema, CRUD, locks, sources,
run history and TOML import/export.

Tables (their DDL is in :mod:`archiver.store.jobs_tables`, created with the rest of
the archive by ``store.ensure_schema``):

- ``jobs``: one row per job (name, seeds, feeds, sitemaps, schedule, crawl options
  as JSON, revisit schedule, polling bounds, paused, last start).
- ``job_locks``: at most one row per job while a run of it is in progress: owner
  pid and host, heartbeat.  A lock whose heartbeat is older than its TTL, or whose
  process is gone (same host), is taken over.
- ``sources``: adaptive polling state of each feed and sitemap of a job.
- ``job_runs`` (view): run history, one row per ``crawls`` row of a job.

Times in these tables are seconds since the epoch (UTC), as REAL.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.crawl.options import JOB_OPTIONS, check_job_options
from archiver.errors import JobError
from archiver.schedule.rules import (
    DEFAULT_POLL_MAX,
    DEFAULT_POLL_MIN,
    DEFAULT_REVISIT_SCHEDULE,
    Schedule,
    ScheduleError,
    adapt_interval,
    initial_interval,
    next_due,
    parse_duration,
    parse_revisit_schedule,
    parse_schedule,
)

LOCK_TTL = 600.0  # seconds without heartbeat after which a lock is stale
HEARTBEAT = 30.0  # seconds between heartbeats of a running job

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

# crawl options a job may carry: those of ``archiver crawl`` besides --db
# (declared once, in archiver.crawl.options)
CRAWL_OPTION_NAMES = tuple(JOB_OPTIONS)


def _upgrade_options(options: dict[str, Any]) -> dict[str, Any]:
    """Stored options in today's vocabulary: ``depth: 0`` (the seeds only, before
    ``--depth 0`` was refused as ambiguous) is ``seeds_only``."""
    if options.get("depth") == 0:
        options = {k: v for k, v in options.items() if k != "depth"}
        options["seeds_only"] = True
    return options


def now_ts() -> float:
    return time.time()


def fmt_time(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso_to_ts(value: str | None) -> float | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


# -- jobs --------------------------------------------------------------------
@dataclass
class Job:
    name: str
    seeds: list[str]
    schedule: Schedule
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    revisit_schedule: str = DEFAULT_REVISIT_SCHEDULE
    poll_min: str = DEFAULT_POLL_MIN
    poll_max: str = DEFAULT_POLL_MAX
    paused: bool = False
    id: int = 0  # the row id; 0 until the job is stored
    created_at: float = 0.0
    last_started_at: float | None = None

    @property
    def crawl_seeds(self) -> list[str]:
        """Everything the crawl starts from: seeds, then feeds and sitemaps."""
        return list(dict.fromkeys([*self.seeds, *self.feeds, *self.sitemaps]))

    def validate(self) -> None:
        if not _NAME.match(self.name or ""):
            raise JobError(
                f"invalid job name {self.name!r}: use letters, digits, '.', '_' "
                "and '-', starting with a letter or digit"
            )
        if not self.seeds and not self.feeds and not self.sitemaps:
            raise JobError("a job needs at least one --seed, --feed or --sitemap URL")
        try:
            parse_revisit_schedule(self.revisit_schedule)
            lo = parse_duration(self.poll_min, "--poll-min")
            hi = parse_duration(self.poll_max, "--poll-max")
        except ScheduleError as exc:
            raise JobError(str(exc)) from None
        if lo > hi:
            raise JobError("--poll-min must not exceed --poll-max")
        from archiver.crawl.scope import Scope, ScopeError, normalize_seed

        try:
            seeds = [normalize_seed(s) for s in self.crawl_seeds]
            Scope(
                seeds, list(self.options.get("allow") or ()), list(self.options.get("deny") or ())
            )
        except ScopeError as exc:
            raise JobError(str(exc)) from None
        try:
            check_job_options(self.options)
        except ValueError as exc:
            raise JobError(str(exc)) from None


def _row_to_job(row: sqlite3.Row | tuple[Any, ...], names: list[str]) -> Job:
    r = dict(zip(names, row, strict=True))
    return Job(
        id=r["id"],
        name=r["name"],
        seeds=json.loads(r["seeds"]),
        feeds=json.loads(r["feeds"]),
        sitemaps=json.loads(r["sitemaps"]),
        schedule=Schedule(r["schedule_kind"], r["schedule"]),
        options=_upgrade_options(json.loads(r["options"])),
        revisit_schedule=r["revisit_schedule"],
        poll_min=r["poll_min"],
        poll_max=r["poll_max"],
        paused=bool(r["paused"]),
        created_at=r["created_at"],
        last_started_at=r["last_started_at"],
    )


def _query_jobs(
    conn: sqlite3.Connection, where: str = "", params: tuple[Any, ...] = ()
) -> list[Job]:
    cur = conn.execute(f"SELECT * FROM jobs {where} ORDER BY name", params)
    names = [d[0] for d in cur.description]
    return [_row_to_job(row, names) for row in cur.fetchall()]


def list_jobs(conn: sqlite3.Connection) -> list[Job]:
    return _query_jobs(conn)


def get_job(conn: sqlite3.Connection, name: str) -> Job:
    found = _query_jobs(conn, "WHERE name = ?", (name,))
    if not found:
        raise JobError(f"no job named {name!r}")
    return found[0]


def find_job(conn: sqlite3.Connection, name: str) -> Job | None:
    found = _query_jobs(conn, "WHERE name = ?", (name,))
    return found[0] if found else None


def save_job(
    conn: sqlite3.Connection, job: Job, *, now: float | None = None, create: bool | None = None
) -> Job:
    """Insert (``create=True``), update (``False``) or upsert (``None``) by name."""
    job.validate()
    now = now_ts() if now is None else now
    existing = find_job(conn, job.name)
    if create is True and existing is not None:
        raise JobError(f"a job named {job.name!r} already exists (use jobs edit)")
    if create is False and existing is None:
        raise JobError(f"no job named {job.name!r}")
    values = (
        json.dumps(job.seeds),
        json.dumps(job.feeds),
        json.dumps(job.sitemaps),
        job.schedule.kind,
        job.schedule.value,
        json.dumps(job.options, sort_keys=True),
        job.revisit_schedule,
        job.poll_min,
        job.poll_max,
        int(job.paused),
        now,
    )
    with conn:
        if existing is None:
            cur = conn.execute(
                "INSERT INTO jobs (seeds, feeds, sitemaps, schedule_kind, schedule, options, "
                "revisit_schedule, poll_min, poll_max, paused, updated_at, name, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, job.name, now),
            )
            job.id = int(cur.lastrowid or 0)
            job.created_at = now
        else:
            conn.execute(
                "UPDATE jobs SET seeds = ?, feeds = ?, sitemaps = ?, schedule_kind = ?, "
                "schedule = ?, options = ?, revisit_schedule = ?, poll_min = ?, poll_max = ?, "
                "paused = ?, updated_at = ? WHERE name = ?",
                (*values, job.name),
            )
            job.id = existing.id
            job.created_at = existing.created_at
            job.last_started_at = existing.last_started_at
    return job


def absolute_warc_dir(job: Job, base: Path | None = None) -> None:
    """A job's ``warc_dir`` given as a relative path means relative to where the user
    was (``base``, default the current directory) when adding or importing it: keep
    it absolute, so every run writes to the same folder whatever its working
    directory."""
    value = job.options.get("warc_dir")
    if value and not Path(value).is_absolute():
        job.options["warc_dir"] = str(((base or Path.cwd()) / value).resolve())


def job_warc_dir(job: Job, db_path: str | Path) -> str:
    """Where a run of ``job`` writes its WARC files: its ``warc_dir`` (relative ones,
    of archives from before absolute paths, taken relative to the archive file), else
    the ``warc`` folder next to the archive file."""
    folder = Path(db_path).resolve().parent
    value = job.options.get("warc_dir")
    if not value:
        return str(folder / "warc")
    return str(folder / value) if not Path(value).is_absolute() else str(value)


def migrate_warc_dirs(conn: sqlite3.Connection, db_path: str | Path) -> list[str]:
    """Make the relative ``warc_dir`` of jobs saved before the rule above absolute.

    Such a job wrote its files relative to whichever folder its runs started in: the
    folder (next to the archive, or the current directory) that holds the files its
    captures name wins; next to the archive when neither does.  Returns the names of
    the jobs changed."""
    changed = []
    folder = Path(db_path).resolve().parent
    for job in list_jobs(conn):
        value = job.options.get("warc_dir")
        if not value or Path(value).is_absolute():
            continue
        names = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT p.warc_file FROM captures p JOIN crawls c ON c.id = p.crawl_id "
                "WHERE c.job_id = ? LIMIT 20",
                (job.id,),
            )
            if r[0]
        ]
        chosen = folder / value
        for base in (folder, Path.cwd()):
            if names and all((base / value / n).exists() for n in names):
                chosen = base / value
                break
        job.options["warc_dir"] = str(chosen.resolve())
        with conn:
            conn.execute(
                "UPDATE jobs SET options = ? WHERE id = ?",
                (json.dumps(job.options, sort_keys=True), job.id),
            )
        changed.append(job.name)
    return changed


def set_paused(conn: sqlite3.Connection, name: str, paused: bool) -> Job:
    job = get_job(conn, name)
    with conn:
        conn.execute(
            "UPDATE jobs SET paused = ?, updated_at = ? WHERE id = ?",
            (int(paused), now_ts(), job.id),
        )
    job.paused = paused
    return job


def remove_job(conn: sqlite3.Connection, name: str) -> None:
    """Delete the job, its lock and sources; its crawls stay (with their job_id)."""
    job = get_job(conn, name)
    with conn:
        conn.execute("DELETE FROM job_locks WHERE job_id = ?", (job.id,))
        conn.execute("DELETE FROM sources WHERE job_id = ?", (job.id,))
        conn.execute("DELETE FROM jobs WHERE id = ?", (job.id,))


def mark_started(conn: sqlite3.Connection, job_id: int, when: float) -> None:
    with conn:
        conn.execute("UPDATE jobs SET last_started_at = ? WHERE id = ?", (when, job_id))


def job_next_due(conn: sqlite3.Connection, job: Job) -> float:
    """The job's schedule slot, or earlier when one of its sources is due sooner
    under adaptive polling."""
    due = next_due(job.schedule, job.last_started_at, job.created_at)
    row = conn.execute(
        "SELECT min(next_fetch_at) FROM sources WHERE job_id = ?", (job.id,)
    ).fetchone()
    if row and row[0] is not None and job.last_started_at is not None:
        due = min(due, row[0])
    return due


def job_next_due_why(conn: sqlite3.Connection, job: Job) -> tuple[float, str]:
    """When the job is next due, and why: its schedule, or one of its feeds or
    sitemaps due sooner under adaptive polling."""
    from archiver.schedule.rules import format_duration

    due = next_due(job.schedule, job.last_started_at, job.created_at)
    if job.last_started_at is None:
        why = (
            "never ran: due now"
            if job.schedule.kind == "every"
            else f"first slot of {job.schedule.describe()}"
        )
    else:
        why = f"{job.schedule.describe()} after the last start ({fmt_time(job.last_started_at)})"
    row = conn.execute(
        "SELECT url, next_fetch_at, interval, new_last FROM sources "
        "WHERE job_id = ? ORDER BY next_fetch_at LIMIT 1",
        (job.id,),
    ).fetchone()
    if row and row[1] is not None and job.last_started_at is not None and row[1] < due:
        due = row[1]
        interval = format_duration(round(row[2]))
        trend = (
            f"its last fetch found {row[3]} new item(s) captured, so it is polled more often"
            if row[3]
            else "it had nothing new, so it is polled less often"
        )
        why = (
            f"source {row[0]} is due sooner under adaptive polling (every {interval}: "
            f"{trend}; bounds --poll-min {job.poll_min} .. --poll-max {job.poll_max})"
        )
    return due, why


# -- locks -------------------------------------------------------------------
def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Lock:
    job_id: int
    pid: int
    host: str
    acquired_at: float
    heartbeat_at: float


def _lock_row(conn: sqlite3.Connection, job_id: int) -> Lock | None:
    row = conn.execute(
        "SELECT job_id, pid, host, acquired_at, heartbeat_at FROM job_locks WHERE job_id = ?",
        (job_id,),
    ).fetchone()
    return Lock(*row) if row else None


def lock_is_stale(
    lock: Lock,
    now: float,
    *,
    ttl: float = LOCK_TTL,
    host: str | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> bool:
    """Stale: no heartbeat for ``ttl`` seconds, or its process is gone (same host)."""
    host = host or socket.gethostname()
    if now - lock.heartbeat_at > ttl:
        return True
    return lock.host == host and not alive(lock.pid)


def lock_holder(
    conn: sqlite3.Connection,
    job_id: int,
    now: float,
    *,
    ttl: float = LOCK_TTL,
    host: str | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> Lock | None:
    """The live lock on a job, or None."""
    lock = _lock_row(conn, job_id)
    if lock is None or lock_is_stale(lock, now, ttl=ttl, host=host, alive=alive):
        return None
    return lock


def acquire_lock(
    conn: sqlite3.Connection,
    job_id: int,
    *,
    pid: int,
    now: float,
    host: str | None = None,
    ttl: float = LOCK_TTL,
    alive: Callable[[int], bool] = pid_alive,
) -> Lock | None:
    """Take the job's lock atomically (``BEGIN IMMEDIATE``); a stale lock is taken
    over.  Returns None when somebody else holds a live lock."""
    host = host or socket.gethostname()
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = _lock_row(conn, job_id)
        if current is not None and not lock_is_stale(current, now, ttl=ttl, host=host, alive=alive):
            conn.execute("ROLLBACK")
            return None
        conn.execute(
            "INSERT OR REPLACE INTO job_locks (job_id, pid, host, acquired_at, "
            "heartbeat_at) VALUES (?, ?, ?, ?, ?)",
            (job_id, pid, host, now, now),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return Lock(job_id, pid, host, now, now)


def heartbeat(conn: sqlite3.Connection, lock: Lock, now: float) -> bool:
    """Refresh our lock; False if it is no longer ours."""
    with conn:
        cur = conn.execute(
            "UPDATE job_locks SET heartbeat_at = ? WHERE job_id = ? AND pid = ? AND host = ?",
            (now, lock.job_id, lock.pid, lock.host),
        )
    return bool(cur.rowcount)


def release_lock(conn: sqlite3.Connection, lock: Lock) -> None:
    with conn:
        conn.execute(
            "DELETE FROM job_locks WHERE job_id = ? AND pid = ? AND host = ?",
            (lock.job_id, lock.pid, lock.host),
        )


class Heartbeat(threading.Thread):
    """Refresh a lock every ``interval`` seconds from its own connection."""

    def __init__(self, db_path: str, lock: Lock, interval: float = HEARTBEAT) -> None:
        super().__init__(name="archiver-job-heartbeat", daemon=True)
        self.db_path = db_path
        self.lock = lock
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        from archiver import store

        while not self.stopped.wait(self.interval):
            try:
                conn = store.connect(self.db_path)
                try:
                    heartbeat(conn, self.lock, now_ts())
                finally:
                    conn.close()
            except sqlite3.Error:
                pass

    def stop(self) -> None:
        self.stopped.set()


# -- sources (adaptive polling) ------------------------------------------------
def update_sources(conn: sqlite3.Connection, job: Job, stats: dict[str, Any], now: float) -> None:
    """After a run: each feed and sitemap the crawl fetched gets its new interval.

    The crawl's stats carry ``archiver/source/<url>/items`` and ``.../new`` (entries
    and entries not captured before by the job).  The first fetch keeps the initial
    interval (everything is new then)."""
    lo = parse_duration(job.poll_min)
    hi = parse_duration(job.poll_max)
    for kind, urls in (("feed", job.feeds), ("sitemap", job.sitemaps)):
        for url in urls:
            key = f"archiver/source/{url}"
            if f"{key}/items" not in stats:
                continue
            items = int(stats.get(f"{key}/items", 0))
            new = int(stats.get(f"{key}/new", 0))
            row = conn.execute(
                "SELECT interval, fetches, new_total FROM sources WHERE job_id = ? AND url = ?",
                (job.id, url),
            ).fetchone()
            if row is None:
                interval = initial_interval(job.schedule, lo, hi, now)
                fetches, total = 0, 0
            else:
                interval, fetches, total = row
                interval = adapt_interval(interval, new, lo, hi)
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO sources (job_id, url, kind, interval, last_fetch_at, "
                    "next_fetch_at, fetches, items_last, new_last, new_total) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        job.id,
                        url,
                        kind,
                        interval,
                        now,
                        now + interval,
                        fetches + 1,
                        items,
                        new,
                        total + new,
                    ),
                )


def sources(conn: sqlite3.Connection, job_id: int) -> list[dict[str, Any]]:
    cur = conn.execute("SELECT * FROM sources WHERE job_id = ? ORDER BY url", (job_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# -- run history -------------------------------------------------------------
def runs(conn: sqlite3.Connection, job_id: int, limit: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM job_runs WHERE job_id = ? ORDER BY crawl_id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    cur = conn.execute(sql, (job_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def articles_found(conn: sqlite3.Connection, job_id: int) -> int:
    row = conn.execute(
        "SELECT coalesce(sum(new_articles), 0) FROM job_runs WHERE job_id = ?", (job_id,)
    ).fetchone()
    return int(row[0])


def fail_running_crawls(
    conn: sqlite3.Connection, job_id: int, reason: str, status: str = "failed"
) -> int:
    """Mark the job's crawls still 'running' as failed (their process is gone)."""
    from archiver.store import utcnow

    with conn:
        cur = conn.execute(
            "UPDATE crawls SET status = ?, finished_at = ?, "
            "stats = json_set(coalesce(stats, '{}'), '$.error', ?) "
            "WHERE job_id = ? AND status = 'running'",
            (status, utcnow(), reason, job_id),
        )
    return cur.rowcount


# -- TOML ----------------------------------------------------------------------
def job_to_dict(job: Job) -> dict[str, Any]:
    out: dict[str, Any] = {"name": job.name, "seeds": list(job.seeds)}
    out["feeds"] = list(job.feeds)
    out["sitemaps"] = list(job.sitemaps)
    out[job.schedule.kind] = job.schedule.value
    out["revisit_schedule"] = job.revisit_schedule
    out["poll_min"] = job.poll_min
    out["poll_max"] = job.poll_max
    out["paused"] = job.paused
    options = {
        k: (list(v) if isinstance(v, (list, tuple)) else v)
        for k, v in sorted(job.options.items())
        if v is not None
    }
    out["options"] = options
    return out


def job_from_dict(data: dict[str, Any]) -> Job:
    if not isinstance(data, dict) or "name" not in data:
        raise JobError("every [[jobs]] entry needs a name")
    known = {
        "name",
        "seeds",
        "feeds",
        "sitemaps",
        "every",
        "cron",
        "revisit_schedule",
        "poll_min",
        "poll_max",
        "paused",
        "options",
    }
    unknown = set(data) - known
    if unknown:
        raise JobError(f"job {data['name']!r}: unknown key(s) {', '.join(sorted(unknown))}")
    try:
        schedule = parse_schedule(data.get("every"), data.get("cron"))
    except ScheduleError as exc:
        raise JobError(f"job {data['name']!r}: {exc}") from None
    return Job(
        name=str(data["name"]),
        seeds=list(data.get("seeds") or []),
        feeds=list(data.get("feeds") or []),
        sitemaps=list(data.get("sitemaps") or []),
        schedule=schedule,
        options=dict(data.get("options") or {}),
        revisit_schedule=str(data.get("revisit_schedule", DEFAULT_REVISIT_SCHEDULE)),
        poll_min=str(data.get("poll_min", DEFAULT_POLL_MIN)),
        poll_max=str(data.get("poll_max", DEFAULT_POLL_MAX)),
        paused=bool(data.get("paused", False)),
    )


def export_toml(conn: sqlite3.Connection) -> str:
    import tomli_w

    header = "# archiver jobs: archiver jobs import FILE\n"
    jobs = [job_to_dict(j) for j in list_jobs(conn)]
    return header + tomli_w.dumps({"jobs": jobs})


def import_toml(conn: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """Create or update jobs by name; returns (name, "created"|"updated") pairs.
    All entries are checked before any is written."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise JobError(f"invalid TOML: {exc}") from None
    entries = data.get("jobs", [])
    if not isinstance(entries, list):
        raise JobError("invalid jobs file: expected [[jobs]] tables")
    jobs = [job_from_dict(e) for e in entries]
    for job in jobs:
        absolute_warc_dir(job)
        try:
            job.validate()
        except JobError as exc:
            raise JobError(f"job {job.name!r}: {exc}") from None
    done = []
    for job in jobs:
        existed = find_job(conn, job.name) is not None
        save_job(conn, job)
        done.append((job.name, "updated" if existed else "created"))
    return done


def missed_count(job: Job, now: float) -> int:
    """Schedule slots passed since the job's last run (they collapse into one run)."""
    from archiver.schedule.rules import missed_slots

    return missed_slots(job.schedule, job.last_started_at, job.created_at, now)
