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

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:  # else the class's (1, or a subclass's own)
            # click declares exit_code on the class; an error may carry its own
            self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class SizeType(click.ParamType):
    """A size in bytes, with an optional unit: ``500000``, ``500k``, ``64M``, ``1G``."""

    name = "size"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        from archiver.crawl.options import parse_size

        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MomentType(click.ParamType):
    """An ISO date or date-time (UTC unless it says otherwise), as a bound on
    ``captures.fetched_at``: ``start`` gives the moment itself (inclusive),
    ``end`` the first moment after it (a bare date takes in its whole day), so
    both ``--fetched-since`` and ``--fetched-until`` are inclusive."""

    name = "date"

    def __init__(self, bound: str) -> None:
        self.bound = bound

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from datetime import UTC, datetime, timedelta

        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                f"{value!r} is not an ISO date or date-time (e.g. 2026-03-01 or "
                "2026-03-01T12:00:00Z)",
                param,
                ctx,
            )
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        if self.bound == "end":
            moment += timedelta(days=1) if len(text) <= 10 else timedelta(microseconds=1)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fetched_options(func: Any) -> Any:
    """``--fetched-since``/``--fetched-until``: when the captures were fetched (both
    inclusive, validated); ``--since``/``--until`` always mean the published date."""
    func = click.option(
        "--fetched-until",
        "fetched_until",
        type=MomentType("end"),
        default=None,
        metavar="DATE",
        help="Only captures fetched on or before this ISO date/time (UTC).",
    )(func)
    return click.option(
        "--fetched-since",
        "fetched_since",
        type=MomentType("start"),
        default=None,
        metavar="DATE",
        help="Only captures fetched on or after this ISO date/time (UTC).",
    )(func)


def output_option(required: bool = False, help_text: str = "Write to FILE.") -> Any:
    """``-o/--output FILE``: where a command writes its file (one convention)."""
    return click.option(
        "-o",
        "--output",
        "output",
        default=None,
        type=click.Path(),
        metavar="FILE",
        required=required,
        help=help_text,
    )


def warc_dir_option(func: Any) -> Any:
    """``--warc-dir``, defaulting to ``warc`` next to ``--db`` (the rule of every
    command that takes both; see :func:`resolve_warc_dir`)."""
    return click.option(
        "--warc-dir",
        default=None,
        type=click.Path(file_okay=False),
        help="Folder of the WARC files [default: warc/ next to --db].",
    )(func)


def resolve_warc_dir(warc_dir: str | None, db: str) -> str:
    from archiver.store import default_warc_dir

    return warc_dir if warc_dir is not None else default_warc_dir(db)


_CLICK_TYPES: dict[str, Any] = {
    "str": None,
    "int": int,
    "float": float,
    "path": click.Path(),
    "size": SizeType(),
}


def _click_option(option: Any) -> Any:
    """The click option of one :class:`archiver.crawl.options.CrawlOption`."""
    help_text = option.help
    if option.shown_default:
        help_text += f" [default: {option.shown_default}]"
    if option.kind == "flag":
        return click.option(option.flag, option.name, is_flag=True, default=None, help=help_text)
    if option.kind == "bool":
        negated = "--no-" + option.flag[2:]
        return click.option(f"{option.flag}/{negated}", option.name, default=None, help=help_text)
    if option.kind == "list":
        return click.option(
            option.flag, option.name, multiple=True, metavar=option.metavar, help=help_text
        )
    return click.option(
        option.flag,
        option.name,
        type=_CLICK_TYPES[option.kind],
        default=None,
        metavar=option.metavar,
        help=help_text,
    )


def _setting_pair(ctx: Any, param: Any, values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: write NAME=VALUE", ctx, param)
        out[name.strip()] = value
    return out


def crawl_params(func: Any) -> Any:
    """``--db`` and the options of :data:`archiver.crawl.options.CRAWL_OPTIONS`, shared by
    ``crawl`` and the scheduled jobs (one declaration each: see that module)."""
    from archiver.crawl.options import CRAWL_OPTIONS

    decorators = [
        click.option(
            "--db",
            default="archive.db",
            show_default=True,
            type=click.Path(),
            help="SQLite archive to write to.",
        )
    ]
    decorators += [_click_option(option) for option in CRAWL_OPTIONS]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def scrapy_params(func: Any) -> Any:
    """``-s NAME=VALUE`` and ``--logfile``, as ``scrapy crawl`` has them."""
    func = click.option(
        "--logfile",
        "log_file",
        default=None,
        type=click.Path(dir_okay=False),
        help="Write the crawl's log to this file instead of stderr.",
    )(func)
    return click.option(
        "-s",
        "--set",
        "settings",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_setting_pair,
        help="Set a Scrapy or ARCHIVER_* setting for this crawl "
        "(repeatable), as `scrapy crawl -s`.",
    )(func)


def log_params(func: Any) -> Any:
    func = click.option(
        "--log-level",
        default=None,
        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
        help="Log level of the crawl [default: WARNING].",
    )(func)
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress display and no summary; errors only."
    )(func)


