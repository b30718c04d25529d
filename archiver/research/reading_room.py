"""The reading room's pages as data: search (the home page of ``archiver serve``),
document, diff, changes and sites.  Each function takes an open
:class:`~archiver.research.archive.Archive` and the page's query parameters and
returns a JSON-ready dict; the Datasette plugin
(:mod:`archiver.research.datasette_plugins.reading_room`) renders it as HTML with the
templates in ``research/templates`` or returns it as JSON.

Searching, documents, versions, captures and diffs go through the Archive API, so
the pages rank, filter and compare exactly like ``archiver search``, ``show`` and
``diff``; only the facet counts, the browsing list, the changes list and the
per-site crawl history are queried here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from archiver.research.archive import (
    PAGE_TYPES,
    Archive,
    ArchiveError,
    Document,
    Filters,
    SearchQueryError,
    normalise_query,
)

PAGE_SIZE = 20
#: Facets are counted among this many most recently archived matches: a query that
#: matches most of a large archive would otherwise read every match's row (its site
#: and page type are stored after the text).  The total is always exact.
FACET_WINDOW = 2_000
FACET_LIMIT = 12  # values shown per facet
CHANGES_PAGE_SIZE = 50
EXPORT_FORMATS = ("csv", "jsonl", "parquet")
HL_START, HL_END = "\x02", "\x03"
_MONTH = re.compile(r"^\d{4}-\d{2}$")
FACETS = (("site", "Site"), ("lang", "Language"), ("type", "Page type"), ("month", "Published"))


# -- request parameters --------------------------------------------------------
Args = Mapping[str, Sequence[str]]


def _one(args: Args, name: str) -> str | None:
    values = args.get(name) or []
    value = (values[-1] if values else "").strip()
    return value or None


def _page(args: Args) -> int:
    value = _one(args, "page") or "1"
    return max(1, int(value)) if value.isdigit() else 1


@dataclass(frozen=True)
class SearchParams:
    """What the search page was asked: a query (optional: browse without one),
    filters that combine with it, and the page number."""

    q: str | None = None
    sites: tuple[str, ...] = ()
    lang: str | None = None
    page_type: str | None = None
    month: str | None = None
    since: str | None = None
    until: str | None = None
    page: int = 1

    @classmethod
    def parse(cls, args: Args) -> SearchParams:
        month = _one(args, "month")
        if month and not _MONTH.match(month):
            raise ArchiveError(f"month: {month!r} is not YYYY-MM")
        page_type = _one(args, "type")
        if page_type and page_type not in PAGE_TYPES:
            raise ArchiveError(f"type: {page_type!r} is not one of {', '.join(PAGE_TYPES)}")
        sites = tuple(dict.fromkeys(s.strip() for s in args.get("site") or [] if s.strip()))
        params = cls(
            _one(args, "q"),
            sites,
            _one(args, "lang"),
            page_type,
            month,
            _one(args, "since"),
            _one(args, "until"),
            _page(args),
        )
        params.filters()  # validates dates
        return params

    def filters(self) -> Filters:
        since, until = (self.month, self.month) if self.month else (self.since, self.until)
        return Filters.of(
            site=self.sites, since=since, until=until, lang=self.lang, page_type=self.page_type
        )

    def pairs(self, **change: Any) -> list[tuple[str, str]]:
        """The query string's pairs, with ``change`` applied (None drops a key)."""
        values: dict[str, Any] = {
            "q": self.q,
            "site": list(self.sites),
            "lang": self.lang,
            "type": self.page_type,
            "month": self.month,
            "since": self.since,
            "until": self.until,
        }
        page = change.pop("page", 1)
        values.update(change)
        out: list[tuple[str, str]] = []
        for key, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    out.append((key, str(item)))
        if page and page != 1:
            out.append(("page", str(page)))
        return out

    def href(self, path: str = "/", **change: Any) -> str:
        pairs = self.pairs(**change)
        return path + ("?" + urlencode(pairs) if pairs else "")


def highlight_html(snippet: str) -> str:
    """A snippet with ``HL_START``/``HL_END`` marks as HTML with ``<mark>``."""
    return escape(snippet).replace(HL_START, "<mark>").replace(HL_END, "</mark>")


def _plain(snippet: str) -> str:
    return snippet.replace(HL_START, "[").replace(HL_END, "]")


