"""``archiver repair`` (and the repair a crawl does at its start) on the exact debris a
crash leaves: an ``.open`` WARC file ending in a partial record, records whose rows
were never committed, a crawl row still ``running``."""

from __future__ import annotations

import fcntl
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from archiver.warc import RawRecord, iter_records
from tests.conftest import run_archiver
from tests.ops.test_ops import archive, copy_archive, rows, verify_json  # noqa: F401

pytestmark = pytest.mark.e2e


def crash(db: Path, warc_dir: Path, lost_rows: int = 3) -> dict[str, Any]:
    """Make the last crawl's archive look like it was killed mid-write: its last file
    ``.open`` with half a record at the end, its last rows (and their documents)
    never committed, its row ``running``."""
    crawl_id = rows(db, "SELECT max(id) FROM crawls")[0][0]
    name = rows(
        db,
        "SELECT warc_file FROM captures WHERE crawl_id = ? ORDER BY id DESC LIMIT 1",
        (crawl_id,),
    )[0][0]
    lost = rows(
        db,
        "SELECT id, warc_record_id, url FROM captures WHERE crawl_id = ? ORDER BY id DESC LIMIT ?",
        (crawl_id, lost_rows),
    )
    conn = sqlite3.connect(db)
    with conn:
        for capture_id, _rid, _url in lost:
            conn.execute("DELETE FROM documents WHERE capture_id = ?", (capture_id,))
            conn.execute("DELETE FROM failures WHERE warc_record_id = ?", (_rid,))
            conn.execute(
                "UPDATE captures SET revisit_of = NULL WHERE revisit_of = ?", (capture_id,)
            )
            conn.execute("DELETE FROM captures WHERE id = ?", (capture_id,))
        conn.execute(
            "UPDATE crawls SET status = 'running', finished_at = NULL, stats = NULL WHERE id = ?",
            (crawl_id,),
        )
    conn.close()
    path = warc_dir / name
    size = path.stat().st_size
    first = next(r for r in iter_records(path) if isinstance(r, RawRecord) and r.type == "response")
    with open(path, "rb") as fh:
        fh.seek(first.offset)
        member = fh.read(first.length)
    with open(path, "ab") as fh:
        fh.write(member[: len(member) // 2])  # the kill came in the middle of a write
    path.rename(path.with_name(name + ".open"))
    return {"crawl_id": crawl_id, "file": name, "size": size, "lost": sorted(r[1] for r in lost)}


def test_repair_makes_verify_clean(archive: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    db, warc_dir = copy_archive(archive, tmp_path)
    docs_before = rows(db, "SELECT count(*) FROM documents")[0][0]
    wreck = crash(db, warc_dir)
    code, report = verify_json(db, warc_dir)
    assert code == 1
    kinds = {p["kind"] for p in report["problems"]}
    assert "open_file" in kinds, kinds
    proc = run_archiver("repair", "--db", str(db), "--warc-dir", str(warc_dir), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["closed"] == [wreck["file"]]
    assert result["bytes_cut"] > 0
    assert result["interrupted"] == [wreck["crawl_id"]]
    assert result["captures"] + result["revisits"] == len(wreck["lost"])
    # the file is back to its last complete record, closed, and every record has its row
    assert (warc_dir / wreck["file"]).stat().st_size == wreck["size"]
    assert not list(warc_dir.glob("*.open"))
    code, report = verify_json(db, warc_dir)
    assert code == 0, report["problems"]
    back = rows(
        db,
        "SELECT warc_record_id, crawl_id FROM captures WHERE warc_record_id IN "
        f"({','.join('?' * len(wreck['lost']))})",
        tuple(wreck["lost"]),
    )
    assert sorted(r[0] for r in back) == wreck["lost"]
    assert {r[1] for r in back} == {wreck["crawl_id"]}  # rows go to the crawl of the file
    assert (
        rows(db, "SELECT status FROM crawls WHERE id = ?", (wreck["crawl_id"],))[0][0]
        == "interrupted"
    )
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == docs_before
    # nothing left to do the second time
    again = json.loads(
        run_archiver(
            "repair", "--db", str(db), "--warc-dir", str(warc_dir), "--format", "json"
        ).stdout
    )
    assert not again["closed"] and not again["captures"] and not again["interrupted"]


def test_replay_tools_read_the_repaired_file(
    archive: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    wreck = crash(db, warc_dir)
    assert run_archiver("repair", "--db", str(db), "--warc-dir", str(warc_dir)).returncode == 0
    cdx = run_archiver("cdx", "--warc-dir", str(warc_dir))
    assert cdx.returncode == 0
    assert wreck["file"] in cdx.stdout
    fresh = tmp_path / "fresh.db"
    reindex = run_archiver("reindex", str(warc_dir), "--db", str(fresh), "-q")
    assert reindex.returncode == 0, reindex.stderr
    assert (
        rows(fresh, "SELECT count(*) FROM captures WHERE warc_file = ?", (wreck["file"],))[0][0] > 0
    )


def test_open_file_of_a_live_writer_is_left_alone(
    archive: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    live = warc_dir / "other-crawl.warc.gz.open"
    live.write_bytes(b"")
    with open(live, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = json.loads(
            run_archiver(
                "repair", "--db", str(db), "--warc-dir", str(warc_dir), "--format", "json"
            ).stdout
        )
    assert result["in_use"] == [live.name] and live.exists()


def test_crawl_repairs_at_its_start(archive: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    db, warc_dir = copy_archive(archive, tmp_path)
    wreck = crash(db, warc_dir)
    run = run_archiver(
        "crawl",
        archive["url"],
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--delay",
        "0",
        "--prefix",
        "ops",
        "-q",
    )
    # (the site's server is gone: nothing is fetched, but the repair is done first)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert (
        rows(db, "SELECT status FROM crawls WHERE id = ?", (wreck["crawl_id"],))[0][0]
        == "interrupted"
    )
    assert not list(warc_dir.glob("*.open"))
    code, report = verify_json(db, warc_dir)
    assert code == 0, report["problems"]


def test_repair_user_errors(tmp_path: Path) -> None:
    proc = run_archiver("repair", "--db", str(tmp_path / "none.db"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_reextract_missing_restores_lost_extractions(
    archive: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    """Captures committed before their extraction finished get their documents; a
    revisit of a page without any document gets its text from the original record."""
    db, warc_dir = copy_archive(archive, tmp_path)
    first = rows(db, "SELECT min(id) FROM crawls")[0][0]
    lost = rows(
        db,
        "SELECT d.id, d.url FROM documents d JOIN captures c ON c.id = d.capture_id"
        " WHERE c.crawl_id = ? AND d.url LIKE '%/news/story-%' ORDER BY d.id "
        "LIMIT 3",
        (first,),
    )
    revisited = rows(
        db, "SELECT url FROM captures WHERE record_type = 'revisit' AND url = ?", (lost[0][1],)
    )
    assert revisited  # the second crawl found that page unchanged
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i, _u in lost])
    conn.close()
    proc = run_archiver(
        "reextract",
        "--missing",
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--format",
        "json",
        "-j",
        "1",
    )
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found["documents"] == len(lost)
    urls = {u for _i, u in lost}
    back = rows(
        db, f"SELECT url FROM documents WHERE url IN ({','.join('?' * len(urls))})", tuple(urls)
    )
    assert sorted(u for (u,) in back) == sorted(urls)  # each exactly once
    again = json.loads(
        run_archiver(
            "reextract",
            "--missing",
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--format",
            "json",
            "-j",
            "1",
        ).stdout
    )
    assert again["documents"] == 0
