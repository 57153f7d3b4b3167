"""The corpus from Python: ``claimgraph.open_store(path)`` and the questions as methods, each
returning plain data (the same the CLI prints with ``--json``)::

    corpus = claimgraph.open_store("claimgraph.db")
    corpus.ingest(["articles/"])
    corpus.entity("HNI")["aliases"]
    corpus.claims(about="Ghazanfar", source_type="anonymous")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimgraph.corpus import queries
from claimgraph.corpus.ingest import Ingest, Summary
from claimgraph.corpus.profile import entity_profile
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings


class Corpus:
    """One store and the questions users ask of it."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()

    def ingest(self, sources: Sequence[str], *, workers: int | None = None, url_list: bool = False) -> Summary:
        return Ingest(self.store, self.settings, workers=workers).run(list(sources), url_list=url_list)

    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        return queries.search(self.store, text, limit=limit)

    def entity(self, name: str) -> dict[str, Any] | None:
        return entity_profile(self.store, name)

    def claims(self, **filters: Any) -> list[dict[str, Any]]:
        return queries.claims(self.store, **filters)

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        return queries.events(self.store, **filters)

    def timeline(self, name: str) -> list[dict[str, Any]]:
        return queries.timeline(self.store, name)

    def stats(self) -> dict[str, Any]:
        return queries.corpus_stats(self.store)

    def export(self, fmt: str, out: Path) -> str:
        from claimgraph.corpus.export import EXPORTERS

        return EXPORTERS[fmt](self.store, out)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(target: str | Path = "claimgraph.db", *, settings: Settings | None = None) -> Corpus:
    """Open (or create) a store: a SQLite file path, or a database URL."""
    return Corpus(Store.open(target), settings)
