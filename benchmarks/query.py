"""Query benchmark: a synthetic archive of ``--docs`` documents (~5 KB of text each,
Zipf-like word frequencies, so some words are in nearly every document), built through
the store's normal insert path (``store.insert_capture`` + ``store.insert_document``, via
``archiver.store.ingest.insert_many``) inside ``ingest.bulk_mode``: one transaction with the
FTS insert trigger set aside, the new documents indexed in one statement at the end and
the trigger restored before commit (a crawl instead inserts row by row, the trigger on),
then timed:

* ingestion into ``documents`` + FTS in bulk mode, documents/s (text generation not
  counted; the final indexing statement and WAL checkpoint counted; the FTS optimize
  that follows reported separately);
* ``Archive.search`` top-20 with snippets, p50/p95: single words and two-word queries
  (frequent, medium and rare words), phrase/prefix/NEAR, and filtered searches (site,
  language, dates, page type, author, site+date+language), each with the order the
  search used (``bm25``: every match ranked; ``bm25-window``: ranked among the most
  recent matches; ``newest``: most recent first);
* ``archiver.research.exports`` to JSONL, documents/s;
* database size per document.

    python benchmarks/query.py                 # 100k documents
    python benchmarks/query.py --docs 5000     # quick run
    python benchmarks/query.py --db /tmp/q.db --reuse   # time the queries again
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from archiver import store
from archiver.research.archive import Archive, Filters
from archiver.research.exports import export
from archiver.store import ingest

SITES = [f"news{i}.example.org" for i in range(20)]
LANGS = ["en"] * 14 + ["de"] * 3 + ["fr"] * 2 + ["nl"]
AUTHORS = [f"Author {chr(65 + i)}{chr(97 + j)}" for i in range(10) for j in range(10)]
SYLLABLES = (
    "ka to ri mu sen lo ve da pi nor ta bel gru fin ost wel mar tin ex al "
    "ber on im ut sa qu ze hal bro ck"
).split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    common = (
        "the of and to in a is that for on was with he it as at by this had from "
        "election council government minister said year people new"
    ).split()
    out = list(common)
    words.update(common)
    while len(out) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in words:
            words.add(w)
            out.append(w)
    return out


def word_pool(vocab: list[str], n: int, rng: random.Random) -> list[str]:
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    return rng.choices(vocab, weights=weights, k=n)


def make_docs(start: int, count: int, pool: list[str], rng: random.Random) -> list[tuple]:
    out = []
    for n in range(start, start + count):
        site = SITES[n % len(SITES)]
        url = f"https://{site}/news/{n}.html"
        paras = []
        for _ in range(8):
            at = rng.randrange(len(pool) - 120)
            paras.append(" ".join(pool[at : at + rng.randint(85, 110)]).capitalize() + ".")
        text = "\n\n".join(paras)
        at = rng.randrange(len(pool) - 10)
        title = " ".join(pool[at : at + 8]).capitalize()
        day = 1 + n % 28
        published = f"{2023 + n % 4}-{1 + n % 12:02d}-{day:02d}T08:00:00+00:00"
        capture = {
            "crawl_id": 1,
            "url": url,
            "status": 200,
            "mime_type": "text/html",
            "fetched_at": f"2026-11-{1 + n % 28:02d}T10:00:00Z",
            "payload_digest": f"sha1:{n:032d}",
            "content_length": len(text) + 2000,
            "warc_file": f"bench-{n // 10000:05d}.warc.gz",
            "warc_offset": n * 3000,
            "warc_length": 2900,
            "warc_record_id": f"<urn:uuid:bench-{n}>",
            "record_type": "response",
            "ip_address": "127.0.0.1",
        }
        doc = {
            "url": url,
            "canonical_url": url,
            "title": title,
            "author": AUTHORS[n % len(AUTHORS)],
            "published": published,
            "sitename": site,
            "language": LANGS[n % len(LANGS)],
            "text": text,
            "word_count": len(text.split()),
            "text_hash": hashlib.sha256(text.encode()).hexdigest(),
            "page_type": "article" if n % 10 else "listing",
            "extractor": "bench",
        }
        out.append((capture, doc))
    return out


def build(path: Path, docs: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    vocab = vocabulary(40_000, rng)
    pool = word_pool(vocab, 2_000_000, rng)
    db = store.open_db(path)
    db.close()
    conn = store.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("INSERT INTO crawls (id, started_at, status) VALUES (1, '2026-11-01', 'ok')")
    conn.commit()
    insert_time = 0.0
    text_bytes = 0
    batch = 5000
    with ingest.bulk_mode(conn):
        for start in range(0, docs, batch):
            rows = make_docs(start, min(batch, docs - start), pool, rng)
            text_bytes += sum(len(d["text"].encode()) for _, d in rows)
            t0 = time.perf_counter()
            ingest.insert_many(conn, rows, batch=batch)
            insert_time += time.perf_counter() - t0
        t0 = time.perf_counter()
    insert_time += time.perf_counter() - t0  # the final WAL checkpoint
    t0 = time.perf_counter()
    ingest.optimize(conn)
    optimize = time.perf_counter() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {
        "ingest_docs_per_s": docs / insert_time,
        "ingest_s": insert_time,
        "ingest_incl_optimize_docs_per_s": docs / (insert_time + optimize),
        "optimize_s": optimize,
        "avg_text_bytes": text_bytes / docs,
    }


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run_queries(path: Path, repeat: int) -> list[dict[str, object]]:
    archive = Archive(path, warc_dir=path.parent)
    vocab = vocabulary(40_000, random.Random(7))
    frequent = vocab[:8]  # in (nearly) every document
    medium = vocab[200:2000:300]
    rare = vocab[20000:40000:3000]
    groups = {
        "1 word, frequent": [[w] for w in frequent],
        "1 word, medium": [[w] for w in medium],
        "1 word, rare": [[w] for w in rare],
        "2 words, frequent+frequent": [[a, b] for a, b in itertools.pairwise(frequent)],
        "2 words, frequent+medium": [[a, b] for a, b in zip(frequent, medium, strict=False)],
        "2 words, medium+rare": [[a, b] for a, b in zip(medium, rare, strict=False)],
        "phrase/prefix/NEAR": [['"the election"'], ["elec*"], ["NEAR(council minister, 5)"]],
    }
    filtered = [
        {"site": SITES[3]},
        {"lang": "de"},
        {"since": "2025-01", "until": "2025-06"},
        {"page_type": "listing"},
        {"author": "Author Cd"},
        {"site": SITES[5], "since": "2024", "lang": "en"},
    ]
    results = []
    for name, queries in groups.items():
        times: list[float] = []
        orders: set[str] = set()
        for words in queries:
            q = " ".join(words)
            orders.add(archive.search(q, limit=20).order)  # warm
            times += timed(lambda q=q: archive.search(q, limit=20), repeat)
        results.append(
            {
                "case": f"search {name}",
                "p50_ms": pct(times, 50),
                "p95_ms": pct(times, 95),
                "n": len(times),
                "order": "/".join(sorted(orders)),
            }
        )
    times = []
    for flt in filtered:
        own: list[float] = []
        orders = set()
        for w in (*frequent[:3], *medium[:2], rare[0]):
            f = Filters.of(**flt)
            orders.add(archive.search(w, limit=20, filters=f).order)
            own += timed(lambda w=w, f=f: archive.search(w, limit=20, filters=f), repeat)
        times += own
        results.append(
            {
                "case": "  filtered: " + ",".join(flt),
                "p50_ms": pct(own, 50),
                "p95_ms": pct(own, 95),
                "n": len(own),
                "order": "/".join(sorted(orders)),
            }
        )
    results.append(
        {
            "case": "search filtered (site/lang/dates/type/author)",
            "p50_ms": pct(times, 50),
            "p95_ms": pct(times, 95),
            "n": len(times),
            "order": "",
        }
    )
    archive.close()
    return results


def run_export(path: Path) -> dict[str, float]:
    archive = Archive(path, warc_dir=path.parent)
    with open(os.devnull, "wb") as out:
        t0 = time.perf_counter()
        n = export(archive, out, "jsonl")
        elapsed = time.perf_counter() - t0
    archive.close()
    return {"export_jsonl_docs_per_s": n / elapsed, "export_docs": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="reuse an existing --db")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="archiver-bench-")
        args.db = Path(tmp.name) / "bench.db"
    summary: dict[str, object] = {"docs": args.docs}
    if not (args.reuse and args.db.exists()):
        for p in (args.db, Path(f"{args.db}-wal"), Path(f"{args.db}-shm")):
            p.unlink(missing_ok=True)
        summary.update(build(args.db, args.docs))
    size = args.db.stat().st_size
    summary["db_bytes"] = size
    summary["db_bytes_per_doc"] = size / args.docs
    queries = run_queries(args.db, args.repeat)
    summary.update(run_export(args.db))
    summary["queries"] = queries
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"documents: {args.docs}")
        for key in (
            "ingest_docs_per_s",
            "ingest_incl_optimize_docs_per_s",
            "optimize_s",
            "avg_text_bytes",
            "export_jsonl_docs_per_s",
            "db_bytes_per_doc",
        ):
            if key in summary:
                print(f"{key:32} {summary[key]:12.1f}")
        print(f"{'case':48} {'p50 ms':>8} {'p95 ms':>8} {'n':>5}  order")
        for row in queries:
            print(
                f"{row['case']:48} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['n']:5}"
                f"  {row['order']}"
            )
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