def run_crawl_command(
    seeds: list[str], *, quiet: bool, log_level: str | None, **options: Any
) -> Any:
    """Run a crawl with the command's options (names of ``CRAWL_OPTIONS``, plus ``db``,
    ``log_file``, ``settings`` and ``extra_settings``)."""
    from archiver.crawl.options import BY_NAME, CrawlOptions
    from archiver.crawl.runner import CrawlError, run_crawl
    from archiver.errors import WriteError

    level = (log_level or ("ERROR" if quiet else "WARNING")).upper()
    try:
        opts = CrawlOptions(
            seeds=seeds,
            db=options["db"],
            values={
                k: (list(v) if isinstance(v, tuple) else v)
                for k, v in options.items()
                if k in BY_NAME
            },
            progress=not quiet and sys.stderr.isatty(),
            log_level=level,
            log_file=options.get("log_file"),
            extra_settings={
                **(options.get("extra_settings") or {}),
                **(options.get("settings") or {}),
            },
            resume=bool(options.get("resume")),
            notify=lambda note: click.echo(f"note: {note}", err=True),
        )
        result = run_crawl(opts)
    except CrawlError as exc:
        raise UserError(str(exc)) from None
    except WriteError as exc:  # before the crawl started: nothing to resume
        from archiver.crawl.failures import EXIT_WRITE

        raise UserError(f"{exc}; free space and run the crawl again", EXIT_WRITE) from None
    return result


def exit_for(result: Any) -> None:
    """End the command with the crawl's exit status (:mod:`archiver.crawl.failures`): 0
    when every request was answered, 4/7/8 (wget's codes) when some failed, 3 when a
    write failed (disk full), with a one-line reason on stderr."""
    from archiver.crawl import failures
    from archiver.crawl.runner import first_error

    if result.write_error:
        then = (
            f"run the same archiver crawl with --resume to continue crawl {result.crawl_id}"
            if result.crawl_id is not None
            else "run the crawl again"
        )
        raise UserError(f"{result.write_error}; free space and {then}", failures.EXIT_WRITE)
    if result.database_error:
        raise UserError(
            f"archive database error: {result.database_error} "
            "(the WARC files are complete; rebuild the rows from them)"
        )
    code = failures.exit_status(result.failures)
    # a resumed crawl killed after its last request has nothing left to fetch: it ends
    finished_before = result.stats.get("archiver/resume/queued", -1) == 0 and not (
        result.stats.get("archiver/resume/from_seeds")
    )
    if result.pages == 0 and not finished_before:
        reason = first_error(result.stats) or "no response"
        raise UserError(f"nothing was fetched from the seeds: {reason}", code or None)
    if result.status == "shutdown":
        sys.exit(130)
    if code:
        blocked = result.stats.get(failures.ROBOTS_BLOCKED_STAT)
        raise UserError(
            f"crawl {result.crawl_id}: {blocked + '; ' if blocked else ''}"
            f"{failures.describe(result.failures)} (listed in the failures table)",
            code,
        )


def format_option(*extra: str, default: str = "text") -> Any:
    """``--format``: ``text`` (for people; a table on a terminal, plain ``name: value``
    lines otherwise) and ``json``, plus a command's own formats."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json", *extra]),
        default=default,
        show_default=True,
        help="Output format.",
    )


def print_summary(
    title: str, rows: list[tuple[str, Any]], fmt: str = "text", data: dict[str, Any] | None = None
) -> None:
    """A command's summary on stdout: a table on a terminal, ``name: value`` lines in
    a pipe or file, or ``data`` (else the rows) as JSON with ``--format json``."""
    if fmt == "json":
        import json

        payload = data if data is not None else dict(rows)
        click.echo(json.dumps(payload, indent=2, default=str, ensure_ascii=False))
        return
    if not sys.stdout.isatty():
        click.echo(title)
        for name, value in rows:
            click.echo(f"{name}: {value}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, str(value))
    Console(file=sys.stdout).print(table)


def print_crawl_summary(result: Any, db: str, fmt: str = "text") -> None:
    from archiver.crawl import failures
    from archiver.crawl.progress import human_bytes

    stats = result.stats
    by_status: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/response_status_count/"):
            klass = key.rsplit("/", 1)[-1][0] + "xx"
            by_status[klass] = by_status.get(klass, 0) + value
    refused = {
        key.rsplit("/", 1)[-1]: int(value)
        for key, value in stats.items()
        if key.startswith("archiver/refused/") and isinstance(value, int) and value
    }
    rows = [
        ("pages fetched", result.pages),
        ("by status", "  ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "-"),
        ("articles (new versions)", result.counts.get("articles", 0)),
        (
            "documents new / unchanged",
            f"{result.counts.get('documents', 0)} / {result.counts.get('documents_unchanged', 0)}",
        ),
        ("revisit records", stats.get("archiver/records/revisit", 0)),
        ("failed requests", failures.describe(result.failures) or "none"),
        (
            "refused (traps, limits)",
            ", ".join(f"{n} {k}" for k, n in sorted(refused.items())) or "none",
        ),
        ("errors logged", stats.get("log_count/ERROR", 0)),
        ("bytes received", human_bytes(result.bytes)),
        ("time", f"{result.elapsed:.1f} s"),
        ("pages/s", f"{result.pages / max(result.elapsed, 1e-6):.1f}"),
        ("WARC files", "\n".join(result.warc_files) or "-"),
        ("archive", db),
    ]
    data = {
        "crawl_id": result.crawl_id,
        "status": result.status,
        "pages": result.pages,
        "by_status": by_status,
        "counts": result.counts,
        "failed": result.failures,
        "refused": refused,
        "revisits": stats.get("archiver/records/revisit", 0),
        "bytes": result.bytes,
        "seconds": round(result.elapsed, 3),
        "warc_files": result.warc_files,
        "archive": db,
        "exit_status": failures.exit_status(result.failures),
    }
    print_summary(f"crawl {result.crawl_id}: {result.status}", rows, fmt, data)
