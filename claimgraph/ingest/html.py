"""HTML pages: the article's text and what the page says about it, via trafilatura.

Trafilatura finds the article body and strips navigation, sidebars and footers; this
module adds what claimgraph needs on top: an error with a reason instead of ``None``, a
canonical URL chosen in a fixed order, a date that says how sure it is, and a text laid
out like a plain-text article (headline, blank line, paragraphs separated by blank
lines) so that the same story ingested as HTML or as text has the same shape.

Neither library is ever given a string it could mistake for a URL: both download
anything that starts with "http" and has no space, so the page is parsed here once and
the tree is handed to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from claimgraph.errors import NoArticleBody

#: a body needs at least one line this many words long that ends like a sentence;
#: a page of navigation links extracts to short labels and fails this.
MIN_SENTENCE_WORDS = 8

_SENTENCE_LINE = re.compile(r"[.!?][\"'”’)\]]*$")
_SPACES = re.compile(r"\s+")
_DOCUMENT_TAG = re.compile(r"<(?:html|body)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """The article text (headline first) and the page's own metadata."""

    text: str
    title: str | None
    author: str | None
    site: str | None
    url: str | None
    published: str | None
    notes: tuple[str, ...] = ()


def _max_date() -> str:
    # A day of slack: a page published "today" in a time zone ahead of ours is still valid.
    return (date.today() + timedelta(days=1)).isoformat()


def parse_tree(html: str, *, origin: str) -> HtmlElement:
    """Parse once; an unparseable page has no article, whatever the reason.

    A bare fragment (``<p>...</p>`` piped in) is wrapped in a document first: trafilatura
    treats a single-block page as not-quite-HTML and would discard it.
    """
    if not _DOCUMENT_TAG.search(html[:4096]):
        html = f"<html><body>{html}</body></html>"
    try:
        tree = load_html(html)
    except Exception as exc:  # lxml raises many types; all mean "not a usable page"
        raise NoArticleBody(origin, f"could not parse the HTML ({type(exc).__name__})") from None
    if tree is None:
        raise NoArticleBody(origin, "could not parse the HTML")
    return tree


def extract(html: str, *, origin: str, url: str | None = None) -> HtmlArticle:
    """Extract the article from ``html``; ``url`` is where the page came from, if known.

    Raises :class:`NoArticleBody` when trafilatura finds no body or only link labels.
    """
    tree = parse_tree(html, origin=origin)
    result = _bare_extraction(tree, url=url, origin=origin)
    body = _paragraphs(_field(result, "text"))
    if not body or not _has_sentence(body):
        raise NoArticleBody(origin, "no article text found in the HTML")

    title = _clean(_field(result, "title"))
    text = body
    if title and not _same_start(body, title):
        text = f"{title}\n\n{body}"

    notes: list[str] = []
    published = _field(result, "date")
    if not published:
        published = _htmldate_fallback(tree, url=url)
        if published:
            notes.append("publication date guessed from the page text (htmldate)")

    return HtmlArticle(
        text=text,
        title=title,
        author=_clean(_field(result, "author")),
        site=_clean(_field(result, "sitename")),
        url=canonical_url(tree, base=url) or _http_url(_field(result, "url")) or url,
        published=published or None,
        notes=tuple(notes),
    )


def _bare_extraction(tree: HtmlElement, *, url: str | None, origin: str) -> Any:
    """Trafilatura with metadata, without comments, dates from markup only.

    Markup dates (meta tags, ``<time>``, JSON-LD) are what the publisher declared; a date
    found by scanning the page text is a guess, so that search runs separately
    (:func:`_htmldate_fallback`) and is reported as one.
    """
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": _max_date(),
            },
        )
    except Exception as exc:  # trafilatura's own failure modes are not ours to type
        raise NoArticleBody(origin, f"could not extract the article ({type(exc).__name__})") from None


def _htmldate_fallback(tree: HtmlElement, *, url: str | None) -> str | None:
    try:
        found = htmldate.find_date(
            tree, extensive_search=True, original_date=True, url=url, max_date=_max_date(),
        )
    except Exception:  # a date is optional; failing to find one is not an input error
        return None
    return found if isinstance(found, str) and found else None


def _field(result: Any, name: str) -> str | None:
    """A string field of trafilatura's result, which is a Document in 2.x and a dict in 1.x."""
    if result is None:
        return None
    value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
    return value if isinstance(value, str) and value.strip() else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def _paragraphs(text: str | None) -> str:
    """Trafilatura's one-line-per-block output as blank-line-separated paragraphs."""
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _has_sentence(body: str) -> bool:
    return any(
        len(line.split()) >= MIN_SENTENCE_WORDS and _SENTENCE_LINE.search(line)
        for line in body.split("\n")
    )


def _same_start(body: str, title: str) -> bool:
    """Whether the body already opens with the headline (trafilatura often keeps the h1).

    The ``<title>`` and the ``<h1>`` often differ by a tail ("... after crane collapse"
    vs "..."); one extending the other is the same headline, and printing it twice
    would make the pipeline read it twice.
    """
    first = _SPACES.sub(" ", body.split("\n", 1)[0]).strip().casefold()
    head = title.casefold()
    if first == head:
        return True
    if _SENTENCE_LINE.search(first) or len(first.split()) < 3 or len(head.split()) < 3:
        return False  # a first paragraph that opens with the headline's words is not the headline
    return first.startswith(head) or head.startswith(first)


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def canonical_url(tree: HtmlElement, *, base: str | None) -> str | None:
    """``<link rel=canonical>``, else ``og:url``, resolved against ``base``; http(s) only.

    The canonical link is what the publisher says identifies the story (no tracking
    parameters, no AMP variant), so it wins over the address the page was fetched from.
    """
    candidates: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if "canonical" in rel and href:
            candidates.append(href)
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url" and meta.get("content"):
            candidates.append(meta.get("content") or "")
    for candidate in candidates:
        resolved = urljoin(base, candidate.strip()) if base else candidate.strip()
        if _http_url(resolved):
            return resolved
    return None


__all__ = ["MIN_SENTENCE_WORDS", "HtmlArticle", "canonical_url", "extract", "parse_tree"]
