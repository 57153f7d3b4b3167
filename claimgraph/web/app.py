"""The one FastAPI app: the REST API under ``/api`` and the server-rendered pages, over one store.

Why one app: the pages and the API answer from the same queries of :mod:`claimgraph.corpus`, so
what a user sees and what a script downloads cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from claimgraph import __version__
from claimgraph.corpus.api import Corpus
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings

STATIC = Path(__file__).parent / "static"


def create_app(db: str | Path | Store, *, token: str | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app over a store (a path, URL or an open :class:`Store`)."""
    store = db if isinstance(db, Store) else Store.open(db, create=False)
    app = FastAPI(title="claimgraph", version=__version__,
                  description="Who, what happened, when, where, and who says so — over a corpus of news articles.")
    app.state.corpus = Corpus(store, settings)
    app.state.token = token
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from claimgraph.web import api, pages

    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    return app
