"""Answers kept until the store changes: a served corpus is read far more often than it is
written, and the same pages (the home page, a hub's entity page, the events map) are asked for
again and again between two writes.

Why it cannot serve a stale answer: on SQLite, ``PRAGMA data_version`` on a connection that
never writes changes whenever any other connection — an ingest in another process, a
correction through this server — commits. Each kept answer carries the version read *before*
it was computed, and is used only while the version is still that one; a write during the
computation leaves it already outdated. PostgreSQL has no such counter, so there nothing is kept.

What is kept: successful (200) answers to GET requests, pages and API alike, by path and query
string, at most :data:`ENTRIES` of them, each under :data:`MAX_BYTES`, :data:`TOTAL_BYTES` in
all. It sits inside the token gate and the security headers (they apply to every answer, kept or
not) and outside the request time limit.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimgraph.corpus.store import Store

ENTRIES = 512
MAX_BYTES = 4_000_000
#: all kept bodies together, at most
TOTAL_BYTES = 64_000_000


class DataVersion:
    """The store's change counter, read on a connection of its own (SQLite files only)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, store: Store) -> DataVersion | None:
        """The counter of a SQLite file store; None for any other store (nothing is kept then)."""
        database = store.engine.url.database
        if not store.sqlite or not database or database == ":memory:" or not Path(database).is_file():
            return None
        return cls(Path(database))

    def __call__(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@dataclass(frozen=True, slots=True)
class Kept:
    version: int
    start: Message
    body: bytes


class ResponseCache:
    """Replays a kept answer while the store's version is the one it was computed at."""

    def __init__(self, app: ASGIApp, *, version: DataVersion | None) -> None:
        self.app = app
        self.version = version
        self.kept: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.version is None or scope["type"] != "http" or scope["method"] != "GET"
                or scope["path"].startswith("/static/")):
            await self.app(scope, receive, send)
            return
        key = (str(scope["path"]), bytes(scope.get("query_string", b"")))
        version = self.version()
        with self.lock:
            found = self.kept.get(key)
            if found is not None and found.version == version:
                self.kept.move_to_end(key)
        if found is not None and found.version == version:
            await send(found.start)
            await send({"type": "http.response.body", "body": found.body, "more_body": False})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message.get("status") == 200
            elif message["type"] == "http.response.body" and keep:
                body = bytes(message.get("body", b""))
                size += len(body)
                keep = size <= MAX_BYTES
                if keep:
                    chunks.append(body)
                if keep and not message.get("more_body", False) and start is not None:
                    self._keep(key, Kept(version, start, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[str, bytes], kept: Kept) -> None:
        with self.lock:
            old = self.kept.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.kept[key] = kept
            self.size += len(kept.body)
            while self.kept and (len(self.kept) > ENTRIES or self.size > TOTAL_BYTES):
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped.body)
