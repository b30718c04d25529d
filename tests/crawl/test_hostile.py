"""Hostile servers: traps are bounded by default and every refusal has a reason."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer, content
from tests.conftest import article_html, run_archiver

pytestmark = pytest.mark.e2e

SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def stats(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        return json.loads(conn.execute("SELECT stats FROM crawls ORDER BY id DESC").fetchone()[0])
    finally:
        conn.close()


def test_endless_chain_of_sitemap_indexes_is_bounded(tmp_path: Path) -> None:
    """Each index lists the next one and an article: followed 3 levels deep, no more."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(article_html(1))
    routes: dict[str, Any] = {}
    for n in range(40):
        body = (
            f'<?xml version="1.0"?><sitemapindex {SM}>'
            f"<sitemap><loc>/sm/{n + 1}.xml</loc></sitemap>"
            f"<sitemap><loc>/sm/pages-{n}.xml</loc></sitemap></sitemapindex>"
        )
        routes[f"/sm/{n}.xml"] = content(body, "application/xml")
        routes[f"/sm/pages-{n}.xml"] = content(
            f'<?xml version="1.0"?><urlset {SM}><url><loc>/a-{n}.html</loc></url></urlset>',
            "application/xml",
        )
        routes[f"/a-{n}.html"] = content(article_html(n + 10))
    routes["/robots.txt"] = content("User-agent: *\nAllow: /\nSitemap: /sm/0.xml\n", "text/plain")
    db = tmp_path / "a.db"
    with SiteServer(root, routes=routes) as server:
        proc = run_archiver("crawl", server.url("/"), "--db", str(db), "--delay", "0", cwd=tmp_path)
        fetched = [r.path for r in server.requests if r.path.startswith("/sm/")]
    assert proc.returncode in (0, 8), proc.stderr
    indexes = sorted(p for p in fetched if not p.startswith("/sm/pages"))
    # /sm/0.xml from robots.txt, then 3 levels of nested indexes: /sm/1 … /sm/3
    assert indexes == ["/sm/0.xml", "/sm/1.xml", "/sm/2.xml", "/sm/3.xml"], fetched
    got = stats(db)
    assert got["archiver/refused/sitemap-nesting"] >= 1
    assert "sitemap-nesting" in proc.stderr  # said once, with the reason


def test_no_sitemaps_once_the_budget_is_spent(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(article_html(1))
    routes: dict[str, Any] = {
        "/robots.txt": content("User-agent: *\nSitemap: /index.xml\n", "text/plain"),
    }
    listed = "".join(f"<sitemap><loc>/part-{n}.xml.gz</loc></sitemap>" for n in range(30))
    routes["/index.xml"] = content(
        f'<?xml version="1.0"?><sitemapindex {SM}>{listed}</sitemapindex>', "application/xml"
    )
    for n in range(30):
        urlset = f'<?xml version="1.0"?><urlset {SM}><url><loc>/p-{n}.html</loc></url></urlset>'
        routes[f"/part-{n}.xml.gz"] = content(gzip.compress(urlset.encode()), "application/x-gzip")
        routes[f"/p-{n}.html"] = content(article_html(n + 100))
    db = tmp_path / "a.db"
    with SiteServer(root, routes=routes) as server:
        proc = run_archiver(
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--delay",
            "0",
            "--max-pages",
            "1",
            cwd=tmp_path,
        )
        parts = [r.path for r in server.requests if r.path.startswith("/part-")]
    assert proc.returncode in (0, 8), proc.stderr
    # the seed took the one page of the budget: the index's 30 sitemaps are not fetched
    assert parts == [], parts
    assert stats(db)["archiver/refused/budget-spent"] >= 1
