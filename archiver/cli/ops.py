"""Ops commands: ``verify``, ``reindex``, ``reextract``, ``repair``, ``replay``, ``cdx``,
``wacz``, ``export-warc``.  Registered on :data:`archiver.cli.cli` by :func:`register`.

None of them modifies a closed WARC file or an existing row (``repair`` closes the
``.open`` files of dead crawls and marks their rows interrupted): ``reindex`` and
``reextract`` only add rows, the others only read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archiver.cli.common import (
    MomentType,
    UserError,
    fetched_options,
    format_option,
    output_option,
    print_summary,
    resolve_warc_dir,
    warc_dir_option,
)
from archiver.cli.safety import refuse_overwrite


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


def _make_parent(path: str) -> None:
    """A new archive's folder is made as the archive is (``--db rebuilt/archive.db``)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder of {path}: {exc.strerror or exc}") from None


_WHY_NO_PAYLOAD = {
    "revisit": "revisits (they carry their original's digest)",
    "request": "requests without a payload digest",
    "warcinfo": "warcinfo (no payload)",
    "metadata": "metadata (no payload)",
}


def _not_checked(counts: dict[str, int]) -> str:
    """Why payload digests are fewer than records, one reason per record type."""
    if not counts:
        return "none"
    return ", ".join(
        f"{n} {_WHY_NO_PAYLOAD.get(kind, kind + ' without a payload digest')}"
        for kind, n in sorted(counts.items())
    )


def _rate(n: float, seconds: float) -> str:
    return f"{n / max(seconds, 1e-9):,.0f}"


