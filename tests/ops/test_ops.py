"""Ops commands on a real crawl of the local test site: verify, reindex, reextract,
cdx, wacz, export-warc; damaged WARC files, WARC files written by other tools."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer
from archiver.ops import pywb_env
from archiver.ops.verify import RawRecord, iter_records
from tests.conftest import SITE_EXIT, article_html, build_site, free_port, run_archiver, site_routes

pytestmark = pytest.mark.e2e

VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = VENV_BIN / name
    return str(found) if found.exists() else name


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Crawl the test site twice (story 2 changes in between: revisits for the rest)."""
    root = tmp_path_factory.mktemp("site")
    build_site(root)
    work = tmp_path_factory.mktemp("archive")
    db, warc_dir = work / "archive.db", work / "warc"
    with SiteServer(root, routes=site_routes()) as server:
        args = [
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "--prefix",
            "ops",
            "-q",
        ]
        first = run_archiver(*args, cwd=work)
        assert first.returncode == SITE_EXIT, first.stderr
        (root / "news" / "story-2.html").write_text(
            article_html(2, extra="<p>Update: the council voted to approve the plan.</p>")
        )
        second = run_archiver(*args, cwd=work)
        assert second.returncode == SITE_EXIT, second.stderr
        url = server.url("/")
    return {
        "db": db,
        "warc_dir": warc_dir,
        "work": work,
        "url": url,
        "site": url.split("//", 1)[1].rstrip("/"),
    }


def copy_archive(archive: dict[str, Any], dest: Path) -> tuple[Path, Path]:
    db, warc_dir = dest / "archive.db", dest / "warc"
    src = sqlite3.connect(archive["db"])
    out = sqlite3.connect(db)
    src.backup(out)
    src.close()
    out.close()
    shutil.copytree(archive["warc_dir"], warc_dir)
    return db, warc_dir


