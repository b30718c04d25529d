"""Recover the article's own standfirst when the extracted body leaves it out.

Many CMSs print the article's lead paragraph (standfirst, teaser, intro, chapo, abstract,
summary, excerpt) in its own element above the body container: TYPO3 news
(``div.teaser-text``), WordPress themes (``div.entry-excerpt`` in the entry header), Drupal
(``field--summary``, ``field--name-field-abstract``), newsroom CMSs (``p.intro``,
``div.chapo``, ``p.abstract``).  trafilatura picks the body container and so loses it.

:func:`with_lead` looks for exactly such an element in the pre-cleaned tree: named by
one of the lead words (or ``itemprop=description/abstract``), made of prose (a paragraph
or two, few links, no headings), standing close before the first block of the extracted
body in document order (a byline, a date or a caption may sit between), after the
page's headline, and not already in the extracted text.  Subheadlines ("dek") and image
captions are not leads, nor teasers of other articles (several elements of the same kind
before the body, a summary under a linked headline, link-heavy text).  The lead found is
put in front of the body.  Cost: the named elements are gathered by the pre-clean's pass
over the page; then one XPath for the body's first words and a bounded walk from each
candidate to the body.
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.extract.metadata import normalise_text

#: words of class/id names that name an article's own lead paragraph
_LEAD_WORDS = frozenset(
    [
        "lead",
        "lede",
        "leadtext",
        "intro",
        "introtext",
        "introduction",
        "teaser",
        "teasertext",
        "chapo",
        "chapeau",
        "abstract",
        "summary",
        "standfirst",
        "excerpt",
        "description",
        "sapo",
        "perex",
        "entradilla",
        "bajada",
        "sommario",
    ]
)
#: ``itemprop`` values of a lead
LEAD_PROPS = frozenset(["description", "abstract"])
#: words of names that mark the element as something else: a subheadline ("dek"), or the
#: caption or credit of the lead image ("img_description", "lead-asset")
_OTHER_WORDS = frozenset(
    [
        "dek",
        "deck",
        "subtitle",
        "subheadline",
        "subhead",
        "img",
        "image",
        "images",
        "photo",
        "foto",
        "picture",
        "caption",
        "media",
        "asset",
        "video",
        "credit",
        "credits",
        "gallery",
        "legend",
        "legende",
    ]
)
_MEDIA_TAGS = ("img", "picture", "figure", "video", "iframe", "svg")
#: a linked headline (h2-h4 holding a link, or a link holding one): a teaser's title
_LINKED_HEADING = etree.XPath(
    "descendant::h2[.//a] | descendant::h3[.//a] | descendant::h4[.//a]"
    " | descendant::a[.//h2 or .//h3 or .//h4]"
)
#: text nodes holding a piece of the body's first paragraph
_TEXT_WITH = etree.XPath("//text()[contains(normalize-space(.), $needle)]")
#: how class and id values split into words ("articleLead" -> "article-lead" -> article, lead);
#: the pre-clean splits names the same way
CAMEL_CASE = re.compile(r"([a-z0-9])([A-Z])")
NAME_SPLIT = re.compile(r"[^\w]+|_")
#: elements that are never a lead paragraph themselves
_NOT_LEAD_TAGS = frozenset(
    [
        "html",
        "body",
        "head",
        "meta",
        "link",
        "script",
        "style",
        "a",
        "img",
        "picture",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "nav",
        "aside",
        "footer",
        "form",
        "input",
        "button",
        "label",
        "select",
        "option",
        "time",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "source",
        "svg",
        "iframe",
        "noscript",
        "main",
        "article",
    ]
)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: size of a lead paragraph, in characters of normalised text
_MIN_CHARS = 80
_MAX_CHARS = 1000
#: share of its text a lead may have in links
_MAX_LINK_SHARE = 0.2
#: characters of text that may stand between the lead and the body (byline, date, caption)
_MAX_GAP = 400
#: a block this long starts the body proper
_ANCHOR_CHARS = 80

_WORD_CACHE: dict[str, bool | None] = {}


#: any lead word inside a lower-cased name: names without one are not looked at further
#: (searched case-sensitively on ``value.lower()``: several times faster than re.I)
_LEAD_HINT = re.compile("|".join(sorted(_LEAD_WORDS, key=len, reverse=True)))


def names_a_lead(value: str) -> bool:
    """``lead_name(value) is True``, answered at once for the many names with no lead word."""
    return _LEAD_HINT.search(value.lower()) is not None and lead_name(value) is True


def lead_name(value: str) -> bool | None:
    """True when the names in ``value`` name a lead, None when they name a subheadline or
    a caption (whatever else they say), False otherwise."""
    if value in _WORD_CACHE:
        return _WORD_CACHE[value]
    hit: bool | None = False
    for name in value.split():
        if not name.islower():
            name = CAMEL_CASE.sub(r"\1-\2", name).lower()
        parts = {p for p in NAME_SPLIT.split(name) if p}
        if not _OTHER_WORDS.isdisjoint(parts):
            hit = None
            break
        if not _LEAD_WORDS.isdisjoint(parts):
            hit = True
    if len(_WORD_CACHE) > 20_000:
        _WORD_CACHE.clear()
    _WORD_CACHE[value] = hit
    return hit


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _clean(text: str) -> str:
    """``text`` as the extracted blocks spell it (no soft hyphens, composed characters)."""
    return " ".join(normalise_text(text).split())


def _is_candidate(el: etree._Element) -> bool:
    if not isinstance(el.tag, str) or el.tag in _NOT_LEAD_TAGS:
        return False
    by_class = lead_name(el.get("class") or "")
    by_id = lead_name(el.get("id") or "")
    if by_class is None or by_id is None:
        return False
    if by_class or by_id or el.get("itemprop") in LEAD_PROPS:
        # a caption inside a figure
        return not any(a.tag == "figure" for a in el.iterancestors())
    return False


def _prose(el: etree._Element) -> str | None:
    """The element's normalised text when it reads as a lead paragraph, else None."""
    text = _norm(el.text_content())
    if not _MIN_CHARS <= len(text) <= _MAX_CHARS:
        return None
    if next(el.iter(*_HEADING_TAGS), None) is not None:
        return None
    if next(el.iter(*_MEDIA_TAGS), None) is not None:
        return None
    links = sum(len(_norm(a.text_content())) for a in el.iter("a"))
    if links > _MAX_LINK_SHARE * len(text):
        return None
    if len(el.findall(".//p")) > 3:
        return None
    return text


