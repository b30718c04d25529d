"""The researchers' read side of an archive: search, documents, captures, versions,
diffs, exports and statistics; no writes (except migrating an old archive once).

>>> from archiver import Archive
>>> archive = Archive("archive.db")
>>> for hit in archive.search("election", site="news.example.org", limit=5):
...     print(hit.score, hit.title, hit.url)

Search queries use FTS5 syntax: words, ``"phrases"``, ``prefix*``, ``AND``/``OR``/``NOT``,
``NEAR(a b, 5)``, ``title:word``.  Words with inner punctuation (``covid-19``,
``e.on``) are searched as phrases; stray punctuation is ignored.  Ranking is bm25 with
the title weighted above the body.

:class:`Filters` is the one filter builder shared by search, export, the command line
and the web interface's canned queries.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from archiver import store
from archiver.errors import ArchiveError, NotFound, SearchQueryError
from archiver.urls import site_key

TITLE_WEIGHT = 10.0
TEXT_WEIGHT = 1.0
SNIPPET_TOKENS = 16
#: Queries matching more documents than this are ranked among their RANK_WINDOW most
#: recently archived matches (bm25 costs 2-5 µs a row); ``exhaustive=True`` ranks all.
RANK_WINDOW = 4_000
WINDOW_SAMPLE = 20_000  # latest ids sampled to size the id range a filtered window needs
AUTHOR_SCAN_MAX = 20_000  # distinct authors walked to resolve an author substring
MMAP_SIZE = 1 << 30  # read through mmap: fewer syscalls on large archives
PAGE_TYPES = ("article", "listing", "other")


__all__ = [
    "Archive",
    "ArchiveError",
    "Capture",
    "Diff",
    "Document",
    "Filters",
    "NotFound",
    "SearchHit",
    "SearchQueryError",
    "SearchResults",
    "normalise_query",
]


# -- typed results -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    url: str
    site: str | None
    title: str | None
    author: str | None
    published: str | None
    language: str | None
    page_type: str | None
    word_count: int | None
    capture_id: int | None
    fetched_at: str | None
    snippet: str
    score: float

    @property
    def relevance(self) -> float:
        """The score turned around: bm25 (``score``) is negative, lower is better;
        ``relevance`` = -``score`` grows with how well the document matches."""
        return round(-self.score, 4)

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "relevance": self.relevance}


class SearchResults(list[SearchHit]):
    """The hits of :meth:`Archive.search` (a list), with how they were ordered:
    ``order`` is ``bm25`` (every match ranked), ``bm25-window`` (ranked among the
    most recently archived matches) or ``newest`` (most recently archived first);
    ``approximate`` is true unless every match was ranked; ``note`` says it in words."""

    order: str = "bm25"
    approximate: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Capture:
    id: int
    crawl_id: int | None
    url: str
    site: str | None
    status: int | None
    mime_type: str | None
    fetched_at: str | None
    payload_digest: str | None
    content_length: int | None
    warc_file: str | None
    warc_offset: int | None
    warc_length: int | None
    warc_record_id: str | None
    revisit_of: int | None
    record_type: str | None
    document_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


#: Columns of an exported/returned document, in order: the document's metadata and
#: text, then the location of the capture it was extracted from.
DOCUMENT_FIELDS = [
    "id",
    "url",
    "canonical_url",
    "site",
    "title",
    "author",
    "published",
    "modified",
    "sitename",
    "description",
    "language",
    "page_type",
    "word_count",
    "text_hash",
    "tags",
    "image",
    "extractor",
    "extracted_at",
    "text",
    "capture_id",
    "crawl_id",
    "fetched_at",
    "status",
    "mime_type",
    "payload_digest",
    "warc_file",
    "warc_offset",
    "warc_length",
    "warc_record_id",
]
_DOCUMENT_SQL = {name: f"d.{name}" for name in DOCUMENT_FIELDS[:19]} | {
    "capture_id": "d.capture_id",
    **{n: f"c.{n}" for n in DOCUMENT_FIELDS[20:]},
}


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    url: str
    canonical_url: str | None
    site: str | None
    title: str | None
    author: str | None
    published: str | None
    modified: str | None
    sitename: str | None
    description: str | None
    language: str | None
    page_type: str | None
    word_count: int | None
    text_hash: str | None
    tags: str | None
    image: str | None
    extractor: str | None
    extracted_at: str | None
    text: str | None
    capture_id: int | None
    crawl_id: int | None
    fetched_at: str | None
    status: int | None
    mime_type: str | None
    payload_digest: str | None
    warc_file: str | None
    warc_offset: int | None
    warc_length: int | None
    warc_record_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed between two versions of a page."""

    url: str
    old: Document
    new: Document
    metadata: dict[str, tuple[Any, Any]]
    title_ops: list[tuple[str, str]]  # (op, text): op is "=", "-" or "+"
    paragraphs: list[dict[str, Any]]  # changed paragraphs: {"index", "ops"}
    words_added: int
    words_removed: int

    @property
    def changed(self) -> bool:
        return bool(
            self.metadata
            or self.words_added
            or self.words_removed
            or any(op != "=" for op, _ in self.title_ops)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "from": {
                "id": self.old.id,
                "fetched_at": self.old.fetched_at,
                "capture_id": self.old.capture_id,
            },
            "to": {
                "id": self.new.id,
                "fetched_at": self.new.fetched_at,
                "capture_id": self.new.capture_id,
            },
            "metadata": {k: {"from": a, "to": b} for k, (a, b) in self.metadata.items()},
            "title": [{"op": op, "text": t} for op, t in self.title_ops],
            "paragraphs": [
                {"index": p["index"], "ops": [{"op": op, "text": t} for op, t in p["ops"]]}
                for p in self.paragraphs
            ],
            "words_added": self.words_added,
            "words_removed": self.words_removed,
        }

    def unified(self) -> str:
        """A word-level unified diff: ``[-removed-]`` and ``{+added+}`` inline."""
        lines = [
            f"--- {self.url} document {self.old.id} ({self.old.fetched_at})",
            f"+++ {self.url} document {self.new.id} ({self.new.fetched_at})",
        ]
        for name, (a, b) in self.metadata.items():
            lines.append(f"@@ metadata {name} @@")
            lines.append(f"-{name}: {a}")
            lines.append(f"+{name}: {b}")
        if any(op != "=" for op, _ in self.title_ops):
            lines.append("@@ headline @@")
            lines.append(" " + render_ops(self.title_ops))
        for para in self.paragraphs:
            lines.append(f"@@ paragraph {para['index'] + 1} @@")
            ops = para["ops"]
            if all(op == "+" for op, _ in ops):
                lines.append("+" + " ".join(t for _, t in ops))
            elif all(op == "-" for op, _ in ops):
                lines.append("-" + " ".join(t for _, t in ops))
            else:
                lines.append(" " + render_ops(ops))
        lines.append(f"# {self.words_added} words added, {self.words_removed} words removed")
        return "\n".join(lines)


