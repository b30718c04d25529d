"""Guards on the Scrapy internals the capture tap depends on.

``archiver/crawl/capture.py`` reproduces Scrapy 2.19.0's
``HTTP11DownloadHandler.download_request`` (to use an agent that records each
exchange's raw bytes) and subclasses private classes of Scrapy's HTTP/1.1 handler.
When an upgrade of Scrapy changes any of them, these tests fail and name what to
re-read: compare the new upstream source with capture.py, port the change, then put
the new hash here (``python -m tests.crawl.test_upstream`` prints the current ones).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

import pytest

#: "module:qualified name" -> sha256 (first 16 hex digits) of the source it had when
#: capture.py was last checked against it (Scrapy 2.19.0)
_HTTP11 = "scrapy.core.downloader.handlers.http11"
CHECKED = {
    f"{_HTTP11}:HTTP11DownloadHandler.download_request": "ad8db3068e7983cf",
    f"{_HTTP11}:_ScrapyAgent.__init__": "e8f2388d02ba991a",
    f"{_HTTP11}:_ScrapyAgent._cb_bodyready": "3b4c90f33215a794",
    f"{_HTTP11}:_LenientHTTP11ClientProtocol.request": "2d630892ec993fec",
    f"{_HTTP11}:_LenientHTTP11ClientFactory.buildProtocol": "a3571f01c579aa19",
}
#: private names capture.py imports: they must still exist
IMPORTED = [
    "scrapy.core.downloader.handlers.http11:_LenientHTTP11ClientFactory",
    "scrapy.core.downloader.handlers.http11:_LenientHTTP11ClientProtocol",
    "scrapy.core.downloader.handlers.http11:_ScrapyAgent",
    "scrapy.utils._download_handlers:get_dataloss_msg",
    "scrapy.utils._download_handlers:wrap_twisted_exceptions",
    # archiver.crawl.middlewares.CookiesMiddleware replaces this module-level splitter
    "scrapy.downloadermiddlewares.cookies:_split_domain",
]


def resolve(ref: str) -> object:
    module, _, name = ref.partition(":")
    obj: object = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def source_hash(ref: str) -> str:
    return hashlib.sha256(inspect.getsource(resolve(ref)).encode()).hexdigest()[:16]  # type: ignore[arg-type]


@pytest.mark.parametrize("ref", IMPORTED)
def test_private_names_still_exist(ref: str) -> None:
    try:
        resolve(ref)
    except (ImportError, AttributeError):
        pytest.fail(f"Scrapy no longer has {ref}: archiver/crawl/capture.py needs porting")


@pytest.mark.parametrize("ref", sorted(CHECKED))
def test_copied_or_subclassed_code_unchanged(ref: str) -> None:
    import scrapy

    assert source_hash(ref) == CHECKED[ref], (
        f"Scrapy {scrapy.__version__} changed {ref}: re-read it beside "
        "archiver/crawl/capture.py, port the change, then update CHECKED in this file"
    )


if __name__ == "__main__":
    for ref in sorted(CHECKED):
        print(f"{ref}: {source_hash(ref)}")
