"""Crawl scope: which URLs belong to the seeds' sites; pure functions, no Scrapy.

A site is a host name without a leading ``www.`` plus its port when that is not the
scheme's default: ``http://www.example.com/`` and ``https://example.com/a`` are the
same site, ``news.example.com`` and ``example.com:8080`` are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from archiver.errors import ScopeError
from archiver.urls import DEFAULT_PORTS as _DEFAULT_PORTS
from archiver.urls import site_key

# Links to files that are never news pages (media, archives, executables): not followed.
SKIPPED_EXTENSIONS = frozenset(
    """7z aac ai apk arj avi bin bmp bz2 cab deb dmg eps exe flac flv gif gz ico iso jar jpeg jpg
    m4a m4v mid mkv mov mp3 mp4 mpeg mpg msi ogg ogv pkg png psd rar rpm svg swf tar tgz tif tiff
    wav webm webp wma wmv woff woff2 xz zip""".split()
)


def normalize_seed(url: str) -> str:
    """Validate a seed URL and return it in canonical form (raises :class:`ScopeError`)."""
    url = url.strip()
    if "://" not in url and url and not url.startswith("/"):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ScopeError(f"invalid seed URL {url!r}: {exc}") from None
    if parts.scheme not in _DEFAULT_PORTS:
        raise ScopeError(f"invalid seed URL {url!r}: only http and https URLs can be crawled")
    if not parts.hostname or " " in parts.netloc:
        raise ScopeError(f"invalid seed URL {url!r}: no host name")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def compile_patterns(patterns: Iterable[str] | None, option: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns or ():
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ScopeError(f"invalid {option} pattern {pattern!r}: {exc}") from None
    return compiled


class Scope:
    """The seeds' sites plus the ``--allow``/``--deny`` patterns."""

    def __init__(
        self,
        seeds: Iterable[str],
        allow: Iterable[str] | None = None,
        deny: Iterable[str] | None = None,
    ) -> None:
        self.sites = {key for key in (site_key(s) for s in seeds) if key}
        self.allow = compile_patterns(allow, "--allow")
        self.deny = compile_patterns(deny, "--deny")

    def in_site(self, url: str) -> bool:
        return site_key(url) in self.sites

    def accepts(self, url: str) -> bool:
        """True when ``url`` is on a seed's site and passes allow/deny patterns."""
        if site_key(url) not in self.sites:
            return False
        if self.deny and any(p.search(url) for p in self.deny):
            return False
        return not self.allow or any(p.search(url) for p in self.allow)


def skipped_by_extension(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    dot = path.rfind(".")
    if dot < 0 or "/" in path[dot:]:
        return False
    return path[dot + 1 :].lower() in SKIPPED_EXTENSIONS
