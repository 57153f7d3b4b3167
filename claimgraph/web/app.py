"""The one FastAPI app: the REST API under ``/api`` and the server-rendered pages, over one store.

Why one app: the pages and the API answer from the same queries of :mod:`claimgraph.corpus`, so
what a user sees and what a script downloads cannot drift apart.

Why errors are translated here: the library raises its own exceptions and the routes raise
HTTP ones; this is the one place that decides what a client sees — for ``/api`` always JSON
``{"error": message, "status": code}`` (a script should never have to parse an HTML error
page), for pages a small escaped page.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimgraph import __version__
from claimgraph.corpus import deadline
from claimgraph.corpus.api import Corpus
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings
from claimgraph.web import api, docs, pages
from claimgraph.web.analyze import MAX_BODY, TIMEOUT, AnalyzeWorker
from claimgraph.web.basemap import warm as warm_basemap
from claimgraph.web.cache import DataVersion, ResponseCache
from claimgraph.web.limits import REQUEST_SECONDS, RequestTimeLimit, add_timeout_handler
from claimgraph.web.security import (
    SecurityHeaders,
    TokenGate,
    check_token,
    error_response,
    is_api,
    redact_access_log,
)

STATIC = Path(__file__).parent / "static"

DESCRIPTION = ("Who, what happened, when, where, and who says so — over a corpus of news articles. "
               "Lists are pages {items, total, limit, offset}; errors are {error, status}. When the server "
               "runs with a token, send it as `Authorization: Bearer TOKEN`.")


def create_app(db: str | Path | Store, *, token: str | None = None, settings: Settings | None = None,
               max_analyze_bytes: int = MAX_BODY, analyze_timeout: float = TIMEOUT,
               allowed_hosts: Iterable[str] | None = None, request_seconds: float = REQUEST_SECONDS,
               threads: int | None = None, cache: bool = True) -> FastAPI:
    """Build the app over a store (a path, URL or an open :class:`Store`).

    ``token``: every request must carry it (see :mod:`claimgraph.web.security`); a ValueError
    when it has characters a header or a cookie would not carry unchanged.
    ``max_analyze_bytes``, ``analyze_timeout``: the limits of ``POST /api/analyze`` (413, 504).
    ``allowed_hosts``: the ``Host`` names accepted (``claimgraph serve`` passes the loopback names
    when it runs without a token); ``None`` accepts any.
    ``request_seconds``: how long one request's database work may take before it is stopped (503).
    ``threads``: how many requests run at once in the worker threads (``None``: anyio's default, 40).
    A store given as a path or URL is opened here and closed when the app shuts down.
    ``cache``: keep answers until the store changes (SQLite only; see :mod:`claimgraph.web.cache`).
    """
    check_token(token)
    redact_access_log()
    owned = not isinstance(db, Store)
    store = Store.open(db, create=False) if not isinstance(db, Store) else db
    deadline.install(store.engine)
    resolved = settings or Settings()
    worker = AnalyzeWorker(resolved, max_body=max_analyze_bytes, timeout=analyze_timeout)
    version = DataVersion.of(store) if cache else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        # the events map's land grid, loaded before the first visitor asks for it
        threading.Thread(target=warm_basemap, name="claimgraph-warm", daemon=True).start()
        yield
        worker.close()
        if version is not None:
            version.close()
        if owned:  # a store this app opened: statements still running stop, then it closes
            deadline.stop(store.engine)
            store.close()

    app = FastAPI(title="claimgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.corpus = Corpus(store, resolved)
    app.state.token = token or None
    app.state.analyze_worker = worker
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    app.include_router(api.router, prefix="/api")
    app.include_router(docs.router)
    app.include_router(pages.router)
    _error_handlers(app)
    add_timeout_handler(app, request_seconds)
    app.add_middleware(RequestTimeLimit, seconds=request_seconds)
    app.add_middleware(ResponseCache, version=version)
    # the last added is the outermost: headers go on everything, the token's 401 included
    app.add_middleware(TokenGate, token=token or None, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _message(errors: list[dict[str, Any]]) -> str:
    """A validation failure in one line: ``query.limit: Input should be less than or equal to 500``."""
    parts = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ())]
        if len(loc) > 1 and loc[0] == "body":
            loc = loc[1:]
        msg = str(err.get("msg", "invalid"))
        parts.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def _error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error_response(request.url.path, exc.status_code, str(exc.detail), dict(exc.headers or {}))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        message = _message(errors)
        if is_api(request.url.path):
            return JSONResponse({"error": message, "status": 422, "detail": jsonable_encoder(errors)},
                                status_code=422)
        return error_response(request.url.path, 422, message)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
