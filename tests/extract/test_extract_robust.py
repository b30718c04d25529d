"""Extraction on classes of pages that tuned rules tend to break (written for no one site).

Articles whose markup looks like a listing, article bodies that the pre-clean would
remove, declared-UTF-8 pages with a few broken bytes, invisible characters, fact tables.
"""

# ruff: noqa: E501  (test texts are long sentences)

from __future__ import annotations

import json

import pytest

from archiver.extract import extract, render
from archiver.extract.encoding import decode_html, normalise_charset

PARAS = [
    "The harbour master has closed the east slipway until Friday after a routine inspection found a crack in the concrete apron near the winch house.",
    "Boat owners can use the north ramp, which is open from six until dusk, and the council says repairs will cost about forty thousand pounds this year.",
    "A second inspection is planned for next month, when divers will check the piles under the old jetty for signs of erosion and storm damage.",
]


def _page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slipway closed</title>'
        f"{head}</head><body>{body}</body></html>"
    )


def _rail(n: int) -> str:
    return "".join(
        f'<div class="card"><h3><a href="/recipes/{i}">Another recipe number {i} to try</a></h3>'
        f"<p>Short teaser {i}.</p></div>"
        for i in range(n)
    )


# --- page type never empties a page with its own text ----------------------------------------


def test_recipe_with_a_large_teaser_rail_keeps_its_text():
    steps = "".join(f"<p>{p} Then stir the dough for two minutes.</p>" for p in PARAS)
    body = (
        f"<h1>Chocolate biscuits</h1><div class='recipe'>{steps}</div>"
        f"<div class='more'>{_rail(12)}</div>"
    )
    head = '<script type="application/ld+json">{"@type": "Recipe", "name": "Biscuits"}</script>'
    doc = extract(_page(body, head), "https://food.example.org/r/1")
    assert PARAS[0] in doc.text and PARAS[2] in doc.text
    assert doc.skip_reason is None
    assert "Another recipe number 3" not in doc.text or doc.page_type == "article"


def test_real_listing_still_comes_out_empty():
    body = f"<main><h1>Recipes</h1>{_rail(12)}</main>"
    doc = extract(_page(body, '<meta property="og:type" content="website">'), "https://e.org/r/")
    assert doc.page_type == "listing" and doc.text == ""


def test_listing_with_long_teaser_summaries_stays_empty():
    items = "".join(
        f'<article class="teaser"><h2><a href="/n/{i}">Headline number {i} about the harbour</a></h2>'
        f"<p>{PARAS[i % 3]}</p></article>"
        for i in range(10)
    )
    doc = extract(
        _page(f"<main><h1>News</h1>{items}</main>", '<meta property="og:type" content="website">'),
        "https://e.org/news/",
    )
    assert doc.page_type == "listing" and doc.text == ""


# --- the pre-clean does not take the body with it --------------------------------------------


def test_related_heading_inside_the_body_does_not_remove_the_paragraphs_after_it():
    teasers = "".join(f'<h3><a href="/x/{i}">Teaser {i} about a ferry</a></h3>' for i in range(3))
    body = (
        f"<article><h1>Slipway closed</h1><p>{PARAS[0]}</p>"
        '<h2>Related</h2><ul class="links"><li><a href="/a">Ferry timetable changes</a></li></ul>'
        f"<p>{PARAS[1]}</p><p>{PARAS[2]}</p></article><aside>{teasers}</aside>"
    )
    doc = extract(_page(body), "https://e.org/a")
    assert PARAS[1] in doc.text and PARAS[2] in doc.text
    assert "Ferry timetable changes" not in doc.text


def test_paragraphs_marked_as_description_are_body_text():
    ps = "".join(f'<p itemprop="description" class="story-paragraph">{p}</p>' for p in PARAS)
    doc = extract(_page(f"<article><h1>Slipway closed</h1>{ps}</article>"), "https://e.org/a")
    assert all(p in doc.text for p in PARAS)


