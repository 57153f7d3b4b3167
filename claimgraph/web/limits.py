"""How long one request may keep the store busy, and what its client sees when it is stopped.

Why: a served store answers whoever reaches it, and the server's threads are few. A request
whose queries run past :data:`REQUEST_SECONDS` is stopped inside the database (see
:mod:`claimgraph.corpus.deadline`) and answered 503, so a thread is never held for minutes and
a SIGTERM never waits on one; the search has a tighter limit of its own.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Receive, Scope, Send

from claimgraph.corpus import deadline
from claimgraph.web.security import error_response, log

#: seconds of database work one request may take
REQUEST_SECONDS = 10.0


class RequestTimeLimit:
    """Every GET and HEAD runs under :func:`claimgraph.corpus.deadline.time_limit`."""

    def __init__(self, app: ASGIApp, *, seconds: float = REQUEST_SECONDS) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            # writes (entity corrections) are few, guarded, and must not stop half-way on a large store
            await self.app(scope, receive, send)
            return
        with deadline.time_limit(self.seconds):
            await self.app(scope, receive, send)


def add_timeout_handler(app: FastAPI, seconds: float = REQUEST_SECONDS) -> None:
    """A statement stopped by the deadline answers 503 with a reason; any other database
    error stays a 500 that says nothing of the internals."""

    async def database_error(request: Request, exc: Exception) -> Response:
        if deadline.is_timeout(exc):
            return error_response(request.url.path, 503, f"the request took longer than {seconds:g} s and was "
                                                          "stopped; narrow it or try again later",
                                  {"retry-after": "5"})
        log.error("database error on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request.url.path, 500, "internal error")

    app.add_exception_handler(DBAPIError, database_error)
