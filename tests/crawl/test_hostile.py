"""Hostile servers: traps are bounded by default and every refusal has a reason."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer, content
from tests.conftest import article_html, free_port, processes, run_archiver
from tests.crawl.hostile_server import (
    Hostile,
    calendar,
    drip,
    gzip_bomb,
    huge_head,
    page,
    raw,
    redirect,
    send,
    stream,
    xml,
)

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


# -- the hostile-server suite -----------------------------------------------------------------
# Six crawls against hostile servers (127.0.0.1), each measured: the peak resident memory
# of the whole process tree (crawl and extraction workers, /proc), polled every 20 ms.
# Each case below checks that its crawl finished, that the normal article of its site was
# kept (a document), that memory stayed under MEMORY_LIMIT and that its reason is recorded.

MEMORY_LIMIT = 500 * 1024 * 1024
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
MALFORMED = [
    "http://user:secret@127.0.0.1:{port}/creds.html",
    "http://[bad/x.html",
    "http://127.0.0.1:99999/port.html",
    "http://exa mple.com/space.html",
    "http://xn--/idna.html",
    "http://a..b/empty-label.html",
    "http:///no-host.html",
    "javascript:alert(1)",
    "mailto:someone@example.org",
]


def tree_memory(pid: int) -> int:
    """Memory (bytes) of ``pid`` and all its descendants, from /proc: the sum of their
    proportional set sizes (a page shared by forked processes counted once in all),
    or of their resident sizes where the kernel gives no PSS."""
    children: dict[int, list[int]] = {}
    for child, (parent, _state) in processes().items():
        children.setdefault(parent, []).append(child)
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, ()))
        for name, field in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
            try:
                with open(f"/proc/{p}/{name}", "rb") as fh:
                    found = [line for line in fh if line.startswith(field)]
            except OSError:
                continue
            if found:
                total += int(found[0].split()[1]) * 1024
                break
    return total


@dataclass
class Measured:
    returncode: int
    stderr: str
    peak: int
    db: Path


def crawl_measured(tmp: Path, name: str, *args: str, timeout: float = 120) -> Measured:
    """``archiver crawl ARGS`` into ``tmp/NAME.db``, with the tree's peak memory."""
    db = tmp / f"{name}.db"
    cmd = [sys.executable, "-m", "archiver", "crawl", *args, "--db", str(db), "--delay", "0"]
    err = tmp / f"{name}.err"
    with open(err, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=fh)
        peak, deadline = 0, time.monotonic() + timeout
        while proc.poll() is None:
            peak = max(peak, tree_memory(proc.pid))
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise AssertionError(f"crawl {name} did not finish in {timeout} s")
            time.sleep(0.02)
    return Measured(proc.returncode, err.read_text(errors="replace"), peak, db)


def page_bytes(body: bytes) -> Any:
    return lambda h: send(h, 200, body)