def test_component_class_prefix_is_not_a_consent_banner():
    ps = "".join(f'<div class="cmp-text"><p>{p}</p></div>' for p in PARAS)
    doc = extract(_page(f"<main><h1>Slipway closed</h1>{ps}</main>"), "https://e.org/a")
    assert all(p in doc.text for p in PARAS)


def test_heading_whose_anchor_id_starts_with_nav_is_kept():
    # a table-of-contents anchor ("nav_" + the heading's words) names a place, not a menu
    body = (
        f"<article><h1>Slipway closed</h1><p>{PARAS[0]}</p>"
        '<h3 id="nav_repairs_and_the_north_ramp__1">Repairs and the north ramp</h3>'
        f"<p>{PARAS[1]}</p><p>{PARAS[2]}</p></article>"
        '<div id="nav-main"><a href="/">Home</a> <a href="/news">News</a></div>'
    )
    doc = extract(_page(body), "https://e.org/a")
    assert "Repairs and the north ramp" in doc.text
    assert "News" not in doc.text.split()


def test_split_body_is_joined_only_when_it_holds_most_of_the_prose():
    from lxml import html as lxml_html

    from archiver.extract.boilerplate import _clusters, _merge_split_body

    two = f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
    split = f'<div class="body">{two}</div><aside>rail</aside><div class="body">{two}</div>'
    others = "".join(f'<div class="block-{i}"><p>{PARAS[i % 3]}</p></div>' for i in range(8))
    # a body split by a rail: joined
    tree = lxml_html.fromstring(f"<html><body><h1>T</h1>{split}</body></html>")
    assert _merge_split_body(_clusters(tree), {}) == 1
    # the same two chunks on a page whose prose sits in many other blocks: left alone
    tree = lxml_html.fromstring(f"<html><body><h1>T</h1>{split}{others}</body></html>")
    assert _merge_split_body(_clusters(tree), {}) == 0


def test_unrendered_shortcode_and_magazine_offer_after_the_body_are_dropped():
    body = (
        f"<article><h1>Slipway closed</h1><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p>"
        '<p>[button link="/submit/" type="big"] Send us YOUR review[/button]</p>'
        "<p>Get Harbour Monthly delivered through your letterbox every month. 12 issues for "
        "£11.99. Click here for more information.</p><h3>Share</h3></article>"
    )
    doc = extract(_page(body), "https://e.org/a")
    assert doc.text.endswith(PARAS[2])


def test_a_link_cited_in_the_body_is_kept_one_printed_above_it_is_not():
    body = (
        "<article><h1>Slipway closed</h1><p>https://e.org/news/slipway-closed</p>"
        f"<p>{PARAS[0]}</p><p>{PARAS[1]} Please sign the petition:</p>"
        "<p>http://www.example.org/petition/slipway</p></article>"
    )
    doc = extract(_page(body), "https://e.org/news/slipway-closed")
    assert doc.text.startswith(PARAS[0])
    assert doc.text.endswith("http://www.example.org/petition/slipway")


def test_live_commentary_named_comment_is_recovered():
    lines = [
        f"{m}' {p} The visitors pressed high and the home side defended deep in their own half."
        for m, p in zip(range(1, 40), PARAS * 13, strict=False)
    ]
    items = "".join(f'<div class="live-match-comment"><p>{line}</p></div>' for line in lines)
    body = f"<main><h1>Live: harbour derby</h1><p>Kick-off at three.</p><div class='live'>{items}</div></main>"
    doc = extract(_page(body), "https://e.org/live/1")
    assert "39'" in doc.text and "1'" in doc.text


# --- encodings -----------------------------------------------------------------------------


def test_declared_utf8_with_one_invalid_byte_stays_utf8():
    text = "Größe, Übermaß und naïve Cafés im Hafen von Übersee. " * 40
    raw = _page(f"<article><h1>T</h1><p>{text}</p></article>").encode("utf-8")
    broken = raw.replace("naïve".encode(), b"na\xefve", 1)
    decoded, codec = decode_html(broken, {"Content-Type": "text/html; charset=UTF-8"})
    assert codec == "utf-8"
    assert "Übermaß" in decoded and "\ufffd" in decoded
    doc = extract(broken, "https://e.org/a", {"Content-Type": "text/html; charset=utf-8"})
    assert "Größe, Übermaß" in doc.text


