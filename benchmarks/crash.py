"""Crash benchmark: SIGKILLs at random moments of a crawl, each followed by ``--resume``.

Generates the benchmark site (``benchmarks/_site.py``) with ``--articles`` article pages,
serves it on 127.0.0.1 with :class:`archiver.demo.server.SiteServer` (which records
every request, so pages fetched twice are counted server-side), then:

1. **baseline**: an uninterrupted ``archiver crawl`` of the site into a fresh archive
   (run before and after the killed crawl, on the shared and noisy machine; the table
   shows both and their mean);
2. **killed**: ``archiver crawl`` into another fresh archive, SIGKILLed ``--kills``
   times (the whole process group: the crawl and its extraction workers), each time
   started again with ``--resume``, until a run finishes on its own.  Each kill comes
   at a random moment drawn with a seeded generator (``--seed``): one in five during
   the start-up (before the run's first request: interpreter and Scrapy start,
   repair, frontier), the others after the run's first request, at up to about
   twice an even share of the crawl's work (so also before the run's first commit).

Reported: articles expected, found (distinct article URLs with a document), lost and
duplicated (more than one document); pages fetched twice by the server (distinct URLs
requested again after a kill, robots.txt aside), in total and at most per kill,
against ``CONCURRENT_REQUESTS`` (``--concurrency``, the most requests in flight at a
kill); ``archiver verify``; the start-up of each resumed run (from its start to its
first request) and the time to its first new committed capture, p50 / p95 (the latter
includes the commit interval, 0.5 s); total wall time of all the killed crawl's runs
against the baseline.  After every kill the process group is checked empty, and at
the end no process started by the benchmark is left.

    python benchmarks/crash.py                         # 600 articles, 20 kills
    python benchmarks/crash.py --articles 200 --kills 5 --seed 2
    python benchmarks/crash.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

import _site  # noqa: E402

from archiver.demo.server import SiteServer  # noqa: E402

ARTICLE_SQL = "SELECT url, count(*) FROM documents WHERE url LIKE '%/news/%/%.html' GROUP BY url"


@dataclass
class RunInfo:
    """One run of ``archiver crawl`` (the first, or a ``--resume``)."""

    resume: bool
    killed: bool = False
    kill_at: float | None = None  # planned, seconds after the run's start
    kill_phase: str = ""  # "startup" or "crawling"
    seconds: float = 0.0
    startup: float | None = None  # start -> first request seen by the server
    first_capture: float | None = None  # start -> first new committed capture
    exit_code: int | None = None
    refetched: int = 0  # distinct URLs this run requested that earlier runs had


@dataclass
class Result:
    articles: int
    kills_asked: int
    concurrency: int
    seed: int
    baseline_seconds: list[float] = field(default_factory=list)
    baseline_articles: int = 0
    baseline_startup: list[float] = field(default_factory=list)
    runs: list[RunInfo] = field(default_factory=list)
    found: int = 0
    duplicated: int = 0
    captures_twice: int = 0
    refetched_total: int = 0
    verify_ok: bool = False
    verify_summary: str = ""
    crawl_status: str = ""
    leftover_processes: list[str] = field(default_factory=list)


def crawl_command(url: str, db: Path, warc: Path, concurrency: int, resume: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "archiver",
        "crawl",
        url,
        "--db",
        str(db),
        "--warc-dir",
        str(warc),
        "--delay",
        "0",
        "--concurrency",
        str(concurrency),
        "--quiet",
    ]
    return [*cmd, "--resume"] if resume else cmd


def captures(db: Path, since: str = "") -> int:
    """Committed captures (fetched at or after ``since``, a WARC date: rows a repair
    gives to earlier records do not count as new)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            sql = "SELECT count(*) FROM captures WHERE fetched_at >= ?"
            return int(conn.execute(sql, (since,)).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def has_crawl(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return bool(conn.execute("SELECT count(*) FROM crawls").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def group_members(pgid: int) -> list[str]:
    """Live (non-zombie) processes of process group ``pgid``."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(f"{entry} {stat.split(' (', 1)[1].split(')', 1)[0]}")
    return out


def run_once(
    server: SiteServer,
    cmd: list[str],
    db: Path,
    *,
    kill_at: float | None,
    kill_phase: str,
    resume: bool,
    pgids: list[int],
) -> RunInfo:
    """Run the crawl; SIGKILL its process group ``kill_at`` seconds after its start
    (``startup``) or after its first request (``crawling``)."""
    info = RunInfo(resume=resume, kill_at=kill_at, kill_phase=kill_phase if kill_at else "")
    requests_before = len(server.requests)
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )
    pgids.append(proc.pid)
    anchor: float | None = started if kill_phase == "startup" else None
    while proc.poll() is None:
        now = time.monotonic()
        if info.startup is None and any(
            r.path != "/robots.txt" for r in server.requests[requests_before:]
        ):
            info.startup = now - started
            if anchor is None:
                anchor = now
        if info.first_capture is None and captures(db, since):
            info.first_capture = now - started
        if kill_at is not None and anchor is not None and now - anchor >= kill_at:
            os.killpg(proc.pid, signal.SIGKILL)
            info.killed = True
            break
        time.sleep(0.02)
    proc.wait()
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    info.seconds = time.monotonic() - started
    info.exit_code = proc.returncode
    if not info.killed and proc.returncode not in (0, 4, 7, 8):
        raise RuntimeError(f"crawl failed ({proc.returncode}): {stderr.strip()}")
    # the extraction workers notice their parent is gone within half a second; the
    # group was SIGKILLed as a whole anyway: nothing may be left of it
    deadline = time.monotonic() + 5
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = group_members(proc.pid)
    if left:
        raise RuntimeError(f"processes left after the kill: {left}")
    return info


def article_counts(db: Path) -> Counter[str]:
    conn = sqlite3.connect(db)
    try:
        return Counter(dict(conn.execute(ARTICLE_SQL).fetchall()))
    finally:
        conn.close()


def baseline(server: SiteServer, work: Path, n: int, concurrency: int, out: Result) -> None:
    db, warc = work / f"baseline-{n}.db", work / f"baseline-{n}-warc"
    cmd = crawl_command(server.url("/"), db, warc, concurrency, resume=False)
    run = run_once(server, cmd, db, kill_at=None, kill_phase="", resume=False, pgids=[])
    out.baseline_seconds.append(run.seconds)
    if run.startup is not None:
        out.baseline_startup.append(run.startup)
    out.baseline_articles = len(article_counts(db))


def killed_crawl(
    server: SiteServer, work: Path, args: argparse.Namespace, out: Result, pgids: list[int]
) -> None:
    rng = random.Random(args.seed)
    db, warc = work / "killed.db", work / "killed-warc"
    url = server.url("/")
    base = statistics.mean(out.baseline_seconds)
    startup = statistics.mean(out.baseline_startup) if out.baseline_startup else 2.0
    share = max(base - startup, 1.0) / max(args.kills, 1)
    requested: set[str] = set()
    kills = 0
    first_request = len(server.requests)
    while True:
        if kills < args.kills:
            if rng.random() < 0.2:
                phase, at = "startup", rng.uniform(0.05, startup)
            else:
                phase, at = "crawling", rng.uniform(0.0, 1.8 * share)
        else:
            phase, at = "", None
        resume = has_crawl(db)
        before = len(server.requests)
        cmd = crawl_command(url, db, warc, args.concurrency, resume)
        run = run_once(server, cmd, db, kill_at=at, kill_phase=phase, resume=resume, pgids=pgids)
        paths = {r.path for r in server.requests[before:] if r.path != "/robots.txt"}
        run.refetched = len(paths & requested)
        requested |= paths
        out.runs.append(run)
        if not run.killed:
            break
        kills += 1
        if not args.json:
            print(
                f"  kill {kills:2d} ({phase}, {at:.2f} s): run of {run.seconds:.1f} s, "
                f"{captures(db)} captures so far",
                file=sys.stderr,
            )
    counts = article_counts(db)
    out.found = len(counts)
    out.duplicated = sum(1 for c in counts.values() if c > 1)
    per_path = Counter(r.path for r in server.requests[first_request:] if r.path != "/robots.txt")
    out.refetched_total = sum(1 for c in per_path.values() if c > 1)
    conn = sqlite3.connect(db)
    try:
        out.captures_twice = conn.execute(
            "SELECT count(*) FROM (SELECT url FROM captures WHERE url LIKE '%/news/%' "
            "GROUP BY url HAVING count(*) > 1)"
        ).fetchone()[0]
        out.crawl_status = ", ".join(
            f"{i}: {s}" for i, s in conn.execute("SELECT id, status FROM crawls")
        )
    finally:
        conn.close()
    verify = subprocess.run(
        [sys.executable, "-m", "archiver", "verify", "--db", str(db), "--warc-dir", str(warc)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    out.verify_ok = verify.returncode == 0
    lines = verify.stdout.strip().splitlines()
    out.verify_summary = lines[0] if lines else verify.stderr.strip()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def report(out: Result) -> None:
    resumed = [r for r in out.runs if r.resume]
    startups = [r.startup for r in resumed if r.startup is not None]
    firsts = [r.first_capture for r in resumed if r.first_capture is not None]
    kills = [r for r in out.runs if r.killed]
    total = sum(r.seconds for r in out.runs)
    base = statistics.mean(out.baseline_seconds)
    phases = Counter(r.kill_phase for r in kills)
    rows = [
        ("site", f"{out.articles} articles, served by SiteServer on 127.0.0.1"),
        (
            "kills (SIGKILL of the process group)",
            f"{len(kills)} of {out.kills_asked} asked "
            f"({phases['startup']} in start-up, {phases['crawling']} while crawling), seed "
            f"{out.seed}",
        ),
        ("runs (first + --resume)", str(len(out.runs))),
        ("articles expected", str(out.articles)),
        ("articles found (baseline found)", f"{out.found} ({out.baseline_articles})"),
        ("articles lost (goal 0)", str(out.articles - out.found)),
        ("articles with 2+ documents", str(out.duplicated)),
        ("article URLs captured twice", str(out.captures_twice)),
        (
            "pages fetched twice (server), total",
            f"{out.refetched_total} (in-flight bound {out.concurrency} x {len(kills)} kills "
            f"= {out.concurrency * len(kills)})",
        ),
        (
            "pages fetched again after one kill, max / median",
            f"{max((r.refetched for r in out.runs[1:]), default=0)} / "
            f"{statistics.median([r.refetched for r in out.runs[1:]] or [0]):.0f} "
            f"(CONCURRENT_REQUESTS {out.concurrency})",
        ),
        ("archiver verify", f"{'ok' if out.verify_ok else 'FAILED'}: {out.verify_summary}"),
        ("crawl rows", out.crawl_status),
        (
            "resume start-up (start -> first request) p50 / p95",
            f"{pct(startups, 0.5):.2f} s / {pct(startups, 0.95):.2f} s "
            f"(baseline start-up {statistics.mean(out.baseline_startup or [float('nan')]):.2f} s)",
        ),
        (
            "resume -> first new committed capture p50 / p95",
            f"{pct(firsts, 0.5):.2f} s / {pct(firsts, 0.95):.2f} s",
        ),
        (
            "total time, killed crawl (all runs)",
            f"{total:.1f} s = {total / base:.2f} x baseline",
        ),
        (
            "baseline (uninterrupted), before / after",
            " / ".join(f"{s:.1f} s" for s in out.baseline_seconds) + f" (mean {base:.1f} s)",
        ),
        ("processes left", ", ".join(out.leftover_processes) or "none"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600, help="article pages of the site")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs before the last run")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--concurrency", type=int, default=16, help="--concurrency of the crawl")
    parser.add_argument("--page-kb", type=int, default=20, help="size of an article page")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    out = Result(
        articles=args.articles, kills_asked=args.kills, concurrency=args.concurrency, seed=args.seed
    )
    pgids: list[int] = []
    with tempfile.TemporaryDirectory(prefix="archiver-crash-bench-") as tmp:
        work = Path(tmp)
        _site.generate(work / "site", pages=args.articles, seed=args.seed, page_kb=args.page_kb)
        with SiteServer(work / "site") as server:
            # a killed crawl resets its connections: no server traceback for that
            server._httpd.handle_error = lambda request, address: None  # type: ignore[union-attr]
            if not args.json:
                print(f"baseline crawl of {args.articles} articles ...", file=sys.stderr)
            baseline(server, work, 1, args.concurrency, out)
            if not args.json:
                print(f"killed crawl, {args.kills} kills ...", file=sys.stderr)
            killed_crawl(server, work, args, out, pgids)
            if not args.json:
                print("baseline crawl again ...", file=sys.stderr)
            baseline(server, work, 2, args.concurrency, out)
    out.leftover_processes = [p for g in pgids for p in group_members(g)]
    if args.json:
        print(json.dumps(asdict(out), indent=2))
    else:
        report(out)
    lost = out.articles - out.found
    return 0 if lost == 0 and out.verify_ok and not out.leftover_processes else 1


if __name__ == "__main__":
    sys.exit(main())
