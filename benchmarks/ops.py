"""Ops benchmark: ``verify`` and ``reindex`` throughput on a crawled generated site.

Generates a site of ``--pages`` article pages (``benchmarks/_site.py``), serves it on
127.0.0.1, crawls it with ``archiver crawl URL --delay 0 --concurrency 32
--no-autothrottle --quiet``, then times, in this process:

* ``verify`` (all digests of every record plus every captures row);
* ``reindex`` of the crawl's WARC files into a fresh database with 1 process
  (extraction in the reading process) and with 2 extraction processes;

and prints records/s, MB/s (compressed WARC bytes) and the reindex speed-up.

    python benchmarks/ops.py                 # 2000 pages
    python benchmarks/ops.py --pages 500 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

import _site  # noqa: E402


def crawl(url: str, work: Path) -> tuple[Path, Path, float]:
    db, warc_dir = work / "archive.db", work / "warc"
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver",
            "crawl",
            url,
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--delay",
            "0",
            "--concurrency",
            "32",
            "--no-autothrottle",
            "--quiet",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed: {proc.stderr[-2000:]}")
    return db, warc_dir, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1, help="timings per measurement (best)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from archiver.ops.reindex import reindex
    from archiver.ops.verify import verify

    with tempfile.TemporaryDirectory(prefix="archiver-ops-bench-") as tmp:
        work = Path(tmp)
        site = work / "site"
        _site.generate(site, args.pages)
        with _site.serve(site, work / "server") as served:
            db, warc_dir, crawl_s = crawl(served.url, work)
        warc_bytes = sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz"))
        captures = sqlite3.connect(db).execute("SELECT count(*) FROM captures").fetchone()[0]

        verify_s = float("inf")
        for _ in range(args.rounds):
            report = verify(db, warc_dir)
            verify_s = min(verify_s, report.seconds)
        if report.problems:
            raise SystemExit(f"verify found problems: {report.problems[:3]}")

        results = {}
        for procs in (1, 2):
            best = float("inf")
            for r in range(args.rounds):
                new = work / f"reindex-{procs}-{r}.db"
                started = time.perf_counter()
                res = reindex([str(warc_dir)], new, processes=procs)
                best = min(best, time.perf_counter() - started)
            results[procs] = (best, res)
        records = report.records
        mb = warc_bytes / 1e6
        out = {
            "pages": args.pages,
            "captures": captures,
            "warc_records": records,
            "warc_mb": round(mb, 1),
            "cores": len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "crawl_s": round(crawl_s, 2),
            "verify_s": round(verify_s, 3),
            "verify_records_per_s": round(records / verify_s),
            "verify_mb_per_s": round(mb / verify_s, 1),
        }
        for procs, (secs, res) in results.items():
            out[f"reindex_{procs}p_s"] = round(secs, 2)
            out[f"reindex_{procs}p_records_per_s"] = round(res.records / secs)
            out[f"reindex_{procs}p_mb_per_s"] = round(mb / secs, 1)
            out[f"reindex_{procs}p_documents"] = res.documents
        out["reindex_speedup_1_to_2"] = round(results[1][0] / results[2][0], 2)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(
        f"{out['pages']} pages, {captures} captures, {records} WARC records, "
        f"{out['warc_mb']} MB of WARC, {out['cores']} cores (crawl {out['crawl_s']} s)"
    )
    print(
        f"verify:          {out['verify_s']:8.2f} s  {out['verify_records_per_s']:8,} "
        f"records/s  {out['verify_mb_per_s']:7.1f} MB/s"
    )
    for procs in (1, 2):
        print(
            f"reindex {procs} proc:  {out[f'reindex_{procs}p_s']:8.2f} s  "
            f"{out[f'reindex_{procs}p_records_per_s']:8,} records/s  "
            f"{out[f'reindex_{procs}p_mb_per_s']:7.1f} MB/s  "
            f"({out[f'reindex_{procs}p_documents']} documents)"
        )
    print(f"reindex speed-up 1 -> 2 processes: {out['reindex_speedup_1_to_2']}x")


if __name__ == "__main__":
    main()