def _anchor(tree: etree._Element, blocks: list[tuple[str, str]]) -> etree._Element | None:
    """The element holding the start of the first body paragraph."""
    # the first paragraph-sized block (a photo credit or a dateline may come first)
    lines = [text.split("\n", 1)[0] for kind, text in blocks[:6] if kind == "p"]
    for line in sorted(lines, key=lambda line: len(line) < _ANCHOR_CHARS):
        if len(line) < 25:
            continue
        found = _TEXT_WITH(tree, needle=line[:40]) or _TEXT_WITH(tree, needle=line[:20])
        for node in found:
            parent = node.getparent()
            if parent is None:
                continue
            if getattr(node, "is_tail", False):
                # a tail: the body starts after this element; its parent holds it
                parent = parent.getparent()
                if parent is None:
                    continue
            if parent.tag in ("script", "style", "title", "meta"):
                continue
            return parent
        return None
    return None


def _text_len(el: etree._Element) -> int:
    return len(_norm(el.text_content()))


def _headlines(tree: etree._Element, title: str | None) -> set:
    """The page's headline h1 elements (those naming the page, when its title is known;
    not a hidden "Navigation" h1) with all their ancestors."""
    ref = _norm(title).casefold()
    out: set = set()
    for h1 in tree.iter("h1"):
        text = _norm(h1.text_content()).casefold()
        if len(text) < 10 or (ref and text not in ref and ref not in text):
            continue
        out.add(h1)
        out.update(h1.iterancestors())
    return out


def _gap(first: etree._Element, last: etree._Element, limit: int, headlines: set) -> int | None:
    """Characters of text after ``first`` (its own subtree left out) and before ``last``
    in document order; None when ``last`` does not come after ``first``, when the page's
    headline stands between them, or once the text exceeds ``limit``."""
    path = set(last.iterancestors())
    n = len(_norm(first.tail))
    node = first
    while True:
        for sib in node.itersiblings():
            if sib is last:
                return n
            if sib in path:
                return _descend(sib, last, path, n + len(_norm(sib.text)), limit, headlines)
            if isinstance(sib.tag, str):
                if sib in headlines:
                    return None
                n += _text_len(sib)
            n += len(_norm(sib.tail))
            if n > limit:
                return None
        node = node.getparent()
        if node is None or node in path:
            return None
        n += len(_norm(node.tail))


