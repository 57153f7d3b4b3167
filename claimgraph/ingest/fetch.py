"""Fetching URLs: bounded in time and size, and never into the machine's own network.

claimgraph runs on journalists' laptops and on shared servers that take URLs from
users. A URL is untrusted input: it can point at a cloud metadata endpoint
(169.254.169.254), an intranet admin page, or a server that sends 50 GB slowly. So:

- every host is resolved and every address checked *before* connecting, and redirects
  are followed by hand so each hop is checked again (httpx would follow them unchecked);
- the body is streamed and abandoned as soon as it passes ``max_input_bytes``;
- connect and read are bounded by ``fetch_timeout``, and the whole fetch by a multiple of
  it, so a server that dribbles one byte per second cannot hold a batch forever;
- only HTML and plain text are accepted.

Known gap: the address checked is the one the resolver returned just before httpx
connects; a DNS server that answers differently the second time ("rebinding") could
slip past. Setting ``allow_private`` is the only way to reach private addresses on
purpose.

:class:`Fetcher` is the seam: :class:`CannedFetcher` serves fixed responses for callers'
tests through the same code path as a real fetch.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from claimgraph.errors import BlockedAddress, FetchError
from claimgraph.ingest.decode import too_large
from claimgraph.settings import Settings

MAX_REDIRECTS = 5
#: the whole fetch (all hops, all reads) may take this many times ``fetch_timeout``.
TOTAL_TIME_FACTOR = 4
ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchResult:
    body: bytes
    #: the Content-Type header as sent (with parameters such as charset), or None.
    content_type: str | None
    #: where the body came from after redirects.
    final_url: str


class Fetcher(Protocol):
    def fetch(self, url: str) -> FetchResult:
        """Return the body at ``url`` or raise a :class:`FetchError` with the reason."""
        ...


def media_type(content_type: str | None) -> str | None:
    """``"text/html"`` from ``"text/html; charset=utf-8"``; None when absent."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def check_content_type(url: str, content_type: str | None) -> None:
    """Refuse anything but HTML or plain text; a missing type is left to sniffing."""
    kind = media_type(content_type)
    if kind is not None and kind not in ACCEPTED_TYPES:
        raise FetchError(url, f"unsupported content type {kind} (expected HTML or plain text)")


def blocked_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched (``"private address 10.0.0.1"``), or None if public.

    IPv4 addresses wrapped in IPv6 (``::ffff:10.0.0.1``) are judged as the IPv4 address.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    kinds = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("unspecified", address.is_unspecified),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    )
    for kind, hit in kinds:
        if hit:
            return f"{kind} address {address}"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to; an IP literal is returned as is, without DNS."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    out: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if addr not in out:
            out.append(addr)
    return out


def check_url(url: str, *, allow_private: bool, origin: str | None = None) -> None:
    """Raise unless ``url`` is http(s) with a host whose every address may be fetched.

    Every resolved address is checked, not just the first: a host with one public and
    one private record would otherwise be reachable on the private one.
    """
    origin = origin or url
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(origin, f"unsupported URL scheme {parts.scheme or '(none)'!r} (use http or https)")
    host = parts.hostname
    if not host:
        raise FetchError(origin, "URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(origin, "URL has an invalid port") from None
    addresses = resolve(host, port)
    if not addresses:
        raise FetchError(origin, f"cannot resolve host {host!r}")
    if allow_private:
        return
    for address in addresses:
        reason = blocked_reason(address)
        if reason:
            raise BlockedAddress(origin, f"refusing {reason} (use --allow-private)")


class HttpFetcher:
    """The real fetcher: httpx, redirects by hand, every hop checked, body size capped."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fetch(self, url: str) -> FetchResult:
        timeout = self.settings.fetch_timeout
        deadline = time.monotonic() + timeout * TOTAL_TIME_FACTOR
        try:
            with httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                trust_env=False,  # no proxies from the environment: they would bypass the checks
                headers={"User-Agent": self.settings.user_agent,
                         "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
            ) as client:
                return self._follow(client, url, deadline)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise FetchError(url, _connect_reason(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise FetchError(url, detail) from None

    def _follow(self, client: httpx.Client, url: str, deadline: float) -> FetchResult:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            check_url(current, allow_private=self.settings.allow_private, origin=url)
            with client.stream("GET", current) as response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400 or not 200 <= response.status_code < 300:
                    raise FetchError(url, f"HTTP {response.status_code}")
                content_type = response.headers.get("content-type")
                check_content_type(url, content_type)
                body = self._read_capped(response, url, deadline)
                return FetchResult(body=body, content_type=content_type, final_url=str(response.url))
        raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})")

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        limit = self.settings.max_input_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large(url, limit, int(declared))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large(url, limit)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                total = self.settings.fetch_timeout * TOTAL_TIME_FACTOR
                raise FetchError(url, f"timed out after {total:g} s (body still arriving)")
        return b"".join(chunks)


def _connect_reason(exc: httpx.ConnectError) -> str:
    """A short reason from the OS error buried under httpx's and httpcore's wrappers."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "cannot resolve host"
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    return f"cannot connect ({text})" if text else "cannot connect"


class CannedFetcher:
    """Serves fixed responses by URL: a real :class:`Fetcher` for tests of code that fetches.

    Values are a :class:`FetchResult` or bare bytes (served with no content type, so the
    ingest sniffs them). An unknown URL fails like a missing page does.
    """

    def __init__(self, responses: Mapping[str, FetchResult | bytes]) -> None:
        self._responses = dict(responses)
        self.requested: list[str] = []

    def fetch(self, url: str) -> FetchResult:
        self.requested.append(url)
        found = self._responses.get(url)
        if found is None:
            raise FetchError(url, "HTTP 404")
        if isinstance(found, bytes):
            return FetchResult(body=found, content_type=None, final_url=url)
        return found


__all__ = [
    "ACCEPTED_TYPES", "MAX_REDIRECTS", "CannedFetcher", "FetchResult", "Fetcher", "HttpFetcher",
    "blocked_reason", "check_content_type", "check_url", "media_type", "resolve",
]
