"""How many were killed, injured, abducted or arrested: counts read off a casualty trigger.

"killing three policemen", "at least 12 people were wounded", "killed 40", "arrested two men":
the number is the one that quantifies the trigger's object (or passive subject), with its
"at least"/"about" words in the span. Word numbers up to the tens and "a dozen" are read;
"dozens" or "scores" keep the span with no value. Each count keeps the claim that reports it,
so the tolls different outlets give can be set side by side.
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import Count, Span

#: trigger lemma -> count kind
KINDS = {"kill": "killed", "slay": "killed", "murder": "killed", "massacre": "killed", "behead": "killed",
         "lynch": "killed", "execute": "killed", "assassinate": "killed",
         "injure": "injured", "wound": "injured", "hurt": "injured",
         "abduct": "abducted", "kidnap": "abducted", "seize": "abducted",
         "arrest": "arrested", "detain": "arrested", "nab": "arrested", "apprehend": "arrested",
         "round": "arrested"}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12}
_VAGUE = frozenset({"dozens", "scores", "hundreds", "thousands", "several", "many", "some"})


def number_value(text: str) -> int | None:
    """The integer a number word or numeral names ("three", "1,200", "40"); None when vague."""
    word = text.lower().replace(",", "").strip()
    if word.isdigit():
        return int(word)
    return WORDS.get(word)


def _quantity(tok: Any) -> tuple[int, int, int | None] | None:
    """(first token, last token, value) of the number that quantifies ``tok``, if any."""
    if tok.like_num or tok.lower_ in _VAGUE:  # "killed 40", "arrested dozens"
        num = tok
    else:
        num = next((c for c in tok.children if c.dep_ == "nummod" or (c.dep_ == "amod" and c.lower_ in _VAGUE)),
                   None)
        if num is None:
            return None
    return num.left_edge.i, num.i, number_value(num.text)


def counts_of(trigger: Any, text: str, claim: str | None) -> tuple[Count, ...]:
    """The count a casualty trigger gives for its object or passive subject (empty when none)."""
    kind = KINDS.get(trigger.lemma_.lower())
    recipient = next((c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if kind is None or recipient is None:
        return ()
    if kind == "arrested" and trigger.lemma_.lower() == "round" and not any(c.lower_ == "up" for c in trigger.children):
        return ()
    found = _quantity(recipient)
    if found is None:
        return ()
    first, last, value = found
    doc = trigger.doc
    span = Span.of(text, doc[first].idx, doc[last].idx + len(doc[last].text))
    return (Count(kind, value, span, claim),)


__all__ = ["KINDS", "counts_of", "number_value"]