def _descend(
    el: etree._Element, last: etree._Element, path: set, n: int, limit: int, headlines: set
) -> int | None:
    while True:
        for child in el:
            if child is last:
                return n
            if child in path:
                n += len(_norm(child.text))
                el = child
                break
            if isinstance(child.tag, str):
                if child in headlines:
                    return None
                n += _text_len(child)
            n += len(_norm(child.tail))
            if n > limit:
                return None
        else:
            return None


def _teaser_card(el: etree._Element) -> bool:
    """Is ``el`` the summary under a linked headline (a teaser of another page)?"""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return False
    if prev.tag in ("h2", "h3", "h4", "h5", "a") and (
        prev.tag == "a" or next(prev.iter("a"), None) is not None
    ):
        return True
    return bool(_LINKED_HEADING(prev))


def _attached(el: etree._Element, root: etree._Element) -> bool:
    """Is ``el`` still in the tree of ``root`` (not in a region deleted since)?"""
    top = el
    parent = el.getparent()
    while parent is not None:
        top, parent = parent, parent.getparent()
    return top is root


def find_lead(
    tree: etree._Element,
    blocks: list[tuple[str, str]],
    title: str | None,
    titles: list[str],
    named: list[etree._Element] | None = None,
) -> list[str]:
    """The paragraphs of the article's own lead when the extracted ``blocks`` leave it out
    (none otherwise).

    ``title``: the page's title (tells its headline h1); ``titles``: texts a lead never is;
    ``named``: the elements whose class or itemprop names a lead, in document order, when
    the caller has them (the pre-clean gathers them in its pass over the page).
    """
    if not blocks:
        return []
    if named is None:
        named = [
            el
            for el in tree.iter(etree.Element)
            if lead_name(el.get("class") or "") or el.get("itemprop") in LEAD_PROPS
        ]
    candidates = [el for el in named if _is_candidate(el) and _attached(el, tree)]
    if not candidates:
        return []
    body = " ".join(_norm(t) for _k, t in blocks)
    titles_norm = {_norm(t).casefold() for t in titles if t}
    # (element, text, kind, new?) of the candidates that read as a lead, in document order
    entries = []
    for el in candidates:
        text = _prose(el)
        if text is not None:
            text = _clean(text)
            new = text[:80] not in body and text.casefold() not in titles_norm
            entries.append((el, text, (el.tag, el.get("class")), new))
    if not any(new for *_rest, new in entries):
        return []
    anchor = _anchor(tree, blocks)
    if anchor is None:
        return []
    headlines = _headlines(tree, title)
    inside = set(anchor.iterancestors())
    inside.add(anchor)
    # characters between each candidate and the body (None: not close before it)
    gaps = [
        None if el in inside else _gap(el, anchor, _MAX_GAP, headlines) for el, *_rest in entries
    ]
    best: tuple[int, int, etree._Element] | None = None
    for index, ((el, text, kind, new), gap) in enumerate(zip(entries, gaps, strict=True)):
        if not new or gap is None or _teaser_card(el):
            continue
        if kind[1] and any(
            other[2] == kind and (i < index or gaps[i] is not None)
            for i, other in enumerate(entries)
            if i != index
        ):
            continue  # others of its kind before the body: items of a list of teasers
        # the closest to the body wins; of nested ones, the innermost
        if best is None or (gap, len(text)) < best[:2]:
            best = (gap, len(text), el)
    if best is None:
        return []
    # a lead of several paragraphs stays several blocks
    paragraphs = [_clean(p.text_content()) for p in best[2].iter("p")]
    paragraphs = [p for p in paragraphs if p]
    return paragraphs if len(paragraphs) > 1 else [_clean(best[2].text_content())]


def with_lead(
    tree: etree._Element,
    blocks: list[tuple[str, str]],
    title: str | None,
    titles: list[str],
    named: list[etree._Element] | None = None,
) -> list[tuple[str, str]]:
    """``blocks`` with the article's lead paragraph in front when it was left out
    (arguments as for :func:`find_lead`)."""
    try:
        lead = find_lead(tree, blocks, title, titles, named)
    except RecursionError:
        raise
    except Exception:  # pragma: no cover - never let the lead probe break extraction
        return blocks
    return [*(("p", text) for text in lead), *blocks]
