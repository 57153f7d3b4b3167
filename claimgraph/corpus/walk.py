"""The paths an ingest meets: every one is read, or answered with a reason — none goes missing.

A folder walk (``Path.rglob`` before #19) silently passed over symbolic-link loops, broken
links, FIFOs, device files and the contents of unreadable folders, followed links out of the
folder the user named (a link to ``/etc/passwd`` was stored and searchable, #20), and crashed
the batch on file names that are not UTF-8 or hold a newline. Here each entry of the walk
becomes exactly one of:

- :class:`FileEntry` — a regular file (or a link to one inside the named tree) to read;
- :class:`Rejected` — could not or must not be read: the reason says which;
- :class:`Skipped` — deliberately not read (hidden names, files of no article type), counted.

Entries are keyed by :func:`display_name`: the path with undecodable bytes and control
characters escaped (``\\xff``, ``\\n``), so keys can be stored, printed and written one per
line to a report; the real path travels beside it for reading.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

#: file name endings ingest reads in a folder walk (a file named on the command line is always read)
ARTICLE_EXTENSIONS = (".html", ".htm", ".txt", ".json", ".jsonl", ".parquet", ".warc", ".warc.gz", ".xml", ".rss",
                      ".atom")

_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {0x7F: "\\x7f", 10: "\\n", 13: "\\r", 9: "\\t"}


@dataclass(frozen=True, slots=True)
class Rejected:
    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input deliberately not read (counted in the summary and the report, not an error)."""

    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class FileEntry:
    key: str
    path: str


def display_name(path: str) -> str:
    """``path`` as printable text: bytes that are not UTF-8 (a file name is bytes on POSIX)
    as ``\\xNN``, control characters (a newline in a name) escaped the same way."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that no file system byte maps to
        return printable(path)
    return raw.decode("utf-8", errors="backslashreplace").translate(_CONTROL)


def printable(text: str) -> str:
    """Any text (a URL from a feed, a key) with control characters and lone surrogates escaped."""
    return text.encode("utf-8", errors="backslashreplace").decode("utf-8").translate(_CONTROL)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def _stat_reason(exc: OSError, path: str) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file, folder or URL"
    if exc.errno == errno.EACCES:
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot read: {(exc.strerror or type(exc).__name__).lower()}"


def named_path(source: str) -> Iterator[FileEntry | Rejected | Skipped]:
    """A path the user named: a file (links followed: the user named it), a folder (walked),
    or a rejection (missing, special file)."""
    key = display_name(source)
    try:
        info = os.stat(source)
    except OSError as exc:
        yield Rejected(key, _stat_reason(exc, source))
        return
    except ValueError:  # an embedded NUL byte
        yield Rejected(key, "not a valid path (NUL byte)")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from walk(source)
    elif stat.S_ISREG(info.st_mode):
        yield FileEntry(key, source)
    else:
        yield Rejected(key, f"{_kind(info.st_mode)}, not a file: not read")


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def walk(root: str) -> Iterator[FileEntry | Rejected | Skipped]:
    """Every entry under ``root``, depth first, names sorted. Links are read only when they
    point inside ``root`` (what they point to must be the user's to ingest); links to folders
    are not walked (their files are met where they are, and a loop cannot form)."""
    root_real = os.path.realpath(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            yield Rejected(display_name(folder), f"cannot read folder: {_stat_reason(exc, folder)}")
            continue
        subfolders = []
        for entry in entries:
            found = _entry(entry, root_real)
            if isinstance(found, str):
                subfolders.append(found)
            elif found is not None:
                yield found
        stack.extend(reversed(subfolders))


def _entry(entry: os.DirEntry[str], root_real: str) -> FileEntry | Rejected | Skipped | str | None:
    """What one folder entry is: an entry to yield, or a subfolder's path (a ``str``) to walk."""
    key = display_name(entry.path)
    if entry.name.startswith("."):
        return Skipped(key, "hidden name (starts with '.')")
    try:
        if entry.is_symlink():
            try:
                info = os.stat(entry.path)
            except OSError as exc:
                return Rejected(key, _stat_reason(exc, entry.path))
            real = os.path.realpath(entry.path)
            if not _inside(real, root_real):
                return Rejected(key, f"symbolic link out of the folder, to {display_name(real)}: not followed")
            if stat.S_ISDIR(info.st_mode):
                return Skipped(key, "symbolic link to a folder inside the tree: its files are read where they are")
        else:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                return entry.path
    except OSError as exc:
        return Rejected(key, _stat_reason(exc, entry.path))
    if not stat.S_ISREG(info.st_mode):
        return Rejected(key, f"{_kind(info.st_mode)}, not a file: not read")
    if not entry.name.lower().endswith(ARTICLE_EXTENSIONS):
        ext = os.path.splitext(entry.name)[1]
        return Skipped(key, f"not an article file type ({display_name(ext) or 'no extension'})")
    return FileEntry(key, entry.path)


__all__ = ["ARTICLE_EXTENSIONS", "FileEntry", "Rejected", "Skipped", "display_name", "named_path", "printable", "walk"]
