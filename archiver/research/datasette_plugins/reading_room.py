"""Datasette plugin of ``archiver serve``: the reading room's pages.

* ``/`` the search page (``/-/archiver/search.json`` as JSON), replacing Datasette's
  list of databases (still at ``/-/databases`` and ``/<database>``);
* ``/-/archiver/document/<id>`` a document, its versions and captures;
* ``/-/archiver/diff?from=<id>&to=<id>`` a word-level diff of two versions;
* ``/-/archiver/changes`` stealth edits; ``/-/archiver/sites`` crawls per site;
* ``/-/archiver/export.{csv,jsonl,parquet}`` the search's documents, streamed;
* every page also as JSON: add ``.json`` to its path.

The data comes from :mod:`archiver.research.reading_room` (the Archive API), run in a
thread pool with one read-only :class:`~archiver.research.archive.Archive` per thread;
the HTML from the templates in ``archiver/research/templates`` through Datasette's
own template environment.  Configured by the ``archiver`` plugin section of the
generated metadata (``database``, ``warc_dir``, ``replay_url``).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import AsgiStream, Response

from archiver.errors import ArchiveError, NotFound
from archiver.research import reading_room as rr
from archiver.research.archive import Archive

_EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="reading-room")
_LOCAL = threading.local()
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
CHUNK = 1 << 16


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config("archiver") or {}


def _archive(datasette: Any) -> Archive:
    """This thread's Archive (opened once per thread and database file)."""
    config = _config(datasette)
    path = datasette.get_database(config.get("database")).path
    archive = getattr(_LOCAL, "archive", None)
    if archive is None or str(archive.path) != str(path):
        archive = Archive(path, config.get("warc_dir") or None)
        _LOCAL.archive = archive
    return archive


async def _run(datasette: Any, fn: Callable[[Archive], Any]) -> Any:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_EXECUTOR, lambda: fn(_archive(datasette)))


def _args(request: Any) -> dict[str, list[str]]:
    args = request.args
    return {key: args.getlist(key) for key in args}


def _base(datasette: Any) -> str:
    return datasette.urls.path("/")


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str),
        status=status,
        content_type="application/json; charset=utf-8",
    )


