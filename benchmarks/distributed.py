"""Distributed crawl benchmark: pages/s with 1, 2 and 4 workers on one Redis.

Builds the tests' news site with ``--pages`` articles, serves it on 127.0.0.1, starts a
throwaway ``redis-server`` (AOF on, as in production), and crawls the site with N
``archiver crawl --redis`` worker processes (``--delay 0 --concurrency 8``: the site's
eight slots are shared by all workers), alternating the worker counts over
``--rounds`` rounds.  For each run it reports pages/s (200 captures of all shards over
the wall time), and Redis commands per page as counted by the server
(``total_commands_processed``; also the sum of ``INFO commandstats``).  Then
``redis-benchmark`` measures what this Redis serves
(50 clients, no pipelining, GET/SET/INCR/HSET/ZADD and a small Lua script), and the
ceiling of the design is that ops/s divided by the commands per page.

    python benchmarks/distributed.py                 # 400 pages, workers 1,2,4, 2 rounds
    python benchmarks/distributed.py --pages 1000 --rounds 3 --workers 1,2,4,8

The machine is shared and noisy, and on a 2-core machine four workers (each with its
extraction process) compete for the same cores as the site server and Redis: read the
ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO)]

from archiver.demo.server import SiteServer  # noqa: E402
from tests.conftest import build_site  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402


def redis_info(port: int) -> tuple[int, int]:
    """(client commands, all commands incl. those of scripts) so far."""
    import redis

    client = redis.Redis(port=port)
    try:
        total = int(client.info("stats")["total_commands_processed"])
        stats = client.info("commandstats")
        every = sum(
            int(v["calls"])
            for k, v in stats.items()
            if k not in ("cmdstat_evalsha", "cmdstat_eval", "cmdstat_info")
        )
        every += sum(
            int(v["calls"]) for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval")
        )
    finally:
        client.close()
    return total, every


def run(
    redis_server: RedisServer, site: SiteServer, workers: int, name: str, out: Path
) -> dict[str, float]:
    out.mkdir(parents=True)
    before = redis_info(redis_server.port)
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "archiver",
                "crawl",
                site.url("/"),
                "--redis",
                redis_server.url,
                "--crawl",
                name,
                "--worker-id",
                f"w{i}",
                "--db",
                str(out / f"w{i}.db"),
                "--warc-dir",
                str(out / "warc"),
                "--delay",
                "0",
                "--concurrency",
                "8",
                "--quiet",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    for proc in procs:
        proc.wait(timeout=1800)
    seconds = time.monotonic() - started
    after = redis_info(redis_server.port)
    pages = 0
    for i in range(workers):
        conn = sqlite3.connect(out / f"w{i}.db")
        pages += conn.execute("SELECT count(*) FROM captures WHERE status = 200").fetchone()[0]
        conn.close()
    return {
        "workers": workers,
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": pages / seconds,
        "client_cmds_per_page": (after[0] - before[0]) / max(pages, 1),
        "all_cmds_per_page": (after[1] - before[1]) / max(pages, 1),
    }


def redis_ops_per_s(port: int) -> float:
    """Median requests/s of redis-benchmark over a few simple commands and a Lua script."""
    binary = shutil.which("redis-benchmark")
    if binary is None:
        return float("nan")
    rates = []
    out = subprocess.run(
        [binary, "-p", str(port), "-c", "50", "-n", "100000", "-q", "-t", "get,set,incr,hset,zadd"],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    rates += [float(m) for m in re.findall(r"([\d.]+) requests per second", out)]
    out = subprocess.run(
        [
            binary,
            "-p",
            str(port),
            "-c",
            "50",
            "-n",
            "100000",
            "-q",
            "EVAL",
            "local n = redis.call('INCR', KEYS[1]); redis.call('ZADD', KEYS[2], n, n); return n",
            "2",
            "b:n",
            "b:z",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    rates += [float(m) for m in re.findall(r"([\d.]+) requests per second", out)]
    return statistics.median(rates) if rates else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    base = Path(tempfile.mkdtemp(prefix="archiver-bench-dist-"))
    results: list[dict[str, float]] = []
    try:
        build_site(base / "site", articles=args.pages)
        with RedisServer(base / "redis") as redis_server, SiteServer(base / "site") as site:
            for rnd in range(args.rounds):
                order = counts if rnd % 2 == 0 else list(reversed(counts))
                for workers in order:
                    name = f"bench-{rnd}-{workers}"
                    results.append(run(redis_server, site, workers, name, base / name))
            ops = redis_ops_per_s(redis_server.port)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    table = []
    for workers in counts:
        runs = [r for r in results if r["workers"] == workers]
        table.append(
            {
                "workers": workers,
                "pages": statistics.median(r["pages"] for r in runs),
                "pages_per_s": statistics.median(r["pages_per_s"] for r in runs),
                "client_cmds_per_page": statistics.median(r["client_cmds_per_page"] for r in runs),
                "all_cmds_per_page": statistics.median(r["all_cmds_per_page"] for r in runs),
            }
        )
    base_rate = table[0]["pages_per_s"]
    per_page = max(row["all_cmds_per_page"] for row in table)
    summary = {
        "rows": table,
        "redis_ops_per_s": ops,
        "ceiling_pages_per_s": ops / per_page if per_page else float("nan"),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"{'workers':>7} {'pages':>6} {'pages/s':>8} {'vs 1':>6} {'cmds/page':>10} "
        f"{'incl. scripts':>14}"
    )
    for row in table:
        print(
            f"{row['workers']:>7} {row['pages']:>6.0f} {row['pages_per_s']:>8.1f} "
            f"{row['pages_per_s'] / base_rate:>5.2f}x {row['client_cmds_per_page']:>10.1f} "
            f"{row['all_cmds_per_page']:>14.1f}"
        )
    print(f"\nredis-benchmark (50 clients, no pipelining): {ops:,.0f} ops/s")
    print(
        f"ceiling of one Redis: {ops:,.0f} / {per_page:.1f} commands per page = "
        f"{summary['ceiling_pages_per_s']:,.0f} pages/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
