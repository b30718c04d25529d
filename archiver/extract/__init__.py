"""Turn one HTML page into clean article text plus metadata (the extraction layer).

``extract`` decodes the page (:mod:`archiver.extract.encoding`), parses it once with lxml,
reads the metadata (:mod:`archiver.extract.metadata`), decides whether the page is an
article or a listing (section front, tag page, home page), strips boilerplate
from the tree by structural signals (:mod:`archiver.extract.boilerplate`) and hands the
cleaned tree to trafilatura.  The body trafilatura returns is rendered as
headings and paragraphs separated by blank lines, then filtered once more
(headline repeated in the body, "last updated" lines, "related"/"read more"
teasers, comment headers).  Everything is picklable and importable at top level so
it can run in a ``ProcessPoolExecutor`` worker; nothing here raises on bad input.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from archiver.extract import boilerplate as _boilerplate
from archiver.extract import encoding as _encoding
from archiver.extract import lead as _lead
from archiver.extract import metadata as _metadata
from archiver.extract import structured as _structured

logger = logging.getLogger(__name__)

EXTRACTOR_VERSION = "1"
#: pages larger than this (in bytes of UTF-8) are cut before parsing
MAX_HTML_BYTES = 5_000_000
#: options handed to trafilatura; recorded in every Extraction
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "favor_recall": False,
    "fast": False,
    "deduplicate": False,
}

try:
    from importlib.metadata import version as _dist_version

    _TRAFILATURA_VERSION = _dist_version("trafilatura")
except Exception:  # pragma: no cover - metadata missing in odd installs
    _TRAFILATURA_VERSION = "?"

EXTRACTOR = f"archiver-extract/{EXTRACTOR_VERSION} trafilatura/{_TRAFILATURA_VERSION}"

#: characters of text py3langid reads (its time grows with them), and the log-probability
#: lead it needs on them before it may overrule a declared language
_LANGUAGE_SAMPLE = 300
_LANGUAGE_MARGIN = 20.0
_NOT_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w+")
_NON_HTML = re.compile(r"^\s*(?:%PDF|\x89PNG|GIF8|\xff\xd8|PK\x03\x04|\{|\[)")


__all__ = ["EXTRACTOR", "Extraction", "extract", "extract_text", "render"]


@dataclass
class Extraction:
    """One extracted page: body text plus metadata; see :func:`extract`."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    modified: str | None = None
    sitename: str | None = None
    description: str | None = None
    language: str | None = None
    text: str = ""
    word_count: int = 0
    text_hash: str = ""
    page_type: str = "other"
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    extractor: str = EXTRACTOR
    extractor_options: dict = field(default_factory=dict)
    skip_reason: str | None = None
    #: indexes (in ``text.split("\n\n")``) of the blocks that are headings
    headings: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def text_hash(text: str) -> str:
    """sha256 hex digest of the whitespace-normalised text."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _options(max_bytes: int) -> dict[str, Any]:
    return {
        "max_bytes": max_bytes,
        "boilerplate": _boilerplate.RULES_VERSION,
        **TRAFILATURA_OPTIONS,
    }


def _to_text(html: str | bytes, headers: Mapping | None) -> tuple[str | None, str | None]:
    """(text, codec) for the input, or (None, reason) when it is not HTML at all."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        raw = bytes(html)
        if not raw.strip():
            return None, "empty"
        ctype = (_encoding.header_value(headers, "Content-Type") or "").lower()
        if ctype and not any(t in ctype for t in ("html", "xml", "text/plain")):
            return None, "not html"
        if b"\x00" in raw[:2048] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, "not html"
        text, codec = _encoding.decode_html(raw, headers)
        return text, codec
    if not isinstance(html, str):
        return None, "not html"
    return html, None


