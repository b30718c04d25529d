"""Distributed crawling on Redis: many workers, one polite crawl, no page lost.

A crawl named NAME lives in one Redis database under keys ``archiver:NAME:*``.  It
runs on scrapy-redis: the frontier is scrapy-redis's priority queue and the seen
set its dupefilter, both extended here, not replaced:

- :class:`ClaimingQueue` pops a request and records it as *claimed* by this worker
  in the same atomic step (a Lua script: ``ZRANGE`` + ``ZREM`` + ``HSET`` into
  ``claims:WORKER``), instead of scrapy-redis's destructive pop.
- :class:`DistributedScheduler` (scrapy-redis's scheduler) heartbeats, gives a claim
  up only once the request's response (or failure) is committed to this worker's
  WARC file and database shard and the links it yielded are in the queue, hands a
  retried or redirected request over to its new queue entry, requeues the claims of
  workers whose heartbeat expired, hands its own claims back when it stops, and keeps
  an idle worker alive while any other worker still holds claims.
- :class:`SharedDupeFilter` (scrapy-redis's dupefilter) keeps one seen set per crawl
  and the crawl-wide ``--max-pages`` budget.
- :class:`SiteLeaseMiddleware` makes ``--delay`` and ``--concurrency`` hold for the
  whole crawl: a request is sent only under a lease of its site in Redis.
- :class:`SharedRobotsTxtMiddleware` fetches robots.txt once per site per crawl and
  shares its body through Redis.
- :class:`DigestIndex` lets the recorder find payloads another worker already wrote
  (revisit records across workers).

``archiver crawl --redis URL --crawl NAME`` and ``scrapy crawl news -s REDIS_URL=URL
-s ARCHIVER_CRAWL=NAME`` both end in :func:`join_crawl`, called by the spider.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archiver.crawl import failures
from archiver.crawl.middlewares import RobotsTxtMiddleware, Unavailable
from archiver.crawl.protocol import kind_of
from archiver.errors import CrawlError

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: sent by the spider when it is done with a request that failed (its errback ran)
request_done = object()

CLAIM_META = "archiver_claim"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


# -- keys ------------------------------------------------------------------------------
class Keys:
    """The Redis keys of one crawl."""

    def __init__(self, crawl: str) -> None:
        self.prefix = f"archiver:{crawl}:"
        p = self.prefix
        self.requests = p + "requests"  # scrapy-redis priority queue (sorted set)
        self.seen = p + "seen"  # scrapy-redis dupefilter (set of fingerprints)
        self.definition = p + "definition"  # the crawl's seeds, scope and politeness
        self.workers = p + "workers"  # sorted set: worker id -> last heartbeat (s)
        self.claim_seq = p + "claimseq"
        self.stats = p + "stats"  # hash: done, failed, requeued, pages, ...
        self.pages = p + "pages"  # pages scheduled, against --max-pages
        self.digests = p + "digests"  # hash: "digest url" -> record id, url, date

    def claims(self, worker: str) -> str:
        return f"{self.prefix}claims:{worker}"

    def worker(self, worker: str) -> str:
        return f"{self.prefix}worker:{worker}"

    def leases(self, site: str) -> str:
        return f"{self.prefix}site:{site}:leases"

    def next_time(self, site: str) -> str:
        return f"{self.prefix}site:{site}:next"

    def robots(self, site: str) -> str:
        return f"{self.prefix}robots:{site}"


def check_name(name: str, what: str = "--crawl") -> str:
    if not _NAME.match(name or ""):
        raise CrawlError(
            f"{what} must be 1-100 letters, digits, '.', '_' or '-' "
            f"(starting with a letter or digit), not {name!r}"
        )
    return name


def default_worker_id() -> str:
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", socket.gethostname()).strip("-.") or "host"
    return f"{host}-{os.getpid()}"


def connect(url: str, *, patient: bool = False) -> Any:
    """A Redis client for ``url`` (``redis://HOST:PORT/DB``); a bad URL is a CrawlError.
    A ``patient`` client waits for a restarting Redis (:func:`redis_params`)."""
    import redis

    params = redis_params() if patient else {"socket_timeout": 10, "socket_connect_timeout": 5}
    try:
        client = redis.Redis.from_url(url, **params)
    except ValueError as exc:
        raise CrawlError(f"bad Redis URL {url!r}: {exc}") from None
    return client


def redis_params() -> dict[str, Any]:
    """scrapy-redis's ``REDIS_PARAMS``: a restarting Redis is waited for (about 30 s),
    not given up on."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": 30,
        "socket_connect_timeout": 5,
        "health_check_interval": 10,
        "retry": Retry(ExponentialBackoff(cap=2.0, base=0.1), 20),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
    }


