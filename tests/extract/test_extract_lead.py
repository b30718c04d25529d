"""The article's own standfirst, printed above the body container, is kept (archiver.extract.lead)."""

# ruff: noqa: E501  (test texts are long sentences)

from __future__ import annotations

from lxml import html as lxml_html

from archiver.extract import extract
from archiver.extract.lead import find_lead

BODY = [
    "The harbour authority has approved a plan to replace the wooden jetty that has served the island ferry since 1962, after engineers found rot in most of the piles.",
    "Work will begin after the summer season so that visitors are not affected, and a temporary pontoon will carry passengers while the new jetty is built next to the old one.",
    "Residents asked for a covered waiting area and better lighting, and both have been added to the design that the council will publish for comment next month.",
    "The ferry company said timetables would not change during the works, although the last crossing on Sundays may leave fifteen minutes earlier for a few weeks.",
    "A public meeting on the plans will be held in the village hall, where the engineers will answer questions and show a model of the new jetty and its waiting area.",
]
LEAD = (
    "After sixty years of service the island's ferry jetty is to be replaced: the council "
    "has approved the plan, and the works will start in the autumn."
)
OTHERS = [
    "The lifeboat crew was called out twice on Saturday to help walkers cut off by the tide near the lighthouse and the old quarry.",
    "A new bus route will link the harbour with the railway station from May, with a service every half hour on weekdays and Saturdays.",
    "The primary school's garden won a regional prize for its vegetable beds, its pond and the insect hotel the pupils built last spring.",
]


def page(main: str, title: str = "Jetty to be replaced") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>{main}'
        "<footer><p>Island News, Harbour Road 1</p></footer></body></html>"
    )


def body_div() -> str:
    return '<div class="entry-content">' + "".join(f"<p>{p}</p>" for p in BODY) + "</div>"


def test_a_standfirst_outside_the_body_container_is_kept_in_front():
    html = page(
        '<main><article><header class="entry-header"><h1>Jetty to be replaced</h1>'
        f'<div class="entry-excerpt"><p>{LEAD}</p></div>'
        '<div class="entry-date">12 March 2024</div></header>'
        f"{body_div()}</article></main>"
    )
    doc = extract(html, "https://news.example/jetty")
    assert doc.text.count(LEAD) == 1
    assert doc.text.index(LEAD) < doc.text.index(BODY[0])
    assert BODY[-1] in doc.text


def test_typo3_news_teaser_text_is_kept():
    html = page(
        '<div class="news news-single"><div class="article"><div class="header"><h1>Jetty to be replaced</h1></div>'
        f'<div class="teaser-text" itemprop="description"><p>{LEAD}</p></div>'
        '<div class="news-img-wrap"><img src="/jetty.jpg" alt=""></div>'
        f'<div class="news-text-wrap" itemprop="articleBody">{"".join(f"<p>{p}</p>" for p in BODY)}</div>'
        "</div></div>"
    )
    tree = lxml_html.fromstring(html)
    blocks = [("p", p) for p in BODY]
    assert find_lead(tree, blocks, "Jetty to be replaced", []) == [LEAD]
    doc = extract(html, "https://news.example/jetty")
    assert doc.text.startswith(LEAD)
    assert doc.text.count(LEAD) == 1


def test_a_lead_already_in_the_body_is_not_repeated():
    html = page(
        f'<main><article><h1>Jetty to be replaced</h1><div class="content"><p class="intro">{LEAD}</p>'
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</div></article></main>"
    )
    doc = extract(html, "https://news.example/jetty")
    assert doc.text.count(LEAD) == 1


def test_teasers_of_other_articles_are_not_a_lead():
    teasers = "".join(
        f'<div class="teaser"><h3><a href="/news/{i}">Island news {i}</a></h3><p class="teaser">{text}</p></div>'
        for i, text in enumerate(OTHERS)
    )
    html = page(
        f'<main><h1>Jetty to be replaced</h1><div class="teasers">{teasers}</div>{body_div()}'
        f'<div class="more-news">{teasers}</div></main>'
    )
    doc = extract(html, "https://news.example/jetty")
    assert BODY[0] in doc.text
    assert not any(text in doc.text for text in OTHERS)


def test_a_list_of_teaser_summaries_without_headlines_is_not_a_lead():
    # several elements of the same kind before the body: a list, not the article's lead
    teasers = "".join(f'<div class="teaser-text"><p>{text}</p></div>' for text in OTHERS)
    html = page(f"<main><h1>Jetty to be replaced</h1>{teasers}{body_div()}</main>")
    tree = lxml_html.fromstring(html)
    assert find_lead(tree, [("p", p) for p in BODY], "Jetty to be replaced", []) == []


def test_a_notice_above_the_headline_and_an_image_caption_are_not_a_lead():
    notice = (
        "The harbour office is closed on public holidays; for urgent matters call the "
        "coastguard, who answer the telephone day and night all year round."
    )
    caption = (
        "The old jetty at low tide, seen from the slipway: most of its wooden piles are now "
        "rotten, engineers say, and must be replaced this year."
    )
    html = page(
        f'<div class="site-intro"><p>{notice}</p></div>'
        "<main><article><h1>Jetty to be replaced</h1>"
        f'<div class="lead-image"><img src="/j.jpg" alt=""><div class="image-description">{caption}</div></div>'
        f"{body_div()}</article></main>"
    )
    tree = lxml_html.fromstring(html)
    assert find_lead(tree, [("p", p) for p in BODY], "Jetty to be replaced", []) == []