#: trafilatura's HTML parser settings, but every element gets its class from lxml's C-level
#: default lookup (``HtmlElement`` for all tags) instead of lxml.html's per-element Python
#: lookup, which runs for each element proxy the pre-clean and trafilatura create
_PARSER = lxml_html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def _load_html(text: str) -> lxml_html.HtmlElement | None:
    """The page as trafilatura's ``load_html`` reads a string (same repairs, same fallbacks
    and rejection), parsed with :data:`_PARSER`."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = lxml_html.fromstring(text, parser=_PARSER)
    except ValueError:  # a str with an encoding declaration
        from_bytes = True
    except Exception:
        logger.debug("lxml could not parse the page", exc_info=True)
    if from_bytes or tree is None or len(tree) < 1:
        try:
            tree = lxml_html.fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
        except Exception:
            tree = None
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _parse(text: str) -> lxml_html.HtmlElement | None:
    text = text.replace("\x00", "")
    if not text.strip() or _NON_HTML.match(text[:16]) or "<" not in text:
        return None
    try:
        tree = _load_html(text)
    except Exception:
        logger.debug("trafilatura could not load the page", exc_info=True)
        tree = None
    if tree is None:
        try:
            tree = lxml_html.document_fromstring(text)
        except Exception:
            return None
    if not isinstance(tree, lxml_html.HtmlElement):
        return None
    return tree


def _text_of(node: etree._Element) -> str:
    """Text of a node with its descendants (tails of descendants included, own tail not)."""
    out = [node.text or ""]
    for child in node:
        if child.tag == "lb":
            out.append("\n")
        else:
            out.append(_text_of(child))
        out.append(child.tail or "")
    return "".join(out)


_BLOCK_TAGS = frozenset(["p", "head", "list", "quote", "table"])


def _layout_cell(cell: etree._Element) -> bool:
    """Does a table cell hold paragraphs (two or more blocks, or one long one)?"""
    inner = [c for c in cell if c.tag in _BLOCK_TAGS]
    return len(inner) >= 2 or (len(inner) == 1 and len(_text_of(inner[0])) >= 300)


def _blocks(body: etree._Element) -> list[tuple[str, str]]:
    """(kind, text) blocks of a trafilatura body: kind is "h" for headings, "p" otherwise."""
    blocks: list[tuple[str, str]] = []

    def norm(text: str) -> str:
        text = _metadata.normalise_text(text)
        lines = (" ".join(line.split()) for line in text.split("\n"))
        return "\n".join(line for line in lines if line)

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == "graphic":
                continue
            if tag == "head":
                text = norm(_text_of(child))
                if text:
                    blocks.append(("h", text))
            elif tag in ("list", "quote", "div", "table") and len(child):
                if (child.text or "").strip():
                    blocks.append(("p", norm(child.text)))
                walk(child)
            elif tag == "row" and any(_layout_cell(c) for c in child):
                # a table laid out as the page (the article in one cell): its cells are
                # containers of paragraphs, not values of a row
                for cell in child:
                    if (cell.text or "").strip():
                        blocks.append(("p", norm(cell.text)))
                    walk(cell)
            elif tag == "row":
                cells = [norm(_text_of(c)).replace("\n", " ") for c in child]
                text = " | ".join(c for c in cells if c)
                if text:
                    blocks.append(("p", text))
            elif tag == "item" and any(c.tag in ("list", "p", "quote") for c in child):
                if (child.text or "").strip():
                    blocks.append(("p", norm(child.text)))
                walk(child)
            else:
                text = norm(_text_of(child))
                if text:
                    blocks.append(("p", text))
            if (child.tail or "").strip() and tag not in ("row",):
                blocks.append(("p", norm(child.tail)))

    walk(body)
    return blocks


def _detect_language(text: str, margin: float = 0.0) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid, or None when too short or unsure.

    ``margin`` is the least log-probability lead of the best language over the next one.
    """
    if len(text) < 40:
        return None
    try:
        import py3langid

        ranked = py3langid.rank(text[:_LANGUAGE_SAMPLE])
    except Exception:
        return None
    if not ranked:
        return None
    code = ranked[0][0]
    if margin and len(ranked) > 1 and ranked[0][1] - ranked[1][1] < margin:
        return None
    return code if isinstance(code, str) and len(code) == 2 else None


