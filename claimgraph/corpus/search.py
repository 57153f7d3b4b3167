"""Full-text search over articles and claims, bounded so that no query can hold the server.

Why bounds: a search runs on the server's CPU for whoever can reach it. Measured on the
sample store, FTS5's own ``snippet()`` cost grew with the square of the query's terms (48
prefix terms: 38 s) and with the matches in one article (a word repeated 50,000 times: minutes
for every search of that word), and once it had started nothing stopped it. So:

- a query is checked before it runs (:func:`check_query`): at most :data:`MAX_TERMS` words,
  :data:`MAX_PREFIX_TERMS` prefix terms (``polic*``) of at least :data:`MIN_PREFIX_CHARS`
  letters, :data:`MAX_OPERATORS` operators and :data:`MAX_DEPTH` levels of parentheses; past
  them it is refused with :class:`QueryTooComplex`, which says which bound (HTTP 422, CLI exit 2);
- the search runs under a time limit (:data:`SEARCH_SECONDS`, see
  :mod:`claimgraph.corpus.deadline`): past it, :class:`~claimgraph.corpus.deadline.QueryTimeout`;
- snippets are made here, in linear time, over the first :data:`SNIPPET_SCAN` characters of a
  hit (:func:`make_snippet`), on SQLite and PostgreSQL alike, instead of by the engine over the
  whole text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from claimgraph.corpus import deadline, postgres
from claimgraph.corpus.filters import SEARCH_HELP as SEARCH_HELP  # the one help text (CLI and API)
from claimgraph.corpus.store import Store
from claimgraph.errors import ClaimgraphError

MAX_QUERY_CHARS = 500
MAX_TERMS = 24
MAX_PREFIX_TERMS = 4
MIN_PREFIX_CHARS = 2
MAX_OPERATORS = 8
MAX_DEPTH = 3
#: seconds one search may take before it is stopped
SEARCH_SECONDS = 3.0
#: characters of an article (or claim) read to make its snippet
SNIPPET_SCAN = 100_000

OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
#: a query token: a quoted phrase (an unbalanced quote runs to the end), a parenthesis, or a bare token
_QUERY_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
#: a word as FTS5's default tokenizer sees it: a run of letters and digits
_WORD = re.compile(r"[^\W_]+")


class QueryTooComplex(ClaimgraphError, ValueError):
    """A search query over one of the bounds; the message names it."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a query, folded (lower case, no accents); ``prefix`` for ``word*``."""

    word: str
    prefix: bool


def fold(word: str) -> str:
    """Lower case without diacritics, as FTS5's unicode61 tokenizer compares words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def check_query(query: str) -> list[Term]:
    """The query's terms, or :class:`QueryTooComplex` naming the bound it is over."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooComplex(f"the query has {len(query)} characters; at most {MAX_QUERY_CHARS}")
    terms: list[Term] = []
    operators = depth = deepest = 0
    for token in _QUERY_TOKEN.findall(query):
        if token == "(":
            depth += 1
            deepest = max(deepest, depth)
            continue
        if token == ")":
            depth = max(depth - 1, 0)
            continue
        if token in OPERATORS or token.startswith("NEAR("):
            operators += 1
            continue
        prefix = token.rstrip('"').endswith("*")
        words = _WORD.findall(token.split(":", 1)[-1] if ":" in token and not token.startswith('"') else token)
        for i, word in enumerate(words):
            is_prefix = prefix and i == len(words) - 1
            if is_prefix and len(word) < MIN_PREFIX_CHARS:
                raise QueryTooComplex(f"the prefix {word}* is too short: give at least {MIN_PREFIX_CHARS} letters "
                                      "before *")
            terms.append(Term(fold(word), is_prefix))
    prefixes = sum(1 for t in terms if t.prefix)
    for count, bound, what in ((prefixes, MAX_PREFIX_TERMS, "prefix terms"), (len(terms), MAX_TERMS, "words"),
                               (operators, MAX_OPERATORS, "operators"), (deepest, MAX_DEPTH, "levels of parentheses")):
        if count > bound:
            raise QueryTooComplex(f"the query has {count} {what}; at most {bound} (keep the words that matter)")
    return terms


def fts_query(query: str) -> str:
    """Plain words become an AND of quoted terms; a query using FTS5 syntax is passed through."""
    if any(ch in query for ch in '"*()') or any(op in query.split() for op in OPERATORS):
        return query
    return " ".join(f'"{w}"' for w in query.split() if w)