def main_routes(other: str) -> dict[str, Any]:
    """The trap site: every case is linked from the home page, next to a normal article."""
    cases = [
        "/article.html",
        "/calendar?month=2026-01",
        "/sess/list.html?sid=0a1b2c3d4e5f",
        "/loop/",
        "/huge-head.html",
        "/slow-drip.html",
        "/retry-429.html",
        "/retry-503.html",
        "/redir/0",
        "/loop-a.html",
        "/away.html",
        "/bad-redirect.html",
        "/malformed.html",
        "/length-lie.html",
        "/truncated.html",
        "/bad-chunked.html",
        "/bad-encoding.html",
        "/unknown-encoding.html",
        "/bad-status.html",
        "/garbage.html",
        "/deep.html",
    ]
    home = "".join(f'<a href="{c}">{c}</a> ' for c in cases)
    tried: dict[str, int] = {}

    def retry_429(h: Any) -> None:
        tried["429"] = tried.get("429", 0) + 1
        if tried["429"] == 1:
            send(h, 429, "slow down", headers={"Retry-After": "1"})
        else:
            send(h, 200, article_html(429, "Patience rewarded"))

    def session(h: Any) -> None:
        token = os.urandom(6).hex()
        send(
            h,
            200,
            f'<html><body><a href="/sess/list.html?sid={token}">again</a>'
            f' <a href="/sess/story.html;jsessionid={token}">story</a>'
            f' <a href="/sess/list.html?page=2&amp;PHPSESSID={token}">page 2</a></body></html>',
        )

    def loop(h: Any) -> None:  # relative links on a misconfigured server
        send(h, 200, '<html><body><a href="loop/">deeper</a> <a href="x/">x</a></body></html>')

    sitemaps: dict[str, Any] = {}
    for n in range(10):
        sitemaps[f"/sm/{n}.xml"] = xml(
            f"<?xml version='1.0'?><sitemapindex {SM}><sitemap><loc>/sm/{n + 1}.xml</loc>"
            "</sitemap></sitemapindex>"
        )
    return {
        "/": page(
            f"<html><head><link rel='alternate' type='application/rss+xml' "
            f"href='/feed.xml'></head><body>{home}</body></html>"
        ),
        "/robots.txt": lambda h: send(
            h,
            200,
            "User-agent: *\nAllow: /\nSitemap: /sm/0.xml\nSitemap: /laughs.xml\n",
            "text/plain",
        ),
        "/article.html": page(article_html(1, "The normal article")),
        **sitemaps,
        "/laughs.xml": xml(
            LAUGHS + f"<urlset {SM}><url><loc>&lol9;</loc></url>"
            "<url><loc>/after-laughs.html</loc></url></urlset>"
        ),
        "/feed.xml": lambda h: send(
            h,
            200,
            LAUGHS.replace("lolz", "rss") + "<rss version='2.0'><channel><title>t</title>"
            "<item><title>&lol9;</title><link>&lol9;</link></item>"
            "<item><title>ok</title><link>/after-feed.html</link></item></channel></rss>",
            "application/rss+xml",
        ),
        "/after-laughs.html": page(article_html(2, "After the laughs")),
        "/after-feed.html": page(article_html(3, "After the feed")),
        "/after-malformed.html": page(article_html(4, "After the malformed links")),
        "/calendar": calendar,
        "/sess/": session,
        "/loop/": loop,
        "/huge-head.html": huge_head(),
        "/slow-drip.html": drip(),
        "/retry-429.html": retry_429,
        "/retry-503.html": page("come back tomorrow", 503, **{"Retry-After": "3600"}),
        "/redir/": lambda h: send(
            h, 302, "", headers={"Location": f"/redir/{int(h.path.rsplit('/', 1)[1]) + 1}"}
        ),
        "/loop-a.html": redirect("/loop-b.html"),
        "/loop-b.html": redirect("/loop-a.html"),
        "/away.html": redirect(other + "/elsewhere.html"),
        "/bad-redirect.html": redirect("http://[bad/x"),
        "/malformed.html": lambda h: send(
            h,
            200,
            "<html><body>"
            + "".join(
                f"<a href='{u.format(port=h.server.server_address[1])}'>x</a>" for u in MALFORMED
            )
            + "<a href='/after-malformed.html'>ok</a></body></html>",
        ),
        "/length-lie.html": raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000000000\r\n"
            b"\r\n<html>tiny</html>"
        ),
        "/truncated.html": raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            + b"<p>" * 300
        ),
        "/bad-chunked.html": raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"zz\r\nnot a chunk size\r\n0\r\n\r\n"
        ),
        "/bad-encoding.html": page("this is not gzip at all", **{"Content-Encoding": "gzip"}),
        "/unknown-encoding.html": page("<html>x</html>", **{"Content-Encoding": "x-snappy-ish"}),
        "/bad-status.html": raw(b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\nok"),
        "/garbage.html": page_bytes(random.Random(7).randbytes(200_000)),
        "/deep.html": page(
            "<html><body>" + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + "</body></html>"
        ),
    }


