"""Sites: the key that names the site a URL belongs to; pure functions.

A site is a host name without a leading ``www.`` plus its port when that is not the
scheme's default: ``http://www.example.com/`` and ``https://example.com/a`` are the
same site, ``news.example.com`` and ``example.com:8080`` are not.  The crawl's scope,
the archive's ``site`` columns and every ``--site`` filter use this one definition.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_key(url: str) -> str | None:
    """Return the site a URL belongs to, or None for a URL without a web host."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    end = len(rest)
    for stop in "/?#":
        i = rest.find(stop)
        if 0 <= i < end:
            end = i
    return _site_of(scheme.lower(), rest[:end])


@functools.lru_cache(maxsize=4096)
def _site_of(scheme: str, netloc: str) -> str | None:
    try:
        parts = urlsplit(f"{scheme}://{netloc}/")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    if ":" in host:  # IPv6 literal: keep the brackets so the port stays unambiguous
        host = f"[{host}]"
    if host.startswith("www."):
        host = host[4:]
    if port and port != DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return host
