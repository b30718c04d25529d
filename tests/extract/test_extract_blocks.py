"""Block filters after trafilatura: read-also lines, section openers, credits, prompts.

Each case is a small article page; the assertion is on the exact body text, so a
filter that eats a paragraph of the article fails as surely as one that lets
boilerplate through.
"""

from __future__ import annotations

import pytest

from archiver.extract import boilerplate, extract

PARAS = [
    "Der Gemeinderat hat am Dienstag beschlossen, die alte Holzbrücke über den Mühlbach "
    "abzureißen und bis zum Herbst durch einen Neubau aus Stahl und Beton zu ersetzen.",
    "Die Arbeiten sollen nach der Sommersaison beginnen, damit Wanderer und Radfahrer nicht "
    "betroffen sind; eine Behelfsbrücke wird während der Bauzeit den Weg offen halten.",
    "Anwohner hatten eine breitere Fahrbahn und eine bessere Beleuchtung gefordert, beides "
    "wurde in den Entwurf aufgenommen, den die Gemeinde im nächsten Monat vorstellt.",
]


def page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        "<title>Neue Brücke über den Mühlbach</title></head>"
        f"<body><main><article><h1>Neue Brücke über den Mühlbach</h1>{body}</article></main>"
        "</body></html>"
    )


def paras(*extra_after_first: str, tail: str = "") -> str:
    first, *rest = (f"<p>{p}</p>" for p in PARAS)
    return first + "".join(extra_after_first) + "".join(rest) + tail


def body_of(html: str) -> str:
    doc = extract(html, "https://example.org/news/bruecke")
    assert doc is not None
    return doc.text


EXPECTED = "\n\n".join(PARAS)


@pytest.mark.parametrize(
    "line",
    [
        '<p>Lesen Sie auch: <a href="/news/2">Mehr Parkplätze am Bahnhof geplant</a></p>',
        '<p>Czytaj też: <a href="/news/3">Wyścig zbrojeń ruszył z kopyta</a></p>',
        '<p>VEA TAMBIÉN: <a href="/news/4">Nuevo puente para el pueblo vecino</a></p>',
        (
            "<p><strong>Das meinen die Nachbarn:</strong> "
            '<a href="/news/5">So stimmte der Ortsteil ab</a></p>'
        ),
    ],
)
def test_label_then_a_link_title_is_a_read_also_line(line):
    assert body_of(page(paras(line))) == EXPECTED


def test_a_sentence_with_a_label_and_a_link_inside_is_kept():
    line = (
        '<p>Wichtig: Die Gemeinde hat den <a href="/plan.pdf">Bauplan</a> schon veröffentlicht, '
        "und Einwände können bis Ende des Monats eingereicht werden.</p>"
    )
    text = body_of(page(paras(line)))
    assert "Wichtig: Die Gemeinde hat den Bauplan schon veröffentlicht" in text


def test_table_rows_that_look_like_labels_are_kept():
    table = (
        "<table><tr><td>Länge</td><td><a href='/glossar/laenge'>42 Meter lang</a></td></tr>"
        "<tr><td>Kosten</td><td><a href='/glossar/kosten'>1,2 Millionen Euro</a></td></tr></table>"
    )
    text = body_of(page(paras(table)))
    assert "Länge | 42 Meter lang" in text
    assert "Kosten | 1,2 Millionen Euro" in text


@pytest.mark.parametrize(
    "tail",
    [
        "<h2>Weitere Themen</h2><p><a href='/a'>Stadtfest abgesagt</a></p>"
        "<p><a href='/b'>Neue Buslinie ab Mai</a></p>",
        "<h3>Das könnte Sie auch interessieren:</h3>"
        "<ul><li><a href='/c'>Radweg wird gebaut</a></li></ul>",
        "<p>Schon gelesen?</p><p><a href='/d'>Freibad öffnet früher</a></p>",
        "<h2>Czytaj także</h2><p><a href='/e'>Nowy most w Krakowie</a></p>",
    ],
)
def test_section_openers_in_other_languages_end_the_body(tail):
    assert body_of(page(paras(tail=tail))) == EXPECTED


