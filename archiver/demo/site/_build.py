# ruff: noqa: E501  (HTML templates keep their markup on one line)
"""Generate the bundled demo news site (``archiver/demo_site``).

Run ``python archiver/demo_site/_build.py`` after editing the texts in
``_articles.py`` or the templates below, and commit the generated files: the package
ships them.  ``--out DIR`` writes the site somewhere else (the tests use it to check
that the committed files are up to date).  Standard library only.

The site is "Port Alder Daily", an invented local newspaper on one host, in three
publishing styles: a WordPress news theme (``/news/...``), a Wix-like community blog
(``/blog/post/...``) and a custom newsroom wire with JSON-LD (``/wire/...``).  Absolute
URLs are written with the placeholder origin :data:`ORIGIN`; :class:`archiver.sites.
SiteServer` replaces it with its own address when serving.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import struct
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
ORIGIN = "http://demo.archiver.invalid"
SITE = "Port Alder Daily"
BLOG = "Alder Notes"
WIRE = "Alder Wire"
PRIVATE_PATH = "/private/staff-notes/"
SECTIONS = {
    "city": "City",
    "business": "Business",
    "science": "Science",
    "culture": "Culture",
    "sport": "Sport",
}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
}
UI = {
    "en": {
        "by": "by",
        "tagged": "Tagged",
        "read_also": "Read also:",
        "related": "Related",
        "share": "Share this:",
        "posted_in": "Posted in",
        "min": "min read",
    },
    "fr": {
        "by": "par",
        "tagged": "Mots-clés :",
        "read_also": "Lire aussi :",
        "related": "Sur le même sujet",
        "share": "Partager :",
        "posted_in": "Publié dans",
        "min": "min de lecture",
    },
    "de": {
        "by": "von",
        "tagged": "Schlagwörter:",
        "read_also": "Lesen Sie auch:",
        "related": "Das könnte Sie auch interessieren",
        "share": "Teilen:",
        "posted_in": "Veröffentlicht in",
        "min": "Min. Lesezeit",
    },
}
HTML_LANG = {"wp": {"en": "en-GB", "fr": "fr-FR", "de": "de-DE"}}
OG_LOCALE = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE"}


def _load_articles() -> list[dict[str, object]]:
    spec = importlib.util.spec_from_file_location("_demo_articles", HERE / "_articles.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.ARTICLES)


# -- model --------------------------------------------------------------------------------


@dataclass
class Article:
    style: str
    slug: str
    lang: str
    section: str
    date: dt.datetime
    author: str
    title: str
    description: str
    tags: list[str]
    phrase: str
    body: str
    modified: dt.datetime | None = None
    discovery: str = "links"
    post_id: int = 0
    blocks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def path(self) -> str:
        if self.style == "wp":
            return f"/news/{self.date:%Y/%m/%d}/{self.slug}/"
        if self.style == "wix":
            return f"/blog/post/{self.slug}/"
        return f"/wire/{self.section}/{self.slug}.html"

    @property
    def url(self) -> str:
        return ORIGIN + self.path

    @property
    def linked(self) -> bool:
        """Linked from listing pages (neither sitemap-only nor feed-only)."""
        return self.discovery == "links"

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.style, {}).get(self.lang, self.lang)

    @property
    def words(self) -> int:
        return sum(len(text.split()) for _, text in self.blocks)

    @property
    def updated(self) -> dt.datetime:
        return self.modified or self.date


def parse_blocks(body: str) -> list[tuple[str, str]]:
    """Paragraphs, ``## `` headings and ``> `` quotes of an article body."""
    blocks: list[tuple[str, str]] = []
    for chunk in body.strip().split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if lines[0].startswith("## "):
            blocks.append(("h2", lines[0][3:]))
        elif lines[0].startswith("> "):
            blocks.append(("quote", " ".join(line.removeprefix(">").strip() for line in lines)))
        else:
            blocks.append(("p", " ".join(lines)))
    return blocks


def load() -> list[Article]:
    articles = []
    for number, raw in enumerate(_load_articles()):
        data = dict(raw)
        data["date"] = dt.datetime.fromisoformat(str(data["date"]))
        if data.get("modified"):
            data["modified"] = dt.datetime.fromisoformat(str(data["modified"]))
        article = Article(**data, post_id=401 + number * 7)  # type: ignore[arg-type]
        article.blocks = parse_blocks(article.body)
        articles.append(article)
    articles.sort(key=lambda a: a.date, reverse=True)
    return articles


def human_date(when: dt.datetime, lang: str) -> str:
    month = MONTHS[lang][when.month - 1]
    if lang == "fr":
        return f"{when.day} {month} {when.year}"
    if lang == "de":
        return f"{when.day}. {month} {when.year}"
    return f"{month} {when.day}, {when.year}"


def rfc822(when: dt.datetime) -> str:
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    utc = when.astimezone(dt.UTC)
    return (
        f"{days[utc.weekday()]}, {utc.day:02d} {MONTHS['en'][utc.month - 1][:3]} "
        f"{utc:%Y %H:%M:%S} +0000"
    )


