"""Capture: every HTTP exchange of a crawl goes into the WARC files as received.

Two Scrapy components work together:

- :class:`ArchivingDownloadHandler` (the ``http``/``https`` download handler) is
  Scrapy's HTTP/1.1 handler with a tap on each connection: it keeps the request
  exactly as it was sent and the response status line and headers exactly as they
  were received (original case, order and reason phrase).
- :class:`WarcCaptureMiddleware` (downloader middleware at priority 950) writes each
  response, of any status and content type, with its request to the WARC files.  At
  950 its ``process_response`` runs before ``HttpCompressionMiddleware`` (590) decodes
  the body, so a gzip-encoded response is stored gzip-encoded, and before
  ``RedirectMiddleware`` (600) and the retry logic, so 3xx and 5xx responses are kept
  too.  Twisted removes chunked transfer-coding while it reads; the stored body is
  the de-chunked entity body and a chunked response's ``Transfer-Encoding`` header
  line is renamed ``X-Archiver-Transfer-Encoding`` so that every reader decodes the
  record the same way and its payload digest is that of the entity body.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _ScrapyAgent,
)
from scrapy.exceptions import DownloadCancelledError, ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.python.failure import Failure

from archiver.crawl.failures import HEAD_TOO_LARGE
from archiver.crawl.protocol import robots_txt_captured
from archiver.crawl.recorder import Recorder

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.web._newclient import Request as TxRequest

logger = logging.getLogger(__name__)

RAW_META_KEY = "_archiver_raw"
#: A response head (status line and headers) larger than this is refused: the request
#: fails with the cause ``too-large`` instead of being stored with a head rebuilt from
#: what Scrapy parsed (the archive keeps heads as received, or not at all).
HEAD_LIMIT = 256 * 1024


class HeadTooLarge(Exception):
    """The response head went on beyond :data:`HEAD_LIMIT`."""

    def __init__(self) -> None:
        super().__init__(f"{HEAD_TOO_LARGE} {HEAD_LIMIT // 1024} KiB: refused")


class RawExchange:
    """Bytes of one exchange as they crossed the connection."""

    __slots__ = ("head_done", "overflow", "received", "sent")

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.received = bytearray()
        self.head_done = False
        self.overflow = False

    def feed(self, data: bytes) -> None:
        if self.head_done:
            return
        self.received += data
        if len(self.received) > HEAD_LIMIT:
            head = self.response_head
            if head is None or len(head) > HEAD_LIMIT:
                self.received.clear()
                self.head_done = True
                self.overflow = True
                return
        # done once a final (non-1xx) head is complete; interim 1xx heads may come first
        data_ = bytes(self.received)
        while True:
            end = _head_end(data_)
            if end < 0:
                return
            if _is_interim(data_[:end]):
                data_ = data_[end:]
                continue
            self.head_done = True
            return

    @property
    def request_bytes(self) -> bytes:
        return b"".join(self.sent)

    @property
    def response_head(self) -> bytes | None:
        """Status line and headers, up to and including the blank line."""
        data = bytes(self.received)
        # skip interim 1xx responses (100 Continue) that precede the real one
        while True:
            end = _head_end(data)
            if end < 0:
                return None
            head = data[:end]
            if _is_interim(head):
                data = data[end:]
                continue
            return head


def _is_interim(head: bytes) -> bool:
    """True for a 1xx informational response head (100 Continue, 103 Early Hints)."""
    return head.startswith(b"HTTP/") and head.split(b" ", 2)[1:2] in (
        [b"100"],
        [b"101"],
        [b"102"],
        [b"103"],
    )


def _head_end(data: bytes) -> int:
    crlf, lf = data.find(b"\r\n\r\n"), data.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf <= lf):
        return crlf + 4
    return lf + 2 if lf >= 0 else -1


class _TeeTransport:
    """Transport proxy that keeps a copy of what the protocol writes."""

    def __init__(self, transport: Any, sink: list[bytes]) -> None:
        self._transport = transport
        self._sink = sink

    def write(self, data: bytes) -> None:
        self._sink.append(bytes(data))
        self._transport.write(data)

    def writeSequence(self, seq: list[bytes]) -> None:  # Twisted names
        self._sink.extend(bytes(d) for d in seq)
        self._transport.writeSequence(seq)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _RecordingProtocol(_LenientHTTP11ClientProtocol):
    """HTTP/1.1 client protocol that records each exchange's raw bytes."""

    _archiver_exchange: RawExchange | None = None

    def request(self, request: TxRequest) -> Any:
        exchange = RawExchange()
        self._archiver_exchange = exchange
        real = self.transport
        if real is not None:
            # a proxy with the transport's interface (it forwards every other attribute)
            self.transport = _TeeTransport(real, exchange.sent)  # type: ignore[assignment]
        try:
            d = super().request(request)
        finally:
            self.transport = real

        def attach(response: Any) -> Any:
            response._archiver_exchange = exchange
            return response

        d.addCallback(attach)
        return d

    def dataReceived(self, data: bytes) -> None:
        exchange = self._archiver_exchange
        if exchange is not None and not exchange.head_done:
            exchange.feed(data)
            if exchange.overflow:  # refuse it rather than keep a rebuilt head
                self._giveUp(Failure(HeadTooLarge()))
                return
        super().dataReceived(data)