# -- Lua scripts (atomic on the server; times are the server's clock) ---------------------
_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) + tonumber(t[2]) / 1e6\n"

# KEYS: queue, claims of this worker, claim sequence.  Pops the best request and
# records it as claimed, with its score, in one step.
_POP_CLAIM = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], id, r[2] .. ' ' .. r[1])
return {tostring(id), r[1]}
"""

# KEYS: claims hash, queue, stats.  Puts every claim of the hash back in the queue.
_REQUEUE = """
local n = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
  local sp = string.find(v, ' ', 1, true)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(v, 1, sp - 1)), string.sub(v, sp + 1))
  n = n + 1
end
redis.call('DEL', KEYS[1])
if n > 0 then redis.call('HINCRBY', KEYS[3], 'requeued', n) end
return n
"""

# KEYS: workers, queue, stats.  ARGV: timeout (s), key prefix.  Requeues the claims
# of every worker whose heartbeat is older than the timeout; returns [worker, n, ...].
_REAP = (
    _NOW
    + """
local out = {}
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))) do
  local claims = ARGV[2] .. 'claims:' .. w
  local n = 0
  for _, v in ipairs(redis.call('HVALS', claims)) do
    local sp = string.find(v, ' ', 1, true)
    redis.call('ZADD', KEYS[2], tonumber(string.sub(v, 1, sp - 1)), string.sub(v, sp + 1))
    n = n + 1
  end
  redis.call('DEL', claims)
  redis.call('ZREM', KEYS[1], w)
  redis.call('HSET', ARGV[2] .. 'worker:' .. w, 'state', 'dead')
  if n > 0 then redis.call('HINCRBY', KEYS[3], 'requeued', n) end
  redis.call('HINCRBY', KEYS[3], 'workers_dead', 1)
  table.insert(out, w)
  table.insert(out, n)
end
return out
"""
)

# KEYS: workers, worker hash.  ARGV: worker id, then field/value pairs.  Returns 1 if
# the worker was still registered (0: it had been declared dead and joins again).
_HEARTBEAT = (
    _NOW
    + """
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], now, ARGV[1])
if #ARGV > 1 then redis.call('HSET', KEYS[2], unpack(ARGV, 2)) end
redis.call('HSET', KEYS[2], 'heartbeat', tostring(now), 'state', 'alive')
if known then return 1 else return 0 end
"""
)

# KEYS: leases of a site, next allowed start.  ARGV: token, concurrency, delay, lease ttl.
# Returns "0" when the lease is taken, otherwise the seconds to wait (a string).
_ACQUIRE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '-1' end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return tostring(nxt - now) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[3])), 'EX', 3600)
return '0'
"""
)

# KEYS: leases of a site, next allowed start.  ARGV: token, delay.  The next request
# to the site starts no sooner than ``delay`` after this one ended.
_RELEASE = (
    _NOW
    + """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + tonumber(ARGV[2]) > nxt then
    redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[2])), 'EX', 3600)
  end
end
return 1
"""
)


# -- joining a crawl ---------------------------------------------------------------------
#: what the first worker fixes for the whole crawl: spider arguments and settings
_ARGUMENTS = ("seeds", "depth", "max_pages", "allow", "deny", "requisites")
_SETTINGS = ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "ROBOTSTXT_OBEY", "USER_AGENT")


