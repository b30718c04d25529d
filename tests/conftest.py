"""Shared fixtures: a local news site on 127.0.0.1 and a crawl runner.

No test touches the internet: proxies are blanked, every server binds 127.0.0.1 on
a free port.

No test leaves a process behind: the test process is made a child subreaper (so the
orphans of a killed crawl are handed to it, not to init), and after each test every
descendant that was not there before it must be gone (within a grace period); one
left is reported as an error of that test, then killed.  At the end of the session
the same check covers the whole run.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archiver.demo.server import SiteServer, chunked, gzipped, redirect, status

ROOT = Path(__file__).resolve().parents[1]

for _var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

WORDS = (
    "council budget river bridge school teachers harbour ferry museum archive library "
    "festival orchestra hospital nurses railway station mayor election voters tram "
    "climate flood storm farmers harvest market prices energy wind solar"
).split()


def article_html(n: int, title: str | None = None, extra: str = "", lang: str = "en") -> str:
    """A WordPress-like article page with boilerplate around the body."""
    title = title or f"Story {n}: the {WORDS[n % len(WORDS)]} question"
    paras = "".join(
        f"<p>Paragraph {j} of story {n}. Officials from the {WORDS[(n + j) % len(WORDS)]} office "
        f"said on Tuesday that the plan for the {WORDS[(n * 3 + j) % len(WORDS)]} would be "
        f"debated again next month, after residents asked for more time to study it.</p>"
        for j in range(5)
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Local Times</title>
<meta name="author" content="Ana Writer">
<meta property="article:published_time" content="2026-10-0{1 + n % 9}T08:00:00+00:00">
<link rel="canonical" href="/news/story-{n}.html">
<link rel="stylesheet" href="/static/site.css">
</head><body>
<nav class="menu"><a href="/">Home</a> <a href="/news/">News</a> <a href="/private/">Staff</a></nav>
<div class="cookie-banner">We use cookies. <a href="/cookies.html">Accept</a></div>
<article class="post"><h1 class="entry-title">{title}</h1>
<div class="entry-content">{paras}{extra}</div></article>
<div class="share">Share on Facebook Share on X</div>
<footer>© Local Times <a href="/about.html">About</a></footer>
<img src="/static/logo.png" alt="logo">
</body></html>"""


def build_site(root: Path, articles: int = 8) -> dict[str, Any]:
    """Write the test site; return what tests need to know about it."""
    (root / "news").mkdir(parents=True, exist_ok=True)
    (root / "private").mkdir(exist_ok=True)
    (root / "static").mkdir(exist_ok=True)
    linked = list(range(1, articles - 1))
    sitemap_only, feed_only = articles - 1, articles
    links = "".join(f'<li><a href="/news/story-{n}.html">Story {n}</a></li>' for n in linked)
    (root / "index.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Local Times</title>"
        "<link rel='alternate' type='application/rss+xml' href='/feed.xml'></head><body>"
        f"<ul>{links}</ul><a href='/private/secret.html'>secret</a>"
        "<a href='/report.pdf'>report</a><a href='/gone.html'>gone</a>"
        "<a href='/broken.html'>broken</a><a href='/moved.html'>moved</a>"
        "<a href='/chunked.html'>chunked</a><a href='/gz.html'>gz</a>"
        "<a href='/raw.html'>raw</a>"
        "<a href='http://elsewhere.invalid/page.html'>offsite</a></body></html>"
    )
    for n in range(1, articles + 1):
        (root / "news" / f"story-{n}.html").write_text(article_html(n))
    (root / "private" / "secret.html").write_text(article_html(99, "Secret page"))
    (root / "about.html").write_text("<html><body><p>About us.</p></body></html>")
    (root / "cookies.html").write_text("<html><body><p>Cookies.</p></body></html>")
    (root / "static" / "site.css").write_text("body { font-family: serif; }")
    (root / "static" / "logo.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd4"
            "0000000049454e44ae426082"
        )
    )
    (root / "report.pdf").write_bytes(
        b"%PDF-1.4\n% test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    )
    (root / "robots.txt").write_text(
        "User-agent: *\nDisallow: /private/\nSitemap: /sitemap-index.xml\n"
    )
    (root / "sitemap-index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/news-sitemap.xml</loc></sitemap></sitemapindex>"
    )
    (root / "news-sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>/news/story-{sitemap_only}.html</loc><news:news><news:title>S</news:title>"
        "</news:news></url></urlset>"
    )
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local Times</title>'
        f"<item><title>F</title><link>/news/story-{feed_only}.html</link></item>"
        "</channel></rss>"
    )
    return {"linked": linked, "sitemap_only": sitemap_only, "feed_only": feed_only}


