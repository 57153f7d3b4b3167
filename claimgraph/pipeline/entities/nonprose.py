"""Lines of an article that are not prose: results tables, datelines, bylines, photo credits,
"Advertisement" and navigation that survived extraction.

spaCy tags names in them as if they were sentences ("HARTFORD 12 7 6 77" a PRODUCT, the date of
"LONDON 1996-12-06" part of a name); the entity layer drops every mention in a non-prose line,
except the place a dateline opens with ("LONDON" in "LONDON 1996-12-06" is where the story was
filed). The line kinds are also features of the entity typer. The word lists are data
(``lexicons/entity_cues.yaml``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from claimgraph.ingest.text import byline
from claimgraph.model import Span
from claimgraph.pipeline.entities.cues import cues
from claimgraph.pipeline.mentions import W_CUE, Mention, new_evidence
from claimgraph.pipeline.names import name_key

PROSE = "prose"
TABLE = "table"
DATELINE = "dateline"
CREDIT = "credit"
BYLINE = "byline"
NAVIGATION = "navigation"

_NUMBER = re.compile(r"^[-+]?\d+(?:[.,:/-]\d+)*%?$")
_DATE = re.compile(r"\b(?:1[89]|20)\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/(?:\d\d){1,2}\b")
#: "LONDON 1996-12-06", "PESHAWAR, Pakistan, May 3 (Reuters) -", "ISLAMABAD (AP) —": a place
#: in capitals (or a place and a country) opening the first paragraph
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}?)(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s*(?:,|\s)\s*"
    r"(?:(?:1[89]|20)\d\d-\d\d-\d\d|[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\((?:[A-Z][\w ]{1,20})\))"
    r"(?:,?\s*\([A-Z][\w ]{1,20}\))?(?:\s*[-—–]+\s)?")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    kind: str
    #: for a dateline: where its place name ends (mentions before it are kept)
    keep_until: int = -1


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = cues()
    credit = re.compile(r"^\s*[(\[]?\s*(?:" + "|".join(lex.credit_patterns) + r")", re.IGNORECASE)
    nav = re.compile(r"^\s*(?:" + "|".join(lex.navigation_lines) + r")\s*[.:|>»]*\s*$", re.IGNORECASE)
    return credit, nav


def line_kind(line: str, *, first_paragraph: bool) -> tuple[str, int, int]:
    """The kind of one line; for a dateline also where in the line its place ends and where
    the dateline itself ends (the story may go on in the same line)."""
    stripped = line.strip()
    if not stripped:
        return PROSE, -1, -1
    credit, nav = _patterns()
    if nav.match(stripped):
        return NAVIGATION, -1, -1
    if credit.match(stripped):
        return CREDIT, -1, -1
    words = stripped.split()
    numbers = sum(bool(_NUMBER.match(w.strip("()[],;"))) for w in words)
    if numbers >= 3 and numbers >= 0.4 * len(words):
        return TABLE, -1, -1
    if first_paragraph:
        match = _DATELINE.match(stripped)
        if match:
            offset = line.index(stripped[0])
            return DATELINE, offset + match.end("place"), offset + match.end()
    return PROSE, -1, -1


def non_prose_lines(text: str) -> list[Line]:
    """Every non-prose line (or dateline prefix) of a text, in order, a byline included."""
    out: list[Line] = []
    pos = 0
    seen = 0
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        if raw.strip():
            seen += 1
        kind, keep, end = line_kind(raw, first_paragraph=seen <= 4)
        if kind == DATELINE:
            out.append(Line(start, start + end, kind, start + keep))
        elif kind != PROSE:
            out.append(Line(start, start + len(raw), kind))
    found = byline(text)
    if found is not None and not any(line.start == found[0] for line in out):
        out.append(Line(found[0], found[1], BYLINE))
        out.sort(key=lambda line: line.start)
    return out


class LineIndex:
    """Which non-prose line, if any, a character offset lies in."""

    def __init__(self, text: str) -> None:
        self.lines = non_prose_lines(text)
        self._starts = [line.start for line in self.lines]

    def at(self, offset: int) -> Line | None:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.lines[i].start <= offset < self.lines[i].end:
            return self.lines[i]
        return None

    def drops(self, start: int, end: int) -> bool:
        """Whether a mention at [start, end) comes from non-prose and is no entity."""
        line = self.at(start)
        if line is None:
            return False
        if line.kind == DATELINE:
            return end > line.keep_until
        return line.kind != BYLINE  # the byline's own rule (entities.rules) keeps the outlet when named later


def dateline_places(text: str, lines: LineIndex, mentions: list[Mention]) -> list[Mention]:
    """The place a dateline opens with ("PESHAWAR, May 3 (Reuters) -"), where spaCy missed it."""
    found: list[Mention] = []
    for line in lines.lines:
        if line.kind != DATELINE:
            continue
        raw = text[line.start:line.keep_until]
        name = raw.strip(" ,")
        start = line.start + raw.index(name) if name else line.start
        span = Span.of(text, start, start + len(name))
        if len(name) >= 3 and not any(m.span.overlaps(span) for m in mentions):
            found.append(Mention(span=span, name=name, key=name_key(name), label=None,
                                 evidence=new_evidence(GPE=W_CUE)))
    return found
