"""Researchers' side: search, show, diff, export, stats and the Archive API, on an
archive built by real crawls of two local sites (crawled twice; story 2 changes
between the crawls)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner

from archiver import Archive
from archiver.cli import cli
from archiver.demo.server import SiteServer
from archiver.research.archive import (
    ArchiveError,
    Filters,
    NotFound,
    SearchQueryError,
    normalise_query,
)
from tests.conftest import SITE_EXIT, article_html, build_site, run_archiver, site_routes

pytestmark = pytest.mark.e2e

CHANGED_TITLE = "Story 2: the bridge vote"
UPDATE = "<p>Update: the council voted to approve the bridge plan.</p>"


GERMAN = (
    "Die Leute vom Hafenamt sagten am Dienstag, dass der Plan für das Hafenfest im "
    "nächsten Monat erneut beraten werde, nachdem die Bewohner mehr Zeit verlangt hatten. "
    "Der Stadtrat will die Kosten prüfen und die Vereine der Altstadt anhören."
)


def german_site(root: Path) -> None:
    (root / "artikel").mkdir(parents=True, exist_ok=True)
    links = "".join(f'<li><a href="/artikel/{n}.html">Artikel {n}</a></li>' for n in (1, 2))
    (root / "index.html").write_text(
        f"<!DOCTYPE html><html lang='de'><head><title>Stadtblatt</title></head>"
        f"<body><ul>{links}</ul></body></html>"
    )
    for n in (1, 2):
        paras = "".join(f"<p>Absatz {j}. {GERMAN}</p>" for j in range(4))
        (root / "artikel" / f"{n}.html").write_text(
            f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Artikel {n}: Hafenfest und Stadtrat</title>
<meta name="author" content="Bernd Autor">
<meta property="article:published_time" content="2025-05-0{n}T08:00:00+00:00">
</head><body><article><h1>Artikel {n}: Hafenfest und Stadtrat</h1>{paras}</article>
</body></html>""",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def research(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("site")
    build_site(root)
    de_root = tmp_path_factory.mktemp("site-de")
    german_site(de_root)
    work = tmp_path_factory.mktemp("archive")
    db, warc_dir = work / "archive.db", work / "warc"
    with SiteServer(root, routes=site_routes()) as server, SiteServer(de_root) as de:
        args = [
            "crawl",
            server.url("/"),
            de.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "--quiet",
            "--no-requisites",
        ]
        first = run_archiver(*args, cwd=work)
        assert first.returncode == SITE_EXIT, first.stderr
        (root / "news" / "story-2.html").write_text(article_html(2, CHANGED_TITLE, extra=UPDATE))
        second = run_archiver(*args, cwd=work)
        assert second.returncode == SITE_EXIT, second.stderr
        info = {
            "db": db,
            "warc_dir": warc_dir,
            "work": work,
            "story2": server.url("/news/story-2.html"),
            "story3": server.url("/news/story-3.html"),
            "site": server.url("/").split("//")[1].rstrip("/"),
            "de_site": de.url("/").split("//")[1].rstrip("/"),
            "de_url": de.url("/artikel/1.html"),
        }
    return info


@pytest.fixture(scope="module")
def archive(research: Any) -> Any:
    with Archive(research["db"], research["warc_dir"]) as a:
        yield a


def cli_run(research: Any, *args: str) -> Any:
    result = CliRunner().invoke(
        cli,
        [*args, "--db", str(research["db"]), "--warc-dir", str(research["warc_dir"])],
        catch_exceptions=False,
    )
    return result


# -- the API --------------------------------------------------------------------
def test_archive_is_exported_from_the_package() -> None:
    import archiver

    assert "Archive" in archiver.__all__
    assert archiver.Archive is Archive


def test_search_ranks_title_matches_first_with_snippets(archive: Any) -> None:
    hits = archive.search("bridge")
    assert len(hits) >= 3
    assert all("bridge" in (h.title or "").lower() for h in hits[:2])
    assert CHANGED_TITLE in [h.title for h in hits[:2]]
    assert hits == sorted(hits, key=lambda h: h.score)
    body_hit = next(h for h in hits if "bridge" not in (h.title or "").lower())
    assert "[bridge]" in body_hit.snippet.lower()
    custom = archive.search("bridge", highlight=("<mark>", "</mark>"), limit=1)
    assert "<mark>" in custom[0].snippet or "<mark>" not in custom[0].snippet  # title-only hit


def test_search_syntax(archive: Any, research: Any) -> None:
    def urls(q: str) -> list[str]:
        return [h.url for h in archive.search(q, limit=50)]

    assert urls('"approve the bridge plan"') == [research["story2"]]
    assert urls("appro*") == [research["story2"]]
    assert research["story2"] in urls("NEAR(council approve, 3)")
    assert research["story2"] not in urls("NEAR(council harbour, 1)")
    both = set(urls("hafenfest OR approve"))
    assert research["story2"] in both and research["de_url"] in both
    assert research["story2"] not in urls("council NOT approve")
    assert urls("title:hafenfest")
    assert urls("covid-19 OR approve") == [research["story2"]]  # inner punctuation: a phrase


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "council AND",
        "OR",
        "(council",
        "NOT",
        "!!!",
        "   ",
        "",
        "...",
        "NEAR(council",
    ],
)
def test_malformed_queries_raise_search_query_error(archive: Any, query: str) -> None:
    with pytest.raises(SearchQueryError):
        archive.search(query)


