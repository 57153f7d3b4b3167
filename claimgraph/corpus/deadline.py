"""A time limit on the store's queries, so that one expensive request cannot hold a server
thread (and its CPU) for minutes after its client has given up.

Why a context variable: the limit belongs to a request or a search, not to the store, which
the served app and an ingest share. :func:`time_limit` sets a deadline for the code inside it;
the web app's request middleware sets one for every request, and the search sets a tighter
one of its own. The context travels with the request into the worker thread that runs a sync
route (anyio copies it), so the database callbacks below see the deadline of the request they
work for, and nothing else does.

How a query is stopped: on SQLite a progress handler, called every few thousand virtual-machine
steps, aborts the statement once the deadline has passed (``sqlite3.OperationalError:
interrupted``); on PostgreSQL each connection taken from the pool while a deadline is set gets
``statement_timeout`` for the time left, and the server cancels the statement (SQLSTATE 57014).
Either way the caller sees a :class:`sqlalchemy.exc.OperationalError` that :func:`is_timeout`
recognises.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from claimgraph.errors import ClaimgraphError

#: when the current request or search must be done (``time.monotonic()``), or None
_deadline: ContextVar[float | None] = ContextVar("claimgraph_deadline", default=None)
#: SQLite virtual-machine steps between two looks at the clock (microseconds of work)
PROGRESS_STEPS = 2_000
#: PostgreSQL's error code for a statement cancelled by statement_timeout
QUERY_CANCELED = "57014"


class QueryTimeout(ClaimgraphError):
    """A query ran past its time limit and was stopped."""

    def __init__(self, seconds: float, what: str = "the query") -> None:
        super().__init__(f"{what} took longer than {seconds:g} s and was stopped")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Queries inside this block stop once ``seconds`` have passed (an outer, earlier
    deadline stays in force)."""
    end = time.monotonic() + seconds
    current = _deadline.get()
    token = _deadline.set(end if current is None else min(current, end))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before the current deadline (None when there is none)."""
    end = _deadline.get()
    return None if end is None else end - time.monotonic()


@dataclass
class _Guard:
    """What one engine's connections look at: the request's deadline, and whether the process
    that serves it is stopping (then every running statement ends at once)."""

    stopped: bool = False

    def expired(self) -> int:
        end = _deadline.get()
        return 1 if self.stopped or (end is not None and time.monotonic() > end) else 0

    def on_checkout(self, dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_conn, sqlite3.Connection):
            dbapi_conn.set_progress_handler(self.expired, PROGRESS_STEPS)
            return
        left = remaining()
        cur = dbapi_conn.cursor()
        try:  # session-wide, in the transaction the checkout's work runs in: a rollback takes it back
            if left is None:
                cur.execute("RESET statement_timeout")
            else:
                cur.execute(f"SET statement_timeout = {max(1, int(left * 1000))}")
        finally:
            cur.close()


_guards: weakref.WeakKeyDictionary[Engine, _Guard] = weakref.WeakKeyDictionary()


def install(engine: Engine) -> None:
    """Make this engine's connections honour :func:`time_limit` (idempotent)."""
    if engine not in _guards:
        guard = _guards[engine] = _Guard()
        event.listen(engine, "checkout", guard.on_checkout)


def stop(engine: Engine) -> None:
    """End every statement running on this engine now and refuse new ones (a server shutting
    down: its worker threads finish instead of holding the process). SQLite only: on PostgreSQL
    a running statement ends at its ``statement_timeout`` (the request's deadline)."""
    guard = _guards.get(engine)
    if guard is not None:
        guard.stopped = True


def is_timeout(exc: BaseException) -> bool:
    """Whether a database error is a statement stopped by the deadline."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.OperationalError):
        return "interrupted" in str(orig)
    return getattr(orig, "sqlstate", None) == QUERY_CANCELED
