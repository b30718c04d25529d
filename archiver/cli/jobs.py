"""``archiver jobs ...`` and ``archiver scheduler``: recurring crawl jobs.

Registered by one line in :mod:`archiver.cli` (``register(cli)``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from archiver.cli.common import (
    UserError,
    crawl_params,
    exit_for,
    format_option,
    log_params,
    print_crawl_summary,
    run_crawl_command,
)
from archiver.schedule.rules import (
    DEFAULT_POLL_MAX,
    DEFAULT_POLL_MIN,
    DEFAULT_REVISIT_SCHEDULE,
    ScheduleError,
    parse_schedule,
)

_DB = click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(),
    help="SQLite archive holding the jobs (and their crawls).",
)


def _open(db: str, *, create: bool = False) -> Any:
    from archiver import store

    if not create and not Path(db).exists():
        raise UserError(f"archive {db} does not exist (add a job first with archiver jobs add)")
    if create:
        try:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder of {db}: {exc.strerror or exc}") from None
    try:
        conn = store.open_db(db).conn
    except store.StoreError as exc:
        raise UserError(str(exc)) from None
    from archiver.schedule.jobs import migrate_warc_dirs

    for name in migrate_warc_dirs(conn, db):
        click.echo(f"note: job {name}: its relative --warc-dir is now an absolute path", err=True)
    return conn


def _job_error(func: Any) -> Any:
    """Turn JobError / ScheduleError into one-line errors."""
    import functools

    from archiver.schedule.jobs import JobError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (JobError, ScheduleError) as exc:
            raise UserError(str(exc)) from None

    return wrapper


def _given_crawl_options(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """The crawl options given on the command line (not defaults), JSON-ready."""
    from archiver.schedule.jobs import CRAWL_OPTION_NAMES

    out = {}
    for name in CRAWL_OPTION_NAMES:
        if ctx.get_parameter_source(name) in (
            ParameterSource.COMMANDLINE,
            ParameterSource.ENVIRONMENT,
        ):
            value = options.get(name)
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _job_options(func: Any) -> Any:
    decorators = [
        click.option(
            "--seed",
            "seeds",
            multiple=True,
            metavar="URL",
            help="Site or section URL to start from (repeatable).",
        ),
        click.option(
            "--feed",
            "feeds",
            multiple=True,
            metavar="URL",
            help="RSS/Atom feed to poll (repeatable).",
        ),
        click.option(
            "--sitemap",
            "sitemaps",
            multiple=True,
            metavar="URL",
            help="Sitemap (news sitemap) to poll (repeatable).",
        ),
        click.option(
            "--every",
            default=None,
            metavar="INTERVAL",
            help="Run every INTERVAL: a number and a unit s, m, h, d or w (30m, 6h, 1d).",
        ),
        click.option(
            "--cron",
            default=None,
            metavar="EXPR",
            help='Run at the times of a 5-field cron expression, in UTC ("0 */6 * * *").',
        ),
        click.option(
            "--revisit-schedule",
            default=None,
            metavar="STEPS",
            help="Refetch known articles at these ages after first capture "
            f"[default: {DEFAULT_REVISIT_SCHEDULE}; '7d+' repeats; 'never'].",
        ),
        click.option(
            "--poll-min",
            default=None,
            metavar="INTERVAL",
            help=f"Shortest adaptive polling interval of a feed/sitemap "
            f"[default: {DEFAULT_POLL_MIN}].",
        ),
        click.option(
            "--poll-max",
            default=None,
            metavar="INTERVAL",
            help=f"Longest adaptive polling interval [default: {DEFAULT_POLL_MAX}].",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


@click.group()
def jobs() -> None:
    """Recurring crawl jobs stored in the archive (see also: archiver scheduler)."""


@jobs.command("add")
@click.argument("name")
@_job_options
@click.option("--paused", is_flag=True, help="Add the job paused.")
@crawl_params
@click.pass_context
@_job_error
def add(
    ctx: click.Context,
    name: str,
    seeds: tuple[str, ...],
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    every: str | None,
    cron: str | None,
    revisit_schedule: str | None,
    poll_min: str | None,
    poll_max: str | None,
    paused: bool,
    db: str,
    **options: Any,
) -> None:
    """Add job NAME: --seed/--feed/--sitemap URLs, a schedule (--every or --cron) and
    any option of archiver crawl.

    Example:

    \b
        archiver jobs add city --seed https://news.example.org/ --every 6h --max-pages 500
    """
    from archiver.schedule.jobs import Job, absolute_warc_dir, save_job

    job = Job(
        name=name,
        seeds=list(seeds),
        feeds=list(feeds),
        sitemaps=list(sitemaps),
        schedule=parse_schedule(every, cron),
        options=_given_crawl_options(ctx, options),
        revisit_schedule=revisit_schedule or DEFAULT_REVISIT_SCHEDULE,
        poll_min=poll_min or DEFAULT_POLL_MIN,
        poll_max=poll_max or DEFAULT_POLL_MAX,
        paused=paused,
    )
    absolute_warc_dir(job)
    job.validate()
    conn = _open(db, create=True)
    save_job(conn, job, create=True)
    click.echo(f"added job {name}: {job.schedule.describe()}")


@jobs.command("edit")
@click.argument("name")
@_job_options
@click.option(
    "--unset",
    multiple=True,
    metavar="OPTION",
    help="Drop a crawl option from the job (e.g. --unset max-pages).",
)
@crawl_params
@click.pass_context
@_job_error
def edit(
    ctx: click.Context,
    name: str,
    seeds: tuple[str, ...],
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    every: str | None,
    cron: str | None,
    revisit_schedule: str | None,
    poll_min: str | None,
    poll_max: str | None,
    unset: tuple[str, ...],
    db: str,
    **options: Any,
) -> None:
    """Change job NAME: the options given replace the job's (a list option such as
    --seed replaces the whole list); others stay."""
    from archiver.schedule.jobs import (
        CRAWL_OPTION_NAMES,
        absolute_warc_dir,
        get_job,
        save_job,
    )

    conn = _open(db)
    job = get_job(conn, name)
    if seeds:
        job.seeds = list(seeds)
    if feeds:
        job.feeds = list(feeds)
    if sitemaps:
        job.sitemaps = list(sitemaps)
    if every is not None or cron is not None:
        job.schedule = parse_schedule(every, cron)
    if revisit_schedule is not None:
        job.revisit_schedule = revisit_schedule
    if poll_min is not None:
        job.poll_min = poll_min
    if poll_max is not None:
        job.poll_max = poll_max
    for option in unset:
        key = option.lstrip("-").replace("-", "_")
        if key not in CRAWL_OPTION_NAMES:
            raise UserError(f"--unset: no crawl option {option!r}")
        job.options.pop(key, None)
    job.options.update(_given_crawl_options(ctx, options))
    absolute_warc_dir(job)
    save_job(conn, job, create=False)
    click.echo(f"updated job {name}")


def _simple(verb: str, doc: str) -> Any:
    @jobs.command(verb, help=doc)
    @click.argument("name")
    @_DB
    @_job_error
    def command(name: str, db: str) -> None:
        from archiver.schedule import jobs as j

        conn = _open(db)
        if verb == "remove":
            j.remove_job(conn, name)
            click.echo(f"removed job {name} (its crawls stay in the archive)")
        else:
            j.set_paused(conn, name, verb == "pause")
            click.echo(f"{verb}d job {name}")

    return command


_simple("pause", "Pause job NAME: the scheduler does not start it until resumed.")
_simple("resume", "Resume job NAME.")
_simple("remove", "Remove job NAME (its crawls stay in the archive).")


def _state(conn: Any, job: Any) -> str:
    from archiver.schedule.jobs import lock_holder

    if lock_holder(conn, job.id, time.time()) is not None:
        return "running"
    return "paused" if job.paused else "active"


@jobs.command("list")
@_DB
@format_option()
@_job_error
def list_(db: str, fmt: str) -> None:
    """List the jobs: schedule, state, next run, last run, last status, articles found."""
    from archiver.schedule import jobs as j

    conn = _open(db)
    if fmt == "json":
        click.echo(
            json.dumps(
                [_job_json(conn, job, runs=1) for job in j.list_jobs(conn)], indent=2, default=str
            )
        )
        return
    rows = [("NAME", "SCHEDULE", "STATE", "NEXT RUN", "LAST RUN", "LAST STATUS", "ARTICLES")]
    for job in j.list_jobs(conn):
        last = j.runs(conn, job.id, limit=1)
        state = _state(conn, job)
        next_run = "-" if job.paused else j.fmt_time(max(j.job_next_due(conn, job), 0))
        rows.append(
            (
                job.name,
                job.schedule.describe(),
                state,
                next_run,
                j.fmt_time(j.iso_to_ts(last[0]["started_at"])) if last else "-",
                last[0]["status"] if last else "-",
                str(j.articles_found(conn, job.id)),
            )
        )
    if len(rows) == 1:
        click.echo("no jobs (add one with archiver jobs add)")
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@jobs.command("show")
@click.argument("name")
@_DB
@click.option("--runs", "limit", default=20, show_default=True, help="Runs of history to show.")
@format_option()
@_job_error
def show(name: str, db: str, limit: int, fmt: str) -> None:
    """Show job NAME: its settings, sources and run history."""
    from archiver.schedule import jobs as j

    conn = _open(db)
    job = j.get_job(conn, name)
    if fmt == "json":
        click.echo(json.dumps(_job_json(conn, job, runs=limit), indent=2, default=str))
        return
    lines = [
        ("name", job.name),
        ("state", _state(conn, job)),
        ("schedule", job.schedule.describe()),
        ("seeds", " ".join(job.seeds) or "-"),
        ("feeds", " ".join(job.feeds) or "-"),
        ("sitemaps", " ".join(job.sitemaps) or "-"),
        ("crawl options", " ".join(_option_words(job.options)) or "-"),
        ("revisit schedule", job.revisit_schedule),
        ("polling bounds", f"{job.poll_min} .. {job.poll_max}"),
        ("created", j.fmt_time(job.created_at)),
        ("last started", j.fmt_time(job.last_started_at)),
        ("next run", "-" if job.paused else _next_run(conn, job)),
        ("articles found", str(j.articles_found(conn, job.id))),
    ]
    for key, value in lines:
        click.echo(f"{key + ':':18} {value}")
    srcs = j.sources(conn, job.id)
    if srcs:
        click.echo("\nsources (adaptive polling):")
        for s in srcs:
            click.echo(
                f"  {s['url']}  every {s['interval'] / 60:.0f} min, next "
                f"{j.fmt_time(s['next_fetch_at'])}, last {s['items_last']} items / "
                f"{s['new_last']} new captured, {s['fetches']} fetches, "
                f"{s['new_total']} new in all"
            )
    history = j.runs(conn, job.id, limit=limit)
    click.echo("\nruns:")
    if not history:
        click.echo("  none yet")
        return
    head = (
        "CRAWL",
        "STARTED",
        "FINISHED",
        "STATUS",
        "PAGES",
        "CAPTURES",
        "NEW",
        "CHANGED",
        "UNCHANGED",
        "ERRORS",
        "BYTES",
    )
    rows = [head] + [
        (
            str(r["crawl_id"]),
            r["started_at"][:19].replace("T", " "),
            (r["finished_at"] or "-")[:19].replace("T", " "),
            r["status"],
            str(r["pages"]),
            str(r["captures"]),
            str(r["new_articles"]),
            str(r["changed_articles"]),
            str(r["unchanged"]),
            str(r["errors"]),
            str(r["bytes"]),
        )
        for r in history
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for row in rows:
        click.echo("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(
        "  (PAGES: pages fetched, what --max-pages spends; CAPTURES: every WARC "
        "response/revisit, with page requisites, robots.txt, feeds, sitemaps and "
        "redirects; NEW/CHANGED: articles)"
    )


def _next_run(conn: Any, job: Any) -> str:
    from archiver.schedule import jobs as j

    due, why = j.job_next_due_why(conn, job)
    return f"{j.fmt_time(due)}: {why}"


def _job_json(conn: Any, job: Any, runs: int) -> dict[str, Any]:
    """A job, its state, sources and latest runs, for ``--format json``."""
    from archiver.schedule import jobs as j

    return {
        "name": job.name,
        "state": _state(conn, job),
        "schedule": job.schedule.describe(),
        "seeds": job.seeds,
        "feeds": job.feeds,
        "sitemaps": job.sitemaps,
        "options": job.options,
        "revisit_schedule": job.revisit_schedule,
        "poll_min": job.poll_min,
        "poll_max": job.poll_max,
        "paused": job.paused,
        "created": j.fmt_time(job.created_at),
        "last_started": j.fmt_time(job.last_started_at),
        "next_run": None if job.paused else j.fmt_time(j.job_next_due(conn, job)),
        "articles_found": j.articles_found(conn, job.id),
        "sources": [dict(s) for s in j.sources(conn, job.id)],
        "runs": [dict(r) for r in j.runs(conn, job.id, limit=runs)],
    }


def _option_words(options: dict[str, Any]) -> list[str]:
    words = []
    for key, value in sorted(options.items()):
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            words.append(flag if value else f"--no-{key.replace('_', '-')}")
        elif isinstance(value, list):
            words += [f"{flag} {v}" for v in value]
        else:
            words.append(f"{flag} {value}")
    return words


@jobs.command("run")
@click.argument("name")
@_DB
@log_params
@_job_error
def run(name: str, db: str, quiet: bool, log_level: str | None) -> None:
    """Run job NAME now, in this process (an incremental crawl into the job's archive)."""
    from archiver.schedule import jobs as j

    conn = _open(db)
    job = j.get_job(conn, name)
    # the archive's crawl lock first (the crawl takes it again, re-entrant): a run
    # refused because another crawl writes to the archive writes nothing at all
    held = _archive_lock(db)
    try:
        _run_job(conn, job, db, quiet, log_level)
    finally:
        held.release()


def _archive_lock(db: str) -> Any:
    from archiver.crawl.failures import EXIT_WRITE
    from archiver.crawl.runner import archive_lock
    from archiver.errors import CrawlError, WriteError

    try:
        return archive_lock(db)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    except WriteError as exc:
        raise UserError(f"{exc}; free space and run it again", EXIT_WRITE) from None


def _run_job(conn: Any, job: Any, db: str, quiet: bool, log_level: str | None) -> None:
    from archiver import store
    from archiver.crawl.failures import EXIT_WRITE
    from archiver.schedule import jobs as j

    name = job.name
    now = time.time()
    lock = j.acquire_lock(conn, job.id, pid=os.getpid(), now=now)
    if lock is None:
        holder = j.lock_holder(conn, job.id, now)
        who = f" (pid {holder.pid} on {holder.host})" if holder else ""
        raise UserError(f"job {name} is already running{who}")
    j.mark_started(conn, job.id, now)
    beat = j.Heartbeat(db, lock)
    beat.start()
    try:
        extra = {
            "ARCHIVER_JOB_ID": job.id,
            "ARCHIVER_INCREMENTAL": True,
            "ARCHIVER_REVISIT_SCHEDULE": job.revisit_schedule,
        }
        options = dict(job.options)
        options["warc_dir"] = j.job_warc_dir(job, db)
        try:
            result = run_crawl_command(
                job.crawl_seeds,
                quiet=quiet,
                log_level=log_level,
                db=db,
                extra_settings=extra,
                **options,
            )
        except UserError as exc:
            if exc.exit_code != EXIT_WRITE:  # a full disk takes no row either
                # the run's failure, in the job's run history
                with contextlib.suppress(store.StoreError, sqlite3.Error):
                    sdb = store.open_db(db)
                    crawl_id = store.start_crawl(sdb, job.crawl_seeds, {}, job_id=job.id)
                    store.finish_crawl(sdb, crawl_id, "failed", {"error": exc.format_message()})
                    sdb.close()
            raise
        if result.crawl_id and (result.pages == 0 or result.database_error):
            with conn:
                conn.execute("UPDATE crawls SET status = 'failed' WHERE id = ?", (result.crawl_id,))
        j.update_sources(conn, job, result.stats, time.time())
    finally:
        beat.stop()
        j.release_lock(conn, lock)
    if not quiet:
        print_crawl_summary(result, db)
    exit_for(result)


@jobs.command("export")
@_DB
@_job_error
def export(db: str) -> None:
    """Print all jobs as TOML (archiver jobs export > jobs.toml)."""
    from archiver.schedule.jobs import export_toml

    click.echo(export_toml(_open(db)), nl=False)


@jobs.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_DB
@_job_error
def import_(file: str, db: str) -> None:
    """Create or update (by name) the jobs of a TOML FILE written by jobs export."""
    from archiver.schedule.jobs import import_toml

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror or exc}") from None
    conn = _open(db, create=True)
    for name, what in import_toml(conn, text):
        click.echo(f"{what} job {name}")


