"""Ingest: one source (a file, a URL, stdin, or bytes in hand) into one :class:`Document`.

The steps are the same for every source, in this order, and each one can refuse the
input with an :class:`~claimgraph.errors.InputError` that names it and says why:

1. read, capped at ``Settings.max_input_bytes`` (:mod:`.sources`, :mod:`.fetch`);
2. refuse binary data and decode text, noting any charset guess (:mod:`.decode`);
3. HTML or plain text? The content type, then the file extension, then the markup;
4. extract: trafilatura for HTML (:mod:`.html`), headline and dateline for text (:mod:`.text`);
5. cut trailing comment forms and share bars (:mod:`.boilerplate`);
6. id = hash of the cleaned text, so the same article ingested twice is one document.

What the caller passes (``url``, ``published``) overrides what the page says: the
caller is the one who knows that a syndicated copy's real source is elsewhere.
"""

from __future__ import annotations

import os
import re
import sys
from typing import BinaryIO
from urllib.parse import urlsplit

from claimgraph.errors import EmptyInput, InputError
from claimgraph.ingest import html as html_extract
from claimgraph.ingest.boilerplate import cut_trailing, only_boilerplate
from claimgraph.ingest.dates import normalise_date
from claimgraph.ingest.decode import decode, too_large
from claimgraph.ingest.fetch import (
    CannedFetcher,
    Fetcher,
    FetchResult,
    HttpFetcher,
    check_content_type,
    media_type,
)
from claimgraph.ingest.sources import STDIN_ORIGIN, check_not_other_url, is_url, read_file, read_stream
from claimgraph.ingest.text import normalise, parse_plain
from claimgraph.model import Document
from claimgraph.settings import Settings

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml", ".xht"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ".markdown"}
_MARKUP_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title"
    r"|article|main|div|section|p|h1|h2|table)\b",
    re.IGNORECASE | re.DOTALL,
)
_MARKUP_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]*>", re.IGNORECASE)


def load_document(
    source: str | os.PathLike[str],
    *,
    url: str | None = None,
    published: str | None = None,
    settings: Settings,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
) -> Document:
    """Read ``source`` (``"-"`` for stdin, an http(s) URL, or a file path) into a Document.

    Raises an :class:`InputError` subclass naming the source and the reason; never
    returns a partial Document.
    """
    limit = settings.max_input_bytes
    if isinstance(source, str) and source == "-":
        _caller_date(published, STDIN_ORIGIN)
        data = read_stream(stdin if stdin is not None else sys.stdin.buffer, origin=STDIN_ORIGIN, limit=limit)
        return _build(data, origin=STDIN_ORIGIN, content_type=None, url=url, base_url=None,
                      published=published, settings=settings)
    if isinstance(source, str) and is_url(source):
        _caller_date(published, source)
        result = (fetcher or HttpFetcher(settings)).fetch(source)
        check_content_type(source, result.content_type)
        return _build(result.body, origin=source, content_type=result.content_type, url=url,
                      base_url=result.final_url, published=published, settings=settings)
    path = os.fspath(source)
    if isinstance(source, str):
        check_not_other_url(path)
    _caller_date(published, path)
    data = read_file(path, limit=limit)
    return _build(data, origin=path, content_type=None, url=url, base_url=None,
                  published=published, settings=settings)


def document_from_bytes(
    data: bytes,
    *,
    origin: str,
    content_type: str | None = None,
    url: str | None = None,
    published: str | None = None,
    settings: Settings,
) -> Document:
    """Turn bytes already in hand (a WARC record, a JSONL field, an upload) into a Document.

    ``origin`` names the input in errors and decides HTML vs text by its extension when
    ``content_type`` does not.
    """
    return _build(data, origin=origin, content_type=content_type, url=url, base_url=None,
                  published=published, settings=settings)


def _caller_date(published: str | None, origin: str) -> str | None:
    """The caller's date as ISO, checked before any reading or fetching is spent on the input."""
    if published is None:
        return None
    iso = normalise_date(published)
    if iso is None:
        raise InputError(origin, f"published date {published!r} is not a date (expected YYYY-MM-DD)")
    return iso


def is_html(text: str, *, origin: str, content_type: str | None) -> bool:
    """Content type first (the server knows), then the extension, then the markup itself."""
    kind = media_type(content_type)
    if kind in _HTML_TYPES:
        return True
    if kind == "text/plain":
        return False
    ext = os.path.splitext(urlsplit(origin).path if is_url(origin) else origin)[1].lower()
    if ext in _HTML_EXTENSIONS:
        return True
    if ext in _TEXT_EXTENSIONS:
        return False
    head = text[:4096]
    return bool(_MARKUP_START.match(head) or _MARKUP_ANYWHERE.search(head))


def _build(
    data: bytes,
    *,
    origin: str,
    content_type: str | None,
    url: str | None,
    base_url: str | None,
    published: str | None,
    settings: Settings,
) -> Document:
    caller_published = _caller_date(published, origin)
    if len(data) > settings.max_input_bytes:
        raise too_large(origin, settings.max_input_bytes, len(data))
    decoded = decode(data, origin=origin, content_type=content_type)
    notes = list(decoded.notes)

    if is_html(decoded.text, origin=origin, content_type=content_type):
        article = html_extract.extract(decoded.text, origin=origin, url=url or base_url)
        text = normalise(article.text)
        title, author, site = article.title, article.author, article.site
        found_url, found_date, source_format = article.url, article.published, "html"
        notes.extend(article.notes)
    else:
        plain = parse_plain(decoded.text, max_title_chars=settings.max_title_chars)
        text, title, author, site = plain.text, plain.title, plain.author, plain.site
        found_url, found_date, source_format = base_url, plain.published, "text"

    cut = cut_trailing(text)
    if cut is not None:
        text = cut.text
        notes.append(f"cut {cut.removed_chars} characters of trailing boilerplate from {cut.marker!r}")
    if not text or only_boilerplate(text):
        raise EmptyInput(origin, "no article text, only share/comment/subscribe boilerplate")

    return Document.from_text(
        text,
        url=url or found_url,
        title=title,
        site=site,
        author=author,
        published=caller_published or found_date,
        source_format=source_format,
        notes=tuple(notes),
    )


__all__ = [
    "CannedFetcher", "FetchResult", "Fetcher", "HttpFetcher",
    "document_from_bytes", "is_html", "load_document",
]
