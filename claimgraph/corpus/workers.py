"""Worker processes for batch ingest, with a watchdog: one slow or crashing document never
holds or stops a batch (#19).

``concurrent.futures.ProcessPoolExecutor`` cannot stop one task: a document stuck in C code
(a spaCy component, a regular expression) held its worker, and the batch, for as long as it
ran; a worker that died took the whole pool down. Here the parent hands each worker one item
at a time over a pipe and knows when each started. A worker still busy
``deadline`` seconds later is killed and replaced, and its item answered as rejected ("over
the time limit"); a worker that dies (out of memory, a crash in native code) is replaced the
same way, its item rejected with the exit status. Results come back in input order.

Workers are forked where the platform allows (the parent's imports are shared, a replacement
starts in a second or two); each loads the pipeline once. A worker reads its pipe and exits
when the parent goes away, so a parent killed with ``kill -9`` leaves no worker behind for
longer than the document it is on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any

#: (key, status, payload): status "ok" with the analysis JSON, or "rejected" with the reason
Result = tuple[str, str, Any]
Work = Callable[[Any], Result]


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _serve(conn: Connection, init: Callable[[], None], work: Work) -> None:
    """A worker's loop: load, say ready, then analyse items until the pipe closes."""
    try:
        init()
    except BaseException as exc:  # reported to the parent, which stops the batch
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        seq, item = message
        started = time.monotonic()
        result = work(item)
        conn.send((seq, result, time.monotonic() - started))  # the worker's own time, not the parent's wait


class WorkerFailed(RuntimeError):
    """A worker could not load the pipeline (a missing model): nothing can be analysed."""


class _Worker:
    def __init__(self, ctx: Any, init: Callable[[], None], work: Work, close_fds: tuple[int, ...]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_child_main, args=(child, init, work, close_fds), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.job: tuple[int, str, float] | None = None  # (seq, key, started)

    def stop(self, *, kill: bool) -> None:
        if kill and self.proc.is_alive():
            self.proc.kill()
        else:
            with suppress(OSError):
                self.conn.send(None)
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _child_main(conn: Connection, init: Callable[[], None], work: Work, close_fds: tuple[int, ...]) -> None:
    for fd in close_fds:  # the parent's lock files are not the worker's to hold
        with suppress(OSError):
            os.close(fd)
    _serve(conn, init, work)


class WorkerPool:
    """``size`` worker processes; :meth:`map` analyses items with at most ``deadline`` seconds each."""

    def __init__(self, size: int, init: Callable[[], None], work: Work, *, deadline: float,
                 key_of: Callable[[Any], str], close_fds: tuple[int, ...] = (),
                 on_done: Callable[[str, float], None] | None = None) -> None:
        """``on_done(key, seconds)`` is told how long each item took in its worker (for an item the
        watchdog stopped, how long the parent waited)."""
        self.ctx = _context()
        self.size = max(1, size)
        self.init, self.work, self.deadline, self.key_of = init, work, deadline, key_of
        self.close_fds = close_fds
        self.on_done = on_done
        self.workers: list[_Worker] = []
        #: workers replaced after a time-out or a crash (for the summary)
        self.replaced = 0

    def __enter__(self) -> WorkerPool:
        self.workers = [self._spawn() for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop(kill=exc[0] is not None)
        self.workers = []

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.init, self.work, self.close_fds)

    def map(self, items: Iterable[Any]) -> Iterator[Result]:
        """Results in the order of ``items``; a bounded number in flight."""
        source = iter(items)
        pending: dict[int, Any] = {}  # seq -> item, read ahead but not yet handed out
        results: dict[int, Result] = {}
        queue: list[int] = []
        next_seq = emit = 0
        exhausted = False
        window = self.size * 4
        while True:
            while not exhausted and len(pending) + len(results) + self._busy() < window:
                try:
                    pending[next_seq] = next(source)
                except StopIteration:
                    exhausted = True
                    break
                queue.append(next_seq)
                next_seq += 1
            self._dispatch(queue, pending)
            while emit in results:
                yield results.pop(emit)
                emit += 1
            if exhausted and emit == next_seq:
                return
            self._collect(results)

    def _busy(self) -> int:
        return sum(1 for w in self.workers if w.job is not None)

    def _dispatch(self, queue: list[int], pending: dict[int, Any]) -> None:
        for worker in self.workers:
            if not queue:
                return
            if worker.ready and worker.job is None:
                seq = queue.pop(0)
                item = pending.pop(seq)
                worker.job = (seq, self.key_of(item), time.monotonic())
                with suppress(OSError):  # the worker died: _collect finds it and answers for the item
                    worker.conn.send((seq, item))

    def _collect(self, results: dict[int, Result]) -> None:
        """Wait for a result, a worker ready, a death or a time-out; at most a second."""
        conns: dict[Any, _Worker] = {w.conn: w for w in self.workers}
        sentinels: dict[Any, _Worker] = {w.proc.sentinel: w for w in self.workers}
        for ready in wait([*conns, *sentinels], timeout=1.0):
            worker = conns.get(ready) or sentinels.get(ready)
            if worker is None or worker not in self.workers:
                continue
            from_pipe = ready is worker.conn
            if from_pipe:
                try:
                    message: Any = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker, results, "the worker process died")
                    continue
                if message[0] == "failed":
                    raise WorkerFailed(f"a worker could not start: {message[1]}")
                if message[0] == "ready":
                    worker.ready = True
                else:
                    seq, result, spent = message
                    results[seq] = result
                    if self.on_done is not None and worker.job is not None:
                        self.on_done(worker.job[1], spent)
                    worker.job = None
            elif not worker.proc.is_alive():
                self._replace(worker, results, f"the worker process died (exit status {worker.proc.exitcode})")
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.job is not None and now - worker.job[2] > self.deadline:
                self._replace(worker, results, f"over the time limit of {self.deadline:g} s: its worker was stopped",
                              kill=True)

    def _replace(self, worker: _Worker, results: dict[int, Result], reason: str, *, kill: bool = True) -> None:
        if worker.job is not None:
            seq, key, started = worker.job
            results[seq] = (key, "rejected", reason)
            if self.on_done is not None:
                self.on_done(key, time.monotonic() - started)
        elif not worker.ready and self.replaced > 3 * self.size:
            # died while loading again and again: give up on the batch
            raise WorkerFailed(f"workers keep dying while loading the pipeline ({reason})")
        worker.stop(kill=kill)
        self.workers[self.workers.index(worker)] = self._spawn()
        self.replaced += 1


__all__ = ["Result", "WorkerFailed", "WorkerPool"]
