"""URL ingest against a real HTTP server on loopback, and the address guard without any network."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from claimgraph.errors import BlockedAddress, FetchError, InputTooLarge
from claimgraph.ingest import CannedFetcher, FetchResult, HttpFetcher, load_document
from claimgraph.ingest.fetch import blocked_reason, check_url
from claimgraph.settings import Settings

PAGE = (Path(__file__).parent / "fixtures" / "ingest" / "harbour_page.html").read_bytes()
LIMIT = 64 * 1024
OPEN = Settings(allow_private=True, fetch_timeout=0.5, max_input_bytes=LIMIT)


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              length: int | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up first (time-out, size cap): that is what is being tested

    def do_GET(self) -> None:
        _Handler.requests.append(self.path)
        if self.path == "/article":
            self._send(200, PAGE)
        elif self.path == "/plain":
            self._send(200, b"Quota talks collapse\n\nTalks between the cooperatives ended on Friday.\n",
                       "text/plain; charset=utf-8")
        elif self.path == "/missing":
            self._send(404, b"<html><body>Not found</body></html>")
        elif self.path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif self.path == "/huge-declared":
            self._send(200, b"", length=50 * 1024 * 1024)
        elif self.path == "/huge-streamed":
            # no Content-Length: the cap has to be enforced while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"filler words " * 800 + b"</p>\n"
            try:
                for _ in range(200):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client hung up at the cap, as it should
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(500, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host!s}:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_html_page(server: str) -> None:
    doc = load_document(f"{server}/article", settings=OPEN)
    assert doc.source_format == "html"
    assert doc.title == "Port authority halts night shipments after crane collapse"
    assert "operations director said" in doc.text
    assert doc.url == "https://coastal-ledger.example/news/port-crane-collapse"  # the page's canonical


def test_fetch_plain_text_keeps_the_final_url(server: str) -> None:
    doc = load_document(f"{server}/plain", settings=OPEN)
    assert doc.source_format == "text"
    assert doc.title == "Quota talks collapse"
    assert doc.url == f"{server}/plain"


def test_redirect_is_followed(server: str) -> None:
    result = HttpFetcher(OPEN).fetch(f"{server}/redirect")
    assert result.final_url == f"{server}/article"
    assert result.body == PAGE


def test_every_redirect_hop_is_checked(server: str) -> None:
    with pytest.raises(FetchError) as info:
        HttpFetcher(OPEN).fetch(f"{server}/to-file")
    assert info.value.reason == "unsupported URL scheme 'file' (use http or https)"


def test_redirect_loop(server: str) -> None:
    with pytest.raises(FetchError) as info:
        HttpFetcher(OPEN).fetch(f"{server}/loop")
    assert info.value.reason == "too many redirects (more than 5)"


def test_http_error(server: str) -> None:
    with pytest.raises(FetchError) as info:
        load_document(f"{server}/missing", settings=OPEN)
    assert info.value.reason == "HTTP 404"
    assert str(info.value) == f"{server}/missing: HTTP 404"


def test_wrong_content_type(server: str) -> None:
    with pytest.raises(FetchError) as info:
        load_document(f"{server}/image", settings=OPEN)
    assert info.value.reason == "unsupported content type image/png (expected HTML or plain text)"


def test_declared_size_over_the_cap(server: str) -> None:
    with pytest.raises(InputTooLarge) as info:
        load_document(f"{server}/huge-declared", settings=OPEN)
    assert info.value.reason == "page is 50 MB, over the 64 KB limit"


def test_streamed_body_over_the_cap(server: str) -> None:
    with pytest.raises(InputTooLarge) as info:
        load_document(f"{server}/huge-streamed", settings=OPEN)
    assert info.value.reason == "page is over the 64 KB limit"


def test_slow_server_times_out(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        load_document(f"{server}/slow", settings=OPEN)
    assert info.value.reason == "timed out after 0.5 s"
    assert time.monotonic() - start < 1.4


def test_dead_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        load_document(f"http://127.0.0.1:{port}/", settings=OPEN)
    assert info.value.reason == "connection refused"


def test_loopback_is_refused_before_connecting(server: str) -> None:
    before = len(_Handler.requests)
    with pytest.raises(BlockedAddress) as info:
        load_document(f"{server}/article", settings=Settings())
    assert info.value.reason == "refusing loopback address 127.0.0.1 (use --allow-private)"
    assert len(_Handler.requests) == before


def test_localhost_name_is_resolved_and_refused(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    with pytest.raises(BlockedAddress):
        load_document(f"http://localhost:{port}/article", settings=Settings())


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", "refusing private address 10.0.0.1 (use --allow-private)"),
        ("http://169.254.169.254/latest/meta-data/",
         "refusing link-local address 169.254.169.254 (use --allow-private)"),
        ("http://[::1]:8080/", "refusing loopback address ::1 (use --allow-private)"),
        ("http://[::ffff:192.168.1.5]/", "refusing private address 192.168.1.5 (use --allow-private)"),
        ("http://0.0.0.0/", "refusing unspecified address 0.0.0.0 (use --allow-private)"),
        ("http://2130706433/", "refusing loopback address 127.0.0.1 (use --allow-private)"),
    ],
)
def test_private_addresses_are_refused_without_network(url: str, reason: str) -> None:
    with pytest.raises(BlockedAddress) as info:
        load_document(url, settings=Settings(fetch_timeout=0.2))
    assert info.value.reason == reason


def test_address_checker_is_what_each_redirect_hop_passes() -> None:
    # a redirect from a public page to a metadata endpoint is refused at the hop
    with pytest.raises(BlockedAddress):
        check_url("http://169.254.169.254/", allow_private=False, origin="https://news.example/story")
    check_url("http://169.254.169.254/", allow_private=True)  # allowed when asked for
    assert blocked_reason(ipaddress.ip_address("93.184.216.34")) is None
    assert blocked_reason(ipaddress.ip_address("100.64.0.1")) == "non-public address 100.64.0.1"
    assert blocked_reason(ipaddress.ip_address("224.0.0.1")) == "multicast address 224.0.0.1"


def test_unsupported_scheme_is_not_a_missing_file() -> None:
    with pytest.raises(FetchError) as info:
        load_document("ftp://files.example/story.txt", settings=Settings())
    assert info.value.reason == "unsupported URL scheme 'ftp' (use http or https)"


def test_canned_fetcher() -> None:
    fetcher = CannedFetcher({
        "https://news.example/story": FetchResult(PAGE, "text/html", "https://news.example/story"),
        "https://news.example/photo": FetchResult(b"\x89PNG\r\n\x1a\n", "image/png", "https://news.example/photo"),
        "https://news.example/raw": PAGE,
    })
    doc = load_document("https://news.example/story", settings=Settings(), fetcher=fetcher)
    assert doc.title == "Port authority halts night shipments after crane collapse"
    assert load_document("https://news.example/raw", settings=Settings(), fetcher=fetcher).id == doc.id
    with pytest.raises(FetchError, match="image/png"):
        load_document("https://news.example/photo", settings=Settings(), fetcher=fetcher)
    with pytest.raises(FetchError, match="HTTP 404"):
        load_document("https://news.example/gone", settings=Settings(), fetcher=fetcher)