async def _page(
    request: Any,
    datasette: Any,
    template: str,
    title: str | Callable[[dict[str, Any]], str],
    fn: Callable[[Archive], dict[str, Any]],
    as_json: bool,
    json_path: str,
) -> Response:
    try:
        data = await _run(datasette, fn)
    except NotFound as exc:
        return await _error(request, datasette, str(exc), 404, as_json)
    except ArchiveError as exc:
        return await _error(request, datasette, str(exc), 400, as_json)
    if as_json:
        return _json({"ok": True, **data})
    context = {
        **data,
        "data": data,
        "page_title": title(data) if callable(title) else title,
        "nav": template.removeprefix("archiver_").removesuffix(".html"),
        "json_href": json_path + (f"?{request.query_string}" if request.query_string else ""),
        **_chrome(datasette),
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


def _chrome(datasette: Any) -> dict[str, Any]:
    config = _config(datasette)
    base = _base(datasette)
    return {
        "base": base,
        "database": config.get("database"),
        "replay_url": config.get("replay_url"),
        "tables_href": datasette.urls.database(config.get("database") or ""),
    }


async def _error(
    request: Any, datasette: Any, message: str, status: int, as_json: bool
) -> Response:
    if as_json:
        return _json({"ok": False, "error": message}, status)
    html = await datasette.render_template(
        "archiver_error.html",
        {
            "message": message,
            "status": status,
            "page_title": "Not found" if status == 404 else "Cannot show this",
            **_chrome(datasette),
        },
        request=request,
    )
    return Response.html(html, status=status)


def _is_json(request: Any) -> bool:
    return bool(request.url_vars.get("format"))


async def search_view(request: Any, datasette: Any) -> Response:
    base = _base(datasette)
    as_json = _is_json(request) or request.path.endswith(".json")
    try:
        params = rr.SearchParams.parse(_args(request))
    except ArchiveError as exc:
        return await _error(request, datasette, str(exc), 400, as_json)

    def title(data: dict[str, Any]) -> str:
        return f"{params.q} – search" if params.q else "Search the archive"

    return await _page(
        request,
        datasette,
        "archiver_search.html",
        title,
        lambda a: (
            rr.search_page(a, params, base=base)
            | {"params": {"q": params.q or "", "sites": list(params.sites)}}
        ),
        as_json,
        f"{base}-/archiver/search.json",
    )


async def document_view(request: Any, datasette: Any) -> Response:
    base = _base(datasette)
    doc_id = int(request.url_vars["doc_id"])
    replay_url = _config(datasette).get("replay_url")
    return await _page(
        request,
        datasette,
        "archiver_document.html",
        lambda d: d["document"]["title"] or d["document"]["url"],
        lambda a: rr.document_page(a, doc_id, replay_url=replay_url, base=base),
        _is_json(request),
        f"{base}-/archiver/document/{doc_id}.json",
    )


async def diff_view(request: Any, datasette: Any) -> Response:
    base = _base(datasette)
    args = _args(request)
    return await _page(
        request,
        datasette,
        "archiver_diff.html",
        lambda d: f"Changes to {d['to']['title'] or d['url']}",
        lambda a: rr.diff_page(a, args, base=base),
        _is_json(request),
        f"{base}-/archiver/diff.json",
    )


async def changes_view(request: Any, datasette: Any) -> Response:
    base = _base(datasette)
    args = _args(request)
    return await _page(
        request,
        datasette,
        "archiver_changes.html",
        "Changed articles",
        lambda a: rr.changes_page(a, args, base=base),
        _is_json(request),
        f"{base}-/archiver/changes.json",
    )


async def sites_view(request: Any, datasette: Any) -> Response:
    base = _base(datasette)
    return await _page(
        request,
        datasette,
        "archiver_sites.html",
        "Sites",
        lambda a: rr.sites_page(a, base=base),
        _is_json(request),
        f"{base}-/archiver/sites.json",
    )


async def export_view(request: Any, datasette: Any) -> Any:
    """The search page's documents (query and filters) as CSV, JSONL or Parquet; written
    to a temporary file in a worker thread, then streamed."""
    from archiver.research.exports import export

    fmt = request.url_vars["fmt"]
    try:
        params = rr.SearchParams.parse(_args(request))
    except ArchiveError as exc:
        return Response.text(f"error: {exc}\n", status=400)
    out = tempfile.TemporaryFile(prefix="archiver-export-")  # noqa: SIM115 - streamed below

    def write(archive: Archive) -> int:
        count = export(archive, out, fmt, query=params.q, filters=params.filters())
        out.flush()
        out.seek(0)
        return count

    try:
        await _run(datasette, write)
    except ArchiveError as exc:
        out.close()
        return Response.text(f"error: {exc}\n", status=400)

    async def stream(writer: Any) -> None:
        try:
            while True:
                chunk = out.read(CHUNK)
                if not chunk:
                    break
                # AsgiWriter.write() takes text; the body is bytes (Parquet)
                await writer.send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            out.close()

    name = f"documents.{fmt}"
    return AsgiStream(
        stream,
        headers={"content-disposition": f'attachment; filename="{name}"'},
        content_type=CONTENT_TYPES[fmt],
    )


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/$", search_view),
        (r"^/-/archiver/search(?P<format>\.json)?$", search_view),
        (r"^/-/archiver/document/(?P<doc_id>\d+)(?P<format>\.json)?$", document_view),
        (r"^/-/archiver/diff(?P<format>\.json)?$", diff_view),
        (r"^/-/archiver/changes(?P<format>\.json)?$", changes_view),
        (r"^/-/archiver/sites(?P<format>\.json)?$", sites_view),
        (r"^/-/archiver/export\.(?P<fmt>csv|jsonl|parquet)$", export_view),
    ]
