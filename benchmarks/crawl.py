"""Crawl benchmark: archiver against stock Scrapy and wget on a generated local news site.

Generates a site of ``--pages`` article pages (~50 KB of HTML each, ~100 links each,
seeded), serves it on 127.0.0.1 (nginx if installed, else archiver.demo.server.SiteServer)
and crawls it ``--rounds`` times (default 3) with each of:

* ``spider``: the archiver's own ``news`` spider with capture, extraction and store
  switched off (same settings, seen-set and link handling; ``benchmarks/_spider_only.py``):
  the baseline that isolates the cost of archiving;
* ``scrapy``: a stock CrawlSpider with one ``Rule(LinkExtractor(), follow=True)``,
  32 concurrent requests, no delay, no AutoThrottle, no item processing
  (``benchmarks/_scrapy_crawl.py``);
* ``wget``: ``wget --recursive --level=inf --no-parent --warc-file=... --delete-after``
  (skipped when wget is not installed);
* ``archiver``: ``python -m archiver crawl URL --delay 0 --concurrency 32 --quiet``.

The order of the crawlers rotates from round to round, so none always runs first or
last on a machine whose load drifts.  Every crawler is a child process.  Wall time and
CPU time (user + sys of the process and the children it waited for, such as extraction
workers) come from ``os.wait4``.  Peak memory is the whole process tree's: every
~50 ms the RSS (and, where ``/proc/PID/smaps_rollup`` is readable, the PSS, which
splits pages shared between processes) of the crawler and all its descendants is
summed from ``/proc`` (or psutil when /proc is missing), and the largest sum is kept.
Pages are counted from each crawler's own output: Scrapy's
``downloader/response_count`` (``spider`` and ``scrapy``), the ``captures`` rows of
archiver's database, the WARC response records of wget.  The table shows medians over
the rounds; ``vs spider`` etc. are ratios of median pages/s.

    python benchmarks/crawl.py                       # 2000 pages, 3 rounds
    python benchmarks/crawl.py --pages 500 --rounds 5
    python benchmarks/crawl.py --compare-sizes 2000,8000   # archiver only: RSS vs N
    python benchmarks/crawl.py --crawlers scrapy,wget --json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

import _site  # noqa: E402

CRAWLERS = ("spider", "scrapy", "wget", "archiver")
BASELINES = ("spider", "scrapy", "wget")


@dataclass
class Run:
    crawler: str
    site_pages: int
    round: int
    ok: bool
    pages: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    cpu_seconds: float = 0.0
    error: str = ""

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0


@dataclass
class Child:
    returncode: int
    seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    cpu_seconds: float
    stdout: str
    stderr: str


# -- memory of a whole process tree -------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # the command name may hold spaces and parentheses: split after the last ")"
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _proc_kb(path: str, key: bytes) -> int:
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB summed over ``pid`` and all its descendants."""
    if not os.path.isdir("/proc"):
        return _tree_memory_psutil(pid)
    children = _children_map()
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        stack.extend(children.get(current, ()))
    rss = sum(_proc_kb(f"/proc/{p}/status", b"VmRSS:") for p in pids)
    pss = sum(_proc_kb(f"/proc/{p}/smaps_rollup", b"Pss:") for p in pids)
    return rss, pss


def _tree_memory_psutil(pid: int) -> tuple[int, int]:
    try:
        import psutil
    except ImportError:
        return 0, 0
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    rss = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            rss += proc.memory_info().rss // 1024
    return rss, 0


class TreeMemorySampler(threading.Thread):
    """Sample the memory of a process tree every ``interval`` seconds; keep the peaks."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss, pss = tree_memory_kb(self.pid)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_child(argv: Sequence[str], cwd: Path, timeout: float) -> Child:
    """Run one crawler process; wall time and CPU time come from ``os.wait4``, peak
    memory from sampling the process tree while it runs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, stdout=out, stderr=err, env=env, stdin=subprocess.DEVNULL
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4 already
    # a process that ended between two samples still has its own peak in ru_maxrss
    peak_rss_mb = max(sampler.peak_rss_kb, usage.ru_maxrss) / 1024
    return Child(
        process.returncode,
        seconds,
        peak_rss_mb,
        sampler.peak_pss_kb / 1024,
        usage.ru_utime + usage.ru_stime,
        out_path.read_text("utf-8", "replace"),
        err_path.read_text("utf-8", "replace"),
    )


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


def count_warc_responses(paths: Sequence[Path]) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    for path in paths:
        with path.open("rb") as stream:
            count += sum(1 for record in ArchiveIterator(stream) if record.rec_type == "response")
    return count


# -- the crawlers -------------------------------------------------------------------------


def crawl_spider(url: str, work: Path, args: argparse.Namespace) -> tuple[Child, int]:
    return _scrapy_script("_spider_only.py", url, work, args)


def crawl_scrapy(url: str, work: Path, args: argparse.Namespace) -> tuple[Child, int]:
    return _scrapy_script("_scrapy_crawl.py", url, work, args)