# -- search ----------------------------------------------------------------------
def search_page(archive: Archive, params: SearchParams, *, base: str = "/") -> dict[str, Any]:
    """Results (ranked like ``archiver search``), facets, paging and export links."""
    flt = params.filters()
    offset = (params.page - 1) * PAGE_SIZE
    results: list[dict[str, Any]] = []
    if params.q:
        normalise_query(params.q)  # a bad query fails before any work
        hits = archive.search(
            params.q, limit=PAGE_SIZE + 1, offset=offset, filters=flt, highlight=(HL_START, HL_END)
        )
        for hit in hits[:PAGE_SIZE]:
            row = hit.to_dict()
            row["snippet_html"] = highlight_html(hit.snippet)
            row["snippet"] = _plain(hit.snippet)
            results.append(row)
        more = len(hits) > PAGE_SIZE
    else:
        rows = _latest(archive, flt, PAGE_SIZE + 1, offset)
        results, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    total, facets = _facets(archive, params, flt, base)
    for row in results:
        row["href"] = f"{base}-/archiver/document/{row['id']}"
    exports = {fmt: params.href(f"{base}-/archiver/export.{fmt}") for fmt in EXPORT_FORMATS}
    return {
        "query": params.q,
        "filters": {
            "site": list(params.sites),
            "lang": params.lang,
            "type": params.page_type,
            "month": params.month,
            "since": params.since,
            "until": params.until,
        },
        "page": params.page,
        "page_size": PAGE_SIZE,
        "total": total,
        "results": results,
        "first": offset + 1 if results else 0,
        "last": offset + len(results),
        "next": params.href(base, page=params.page + 1) if more else None,
        "previous": params.href(base, page=params.page - 1) if params.page > 1 else None,
        "facets": facets,
        "exports": exports,
    }


