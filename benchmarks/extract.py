"""Benchmark archiver.extract against bare trafilatura.extract on both development sets.

Run on demand (not a test)::

    .venv/bin/python benchmarks/extract.py [--repeat 3] [--corpus news|trafilatura|both]

Each page of the evaluation sets (``../shared/eval/data``, 113 news pages, and
``../shared/eval/trafilatura-corpus``, 600 pages) is decoded once, then timed with
``archiver.extract.extract`` (full Extraction: metadata, page type, cleaning),
``archiver.extract.extract_text`` and ``trafilatura.extract(html, url=url,
include_comments=False)`` in the same process and run, interleaved page by page, the order
of the contenders alternating from page to page, so that machine noise hits every contender
alike.  Prints milliseconds per page (median and 95th percentile, best of ``--repeat`` runs per
page) and the ratio to trafilatura.  ``--cpu`` times with the process's CPU clock instead of
the wall clock: on a shared machine, time spent waiting for a core then counts for nobody.
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
TRAFILATURA_CORPUS = ROOT.parent / "shared" / "eval" / "trafilatura-corpus"


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


def _news_pages(data: Path) -> list[tuple[str, str | None]]:
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (
            _decode(gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())),
            item.get("url"),
        )
        for key, item in sorted(gold.items())
    ]


def _trafilatura_pages(data: Path) -> list[tuple[str, str | None]]:
    annotations = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(annotations):
        name = annotations[key]["file"]
        found = [data / sub / name for sub in ("cache", "eval") if (data / sub / name).is_file()]
        path = found[0] if found else None
        if path is not None:
            url = key if key.startswith(("http://", "https://")) else None
            pages.append((_decode(path.read_bytes()), url))
    return pages


def _run(name: str, pages: list, repeat: int, clock=time.perf_counter) -> None:
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
    order = list(contenders.items())
    for index, (html, url) in enumerate(pages):
        # alternate the order so that no contender always runs on a warm (or cold) cache
        for cname, fn in order if index % 2 == 0 else order[::-1]:
            best = float("inf")
            for _ in range(max(1, repeat)):
                start = clock()
                fn(html, url)
                best = min(best, (clock() - start) * 1000.0)
            times[cname].append(best)

    base_med = statistics.median(times["trafilatura.extract"])
    base_p95 = _percentile(times["trafilatura.extract"], 95)
    what = "CPU" if clock is time.process_time else "wall-clock"
    print(f"\n{name}: {len(pages)} pages, best of {repeat} per page ({what}); {EXTRACTOR}")
    print(
        f"{'extractor':<26} {'ms median':>10} {'ms p95':>9} {'ms total':>9} "
        f"{'ratio med':>10} {'ratio p95':>10}"
    )
    for cname, values in times.items():
        med, p95 = statistics.median(values), _percentile(values, 95)
        print(
            f"{cname:<26} {med:>10.1f} {p95:>9.1f} {sum(values):>9.0f} "
            f"{med / base_med:>9.2f}x {p95 / base_p95:>9.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the 113-page news set")
    ap.add_argument("--trafilatura-data", type=Path, default=TRAFILATURA_CORPUS)
    ap.add_argument("--corpus", choices=["news", "trafilatura", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cpu", action="store_true", help="time with the process's CPU clock")
    args = ap.parse_args(argv)

    sets = []
    if args.corpus in ("news", "both"):
        sets.append(("news set", _news_pages(args.data)))
    if args.corpus in ("trafilatura", "both"):
        sets.append(("trafilatura corpus", _trafilatura_pages(args.trafilatura_data)))
    for name, pages in sets:
        clock = time.process_time if args.cpu else time.perf_counter
        _run(name, pages[: args.limit] if args.limit else pages, args.repeat, clock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
