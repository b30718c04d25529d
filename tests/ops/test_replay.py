"""``archiver replay`` end to end: a page captured from a local site renders, with its
captured stylesheet and image, in real headless Chromium from pywb after the site's
server has been stopped."""

from __future__ import annotations

import gzip
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from archiver.demo.server import SiteServer
from tests.browser import chromium_page, save_screenshot
from tests.conftest import (
    ROOT,
    SITE_EXIT,
    article_html,
    build_site,
    free_port,
    processes,
    run_archiver,
)

pytestmark = pytest.mark.e2e

CSS = "body { background-color: rgb(250, 240, 200); } h1 { color: rgb(200, 100, 50); }"


def test_replay_in_chromium_after_the_site_is_gone(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build_site(root, articles=3)
    (root / "static" / "site.css").write_text(CSS)
    (root / "news" / "story-1.html").write_text(article_html(1, "Replayed harbour story"))
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    with SiteServer(root) as server:
        page_url = server.url("/news/story-1.html")
        crawl = run_archiver(
            "crawl",
            server.url("/"),
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "-q",
            cwd=tmp_path,
        )
        assert crawl.returncode == SITE_EXIT, crawl.stderr
    # the site is gone now
    with pytest.raises(OSError):
        urllib.request.urlopen(page_url, timeout=2)
    conn = sqlite3.connect(db)
    fetched = conn.execute("SELECT fetched_at FROM captures WHERE url = ?", (page_url,)).fetchone()[
        0
    ]
    captured = {u for (u,) in conn.execute("SELECT url FROM captures")}
    conn.close()
    assert any(u.endswith("/static/site.css") for u in captured)
    assert any(u.endswith("/static/logo.png") for u in captured)
    ts = "".join(c for c in fetched if c.isdigit())[:14]

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "replay",
            "--warc-dir",
            str(warc_dir),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        replay_url = f"http://127.0.0.1:{port}/archive/{ts}/{page_url}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(replay_url, timeout=10) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "replay did not come up"
                time.sleep(0.3)
        with chromium_page(tmp_path) as page:
            page.goto(replay_url, wait_until="load")
            page.wait_for_selector("text=Paragraph 0 of story 1.")
            assert "Replayed harbour story" in page.inner_text("h1")
            body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            h1_color = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
            assert body_bg == "rgb(250, 240, 200)"  # the captured stylesheet applied
            assert h1_color == "rgb(200, 100, 50)"
            loaded = page.evaluate(
                "Array.from(document.images).filter(i => i.src.includes('logo.png'))"
                ".map(i => i.complete && i.naturalWidth > 0)"
            )
            assert loaded == [True]  # the captured image came from the archive
            save_screenshot(page, "replay-story-1")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, -15), proc.stderr.read() if proc.stderr else ""


def test_replay_user_errors(tmp_path: Path) -> None:
    proc = run_archiver("replay", "--warc-dir", str(tmp_path / "missing"))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "warc").mkdir()
        proc = run_archiver("replay", "--warc-dir", str(tmp_path / "warc"), "--port", str(port))
    assert proc.returncode == 1 and "cannot listen" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- index keys for every kind of host ---------------------------------------------
HOST_KINDS = {  # URL -> its CDXJ key as pywb and py-wacz (the ``surt`` library) form it
    "http://www.Example.com/Path/Page.html?b=2&a=1": "com,example)/path/page.html?a=1&b=2",
    "http://news.example.org:8080/a": "org,example,news:8080)/a",
    "https://example.net:443/s": "net,example)/s",
    "http://localhost:9000/l": "localhost:9000)/l",
    "http://127.0.0.1/ip": "1,0,0,127)/ip",
    "http://127.0.0.1:34269/ip-port": "1,0,0,127:34269)/ip-port",
    "http://[::1]:8080/v6": "::1:8080)/v6",
    "https://[2001:db8::1]/v6-noport": "2001:db8::1)/v6-noport",
}