def extract(
    html: str | bytes,
    url: str | None = None,
    headers: Mapping | None = None,
    *,
    max_bytes: int | None = None,
) -> Extraction | None:
    """Extract article text and metadata from one page; never raises.

    Returns None only when the input is not usable HTML at all.
    """
    try:
        return _extract(html, url, headers, MAX_HTML_BYTES if max_bytes is None else max_bytes)
    except RecursionError:
        logger.warning("page too deeply nested: %s", url)
        return _fallback(url, max_bytes, "too deeply nested")
    except Exception:
        logger.exception("extraction failed: %s", url)
        return _fallback(url, max_bytes, "extraction error")


def _fallback(url: str | None, max_bytes: int | None, reason: str) -> Extraction:
    opts = _options(MAX_HTML_BYTES if max_bytes is None else max_bytes)
    return Extraction(url=url, text_hash=text_hash(""), skip_reason=reason, extractor_options=opts)


def _extract(
    html: str | bytes, url: str | None, headers: Mapping | None, max_bytes: int
) -> Extraction | None:
    options = _options(max_bytes)
    text, codec_or_reason = _to_text(html, headers)
    if text is None:
        logger.debug("not html (%s): %s", codec_or_reason, url)
        return None
    if codec_or_reason:
        options["encoding"] = codec_or_reason
    skip_reason = None
    if (
        max_bytes
        and len(text) > max_bytes // 4
        and len(text.encode("utf-8", "replace")) > max_bytes
    ):
        cut = text.encode("utf-8", "replace")[:max_bytes].decode("utf-8", "ignore")
        options["truncated_from"] = len(text)
        text, skip_reason = cut, "too large"
        logger.info("page cut to %d bytes: %s", max_bytes, url)
    tree = _parse(text)
    if tree is None:
        return None
    if tree.find(".//body") is None and tree.tag != "body" and not len(tree):
        return None

    meta = _metadata.collect(
        tree,
        url,
        _encoding.header_value(headers, "Content-Language"),
        _encoding.header_value(headers, "Last-Modified"),
    )
    doc = Extraction(
        url=url,
        canonical_url=meta.canonical_url,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        modified=meta.modified,
        sitename=meta.sitename,
        description=meta.description,
        language=meta.language,
        tags=meta.tags,
        image=meta.image,
        extractor_options=options,
        skip_reason=skip_reason,
    )
    report = _boilerplate.preclean(tree, url)
    listing = _boilerplate.looks_like_listing(report, meta.declared_type, meta)
    updated_line = report.get("updated")
    if updated_line:
        reference = (
            int(doc.published[:4]) if doc.published and doc.published[:4].isdigit() else None
        )
        updated = _metadata.parse_text_date(updated_line, reference)
        if updated and not doc.modified:
            doc.modified = updated
    clean = partial(
        _boilerplate.postclean,
        title=doc.title,
        h1s=report.get("h1") or [],
        description=doc.description,
        anchors=report.get("anchors") or frozenset(),
    )
    blocks, updated_line = clean(_run_trafilatura(tree, url, doc.language))
    if _lost_body(blocks, report):
        # the pre-clean may have removed the block that holds the page's text (a live
        # commentary whose items are named "comment", a body split into many small
        # blocks): ask trafilatura again on the untouched page and take its choice
        # when it is a much wider version of the same body
        raw = _parse(text)
        if raw is not None:
            wide, wide_updated = clean(_run_trafilatura(raw, url, doc.language))
            if _wider_body(wide, blocks):
                blocks, updated_line = wide, updated_line or wide_updated
                options["recovered"] = True
    structured, source = _structured_body(meta, blocks)
    if structured:
        # an empty shell or a truncated teaser: the article as its structured data gives it
        blocks, _ = clean(structured)
        options["body_from"] = source
    if listing:
        # when in doubt, extract: a listing verdict empties the text only when nothing
        # but teasers came out; a page with its own prose keeps it
        if not _boilerplate.own_prose(blocks, report):
            doc.page_type = "listing"
            doc.skip_reason = doc.skip_reason or "listing"
            _finish(doc, [], "")
            return doc
        options["listing_signals"] = True
    if blocks:
        # the article's standfirst printed above the body container
        titles = [doc.title or "", *(report.get("h1") or [])]
        blocks = _lead.with_lead(tree, blocks, doc.title, titles, report.get("leads") or [])
    if updated_line and not doc.modified:
        reference = (
            int(doc.published[:4]) if doc.published and doc.published[:4].isdigit() else None
        )
        doc.modified = _metadata.parse_text_date(updated_line, reference)
    if sum(len(text) for _kind, text in blocks) < 12:
        blocks = []  # a stray link or label is not an article
    if _boilerplate.listing_after_extraction(blocks, report, meta):
        doc.page_type = "listing"
        doc.skip_reason = doc.skip_reason or "listing"
        blocks = []
    elif blocks and listing:
        # kept for its own prose; the page type still follows the markup
        strong = _boilerplate.listing_evidence(report, meta) >= 2
        doc.page_type = "listing" if strong else "article"
    elif blocks:
        doc.page_type = "article" if meta.declared_type != "website" or len(blocks) > 2 else "other"
    else:
        doc.page_type = "other"
        doc.skip_reason = doc.skip_reason or "empty"
    body_text = "\n\n".join(text for _kind, text in blocks)
    _finish(doc, blocks, body_text)
    return doc