def slugify(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def reading_time(article: Article) -> int:
    return max(1, round(article.words / 220))


# -- shared boilerplate -------------------------------------------------------------------


def e(text: object) -> str:
    return escape(str(text), quote=True)


def website_meta(title: str, description: str, path: str, site: str = SITE) -> str:
    """Open Graph tags of a page that is not an article (front, listings, about)."""
    return f"""<meta property="og:type" content="website">
<meta property="og:title" content="{e(title)}">
<meta property="og:description" content="{e(description)}">
<meta property="og:url" content="{ORIGIN}{path}">
<meta property="og:site_name" content="{site}">
"""


def head_common(title: str, description: str, path: str, css: str, extra: str = "") -> str:
    if 'property="og:type"' not in extra:
        site = BLOG if css == "blog.css" else WIRE if css == "wire.css" else SITE
        extra = (
            website_meta(title.split(" \u2013 ")[0].split(" | ")[0], description, path, site)
            + extra
        )
    return f"""<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="description" content="{e(description)}">
<link rel="canonical" href="{ORIGIN}{path}">
<link rel="icon" href="/static/img/avatar.png" type="image/png">
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="/feeds/rss.xml">
<link rel="alternate" type="application/atom+xml" title="{SITE} &raquo; Atom" href="/feeds/atom.xml">
<link rel="stylesheet" href="/static/css/{css}?ver=3.2.1" media="all">
{extra}"""


def article_meta(a: Article) -> str:
    tags = "".join(f'\n<meta property="article:tag" content="{e(t)}">' for t in a.tags)
    modified = (
        f'\n<meta property="article:modified_time" content="{a.modified.isoformat()}">'
        if a.modified
        else ""
    )
    return f"""<meta name="author" content="{e(a.author)}">
<meta property="og:locale" content="{OG_LOCALE[a.lang]}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:description" content="{e(a.description)}">
<meta property="og:url" content="{a.url}">
<meta property="og:site_name" content="{SITE if a.style != "wix" else BLOG}">
<meta property="og:image" content="{ORIGIN}/static/img/thumb.png">
<meta property="article:published_time" content="{a.date.isoformat()}">{modified}
<meta property="article:section" content="{e(a.section.title())}">
<meta property="article:author" content="{e(a.author)}">{tags}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{e(a.title)}">
<meta name="twitter:description" content="{e(a.description)}">
"""


COOKIE_BANNER = """<div id="cookie-notice" class="cookie-banner" role="dialog" aria-live="polite"
  aria-label="Cookie consent"><p>We use cookies to remember your preferences, count
  visits and show you relevant local offers. You can accept all cookies or choose only
  the ones strictly necessary for the site to work. Read our
  <a href="/privacy/">privacy and cookie policy</a>.</p>
  <button type="button" class="cookie-accept">Accept all</button>
  <button type="button" class="cookie-reject">Only necessary</button></div>"""

COOKIE_SCRIPT = """<script>
(function () {
  var banner = document.getElementById("cookie-notice");
  if (banner && document.cookie.indexOf("consent=") !== -1) { banner.hidden = true; }
  document.querySelectorAll("#cookie-notice button").forEach(function (button) {
    button.addEventListener("click", function () {
      document.cookie = "consent=" + (button.className === "cookie-accept" ? "all" : "min");
      banner.hidden = true;
    });
  });
})();
</script>
<script src="/static/js/site.js" defer></script>"""


def share_links(url: str, title: str) -> str:
    return f"""<li class="share-facebook"><a rel="nofollow noopener noreferrer" target="_blank"
  href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a></li>
<li class="share-x"><a rel="nofollow noopener noreferrer" target="_blank"
  href="https://x.com/intent/post?url={url}">X</a></li>
<li class="share-linkedin"><a rel="nofollow noopener noreferrer" target="_blank"
  href="https://www.linkedin.com/sharing/share-offsite/?url={url}">LinkedIn</a></li>
<li class="share-whatsapp"><a rel="nofollow noopener noreferrer" target="_blank"
  href="https://wa.me/?text={url}">WhatsApp</a></li>
<li class="share-email"><a rel="nofollow" href="mailto:?subject={e(title)}&amp;body={url}">Email</a></li>"""


def related(a: Article, articles: list[Article], count: int = 3) -> list[Article]:
    pool = [o for o in articles if o.linked and o is not a]
    same = [o for o in pool if o.section == a.section or set(o.tags) & set(a.tags)]
    rest = [o for o in pool if o not in same]
    return (same + rest)[:count]


def render_blocks(a: Article, wrap_span: bool = False, insert: str = "") -> str:
    out = []
    for index, (kind, text) in enumerate(a.blocks):
        if kind == "h2":
            out.append(
                f'<h2 class="wp-block-heading">{e(text)}</h2>'
                if a.style == "wp"
                else f"<h2>{e(text)}</h2>"
            )
        elif kind == "quote":
            out.append(f'<blockquote class="wp-block-quote"><p>{e(text)}</p></blockquote>')
        elif wrap_span:
            out.append(f'<p dir="auto" class="_2kmsz"><span class="_3Bkfb">{e(text)}</span></p>')
        else:
            out.append(f"<p>{e(text)}</p>")
        if index == 1 and insert:
            out.append(insert)
    return "\n".join(out)


# -- WordPress-style news theme -----------------------------------------------------------


def wp_nav(active: str = "") -> str:
    items = [("/", "Home")] + [(f"/section/{k}/", v) for k, v in SECTIONS.items()]
    items += [("/wire/", "Wire"), ("/blog/", "Community blog")]
    lis = "".join(
        f'<li class="menu-item{" current-menu-item" if href == active else ""}">'
        f'<a href="{href}">{label}</a></li>'
        for href, label in items
    )
    return f"""<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">{lis}</ul></nav>"""


def wp_header(articles: list[Article], active: str = "", staff_link: bool = False) -> str:
    ticker = "".join(
        f'<li><a href="{o.path}">{e(o.title)}</a></li>'
        for o in [x for x in articles if x.linked][:3]
    )
    staff = f'<li><a href="{PRIVATE_PATH}">Staff area</a></li>' if staff_link else ""
    return f"""<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
{COOKIE_BANNER}
<div class="top-bar"><span class="top-date">Port Alder &middot; tides, ferries and news</span>
<ul class="top-links"><li><a href="/about/">About</a></li><li><a href="/contact/">Contact</a></li>
<li><a href="/feeds/rss.xml">RSS</a></li>{staff}</ul></div>
<header id="masthead" class="site-header">
<div class="site-branding"><a href="/" class="custom-logo-link" rel="home"><img
 src="/static/img/logo.svg" class="custom-logo" alt="{SITE}" width="220" height="48"></a>
<p class="site-title"><a href="/" rel="home">{SITE}</a></p>
<p class="site-description">News from the harbour town since 1871</p></div>
{wp_nav(active)}
<div class="breaking-news-ticker"><span class="ticker-label">Latest:</span><ul>{ticker}</ul></div>
</header>"""


def wp_sidebar(articles: list[Article]) -> str:
    popular = "".join(
        f'<li><a href="{o.path}">{e(o.title)}</a></li>'
        for o in [x for x in articles if x.linked and x.style == "wp"][2:7]
    )
    tags = sorted({t for o in articles if o.linked and o.style == "wp" for t in o.tags})[:12]
    cloud = " ".join(
        f'<a href="/tag/{slugify(t)}/" class="tag-cloud-link">{e(t)}</a>' for t in tags
    )
    return f"""<aside id="secondary" class="widget-area" role="complementary">
<section class="widget widget_search"><form role="search" method="get" class="search-form"
 action="/"><label><span class="screen-reader-text">Search for:</span><input type="search"
 class="search-field" placeholder="Search &hellip;" name="s"></label>
 <input type="submit" class="search-submit" value="Search"></form></section>
<section class="widget widget_popular"><h2 class="widget-title">Most read</h2>
<ol>{popular}</ol></section>
<section class="widget widget_newsletter"><h2 class="widget-title">The morning briefing</h2>
<p>The day's harbour news, ferry changes and weather warnings in your inbox at seven.
Free, and you can unsubscribe at any time.</p>
<form class="newsletter-form" method="post" action="#newsletter"><input type="email"
 name="email" placeholder="Your email address" required><button type="submit">Sign up</button>
</form></section>
<section class="widget widget_tag_cloud"><h2 class="widget-title">Topics</h2>
<div class="tagcloud">{cloud}</div></section>
</aside>"""


def wp_footer() -> str:
    sections = "".join(f'<li><a href="/section/{k}/">{v}</a></li>' for k, v in SECTIONS.items())
    return f"""<footer id="colophon" class="site-footer">
<div class="footer-widgets">
<section class="widget"><h2 class="widget-title">About us</h2><p>{SITE} is an independent
local newspaper owned by a reader trust. Our newsroom is on Quay Street, above the chandlery.</p>
</section>
<section class="widget"><h2 class="widget-title">Sections</h2><ul>{sections}</ul></section>
<section class="widget"><h2 class="widget-title">Useful links</h2><ul>
<li><a href="/about/">About the paper</a></li><li><a href="/contact/">Contact the newsroom</a></li>
<li><a href="/privacy/">Privacy and cookies</a></li><li><a href="/feeds/rss.xml">RSS feed</a></li>
<li><a href="/feeds/atom.xml">Atom feed</a></li></ul></section>
</div>
<div class="site-info">&copy; 2024 {SITE}. All rights reserved.
<span class="sep"> | </span>Proudly powered by WordPress<span class="sep"> | </span>Theme:
Harbourline by Quayside Themes.</div>
</footer>"""


def wp_page(
    title: str,
    description: str,
    path: str,
    body_class: str,
    main: str,
    articles: list[Article],
    head_extra: str = "",
    lang: str = "en-GB",
    active: str = "",
    staff_link: bool = False,
) -> str:
    head = head_common(f"{title} \u2013 {SITE}", description, path, "theme.css", head_extra)
    return f"""<!DOCTYPE html>
<html lang="{lang}" prefix="og: https://ogp.me/ns#">
<head>
{head}<meta name="generator" content="WordPress 6.5.4">
</head>
<body class="{body_class} wp-embed-responsive">
<div id="page" class="site">
{wp_header(articles, active, staff_link)}
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
{main}
</main></div>
{wp_sidebar(articles)}
</div>
{wp_footer()}
</div>
{COOKIE_SCRIPT}
</body>
</html>
"""


def wp_article(a: Article, articles: list[Article]) -> str:
    ui = UI[a.lang]
    rel = related(a, articles)
    read_also = (
        f'<p class="read-also"><strong>{ui["read_also"]}</strong> '
        f'<a href="{rel[0].path}">{e(rel[0].title)}</a></p>'
    )
    ad = '<div class="ad-slot" aria-hidden="true"><span>Advertisement</span></div>'
    section = SECTIONS.get(a.section, a.section.title())
    tag_links = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{e(t)}</a>' for t in a.tags)
    related_html = "".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f'<a href="{o.path}">{e(o.title)}</a></h4><p class="jp-relatedposts-post-date">'
        f'{human_date(o.date, "en")}</p><p class="jp-relatedposts-post-context">In '
        f"&quot;{e(o.section.title())}&quot;</p></div>"
        for o in rel
    )
    linked = [o for o in articles if o.linked and o.style == "wp"]
    nav = ""
    if a in linked:
        i = linked.index(a)
        prev = linked[i + 1] if i + 1 < len(linked) else None
        nxt = linked[i - 1] if i > 0 else None
    else:
        prev, nxt = linked[0], None
    if prev:
        nav += (
            f'<div class="nav-previous"><a href="{prev.path}" rel="prev"><span '
            f'class="meta-nav">Previous</span> {e(prev.title)}</a></div>'
        )
    if nxt:
        nav += (
            f'<div class="nav-next"><a href="{nxt.path}" rel="next"><span '
            f'class="meta-nav">Next</span> {e(nxt.title)}</a></div>'
        )
    updated = (
        f'<time class="updated" datetime="{a.modified.isoformat()}">'
        f"{human_date(a.modified, a.lang)}</time>"
        if a.modified
        else ""
    )
    schema = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "@id": a.url,
                "url": a.url,
                "name": a.title,
                "inLanguage": a.html_lang,
                "datePublished": a.date.isoformat(),
                "breadcrumb": {"@id": a.url + "#breadcrumb"},
            },
            {
                "@type": "BreadcrumbList",
                "@id": a.url + "#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": ORIGIN + "/"},
                    {
                        "@type": "ListItem",
                        "position": 2,
                        "name": section,
                        "item": f"{ORIGIN}/section/{a.section}/",
                    },
                    {"@type": "ListItem", "position": 3, "name": a.title},
                ],
            },
        ],
    }
    head_extra = article_meta(a) + (
        f'<meta name="twitter:label1" content="Written by">\n'
        f'<meta name="twitter:data1" content="{e(a.author)}">\n'
        f'<script type="application/ld+json" class="yoast-schema-graph">'
        f"{json.dumps(schema, ensure_ascii=False)}</script>\n"
    )
    main = f"""<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">Home</a> &raquo;
<a href="/section/{a.section}/">{section}</a> &raquo; <span class="breadcrumb_last">{e(a.title)}</span></nav>
<article id="post-{a.post_id}" class="post-{a.post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{a.section} {" ".join("tag-" + slugify(t) for t in a.tags)}">
<header class="entry-header">
<div class="entry-categories"><a href="/section/{a.section}/" rel="category tag">{section}</a></div>
<h1 class="entry-title">{e(a.title)}</h1>
<div class="entry-meta"><span class="byline">{ui["by"]} <span class="author vcard"><a class="url fn n"
 href="/author/{slugify(a.author)}/">{e(a.author)}</a></span></span>
<span class="posted-on"><a href="{a.path}" rel="bookmark">
<time class="entry-date published" datetime="{a.date.isoformat()}">{human_date(a.date, a.lang)}</time>{updated}</a></span>
<span class="reading-time">{reading_time(a)} {ui["min"]}</span></div>
</header>
<figure class="post-thumbnail"><img src="/static/img/thumb.png" class="attachment-post-thumbnail
 size-post-thumbnail wp-post-image" alt="" width="1200" height="675" loading="lazy">
<figcaption class="wp-caption-text">Photo: {SITE} archive</figcaption></figure>
<div class="entry-content">
{render_blocks(a, insert=read_also + chr(10) + ad)}
</div>
<footer class="entry-footer"><span class="cat-links">{ui["posted_in"]} <a href="/section/{a.section}/"
 rel="category tag">{section}</a></span> <span class="tags-links">{ui["tagged"]} {tag_links}</span></footer>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{ui["share"]}</h3>
<ul class="share-buttons">{share_links(a.url, a.title)}</ul></div>
<div class="author-bio"><img src="/static/img/avatar.png" alt="" width="64" height="64"
 class="avatar"><div class="author-bio-text"><h2 class="author-title">About {e(a.author)}</h2>
<p>{e(a.author)} reports for {SITE}. Tips and corrections are welcome at the newsroom.</p>
<a class="author-link" href="/author/{slugify(a.author)}/" rel="author">More stories by
{e(a.author)}</a></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>{ui["related"]}</em></h3>
{related_html}</div>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2>
<div class="nav-links">{nav}</div></nav>
<div id="comments" class="comments-area"><p class="no-comments">Comments are closed.</p></div>"""
    body_class = (
        f"post-template-default single single-post postid-{a.post_id} single-format-standard"
    )
    return wp_page(
        a.title,
        a.description,
        a.path,
        body_class,
        main,
        articles,
        head_extra,
        a.html_lang,
        f"/section/{a.section}/",
    )


