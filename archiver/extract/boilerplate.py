"""Boilerplate removal for the extraction layer, before and after trafilatura.

``preclean`` walks the parsed lxml tree once and deletes regions whose *markup*
says they are not article text: hidden and screen-reader-only regions (``hidden``,
``aria-hidden``, ``display:none``, ``sr-only``/``visually-hidden`` classes, Wix's
``SCROLL_TO_TOP``/``SCROLL_TO_BOTTOM`` anchors), ARIA landmark roles that are never
the article (navigation, banner, contentinfo, complementary, search, dialog, menus,
toolbars), and containers whose class, id, ``data-hook``/``data-testid`` or
``aria-label`` words belong to the vocabularies that common CMSs (Wix, WordPress,
Ghost, Drupal, Substack, Blogger, Medium, Joomla, Squarespace, newsroom CMSs) use for
comments, share/like/view-count bars, related/recommended/recent-post blocks,
newsletter boxes, cookie banners, ads, breadcrumbs and post footers.  A guard keeps
any region that holds the article body (``itemprop=articleBody`` or a large share of
the page's text).  ``postclean`` works on the extracted blocks: it drops the headline
repeated in the body, "last updated" lines (their date becomes the ``modified``
field), and short labels or teaser lines that the phrase lists below recognise.
The phrase lists are multilingual (en, fr, de, es, pt, it, nl, ru, ja) and are only
applied to short blocks, never to running paragraphs.  ``looks_like_listing``
tells section fronts, tag pages and home pages (many short link-headed teasers,
no run of prose) from articles (trafilatura issue #811).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TypedDict

from lxml import etree

from archiver.extract import lead as _lead
from archiver.extract.metadata import ARTICLE_TYPES, DATE_MENTION, UPDATED_LINE, PageMetadata

logger = logging.getLogger(__name__)

RULES_VERSION = "2"

# --- markup vocabularies -------------------------------------------------------------

#: single words in class/id/data-hook/data-testid/aria-label values that mark boilerplate
_BOILER_WORDS = frozenset(
    [
        "comment",
        "comments",
        "commentlist",
        "disqus",
        "respond",
        "replies",
        "share",
        "shares",
        "sharing",
        "sharebar",
        "sharebuttons",
        "social",
        "socials",
        "addthis",
        "sharethis",
        "likes",
        "reactions",
        "claps",
        "viewcount",
        "viewcounter",
        "related",
        "relatedposts",
        "recommended",
        "recommendation",
        "recommendations",
        "recirc",
        "recirculation",
        "outbrain",
        "taboola",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscription",
        "subscriptions",
        "signup",
        "optin",
        "mailchimp",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "onetrust",
        "didomi",
        "cookiebot",
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adslot",
        "adunit",
        "dfp",
        "sponsor",
        "sponsored",
        "promo",
        "promoted",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
        "pager",
        "navbar",
        "nav",
        "navigation",
        "menu",
        "sidebar",
        "masthead",
        "topbar",
        "toolbar",
        "footer",
        "byline",
        "taglist",
        "tagcloud",
        "skiplink",
        "skiplinks",
        "partager",
        "commentaires",
        "kommentare",
        "teilen",
        "compartir",
        "comentarios",
        "comentários",
        "compartilhar",
        "commenti",
        "condividi",
        "комментарии",
        "поделиться",
        "コメント",
        "共有",
        "werbung",
        "publicité",
        "publicidad",
        "реклама",
    ]
)

#: multi-word names, matched on the dash-joined word sequence ("recent-posts")
_BOILER_PHRASES = re.compile(
    r"(?:^|-)(?:recent-posts?|popular-posts?|most-(?:read|popular|viewed)|read-(?:next|more|also)|"
    r"also-read|more-(?:on|from|stories|articles|news)|you-may-(?:like|also-like)|up-next|"
    r"post-(?:navigation|nav|footer|stats|tags|meta|share|actions|main-actions)|entry-(?:meta|footer|tags)|"
    r"article-(?:meta|footer|tags|share|tools)|next-post|prev(?:ious)?-post|author-(?:bio|box|info)|"
    r"about-(?:the-)?author|skip-(?:link|to|nav)|scroll-to-(?:top|bottom)|back-to-top|"
    r"top-of-page|bottom-of-page|sr-only|visually-hidden|screen-reader(?:-text|-only)?|"
    r"like-button|view-count|views-count|time-ago|tag-list|category-label|sign-up|"
    r"cookie-banner|related-(?:video|videos|content|stories|articles|links)|video-associee)(?:-|$)"
)

_DROP_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
        "tablist",
        "tab",
        "button",
    ]
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SKIP_TAGS = frozenset(["html", "body", "head", "title", "main", "h1"])
_HEADINGS = frozenset(["h2", "h3", "h4", "h5", "h6"])
#: headings that open a related-content or comments section (multilingual)
_SECTION_HEADING = re.compile(
    r"^(?:related(?: posts| articles| stories| content| links| videos?| coverage)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"more (?:from|on|in|stories|news|articles)\b.*|"
    r"more\b.{0,30}\b(?:stories|articles|news|posts|reads)|"
    r"top stories|read (?:more|next|also)|recent posts|latest posts|"
    r"popular(?: posts| now| stories)?|most (?:read|popular|viewed|shared)|trending(?: now)?|"
    r"don'?t miss|see also|also on \S+|"
    r"comments?|\d+ comments?|leave a (?:comment|reply)|join the (?:conversation|discussion)|"
    r"à lire aussi|lire aussi|vous aimerez aussi|articles? similaires|articles? récents|"
    r"sur le même sujet|les plus lus|voir aussi|commentaires?|"
    r"das könnte sie auch interessieren|mehr zum thema|ähnliche artikel|meistgelesen|"
    r"auch interessant|weitere artikel|neueste beiträge|kommentare?|"
    r"(?:también )?te puede interesar|art[ií]culos relacionados|lo más leído|más noticias|"
    r"publicaciones recientes|entradas recientes|comentarios?|"
    r"você (?:também )?pode gostar|posts? relacionados?|leia também|mais lidas|posts recentes|"
    r"veja também|comentários?|potrebbe interessarti|articoli correlati|leggi anche|"
    r"più letti|commenti|читайте также|похожие (?:статьи|новости|записи)|популярное|"
    r"другие новости|комментарии|関連記事|おすすめ記事|人気記事|コメント|"
    # more German, Spanish, Polish and French section openers
    r"(?:weitere|mehr) (?:themen|artikel|beiträge|news|nachrichten)"
    r"(?: (?:aus|zu|zum|zur|von|vom|der|des|im|in|bei)\b[^.!?]{0,40})?|"
    r"mehr zu(?:m thema)?|top[- ]themen(?: \S+){0,4}|empfohlene (?:beiträge|artikel)|"
    r"schon gelesen|lust auf mehr|"
    r"(?:das|dies(?:es)?)(?: thema)? (?:könnte|dürfte) (?:dich|sie|euch) auch interessieren|"
    r"notas relacionadas|noticias relacionadas|más (?:noticias|sobre(?: \S+){1,4})|"
    r"te recomendamos|czytaj (?:też|także|również|więcej)|zobacz (?:też|także|również)|"
    r"polecamy|najczęściej czytane|komentarze|à lire également|sur le même thème|"
    r"dans la même rubrique|nos derniers articles|"
    r"altri articoli|ti potrebbe(?:ro)? interessare|potrebbe(?:ro)? interessarti|"
    r"mais notícias|notícias relacionadas|lees ook|meer nieuws|gerelateerde artikelen|"
    r"ook interessant|meest gelezen)[\s:.!?…]*$",
    re.I,
)
_NAME_ATTRS = (
    "class",
    "id",
    "data-hook",
    "data-testid",
    "aria-label",
    "data-component",
    "data-module",
)
_NAME_SET = frozenset(_NAME_ATTRS)
#: whole class names that hide an element (Bootstrap's "hidden-xs" and Drupal's
#: "field--label-hidden" are deliberately absent: they hide it on some screens or hide a label)
_HIDDEN_NAMES = frozenset(
    [
        "hidden",
        "is-hidden",
        "visually-hidden",
        "visuallyhidden",
        "sr-only",
        "sr-only-focusable",
        "screen-reader-text",
        "screen-reader-only",
        "element-invisible",
        "u-visually-hidden",
        "a11y-hidden",
        "offscreen",
        "hide",
        "d-none",
    ]
)
#: words that mark boilerplate wherever they appear in a name
_STRONG_WORDS = frozenset(
    [
        "comments",
        "disqus",
        "newsletter",
        "newsletters",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "onetrust",
        "didomi",
        "cookiebot",
        "outbrain",
        "taboola",
        "sharing",
        "sharebar",
        "addthis",
        "sharethis",
        "breadcrumb",
        "breadcrumbs",
        "recirc",
        "recirculation",
        "advertisement",
        "advertising",
        "commentaires",
        "kommentare",
        "comentarios",
        "comentários",
        "commenti",
    ]
)

# --- phrase lists used on short extracted blocks ------------------------------------

#: whole-block labels: comment headers, share bars, counters, skip links, ad labels
_LABEL = re.compile(
    r"^(?:top of page|bottom of page|skip to (?:main )?content|back to top|"
    r"comments?|\d+\s+comments?|no comments|leave a (?:comment|reply)|post a comment|"
    r"commentaires?|\d+\s+commentaires?|kommentare?|\d+\s+kommentare?|comentarios?|"
    r"comentários?|\d+\s+comentários?|commenti|комментари[йи]|\d+\s+комментари\w*|コメント|"
    r"share(?: this(?: article| post| story)?)?|partager(?: cet article)?|teilen|compartir|"
    r"compartilhe?|compartilhar|condividi|поделиться|共有|"
    r"\d[\d.,\s]*(?:k\s*)?(?:views?|vues?|aufrufe|visualizaç(?:ão|ões)|visualizaciones|просмотр\w*|"
    r"likes?|j'aime|gefällt mir|curtidas?|me gusta)|"
    r"recent posts|related posts|related articles|related stories|more stories|"
    r"articles récents|articles similaires|ähnliche artikel|neueste beiträge|"
    r"posts recentes|artigos relacionados|publicaciones recientes|artículos relacionados|"
    r"похожие статьи|последние записи|関連記事|"
    r"advertisement|advertising|publicité|anzeige|werbung|publicidad|publicidade|реклама|広告|"
    r"see all|voir tout|alle anzeigen|ver todos?|ver tudo|tags?|étiquettes|schlagwörter|"
    r"subscribe|s'abonner|abonnieren|suscríbete|assine|подписаться|"
    r"view comments|kommentare insgesamt:?\s*\d*|zum newsletter anmelden|newsletter abonnieren|"
    r"table of contents|inhaltsverzeichnis|sommaire|spis treści|índice)[\s:.!]*$",
    re.I,
)
#: teaser lines: "Related: …", "Read more: …", "vidéo associée : …"
_TEASER = re.compile(
    r"^(?:related(?: video| article| story| coverage| content)?|read (?:more|also|next)|see also|"
    r"also read|more on (?:this|that)|more:|recommended|watch(?: more)?|"
    r"vidéo associée|vidéos associées|lire aussi|à lire aussi|a lire aussi|voir aussi|"
    r"lesen sie auch|mehr zum thema|auch interessant|passend zum thema|"
    r"lea también|leer más|ver también|vídeo relacionado|video relacionado|"
    r"leia também|leia mais|veja também|"
    r"leggi anche|guarda anche|"
    r"читайте также|смотрите также|похожее видео|"
    r"関連記事|あわせて読みたい)\s*[:：]",
    re.I,
)
#: closing calls to action (only on the last blocks of the body)
_CTA = re.compile(
    r"^(?:follow (?:us|me|him|her|them)\b|sign up\b|subscribe\b|get (?:the latest|our)\b|"
    r"click here\b|have a (?:news )?tip\b|email \w+(?: \w+)? at\b|"
    r"abonnez-vous\b|inscrivez-vous\b|suivez-nous\b|folgen sie uns\b|abonnieren sie\b|"
    r"síguenos\b|suscríbete\b|siga-nos\b|assine\b|inscreva-se\b|подписывайтесь\b)",
    re.I,
)

#: newsletter promotions: an invitation to subscribe next to what is subscribed to
#: (lower case, matched on lower-cased text: several times faster than re.I)
_PROMO = re.compile(
    r"(?:sign(?:ing)? up|subscribe|delivered (?:to|through) your (?:inbox|letterbox)|"
    r"abonnez-vous|inscrivez-vous|abonnieren|melden sie sich|suscr[ií]bete|assine|inscreva-se|"
    r"подпишитесь).{0,120}"
    r"(?:newsletter|inbox|posteingang|bulletin|lettre d'information|boletín|рассылк)|"
    r"(?:newsletter|inbox|lettre d'information|boletín|рассылк).{0,120}"
    r"(?:sign up|subscribe|abonnez-vous|inscrivez-vous|abonnieren|suscr[ií]bete|assine|"
    r"подпишитесь)|"
    # a magazine's subscription offer: "delivered through your letterbox every month",
    # "12 issues for £11.99"
    r"delivered (?:to|through) your (?:inbox|letterbox|door) (?:every|each) (?:day|week|month)|"
    r"\bin (?:deinen|ihren|euren) (?:posteingang|e-mail-postfach)\b|"
    r"\b\d+ issues for\b",
)
#: paywall and log-in prompts: "To view the full story, please subscribe", "Pour lire la suite"
#: (lower case, matched on lower-cased text: several times faster than re.I)
_PAYWALL = re.compile(
    r"(?:\bto (?:view|read|continue reading|access) (?:the |this )?(?:full|whole|entire|"
    r"rest of (?:the|this)) (?:story|article)|\balready an? (?:subscriber|member)\b|"
    r"\bsubscribe now\b|\bfor the full (?:story|article)\b|\byou must be logged in\b|"
    r"\blog ?in to (?:comment|reply|continue|read)|"
    r"\bpour (?:lire la suite|accéder en illimité|continuer à lire)|\bréservé aux abonnés|"
    r"\b(?:sie sind|du bist) (?:aktuell |derzeit |noch )?nicht (?:eingeloggt|angemeldet)|"
    r"\b(?:musst|müssen) (?:eingeloggt|angemeldet) sein|\bexklusiv für abonnenten|"
    r"\bjetzt weiterlesen\b|\bpara (?:seguir|continuar) leyendo|"
    r"\bexclusivo para suscriptores|\bten tekst przeczytasz|\bdostęp do (?:pełnej|całego)|"
    r"\bper continuare a leggere|\briservato agli abbonati|\bpara continuar lendo|"
    r"\bexclusivo para assinantes|\blees verder met|\balleen voor abonnees)",
)
#: closing promotions that are not newsletters: donations, apps, messenger channels, letters
#: (lower case, matched on lower-cased text: several times faster than re.I)
_TAIL_PROMO = re.compile(
    r"\b(?:unterstütze(?:n sie)? (?:uns|unsere)|helfen sie mit\b|"
    r"support (?:us|our work|our journalism)|"
    r"consider supporting|soutenez(?:-nous| notre)|apoya (?:nuestro|nuestra|a)\b|wesprzyj)|"
    r"\bdownload (?:the|our) .{0,40}\bapps?\b|\bapp (?:herunterladen|downloaden)\b|"
    r"\b(?:canal|channel|kanal|chaîne|kanał) (?:de |on |auf |na |sur )?"
    r"(?:youtube|telegram|whatsapp|instagram|tiktok)\b|"
    r"\b(?:youtube|telegram|whatsapp)[- ]?(?:kanal|channel|canal)\b|"
    r"\bwe want to hear (?:from you|what you think)|\bletter to the editor\b|"
    r"\bcheck out (?:our|the latest)\b|"
    r"^follow \S+(?: \S+)? on (?:instagram|facebook|twitter|x|youtube|tiktok|linkedin)\b",
)
_COPYRIGHT = re.compile(r"^(?:©|ⓒ|\(c\)|copyright\b|copyleft\b)", re.I)
#: picture credits and source lines: "Titelbild: …", "(Bild: …)", "Photo (cc): …"
_CREDIT = re.compile(
    r"^(?:[©ⓒ]\s*\D.{0,60}$|\(c\) \D.{0,60}$)|"  # "© Shutterstock", "(c) dpa"
    r"^\W{0,2}(?:titelbild|beitragsbild|headerbild|vorschaubild|bildquelle|bildnachweis|"
    r"bildrechte|fotos?|bild(?:er)?|photos?|photo credit|images?|credits?|crédits?(?: photo)?|"
    r"fotograf[ií]a|zdjęci[ea]|fot\.|quelle|source|fuente|fonte|imagem|beeld|"
    r"foto di)\s*(?:\([^)]*\))?\s*[:：]",
    re.I,
)
#: a caption that ends with its picture's credit
_CREDITED_CAPTION = re.compile(r"\s[©ⓒ]\s*[^.!?©ⓒ]{2,60}$")
#: a short label, then a colon or bar, then what it labels: "Czytaj też: <title>"
_LABELLED = re.compile(r"^\W{0,3}(?P<label>[^:|\n]{2,40}?)\s*:\s*(?P<rest>\S.*)$")


def _labelled_link(text: str, anchors: frozenset[str]) -> bool:
    """Is ``text`` a label followed by the text of a link ("See also: <a>Title</a>")?

    Inline "read also" lines in every language have this shape; a sentence that
    merely contains a link does not (the link must be all that follows the label).
    """
    if not anchors or len(text) >= 250 or "\n" in text or " | " in text:  # a table row
        return False
    match = _LABELLED.match(text)
    if match is None or len(match.group("label").split()) > 4:
        return False
    rest = _norm(match.group("rest"))
    if len(rest) < 3 or " " not in rest:  # one word: a shop or a name, not a headline
        return False
    if rest in anchors:
        return True
    # a link covering most of it ("See also: <a>Title</a> (video)"): the runs of whole words
    # that keep at least 80 % of it, looked up (a few set lookups, not a scan of the links)
    words = rest.split(" ")
    least = 0.8 * len(rest)
    start_chars = 0
    for i in range(len(words)):
        if len(rest) - start_chars < least:
            break
        end_chars = len(rest)
        for j in range(len(words), i, -1):
            if end_chars - start_chars < least:
                break
            if rest[start_chars:end_chars] in anchors:
                return True
            end_chars -= len(words[j - 1]) + 1
        start_chars += len(words[i]) + 1
    return False


def _link_only(text: str, anchors: frozenset[str]) -> bool:
    """Is the block nothing but the text of one link on the page (a teaser title)?"""
    return len(text) < 150 and "\n" not in text and _norm(text) in anchors


def _sentence_heading(text: str) -> bool:
    """A heading written as a sentence of the story ("He denies it. The profile backs
    him."), not a section label: kept even when nothing follows it."""
    return len(text) >= 40 and _SENTENCE_END.search(text) is not None


def _dateline(text: str) -> bool:
    """A short line of date, time and a few labels (no sentence), as above an article."""
    return (
        len(text) < 80
        and "\n" not in text
        and len(text.split()) <= 8
        and not _SENTENCE_END.search(text)
        and DATE_MENTION.search(text) is not None
    )


#: a CMS shortcode printed as text instead of rendered: "[button link=...]Send us ...[/button]"
_SHORTCODE = re.compile(r"^\[(\w+)\b[^\]]*\].*\[/\1\]$", re.S)
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_SENTENCE_END = re.compile(r"[.!。！]\s*$")
_NORM = re.compile(r"\W+")


def _signal(el: etree._Element, cache: dict) -> str | None:
    """Why this element is boilerplate by its markup alone, or None."""
    items = el.items()
    return _signal_of(dict(items), el, cache) if items else None


def _signal_of(attrs: dict[str, str], el: etree._Element, cache: dict) -> str | None:
    """``_signal`` on the element's attributes, read once by the caller (one pass over
    the few attributes an element has, not one lookup per attribute name we know)."""
    role_hit = False
    named = None
    for key, value in attrs.items():
        if key in _NAME_SET:
            if named is None and value:
                # the process-wide verdict first: most names were judged on earlier pages
                bad = _NAME_CACHE.get(value)
                if bad is None:
                    bad = _bad_names(value, cache)
                if bad and not (key == "id" and _slug_of_text(value, el)):
                    named = key
        elif key == "hidden":
            return "hidden"
        elif key == "style":
            if _HIDDEN_STYLE.search(value):
                return "hidden"
        elif key == "aria-hidden":
            if value == "true":
                return "hidden"
        elif key == "role" and value.strip().lower() in _DROP_ROLES:
            role_hit = True
    return "role" if role_hit else named


def _slug_of_text(value: str, el: etree._Element) -> bool:
    """Is the id ``value`` an anchor made from the element's own words ("nav_nur_die_folie_1"
    on a heading "Nur die Folie ...")?  Such ids name a place, not a kind of region."""
    parts = [p for p in _lead.NAME_SPLIT.split(value.lower()) if p and not p.isdigit()]
    if len(parts) < 3:
        return False
    words = set(_norm(el.text_content()[:300]).split())
    return sum(1 for p in parts if p in words) >= max(2, len(parts) - 1)


#: verdicts on attribute values and on single names, shared by the pages a process
#: extracts (CMS class names repeat from page to page); each cleared when full
_NAME_CACHE: dict[str, bool] = {}
_WORD_CACHE: dict[str, bool] = {}
_NAME_CACHE_SIZE = 50_000


def _bad_names(value: str, cache: dict[str, bool]) -> bool:
    """Does one of the space-separated names in ``value`` name a boilerplate region?

    Words of a name count at its start or its end ("share-bar", "post-comments", not
    "non-ad-column"); a few unambiguous words count anywhere; multi-word names are
    matched by ``_BOILER_PHRASES``; hidden-state classes only as whole names.
    """
    hit = _NAME_CACHE.get(value)
    if hit is None:
        hit = False
        for name in value.split():
            one = _WORD_CACHE.get(name)
            if one is None:
                if len(_WORD_CACHE) >= _NAME_CACHE_SIZE:
                    _WORD_CACHE.clear()
                one = _WORD_CACHE[name] = _bad_name(name)
            if one:
                hit = True
                break
        if len(_NAME_CACHE) >= _NAME_CACHE_SIZE:
            _NAME_CACHE.clear()
        _NAME_CACHE[value] = hit
    return hit


def _bad_name(name: str) -> bool:
    """``_bad_names`` for one name (no spaces)."""
    if not name.islower():
        name = _lead.CAMEL_CASE.sub(r"\1-\2", name).lower()
    parts = [p for p in _lead.NAME_SPLIT.split(name) if p]
    if not parts:
        return False
    if parts[0] in _BOILER_WORDS or parts[-1] in _BOILER_WORDS:
        return True
    if not _STRONG_WORDS.isdisjoint(parts):
        return True
    joined = "-".join(parts) if len(parts) > 1 else parts[0]
    if joined in _HIDDEN_NAMES:
        return True
    return len(parts) > 1 and _BOILER_PHRASES.search(joined) is not None


def _clusters(tree: etree._Element) -> dict[etree._Element, int]:
    """Characters of running prose per parent element (paragraphs and bare text)."""
    clusters: dict[etree._Element, int] = {}
    for p in tree.iter("p"):
        size = len(p.text_content().strip())
        if size < 40:
            continue
        links = sum(len(a.text_content()) for a in p.iter("a"))
        if links > 0.5 * size:
            continue
        parent = p.getparent()
        if parent is not None:
            clusters[parent] = clusters.get(parent, 0) + size
    for el in tree.iter("div", "td", "section", "article", "span", "font", "blockquote"):
        direct = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if direct > 40:
            clusters[el] = clusters.get(el, 0) + direct
    return clusters


#: share of all the page's prose that the joined chunks of a split body must hold
_MERGE_SHARE = 0.5


def _merge_split_body(clusters: dict[etree._Element, int], cache: dict) -> int:
    """Join an article body that the page splits into several same-class containers.

    Some layouts interleave the body with rails or ad columns, so the prose sits in
    sibling containers with identical tag and class; trafilatura would take only the
    first.  Later chunks (enough prose, same signature, no boilerplate names) are moved
    into the first one, in document order.  Returns the number of chunks moved.
    """
    if not clusters:
        return 0
    best = max(clusters, key=clusters.__getitem__)
    signature = best.get("class")
    if not signature or best.tag not in ("div", "section", "article") or len(best.findall("p")) < 2:
        return 0
    floor = max(150, 0.1 * clusters[best])
    chunks = [
        el
        for el, size in clusters.items()
        if el is not best
        and size >= floor
        and el.tag == best.tag
        and el.get("class") == signature
        and el.find("p") is not None
    ]
    if not chunks:
        return 0
    # a body split by rails holds most of the page's prose once joined; a page made of
    # many differently named text blocks does not, and joining two of them would only
    # narrow trafilatura's choice to those two
    if clusters[best] + sum(clusters[el] for el in chunks) < _MERGE_SHARE * sum(clusters.values()):
        return 0
    ancestors = set(best.iterancestors())
    moved = 0
    for chunk in chunks:
        if chunk in ancestors or any(a is best for a in chunk.iterancestors()):
            continue
        if _signal(chunk, cache) is not None:
            continue
        for child in list(chunk):
            best.append(child)
        chunk.getparent().remove(chunk)
        moved += 1
    return moved


_ARTICLE_BODY_XPATH = etree.XPath('//*[@itemprop="articleBody"]')


def _protected_set(
    tree: etree._Element, clusters: dict[etree._Element, int], bodies: list | None = None
) -> set:
    """Elements that contain article prose and must never be deleted wholesale.

    ``bodies``: the ``itemprop="articleBody"`` elements when the caller has them (found
    from the page otherwise)."""
    best = max(clusters.values(), default=0)
    floor = max(200, 0.6 * best)
    keep: set = set()
    seeds = [el for el, size in clusters.items() if size >= floor]
    seeds += _ARTICLE_BODY_XPATH(tree) if bodies is None else bodies
    for el in seeds:
        while el is not None and el not in keep:
            keep.add(el)
            el = el.getparent()
    return keep


def preclean(tree: etree._Element, url: str | None = None) -> PrecleanReport:
    """Delete boilerplate regions from ``tree`` in place; return a small report.

    The report also holds the page-type signals measured on the cleaned tree
    (``report["listing"]``, see :func:`listing_signals`); ``url`` tells links to
    other pages from links to this one.
    """
    body = tree.find(".//body") if tree.tag != "body" else tree
    if body is None:
        body = tree
    # code and style sheets are never text (trafilatura drops them too, but only after
    # copying the tree several times); their tails stay.  JSON-LD stays: trafilatura's
    # last resort reads an articleBody from it
    code = [
        el
        for el in body.iter("style", "script")  # filtered by tag in C: no proxy for the rest
        if el.tag == "style" or "ld+json" not in (el.get("type") or "")
    ]
    for el in code:
        _drop(el)
    report: PrecleanReport = {"removed": 0, "h1": [], "updated": None}
    # every element, held for the whole pre-clean: lxml then hands the passes below the
    # same Python objects instead of building (and class-looking-up) new ones each time
    elements = list(body.iter(etree.Element))
    for h1 in body.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text:
            report["h1"].append(text)
    clusters = _clusters(body)
    report["prose"] = max(clusters.values(), default=0)
    report["prose_total"] = sum(clusters.values())
    report["teasers"] = _count_teasers(body, elements)
    cache: dict = {}
    report["merged"] = _merge_split_body(clusters, cache)
    # the marked article bodies, read off the held elements (an attribute XPath over the
    # page costs several times more); the page again when a merge moved elements
    bodies = (
        None if report["merged"] else [el for el in elements if el.get("itemprop") == "articleBody"]
    )
    keep = _protected_set(body, clusters, bodies)
    best = max(clusters, key=clusters.__getitem__) if clusters else None
    keep_best = set(best.iterancestors()) | {best} if best is not None else set()
    doomed: list[etree._Element] = []
    doomed_set: set[etree._Element] = set()
    landmarks: list[etree._Element] = []
    marked: dict[str, bool] = {}
    lead_names: dict[str, bool] = {}
    leads: list[etree._Element] = []
    if report["merged"]:
        elements = list(body.iter(etree.Element))
    for el in elements:
        tag = el.tag
        items = el.items()  # the attributes, read once: most elements have none
        # landmarks for the page-type probe, gathered in the same pass
        if tag == "main":
            landmarks.append(el)
        if items:
            attrs = dict(items)
            if tag != "main":
                names = attrs.get("class")
                if names:
                    hit = marked.get(names)
                    if hit is None:
                        hit = marked[names] = not _ARCHIVE_NAMES.isdisjoint(names.lower().split())
                    if hit:
                        landmarks.append(el)
                if attrs.get("data-hook") or attrs.get("role") == "main" or attrs.get("itemprop"):
                    landmarks.append(el)
                # elements named like a standfirst, for the lead recovery after extraction
                lead = False
                if names:
                    known = lead_names.get(names)
                    if known is None:
                        known = lead_names[names] = _lead.names_a_lead(names)
                    lead = known
                if lead or attrs.get("itemprop") in _lead.LEAD_PROPS:
                    leads.append(el)
            if tag in _SKIP_TAGS:
                continue
            reason = _signal_of(attrs, el, cache)
        elif tag in _SKIP_TAGS:
            continue
        else:
            reason = None
        if reason is None and report["updated"] is None:
            own = el.text
            if own and 8 < len(own) < 90 and len(el) == 0:
                match = UPDATED_LINE.match(own.strip())
                if match:
                    report["updated"] = match.group("rest")
                    reason = "updated"
        if reason is None and tag in _HEADINGS:
            reason = _section_heading(el)
            if reason:
                doomed.extend(_heading_section(el, keep_best, doomed_set))
                continue
        if reason is None:
            continue
        if el in keep and not (reason == "hidden" and el.get("itemscope") is not None):
            continue
        parent = el.getparent()
        while parent is not None:  # already inside a doomed region
            if parent in doomed_set:
                break
            parent = parent.getparent()
        if parent is not None:
            continue
        if report["updated"] is None:
            text = " ".join(el.text_content().split())
            if len(text) < 90:
                match = UPDATED_LINE.match(text)
                if match:
                    report["updated"] = match.group("rest")
        doomed.append(el)
        doomed_set.add(el)
    for el in doomed:
        _drop(el)
    report["removed"] = len(doomed)
    report["anchors"] = _anchor_texts(body)
    report["leads"] = leads
    try:
        report["listing"] = listing_signals(tree, body, url, landmarks, clusters)
    except RecursionError:
        raise
    except Exception:  # pragma: no cover - never let a page-type probe break extraction
        logger.debug("listing probe failed", exc_info=True)
        report["listing"] = {}
    return report


def _anchor_texts(body: etree._Element) -> frozenset[str]:
    """Normalised texts of the links left on the page (what a teaser line points to)."""
    texts = set()
    for a in body.iter("a"):
        text = _norm(a.text_content())
        if 3 <= len(text) <= 250:
            texts.add(text)
    return frozenset(texts)


def _section_heading(el: etree._Element) -> str | None:
    """ "related"/"comments" for headings that open such a section, else None."""
    text = el.text_content()
    if len(text) > 80:
        return None
    text = " ".join(text.split())
    if _SECTION_HEADING.match(text):
        return "section"
    return None


def _heading_section(heading: etree._Element, keep: set, doomed_set: set) -> list[etree._Element]:
    """The region a "related"/"comments" heading opens: its parent when the heading
    leads it, else the heading and the teaser-like siblings that follow it."""
    target = heading
    while True:
        parent = target.getparent()
        if parent is None or parent in keep or parent.tag in _SKIP_TAGS:
            break
        if target.getprevious() is not None and any(
            (sib.text_content() or "").strip() for sib in target.itersiblings(preceding=True)
        ):
            break
        target = parent
    region = [target]
    if target is heading:
        for sib in heading.itersiblings():
            if sib in keep or not isinstance(sib.tag, str):
                break
            text = sib.text_content().strip()
            links = sum(len(a.text_content().strip()) for a in sib.iter("a"))
            if text and links < 0.5 * len(text) and not _OWN_TEASERS(sib):
                break
            region.append(sib)
    out = []
    for el in region:
        if el not in doomed_set:
            doomed_set.add(el)
            out.append(el)
    return out


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --- page type -----------------------------------------------------------------------

#: headings holding a link and links holding a heading; steps by tag name (libxml2 tests a
#: name faster than it evaluates a ``self::`` predicate on every element)
_TEASER_XPATH = etree.XPath("//h2[.//a] | //h3[.//a] | //h4[.//a] | //a[.//h2 or .//h3 or .//h4]")
#: the same, within one element only (an XPath starting with "//" searches the whole document)
_OWN_TEASERS = etree.XPath(
    "descendant-or-self::h2[.//a] | descendant-or-self::h3[.//a]"
    " | descendant-or-self::h4[.//a] | descendant-or-self::a[.//h2 or .//h3 or .//h4]"
)


_TEASER_HEADS = frozenset(["h2", "h3", "h4"])


def _teaser_nodes(elements: list[etree._Element]) -> list[etree._Element]:
    """``_TEASER_XPATH`` over a page's elements already held (in document order)."""
    found = []
    for el in elements:
        tag = el.tag
        if tag in _TEASER_HEADS:
            if next(el.iter("a"), None) is not None:
                found.append(el)
        elif tag == "a" and next(el.iter("h2", "h3", "h4"), None) is not None:
            found.append(el)
    return found


def _count_teasers(tree: etree._Element, elements: list[etree._Element] | None = None) -> int:
    """Short linked headlines on the page; ``elements``: all of them, when held."""
    teasers = 0
    for node in _TEASER_XPATH(tree) if elements is None else _teaser_nodes(elements):
        text = " ".join(node.text_content().split())
        if not text or len(text) > 200:
            continue
        if node.tag == "a":
            teasers += 1
        else:
            link_text = sum(len(a.text_content().strip()) for a in node.iter("a"))
            if link_text >= 0.6 * len(text):
                teasers += 1
    return teasers


#: whole class names on <html>/<body> that CMS themes print on archive views (lists of
#: posts): WordPress (archive, category, tag, author, date, search, blog = posts page,
#: home = front page), Ghost (*-template), Drupal (path-/page-taxonomy, path-frontpage),
#: Blogger (feed/archive/label/search views), Joomla (view-category, view-featured)
_ARCHIVE_BODY = frozenset(
    [
        "archive",
        "category",
        "tag",
        "author",
        "date",
        "search",
        "search-results",
        "blog",
        "home",
        "paged",
        "home-template",
        "tag-template",
        "author-template",
        "paged-template",
        "path-taxonomy",
        "page-taxonomy",
        "page-taxonomy-term",
        "path-frontpage",
        "page-views",
        "front",
        "feed-view",
        "archive-view",
        "label-view",
        "search-view",
        "view-category",
        "view-featured",
        "view-tag",
        "layout-blog",
        "section-front",
        "archive-page",
        "category-page",
        "tag-page",
        "author-page",
        "listing-page",
        "term-page",
        "taxonomy-page",
    ]
)
#: whole class names on <html>/<body> of a single post or page view
_SINGLE_BODY = frozenset(
    [
        "single",
        "single-post",
        "singular",
        "post-template",
        "page-template",
        "path-node",
        "item-view",
        "view-article",
        "article-page",
        "single-article",
        "post-page",
        "attachment",
    ]
)
_SINGLE_PREFIX = ("postid-", "page-id-", "page-node-type-", "node-type-", "single-format-")
#: archive-view containers inside the page: WordPress/Genesis archive headers, Drupal
#: Views of taxonomy terms and front pages, Wix blog feeds and category headers
_ARCHIVE_NAMES = frozenset(
    [
        "archive-description",
        "archive-header",
        "archive-title",
        "taxonomy-description",
        "term-description",
        "view-taxonomy-term",
        "view-frontpage",
        "blog-feed",
        "post-list",
        "feed-page",
        "category-header",
        "hashtag-header",
    ]
)
_LAYOUT_TAGS = frozenset(["nav", "aside", "footer", "form"])
_ITEM_TAGS = frozenset(["article", "li"])
_PROSE_TAGS = ("div", "section", "article", "td", "blockquote", "span", "font", "li", "dd")
#: JSON-LD types of pages that list other pages
_LD_LISTING = frozenset(["collectionpage", "searchresultspage", "profilepage"])
#: JSON-LD types of single articles (shared with the metadata reader)
_LD_ARTICLE = frozenset(ARTICLE_TYPES | {"recipe"})
_LD_PAGES = frozenset(["webpage", "aboutpage", "contactpage", "faqpage", "itempage", "qapage"])


def _text_len(el: etree._Element, cache: dict) -> int:
    size = cache.get(el)
    if size is None:
        size = cache[el] = len(" ".join(el.text_content().split()))
    return size


def _path_of(href: str, base: str | None) -> str | None:
    """Path (no query, no fragment) of a link target; None for in-page/script links."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    from urllib.parse import urljoin, urlsplit

    try:
        parts = urlsplit(urljoin(base, href) if base else href)
    except ValueError:
        return None
    return parts.netloc.lower() + (parts.path.rstrip("/") or "/")


def _teaser_link(head: etree._Element, cache: dict) -> etree._Element | None:
    """The link that makes ``head`` a teaser headline, or None."""
    for anc in head.iterancestors():
        if anc.tag == "a":
            return anc if anc.get("href") else None
        if anc.tag in ("article", "li", "section", "main", "body"):
            break
    size = _text_len(head, cache)
    for a in head.iter("a"):
        if a.get("href") and len(" ".join(a.text_content().split())) >= 0.6 * size:
            return a
    # card layouts: an empty link laid over the whole card, next to the headline
    parent = head.getparent()
    for box in (parent, parent.getparent() if parent is not None else None):
        if box is None:
            break
        for a in box.iterchildren("a"):
            if a.get("href") and not a.text_content().strip():
                return a
    return None


def _repeated(el: etree._Element) -> bool:
    """Has ``el`` a sibling with the same tag and class (one of a run of items)?"""
    cls = el.get("class")
    if not cls:
        return False
    for sib in el.itersiblings():
        if sib.tag == el.tag and sib.get("class") == cls:
            return True
    for sib in el.itersiblings(preceding=True):
        if sib.tag == el.tag and sib.get("class") == cls:
            return True
    return False


def listing_signals(
    tree: etree._Element,
    body: etree._Element,
    url: str | None,
    landmarks: list[etree._Element] | None = None,
    clusters: dict[etree._Element, int] | None = None,
) -> ListingSignals:
    """Page-type signals of the cleaned tree: CMS view markers and teaser structure.

    A teaser is a short headline (h2-h5) whose link leads to another page, with what
    belongs to it only (summary, date, "read more") up to the nearest container shared
    with another teaser.  ``share`` is the part of the main content's text inside
    teasers; ``prose`` counts the running text outside them.  ``landmarks`` (``<main>``,
    ``itemprop``/``data-hook`` holders, archive-view containers) and ``clusters``
    (prose per container, see ``_clusters``) come from ``preclean``'s passes over the
    raw tree; they are recomputed when missing.
    """
    out: ListingSignals = {}
    classes: set[str] = set()
    for el in (tree, body):
        classes.update((el.get("class") or "").lower().split())
    out["archive_class"] = bool(classes & _ARCHIVE_BODY)
    out["single_class"] = bool(classes & _SINGLE_BODY) or any(
        c.startswith(_SINGLE_PREFIX) for c in classes
    )
    if landmarks is None:
        landmarks = [
            el
            for el in body.iter()
            if isinstance(el.tag, str)
            and (
                el.tag == "main"
                or el.get("role") == "main"
                or el.get("itemprop")
                or el.get("data-hook")
                or not _ARCHIVE_NAMES.isdisjoint((el.get("class") or "").lower().split())
            )
        ]
    if clusters is None:
        clusters = _clusters(body)
    cache: dict = {}
    root = next(
        (
            el
            for el in landmarks
            if (el.tag == "main" or el.get("role") == "main") and _attached(el, body)
        ),
        None,
    )
    if root is None or _text_len(root, cache) < 20:  # no <main>, or an empty shell
        root = body
    main_len = _text_len(root, cache)
    own_path = _path_of(url, None) if url else None
    heads: list[etree._Element] = []
    for head in root.iter("h2", "h3", "h4", "h5"):
        size = _text_len(head, cache)
        if not 8 <= size <= 200:
            continue
        if any(a.tag in _LAYOUT_TAGS for a in head.iterancestors()):
            continue
        link = _teaser_link(head, cache)
        if link is None:
            continue
        target = _path_of(link.get("href", ""), url)
        if target is None or target == own_path:
            continue
        heads.append(head)
    counts: dict[etree._Element, int] = {}
    for head in heads:
        for anc in head.iterancestors():
            counts[anc] = counts.get(anc, 0) + 1
            if anc is root:
                break
    items: set[etree._Element] = set()
    for head in heads:
        item, size = head, _text_len(head, cache)
        for anc in head.iterancestors():
            if (
                anc is root
                or counts.get(anc, 0) > 1
                or _text_len(anc, cache) - size > 450
                or anc.find(".//h1") is not None
            ):
                break
            item = anc
            if anc.tag in _ITEM_TAGS or _repeated(anc):
                break  # the natural teaser wrapper: a list item, an <article>, a card
        items.add(item)

    def place(el: etree._Element) -> str:
        """ "item" (inside a teaser), "main" (elsewhere in the main content) or "out"."""
        while el is not None:
            if el in items:
                return "item"
            if el is root:
                return "main"
            el = el.getparent()
        return "out"

    archive = article_body = False
    for el in landmarks:
        if not archive and el.tag != "main":
            names = (el.get("class") or "").lower().split()
            hook = el.get("data-hook")
            if hook:
                names.append(hook.lower())
            archive = not _ARCHIVE_NAMES.isdisjoint(names) and place(el) != "out"
        if not article_body and el.get("itemprop") == "articleBody":
            article_body = place(el) == "main"
    out["archive_markup"] = archive
    out["article_body"] = article_body
    out["teasers"] = len(items)
    out["teaser_chars"] = teaser_len = sum(_text_len(el, cache) for el in items)
    out["share"] = round(teaser_len / main_len, 3) if main_len else 0.0
    out["prose"] = sum(size for el, size in clusters.items() if place(el) == "main")
    out["headlines"] = [" ".join(h.text_content().split()) for h in heads]
    out["teaser_texts"] = [_norm(" ".join(el.itertext())) for el in items]
    return out


def _attached(el: etree._Element, root: etree._Element) -> bool:
    """Is ``el`` still inside ``root`` (not in a region ``preclean`` deleted)?"""
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


class ListingSignals(TypedDict, total=False):
    """Page-type signals measured on the cleaned tree (:func:`listing_signals`)."""

    archive_class: bool  # the body's classes name an archive view (tag, category, author)
    single_class: bool  # ... or a single post
    archive_markup: bool  # an archive header or a CMS feed of posts
    article_body: bool  # an articleBody/entry-content container holds prose
    teasers: int  # teaser items (link-headed, short summary) in the main content
    teaser_chars: int  # their text
    share: float  # teaser text / main content text
    prose: int  # characters of prose in the main content outside teasers
    headlines: list[str]  # the teasers' headlines, normalised
    teaser_texts: list[str]  # the teasers' texts, normalised


class PrecleanReport(TypedDict, total=False):
    """What :func:`preclean` did and measured."""

    removed: int  # boilerplate regions deleted
    h1: list[str]  # texts of the page's h1 headings
    updated: str | None  # the text of an "Updated ..." line, removed from the body
    prose: int  # characters of the largest prose cluster
    prose_total: int  # characters of all prose clusters
    teasers: int  # teaser items on the page
    merged: int  # split article bodies merged back together
    leads: list  # elements named like a standfirst (lead, teaser, intro...), some deleted since
    listing: ListingSignals
    anchors: frozenset[str]  # normalised texts of the links left after the pre-clean


@dataclass(frozen=True)
class ListingRule:
    """When a page of teasers counts as a listing, for one strength of evidence."""

    min_items: int  # teaser items at least
    max_prose: int  # characters of prose outside the teasers, below
    min_share: float  # share of the main content's text that is teaser text, at least
    teaser_to_prose: float  # teaser text at least this many times the outside prose
    strict: bool = False  # ... and strictly more than that


@dataclass(frozen=True)
class ListingThresholds:
    """Every threshold of listing detection, in one place (characters and counts).

    Tuned on the development pages and checked on held-out folds grouped by site
    (``benchmarks/extract_folds.py``); change them there, never for one page.
    """

    #: a page declaring itself an article is a listing only with this many teasers
    #: and less prose than this in its best block
    article_teasers: int = 10
    article_prose: int = 300
    #: any other page: this many teasers and less prose than this
    page_teasers: int = 6
    page_prose: int = 700
    #: an empty archive view ("no posts found"): net evidence and prose below
    empty_net: int = 3
    empty_prose: int = 200
    #: the rule for each net evidence (listing minus article points), strongest first
    by_evidence: tuple[tuple[int, ListingRule], ...] = (
        (3, ListingRule(1, 600, 0.3, 0.5)),
        (2, ListingRule(1, 500, 0.3, 1.0, strict=True)),
        (1, ListingRule(2, 400, 0.5, 2.0)),
        (0, ListingRule(3, 300, 0.7, 4.0)),
    )
    #: after extraction: this many teasers, extraction under this many characters,
    #: blocks under this average length and page prose under this: a listing
    after_teasers: int = 8
    after_total: int = 600
    after_block: int = 120
    after_prose: int = 400
    #: after extraction, headline hits: at least this many, the rest under this many
    #: characters, and the hits at least this share of the text
    after_hits: int = 2
    after_rest: int = 400
    after_hit_share: float = 0.5


LISTING = ListingThresholds()


def _evidence(signals: ListingSignals, meta: PageMetadata | None) -> tuple[int, int]:
    """(listing, article) evidence points from declared types and CMS markup."""
    types = set(meta.ld_types) if meta is not None else set()
    og_type = meta.og_type if meta is not None else None
    listing = article = 0
    ld_article = bool(types & _LD_ARTICLE)
    if types & _LD_LISTING or ("itemlist" in types and not ld_article):
        listing += 2
    elif "website" in types and not types & (_LD_PAGES | _LD_ARTICLE):
        listing += 1  # a site's front page declares only the WebSite
    if og_type in ("website", "profile") and not ld_article:
        listing += 1
    if signals.get("archive_class"):
        listing += 2
    if signals.get("archive_markup"):
        listing += 2
    if ld_article:
        article += 2
    if og_type == "article":
        article += 1
    if signals.get("single_class"):
        article += 2
    if signals.get("article_body"):
        article += 2
    return listing, article


def looks_like_listing(
    report: PrecleanReport, declared_type: str | None, meta: PageMetadata | None = None
) -> bool:
    """True for section fronts, tag, author and category pages and home pages.

    Combines what the page declares (JSON-LD type, ``og:type``), the CMS view it
    comes from (body classes, archive headers, Wix blog feeds) and its structure: the
    main content is made of teasers (link-headed items with a short summary) with no
    run of prose outside them.  The more the markup says "archive view", the fewer
    teasers it takes; a page that declares itself an article needs many.
    """
    t = LISTING
    teasers, best = report.get("teasers", 0), report.get("prose", 0)
    if declared_type == "article":
        if teasers >= t.article_teasers and best < t.article_prose:
            return True
    elif teasers >= t.page_teasers and best < t.page_prose:
        return True
    signals = report.get("listing") or {}
    items = signals.get("teasers", 0)
    share, prose = signals.get("share", 0.0), signals.get("prose", 0)
    listing, article = _evidence(signals, meta)
    net = listing - article
    if not items:
        # an archive view with nothing in it yet ("no posts found")
        return net >= t.empty_net and signals.get("archive_markup", False) and prose < t.empty_prose
    # teaser text must outweigh the prose outside teasers (an author bio, a term
    # description) by a margin that grows as the markup's claim weakens
    teaser_chars = signals.get("teaser_chars", 0)
    for least, rule in t.by_evidence:
        if net >= least:
            bound = rule.teaser_to_prose * prose
            enough = teaser_chars > bound if rule.strict else teaser_chars >= bound
            return (
                items >= rule.min_items
                and prose < rule.max_prose
                and share >= rule.min_share
                and enough
            )
    return False


def listing_after_extraction(
    blocks: list[tuple[str, str]], report: PrecleanReport, meta: PageMetadata | None = None
) -> bool:
    """A short, choppy extraction on a teaser-heavy page is a listing, not a short article.

    Catches section fronts that declare themselves articles (many CMSs print
    ``og:type=article`` everywhere): what trafilatura salvages from them is a handful
    of teaser headlines and summaries.  Also: an extraction made mostly of the
    headlines of links to other pages, on a page whose markup does not say "article".
    """
    if not blocks:
        return False
    t = LISTING
    total = sum(len(text) for _kind, text in blocks)
    if (
        report.get("teasers", 0) >= t.after_teasers
        and total < t.after_total
        and total / len(blocks) < t.after_block
        and report.get("prose", 0) < t.after_prose
    ):
        return True
    signals = report.get("listing") or {}
    headlines = {_norm(h) for h in signals.get("headlines", ())}
    if not headlines:
        return False
    listing, article = _evidence(signals, meta)
    if article > listing:
        return False
    hits = [text for _kind, text in blocks if _norm(text) in headlines]
    rest = total - sum(len(t) for t in hits)
    return (
        len(hits) >= t.after_hits
        and rest < t.after_rest
        and sum(len(h) for h in hits) >= t.after_hit_share * total
    )


#: a run of prose that no listing prints: one block of at least this many characters
#: outside every teaser, and this many in all
_OWN_BLOCK = 150
_OWN_TOTAL = 250


def own_prose(blocks: list[tuple[str, str]], report: PrecleanReport) -> int:
    """Characters of extracted text that belong to the page itself, not to its teasers.

    Blocks that repeat a teaser headline or lie inside a teaser (headline, summary,
    date) are not counted, nor short ones; 0 unless one block is a real paragraph.
    Used to overrule a "listing" verdict: a page with its own main text is extracted
    whatever its page type (recipes, slideshows, court reports and statistics pages
    carry teaser rails that look like a section front).
    """
    signals = report.get("listing") or {}
    headlines = {_norm(h) for h in signals.get("headlines", ())}
    teasers = signals.get("teaser_texts") or ()
    total = longest = 0
    for _kind, text in blocks:
        own = 0
        for line in text.split("\n"):
            norm = _norm(line)
            if len(norm) < 40 or norm in headlines or any(norm in t for t in teasers):
                continue
            own += len(line)
        total += own
        longest = max(longest, own)
    return total if longest >= _OWN_BLOCK and total >= _OWN_TOTAL else 0


def listing_evidence(report: PrecleanReport, meta: PageMetadata | None) -> int:
    """Net markup evidence (listing minus article points) for the page-type record."""
    listing, article = _evidence(report.get("listing") or {}, meta)
    return listing - article


# --- block filters -------------------------------------------------------------------


def _norm(text: str | None) -> str:
    return _NORM.sub(" ", (text or "").casefold()).strip()


def _same_headline(text: str, titles: list[str]) -> bool:
    norm = _norm(text)
    if not norm:
        return False
    for title in titles:
        ref = _norm(title)
        if not ref:
            continue
        if norm == ref or (
            len(norm) > 15
            and (ref.startswith(norm) or (norm.startswith(ref) and len(norm) < len(ref) + 30))
        ):
            return True
    return False


def postclean(
    blocks: list[tuple[str, str]],
    title: str | None,
    h1s: list[str],
    description: str | None = None,
    anchors: frozenset[str] = frozenset(),
) -> tuple[list[tuple[str, str]], str | None]:
    """Filter extracted blocks; return (blocks, text of a "last updated" line or None)."""
    titles = [t for t in [title, *h1s] if t]
    updated: str | None = None
    out: list[tuple[str, str]] = []
    in_section = False
    for index, (kind, text) in enumerate(blocks):
        short = len(text) < 120
        if in_section:
            # teaser titles under a "related"/"you may also like" label
            if len(text) < 100 and not _SENTENCE_END.search(text):
                continue
            in_section = False
        if short and _SECTION_HEADING.match(text) and index > 0:
            in_section = True
            continue
        if (_BARE_URL.match(text) and not out) or _SHORTCODE.match(text):
            continue
        if index < 3 and not out and _same_headline(text, titles):
            continue
        if (
            index < 3
            and not out
            and kind == "h"
            and description
            and _norm(text) == _norm(description)
        ):
            continue  # the standfirst printed as a sub-heading: it is the description
        if short:
            match = UPDATED_LINE.match(text)
            if match:
                updated = updated or match.group("rest")
                continue
            if _LABEL.match(text):
                continue
        if len(text) < 300 and _TEASER.match(text):
            continue
        if kind == "p" and _labelled_link(text, anchors):
            continue
        if kind == "p" and index < 4 and _dateline(text) and all(len(t) < 100 for _k, t in out):
            continue  # "23.10.2018", "2021-10-16 | Botschaft" above the article
        if len(text) < 150 and "\n" not in text and _CREDIT.match(text):
            continue
        if (
            len(text) < 200
            and ("©" in text or "ⓒ" in text)
            and "\n" not in text
            and _CREDITED_CAPTION.search(text)
        ):
            continue  # "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO"
        low = text.lower() if len(text) < 300 else ""  # the phrase lists below are lower case
        if low and _PAYWALL.search(low):
            continue
        if len(text) < 200 and _PROMO.search(low):
            continue  # a newsletter box printed between paragraphs
        out.append((kind, text))
    # closing calls to action and sign-offs, newsletter promotions at either end
    # (a trailing heading with nothing under it goes too, and what it hid is looked at)
    # (and a run of two or more links to other pages, once their heading has gone)
    while out:
        last_kind, last = out[-1]
        if (last_kind == "h" and not _sentence_heading(last)) or (
            len(last) < 300
            and (
                _CTA.match(last)
                or _PROMO.search(last.lower())
                or _TAIL_PROMO.search(last.lower())
                or _COPYRIGHT.match(last)
            )
        ):
            out.pop()
            continue
        start = len(out)
        while start > 1 and out[start - 1][0] == "p" and _link_only(out[start - 1][1], anchors):
            start -= 1
        if len(out) - start < 2:
            break
        del out[start:]
    while len(out) > 1 and len(out[0][1]) < 300 and _PROMO.search(out[0][1].lower()):
        out.pop(0)
    return out, updated