#: the pre-clean is suspected of removing the body when the extraction holds less than
#: this share of the running prose found on the untouched page (and that prose is long);
#: kept low because comment threads and teaser excerpts also count as prose
_LOST_SHARE = 0.15
_LOST_MIN_PROSE = 1500


def _lost_body(blocks: list[tuple[str, str]], report: _boilerplate.PrecleanReport) -> bool:
    prose = report.get("prose_total", 0)
    if prose < _LOST_MIN_PROSE:
        return False
    return sum(len(t) for _k, t in blocks) < _LOST_SHARE * prose


def _wider_body(wide: list[tuple[str, str]], narrow: list[tuple[str, str]]) -> bool:
    """Is ``wide`` much longer than ``narrow`` and does it hold most of it?"""
    wide_len = sum(len(t) for _k, t in wide)
    narrow_len = sum(len(t) for _k, t in narrow)
    if wide_len < 2 * narrow_len + 500:
        return False
    if not narrow:
        return True
    haystack = " ".join(" ".join(t.split()) for _k, t in wide)
    kept = sum(len(t) for _k, t in narrow if " ".join(t.split()) in haystack)
    return kept >= 0.7 * narrow_len


def _structured_body(
    meta: _metadata.PageMetadata, blocks: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], str | None]:
    """(blocks, source) of the structured body that replaces a clearly truncated HTML
    extraction, or ([], None): the JSON-LD ``articleBody`` (already read with the
    metadata), else, only when the HTML text is short, the hydration state."""
    if meta.article_body:
        found = _structured.body_blocks(meta.article_body)
        if _structured.prefer_structured(blocks, found) or _structured.same_text_split(
            blocks, found
        ):
            return found, "json-ld"
    if meta.state_scripts and sum(len(t) for _k, t in blocks) < _structured.STATE_MAX_HTML:
        found = _structured.state_body(meta.state_scripts)
        if found and _structured.prefer_structured(blocks, found):
            return found, "hydration-state"
    return [], None


#: languages written without spaces carry several times more meaning per character,
#: so trafilatura's minimum sizes (counted in characters) are scaled down for them
_DENSE_SCRIPTS = frozenset(["ja", "zh", "ko"])
_CONFIGS: dict[str, Any] = {}


def _config(language: str | None) -> Any:
    key = "dense" if language in _DENSE_SCRIPTS else "default"
    config = _CONFIGS.get(key)
    if config is None:
        from copy import deepcopy

        from trafilatura.settings import DEFAULT_CONFIG

        config = deepcopy(DEFAULT_CONFIG)
        if key == "dense":
            config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = "100"
            config["DEFAULT"]["MIN_EXTRACTED_COMM_SIZE"] = "30"
        _CONFIGS[key] = config
    return config


def _run_trafilatura(
    tree: lxml_html.HtmlElement, url: str | None, language: str | None = None
) -> list[tuple[str, str]]:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            output_format="txt",  # the body tree only: no text rendering we would not use
            config=_config(language),
            **TRAFILATURA_OPTIONS,
        )
    except Exception:
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return []
    body = getattr(result, "body", None)  # a Document (with_metadata); None when nothing
    if body is None:
        return []
    return _blocks(body)


