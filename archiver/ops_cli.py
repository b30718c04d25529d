"""Ops commands: ``verify``, ``reindex``, ``reextract``, ``replay``, ``cdx``, ``wacz``,
``export-warc``.  Registered on :data:`archiver.cli.cli` by :func:`register`.

None of them modifies a WARC file or an existing row: ``reindex`` and ``reextract``
only add rows, the others only read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archiver.cli import UserError


def _need_db(db: str) -> Path:
    path = Path(db)
    if not path.is_file():
        raise UserError(f"archive {db} does not exist")
    return path


def _need_dir(warc_dir: str) -> Path:
    path = Path(warc_dir)
    if not path.is_dir():
        raise UserError(f"WARC folder {warc_dir} does not exist")
    return path


def _table(title: str, rows: list[tuple[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, str(value))
    Console(file=sys.stdout, width=120).print(table)


def _rate(n: float, seconds: float) -> str:
    return f"{n / max(seconds, 1e-9):,.0f}"


@click.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path(),
              help="SQLite archive whose captures rows are checked.")
@click.option("--warc-dir", default="warc", show_default=True, type=click.Path(),
              help="Folder of the WARC files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--no-db", is_flag=True, help="Check the WARC files only (no rows).")
def verify(db: str, warc_dir: str, fmt: str, no_db: bool) -> None:
    """Check every WARC record's digests and every captures row's WARC location.

    Exit status 1 when anything is wrong: digest mismatch, corrupt or truncated
    file, .open file, row pointing at a missing file or record (dangling), record
    without a row (orphan)."""
    from archiver.verify import verify as run

    warc = _need_dir(warc_dir)
    db_path = None if no_db else _need_db(db)
    try:
        report = run(db_path, warc)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        counts = report.counts()
        mb = report.bytes / 1e6
        rows = [
            ("WARC files", report.files),
            ("records", report.records),
            ("block digests ok", report.block_digests_ok),
            ("payload digests ok", report.payload_digests_ok),
            ("records without digests", report.no_digest),
            ("captures rows ok", f"{report.rows_ok} / {report.rows}" if db_path else "-"),
            ("time", f"{report.seconds:.2f} s ({_rate(report.records, report.seconds)} "
                     f"records/s, {_rate(mb, report.seconds)} MB/s)"),
        ]
        rows += [(f"problems: {k}", v) for k, v in sorted(counts.items())]
        _table("verify: " + ("ok" if not report.problems else
                             f"{len(report.problems)} problem(s)"), rows)
        for p in report.problems[:200]:
            where = p.file or "-"
            if p.offset is not None:
                where += f"@{p.offset}"
            click.echo(f"{p.kind}: {where} {p.url or ''} {p.detail}".rstrip())
        if len(report.problems) > 200:
            click.echo(f"... and {len(report.problems) - 200} more (use --format json)")
    if report.problems:
        sys.exit(1)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--db", required=True, type=click.Path(),
              help="SQLite archive to fill (created if missing).")
@click.option("--warc-dir", default=None, type=click.Path(),
              help="Store warc_file relative to this folder (all inputs must be inside "
                   "it). Default: relative to the folder given, or the bare file name.")
@click.option("--processes", "-j", type=int, default=None,
              help="Extraction processes [default: one per core, at most 4]; 1 = extract "
                   "in this process.")
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
def reindex(inputs: tuple[str, ...], db: str, warc_dir: str | None, processes: int | None,
            quiet: bool) -> None:
    """Rebuild captures and documents (and the full-text index) from WARC files alone.

    INPUTS are WARC files or folders of them. Records already in the archive are
    skipped, so running it twice adds nothing."""
    from archiver import store
    from archiver.reindex import ReindexError
    from archiver.reindex import reindex as run

    if processes is not None and processes < 1:
        raise UserError("--processes must be at least 1")
    try:
        result = run(list(inputs), db, warc_dir=warc_dir, processes=processes)
    except ReindexError as exc:
        raise UserError(str(exc)) from None
    except store.StoreError as exc:
        raise UserError(str(exc)) from None
    if not quiet:
        mb = result.bytes / 1e6
        _table(f"reindex into {db}", [
            ("WARC files", len(result.files)),
            ("records read", result.records),
            ("captures added", result.captures),
            ("revisits added", result.revisits),
            ("already in the archive", result.known),
            ("documents added / unchanged",
             f"{result.documents} / {result.documents_unchanged}"),
            ("extraction errors", result.extraction_errors),
            ("read errors", len(result.read_errors)),
            ("skipped .open files", len(result.skipped_open)),
            ("time", f"{result.seconds:.2f} s ({_rate(result.records, result.seconds)} "
                     f"records/s, {_rate(mb, result.seconds)} MB/s)"),
        ])
        for err in result.read_errors[:50]:
            click.echo(f"warning: {err}", err=True)
        for path in result.skipped_open:
            click.echo(f"warning: skipped {path} (still .open)", err=True)
    if not result.files:
        raise UserError("no WARC files found in " + " ".join(inputs))


@click.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path())
@click.option("--warc-dir", default="warc", show_default=True, type=click.Path())
@click.option("--site", default=None, help="Only pages of this site (host or URL).")
@click.option("--since", default=None,
              help="Only captures fetched at or after this ISO date/time (UTC).")
@click.option("--extractor-version-below", "below", default=None, metavar="X",
              help="Only documents whose extractor version (N in "
                   "'archiver-extract/N ...') is below X, e.g. 2 or 1.5.")
@click.option("--processes", "-j", type=int, default=None,
              help="Extraction processes [default: one per core, at most 4].")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def reextract(db: str, warc_dir: str, site: str | None, since: str | None,
              below: str | None, processes: int | None, fmt: str) -> None:
    """Re-run extraction on the stored WARC records (no network) into new document
    versions tagged with the current extractor; old versions stay."""
    from dataclasses import asdict

    from archiver import store
    from archiver.reindex import ReindexError
    from archiver.reindex import reextract as run

    _need_db(db)
    _need_dir(warc_dir)
    try:
        result = run(db, warc_dir, site=site, since=since, below=below, processes=processes)
    except (ReindexError, store.StoreError) as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(asdict(result), indent=2))
        return
    click.echo(f"re-extracted {result.selected} document(s) with {result.extractor}: "
               f"{result.changed} text(s) changed (new versions added), "
               f"{result.unchanged} unchanged, {result.failed} failed, "
               f"{result.missing} WARC record(s) missing")


COMMANDS = [verify, reindex, reextract]


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
