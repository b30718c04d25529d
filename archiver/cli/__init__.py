"""The ``archiver`` command line: thin commands over the package; the only module
that prints.

Errors a user can cause end with a one-line ``error: ...`` message on stderr and a
non-zero exit status (2 for bad usage, 1 for everything else), never a traceback.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from archiver import __version__
from archiver.cli import distributed as distributed_cli
from archiver.cli import jobs as jobs_cli
from archiver.cli import ops as ops_cli
from archiver.cli import research as research_cli
from archiver.cli.common import (
    UserError,
    crawl_params,
    exit_for,
    format_option,
    log_params,
    print_crawl_summary,
    resolve_warc_dir,
    run_crawl_command,
    scrapy_params,
    warc_dir_option,
)
from archiver.errors import ArchiverError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archiver")
def cli() -> None:
    """News crawler and web archiver: pages kept byte for byte in WARC, articles as
    clean, searchable text in SQLite."""


@cli.command()
@click.argument("seeds", nargs=-1)
@crawl_params
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the most recent unfinished crawl of these SEEDS in the archive "
    "(its queued requests, pending extractions and counters).",
)
@scrapy_params
@log_params
@distributed_cli.crawl_options
@format_option()
@click.pass_context
def crawl(
    ctx: click.Context,
    seeds: tuple[str, ...],
    quiet: bool,
    log_level: str | None,
    fmt: str,
    **options: Any,
) -> None:
    """Crawl SEEDS (URLs of news sites, sitemaps or feeds) into WARC files and the archive.
    Without --warc-dir the WARC files go to the warc folder next to --db.

    Exit status: 0 all answered, 4 network failure, 7 protocol error, 8 server
    error responses (see the failures table), 1 a command error, 3 a write failed
    (disk full: free space, then --resume), 130 interrupted.

    With --redis, this process is one worker of the distributed crawl --crawl NAME:
    the first worker's SEEDS and options define it, other workers join with no SEEDS
    (docs/distributed.md).

    Example:

    \b
        archiver crawl https://news.example.org/ --db news.db --max-pages 500
        archiver crawl https://news.example.org/feed.xml -s DOWNLOAD_TIMEOUT=20

    After a crash or kill: the same command with --resume.
    """
    distributed = distributed_cli.prepare(ctx, options, seeds)
    if not seeds and not distributed:
        raise click.UsageError("Missing argument 'SEEDS...'.")
    result = run_crawl_command(
        list(seeds), quiet=quiet or fmt == "json", log_level=log_level, **options
    )
    if not quiet:
        print_crawl_summary(result, options["db"], fmt)
    if distributed and result.pages == 0 and not result.database_error:
        if not quiet and fmt != "json":
            click.echo(
                f"crawl {options['extra_settings']['ARCHIVER_CRAWL']}: nothing was "
                "left for this worker"
            )
        return
    exit_for(result)


DEMO_PORT = 8000  # the fixed port of ``archiver demo --serve``


@cli.command()
@click.option(
    "--out",
    default="demo-archive",
    show_default=True,
    type=click.Path(),
    help="Folder for the demo archive (archive.db and warc/). A folder holding "
    "anything but an earlier, untouched demo archive is refused.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the archive (archive.db, warc/) in --out even if it is not "
    "an untouched demo archive.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Only serve the demo site, on a fixed port, until Ctrl-C: a stable "
    "address to try crawl, jobs and recrawls against.",
)
@click.option(
    "--port",
    default=None,
    type=click.IntRange(0, 65535),
    help=f"Port of the demo site [default: {DEMO_PORT} with --serve, else any free port].",
)
@log_params
def demo(
    out: str, force: bool, serve: bool, port: int | None, quiet: bool, log_level: str | None
) -> None:
    """Serve the bundled news site on 127.0.0.1, crawl it into a fresh archive, and
    print a summary and a sample full-text search. No internet needed.

    With --serve, only serve the site (http://127.0.0.1:8000/ by default) until
    Ctrl-C, for your own crawls and jobs.
    """
    from archiver.cli.safety import DEMO_MARKER, demo_folder_state
    from archiver.demo.server import SiteServer, demo_site_root

    root = demo_site_root()
    if serve:
        _serve_demo(root, DEMO_PORT if port is None else port)
        return
    folder = Path(out)
    db = folder / "archive.db"
    warc_dir = folder / "warc"
    state = demo_folder_state(folder)
    if state == "user" and not force:
        raise UserError(
            f"{out} already holds files that are not an untouched demo archive; "
            "give another --out, or --force to replace its archive.db and warc/"
        )
    if state != "empty":
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
        if warc_dir.exists():
            shutil.rmtree(warc_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARKER).write_text("made by archiver demo\n", encoding="utf-8")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    with SiteServer(root, port=port or 0) as server:
        if not quiet:
            click.echo(f"Serving the demo news site at {server.url('/')}")
        result = run_crawl_command(
            [server.url("/")],
            quiet=quiet,
            log_level=log_level,
            db=str(db),
            warc_dir=str(warc_dir),
            delay=0.0,
            concurrency=8,
            prefix="demo",
        )
    if not quiet:
        print_crawl_summary(result, str(db))
        _demo_search(db, manifest.get("sample_query"))
    exit_for(result)


def _serve_demo(root: Path, port: int) -> None:
    import signal
    import threading

    from archiver.demo.server import SiteServer

    server = SiteServer(root, port=port)
    try:
        server.start()
    except OSError as exc:
        raise UserError(
            f"cannot serve the demo site on port {port}: {exc.strerror or exc} (try --port)"
        ) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"Serving the demo news site at {server.url('/')} (Ctrl-C to stop)")
    click.echo(f"  try: archiver crawl {server.url('/')} --db archive.db --max-pages 50")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _demo_search(db: Path, sample: str | None) -> None:
    from archiver.research.archive import Archive

    with Archive(db) as archive:
        for q in (sample, "election", "council"):
            if not q:
                continue
            hits = archive.search(q, limit=5, page_type="article")
            if hits:
                break
        click.echo(f'\nFull-text search for "{q}" among articles, best {len(hits)}:')
        for hit in hits:
            click.echo(f"  {hit.title}  <{hit.url}>")
            click.echo(f"      {' '.join(hit.snippet.split())}")
        totals = archive.stats()
        click.echo(
            f"\nArchive: {totals['captures']} captures, {totals['documents']} documents "
            f"({totals['articles']} articles) in {db}"
        )
        warc = db.parent / "warc"
        click.echo("\nNext: search it, browse it in Datasette, replay it through pywb, verify it:")
        click.echo(f'  archiver search --db {db} "harbour"')
        click.echo(f"  archiver serve --db {db} --warc-dir {warc}")
        click.echo(f"  archiver replay --warc-dir {warc}")
        click.echo(f"  archiver verify --db {db} --warc-dir {warc}")
        click.echo(
            "  archiver demo --serve    # the site alone at http://127.0.0.1:8000/, "
            "for your own crawls and jobs"
        )


@cli.command()
@click.argument("source")
@click.option("--url", default=None, help="URL of the page (for relative links and metadata).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(),
    help="Archive to look SOURCE up in when it is the URL of an archived page.",
)
@warc_dir_option
def extract(source: str, url: str | None, fmt: str, db: str, warc_dir: str | None) -> None:
    """Extract the article from SOURCE: an HTML file, - for standard input, or the URL
    of a page in the archive; print its text and metadata.

    Example:

    \b
        archiver extract page.html --format json
    """
    from archiver.extract import extract as run_extract
    from archiver.extract import render

    headers: dict[str, str] = {}
    if source == "-":
        html = sys.stdin.buffer.read()
    elif Path(source).is_file():
        try:
            html = Path(source).read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {source}: {exc.strerror}") from None
    elif source.startswith(("http://", "https://")):
        html, headers = _archived_page(source, Path(db), Path(resolve_warc_dir(warc_dir, db)))
        url = url or source
    else:
        raise UserError(f"{source}: no such file (give a file, - or the URL of an archived page)")
    doc = run_extract(html, url=url, headers=headers)
    if doc is None:
        raise UserError("no content could be extracted")
    click.echo(render(doc, fmt))


def _archived_page(url: str, db: Path, warc_dir: Path) -> tuple[bytes, dict[str, str]]:
    from archiver import store
    from archiver.codings import UndecodableContent, decode_body
    from archiver.warc import record_at

    if not db.exists():
        raise UserError(f"archive {db} does not exist")
    conn = store.connect(db, readonly=True)
    try:
        row = conn.execute(
            "SELECT c.warc_file, c.warc_offset, r.warc_file, r.warc_offset FROM captures c "
            "LEFT JOIN captures r ON r.id = c.revisit_of WHERE c.url = ? AND c.status = 200 "
            "ORDER BY c.fetched_at DESC LIMIT 1",
            (url,),
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise UserError(f"{url} is not in the archive {db}")
    warc_file, offset = (row[2], row[3]) if row[2] else (row[0], row[1])
    try:
        record = record_at(warc_dir / warc_file, offset)
    except (OSError, LookupError) as exc:
        raise UserError(f"cannot read the WARC record of {url}: {exc}") from None
    if record.http_headers is None:
        raise UserError(f"the WARC record of {url} holds no HTTP response")
    headers = dict(record.http_headers.headers)
    try:
        body = decode_body(record.payload, record.http_headers.get_header("Content-Encoding"))
    except UndecodableContent as exc:
        raise UserError(f"cannot decode the archived body of {url}: {exc.cause}: {exc}") from None
    return body, headers


# Command groups that live in their own modules register here, one line each.
ops_cli.register(cli)  # verify, reindex, reextract, repair, replay, cdx, wacz, export-warc
jobs_cli.register(cli)  # jobs ..., scheduler
research_cli.register(cli)  # search, show, diff, export, stats, serve
distributed_cli.register(cli)  # merge, status


def main() -> None:
    """Console entry point."""
    try:
        cli.main(prog_name="archiver", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except ArchiverError as exc:  # any layer's error a command did not word itself
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
