"""When an event happened, from the time layer's expressions (the time stage's output, read only).

In order, an event's date is:

1. the date its own clause or its noun phrase gives ("the 2018 attack", "attacked on Tuesday"):
   the first time expression whose head walks up the parse to the trigger (:meth:`ArgumentReader.owner`);
2. for a "when" clause, the date of the clause it modifies ("in 1999, when he was freed");
3. the date the sentence gives (an expression of the same sentence that names a point in time);
4. only for present-tense news of the day ("is attacking", "has arrested") that is asserted, not
   habitual and not in the headline, the publication date.

Background, habitual, negated, future and hypothetical acts never take the publication date.
Night-time words ("overnight", "last night", "late on Sunday night") name the night before a
morning edition: a bare "overnight" or "last night" that the time layer read as the day of
publication is the day before it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from claimgraph.model import DateRef

#: verb tags whose tense makes an undated event today's news ("is attacking", "has attacked")
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
#: adverbs that make an act habitual: "routinely attacks", "has repeatedly shelled"
HABITUAL = frozenset({"repeatedly", "often", "regularly", "frequently", "routinely", "usually", "always",
                      "sometimes", "occasionally", "again", "previously", "earlier", "before", "already",
                      "long", "traditionally", "generally", "never", "ever"})
#: words that name the night before the edition
NIGHT_WORDS = re.compile(r"\b(overnight|last night|late last night|during the night)\b", re.IGNORECASE)
_POINT = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def todays_news(tok: Any) -> bool:
    """Present, present perfect or progressive, with no habitual adverb: the event is as recent
    as the article. A bare past tense ("attacked") could be any time."""
    if tok.pos_ != "VERB":
        return False
    if any(c.dep_ == "advmod" and c.lower_ in HABITUAL for c in tok.children):
        return False
    if tok.tag_ in _PRESENT_TAGS:
        return True
    auxes = [c.lower_ for c in tok.children if c.dep_ == "aux"]
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    if any(a in ("has", "have") for a in auxes) and not passive:
        return True  # "has attacked"; "has been banned" is a standing state, not today's act
    return tok.tag_ == "VBG" and any(a in ("is", "are", "am") for a in auxes)


def is_point(ref: DateRef) -> bool:
    """Does the expression name a point in time (a year, month or day), not "now" or a span?"""
    return ref.value is not None and bool(_POINT.match(ref.value))


def night_before(ref: DateRef, published: str | None) -> DateRef:
    """A night-time word read as the publication day is the night before (a morning edition)."""
    if not published or not NIGHT_WORDS.search(ref.span.text):
        return ref
    day = published[:10]
    if ref.value is not None and not ref.value.startswith(day):
        return ref
    try:
        before = dt.date.fromisoformat(day) - dt.timedelta(days=1)
    except ValueError:
        return ref
    return DateRef(before.isoformat() + (ref.value or "")[10:], ref.span)


def when_clause_head(tok: Any) -> Any | None:
    """The clause a "when ..." clause modifies ("in 1999, when he was freed" -> the main clause)."""
    if tok.dep_ in ("advcl", "relcl") and any(c.lower_ == "when" and c.dep_ == "advmod" for c in tok.children):
        return tok.head if tok.head.i != tok.i else None
    return None


def in_headline(tok: Any, title: str | None) -> bool:
    """Is the token in the document's first line, and is that line its title?"""
    if not title:
        return False
    text: str = tok.doc.text
    first = text.split("\n", 1)[0]
    return int(tok.idx) < len(first) and first.strip() == title.strip()


__all__ = ["HABITUAL", "NIGHT_WORDS", "in_headline", "is_point", "night_before", "todays_news", "when_clause_head"]