def verify_json(db: Path, warc_dir: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = run_archiver(
        "verify", "--db", str(db), "--warc-dir", str(warc_dir), "--format", "json", *extra
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


# -- verify -----------------------------------------------------------------------
def test_verify_clean_archive(archive: dict[str, Any]) -> None:
    proc = run_archiver(
        "verify", "--db", str(archive["db"]), "--warc-dir", str(archive["warc_dir"])
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verify: ok" in proc.stdout
    code, report = verify_json(archive["db"], archive["warc_dir"])
    assert code == 0 and report["ok"]
    n = rows(archive["db"], "SELECT count(*) FROM captures")[0][0]
    assert report["rows"] == report["rows_ok"] == n
    assert report["block_digests_ok"] == report["records"] > n


def test_verify_names_flipped_byte_and_truncated_file(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    first, second = sorted(warc_dir.glob("*.warc.gz"))
    # flip one byte inside a response record's gzip member of the first file
    offset, length = rows(
        db,
        "SELECT warc_offset, warc_length FROM captures WHERE "
        "warc_file = ? AND record_type = 'response' ORDER BY "
        "warc_length DESC LIMIT 1",
        (first.name,),
    )[0]
    data = bytearray(first.read_bytes())
    data[offset + length // 2] ^= 0xFF
    first.write_bytes(bytes(data))
    # cut the second file in the middle of its last record
    size = second.stat().st_size
    with open(second, "r+b") as fh:
        fh.truncate(size - 40)
    code, report = verify_json(db, warc_dir)
    assert code == 1 and not report["ok"]
    by_file: dict[str, set[str]] = {}
    for p in report["problems"]:
        by_file.setdefault(p["file"], set()).add(p["kind"])
    assert by_file[first.name] & {"corrupt", "block_digest", "payload_digest"}
    assert "truncated" in by_file[second.name]
    proc = run_archiver("verify", "--db", str(db), "--warc-dir", str(warc_dir))
    assert proc.returncode == 1
    assert first.name in proc.stdout and second.name in proc.stdout


def test_verify_digest_mismatch_open_dangling_orphan(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    first, second = sorted(warc_dir.glob("*.warc.gz"))
    # rewrite one record's body (same length) and recompress its member: the gzip is
    # valid, the digests are not
    rec = next(
        r
        for r in iter_records(first)
        if isinstance(r, RawRecord) and r.type == "response" and b"Paragraph 3" in r.block
    )
    raw = first.read_bytes()
    member = zlib.decompressobj(31).decompress(raw[rec.offset : rec.offset + rec.length])
    assert b"Paragraph 3" in member
    bad = zlib.compressobj(6, zlib.DEFLATED, 31)
    newmember = bad.compress(member.replace(b"Paragraph 3", b"Paragraph X")) + bad.flush()
    first.write_bytes(raw[: rec.offset] + newmember + raw[rec.offset + rec.length :])
    # a file left open by a crashed crawl, and a deleted one
    os.rename(second, Path(f"{second}.open"))
    extra = warc_dir / "other.warc.gz"
    shutil.copy(Path(f"{second}.open"), extra)
    code, report = verify_json(db, warc_dir)
    assert code == 1
    kinds = {(p["kind"], p["file"]) for p in report["problems"]}
    assert ("block_digest", first.name) in kinds
    assert ("payload_digest", first.name) in kinds
    mismatch = [p for p in report["problems"] if p["kind"] == "payload_digest"]
    assert mismatch[0]["record_id"] == rec.record_id
    assert ("open_file", f"{second.name}.open") in kinds
    assert ("orphan", "other.warc.gz") in kinds  # records without rows
    # rows of a missing file are dangling
    Path(f"{second}.open").unlink()
    code, report = verify_json(db, warc_dir)
    assert code == 1
    assert any(p["kind"] == "dangling" and p["file"] == second.name for p in report["problems"])


def test_verify_errors_are_one_line(tmp_path: Path) -> None:
    proc = run_archiver("verify", "--db", str(tmp_path / "nope.db"), "--warc-dir", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    proc = run_archiver("verify", "--warc-dir", str(tmp_path / "missing"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")


# -- reindex ----------------------------------------------------------------------
CAPTURE_KEY = (
    "SELECT url, fetched_at, payload_digest, warc_file, warc_offset, warc_length, "
    "status, mime_type, content_length, record_type, ip_address, warc_record_id "
    "FROM captures"
)


def test_reindex_rebuilds_the_same_archive_and_is_idempotent(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    new = tmp_path / "new.db"
    proc = run_archiver("reindex", str(archive["warc_dir"]), "--db", str(new), "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert set(rows(new, CAPTURE_KEY)) == set(rows(archive["db"], CAPTURE_KEY))
    revisit = (
        "SELECT a.warc_record_id, b.warc_record_id FROM captures a "
        "LEFT JOIN captures b ON b.id = a.revisit_of"
    )
    assert set(rows(new, revisit)) == set(rows(archive["db"], revisit))
    docs = "SELECT url, text_hash, text, title, page_type FROM documents"
    assert sorted(rows(new, docs)) == sorted(rows(archive["db"], docs))
    assert (
        rows(new, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'council'")[0][0]
        > 0
    )
    crawls = rows(new, "SELECT status, settings FROM crawls")
    assert len(crawls) == 1 and crawls[0][0] == "ok" and "reindex" in crawls[0][1]
    # twice: nothing added
    counts = (
        "SELECT (SELECT count(*) FROM captures), (SELECT count(*) FROM documents), "
        "(SELECT count(*) FROM crawls)"
    )
    before = rows(new, counts)
    again = run_archiver("reindex", str(archive["warc_dir"]), "--db", str(new), "-j", "1")
    assert again.returncode == 0, again.stderr
    assert rows(new, counts) == before
    # and the rebuilt archive verifies
    code, report = verify_json(new, archive["warc_dir"])
    assert code == 0, report["problems"][:3]


def test_reindex_non_html_and_revisit_records(archive: dict[str, Any], tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    files = sorted(str(p) for p in archive["warc_dir"].glob("*.warc.gz"))
    proc = run_archiver("reindex", *reversed(files), "--db", str(new), "-q")  # originals last
    assert proc.returncode == 0, proc.stderr
    mimes = dict(rows(new, "SELECT url, mime_type FROM captures WHERE record_type='response'"))
    png = [u for u in mimes if u.endswith("logo.png")]
    pdf = [u for u in mimes if u.endswith("report.pdf")]
    assert png and mimes[png[0]] == "image/png"
    assert pdf and mimes[pdf[0]] == "application/pdf"
    assert (
        rows(
            new,
            "SELECT count(*) FROM documents WHERE url LIKE '%.png' OR url LIKE "
            "'%.pdf' OR url LIKE '%.css'",
        )[0][0]
        == 0
    )
    # revisits resolved to their originals even though those were read later
    assert rows(new, "SELECT count(*) FROM captures WHERE record_type = 'revisit'")[0][0] > 5
    assert (
        rows(
            new,
            "SELECT count(*) FROM captures WHERE record_type = 'revisit' AND revisit_of IS NULL",
        )[0][0]
        == 0
    )


def test_reindex_truncated_last_record(archive: dict[str, Any], tmp_path: Path) -> None:
    src = sorted(archive["warc_dir"].glob("*.warc.gz"))[0]
    warc_dir = tmp_path / "w"
    warc_dir.mkdir()
    cut = warc_dir / src.name
    data = src.read_bytes()
    cut.write_bytes(data[: len(data) - 100])
    new = tmp_path / "new.db"
    proc = run_archiver("reindex", str(warc_dir), "--db", str(new))
    assert proc.returncode == 0, proc.stderr
    assert "truncated" in proc.stderr
    full = rows(archive["db"], "SELECT count(*) FROM captures WHERE warc_file = ?", (src.name,))[0][
        0
    ]
    got = rows(new, "SELECT count(*) FROM captures")[0][0]
    assert full - 1 <= got <= full
    code, report = verify_json(new, warc_dir)
    assert code == 1 and any(p["kind"] == "truncated" for p in report["problems"])


def test_reindex_user_errors(archive: dict[str, Any], tmp_path: Path) -> None:
    proc = run_archiver(
        "reindex", str(tmp_path / "missing.warc.gz"), "--db", str(tmp_path / "x.db")
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    proc = run_archiver(
        "reindex",
        str(archive["warc_dir"]),
        "--db",
        str(tmp_path / "x.db"),
        "--warc-dir",
        str(tmp_path),
    )
    assert proc.returncode == 1 and "not inside --warc-dir" in proc.stderr
    assert "Traceback" not in proc.stderr


def _foreign_site(tmp_path: Path) -> SiteServer:
    root = tmp_path / "fsite"
    build_site(root)
    return SiteServer(root, routes=site_routes())


def test_reindex_warc_written_by_warcio_capture_http(tmp_path: Path) -> None:
    import http.client

    from warcio.capture_http import capture_http

    warc_dir = tmp_path / "foreign"
    warc_dir.mkdir()
    path = warc_dir / "capture.warc.gz"
    with _foreign_site(tmp_path) as server, capture_http(str(path)):
        # http.client looked up at call time: capture_http patches it (requests
        # imported before capture_http would bypass the patch)
        for p in (
            "/",
            "/news/story-1.html",
            "/chunked.html",
            "/gz.html",
            "/static/logo.png",
            "/gone.html",
        ):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", p, headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
            conn.close()
    new = tmp_path / "f.db"
    proc = run_archiver("reindex", str(warc_dir), "--db", str(new))
    assert proc.returncode == 0, proc.stderr
    caps = {
        u.rsplit("/", 1)[-1]: (s, m)
        for u, s, m in rows(new, "SELECT url, status, mime_type FROM captures")
    }
    assert caps["gone.html"][0] == 404 and caps["logo.png"][1] == "image/png"
    texts = dict(rows(new, "SELECT url, text FROM documents"))
    chunked = [t for u, t in texts.items() if u.endswith("chunked.html")]
    gz = [t for u, t in texts.items() if u.endswith("gz.html")]
    assert chunked and "Paragraph 0 of story 60" in chunked[0]
    assert gz and "Paragraph 0 of story 70" in gz[0]
    assert any("Paragraph 0 of story 1." in t for t in texts.values())
    code, report = verify_json(new, warc_dir)
    assert code == 0, report["problems"][:3]


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_reindex_warc_written_by_wget(tmp_path: Path) -> None:
    warc_dir = tmp_path / "wget"
    warc_dir.mkdir()
    with _foreign_site(tmp_path) as server:
        subprocess.run(
            [
                "wget",
                "-q",
                "--no-proxy",
                "--warc-file",
                str(warc_dir / "wget"),
                "-O",
                os.devnull,
                server.url("/news/story-3.html"),
                server.url("/static/logo.png"),
            ],
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert (warc_dir / "wget.warc.gz").exists()
    new = tmp_path / "w.db"
    proc = run_archiver("reindex", str(warc_dir), "--db", str(new))
    assert proc.returncode == 0, proc.stderr
    texts = [t for (t,) in rows(new, "SELECT text FROM documents")]
    assert any("Paragraph 0 of story 3." in t for t in texts)
    assert rows(new, "SELECT count(*) FROM captures")[0][0] == 2


# -- reextract --------------------------------------------------------------------
def test_reextract_cli(archive: dict[str, Any], tmp_path: Path) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    before = rows(db, "SELECT * FROM documents ORDER BY id")
    proc = run_archiver(
        "reextract",
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--extractor-version-below",
        "1",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["selected"] == 0
    proc = run_archiver(
        "reextract",
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--extractor-version-below",
        "2",
        "--site",
        archive["site"],
    )
    assert proc.returncode == 0, proc.stderr
    assert f"re-extracted {len(before)} document(s)" in proc.stdout
    assert "0 text(s) changed" in proc.stdout
    assert rows(db, "SELECT * FROM documents ORDER BY id") == before
    bad = run_archiver(
        "reextract",
        "--db",
        str(db),
        "--warc-dir",
        str(warc_dir),
        "--extractor-version-below",
        "two",
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")


def test_reextract_new_versions(
    archive: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archiver.extract as extract_mod
    from archiver.ops.reindex import reextract

    db, warc_dir = copy_archive(archive, tmp_path)
    before = rows(db, "SELECT * FROM documents ORDER BY id")
    real = extract_mod.extract

    def new_extractor(html: Any, url: str | None = None, headers: Any = None) -> Any:
        doc = real(html, url=url, headers=headers)
        doc.extractor = "archiver-extract/2 trafilatura/test"
        if url and "story-1" in url:
            doc.text += "\n\nA better extractor found this."
            doc.text_hash = extract_mod.text_hash(doc.text)
        return doc

    monkeypatch.setattr(extract_mod, "extract", new_extractor)
    monkeypatch.setattr(extract_mod, "EXTRACTOR", "archiver-extract/2 trafilatura/test")
    result = reextract(db, warc_dir, below="2", processes=0)
    assert result.selected == len(before)
    changed = [r for r in before if "story-1" in r[2]]
    assert result.changed == len(changed) >= 1
    assert result.unchanged == len(before) - len(changed)
    after = rows(db, "SELECT * FROM documents ORDER BY id")
    assert after[: len(before)] == before  # old versions untouched
    added = rows(db, "SELECT url, extractor, text FROM documents WHERE id > ?", (before[-1][0],))
    assert all(e.startswith("archiver-extract/2") for _u, e, _t in added)
    assert all("A better extractor" in t for _u, _e, t in added)
    # the new version is now above the limit: nothing left below 2 with changes
    again = reextract(db, warc_dir, below="2", since="2000-01-01", processes=0)
    assert again.changed == 0


# -- cdx, wacz, export-warc -------------------------------------------------------
def test_cdx(archive: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "index.cdxj"
    proc = run_archiver("cdx", "--warc-dir", str(archive["warc_dir"]), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    n = rows(archive["db"], "SELECT count(*) FROM captures")[0][0]
    assert len(lines) == n
    assert lines == sorted(lines)
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines]
    locs = {(e["filename"], int(e["offset"]), int(e["length"])) for e in entries}
    assert locs == set(
        rows(archive["db"], "SELECT warc_file, warc_offset, warc_length FROM captures")
    )
    stdout = run_archiver("cdx", "--warc-dir", str(archive["warc_dir"]))
    assert stdout.stdout.splitlines() == lines


def pywb_serves(archive_dir: Path, index_file: Path, url: str, ts: str, root: Path) -> str:
    """Serve ``archive_dir`` with ``index_file`` through pywb; return the replayed page."""
    idx = root / "indexes"
    idx.mkdir(parents=True)
    shutil.copy(index_file, idx / "index.cdxj")
    (root / "config.yaml").write_text(
        json.dumps(
            {
                "collections": {
                    "pkg": {"index_paths": str(idx) + "/", "archive_paths": str(archive_dir) + "/"}
                },
                "framed_replay": False,
            }
        )
    )
    port = free_port()
    proc = subprocess.Popen(
        [str(pywb_env.require_wayback()), "-b", "127.0.0.1", "-p", str(port), "-d", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/pkg/{ts}/{url}", timeout=10
                ) as resp:
                    return resp.read().decode("utf-8", "replace")
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(10)


def test_wacz_validates_and_pywb_loads_it(archive: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "all.wacz"
    proc = run_archiver(
        "wacz", str(out), "--db", str(archive["db"]), "--warc-dir", str(archive["warc_dir"])
    )
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(
        [tool("wacz"), "validate", "-f", str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "valid" in check.stdout
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        package = json.loads(zf.read("datapackage.json"))
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").splitlines()]
        zf.extractall(tmp_path / "unz")
    assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
    assert {r["path"] for r in package["resources"]} == set(names) - {
        "datapackage.json",
        "datapackage-digest.json",
    }
    assert pages[0]["format"] == "json-pages-1.0"
    story = [p for p in pages[1:] if p["url"].endswith("story-3.html")]
    assert story and story[0]["title"].startswith("Story 3") and "Paragraph 0" in story[0]["text"]
    # pywb replays a page from the package's own WARC files and index
    index = tmp_path / "index.cdxj"
    index.write_bytes(gzip.decompress((tmp_path / "unz/indexes/index.cdx.gz").read_bytes()))
    ts = "".join(c for c in story[0]["ts"] if c.isdigit())[:14]
    html = pywb_serves(tmp_path / "unz/archive", index, story[0]["url"], ts, tmp_path / "pywb")
    assert "Paragraph 0 of story 3." in html
    # filters: one file holding the selection
    part = tmp_path / "part.wacz"
    proc = run_archiver(
        "wacz",
        "-o",
        str(part),
        "--db",
        str(archive["db"]),
        "--warc-dir",
        str(archive["warc_dir"]),
        "--site",
        archive["site"],
        "--fetched-since",
        "2000-01-01",
    )
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(
        [tool("wacz"), "validate", "-f", str(part)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    none = run_archiver(
        "wacz",
        str(tmp_path / "none.wacz"),
        "--db",
        str(archive["db"]),
        "--warc-dir",
        str(archive["warc_dir"]),
        "--fetched-until",
        "2000-01-01",
    )
    assert none.returncode == 1 and none.stderr.startswith("error: ")


def test_wacz_of_damaged_warc_is_a_one_line_error(archive: dict[str, Any], tmp_path: Path) -> None:
    db, warc_dir = copy_archive(archive, tmp_path)
    first = sorted(warc_dir.glob("*.warc.gz"))[0]
    [(offset,)] = rows(
        db,
        "SELECT warc_offset FROM captures WHERE warc_file = ? ORDER BY warc_length DESC LIMIT 1",
        (first.name,),
    )
    data = bytearray(first.read_bytes())
    for i in range(offset, offset + 16):  # the gzip header of a record
        data[i] ^= 0xFF
    first.write_bytes(bytes(data))
    proc = run_archiver(
        "wacz", str(tmp_path / "bad.wacz"), "--db", str(db), "--warc-dir", str(warc_dir)
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "bad.wacz").exists()


def test_export_warc(archive: dict[str, Any], tmp_path: Path) -> None:
    second_crawl = rows(archive["db"], "SELECT max(crawl_id) FROM captures")[0][0]
    since = rows(
        archive["db"], "SELECT min(fetched_at) FROM captures WHERE crawl_id = ?", (second_crawl,)
    )[0][0]
    out = tmp_path / "out.warc.gz"
    proc = run_archiver(
        "export-warc",
        "--output",
        str(out),
        "--db",
        str(archive["db"]),
        "--warc-dir",
        str(archive["warc_dir"]),
        "--site",
        archive["site"],
        "--fetched-since",
        since,
    )
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(
        [tool("warcio"), "check", "-v", str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    recs = [r for r in iter_records(out) if isinstance(r, RawRecord)]
    assert recs[0].type == "warcinfo"
    ids = {r.record_id for r in recs}
    selected = rows(
        archive["db"], "SELECT warc_record_id FROM captures WHERE fetched_at >= ?", (since,)
    )
    assert {i for (i,) in selected} <= ids
    # revisits travel with the originals they refer to, and every response with its request
    for r in recs:
        if r.type == "revisit":
            assert r.headers["warc-refers-to"] in ids
    responses = {r.record_id for r in recs if r.type in ("response", "revisit")}
    requests = {r.headers.get("warc-concurrent-to") for r in recs if r.type == "request"}
    assert responses == requests
    assert any(r.type == "revisit" for r in recs)
    # the export reindexes to the same captures (at new locations)
    new = tmp_path / "x.db"
    assert run_archiver("reindex", str(out), "--db", str(new), "-q").returncode == 0
    assert len(rows(new, "SELECT id FROM captures")) == len(responses)
    bad = run_archiver(
        "export-warc",
        str(tmp_path / "bad.warc"),
        "--db",
        str(archive["db"]),
        "--warc-dir",
        str(archive["warc_dir"]),
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")
