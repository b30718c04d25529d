"""Read side of the archive: full-text search and lookups; no writes.

Queries use FTS5 syntax (words, "phrases", prefix*, AND/OR/NOT, NEAR).  Ranking is
bm25 with the title weighted above the body.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

TITLE_WEIGHT = 10.0
TEXT_WEIGHT = 1.0


class QueryError(ValueError):
    """A full-text query FTS5 cannot parse."""


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    url: str
    title: str | None
    published: str | None
    language: str | None
    snippet: str
    score: float


def search(conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0,
           page_type: str | None = None) -> list[Hit]:
    """Return the documents matching ``query``, best first."""
    if not query.strip():
        return []
    from archiver.archive import SearchQueryError, normalise_query

    try:
        query = normalise_query(query)  # phrases for inner punctuation, no stray symbols
    except SearchQueryError as exc:
        raise QueryError(f"cannot parse search query {query!r}: {exc}") from None
    where = " AND d.page_type = ?" if page_type else ""
    sql = (
        "SELECT d.id, d.url, d.title, d.published, d.language, "
        "snippet(documents_fts, 1, '[', ']', ' … ', 16), "
        f"bm25(documents_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score "
        "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
        f"WHERE documents_fts MATCH ?{where} ORDER BY score LIMIT ? OFFSET ?"
    )
    params: list[object] = [query, *([page_type] if page_type else []), limit, offset]
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot parse search query {query!r}: {exc}") from None
    return [Hit(*row) for row in rows]


def counts(conn: sqlite3.Connection) -> dict[str, Any]:
    one = conn.execute
    return {
        "crawls": one("SELECT count(*) FROM crawls").fetchone()[0],
        "captures": one("SELECT count(*) FROM captures").fetchone()[0],
        "documents": one("SELECT count(*) FROM documents").fetchone()[0],
        "articles": one("SELECT count(*) FROM documents WHERE page_type = 'article'"
                        ).fetchone()[0],
    }
