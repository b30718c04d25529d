"""Scrapy spiders of the archiver (``scrapy crawl news``)."""