def _latest(archive: Archive, flt: Filters, limit: int, offset: int) -> list[dict[str, Any]]:
    """Browsing without a query: the most recently archived documents."""
    conds, args = flt.where("d")
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    cur = archive.conn.execute(
        "SELECT d.id, d.url, d.site, d.title, d.author, d.published, d.language, "
        "d.page_type, d.word_count, d.capture_id, c.fetched_at, "
        "coalesce(nullif(d.description, ''), substr(d.text, 1, 240)) AS snippet "
        "FROM documents d LEFT JOIN captures c ON c.id = d.capture_id"
        f"{where} ORDER BY d.id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    names = [c[0] for c in cur.description]
    rows = []
    for values in cur:
        row = dict(zip(names, values, strict=True))
        text = " ".join((row["snippet"] or "").split())
        row["snippet"] = text
        row["snippet_html"] = escape(text)
        rows.append(row)
    return rows


def _facets(
    archive: Archive, params: SearchParams, flt: Filters, base: str
) -> tuple[int, list[dict[str, Any]]]:
    """The number of matches and the facets (site, language, page type, month) of
    the query and filters, counted in one pass over at most FACET_WINDOW matches."""
    conds, args = flt.where("d")
    columns = (
        "SELECT d.site AS s, d.language AS l, d.page_type AS t, substr(d.published, 1, 7) AS m"
    )
    if params.q and conds and _selective(archive, conds, args):
        # few documents pass the filters: they pick the ids through their indexes
        # first (as search does), so only matching rows are read
        xconds, args = flt.where("x")
        sql = (
            f"{columns} FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            "WHERE documents_fts MATCH ? AND +f.rowid IN (SELECT x.id FROM documents x "
            f"WHERE {' AND '.join(xconds)}) ORDER BY f.rowid DESC LIMIT ?"
        )
        args = [normalise_query(params.q), *args]
    elif params.q:
        # most documents pass: the newest matches fill the window after a few rows
        sql = (
            f"{columns} FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            "WHERE documents_fts MATCH ?"
            + "".join(f" AND {c}" for c in conds)
            + " ORDER BY f.rowid DESC LIMIT ?"
        )
        args = [normalise_query(params.q), *args]
    else:
        sql = (
            f"{columns} FROM documents d"
            + (f" WHERE {' AND '.join(conds)}" if conds else "")
            + " ORDER BY d.id DESC LIMIT ?"
        )
    try:
        rows = archive.conn.execute(
            f"SELECT s, l, t, m, count(*) FROM ({sql}) GROUP BY 1, 2, 3, 4", [*args, FACET_WINDOW]
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise SearchQueryError(f"{str(exc).replace('fts5: ', '')} in {params.q!r}") from None
    counts: dict[str, dict[str, int]] = {name: {} for name, _ in FACETS}
    total = 0
    for site, lang, page_type, month, n in rows:
        total += n
        for name, value in (("site", site), ("lang", lang), ("type", page_type), ("month", month)):
            if value:
                counts[name][value] = counts[name].get(value, 0) + n
    window = FACET_WINDOW if total >= FACET_WINDOW else None
    if window:  # more matches than the window: count them all (cheaply)
        total = _count(archive, params.q, flt)
    chosen: dict[str, set[str | None]] = {
        "site": set(params.sites),
        "lang": {params.lang},
        "type": {params.page_type},
        "month": {params.month},
    }
    facets = []
    for name, label in FACETS:
        if name == "month":
            ordered = sorted(counts[name].items(), reverse=True)
        else:
            ordered = sorted(counts[name].items(), key=lambda kv: (-kv[1], kv[0]))
        values = []
        for value, n in ordered[:FACET_LIMIT]:
            selected = value in chosen[name]
            if name == "site":
                sites = (
                    [s for s in params.sites if s != value] if selected else [*params.sites, value]
                )
                href = params.href(base, site=sites)
            else:
                href = params.href(base, **{name: None if selected else value})
            values.append({"value": value, "count": n, "selected": selected, "href": href})
        for value in sorted(v for v in chosen[name] - set(counts[name]) if v is not None):
            # a filter with no matches stays removable
            rest = [s for s in params.sites if s != value]
            href = params.href(base, **({"site": rest} if name == "site" else {name: None}))
            values.append({"value": value, "count": 0, "selected": True, "href": href})
        facets.append(
            {
                "name": name,
                "label": label,
                "values": values,
                "more": max(0, len(ordered) - FACET_LIMIT),
                "window": window,
            }
        )
    return total, facets


def _selective(archive: Archive, conds: list[str], args: list[Any]) -> bool:
    """Whether the filters keep less than a third of the documents (their indexes
    count them)."""
    size = archive.conn.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
    kept = archive.conn.execute(
        f"SELECT count(*) FROM documents d WHERE {' AND '.join(conds)}", args
    ).fetchone()[0]
    return kept * 3 < size


def _count(archive: Archive, query: str | None, flt: Filters) -> int:
    """How many documents match: FTS counts the query's matches among the ids the
    filters' indexes pick, without reading the documents' rows."""
    if not query:
        return archive.count(None, filters=flt)
    conds, args = flt.where("x")
    sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
    if conds:
        sql += f" AND +rowid IN (SELECT x.id FROM documents x WHERE {' AND '.join(conds)})"
    return int(archive.conn.execute(sql, [normalise_query(query), *args]).fetchone()[0])


# -- documents ---------------------------------------------------------------------
def replay_href(replay_url: str | None, url: str, fetched_at: str | None) -> str | None:
    """``<replay_url><14-digit timestamp>/<url>``: the capture as pywb replays it."""
    if not replay_url or not url:
        return None
    stamp = re.sub(r"\D", "", fetched_at or "")[:14] or "*"
    return f"{replay_url.rstrip('/')}/{stamp}/{url}"


def paragraphs(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _doc_summary(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "capture_id": doc.capture_id,
        "fetched_at": doc.fetched_at,
        "title": doc.title,
        "word_count": doc.word_count,
        "text_hash": doc.text_hash,
    }


def document_page(
    archive: Archive, doc_id: int, *, replay_url: str | None = None, base: str = "/"
) -> dict[str, Any]:
    """A document, its versions and the captures of its URL."""
    doc = archive.document(int(doc_id))
    versions = archive.versions(doc.url)
    captures = archive.captures(doc.url)
    position = next(i for i, v in enumerate(versions) if v.id == doc.id)
    previous = versions[position - 1] if position > 0 else None
    out_versions = []
    for i, v in enumerate(versions):
        prev = versions[i - 1] if i > 0 else None
        row = _doc_summary(v)
        row.update(
            {
                "number": i + 1,
                "current": v.id == doc.id,
                "href": f"{base}-/archiver/document/{v.id}",
                "word_count_change": None
                if prev is None
                else (v.word_count or 0) - (prev.word_count or 0),
                "diff_href": f"{base}-/archiver/diff?from={prev.id}&to={v.id}" if prev else None,
            }
        )
        out_versions.append(row)
    return {
        "document": doc.to_dict(),
        "paragraphs": paragraphs(doc.text),
        "version": position + 1,
        "versions": out_versions,
        "previous_id": previous.id if previous else None,
        "diff_href": (
            f"{base}-/archiver/diff?from={previous.id}&to={doc.id}" if previous else None
        ),
        "captures": [
            {
                **c.to_dict(),
                "record_href": f"{base}-/archiver/record/{c.id}",
                "replay_href": replay_href(replay_url, c.url, c.fetched_at),
                "document_href": (
                    f"{base}-/archiver/document/{c.document_id}" if c.document_id else None
                ),
            }
            for c in captures
        ],
        "record_href": (
            f"{base}-/archiver/record/{doc.capture_id}" if doc.capture_id is not None else None
        ),
        "replay_href": replay_href(replay_url, doc.url, doc.fetched_at),
        "search_site_href": f"{base}?{urlencode({'site': doc.site})}" if doc.site else None,
    }


def diff_page(archive: Archive, args: Args, *, base: str = "/") -> dict[str, Any]:
    """A word-level diff between two versions of a URL: ``to`` (a document id) and
    ``from`` (default: the version before ``to``)."""

    def as_id(name: str) -> int | None:
        value = _one(args, name)
        if value is None:
            return None
        if not value.isdigit():
            raise ArchiveError(f"{name}: {value!r} is not a document id")
        return int(value)

    to_id, from_id = as_id("to"), as_id("from")
    if to_id is None and from_id is None:
        raise ArchiveError("give the document ids to compare: ?from=ID&to=ID")
    anchor = archive.document(to_id if to_id is not None else from_id)  # type: ignore[arg-type]
    if from_id is not None and to_id is not None and from_id > to_id:
        from_id, to_id = to_id, from_id
    diff = archive.diff(anchor.url, from_id, to_id)
    versions = archive.versions(anchor.url)
    data = diff.to_dict()
    data["from"].update(
        {
            "title": diff.old.title,
            "word_count": diff.old.word_count,
            "href": f"{base}-/archiver/document/{diff.old.id}",
        }
    )
    data["to"].update(
        {
            "title": diff.new.title,
            "word_count": diff.new.word_count,
            "href": f"{base}-/archiver/document/{diff.new.id}",
        }
    )
    data["versions"] = [{**_doc_summary(v), "number": i + 1} for i, v in enumerate(versions)]
    data["title_changed"] = any(op["op"] != "=" for op in data["title"])
    return data


# -- changes -----------------------------------------------------------------------
def changes_page(archive: Archive, args: Args, *, base: str = "/") -> dict[str, Any]:
    """Stealth edits: versions whose text differs from the one before, newest first;
    ``site`` and the capture date (``since``/``until``) filter them."""
    site, since, until = _one(args, "site"), _one(args, "since"), _one(args, "until")
    page = _page(args)
    conds: list[str] = []
    params: list[Any] = []
    flt = Filters.of(site=site, since=since, until=until)  # validates and normalises
    low, high = flt.bounds()
    if flt.site:
        conds.append("site = ?")
        params.append(flt.site[0])
    if low:
        conds.append("to_fetched_at >= ?")
        params.append(low)
    if high:
        conds.append("to_fetched_at < ?")
        params.append(high)
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    cur = archive.conn.execute(
        "SELECT url, site, title, from_title, from_id, to_id, from_fetched_at, "
        "to_fetched_at, seconds_between, from_word_count, to_word_count, "
        f"word_count_change, chars_change, change_size FROM changes{where} "
        "ORDER BY to_fetched_at DESC, to_id DESC LIMIT ? OFFSET ?",
        [*params, CHANGES_PAGE_SIZE + 1, (page - 1) * CHANGES_PAGE_SIZE],
    )
    names = [c[0] for c in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur]
    more = len(rows) > CHANGES_PAGE_SIZE
    rows = rows[:CHANGES_PAGE_SIZE]
    for row in rows:
        row["diff_href"] = f"{base}-/archiver/diff?from={row['from_id']}&to={row['to_id']}"
        row["document_href"] = f"{base}-/archiver/document/{row['to_id']}"
    sites = [
        r[0]
        for r in archive.conn.execute(
            "SELECT DISTINCT site FROM documents WHERE site IS NOT NULL ORDER BY site"
        )
    ]

    def href(p: int) -> str:
        pairs = [(k, v) for k, v in (("site", site), ("since", since), ("until", until)) if v]
        if p > 1:
            pairs.append(("page", str(p)))
        return f"{base}-/archiver/changes" + (f"?{urlencode(pairs)}" if pairs else "")

    return {
        "filters": {"site": site, "since": since, "until": until},
        "page": page,
        "changes": rows,
        "sites": sites,
        "next": href(page + 1) if more else None,
        "previous": href(page - 1) if page > 1 else None,
    }


# -- sites ---------------------------------------------------------------------------
@dataclass
class _SiteRow:
    site: str
    documents: int = 0
    articles: int = 0
    captures: int = 0
    first_capture: str | None = None
    last_capture: str | None = None
    crawls: dict[int, dict[str, Any]] = field(default_factory=dict)


def sites_page(archive: Archive, *, base: str = "/") -> dict[str, Any]:
    """Per site: documents and captures, and per crawl its pages, new and changed
    articles and errors, newest crawl first; each links into search."""
    q = archive.conn.execute
    sites: dict[str, _SiteRow] = {}

    def row(site: str | None) -> _SiteRow:
        key = site or "-"
        return sites.setdefault(key, _SiteRow(key))

    for site, docs, articles in q(
        "SELECT site, count(*), sum(page_type = 'article') FROM documents GROUP BY site"
    ):
        entry = row(site)
        entry.documents, entry.articles = docs, articles or 0
    crawl_info = {
        cid: (started, finished, status)
        for cid, started, finished, status in q(
            "SELECT id, started_at, finished_at, status FROM crawls"
        )
    }

    def crawl(entry: _SiteRow, crawl_id: int) -> dict[str, Any]:
        started, finished, status = crawl_info.get(crawl_id, (None, None, None))
        return entry.crawls.setdefault(
            crawl_id,
            {
                "crawl": crawl_id,
                "started_at": started,
                "finished_at": finished,
                "status": status,
                "pages": 0,
                "new_articles": 0,
                "changed_articles": 0,
                "errors": 0,
            },
        )

    for site, crawl_id, pages, first, last in q(
        "SELECT site, crawl_id, count(*), min(fetched_at), max(fetched_at) "
        "FROM captures GROUP BY site, crawl_id"
    ):
        entry = row(site)
        entry.captures += pages
        entry.first_capture = min(filter(None, [entry.first_capture, first]), default=None)
        entry.last_capture = max(filter(None, [entry.last_capture, last]), default=None)
        crawl(entry, crawl_id)["pages"] = pages
    for site, crawl_id, new, changed in q(
        "SELECT d.site, c.crawl_id, "
        "sum(NOT EXISTS (SELECT 1 FROM documents e WHERE e.url = d.url AND e.id < d.id)), "
        "sum(EXISTS (SELECT 1 FROM documents e WHERE e.url = d.url AND e.id < d.id)) "
        "FROM documents d JOIN captures c ON c.id = d.capture_id "
        "WHERE d.page_type = 'article' GROUP BY d.site, c.crawl_id"
    ):
        run = crawl(row(site), crawl_id)
        run["new_articles"], run["changed_articles"] = new or 0, changed or 0
    # an archive from before the failures table (schema < 4) is read as it is
    has_failures = q(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'failures'"
    ).fetchone()
    for site, crawl_id, errors in (
        q(
            "SELECT site, crawl_id, count(*) FROM failures WHERE cause != 'robots-denied' "
            "GROUP BY site, crawl_id"
        )
        if has_failures
        else []
    ):
        crawl(row(site), crawl_id)["errors"] = errors
    out = []
    for key in sorted(sites):
        entry = sites[key]
        out.append(
            {
                "site": entry.site,
                "documents": entry.documents,
                "articles": entry.articles,
                "captures": entry.captures,
                "first_capture": entry.first_capture,
                "last_capture": entry.last_capture,
                "search_href": f"{base}?{urlencode({'site': entry.site})}",
                "articles_href": f"{base}?{urlencode({'site': entry.site, 'type': 'article'})}",
                "changes_href": f"{base}-/archiver/changes?{urlencode({'site': entry.site})}",
                "crawls": [entry.crawls[c] for c in sorted(entry.crawls, reverse=True)],
            }
        )
    return {"sites": out}