def write_host_kinds_warc(path: Path) -> None:
    """One response record (an HTML page naming its URL) per URL of HOST_KINDS."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url in HOST_KINDS:
            body = f"<html><body><p>Page at {url}</p></body></html>".encode()
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2026-01-02T03:04:05Z"},
                )
            )


def keys(lines: list[str]) -> dict[str, str]:
    """URL -> key of CDXJ lines."""
    out = {}
    for line in lines:
        key, _ts, fields = line.split(" ", 2)
        out[json.loads(fields)["url"]] = key
    return out


def test_index_keys_for_every_host_kind(tmp_path: Path) -> None:
    """Names, ports, IPv4, IPv6: `archiver cdx`, the replay index and the WACZ index
    hold the keys pywb and py-wacz form, and pywb finds every page by its URL."""
    from archiver.ops.replay import IndexKeeper

    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    write_host_kinds_warc(warc_dir / "hosts.warc.gz")

    cdx = run_archiver("cdx", "--warc-dir", str(warc_dir))
    assert cdx.returncode == 0, cdx.stderr
    assert keys(cdx.stdout.splitlines()) == HOST_KINDS

    keeper = IndexKeeper(warc_dir, tmp_path / "index")
    keeper.update()
    [index_file] = (tmp_path / "index").glob("*.cdxj")
    assert keys(index_file.read_text().splitlines()) == HOST_KINDS

    def wacz_keys(package: Path) -> dict[str, str]:
        with zipfile.ZipFile(package) as zf:
            assert "indexes/index.idx" in zf.namelist()
            text = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode()
        return keys(text.splitlines())

    # py-wacz's own package of the same WARC file
    py_wacz = tmp_path / "py.wacz"
    made = subprocess.run(
        [
            str(Path(sys.executable).parent / "wacz"),
            "create",
            "-o",
            str(py_wacz),
            str(warc_dir / "hosts.warc.gz"),
        ],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert wacz_keys(py_wacz) == HOST_KINDS

    # archiver wacz of the same records
    db = tmp_path / "archive.db"
    assert run_archiver("reindex", str(warc_dir), "--db", str(db), "-q").returncode == 0
    ours = tmp_path / "ours.wacz"
    made = run_archiver("wacz", str(ours), "--db", str(db), "--warc-dir", str(warc_dir))
    assert made.returncode == 0, made.stderr
    assert wacz_keys(ours) == HOST_KINDS

    # pywb (through `archiver replay`, whose index is kept by IndexKeeper) looks each
    # URL up by the key it forms itself
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "replay",
            "--warc-dir",
            str(warc_dir),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for n, url in enumerate(HOST_KINDS):
            replay_url = f"http://127.0.0.1:{port}/archive/20260102030405id_/{url}"
            deadline = time.monotonic() + (60 if n == 0 else 10)
            while True:
                try:
                    with urllib.request.urlopen(replay_url, timeout=10) as resp:
                        assert f"Page at {url}" in resp.read().decode()
                        break
                except OSError as exc:
                    assert proc.poll() is None, proc.communicate()[1]
                    assert time.monotonic() < deadline, f"{url}: {exc}"
                    time.sleep(0.3)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _children(pid: int) -> list[int]:
    return [child for child, (parent, _state) in processes().items() if parent == pid]


def _alive(pid: int) -> bool:
    return processes().get(pid, (0, b"Z"))[1] not in (b"Z", b"X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_pywb_dies_with_a_killed_replay_command(tmp_path: Path) -> None:
    """However `archiver replay` ends (SIGKILL here), pywb does not outlive it."""
    import signal

    warc = tmp_path / "warc"
    warc.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "replay",
            "--warc-dir",
            str(warc),
            "--port",
            str(port),
            "--root",
            str(tmp_path / "root"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("pywb did not start")
        children = _children(proc.pid)
        assert children, "no pywb child process"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(c) for c in children), "pywb outlived its command"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