def render_ops(ops: list[tuple[str, str]]) -> str:
    out = []
    for op, text in ops:
        out.append(text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return " ".join(out)


# -- filters -----------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _parse_date(value: str, option: str, *, end: bool) -> str:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO datetime → a comparable string;
    for ``end`` the exclusive upper bound of that period."""
    text = value.strip()
    match = _DATE.match(text)
    try:
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            start = date(year, month or 1, day or 1)  # type: ignore[arg-type]
            if not end:
                return start.isoformat()
            if day:
                stop = start + timedelta(days=1)
            elif month:
                stop = date(year + (month == 12), month % 12 + 1, 1)  # type: ignore[operator]
            else:
                stop = date(year + 1, 1, 1)  # type: ignore[operator]
            return stop.isoformat()
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, TypeError):
        raise ArchiveError(
            f"{option}: {value!r} is not a date (use YYYY, YYYY-MM, "
            "YYYY-MM-DD or an ISO 8601 date and time)"
        ) from None
    stamp = moment.isoformat()
    return stamp + "\uffff" if end else stamp


def _normalise_site(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        return site_key(value) or value
    return value[4:] if value.startswith("www.") else value


@dataclass(frozen=True, slots=True)
class Filters:
    """Document filters shared by search, export and the command line.

    ``site`` is one site or several (host without ``www.``); ``since``/``until`` bound
    the published date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ISO datetime; both
    inclusive); ``lang`` an ISO 639-1 code; ``author`` a case-insensitive substring of
    the author field; ``page_type`` ``article``, ``listing`` or ``other``.
    """

    site: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    author: str | None = None
    page_type: str | None = None
    #: every page type but this one (NULL included): the rest after articles
    exclude_page_type: str | None = None

    @classmethod
    def of(
        cls,
        site: str | list[str] | tuple[str, ...] | None = None,
        since: str | None = None,
        until: str | None = None,
        lang: str | None = None,
        author: str | None = None,
        page_type: str | None = None,
    ) -> Filters:
        sites = (site,) if isinstance(site, str) else tuple(site or ())
        if page_type and page_type not in PAGE_TYPES:
            raise ArchiveError(f"--page-type: {page_type!r} is not one of {', '.join(PAGE_TYPES)}")
        flt = cls(
            tuple(_normalise_site(s) for s in sites if s and s.strip()),
            since or None,
            until or None,
            lang.strip().lower() if lang else None,
            author or None,
            page_type or None,
        )
        flt.bounds()  # validates the dates
        return flt

    def bounds(self) -> tuple[str | None, str | None]:
        """The published-date bounds: inclusive low, exclusive high."""
        return (
            _parse_date(self.since, "--since", end=False) if self.since else None,
            _parse_date(self.until, "--until", end=True) if self.until else None,
        )

    def __bool__(self) -> bool:
        return bool(
            self.site
            or self.since
            or self.until
            or self.lang
            or self.author
            or self.page_type
            or self.exclude_page_type
        )

    def where(self, alias: str = "d") -> tuple[list[str], list[Any]]:
        """SQL conditions (to AND together) and their parameters."""
        conds: list[str] = []
        params: list[Any] = []
        if self.site:
            conds.append(f"{alias}.site IN ({', '.join('?' for _ in self.site)})")
            params.extend(self.site)
        low, high = self.bounds()
        if low:
            conds.append(f"{alias}.published >= ?")
            params.append(low)
        if high:
            conds.append(f"{alias}.published < ?")
            params.append(high)
        if self.lang:
            conds.append(f"{alias}.language = ?")
            params.append(self.lang)
        if self.author:
            conds.append(f"{alias}.author LIKE ? ESCAPE '\\'")
            escaped = self.author.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        if self.page_type:
            conds.append(f"{alias}.page_type = ?")
            params.append(self.page_type)
        if self.exclude_page_type:
            conds.append(f"coalesce({alias}.page_type, '') != ?")
            params.append(self.exclude_page_type)
        return conds, params


def _filters(filters: Filters | None, kwargs: dict[str, Any]) -> Filters:
    if filters is not None and kwargs:
        raise TypeError("give either filters= or filter keywords, not both")
    return filters if filters is not None else Filters.of(**kwargs)


# -- query normalisation -------------------------------------------------------
_OPERATORS = {"AND", "OR", "NOT"}
_COLUMNS = {"title", "text"}
_BAREWORD = re.compile(r"^\w+\*?$")
_WORD = re.compile(r"\w+")
_PLAIN = re.compile(r"^(?!(?:AND|OR|NOT|NEAR)$)\w+$")


def normalise_query(query: str) -> str:
    """Make a user's query safe for FTS5 without changing valid syntax: words with
    inner punctuation become phrases, stray punctuation goes.  Raises
    :class:`SearchQueryError` for an empty or punctuation-only query."""
    out: list[str] = []
    i, n = 0, len(query)
    near_depth = 0
    depth = 0
    terms = 0
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch == '"':
            end = query.find('"', i + 1)
            while end != -1 and end + 1 < n and query[end + 1] == '"':  # "" escapes
                end = query.find('"', end + 2)
            if end == -1:
                raise SearchQueryError('unbalanced quote: a phrase needs a closing "')
            phrase = query[i : end + 1]
            star = "*" if end + 1 < n and query[end + 1] == "*" else ""
            out.append(phrase + star)
            terms += bool(_WORD.search(phrase))
            i = end + 1 + len(star)
            continue
        if ch in "()":
            if ch == "(":
                depth += 1
                if out and out[-1] == "NEAR":
                    near_depth = depth
            else:
                if depth == near_depth:
                    near_depth = 0
                depth -= 1
            out.append(ch)
            i += 1
            continue
        if ch == "," and near_depth:
            out.append(",")
            i += 1
            continue
        j = i
        while (
            j < n
            and not query[j].isspace()
            and query[j] not in '()"'
            and not (near_depth and query[j] == ",")
        ):
            j += 1
        token = query[i:j]
        i = j
        if token in _OPERATORS or token == "NEAR":
            out.append(token)
            continue
        column, sep, rest = token.partition(":")
        if sep and column.lower() in _COLUMNS:
            prefix, token = f"{column.lower()}:", rest
            if not token:  # "title:" followed by a phrase or group
                out.append(prefix.rstrip())
                continue
        else:
            prefix = ""
        if near_depth and token.isdigit() and out and out[-1] == ",":
            out.append(token)
            continue
        if _BAREWORD.match(token):
            out.append(prefix + token)
            terms += 1
            continue
        words = _WORD.findall(token)
        if not words:
            continue  # punctuation only: nothing to search for
        star = "*" if token.endswith("*") else ""
        out.append(
            prefix + (words[0] + star if len(words) == 1 else '"' + " ".join(words) + '"' + star)
        )
        terms += 1
    if not terms:
        raise SearchQueryError(
            "the query has no words to search for" if query.strip() else "empty query"
        )
    text = " ".join(out)
    return (
        text.replace("( ", "(")
        .replace(" )", ")")
        .replace(": ", ":")
        .replace(" ,", ",")
        .replace("NEAR (", "NEAR(")
    )


def _dates_only(conds: list[str]) -> bool:
    """A date range, alone or with a page type: answered by the (covering) date index."""
    return all(c.startswith(("d.published", "d.page_type", "coalesce(d.page_type")) for c in conds)


def _id_column(conds: list[str]) -> str:
    """How filter conditions name the document id in an id range: ``+d.id`` for a
    date range (with a page type or not), so it is read from its covering index, not
    the table by id."""
    return "+d.id" if _dates_only(conds) and any("published" in c for c in conds) else "d.id"


# -- the archive -------------------------------------------------------------
class Archive:
    """Read-only access to an archive database and its WARC files.

    ``warc_dir`` is the folder of the WARC files; by default the ``warc`` folder next
    to the database, else ``./warc``.
    """

    def __init__(self, path: str | Path = "archive.db", warc_dir: str | Path | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ArchiveError(f"archive {self.path} does not exist")
        if warc_dir is None:
            beside = self.path.resolve().parent / "warc"
            warc_dir = beside if beside.is_dir() else Path("warc")
        self.warc_dir = Path(warc_dir)
        self._df_cache: dict[tuple[str, int, bool], int] = {}
        self._seekable: set[str] = set()
        try:
            self.conn = store.connect(self.path, readonly=True)
            self._check_schema()
            self.conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not an archive database: {exc}") from None

    def _check_schema(self) -> None:
        tables = {
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        }
        if not {"crawls", "captures", "documents", "documents_fts"} <= tables:
            raise ArchiveError(f"{self.path} is not an archive database")
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(documents)")}
        required = "site" in columns and {"changes", "document_list"} <= tables
        try:
            store.check_not_newer(self.conn, self.path)
        except store.StoreError as exc:
            raise ArchiveError(str(exc)) from None
        if not required:
            # reading never writes: an archive older than the site columns and the
            # views is upgraded on request, once
            raise ArchiveError(
                f"{self.path} is an archive of an older schema: upgrade it once with "
                f"`archiver migrate --db {self.path}`"
            )
        # later migrations (search indexes, failures, frontier) only add: an archive
        # that lacks them is read as it is, and `archiver migrate` brings them
        self._seekable = {
            name
            for name, sql in self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            )
            if name in store.SEARCH_INDEXES
            and sql == f"CREATE INDEX {name} ON documents ({store.SEARCH_INDEXES[name]})"
        }

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- search ------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: Filters | None = None,
        highlight: tuple[str, str] = ("[", "]"),
        exhaustive: bool = False,
        articles_first: bool = True,
        **filter_kwargs: Any,
    ) -> SearchResults:
        """The documents matching ``query``, best first, each with a highlighted
        snippet.  Filter keywords: see :class:`Filters`.

        The ranking rule: articles first (``page_type = 'article'``, best bm25
        first), then every other match (listings, tag and section pages, others,
        best first), so that a tag page named after the query does not outrank the
        articles about it.  ``articles_first=False`` (or a ``page_type`` filter)
        ranks all matches by bm25 alone."""
        flt = _filters(filters, filter_kwargs)
        ranked: dict[str, Any] = {"highlight": highlight, "exhaustive": exhaustive}
        if not articles_first or flt.page_type or flt.exclude_page_type:
            return self._search(query, limit=limit, offset=offset, filters=flt, **ranked)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        articles = dataclasses.replace(flt, page_type="article")
        hits = self._search(query, limit=limit, offset=offset, filters=articles, **ranked)
        if len(hits) >= limit:
            return hits
        n_articles = offset + len(hits) if hits else self.count(query, filters=articles)
        rest = dataclasses.replace(flt, exclude_page_type="article")
        others = self._search(
            query,
            limit=limit - len(hits),
            offset=max(0, offset - n_articles),
            filters=rest,
            **ranked,
        )
        both = SearchResults([*hits, *others])
        # each tier says how it was ordered; the less exact one speaks for both
        tier = others if others.approximate and not hits.approximate else hits
        both.order, both.approximate, both.note = (
            tier.order,
            hits.approximate or others.approximate,
            tier.note,
        )
        return both

    def _search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: Filters | None = None,
        highlight: tuple[str, str] = ("[", "]"),
        exhaustive: bool = False,
        _whole: bool = False,
        **filter_kwargs: Any,
    ) -> SearchResults:
        """The documents matching ``query``, best first (bm25, title above body),
        each with a highlighted snippet.  Filter keywords: see :class:`Filters`.

        Every match passing the filters is found; how they are ordered depends on
        their number (``exhaustive`` ranks every match by bm25, whatever it costs):

        * at most :data:`RANK_WINDOW` matches: all ranked by bm25 (``order == "bm25"``);
        * more, and the query is plain words of which at least one is in no more than
          half of the documents: ranked by bm25 of those informative words among the
          :data:`RANK_WINDOW` most recently archived matches (``"bm25-window"``);
        * more, otherwise (every word in more than half of the documents, or phrases,
          prefixes, NEAR, OR/NOT, columns): the most recently archived matches first
          (``"newest"``, score 0): bm25 would read every occurrence in the archive.

        The returned list says which (``order``, ``approximate``, ``note``)."""
        flt = _filters(filters, filter_kwargs)
        match = normalise_query(query)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        results = SearchResults()
        if limit == 0:
            return results
        conds, params = self._filter_sql(flt)
        if conds is None:  # no author matches the author filter
            return results
        if not _dates_only(conds):
            # read the filters from an index ordered by id within a value, not the
            # date index (which would be scanned over the whole date range)
            conds = [c.replace("d.published", "+d.published") for c in conds]
        small = bool(conds) and self._count_filtered(conds, params, RANK_WINDOW + 1) <= RANK_WINDOW
        rowid = "documents_fts.rowid"
        window: list[Any] = []
        newest: list[int] = []
        common_only = False
        # few: fewer than RANK_WINDOW documents match at all, so the filters are
        # checked on the matches only; counted: the window would span the whole
        # archive, so every passing match is ranked and counted in one pass
        few = counted = False
        seek: str | None = None
        shown: dict[int, tuple[str, str]] = {}  # snippets found with the window
        if not exhaustive and not small and offset + limit <= RANK_WINDOW:
            terms = match.split()
            half = self._size() // 2
            if (
                conds
                and all(_PLAIN.match(t) for t in terms)
                and all(self._doc_frequency(t) > half for t in terms)
            ):
                # No word can rank and more than RANK_WINDOW documents pass the
                # filters: newest first, reading back only as far as the page needs.
                common_only = True
                found, seek = self._window(match, conds, params, query, offset + limit)
                newest = found or []
                window = newest[-1:]
            else:
                if "*" in match:  # one merge of the prefix's terms: page snippets too
                    found, seek, shown = self._prefix_window(
                        match, conds, params, query, RANK_WINDOW, (offset, limit, highlight)
                    )
                else:
                    found, seek = self._window(match, conds, params, query, whole=_whole)
                counted = found is None
                newest = found or []
                few = bool(conds) and not newest and not counted
                window = newest[-1:]

        def where_args(ranked: str) -> tuple[list[str], list[Any]]:
            """The conditions on documents_fts: the match, the filters (on the ids
            of the window only) and the window."""
            where, args = ["documents_fts MATCH ?"], [ranked]
            if conds and window and seek:
                check, checked = self._filter_check(conds, params, seek, window[0] - 1)
                where.append(check)
                args += checked
            elif conds:
                sub = " AND ".join([*conds, f"{_id_column(conds)} >= ?"] if window else conds)
                if few:
                    sub += (
                        " AND d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
                    )
                where.append(f"+{rowid} IN (SELECT d.id FROM documents d WHERE {sub})")
                args += [*params, *window, *([match] if few else [])]
            if window:
                where.append(f"{rowid} >= ?")
                args += window
            return where, args

        rank_match: str | None = None
        if common_only:
            pass
        elif window:
            terms = match.split()
            half = self._size() // 2
            if all(_PLAIN.match(t) for t in terms):
                informative = [t for t in terms if self._doc_frequency(t) <= half]
                rank_match = " ".join(informative) or None
        else:
            rank_match = self._rank_match(match, exhaustive)
        if rank_match is None:
            results.order, results.approximate = "newest", True
            results.note = (
                f"more than {RANK_WINDOW:,} "
                f"{'documents pass the filters' if common_only else 'matches'}: "
                "the most recently archived first (no word ranks: each is in more "
                "than half of the documents, or the query has phrases/operators); "
                "--exhaustive ranks all"
            )
            where, args = where_args(match)
            top = (
                [(r, 0.0) for r in newest[offset : offset + limit]]
                if len(newest) > 1
                else [
                    (r[0], 0.0)
                    for r in self._match(
                        f"SELECT {rowid} FROM documents_fts WHERE {' AND '.join(where)} "
                        f"ORDER BY {rowid} DESC LIMIT ? OFFSET ?",
                        [*args, limit, offset],
                        query,
                    )
                ]
            )
        else:
            where, args = where_args(rank_match)
            if window:
                results.order, results.approximate = "bm25-window", True
                results.note = (
                    f"more than {RANK_WINDOW:,} matches: ranked among the "
                    f"{RANK_WINDOW:,} most recently archived; --exhaustive "
                    "ranks all"
                )
            if rank_match != match:
                # Ranked by the informative words only; every word must still match.
                where.append(
                    f"+{rowid} IN (SELECT rowid FROM documents_fts WHERE "
                    f"documents_fts MATCH ?{' AND rowid >= ?' if window else ''})"
                )
                args += [match, *window]
            rank = f"bm25(documents_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT})"
            sql = (
                f"SELECT {rowid} AS id, {rank} AS score FROM documents_fts "
                f"WHERE {' AND '.join(where)}"
            )
            if counted:  # bm25 cannot sit beside a window function: counted outside
                sql = f"SELECT id, score, count(*) OVER () FROM ({sql})"
            rows = self._match(
                f"{sql} ORDER BY score, id DESC LIMIT ? OFFSET ?", [*args, limit, offset], query
            )
            if counted and rows and rows[0][2] > RANK_WINDOW:
                # more passing matches than the window after all: find the window
                return self._search(
                    query,
                    limit=limit,
                    offset=offset,
                    filters=flt,
                    highlight=highlight,
                    exhaustive=exhaustive,
                    _whole=True,
                )
            top = [(r[0], r[1]) for r in rows]
        if not top:
            return results
        # Snippets only for the rows shown, each found by its rowid (not by reading
        # the match's postings over the range of the ids shown), except for a prefix
        # query: each lookup would merge all of the prefix's terms again.
        ids = [int(r[0]) for r in top]
        marks = ", ".join("?" for _ in ids)
        by_range = "*" in match
        near = "rowid BETWEEN ? AND ? AND +rowid" if by_range else "rowid"
        snippets = (
            shown
            if all(i in shown for i in ids)
            else {
                r[0]: (r[1], r[2])
                for r in self._match(
                    f"SELECT rowid, snippet(documents_fts, 1, ?, ?, ' … ', {SNIPPET_TOKENS}), "
                    f"snippet(documents_fts, 0, ?, ?, ' … ', {SNIPPET_TOKENS}) FROM documents_fts "
                    f"WHERE documents_fts MATCH ? AND {near} IN ({marks})",
                    [
                        *highlight,
                        *highlight,
                        match,
                        *([min(ids), max(ids)] if by_range else []),
                        *ids,
                    ],
                    query,
                )
            }
        )
        meta = {
            r[0]: r
            for r in self.conn.execute(
                "SELECT d.id, d.url, d.site, d.title, d.author, d.published, d.language, "
                "d.page_type, d.word_count, d.capture_id, c.fetched_at FROM documents d "
                f"LEFT JOIN captures c ON c.id = d.capture_id WHERE d.id IN ({marks})",
                ids,
            )
        }
        for rowid_, score in top:
            if rowid_ not in meta:
                continue
            body, title = snippets.get(rowid_, ("", ""))
            snippet = body if highlight[0] in (body or "") or not title else (body or title)
            (
                id_,
                url,
                site,
                title,
                author,
                published,
                language,
                page_type,
                words,
                capture,
                fetched,
            ) = meta[rowid_]
            results.append(
                SearchHit(
                    id_,
                    url,
                    site,
                    title,
                    author,
                    published,
                    language,
                    page_type,
                    words,
                    capture,
                    fetched,
                    (snippet or "").strip(),
                    round(float(score), 4),
                )
            )
        return results

    def _filter_sql(self, flt: Filters) -> tuple[list[str] | None, list[Any]]:
        """The filters' SQL conditions, the author substring resolved to the matching
        distinct authors (found through the author index) so that the covering
        filter indexes answer it; ``(None, [])`` when no author matches."""
        conds, params = flt.where("d")
        if not flt.author:
            return conds, params
        at = next(i for i, c in enumerate(conds) if c.startswith("d.author LIKE"))
        pattern = params[sum(c.count("?") for c in conds[:at])]
        found = self.conn.execute(
            "WITH RECURSIVE a(x, n) AS (SELECT min(author), 1 FROM documents "
            "UNION ALL SELECT (SELECT min(author) FROM documents WHERE author > a.x), n + 1 "
            "FROM a WHERE a.x IS NOT NULL AND n <= ?) "
            "SELECT x, n FROM a WHERE x IS NOT NULL AND (x LIKE ? ESCAPE '\\' OR n > ?)",
            (AUTHOR_SCAN_MAX, pattern, AUTHOR_SCAN_MAX),
        ).fetchall()
        if any(n > AUTHOR_SCAN_MAX for _, n in found) or len(found) > 5_000:
            return conds, params  # very many distinct authors: LIKE over the index
        if not found:
            return None, []
        before = sum(c.count("?") for c in conds[:at])
        conds[at] = f"d.author IN ({', '.join('?' for _ in found)})"
        params[before : before + 1] = [x for x, _ in found]
        return conds, params

    def _window(
        self,
        match: str,
        conds: list[str],
        params: list[Any],
        query: str,
        need: int | None = None,
        *,
        whole: bool = True,
    ) -> tuple[list[int] | None, str | None]:
        """The ids of the ``need`` (default RANK_WINDOW) most recent documents that
        match and pass the filters, newest first, or [] if fewer do.  With filters, a
        range of the most recent ids is searched, sized from how many of the latest
        documents pass the filters and grown eightfold until it holds enough matches:
        the cost follows the documents of that range, not the archive's size.  Unless
        ``whole``, None instead of searching the whole archive when fewer than
        ``need`` passing matches are expected there (the caller ranks every passing
        match and counts them in the same pass).  Second: how the filters are
        checked (see :meth:`_filter_check`): by seeking each match's id in the index
        named, when the matches of the range are fewer than the documents passing the
        filters, else (None) against the set of the passing documents."""
        sql = (
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?{} "
            "ORDER BY rowid DESC LIMIT ?"
        )
        need = need or RANK_WINDOW
        ids = [r[0] for r in self._match(sql.format(""), [match, RANK_WINDOW], query)]
        if len(ids) < need:
            return [], None
        if not conds:
            return ids[:need], None
        top = self._size()
        idcol = _id_column(conds)
        passing = int(
            self.conn.execute(
                f"SELECT count(*) FROM documents d WHERE {' AND '.join(conds)} AND {idcol} > ?",
                [*params, top - WINDOW_SAMPLE],
            ).fetchone()[0]
        )
        share = max(passing, 1) / WINDOW_SAMPLE
        density = need / (top - ids[need - 1] + 1)  # matches per document, lately
        seek = self._seek_index(conds, density, share)
        span = int((top - ids[need - 1] + 1) / share * 1.5) + need
        while True:
            low = max(0, top - span)
            if low == 0 and not whole and share * density * top < need:
                return None, seek  # fewer than need expected in the whole archive
            check, args = self._filter_check(conds, params, seek, low)
            rows = self._match(
                sql.format(f" AND rowid > ? AND {check}"), [match, low, *args, need], query
            )
            if len(rows) == need:
                return [int(r[0]) for r in rows], seek
            if low == 0:
                return [], seek
            span *= 8

    def _prefix_window(
        self,
        match: str,
        conds: list[str],
        params: list[Any],
        query: str,
        need: int,
        page: tuple[int, int, tuple[str, str]],
    ) -> tuple[list[int], str | None, dict[int, tuple[str, str]]]:
        """:meth:`_window` for a prefix query, with the snippets of the page
        (``offset, limit, highlight``) of the newest-first order.  FTS5 merges every
        term of a prefix whatever the id range asked for, so the passing matches are
        read in one query over the whole archive (not after a first one without the
        filters), each checked by an index seek unless few documents pass the
        filters, and the page's snippets are cut in the same pass."""
        check, seek = "1", None
        args: list[Any] = []
        if conds:
            top = self._size()
            passing = int(
                self.conn.execute(
                    f"SELECT count(*) FROM documents d WHERE {' AND '.join(conds)} "
                    f"AND {_id_column(conds)} > ?",
                    [*params, top - WINDOW_SAMPLE],
                ).fetchone()[0]
            )
            share = max(passing, 1) / WINDOW_SAMPLE
            seek = self._seek_index(conds, 0.0, share) if share >= 0.1 else None
            check, args = self._filter_check(conds, params, seek, 0)
        offset, limit, highlight = page
        seen = iter(range(need))

        def on_page() -> bool:  # called once per row, in the order of the rows
            return offset <= next(seen, need) < offset + limit

        self.conn.create_function("archiver_on_page", 0, on_page, deterministic=False)
        rows = self._match(
            "SELECT rowid, CASE WHEN archiver_on_page() THEN "
            f"snippet(documents_fts, 1, ?, ?, ' … ', {SNIPPET_TOKENS}) || char(0) || "
            f"snippet(documents_fts, 0, ?, ?, ' … ', {SNIPPET_TOKENS}) END "
            f"FROM documents_fts WHERE documents_fts MATCH ? AND {check} "
            "ORDER BY rowid DESC LIMIT ?",
            [*highlight, *highlight, match, *args, need],
            query,
        )
        if len(rows) < need:
            return [], seek, {}
        shown = {}
        for rowid, both in rows[offset : offset + limit]:
            if both is None:  # not cut in row order after all: cut them again
                return [int(r[0]) for r in rows], seek, {}
            body, _, title = both.partition("\0")
            shown[int(rowid)] = (body, title)
        return [int(r[0]) for r in rows], seek, shown

    def _seek_index(self, conds: list[str], density: float, share: float) -> str | None:
        """The index in which to check each match's filters by seeking its id, when
        that reads less than building the set of the documents that pass them: the
        matches (``density`` per document, times one seek per site or author asked
        for, times twenty when the index does not hold every filter and the row is
        read) are fewer than half the documents passing the filters (``share``).
        None: build the set."""
        heads = [c.split(" ")[0] for c in conds]
        values = sum(c.count("?") for c in conds if c.startswith(("d.site", "d.author")))
        if "d.site" in heads:
            name, held = "idx_documents_filter_site", set(heads)
        elif any(c.startswith("d.author IN") for c in conds) and "d.page_type" in heads:
            name, held = "idx_documents_author", {"d.author", "d.page_type"}
        elif "d.language" in heads:
            name = "idx_documents_filter_language"
            held = {"d.language", "+d.published", "d.page_type", "coalesce(d.page_type,"}
        elif "d.page_type" in heads:
            name, held = "idx_documents_page_type", {"d.page_type"}
        else:
            return None
        cost = density * max(values, 1) * (1 if set(heads) <= held else 20)
        return name if name in self._seekable and cost < share / 2 else None

    @staticmethod
    def _filter_check(
        conds: list[str], params: list[Any], seek: str | None, low: int
    ) -> tuple[str, list[Any]]:
        """The condition on ``documents_fts.rowid`` that the filters hold, for ids
        above ``low``: an index seek per match, or the set of passing documents."""
        if seek:
            return (
                f"EXISTS (SELECT 1 FROM documents d INDEXED BY {seek} WHERE "
                f"{' AND '.join(conds)} AND d.id = documents_fts.rowid)",
                params,
            )
        return (
            "+documents_fts.rowid IN (SELECT d.id FROM documents d WHERE "
            f"{' AND '.join(conds)} AND {_id_column(conds)} > ?)",
            [*params, low],
        )

    def _rank_match(self, match: str, exhaustive: bool) -> str:
        """The query to rank by.  For plain words (implicit AND), words in more than
        half of the documents are left out: bm25 gives them an IDF of ~0 (1e-6), so
        they change no ranking but cost most of the time (their many positions).
        When every word is that common the least common one ranks."""
        terms = match.split()
        if exhaustive or len(terms) < 2 or not all(_PLAIN.match(t) for t in terms):
            return match
        common = {t: self._doc_frequency(t) for t in terms}
        half = self._size() // 2
        informative = [t for t in terms if common[t] <= half]
        if len(informative) == len(terms):
            return match
        if informative:
            return " ".join(informative)
        return min(terms, key=lambda t: self._doc_frequency(t, exact=True))

    def _size(self) -> int:
        return int(self.conn.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0)

    def _doc_frequency(self, term: str, exact: bool = False) -> int:
        """Documents containing ``term``, counted up to half the archive plus one
        unless ``exact`` (cached)."""
        size = self._size()
        key = (term, size, exact)
        if key not in self._df_cache:
            if len(self._df_cache) > 1000:
                self._df_cache.clear()
            self._df_cache[key] = int(
                self.conn.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts "
                    "MATCH ? LIMIT ?)",
                    (term, -1 if exact else size // 2 + 1),
                ).fetchone()[0]
            )
        return self._df_cache[key]

    def _count_filtered(self, conds: list[str], params: list[Any], upto: int) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM documents d WHERE {' AND '.join(conds)} LIMIT ?)"
        )
        return int(self.conn.execute(sql, [*params, upto]).fetchone()[0])

    def count(
        self, query: str | None = None, *, filters: Filters | None = None, **filter_kwargs: Any
    ) -> int:
        """How many documents match ``query`` (all documents if None) and the filters."""
        flt = _filters(filters, filter_kwargs)
        conds, params = flt.where("d")
        if query is None:
            sql = "SELECT count(*) FROM documents d"
            if conds:
                sql += " WHERE " + " AND ".join(conds)
            return int(self.conn.execute(sql, params).fetchone()[0])
        sql = (
            "SELECT count(*) FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH ?" + "".join(f" AND {c}" for c in conds)
        )
        return int(self._match(sql, [normalise_query(query), *params], query)[0][0])

    def _match(self, sql: str, params: list[Any], query: str) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "fts5" in message or "syntax error" in message or "no such column" in message:
                message = message.replace("fts5: ", "")
                raise SearchQueryError(f"{message} in {query!r}") from None
            raise

    # -- documents -----------------------------------------------------------
    def _document_sql(self, fields: list[str] | None = None) -> str:  # one-row lookups
        cols = ", ".join(f"{_DOCUMENT_SQL[f]} AS {f}" for f in fields or DOCUMENT_FIELDS)
        return f"SELECT {cols} FROM documents d LEFT JOIN captures c ON c.id = d.capture_id"

    def documents(
        self, query: str | None = None, *, filters: Filters | None = None, **filter_kwargs: Any
    ) -> Iterator[Document]:
        """Every document matching the filters (and ``query``, if given), by id;
        streamed."""
        for row in self.rows(query, filters=filters, **filter_kwargs):
            yield Document(*row)

    def rows(
        self,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        fields: list[str] | None = None,
        **filter_kwargs: Any,
    ) -> Iterator[tuple[Any, ...]]:
        """Like :meth:`documents`, as plain tuples of ``fields`` (default
        :data:`DOCUMENT_FIELDS`): the fast path of exports."""
        cols = ", ".join(f"{_DOCUMENT_SQL[f]} AS {f}" for f in fields or DOCUMENT_FIELDS)
        yield from self._stream(cols, query, _filters(filters, filter_kwargs))

    def json_lines(
        self,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        fields: list[str] | None = None,
        **filter_kwargs: Any,
    ) -> Iterator[str]:
        """Like :meth:`rows`, each row as one JSON object (encoded by SQLite)."""
        pairs = ", ".join(f"'{f}', {_DOCUMENT_SQL[f]}" for f in fields or DOCUMENT_FIELDS)
        for row in self._stream(f"json_object({pairs})", query, _filters(filters, filter_kwargs)):
            yield row[0]

    def _stream(self, columns: str, query: str | None, flt: Filters) -> Iterator[tuple[Any, ...]]:
        conds, params = flt.where("d")
        if query is not None:
            conds.insert(0, "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.insert(0, normalise_query(query))
        sql = f"SELECT {columns} FROM documents d LEFT JOIN captures c ON c.id = d.capture_id"
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += " ORDER BY d.id"
        try:
            cur = self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if query is not None and ("fts5" in str(exc) or "syntax" in str(exc)):
                raise SearchQueryError(f"{str(exc).replace('fts5: ', '')} in {query!r}") from None
            raise
        while True:
            batch = cur.fetchmany(1000)
            if not batch:
                return
            yield from batch

    def document(self, ref: int | str) -> Document:
        """A document by id, by the WARC-Record-ID of its capture (``urn:uuid:…``,
        stable across ``reindex``; the latest extraction of that record), or the
        latest version of a URL."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.conn.execute(
                self._document_sql() + " WHERE d.id = ?", (int(ref),)
            ).fetchone()
            if row is None:
                raise NotFound(f"no document with id {ref}")
            return Document(*row)
        if ref.startswith(("urn:", "<urn:")):  # the stable key: the capture's record id
            record_id = ref if ref.startswith("<") else f"<{ref}>"
            row = self.conn.execute(
                self._document_sql() + " WHERE d.capture_id IN (SELECT id FROM captures "
                "WHERE warc_record_id = ?) ORDER BY d.id DESC LIMIT 1",
                (record_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"no document extracted from the WARC record {record_id}")
            return Document(*row)
        versions = self.versions(ref)
        if not versions:
            raise NotFound(f"no document for {ref}")
        return versions[-1]

    def versions(self, url: str) -> list[Document]:
        """Every distinct text version of ``url``, oldest first."""
        rows = self.conn.execute(
            self._document_sql() + " WHERE d.url = ? ORDER BY d.id", (url,)
        ).fetchall()
        return [Document(*r) for r in rows]

    def captures(self, url: str) -> list[Capture]:
        """Every capture of ``url`` over time (responses and revisits), oldest first,
        with the document extracted from it, if any."""
        rows = self.conn.execute(
            "SELECT c.id, c.crawl_id, c.url, c.site, c.status, c.mime_type, c.fetched_at, "
            "c.payload_digest, c.content_length, c.warc_file, c.warc_offset, c.warc_length, "
            "c.warc_record_id, c.revisit_of, c.record_type, "
            "(SELECT max(d.id) FROM documents d WHERE d.capture_id = c.id) "
            "FROM captures c WHERE c.url = ? ORDER BY c.fetched_at, c.id",
            (url,),
        ).fetchall()
        return [Capture(*r) for r in rows]

    def capture(self, capture_id: int) -> Capture:
        rows = self.conn.execute(
            "SELECT c.id, c.crawl_id, c.url, c.site, c.status, c.mime_type, c.fetched_at, "
            "c.payload_digest, c.content_length, c.warc_file, c.warc_offset, c.warc_length, "
            "c.warc_record_id, c.revisit_of, c.record_type, "
            "(SELECT max(d.id) FROM documents d WHERE d.capture_id = c.id) "
            "FROM captures c WHERE c.id = ?",
            (int(capture_id),),
        ).fetchall()
        if not rows:
            raise NotFound(f"no capture with id {capture_id}")
        return Capture(*rows[0])

    def record_bytes(self, capture_id: int) -> bytes:
        """The raw bytes of a capture's WARC record (one gzip member), read by offset."""
        cap = self.capture(capture_id)
        path = self.warc_dir / str(cap.warc_file)
        try:
            data = store_read_bytes(path, int(cap.warc_offset or 0), int(cap.warc_length or 0))
        except OSError as exc:
            raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from None
        if len(data) != cap.warc_length:
            raise ArchiveError(f"{path} is shorter than the archive says")
        return data

    def record(self, capture_id: int) -> Any:
        """The WARC record of a capture, read by offset: an
        :class:`archiver.warc.RawRecord` (``rec_type``, ``rec_headers``,
        ``http_headers`` and ``payload``, the bytes after the HTTP head as stored)."""
        from archiver.warc import record_at

        cap = self.capture(capture_id)
        path = self.warc_dir / str(cap.warc_file)
        try:
            return record_at(path, int(cap.warc_offset or 0))
        except (OSError, LookupError) as exc:
            raise ArchiveError(
                f"cannot read the WARC record of capture {capture_id} from {path}: {exc}"
            ) from None

    # -- versions and changes -------------------------------------------------
    def diff(self, url: str, from_id: int | None = None, to_id: int | None = None) -> Diff:
        """What changed between two versions of ``url`` (document ids; default: the
        last two versions)."""
        versions = self.versions(url)
        if not versions:
            raise NotFound(f"no document for {url}")
        by_id = {v.id: v for v in versions}
        for ref in (from_id, to_id):
            if ref is not None and ref not in by_id:
                raise NotFound(f"document {ref} is not a version of {url}")
        if from_id is None and to_id is None:
            if len(versions) < 2:
                raise NotFound(f"{url} has only one version (document {versions[0].id})")
            old, new = versions[-2], versions[-1]
        elif from_id is None:
            new = by_id[to_id]  # type: ignore[index]
            earlier = [v for v in versions if v.id < new.id]
            if not earlier:
                raise NotFound(f"document {to_id} is the first version of {url}")
            old = earlier[-1]
        elif to_id is None:
            old = by_id[from_id]
            later = [v for v in versions if v.id > old.id]
            if not later:
                raise NotFound(f"document {from_id} is the latest version of {url}")
            new = later[0]
        else:
            old, new = by_id[from_id], by_id[to_id]
        return make_diff(url, old, new)

    def changes(
        self, *, filters: Filters | None = None, **filter_kwargs: Any
    ) -> list[dict[str, Any]]:
        """Rows of the ``changes`` view (articles whose text changed), latest first."""
        flt = _filters(filters, filter_kwargs)
        conds, params = flt.where("d")
        sql = (
            "SELECT ch.* FROM changes ch JOIN documents d ON d.id = ch.to_id"
            + (" WHERE " + " AND ".join(conds) if conds else "")
            + " ORDER BY ch.to_fetched_at DESC, ch.to_id DESC"
        )
        cur = self.conn.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]

    # -- statistics ----------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Documents and captures per site, languages, date ranges, crawl history and
        archive size."""
        q = self.conn.execute
        sites: dict[str, dict[str, Any]] = {}
        for site, docs, articles in q(
            "SELECT site, count(*), sum(page_type = 'article') FROM documents "
            "GROUP BY site ORDER BY site"
        ):
            sites[site or "-"] = {"documents": docs, "articles": articles or 0, "captures": 0}
        for site, caps, first, last in q(
            "SELECT site, count(*), min(fetched_at), max(fetched_at) FROM captures "
            "GROUP BY site ORDER BY site"
        ):
            entry = sites.setdefault(site or "-", {"documents": 0, "articles": 0})
            entry.update({"captures": caps, "first_capture": first, "last_capture": last})
        languages = {
            lang or "-": n
            for lang, n in q(
                "SELECT language, count(*) AS n FROM documents GROUP BY language ORDER BY n DESC"
            )
        }
        page_types = {
            t or "-": n
            for t, n in q(
                "SELECT page_type, count(*) AS n FROM documents GROUP BY page_type ORDER BY n DESC"
            )
        }
        pub = q(
            "SELECT min(published), max(published) FROM documents "
            "WHERE published IS NOT NULL AND published != ''"
        ).fetchone()
        fetched = q("SELECT min(fetched_at), max(fetched_at) FROM captures").fetchone()
        crawls = []
        for row in q(
            "SELECT c.id, c.started_at, c.finished_at, c.status, c.seeds, "
            "(SELECT count(*) FROM captures WHERE crawl_id = c.id), "
            "(SELECT count(*) FROM documents d JOIN captures x ON x.id = d.capture_id "
            " WHERE x.crawl_id = c.id) FROM crawls c ORDER BY c.id"
        ):
            try:
                seeds = json.loads(row[4] or "[]")
            except ValueError:
                seeds = row[4]
            crawls.append(
                {
                    "id": row[0],
                    "started_at": row[1],
                    "finished_at": row[2],
                    "status": row[3],
                    "seeds": seeds,
                    "captures": row[5],
                    "new_documents": row[6],
                }
            )
        db_bytes = sum(
            p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists()
        )
        warc_files = sorted(
            {r[0] for r in q("SELECT DISTINCT warc_file FROM captures WHERE warc_file IS NOT NULL")}
        )
        warc_bytes = sum(
            (self.warc_dir / f).stat().st_size for f in warc_files if (self.warc_dir / f).is_file()
        )
        totals = q(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM documents "
            "WHERE page_type = 'article'), (SELECT count(*) FROM captures), "
            "(SELECT count(DISTINCT url) FROM captures), "
            "(SELECT count(*) FROM changes)"
        ).fetchone()
        return {
            "archive": str(self.path),
            "documents": totals[0],
            "articles": totals[1],
            "captures": totals[2],
            "urls": totals[3],
            "changed_versions": totals[4],
            "sites": sites,
            "languages": languages,
            "page_types": page_types,
            "published": {"first": pub[0], "last": pub[1]},
            "fetched": {"first": fetched[0], "last": fetched[1]},
            "crawls": crawls,
            "size": {
                "database_bytes": db_bytes,
                "warc_bytes": warc_bytes,
                "warc_files": len(warc_files),
                "warc_dir": str(self.warc_dir),
            },
        }


def store_read_bytes(path: Path, offset: int, length: int) -> bytes:
    from archiver.warc import read_record_bytes

    return read_record_bytes(path, offset, length)


# -- diffs -------------------------------------------------------------------
DIFF_METADATA = (
    "author",
    "published",
    "modified",
    "description",
    "language",
    "page_type",
    "canonical_url",
    "tags",
    "image",
    "word_count",
)


def _word_ops(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(("-", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("+", " ".join(b[j1:j2])))
    return ops


def _paragraphs(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def make_diff(url: str, old: Document, new: Document) -> Diff:
    metadata = {
        name: (getattr(old, name), getattr(new, name))
        for name in DIFF_METADATA
        if getattr(old, name) != getattr(new, name)
    }
    title_ops = _word_ops((old.title or "").split(), (new.title or "").split())
    a, b = _paragraphs(old.text), _paragraphs(new.text)
    paragraphs: list[dict[str, Any]] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k].split() if k < len(olds) else []
            after = news[k].split() if k < len(news) else []
            ops = _word_ops(before, after)
            added += sum(len(t.split()) for op, t in ops if op == "+")
            removed += sum(len(t.split()) for op, t in ops if op == "-")
            paragraphs.append({"index": j1 + k if after else i1 + k, "ops": _shorten(ops)})
    return Diff(url, old, new, metadata, title_ops, paragraphs, added, removed)


def _shorten(ops: list[tuple[str, str]], context: int = 8) -> list[tuple[str, str]]:
    """Trim long unchanged runs to ``context`` words either side of a change."""
    out = []
    for i, (op, text) in enumerate(ops):
        words = text.split()
        if op == "=" and len(words) > 2 * context:
            head = words[:context] if i > 0 else []
            tail = words[-context:] if i < len(ops) - 1 else []
            text = " ".join([*head, "…", *tail])
        out.append((op, text))
    return out
