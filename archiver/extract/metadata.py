"""Page metadata for the extraction layer: title, authors, dates, language and the rest.

Trafilatura's cheap metadata readers (``<meta>`` tags, JSON-LD, ``<title>``/``<h1>``,
site name) give the base; this module reads what they miss or flatten: publication
and modification times with their time zone (JSON-LD ``datePublished``/``dateModified``,
``article:published_time``, ``<time datetime>``, the HTTP ``Last-Modified`` header),
the schema.org ``@type`` and ``og:type`` used for page-type decisions, the language
(``<html lang>``, ``og:locale``, ``Content-Language``, JSON-LD ``inLanguage``), the
canonical URL and the lead image, both made absolute.  It also parses the "last
updated" lines that blog widgets print above an article ("Dernière mise à jour :
27 nov.", "Last updated: Nov 27, 2024", "Zuletzt aktualisiert: 27. Nov."), so that the
boilerplate cleaner can turn them into the ``modified`` date.  trafilatura's own author
search and htmldate are slow (10+ ms a page), so they are not used here.
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from typing import Any, Literal
from unicodedata import is_normalized, normalize
from urllib.parse import urljoin

from lxml import etree

logger = logging.getLogger(__name__)

#: JSON-LD ``@type`` values (lower case) of a single article
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "socialmediaposting",
        "liveblogposting",
        "posting",
        "report",
        "review",
    }
)
_LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage", "website"}

_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?",
    re.I,
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

#: Month names and abbreviations (en, fr, de, es, pt, it, nl), lower case, no accents
#: needed: both accented and plain spellings are listed where they differ.
_MONTHS: dict[str, int] = {}
for _num, _spellings in enumerate(
    [
        "jan january janv janvier januar jän jänner enero ene janeiro gennaio gen januari",
        "feb february fev fevr févr fevrier février februar febrero fevereiro febbraio februari",
        "mar march mars märz marz marzo março marco maart",
        "apr april avr avril abril aprile",
        "may mai mayo maio maggio mag mei",
        "jun june juin juni junio junho giugno giu",
        "jul july juil juillet juli julio julho luglio lug",
        "aug august aout août agosto ago augustus",
        "sep sept september septembre setiembre septiembre setembro settembre set",
        "oct october octobre oktober okt octubre outubro ottobre ott out",
        "nov november novembre noviembre novembro",
        "dec december déc decembre décembre dezember dez diciembre dic dezembro dicembre",
    ],
    start=1,
):
    for _name in _spellings.split():
        _MONTHS[_name] = _num

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
#: "27 nov.", "27. November 2024", "nov 27, 2024", "27 de novembro de 2024"
_TEXT_DATE = re.compile(
    rf"(?:(\d{{1,2}})\.?\s*(?:de\s+)?({_MONTH_ALT})\.?(?:\s*(?:de\s+)?,?\s*(\d{{4}}))?"
    rf"|({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s*(\d{{4}}))?)(?!\w)",
    re.I,
)
_NUM_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
#: any date or clock time in a line of text (for dateline and byline lines)
DATE_MENTION = re.compile(
    rf"{_TEXT_DATE.pattern}|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    r"|\b\d{1,2}:\d{2}\b",
    re.I,
)

#: Lines that announce a modification date, in several languages.  Used on short
#: text lines only (see _boilerplate.py), never on paragraphs.
UPDATED_LINE = re.compile(
    r"^\s*(?:last\s+updated|updated(?:\s+on)?|last\s+modified|modified|mis\s+à\s+jour(?:\s+le)?"
    r"|derni[eè]re\s+mise\s+à\s+jour|mise\s+à\s+jour|zuletzt\s+aktualisiert|aktualisiert(?:\s+am)?"
    r"|[uú]ltima\s+actualizaci[oó]n|actualizado(?:\s+el)?|[uú]ltima\s+atualiza[cç][aã]o|atualizado(?:\s+em)?"
    r"|ultimo\s+aggiornamento|aggiornato(?:\s+il)?|laatst\s+bijgewerkt|обновлено|последнее\s+обновление"
    r"|更新日|最終更新)\s*[:：]?\s*(?P<rest>.{1,60})$",
    re.I,
)


#: characters that print nothing: soft hyphen, zero-width space, word joiner, BOM/ZWNBSP,
#: invisible operators.  ZWJ/ZWNJ (U+200C/D) stay: Persian, Indic scripts and emoji need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u2061\u2062\u2063\u2064\u180e"))
#: no-break and other fixed-width spaces become plain spaces
_INVISIBLE.update(dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2008\u2009\u200a"), " "))


def normalise_text(text: str) -> str:
    """Text without soft hyphens and zero-width characters, no-break spaces as spaces,
    in Unicode normal form C (a decomposed "u" + diaeresis becomes one "ü", so that
    searches and comparisons match however the page spelled it)."""
    if text.isascii():  # nothing to remove, map or compose
        return text
    text = text.translate(_INVISIBLE)
    return text if is_normalized("NFC", text) else normalize("NFC", text)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if v), None)
        if value is None:
            return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("url")
    text = " ".join(normalise_text(str(value)).split())
    return text or None


def normalise_date(value: Any) -> str | None:
    """ISO 8601 text for a date/time string (ISO-like or RFC 2822), or None."""
    text = _clean(value)
    if not text:
        return None
    match = _ISO_DATE.search(text)
    if match:
        year, month, day, hour, minute, second, tz = match.groups()
        try:
            if hour is None:
                return datetime(int(year), int(month), int(day)).date().isoformat()
            dt = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        except ValueError:
            return None
        if tz:
            tz = tz.upper()
            if tz in {"Z", "UTC", "GMT"}:
                dt = dt.replace(tzinfo=UTC)
            else:
                tz = tz.replace(":", "")
                with suppress(ValueError):
                    dt = datetime.strptime(
                        dt.strftime("%Y-%m-%dT%H:%M:%S") + tz, "%Y-%m-%dT%H:%M:%S%z"
                    )
        return dt.isoformat()
    match = _COMPACT_DATE.match(text)
    if match:
        try:
            year, month, day = (int(g) for g in match.groups()[:3])
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            return None
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return dt.isoformat() if dt else None


def parse_text_date(text: str, reference_year: int | None = None) -> str | None:
    """Date-only ISO text for a human date ("27 nov.", "Nov 27, 2024", "27.11.2024")."""
    match = _NUM_DATE.search(text)
    if match:
        day, month, year = map(int, match.groups())
        try:
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            return None
    match = _TEXT_DATE.search(text)
    if not match:
        iso = _ISO_DATE.search(text)
        return normalise_date(iso.group(0)) if iso else None
    d1, m1, y1, m2, d2, y2 = match.groups()
    day_text, month_name, year_text = (d1, m1, y1) if d1 else (d2, m2, y2)
    month_num = _MONTHS.get(month_name.lower().rstrip("."))
    year_num = int(year_text) if year_text else reference_year
    if not month_num or not year_num:
        return None
    try:
        return datetime(year_num, month_num, int(day_text)).date().isoformat()
    except ValueError:
        return None


def _language_code(value: Any) -> str | None:
    text = _clean(value)
    if not text:
        return None
    code = re.split(r"[-_,;\s]", text.strip().lower(), maxsplit=1)[0]
    return code if len(code) == 2 and code.isalpha() else None


#: scripts that hold a front end's hydration state: ``<script id="__NEXT_DATA__">`` and
#: the like, or an assignment ``window.__INITIAL_STATE__ = {...}`` (``__NUXT__``,
#: ``__PRELOADED_STATE__``, ``__APOLLO_STATE__``...)
_STATE_IDS = frozenset(["__NEXT_DATA__", "__NUXT_DATA__", "__NUXT__", "__APOLLO_STATE__"])
_STATE_ASSIGN = re.compile(
    r"^\s*(?:(?:window|self|globalThis)\s*\.\s*|var\s+)?__[A-Z][A-Z_]*__\s*="
)


#: the script types trafilatura's JSON metadata reader reads, spelled exactly
_SCHEMA_TYPES = frozenset(["application/ld+json", "application/settings+json"])
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scripts(tree: etree._Element) -> tuple[list[str], list[str], list[str]]:
    """(JSON-LD texts, hydration state texts, texts for trafilatura's JSON metadata reader)
    of the page's scripts, in one pass."""
    ld: list[str] = []
    state: list[str] = []
    schema: list[str] = []
    for script in tree.iter("script"):  # filtered by tag in C
        raw = script.text
        if not raw:
            continue
        if script.get("type") in _SCHEMA_TYPES:
            schema.append(raw)
        kind = (script.get("type") or "").strip().lower()
        if kind == "application/ld+json":
            ld.append(raw)
        elif script.get("id") in _STATE_IDS or _STATE_ASSIGN.match(raw[:200]):
            state.append(raw)
    return ld, state, schema


def _trafilatura_json_meta(texts: list[str], tdoc: Any) -> Any:
    """trafilatura's JSON-LD metadata reading (``extract_meta_json``) on the script texts
    already collected: the same steps (minify, unescape, decode, strip tags, parse, read),
    but surrogates are dropped by one regex instead of a Python loop over every character
    of the script (a long ``articleBody`` made that the costliest part of the metadata)."""
    from html import unescape

    from trafilatura.json_metadata import (
        JSON_UNICODE_REPLACE,
        extract_json,
        extract_json_parse_error,
    )
    from trafilatura.metadata import JSON_MINIFY
    from trafilatura.utils import HTML_STRIP_TAGS, trim

    for raw in texts:
        text = JSON_MINIFY.sub(r"\1", raw)
        if "\\" in text:
            text = text.replace("\\n", "").replace("\\r", "").replace("\\t", "")
            text = JSON_UNICODE_REPLACE.sub(lambda match: chr(int(match[1], 16)), text)
            text = _SURROGATE.sub("", text)
            text = unescape(text)
        text = trim(HTML_STRIP_TAGS.sub("", text))
        try:
            tdoc = extract_json(json.loads(text, strict=False), tdoc)
        except json.JSONDecodeError:
            tdoc = extract_json_parse_error(text, tdoc)
    return tdoc


def _json_ld_objects(texts: list[str]) -> list[dict]:
    found: list[dict] = []
    for raw in texts:
        raw = raw.strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # common breakage: raw control characters inside strings
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except ValueError:
                continue
        stack = [data]
        while stack and len(found) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@type" in item:
                    found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))
                main = item.get("mainEntity")
                if isinstance(main, (dict, list)):
                    stack.append(main)
    return found


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _names(value: Any) -> list[str]:
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and _types(item) & {"organization", "newsmediaorganization"}:
            continue  # a publisher listed as author
        name = item.get("name") if isinstance(item, dict) else item
        name = _clean(name)
        if name and not name.startswith(("http://", "https://")) and len(name) < 100:
            out.append(name)
    return out