def join_crawl(settings: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Create the crawl in Redis (first worker) or read its definition (others).

    Returns the spider arguments to use; puts the crawl's politeness settings and the
    distributed components into ``settings`` (not frozen yet).
    """
    url = settings.get("REDIS_URL")
    name = check_name(settings.get("ARCHIVER_CRAWL") or "news")
    worker = settings.get("ARCHIVER_WORKER_ID") or default_worker_id()
    check_name(worker, "the worker id")
    keys = Keys(name)
    client = connect(url)
    try:
        mine = {k: kwargs.get(k) for k in _ARGUMENTS}
        mine["seeds"] = _seed_list(mine["seeds"])
        for k in ("allow", "deny"):
            value = mine[k]
            mine[k] = [value] if isinstance(value, str) else list(value or [])
        defined: dict[str, Any] = {
            "arguments": mine,
            "settings": {k: settings.get(k) for k in _SETTINGS},
            "created": time.time(),
        }
        import redis

        try:
            stored = client.get(keys.definition)
            if stored is None:
                if not mine["seeds"]:
                    raise CrawlError(
                        f"crawl {name!r} does not exist in Redis yet: give the "
                        "seed URLs to start it"
                    )
                if client.set(keys.definition, json.dumps(defined), nx=True):
                    stored = None
                    logger.info("Started distributed crawl %s", name)
                else:
                    stored = client.get(keys.definition)
            if stored is not None:
                defined = json.loads(stored)
                given = [
                    s for s in mine.get("seeds") or [] if s not in defined["arguments"]["seeds"]
                ]
                if given:
                    logger.warning(
                        "Crawl %s exists: its own seeds and scope are used, not %s",
                        name,
                        ", ".join(given),
                    )
            if (
                client.exists(keys.worker(worker))
                and client.zscore(keys.workers, worker) is not None
            ):
                raise CrawlError(f"worker {worker!r} is already running in crawl {name!r}")
        except redis.RedisError as exc:
            raise CrawlError(f"cannot reach Redis at {url}: {exc}") from None
    finally:
        client.close()
    arguments = dict(defined["arguments"])
    shared = defined["settings"]
    apply_settings(settings, name, worker, shared)
    return {**kwargs, **arguments}


def _seed_list(value: Any) -> list[str]:
    from archiver.crawl.scope import normalize_seed

    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return [normalize_seed(str(v)) for v in value]


def apply_settings(settings: Any, name: str, worker: str, shared: dict[str, Any]) -> None:
    """The distributed components and the crawl-wide politeness, in ``settings``."""
    keys = Keys(name)
    prio = "cmdline"
    delay = float(shared.get("DOWNLOAD_DELAY") or 0.0)
    concurrency = int(shared.get("CONCURRENT_REQUESTS_PER_DOMAIN") or 1)
    values: dict[str, Any] = {
        "ARCHIVER_CRAWL": name,
        "ARCHIVER_WORKER_ID": worker,
        # politeness is the sites' leases in Redis; the local slots add nothing
        # (a local randomized delay after the lease would make starts closer than it)
        "ARCHIVER_SITE_DELAY": delay,
        "ARCHIVER_SITE_CONCURRENCY": concurrency,
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "ROBOTSTXT_OBEY": bool(shared.get("ROBOTSTXT_OBEY", True)),
        "SCHEDULER": "archiver.crawl.distributed.DistributedScheduler",
        "SCHEDULER_QUEUE_CLASS": "archiver.crawl.distributed.ClaimingQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.seen,
        "DUPEFILTER_CLASS": "archiver.crawl.distributed.SharedDupeFilter",
        "SCHEDULER_PERSIST": True,  # the frontier outlives each worker
        "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat",
        "REDIS_PARAMS": redis_params(),
        "ARCHIVER_WARC_PREFIX": f"{settings.get('ARCHIVER_WARC_PREFIX') or 'archiver'}-{worker}",
    }
    if shared.get("USER_AGENT"):
        values["USER_AGENT"] = shared["USER_AGENT"]
    settings.setdict(values, priority=prio)
    dm = settings.getdict("DOWNLOADER_MIDDLEWARES")
    dm["archiver.crawl.middlewares.RobotsTxtMiddleware"] = None
    dm["archiver.crawl.distributed.SharedRobotsTxtMiddleware"] = 100
    dm["archiver.crawl.distributed.SiteLeaseMiddleware"] = 990
    settings.set("DOWNLOADER_MIDDLEWARES", dm, priority=prio)
    sm = settings.getdict("SPIDER_MIDDLEWARES")
    sm["archiver.crawl.distributed.ClaimReleaseMiddleware"] = 1
    settings.set("SPIDER_MIDDLEWARES", sm, priority=prio)


# -- frontier ------------------------------------------------------------------------------
class ClaimingQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop is a claim of this worker."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.keys = Keys(settings.get("ARCHIVER_CRAWL"))
        self.worker = settings.get("ARCHIVER_WORKER_ID")
        self.claims_key = self.keys.claims(self.worker)
        self._pop = server.register_script(_POP_CLAIM)

    def _encode_request(self, request: Request) -> bytes:
        from archiver.crawl.capture import RAW_META_KEY

        request.meta.pop(RAW_META_KEY, None)  # the raw bytes of a previous attempt
        request.meta.pop(CLAIM_META, None)
        return super()._encode_request(request)

    def pop(self, timeout: int = 0) -> Request | None:
        found = self._pop(keys=[self.key, self.claims_key, self.keys.claim_seq])
        if not found:
            return None
        claim, data = found
        request = self._decode_request(data)
        request.meta[CLAIM_META] = claim.decode() if isinstance(claim, bytes) else str(claim)
        return request


class SharedDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter on the crawl's seen set, and the crawl-wide page budget."""

    @classmethod
    def from_spider(cls, spider: Spider) -> SharedDupeFilter:
        df = super().from_spider(spider)
        df.keys = Keys(spider.settings.get("ARCHIVER_CRAWL"))
        df.max_pages = getattr(spider, "max_pages", None)
        return df

    def request_seen(self, request: Request) -> bool:
        if super().request_seen(request):
            return True
        max_pages = getattr(self, "max_pages", None)
        return bool(
            max_pages is not None
            and kind_of(request) == "page"
            and self.server.incr(self.keys.pages) > max_pages
        )

    def close(self, reason: str = "") -> None:
        """The seen set belongs to the crawl, not to this worker: kept."""


class DistributedScheduler(Scheduler):
    """scrapy-redis's scheduler with claims, heartbeats and requeues (module doc)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    # -- lifecycle -------------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        super().open(spider)
        settings = self.crawler.settings
        self.keys = Keys(settings.get("ARCHIVER_CRAWL"))
        self.worker = settings.get("ARCHIVER_WORKER_ID")
        self.heartbeat_interval = settings.getfloat("ARCHIVER_HEARTBEAT")
        self.heartbeat_timeout = settings.getfloat("ARCHIVER_HEARTBEAT_TIMEOUT")
        self._requeue = self.server.register_script(_REQUEUE)
        self._reap = self.server.register_script(_REAP)
        self._beat = self.server.register_script(_HEARTBEAT)
        self._done: list[str] = []  # claims done, waiting for the database commit
        self._committing: list[tuple[int, list[str], list[tuple[str, str]]]] = []
        self._pages_at: tuple[float, int] = (time.monotonic(), 0)
        self._started = time.time()
        self._closing = False
        from archiver.crawl.recorder import Recorder

        self.recorder = Recorder.from_crawler(self.crawler)
        self.digests = DigestIndex(self.server, self.keys)
        self.recorder.shared_digests = self.digests
        self.server.hset(
            self.keys.worker(self.worker),
            mapping={
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "started": self._started,
                "db": str(settings.get("ARCHIVER_DB")),
                "warc_prefix": settings.get("ARCHIVER_WARC_PREFIX"),
                "pages": 0,
                "done": 0,
                "state": "alive",
            },
        )
        self.heartbeat()
        signals_ = self.crawler.signals
        signals_.connect(self._on_idle, signal=signals.spider_idle)
        signals_.connect(self._on_request_done, signal=request_done)
        signals_.connect(self._on_failure, signal=failures.request_failed)
        self._beater = task.LoopingCall(self._tick_heartbeat)
        self._beater.start(self.heartbeat_interval, now=False)
        self._releaser = task.LoopingCall(self._tick_release)
        self._releaser.start(0.2, now=False)

    def close(self, reason: str) -> None:
        self._closing = True
        for loop in (self._beater, self._releaser):
            if loop.running:
                loop.stop()
        try:
            self._release_committed(wait=5.0)
            handed = self._requeue(
                keys=[self.keys.claims(self.worker), self.keys.requests, self.keys.stats]
            )
            if handed:
                logger.info("Handed %s claimed requests back to crawl %s", handed, self.keys.prefix)
            self.heartbeat()
            pipe = self.server.pipeline()
            pipe.zrem(self.keys.workers, self.worker)
            pipe.hset(
                self.keys.worker(self.worker),
                mapping={
                    "state": "finished" if reason == "finished" else f"stopped ({reason})",
                    "finished": time.time(),
                },
            )
            pipe.execute()
        except Exception as exc:  # Redis gone: the others requeue after the timeout
            logger.error("Could not hand claims back to Redis: %s", exc)
        super().close(reason)

    # -- queue ---------------------------------------------------------------------------
    def enqueue_request(self, request: Request) -> bool:
        # a retried or redirected request arrives with the claim of its first attempt:
        # the new entry is queued first, then the claim dropped (never lost between)
        claim = request.meta.pop(CLAIM_META, None)
        added = self._retrying(super().enqueue_request, request)
        if claim is not None:
            self._done.append(claim)
        return added

    def next_request(self) -> Request | None:
        if self._closing:
            return None
        try:
            return super().next_request()
        except Exception as exc:
            logger.warning("Redis: %s; retrying", exc)
            return None

    def has_pending_requests(self) -> bool:
        try:
            return super().has_pending_requests()
        except Exception:
            return True

    def _retrying(self, func: Any, *args: Any) -> Any:
        """Call ``func`` until Redis answers (a request is never dropped)."""
        waited = 0.0
        while True:
            try:
                return func(*args)
            except Exception as exc:
                import redis

                if not isinstance(exc, redis.RedisError) or waited > 300:
                    raise
                logger.warning("Redis: %s; retrying", exc)
                time.sleep(1.0)
                waited += 1.0

    # -- claims ------------------------------------------------------------------------
    def request_finished(self, request: Request | None) -> None:
        """The request's outcome is written (or in the writer's queue) and the
        requests it yielded are queued: its claim goes once the rows are committed."""
        if request is None:
            return
        claim = request.meta.pop(CLAIM_META, None)
        if claim is not None:
            self._done.append(claim)

    def _on_request_done(self, request: Request) -> None:
        self.request_finished(request)

    def _on_failure(self, request: Request, failed: failures.Failed) -> None:
        if failed.cause not in failures.NOT_ERRORS:
            try:
                self.server.hincrby(self.keys.stats, "failed", 1)
            except Exception as exc:
                logger.warning("Redis: %s", exc)

    def _tick_release(self) -> None:
        try:
            self._release_committed()
            self._poke()
        except Exception as exc:
            logger.warning("Redis: %s", exc)

    def _release_committed(self, wait: float = 0.0) -> None:
        writer = self.recorder.writer
        digests = self.digests.take()
        if self._done or digests:
            done, self._done = self._done, []
            if writer is None:
                self._committing.append((0, done, digests))
            else:
                writer.flush()
                self._committing.append((writer.batches_handed, done, digests))
        deadline = time.monotonic() + wait
        while True:
            committed = writer.batches_committed if writer is not None else 0
            batches = [b for b in self._committing if b[0] <= committed]
            self._committing = [b for b in self._committing if b[0] > committed]
            ready = [c for _, claims, _ in batches for c in claims]
            shared = [d for _, _, digests in batches for d in digests]
            if ready or shared:
                pipe = self.server.pipeline(transaction=False)
                for field, value in shared:
                    pipe.hsetnx(self.keys.digests, field, value)
                if ready:
                    pipe.hdel(self.keys.claims(self.worker), *ready)
                    pipe.hincrby(self.keys.stats, "done", len(ready))
                    pipe.hincrby(self.keys.worker(self.worker), "done", len(ready))
                pipe.execute()
            if (
                not self._committing
                or time.monotonic() >= deadline
                or writer is None
                or writer.error is not None
                or not writer.is_alive()
            ):
                return
            time.sleep(0.05)

    def _poke(self) -> None:
        """Ask the engine for requests now when the queue has some (the engine itself
        looks again only every five seconds once it found the queue empty)."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is None or engine.downloader.active:
            return
        if self.server.zcard(self.keys.requests):
            slot.nextcall.schedule()

    # -- workers -------------------------------------------------------------------------
    def _tick_heartbeat(self) -> None:
        try:
            self.heartbeat()
            self.reap()
        except Exception as exc:
            logger.warning("Redis heartbeat: %s", exc)

    def heartbeat(self) -> None:
        now = time.monotonic()
        pages = self.recorder.responses
        then, before = self._pages_at
        rate = (pages - before) / max(now - then, 1e-6)
        self._pages_at = (now, pages)
        known = self._beat(
            keys=[self.keys.workers, self.keys.worker(self.worker)],
            args=[self.worker, "pages", pages, "rate", f"{rate:.3f}"],
        )
        if not known and not self._closing and pages:
            logger.warning(
                "Worker %s had been declared dead (heartbeat older than %ss): "
                "its claims were requeued; rejoining",
                self.worker,
                self.heartbeat_timeout,
            )

    def reap(self) -> list[tuple[str, int]]:
        out = self._reap(
            keys=[self.keys.workers, self.keys.requests, self.keys.stats],
            args=[self.heartbeat_timeout, self.keys.prefix],
        )
        reaped = [
            (w.decode() if isinstance(w, bytes) else str(w), int(n))
            for w, n in zip(out[::2], out[1::2], strict=True)
        ]
        for worker, n in reaped:
            logger.warning(
                "Worker %s stopped heartbeating: %s claimed requests requeued", worker, n
            )
        return reaped

    def crawl_active(self) -> bool:
        """Requests queued, or claimed by any worker (alive, or dead but not reaped)."""
        if self.server.zcard(self.keys.requests):
            return True
        if self._done or self._committing:
            return True
        pipe = self.server.pipeline(transaction=False)
        workers = self.server.zrange(self.keys.workers, 0, -1)
        for w in workers:
            pipe.exists(self.keys.claims(w.decode() if isinstance(w, bytes) else w))
        return any(pipe.execute()) if workers else False

    def _on_idle(self, spider: Spider) -> None:
        try:
            self.reap()
            active = self.crawl_active()
        except Exception as exc:
            logger.warning("Redis: %s; waiting", exc)
            active = True
        if active:
            raise DontCloseSpider


