"""Golden regression suite for archiver.extract: CMS-style pages with known text and metadata.

The pages come from ``tests/data/extract/corpus.py`` (templates of ten CMS families,
original article texts in seven languages, listing pages) plus hand-written pages
stored as ``.html`` + ``.json`` pairs in ``tests/data/extract/``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from archiver.extract import Extraction, extract

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"


def _load_corpus():
    spec = importlib.util.spec_from_file_location("extract_corpus", DATA / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


def _file_pages():
    for path in sorted(DATA.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        html = path.with_suffix(".html").read_bytes()
        yield path.stem, html, expected.pop("url"), expected


ARTICLES = corpus.articles() + [p for p in _file_pages() if p[3].get("page_type") == "article"]
LISTINGS = corpus.listings() + [p for p in _file_pages() if p[3].get("page_type") == "listing"]

_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


@pytest.fixture(scope="module")
def results() -> dict[str, Extraction | None]:
    return {
        name: extract(html, url, expected.get("headers"))
        for name, html, url, expected in ARTICLES + LISTINGS
    }


def test_corpus_is_varied():
    assert len(ARTICLES) >= 25
    langs = {e["language"] for *_x, e in ARTICLES}
    assert len(langs) >= 5
    families = {name.split("-")[0] for name, *_x in ARTICLES}
    assert len(families) >= 10
    assert len(LISTINGS) >= 4


@pytest.mark.parametrize("name,html,url,expected", ARTICLES, ids=[a[0] for a in ARTICLES])
def test_article(name, html, url, expected, results):
    doc = results[name]
    assert doc is not None
    assert doc.page_type == "article", doc.skip_reason
    text = _squash(doc.text)
    for phrase in expected["must_include"]:
        assert _squash(phrase) in text, f"missing: {phrase!r}"
    for phrase in expected["must_exclude"]:
        assert _squash(phrase) not in text, f"boilerplate kept: {phrase!r}"
    # body order: every required block appears after the previous one
    positions = [text.find(_squash(p)) for p in expected["must_include"]]
    assert positions == sorted(positions)
    # headings are their own blocks, marked as headings
    blocks = doc.text.split("\n\n")
    for heading in expected.get("headings", []):
        assert heading in blocks
        assert blocks.index(heading) in doc.headings
    for key in ("title", "author", "published", "language", "modified"):
        if key in expected:
            assert getattr(doc, key) == expected[key], key
    assert doc.word_count > 0
    assert doc.extractor.startswith("archiver-extract/")
    assert doc.skip_reason is None


@pytest.mark.parametrize("name,html,url,expected", LISTINGS, ids=[p[0] for p in LISTINGS])
def test_listing(name, html, url, expected, results):
    doc = results[name]
    assert doc is not None
    assert doc.page_type == "listing"
    assert doc.text == ""
    assert doc.skip_reason == "listing"
    assert doc.language == expected["language"]
    assert doc.title