def teaser(o: Article, heading: str = "h2") -> str:
    return f"""<article class="post type-post hentry category-{o.section}">
<{heading} class="entry-title"><a href="{o.path}" rel="bookmark">{e(o.title)}</a></{heading}>
<div class="entry-meta"><time class="entry-date published" datetime="{o.date.isoformat()}">{human_date(o.date, o.lang)}</time>
<span class="byline">by {e(o.author)}</span></div>
<div class="entry-summary"><p>{e(o.description)}</p></div>
<a class="more-link" href="{o.path}">Read more<span class="screen-reader-text"> {e(o.title)}</span></a>
</article>"""


def wp_listing(
    title: str,
    intro: str,
    path: str,
    body_class: str,
    items: list[Article],
    articles: list[Article],
    active: str = "",
) -> str:
    listing = (
        "\n".join(teaser(o) for o in items)
        or '<p class="no-results">Nothing has been published here yet.</p>'
    )
    main = f"""<header class="page-header"><h1 class="page-title">{e(title)}</h1>
<div class="archive-description"><p>{e(intro)}</p></div></header>
{listing}"""
    return wp_page(title, intro, path, body_class, main, articles, active=active)


def home(articles: list[Article]) -> str:
    linked = [o for o in articles if o.linked]
    news = [o for o in linked if o.style != "wix"]
    lead, top = news[0], news[1:5]
    blocks = []
    for key, label in SECTIONS.items():
        items = [o for o in linked if o.section == key][:3]
        teasers = "".join(
            f'<li><a href="{o.path}">{e(o.title)}</a><p>{e(o.description)}</p></li>' for o in items
        )
        blocks.append(
            f'<section class="home-section section-{key}"><h2 class="section-title">'
            f'<a href="/section/{key}/">{label}</a></h2><ul>{teasers}</ul></section>'
        )
    blog = "".join(
        f'<li><a href="{o.path}">{e(o.title)}</a></li>' for o in linked if o.style == "wix"
    )
    wire = "".join(
        f'<li><a href="{o.path}">{e(o.title)}</a></li>' for o in linked if o.style == "newsroom"
    )
    main = f"""<h1 class="screen-reader-text">{SITE}: news from Port Alder</h1>
<section class="lead-story"><a href="{lead.path}"><img src="/static/img/thumb.png" alt=""
 width="1200" height="675"></a>
<h2 class="entry-title"><a href="{lead.path}">{e(lead.title)}</a></h2><p>{e(lead.description)}</p></section>
<section class="top-stories"><h2 class="section-title">Top stories</h2>
{"".join(teaser(o, "h3") for o in top)}</section>
{"".join(blocks)}
<section class="home-blog"><h2 class="section-title"><a href="/blog/">From the community blog</a></h2>
<ul>{blog}</ul></section>
<section class="home-wire"><h2 class="section-title"><a href="/wire/">Latest from the wire</a></h2>
<ul>{wire}</ul></section>"""
    return wp_page(
        "News from the harbour town",
        "Local news, sport and culture from Port "
        "Alder and the bay: ferries, council, business and the community blog.",
        "/",
        "home blog",
        main,
        articles,
        active="/",
        staff_link=True,
    )