@pytest.mark.parametrize(
    "line",
    [
        "<p>Titelbild: Max Mustermann / Gemeinde</p>",
        "<p>(Bild: Erika Musterfrau)</p>",
        "<p>© Shutterstock</p>",
        "<p>Erika Muster, Bürgermeisterin. © AFP / Max Fotograf</p>",
        "<p>Sie sind aktuell nicht eingeloggt.</p>",
        "<p>To view the full story, please subscribe to the Daily Example.</p>",
        "<p>Never miss the latest news by signing up to our newsletter today!</p>",
    ],
)
def test_credits_and_prompts_are_dropped_anywhere(line):
    assert body_of(page(paras(line))) == EXPECTED


@pytest.mark.parametrize(
    "tail",
    [
        "<p>Lust auf mehr? Lass dir die besten Geschichten jede Woche "
        "in deinen Posteingang liefern.</p>",
        "<p>Never miss the latest news by signing up to our newsletter today!</p>",
        "<p>¡Mira lo que tiene nuestro canal de YouTube!</p>",
        "<p>Unterstützen Sie unsere Arbeit mit einer Spende.</p>",
        "<p>Copyright © 2024 Example Zeitung. Alle Rechte vorbehalten.</p>",
    ],
)
def test_closing_promotions_are_dropped(tail):
    assert body_of(page(paras(tail=tail))) == EXPECTED


def test_a_paragraph_about_support_in_the_middle_is_kept():
    line = (
        "<p>Der Verein will den Bau unterstützen und hat Spenden gesammelt, die an die "
        "Gemeinde überwiesen werden, sobald der Auftrag vergeben ist.</p>"
    )
    text = body_of(page(paras(line)))
    assert "Der Verein will den Bau unterstützen" in text


@pytest.mark.parametrize("line", ["<p>23.10.2018</p>", "<p>2021-10-16 | Politik</p>"])
def test_a_date_line_above_the_article_is_dropped(line):
    assert body_of(page(line + paras())) == EXPECTED


def test_a_sentence_with_a_date_in_the_first_paragraph_is_kept():
    line = "<p>Am 23.10.2018 tagte der Rat.</p>"
    assert body_of(page(line + paras())).startswith("Am 23.10.2018 tagte der Rat.")


def test_a_closing_heading_written_as_a_sentence_is_kept():
    # (followed by a credit line, so that it is last only once the credit has gone)
    closing = "<h4>Der Bürgermeister widerspricht. Die Pläne liegen seit Monaten aus.</h4>"
    credit = "<p>Titelbild: Max Mustermann / Gemeinde</p>"
    text = body_of(page(paras(tail=closing + credit)))
    assert text.endswith("Der Bürgermeister widerspricht. Die Pläne liegen seit Monaten aus.")
    # a closing label heading with nothing under it still goes
    assert body_of(page(paras(tail="<h4>Weitere Links</h4>" + credit))) == EXPECTED


def test_a_closing_run_of_links_to_other_pages_goes_but_one_link_stays():
    # on the blocks trafilatura hands over (it keeps such runs when they look like a list)
    body = [("p", p) for p in PARAS]
    titles = ["Stadtfest in diesem Jahr abgesagt", "Neue Buslinie fährt ab Mai zum Bahnhof"]
    anchors = frozenset(boilerplate._norm(t) for t in [*titles, "Der Bauplan als PDF"])
    out, _ = boilerplate.postclean(body + [("p", t) for t in titles], None, [], None, anchors)
    assert out == body
    out, _ = boilerplate.postclean([*body, ("p", "Der Bauplan als PDF")], None, [], None, anchors)
    assert out[-1] == ("p", "Der Bauplan als PDF")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Czytaj też: Wyścig zbrojeń ruszył z kopyta", True),
        ("Lesen Sie hier: Spielabbruch in der Kreisliga (Video)", True),  # link and a tag
        ("Mehr: Spielabbruch in der Kreisliga zwischen zwei Mannschaften am Sonntag", False),
        ("Wichtig: Spielabbruch", False),  # one word after the label
        ("Spielabbruch in der Kreisliga", False),  # no label
    ],
)
def test_labelled_link_lines(line, expected):
    anchors = frozenset(
        boilerplate._norm(t)
        for t in ["Wyścig zbrojeń ruszył z kopyta", "Spielabbruch in der Kreisliga", "Spielabbruch"]
    )
    assert boilerplate._labelled_link(line, anchors) is expected
