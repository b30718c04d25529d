"""Distributed crawling commands: the ``crawl`` options ``--redis``/``--crawl``,
``archiver status`` and ``archiver merge``.  Registered by :func:`register`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archiver.cli.common import UserError


def crawl_options(func: Any) -> Any:
    """The options of ``archiver crawl`` that make it a worker of a distributed crawl."""
    decorators = [
        click.option(
            "--redis",
            "redis_url",
            default=None,
            metavar="redis://HOST:PORT/DB",
            help="Run as one worker of a distributed crawl on this Redis server "
            "(docs/distributed.md).",
        ),
        click.option(
            "--crawl",
            "crawl_name",
            default=None,
            metavar="NAME",
            help="Name of the distributed crawl to start or join [default: news].",
        ),
        click.option(
            "--worker-id",
            default=None,
            help="This worker's id (WARC prefix, shard name) [default: HOST-PID].",
        ),
        click.option(
            "--heartbeat-timeout",
            type=float,
            default=None,
            help="Seconds after which a silent worker's claims are requeued [default: 30].",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def prepare(ctx: click.Context, options: dict[str, Any], seeds: tuple[str, ...]) -> bool:
    """Turn the distributed options into settings; True for a distributed crawl."""
    url = options.pop("redis_url", None)
    name = options.pop("crawl_name", None)
    worker = options.pop("worker_id", None)
    timeout = options.pop("heartbeat_timeout", None)
    if not url:
        if name or worker or timeout is not None:
            raise UserError("--crawl, --worker-id and --heartbeat-timeout need --redis")
        return False
    from archiver.crawl.distributed import check_name, default_worker_id
    from archiver.errors import CrawlError

    try:
        name = check_name(name or "news")
        worker = check_name(worker or default_worker_id(), "--worker-id")
        _ping(url, name, need_crawl=not seeds)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    if timeout is not None and timeout <= 0:
        raise UserError("--heartbeat-timeout must be more than 0 seconds")
    extra = dict(options.get("extra_settings") or {})
    extra.update({"REDIS_URL": url, "ARCHIVER_CRAWL": name, "ARCHIVER_WORKER_ID": worker})
    if timeout is not None:
        extra["ARCHIVER_HEARTBEAT_TIMEOUT"] = timeout
        extra["ARCHIVER_HEARTBEAT"] = min(2.0, timeout / 4)
    options["extra_settings"] = extra
    if ctx.get_parameter_source("db") == click.core.ParameterSource.DEFAULT:
        options["db"] = f"{name}-{worker}.db"  # each worker its own shard
    return True


def _ping(url: str, name: str, need_crawl: bool) -> None:
    import redis

    from archiver.crawl.distributed import Keys, connect
    from archiver.errors import CrawlError

    client = connect(url)
    try:
        client.ping()
        if need_crawl and not client.exists(Keys(name).definition):
            raise CrawlError(
                f"crawl {name!r} does not exist in Redis at {url}: give the seed URLs to start it"
            )
    except redis.RedisError as exc:
        raise CrawlError(f"cannot reach Redis at {url}: {exc}") from None
    finally:
        client.close()


@click.command()
@click.option(
    "--redis",
    "redis_url",
    required=True,
    metavar="redis://HOST:PORT/DB",
    help="The Redis server of the distributed crawls.",
)
@click.option(
    "--crawl",
    "crawl_name",
    default=None,
    metavar="NAME",
    help="Only this crawl [default: every crawl in the database].",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def status(redis_url: str, crawl_name: str | None, fmt: str) -> None:
    """Show distributed crawls: queue length, claimed, done and failed requests, workers
    alive with their pages/s, per-site queue sizes.

    Example:

        archiver status --redis redis://10.0.0.5:6379/0 --crawl national
    """
    from archiver.crawl.distributed import status as crawl_status
    from archiver.errors import CrawlError

    try:
        report = crawl_status(redis_url, crawl_name)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=120)
    if not report["crawls"]:
        click.echo(f"no crawls in Redis at {redis_url}")
    for c in report["crawls"]:
        state = "finished" if c["finished"] else "running"
        table = Table(title=f"crawl {c['crawl']}: {state}", show_header=False)
        table.add_column("what", style="bold")
        table.add_column("value", justify="right")
        for name, value in (
            ("queued", c["queued"]),
            ("claimed", c["claimed"]),
            ("done", c["done"]),
            ("failed", c["failed"]),
            ("requeued (dead or stopped workers)", c["requeued"]),
            ("URLs seen", c["seen"]),
            ("workers alive", c["workers_alive"]),
        ):
            table.add_row(name, str(value))
        console.print(table)
        if c["workers"]:
            workers = Table(title="workers")
            for col in ("worker", "state", "pages", "pages/s", "claimed", "heartbeat"):
                workers.add_column(col, justify="left" if col in ("worker", "state") else "right")
            for w in c["workers"]:
                age = w["heartbeat_age"]
                workers.add_row(
                    w["id"],
                    w["state"],
                    str(w["pages"]),
                    f"{w['pages_per_s'] if w['alive'] else w['pages_per_s_avg']:.1f}",
                    str(w["claimed"]),
                    f"{age:.0f} s ago" if age is not None else "-",
                )
            console.print(workers)
        if c["sites"]:
            sites = Table(title="queued per site")
            sites.add_column("site")
            sites.add_column("queued", justify="right")
            for site, n in c["sites"].items():
                sites.add_row(site, str(n))
            console.print(sites)


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path())
@click.option(
    "--db",
    required=True,
    type=click.Path(),
    help="The archive to merge the shards into (created if missing).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def merge(shards: tuple[str, ...], db: str, fmt: str) -> None:
    """Merge the SQLite SHARDS of a distributed crawl's workers into one archive.

    Crawls, captures, document versions and failures are copied; WARC file names are
    kept, so the WARC files of every worker go in one folder.  Merging a shard twice
    adds nothing.

    Example:

        archiver merge shards/*.db --db archive.db
    """
    from archiver.store.merge import merge as run_merge

    paths = [Path(s) for s in shards]
    for path in paths:
        if not path.is_file():
            raise UserError(f"shard {path} does not exist")
        if path.resolve() == Path(db).resolve():
            raise UserError(f"shard {path} is the target archive itself")
    try:
        result = run_merge(paths, Path(db))
    except Exception as exc:
        from archiver.errors import ArchiverError

        if isinstance(exc, ArchiverError):
            raise UserError(str(exc)) from None
        raise
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    for name, figures in result["shards"].items():
        click.echo(f"{name}: " + ", ".join(f"{v} {k}" for k, v in figures.items()))
    click.echo(f"merged into {db}: " + ", ".join(f"{v} {k}" for k, v in result["added"].items()))


def register(cli: click.Group) -> None:
    cli.add_command(status)
    cli.add_command(merge)
