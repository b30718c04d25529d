"""The article body a page carries as structured data, for pages whose HTML holds little.

Front ends that render in the browser often serve an empty shell (the text comes with
the JavaScript) or a paywall teaser, and put the whole article in structured data: the
JSON-LD ``articleBody`` of a schema.org article (read by :mod:`archiver.extract.metadata`
with the rest of the JSON-LD) or the hydration state a front end boots from
(``<script id="__NEXT_DATA__">``, ``window.__INITIAL_STATE__ = ...``, ``__NUXT__``...).

:func:`body_blocks` turns such a body into (kind, text) blocks like the HTML extraction's
(markup parsed and stripped, entities unescaped, paragraphs split on newlines, whitespace
normalised).  :func:`prefer_structured` decides whether it replaces the HTML extraction:
only when that one is clearly truncated.  The structured body must be long, at least
twice as long as the HTML text, hold most of what the HTML gave (a teaser is the start
of its article) and add at least as much again; an ``articleBody`` that is a summary or
the same text as the HTML never wins.  :func:`state_body` reads the hydration state,
and is called only when the HTML text is short (a cheap test comes first).
"""

from __future__ import annotations

import html as _html
import json
import re

from lxml import etree
from lxml import html as lxml_html

from archiver.extract import metadata as _metadata

#: a structured body shorter than this (in words) is a summary, not an article
MIN_WORDS = 80
#: the HTML text must be at most this share of the structured body (in words)
MAX_HTML_SHARE = 0.5
#: an HTML text shorter than this (in words) is a shell's leftovers (a caption, a
#: label, a teaser line): the structured body need not contain it
SHELL_WORDS = 40
#: share of the HTML text's word 4-grams that must lie in the structured body
MIN_INSIDE = 0.5
#: share of word 4-grams two renderings of the same text have in common
SAME_SHARE = 0.9
#: the hydration state is read only when the HTML text is shorter than this (characters)
STATE_MAX_HTML = 1000

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<(?:p|br|div|h[1-6]|a|strong|em|b|i|span|ul|ol|li|blockquote|figure)\b", re.I)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)")
_MD_ATTRS = re.compile(r"\{:[^}\n]*\}")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__")
#: marks a heading line while the text is flattened (a private-use character)
_HEADING_MARK = "\ue000"
_DROP = ("script", "style", "noscript", "audio", "video", "iframe", "svg", "form", "button")
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_BLOCKS = _HEADINGS | frozenset(
    "p div li ul ol blockquote section article figure figcaption table tr pre aside header"
    " footer dl dt dd".split()
)


def _markup_lines(text: str) -> list[str]:
    try:
        return _flatten(lxml_html.fragment_fromstring(text, create_parent="div"))
    except (etree.LxmlError, ValueError):
        # unparsable markup: its text without the tags
        return _html.unescape(re.sub(r"<[^>]*>", "", text)).split("\n")


def _flatten(root: etree._Element) -> list[str]:
    for el in list(root.iter(*_DROP)):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in _BLOCKS:
            mark = _HEADING_MARK if tag in _HEADINGS else ""
            el.text = "\n" + mark + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return root.text_content().split("\n")


def _markdown_line(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_ATTRS.sub("", line)
    line = _MD_EMPHASIS.sub("", line)
    if _MD_HEADING.match(line):
        line = _HEADING_MARK + _MD_HEADING.sub("", line)
    return line


def body_blocks(raw: str | None) -> list[tuple[str, str]]:
    """(kind, text) blocks of a structured body: "h" for headings, "p" otherwise."""
    if not raw or not raw.strip():
        return []
    raw = _CONTROL.sub(" ", raw)
    if _TAG.search(raw):
        lines = _markup_lines(raw)
    else:
        text = _html.unescape(raw) if "&" in raw else raw
        lines = text.split("\n")
        if _MD_LINK.search(text) or any(_MD_HEADING.match(line) for line in lines):
            lines = [_markdown_line(line) for line in lines]
    blocks: list[tuple[str, str]] = []
    for line in lines:
        kind = "h" if _HEADING_MARK in line else "p"
        line = " ".join(_metadata.normalise_text(line.replace(_HEADING_MARK, "")).split())
        if line:
            blocks.append((kind, line))
    return blocks


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 4:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _words(blocks: list[tuple[str, str]]) -> list[str]:
    return _WORD.findall(" ".join(text for _kind, text in blocks).lower())


def prefer_structured(html: list[tuple[str, str]], structured: list[tuple[str, str]]) -> bool:
    """Does the structured body replace the HTML extraction (which is clearly truncated)?"""
    s_words = _words(structured)
    if len(s_words) < MIN_WORDS:
        return False  # a summary, a standfirst: never a replacement
    h_words = _words(html)
    if len(h_words) > MAX_HTML_SHARE * len(s_words):
        return False  # the HTML gave a good share of it: keep the HTML
    if len(h_words) < SHELL_WORDS:
        return True  # an empty shell, a caption, a label
    s_set, h_set = _shingles(s_words), _shingles(h_words)
    inside = len(h_set & s_set)
    # a teaser is the start of its article; and the body must add at least as much again
    return inside >= MIN_INSIDE * len(h_set) and len(s_set - h_set) >= len(h_set)


def same_text_split(html: list[tuple[str, str]], structured: list[tuple[str, str]]) -> bool:
    """Is the HTML extraction the structured body itself run together into one block (the
    extractor's own fallback read the same JSON)?  Then the structured body, split into
    its paragraphs, is the better rendering of the same text."""
    if len(html) != 1 or len(structured) < 2:
        return False
    s_set, h_set = _shingles(_words(structured)), _shingles(_words(html))
    common = len(s_set & h_set)
    return common >= SAME_SHARE * len(s_set) and common >= SAME_SHARE * len(h_set)


#: string values of keys that name an article's text in hydration states (JSON or JS
#: object literals), at least 400 characters long
_STATE_VALUE = re.compile(
    r"""["']?\b(articleBody|body|bodyHtml|body_html|content|contentHtml|content_html|html"""
    r"""|text|fullText|full_text)\b["']?\s*:\s*"((?:[^"\\\n]|\\.){400,})\"""",
)


def state_body(scripts: list[str]) -> list[tuple[str, str]]:
    """Blocks of the longest article text found in hydration state scripts: an
    ``articleBody`` first, else the longest text-like value of a body/content key."""
    best: list[tuple[str, str]] = []
    best_key = ""
    best_words = 0
    for script in scripts:
        for match in _STATE_VALUE.finditer(script):
            key, literal = match.groups()
            try:
                value = json.loads(f'"{literal}"')
            except ValueError:
                continue
            if value.lstrip()[:1] in ("{", "[") or "function" in value[:200]:
                continue  # serialised data or code, not text
            blocks = body_blocks(value)
            words = len(_words(blocks))
            if words < MIN_WORDS:
                continue
            better = (key == "articleBody", words) > (best_key == "articleBody", best_words)
            if better:
                best, best_key, best_words = blocks, key, words
    return best
