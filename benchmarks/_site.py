"""Generate and serve the synthetic news site of the crawl benchmark.

:func:`generate` writes ``pages`` article pages of about 50 KB each into a folder,
plus a home page, section fronts, ``robots.txt``, a stylesheet and a logo.  Every
article links to about 100 other pages of the site (navigation, related stories,
"most read", inline links, footer), chosen with a seeded random generator, so the
same ``pages`` and ``seed`` always give the same site.  Article ``i`` also links to
articles ``2i+1`` and ``2i+2`` and the home page links to article 0, so every page is
reachable from ``/`` within a few hops.

:func:`serve` serves the folder with nginx when it is installed (a private
``nginx.conf`` with its own pid, log and temp paths, on a free port, in the
foreground) and with :class:`archiver.demo.server.SiteServer` otherwise.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SECTIONS = [
    "city",
    "business",
    "politics",
    "science",
    "culture",
    "sport",
    "health",
    "education",
    "environment",
    "transport",
    "opinion",
    "weather",
]

_SUBJECTS = [
    "The harbour council",
    "A group of residents",
    "The regional hospital",
    "Local traders",
    "The ferry operator",
    "Researchers at the university",
    "The county planning office",
    "Volunteers from the lifeboat station",
    "The football club",
    "Parents at the primary school",
    "The water company",
    "Fishermen on the north quay",
    "The library service",
    "A local charity",
]
_VERBS = [
    "announced plans for",
    "raised concerns about",
    "voted to delay",
    "published a report on",
    "called for a review of",
    "welcomed the decision on",
    "launched a consultation on",
    "secured funding for",
    "criticised the cost of",
    "began work on",
    "asked for more time to consider",
    "agreed a compromise over",
]
_OBJECTS = [
    "the new bus timetable",
    "repairs to the sea wall",
    "a second ferry berth",
    "parking charges on the seafront",
    "the closure of the night shelter",
    "a cycle lane along Marsh Road",
    "the future of the covered market",
    "flood defences at the river mouth",
    "extra places at the secondary school",
    "the redevelopment of the old cannery",
    "a community energy scheme",
    "opening hours at the swimming pool",
    "a youth centre in the east end",
]
_TAILS = [
    "after months of debate",
    "following complaints from residents",
    "despite objections from the opposition",
    "ahead of the summer season",
    "according to documents seen by this paper",
    "at a packed public meeting",
    "in a statement on Tuesday",
    "with support from the regional government",
    "although details remain unclear",
    "to the surprise of many observers",
]
_QUOTES = [
    "We have listened carefully and we think this is the right balance",
    "Nobody wants this, but doing nothing would cost far more",
    "It is a good first step, and we will keep pushing for more",
    "The numbers simply do not add up, and people deserve a straight answer",
    "We hope to have something in place before the winter storms",
]
_NAMES = [
    "Ana Birkett",
    "Tomas Reyes",
    "Hannah Oyelaran",
    "Daniel Foy",
    "Rosa Menzies",
    "Peter Onslow",
    "Lucia Fenwick",
    "Gwen Tallis",
    "Martin Okafor",
    "Ingrid Solberg",
]


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f'"{rng.choice(_QUOTES)}," said {rng.choice(_NAMES)}.'
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
    )


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(4, 7)))


def article_path(i: int) -> str:
    return f"/news/{SECTIONS[i % len(SECTIONS)]}/{i:06d}.html"


def _title(rng: random.Random, i: int) -> str:
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({i})"


def _links(items: list[tuple[str, str]], css: str) -> str:
    return (
        f'<ul class="{css}">'
        + "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in items)
        + "</ul>"
    )


def _chrome(title: str, body: str) -> str:
    nav = [("/", "Home")] + [(f"/section/{s}/", s.title()) for s in SECTIONS]
    footer = [(f"/section/{s}/", f"More {s}") for s in SECTIONS[:6]] + [("/", "Front page")]
    share = "".join(
        f'<a class="share-{n}" rel="nofollow" href="https://share.invalid/{n}?u=page">{n}</a>'
        for n in ("facebook", "x", "linkedin", "whatsapp", "email")
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Benchmark Gazette</title>
<meta name="description" content="{title}">
<link rel="stylesheet" href="/static/site.css"></head>
<body><div id="cookie-banner">We use cookies to improve the site. <button>Accept</button></div>
<header class="site-header"><a href="/"><img src="/static/logo.svg" alt="Benchmark Gazette"></a>
<nav class="main-nav">{_links(nav, "menu")}</nav></header>
<main id="main">{body}</main>
<div class="share-bar">{share}</div>
<footer class="site-footer">{_links(footer, "footer-links")}
<p>&copy; Benchmark Gazette. All rights reserved. Registered office: Quay Street 14.</p></footer>
</body></html>
"""


