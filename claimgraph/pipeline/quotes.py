"""Quotation marks paired into quotes, in one pass over the text.

Curly marks say which side they are on; straight marks alternate. A paragraph (a line)
closes every quote still open at its end, except the news convention for long quotes:
a quote that runs on into the next paragraph leaves its closing mark out and opens that
paragraph with a new opening mark, so a quote open at the end of a paragraph continues
when the next non-empty paragraph starts with an opening mark. Any other unclosed quote
is dropped (best effort: a stray mark never swallows the rest of the article). A second
opening mark inside an open quote restarts it. Single quotes are not read: the
apostrophe and the closing single quote are the same character. Two-character marks
(two apostrophes or backticks) are read through :func:`marks_view`.

Every mark is looked at once and every quote is emitted once, so the pass is linear in
the length of the text however many marks are unbalanced.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENING = frozenset("“„«")
CLOSING = frozenset("”»")
STRAIGHT = '"'
MARKS = OPENING | CLOSING | {STRAIGHT}
#: quote marks as tokens: also the two-character marks of typewriter-era copy (''word'', ``word'')
MARK_TOKENS = MARKS | {"''", "``"}


def marks_view(text: str) -> str:
    """The text with each two-character quote mark (``''`` or two backticks, used by some
    wires and archives) made a straight mark and a space, at the same length, so that
    offsets into the view are offsets into the text. An opening pair keeps its mark first
    ('"' + ' ') and a closing one last (' ' + '"'), so a quote's outer span covers both
    characters of the real marks."""
    if "''" not in text and "``" not in text:
        return text
    out = list(text)
    i = 0
    while i + 1 < len(text):
        pair = text[i:i + 2]
        if pair == "``" or (pair == "''" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-")):
            out[i], out[i + 1] = STRAIGHT, " "
            i += 2
        elif pair == "''":
            out[i], out[i + 1] = " ", STRAIGHT
            i += 2
        else:
            i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote: where its first opening mark and its closing mark are, and the quoted text
    between the marks as one (start, end) segment per paragraph, whitespace trimmed."""

    open: int
    close: int
    segments: tuple[tuple[int, int], ...]
    #: the same segments with their marks: from each paragraph's opening mark to the
    #: closing mark (included) or, for a paragraph the quote runs on from, its last word
    outer: tuple[tuple[int, int], ...] = ()

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        out.append((start, end))
        start = end + 1
    return out


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i < end and (text[i] in OPENING or text[i] == STRAIGHT)


def _is_opening(text: str, i: int, is_open: bool) -> bool:
    """Which side a mark is on. A straight mark closes an open quote; otherwise it opens
    one, unless it clearly ends a word ('word" ') and so closes a quote we never saw open."""
    ch = text[i]
    if ch in OPENING:
        return True
    if ch in CLOSING:
        return False
    if is_open:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (not before.isspace() and (after.isspace() or after in ".,;:!?)"))


def find_quotes(text: str) -> list[Quote]:
    text = marks_view(text)
    quotes: list[Quote] = []
    paragraphs = [p for p in _paragraphs(text) if text[p[0]:p[1]].strip()]
    # (inner, outer) segments of a quote running on from earlier paragraphs
    pending: list[tuple[tuple[int, int], tuple[int, int]]] = []
    first_open = -1
    for n, (p_start, p_end) in enumerate(paragraphs):
        open_at = -1
        for i in range(p_start, p_end):
            if text[i] not in MARKS:
                continue
            if _is_opening(text, i, open_at >= 0):
                if open_at >= 0 and pending:
                    pending = []  # a run-on quote that never closed
                if not pending:
                    first_open = i
                open_at = i
            elif open_at >= 0:
                parts = [*pending, (_trim(text, open_at + 1, i), (open_at, i + 1))]
                parts = [p for p in parts if p[0][0] < p[0][1]]
                if parts:
                    quotes.append(Quote(first_open, i, tuple(p[0] for p in parts), tuple(p[1] for p in parts)))
                pending = []
                open_at = -1
        if open_at >= 0:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt is not None and _opens_with_mark(text, *nxt):
                inner = _trim(text, open_at + 1, p_end)
                pending.append((inner, (open_at, inner[1])))
            else:
                pending = []
        elif pending:
            pending = []
    return quotes
