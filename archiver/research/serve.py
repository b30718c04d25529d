"""Datasette over the archive (``archiver serve``), read-only, with metadata that makes
it ready to use (full-text search, facets, canned queries, column descriptions) and
the :mod:`archiver.research.datasette_plugins.archiver_records` plugin (raw WARC records and
replay links).

Datasette opens a mutable database with ``mode=ro`` connections, so a running crawl
keeps writing (WAL) while the web interface reads.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

PLUGINS_DIR = Path(__file__).resolve().parent / "datasette_plugins"
#: The reading room's templates (search, document, diff, changes and sites pages).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

DOCUMENT_COLUMNS = {
    "id": "Document id",
    "capture_id": "The capture the text was extracted from: links to its raw WARC "
    "record (and its replay when a replay server is configured)",
    "url": "Page URL",
    "canonical_url": "Canonical URL declared by the page",
    "site": "Site: host without www.",
    "title": "Headline",
    "author": "Author(s)",
    "published": "Published (ISO 8601)",
    "modified": "Last modified (ISO 8601)",
    "published_month": "Published month (YYYY-MM)",
    "sitename": "Publication name",
    "description": "Summary from the page's metadata",
    "language": "Language (ISO 639-1)",
    "text": "Clean body text",
    "word_count": "Words in the text",
    "text_hash": "SHA-256 of the normalised text",
    "page_type": "article, listing or other",
    "extractor": "Extractor and version",
    "tags": "Tags (JSON list)",
    "image": "Lead image URL",
    "extractor_options": "Extractor options (JSON)",
    "skip_reason": "Why no body was extracted",
    "extracted_at": "Extracted at (UTC)",
    "fetched_at": "Captured at (UTC)",
}
CAPTURE_COLUMNS = {
    "id": "Capture id",
    "crawl_id": "Crawl",
    "url": "Target URL",
    "site": "Site",
    "status": "HTTP status",
    "mime_type": "Content type",
    "fetched_at": "Captured at (UTC)",
    "payload_digest": "SHA-1 of the body as received",
    "content_length": "Body bytes",
    "warc_file": "WARC file: links to the raw record",
    "warc_offset": "Record offset",
    "warc_length": "Record length (gzip member)",
    "warc_record_id": "WARC-Record-ID",
    "revisit_of": "Capture this revisit refers to",
    "record_type": "response or revisit",
    "ip_address": "Server address",
}
CHANGES_COLUMNS = {
    "from_id": "Older document version",
    "to_id": "Newer document version",
    "from_fetched_at": "Older capture time",
    "to_fetched_at": "Newer capture time",
    "seconds_between": "Seconds between the two captures",
    "word_count_change": "Words: newer minus older",
    "chars_change": "Characters: newer minus older",
    "change_size": "Absolute change in characters",
}

#: Canned queries; their columns carry readable labels.  A column named "WARC record"
#: (a capture id) links to the raw record and the replay.
QUERIES = {
    "search": {
        "title": "Search (articles first)",
        "description": "Full-text search by archiver search's own engine (its best 100): "
        "articles first, then other pages; relevance grows with the match (bm25, title "
        '10x the body); words, "phrases", prefix*, AND/OR/NOT, covid-19.',
        "sql": 'SELECT d.id AS "Document", d.title AS "Headline", d.page_type AS "Page type", '
        'json_extract(hit.value, \'$[1]\') AS "Relevance", d.site AS "Site", '
        'd.published AS "Published", d.url AS "URL", d.capture_id AS "WARC record" '
        "FROM json_each(archiver_search(:q)) AS hit "
        "JOIN documents d ON d.id = json_extract(hit.value, '$[0]') "
        "ORDER BY hit.key",
    },
    "latest_articles": {
        "title": "Latest articles",
        "description": "The most recently captured article versions.",
        "sql": 'SELECT d.id AS "Document", d.title AS "Headline", d.site AS "Site", '
        'd.published AS "Published", d.language AS "Language", '
        'd.word_count AS "Words", c.fetched_at AS "Captured", d.url AS "URL", '
        'd.capture_id AS "WARC record" FROM documents d '
        "JOIN captures c ON c.id = d.capture_id WHERE d.page_type = 'article' "
        "ORDER BY c.fetched_at DESC, d.id DESC LIMIT 100",
    },
    "changed_articles": {
        "title": "Changed articles (stealth edits)",
        "description": "Articles whose text changed between captures, latest first.",
        "sql": 'SELECT url AS "URL", title AS "Headline now", from_title AS "Headline before", '
        'from_id AS "Version before", to_id AS "Version now", '
        'from_fetched_at AS "Captured before", to_fetched_at AS "Captured now", '
        'seconds_between AS "Seconds between", word_count_change AS "Words added", '
        'change_size AS "Characters changed" FROM changes '
        "ORDER BY to_fetched_at DESC",
    },
    "captures_by_status": {
        "title": "Captures by HTTP status",
        "description": "How many captures each HTTP status and record type has, per site.",
        "sql": 'SELECT site AS "Site", status AS "HTTP status", record_type AS "Record type", '
        'count(*) AS "Captures", min(fetched_at) AS "First", max(fetched_at) AS "Last" '
        "FROM captures GROUP BY site, status, record_type ORDER BY site, status",
    },
    "site_crawl_history": {
        "title": "A site's crawl history",
        "description": "Per crawl: captures, statuses and new document versions of one "
        "site (e.g. news.example.org).",
        "sql": 'SELECT cr.id AS "Crawl", cr.started_at AS "Started", '
        'cr.finished_at AS "Finished", cr.status AS "Status", '
        'count(c.id) AS "Captures", sum(c.status = 200) AS "OK", '
        'sum(c.status >= 400) AS "Errors", sum(c.record_type = \'revisit\') AS "Revisits", '
        "(SELECT count(*) FROM documents d JOIN captures x ON x.id = d.capture_id "
        ' WHERE x.crawl_id = cr.id AND x.site = :site) AS "New document versions" '
        "FROM crawls cr JOIN captures c ON c.crawl_id = cr.id AND c.site = :site "
        "GROUP BY cr.id ORDER BY cr.id DESC",
    },
}


def build_metadata(db: Path, warc_dir: Path, replay_url: str | None = None) -> dict[str, Any]:
    """Datasette metadata for the archive ``db``."""
    name = db.stem
    hidden = {
        t: {"hidden": True}
        for t in (
            "documents_fts",
            "documents_fts_config",
            "documents_fts_data",
            "documents_fts_docsize",
            "documents_fts_idx",
        )
    }
    facets = ["site", "language", "page_type"]
    return {
        "title": "News archive",
        "description_html": (
            "Documents extracted from archived pages, with full-text search (words, "
            "&quot;phrases&quot;, prefix*, AND/OR/NOT, NEAR). Start with "
            "<b>document_list</b> (facets by site, language, page type and published "
            "month), <b>changes</b> (stealth edits) or the canned queries below. "
            '<a href="/-/archiver/search">Ranked search</a> gives the results of '
            "<code>archiver search</code> (bm25, snippets, the same filters)."
        ),
        "databases": {
            name: {
                "description": "Crawls, WARC captures and extracted documents.",
                "tables": {
                    **hidden,
                    "documents": {
                        "description": "One row per distinct extracted text version of a page.",
                        "fts_table": "documents_fts",
                        "fts_pk": "id",
                        "searchmode": "raw",
                        "label_column": "title",
                        "facets": facets,
                        "sort_desc": "id",
                        "size": 50,
                        "columns": {"capture_id": DOCUMENT_COLUMNS["capture_id"]},
                    },
                    "document_list": {
                        "description": "Documents for browsing: search, and facets by "
                        "site, language, page type and published month.",
                        "fts_table": "documents_fts",
                        "fts_pk": "id",
                        "searchmode": "raw",
                        "label_column": "title",
                        "facets": [*facets, "published_month"],
                        "sort_desc": "published",
                        "columns": DOCUMENT_COLUMNS,
                    },
                    "captures": {
                        "description": "One row per WARC response or revisit record.",
                        "facets": ["site", "status", "record_type", "mime_type"],
                        "sort_desc": "id",
                        "label_column": "url",
                        "columns": CAPTURE_COLUMNS,
                    },
                    "crawls": {
                        "description": "One row per crawl run.",
                        "sort_desc": "id",
                        "facets": ["status"],
                    },
                    "changes": {
                        "description": "Articles whose text changed between captures.",
                        "sort_desc": "to_fetched_at",
                        "facets": ["site"],
                        "columns": CHANGES_COLUMNS,
                    },
                },
                "queries": QUERIES,
            },
        },
        "plugins": {
            "archiver": {
                "database": name,
                "warc_dir": str(warc_dir.resolve()),
                "replay_url": replay_url,
            },
        },
    }


def datasette_command(db: Path, metadata: Path, host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db),
        "--metadata",
        str(metadata),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "facet_time_limit_ms",
        "1000",
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "truncate_cells_html",
        "300",  # long texts stay readable in tables
        "--setting",
        "allow_download",
        "off",
    ]