class _RecordingFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: Any) -> _RecordingProtocol:
        return _RecordingProtocol(self._quiescentCallback)


class _RecordingAgent(_ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        exchange = getattr(txresponse, "_archiver_exchange", None)
        if exchange is not None:
            request.meta[RAW_META_KEY] = exchange
        return super()._cb_bodyready(txresponse, request)


class ArchivingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler, recording raw request and response heads."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool._factory = _RecordingFactory

    async def download_request(self, request: Request) -> Response:
        request.meta.pop(RAW_META_KEY, None)
        agent = _RecordingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except DownloadCancelledError as exc:
            if str(exc):
                raise
            # Scrapy cancels a body that grows beyond the limit without a message
            maxsize = request.meta.get("download_maxsize", self._default_maxsize)
            raise DownloadCancelledError(
                f"larger than the download max size ({maxsize} bytes, DOWNLOAD_MAXSIZE):"
                " cut off while receiving"
            ) from None
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise


# -- reconstruction when no raw bytes are available --------------------------
def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def synthesize_response_head(response: Response) -> bytes:
    """Status line and headers rebuilt from Scrapy's response (used when the
    handler could not tap the connection, e.g. another download handler)."""
    version = getattr(response, "protocol", None) or "HTTP/1.1"
    if not version.startswith("HTTP/"):
        version = "HTTP/1.1"
    lines = [f"{version} {response.status} {_reason(response.status)}".rstrip().encode()]
    for name, values in response.headers.items():
        for value in values:
            lines.append(bytes(name) + b": " + bytes(value))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def synthesize_request(request: Request) -> bytes:
    from urllib.parse import urlsplit

    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [f"{request.method} {target} HTTP/1.1".encode()]
    if b"Host" not in request.headers:
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
        lines.append(b"Host: " + host.encode("idna"))
    for name, values in request.headers.items():
        for value in values:
            lines.append(bytes(name) + b": " + bytes(value))
    body = request.body or b""
    if body and b"Content-Length" not in request.headers:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def split_request(raw: bytes) -> tuple[bytes, bytes]:
    end = _head_end(raw)
    if end < 0:
        return raw, b""
    return raw[:end], raw[end:]


def note_transfer_encoding(head: bytes) -> bytes:
    """Rename a ``Transfer-Encoding`` header line: the stored body is de-chunked."""
    out = []
    changed = False
    for line in head.split(b"\n"):
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"transfer-encoding":
            line = b"X-Archiver-" + line.lstrip()
            changed = True
        out.append(line)
    return b"\n".join(out) if changed else head


class WarcCaptureMiddleware:
    """Write every downloaded response and its request to WARC (priority 950)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(Recorder.from_crawler(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:
            return response
        exchange: RawExchange | None = request.meta.pop(RAW_META_KEY, None)
        head = exchange.response_head if exchange is not None else None
        raw_request = exchange.request_bytes if exchange is not None else b""
        if head is None:
            head = synthesize_response_head(response)
            self.recorder.stats.inc_value("archiver/capture/synthesized_head")
        if not raw_request:
            raw_request = synthesize_request(request)
        req_head, req_body = split_request(raw_request)
        self.recorder.capture(
            request,
            response,
            note_transfer_encoding(head),
            req_head,
            req_body,
        )
        if response.status == 200 and request.url.endswith("/robots.txt"):
            self.recorder.crawler.signals.send_catch_log(robots_txt_captured, response=response)
        return response