@click.command()
@click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(),
    help="SQLite archive whose captures rows are checked.",
)
@warc_dir_option
@format_option()
@click.option("--no-db", is_flag=True, help="Check the WARC files only (no rows).")
def verify(db: str, warc_dir: str | None, fmt: str, no_db: bool) -> None:
    """Check every WARC record's digests and every captures row's WARC location.

    Exit status 1 when anything is wrong: digest mismatch, corrupt or truncated
    file, .open file, row pointing at a missing file or record (dangling), record
    without a row (orphan)."""
    from archiver.ops.verify import verify as run

    warc = _need_dir(resolve_warc_dir(warc_dir, db))
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
            (
                "records by type",
                ", ".join(f"{k} {v}" for k, v in sorted(report.record_types.items())) or "-",
            ),
            ("payload digests ok", report.payload_digests_ok),
            ("payload digests not checked", _not_checked(report.payload_not_checked)),
            ("records without digests", report.no_digest),
            ("captures rows ok", f"{report.rows_ok} / {report.rows}" if db_path else "-"),
            (
                "time",
                f"{report.seconds:.2f} s ({_rate(report.records, report.seconds)} "
                f"records/s, {_rate(mb, report.seconds)} MB/s)",
            ),
        ]
        if report.arc_records:
            rows.insert(5, ("ARC records (no digests)", report.arc_records))
        if report.undecodable:
            rows.insert(5, ("bodies that do not decode (kept as sent)", len(report.undecodable)))
        rows += [(f"problems: {k}", v) for k, v in sorted(counts.items())]
        print_summary(
            "verify: " + ("ok" if not report.problems else f"{len(report.problems)} problem(s)"),
            rows,
        )
        for p in report.problems[:200]:
            where = p.file or "-"
            if p.offset is not None:
                where += f"@{p.offset}"
            click.echo(f"{p.kind}: {where} {p.url or ''} {p.detail}".rstrip())
        if len(report.problems) > 200:
            click.echo(f"... and {len(report.problems) - 200} more (use --format json)")
        for p in report.undecodable[:20]:
            click.echo(f"note: {p.file}@{p.offset} {p.url} {p.detail}", err=True)
    if report.problems:
        sys.exit(1)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--db", required=True, type=click.Path(), help="SQLite archive to fill (created if missing)."
)
@click.option(
    "--warc-dir",
    default=None,
    type=click.Path(),
    help="Store warc_file relative to this folder (all inputs must be inside "
    "it). Default: relative to the folder given, or the bare file name.",
)
@click.option(
    "--processes",
    "-j",
    type=int,
    default=None,
    help="Extraction processes [default: one per core, at most 4]; 1 = extract in this process.",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
@format_option()
def reindex(
    inputs: tuple[str, ...],
    db: str,
    warc_dir: str | None,
    processes: int | None,
    quiet: bool,
    fmt: str,
) -> None:
    """Rebuild captures and documents (and the full-text index) from WARC files alone.

    INPUTS are WARC files or folders of them. Records already in the archive are
    skipped, so running it twice adds nothing."""
    from archiver import store
    from archiver.ops.reindex import ReindexError
    from archiver.ops.reindex import reindex as run

    if processes is not None and processes < 1:
        raise UserError("--processes must be at least 1")
    _make_parent(db)
    try:
        result = run(list(inputs), db, warc_dir=warc_dir, processes=processes)
    except ReindexError as exc:
        raise UserError(str(exc)) from None
    except store.StoreError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        from dataclasses import asdict

        click.echo(json.dumps(asdict(result), indent=2, default=str))
    elif not quiet:
        mb = result.bytes / 1e6
        print_summary(
            f"reindex into {db}",
            [
                ("WARC files", len(result.files)),
                ("records read", result.records),
                ("captures added", result.captures),
                ("revisits added", result.revisits),
                ("already in the archive", result.known),
                (
                    "documents added / unchanged",
                    f"{result.documents} / {result.documents_unchanged}",
                ),
                ("extraction errors", result.extraction_errors),
                ("not extracted: undecodable body", len(result.undecodable)),
                ("read errors", len(result.read_errors)),
                ("skipped .open files", len(result.skipped_open)),
                (
                    "time",
                    f"{result.seconds:.2f} s ({_rate(result.records, result.seconds)} "
                    f"records/s, {_rate(mb, result.seconds)} MB/s)",
                ),
            ],
        )
        for err in result.read_errors[:50]:
            click.echo(f"warning: {err}", err=True)
        for err in result.undecodable[:50]:
            click.echo(f"warning: not extracted: {err}", err=True)
        for path in result.skipped_open:
            click.echo(f"warning: skipped {path} (still .open)", err=True)
    if not result.files:
        raise UserError("no WARC files found in " + " ".join(inputs))


@click.command()
@click.option("--db", default="archive.db", show_default=True, type=click.Path())
@warc_dir_option
@click.option("--site", default=None, help="Only pages of this site (host or URL).")
@click.option(
    "--fetched-since",
    "since",
    type=MomentType("start"),
    default=None,
    metavar="DATE",
    help="Only captures fetched on or after this ISO date/time (UTC).",
)
@click.option(
    "--extractor-version-below",
    "below",
    default=None,
    metavar="X",
    help="Only documents whose extractor version (N in "
    "'archiver-extract/N ...') is below X, e.g. 2 or 1.5.",
)
@click.option(
    "--processes",
    "-j",
    type=int,
    default=None,
    help="Extraction processes [default: one per core, at most 4].",
)
@click.option(
    "--missing",
    is_flag=True,
    help="Instead: extract every status-200 HTML capture that has no document "
    "(extractions a crashed crawl never finished; revisits of pages "
    "without text).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Extract and count, write nothing: how many new versions a run would add.",
)
@format_option()
def reextract(
    db: str,
    warc_dir: str | None,
    site: str | None,
    since: str | None,
    below: str | None,
    processes: int | None,
    missing: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    """Re-run extraction on the stored WARC records (no network) into new document
    versions tagged with the current extractor; old versions stay. With --missing,
    extract the captures that have no document yet."""
    from dataclasses import asdict

    from archiver import store
    from archiver.ops.reindex import ReindexError, extract_missing
    from archiver.ops.reindex import reextract as run

    _need_db(db)
    warc_dir = str(_need_dir(resolve_warc_dir(warc_dir, db)))
    if missing:
        if site or since or below:
            raise UserError(
                "--missing takes no --site, --fetched-since or --extractor-version-below"
            )
        try:
            found = extract_missing(db, warc_dir, processes=processes)
        except store.StoreError as exc:
            raise UserError(str(exc)) from None
        if fmt == "json":
            click.echo(json.dumps(asdict(found), indent=2))
            return
        click.echo(
            f"{found.selected} capture(s) without a document: {found.documents} "
            f"document(s) added, {found.unchanged} unchanged, {found.failed} failed, "
            f"{found.not_extracted} not extractable"
        )
        return
    try:
        result = run(
            db, warc_dir, site=site, since=since, below=below, processes=processes, dry_run=dry_run
        )
    except (ReindexError, store.StoreError) as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(asdict(result), indent=2))
        return
    if dry_run:
        click.echo(
            f"dry run, nothing written: {result.selected} document(s) selected; "
            f"with {result.extractor} {result.changed} text(s) would change (new "
            f"versions to add), {result.unchanged} unchanged, {result.failed} failed, "
            f"{result.missing} WARC record(s) missing"
        )
        return
    click.echo(
        f"re-extracted {result.selected} document(s) with {result.extractor}: "
        f"{result.changed} text(s) changed (new versions added), "
        f"{result.unchanged} unchanged, {result.failed} failed, "
        f"{result.missing} WARC record(s) missing"
    )


@click.command()
@click.option("--warc-dir", default="warc", show_default=True, type=click.Path())
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback unless you say otherwise).",
)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--collection",
    default="archive",
    show_default=True,
    help="Collection name: pages open at /<collection>/<timestamp>/<url>.",
)
@click.option(
    "--root",
    default=None,
    type=click.Path(),
    help="Folder for pywb's config.yaml and the CDXJ index [default: a "
    "temporary folder, removed on exit].",
)
@click.option(
    "--index-interval",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds between checks for new or changed WARC files.",
)
@click.option(
    "--log",
    "log_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="pywb's log file, kept after exit [default: pywb.log in --root, or "
    "replay/pywb-PORT.log beside pywb's environment]; errors are also shown.",
)
@click.option(
    "--install-pywb",
    is_flag=True,
    help="Create pywb's own environment (once; needs a package index) and exit.",
)
def replay(
    warc_dir: str,
    host: str,
    port: int,
    collection: str,
    root: str | None,
    index_interval: float,
    log_file: str | None,
    install_pywb: bool,
) -> None:
    """Serve the archive's WARC files through pywb, with a CDXJ index kept current.

    Open http://HOST:PORT/<collection>/<timestamp>/<url> (or /<collection>/*/<url>
    for the list of captures). Ctrl-C stops it.

    pywb runs from an environment of its own (it pins libraries the crawler cannot
    share): ARCHIVER_WAYBACK, else the one --install-pywb makes, else `wayback` on PATH.
    """
    import shutil

    from archiver.ops import pywb_env
    from archiver.ops.replay import ReplayError, serve_forever, start_replay

    if install_pywb:
        wayback = pywb_env.find_wayback()
        if wayback is None:
            click.echo(
                f"Installing pywb {pywb_env.PYWB_VERSION} into {pywb_env.home()} ...", err=True
            )
            try:
                wayback = pywb_env.install()
            except pywb_env.PywbMissing as exc:
                raise UserError(str(exc)) from None
        click.echo(f"pywb ready: {wayback}", err=True)
        return
    if not 0 <= port <= 65535:
        raise UserError(f"bad port {port}")
    temp_root = root is None
    try:
        if log_file is None and root is None:
            log_file = str(pywb_env.home().parent / "replay" / f"pywb-{port}.log")
        server = start_replay(
            _need_dir(warc_dir),
            host=host,
            port=port,
            collection=collection,
            root=Path(root) if root else None,
            log_file=Path(log_file) if log_file else None,
        )
    except ReplayError as exc:
        raise UserError(str(exc)) from None
    click.echo(
        f"Replaying {warc_dir} at {server.url(f'/{collection}/')} "
        f"(index in {server.root}, log in {server.log_path}); Ctrl-C to stop",
        err=True,
    )
    try:
        serve_forever(server, max(index_interval, 0.5), lambda m: click.echo(m, err=True))
    finally:
        if temp_root:
            shutil.rmtree(server.root, ignore_errors=True)