def search(store: Store, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Documents and claims matching a full-text query, best first: FTS5 syntax on SQLite,
    web-search syntax on PostgreSQL (its ``websearch_to_tsquery``); plain words mean all of
    them on both. Raises :class:`QueryTooComplex` before running a query over the bounds,
    :class:`~claimgraph.corpus.deadline.QueryTimeout` when it runs past
    :data:`SEARCH_SECONDS`, and the database's ``OperationalError`` for a query it cannot read."""
    terms = check_query(query)
    deadline.install(store.engine)
    try:
        with deadline.time_limit(SEARCH_SECONDS), store.engine.connect() as conn:
            if store.sqlite:
                q = fts_query(query)
                docs = conn.execute(text(
                    "SELECT d.id, d.title, d.site, d.published, d.url, substr(d.text, 1, :scan) "
                    "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                    "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n"),
                    {"q": q, "n": limit, "scan": SNIPPET_SCAN}).all()
                claims = conn.execute(text(
                    "SELECT f.doc_id, f.local_id, substr(c.content, 1, :scan), c.source_text, c.source_type "
                    "FROM claims_fts f JOIN claims c ON c.doc_id = f.doc_id AND c.local_id = f.local_id "
                    "WHERE claims_fts MATCH :q ORDER BY rank LIMIT :n"),
                    {"q": q, "n": limit, "scan": SNIPPET_SCAN}).all()
            else:
                docs, claims = postgres.search(conn, query, limit, SNIPPET_SCAN)
    except OperationalError as exc:
        if deadline.is_timeout(exc):
            raise deadline.QueryTimeout(SEARCH_SECONDS, "the search") from None
        raise
    out: list[dict[str, Any]] = []
    for d in docs:
        out.append({"kind": "document", "doc_id": d[0], "title": d[1], "site": d[2], "published": d[3],
                    "url": d[4], "snippet": make_snippet(d[5] or "", terms, words=12)})
    for c in claims:
        out.append({"kind": "claim", "doc_id": c[0], "claim": c[1],
                    "snippet": make_snippet(c[2] or "", terms, words=16), "source": c[3], "source_type": c[4]})
    return out


def _pattern(terms: Sequence[Term]) -> re.Pattern[str] | None:
    """One regular expression for every term: a whole word, or a word's start for a prefix."""
    words = sorted({t.word for t in terms if t.word}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) + (r"[^\W_]*" if any(t.prefix and t.word == w for t in terms) else "")
                            for w in words)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def make_snippet(body: str, terms: Sequence[Term], *, words: int = 12, max_hits: int = 200) -> str:
    """A fragment of ``words`` words around the query's terms, each match between ``[`` and
    ``]``, ``…`` where text is cut: the fragment holding the most distinct terms among the first
    ``max_hits`` matches. It reads the first :data:`SNIPPET_SCAN` characters at most and only
    the matches and the fragment's own words, so its time does not grow with the article.
    (Words are compared case-insensitively; a query word without accents does not mark the
    accented spelling that FTS5 matched, which only leaves it unmarked.)"""
    body = body[:SNIPPET_SCAN]
    pattern = _pattern(terms)
    hits = list(itertools.islice(pattern.finditer(body), max_hits)) if pattern is not None else []
    start = 0
    if hits:
        reach = words * 8  # about ``words`` words of characters
        best = max(range(len(hits)), key=lambda i: (len({h.group().casefold() for h in hits[i:i + words]
                                                         if h.start() < hits[i].start() + reach}), -i))
        anchor = hits[best].start()
        before = [m.start() for m in _WORD.finditer(body, max(0, anchor - 80), anchor)]
        start = before[-2] if len(before) >= 2 else before[0] if before else anchor
        if anchor - start > 80:
            start = anchor
    marked = {h.start() for h in hits}
    out, pos, n, end = [], start, 0, start
    for m in _WORD.finditer(body, start):
        if n == words:
            break
        out.append(body[pos:m.start()])
        out.append(f"[{m.group()}]" if m.start() in marked else m.group())
        pos = end = m.end()
        n += 1
    if n == 0:
        return body[:200]
    rest = _WORD.search(body, end) is not None
    return ("…" if _WORD.search(body, 0, start) else "") + "".join(out) + ("…" if rest else "")