def test_normalise_query_keeps_valid_syntax() -> None:
    assert normalise_query('"a b" OR c*') == '"a b" OR c*'
    assert normalise_query("NEAR(a b, 5)") == "NEAR(a b, 5)"
    assert normalise_query("e.on covid-19!") == '"e on" "covid 19"'
    assert normalise_query("title:bridge") == "title:bridge"


def test_search_filters(archive: Any, research: Any) -> None:
    de = archive.search("hafenfest OR council", site=research["de_site"], limit=50)
    assert de and all(h.site == research["de_site"] for h in de)
    assert {h.language for h in archive.search("hafenfest OR council", lang="de", limit=50)} == {
        "de"
    }
    by_author = archive.search("hafenfest OR council", author="bernd", limit=50)
    assert by_author and all(h.author == "Bernd Autor" for h in by_author)
    in_2025 = archive.search("hafenfest OR council", since="2025", until="2025-12", limit=50)
    assert in_2025 and all(h.published.startswith("2025") for h in in_2025)
    assert archive.search("council", until="2024") == []
    oct3 = archive.search("council OR river", since="2026-10-03", until="2026-10-03", limit=50)
    assert oct3 and all(h.published.startswith("2026-10-03") for h in oct3)
    assert all(h.page_type == "article" for h in archive.search("local", page_type="article"))
    page1 = archive.search("officials OR leute", limit=3)
    page2 = archive.search("officials OR leute", limit=3, offset=3)
    assert len(page1) == 3 and not {h.id for h in page1} & {h.id for h in page2}
    assert archive.search("officials", filters=Filters.of(site=f"www.{research['site']}"))
    with pytest.raises(ArchiveError, match="--since"):
        archive.search("council", since="yesterday")
    with pytest.raises(ArchiveError, match="page-type"):
        archive.search("council", page_type="poem")


def test_documents_count_and_lookup(archive: Any, research: Any) -> None:
    docs = list(archive.documents())
    assert len(docs) == archive.count() > 10
    assert [d.id for d in docs] == sorted(d.id for d in docs)
    german = list(archive.documents(lang="de"))
    assert german and all(d.language == "de" and d.warc_file for d in german)
    assert archive.count("approve") == 1
    latest = archive.document(research["story2"])
    assert latest.title == CHANGED_TITLE and latest.warc_offset is not None
    assert archive.document(str(latest.id)) == latest
    with pytest.raises(NotFound):
        archive.document(999_999)
    with pytest.raises(NotFound):
        archive.document("http://127.0.0.1:1/never.html")


def test_captures_versions_and_diff(archive: Any, research: Any) -> None:
    caps = archive.captures(research["story2"])
    assert len(caps) == 2 and caps[0].fetched_at < caps[1].fetched_at
    assert caps[0].payload_digest != caps[1].payload_digest
    assert all(c.status == 200 and c.warc_file and c.document_id for c in caps)
    unchanged = archive.captures(research["story3"])
    assert [c.record_type for c in unchanged] == ["response", "revisit"]
    versions = archive.versions(research["story2"])
    assert len(versions) == 2 and versions[1].title == CHANGED_TITLE
    assert len(archive.versions(research["story3"])) == 1
    diff = archive.diff(research["story2"])
    assert diff.old.id == versions[0].id and diff.new.id == versions[1].id
    assert diff.words_added >= 8 and diff.words_removed == 0
    assert ("+", "bridge vote") in diff.title_ops
    assert "word_count" in diff.metadata
    text = diff.unified()
    assert "{+Update: the council voted to approve the bridge plan.+}" in text or (
        "+Update: the council voted to approve the bridge plan." in text
    )
    assert archive.diff(research["story2"], versions[0].id, versions[1].id) == diff
    with pytest.raises(NotFound, match="only one version"):
        archive.diff(research["story3"])
    with pytest.raises(NotFound):
        archive.diff(research["story2"], 999_999)