@click.command()
@click.option("--warc-dir", default="warc", show_default=True, type=click.Path())
@output_option(help_text="Write the index to FILE [default: standard output].")
@click.option("--out", "out_alias", default=None, type=click.Path(), hidden=True)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def cdx(warc_dir: str, output: str | None, out_alias: str | None, force: bool) -> None:
    """Print the CDXJ index (cdxj-indexer, sorted) of every closed WARC file; file
    names relative to --warc-dir."""
    from archiver.ops.replay import write_cdx

    out = output or out_alias  # --out: the name before -o/--output
    folder = _need_dir(warc_dir)
    if out is None:
        write_cdx(folder, sys.stdout)
        return
    refuse_overwrite(out, force)
    try:
        with open(out, "w", encoding="utf-8") as fh:
            n = write_cdx(folder, fh)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"{n} index lines written to {out}", err=True)


def _filters(func: Any) -> Any:
    func = fetched_options(func)
    func = click.option("--site", default=None, help="Only this site (host or URL).")(func)
    func = warc_dir_option(func)
    return click.option("--db", default="archive.db", show_default=True, type=click.Path())(func)


def _output(output: str | None, positional: str | None) -> str:
    """The file to write: ``-o/--output``, or the positional OUT of older releases."""
    if output and positional and output != positional:
        raise UserError("give the output file once (-o/--output)")
    out = output or positional
    if not out:
        raise UserError("no output file: give -o/--output FILE")
    return out


