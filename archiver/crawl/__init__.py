"""The crawl: request -> response -> WARC record -> rows.

Scrapy settings (``settings``), the crawl's scope (``scope``), discovery of article
URLs in sitemaps, feeds and robots.txt (``discovery``), the connection tap and WARC
capture middleware (``capture``), content decoding and redirect scope
(``middlewares``), the per-crawl recorder that owns the writers (``recorder``), the
extraction pipeline (``pipelines``, ``items``), failure causes (``failures``), the
runner that starts Scrapy (``runner``) and the live progress display (``progress``).
The spider itself, what to fetch, is ``spiders/news.py``.
"""