def test_changes_view(archive: Any, research: Any) -> None:
    rows = archive.changes()
    assert len(rows) == 1
    row = rows[0]
    versions = archive.versions(research["story2"])
    assert row["url"] == research["story2"]
    assert (row["from_id"], row["to_id"]) == (versions[0].id, versions[1].id)
    assert row["title"] == CHANGED_TITLE and row["from_title"] != CHANGED_TITLE
    assert row["from_fetched_at"] < row["to_fetched_at"] and row["seconds_between"] >= 0
    assert row["word_count_change"] == versions[1].word_count - versions[0].word_count > 0
    assert row["change_size"] > 0
    assert archive.changes(site=research["de_site"]) == []


def test_record_is_read_by_offset(archive: Any, research: Any) -> None:
    cap = archive.captures(research["story2"])[-1]
    record = archive.record(cap.id)
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Target-URI") == research["story2"]
    from archiver.codings import decode_body

    coding = record.http_headers.get_header("Content-Encoding")
    assert b"approve the bridge plan" in decode_body(record.payload, coding)
    raw = archive.record_bytes(cap.id)
    assert raw[:2] == b"\x1f\x8b" and len(raw) == cap.warc_length
    assert gzip.decompress(raw).startswith(b"WARC/1.1")
    with pytest.raises(NotFound):
        archive.record(999_999)


def test_stats(archive: Any, research: Any) -> None:
    stats = archive.stats()
    assert set(stats["sites"]) == {research["site"], research["de_site"]}
    assert stats["sites"][research["de_site"]]["documents"] >= 3
    assert stats["languages"]["de"] >= 3 and stats["languages"]["en"] >= 8
    assert len(stats["crawls"]) == 2 and all(c["status"] == "partial" for c in stats["crawls"])
    assert stats["changed_versions"] == 1
    assert stats["published"]["first"].startswith("2025-05")
    assert stats["size"]["warc_files"] == 2 and stats["size"]["warc_bytes"] > 10_000
    assert stats["size"]["database_bytes"] > 0


def test_missing_or_foreign_database(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        Archive(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ArchiveError, match="not an archive"):
        Archive(other)


def test_old_archive_gets_site_column_and_views(tmp_path: Path) -> None:
    from archiver import store

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["crawls"].create(store.CRAWLS, pk="id")
    db["captures"].create({k: v for k, v in store.CAPTURES.items() if k != "site"}, pk="id")
    db["documents"].create({k: v for k, v in store.DOCUMENTS.items() if k != "site"}, pk="id")
    db["documents"].enable_fts(
        ["title", "text"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="porter unicode61 remove_diacritics 2",
    )
    db["captures"].insert({"id": 1, "url": "https://www.example.org/a.html", "status": 200})
    db["documents"].insert(
        {
            "id": 1,
            "capture_id": 1,
            "url": "https://www.example.org/a.html",
            "title": "Old story",
            "text": "harbour news",
            "page_type": "article",
        }
    )
    db.close()
    before = path.read_bytes()
    # reading never writes: the archive is refused with the command that upgrades it
    with pytest.raises(ArchiveError, match="archiver migrate --db"):
        Archive(path)
    assert path.read_bytes() == before
    migrated = run_archiver("migrate", "--db", str(path), "--format", "json")
    assert migrated.returncode == 0, migrated.stderr
    report = json.loads(migrated.stdout)
    assert report["from"] == 0 and [m["version"] for m in report["applied"]] == [1, 2, 3, 4, 5, 6]
    with Archive(path) as a:
        assert [h.site for h in a.search("harbour")] == ["example.org"]
        assert a.search("harbour", site="example.org")
        assert a.changes() == []
    again = run_archiver("migrate", "--db", str(path))
    assert again.returncode == 0 and "up to date" in again.stdout


# -- the command line -----------------------------------------------------------
def test_search_command_formats(research: Any) -> None:
    table = cli_run(research, "search", "bridge")
    assert table.exit_code == 0, table.output
    assert CHANGED_TITLE in table.output
    data = json.loads(cli_run(research, "search", "approve", "--format", "json").output)
    assert [d["url"] for d in data] == [research["story2"]]
    assert "[approve]" in data[0]["snippet"]
    lines = cli_run(research, "search", "council", "--format", "jsonl", "--limit", "2").output
    assert len(lines.strip().splitlines()) == 2
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli_run(research, "search", "hafenfest", "--format", "csv", "--lang", "de").output
            )
        )
    )
    assert rows and {r["language"] for r in rows} == {"de"}
    none = cli_run(research, "search", "zzyzx")
    assert none.exit_code == 0 and "No documents match" in none.output
    filtered = cli_run(
        research,
        "search",
        "council",
        "--site",
        research["de_site"],
        "--format",
        "json",
        "--since",
        "2025-01-01",
        "--until",
        "2026-12-31",
        "--author",
        "bernd",
        "--page-type",
        "article",
        "--offset",
        "0",
    )
    assert json.loads(filtered.output) == []


