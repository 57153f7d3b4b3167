"""What ``claimgraph ingest SOURCE...`` reads: every source expanded into items, one per
article, each named by a stable key (its path, its URL, ``file.jsonl#12``, ``crawl.warc.gz#
offset``) so a re-run can tell what it already has.

Files and folders (recursive), URLs and URL lists (``.urls``/``.txt`` files of URLs are read
as lists only with ``--url-list``; see :func:`expand`), RSS/Atom feeds (feedparser; an item's
full content when the feed carries it, else its link to fetch), WARC files (warcio; response
records with HTML), JSONL (one article per line: ``text`` or ``html`` plus ``url``,
``title``, ``published``, ``site``) and Parquet (one article per row, the same columns: the
format data teams export in, read with pyarrow). An input that cannot be read becomes a
:class:`Rejected` item with the reason, and the expansion goes on.

Items are plain picklable data: worker processes turn them into Documents.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from claimgraph.errors import InputError
from claimgraph.ingest import document_from_bytes, load_document
from claimgraph.ingest.fetch import Fetcher
from claimgraph.ingest.sources import is_url
from claimgraph.model import Document
from claimgraph.settings import Settings

ARTICLE_EXTENSIONS = (".html", ".htm", ".txt", ".json", ".jsonl", ".parquet", ".warc", ".warc.gz", ".xml", ".rss",
                      ".atom")
#: the columns of a JSONL line or a Parquet row that describe its article
ROW_FIELDS = ("text", "html", "url", "title", "published", "site")
#: Parquet rows read at a time (bounded memory for big files)
PARQUET_BATCH = 1024
#: a feed's entry content shorter than this is a summary: the article is fetched from its link
FULL_TEXT_MIN_CHARS = 1500


@dataclass(frozen=True, slots=True)
class Item:
    """One article to ingest. ``kind``: ``path`` or ``url`` (read by the ingest module),
    ``bytes`` (a WARC record or a feed entry's HTML), ``text`` (a JSONL article's text)."""

    key: str
    kind: str
    data: bytes | str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    site: str | None = None
    content_type: str | None = None

    def document(self, settings: Settings) -> Document:
        """The Document this item holds; raises InputError (with this item's key) when it has none."""
        if self.kind in ("path", "url"):
            return self._filled(load_document(self.key, settings=settings, published=self.published))
        if self.kind == "text":
            text = str(self.data or "").strip()
            if not text:
                raise InputError(self.key, "empty text")
            return Document.from_text(text, url=self.url, title=self.title, published=self.published,
                                      site=self.site, source_format="text")
        raw = self.data if isinstance(self.data, bytes) else str(self.data or "").encode("utf-8")
        return self._filled(document_from_bytes(raw, origin=self.url or self.key, content_type=self.content_type,
                                                url=self.url, published=self.published, settings=settings))

    def _filled(self, doc: Document) -> Document:
        """The page's own title and site win; a feed entry's (or a JSONL line's) fill what the page
        lacks — a fetched article often has no site name a feed states in its title."""
        if (self.title and not doc.title) or (self.site and not doc.site):
            doc = Document(doc.id, doc.text, doc.url, doc.title or self.title, doc.site or self.site, doc.author,
                           doc.published, doc.language, doc.source_format, doc.notes)
        return doc


@dataclass(frozen=True, slots=True)
class Rejected:
    key: str
    reason: str


def _is_warc(path: str) -> bool:
    return path.endswith((".warc", ".warc.gz"))


def _looks_like_feed(head: bytes) -> bool:
    start = head.lstrip()[:400].lower()
    return (start.startswith(b"<?xml") and (b"<rss" in start or b"<feed" in start or b"<rdf" in start)) \
        or start.startswith((b"<rss", b"<feed"))


def expand(sources: Sequence[str], *, url_list: bool = False,
           fetcher: Fetcher | None = None) -> Iterator[Item | Rejected]:
    """``fetcher`` reads feed URLs (claimgraph.ingest.fetch: time-out, size cap, no private
    addresses); without one, feed URLs are refused rather than fetched unguarded."""
    for source in sources:
        if is_url(source):
            yield from _url(source, fetcher)
        elif os.path.isdir(source):
            for path in sorted(Path(source).rglob("*")):
                if path.is_file() and str(path).lower().endswith(ARTICLE_EXTENSIONS) and not path.name.startswith("."):
                    yield from _file(str(path), url_list=False)
        elif os.path.isfile(source):
            yield from _file(source, url_list=url_list)
        else:
            yield Rejected(source, "no such file, folder or URL")


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
        parsed = feedparser.parse(body)
        if parsed.get("bozo") and not parsed.get("entries"):
            yield Rejected(url, f"feed does not parse: {parsed.get('bozo_exception')}")
            return
        yield from _feed_items(url, parsed)
        return
    yield Item(url, "url")


def _file(path: str, *, url_list: bool) -> Iterator[Item | Rejected]:
    lower = path.lower()
    try:
        if lower.endswith(".jsonl") or lower.endswith(".json"):
            yield from _jsonl(path)
        elif lower.endswith(".parquet"):
            yield from _parquet(path)
        elif _is_warc(lower):
            yield from _warc(path)
        elif url_list and lower.endswith((".txt", ".urls")):
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    line = line.strip()
                    if not line or line.startswith("#"):
                        continue
                    yield Item(line, "url") if is_url(line) else Rejected(f"{path}#{n}", f"not a URL: {line[:80]!r}")
        else:
            with open(path, "rb") as fh:
                head = fh.read(512)
            if _looks_like_feed(head):
                parsed = feedparser.parse(path)
                if parsed.get("bozo") and not parsed.get("entries"):
                    yield Rejected(path, f"feed does not parse: {parsed.get('bozo_exception')}")
                else:
                    yield from _feed_items(path, parsed)
            else:
                yield Item(path, "path")
    except OSError as exc:
        yield Rejected(path, f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        yield Rejected(path, "not UTF-8 text")


def _jsonl(path: str) -> Iterator[Item | Rejected]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            key = f"{path}#{n}"
            if not line.strip():
                continue
            try:
                obj: Any = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejected(key, f"not JSON: {exc.msg} at column {exc.colno}")
                continue
            if not isinstance(obj, dict):
                yield Rejected(key, "a JSON line must be an object with 'text' or 'html'")
                continue
            yield _row_item(key, obj)


def _row_item(key: str, obj: dict[str, Any]) -> Item | Rejected:
    """One article from a JSONL line or a Parquet row: ``html`` (cleaned like a page) or ``text``."""
    meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in ("url", "title", "published", "site")}
    if isinstance(obj.get("html"), str):
        return Item(key, "bytes", obj["html"].encode("utf-8"), content_type="text/html", **meta)
    if isinstance(obj.get("text"), str):
        return Item(key, "text", obj["text"], **meta)
    return Rejected(key, "no 'text' or 'html' field")


def _parquet(path: str) -> Iterator[Item | Rejected]:
    """Rows keyed ``file.parquet#N`` (1-based, like JSONL lines), read a batch at a time.
    pyarrow is optional (it comes with ``claimgraph[ray]``): without it the file is rejected
    with the command that installs it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Rejected(path, "reading Parquet needs pyarrow: pip install 'claimgraph[ray]'")
        return
    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a file that is not Parquet
        yield Rejected(path, f"not a Parquet file: {exc}")
        return
    columns = [c for c in ROW_FIELDS if c in pfile.schema_arrow.names]
    n = 0
    try:
        for batch in pfile.iter_batches(batch_size=PARQUET_BATCH, columns=columns or None):
            for row in batch.to_pylist():
                n += 1
                yield _row_item(f"{path}#{n}", row)
    except Exception as exc:  # a damaged row group: the rows before it are kept, as with WARC
        yield Rejected(f"{path}#{n + 1}", f"corrupt Parquet: {type(exc).__name__}: {exc}")


def _warc(path: str) -> Iterator[Item | Rejected]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
                if ctype is None or "html" not in ctype.lower():
                    continue
                try:
                    body = record.content_stream().read()  # before the offset: asking for it reads to the end
                    error = None
                except Exception as exc:
                    body, error = b"", exc
                key = f"{path}#{iterator.get_record_offset()}"
                if error is not None:
                    yield Rejected(key, f"unreadable WARC record: {error}")
                    continue
                yield Item(key, "bytes", body, url=uri, content_type=ctype)
        except (ArchiveLoadFailed, ValueError, AttributeError, OSError, EOFError) as exc:
            # warcio reports a damaged record in several ways; the records before it are kept
            yield Rejected(f"{path}#{iterator.offset}", f"corrupt WARC: {type(exc).__name__}: {exc}")


def _feed_items(origin: str, parsed: Any) -> Iterator[Item | Rejected]:
    for n, entry in enumerate(parsed.get("entries", []), 1):
        link = entry.get("link")
        title = entry.get("title")
        published = None
        if entry.get("published_parsed"):
            published = "{:04d}-{:02d}-{:02d}".format(*entry["published_parsed"][:3])
        content = entry.get("content") or []
        html = content[0].get("value") if content else None
        site = parsed.get("feed", {}).get("title")
        if html and len(html) >= FULL_TEXT_MIN_CHARS:
            yield Item(link or f"{origin}#{n}", "bytes", html.encode("utf-8"), url=link, title=title,
                       published=published, site=site, content_type="text/html")
        elif link and is_url(link):
            yield Item(link, "url", published=published, title=title, site=site)
        else:
            yield Rejected(f"{origin}#{n}", "feed entry has neither full text nor a link")
