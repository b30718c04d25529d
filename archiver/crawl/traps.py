"""Crawler traps: URLs a crawl refuses or rewrites before it asks for them; pure
functions, no Scrapy.

- :func:`url_problem`: why a URL cannot be fetched at all (a malformed URL: a bad
  port, an IPv6 literal that does not close, no host, a user name and password in
  it, a host name that does not encode, a scheme other than http and https).
- :func:`strip_session_ids`: the URL without its session-id query parameters
  (``sid``, ``sessionid``, ``jsessionid``, ``phpsessid``, ...) and ``;jsessionid=``
  path parameters, which give every visit a new set of URLs for the same pages.
- :func:`repeated_segment`: a path that repeats one of its segments more than a few
  times (``/a/b/a/b/a/b/``), what relative links on a misconfigured server produce.
- :func:`pattern_key`: a URL with every run of digits replaced by ``0``; a link whose
  key is that of the page it was found on continues a *chain* (a calendar's "next
  month", an endless "next page"), which the spider bounds.

What the spider refuses is counted in the crawl's stats as ``archiver/refused/<reason>``
(reasons: :data:`REASONS`) and logged once per reason.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

#: Query parameters that carry a session id (compared in lower case).
SESSION_PARAMS = frozenset(
    {
        "sid",
        "sessid",
        "sessionid",
        "session_id",
        "session-id",
        "jsessionid",
        "phpsessid",
        "aspsessionid",
        "asp.net_sessionid",
        "cfid",
        "cftoken",
        "oscsid",
        "zenid",
        "sess",
    }
)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.IGNORECASE)
_SESSION_WORDS = ("sess", "sid", "cfid", "cftoken", "zenid")
_DIGITS = re.compile(r"\d+")

#: Why the spider refuses a URL (``archiver/refused/<reason>`` in the crawl's stats).
REASONS = {
    "malformed-url": "a link that is no fetchable http(s) URL",
    "session-id": "session-id parameters removed from a link (counted; the link is kept)",
    "repeated-path": "a path that repeats a segment more than ARCHIVER_MAX_SEGMENT_REPEATS times",
    "pattern-chain": "more than ARCHIVER_PATTERN_CHAIN links in a row of the same URL pattern",
    "site-budget": "more than ARCHIVER_SITE_MAX_PAGES pages of one site",
    "link-cap": "links of one page beyond ARCHIVER_MAX_LINKS_PER_PAGE",
    "link-farm": "a page with more links than that: archived, its text not extracted",
    "not-http": "javascript:, mailto:, tel:, data: ... links (not fetched)",
    "redirect-out-of-scope": "a redirect to a URL outside the crawl's scope (not followed)",
    "sitemap-nesting": "sitemap indexes nested deeper than ARCHIVER_SITEMAP_NESTING",
    "budget-spent": "sitemaps not fetched once the --max-pages budget is spent",
    "retry-after-too-long": "a 429/503 whose Retry-After exceeds ARCHIVER_RETRY_AFTER_MAX",
}


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or None when it is a fetchable http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc) or "does not parse"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not http or https"
    host = parts.hostname
    if not host:
        return "no host name"
    if parts.username is not None or parts.password is not None:
        return "user name or password in the URL"
    if port == 0:
        return "port 0"
    if any(c in host for c in " <>\"'`{}|\\^%"):
        return "invalid character in the host name"
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return "host name does not encode (IDNA)"
    elif ":" not in host:  # a name, not an IPv6 literal
        labels = host.rstrip(".").split(".")
        if any(not label for label in labels):
            return "empty label in the host name"
        for label in labels:
            if label.startswith("xn--"):
                try:
                    label.encode("ascii").decode("idna")
                except UnicodeError:
                    return f"invalid IDNA label {label[:60]!r} in the host name"
    return None


def strip_session_ids(url: str) -> str:
    """``url`` without session-id query parameters and ``;jsessionid=`` path parameters
    (the same string when it has none)."""
    if "=" not in url:
        return url
    lowered = url.lower()
    if not any(word in lowered for word in _SESSION_WORDS):
        return url
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        kept = [
            pair
            for pair in query.split("&")
            if pair and pair.split("=", 1)[0].lower() not in SESSION_PARAMS
        ]
        query = "&".join(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def repeated_segment(url: str, limit: int) -> str | None:
    """The path segment ``url`` repeats more than ``limit`` times, or None."""
    if limit <= 0:
        return None
    path = url.split("://", 1)[-1]
    path = path.split("?", 1)[0].split("#", 1)[0]
    segments = [s for s in path.split("/")[1:] if s]
    if len(segments) <= limit:
        return None
    counts: dict[str, int] = {}
    for segment in segments:
        n = counts.get(segment, 0) + 1
        if n > limit:
            return segment
        counts[segment] = n
    return None


def pattern_key(url: str) -> str:
    """``url`` with each run of digits replaced by ``0`` (its fragment dropped):
    ``/calendar?month=2024-05`` and ``/calendar?month=2031-12`` share a key."""
    return _DIGITS.sub("0", url.split("#", 1)[0])