def static_page(path: str, title: str, paragraphs: list[str], articles: list[Article]) -> str:
    main = (
        f'<article class="page type-page"><header class="entry-header"><h1 class="entry-'
        f'title">{e(title)}</h1></header><div class="entry-content">'
        + "".join(f"<p>{e(p)}</p>" for p in paragraphs)
        + "</div></article>"
    )
    return wp_page(title, paragraphs[0][:150], path, "page-template-default page", main, articles)


def private_page() -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<title>Staff notes (internal) \u2013 {SITE}</title>
<link rel="stylesheet" href="/static/css/theme.css?ver=3.2.1"></head>
<body class="private"><main><h1>Staff notes (internal)</h1>
<p>Embargoed until further notice. The embargoed harbour budget memo is to be discussed at the
Thursday editorial meeting; do not quote figures from the draft in any published story.</p>
<p>Rota changes: the weekend desk moves to a two-person shift from July. Back to
<a href="/">the front page</a>.</p></main></body></html>
"""


# -- Wix-style community blog -------------------------------------------------------------


def wix_header() -> str:
    links = [("/blog/", "Blog"), ("/", "News"), ("/wire/", "Wire"), ("/about/", "About")]
    items = "".join(
        f'<li class="wixui-dropdown-menu__item"><a data-testid="linkElement" '
        f'href="{ORIGIN}{h}">{t}</a></li>'
        for h, t in links
    )
    return f"""<div id="SCROLL_TO_TOP" class="Vd6aQZ ignore-focus" tabindex="-1" role="region"
 aria-label="top of page"><span class="mHZSwn">top of page</span></div>
<button class="skip-to-content" data-testid="skipToContent">Skip to Main Content</button>
{COOKIE_BANNER}
<header id="SITE_HEADER" class="xU8fqS SITE_HEADER wixui-header" tabindex="-1">
<div data-testid="richTextElement" class="font_0 wixui-rich-text"><p class="font_0"><a
 href="{ORIGIN}/blog/">{BLOG}</a></p></div>
<nav id="comp-menu" aria-label="Site"><ul class="wixui-dropdown-menu">{items}</ul></nav>
<button class="login-button" data-hook="login-button">Log In</button>
</header>"""


def wix_footer() -> str:
    return f"""<footer id="SITE_FOOTER" class="wixui-footer"><div class="footer-subscribe">