def _scrapy_script(
    script: str, url: str, work: Path, args: argparse.Namespace
) -> tuple[Child, int]:
    argv = [sys.executable, str(HERE / script), url, "--concurrency", str(args.concurrency)]
    if args.ignore_robots:
        argv.append("--ignore-robots")
    child = run_child(argv, work, args.timeout)
    marker = [line for line in child.stdout.splitlines() if line.startswith("STATS ")]
    if not marker:
        return child, 0
    stats = json.loads(marker[-1][len("STATS ") :])
    return child, int(stats.get("downloader/response_count", 0))


def crawl_wget(url: str, work: Path, args: argparse.Namespace) -> tuple[Child, int]:
    argv = [
        "wget",
        "--recursive",
        "--level=inf",
        "--no-parent",
        f"--warc-file={work / 'wget'}",
        "--delete-after",
        "-q",
        f"--directory-prefix={work / 'files'}",
    ]
    if args.ignore_robots:
        argv += ["-e", "robots=off"]
    child = run_child([*argv, url], work, args.timeout)
    return child, count_warc_responses(sorted(work.glob("wget*.warc.gz")))


def crawl_archiver(url: str, work: Path, args: argparse.Namespace) -> tuple[Child, int]:
    db, warcs = work / "archive.db", work / "warc"
    argv = [
        sys.executable,
        "-m",
        "archiver",
        "crawl",
        url,
        "--db",
        str(db),
        "--warc-dir",
        str(warcs),
        "--delay",
        "0",
        "--concurrency",
        str(args.concurrency),
        "--quiet",
        *args.archiver_arg,
    ]
    if args.ignore_robots:
        argv.append("--ignore-robots")
    child = run_child(argv, work, args.timeout)
    pages = 0
    if db.exists():
        try:
            with sqlite3.connect(db) as conn:
                pages = int(conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0])
        except sqlite3.Error:
            pages = 0
    if not pages and warcs.exists():
        pages = count_warc_responses(sorted(warcs.rglob("*.warc*")))
    return child, pages


RUNNERS = {
    "spider": crawl_spider,
    "scrapy": crawl_scrapy,
    "wget": crawl_wget,
    "archiver": crawl_archiver,
}


def run_one(
    crawler: str, url: str, tmp: Path, site_pages: int, round_no: int, args: argparse.Namespace
) -> Run:
    work = Path(tempfile.mkdtemp(prefix=f"{crawler}-", dir=tmp))
    try:
        child, pages = RUNNERS[crawler](url, work, args)
    except OSError as error:
        return Run(crawler, site_pages, round_no, False, error=str(error))
    run = Run(
        crawler,
        site_pages,
        round_no,
        child.returncode == 0 and pages > 0,
        pages,
        child.seconds,
        child.peak_rss_mb,
        child.peak_pss_mb,
        child.cpu_seconds,
    )
    if not run.ok:
        run.error = f"exit {child.returncode}: {last_line(child.stderr or child.stdout)}"
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return run


# -- reporting ----------------------------------------------------------------------------


def summarize(runs: list[Run]) -> list[dict[str, object]]:
    """One row per (crawler, site size): medians over the rounds."""
    rows: list[dict[str, object]] = []
    keys = sorted(
        {(r.site_pages, r.crawler) for r in runs}, key=lambda k: (k[0], CRAWLERS.index(k[1]))
    )
    for size, crawler in keys:
        group = [r for r in runs if r.crawler == crawler and r.site_pages == size]
        good = [r for r in group if r.ok]
        if not good:
            rows.append(
                {"crawler": crawler, "site_pages": size, "ok": False, "error": group[-1].error}
            )
            continue
        seconds = statistics.median(r.seconds for r in good)
        pages = int(statistics.median(r.pages for r in good))
        rows.append(
            {
                "crawler": crawler,
                "site_pages": size,
                "ok": True,
                "runs": len(good),
                "pages": pages,
                "seconds": round(seconds, 2),
                "pages_per_s": round(pages / seconds, 1),
                "peak_rss_mb": round(statistics.median(r.peak_rss_mb for r in good), 1),
                "peak_pss_mb": round(statistics.median(r.peak_pss_mb for r in good), 1),
                "cpu_ms_per_page": round(statistics.median(r.cpu_ms_per_page for r in good), 2),
            }
        )
    for row in rows:
        for base in BASELINES:
            ref = next(
                (
                    r
                    for r in rows
                    if r["crawler"] == base and r["ok"] and r["site_pages"] == row["site_pages"]
                ),
                None,
            )
            if row["ok"] and ref:
                row[f"vs_{base}"] = round(
                    float(row["pages_per_s"])  # type: ignore[arg-type]
                    / float(ref["pages_per_s"]),
                    2,
                )  # type: ignore[arg-type]
    return rows


