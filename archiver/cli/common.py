"""Pieces shared by the command modules: the one-line error, the crawl options and
the code that runs a crawl and reports on it.

Kept apart from :mod:`archiver.cli` so that command modules (``ops_cli``,
``jobs_cli``, ``research_cli``) import it without importing the command group that
registers them.
"""

from __future__ import annotations

import sys
from typing import Any

import click


class UserError(click.ClickException):
    """A one-line error with exit status 1 (or ``exit_code``)."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _crawl_options(func: Any) -> Any:
    """Options shared by ``crawl`` and the scheduled jobs."""
    decorators = [
        click.option("--db", default="archive.db", show_default=True, type=click.Path(),
                     help="SQLite archive to write to."),
        click.option("--warc-dir", default="warc", show_default=True, type=click.Path(),
                     help="Folder of the WARC files."),
        click.option("--depth", type=int, default=None,
                     help="Link hops from the seeds (0 = seeds only; sitemap and feed "
                          "entries are one hop). Default: no limit."),
        click.option("--max-pages", type=int, default=None,
                     help="Stop scheduling pages after this many (sitemaps, feeds, "
                          "robots.txt and page requisites not counted)."),
        click.option("--allow", multiple=True, metavar="REGEX",
                     help="Only follow URLs matching REGEX (repeatable)."),
        click.option("--deny", multiple=True, metavar="REGEX",
                     help="Never follow URLs matching REGEX (repeatable)."),
        click.option("--delay", type=float, default=None,
                     help="Minimum delay between requests to a site, in seconds "
                          "[default: 1.0; 0 allowed]."),
        click.option("--concurrency", type=int, default=None,
                     help="Concurrent requests per site [default: 2]."),
        click.option("--user-agent", default=None, help="User-Agent header to send."),
        click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt."),
        click.option("--prefix", default=None,
                     help="WARC file name prefix [default: archiver]."),
        click.option("--autothrottle/--no-autothrottle", default=None,
                     help="Adapt the delay to the server's latency [default: on]."),
        click.option("--requisites/--no-requisites", default=True, show_default=True,
                     help="Also capture the images, stylesheets and scripts pages embed."),
        click.option("--warc-max-size", type=int, default=None,
                     help="Rotate WARC files at this many bytes [default: 1 GB]."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _log_options(func: Any) -> Any:
    func = click.option("--log-level", default=None,
                        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"],
                                          case_sensitive=False),
                        help="Log level of the crawl [default: WARNING].")(func)
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress display and no summary; errors only.")(func)


def _run(seeds: list[str], *, quiet: bool, log_level: str | None, **options: Any) -> Any:
    from archiver.crawl.runner import CrawlError, CrawlOptions, run_crawl

    level = (log_level or ("ERROR" if quiet else "WARNING")).upper()
    opts = CrawlOptions(
        seeds=seeds,
        db=options["db"],
        warc_dir=options["warc_dir"],
        depth=options.get("depth"),
        max_pages=options.get("max_pages"),
        allow=list(options.get("allow") or ()),
        deny=list(options.get("deny") or ()),
        delay=options.get("delay"),
        concurrency=options.get("concurrency"),
        user_agent=options.get("user_agent"),
        ignore_robots=bool(options.get("ignore_robots")),
        prefix=options.get("prefix"),
        autothrottle=options.get("autothrottle"),
        requisites=options.get("requisites", True),
        warc_max_size=options.get("warc_max_size"),
        progress=not quiet and sys.stderr.isatty(),
        log_level=level,
        extra_settings=options.get("extra_settings") or {},
        resume=bool(options.get("resume")),
        notify=lambda note: click.echo(f"note: {note}", err=True),
    )
    try:
        result = run_crawl(opts)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    return result


def _exit_for(result: Any) -> None:
    """End the command with the crawl's exit status (:mod:`archiver.crawl.failures`): 0
    when every request was answered, 4/7/8 (wget's codes) when some failed, with a
    one-line reason on stderr."""
    from archiver.crawl import failures
    from archiver.crawl.runner import first_error

    if result.database_error:
        raise UserError(f"archive database error: {result.database_error} "
                        "(the WARC files are complete; rebuild the rows from them)")
    code = failures.exit_status(result.failures)
    if result.pages == 0:
        reason = first_error(result.stats) or "no response"
        raise UserError(f"nothing was fetched from the seeds: {reason}", code or None)
    if result.status == "shutdown":
        sys.exit(130)
    if code:
        raise UserError(f"crawl {result.crawl_id}: {failures.describe(result.failures)} "
                        "(listed in the failures table)", code)


def _print_summary(result: Any, db: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from archiver.crawl import failures
    from archiver.crawl.progress import human_bytes

    stats = result.stats
    by_status: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/response_status_count/"):
            klass = key.rsplit("/", 1)[-1][0] + "xx"
            by_status[klass] = by_status.get(klass, 0) + value
    table = Table(title=f"crawl {result.crawl_id}: {result.status}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    rows = [
        ("pages fetched", result.pages),
        ("by status", "  ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "-"),
        ("articles (new versions)", result.counts.get("articles", 0)),
        ("documents new / unchanged",
         f"{result.counts.get('documents', 0)} / {result.counts.get('documents_unchanged', 0)}"),
        ("revisit records", stats.get("archiver/records/revisit", 0)),
        ("failed requests", failures.describe(result.failures) or "none"),
        ("errors logged", stats.get("log_count/ERROR", 0)),
        ("bytes received", human_bytes(result.bytes)),
        ("time", f"{result.elapsed:.1f} s"),
        ("pages/s", f"{result.pages / max(result.elapsed, 1e-6):.1f}"),
        ("WARC files", "\n".join(result.warc_files) or "-"),
        ("archive", db),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console(file=sys.stdout).print(table)