<h2 class="font_5">Join our mailing list</h2><p>Never miss an update from the community.</p>
<form data-hook="subscribe-form"><input type="email" placeholder="Email*" aria-label="Email">
<button type="submit">Subscribe Now</button></form></div>
<p class="font_9">&copy; 2024 by {BLOG}, the community blog of {SITE}. Proudly created with
Wix.com</p>
<ul class="social-bar" aria-label="Social Bar"><li><a href="https://www.instagram.com/"
 target="_blank" rel="noreferrer noopener">Instagram</a></li><li><a
 href="https://www.facebook.com/" target="_blank" rel="noreferrer noopener">Facebook</a></li></ul>
</footer>
<div id="SCROLL_TO_BOTTOM" class="Vd6aQZ ignore-focus" tabindex="-1" role="region"
 aria-label="bottom of page"><span class="mHZSwn">bottom of page</span></div>"""


def wix_page(
    title: str, description: str, path: str, lang: str, main: str, head_extra: str = ""
) -> str:
    head = head_common(
        title,
        description,
        path,
        "blog.css",
        head_extra + '<meta name="generator" content="Wix.com Website Builder">\n',
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="ltr">
<head>
{head}</head>
<body class="responsive">
<div id="SITE_CONTAINER"><div id="main_MF" class="main_MF">
{wix_header()}
<main id="PAGES_CONTAINER" class="PAGES_CONTAINER" tabindex="-1" data-main-content="true">
<div id="SITE_PAGES">
{main}
</div>
</main>
{wix_footer()}
</div></div>
{COOKIE_SCRIPT}
</body>
</html>
"""


def views(a: Article) -> int:
    return 40 + (a.post_id * 37) % 400


def short_date(when: dt.datetime) -> str:
    return f"{MONTHS['en'][when.month - 1][:3]} {when.day}"


def wix_card(o: Article) -> str:
    return f"""<li data-hook="post-list-item" class="gallery-item"><div class="post-card">
<a href="{o.url}" data-hook="post-list-item-image"><img src="{ORIGIN}/static/img/thumb.png"
 alt="" width="292" height="164"></a>
<div data-hook="post-list-item__title"><h3><a href="{o.url}" class="post-title">{e(o.title)}</a></h3></div>
<div data-hook="post-description" class="post-excerpt">{e(o.description)}</div>
<div class="post-card-footer"><span data-hook="views-label">{views(o)} views</span>
<span data-hook="comment-count-compact">0 comments</span></div></div></li>"""


def wix_article(a: Article, articles: list[Article]) -> str:
    recent = [o for o in articles if o.linked and o.style == "wix" and o is not a][:3]
    tag_links = "".join(
        f'<li><a href="{ORIGIN}/blog/tags/{slugify(t)}/" data-hook="tag">{e(t)}</a></li>'
        for t in a.tags
    )
    updated = (
        f'<p data-hook="post-last-updated" class="last-updated">Updated: '
        f"{short_date(a.modified)}</p>"
        if a.modified
        else f'<p data-hook="post-last-updated" class="last-updated">Updated: '
        f"{short_date(a.date)}</p>"
    )
    video = (
        f'<figure data-hook="video-viewer" class="video-block"><div class="video-'
        f'placeholder"><img src="{ORIGIN}/static/img/thumb.png" alt="Video thumbnail" '
        f'width="640" height="360"></div><figcaption data-hook="figcaption">Related video: '
        f"{e(a.tags[0])} in Port Alder, filmed by our members (2:14)</figcaption></figure>"
    )
    schema = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": a.title,
        "description": a.description,
        "datePublished": a.date.isoformat(),
        "dateModified": a.updated.isoformat(),
        "author": {"@type": "Person", "name": a.author},
        "image": f"{ORIGIN}/static/img/thumb.png",
        "inLanguage": a.lang,
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "publisher": {"@type": "Organization", "name": BLOG},
    }
    head_extra = article_meta(a) + (
        f'<script type="application/ld+json">{json.dumps(schema, ensure_ascii=False)}</script>\n'
    )
    main = f"""<div data-hook="post-page" class="post-page"><article data-hook="post" class="blog-post">
<div data-hook="post-header" class="post-header"><div class="post-metadata">
<img src="{ORIGIN}/static/img/avatar.png" alt="{e(a.author)}" data-hook="avatar-image" width="32" height="32">
<span data-hook="user-name" class="user-name">{e(a.author)}</span>
<span data-hook="time-ago" class="post-date"><time datetime="{a.date.isoformat()}">{short_date(a.date)}</time></span>
<span data-hook="time-to-read">{reading_time(a)} min read</span></div>
{updated}</div>
<h1 data-hook="post-title" class="post-title blog-post-title-font"><span class="post-title__text">{e(a.title)}</span></h1>
<div data-hook="post-description" class="post-content"><div class="ricos-viewer" data-id="rich-content-viewer">
{render_blocks(a, wrap_span=True, insert=video)}
</div></div>
<div data-hook="post-footer" class="post-footer">
<nav data-hook="tag-list" aria-label="Tags"><ul class="tag-list">{tag_links}</ul></nav>
<div data-hook="share-buttons" class="share-bar" role="group" aria-label="Share Post">
<ul>{share_links(a.url, a.title)}</ul>
<button data-hook="share-button-copy-link">Copy link</button></div>
<div class="post-stats"><span data-hook="views-counter">{views(a)} views</span>
<span data-hook="comment-counter">0 comments</span>
<button data-hook="like-button" aria-label="Post not marked as liked">
<span data-hook="like-count">{views(a) % 9}</span></button></div></div>
</article>
<section data-hook="recent-posts" class="recent-posts"><div class="recent-posts-header">
<h2 data-hook="recent-posts-title">Recent Posts</h2><a href="{ORIGIN}/blog/" data-hook="see-all-link">See All</a></div>
<ul class="recent-posts-list">{"".join(wix_card(o) for o in recent)}</ul></section>
<section data-hook="comments" class="comments"><h2 data-hook="comments-header">Comments</h2>
<div data-hook="comment-box-placeholder" class="comment-box">Write a comment...</div>
<div data-hook="comments-empty-state" class="empty-state"><p>Share your thoughts</p>
<p>Be the first to write a comment.</p></div></section>
</div>"""
    return wix_page(f"{a.title}", a.description, a.path, a.lang, main, head_extra)


