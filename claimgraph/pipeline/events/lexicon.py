"""The events word lists (``lexicons/events.yaml``), read once into lookup tables.

A trigger's PLOVER type is decided by its lemma, by its lemma with a particle or
preposition ("call for", "pull out"), and for a few ambiguous lemmas by a context word in
its phrase ("a doctors' strike" is PROTEST, "an air strike" ASSAULT). The first type that
lists a lemma is its type: the file orders them so that the more specific reading wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.errors import DataFormatError

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@dataclass(frozen=True, slots=True)
class EventLexicon:
    non_event_verbs: frozenset[str]
    event_nouns: frozenset[str]
    ment_non_events: frozenset[str]
    #: lemma -> type (single words)
    types: dict[str, str]
    #: (lemma, particle or preposition) -> type
    phrases: dict[tuple[str, str], str]
    #: lemma -> [(type, context words)]
    context_types: dict[str, tuple[tuple[str, frozenset[str]], ...]]
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    hypothetical_heads: frozenset[str]
    act_without_clause: frozenset[str]
    #: words that say a named operation struck ("strikes that destroyed nine bases"): it is an ASSAULT
    harm_words: frozenset[str] = frozenset()

    def is_event_noun(self, lemma: str) -> bool:
        if lemma in self.event_nouns:
            return True
        return lemma.endswith("ment") and len(lemma) > 7 and lemma not in self.ment_non_events

    def type_of(self, lemma: str, particles: tuple[str, ...] = (), context: frozenset[str] = frozenset()) -> str | None:
        """The PLOVER type of a trigger lemma, its particles ("call" + "for") and the words
        around it, or None when the lexicon does not type it."""
        for particle in particles:
            found = self.phrases.get((lemma, particle))
            if found is not None:
                return found
        for typ, words in self.context_types.get(lemma, ()):
            if context & words:
                return typ
        return self.types.get(lemma)


def _words(raw: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in raw.get(key) or ())


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("events.yaml").read_text(encoding="utf-8"))
    types: dict[str, str] = {}
    phrases: dict[tuple[str, str], str] = {}
    for typ, words in (raw.get("types") or {}).items():
        if typ not in PLOVER_TYPES:
            raise DataFormatError(f"lexicons/events.yaml: {typ!r} is not a PLOVER root type")
        for word in words:
            parts = str(word).lower().split()
            if len(parts) == 1:
                types.setdefault(parts[0], typ)
            else:
                phrases.setdefault((parts[0], parts[-1]), typ)
    context: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
    for lemma, by_type in (raw.get("context_types") or {}).items():
        context[str(lemma)] = tuple((str(t), frozenset(str(w).lower() for w in ws)) for t, ws in by_type.items())
    return EventLexicon(
        non_event_verbs=_words(raw, "non_event_verbs"), event_nouns=_words(raw, "event_nouns"),
        ment_non_events=_words(raw, "ment_non_events"), types=types, phrases=phrases, context_types=context,
        future_aux=_words(raw, "future_aux"), hypothetical_aux=_words(raw, "hypothetical_aux"),
        hypothetical_heads=_words(raw, "hypothetical_heads"), act_without_clause=_words(raw, "act_without_clause"),
        harm_words=_words(raw, "operation_harm_words"),
    )
