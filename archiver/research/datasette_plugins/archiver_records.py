"""Datasette plugin of ``archiver serve``: the raw WARC record of a capture at
``/-/archiver/record/<capture_id>`` (read by offset), links from documents and
captures to that record and to their replay, and the search API at
``/-/archiver/api/search.json?q=...`` (a bare HTML table without ``.json``): the same
:meth:`archiver.research.archive.Archive.search` as ``archiver search``, with its filters
(``site``, ``since``, ``until``, ``lang``, ``author``, ``page_type``), ``limit``,
``offset`` and ``exhaustive=1``.

Configured by the ``archiver`` plugin section of the generated metadata:
``database`` (the archive's database name), ``warc_dir``, ``replay_url`` (optional:
``http://HOST:PORT/<collection>/``, pages open at ``<replay_url><timestamp>/<url>``).
"""

from __future__ import annotations

import asyncio
import gzip
import threading
from html import escape
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from archiver.research.reading_room import replay_href

RECORD_PATH = "/-/archiver/record/"


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config("archiver") or {}


async def record_view(request: Any, datasette: Any) -> Response:
    config = _config(datasette)
    capture_id = int(request.url_vars["capture_id"])
    db = datasette.get_database(config.get("database"))
    rows = (
        await db.execute(
            "SELECT warc_file, warc_offset, warc_length FROM captures WHERE id = ?", [capture_id]
        )
    ).rows
    if not rows:
        return Response.text(f"no capture with id {capture_id}", status=404)
    warc_file, offset, length = rows[0]
    path = Path(config.get("warc_dir") or "warc") / str(warc_file)
    try:
        with open(path, "rb") as fh:
            fh.seek(int(offset))
            data = fh.read(int(length))
    except OSError as exc:
        return Response.text(f"cannot read {path}: {exc.strerror or exc}", status=404)
    name = f"capture-{capture_id}.warc"
    if request.args.get("format") == "gz":
        return Response(
            data,
            content_type="application/warc",
            headers={"Content-Disposition": f'attachment; filename="{name}.gz"'},
        )
    try:
        body = gzip.decompress(data)
    except OSError:
        body = data
    if request.args.get("format") == "warc":
        return Response(
            body,
            content_type="application/warc",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return Response(
        body,
        content_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _search(path: str, args: dict[str, Any]) -> dict[str, Any]:
    from archiver.research.archive import Archive, ArchiveError, Filters

    try:
        flt = Filters.of(
            site=args["site"],
            since=args.get("since"),
            until=args.get("until"),
            lang=args.get("lang"),
            author=args.get("author"),
            page_type=args.get("page_type"),
        )
        with Archive(path) as archive:
            hits = archive.search(
                args["q"],
                filters=flt,
                limit=args["limit"],
                offset=args["offset"],
                exhaustive=args["exhaustive"],
            )
    except (ArchiveError, ValueError) as exc:
        return {"error": str(exc)}
    return {
        "query": args["q"],
        "order": hits.order,
        "approximate": hits.approximate,
        "note": hits.note,
        "hits": [h.to_dict() for h in hits],
    }


async def search_view(request: Any, datasette: Any) -> Response:
    config = _config(datasette)
    db = datasette.get_database(config.get("database"))
    q = (request.args.get("q") or "").strip()
    try:
        args = {
            "q": q,
            "site": request.args.getlist("site"),
            "limit": min(max(int(request.args.get("limit") or 20), 0), 1000),
            "offset": max(int(request.args.get("offset") or 0), 0),
            "exhaustive": request.args.get("exhaustive") in ("1", "true", "on"),
            **{
                k: request.args.get(k) or None
                for k in ("since", "until", "lang", "author", "page_type")
            },
        }
    except ValueError:
        return Response.text("limit and offset must be numbers", status=400)
    result = await asyncio.to_thread(_search, db.path, args) if q else {"hits": []}
    if request.url_vars.get("fmt") == ".json":
        return Response.json(result, status=400 if "error" in result else 200)
    rows = []
    for hit in result.get("hits", []):
        snippet = escape(hit["snippet"]).replace("[", "<mark>").replace("]", "</mark>")
        doc = datasette.urls.path(f"/{config.get('database')}/documents/{hit['id']}")
        rows.append(
            f'<tr><td><a href="{escape(doc)}">{escape(hit["title"] or "(no title)")}'
            f"</a><br><small>{escape(hit['url'])} · {escape(hit['site'] or '-')} · "
            f"{escape((hit['published'] or '')[:10])}</small></td>"
            f"<td>{snippet}</td><td>{hit['score']}</td></tr>"
        )
    note = result.get("error") or result.get("note") or ""
    body = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Search</title></head>"
        f"<body><form><input name='q' size='60' value='{escape(q, quote=True)}'> "
        f"<button>Search</button></form><p>{escape(note)}</p>"
        f"<table>{''.join(rows)}</table></body></html>"
    )
    return Response.html(body, status=400 if "error" in result else 200)


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/-/archiver/record/(?P<capture_id>\d+)$", record_view),
        (r"^/-/archiver/api/search(?P<fmt>\.json)?$", search_view),
    ]