@dataclass
class Crawls:
    runs: dict[str, Measured]
    servers: dict[str, Hostile]
    urls: dict[str, str]

    def stats(self, run: str) -> dict[str, Any]:
        return stats(self.runs[run].db)

    def rows(self, run: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.runs[run].db)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def failure(self, run: str, path: str) -> tuple[str, str]:
        """(cause, detail) of the failure of the URL ending with ``path``."""
        found = self.rows(run, "SELECT url, cause, detail FROM failures")
        for url, cause, detail in found:
            if url == path or url == self.urls.get(run, "") + path:
                return cause, detail or ""
        raise AssertionError(f"no failure for {path}: {found}")

    def kept(self, run: str, path: str) -> bool:
        url = self.urls[run] + path
        return bool(self.rows(run, "SELECT 1 FROM documents WHERE url = ?", url))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("hostile")
    dead = f"http://127.0.0.1:{free_port()}/"
    with contextlib.ExitStack() as stack:
        other = stack.enter_context(Hostile({"/": page(article_html(9))}))
        main = stack.enter_context(Hostile(main_routes(other.origin)))
        memory = stack.enter_context(
            Hostile(
                {
                    "/bomb/": page("<a href='/bomb.html'>b</a> <a href='/article.html'>a</a>"),
                    "/big/": page("<a href='/big.html'>p</a> <a href='/article.html'>a</a>"),
                    "/links/": page("<a href='/links.html'>l</a> <a href='/article.html'>a</a>"),
                    "/links.html": page(
                        "<html><body><a href='/article.html'>a</a>"
                        + "".join(
                            f"<a href='http://127.0.0.2:9/l{n}'>l</a>" for n in range(100_000)
                        )
                        + "</body></html>"
                    ),
                    "/article.html": page(article_html(5, "The normal article")),
                    "/bomb.html": lambda h: send(
                        h, 200, gzip_bomb(), headers={"Content-Encoding": "gzip"}
                    ),
                    "/big.html": stream(200 * 1024 * 1024),
                }
            )
        )
        r5 = stack.enter_context(
            Hostile({"/robots.txt": page("down", 503), "/": page(article_html(6))})
        )
        r4 = stack.enter_context(
            Hostile(
                {"/robots.txt": page("no", 403), "/": page(article_html(7, "The normal article"))}
            )
        )
        blocked = stack.enter_context(
            Hostile(
                {
                    "/robots.txt": lambda h: send(
                        h, 200, "User-agent: *\nDisallow: /\n", "text/plain"
                    ),
                    "/": page(article_html(8)),
                }
            )
        )
        runs = {
            "traps": crawl_measured(tmp, "traps", main.url("/"), "--timeout", "4"),
            "bomb": crawl_measured(tmp, "bomb", memory.url("/bomb/")),
            "big": crawl_measured(tmp, "big", memory.url("/big/")),
            "links": crawl_measured(tmp, "links", memory.url("/links/")),
            "robots": crawl_measured(
                tmp, "robots", r4.url("/"), r5.url("/"), dead, blocked.url("/")
            ),
            "blocked": crawl_measured(tmp, "blocked", blocked.url("/")),
        }
        servers = {
            "traps": main,
            "other": other,
            "memory": memory,
            "r5": r5,
            "r4": r4,
            "blocked": blocked,
        }
        urls = {
            "dead": dead,
            "traps": main.origin,
            "bomb": memory.origin,
            "big": memory.origin,
            "links": memory.origin,
            "robots": r4.origin,
            "blocked": blocked.origin,
        }
        yield Crawls(runs, servers, urls)


def _refused(c: Crawls, run: str, reason: str, at_least: int = 1) -> str:
    n = c.stats(run).get(f"archiver/refused/{reason}", 0)
    assert n >= at_least, (reason, c.stats(run))
    return f"stats archiver/refused/{reason} = {n}"


def _failed(c: Crawls, run: str, path: str, cause: str, *words: str) -> str:
    got, detail = c.failure(run, path)
    assert got == cause, (path, got, detail)
    for word in words:
        assert word in detail, (path, detail)
    return f"failures: {cause} ({_short(detail)})"


def _short(detail: str, size: int = 90) -> str:
    """A failure's detail for the table: no ports, no Twisted wrapping, one short line."""
    detail = re.sub(r"http://127\.0\.0\.1:\d+", "", detail)
    detail = re.sub(r"127\.0\.0\.1:\d+", "HOST", detail)
    detail = re.sub(r"\[<twisted\.python\.failure\.Failure ([\w.]+\.)?", "", detail)
    detail = detail.replace("|", "/").rstrip(">]")
    return detail if len(detail) <= size else detail[: size - 1] + "…"


def case_sitemap_chain(c: Crawls) -> tuple[str, str]:
    fetched = sorted(c.servers["traps"].fetched("/sm/"))
    assert fetched == ["/sm/0.xml", "/sm/1.xml", "/sm/2.xml", "/sm/3.xml"], fetched
    return f"{len(fetched)} of the endless index chain fetched", _refused(
        c, "traps", "sitemap-nesting"
    )


