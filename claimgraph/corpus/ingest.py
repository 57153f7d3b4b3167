"""``claimgraph ingest``: many inputs into the store, in parallel, idempotent and resumable.

Workers (one process per core by default) each load the pipeline once and turn items into
analyses; the parent alone writes, one transaction per document. An input already in the
store (by its key *and* the hash of its content, or by the content hash of its text) is
counted as present and not analysed twice, so re-running a batch that was killed half-way
continues where it stopped; an old name with new content is analysed (#20). An input that
fails — unreadable, not an article, an error inside the pipeline, over its time budget, or a
worker that had to be stopped by the watchdog (:mod:`claimgraph.corpus.workers`) — is
counted, recorded with its reason in the store's ``rejected`` table and the report, and the
batch goes on. Every input met is in exactly one count of the :class:`Summary` (#19).

Two ingests into one SQLite store take turns (:meth:`Store.ingest_lock`).

On PostgreSQL several ingest runs (processes or machines) may write one store at once: an
article two of them store is stored once, and their links to corpus entities are taken one
at a time, each run seeing the entities the others made (:mod:`claimgraph.corpus.postgres`).
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from typing import Any

from claimgraph.analyzer import Analyzer
from claimgraph.corpus.link import Linker
from claimgraph.corpus.resolver_store import rebuild_index
from claimgraph.corpus.sources import Item, Rejected, Skipped, content_fingerprint, expand
from claimgraph.corpus.store import Store, pack, unpack
from claimgraph.corpus.walk import printable
from claimgraph.corpus.workers import WorkerPool
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
    #: met but deliberately not read (hidden names, files of no article type): not errors
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: stored, but linking to corpus entities failed (retried by the next run)
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    #: (seconds, key) of the input that took longest to analyse
    slowest: tuple[float, str] = (0.0, "")

    @property
    def seen(self) -> int:
        """Every input met: each is in exactly one of the counts."""
        return self.ingested + self.present + self.reprocessed + len(self.rejected) + len(self.skipped)


_ANALYZER: Analyzer | None = None


def _init_worker(settings: Settings) -> None:
    """Load the pipeline, once per process: a worker keeps it for every item, and an in-process
    ingest run after another with the same settings (a test suite, a notebook) reuses it."""
    global _ANALYZER
    if _ANALYZER is not None and _ANALYZER.settings == settings:
        return
    _ANALYZER = Analyzer(settings)
    _ANALYZER.pipeline  # noqa: B018  (loads and warms up: first-use loading before the first document's budget)


def _key_of(item: Item | Document) -> str:
    return item.id if isinstance(item, Document) else item.key


@dataclass(frozen=True, slots=True)
class Analysed:
    """An analysis as it crosses from a worker to the writer: packed the way the store keeps it
    (compressed JSON without the text, :func:`~claimgraph.corpus.store.pack`) and the text. A
    tenth of the size of the JSON, and the single writer neither serialises nor compresses it
    again: that work is done in the workers, in parallel."""

    blob: bytes
    text: str

    def analysis(self) -> Analysis:
        return Analysis.from_json(unpack(self.blob, self.text))


def _analyse(item: Item | Document) -> tuple[str, str, Any]:
    """In a worker: (key, "ok", :class:`Analysed`) or (key, "rejected", reason)."""
    assert _ANALYZER is not None
    key = _key_of(item)
    try:
        doc = item if isinstance(item, Document) else item.document(_ANALYZER.settings)
        analysis = _ANALYZER.pipeline(doc)
        return key, "ok", Analysed(pack(analysis.to_json()), analysis.document.text)
    except InputError as exc:
        return key, "rejected", exc.reason
    except ClaimgraphError as exc:
        return key, "rejected", f"{type(exc).__name__}: {exc}"
    except (Exception, RecursionError) as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return key, "rejected", printable(f"pipeline error {type(exc).__name__}: {str(exc)[:300]} "
                                          f"({last.filename}:{last.lineno})")


#: inputs each worker beyond the first needs before it pays for loading its own pipeline: about
#: 3 s of loading against 60 ms of analysis per article, on cores the single writer shares (a
#: second worker lost on the 38-article sample corpus and gained on 120 articles: #18)
DOCS_PER_EXTRA_WORKER = 60


def pool_size(workers: int, ahead: int, per_worker: int = DOCS_PER_EXTRA_WORKER) -> int:
    """How many worker processes a batch gets: one, and one more for each
    :data:`DOCS_PER_EXTRA_WORKER` inputs read ahead (``ahead``: at most that many per extra
    worker are read), up to ``workers``."""
    return max(1, min(workers, 1 + ahead // max(1, per_worker)))


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Ingest:
    """One ingest run against one store."""

    def __init__(self, store: Store, settings: Settings, *, workers: int | None = None,
                 on_progress: Callable[[Summary, str], None] | None = None, isolate: bool | None = None,
                 wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        """``isolate``: analyse in worker processes under the watchdog (default: when more than one
        worker; the CLI always does). ``wait``: when another ingest holds a SQLite store, wait for
        it (``on_wait`` is told) or raise :class:`~claimgraph.corpus.store.StoreBusy`."""
        self.store = store
        self.settings = settings
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.isolate = self.workers > 1 if isolate is None else isolate
        self.wait, self.on_wait = wait, on_wait
        #: seconds after which the watchdog stops a worker (the pipeline's own budget is softer)
        budget = settings.time_budget_s if settings.time_budget_s > 0 else 600.0
        self.deadline = 2 * budget + 30
        #: content hashes of the inputs in flight, written with their documents
        self._fingerprints: dict[str, str | None] = {}
        self._lock_fd: int | None = None
        self.summary = Summary()
        self.on_progress = on_progress
        #: reprocessed documents are re-written under the input they first came from
        self._source_of: dict[str, str] = {}
        self.linker: Linker | None = None
        #: see :func:`pool_size`; ``pool_size`` is how many worker processes the last batch got
        self.docs_per_extra_worker = DOCS_PER_EXTRA_WORKER
        self.pool_size = 0

    def _record(self, key: str, status: str, payload: Any, *, reprocess: bool = False) -> None:
        fingerprint = self._fingerprints.pop(key, None)
        if status == "ok":
            packed = payload.blob if isinstance(payload, Analysed) else None
            # a shard's corrupt analysis (JSON) raises to ShardLoad, which says so
            analysis = payload.analysis() if isinstance(payload, Analysed) else Analysis.from_json(payload)
            try:
                result = self.store.write(analysis, self._source_of.get(key, key), reprocess=reprocess,
                                          fingerprint=fingerprint, packed=packed)
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
            try:
                self.store.reject(key, str(payload))
            except Exception as exc:  # the summary and the report still name it
                self.summary.unlinked.append((key, f"rejection not recorded: {type(exc).__name__}: {exc}"))
        if self.on_progress:
            self.on_progress(self.summary, key)

    def _todo(self, entries: Iterable[Item | Rejected | Skipped]) -> Iterator[Item]:
        for entry in entries:
            if isinstance(entry, Rejected):
                self._record(entry.key, "rejected", entry.reason)
                continue
            if isinstance(entry, Skipped):
                self.summary.skipped.append((entry.key, entry.reason))
                if self.on_progress:
                    self.on_progress(self.summary, entry.key)
                continue
            fingerprint = content_fingerprint(entry, limit=self.settings.max_input_bytes)
            if self.store.known_input(entry.key, fingerprint):
                self.summary.present += 1
                if self.on_progress:
                    self.on_progress(self.summary, entry.key)
            else:
                self._fingerprints[entry.key] = fingerprint
                yield entry

    def _timed(self, key: str, seconds: float) -> None:
        if seconds > self.summary.slowest[0]:
            self.summary.slowest = (seconds, key)

    def _run(self, work: Iterable[Item | Document], *, reprocess: bool) -> None:
        if not self.isolate:
            work = iter(work)
            first = next(work, None)
            if first is None:
                return  # every input present: no pipeline to load
            _init_worker(self.settings)
            for item in chain([first], work):
                started = time.monotonic()
                result = _analyse(item)
                self._timed(result[0], time.monotonic() - started)
                self._record(*result, reprocess=reprocess)
            return
        work = iter(work)
        ahead = list(islice(work, max(1, self.docs_per_extra_worker * (self.workers - 1))))
        if not ahead:
            return  # every input present (a re-run): no worker, no pipeline to load
        size = self.pool_size = pool_size(self.workers, len(ahead), self.docs_per_extra_worker)
        work = chain(ahead, work)
        close = (self._lock_fd,) if self._lock_fd is not None else ()
        with WorkerPool(size, partial(_init_worker, self.settings), _analyse, deadline=self.deadline,
                        key_of=_key_of, close_fds=close, on_done=self._timed) as pool:
            for key, status, payload in pool.map(work):
                self._record(key, status, payload, reprocess=reprocess)

    def run(self, sources: Sequence[str], *, url_list: bool = False) -> Summary:
        with self.store.ingest_lock(wait=self.wait, on_wait=self.on_wait) as fd:
            self._lock_fd = fd
            try:
                self.linker = Linker(self.store)
                self.linker.link_pending()  # documents a killed run wrote but did not link
                from claimgraph.ingest.fetch import HttpFetcher

                entries = expand(sources, url_list=url_list, fetcher=HttpFetcher(self.settings),
                                 limit=self.settings.max_input_bytes)
                self._run(self._todo(entries), reprocess=False)
            finally:
                self._lock_fd = None
        return self.summary

    def reprocess(self) -> Summary:
        """Re-analyse, from their stored text, the documents an older pipeline version made."""
        with self.store.ingest_lock(wait=self.wait, on_wait=self.on_wait) as fd:
            self._lock_fd = fd
            try:
                return self._reprocess()
            finally:
                self._lock_fd = None

    def _reprocess(self) -> Summary:
        docs = []
        for doc_id, source in self.store.stale_documents():
            stored = self.store.analysis_json(doc_id)
            if stored is not None:
                self._source_of[doc_id] = source
                docs.append(Document.from_json(stored["document"]))
        self.linker = None  # reprocessed documents get new entities: link them against a fresh resolver
        self._run(docs, reprocess=True)
        self.store.drop_orphan_entities()
        with self.store.engine.begin() as conn:  # the old members left their entities: file them anew
            rebuild_index(conn)
        self.linker = Linker(self.store)
        self.linker.link_pending()
        return self.summary
