"""The article body from structured data (JSON-LD ``articleBody``, hydration state) when the
HTML gives an empty shell or a truncated teaser, and never over a good HTML extraction."""

# ruff: noqa: E501  (test texts are long sentences)

from __future__ import annotations

import json

from archiver.extract import extract
from archiver.extract.structured import body_blocks, prefer_structured

URL = "https://news.example.org/2024/05/harbour-jetty"

PARAS = [
    "The harbour authority has approved a plan to replace the wooden jetty that has served the island ferry since 1962, after engineers found rot in most of the piles.",
    "Work will begin after the summer season so that visitors are not affected, and a temporary pontoon will carry passengers while the new jetty is built next to the old one.",
    "Residents asked for a covered waiting area and better lighting, and both have been added to the design that the council will publish for comment next month.",
    "The ferry operator said crossings would run to the usual timetable throughout the works, although the last evening sailing may leave ten minutes earlier on some days.",
    "Fishermen who moor beside the jetty will be offered berths in the inner basin, where the authority is dredging the channel and adding two floating landing stages.",
    "The cost of the project is put at four million euros, most of it from a regional fund for island transport, with the rest coming from harbour dues over ten years.",
    "An archaeologist will watch the removal of the old piles, because divers found timbers from an earlier landing stage during a survey of the sea bed last winter.",
    "The new jetty will be built of concrete and recycled plastic boards, which the engineers expect to last at least fifty years with little maintenance.",
]
SUMMARY = "The island's ferry jetty will be replaced after engineers found rot in its piles."


def ld_script(body: str, kind: str = "NewsArticle", graph: bool = True) -> str:
    article = {"@type": kind, "headline": "Jetty to be replaced", "articleBody": body}
    data = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, article]}
    if not graph:
        data = [{"@context": "https://schema.org", **article}]
    text = json.dumps(data).replace("</", "<\\/")  # as pages write it, or it ends the script
    return f'<script type="application/ld+json">{text}</script>'


def page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Jetty to be replaced</title>{head}</head><body>{body}</body></html>"
    )


def shell() -> str:
    return (
        '<div id="root"><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        "<noscript>Please enable JavaScript to read this site.</noscript></div>"
    )


def test_js_shell_takes_the_json_ld_article_body():
    body = "\n".join(PARAS).replace("ferry", "ferry &amp; bus")
    doc = extract(page(shell(), ld_script(body)), URL)
    assert doc.extractor_options.get("body_from") == "json-ld"
    assert doc.page_type == "article"
    blocks = doc.text.split("\n\n")
    assert len(blocks) == len(PARAS)  # paragraphs split on the newlines
    assert blocks[0] == PARAS[0].replace("ferry", "ferry & bus")  # entities unescaped
    assert doc.word_count > 200


def test_json_ld_body_in_a_list_with_markup():
    body = "".join(f"<p>{p}</p>\n" for p in PARAS[:4]) + "<h2>What comes next</h2>"
    body += "<script>track()</script>" + "".join(f"<p>{p}</p>" for p in PARAS[4:])
    doc = extract(page(shell(), ld_script(body, kind="BlogPosting", graph=False)), URL)
    assert doc.extractor_options.get("body_from") == "json-ld"
    blocks = doc.text.split("\n\n")
    assert blocks == [*PARAS[:4], "What comes next", *PARAS[4:]]  # tags stripped
    assert doc.headings == [4]
    assert "track()" not in doc.text


def test_full_html_article_keeps_its_text_over_a_summary_article_body():
    html_body = "<main><article><h1>Jetty to be replaced</h1>"
    html_body += "".join(f"<p>{p}</p>" for p in PARAS) + "</article></main>"
    doc = extract(page(html_body, ld_script(SUMMARY)), URL)
    assert "body_from" not in doc.extractor_options
    assert doc.text == "\n\n".join(PARAS)


