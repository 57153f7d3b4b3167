"""``claimgraph ingest --engine ray``: the pipeline in Ray actors, for corpora one machine
cannot analyse in the time available.

Why it is built this way:

- The driver (the process running the command) expands the sources with the same code as
  the local engine (:mod:`claimgraph.corpus.sources`) and skips the inputs the store already
  holds, so keys, rejects and resumption are exactly those of a local ingest. What is left
  becomes a Ray Dataset of items, a window at a time so a huge input never sits whole in the
  driver's memory.
- Analysis runs in an actor pool (``Dataset.map_batches`` with a callable class): each actor
  loads the pipeline once (spaCy and the gazetteer take seconds) and analyses batch after
  batch. An article that fails is returned as a reject with its reason by the same code the
  local workers run, so one bad page never fails a batch.
- Results come back to the driver in input order, and the driver alone writes them
  (``Store.write`` then ``Linker.link``, as the local engine does): one writer means no races
  on the store or on entity linking, and a store equal to the one a local run builds.
- With ``--shards DIR`` results go to Parquet files instead (:mod:`claimgraph.corpus.shards`),
  for clusters that cannot reach the store, or to keep analysis apart from writing;
  ``claimgraph load DIR`` writes them into any store later.

Ray is optional (``pip install 'claimgraph[ray]'``) and imported only when this engine runs.
"""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any

from claimgraph.corpus.ingest import Ingest, Summary, _analyse, _chunks, _init_worker
from claimgraph.corpus.shards import ShardWriter
from claimgraph.corpus.sources import Item, Rejected, Skipped, expand
from claimgraph.corpus.store import Store, unpack
from claimgraph.errors import ClaimgraphError
from claimgraph.model import Document
from claimgraph.settings import Settings

RAY_MISSING = "the Ray engine needs Ray: pip install 'claimgraph[ray]'"
#: items per Ray Dataset: bounds the driver's memory; each window starts its actors afresh
#: (a few seconds of model loading), small against the minutes a window takes to analyse
WINDOW = 10_000
#: articles an actor analyses per call: large enough to amortise a call, small enough that
#: results stream back steadily and a lost actor costs little
BATCH = 16

#: (input key, "ok" or "rejected", analysis JSON text or the reason)
Result = tuple[str, str, str]


class RayUnavailable(ClaimgraphError):
    """Ray is not installed, the cluster cannot be started or reached, or it failed mid-run:
    the CLI reports it in one line (exit 2) instead of a traceback from inside Ray."""


def import_ray() -> ModuleType:
    """Ray and Ray Data, or :class:`RayUnavailable` naming the extra that installs them."""
    try:
        import ray
        import ray.data  # Ray Data is a separate import of the same package
    except ImportError as exc:
        raise RayUnavailable(RAY_MISSING) from exc
    return ray


@contextmanager
def ray_session(address: str | None = None, *, workers: int | None = None) -> Iterator[ModuleType]:
    """Ray, connected: a session already open in this process is reused (a test's, a
    notebook's); otherwise ``address`` (``ray://host:10001``, ``host:6379``, or ``auto`` for
    the cluster ``ray start`` runs on this machine) is joined, or, without one, a new Ray is
    started here with ``workers`` CPUs (never a stray cluster found by chance). A session
    opened here is closed on leaving."""
    ray = import_ray()
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
        if address is None and workers is not None:
            options["num_cpus"] = workers  # only when starting Ray: a running cluster has its own CPUs
        try:
            ray.init(address=address or "local", **options)
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError, ...
            where = address or "this machine"
            raise RayUnavailable(f"cannot start or reach Ray at {where}: {type(exc).__name__}: {exc}") from exc
        started = True
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


class AnalyseActor:
    """One actor of the pool: loads the pipeline once, then analyses every batch it is given.

    A batch is an Arrow table with one ``item`` column (pickled :class:`Item` or
    :class:`Document`); the result has ``key``, ``status`` and ``payload`` columns. The work per
    article is the local engine's own (``claimgraph.corpus.ingest._analyse``), so an error
    becomes the same reject with the same reason."""

    def __init__(self, settings: Settings) -> None:
        _init_worker(settings)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        keys: list[str] = []
        statuses: list[str] = []
        payloads: list[str] = []
        for blob in batch.column("item").to_pylist():
            key, status, payload = _analyse(pickle.loads(blob))
            if status == "ok":
                try:
                    payload = json.dumps(unpack(payload.blob, payload.text), ensure_ascii=False, separators=(",", ":"))
                except (TypeError, ValueError) as exc:
                    status, payload = "rejected", f"analysis is not JSON: {exc}"
            keys.append(key)
            statuses.append(status)
            payloads.append(str(payload))
        return pa.table({"key": pa.array(keys, pa.string()), "status": pa.array(statuses, pa.string()),
                         "payload": pa.array(payloads, pa.large_string())})