def wix_listing(title: str, path: str, items: list[Article]) -> str:
    cats = "".join(
        f'<li><a href="{ORIGIN}/blog/tags/{slugify(t)}/">{e(t)}</a></li>'
        for t in sorted({t for o in items for t in o.tags})[:8]
    )
    main = f"""<div data-hook="blog-feed" class="blog-feed"><nav data-hook="category-menu"
 aria-label="Categories"><ul><li><a href="{ORIGIN}/blog/">All Posts</a></li>{cats}</ul></nav>
<h1 data-hook="feed-title" class="feed-title">{e(title)}</h1>
<ul data-hook="post-list" class="post-list">{"".join(wix_card(o) for o in items)}</ul></div>"""
    return wix_page(
        f"{title} | {BLOG}",
        f"{title}: posts from {BLOG}, the community blog of {SITE}.",
        path,
        "en",
        main,
    )


# -- custom newsroom wire (JSON-LD NewsArticle) ---------------------------------------------


def rel_link(from_path: str, to_path: str) -> str:
    """A document-relative link between two wire pages."""
    here = from_path.rsplit("/", 1)[0].split("/")[1:]
    there = to_path.split("/")[1:]
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def wire_page(
    title: str, description: str, path: str, main: str, head_extra: str = "", lang: str = "en"
) -> str:
    head = head_common(title, description, path, "wire.css", head_extra)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
{head}</head>
<body class="wire">
<a class="skip" href="#content">Skip to content</a>
{COOKIE_BANNER}
<header class="masthead"><a class="brand" href="/wire/">{WIRE}</a>
<span class="brand-sub">A news service of <a href="/">{SITE}</a></span>
<nav class="wire-nav" aria-label="Sections"><a href="/wire/">All stories</a>
<a href="/section/city/">City</a><a href="/section/business/">Business</a>
<a href="/section/science/">Science</a><a href="/feeds/rss.xml">Feed</a></nav></header>
<main id="content">
{main}
</main>
<footer class="site-footer"><p>&copy; 2024 {WIRE}. Redistribution of wire copy requires a
licence. <a href="/contact/">Licensing and syndication</a> &middot; <a href="/privacy/">Privacy</a>
&middot; <a href="/about/">About</a></p></footer>
{COOKIE_SCRIPT}
</body>
</html>
"""


def wire_article(a: Article, articles: list[Article]) -> str:
    latest = [o for o in articles if o.linked and o.style == "newsroom" and o is not a][:4]
    rel = related(a, articles, 2)
    box = (
        '<aside class="inline-related"><h2>Related coverage</h2><ul>'
        + "".join(f'<li><a href="{o.path}">{e(o.title)}</a></li>' for o in rel)
        + "</ul></aside>"
    )
    rail = "".join(
        f'<li><a href="{rel_link(a.path, o.path)}">{e(o.title)}</a>'
        f'<time datetime="{o.date.isoformat()}">{o.date:%d %b}</time></li>'
        for o in latest
    )
    schema = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.description,
        "datePublished": a.date.isoformat(),
        "dateModified": a.updated.isoformat(),
        "author": [{"@type": "Person", "name": a.author}],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": WIRE,
            "logo": {"@type": "ImageObject", "url": f"{ORIGIN}/static/img/logo.svg"},
        },
        "image": [f"{ORIGIN}/static/img/thumb.png"],
        "articleSection": a.section.title(),
        "keywords": a.tags,
        "inLanguage": a.lang,
        "wordCount": a.words,
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "isAccessibleForFree": True,
    }
    head_extra = article_meta(a) + (
        f'<meta name="news_keywords" content="{e(", ".join(a.tags))}">\n'
        f'<script type="application/ld+json">{json.dumps(schema, ensure_ascii=False)}</script>\n'
    )
    topics = "".join(f'<li><a href="/tag/{slugify(t)}/">{e(t)}</a></li>' for t in a.tags)
    main = f"""<div class="story-layout"><article class="story">
<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="{rel_link(a.path, "/wire/index.html").removesuffix("index.html") or "./"}">Wire</a></li>
<li aria-current="page">{e(a.section.title())}</li></ol></nav>
<header class="story-header"><p class="kicker">{e(a.section.title())}</p>
<h1 class="headline">{e(a.title)}</h1><p class="standfirst">{e(a.description)}</p>
<div class="story-meta"><span class="byline">By <span class="byline-name">{e(a.author)}</span>,
{WIRE}</span> <time class="published" datetime="{a.date.isoformat()}">{a.date:%d %B %Y, %H:%M}</time></div>
</header>
<figure class="lead-image"><img src="/static/img/thumb.png" alt="" width="960" height="540">
<figcaption>Image: {WIRE} / file photo</figcaption></figure>
<div class="story-body">
{render_blocks(a, insert=box)}
</div>
<aside class="corrections"><h2>Corrections</h2><p>Spotted an error? Write to the standards
desk through the contact page; corrections are published on this page.</p></aside>
<footer class="story-footer"><h2>Topics</h2><ul class="topics">{topics}</ul>
<ul class="share-tools">{share_links(a.url, a.title)}</ul></footer>
</article>
<aside class="rail"><h2>Latest from the wire</h2><ol class="latest">{rail}</ol></aside></div>"""
    return wire_page(f"{a.title} | {WIRE}", a.description, a.path, main, head_extra, a.lang)


def wire_front(articles: list[Article]) -> str:
    items = "".join(
        f'<li class="wire-item"><p class="kicker">{e(o.section.title())}</p><h2><a href="'
        f'{o.path.removeprefix("/wire/")}">{e(o.title)}</a></h2><p class="standfirst">'
        f'{e(o.description)}</p><time datetime="{o.date.isoformat()}">{o.date:%d %B %Y}</time>'
        f"</li>"
        for o in articles
        if o.linked and o.style == "newsroom"
    )
    main = f'<h1 class="front-title">{WIRE}: latest stories</h1><ol class="wire-list">{items}</ol>'
    return wire_page(
        f"Latest stories | {WIRE}", f"Breaking and regional news from {WIRE}.", "/wire/", main
    )


# -- feeds, sitemaps, robots --------------------------------------------------------------


def rss(articles: list[Article]) -> str:
    items = "".join(
        f"""
  <item>
    <title>{xml_escape(a.title)}</title>
    <link>{a.url}</link>
    <dc:creator>{xml_escape(a.author)}</dc:creator>
    <pubDate>{rfc822(a.date)}</pubDate>
    <category>{xml_escape(a.section.title())}</category>
    <guid isPermaLink="false">{ORIGIN}/?p={a.post_id}</guid>
    <description>{xml_escape(a.description)}</description>
  </item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>{SITE}</title>
  <atom:link href="{ORIGIN}/feeds/rss.xml" rel="self" type="application/rss+xml"/>
  <link>{ORIGIN}/</link>
  <description>News from the harbour town since 1871</description>
  <lastBuildDate>{rfc822(articles[0].date)}</lastBuildDate>
  <language>en-GB</language>
  <ttl>30</ttl>{items}