def _meta_map(tree: etree._Element) -> dict[str, str]:
    """First content of every <meta name|property|itemprop|http-equiv> (lower-cased keys)."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                metas.setdefault(key.strip().lower(), content.strip())
    return metas


def _split_tags(values: list[Any]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                item = _clean(item) or ""
            for part in re.split(r"[,;|]", item):
                part = " ".join(part.split())
                if part and len(part) < 80 and part.lower() not in seen:
                    seen.add(part.lower())
                    tags.append(part)
    return tags[:50]


def _absolute(base: str | None, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not base:
        return value
    try:
        return urljoin(base, value)
    except ValueError:
        return value


DeclaredType = Literal["article", "listing", "website"]


@dataclass(slots=True)
class PageMetadata:
    """What a page declares about itself (no body text involved); see :func:`collect`."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    modified: str | None = None
    sitename: str | None = None
    description: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    #: the page type it declares (schema.org type or og:type), if any
    declared_type: DeclaredType | None = None
    #: raw signals for the listing classifier: every schema.org type declared on the
    #: page (lower-cased) and og:type, which alone is weak (many CMSs print one type
    #: on every page)
    ld_types: set[str] = field(default_factory=set)
    og_type: str | None = None
    #: the article's text as its JSON-LD ``articleBody`` gives it (raw: may hold
    #: markup or entities), the longest of the page's article objects; None if none
    article_body: str | None = None
    #: raw texts of the scripts holding a front end's hydration state (see
    #: :mod:`archiver.extract.structured`), read only when the HTML body comes out short
    state_scripts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Sources:
    """The page's metadata sources, read once and shared by the field readers."""

    tree: etree._Element
    url: str | None
    headers_lang: str | None
    last_modified: str | None
    tdoc: Any  # trafilatura's metadata Document
    metas: dict[str, str]
    article: dict | None
    page_obj: dict | None
    types: set[str]
    article_body: str | None
    state_scripts: list[str]
    #: elements naming an author or a date in their attributes, read on first use
    marked: list | None = None