class ClaimReleaseMiddleware:
    """Spider middleware (outermost): a response's claim is given up once every
    request and item its callback yielded has been handed on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimReleaseMiddleware:
        return cls(crawler)

    def _finished(self, request: Request | None) -> None:
        scheduler = getattr(getattr(self.crawler.engine, "_slot", None), "scheduler", None)
        if isinstance(scheduler, DistributedScheduler):
            scheduler.request_finished(request)

    async def process_spider_output(self, response: Response, result: Any) -> Any:
        async for item in result:
            yield item
        self._finished(response.request)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        self._finished(response.request)


# -- politeness ------------------------------------------------------------------------------
def site_of(url: str) -> str:
    return (urlsplit(url).netloc or "").lower()


class SiteLeaseMiddleware:
    """Downloader middleware (last before the download): a request waits for a lease of
    its site in Redis, so that ``--concurrency`` and ``--delay`` hold for all workers."""

    def __init__(self, crawler: Crawler) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        self.server = get_redis_from_settings(settings)
        self.keys = Keys(settings.get("ARCHIVER_CRAWL"))
        self.delay = settings.getfloat("ARCHIVER_SITE_DELAY")
        self.concurrency = max(1, settings.getint("ARCHIVER_SITE_CONCURRENCY"))
        self.ttl = settings.getfloat("DOWNLOAD_TIMEOUT") + 30.0
        self.worker = settings.get("ARCHIVER_WORKER_ID")
        self._acquire = self.server.register_script(_ACQUIRE)
        self._release = self.server.register_script(_RELEASE)
        self._seq = 0
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteLeaseMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor

        site = site_of(request.url)
        self._seq += 1
        token = f"{self.worker}:{self._seq}"
        keys = [self.keys.leases(site), self.keys.next_time(site)]
        waited = 0.0
        while True:
            try:
                answer = self._acquire(
                    keys=keys, args=[token, self.concurrency, self.delay, self.ttl]
                )
                wait = float(answer)
            except Exception as exc:
                logger.warning("Redis: %s; waiting for a lease of %s", exc, site)
                wait = 1.0
            if wait == 0:
                break
            wait = 0.03 if wait < 0 else min(max(wait, 0.005), 1.0)
            waited += wait
            await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
        request.meta["archiver_lease"] = (site, token)
        if waited:
            self.stats.inc_value("archiver/distributed/lease_wait_ms", int(waited * 1000))

    def _give_back(self, request: Request) -> None:
        lease = request.meta.pop("archiver_lease", None)
        if lease is None:
            return
        site, token = lease
        try:
            self._release(
                keys=[self.keys.leases(site), self.keys.next_time(site)], args=[token, self.delay]
            )
        except Exception as exc:  # the lease expires by itself
            logger.warning("Redis: %s; lease of %s left to expire", exc, site)

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back(request)


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, fetching each site's robots.txt once per crawl:
    the first worker to need it fetches (and archives) it, the others read its body
    from Redis."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        from scrapy_redis.connection import get_redis_from_settings

        self.server = get_redis_from_settings(crawler.settings)
        self.keys = Keys(crawler.settings.get("ARCHIVER_CRAWL"))

    async def robot_parser(self, request: Request) -> Any:
        from scrapy.utils.defer import maybe_deferred_to_future
        from scrapy.utils.httpobj import urlparse_cached
        from scrapy.utils.misc import build_from_crawler
        from twisted.internet import reactor

        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            key = self.keys.robots(netloc)
            for _ in range(600):  # another worker fetching it: wait up to a minute
                try:
                    body = self.server.get(key)
                    if body is not None and body != b"\x00fetching":
                        parser: Any = None  # b"\x00none": no rules
                        if body.startswith(UNAVAILABLE):  # RFC 9309: disallow all
                            cause, _, why = body[len(UNAVAILABLE) :].decode().partition("\x00")
                            parser = Unavailable(netloc, why, cause)
                        elif body != b"\x00none":
                            parser = build_from_crawler(self._parserimpl, self.crawler, body)
                        self._parsers[netloc] = parser
                        self._stats.inc_value("archiver/distributed/robots_shared")
                        return parser
                    if body is None and self.server.set(key, b"\x00fetching", nx=True, ex=120):
                        break
                except Exception as exc:
                    logger.warning("Redis: %s; fetching robots.txt of %s here", exc, netloc)
                    break
                await maybe_deferred_to_future(task.deferLater(reactor, 0.1, lambda: None))
        parser = await super().robot_parser(request)
        return parser

    def _share(self, netloc: str, value: bytes) -> None:
        try:
            self.server.set(self.keys.robots(netloc), value, ex=7 * 86400)
        except Exception as exc:
            logger.warning("Redis: %s; robots.txt of %s not shared", exc, netloc)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:  # a 4xx is shared as no rules; a 5xx by _unavailable
            self._share(netloc, response.body if response.status < 400 else b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        from scrapy.exceptions import IgnoreRequest

        if isinstance(exc, IgnoreRequest):  # no rules; other errors: _unavailable
            self._share(netloc, b"\x00none")
        super()._robots_error(exc, netloc)

    def _unavailable(self, netloc: str, why: str, cause: str) -> None:
        """Shared as such: every worker disallows the site (RFC 9309), with the cause."""
        self._share(netloc, UNAVAILABLE + f"{cause}\x00{why}".encode())
        super()._unavailable(netloc, why, cause)


#: The shared value of a robots.txt that could not be read (5xx, no answer).
UNAVAILABLE = b"\x00unavailable\x00"


# -- revisits across workers ------------------------------------------------------------------
class DigestIndex:
    """Payload digests of the crawl's full captures, shared by all workers."""

    def __init__(self, server: Any, keys: Keys) -> None:
        self.server = server
        self.key = keys.digests
        self.pending: list[tuple[str, str]] = []

    def get(self, url: str, digest: str) -> tuple[str, str, str] | None:
        try:
            found = self.server.hget(self.key, f"{digest} {url}")
        except Exception as exc:
            logger.warning("Redis: %s; revisit lookup skipped", exc)
            return None
        if not found:
            return None
        record_id, ref_url, date = found.decode().split("\t")
        return record_id, ref_url, date

    def put(self, url: str, digest: str, record_id: str, date: str) -> None:
        """Share a full capture's digest once its row is committed (:meth:`take`): a
        revisit must never refer to a record a killed worker left without a row."""
        self.pending.append((f"{digest} {url}", f"{record_id}\t{url}\t{date}"))

    def take(self) -> list[tuple[str, str]]:
        taken, self.pending = self.pending, []
        return taken


