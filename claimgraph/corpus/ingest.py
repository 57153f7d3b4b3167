"""``claimgraph ingest``: many inputs into the store, in parallel, idempotent and resumable.

Workers (one process per core by default) each load the pipeline once and turn items into
analyses; the parent alone writes, one transaction per document. An input already in the
store (by its key, or by the content hash of its text) is counted as present and not
analysed twice, so re-running a batch that was killed half-way continues where it stopped.
An input that fails — unreadable, not an article, or an error inside the pipeline — is
counted, recorded with its reason in the store's ``rejected`` table and the report, and the
batch goes on.

On PostgreSQL several ingest runs (processes or machines) may write one store at once: an
article two of them store is stored once, and their links to corpus entities are taken one
at a time, each run seeing the entities the others made (:mod:`claimgraph.corpus.postgres`).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from claimgraph.analyzer import Analyzer
from claimgraph.corpus.link import Linker
from claimgraph.corpus.sources import Item, Rejected, expand
from claimgraph.corpus.store import Store
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Analysis, Document
from claimgraph.settings import Settings

#: items handed to the worker pool at a time (bounded, so a huge WARC never sits in memory)
CHUNK = 64


@dataclass
class Summary:
    ingested: int = 0
    present: int = 0
    reprocessed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: stored, but linking to corpus entities failed (retried by the next run)
    unlinked: list[tuple[str, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.ingested + self.present + self.reprocessed + len(self.rejected)


_ANALYZER: Analyzer | None = None


def _init_worker(settings: Settings) -> None:
    global _ANALYZER
    _ANALYZER = Analyzer(settings)


def _analyse(item: Item | Document) -> tuple[str, str, Any]:
    """In a worker: (key, "ok", analysis JSON) or (key, "rejected", reason)."""
    assert _ANALYZER is not None
    key = item.id if isinstance(item, Document) else item.key
    try:
        doc = item if isinstance(item, Document) else item.document(_ANALYZER.settings)
        return key, "ok", _ANALYZER.pipeline(doc).to_json()
    except InputError as exc:
        return key, "rejected", exc.reason
    except ClaimgraphError as exc:
        return key, "rejected", f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return key, "rejected", f"pipeline error {type(exc).__name__}: {exc} ({last.filename}:{last.lineno})"


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Ingest:
    """One ingest run against one store."""

    def __init__(self, store: Store, settings: Settings, *, workers: int | None = None,
                 on_progress: Callable[[Summary, str], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.summary = Summary()
        self.on_progress = on_progress
        #: reprocessed documents are re-written under the input they first came from
        self._source_of: dict[str, str] = {}
        self.linker: Linker | None = None

    def _record(self, key: str, status: str, payload: Any, *, reprocess: bool = False) -> None:
        if status == "ok":
            analysis = Analysis.from_json(payload)
            try:
                result = self.store.write(analysis, self._source_of.get(key, key), reprocess=reprocess)
            except Exception as exc:
                status, payload = "rejected", f"store error {type(exc).__name__}: {exc}"
        if status == "ok":
            if result.status == "ingested" and self.linker is not None:
                try:
                    self.linker.link(result.doc_id)
                except Exception as exc:
                    self.summary.unlinked.append((key, f"{type(exc).__name__}: {exc}"))
            if result.status == "ingested":
                self.summary.ingested += 1
            elif result.status == "reprocessed":
                self.summary.reprocessed += 1
            else:
                self.summary.present += 1
        else:
            self.summary.rejected.append((key, str(payload)))
            self.store.reject(key, str(payload))
        if self.on_progress:
            self.on_progress(self.summary, key)

    def _todo(self, entries: Iterable[Item | Rejected]) -> Iterator[Item]:
        for entry in entries:
            if isinstance(entry, Rejected):
                self._record(entry.key, "rejected", entry.reason)
            elif self.store.known_source(entry.key):
                self.summary.present += 1
                if self.on_progress:
                    self.on_progress(self.summary, entry.key)
            else:
                yield entry

    def _run(self, work: Iterable[Item | Document], *, reprocess: bool) -> None:
        if self.workers == 1:
            _init_worker(self.settings)
            for item in work:
                self._record(*_analyse(item), reprocess=reprocess)
            return
        with ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(self.settings,)) as pool:
            for chunk in _chunks(work, CHUNK):
                for key, status, payload in pool.map(_analyse, chunk):
                    self._record(key, status, payload, reprocess=reprocess)

    def run(self, sources: Sequence[str], *, url_list: bool = False) -> Summary:
        self.linker = Linker(self.store)
        self.linker.link_pending()  # documents a killed run wrote but did not link
        from claimgraph.ingest.fetch import HttpFetcher

        entries = expand(sources, url_list=url_list, fetcher=HttpFetcher(self.settings))
        self._run(self._todo(entries), reprocess=False)
        return self.summary

    def reprocess(self) -> Summary:
        """Re-analyse, from their stored text, the documents an older pipeline version made."""
        docs = []
        for doc_id, source in self.store.stale_documents():
            stored = self.store.analysis_json(doc_id)
            if stored is not None:
                self._source_of[doc_id] = source
                docs.append(Document.from_json(stored["document"]))
        self.linker = None  # reprocessed documents get new entities: link them against a fresh resolver
        self._run(docs, reprocess=True)
        self.store.drop_orphan_entities()
        self.linker = Linker(self.store)
        self.linker.link_pending()
        return self.summary