@click.command()
@_DB
@click.option(
    "--max-parallel",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most crawls running at once; runs into one archive go one at a time (one writer).",
)
@click.option(
    "--once",
    is_flag=True,
    help="Run whatever is due now, wait for those runs, exit (for cron and timers).",
)
@click.option(
    "--tick",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds between checks for due jobs.",
)
@click.option(
    "--log-level",
    default=None,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    help="Log level of the crawls [default: WARNING].",
)
def scheduler(db: str, max_parallel: int, once: bool, tick: float, log_level: str | None) -> None:
    """Start due jobs as separate crawl processes until SIGTERM/SIGINT.

    Logs each start and end on stderr. On SIGTERM or SIGINT it starts no more jobs,
    stops the running crawls cleanly (WARC files closed) and exits.
    """
    from archiver.schedule.scheduler import Scheduler

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s"
    )
    _open(db, create=True).close()
    sched = Scheduler(db, max_parallel=max_parallel, tick=tick, log_level=log_level)
    sched.install_signals()
    try:
        if once:
            ended = sched.run_once()
            _say_what_ran(sched, ended)
            if any(code not in (0, 130) for _, code in ended):
                sys.exit(1)
        else:
            sched.run_forever()
    finally:
        sched.close()


def _say_what_ran(sched: Any, ended: list[tuple[str, int]]) -> None:
    """``scheduler --once``'s report on standard output: the runs and how they ended,
    or that nothing was due, and what is due next."""
    from archiver.schedule import jobs as j

    for name, code in ended:
        job = j.find_job(sched.conn, name)
        last = j.runs(sched.conn, job.id, limit=1) if job else []
        if last:
            r = last[0]
            click.echo(
                f"ran {name}: {r['status']} (crawl {r['crawl_id']}, exit {code}, "
                f"{r['pages']} pages, {r['captures']} captures, {r['new_articles']} "
                f"new articles, {r['changed_articles']} changed, {r['errors']} errors)"
            )
        else:
            click.echo(f"ran {name}: no crawl recorded (exit {code})")
    upcoming = sched.next_job()
    if upcoming is None:
        click.echo(
            "nothing due"
            + (
                ""
                if ended
                else ": no active jobs (add one with archiver jobs add, or resume a paused one)"
            )
        )
        return
    job, when = upcoming
    prefix = "next" if ended else "nothing due, next"
    click.echo(f"{prefix}: {job.name} at {j.fmt_time(when)}")


def register(cli: click.Group) -> None:
    cli.add_command(jobs)
    cli.add_command(scheduler)