def _marked(src: _Sources) -> list:
    """Elements with ``itemprop`` author/datePublished/dateModified or ``rel="author"``,
    in document order: one pass over the page for both the author and the date readers
    (an attribute test over every element costs about as much as a walk of the tree)."""
    if src.marked is None:
        src.marked = _MARKED_XPATH(src.tree)
    return src.marked


def _sources(
    tree: etree._Element, url: str | None, headers_lang: str | None, last_modified: str | None
) -> _Sources:
    from trafilatura.metadata import Document as TDocument
    from trafilatura.metadata import examine_meta

    ld_texts, state_scripts, schema_texts = _scripts(tree)
    try:
        tdoc = examine_meta(tree)
        try:
            tdoc = _trafilatura_json_meta(schema_texts, tdoc)
        except Exception:
            logger.debug("trafilatura JSON-LD reader failed", exc_info=True)
    except Exception:
        logger.debug("trafilatura meta reader failed", exc_info=True)
        tdoc = TDocument()
    objects = _json_ld_objects(ld_texts)
    article = next((o for o in objects if _types(o) & ARTICLE_TYPES), None)
    page_obj = article or next(
        (o for o in objects if _types(o) & (_LISTING_TYPES | {"webpage"})), None
    )
    types: set[str] = set()
    for obj in objects:
        types |= _types(obj)
    return _Sources(
        tree,
        url,
        headers_lang,
        last_modified,
        tdoc,
        _meta_map(tree),
        article,
        page_obj,
        types,
        _article_body(objects),
        state_scripts,
    )