def case_calendar(c: Crawls) -> tuple[str, str]:
    n = len(c.servers["traps"].fetched("/calendar"))
    assert 10 < n <= 2 * 26, n
    return f"{n} months fetched, then stopped", _refused(c, "traps", "pattern-chain")


def case_session_ids(c: Crawls) -> tuple[str, str]:
    got = c.servers["traps"].fetched("/sess/")
    assert all("sid=" not in p.lower() and "sessionid" not in p.lower() for p in got), got
    assert len(got) <= 3, got
    return f"{len(got)} URLs fetched, session ids stripped", _refused(c, "traps", "session-id")


def case_repeated_path(c: Crawls) -> tuple[str, str]:
    got = c.servers["traps"].fetched("/loop/")
    assert got and max(p.count("loop/") for p in got) <= 3, got
    assert len(got) < 40, got
    return f"{len(got)} URLs fetched", _refused(c, "traps", "repeated-path")


def case_link_cap(c: Crawls) -> tuple[str, str]:
    url = c.urls["links"] + "/links.html"
    assert c.rows("links", "SELECT status FROM captures WHERE url = ?", url) == [(200,)]
    assert not c.kept("links", "/links.html")  # a link farm: archived, not extracted
    _refused(c, "links", "link-farm")
    return "archived, 2000 of 100,001 links followed, not extracted", _refused(
        c, "links", "link-cap", 98_000
    )


def case_gzip_bomb(c: Crawls) -> tuple[str, str]:
    return "refused once 64 MiB decoded", _failed(
        c, "bomb", "/bomb.html", "too-large", "decoded body larger than"
    )


def case_big_page(c: Crawls) -> tuple[str, str]:
    return "cut off at 64 MiB", _failed(c, "big", "/big.html", "too-large", "DOWNLOAD_MAXSIZE")


def case_huge_head(c: Crawls) -> tuple[str, str]:
    return "refused, not rebuilt", _failed(
        c, "traps", "/huge-head.html", "too-large", "response head larger than"
    )


def case_slow_drip(c: Crawls) -> tuple[str, str]:
    return "cut off by --timeout", _failed(c, "traps", "/slow-drip.html", "timeout")


def case_retry_429(c: Crawls) -> tuple[str, str]:
    assert c.servers["traps"].counts.get("/retry-429.html") == 2
    assert c.kept("traps", "/retry-429.html")
    waited = c.stats("traps").get("archiver/retry_after/waited", 0)
    assert waited >= 1
    return "waited 1 s, retried, kept", f"stats archiver/retry_after/waited = {waited}"


def case_retry_503(c: Crawls) -> tuple[str, str]:
    assert c.servers["traps"].counts.get("/retry-503.html") == 1
    _refused(c, "traps", "retry-after-too-long")
    return "not retried", _failed(c, "traps", "/retry-503.html", "http-5xx", "Retry-After 3600")


def case_redirect_chain(c: Crawls) -> tuple[str, str]:
    n = len(c.servers["traps"].fetched("/redir/"))
    assert n == 21, n
    return f"{n} hops, then given up", _failed(
        c, "traps", "/redir/20", "bad-redirect", "max redirections"
    )


def case_redirect_loop(c: Crawls) -> tuple[str, str]:
    assert len(c.servers["traps"].fetched("/loop-")) == 2
    return "given up when it came back", _failed(c, "traps", "/loop-a.html", "bad-redirect", "loop")


def case_redirect_away(c: Crawls) -> tuple[str, str]:
    assert c.servers["other"].requests == []  # not even its robots.txt
    status = c.rows(
        "traps", "SELECT status FROM captures WHERE url = ?", c.urls["traps"] + "/away.html"
    )
    assert status == [(302,)], status
    return "302 archived, not followed", _refused(c, "traps", "redirect-out-of-scope")


def case_redirect_malformed(c: Crawls) -> tuple[str, str]:
    return "not followed", _failed(
        c, "traps", "/bad-redirect.html", "bad-redirect", "malformed Location"
    )


def case_laughs_sitemap(c: Crawls) -> tuple[str, str]:
    assert c.kept("traps", "/after-laughs.html")
    assert not any("lol" in p for p in c.servers["traps"].requests)
    return "entity not expanded, next entry kept", "the entry with the entity has no URL: skipped"