def _open_ro(db: str) -> Any:
    from archiver import store

    return store.connect(_need_db(db), readonly=True)


@click.command("wacz")
@click.argument("out", required=False, type=click.Path(), metavar="[OUT]")
@output_option(help_text="The .wacz file to write.")
@_filters
@click.option("--title", default=None, help="Package title [default: file name].")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@format_option()
def wacz_cmd(
    out: str | None,
    output: str | None,
    db: str,
    warc_dir: str | None,
    site: str | None,
    fetched_since: str | None,
    fetched_until: str | None,
    title: str | None,
    force: bool,
    fmt: str,
) -> None:
    """Package the archive (or the records the filters select) as a WACZ 1.1.1 file:
    WARC data, CDXJ index, pages with titles and extracted text, datapackage.json.

    Example:

    \b
        archiver wacz -o news.wacz --site news.example.org --fetched-since 2026-03-01
    """
    from archiver.ops.replay import write_wacz

    target = _output(output, out)
    refuse_overwrite(target, force)
    info = _write_selection(
        write_wacz,
        target,
        db,
        warc_dir,
        site=site,
        since=fetched_since,
        until=fetched_until,
        title=title,
    )
    if fmt == "json":
        click.echo(json.dumps({"output": target, **info}, indent=2, default=str))
        return
    click.echo(
        f"{target}: {len(info['warc_files'])} WARC file(s), {info['cdx_lines']} index "
        f"lines, {info['pages']} pages, {info['bytes']} bytes"
    )


@click.command("export-warc")
@click.argument("out", required=False, type=click.Path(), metavar="[OUT]")
@output_option(help_text="The .warc.gz file to write.")
@_filters
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@format_option()
def export_warc_cmd(
    out: str | None,
    output: str | None,
    db: str,
    warc_dir: str | None,
    site: str | None,
    fetched_since: str | None,
    fetched_until: str | None,
    force: bool,
    fmt: str,
) -> None:
    """Write the selected response/revisit records (with their request records and
    the originals revisits refer to) into a new WARC file (.warc.gz).

    Example:

    \b
        archiver export-warc -o march.warc.gz --fetched-since 2026-03-01 --fetched-until 2026-03-31
    """
    from dataclasses import asdict

    from archiver.ops.replay import export_warc

    target = _output(output, out)
    if not target.endswith(".warc.gz"):
        raise UserError("the output file must end in .warc.gz")
    refuse_overwrite(target, force)
    result = _write_selection(
        export_warc, target, db, warc_dir, site=site, since=fetched_since, until=fetched_until
    )
    if fmt == "json":
        click.echo(json.dumps({"output": target, **asdict(result)}, indent=2))
        return
    click.echo(
        f"{target}: {result.responses} response/revisit and {result.requests} request "
        f"records, {result.bytes} bytes"
    )


