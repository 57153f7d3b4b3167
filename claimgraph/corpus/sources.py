"""What ``claimgraph ingest SOURCE...`` reads: every source expanded into items, one per
article, each named by a stable key (its path, its URL, ``file.jsonl#12``, ``crawl.warc.gz#
offset``) so a re-run can tell what it already has.

Files and folders (recursive), URLs and URL lists (``.urls``/``.txt`` files of URLs are read
as lists only with ``--url-list``; see :func:`expand`), RSS/Atom feeds (feedparser; an item's
full content when the feed carries it, else its link to fetch), WARC files (warcio; response
records with HTML), JSONL (one article per line: ``text`` or ``html`` plus ``url``,
``title``, ``published``, ``site``) and Parquet (one article per row, the same columns: the
format data teams export in, read with pyarrow). An input that cannot be read becomes a
:class:`Rejected` item with the reason, one deliberately not read a :class:`Skipped` one, and
the expansion goes on: every path and record met is accounted for (#19), including empty
containers (a WARC with no HTML response, a feed with no entries) and truncated WARC records.
Folder walks are :mod:`claimgraph.corpus.walk`; JSON is parsed with bounded nesting and
number size (:mod:`claimgraph.ingest.bounded_json`).

Items are plain picklable data: worker processes turn them into Documents.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

import feedparser

from claimgraph.corpus.walk import ARTICLE_EXTENSIONS, FileEntry, Rejected, Skipped, named_path, printable
from claimgraph.errors import InputError
from claimgraph.ingest import document_from_bytes, load_document
from claimgraph.ingest.bounded_json import loads_bounded
from claimgraph.ingest.dates import normalise_date
from claimgraph.ingest.fetch import Fetcher
from claimgraph.ingest.sources import is_url, read_file
from claimgraph.model import Document
from claimgraph.settings import Settings

#: the columns of a JSONL line or a Parquet row that describe its article
ROW_FIELDS = ("text", "html", "url", "title", "published", "site")
#: Parquet rows read at a time (bounded memory for big files)
PARQUET_BATCH = 1024
#: a feed's entry content shorter than this is a summary: the article is fetched from its link
FULL_TEXT_MIN_CHARS = 1500
#: metadata longer than this (a URL, a title) is not metadata: dropped with a note
MAX_META_CHARS = 4096
#: the most bytes read of one JSONL line, feed or list file (an article is capped the same)
DEFAULT_LIMIT = Settings().max_input_bytes

@dataclass(frozen=True, slots=True)
class Item:
    """One article to ingest. ``kind``: ``path`` or ``url`` (read by the ingest module),
    ``bytes`` (a WARC record or a feed entry's HTML), ``text`` (a JSONL article's text).
    ``key`` names it (printable: see :func:`claimgraph.corpus.walk.display_name`); ``path`` is
    the file to read when that differs from the key; ``notes`` go on the document (metadata
    dropped as invalid); ``fingerprint`` is a hash of its content when in hand, so a re-run
    skips it only when both its name and its content were seen (#20)."""

    key: str
    kind: str
    data: bytes | str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    site: str | None = None
    content_type: str | None = None
    path: str | None = None
    notes: tuple[str, ...] = ()
    fingerprint: str | None = None

    def document(self, settings: Settings) -> Document:
        """The Document this item holds; raises InputError (with this item's key) when it has none."""
        if self.kind in ("path", "url"):
            source = (self.url if self.kind == "url" else self.path) or self.key
            return self._filled(load_document(source, settings=settings, published=self.published))
        if self.kind == "text":
            text = str(self.data or "").strip()
            if not text:
                raise InputError(self.key, "empty text")
            if len(text) > settings.max_input_bytes:
                raise InputError(self.key, f"text of {len(text):,} characters is over the limit of "
                                           f"{settings.max_input_bytes:,}")
            return Document.from_text(text, url=self.url, title=self.title, published=self.published,
                                      site=self.site, source_format="text", notes=self.notes)
        raw = self.data if isinstance(self.data, bytes) else str(self.data or "").encode("utf-8")
        return self._filled(document_from_bytes(raw, origin=self.url or self.key, content_type=self.content_type,
                                                url=self.url, published=self.published, settings=settings))

    def _filled(self, doc: Document) -> Document:
        """The page's own title and site win; a feed entry's (or a JSONL line's) fill what the page
        lacks — a fetched article often has no site name a feed states in its title."""
        if (self.title and not doc.title) or (self.site and not doc.site) or self.notes:
            doc = Document(doc.id, doc.text, doc.url, doc.title or self.title, doc.site or self.site, doc.author,
                           doc.published, doc.language, doc.source_format, (*doc.notes, *self.notes))
        return doc


def content_fingerprint(item: Item, *, limit: int = DEFAULT_LIMIT) -> str | None:
    """A hash of what the item holds (its bytes, and the metadata given with them): for a file,
    of its bytes, read here (None when it cannot be read or is over ``limit``: the worker then
    reads it and says why); for a URL, None (its content is known only by fetching)."""
    if item.fingerprint is not None or item.kind == "url":
        return item.fingerprint
    if item.kind == "path":
        try:
            data = read_file(item.path or item.key, limit=limit)
        except InputError:
            return None
        return hashlib.sha256(data).hexdigest()
    return _fingerprint(item)


def _fingerprint(item: Item) -> str:
    digest = hashlib.sha256()
    data = item.data if isinstance(item.data, bytes) else str(item.data or "").encode("utf-8", "surrogatepass")
    digest.update(data)
    for value in (item.url, item.title, item.published, item.site, item.content_type):
        digest.update(b"\x00" + (value or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _with_fingerprint(item: Item) -> Item:
    return replace(item, fingerprint=_fingerprint(item))


def _is_warc(path: str) -> bool:
    return path.endswith((".warc", ".warc.gz"))


def _looks_like_feed(head: bytes) -> bool:
    start = head.lstrip()[:400].lower()
    return (start.startswith(b"<?xml") and (b"<rss" in start or b"<feed" in start or b"<rdf" in start)) \
        or start.startswith((b"<rss", b"<feed"))


def expand(sources: Sequence[str], *, url_list: bool = False, fetcher: Fetcher | None = None,
           limit: int = DEFAULT_LIMIT) -> Iterator[Item | Rejected | Skipped]:
    """``fetcher`` reads feed URLs (claimgraph.ingest.fetch: time-out, size cap, no private
    addresses); without one, feed URLs are refused rather than fetched unguarded. ``limit``
    caps what is read of one feed, list file or JSONL line."""
    for source in sources:
        if is_url(source):
            yield from _url(source, fetcher)
            continue
        named = os.path.isfile(source)
        for entry in named_path(source):
            if isinstance(entry, FileEntry):
                yield from _file(entry.path, entry.key, url_list=url_list and named, limit=limit)
            else:
                yield entry


def _url(url: str, fetcher: Fetcher | None) -> Iterator[Item | Rejected]:
    """A URL is an article; a feed URL is recognised by its path (``.rss``, ``/feed``), fetched
    through the guarded fetcher, and expanded into its entries."""
    lower = url.lower().split("?")[0]
    if lower.endswith((".rss", ".atom", "/feed", "/rss", ".xml")):
        if fetcher is None:
            yield Rejected(url, "feed URL given without a fetcher")
            return
        try:
            body = fetcher.fetch(url).body
        except InputError as exc:
            yield Rejected(url, exc.reason)
            return
        yield from _feed(url, body)
        return
    yield Item(url, "url")


def _file(path: str, key: str, *, url_list: bool, limit: int) -> Iterator[Item | Rejected]:
    lower = path.lower()
    try:
        if lower.endswith(".jsonl") or lower.endswith(".json"):
            yield from _jsonl(path, key, limit)
        elif lower.endswith(".parquet"):
            yield from _parquet(path, key)
        elif _is_warc(lower):
            yield from _warc(path, key)
        elif url_list and lower.endswith((".txt", ".urls")):
            yield from _url_list(path, key, limit)
        else:
            with open(path, "rb") as fh:
                head = fh.read(512)
            if _looks_like_feed(head):
                yield from _feed(key, read_file(path, limit=limit))
            else:
                yield Item(key, "path", path=None if path == key else path)
    except InputError as exc:
        yield Rejected(key, exc.reason)
    except OSError as exc:
        yield Rejected(key, f"cannot read: {(exc.strerror or type(exc).__name__).lower()}")


def _lines(fh: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a file, each at most ``limit`` bytes; a longer line is read past and given
    as None (never held whole in memory)."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _url_list(path: str, key: str, limit: int) -> Iterator[Item | Rejected]:
    found = False
    with open(path, "rb") as fh:
        for n, raw in enumerate(_lines(fh, limit), 1):
            if raw is None:
                yield Rejected(f"{key}#{n}", f"line over {limit:,} bytes")
                continue
            line = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
            if not line or line.startswith("#"):
                continue
            found = True
            yield Item(line, "url") if is_url(line) else Rejected(f"{key}#{n}", f"not a URL: {line[:80]!r}")
    if not found:
        yield Rejected(key, "URL list holds no URL")


def _jsonl(path: str, key: str, limit: int) -> Iterator[Item | Rejected]:
    """One article per line. A BOM before the first line is not part of it (#20); a line over
    ``limit``, nested too deep, or holding a huge number is rejected with the limit it broke."""
    found = False
    with open(path, "rb") as fh:
        for n, raw in enumerate(_lines(fh, limit), 1):
            line_key = f"{key}#{n}"
            if raw is None:
                found = True
                yield Rejected(line_key, f"line over {limit:,} bytes")
                continue
            line = raw.decode("utf-8", errors="replace")
            if n == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            found = True
            try:
                obj: Any = loads_bounded(line)
            except ValueError as exc:  # JSONDecodeError, or a limit
                msg = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                yield Rejected(line_key, f"not JSON: {msg}")
                continue
            if not isinstance(obj, dict):
                yield Rejected(line_key, "a JSON line must be an object with 'text' or 'html'")
                continue
            yield _row_item(line_key, obj)
    if not found:
        yield Rejected(key, "empty JSONL file: no line holds a record")


def _meta(obj: dict[str, Any], name: str, notes: list[str]) -> str | None:
    """A metadata field as text: strings (and a Parquet date) kept, anything else dropped with a note."""
    value = obj.get(name)
    if value is None:
        return None
    if hasattr(value, "isoformat") and name == "published":
        value = value.isoformat()
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        notes.append(f"{name} dropped: a {type(value).__name__}, not text")
        return None
    text = str(value)
    if len(text) > MAX_META_CHARS:
        notes.append(f"{name} dropped: {len(text):,} characters")
        return None
    return text


def _row_item(key: str, obj: dict[str, Any]) -> Item | Rejected:
    """One article from a JSONL line or a Parquet row: ``html`` (cleaned like a page) or ``text``.
    A ``published`` that is not a date ("yesterday", "2025-13-45") is dropped with a note (#20)."""
    notes: list[str] = []
    meta = {k: _meta(obj, k, notes) for k in ("url", "title", "published", "site")}
    if meta["published"] is not None:
        iso = normalise_date(meta["published"])
        if iso is None:
            notes.append(f"published {meta['published'][:40]!r} is not a date: dropped")
        meta["published"] = iso
    if isinstance(obj.get("html"), str):
        return _with_fingerprint(Item(key, "bytes", obj["html"].encode("utf-8", "replace"),
                                      content_type="text/html", notes=tuple(notes), **meta))
    if isinstance(obj.get("text"), str):
        return _with_fingerprint(Item(key, "text", obj["text"], notes=tuple(notes), **meta))
    return Rejected(key, "no 'text' or 'html' field")


def _parquet(path: str, key: str) -> Iterator[Item | Rejected]:
    """Rows keyed ``file.parquet#N`` (1-based, like JSONL lines), read a batch at a time.
    pyarrow is optional (it comes with ``claimgraph[ray]``): without it the file is rejected
    with the command that installs it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejected(key, "reading Parquet needs pyarrow: pip install 'claimgraph[ray]'")
        return
    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a file that is not Parquet
        yield Rejected(key, f"not a Parquet file: {exc}")
        return
    columns = [c for c in ROW_FIELDS if c in pfile.schema_arrow.names]
    if not {"text", "html"} & set(columns):
        yield Rejected(key, "Parquet file has no 'text' or 'html' column")
        return
    n = 0
    try:
        for batch in pfile.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
            for row in batch.to_pylist():
                n += 1
                yield _row_item(f"{key}#{n}", row)
    except Exception as exc:  # a damaged row group: the rows before it are kept, as with WARC
        yield Rejected(f"{key}#{n + 1}", f"corrupt Parquet: {type(exc).__name__}: {exc}")
        return
    if n == 0:
        yield Rejected(key, "Parquet file holds no rows")


def _warc(path: str, key: str) -> Iterator[Item | Rejected]:
    """HTML response records. A record shorter than its header says (a cut download) is
    rejected, not stored as a complete article (#20); a WARC that yields no HTML response —
    random bytes, a cut gzip member, only requests — is rejected as a whole (#19)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = responses = 0
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                records += 1
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
                if ctype is None or "html" not in ctype.lower():
                    continue
                responses += 1
                try:
                    body = record.content_stream().read()  # before the offset: asking for it reads to the end
                    error = None
                except Exception as exc:
                    body, error = b"", exc
                record_key = f"{key}#{iterator.get_record_offset()}"
                missing = getattr(record.raw_stream, "limit", 0) or 0
                if error is not None:
                    yield Rejected(record_key, f"unreadable WARC record: {error}")
                elif missing > 0:
                    yield Rejected(record_key, f"truncated WARC record: {missing:,} of its {record.length:,} bytes "
                                               "missing")
                else:
                    yield _with_fingerprint(Item(record_key, "bytes", body, url=uri, content_type=ctype))
        except (ArchiveLoadFailed, ValueError, AttributeError, OSError, EOFError) as exc:
            # warcio reports a damaged record in several ways; the records before it are kept
            yield Rejected(f"{key}#{iterator.offset}", f"corrupt WARC: {type(exc).__name__}: {exc}")
            return
    if responses == 0:
        yield Rejected(key, f"no HTML response record in the WARC ({records} record(s) read)")


def _feed(origin: str, body: bytes) -> Iterator[Item | Rejected]:
    """A feed's entries; a feed that does not parse, or parses to no entry, is rejected."""
    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # feedparser's own parsers raise on some malformed input
        yield Rejected(origin, f"feed does not parse: {type(exc).__name__}: {exc}")
        return
    if parsed.get("bozo") and not parsed.get("entries"):
        yield Rejected(origin, f"feed does not parse: {parsed.get('bozo_exception')}")
        return
    if not parsed.get("entries"):
        yield Rejected(origin, "feed has no entries")
        return
    yield from _feed_items(origin, parsed)


def _feed_items(origin: str, parsed: Any) -> Iterator[Item | Rejected]:
    site = _text(parsed.get("feed", {}).get("title"))
    for n, entry in enumerate(parsed.get("entries", []), 1):
        link, title = _text(entry.get("link")), _text(entry.get("title"))
        published = None
        if entry.get("published_parsed"):
            published = normalise_date("{:04d}-{:02d}-{:02d}".format(*entry["published_parsed"][:3]))
        content = entry.get("content") or []
        html = _text(content[0].get("value")) if content else None
        if html and len(html) >= FULL_TEXT_MIN_CHARS:
            yield _with_fingerprint(Item(printable(link) if link else f"{origin}#{n}", "bytes",
                                         html.encode("utf-8", "replace"), url=link, title=title,
                                         published=published, site=site, content_type="text/html"))
        elif link and is_url(link):
            yield Item(printable(link), "url", url=link, published=published, title=title, site=site)
        else:
            yield Rejected(f"{origin}#{n}", "feed entry has neither full text nor a link")


def _text(value: Any) -> str | None:
    return value[:MAX_META_CHARS] if isinstance(value, str) and value else None


__all__ = ["ARTICLE_EXTENSIONS", "Item", "Rejected", "Skipped", "content_fingerprint", "expand"]