def case_laughs_feed(c: Crawls) -> tuple[str, str]:
    assert c.kept("traps", "/after-feed.html")
    return "entity not expanded, next item kept", "the item with the entity has no URL: skipped"


def case_malformed_links(c: Crawls) -> tuple[str, str]:
    assert c.kept("traps", "/after-malformed.html")
    assert "Traceback" not in c.runs["traps"].stderr
    assert "creds.html" not in " ".join(c.servers["traps"].requests)
    _refused(c, "traps", "not-http", 2)
    return "7 skipped, valid link kept", _refused(c, "traps", "malformed-url", 7)


def case_length_lie(c: Crawls) -> tuple[str, str]:
    return "refused at once", _failed(c, "traps", "/length-lie.html", "too-large")


def case_truncated(c: Crawls) -> tuple[str, str]:
    return "failed, retried twice", _failed(c, "traps", "/truncated.html", "connection-lost")


def case_bad_chunked(c: Crawls) -> tuple[str, str]:
    return "failed", _failed(c, "traps", "/bad-chunked.html", "connection-lost")


def case_bad_encoding(c: Crawls) -> tuple[str, str]:
    return "archived as received, not decoded", _failed(
        c, "traps", "/bad-encoding.html", "undecodable-content-encoding"
    )


def case_unknown_encoding(c: Crawls) -> tuple[str, str]:
    return "archived as received, not decoded", _failed(
        c, "traps", "/unknown-encoding.html", "undecodable-content-encoding"
    )


def case_bad_status(c: Crawls) -> tuple[str, str]:
    cause, detail = c.failure("traps", "/bad-status.html")
    assert cause in ("connection-lost", "other"), (cause, detail)
    return "failed", f"failures: {cause} ({_short(detail)})"


def case_garbage(c: Crawls) -> tuple[str, str]:
    rows = c.rows(
        "traps", "SELECT status FROM captures WHERE url = ?", c.urls["traps"] + "/garbage.html"
    )
    assert rows == [(200,)], rows
    assert not c.kept("traps", "/garbage.html")
    return "archived, no text extracted", "captures row (status 200), no document"


def case_deep_html(c: Crawls) -> tuple[str, str]:
    rows = c.rows(
        "traps", "SELECT status FROM captures WHERE url = ?", c.urls["traps"] + "/deep.html"
    )
    assert rows == [(200,)], rows
    return "archived, parsed within lxml's depth limit", "captures row (status 200)"


def case_robots_5xx(c: Crawls) -> tuple[str, str]:
    assert c.servers["r5"].fetched("/") == ["/robots.txt"] * 3  # 1 + RETRY_TIMES, no page
    return "site not crawled", _failed(
        c, "robots", c.servers["r5"].url("/"), "robots-unavailable", "HTTP 503"
    )


def case_robots_4xx(c: Crawls) -> tuple[str, str]:
    assert c.kept("robots", "/")
    return "everything allowed", "robots.txt 403 = no rules (RFC 9309)"


def case_robots_unreachable(c: Crawls) -> tuple[str, str]:
    return "site not crawled", _failed(
        c, "robots", c.urls["dead"], "connect", "robots.txt of", "unavailable"
    )


def case_robots_blocked(c: Crawls) -> tuple[str, str]:
    run = c.runs["blocked"]
    host = c.urls["blocked"].split("://", 1)[1]
    assert run.returncode == 8, run.stderr
    assert f"robots.txt of {host} disallows" in run.stderr, run.stderr
    # the blocked seed next to others: robots-blocked too
    assert c.failure("robots", c.servers["blocked"].url("/"))[0] == "robots-blocked"
    assert c.servers["blocked"].fetched("/") == ["/robots.txt", "/robots.txt"]  # one a crawl
    return "exit 8, said so", _failed(c, "blocked", "/", "robots-blocked", "disallows")


