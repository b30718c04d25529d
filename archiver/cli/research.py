"""Researchers' commands: ``search``, ``show``, ``diff``, ``export``, ``stats`` and
``serve`` (registered on :data:`archiver.cli.cli`)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from archiver.cli.common import UserError, format_option
from archiver.cli.safety import refuse_overwrite

HL_START, HL_END = "\x02", "\x03"


class QueryError(UserError):
    """A malformed full-text query: one line, exit status 2."""

    exit_code = 2


def _db_options(func: Any) -> Any:
    func = click.option(
        "--warc-dir",
        default=None,
        type=click.Path(file_okay=False),
        help="Folder of the WARC files [default: warc/ next to the archive, else ./warc].",
    )(func)
    return click.option(
        "--db",
        default="archive.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite archive.",
    )(func)


def _filter_options(func: Any) -> Any:
    decorators = [
        click.option(
            "--site",
            multiple=True,
            metavar="SITE",
            help="Only this site (host without www.; repeatable).",
        ),
        click.option(
            "--since",
            metavar="DATE",
            help="Published on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD or ISO).",
        ),
        click.option(
            "--until",
            metavar="DATE",
            help="Published on or before DATE (same forms; the whole period).",
        ),
        click.option("--lang", metavar="CODE", help="Only this language (ISO 639-1)."),
        click.option("--author", metavar="TEXT", help="Author contains TEXT (any case)."),
        click.option(
            "--page-type",
            type=click.Choice(["article", "listing", "other", "any"]),
            help="Only this page type; any: every type. search without it ranks "
            "articles first, then the rest; with any, all by relevance.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


@contextmanager
def _archive(db: str, warc_dir: str | None) -> Iterator[Any]:
    from archiver.research.archive import Archive, ArchiveError, SearchQueryError

    try:
        archive = Archive(db, warc_dir)
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
    try:
        yield archive
    except SearchQueryError as exc:
        raise QueryError(f"invalid search query: {exc}") from None
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
    finally:
        archive.close()


def _make_filters(
    site: tuple[str, ...],
    since: str | None,
    until: str | None,
    lang: str | None,
    author: str | None,
    page_type: str | None,
) -> Any:
    from archiver.research.archive import ArchiveError, Filters

    try:
        return Filters.of(
            site=site,
            since=since,
            until=until,
            lang=lang,
            author=author,
            page_type=None if page_type == "any" else page_type,
        )
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


def _console() -> Any:
    from rich.console import Console

    # Not on a terminal (a pipe, a file): wide enough that ids, dates and digests
    # stay on one line.
    width = None if sys.stdout.isatty() else 200
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=width)


def _rich_snippet(snippet: str) -> Any:
    from rich.text import Text

    text = Text()
    rest = " ".join(snippet.split())
    while HL_START in rest:
        before, _, rest = rest.partition(HL_START)
        marked, _, rest = rest.partition(HL_END)
        text.append(before)
        text.append(marked, style="bold yellow")
    text.append(rest)
    return text


def _write_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if rows:
            writer.writerow(list(rows[0]))
            for row in rows:
                writer.writerow(list(row.values()))
        click.echo(buf.getvalue(), nl=False)


# -- search ------------------------------------------------------------------
@click.command()
@click.argument("query")
@_filter_options
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="How many results.",
)
@click.option(
    "--offset",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Skip this many results first (paging).",
)
@format_option("jsonl", "csv")
@click.option(
    "--exhaustive", is_flag=True, help="Rank every match even for very common words (slower)."
)
@_db_options
def search(
    query: str,
    limit: int,
    offset: int,
    fmt: str,
    exhaustive: bool,
    db: str,
    warc_dir: str | None,
    **filters: Any,
) -> None:
    """Full-text search of the archive's documents: articles first, then listings
    and other pages (--page-type any: all by relevance); best first by relevance
    (bm25, title 10x the body; higher is better).

    QUERY uses FTS5 syntax: words, "exact phrases", prefixes (elect*), AND / OR / NOT,
    NEAR(word1 word2, 10), title:word.

    Example:

    \b
        archiver search '"city council" AND budget' --site news.example.org --since 2026-01
    """
    flt = _make_filters(**filters)
    marks = (HL_START, HL_END) if fmt == "text" else ("[", "]")
    with _archive(db, warc_dir) as archive:
        hits = archive.search(
            query,
            limit=limit,
            offset=offset,
            filters=flt,
            highlight=marks,
            exhaustive=exhaustive,
            articles_first=filters.get("page_type") != "any",
        )
    if hits.note:
        click.echo(f"note: {hits.note}", err=True)  # how the results are ordered
    if fmt != "text":
        _write_rows([h.to_dict() for h in hits], fmt)
        return
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not hits:
        console.print(f"No documents match {query!r}.")
        return
    table = Table(
        title=f"{query!r}: results {offset + 1}–{offset + len(hits)}", show_lines=True, expand=True
    )
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("document", ratio=2, overflow="fold")  # URLs wrap, never cut
    table.add_column("published", no_wrap=True)
    table.add_column("snippet", ratio=3)
    for hit in hits:
        doc = Text(hit.title or "(no title)", style="bold")
        doc.append(f"\n{hit.url}", style="dim")
        doc.append(
            f"\n{hit.site} · {hit.language or '-'} · {hit.page_type or '-'} · "
            f"relevance {hit.relevance:.2f}",
            style="dim",
        )
        table.add_row(str(hit.id), doc, (hit.published or "")[:10], _rich_snippet(hit.snippet))
    console.print(table)


# -- show --------------------------------------------------------------------
@click.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--versions", is_flag=True, help="List each distinct text version instead.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_db_options
def show(ref: str, versions: bool, fmt: str, db: str, warc_dir: str | None) -> None:
    """Show a document (by id, WARC-Record-ID of its capture, or the latest version
    of a URL): metadata, clean text and every capture of its URL over time.

    Example:

    \b
        archiver show https://news.example.org/2026/10/story.html --versions
    """
    with _archive(db, warc_dir) as archive:
        url, doc = _resolve(archive, ref)
        captures = archive.captures(url)
        all_versions = archive.versions(url)
    if fmt == "json":
        out: dict[str, Any] = {"url": url, "captures": [c.to_dict() for c in captures]}
        if versions:
            out["versions"] = [_version_row(v, p) for v, p in _pairs(all_versions)]
        else:
            out["document"] = doc.to_dict() if doc else None
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    console = _console()
    if versions:
        _print_versions(console, url, all_versions)
    elif doc is not None:
        _print_document(console, doc, len(all_versions))
    else:
        console.print(f"{url}: no text was extracted from its captures.")
    _print_captures(console, captures)


def _pairs(items: list[Any]) -> Iterator[tuple[Any, Any]]:
    previous = None
    for item in items:
        yield item, previous
        previous = item


def _version_row(v: Any, prev: Any) -> dict[str, Any]:
    return {
        "id": v.id,
        "capture_id": v.capture_id,
        "fetched_at": v.fetched_at,
        "title": v.title,
        "word_count": v.word_count,
        "text_hash": v.text_hash,
        "word_count_change": None if prev is None else (v.word_count or 0) - (prev.word_count or 0),
    }


def _print_versions(console: Any, url: str, versions: list[Any]) -> None:
    from rich.table import Table

    table = Table(title=f"{len(versions)} text version(s) of {url}")
    for col in ("document", "captured", "words", "change", "text hash", "title"):
        table.add_column(col, justify="right" if col in ("document", "words", "change") else "left")
    for v, prev in _pairs(versions):
        row = _version_row(v, prev)
        change = row["word_count_change"]
        table.add_row(
            str(v.id),
            v.fetched_at or "-",
            str(v.word_count or 0),
            "-" if change is None else f"{change:+d}",
            (v.text_hash or "")[:12],
            v.title or "",
        )
    console.print(table)


def _print_document(console: Any, doc: Any, n_versions: int) -> None:
    from rich.table import Table

    meta = Table(
        show_header=False,
        box=None,
        title=doc.title or "(no title)",
        title_style="bold",
        title_justify="left",
    )
    meta.add_column("field", style="bold")
    meta.add_column("value", overflow="fold")
    for name, value in (
        ("document", f"{doc.id} (version {n_versions} of {n_versions})" if n_versions else doc.id),
        ("url", doc.url),
        ("canonical", doc.canonical_url),
        ("site", doc.site),
        ("author", doc.author),
        ("published", doc.published),
        ("modified", doc.modified),
        ("language", doc.language),
        ("page type", doc.page_type),
        ("words", doc.word_count),
        ("description", doc.description),
        ("tags", doc.tags),
        ("captured", doc.fetched_at),
        (
            "WARC record",
            f"{doc.warc_file} @ {doc.warc_offset} ({doc.warc_length} bytes), "
            f"capture {doc.capture_id}",
        ),
    ):
        if value not in (None, "", "[]"):
            meta.add_row(name, str(value))
    console.print(meta)
    console.print()
    console.print(doc.text or "(no text)", markup=False, highlight=False)
    console.print()


def _print_captures(console: Any, captures: list[Any]) -> None:
    from rich.table import Table

    table = Table(title=f"{len(captures)} capture(s)", title_justify="left")
    for col in (
        "capture",
        "date",
        "status",
        "type",
        "payload digest",
        "WARC file",
        "offset",
        "document",
    ):
        table.add_column(col, overflow="fold")
    for c in captures:
        table.add_row(
            str(c.id),
            c.fetched_at or "-",
            str(c.status),
            c.record_type or "-",
            c.payload_digest or "-",
            c.warc_file or "-",
            str(c.warc_offset),
            str(c.document_id or "-"),
        )
    console.print(table)


# -- diff ----------------------------------------------------------------------
def _resolve(archive: Any, ref: str) -> tuple[str, Any]:
    """``show`` and ``diff`` take the same references: a document id, a page URL or
    the WARC-Record-ID of a capture.  Returns (url, document or None)."""
    from archiver.research.archive import NotFound

    try:
        doc = archive.document(ref)
    except NotFound:
        if ref.isdigit() or ref.startswith(("urn:", "<urn:")) or not archive.captures(ref):
            raise
        return ref, None
    return doc.url, doc


@click.command()
@click.argument("ref", metavar="ID|URL")
@click.option(
    "--from",
    "from_id",
    type=int,
    default=None,
    metavar="ID",
    help="Older document id [default: the version before --to].",
)
@click.option(
    "--to",
    "to_id",
    type=int,
    default=None,
    metavar="ID",
    help="Newer document id [default: the latest version, or the ID given].",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_db_options
def diff(
    ref: str, from_id: int | None, to_id: int | None, fmt: str, db: str, warc_dir: str | None
) -> None:
    """Show what changed between two text versions of a page, given like for show: a
    document id, a URL or a WARC-Record-ID. A word-level unified diff of headline and
    body ([-removed-] {+added+}), plus metadata changes. A document id compares that
    version with the one before it (the one after, for the first version).

    Example:

    \b
        archiver diff https://news.example.org/2026/10/story.html
        archiver diff 42
    """
    with _archive(db, warc_dir) as archive:
        url, doc = _resolve(archive, ref)
        versions = archive.versions(url)
        if not versions:
            raise UserError(f"{url}: no text was extracted from its captures, nothing to compare")
        if len(versions) < 2 and from_id is None and to_id is None:
            if fmt == "json":
                click.echo(
                    json.dumps(
                        {"url": url, "versions": 1, "document": versions[0].id, "diff": None},
                        indent=2,
                    )
                )
            else:
                click.echo(f"{url}: one version (document {versions[0].id}), nothing to compare")
            return
        explicit = doc is not None and (ref.isdigit() or ref.startswith(("urn:", "<urn:")))
        if explicit and from_id is None and to_id is None:
            if doc.id == versions[0].id:
                from_id = doc.id
            else:
                to_id = doc.id
        result = archive.diff(url, from_id, to_id)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.unified())


# -- export ------------------------------------------------------------------
@click.command()
@_filter_options
@click.option(
    "--query",
    "query",
    default=None,
    metavar="QUERY",
    help="Only documents matching this full-text query.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    default="-",
    show_default=True,
    type=click.Path(),
    help="File to write; - for standard output.",
)
@click.option("--no-text", is_flag=True, help="Leave the text column out.")
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@_db_options
def export(
    query: str | None,
    fmt: str,
    output: str,
    no_text: bool,
    force: bool,
    db: str,
    warc_dir: str | None,
    **filters: Any,
) -> None:
    """Export documents, one row each with metadata, text and capture location
    (WARC file, offset, length), streamed in constant memory.

    Example:

    \b
        archiver export --site news.example.org --since 2026 --format parquet -o news.parquet
    """
    from archiver.research.archive import DOCUMENT_FIELDS
    from archiver.research.exports import export as run_export

    flt = _make_filters(**filters)
    fields = [f for f in DOCUMENT_FIELDS if not (no_text and f == "text")]
    if output == "-" and fmt == "parquet" and sys.stdout.isatty():
        raise UserError("parquet output is binary: give --output FILE")
    refuse_overwrite(output, force)
    with _archive(db, warc_dir) as archive:
        try:
            if output == "-":
                count = run_export(
                    archive, sys.stdout.buffer, fmt, query=query, filters=flt, fields=fields
                )
                sys.stdout.flush()
            else:
                try:
                    with open(output, "wb") as fh:
                        count = run_export(
                            archive, fh, fmt, query=query, filters=flt, fields=fields
                        )
                except OSError as exc:
                    raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
        except BrokenPipeError:
            return
    click.echo(f"exported {count} documents", err=True)


# -- stats -------------------------------------------------------------------
@click.command()
@format_option()
@_db_options
def stats(fmt: str, db: str, warc_dir: str | None) -> None:
    """Documents and captures per site, languages, date ranges, crawl history and
    archive size."""
    from archiver.crawl.progress import human_bytes

    with _archive(db, warc_dir) as archive:
        data = archive.stats()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    console = _console()
    size = data["size"]
    summary = Table(show_header=False, title=f"archive {data['archive']}", title_justify="left")
    summary.add_column("what", style="bold")
    summary.add_column("value")
    for name, value in (
        ("documents", f"{data['documents']} ({data['articles']} articles)"),
        ("captures", f"{data['captures']} of {data['urls']} URLs"),
        ("changed article versions", data["changed_versions"]),
        ("published", f"{data['published']['first'] or '-'} … {data['published']['last'] or '-'}"),
        ("captured", f"{data['fetched']['first'] or '-'} … {data['fetched']['last'] or '-'}"),
        ("languages", ", ".join(f"{k} {v}" for k, v in data["languages"].items()) or "-"),
        ("page types", ", ".join(f"{k} {v}" for k, v in data["page_types"].items()) or "-"),
        ("database size", human_bytes(size["database_bytes"])),
        ("WARC size", f"{human_bytes(size['warc_bytes'])} in {size['warc_files']} file(s)"),
    ):
        summary.add_row(name, str(value))
    console.print(summary)
    sites = Table(title="per site", title_justify="left")
    for col in ("site", "documents", "articles", "captures", "first capture", "last capture"):
        sites.add_column(col)
    for site, row in data["sites"].items():
        sites.add_row(
            site,
            str(row.get("documents", 0)),
            str(row.get("articles", 0)),
            str(row.get("captures", 0)),
            row.get("first_capture") or "-",
            row.get("last_capture") or "-",
        )
    console.print(sites)
    crawls = Table(title="crawl history", title_justify="left")
    for col in ("crawl", "started", "finished", "status", "captures", "new documents", "seeds"):
        crawls.add_column(col)
    for c in data["crawls"]:
        seeds = c["seeds"] if isinstance(c["seeds"], str) else " ".join(c["seeds"])
        crawls.add_row(
            str(c["id"]),
            c["started_at"] or "-",
            c["finished_at"] or "-",
            c["status"] or "-",
            str(c["captures"]),
            str(c["new_documents"]),
            seeds,
        )
    console.print(crawls)


@click.command()
@click.option(
    "--db",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite archive.",
)
@click.option(
    "--warc-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Folder of the WARC files [default: warc/ next to the archive, else ./warc].",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind (loopback unless you say otherwise).",
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--replay-url",
    default=None,
    metavar="URL",
    help="Replay server prefix, e.g. http://127.0.0.1:8080/archive/ "
    '(archiver replay): "archived page" opens <URL><timestamp>/<url>. '
    "Without it (and without --replay) that button is hidden.",
)
@click.option(
    "--replay",
    is_flag=True,
    help="Also start pywb (archiver replay) over the WARC files and link "
    '"archived page" to it; both servers stop together.',
)
@click.option(
    "--replay-port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="pywb's port with --replay.",
)
def serve(
    db: str,
    warc_dir: str | None,
    host: str,
    port: int,
    replay_url: str | None,
    replay: bool,
    replay_port: int,
) -> None:
    """Open the reading room in a web browser: search, documents with their versions,
    diffs and captures, changed articles and sites (Datasette, read-only; the tables
    and SQL stay available).

    Example:

    \b
        archiver serve --db archive.db --replay
        archiver serve --db archive.db --port 8001 --replay-url http://127.0.0.1:8080/archive/
    """
    import shutil
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    from archiver.research.archive import Archive, ArchiveError
    from archiver.research.serve import build_metadata, datasette_command

    if replay and replay_url:
        raise UserError("give either --replay or --replay-url, not both")
    try:
        archive = Archive(db, warc_dir)  # checks the file and upgrades an old schema
    except ArchiveError as exc:
        raise UserError(str(exc)) from None
    resolved_warc = archive.warc_dir
    archive.close()
    if replay and not resolved_warc.is_dir():
        raise UserError(f"--replay: WARC folder {resolved_warc} does not exist (give --warc-dir)")
    pywb = None
    with tempfile.TemporaryDirectory(prefix="archiver-serve-") as tmp:
        if replay:
            from archiver.ops.replay import ReplayError, start_replay

            try:
                pywb = start_replay(
                    resolved_warc, host=host, port=replay_port, root=Path(tmp) / "pywb"
                )
            except ReplayError as exc:
                raise UserError(f"--replay: {exc}") from None
            replay_url = pywb.url(f"/{pywb.collection}/")
            click.echo(f"Replaying {resolved_warc} at {replay_url}", err=True)
        try:
            meta = Path(tmp) / "metadata.json"
            meta.write_text(
                json.dumps(build_metadata(Path(db), resolved_warc, replay_url), indent=2),
                encoding="utf-8",
            )
            click.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
            from archiver.ops.replay import die_with_parent

            proc = subprocess.Popen(
                datasette_command(Path(db), meta, host, port), preexec_fn=die_with_parent
            )
            signal.signal(signal.SIGTERM, lambda *_: proc.terminate())  # stop the child too
            try:
                code = proc.wait()
            except KeyboardInterrupt:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                code = 0
        finally:
            if pywb is not None:
                pywb.stop()
                shutil.rmtree(pywb.root, ignore_errors=True)
        if code not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise UserError(f"datasette exited with status {code}")


COMMANDS: list[click.Command] = [search, show, diff, export, stats, serve]


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
