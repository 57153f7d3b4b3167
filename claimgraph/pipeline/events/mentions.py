"""Event mentions: every word that names something happening, verbal ("attacked") or
nominal ("the bombing", "his arrest", "sanctions", "Operation Northern Shield"), with its
PLOVER root type when it has one.

Mentions are found the way news event corpora (MEANTIME, ECB+) annotate them: every full
verb except relational ones ("include", "cost"), and the nouns that name an event (a word
list, and nouns in -ment that are not things). The type comes from the event lexicon. A
reporting verb ("said", "told") is a mention too, marked ``reporting``: it is a claim's cue
(#3), never a PLOVER event; a speech act that is an act ("accused", "threatened") is typed
and becomes an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimgraph.model import Analysis, Span
from claimgraph.pipeline.coref import attribution_lexicon
from claimgraph.pipeline.events.lexicon import EventLexicon, event_lexicon

#: dependents whose words decide an ambiguous lemma's type ("doctors' strike", "opened fire")
#: dependency labels of a token that heads a clause of its own (not an auxiliary of another verb)
_CLAUSE_HEADS = frozenset({"ROOT", "ccomp", "conj", "advcl", "relcl", "xcomp", "parataxis"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her"})
_CONTEXT_DEPS = frozenset({"nsubj", "nsubjpass", "compound", "amod", "poss", "dobj", "nmod", "agent", "aux"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One event mention. ``token`` is the index of the trigger's head token in
    ``analysis.doc``; ``type`` is a PLOVER root type, or None for an event outside PLOVER's
    16 (a merger, a launch) or a reporting verb ("said": a claim's cue, never an event)."""

    token: int
    trigger: Span
    lemma: str
    nominal: bool
    type: str | None
    reporting: bool = False


def _particles(tok: Any) -> tuple[str, ...]:
    """The particle and prepositions right of a verb that may make a phrase with it."""
    return tuple(c.lower_ for c in tok.children if c.i > tok.i and c.dep_ in ("prt", "prep", "dobj")
                 and c.i - tok.i <= 3)


def _context(tok: Any) -> frozenset[str]:
    words = {tok.lower_}
    for child in tok.children:
        if child.dep_ in _CONTEXT_DEPS:
            words.add(child.lemma_.lower())
            words.add(child.lower_)
    for child in tok.children:  # "added the group to its list", "listed it as a terrorist"
        if child.dep_ == "prep" and child.i > tok.i:
            words.update(g.lower_ for g in child.children if g.dep_ == "pobj")
    if tok.dep_ in ("dobj", "compound") and tok.head.i != tok.i:
        words.add(tok.head.lemma_.lower())  # "opened fire": the verb is the context of its object
    return frozenset(words)


def type_of_token(tok: Any, lex: EventLexicon) -> str | None:
    """The PLOVER type of a trigger token, from its lemma, phrase and context."""
    lemma = tok.lemma_.lower()
    if lemma in lex.act_without_clause and any(c.dep_ == "ccomp" for c in tok.children):
        return None  # "warned that ...": it reports, the clause holds the event
    return lex.type_of(lemma, _particles(tok), _context(tok))


def is_mention(tok: Any, lex: EventLexicon) -> tuple[bool, bool]:
    """(is an event mention, is nominal)."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        if tok.dep_ == "amod" and tok.tag_ == "VBN":
            return False, False  # "the banned group", "Pakistan-occupied Kashmir": a state, not an act
        if tok.tag_ in ("VBN", "VBD") and tok.i > 0 and tok.doc[tok.i - 1].lower_ in _DETERMINERS \
                and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ in ("PROPN", "NOUN"):
            return False, False  # the same, where the parser took the participle for the verb
        return lemma not in lex.non_event_verbs and tok.is_alpha, False
    if tok.pos_ == "AUX" and lemma == "be" and tok.dep_ in _CLAUSE_HEADS:
        return True, False  # a copula heading its clause: "the plane is late" states a situation
    if tok.pos_ == "NOUN":
        return lex.is_event_noun(lemma), True
    if tok.pos_ == "PROPN" and tok.lower_ == "operation" and tok.i + 1 < len(tok.doc) \
            and tok.doc[tok.i + 1].text[:1].isupper():
        return True, True  # "Operation Northern Shield": a named military operation
    return False, False


def find_mentions(analysis: Analysis, lex: EventLexicon | None = None) -> list[Mention]:
    """Every event mention of the analysed document, in text order."""
    doc = analysis.doc
    if doc is None:
        return []
    lex = lex or event_lexicon()
    cues = attribution_lexicon().cue_verbs
    text = analysis.document.text
    out: list[Mention] = []
    for tok in doc:
        mention, nominal = is_mention(tok, lex)
        if not mention:
            continue
        lemma = tok.lemma_.lower()
        typ = type_of_token(tok, lex)
        reporting = typ is None and not nominal and lemma in cues
        out.append(Mention(tok.i, Span.of(text, tok.idx, tok.idx + len(tok.text)), lemma, nominal, typ, reporting))
    return out