#: case -> (crawl, check, the crawl's normal page)
CASES: dict[str, tuple[str, Callable[[Crawls], tuple[str, str]]]] = {
    "sitemap index chain": ("traps", case_sitemap_chain),
    "calendar trap": ("traps", case_calendar),
    "session-id trap": ("traps", case_session_ids),
    "repeated path segments": ("traps", case_repeated_path),
    "page with 100k links": ("links", case_link_cap),
    "10 MB gzip bomb": ("bomb", case_gzip_bomb),
    "200 MB page": ("big", case_big_page),
    "300 KB response head": ("traps", case_huge_head),
    "endless slow drip": ("traps", case_slow_drip),
    "429, Retry-After 1": ("traps", case_retry_429),
    "503, Retry-After 3600": ("traps", case_retry_503),
    "endless redirect chain": ("traps", case_redirect_chain),
    "redirect loop": ("traps", case_redirect_loop),
    "redirect out of scope": ("traps", case_redirect_away),
    "redirect to a malformed URL": ("traps", case_redirect_malformed),
    "billion laughs sitemap": ("traps", case_laughs_sitemap),
    "billion laughs feed": ("traps", case_laughs_feed),
    "malformed URLs": ("traps", case_malformed_links),
    "Content-Length lie (1 TB)": ("traps", case_length_lie),
    "truncated body": ("traps", case_truncated),
    "bad chunked encoding": ("traps", case_bad_chunked),
    "invalid Content-Encoding (not gzip)": ("traps", case_bad_encoding),
    "unknown Content-Encoding": ("traps", case_unknown_encoding),
    "bad status line": ("traps", case_bad_status),
    "binary garbage as HTML": ("traps", case_garbage),
    "10k-deep nested HTML": ("traps", case_deep_html),
    "robots.txt 5xx": ("robots", case_robots_5xx),
    "robots.txt 4xx": ("robots", case_robots_4xx),
    "robots.txt unreachable": ("robots", case_robots_unreachable),
    "robots.txt blocks everything": ("blocked", case_robots_blocked),
}
TABLE: list[tuple[str, str, str, str]] = []
NORMAL_PAGE = {
    "traps": "/article.html",
    "bomb": "/article.html",
    "big": "/article.html",
    "links": "/article.html",
    "robots": "/",
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_server(hostile: Crawls, name: str) -> None:
    run_name, check = CASES[name]
    run = hostile.runs[run_name]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (4, 7, 8), run.stderr[-3000:]  # finished, with failures
    if run_name in NORMAL_PAGE:
        assert hostile.kept(run_name, NORMAL_PAGE[run_name]), run.stderr[-3000:]
    assert run.peak < MEMORY_LIMIT, run.peak
    outcome, reason = check(hostile)
    TABLE.append((name, outcome, f"{run.peak / 2**20:.0f} MB", reason))


def test_hostile_table(hostile: Crawls) -> None:
    """The table of the cases above (printed with -s; written to the file named by
    ARCHIVER_HOSTILE_TABLE, if set)."""
    lines = [
        "| case | outcome | peak memory (its crawl) | reason recorded |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {' | '.join(row)} |" for row in TABLE]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    out = os.environ.get("ARCHIVER_HOSTILE_TABLE")
    if out:
        Path(out).write_text(text)
    assert len(TABLE) == len(CASES) or len(TABLE) == 0


def test_requests_waiting_for_a_slow_robots_txt_all_obey_it(tmp_path: Path) -> None:
    """Many requests to a site wait while its robots.txt is being fetched: every one of
    them gets its rules (Scrapy's middleware handed the second waiting request and
    those after it no rules at all)."""
    from archiver.demo.server import send_body

    root = tmp_path / "site"
    (root / "private").mkdir(parents=True)
    (root / "index.html").write_text(article_html(1))
    for n in range(6):
        (root / "private" / f"{n}.html").write_text(article_html(10 + n))

    def slow_robots(handler: Any) -> None:
        time.sleep(0.5)  # the seeds' requests all queue up behind it
        send_body(handler, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    db, warc = tmp_path / "a.db", tmp_path / "w"
    with SiteServer(root, routes={"/robots.txt": slow_robots}) as site:
        seeds = [site.url("/")] + [site.url(f"/private/{n}.html") for n in range(6)]
        done = run_archiver(
            "crawl", *seeds, "--db", str(db), "--warc-dir", str(warc), "--delay", "0",
            "--no-requisites", "-q",
        )  # fmt: skip
        paths = [r.path for r in site.requests]
    assert not [p for p in paths if p.startswith("/private/")], paths
    assert "/" in paths
    # the disallowed seeds are the crawl refused: said, and not exit 0
    assert done.returncode != 0 and "robots.txt" in done.stderr, done.stderr
