"""Unit tests for archiver.extract: API contract, encodings, metadata, rendering, robustness."""

# ruff: noqa: E501  (test texts are long sentences in several scripts)

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import extract as ex
from archiver.extract import Extraction, extract, extract_text, render
from archiver.extract.encoding import decode_html
from archiver.extract.metadata import normalise_date, parse_text_date
from tests.extract.test_extract_blocks import PARAS as GERMAN

PARAS = [
    "The harbour authority has approved a plan to replace the wooden jetty that has served the island ferry since 1962, after engineers found rot in most of the piles.",
    "Work will begin after the summer season so that visitors are not affected, and a temporary pontoon will carry passengers while the new jetty is built next to the old one.",
    "Residents asked for a covered waiting area and better lighting, and both have been added to the design that the council will publish for comment next month.",
]


def page(body: str, head: str = "", lang: str = "en", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>Jetty to be replaced</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def article(paras=PARAS, extra: str = "") -> str:
    ps = "".join(f"<p>{p}</p>" for p in paras)
    return f"<main><article><h1>Jetty to be replaced</h1>{ps}{extra}</article></main>"


# --- contract ----------------------------------------------------------------------------


def test_document_fields_contract():
    names = [f.name for f in fields(Extraction)]
    assert names[:18] == [
        "url",
        "canonical_url",
        "title",
        "author",
        "published",
        "modified",
        "sitename",
        "description",
        "language",
        "text",
        "word_count",
        "text_hash",
        "page_type",
        "tags",
        "image",
        "extractor",
        "extractor_options",
        "skip_reason",
    ]
    assert isinstance(ex.EXTRACTOR_VERSION, str)
    assert ex.MAX_HTML_BYTES >= 1_000_000


def test_basic_article():
    doc = extract(page(article()), "https://example.org/news/jetty")
    assert doc.page_type == "article"
    assert doc.title == "Jetty to be replaced"
    assert doc.text == "\n\n".join(PARAS)
    assert doc.word_count == sum(len(p.split()) for p in PARAS)
    assert len(doc.text_hash) == 64
    assert doc.text_hash == ex.text_hash("  " + doc.text.replace("\n\n", "\n \n") + " ")
    assert doc.language == "en"
    assert doc.extractor == ex.EXTRACTOR and "trafilatura/" in doc.extractor
    assert doc.extractor_options["include_comments"] is False
    assert doc.extractor_options["max_bytes"] == ex.MAX_HTML_BYTES
    assert doc.to_dict()["text"] == doc.text
    assert extract_text(page(article())) == doc.text


def test_document_is_picklable_and_runs_in_process_pool():
    doc = extract(page(article()))
    assert pickle.loads(pickle.dumps(doc)) == doc
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(extract, page(article()), "https://example.org/a").result(timeout=60)
    assert remote.text == doc.text


def test_import_is_light():
    code = (
        "import sys, archiver.extract; heavy = [m for m in ('scrapy', 'twisted', 'warcio', 'sqlite_utils')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_not_html_returns_none():
    assert extract(b"") is None
    assert extract("   \n\t ") is None
    assert extract(b"%PDF-1.7 binary") is None
    assert extract(b"\x89PNG\r\n\x1a\n\x00\x00\x00") is None
    assert (
        extract(b"<html><body><p>x</p></body></html>", headers={"Content-Type": "image/png"})
        is None
    )
    assert extract_text(b"") == ""


def test_too_large_page_is_cut_and_recorded():
    filler = "<div>" + ("<span>filler</span>" * 2000) + "</div>"
    html = page(article() + filler)
    doc = extract(html, max_bytes=len(html) // 2)
    assert doc.skip_reason == "too large"
    assert doc.extractor_options["max_bytes"] == len(html) // 2
    assert doc.extractor_options["truncated_from"] == len(html)
    assert PARAS[0] in doc.text


def test_empty_body_gives_other_with_reason():
    doc = extract(page("<div><a href='/'>Home</a></div>"))
    assert doc is not None and doc.text == ""
    assert doc.page_type == "other"
    assert doc.skip_reason == "empty"


# --- boilerplate ---------------------------------------------------------------------------

BOILER = """
<div id="SCROLL_TO_TOP" role="region" aria-label="top of page"><span>top of page</span></div>
<nav aria-label="Main"><a href="/">Home</a><a href="/world">World news</a></nav>
<div class="share-bar"><a>Share on Facebook</a><a>Tweet this</a></div>
<div class="post-stats"><span>2.4k views</span><span>17 likes</span></div>
<section class="related-posts"><h3>Related posts</h3><ul><li><a href="/x">Ferry fares rise again</a></li></ul></section>
<div class="newsletter-signup"><p>Get our morning briefing in your inbox every day</p></div>
<div id="onetrust-banner-sdk"><p>We value your privacy and use cookies on this site</p></div>
<div class="comments-area"><h3>Kommentare</h3><p>Noch keine Kommentare vorhanden</p></div>
<p class="sr-only">Screen reader announcement text</p>
<div hidden><p>Hidden promotional paragraph that must never appear</p></div>
"""


def test_structural_boilerplate_is_removed():
    doc = extract(page(article(extra=BOILER)))
    for phrase in (
        "top of page",
        "World news",
        "Share on Facebook",
        "2.4k views",
        "Ferry fares",
        "morning briefing",
        "cookies",
        "Kommentare",
        "Screen reader",
        "Hidden promotional",
    ):
        assert phrase not in doc.text, phrase
    assert doc.text == "\n\n".join(PARAS)


def test_misleading_class_on_article_container_is_kept():
    body = (
        f'<div class="non-ad-column comments-open">{article()}</div>'
        '<div class="ad-slot">Advertisement</div>'
    )
    doc = extract(page(body))
    assert doc.text == "\n\n".join(PARAS)


def test_last_updated_line_becomes_modified_date():
    head = '<meta property="article:published_time" content="2024-11-20T08:00:00+01:00">'
    body = article(extra="").replace("<h1>", "<p>Last updated: Nov 27, 2024</p><h1>")
    doc = extract(page(body, head))
    assert doc.published == "2024-11-20T08:00:00+01:00"
    assert doc.modified == "2024-11-27"
    assert "Last updated" not in doc.text


def test_headline_and_related_teaser_lines_are_dropped():
    paras = [*PARAS[:2], "Related: Island ferry timetable changes for winter", PARAS[2]]
    doc = extract(page(article(paras)))
    assert "Jetty to be replaced" not in doc.text
    assert "Related:" not in doc.text
    assert doc.text == "\n\n".join(PARAS)


def test_listing_page_is_not_glued_into_an_article():
    items = "".join(
        f'<article class="teaser"><h2><a href="/n/{i}">Headline number {i} about the island</a></h2>'
        f"<p>Short summary {i} of a story.</p></article>"
        for i in range(12)
    )
    doc = extract(
        page(
            f"<main><h1>Island news</h1>{items}</main>",
            '<meta property="og:type" content="website">',
        )
    )
    assert doc.page_type == "listing"
    assert doc.text == "" and doc.skip_reason == "listing"
    assert doc.title


# --- metadata ------------------------------------------------------------------------------


def test_metadata_from_json_ld_and_meta():
    head = """
<link rel="canonical" href="/news/jetty">
<meta property="og:image" content="/img/jetty.jpg"><meta property="og:site_name" content="Island Times">
<meta name="description" content="The old jetty will go.">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"NewsArticle","headline":"Jetty to be replaced","datePublished":"2024-03-01T09:30:00+01:00",
  "dateModified":"2024-03-02T10:00:00Z","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Kim"}],
  "keywords":"harbour, ferries","articleSection":"Local"}]}</script>"""
    doc = extract(
        page(article(), head, lang="en-GB"), "https://islandtimes.example/news/jetty?utm=x"
    )
    assert doc.author == "Ann Lee; Bo Kim"
    assert doc.published == "2024-03-01T09:30:00+01:00"
    assert doc.modified == "2024-03-02T10:00:00+00:00"
    assert doc.canonical_url == "https://islandtimes.example/news/jetty"
    assert doc.image == "https://islandtimes.example/img/jetty.jpg"
    assert doc.sitename == "Island Times"
    assert doc.description == "The old jetty will go."
    assert doc.language == "en"
    assert {"harbour", "ferries", "Local"} <= set(doc.tags)


def test_language_from_header_and_detection():
    html = page(article(), lang="").replace(' lang=""', "")
    assert extract(html.encode(), headers={"Content-Language": "en-US"}).language == "en"
    french = [
        "Le conseil municipal a voté jeudi la rénovation complète de la jetée du port, abîmée par les tempêtes de l'hiver dernier.",
        "Les travaux commenceront après la saison touristique afin de ne pas gêner les visiteurs venus sur l'île.",
    ]
    doc = extract(page(article(french), lang="").replace(' lang=""', ""))
    assert doc.language == "fr"
    assert doc.extractor_options.get("language_detected") is True


def test_date_normalisation():
    assert normalise_date("2024-11-27T10:42:00.000Z") == "2024-11-27T10:42:00+00:00"
    assert normalise_date("2024-03-28T14:00:00-0400") == "2024-03-28T14:00:00-04:00"
    assert normalise_date("2024-11-27") == "2024-11-27"
    assert normalise_date("Wed, 27 Nov 2024 10:00:00 GMT") == "2024-11-27T10:00:00+00:00"
    assert normalise_date("nonsense") is None
    assert parse_text_date("27 nov.", 2024) == "2024-11-27"
    assert parse_text_date("27. November 2023") == "2023-11-27"
    assert parse_text_date("Nov 27, 2024") == "2024-11-27"
    assert parse_text_date("27 de novembro de 2024") == "2024-11-27"
    assert parse_text_date("27 nov.") is None  # no year known


# --- encodings -----------------------------------------------------------------------------

RU = "Мэрия Вологды объявила о ремонте набережной. Работы начнутся весной и продлятся до осени, движение по улице будет ограничено."
JA = "市は港の古い桟橋を建て替えると発表した。工事は夏の観光シーズンが終わってから始まり、その間は仮設の桟橋を使う。"
FR = "La mairie a annoncé la rénovation du quai. Les travaux débuteront à l'automne et dureront jusqu'à l'été prochain, précise-t-elle."


def _encoded(text: str, charset: str, lang: str, declare: str | None) -> bytes:
    paras = [text, text[::-1] if lang != "ja" else text, text]
    return page(article(paras), lang=lang, charset=declare).encode(charset)


@pytest.mark.parametrize(
    "text,charset,lang",
    [(RU, "windows-1251", "ru"), (JA, "shift_jis", "ja"), (FR, "iso-8859-1", "fr")],
)
def test_encodings_from_header_meta_and_detection(text, charset, lang):
    raw = _encoded(text, charset, lang, charset)
    by_header = extract(raw, headers={"Content-Type": f"text/html; charset={charset}"})
    by_meta = extract(raw)
    assert text in by_header.text
    assert text in by_meta.text
    undeclared = _encoded(text, charset, lang, None)
    assert decode_html(undeclared)[0].count(text) >= 2


def test_wrong_latin1_header_on_utf8_bytes():
    raw = page(article([FR, FR + " Encore.", FR]), lang="fr", charset="utf-8").encode("utf-8")
    doc = extract(raw, headers={"content-type": "text/html; charset=ISO-8859-1"})
    assert FR in doc.text
    assert "Ã©" not in doc.text
    assert doc.extractor_options["encoding"] == "utf-8"


def test_scrapy_like_headers_with_bytes():
    raw = _encoded(RU, "windows-1251", "ru", None)
    headers = {b"Content-Type": [b"text/html; charset=windows-1251"]}
    assert RU in extract(raw, headers=headers).text


# --- rendering -----------------------------------------------------------------------------


def test_render_formats():
    body = (
        article([PARAS[0], "<h2>Timetable</h2>", PARAS[1]])
        .replace("<p><h2>", "<h2>")
        .replace("</h2></p>", "</h2>")
    )
    doc = extract(page(body, '<meta name="author" content="Ann Lee">'))
    assert render(doc, "text").strip() == doc.text
    data = json.loads(render(doc, "json"))
    assert data["title"] == doc.title and data["text"] == doc.text
    md = render(doc, "markdown")
    assert md.startswith("# Jetty to be replaced\n")
    assert "\n## Timetable\n" in md
    assert PARAS[1] in md
    with pytest.raises(ValueError):
        render(doc, "yaml")


# --- robustness ----------------------------------------------------------------------------


def test_pathological_inputs_never_raise():
    nested = "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000
    samples = [
        "",
        " ",
        "\x00\x00",
        "<",
        "<html",
        "<html><body>",
        "<<<>>>",
        "<p>only a fragment</p>",
        nested,
        page(article())[:300],
        "<html><body>" + "<p>x" * 3000,
        "\ufeff<html></html>",
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
        bytes(range(256)),
        b"<html>\xc3\x28</html>",
        "<script>" + "x" * 10000,
        "<table>" * 2000,
        "<!-- unterminated comment",
    ]
    for sample in samples:
        result = extract(sample, "not a url")
        assert result is None or isinstance(result, Extraction)
        assert isinstance(extract_text(sample), str)


_tags = st.sampled_from(
    [
        "div",
        "p",
        "span",
        "a",
        "h1",
        "h2",
        "article",
        "nav",
        "ul",
        "li",
        "table",
        "td",
        "script",
        "style",
        "section",
        "footer",
        "aside",
        "br",
        "img",
        "b",
    ]
)
_attrs = st.sampled_from(
    [
        "",
        ' class="share"',
        " hidden",
        ' aria-hidden="true"',
        ' role="navigation"',
        ' style="display:none"',
        ' data-hook="post-footer"',
        ' itemprop="articleBody"',
        ' class="comments"',
        ' id="SCROLL_TO_TOP"',
    ]
)


@st.composite
def html_soup(draw):
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        tag = draw(_tags)
        if kind == 0:
            parts.append(f"<{tag}{draw(_attrs)}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(max_size=80)))
    return "".join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(html_soup(), st.text(max_size=500), st.binary(max_size=500)),
    st.one_of(st.none(), st.text(max_size=30)),
)
def test_fuzz_extract_never_raises(data, url):
    result = extract(data, url)
    assert result is None or isinstance(result, Extraction)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(page(article(extra=BOILER)))))
def test_fuzz_truncated_documents(cut):
    html = page(article(extra=BOILER))[:cut]
    result = extract(html.encode("utf-8"), "https://example.org/t", {"Content-Type": "text/html"})
    assert result is None or isinstance(result, Extraction)


def test_listing_that_declares_itself_an_article():
    items = "".join(
        f'<div class="card"><h3><a href="/n/{i}">Ferry story {i} of the week</a></h3>'
        f"<p>Summary {i}.</p></div>"
        for i in range(10)
    )
    head = '<meta property="og:type" content="article">'
    doc = extract(page(f"<main><h1>Ferries</h1>{items}</main>", head))
    assert doc.page_type == "listing"
    assert doc.text == ""


# --- listing pages with few teasers (trafilatura issue #811) ---------------------------------


def _teasers(n: int, wrap: str = "article") -> str:
    return "".join(
        f'<{wrap} class="post"><h2 class="entry-title"><a href="/2024/05/story-{i}/">'
        f"Story number {i} about the harbour wall</a></h2>"
        f'<div class="entry-summary"><p>Short summary {i} of what happened at the wall.</p></div>'
        f"</{wrap}>"
        for i in range(n)
    )


def test_one_teaser_archive_view_is_a_listing():
    html = page(
        f'<main><header class="page-header"><h1>Tag: harbour</h1></header>{_teasers(1)}</main>'
    ).replace("<body>", '<body class="archive tag tag-harbour">')
    doc = extract(html, "https://example.org/tag/harbour/")
    assert doc.page_type == "listing" and doc.text == ""


def test_few_teasers_with_declared_collection_page_are_a_listing():
    head = (
        '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Harbour"}</script>'
    )
    html = page(f"<main><h1>Harbour</h1>{_teasers(2, 'li')}</main>", head)
    doc = extract(html, "https://e.org/h")
    assert doc.page_type == "listing"


def test_empty_archive_view_is_a_listing():
    html = page(
        '<main><header class="page-header"><h1>Tag: kelp</h1><div class="archive-description">'
        "<p>Stories tagged kelp.</p></div></header><p>Nothing has been published here yet.</p></main>",
        '<meta property="og:type" content="website">',
    ).replace("<body>", '<body class="archive tag">')
    assert extract(html, "https://example.org/tag/kelp/").page_type == "listing"


def test_article_with_related_teasers_stays_an_article():
    related = f'<div class="more-coverage">{_teasers(3)}</div>'
    doc = extract(page(article(extra=related), '<meta property="og:type" content="website">'))
    assert doc.page_type == "article"
    assert PARAS[0] in doc.text and PARAS[-1] in doc.text


def test_short_brief_with_teasers_and_weak_markers_stays_an_article():
    brief = (
        "<p>The harbour master has closed the east slipway until Friday after a routine "
        "inspection found a crack in the concrete apron near the winch house.</p>"
        "<p>Boat owners can use the north ramp, which is open from six until dusk.</p>"
    )
    head = (
        '<script type="application/ld+json">{"@type": "WebSite", "name": "X"}</script>'
        '<meta property="og:type" content="website">'
    )
    related = '<div class="more">' + _teasers(2, "div") + "</div>"
    html = page(f"<main><h1>Slipway closed</h1>{brief}{related}</main>", head)
    doc = extract(html, "https://e.org/n/s")
    assert doc.page_type == "article"
    assert "north ramp" in doc.text


def test_single_post_markup_outweighs_a_website_og_type():
    html = page(article(extra=_teasers(3)), '<meta property="og:type" content="website">').replace(
        "<body>", '<body class="post-template-default single single-post postid-9">'
    )
    assert extract(html, "https://e.org/2024/05/jetty/").page_type == "article"


def test_declared_language_confirmed_or_overruled_by_the_body():
    # a German body on a page declaring German: confirmed by its function words alone
    assert ex._plainly_in("\n\n".join(GERMAN), "de")
    doc = extract(page(article(GERMAN), lang="de"))
    assert doc.language == "de"
    assert "language_declared" not in doc.extractor_options
    # the same body on a template that declares English: the body wins
    assert not ex._plainly_in("\n\n".join(GERMAN), "en")
    doc = extract(page(article(GERMAN), lang="en"))
    assert doc.language == "de"
    assert doc.extractor_options["language_declared"] == "en"
    # too short a sample, or a language without a word list: left to detection
    assert not ex._plainly_in("Der Rat tagt.", "de")
    assert not ex._plainly_in("\n\n".join(GERMAN), "fi")
