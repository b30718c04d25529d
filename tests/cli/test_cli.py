"""The command line: demo, extract, help (the docs staying honest: tests/test_docs.py)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from tests.conftest import ROOT, SITE_EXIT, article_html, run_archiver


def test_help_for_every_command() -> None:
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_demo_runs_offline(tmp_path: Path) -> None:
    proc = run_archiver("demo", "--out", str(tmp_path / "demo"), cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "pages fetched" in proc.stdout
    assert "Full-text search" in proc.stdout and "<http://127.0.0.1:" in proc.stdout
    manifest = json.loads((ROOT / "archiver" / "demo" / "site" / "manifest.json").read_text())
    conn = sqlite3.connect(tmp_path / "demo" / "archive.db")
    try:
        articles = conn.execute(
            "SELECT count(*) FROM documents WHERE page_type = 'article'"
        ).fetchone()[0]
        urls = {r[0] for r in conn.execute("SELECT url FROM captures")}
    finally:
        conn.close()
    assert articles >= 20
    paths = {u.split("/", 3)[-1] for u in urls}
    entries = manifest.get("articles", [])
    assert len(entries) >= 20
    missing = [a for a in entries if a["path"].lstrip("/") not in paths]
    assert not missing, missing[:3]
    assert list((tmp_path / "demo" / "warc").glob("demo-*.warc.gz"))


def test_extract_file_and_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_html(4, extra="<p>Closing words of the piece.</p>"))
    proc = run_archiver(
        "extract", str(page), "--format", "json", "--url", "http://example.org/news/story-4.html"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["title"].startswith("Story 4")
    assert "Closing words of the piece." in doc["text"]
    assert "We use cookies" not in doc["text"]
    proc = run_archiver("extract", "-", stdin=page.read_text())
    assert proc.returncode == 0 and "Closing words of the piece." in proc.stdout


def test_extract_archived_page(site: Any, crawl: Any) -> None:
    run = crawl(site.url("/"), "--no-requisites")
    assert run.returncode == SITE_EXIT, run.stderr
    url = site.url("/gz.html")  # stored gzip-encoded: decoded before extraction
    proc = run_archiver(
        "extract", url, "--db", str(run.db), "--warc-dir", str(run.warc_dir), "--format", "markdown"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Gzipped story")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "no-such-file.html"], "no such file"),
        (["extract", "http://example.org/x", "--db", "missing.db"], "does not exist"),
    ],
    ids=["missing-file", "missing-archive"],
)
def test_extract_errors(args: list[str], message: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "archiver", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert re.fullmatch(r"error: .*\n", proc.stderr) and message in proc.stderr


def test_command_works_outside_the_project_root(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("archiver")
    proc = subprocess.run([str(exe), "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and "archiver" in proc.stdout
