"""Reading room benchmark: the pages of ``archiver serve`` timed over HTTP on the
synthetic archive of ``benchmarks/query.py`` (same generator, 100k documents by
default), against ``Archive.search`` called directly in the same run as the baseline.

Rounds alternate the cases (search page with frequent, medium and rare words, two
words, a facet filter, browsing without a query; the document page; their JSON), so
a noisy machine spreads its noise over all of them.  Targets (issue 14): search page
p95 < 150 ms, document page p95 < 100 ms.

    python benchmarks/reading_room.py                  # 100k documents
    python benchmarks/reading_room.py --docs 5000      # quick run
    python benchmarks/reading_room.py --db /tmp/q.db --reuse
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from query import SITES, build, pct, vocabulary  # noqa: E402 - the same archive generator

from archiver.research.archive import Archive  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as resp:
        resp.read()
        assert resp.status == 200, url
    return (time.perf_counter() - t0) * 1000


def serve(db: Path, warc_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "serve",
            "--db",
            str(db),
            "--warc-dir",
            str(warc_dir),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            fetch(base + "/-/versions.json")
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("archiver serve did not start") from None
            time.sleep(0.3)


def cases(docs: int) -> dict[str, list[str]]:
    vocab = vocabulary(40_000, random.Random(7))
    frequent, medium, rare = vocab[:8], vocab[200:2000:300], vocab[20000:40000:3000]
    rng = random.Random(3)

    def q(**params: str) -> str:
        return "/?" + urllib.parse.urlencode(params)

    return {
        "search page, 1 word frequent": [q(q=w) for w in frequent[:5]],
        "search page, 1 word medium": [q(q=w) for w in medium[:5]],
        "search page, 1 word rare": [q(q=w) for w in rare[:5]],
        "search page, 2 words": [
            q(q=f"{a} {b}") for a, b in zip(frequent[:5], medium[:5], strict=True)
        ],
        "search page, word + site + month facets": [
            q(q=w, site=SITES[i], month="2025-03") for i, w in enumerate(medium[:5])
        ],
        "search page, word + language facet": [q(q=w, lang="de") for w in medium[:5]],
        "search page, no query (browse)": [
            q(),
            q(site=SITES[2]),
            q(lang="de"),
            q(type="article"),
            q(page="3"),
        ],
        "search page as JSON, 1 word medium": [
            "/-/archiver/search.json?" + urllib.parse.urlencode({"q": w}) for w in medium[:5]
        ],
        "document page": [f"/-/archiver/document/{rng.randint(1, docs)}" for _ in range(5)],
        "document page as JSON": [
            f"/-/archiver/document/{rng.randint(1, docs)}.json" for _ in range(5)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="reuse an existing --db")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="archiver-bench-rr-")
    if args.db is None:
        args.db = Path(tmp.name) / "bench.db"
    if not (args.reuse and args.db.exists()):
        for p in (args.db, Path(f"{args.db}-wal"), Path(f"{args.db}-shm")):
            p.unlink(missing_ok=True)
        print(f"building {args.docs} documents ...", file=sys.stderr)
        build(args.db, args.docs)
    warc_dir = Path(tmp.name) / "warc"
    warc_dir.mkdir()
    table = cases(args.docs)
    archive = Archive(args.db, warc_dir)
    baseline_words = [
        urllib.parse.parse_qs(u[2:])["q"][0] for u in table["search page, 1 word medium"]
    ]
    proc, base = serve(args.db, warc_dir)
    times: dict[str, list[float]] = {name: [] for name in table}
    times["baseline: Archive.search, 1 word medium"] = []
    try:
        for urls in table.values():  # warm: caches, first connections per thread
            for url in urls:
                fetch(base + url)
        for _ in range(args.rounds):
            for name, urls in table.items():
                times[name] += [fetch(base + url) for url in urls]
            for word in baseline_words:
                t0 = time.perf_counter()
                archive.search(word, limit=21)
                times["baseline: Archive.search, 1 word medium"].append(
                    (time.perf_counter() - t0) * 1000
                )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        archive.close()
    baseline = pct(times["baseline: Archive.search, 1 word medium"], 50)
    rows = [
        {
            "case": name,
            "p50_ms": pct(v, 50),
            "p95_ms": pct(v, 95),
            "n": len(v),
            "p50_vs_baseline": pct(v, 50) / baseline if baseline else None,
        }
        for name, v in times.items()
    ]
    if args.json:
        print(json.dumps({"docs": args.docs, "rows": rows}, indent=2))
    else:
        print(
            f"documents: {args.docs}  (targets: search page p95 < 150 ms, "
            "document page p95 < 100 ms)"
        )
        print(f"{'case':44} {'p50 ms':>8} {'p95 ms':>8} {'n':>4} {'p50/base':>9}")
        for row in rows:
            print(
                f"{row['case']:44} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
                f"{row['n']:4} {row['p50_vs_baseline']:9.1f}"
            )
    tmp.cleanup()


if __name__ == "__main__":
    main()
