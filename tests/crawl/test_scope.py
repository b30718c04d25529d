"""Unit tests of archiver.crawl.scope: site keys, seed normalisation, allow/deny, extensions."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawl.scope import (
    SKIPPED_EXTENSIONS,
    Scope,
    ScopeError,
    compile_patterns,
    normalize_seed,
    site_key,
    site_root,
    skipped_by_extension,
)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://example.com/", "example.com"),
        ("https://www.example.com/a/b?c=d", "example.com"),
        ("http://WWW.Example.COM/", "example.com"),
        ("http://www.example.com./x", "example.com"),
        ("http://example.com:80/", "example.com"),
        ("https://example.com:443/", "example.com"),
        ("http://example.com:443/", "example.com:443"),
        ("https://example.com:80/", "example.com:80"),
        ("http://example.com:8080/", "example.com:8080"),
        ("http://news.example.com/", "news.example.com"),
        ("http://www2.example.com/", "www2.example.com"),
        ("http://user:pw@www.example.com:8080/", "example.com:8080"),
        ("http://127.0.0.1:8000/page", "127.0.0.1:8000"),
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://[::1]/", "[::1]"),
    ],
    ids=[
        "plain",
        "www-https",
        "case",
        "trailing-dot",
        "default-http-port",
        "default-https-port",
        "https-port-on-http",
        "http-port-on-https",
        "other-port",
        "subdomain",
        "www2",
        "userinfo",
        "ipv4-port",
        "ipv4",
        "ipv6",
    ],
)
def test_site_key(url: str, key: str) -> None:
    assert site_key(url) == key


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "mailto:someone@example.com",
        "javascript:void(0)",
        "/relative/path",
        "http:///nohost",
        "",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://[::1",
    ],
    ids=[
        "ftp",
        "mailto",
        "javascript",
        "relative",
        "no-host",
        "empty",
        "port-range",
        "port-text",
        "bad-ipv6",
    ],
)
def test_site_key_none_for_non_web_urls(url: str) -> None:
    assert site_key(url) is None


def test_www_and_bare_host_are_one_site() -> None:
    assert site_key("http://www.example.com/") == site_key("https://example.com/x")
    assert site_key("http://example.com:8080/") != site_key("http://example.com/")


def test_site_key_ipv6_with_port_is_unambiguous() -> None:
    assert site_key("http://[::1]:8080/") != site_key("http://[::1:8080]/")


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("example.com", "http://example.com/"),
        ("  example.com/news  ", "http://example.com/news"),
        ("Example.COM:8080/Path?q=1", "http://example.com:8080/Path?q=1"),
        ("https://News.Example.org", "https://news.example.org/"),
        ("HTTPS://example.org/a#frag", "https://example.org/a"),
        ("http://127.0.0.1:8000/feed.xml", "http://127.0.0.1:8000/feed.xml"),
    ],
    ids=["bare-host", "strip", "case-port-query", "https-root", "upper-scheme-fragment", "ip"],
)
def test_normalize_seed(seed: str, expected: str) -> None:
    assert normalize_seed(seed) == expected


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("ftp://example.com/", "only http and https URLs can be crawled"),
        ("file:///etc/passwd", "only http and https URLs can be crawled"),
        ("/just/a/path", "only http and https URLs can be crawled"),
        ("", "only http and https URLs can be crawled"),
        ("http://", "no host name"),
        ("https:///path", "no host name"),
        ("http://exa mple.com/", "no host name"),
        ("http://example.com:99999/", "invalid seed URL 'http://example.com:99999/'"),
        ("example.com:abc", "invalid seed URL 'http://example.com:abc'"),
    ],
    ids=[
        "ftp",
        "file",
        "path",
        "empty",
        "no-host",
        "empty-host",
        "space",
        "port-range",
        "port-text",
    ],
)
def test_normalize_seed_rejects(seed: str, message: str) -> None:
    with pytest.raises(ScopeError, match=message.replace("?", r"\?")) as info:
        normalize_seed(seed)
    assert str(info.value).startswith("invalid seed URL")
    assert isinstance(info.value, ValueError)


def test_site_root() -> None:
    assert site_root("https://example.com:8443/a/b?c#d") == "https://example.com:8443/"


def test_scope_sites_from_seeds() -> None:
    scope = Scope(["http://www.example.com/", "https://other.org:8443/x", "ftp://nope/"])
    assert scope.sites == {"example.com", "other.org:8443"}


@pytest.mark.parametrize(
    ("url", "in_site", "accepted"),
    [
        ("http://example.com/news/1.html", True, True),
        ("https://www.example.com/news/2.html", True, True),
        ("http://example.com/about.html", True, False),
        ("http://example.com/news/private/3.html", True, False),
        ("http://news.example.com/news/4.html", False, False),
        ("http://example.com:8080/news/5.html", False, False),
        ("http://elsewhere.org/news/6.html", False, False),
        ("mailto:a@example.com", False, False),
    ],
    ids=["allowed", "www", "not-allowed", "denied", "subdomain", "other-port", "offsite", "mailto"],
)
def test_scope_accepts_with_allow_and_deny(url: str, in_site: bool, accepted: bool) -> None:
    scope = Scope(["http://example.com/"], allow=[r"/news/"], deny=[r"/private/"])
    assert scope.in_site(url) is in_site
    assert scope.accepts(url) is accepted


def test_scope_without_patterns_accepts_whole_site() -> None:
    scope = Scope(["http://example.com/"])
    assert scope.accepts("http://example.com/anything?x=1")
    assert not scope.accepts("http://example.net/")


def test_deny_wins_over_allow_and_any_allow_suffices() -> None:
    scope = Scope(["http://example.com/"], allow=[r"/a/", r"/b/"], deny=[r"draft"])
    assert scope.accepts("http://example.com/b/x")
    assert not scope.accepts("http://example.com/a/draft-1")
    assert not scope.accepts("http://example.com/c/x")


@pytest.mark.parametrize(
    ("option", "pattern"), [("--allow", "("), ("--deny", "[a-")], ids=["allow", "deny"]
)
def test_invalid_pattern_raises_scope_error(option: str, pattern: str) -> None:
    with pytest.raises(ScopeError, match=f"invalid {option} pattern"):
        Scope(["http://example.com/"], **{option[2:]: [pattern]})
    assert compile_patterns(None, option) == []


@pytest.mark.parametrize(
    ("url", "skipped"),
    [
        ("http://example.com/photo.jpg", True),
        ("http://example.com/photo.JPEG?w=300", True),
        ("http://example.com/files/archive.tar.gz", True),
        ("http://example.com/video.mp4#t=3", True),
        ("http://example.com/story.html", False),
        ("http://example.com/report.pdf", False),
        ("http://example.com/dir.zip/index.html", False),
        ("http://example.com/dir.zip/", False),
        ("http://example.com/", False),
        ("http://example.com/page?file=x.zip", False),
    ],
    ids=[
        "jpg",
        "upper-query",
        "tar-gz",
        "fragment",
        "html",
        "pdf",
        "dir-with-dot",
        "trailing-slash",
        "root",
        "ext-in-query",
    ],
)
def test_skipped_by_extension(url: str, skipped: bool) -> None:
    assert skipped_by_extension(url) is skipped


def test_skipped_extensions_are_lowercase_and_exclude_pages() -> None:
    assert all(ext == ext.lower() and "." not in ext for ext in SKIPPED_EXTENSIONS)
    assert not {"html", "htm", "php", "xml", "pdf"} & SKIPPED_EXTENSIONS


URLISH = st.one_of(
    st.text(),
    st.builds(
        lambda s, h, p, rest: f"{s}{h}{p}{rest}",
        st.sampled_from(["", "http://", "https://", "HTTP://", "ftp://", "//", "http:"]),
        st.text(max_size=20),
        st.sampled_from(["", ":80", ":443", ":8080", ":", ":-1", ":99999", ":x"]),
        st.text(max_size=20),
    ),
)


@settings(max_examples=300, deadline=None)
@given(url=URLISH)
def test_site_key_and_accepts_never_raise(url: str) -> None:
    key = site_key(url)
    assert key is None or (isinstance(key, str) and not key.startswith("www."))
    scope = Scope(["http://example.com/"], allow=["."], deny=["zzz"])
    assert scope.accepts(url) in (True, False)
    assert scope.in_site(url) is (key == "example.com")


@pytest.mark.parametrize("url", ["http://[", "http://example.com]/a.jpg"], ids=["open", "close"])
def test_skipped_by_extension_never_raises(url: str) -> None:
    assert skipped_by_extension(url) in (True, False)


@settings(max_examples=300, deadline=None)
@given(seed=URLISH)
def test_normalize_seed_returns_or_raises_scope_error_and_is_idempotent(seed: str) -> None:
    try:
        normalized = normalize_seed(seed)
    except ScopeError:
        return
    assert normalized.startswith(("http://", "https://"))
    assert "#" not in normalized
    assert normalize_seed(normalized) == normalized
    assert site_key(normalized) is not None


def _reference_site_key(url: str) -> str | None:
    """The plain urlsplit definition of a site, to check site_key's fast path against."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    host = f"[{host}]" if ":" in host else host
    host = host[4:] if host.startswith("www.") else host
    default = 80 if parts.scheme == "http" else 443
    return f"{host}:{port}" if port and port != default else host


@settings(max_examples=500, deadline=None)
@given(
    url=st.builds(
        lambda s, h, p, rest: f"{s}{h}{p}{rest}",
        st.sampled_from(
            [
                "http://",
                "https://",
                "HTTP://",
                " http://",
                "ftp://",
                "//",
                "http:",
                "javascript:x('http://",
            ]
        ),
        st.one_of(
            st.text(max_size=15),
            st.sampled_from(
                ["www.Example.com", "u:p@b.org", "[::1]", "x.com.", "a.com\t", "WWW.x.org"]
            ),
        ),
        st.sampled_from(["", ":80", ":443", ":8080", ":", ":99999", ":x"]),
        st.one_of(
            st.text(max_size=15), st.sampled_from(["/a", "?q=http://b.com", "#f", "@e.com/"])
        ),
    )
)
def test_site_key_matches_urlsplit_definition(url: str) -> None:
    assert site_key(url) == _reference_site_key(url)