def print_table(rows: list[dict[str, object]], show_size: bool) -> None:
    head = [
        "crawler",
        "pages",
        "seconds",
        "pages/s",
        "vs spider",
        "vs scrapy",
        "vs wget",
        "tree RSS MB",
        "tree PSS MB",
        "CPU ms/page",
    ]
    if show_size:
        head.insert(1, "site")
    lines = [head]
    for row in rows:
        cells = [str(row["crawler"])]
        if show_size:
            cells.append(str(row["site_pages"]))
        if not row["ok"]:
            cells.append(f"FAILED: {row['error']}")
        else:
            cells += [
                str(row["pages"]),
                f"{row['seconds']:.2f}",
                f"{row['pages_per_s']:.1f}",
                *(
                    f"{row[f'vs_{base}']:.2f}x" if f"vs_{base}" in row else "-"
                    for base in BASELINES
                ),
                f"{row['peak_rss_mb']:.1f}",
                f"{row['peak_pss_mb']:.1f}" if row["peak_pss_mb"] else "-",
                f"{row['cpu_ms_per_page']:.2f}",
            ]
        lines.append(cells)
    widths = [
        max(len(line[i]) for line in lines if i < len(line) and len(line) > 2)
        for i in range(len(head))
    ]
    for n, cells in enumerate(lines):
        if len(cells) == len(head):
            print(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(cells, widths, strict=True))
                )
            )
        else:
            print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds; the crawlers' order rotates each round (default 3)",
    )
    parser.add_argument(
        "--crawlers",
        default=None,
        help="comma-separated subset of spider,scrapy,wget,archiver "
        "(default: all; archiver only with --compare-sizes)",
    )
    parser.add_argument(
        "--compare-sizes",
        default=None,
        metavar="N,M",
        help="crawl sites of these sizes to see how peak RSS grows with N",
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--ignore-robots",
        action="store_true",
        help="all crawlers ignore robots.txt (default: all obey it)",
    )
    parser.add_argument(
        "--archiver-arg",
        action="append",
        default=["--no-autothrottle"],
        help="extra argument for `archiver crawl` (repeatable; "
        "default --no-autothrottle, as the Scrapy baseline)",
    )
    parser.add_argument("--server", choices=["auto", "nginx", "python"], default="auto")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per crawl")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s) for s in args.compare_sizes.split(",")] if args.compare_sizes else [args.pages]
    default = "archiver" if args.compare_sizes else ",".join(CRAWLERS)
    crawlers = [c.strip() for c in (args.crawlers or default).split(",") if c.strip()]
    unknown = set(crawlers) - set(CRAWLERS)
    if unknown:
        raise SystemExit(f"unknown crawler(s): {', '.join(sorted(unknown))}")
    skipped = []
    if "wget" in crawlers and shutil.which("wget") is None:
        crawlers.remove("wget")
        skipped.append("wget (not installed)")
    if args.server == "nginx" and shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed")

    tmp = Path(tempfile.mkdtemp(prefix="archiver-bench-"))
    log = sys.stderr
    runs: list[Run] = []
    server_name = ""
    try:
        for size in sizes:
            site = tmp / f"site-{size}"
            started = time.perf_counter()
            total = _site.generate(site, size, seed=args.seed)
            print(
                f"site: {total} HTML pages ({size} articles) generated in "
                f"{time.perf_counter() - started:.1f}s",
                file=log,
            )
            with _site.serve(site, tmp / f"nginx-{size}", args.server != "python") as served:
                server_name = served.server
                print(f"serving {served.url} with {served.server}", file=log)
                for round_no in range(1, args.rounds + 1):
                    shift = (round_no - 1) % len(crawlers)
                    for crawler in crawlers[shift:] + crawlers[:shift]:
                        run = run_one(crawler, served.url, tmp, total, round_no, args)
                        runs.append(run)
                        state = (
                            f"{run.pages} pages in {run.seconds:.1f}s"
                            if run.ok
                            else f"failed ({run.error})"
                        )
                        print(f"  round {round_no} {crawler}: {state}", file=log)
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=log)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    rows = summarize(runs)
    if args.json:
        print(
            json.dumps(
                {
                    "server": server_name,
                    "sizes": sizes,
                    "rounds": args.rounds,
                    "concurrency": args.concurrency,
                    "robots": not args.ignore_robots,
                    "skipped": skipped,
                    "summary": rows,
                    "runs": [
                        {
                            **asdict(r),
                            "pages_per_s": round(r.pages_per_s, 2),
                            "cpu_ms_per_page": round(r.cpu_ms_per_page, 3),
                        }
                        for r in runs
                    ],
                },
                indent=2,
            )
        )
    else:
        print(
            f"\nserver: {server_name}, concurrency {args.concurrency}, robots.txt "
            f"{'ignored' if args.ignore_robots else 'obeyed'}, rounds: {args.rounds} "
            f"(medians; tree RSS/PSS: peak memory of the crawler's whole process tree)"
        )
        print_table(rows, show_size=len(sizes) > 1)
        for name in skipped:
            print(f"skipped: {name}")
    return 0 if all(r.ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