def _links(
    datasette: Any, capture_id: Any, url: str | None, fetched_at: str | None, label: str
) -> Markup:
    parts = []
    if capture_id is not None:
        href = datasette.urls.path(f"{RECORD_PATH}{int(capture_id)}")
        parts.append(f'<a href="{escape(href)}" title="the raw WARC record">{escape(label)}</a>')
    replay = replay_href(_config(datasette).get("replay_url"), url or "", fetched_at)
    if replay:
        parts.append(f'<a href="{escape(replay)}" title="replay this capture">replay</a>')
    return Markup(" · ".join(parts))


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    if database != _config(datasette).get("database"):
        return None
    keys = set(row.keys()) if hasattr(row, "keys") else set()
    if isinstance(value, dict):  # an expanded foreign key: {"value": ..., "label": ...}
        value = value.get("value")
    if value is not None and (
        column == "WARC record"
        or (column == "capture_id" and table in ("documents", "document_list"))
    ):

        async def links() -> Markup:
            db = datasette.get_database(database)
            found = (
                await db.execute("SELECT url, fetched_at FROM captures WHERE id = ?", [value])
            ).rows
            url, fetched = found[0] if found else (None, None)
            return _links(datasette, value, url, fetched, f"WARC record {value}")

        return links()
    if column == "warc_file" and table == "captures" and "id" in keys and value:
        url = row["url"] if "url" in keys else None
        fetched = row["fetched_at"] if "fetched_at" in keys else None
        return Markup(f"{escape(str(value))}<br>") + _links(
            datasette, row["id"], url, fetched, "WARC record"
        )
    return None


# -- full-text queries: the command line's rules in the web interface too ---------------
def archiver_query(query: str | None) -> str:
    """SQL function ``archiver_query(:q)``: a query as ``archiver search`` takes it
    (``covid-19``, stray punctuation) made valid FTS5 syntax, by the same
    :func:`archiver.research.archive.normalise_query`.  A query with no words
    matches nothing (never an "Invalid SQL" page)."""
    from archiver.research.archive import SearchQueryError, normalise_query

    try:
        return normalise_query(query or "")
    except SearchQueryError:
        return '""'


#: Per thread (Datasette runs queries in a pool of threads), the archives opened by
#: ``archiver_search``: {database file: Archive}.
_OPEN = threading.local()


def _search_function(path: str) -> Any:
    """SQL function ``archiver_search(:q)`` of the archive at ``path``: the best 100
    hits of ``archiver search`` (the same engine: articles first, filters, bounded
    ranking), as JSON ``[[document id, relevance], ...]`` in their order, for
    ``json_each``.  A query with no words, or one the engine refuses, finds nothing."""

    def archiver_search(query: str | None) -> str:
        import json

        from archiver.research.archive import Archive, SearchQueryError

        if not (query or "").strip():
            return "[]"
        archives = getattr(_OPEN, "archives", None)
        if archives is None:
            archives = _OPEN.archives = {}
        archive = archives.get(path)
        if archive is None:
            archive = archives[path] = Archive(path)
        try:
            hits = archive.search(query or "", limit=100)
        except SearchQueryError:
            return "[]"
        return json.dumps([[hit.id, round(hit.relevance, 2)] for hit in hits])

    return archiver_search


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("archiver_query", 1, archiver_query, deterministic=True)
    row = conn.execute("PRAGMA database_list").fetchone()
    if row is not None and row[2]:  # an archive file (not Datasette's own in-memory one)
        conn.create_function("archiver_search", 1, _search_function(row[2]))


def _normalised_query_string(raw: bytes) -> bytes:
    """``_search`` and ``_search_<column>`` parameters of a table page, normalised."""
    from urllib.parse import parse_qsl, urlencode

    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    if not any(key.startswith("_search") for key, _ in pairs):
        return raw
    fixed = [
        (key, archiver_query(value) if key.startswith("_search") and value.strip() else value)
        for key, value in pairs
    ]
    return urlencode(fixed).encode("latin-1")


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def normalised(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = dict(scope, query_string=_normalised_query_string(scope["query_string"]))
            await app(scope, receive, send)

        return normalised

    return wrap