def raw_response(handler: Any) -> None:
    """A response with a custom reason phrase and unusual header case."""
    body = article_html(50, "Raw headers story").encode()
    handler.wfile.write(
        b"HTTP/1.1 200 Alright Then\r\nContent-Type: text/html; charset=utf-8\r\n"
        b'X-CUSTOM-header: MixedCase\r\nETag: "abc"\r\n'
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def site_routes() -> dict[str, Any]:
    return {
        "/gone.html": status(404),
        "/broken.html": status(500),
        "/moved.html": redirect("/news/story-1.html", 301),
        "/chunked.html": chunked(article_html(60, "Chunked story"), chunk_size=300),
        "/gz.html": gzipped(article_html(70, "Gzipped story")),
        "/raw.html": raw_response,
    }


#: Exit status of a crawl of the whole test site: it links to 404 pages and a 500 page,
#: which archiver.crawl.failures reports as server errors (wget's code 8).
SITE_EXIT = 8


@dataclass
class Site:
    server: SiteServer
    root: Path
    info: dict[str, Any]

    def url(self, path: str = "/") -> str:
        return self.server.url(path)


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("site")
    info = build_site(root)
    with SiteServer(root, routes=site_routes()) as server:
        yield Site(server, root, info)


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    db: Path
    warc_dir: Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_archiver(
    *args: str, cwd: Path | None = None, timeout: float = 120, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archiver", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


@pytest.fixture
def crawl(tmp_path: Path) -> Any:
    """Run ``archiver crawl`` in a subprocess into this test's archive."""

    def run(*args: str, db: Path | None = None, warc_dir: Path | None = None) -> CrawlRun:
        db = db or tmp_path / "archive.db"
        warc_dir = warc_dir or tmp_path / "warc"
        proc = run_archiver(
            "crawl",
            *args,
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            cwd=tmp_path,
        )
        return CrawlRun(proc.returncode, proc.stdout, proc.stderr, db, warc_dir)

    return run


# -- no process left behind --------------------------------------------------------
_PR_SET_CHILD_SUBREAPER = 36
#: seconds a test's leftover processes get to end on their own (extraction workers
#: check their parent twice a second)
LEFTOVER_GRACE = 10.0


def _become_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def processes() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, state) of every process (Linux /proc)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out[int(entry)] = (int(fields[1]), fields[0])
    return out


def _reap() -> None:
    """Collect the exit status of dead children (orphans handed to this process)."""
    with contextlib.suppress(ChildProcessError):
        for pid, (ppid, state) in processes().items():
            if ppid == os.getpid() and state == b"Z":
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)


def _own_helpers() -> set[int]:
    """Processes this test process keeps for itself on purpose (multiprocessing's
    resource tracker, started by in-process pools, lives until the session ends)."""
    pids = set()
    with contextlib.suppress(ImportError, AttributeError):
        from multiprocessing import resource_tracker

        pid = resource_tracker._resource_tracker._pid
        if pid:
            pids.add(pid)
    return pids


def descendants() -> dict[int, str]:
    """Live descendants of this process: pid -> command line."""
    if not os.path.isdir("/proc"):
        return {}
    _reap()
    procs = processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, state) in procs.items():
        if state not in (b"Z", b"X"):
            children.setdefault(ppid, []).append(pid)
    out: dict[int, str] = {}
    todo = [os.getpid()]
    while todo:
        for pid in children.get(todo.pop(), []):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            except OSError:
                continue
            out[pid] = cmd[:200]
            todo.append(pid)
    for pid in _own_helpers():
        out.pop(pid, None)
    return out


def leftovers(before: dict[int, str], grace: float = LEFTOVER_GRACE) -> dict[int, str]:
    """Descendants not in ``before`` still alive after ``grace`` seconds; killed."""
    deadline = time.monotonic() + grace
    while True:
        extra = {p: c for p, c in descendants().items() if p not in before}
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for pid in extra:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    _reap()
    return extra


_SESSION_START: dict[int, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    _become_subreaper()
    _SESSION_START.update(descendants())


@pytest.fixture(autouse=True)
def no_process_left_behind() -> Any:
    """Fail the test that leaves a process behind (see the module notes)."""
    before = descendants()
    yield
    extra = leftovers(before)
    if extra:
        listing = "; ".join(f"pid {p}: {c}" for p, c in sorted(extra.items()))
        pytest.fail(f"the test left {len(extra)} process(es) behind: {listing}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    extra = leftovers(_SESSION_START, grace=LEFTOVER_GRACE)
    if extra:
        listing = "; ".join(f"pid {p}: {c}" for p, c in sorted(extra.items()))
        sys.stderr.write(
            f"\nerror: the test session left {len(extra)} process(es) behind: {listing}\n"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@contextlib.contextmanager
def lock_held_elsewhere(db: Path) -> Any:
    """Another process holding the crawl lock of the archive ``db`` (as a running crawl
    does) for the duration; yields that process."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom archiver.store import lock\n"
            "h = lock.acquire(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(db),
        ],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.communicate()