def _article(i: int, pages: int, rng: random.Random, target_bytes: int) -> str:
    def pick(k: int) -> list[tuple[str, str]]:
        return [(article_path(j), f"Story {j}") for j in rng.sample(range(pages), min(k, pages))]

    children = [
        (article_path(j), f"Continue: story {j}") for j in (2 * i + 1, 2 * i + 2) if j < pages
    ]
    inline = pick(10)
    parts = [
        f'<article class="post"><h1 class="entry-title">{_title(rng, i)}</h1>',
        f'<p class="byline">By {rng.choice(_NAMES)} &middot; <time datetime="2024-05-'
        f'{1 + i % 28:02d}T08:00:00+01:00">May {1 + i % 28}, 2024</time></p>',
        '<div class="entry-content">',
    ]
    size = 0
    k = 0
    while size < target_bytes:
        text = _paragraph(rng)
        if k < len(inline):
            href, label = inline[k]
            text += f' <a href="{href}">{label}</a>.'
        k += 1
        chunk = f"<p>{text}</p>\n"
        size += len(chunk)
        parts.append(chunk)
    parts.append("</div></article>")
    parts.append(
        '<aside class="related"><h2>Related stories</h2>'
        + _links(children + pick(30), "related")
        + "</aside>"
    )
    parts.append(
        '<aside class="most-read"><h2>Most read</h2>' + _links(pick(10), "popular") + "</aside>"
    )
    parts.append(
        '<aside class="more-section"><h2>More in this section</h2>'
        + _links(pick(30), "section-list")
        + "</aside>"
    )
    return _chrome(f"Story {i}", "".join(parts))


def generate(root: Path, pages: int = 2000, seed: int = 1, page_kb: int = 50) -> int:
    """Write the site into ``root``; returns the number of HTML pages written."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    # article body size so that the whole page is about page_kb (chrome + asides ~ 10 KB)
    body_bytes = max(1000, page_kb * 1024 - 10_000)
    for i in range(pages):
        path = root / article_path(i).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_article(i, pages, rng, body_bytes), "utf-8")
    for s, section in enumerate(SECTIONS):
        listed = [
            (article_path(j), f"Story {j}") for j in range(s, min(pages, s + 1200), len(SECTIONS))
        ][:100]
        folder = root / "section" / section
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(
            _chrome(section.title(), f"<h1>{section.title()}</h1>" + _links(listed, "teasers")),
            "utf-8",
        )
    front = [(article_path(j), f"Top story {j}") for j in range(min(pages, 40))]
    (root / "index.html").write_text(
        _chrome("Front page", "<h1>Benchmark Gazette</h1>" + _links(front, "top-stories")), "utf-8"
    )
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    static = root / "static"
    static.mkdir(exist_ok=True)
    (static / "site.css").write_text("body{font:16px/1.5 serif;margin:0 auto;max-width:60em}\n")
    (static / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" '
        'height="30"><rect width="120" height="30"/></svg>\n'
    )
    return pages + len(SECTIONS) + 1


# -- serving ------------------------------------------------------------------------------


@dataclass
class Served:
    url: str
    server: str  # "nginx" or "SiteServer"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


NGINX_CONF = """worker_processes 1;
daemon off;
{user}pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    types {{ text/html html; text/css css; image/svg+xml svg; text/plain txt;
            application/xml xml; }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    keepalive_timeout 65;
    gzip on;
    gzip_comp_level 1;
    gzip_types text/css image/svg+xml text/plain application/xml;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


def _wait_until_up(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "robots.txt", timeout=1) as response:
                response.read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def serve(root: Path, work: Path, use_nginx: bool = True) -> Iterator[Served]:
    """Serve ``root`` on 127.0.0.1 (nginx if available and wanted) until the block ends."""
    nginx = shutil.which("nginx") if use_nginx else None
    if nginx is None:
        from archiver.demo.server import SiteServer

        with SiteServer(root) as server:
            yield Served(server.url("/"), "SiteServer")
        return
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = work / "nginx.conf"
    user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, root=root.resolve()))
    process = subprocess.Popen(
        [nginx, "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(url)
        except OSError as error:
            process.terminate()
            err = process.communicate(timeout=5)[1].decode(errors="replace").strip()
            raise RuntimeError(f"nginx did not start: {err or error}") from error
        yield Served(url, "nginx")
    finally:
        if process.poll() is None:
            process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
