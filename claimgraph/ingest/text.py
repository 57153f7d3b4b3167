"""Plain-text articles: one canonical whitespace form, a headline, a dateline.

The document id is a hash of the cleaned text, so cleaning decides what counts as "the
same article": a file saved with Windows line endings, trailing spaces or an extra blank
line must hash the same as the original. The cleaning is therefore shared by the HTML
path (:func:`normalise`) and is deliberately conservative: it never rewraps lines or
touches characters inside a line other than dropping stray control characters, because
every span the pipeline reports is an offset into this text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from claimgraph.ingest.dates import parse_dateline

#: datelines are looked for among this many non-empty lines at the top.
DATELINE_WINDOW = 4

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{3,}")
#: headlines do not end like a sentence; "U.S." and "..." style endings are the exception.
_SENTENCE_END = re.compile(r"(?<![A-Z.])\.$")


#: "By Hina Qazi, Border Wire", "By Tahir Ayub | The Frontier Ledger": a byline near the top
_BYLINE = re.compile(r"^by\s+(?P<author>[^,|;]{2,80}?)(?:\s*[,|;]\s*(?P<site>[^,|;]{2,80}))?\s*$", re.IGNORECASE)


_NAME_PARTICLES = frozenset({"de", "da", "van", "von", "der", "al", "bin", "ibn", "ul", "and", "staff", "our"})


@dataclass(frozen=True, slots=True)
class PlainArticle:
    text: str
    title: str | None
    published: str | None
    author: str | None = None
    site: str | None = None


def byline(text: str) -> tuple[int, int, str, str | None] | None:
    """The byline among the top lines: (start, end) of its line, the author, and the outlet
    when the line names one after the author ("By Hina Qazi, Border Wire")."""
    pos, seen = 0, 0
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > DATELINE_WINDOW + 1:
            return None
        match = _BYLINE.match(line) if seen > 1 else None
        if match is None or len(line.split()) > 14:
            continue
        author, site = match.group("author").strip(), (match.group("site") or "").strip() or None
        words = author.split()
        if len(words) > 6 or not all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            continue  # "by the way, ..." is a sentence, not a byline
        if site is not None and not site[:1].isupper():
            site = None
        return start, start + len(raw), author, site
    return None


def find_byline(text: str) -> tuple[str | None, str | None]:
    """(author, outlet) from a byline among the top lines (see :func:`byline`)."""
    found = byline(text)
    return (found[2], found[3]) if found else (None, None)


def normalise(text: str) -> str:
    """The canonical form every ingest path ends with (and the id is computed on).

    NFC so that an "é" typed as one code point and as "e" + combining accent hash the
    same; newlines unified; trailing spaces and runs of blank lines collapsed; zero-width
    and control characters (other than tab and newline) dropped; ends stripped.
    """
    text = unicodedata.normalize("NFC", text)
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip()


def find_title(text: str, *, max_chars: int) -> str | None:
    """The first line when it reads as a headline, else None.

    A headline is short, has letters, and does not end like a sentence (a full stop, comma,
    colon or semicolon); a dateline ("14 March 2024") is not one either. It stands either
    before a blank line, or directly above the body when the body's first line starts a new
    sentence and the headline is clearly shorter than it — a hard-wrapped first paragraph
    (a line cut mid-sentence, as long as the next) is not taken for a title.
    """
    first, sep, rest = text.partition("\n")
    title = first.strip()
    if not sep or not rest.strip():
        return None
    if not title or len(title) > max_chars or not any(ch.isalpha() for ch in title):
        return None
    if _SENTENCE_END.search(title) or title.endswith((",", ":", ";")) or parse_dateline(title) is not None:
        return None
    if rest.startswith("\n"):
        return title
    following = rest.split("\n", 1)[0].strip()
    starts_sentence = bool(following) and (following[0].isupper() or following[0].isdigit()
                                            or following[0] in "\"'“‘(")
    if starts_sentence and len(title.split()) <= 20 and len(title) < 0.75 * len(following):
        return title
    return None


def find_dateline(text: str) -> str | None:
    """The publication date from a dateline near the top, or None.

    Only lines that are nothing but a date count ("Published 14 March 2024",
    "Thursday 14 March 2024 09.12 GMT"); a "Published" date wins over an "Updated" one
    because the publication date is what relative dates in the story are anchored to.
    """
    found: list[tuple[str, str | None]] = []
    lines = [line for line in text.split("\n") if line.strip()][:DATELINE_WINDOW]
    for line in lines:
        hit = parse_dateline(line)
        if hit is not None:
            found.append(hit)
    if not found:
        return None
    for iso, label in found:
        if label is None or label not in {"updated", "last updated", "modified", "last modified"}:
            return iso
    return found[0][0]


def parse_plain(text: str, *, max_title_chars: int) -> PlainArticle:
    """Clean ``text`` and read its headline and dateline; the text keeps both lines."""
    cleaned = normalise(text)
    author, site = find_byline(cleaned)
    return PlainArticle(
        text=cleaned,
        title=find_title(cleaned, max_chars=max_title_chars),
        published=find_dateline(cleaned),
        author=author,
        site=site,
    )


__all__ = ["DATELINE_WINDOW", "PlainArticle", "byline", "find_byline", "find_dateline", "find_title", "normalise",
           "parse_plain"]