</channel>
</rss>
"""


def atom(articles: list[Article]) -> str:
    entries = "".join(
        f"""
  <entry>
    <title>{xml_escape(a.title)}</title>
    <link rel="alternate" type="text/html" href="{a.url}"/>
    <id>tag:demo.archiver.invalid,2024:post-{a.post_id}</id>
    <published>{a.date.isoformat()}</published>
    <updated>{a.updated.isoformat()}</updated>
    <author><name>{xml_escape(a.author)}</name></author>
    <summary>{xml_escape(a.description)}</summary>
  </entry>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>{SITE}</title>
  <subtitle>News, wire stories and community posts from Port Alder</subtitle>
  <link rel="self" type="application/atom+xml" href="{ORIGIN}/feeds/atom.xml"/>
  <link rel="alternate" type="text/html" href="{ORIGIN}/"/>
  <id>{ORIGIN}/</id>
  <updated>{max(a.updated for a in articles).isoformat()}</updated>{entries}
</feed>
"""


def sitemap_pages(articles: list[Article], listings: Iterable[str]) -> str:
    rows = [(ORIGIN + p, "2024-06-14") for p in listings]
    rows += [(a.url, a.updated.date().isoformat()) for a in articles]
    urls = "".join(f"\n  <url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in rows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}
</urlset>
"""


