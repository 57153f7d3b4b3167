"""What stands between the network and the corpus: the token, the host check, the security
headers, and a last-resort 500 that still carries them.

Why plain ASGI middleware and not ``BaseHTTPMiddleware``: it sees every response (static
files, streamed bodies, the errors Starlette itself raises) and costs no extra task per
request. Why the token is compared with :func:`secrets.compare_digest`: the time a comparison
takes must not tell an attacker how much of a guess was right.

The token travels three ways, each for a reason: ``Authorization: Bearer T`` for scripts,
``?token=T`` for the link ``claimgraph serve`` prints (the page then answers with an
HttpOnly, SameSite=Strict cookie and a redirect to the same address without the token, so
it stays out of the history and of any link the page makes), and that cookie for the rest of
a browser session.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import re
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("claimgraph.web")

COOKIE = "claimgraph_token"

#: every response carries these; no inline script or style can run, no page can frame ours
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy",
     "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
)

#: what a token may be made of: it travels in a header, a query string and a cookie unchanged
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~+/=-]{1,256}")

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def error_response(path: str, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error body a client of this path expects: JSON for the API, a small page otherwise."""
    if is_api(path):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status}</title></head>"
            f"<body><h1>{status}</h1><p>{html.escape(message)}</p></body></html>")
    return Response(page, status_code=status, media_type="text/html", headers=headers)


def _same(given: str | None, token: bytes) -> bool:
    return given is not None and secrets.compare_digest(given.encode("utf-8", "surrogateescape"), token)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response, and turns an exception no handler took
    into a 500 that says nothing of the internals (the traceback goes to the log)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(scope["path"], 500, "internal error")
            await response(scope, receive, send_with_headers)


class TokenGate:
    """Every request needs the token when one is set (pages, API, static files, docs alike).

    With ``allowed_hosts`` (what ``claimgraph serve`` passes when it runs without a token on a
    loopback address) a request naming any other ``Host`` is refused: a web page cannot then
    reach the unguarded server through a DNS name that it rebinds to 127.0.0.1."""

    def __init__(self, app: ASGIApp, *, token: str | None, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        check_token(token)
        self.token = token.encode("ascii") if token else None
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts) if allowed_hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        if self.allowed_hosts is not None and _hostname(headers.get("host", "")) not in self.allowed_hosts:
            await error_response(path, 400, "unknown host")(scope, receive, send)
            return
        if self.token is None:
            await self.app(scope, receive, send)
            return
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no credential, not an error
            cookie = SimpleCookie()
        from_cookie = cookie[COOKIE].value if COOKIE in cookie else None
        if _same(bearer, self.token) or _same(from_cookie, self.token):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if not _same(given, self.token):
            await error_response(path, 401, "a valid token is required (Authorization: Bearer TOKEN, or ?token=)",
                                 {"www-authenticate": "Bearer"})(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"
        if scope["method"] in ("GET", "HEAD") and not is_api(path):
            # a browser arriving by the printed link: keep the token out of the address bar
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            here = "/" + path.lstrip("/")  # never "//host": that would leave this site
            response: Response = RedirectResponse(here + (f"?{rest}" if rest else ""), status_code=303)
            _set_cookie(response, self.token.decode("utf-8"), secure)
            await response(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                carrier = PlainTextResponse("")
                _set_cookie(carrier, self.token.decode("utf-8") if self.token else "", secure)
                cookies = [(k, v) for k, v in carrier.raw_headers if k == b"set-cookie"]
                message = {**message, "headers": [*message.get("headers", []), *cookies]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


#: ``token=VALUE`` in a query string, as an access log line shows it
_TOKEN_IN_QUERY = re.compile(r"((?:^|[?&;])token=)[^&;\s\"]*", re.IGNORECASE)
#: the logger uvicorn writes one line per request to
ACCESS_LOGGER = "uvicorn.access"


def redact(text: str) -> str:
    """A request line with the value of any ``token=`` parameter replaced."""
    return _TOKEN_IN_QUERY.sub(r"\1[redacted]", text)


class RedactToken(logging.Filter):
    """Takes the token out of access log lines: the printed sign-in link carries it as
    ``?token=``, and a log file is read by more people, and kept longer, than the token should be."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_access_log() -> None:
    """Install :class:`RedactToken` on the access logger (once per process)."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactToken) for f in access.filters):
        access.addFilter(RedactToken())


def bad_token_message() -> str:
    return ("the token must be 1 to 256 characters from A-Z a-z 0-9 . _ ~ + / = - (for example "
            "python -c 'import secrets; print(secrets.token_urlsafe(24))')")


def check_token(token: str | None) -> None:
    """Refuse a token that would not survive a header, a query string and a cookie unchanged."""
    if token and not TOKEN_PATTERN.fullmatch(token):
        raise ValueError(bad_token_message())


def _set_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


def _hostname(host: str) -> str:
    """``Host`` without its port (``[::1]:8000`` -> ``[::1]``, ``localhost:8000`` -> ``localhost``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether a request's ``Origin`` is this server as the request reached it: the same
    scheme, host name and port (a default port written or not). An ``http://`` page must not
    write to the ``https://`` site of the same name: whatever sits on the network can forge it."""
    defaults = {"http": 80, "https": 443}
    try:
        theirs = urlsplit(origin.strip())
        ours = urlsplit(f"{scheme}://{host.strip()}")
        their_port, our_port = theirs.port, ours.port
    except ValueError:  # an unparsable origin or port is not this server
        return False
    if theirs.scheme.lower() != scheme.lower() or not theirs.hostname or theirs.path not in ("", "/"):
        return False
    scheme_default = defaults.get(scheme.lower())
    return (theirs.hostname == ours.hostname
            and (their_port or scheme_default) == (our_port or scheme_default))


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server to this machine."""
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