@pytest.mark.parametrize("query", ['"unbalanced', "council AND", "!!!", ""])
def test_search_command_malformed_query_exit_2(research: Any, query: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--db", str(research["db"])])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "search query" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_commands_fail_in_one_line_in_a_subprocess(research: Any, tmp_path: Path) -> None:
    bad = run_archiver("search", '"oops', "--db", str(research["db"]))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: invalid search query")
    for args in (
        ["search", "x", "--db", str(tmp_path / "none.db")],
        ["show", "12345678", "--db", str(research["db"])],
        ["diff", "12345678", "--db", str(research["db"])],
        ["export", "--since", "2026-13-45", "--db", str(research["db"])],
        ["stats", "--db", str(tmp_path / "none.db")],
        ["serve", "--db", str(tmp_path / "none.db")],
    ):
        proc = run_archiver(*args)
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr, args
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    one = run_archiver("diff", research["story3"], "--db", str(research["db"]))
    assert one.returncode == 0 and "one version" in one.stdout, one.stderr


def test_show_command(research: Any) -> None:
    result = cli_run(research, "show", research["story2"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert CHANGED_TITLE in out and "Update: the council voted" in out
    assert "2 capture(s)" in out and out.count(".warc.gz") >= 3
    doc_id = json.loads(cli_run(research, "show", research["story2"], "--format", "json").output)[
        "document"
    ]["id"]
    by_id = cli_run(research, "show", str(doc_id))
    assert by_id.exit_code == 0 and CHANGED_TITLE in by_id.output
    versions = cli_run(research, "show", research["story2"], "--versions")
    assert "2 text version(s)" in versions.output and "+" in versions.output
    data = json.loads(
        cli_run(research, "show", research["story2"], "--versions", "--format", "json").output
    )
    assert len(data["versions"]) == 2 and len(data["captures"]) == 2
    assert data["versions"][1]["word_count_change"] > 0
    missing = cli_run(research, "show", "http://127.0.0.1:1/none.html")
    assert missing.exit_code == 1 and "error: no document" in missing.stderr


def test_diff_command(research: Any, archive: Any) -> None:
    result = cli_run(research, "diff", research["story2"])
    assert result.exit_code == 0, result.output
    assert "{+bridge vote+}" in result.output and "[-" in result.output
    assert "approve the bridge plan" in result.output and "words added" in result.output
    v = archive.versions(research["story2"])
    data = json.loads(
        cli_run(
            research,
            "diff",
            research["story2"],
            "--from",
            str(v[0].id),
            "--to",
            str(v[1].id),
            "--format",
            "json",
        ).output
    )
    assert data["from"]["id"] == v[0].id and data["to"]["id"] == v[1].id
    assert data["words_added"] > 0 and "word_count" in data["metadata"]
    wrong = cli_run(research, "diff", research["story2"], "--from", "999999")
    assert wrong.exit_code == 1 and wrong.stderr.startswith("error: ")


def test_export_command(research: Any, tmp_path: Path, archive: Any) -> None:
    result = cli_run(research, "export")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == archive.count()
    assert {
        "id",
        "url",
        "site",
        "text",
        "warc_file",
        "warc_offset",
        "warc_length",
        "fetched_at",
        "capture_id",
    } <= set(rows[0])
    assert "exported" in result.stderr
    out = tmp_path / "de.csv"
    cli_run(research, "export", "--format", "csv", "-o", str(out), "--lang", "de", "--no-text")
    csv_rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert csv_rows and {r["language"] for r in csv_rows} == {"de"}
    assert "text" not in csv_rows[0]
    pq_path = tmp_path / "story.parquet"
    cli_run(research, "export", "--format", "parquet", "-o", str(pq_path), "--query", "approve")
    import pyarrow.parquet as pq

    table = pq.read_table(pq_path)
    assert table.num_rows == 1 and table.column("url").to_pylist() == [research["story2"]]
    assert str(table.schema.field("warc_offset").type) == "int64"
    empty = tmp_path / "empty.parquet"
    cli_run(research, "export", "--format", "parquet", "-o", str(empty), "--until", "2000")
    assert pq.read_table(empty).num_rows == 0
    since = cli_run(research, "export", "--since", "2026-10-05", "--site", research["site"])
    assert all(json.loads(x)["published"] >= "2026-10-05" for x in since.stdout.splitlines())


def test_stats_command(research: Any) -> None:
    table = cli_run(research, "stats")
    assert table.exit_code == 0, table.output
    assert research["de_site"] in table.output and "crawl history" in table.output
    data = json.loads(cli_run(research, "stats", "--format", "json").output)
    assert data["documents"] > 10 and len(data["crawls"]) == 2


# -- speed rules and bulk loading -------------------------------------------------
def test_common_words_match_but_do_not_rank(archive: Any, research: Any) -> None:
    assert archive._rank_match("the approve", False) == "approve"
    assert archive._rank_match("the approve", True) == "the approve"
    assert archive._rank_match('"the approve"', False) == '"the approve"'
    assert [h.url for h in archive.search("the approve")] == [research["story2"]]
    assert archive.search("the zzyzx") == []
    common = {h.id for h in archive.search("the council", limit=100)}
    assert common == {h.id for h in archive.search("the council", limit=100, exhaustive=True)}


def test_rank_window_keeps_the_newest_matches(archive: Any, monkeypatch: Any) -> None:
    import archiver.research.archive as archive_module

    everything = archive.search("officials OR leute", limit=100, exhaustive=True)
    newest = sorted((h.id for h in everything), reverse=True)[:3]
    monkeypatch.setattr(archive_module, "RANK_WINDOW", 3)
    windowed = archive.search("officials OR leute", limit=2)
    assert len(windowed) == 2 and {h.id for h in windowed} <= set(newest)
    assert len(archive.search("officials OR leute", limit=100, exhaustive=True)) == len(everything)


def test_bulk_ingestion_keeps_fts_in_sync(tmp_path: Path) -> None:
    from archiver import store
    from archiver.store import ingest

    path = tmp_path / "bulk.db"
    store.open_db(path).close()
    conn = store.connect(path)
    conn.execute("INSERT INTO crawls (id, started_at, status) VALUES (1, '2026-11-01', 'ok')")
    conn.commit()
    pairs = [
        (
            {
                "crawl_id": 1,
                "url": f"https://www.example.org/{n}.html",
                "status": 200,
                "fetched_at": f"2026-11-01T00:00:{n:02d}Z",
                "warc_file": "x.warc.gz",
                "warc_offset": n,
                "warc_length": 1,
                "warc_record_id": f"<urn:uuid:{n}>",
                "record_type": "response",
            },
            {
                "url": f"https://www.example.org/{n}.html",
                "title": f"Story {n}",
                "text": f"harbour news number{n}",
                "text_hash": str(n),
                "page_type": "article",
            },
        )
        for n in range(50)
    ]
    with ingest.bulk_mode(conn):
        assert ingest.insert_many(conn, pairs[:40], batch=20) == 40
    assert ingest.insert_many(conn, pairs[:5]) == 0  # already there
    assert ingest.insert_many(conn, pairs[40:], batch=3) == 10  # trigger path again
    with pytest.raises(RuntimeError), ingest.bulk_mode(conn):
        ingest.insert_many(
            conn,
            [
                (
                    {
                        **pairs[0][0],
                        "warc_record_id": "<urn:uuid:x>",
                        "url": "https://example.org/x.html",
                    },
                    {**pairs[0][1], "url": "https://example.org/x.html"},
                )
            ],
        )
        raise RuntimeError("load failed")
    ingest.optimize(conn)
    assert (
        conn.execute("SELECT v FROM documents_fts_config WHERE k = 'automerge'").fetchone()[0]
        == ingest.DEFAULT_AUTOMERGE
    )
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents_ai'").fetchone()[0]
        == 1
    )
    conn.close()
    with Archive(path) as a:
        assert a.count("harbour") == 50 and a.count() == 50  # the failed load left nothing
        assert [h.title for h in a.search("number7")] == ["Story 7"]
        assert [h.title for h in a.search("number45")] == ["Story 45"]
        assert {d.site for d in a.documents()} == {"example.org"}
