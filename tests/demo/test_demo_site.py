"""Consistency checks of the bundled demo news site (``archiver/demo/site``).

The manifest must agree with the files, the discovery cases (sitemap-only, feed-only,
robots-disallowed) must really be what they claim, and every internal link must
resolve.  The generator (``_build.py``) must reproduce the committed files exactly.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html

from archiver.demo.server import SiteServer, demo_server, demo_site_root

ROOT = demo_site_root()
MANIFEST = json.loads((ROOT / "manifest.json").read_text("utf-8"))
ORIGIN = MANIFEST["origin_placeholder"]
HOST = urlsplit(ORIGIN).netloc
ARTICLES = MANIFEST["articles"]
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}


def site_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*")
        if p.is_file()
        and not any(part.startswith(("_", ".")) for part in p.relative_to(ROOT).parts)
    )


def file_for(path: str) -> Path:
    """The file serving a URL path (``/dir/`` -> ``dir/index.html``)."""
    target = ROOT / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def url_path_of(file: Path) -> str:
    rel = file.relative_to(ROOT).as_posix()
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


@cache
def parsed(file: Path) -> html.HtmlElement:
    return html.fromstring(file.read_bytes())


def page_text(file: Path) -> str:
    return " ".join(parsed(file).text_content().split())


def html_files() -> list[Path]:
    return [p for p in site_files() if p.suffix == ".html"]


def internal_links(
    file: Path, tags: tuple[str, ...] = ("a", "link", "img", "script")
) -> Iterator[str]:
    """Internal URL paths referenced by an HTML page (resolved, no query or fragment)."""
    base = ORIGIN + url_path_of(file)
    for element in parsed(file).iter(*tags):
        ref = element.get("href") if element.tag in ("a", "link") else element.get("src")
        if not ref or ref.startswith(("mailto:", "javascript:", "#", "tel:")):
            continue
        absolute = urlsplit(urljoin(base, ref))
        if absolute.netloc == HOST:
            yield absolute.path


def anchor_targets() -> dict[str, set[str]]:
    """URL path -> pages that link to it with <a href>."""
    targets: dict[str, set[str]] = {}
    for file in html_files():
        for path in internal_links(file, ("a",)):
            targets.setdefault(path, set()).add(url_path_of(file))
    return targets


def xml_locs(path: str) -> set[str]:
    tree = etree.parse(str(file_for(path)))
    return {urlsplit(loc.text.strip()).path for loc in tree.iterfind(".//sm:loc", NS)}


def feed_links(path: str) -> set[str]:
    tree = etree.parse(str(file_for(path)))
    links = [e.text for e in tree.iterfind("./channel/item/link")]
    links += [e.get("href") for e in tree.iterfind("./atom:entry/atom:link", NS)]
    links += [e.text for e in tree.iterfind("./channel/item/guid")]
    return {urlsplit(link.strip()).path for link in links if link}


def all_sitemap_paths() -> set[str]:
    paths: set[str] = set()
    for sitemap in MANIFEST["sitemaps"]:
        paths |= xml_locs(sitemap)
    return paths


def all_feed_paths() -> set[str]:
    return feed_links(MANIFEST["feeds"]["rss"]) | feed_links(MANIFEST["feeds"]["atom"])


def test_size_is_small() -> None:
    total = sum(p.stat().st_size for p in site_files())
    assert total < 1.5 * 1024 * 1024


def test_manifest_articles_exist_with_metadata() -> None:
    assert len(ARTICLES) >= 24
    assert len({a["path"] for a in ARTICLES}) == len(ARTICLES)
    for article in ARTICLES:
        file = file_for(article["path"])
        assert file.is_file(), article["path"]
        doc = parsed(file)
        assert doc.get("lang", "").split("-")[0] == article["lang"]
        assert doc.findtext(".//h1").strip() == article["title"] or article["title"] in doc.xpath(
            "string(//h1)"
        )

        def meta(attr: str, name: str, doc: html.HtmlElement = doc) -> str:
            values = doc.xpath(f"//meta[@{attr}=$name]/@content", name=name)
            assert values, name
            return str(values[0])

        assert meta("property", "og:title") == article["title"]
        assert meta("property", "article:published_time") == article["published"]
        assert meta("property", "og:url") == ORIGIN + article["path"]
        assert meta("name", "description") == article["description"]
        assert meta("name", "author") == article["author"]
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        assert canonical == [ORIGIN + article["path"]]
        assert doc.xpath("//time/@datetime")
        assert doc.xpath("//link[@rel='alternate'][@type='application/rss+xml']")
        assert article["phrase"] in page_text(file)
        assert 250 <= article["words"] <= 700


def test_phrases_are_distinctive() -> None:
    for article in ARTICLES:
        holders = [
            a["path"] for a in ARTICLES if article["phrase"] in page_text(file_for(a["path"]))
        ]
        assert holders == [article["path"]]


def test_languages_and_styles() -> None:
    langs = [a["lang"] for a in ARTICLES]
    assert langs.count("fr") >= 3
    assert langs.count("de") >= 2
    assert langs.count("en") > len(langs) / 2
    styles = {a["style"] for a in ARTICLES}
    assert {"wp", "wix"} <= styles


def test_wix_and_wordpress_markup() -> None:
    by_style = {a["style"]: file_for(a["path"]).read_text("utf-8") for a in ARTICLES}
    wix = by_style["wix"]
    for needle in (
        'data-hook="post-title"',
        "top of page",
        "bottom of page",
        "Updated:",
        'data-hook="comments-header">Comments<',
        "Be the first to write a comment",
        'data-hook="share-buttons"',
        "views",
        "Recent Posts",
        "Related video",
    ):
        assert needle in wix, needle
    wp = by_style["wp"]
    for needle in (
        '<article id="post-',
        'class="post-',
        "entry-content",
        "byline",
        '<time class="entry-date published" datetime=',
        'rel="tag"',
        "jp-relatedposts",
        "newsletter",
        "cookie-notice",
        "footer-widgets",
    ):
        assert needle in wp, needle
    wire = by_style["newsroom"]
    data = json.loads(html.fromstring(wire).xpath("string(//script[@type='application/ld+json'])"))
    assert data["@type"] == "NewsArticle"


def test_listing_pages_look_like_listings() -> None:
    for path in MANIFEST["listing_pages"]:
        assert file_for(path).is_file(), path
    articles = {a["path"] for a in ARTICLES}
    for key in ("city", "business", "science", "culture", "sport"):
        doc = parsed(file_for(f"/section/{key}/"))
        teasers = doc.xpath("//article[contains(@class, 'post')]")
        assert teasers, key
        for teaser in teasers:
            link = teaser.xpath(".//*[contains(@class, 'entry-title')]/a/@href")[0]
            assert link in articles
            assert teaser.xpath("string(.//*[contains(@class, 'entry-summary')])").strip()


def test_static_assets_exist() -> None:
    images = [p for p in site_files() if p.suffix in (".png", ".svg")]
    assert 2 <= len(images) <= 3
    assert (ROOT / "static/img/thumb.png").read_bytes().startswith(b"\x89PNG")
    assert list((ROOT / "static/css").glob("*.css"))


def test_all_internal_links_resolve() -> None:
    broken = [
        (url_path_of(f), path)
        for f in html_files()
        for path in internal_links(f)
        if not file_for(path).is_file()
    ]
    assert broken == []


def test_sitemap_index_and_news_sitemap() -> None:
    index = etree.parse(str(file_for(MANIFEST["sitemap_index"])))
    assert etree.QName(index.getroot()).localname == "sitemapindex"
    assert xml_locs(MANIFEST["sitemap_index"]) == set(MANIFEST["sitemaps"])
    news = etree.parse(str(file_for(MANIFEST["news_sitemap"])))
    assert news.getroot().nsmap.get("news") == NS["news"]
    assert news.findall(".//news:news/news:title", NS)
    assert MANIFEST["sitemap_only"] in xml_locs(MANIFEST["news_sitemap"])
    for path in all_sitemap_paths():
        assert file_for(path).is_file(), path


def test_feeds_parse_and_list_feed_only() -> None:
    rss = etree.parse(str(file_for(MANIFEST["feeds"]["rss"])))
    assert rss.getroot().tag == "rss" and rss.getroot().get("version") == "2.0"
    atom = etree.parse(str(file_for(MANIFEST["feeds"]["atom"])))
    assert atom.getroot().tag == f"{{{NS['atom']}}}feed"
    for feed in MANIFEST["feeds"].values():
        assert MANIFEST["feed_only"] in feed_links(feed)
    for path in all_feed_paths():
        assert file_for(path).is_file() or path == "/", path


def test_sitemap_only_article_is_only_in_sitemaps() -> None:
    path = MANIFEST["sitemap_only"]
    assert path in {a["path"] for a in ARTICLES}
    assert path in all_sitemap_paths()
    linkers = anchor_targets().get(path, set()) - {path}
    assert linkers == set()
    assert all(path not in set(internal_links(f)) for f in html_files() if url_path_of(f) != path)
    assert path not in all_feed_paths()


def test_feed_only_article_is_only_in_feeds() -> None:
    path = MANIFEST["feed_only"]
    assert path in {a["path"] for a in ARTICLES}
    assert path in all_feed_paths()
    assert all(path not in set(internal_links(f)) for f in html_files() if url_path_of(f) != path)
    assert path not in all_sitemap_paths()


def test_other_articles_are_linked_from_pages() -> None:
    targets = anchor_targets()
    for article in ARTICLES:
        if article["discovery"] == "links":
            assert targets.get(article["path"], set()) - {article["path"]}, article["path"]


def test_robots_txt() -> None:
    text = (ROOT / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {ORIGIN}{MANIFEST['sitemap_index']}" in text
    assert f"Disallow: {MANIFEST['disallowed_prefix']}" in text
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    assert not parser.can_fetch("archiver", ORIGIN + MANIFEST["robots_disallowed"])
    assert parser.can_fetch("archiver", ORIGIN + ARTICLES[0]["path"])
    assert MANIFEST["robots_disallowed"] in set(internal_links(ROOT / "index.html"))
    assert file_for(MANIFEST["robots_disallowed"]).is_file()
    assert MANIFEST["robots_disallowed"] not in all_sitemap_paths() | all_feed_paths()


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("_demo_build", ROOT / "_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    try:
        spec.loader.exec_module(module)
        module.build(tmp_path)
    finally:
        del sys.modules[spec.name]
    built = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    committed = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in site_files()}
    assert sorted(built) == sorted(committed)
    stale = [name for name in built if built[name] != committed[name]]
    assert stale == [], "run python archiver/demo/site/_build.py and commit the result"


@pytest.fixture(scope="module")
def served() -> Iterator[SiteServer]:
    with demo_server() as server:
        yield server


def test_served_site_uses_real_origin(served: SiteServer) -> None:
    with urllib.request.urlopen(served.url("/robots.txt")) as response:
        robots = response.read().decode()
    assert f"Sitemap: {served.url('/sitemap.xml')}" in robots
    with urllib.request.urlopen(served.url(MANIFEST["sitemaps"][1])) as response:
        assert response.headers["Content-Type"].startswith("application/xml")
        assert served.url(MANIFEST["sitemap_only"]).encode() in response.read()
    with urllib.request.urlopen(served.url(MANIFEST["feeds"]["rss"])) as response:
        assert response.headers["Content-Type"].startswith("application/rss+xml")
    with urllib.request.urlopen(served.url(ARTICLES[0]["path"])) as response:
        page = response.read().decode()
    assert f'<link rel="canonical" href="{served.url(ARTICLES[0]["path"])}">' in page
    assert ORIGIN not in page


def test_served_site_hides_build_files(served: SiteServer) -> None:
    for path in ("/_build.py", "/_articles.py"):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(served.url(path))
        assert info.value.code == 404
