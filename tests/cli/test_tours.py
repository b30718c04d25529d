"""The README's three tours, run as written: the commands are read from the ``sh``
blocks of the sections "Archivist", "Researcher" and "Ops" of README.md, so the docs
and the behaviour cannot drift apart.

Each runs in a fresh folder (the archive in its ``news/`` subfolder, not the working
directory), with the project's ``archiver`` and ``python3`` first on ``PATH``.  The
only liberty taken with the text: the fixed ports of the docs (8000 demo site, 8001
Datasette, 8080 pywb) become free ports, so that the test never collides with
anything running on the machine.  A line ending in ``&`` is started in the
background, waited for (its port answers) and stopped (SIGTERM) at the end.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.e2e

README = ROOT / "README.md"
PORTS = {8000: "demo", 8001: "serve", 8080: "replay"}


def tour_commands(section: str, markdown: Path = README) -> list[str]:
    """The commands of the ``sh`` blocks under the heading ``section`` (any level),
    up to the next heading of the same or a higher level; comments stripped."""
    lines = markdown.read_text(encoding="utf-8").splitlines()
    start = next(
        i for i, line in enumerate(lines) if re.fullmatch(rf"#+ {re.escape(section)}", line.strip())
    )
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    commands, in_block = [], False
    for line in lines[start + 1 :]:
        if not in_block and re.match(rf"#{{1,{level}}} ", line):
            break
        if line.startswith("```"):
            in_block = not in_block and line.strip() in ("```sh", "```bash", "```shell")
            continue
        if in_block:
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command:
                commands.append(command)
    assert commands, f"no sh block under {section!r} in {markdown.name}"
    return commands


@dataclass
class Tour:
    folder: Path
    ports: dict[int, int]
    env: dict[str, str]
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)
    outputs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def localise(self, command: str) -> str:
        for doc_port, port in self.ports.items():
            command = command.replace(f"127.0.0.1:{doc_port}", f"127.0.0.1:{port}")
        return command

    def run(self, section: str) -> None:
        for command in tour_commands(section):
            line = self.localise(command)
            if line.endswith("&"):
                self.start(line[:-1].strip())
                continue
            proc = subprocess.run(
                ["bash", "-c", line],
                cwd=self.folder,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert proc.returncode == 0, (command, proc.stdout[-2000:], proc.stderr[-2000:])
            assert "Traceback" not in proc.stderr, (command, proc.stderr)
            self.outputs[command] = proc

    def start(self, line: str) -> None:
        doc_port = next(
            p
            for p, name in PORTS.items()
            if f"archiver {name}" in line or (name == "demo" and "demo --serve" in line)
        )
        port = self.ports[doc_port]
        proc = subprocess.Popen(
            ["bash", "-c", f"exec {line} --port {port}"],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.background.append(proc)
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                assert proc.poll() is None, f"{line}: exited with {proc.returncode}"
                assert time.monotonic() < deadline, f"{line}: port {port} never answered"
                time.sleep(0.3)

    def output(self, start: str) -> str:
        return next(p.stdout for c, p in self.outputs.items() if c.startswith(start))

    def stop(self, first: int = 0) -> None:
        """Stop the background commands started since ``first`` (default: all)."""
        mine = self.background[first:]
        for proc in mine:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in mine:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        del self.background[first:]


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tour]:
    folder = tmp_path_factory.mktemp("tour")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("COLUMNS", None)
    ports = {doc_port: free_port() for doc_port in PORTS}
    made = Tour(folder, ports, env)
    try:
        made.run("Archivist")
        yield made
    finally:
        made.stop()


def test_archivist_tour(tour: Tour) -> None:
    news = tour.folder / "news"
    assert (news / "archive.db").is_file() and list((news / "warc").glob("*.warc.gz"))
    shown = tour.output("archiver jobs show harbour")
    assert "next run:" in shown and "PAGES" in shown and "CAPTURES" in shown
    assert "nothing due, next: harbour at " in tour.output("archiver scheduler --once")
    assert "[[jobs]]" in (tour.folder / "jobs.toml").read_text()
    assert str(news / "warc") in (tour.folder / "jobs.toml").read_text()  # resolved at add
    refused = subprocess.run(
        ["bash", "-c", "archiver demo --out news"],
        cwd=tour.folder,
        env=tour.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and refused.stderr.startswith("error: ")


@pytest.fixture
def own_servers(tour: Tour) -> Iterator[None]:
    """The servers a tour starts in the background stop when its test ends."""
    first = len(tour.background)
    try:
        yield
    finally:
        tour.stop(first)


@pytest.mark.usefixtures("own_servers")
def test_researcher_tour(tour: Tour) -> None:
    tour.run("Researcher")
    searched = tour.output("archiver search ferry --db")
    assert "article" in searched and "relevance" in searched
    mixed = tour.output("archiver search ferry --page-type any")
    assert mixed.splitlines()[0].startswith("id,url,")
    assert "nothing to compare" in tour.output("archiver diff 1") or "words added" in tour.output(
        "archiver diff 1"
    )
    assert "rows x 3 columns" in tour.output("python3 -c")  # filtered by date, typed
    port = tour.ports[8001]
    query = urllib.parse.quote("covid-19")
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/archive/documents.json?_search={query}", timeout=30
    ) as resp:
        assert resp.status == 200


@pytest.mark.usefixtures("own_servers")
def test_ops_tour(tour: Tour) -> None:
    tour.run("Ops")
    verified = tour.output("archiver verify")
    assert "payload digests not checked" in verified
    assert tour.output("archiver reextract --dry-run").startswith("dry run, nothing written")
    assert (tour.folder / "rebuilt" / "archive.db").is_file()
    assert (tour.folder / "news.wacz").stat().st_size > 0
    # the CDX API of the replay, as the docs give it
    site = f"http://127.0.0.1:{tour.ports[8000]}/"
    cdx = f"http://127.0.0.1:{tour.ports[8080]}/archive/cdx?" + urllib.parse.urlencode(
        {"url": site}
    )
    deadline = time.monotonic() + 60
    while True:  # the replay indexes the WARC files a moment after it starts
        with urllib.request.urlopen(cdx, timeout=30) as resp:
            lines = resp.read().decode().splitlines()
        if lines or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert lines and site in lines[0]