def test_latin1_bytes_declared_utf8_are_still_detected():
    text = "Größe, Übermaß und naïve Cafés im Hafen von Übersee. " * 40
    raw = _page(f"<article><h1>T</h1><p>{text}</p></article>").encode("latin-1")
    decoded, codec = decode_html(raw, {"Content-Type": "text/html; charset=utf-8"})
    assert codec != "utf-8" and "Übermaß" in decoded


def test_valid_utf8_beats_a_latin1_header():
    raw = _page("<p>Größe und Übermaß</p>").encode("utf-8")
    assert decode_html(raw, {"Content-Type": "text/html; charset=ISO-8859-1"})[1] == "utf-8"


@pytest.mark.parametrize(
    "label,codec",
    [
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("x-sjis", "cp932"),
        ("gb2312", "gb18030"),
        ("UTF8", "utf-8"),
        ("unicode-1-1-utf-8", "utf-8"),
        ("windows-1251", "cp1251"),
        ("utf-7", None),
        ("no-such-charset", None),
    ],
)
def test_charset_labels(label, codec):
    assert normalise_charset(label) == codec


# --- text normalisation ----------------------------------------------------------------------


def test_soft_hyphens_zero_width_and_nbsp_in_every_format():
    para = "Die Stra\u00adßen\u00adbahn\u200b fährt\u00a0heute nicht, weil das Gleis am Hafen repariert wird und die Wei\u00adche getauscht wird."
    html = (
        "<html><head><title>Stra\u00adßen\u00adbahn\u00a0steht</title></head><body><article>"
        f"<p>{para}</p><p>{PARAS[0]}</p></article></body></html>"
    )
    doc = extract(html, "https://e.org/a")
    assert "Straßenbahn fährt heute" in doc.text
    assert doc.title == "Straßenbahn steht"
    for fmt in ("text", "json", "markdown"):
        out = render(doc, fmt)
        if fmt == "json":
            out = json.dumps(json.loads(out), ensure_ascii=False)
        for ch in ("\u00ad", "\u200b", "\u00a0"):
            assert ch not in out, (fmt, hex(ord(ch)))


def test_decomposed_letters_come_out_composed():
    # "u" + combining diaeresis (NFD, as some CMSs store it) is one "ü" (NFC) in the text,
    # so that a search for "geprüft" finds the page
    para = (
        "Besonders bei Babyschalen sollte gepru\u0308ft werden, ob die Gurtla\u0308nge ausreicht."
    )
    html = f"<html><body><article><p>{para}</p><p>{PARAS[0]}</p></article></body></html>"
    doc = extract(html, "https://e.org/a")
    assert "sollte geprüft werden, ob die Gurtlänge" in doc.text
    assert "\u0308" not in doc.text


# --- tables --------------------------------------------------------------------------------


def test_article_laid_out_in_a_table_cell_keeps_its_paragraphs_apart():
    cell = "".join(f"<p>{p}</p>" for p in PARAS)
    body = (
        '<table><tr><td class="content"><h1>Slipway closed</h1>'
        f"<div>20 November 2019</div>{cell}</td></tr></table>"
    )
    doc = extract(_page(body), "https://e.org/a")
    assert all(p in doc.text.split("\n\n") for p in PARAS)
    assert " | " not in doc.text


def test_fact_table_inside_the_article_is_kept_as_rows():
    table = (
        '<table class="specs"><tr><th>Weight</th><td>250 g</td></tr>'
        "<tr><th>Origin</th><td>Sidamo, Ethiopia</td></tr></table>"
    )
    body = f"<article><h1>Slipway closed</h1><p>{PARAS[0]}</p>{table}<p>{PARAS[1]}</p></article>"
    doc = extract(_page(body), "https://e.org/a")
    assert "Weight | 250 g" in doc.text and "Origin | Sidamo, Ethiopia" in doc.text
    assert doc.text.index("Weight") < doc.text.index(PARAS[1][:20])
