"""Search results against a brute-force reference on a small archive: every match is
found, the filters are exact, and hits come in the order of the documented score
(bm25 as SQLite FTS5 computes it, title weight 10, body weight 1) under the
documented rules (common words do not rank; beyond RANK_WINDOW matches the newest
matches are ranked or, when no word can rank, listed newest first).  Also the
upgrade of an archive of schema version 1."""

from __future__ import annotations

import math
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import archiver.research.archive as archive_module
from archiver import store
from archiver.research.archive import Archive, Filters, SearchQueryError
from archiver.store import ingest

# Words FTS5's porter tokenizer keeps as they are (checked below), so the reference
# can tokenise by splitting on spaces.
VOCAB = [
    a + b
    for a in ("ka", "to", "ru", "mo", "pu", "la", "no", "zu", "bo", "fa")
    for b in ("ko", "tu", "ma", "lo", "nu", "ra", "po", "du")
]
COMMON = VOCAB[0]  # in most documents
SITES = ["one.example.org", "two.example.org", "three.example.org"]
LANGS = ["en", "en", "de"]
AUTHORS = ["Anna Berg", "Carl Dahl", "anna-lena Ek", "Bo Fors"]
K1, B = 1.2, 0.75
N_DOCS = 240


def make_docs(seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    weights = [1.0 / (r + 1) for r in range(len(VOCAB))]
    docs = []
    for n in range(1, N_DOCS + 1):
        text = rng.choices(VOCAB, weights=weights, k=rng.randint(15, 60))
        if rng.random() < 0.9:
            text.append(COMMON)
        title = rng.choices(VOCAB, weights=weights, k=rng.randint(2, 5))
        docs.append(
            {
                "id": n,
                "title": title,
                "text": text,
                "site": SITES[n % 3],
                "language": LANGS[(n // 3) % 3],
                "author": AUTHORS[n % 4],
                "published": f"{2024 + n % 3}-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00:00+00:00",
                "page_type": "article" if n % 5 else "listing",
            }
        )
    return docs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("reference") / "archive.db"
    store.open_db(path).close()
    conn = store.connect(path)
    conn.execute("INSERT INTO crawls (id, started_at, status) VALUES (1, '2026-11-01', 'ok')")
    docs = make_docs()
    pairs = []
    for d in docs:
        url = f"https://{d['site']}/{d['id']}.html"
        pairs.append(
            (
                {
                    "crawl_id": 1,
                    "url": url,
                    "status": 200,
                    "fetched_at": "2026-11-01T00:00:00Z",
                    "warc_file": "x.warc.gz",
                    "warc_offset": d["id"],
                    "warc_length": 1,
                    "warc_record_id": f"<urn:uuid:{d['id']}>",
                    "record_type": "response",
                },
                {
                    "url": url,
                    "title": " ".join(d["title"]),
                    "text": " ".join(d["text"]),
                    "text_hash": str(d["id"]),
                    "language": d["language"],
                    "author": d["author"],
                    "published": d["published"],
                    "page_type": d["page_type"],
                    "site": d["site"],
                },
            )
        )
    with ingest.bulk_mode(conn):
        assert ingest.insert_many(conn, pairs[:150]) == 150
    assert ingest.insert_many(conn, pairs[150:]) == N_DOCS - 150  # the trigger path
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, documents_fts, row)")
    terms = {r[0] for r in conn.execute("SELECT term FROM temp.v")}
    assert terms == {w for d in docs for w in d["title"] + d["text"]}  # no word stemmed
    conn.close()
    return {"path": path, "docs": docs}


# -- the reference ---------------------------------------------------------------
def passes(doc: dict[str, Any], flt: Filters) -> bool:
    low, high = flt.bounds()
    return (
        (not flt.site or doc["site"] in flt.site)
        and (low is None or doc["published"] >= low)
        and (high is None or doc["published"] < high)
        and (flt.lang is None or doc["language"] == flt.lang)
        and (flt.author is None or flt.author.lower() in doc["author"].lower())
        and (flt.page_type is None or doc["page_type"] == flt.page_type)
    )


def occurrences(tokens: list[str], phrase: list[str]) -> int:
    k = len(phrase)
    return sum(tokens[i : i + k] == phrase for i in range(len(tokens) - k + 1))


_HITS: dict[tuple[int, tuple[str, ...]], int] = {}


def bm25(docs: list[dict[str, Any]], phrases: list[list[str]], doc: dict[str, Any]) -> float:
    """FTS5's bm25(), title weight 10 and body weight 1, from the tokens."""
    n = len(docs)
    avgdl = sum(len(d["title"]) + len(d["text"]) for d in docs) / n
    size = len(doc["title"]) + len(doc["text"])
    score = 0.0
    for phrase in phrases:
        key = (id(docs), tuple(phrase))
        if key not in _HITS:
            _HITS[key] = sum(
                1 for d in docs if occurrences(d["title"], phrase) or occurrences(d["text"], phrase)
            )
        hits = _HITS[key]
        idf = math.log((n - hits + 0.5) / (hits + 0.5))
        idf = idf if idf > 0 else 1e-6
        freq = 10 * occurrences(doc["title"], phrase) + occurrences(doc["text"], phrase)
        score += idf * freq * (K1 + 1) / (freq + K1 * (1 - B + B * size / avgdl))
    return -score


def reference(
    docs: list[dict[str, Any]],
    phrases: list[list[str]],
    flt: Filters,
    *,
    window: int,
    exhaustive: bool,
    shown: int = 0,
) -> tuple[list[tuple[int, float]], str]:
    """(id, score) of every match in the documented order, and the order's name.
    ``phrases`` are ANDed; a query of single words follows the common-word rule.  The
    window applies when more than ``window`` documents match and pass the filters,
    more than ``window`` pass the filters, and the page (``shown``: offset + limit)
    lies within it."""

    def matches(doc: dict[str, Any]) -> bool:
        return all(occurrences(doc["title"], p) or occurrences(doc["text"], p) for p in phrases)

    found = [d for d in docs if matches(d) and passes(d, flt)]
    plain = all(len(p) == 1 for p in phrases)
    ranked = phrases
    if plain and len(phrases) > 1 and not exhaustive:
        df = {
            p[0]: sum(1 for d in docs if p[0] in d["title"] or p[0] in d["text"]) for p in phrases
        }
        informative = [p for p in phrases if df[p[0]] <= len(docs) // 2]
        ranked = informative or [min(phrases, key=lambda p: df[p[0]])]
    order = "bm25"
    filtered = sum(1 for d in docs if passes(d, flt))
    if (
        flt
        and plain
        and not exhaustive
        and filtered > window
        and shown <= window
        and all(
            sum(1 for d in docs if p[0] in d["title"] + d["text"]) > len(docs) // 2 for p in phrases
        )
    ):
        # no word can rank, more than ``window`` documents pass the filters
        return [(d["id"], 0.0) for d in sorted(found, key=lambda d: -d["id"])], "newest"
    if not exhaustive and len(found) > window and filtered > window and shown <= window:
        found = sorted(found, key=lambda d: -d["id"])[:window]
        df = {
            p[0]: sum(1 for d in docs if p[0] in d["title"] or p[0] in d["text"])
            for p in ranked
            if len(p) == 1
        }
        if not plain or all(df[p[0]] > len(docs) // 2 for p in ranked):
            return [(d["id"], 0.0) for d in found], "newest"
        order = "bm25-window"
    scored = [(d["id"], bm25(docs, ranked, d)) for d in found]
    return sorted(scored, key=lambda r: (r[1], -r[0])), order


def check(
    archive: Archive,
    docs: list[dict[str, Any]],
    query: str,
    phrases: list[list[str]],
    flt: Filters,
    *,
    window: int,
    exhaustive: bool = False,
    limit: int = 1000,
    offset: int = 0,
) -> None:
    want, order = reference(
        docs, phrases, flt, window=window, exhaustive=exhaustive, shown=offset + limit
    )
    # the engine's bm25 order (articles_first composes two such searches: tested below)
    got = archive.search(
        query, filters=flt, exhaustive=exhaustive, limit=limit, offset=offset, articles_first=False
    )
    assert got.order == order, (query, flt)
    assert got.approximate == (order != "bm25")
    want = want[offset : offset + limit]
    if order == "newest":
        assert [h.id for h in got] == [i for i, _ in want]
    # same documents, same scores in the same order (ids of equal scores may swap)
    assert sorted(h.id for h in got) == sorted(i for i, _ in want), (query, flt)
    assert [h.score for h in got] == pytest.approx([s for _, s in want], abs=1e-4)
    by_id = dict(want)
    assert all(h.score == pytest.approx(by_id[h.id], abs=1e-4) for h in got)


FILTERS = [
    Filters(),
    Filters.of(site="two.example.org"),
    Filters.of(lang="de"),
    Filters.of(author="ANNA"),  # a case-insensitive substring: two authors
    Filters.of(since="2025", until="2025-06"),
    Filters.of(page_type="listing"),
    Filters.of(site=["one.example.org", "three.example.org"], lang="en", since="2024-06"),
    Filters.of(author="nobody"),
    # most documents pass: each match is checked by seeking its id in an index
    Filters.of(page_type="article"),
    Filters.of(lang="en", page_type="article"),
    Filters.of(site=["one.example.org", "two.example.org"], page_type="article"),
    Filters.of(author="anna", page_type="article"),
]
QUERIES = [
    (VOCAB[3], [[VOCAB[3]]]),  # frequent
    (VOCAB[40], [[VOCAB[40]]]),  # rare
    (COMMON, [[COMMON]]),  # in more than half of the documents
    (f"{COMMON} {VOCAB[20]}", [[COMMON], [VOCAB[20]]]),  # the common word does not rank
    (f"{VOCAB[1]} {VOCAB[2]}", [[VOCAB[1]], [VOCAB[2]]]),
    (f'"{VOCAB[0]} {VOCAB[1]}"', [[VOCAB[0], VOCAB[1]]]),  # a phrase
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[8:60])
@pytest.mark.parametrize("window", [4000, 60, 12])
def test_search_equals_brute_force_reference(
    corpus: dict[str, Any], flt: Filters, window: int, monkeypatch: Any
) -> None:
    monkeypatch.setattr(archive_module, "RANK_WINDOW", window)
    monkeypatch.setattr(archive_module, "WINDOW_SAMPLE", 50)
    with Archive(corpus["path"]) as archive:
        for query, phrases in QUERIES:
            check(archive, corpus["docs"], query, phrases, flt, window=window)
            check(archive, corpus["docs"], query, phrases, flt, window=window, exhaustive=True)
            check(archive, corpus["docs"], query, phrases, flt, window=window, limit=5, offset=3)
            check(archive, corpus["docs"], query, phrases, flt, window=window, limit=12)
            assert archive.count(query, filters=flt) == len(
                reference(corpus["docs"], phrases, flt, window=10**9, exhaustive=True)[0]
            )


def test_search_results_name_their_order(corpus: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(archive_module, "RANK_WINDOW", 12)
    with Archive(corpus["path"]) as archive:
        medium = next(
            w
            for w in VOCAB
            if 12 < sum(1 for d in corpus["docs"] if w in d["title"] + d["text"]) <= N_DOCS // 2
        )
        windowed = archive.search(medium, limit=5, articles_first=False)
        assert windowed.order == "bm25-window" and windowed.approximate
        assert "most recently archived" in (windowed.note or "")
        newest = archive.search(COMMON, limit=5, articles_first=False)
        assert newest.order == "newest" and newest.approximate
        assert "most recently archived first" in (newest.note or "")
        assert [h.id for h in newest] == sorted((h.id for h in newest), reverse=True)
        exact = archive.search(VOCAB[40], articles_first=False)
        assert exact.order == "bm25" and not exact.approximate and exact.note is None


# -- upgrading an archive of schema version 1 ------------------------------------
V1_INDEXES = {
    "idx_documents_published": "published",
    "idx_documents_site_published": "site, published",
    "idx_documents_language": "language",
}


def make_v1(path: Path) -> None:
    """An archive as schema version 1 left it: its filter indexes and user_version."""
    store.open_db(path).close()
    conn = sqlite3.connect(path)
    for name in store.SEARCH_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    for name, cols in V1_INDEXES.items():
        conn.execute(f"CREATE INDEX {name} ON documents ({cols})")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_documents_page_type ON documents (page_type)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_documents_author ON documents (author)")
    conn.execute("INSERT INTO crawls (id, started_at, status) VALUES (1, '2026-11-01', 'ok')")
    conn.execute(
        "INSERT INTO captures (id, crawl_id, url, warc_record_id) "
        "VALUES (1, 1, 'https://example.org/a', '<urn:uuid:a>')"
    )
    conn.execute(
        "INSERT INTO documents (id, capture_id, url, site, title, text, author, "
        "language, published) VALUES (1, 1, 'https://example.org/a', 'example.org', "
        "'Harbour', 'harbour news', 'Anna', 'en', '2026-01-02')"
    )
    conn.execute("ANALYZE")
    conn.execute("DROP TABLE schema_migrations")  # version 1 recorded no migrations
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' "
                "AND sql IS NOT NULL"
            )
        }
    finally:
        conn.close()


def test_version_1_archive_is_upgraded_by_migrate(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    assert set(V1_INDEXES) <= indexes(path)
    with Archive(path) as a:  # read as it is: nothing written
        assert [h.id for h in a.search("harbour", site="example.org", lang="en")] == [1]
    assert set(V1_INDEXES) <= indexes(path)
    store.open_db(path).close()  # what `archiver migrate` and every writer do
    with Archive(path) as a:
        assert [
            h.id
            for h in a.search("harbour", site="example.org", author="ann", lang="en", since="2026")
        ] == [1]
    found = indexes(path)
    assert set(store.SEARCH_INDEXES) <= found
    assert not set(store.SUPERSEDED_INDEXES) & found
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [
        n for n, _, _ in store.MIGRATIONS
    ]
    stats = {r[0] for r in conn.execute("SELECT idx FROM sqlite_stat1")}
    assert set(store.SEARCH_INDEXES) <= stats  # analysed archives stay analysed
    schema = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    store.open_db(path).close()  # idempotent
    Archive(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert (
        conn.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'news'"
        ).fetchone()[0]
        == 1
    )
    conn.close()


def test_web_search_gives_the_api_results(
    corpus: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    import asyncio

    from datasette.app import Datasette

    from archiver.research.serve import PLUGINS_DIR, build_metadata

    monkeypatch.setattr(archive_module, "RANK_WINDOW", 12)
    meta = build_metadata(corpus["path"], tmp_path, None)
    ds = Datasette([str(corpus["path"])], metadata=meta, plugins_dir=str(PLUGINS_DIR))
    query = f"{VOCAB[1]} {VOCAB[5]}"
    for params in ({}, {"site": "two.example.org", "author": "anna"}):
        url = f"/-/archiver/api/search.json?q={query}&limit=7" + "".join(
            f"&{k}={v}" for k, v in params.items()
        )
        data = asyncio.run(ds.client.get(url)).json()
        with Archive(corpus["path"]) as archive:
            hits = archive.search(query, limit=7, **params)
        assert [h["id"] for h in data["hits"]] == [h.id for h in hits]
        assert (data["order"], data["note"]) == (hits.order, hits.note)
    page = asyncio.run(ds.client.get(f"/-/archiver/api/search?q={VOCAB[40]}"))
    assert page.status_code == 200 and "<mark>" in page.text
    bad = asyncio.run(ds.client.get('/-/archiver/api/search.json?q="unbalanced'))
    assert bad.status_code == 400 and "unbalanced" in bad.json()["error"]


def test_canned_search_query_is_archiver_search(corpus: dict[str, Any], tmp_path: Path) -> None:
    """Datasette's canned "search" query gives the engine's results, in its order."""
    import asyncio

    from datasette.app import Datasette

    from archiver.research.serve import PLUGINS_DIR, build_metadata

    meta = build_metadata(corpus["path"], tmp_path, None)
    ds = Datasette([str(corpus["path"])], metadata=meta, plugins_dir=str(PLUGINS_DIR))
    name = corpus["path"].stem
    for query in (VOCAB[1], f"{VOCAB[1]} {VOCAB[5]}", f"{VOCAB[40]}*", "", '"unbalanced'):
        page = asyncio.run(ds.client.get(f"/{name}/search.json?q={query}&_shape=array"))
        assert page.status_code == 200, page.text
        rows = page.json()
        with Archive(corpus["path"]) as archive:
            try:
                hits = archive.search(query, limit=100) if query else []
            except SearchQueryError:
                hits = []
        assert [r["Document"] for r in rows] == [h.id for h in hits]
        assert [r["Relevance"] for r in rows] == [round(h.relevance, 2) for h in hits]
        if query == VOCAB[1]:
            assert len(rows) == 100  # the engine's best 100


def test_articles_first_is_articles_then_the_rest(corpus: dict[str, Any]) -> None:
    """The default order: the engine's ranking of the articles, then of every other
    page type, paged across the two as one list."""
    with Archive(corpus["path"]) as archive:
        for query in (VOCAB[1], f"{VOCAB[1]} {VOCAB[5]}", VOCAB[40]):
            articles = archive.search(query, limit=1000, page_type="article", articles_first=False)
            rest = archive.search(
                query,
                limit=1000,
                filters=Filters(exclude_page_type="article"),
                articles_first=False,
            )
            whole = [h.id for h in articles] + [h.id for h in rest]
            assert [h.id for h in archive.search(query, limit=1000)] == whole
            paged = [
                h.id
                for start in range(0, len(whole), 7)
                for h in archive.search(query, limit=7, offset=start)
            ]
            assert paged == whole


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[8:60])
def test_filters_checked_per_match_equal_the_reference(
    corpus: dict[str, Any], flt: Filters
) -> None:
    """Each way search checks the filters on the matches (a seek per match in the
    index that holds them, or the set of passing documents) keeps exactly the
    reference's documents."""
    with Archive(corpus["path"]) as archive:
        conds, params = archive._filter_sql(flt)
        if not conds:
            return
        want = sorted(
            d["id"] for d in corpus["docs"] if VOCAB[3] in d["title"] + d["text"] and passes(d, flt)
        )
        seek = archive._seek_index(conds, 0.0, 1.0)  # as if the matches were few
        for way in {seek, None}:
            check_sql, args = archive._filter_check(conds, params, way, 0)
            got = archive.conn.execute(
                f"SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? AND {check_sql} "
                "ORDER BY rowid",
                [VOCAB[3], *args],
            ).fetchall()
            assert [r[0] for r in got] == want, way


@pytest.mark.parametrize("flt", [Filters(), Filters.of(lang="en"), Filters.of(author="anna")])
def test_prefix_search_pages_and_snippets(
    corpus: dict[str, Any], flt: Filters, monkeypatch: Any
) -> None:
    """A prefix query beyond the window lists the newest passing matches, with the
    snippets FTS5 cuts for each (they are cut while the window is read)."""
    monkeypatch.setattr(archive_module, "RANK_WINDOW", 12)
    monkeypatch.setattr(archive_module, "WINDOW_SAMPLE", 50)
    prefix = VOCAB[8][:1] + "*"  # every word of that first letter
    want = sorted(
        (
            d["id"]
            for d in corpus["docs"]
            if any(w.startswith(prefix[0]) for w in d["title"] + d["text"]) and passes(d, flt)
        ),
        reverse=True,
    )
    with Archive(corpus["path"]) as archive:
        for offset, limit in ((0, 5), (3, 4), (0, 12)):
            got = archive.search(
                prefix, filters=flt, limit=limit, offset=offset, articles_first=False
            )
            assert got.order == "newest"
            assert [h.id for h in got] == want[offset : offset + limit]
            for hit in got:
                body, title = archive.conn.execute(
                    "SELECT snippet(documents_fts, 1, '[', ']', ' … ', 16), "
                    "snippet(documents_fts, 0, '[', ']', ' … ', 16) FROM documents_fts "
                    "WHERE documents_fts MATCH ? AND rowid = ?",
                    [prefix, hit.id],
                ).fetchone()
                assert hit.snippet == (body if "[" in body or not title else body or title).strip()