def _article_body(objects: list[dict]) -> str | None:
    """The longest ``articleBody`` of the page's article objects (a list of strings is
    one body in parts)."""
    best: str | None = None
    for obj in objects:
        body = obj.get("articleBody")
        if not body or not _types(obj) & ARTICLE_TYPES:
            continue
        if isinstance(body, list):
            body = "\n".join(b for b in body if isinstance(b, str))
        if isinstance(body, str) and len(body) > len(best or ""):
            best = body
    return best


def _title(src: _Sources) -> str | None:
    from trafilatura.metadata import extract_title

    title = _clean(src.tdoc.title) or (src.article and _clean(src.article.get("headline")))
    if not title:
        try:
            title = extract_title(src.tree)
        except Exception:
            title = None
    return _clean(title)


#: compiled once per process (``tree.xpath(text)`` compiles on every call)
_MARKED_XPATH = etree.XPath(
    '/descendant::*[@itemprop="author" or @rel="author"'
    ' or @itemprop="datePublished" or @itemprop="dateModified"]'
)
_HAS_AUTHOR_XPATH = etree.XPath('boolean(descendant::*[@itemprop="author"])')
_DATE_PROPS = frozenset(["datePublished", "dateModified"])


def _author_elements(src: _Sources) -> list:
    """The first five elements that name an author and hold no other author element."""
    found = []
    for el in _marked(src):
        if (el.get("rel") == "author" or el.get("itemprop") == "author") and not (
            _HAS_AUTHOR_XPATH(el)
        ):
            found.append(el)
            if len(found) == 5:
                break
    return found


def _author(src: _Sources) -> str | None:
    authors = _names(src.article.get("author")) if src.article else []
    if not authors and src.tdoc.author:
        authors = [
            a.strip() for a in re.split(r";|\band\b|,(?=\s*[A-Z])", src.tdoc.author) if a.strip()
        ]
    if not authors:
        authors = [" ".join(el.text_content().split()) for el in _author_elements(src)]
    kept: list[str] = []
    for name in authors:
        if name and len(name) < 80 and name.lower() not in {k.lower() for k in kept}:
            kept.append(name)
    return "; ".join(kept) or None


_PUBLISHED_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)
_MODIFIED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
)


