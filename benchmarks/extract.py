"""Benchmark archiver.extract against bare trafilatura.extract on the development set.

Run on demand (not a test)::

    .venv/bin/python benchmarks/extract.py [--repeat 3] [--data ../shared/eval/data]

Each page of the evaluation set is decoded once, then timed with ``archiver.extract.extract``
(full Document: metadata, page type, cleaning), ``archiver.extract.extract_text`` and
``trafilatura.extract(html, url=url, include_comments=False)`` in the same process and run,
interleaved page by page so that machine noise hits every contender alike.  Prints
milliseconds per page (median and 95th percentile, best of ``--repeat`` runs per page) and the
ratio to trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "data"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)

    gold = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        (
            _decode(gzip.decompress((args.data / "html" / f"{key}.html.gz").read_bytes())),
            item.get("url"),
        )
        for key, item in sorted(gold.items())
    ]
    if args.limit:
        pages = pages[: args.limit]

    import trafilatura

    from archiver.extract import EXTRACTOR, extract, extract_text

    contenders = {
        "trafilatura.extract": lambda h, u: trafilatura.extract(h, url=u, include_comments=False),
        "archiver extract()": lambda h, u: extract(h, u),
        "archiver extract_text()": lambda h, u: extract_text(h, u),
    }
    for fn in contenders.values():  # warm-up: imports, caches
        fn(*pages[0])
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for html, url in pages:
        for name, fn in contenders.items():
            best = float("inf")
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                fn(html, url)
                best = min(best, (time.perf_counter() - start) * 1000.0)
            times[name].append(best)

    base_med = statistics.median(times["trafilatura.extract"])
    base_p95 = _percentile(times["trafilatura.extract"], 95)
    print(f"{len(pages)} pages, best of {args.repeat} per page; {EXTRACTOR}")
    print(
        f"{'extractor':<26} {'ms median':>10} {'ms p95':>9} {'ms total':>9} "
        f"{'ratio med':>10} {'ratio p95':>10}"
    )
    for name, values in times.items():
        med, p95 = statistics.median(values), _percentile(values, 95)
        print(
            f"{name:<26} {med:>10.1f} {p95:>9.1f} {sum(values):>9.0f} "
            f"{med / base_med:>9.2f}x {p95 / base_p95:>9.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