def cluster_cpus(ray: ModuleType) -> int:
    """CPUs the connected cluster offers: the default size of the actor pool."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _rows(batch: Any) -> Iterator[Result]:
    yield from zip(batch.column("key").to_pylist(), batch.column("status").to_pylist(),
                   batch.column("payload").to_pylist(), strict=True)


def _failed(exc: Exception) -> RayUnavailable:
    return RayUnavailable(f"Ray failed while analysing: {type(exc).__name__}: {exc} (what was written is kept; "
                          "run the command again to continue)")


def through_ray_client() -> bool:
    """Whether this process is connected through Ray Client (``ray://``)."""
    from ray.util.client import ray as client

    is_connected: Any = client.is_connected  # untyped in Ray
    return bool(is_connected())


def analyse(work: Iterable[Item | Document], settings: Settings, *, workers: int | None = None,
            batch_size: int = BATCH, window: int = WINDOW, dataset: bool | None = None) -> Iterator[Result]:
    """Every item analysed by a pool of ``workers`` actors (default: one per cluster CPU),
    yielded in input order. Needs a connected Ray (:func:`ray_session`).

    ``dataset``: run on Ray Data (the default) or on plain Ray actors (the default through
    Ray Client, where Ray Data's streaming executor does not run: it needs a local core worker)."""
    ray = import_ray()
    size = workers or cluster_cpus(ray)
    if dataset is None:
        dataset = not through_ray_client()
    if not dataset:
        yield from _analyse_on_actors(ray, work, settings, size=size, batch_size=batch_size)
        return
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the same linking order as a local run
    context.enable_progress_bars = False  # the CLI shows its own progress
    for chunk in _chunks(work, window):
        items = ray.data.from_items([{"item": pickle.dumps(x)} for x in chunk])
        results = items.map_batches(
            AnalyseActor, fn_constructor_kwargs={"settings": settings}, compute=ray.data.ActorPoolStrategy(size=size),
            batch_size=batch_size, batch_format="pyarrow", num_cpus=1)
        batches = iter(results.iter_batches(batch_format="pyarrow", batch_size=None))
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except Exception as exc:  # an actor lost for good, the cluster gone: not one article's fault
                raise _failed(exc) from exc
            yield from _rows(batch)


def _analyse_on_actors(ray: ModuleType, work: Iterable[Item | Document], settings: Settings, *, size: int,
                       batch_size: int) -> Iterator[Result]:
    """The same actors without Ray Data: ``size`` of them, two batches in flight per actor,
    results taken in submission order (so memory stays bounded and order is kept)."""
    import pyarrow as pa

    actor = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2)(AnalyseActor)
    pool = ray.util.ActorPool([actor.remote(settings) for _ in range(size)])
    batches = (pa.table({"item": pa.array([pickle.dumps(x) for x in chunk], pa.binary())})
               for chunk in _chunks(work, batch_size))

    def call(worker: Any, batch: Any) -> Any:
        return worker.__call__.remote(batch)

    for batch in islice(batches, 2 * size):
        pool.submit(call, batch)
    while pool.has_next():
        try:
            result = pool.get_next()
        except Exception as exc:
            raise _failed(exc) from exc
        following = next(batches, None)
        if following is not None:
            pool.submit(call, following)
        yield from _rows(result)


class RayIngest(Ingest):
    """The local :class:`Ingest` (source expansion, skipping, counting, writing, linking) with
    its analysis step run on Ray. ``workers`` is the number of actors."""

    def __init__(self, store: Store, settings: Settings, *, workers: int | None = None, address: str | None = None,
                 on_progress: Callable[[Summary, str], None] | None = None) -> None:
        super().__init__(store, settings, workers=1, on_progress=on_progress)
        self.actors = workers
        self.address = address

    def _run(self, work: Iterable[Item | Document], *, reprocess: bool) -> None:
        with ray_session(self.address, workers=self.actors):
            for key, status, payload in analyse(work, self.settings, workers=self.actors):
                self._record(key, status, json.loads(payload) if status == "ok" else payload, reprocess=reprocess)


def ingest_to_shards(sources: Sequence[str], settings: Settings, folder: Path, *, workers: int | None = None,
                     address: str | None = None, url_list: bool = False,
                     on_progress: Callable[[Summary, str], None] | None = None) -> Summary:
    """Analyse on Ray and write Parquet shards into ``folder`` instead of a store: no store is
    read or written, so every input is analysed (``claimgraph load`` skips what a store has).
    ``ingested`` counts the analyses written; rejects are written too, with their reasons, so
    that loading the shards records them in the store as a direct ingest would."""
    from claimgraph.ingest.fetch import HttpFetcher

    summary = Summary()
    writer = ShardWriter(folder)

    def note(key: str, analysis: str | None, error: str | None) -> None:
        writer.add(key, analysis, error)
        if error is None:
            summary.ingested += 1
        else:
            summary.rejected.append((key, error))
        if on_progress:
            on_progress(summary, key)

    def items() -> Iterator[Item]:
        for entry in expand(sources, url_list=url_list, fetcher=HttpFetcher(settings)):
            if isinstance(entry, Rejected):
                note(entry.key, None, entry.reason)
            elif isinstance(entry, Skipped):  # counted, not analysed (#19)
                summary.skipped.append((entry.key, entry.reason))
            else:
                yield entry

    try:
        with ray_session(address, workers=workers):
            for key, status, payload in analyse(items(), settings, workers=workers):
                if status == "ok":
                    note(key, payload, None)
                else:
                    note(key, None, payload)
    finally:
        writer.close()  # what was analysed before a failure is kept
    return summary