def _first_date(metas: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        found = normalise_date(metas.get(key))
        if found:
            return found
    return None


def _dates(src: _Sources) -> tuple[str | None, str | None]:
    """(published, modified): JSON-LD, then meta tags, then microdata, ``<time>``,
    trafilatura's guess; ``Last-Modified`` only beside a known publication date."""
    article = src.article
    published = (article and normalise_date(article.get("datePublished"))) or None
    published = published or _first_date(src.metas, _PUBLISHED_KEYS)
    modified = (article and normalise_date(article.get("dateModified"))) or None
    modified = modified or _first_date(src.metas, _MODIFIED_KEYS)
    if not published or not modified:
        dated = [n for n in _marked(src) if n.get("itemprop") in _DATE_PROPS and n.tag != "meta"]
        for node in dated[:6]:
            value = normalise_date(
                node.get("content")
                or node.get("datetime")
                or node.get("title")
                or node.text_content()
            )
            if node.get("itemprop") == "datePublished":
                published = published or value
            else:
                modified = modified or value
    if not published:
        for node in islice(src.tree.iter("time"), 20):
            published = normalise_date(node.get("datetime"))
            if published:
                break
    if not published and src.tdoc.date:
        published = normalise_date(src.tdoc.date)
    if not modified and src.last_modified and published:
        modified = normalise_date(src.last_modified)
    return published, modified


def _sitename(src: _Sources) -> str | None:
    from trafilatura.metadata import extract_sitename

    sitename = _clean(src.tdoc.sitename)
    if not sitename and src.article and isinstance(src.article.get("publisher"), dict):
        sitename = _clean(src.article["publisher"].get("name"))
    if not sitename:
        try:
            sitename = extract_sitename(src.tree)
        except Exception:
            sitename = None
    return sitename


def _description(src: _Sources) -> str | None:
    return (
        _clean(src.tdoc.description)
        or (src.article and _clean(src.article.get("description")))
        or None
    )


def _language(src: _Sources) -> str | None:
    tree, metas = src.tree, src.metas
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    return (
        _language_code(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
        or _language_code(metas.get("og:locale"))
        or _language_code(metas.get("content-language"))
        or _language_code(metas.get("language") or metas.get("dc.language"))
        or (src.page_obj and _language_code(src.page_obj.get("inLanguage")))
        or _language_code(src.headers_lang)
    )


def _canonical(src: _Sources) -> str | None:
    canonical = None
    for link in src.tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = link.get("href")
            break
    canonical = (
        canonical or src.metas.get("og:url") or (src.tdoc.url if src.tdoc.url != src.url else None)
    )
    return _absolute(src.url, canonical)


def _image(src: _Sources) -> str | None:
    image = src.tdoc.image or src.metas.get("og:image") or src.metas.get("twitter:image")
    if not image and src.article:
        img = src.article.get("image")
        img = img[0] if isinstance(img, list) and img else img
        image = img.get("url") if isinstance(img, dict) else img if isinstance(img, str) else None
    return _absolute(src.url, image)


def _tags(src: _Sources) -> list[str]:
    sources: list[Any] = [src.tdoc.categories or [], src.tdoc.tags or []]
    if src.article:
        sources += [src.article.get("articleSection") or [], src.article.get("keywords") or []]
    sources += [
        v for k, v in src.metas.items() if k in {"article:section", "article:tag", "news_keywords"}
    ]
    return _split_tags(sources)


def _declared_type(src: _Sources, og_type: str) -> DeclaredType | None:
    if src.types & ARTICLE_TYPES or og_type == "article":
        return "article"
    if src.types & {"collectionpage", "itemlist", "searchresultspage"}:
        return "listing"
    return "website" if og_type == "website" else None


def collect(
    tree: etree._Element, url: str | None, headers_lang: str | None, last_modified: str | None
) -> PageMetadata:
    """Read every metadata field the page declares (no body text involved): one
    reader per field, over sources read once."""
    src = _sources(tree, url, headers_lang, last_modified)
    published, modified = _dates(src)
    og_type = (src.metas.get("og:type") or "").lower()
    return PageMetadata(
        title=_title(src),
        author=_author(src),
        published=published,
        modified=modified,
        sitename=_sitename(src),
        description=_description(src),
        language=_language(src),
        canonical_url=_canonical(src),
        image=_image(src),
        tags=_tags(src),
        declared_type=_declared_type(src, og_type),
        ld_types=src.types,
        og_type=og_type or None,
        article_body=src.article_body,
        state_scripts=src.state_scripts,
    )