# -- status -----------------------------------------------------------------------------------
def crawl_names(client: Any) -> list[str]:
    names = set()
    for key in client.scan_iter(match="archiver:*:definition", count=1000):
        key = key.decode() if isinstance(key, bytes) else key
        names.add(key[len("archiver:") : -len(":definition")])
    return sorted(names)


def status(url: str, crawl: str | None = None) -> dict[str, Any]:
    """Figures of one crawl (or of every crawl in the database) for ``archiver status``."""
    import redis

    client = connect(url)
    try:
        names = [check_name(crawl)] if crawl else crawl_names(client)
        crawls = [_crawl_status(client, name) for name in names]
    except redis.RedisError as exc:
        raise CrawlError(f"cannot reach Redis at {url}: {exc}") from None
    finally:
        client.close()
    if crawl and not crawls[0]["exists"]:
        raise CrawlError(f"no crawl {crawl!r} in Redis at {url}")
    return {"redis": url, "crawls": crawls}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _crawl_status(client: Any, name: str) -> dict[str, Any]:
    keys = Keys(name)
    definition = client.get(keys.definition)
    now_s, now_us = client.time()
    now = now_s + now_us / 1e6
    stats = {_text(k): int(v) for k, v in client.hgetall(keys.stats).items()}
    workers = []
    claimed = 0
    alive_ids = {_text(w): s for w, s in client.zrange(keys.workers, 0, -1, withscores=True)}
    ids = set(alive_ids)
    for key in client.scan_iter(match=keys.prefix + "worker:*", count=1000):
        ids.add(_text(key)[len(keys.prefix + "worker:") :])
    for worker in sorted(ids):
        info = {_text(k): _text(v) for k, v in client.hgetall(keys.worker(worker)).items()}
        n_claims = client.hlen(keys.claims(worker))
        claimed += n_claims
        started = float(info.get("started") or now)
        pages = int(info.get("pages") or 0)
        beat = alive_ids.get(worker)
        workers.append(
            {
                "id": worker,
                "state": info.get("state", "unknown"),
                "alive": beat is not None and info.get("state") == "alive",
                "heartbeat_age": round(now - beat, 1) if beat is not None else None,
                "host": info.get("host"),
                "pid": int(info.get("pid") or 0),
                "db": info.get("db"),
                "warc_prefix": info.get("warc_prefix"),
                "pages": pages,
                "done": int(info.get("done") or 0),
                "claimed": n_claims,
                "pages_per_s": float(info.get("rate") or 0.0),
                "pages_per_s_avg": round(
                    pages / max((float(info.get("finished") or now)) - started, 1e-6), 2
                ),
            }
        )
    sites: dict[str, int] = {}
    queued = client.zcard(keys.requests)
    for data, _score in client.zscan_iter(keys.requests, count=1000):
        try:
            url = picklecompat.loads(data).get("url", "")
        except Exception:
            url = ""
        site = site_of(url) or "?"
        sites[site] = sites.get(site, 0) + 1
    return {
        "crawl": name,
        "exists": definition is not None,
        "definition": json.loads(definition)["arguments"] if definition else None,
        "queued": queued,
        "claimed": claimed,
        "done": stats.get("done", 0),
        "failed": stats.get("failed", 0),
        "requeued": stats.get("requeued", 0),
        "seen": client.scard(keys.seen),
        "workers_alive": sum(1 for w in workers if w["alive"]),
        "workers": workers,
        "sites": dict(sorted(sites.items(), key=lambda kv: -kv[1])),
        "finished": queued == 0
        and claimed == 0
        and not any(w["alive"] for w in workers)
        and definition is not None,
    }