def _write_selection(writer: Any, out: str, db: str, warc_dir: str | None, **selection: Any) -> Any:
    """Run ``writer(conn, warc_folder, out_path, **selection)`` with one-line errors."""
    from archiver.ops.reindex import ReindexError
    from archiver.ops.replay import ReplayError

    folder = _need_dir(resolve_warc_dir(warc_dir, db))
    conn = _open_ro(db)
    try:
        return writer(conn, folder, Path(out), **selection)
    except (ReplayError, ReindexError) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        conn.close()


@click.command()
@click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(),
    help="SQLite archive to repair.",
)
@warc_dir_option
@click.option(
    "--processes",
    "-j",
    type=int,
    default=1,
    show_default=True,
    help="Extraction processes for records that get rows; 1 = this process.",
)
@format_option()
def repair(db: str, warc_dir: str | None, processes: int, fmt: str) -> None:
    """Repair what crashed crawls left: close their .open WARC files (cut back to the
    last complete record), give every record without a row its row, and mark their
    crawl rows interrupted. A crawl does the same at its start; `verify` is clean after.

    Refused while a crawl writes the archive."""
    from archiver import store
    from archiver.ops.repair import repair as run
    from archiver.store import lock

    db_path = _need_db(db)
    if processes < 1:
        raise UserError("--processes must be at least 1")
    try:
        with lock.acquire(db_path, "repair"):
            result = run(
                db_path, Path(resolve_warc_dir(warc_dir, db)), all_files=True, processes=processes
            )
    except store.StoreError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot repair {warc_dir}: {exc.strerror or exc}") from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    print_summary(
        "repair: " + result.summary(),
        [
            (".open files closed", len(result.closed)),
            ("bytes of partial records cut", result.bytes_cut),
            ("empty .open files removed", len(result.removed)),
            (".open files in use (left alone)", len(result.in_use)),
            ("WARC files read", result.files_read),
            ("records given rows", result.captures + result.revisits),
            ("documents extracted", result.documents),
            ("crawls marked interrupted", ", ".join(map(str, result.interrupted)) or "-"),
            ("time", f"{result.seconds:.2f} s"),
        ],
    )
    for err in result.read_errors[:50]:
        click.echo(f"warning: {err}", err=True)


@click.command()
@click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(),
    help="SQLite archive to upgrade.",
)
@format_option()
def migrate(db: str, fmt: str) -> None:
    """Bring the archive's schema up to date: apply its pending numbered migrations,
    in order, each recorded in the schema_migrations table. Commands that only read
    never change the schema; crawls and other writers migrate as they open.

    An archive made by a newer archiver is refused."""
    import sqlite_utils

    from archiver import store
    from archiver.store import lock

    db_path = _need_db(db)
    try:
        with lock.acquire(db_path, "migrate"):
            opened = sqlite_utils.Database(store.connect(db_path))
            try:
                before = store.recorded_version(opened.conn)
                applied = store.migrate(opened)
            finally:
                opened.close()
    except store.StoreError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "archive": db,
                    "from": before,
                    "to": store.SCHEMA_VERSION,
                    "applied": [{"version": n, "name": name} for n, name in applied],
                },
                indent=2,
            )
        )
        return
    if not applied:
        click.echo(f"{db}: schema version {store.SCHEMA_VERSION}, up to date")
        return
    click.echo(f"{db}: schema version {before} -> {store.SCHEMA_VERSION}")
    for number, name in applied:
        click.echo(f"  applied {number}: {name}")


COMMANDS = [migrate, verify, reindex, reextract, repair, replay, cdx, wacz_cmd, export_warc_cmd]


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