def sitemap_news(articles: list[Article]) -> str:
    urls = "".join(
        f"""
  <url>
    <loc>{a.url}</loc>
    <news:news>
      <news:publication><news:name>{SITE}</news:name><news:language>{a.lang}</news:language></news:publication>
      <news:publication_date>{a.date.isoformat()}</news:publication_date>
      <news:title>{xml_escape(a.title)}</news:title>
    </news:news>
  </url>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}
</urlset>
"""


def sitemap_index() -> str:
    maps = "".join(
        f"\n  <sitemap><loc>{ORIGIN}/sitemaps/{name}.xml</loc>"
        f"<lastmod>2024-06-14</lastmod></sitemap>"
        for name in ("pages", "news")
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}
</sitemapindex>
"""


ROBOTS = f"""# robots.txt for {SITE}
User-agent: *
Disallow: /private/
Disallow: /search
Allow: /

User-agent: ScrapeAllBot
Disallow: /

Sitemap: {ORIGIN}/sitemap.xml
"""


# -- static assets ------------------------------------------------------------------------


def png(width: int, height: int, pixel: object) -> bytes:
    """A tiny RGB PNG; ``pixel(x, y)`` returns an (r, g, b) tuple."""
    raw = b"".join(
        b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width))  # type: ignore[operator]
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


LOGO_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48" viewBox="0 0 220 48">
<title>{SITE}</title>
<rect width="220" height="48" rx="6" fill="#0b3954"/>
<path d="M12 34 q8 -10 16 0 t16 0" stroke="#bfd7ea" stroke-width="3" fill="none"/>
<text x="54" y="31" font-family="Georgia, serif" font-size="18" fill="#ffffff">{SITE}</text>
</svg>
"""

CSS = {
    "theme.css": """/* Harbourline theme */
body{margin:0;font:17px/1.6 Georgia,serif;color:#1d1d1d;background:#fafafa}
a{color:#0b3954}.screen-reader-text,.skip-link{position:absolute;left:-9999px}
.top-bar{background:#0b3954;color:#fff;font:13px sans-serif;padding:4px 16px}
.top-bar a{color:#fff}.top-links{display:inline;list-style:none}
.site-header{padding:16px;border-bottom:3px solid #0b3954;background:#fff}
.main-navigation ul{list-style:none;display:flex;gap:16px;padding:0}
.site-content{display:grid;grid-template-columns:1fr 300px;gap:32px;max-width:1140px;margin:auto}
.entry-title{font-size:2rem;line-height:1.2}.entry-meta{color:#666;font-size:.9rem}
.widget-area .widget{margin-bottom:24px}.ad-slot{background:#eee;text-align:center;padding:24px}
.sharedaddy ul,.share-buttons{list-style:none;display:flex;gap:8px;padding:0}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:12px}
.site-footer{background:#102a43;color:#d9e2ec;padding:24px}.site-footer a{color:#fff}
""",
    "blog.css": """/* community blog */
body{margin:0;font:16px/1.7 Helvetica,Arial,sans-serif;color:#333}
.Vd6aQZ{position:absolute;height:0;overflow:hidden}.skip-to-content{position:absolute;left:-9999px}
.SITE_HEADER{padding:20px 40px;background:#f4f1ea}.wixui-dropdown-menu{display:flex;gap:20px;list-style:none}
.post-page{max-width:740px;margin:40px auto}.post-title{font-size:2.2rem}
.post-metadata{font-size:13px;color:#777}.last-updated{font-size:13px;color:#999}
.share-bar ul,.tag-list{display:flex;gap:8px;list-style:none;padding:0}
.recent-posts-list,.post-list{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;list-style:none}
.cookie-banner{position:fixed;bottom:0;background:#fff;border-top:1px solid #ccc;padding:10px}
""",
    "wire.css": """/* Alder Wire */
body{margin:0;font:16px/1.55 system-ui,sans-serif;color:#111}
.masthead{display:flex;gap:16px;align-items:center;padding:12px 24px;background:#b71c1c;color:#fff}
.masthead a{color:#fff}.story-layout{display:grid;grid-template-columns:1fr 280px;gap:32px}
.headline{font-size:2.4rem;line-height:1.15}.standfirst{font-size:1.2rem;color:#444}
.inline-related{border-left:4px solid #b71c1c;padding-left:12px}.rail .latest{padding-left:18px}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#111;color:#eee;padding:12px}
""",
}

SITE_JS = """/* site.js: menu toggle */
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  if (!toggle) { return; }
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
  });
});
"""

ABOUT = [
    f"{SITE} has reported on Port Alder and the villages around the bay since 1871. Since "
    "2015 it has been owned by the Alder Reader Trust, a charity whose members elect its board.",
    "The newsroom has eleven journalists and publishes every day online. The community blog "
    f"{BLOG} is written by volunteers, and {WIRE} carries regional stories from partner papers.",
]
CONTACT = [
    "Newsroom: Quay Street 14, Port Alder. Staffed from eight in the morning to ten at night.",
    "Corrections, story tips and letters to the editor are read by the duty editor every day.",
]
PRIVACY = [
    "This site uses cookies that are strictly necessary for it to work, and, with your "
    "consent, cookies that count visits so that we know which stories are read.",
    "We do not sell personal data. Newsletter addresses are used only to send the newsletter "
    "and are deleted within thirty days of unsubscribing.",
]


# -- build --------------------------------------------------------------------------------


def page_file(out: Path, path: str) -> Path:
    target = out / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def build(out: Path) -> dict[str, object]:
    articles = load()
    files: dict[str, str | bytes] = {}
    linked = [a for a in articles if a.linked]
    sitemap_only = [a for a in articles if a.discovery == "sitemap-only"]
    feed_only = [a for a in articles if a.discovery == "feed-only"]
    assert len(sitemap_only) == 1 and len(feed_only) == 1

    for a in articles:
        assert 250 <= a.words <= 700, (a.slug, a.words)
        assert sum(a.phrase in text for _, text in a.blocks) == 1, a.slug
        assert all(a.phrase not in t for o in articles if o is not a for _, t in o.blocks)
        assert all(a.phrase not in o.title + o.description for o in articles), a.slug
        render = {"wp": wp_article, "wix": wix_article, "newsroom": wire_article}[a.style]
        files[a.path] = render(a, articles)

    listings: list[str] = ["/"]
    files["/"] = home(articles)
    for key, label in SECTIONS.items():
        path = f"/section/{key}/"
        listings.append(path)
        files[path] = wp_listing(
            label,
            f"The latest {label.lower()} news from Port Alder and the bay.",
            path,
            f"archive category category-{key}",
            [o for o in linked if o.section == key],
            articles,
            path,
        )
    for tag in sorted({t for a in articles if a.style != "wix" for t in a.tags}):
        path = f"/tag/{slugify(tag)}/"
        listings.append(path)
        files[path] = wp_listing(
            f"Tag: {tag}",
            f"Stories tagged {tag}.",
            path,
            f"archive tag tag-{slugify(tag)}",
            [o for o in linked if tag in o.tags and o.style != "wix"],
            articles,
        )
    for author in sorted({a.author for a in articles if a.style == "wp"}):
        path = f"/author/{slugify(author)}/"
        listings.append(path)
        files[path] = wp_listing(
            f"Author: {author}",
            f"Stories by {author}.",
            path,
            f"archive author author-{slugify(author)}",
            [o for o in linked if o.author == author],
            articles,
        )
    files["/blog/"] = wix_listing("All Posts", "/blog/", [o for o in linked if o.style == "wix"])
    listings.append("/blog/")
    for tag in sorted({t for a in articles if a.style == "wix" for t in a.tags}):
        path = f"/blog/tags/{slugify(tag)}/"
        listings.append(path)
        files[path] = wix_listing(
            f"#{tag}", path, [o for o in linked if tag in o.tags and o.style == "wix"]
        )
    files["/wire/"] = wire_front(articles)
    listings.append("/wire/")
    for path, title, text in (
        ("/about/", "About us", ABOUT),
        ("/contact/", "Contact", CONTACT),
        ("/privacy/", "Privacy and cookies", PRIVACY),
    ):
        files[path] = static_page(path, title, text, articles)
        listings.append(path)
    files[PRIVATE_PATH] = private_page()

    in_feeds = [a for a in articles if a.discovery != "sitemap-only"][:20]
    in_sitemaps = [a for a in articles if a.discovery != "feed-only"]
    files["/feeds/rss.xml"] = rss(in_feeds)
    files["/feeds/atom.xml"] = atom(in_feeds)
    files["/sitemap.xml"] = sitemap_index()
    files["/sitemaps/pages.xml"] = sitemap_pages(in_sitemaps, listings)
    files["/sitemaps/news.xml"] = sitemap_news([a for a in in_sitemaps if a.style != "wix"])
    files["/robots.txt"] = ROBOTS
    for name, css in CSS.items():
        files[f"/static/css/{name}"] = css
    files["/static/js/site.js"] = SITE_JS
    files["/static/img/logo.svg"] = LOGO_SVG
    files["/static/img/thumb.png"] = png(48, 27, lambda x, y: (11 + y * 4, 57 + x * 2, 84 + y * 3))
    files["/static/img/avatar.png"] = png(
        16, 16, lambda x, y: (191, 215, 234) if (x - 8) ** 2 + (y - 8) ** 2 < 40 else (11, 57, 84)
    )

    manifest: dict[str, object] = {
        "site_name": SITE,
        "origin_placeholder": ORIGIN,
        "start_path": "/",
        "sample_query": "ferry timetable",
        "robots_txt": "/robots.txt",
        "sitemap_index": "/sitemap.xml",
        "sitemaps": ["/sitemaps/pages.xml", "/sitemaps/news.xml"],
        "news_sitemap": "/sitemaps/news.xml",
        "feeds": {"rss": "/feeds/rss.xml", "atom": "/feeds/atom.xml"},
        "sitemap_only": sitemap_only[0].path,
        "feed_only": feed_only[0].path,
        "robots_disallowed": PRIVATE_PATH,
        "disallowed_prefix": "/private/",
        "disallowed_page": {
            "path": PRIVATE_PATH,
            "title": "Staff notes (internal)",
            "phrase": "embargoed harbour budget memo",
        },
        "listing_pages": listings,
        "articles": [
            {
                "path": a.path,
                "title": a.title,
                "lang": a.lang,
                "html_lang": a.html_lang,
                "phrase": a.phrase,
                "author": a.author,
                "published": a.date.isoformat(),
                "modified": a.modified.isoformat() if a.modified else None,
                "description": a.description,
                "section": a.section,
                "tags": a.tags,
                "style": a.style,
                "discovery": a.discovery,
                "words": a.words,
            }
            for a in articles
        ],
    }
    files["/manifest.json"] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"

    for path, data in files.items():
        target = page_file(out, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, "utf-8", newline="\n")
        else:
            target.write_bytes(data)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    args = parser.parse_args(argv)
    manifest = build(args.out)
    total = sum(
        f.stat().st_size
        for f in args.out.rglob("*")
        if f.is_file() and not f.name.startswith("_") and "__pycache__" not in f.parts
    )
    print(
        f"{len(manifest['articles'])} articles, {len(manifest['listing_pages'])} listing "  # type: ignore[arg-type]
        f"pages, {total / 1024:.0f} KiB in {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