def test_full_html_article_keeps_its_text_over_an_equal_article_body():
    html_body = "<main><article><h1>Jetty to be replaced</h1>"
    html_body += "".join(f"<p>{p}</p>" for p in PARAS) + "</article></main>"
    doc = extract(page(html_body, ld_script(" ".join(PARAS) + " Photo: Harbour authority")), URL)
    assert "body_from" not in doc.extractor_options
    assert doc.text == "\n\n".join(PARAS)


def test_paywall_teaser_is_replaced_by_the_full_article_body():
    teaser = (
        "<main><article><h1>Jetty to be replaced</h1>"
        f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
        '<div class="paywall"><p>Subscribe to read the full story.</p>'
        '<a href="/subscribe">Subscribe now</a></div></article></main>'
    )
    doc = extract(page(teaser, ld_script("\n\n".join(PARAS))), URL)
    assert doc.extractor_options.get("body_from") == "json-ld"
    assert doc.text == "\n\n".join(PARAS)
    assert "Subscribe" not in doc.text


def test_truncated_html_of_another_text_is_kept():
    # the HTML holds a complete short text that is not the start of the structured body:
    # the structured body is not the same article, so it does not replace it
    other = [
        "The library will open on Sundays from June, the council announced on Tuesday after a vote that was closer than expected.",
        "Volunteers will staff the reading room in the afternoons, and the lending desk will stay closed until the autumn.",
        "The mayor said the trial would be reviewed at the end of the year, when the council sets the budget for the next one.",
    ]
    html_body = "<main><article><h1>Library opens on Sundays</h1>"
    html_body += "".join(f"<p>{p}</p>" for p in other) + "</article></main>"
    doc = extract(page(html_body, ld_script("\n".join(PARAS + PARAS))), URL)
    assert "body_from" not in doc.extractor_options
    assert doc.text == "\n\n".join(other)


def test_next_data_hydration_state_of_a_shell_page():
    state = {
        "props": {
            "pageProps": {
                "story": {
                    "title": "Jetty to be replaced",
                    "bodyHtml": "".join(f"<p>{p}</p>" for p in PARAS),
                    "teaser": SUMMARY,
                }
            }
        }
    }
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    doc = extract(page(shell() + script), URL)
    assert doc.extractor_options.get("body_from") == "hydration-state"
    assert doc.text == "\n\n".join(PARAS)


def test_initial_state_assignment_of_a_shell_page():
    body = json.dumps({"article": {"id": 7, "content": "\n".join(PARAS)}})
    script = f"<script>window.__INITIAL_STATE__ = {body};</script>"
    doc = extract(page(shell() + script), URL)
    assert doc.extractor_options.get("body_from") == "hydration-state"
    assert doc.text == "\n\n".join(PARAS)


def test_hydration_state_is_not_read_over_a_full_html_article():
    html_body = "<main><article><h1>Jetty to be replaced</h1>"
    html_body += "".join(f"<p>{p}</p>" for p in PARAS[:6]) + "</article></main>"
    state = json.dumps({"article": {"content": "\n".join(PARAS + PARAS)}})
    doc = extract(page(html_body + f"<script>window.__INITIAL_STATE__ = {state};</script>"), URL)
    assert "body_from" not in doc.extractor_options
    assert doc.text == "\n\n".join(PARAS[:6])


def test_body_blocks_of_odd_bodies():
    assert body_blocks(None) == []
    assert body_blocks("  \n ") == []
    # control characters and broken markup: text, never an error
    blocks = body_blocks("<p>First\x00 part <b>bold</p><div>Second &eacute;t&eacute;\x07</div")
    assert [t for _k, t in blocks][:2] == ["First part bold", "Second été"]
    # markdown: link targets and heading marks go, the words stay
    md = '## A heading\nSee the [plan](https://example.org/plan){: target="_blank"} **now**.'
    assert body_blocks(md) == [("h", "A heading"), ("p", "See the plan now.")]


def test_prefer_structured_needs_a_long_body():
    short = [("p", SUMMARY)]
    assert not prefer_structured([], short)
    assert prefer_structured([], [("p", p) for p in PARAS])
