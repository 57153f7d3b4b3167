"""Aliases the text declares: "Muhammad Asif, alias Qari Zia", "Abdul Basir, also known as
Abu Talha", "a.k.a.", "nom de guerre", and a kunya ("Abu Talha", "Umm Hamza") in apposition
to a person. The alias joins the entity it names; when spaCy did not tag it, it becomes a
mention. The cue phrases are data (``alias_cues`` and ``kunya_heads`` in
``lexicons/entity_cues.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from claimgraph.model import Span
from claimgraph.pipeline.entities.cues import cues
from claimgraph.pipeline.mentions import W_CUE, Mention, new_evidence
from claimgraph.pipeline.names import clean_name, name_key
from claimgraph.pipeline.span_index import SpanIndex

if TYPE_CHECKING:
    from claimgraph.pipeline.entities.rules import Cluster

_NAME_AFTER = re.compile(r"(?:the\s+)?((?:[A-Z][\w'’-]*|al|el|bin|ibn|ul|ud|e|i)"
                         r"(?:\s+(?:[A-Z][\w'’-]*|al|el|bin|ibn|ul|ud))*)")


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    phrases = "|".join(sorted(cues().alias_cues, key=len, reverse=True))
    return re.compile(r"(?:['’]s\s+)?[,(]?\s*(?:who is |who was |whose )?(?:" + phrases
                      + r")(?:\s+is|\s+was|\s+as)?\s*[:,\"“]?\s*", re.IGNORECASE)


def _trim_name(name: str) -> str:
    words = name.split()
    while words and words[-1] in ("al", "el", "bin", "ibn", "ul", "ud", "e", "i"):
        words.pop()
    return " ".join(words)


def alias_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Aliases written after a cue that spaCy left untagged ("also known as Abu Talha")."""
    taken = SpanIndex(m.span for m in mentions)
    found: list[Mention] = []
    for cue in _cue_pattern().finditer(text):
        if not cue.group(0).strip(" ,(\"“:"):
            continue
        match = _NAME_AFTER.match(text, cue.end())
        if not match:
            continue
        name = _trim_name(match.group(1))
        if not name or len(name) < 3:
            continue
        span = Span.of(text, match.start(1), match.start(1) + len(name))
        if taken.overlaps(span):
            continue
        found.append(Mention(span=span, name=clean_name(name), key=name_key(name), label=None,
                             evidence=new_evidence(PERSON=W_CUE)))
    return found


def _declared(text: str, first: Mention, second: Mention) -> bool:
    gap = text[first.span.end:second.span.start]
    if len(gap) > 60 or ". " in gap:
        return False
    cue = _cue_pattern().fullmatch(gap)
    if cue and cue.group(0).strip(" ,(\"“:"):
        return True
    # "...; his followers knew him by the nom de guerre X": a cue ending the gap
    tail = [m for m in _cue_pattern().finditer(gap) if m.end() == len(gap) and m.group(0).strip(" ,(\"“:")]
    if tail and re.search(r"\b(him|her|his|he|she)\b", gap):
        return True
    # a kunya in apposition: "Abdul Basir, Abu Talha,"
    head = second.name.split()[0].lower()
    return gap in (", ", " (") and head in cues().kunya_heads and len(second.name.split()) >= 2


_PRONOUN = re.compile(r"\b(?:he|she|him|her|his)\b", re.IGNORECASE)
#: how far back the person a pronoun's declaration refers to may be named
_PRONOUN_REACH = 400
#: how far back a declaration's sentence start is looked for
_SENTENCE_REACH = 300


def _pronoun_declared(text: str, ordered: list[Mention], i: int, owner: dict[int, Cluster]) -> Mention | None:
    """The person named last before a declaration made with a pronoun: "Ghazanfar was born in
    Datta Khel. He took the nom de guerre Abu Talha" -> Ghazanfar. Only where nothing else is
    named between the sentence's start and the alias."""
    second = ordered[i]
    window = max(0, second.span.start - _SENTENCE_REACH)  # bounded: linear in the text (#19)
    start = max(text.rfind(". ", window, second.span.start) + 2, text.rfind("\n", window, second.span.start) + 1,
                window)
    if i and ordered[i - 1].span.end > start:
        return None
    head = text[start:second.span.start]
    tail = [m for m in _cue_pattern().finditer(head) if m.end() == len(head) and m.group(0).strip(" ,(\"“:")]
    if not tail or not _PRONOUN.search(head[:tail[0].start() + 1] or head):
        return None
    for j in range(i - 1, -1, -1):
        prev = ordered[j]
        if second.span.start - prev.span.end > _PRONOUN_REACH:
            return None
        if owner[id(prev)].type == "PERSON":
            return prev
    return None


@lru_cache(maxsize=1)
def _conventional_names() -> dict[str, frozenset[str]]:
    """Short form or other name -> the names it stands for (``conventional_acronyms``)."""
    out: dict[str, set[str]] = {}
    for pair in cues().conventional_acronyms:
        short, _, name = pair.partition(" = ")
        out.setdefault(short, set()).add(name)
    return {short: frozenset(names) for short, names in out.items()}


def _fold(name: str) -> str:
    return " ".join(name.replace(".", "").casefold().split())


def _conventional_pairs(clusters: list[Cluster]) -> list[tuple[Mention, Mention]]:
    """(name, other name) for every other name of a body that the lexicon knows and the
    document uses beside the name itself: "the Islamic Emirate" beside "the Taliban"."""
    table = _conventional_names()
    by_name: dict[str, Mention] = {}
    for c in clusters:
        for m in c.mentions:
            by_name.setdefault(_fold(m.name), m)
    return [(by_name[name], other) for folded, other in by_name.items()
            for name in table.get(folded, ()) if name in by_name]


def merge_aliases(clusters: list[Cluster], text: str) -> list[Cluster]:
    """Join the cluster of every declared alias to the cluster of the name it follows (or, for a
    declaration made with a pronoun, of the person named last). The whole cluster joins, so
    that a use of the alias before its declaration joins too."""
    owner = {id(m): c for c in clusters for m in c.mentions}
    ordered = sorted((m for c in clusters for m in c.mentions), key=lambda m: m.span.start)
    merged: set[int] = set()
    pairs = [(first, second) for first, second in pairwise(ordered) if _declared(text, first, second)]
    for i in range(1, len(ordered)):
        named = _pronoun_declared(text, ordered, i, owner)
        if named is not None:
            pairs.append((named, ordered[i]))
    pairs += _conventional_pairs(clusters)
    for first, second in pairs:
        a, b = owner[id(first)], owner[id(second)]
        if a is b or id(b) in merged:
            continue
        if a.type not in ("PERSON", "ORG") or b.type in ("GPE", "LOC", "FAC", "NORP"):
            continue
        for mention in b.mentions:
            mention.declared_alias = True
            a.add(mention, partial=True)
            owner[id(mention)] = a
        b.mentions.clear()
        merged.add(id(b))
    return [c for c in clusters if c.mentions]