def _finish(doc: Extraction, blocks: list[tuple[str, str]], body_text: str) -> None:
    for name in ("title", "author", "sitename", "description"):
        value = getattr(doc, name)
        if value:
            setattr(doc, name, " ".join(_metadata.normalise_text(value).split()) or None)
    doc.tags = [t for t in (" ".join(_metadata.normalise_text(t).split()) for t in doc.tags) if t]
    doc.text = body_text
    doc.headings = [i for i, (kind, _t) in enumerate(blocks) if kind == "h"]
    doc.word_count = len(_WORD.findall(body_text))
    doc.text_hash = text_hash(body_text)
    if not doc.language:
        sample = body_text or " ".join(x for x in (doc.title, doc.description) if x)
        doc.language = _detect_language(sample)
        if doc.language:
            doc.extractor_options["language_detected"] = True
    elif len(body_text) >= 400 and not _plainly_in(body_text, doc.language):
        # templates often declare the site's language, not the article's: a long body
        # that is clearly in another language wins over the declaration
        detected = _detect_language(body_text, margin=_LANGUAGE_MARGIN)
        if detected and detected != doc.language:
            doc.extractor_options["language_declared"] = doc.language
            doc.extractor_options["language_detected"] = True
            doc.language = detected


#: the commonest function words of the languages most pages declare; a body whose first
#: words are plainly in the declared language needs no statistical detection
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and of to is that with for was are this have it in on be by as not",
        "de": "und der die das nicht ist mit sich auf für den von ein eine dem zu im auch es",
        "fr": "le la les des est et une dans pour que qui pas sur du au il elle ce",
        "es": "el la los las del que por con una para es en se al lo como más su",
        "it": "il della che di per una con non sono gli del alla nel è le da un",
        "pt": "o os da do das dos que para com uma não em no na ao se mais",
        "nl": "de het een van en niet dat met voor zijn op ook is te die er",
        "pl": "i w na się nie z do że to jest jak po od za ale o",
    }.items()
}


def _plainly_in(text: str, language: str | None) -> bool:
    """Are the text's first words clearly in ``language`` by its function words (at least
    12 % of the words, and a lead over every other listed language)?"""
    words = _FUNCTION_WORDS.get((language or "").split("-")[0].lower())
    if words is None:
        return False
    sample = _WORD.findall(text[:_LANGUAGE_SAMPLE].lower())
    if len(sample) < 30:
        return False
    share = sum(1 for w in sample if w in words) / len(sample)
    if share < 0.12:
        return False
    others = max(
        sum(1 for w in sample if w in other) / len(sample)
        for code, other in _FUNCTION_WORDS.items()
        if other is not words
    )
    return share - others >= 0.04


def extract_text(html: str | bytes, url: str | None = None) -> str:
    """Body text only; "" when nothing was found."""
    doc = extract(html, url)
    return doc.text if doc is not None else ""


def render(doc: Extraction, fmt: str = "text") -> str:
    """Render a Extraction as "text", "json" or "markdown"."""
    if fmt == "json":
        data = doc.to_dict()
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "text":
        return doc.text + ("\n" if doc.text else "")
    if fmt in ("markdown", "md"):
        lines: list[str] = []
        if doc.title:
            lines += [f"# {doc.title}", ""]
        info = [x for x in (doc.author, doc.published and doc.published[:10], doc.sitename) if x]
        if info:
            lines += [" · ".join(info), ""]
        extra = [
            f"{k}: {v}"
            for k, v in (("url", doc.canonical_url or doc.url), ("language", doc.language))
            if v
        ]
        if extra:
            lines += [" · ".join(extra), ""]
        headings = set(doc.headings)
        for i, block in enumerate(doc.text.split("\n\n") if doc.text else []):
            lines += [f"## {block}" if i in headings else block, ""]
        return "\n".join(lines).rstrip() + "\n"
    raise ValueError(f"unknown format {fmt!r}; use text, json or markdown")
