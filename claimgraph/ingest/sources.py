"""Reading the bytes of a file or a stream without ever holding more than the size cap.

A 50 GB file, ``/dev/zero`` or an endless pipe must fail fast with "over the limit",
not exhaust memory first: files are checked with ``stat`` before they are opened (so
the message can give the size), and every read stops one byte past the cap, which also
covers special files whose ``stat`` size is 0. A FIFO (``analyze <(curl ...)``) is read
without blocking: if no data comes within :data:`FIFO_WAIT_S` seconds — nobody writes to it —
it is refused rather than waited on forever (#20).
"""

from __future__ import annotations

import os
import re
import select
import stat
import time
from typing import BinaryIO

from claimgraph.errors import FetchError, InputError
from claimgraph.ingest.decode import too_large

STDIN_ORIGIN = "<stdin>"
_CHUNK = 1024 * 1024
#: seconds a FIFO may stay silent before it is refused
FIFO_WAIT_S = 10.0
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_url(source: str) -> bool:
    """http(s) URLs are fetched; ``C:\\path`` and ``./file`` are not URLs."""
    return source.lower().startswith(("http://", "https://"))


def check_not_other_url(source: str) -> None:
    """``ftp://`` or ``file://`` would otherwise be reported as a missing file, which misleads."""
    m = _SCHEME.match(source)
    if m and not is_url(source):
        raise FetchError(source, f"unsupported URL scheme {m.group(1).lower()!r} (use http or https)")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def read_file(path: str, *, limit: int) -> bytes:
    """The bytes of ``path``; raises :class:`InputError` (missing, a directory, too large)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise too_large(path, limit, info.st_size)
    if stat.S_ISFIFO(info.st_mode):
        return read_fifo(path, limit=limit)
    try:
        with open(path, "rb") as handle:
            return read_stream(handle, origin=path, limit=limit)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from None


def read_fifo(path: str, *, limit: int, wait: float | None = None) -> bytes:
    """A FIFO's bytes, opened without blocking; refused when it stays silent for ``wait`` seconds
    (default :data:`FIFO_WAIT_S`: no writer, or a writer that sends nothing)."""
    wait = FIFO_WAIT_S if wait is None else wait
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from None
    chunks: list[bytes] = []
    size = 0
    quiet_since = time.monotonic()
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.1)
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size)) if ready else b""
            if chunk:
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise too_large(path, limit)
                quiet_since = time.monotonic()
            elif ready and chunks:
                break  # end of file after data: the writer is done
            elif time.monotonic() - quiet_since > wait:
                if chunks:
                    break
                raise InputError(path, f"a FIFO that sent no data in {wait:g} s (nothing writes to it)")
            elif ready:
                time.sleep(0.05)  # no writer yet: a closed FIFO reads as end of file at once
    except BlockingIOError:
        pass
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_stream(stream: BinaryIO, *, origin: str, limit: int) -> bytes:
    """Read to EOF, giving up one byte past ``limit``; pipes may return short reads."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        if isinstance(chunk, str):  # a text-mode stream passed where bytes were promised
            chunk = chunk.encode("utf-8")
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large(origin, limit)
    return b"".join(chunks)


__all__ = ["FIFO_WAIT_S", "STDIN_ORIGIN", "check_not_other_url", "is_url", "read_fifo", "read_file", "read_stream"]
