"""What the ``relations`` stage stands on: its word lists (``lexicons/relations.yaml``) and
:class:`Base`, which maps parse tokens to the entities they name and records relations.

A name maps to an entity through its mentions (a token inside a mention); "he"/"she" and
"it"/"they" and the looser "a name inside this noun phrase" go through
:class:`coref.Resolver`, the same machinery that resolves claim sources. Every look-around
is bounded (:data:`CHILD_WINDOW` tokens, :data:`PHRASE_REACH` characters), because spaCy's
own walks over a subtree are linear in its size, which is the whole text for one huge
sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.model import Analysis, Relation, Span
from claimgraph.pipeline.coref import Resolver, attribution_lexicon

#: how many tokens either side of a word are searched for its children
CHILD_WINDOW = 40
#: how many claim contents starting before a relation are tried for the one that holds it
MAX_STEPS_BACK = 20
#: the longest phrase (characters) left of a head that may hold its entity
PHRASE_REACH = 150
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
_ORG_PRONOUNS = frozenset({"it", "they", "them"})
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(frozen=True, slots=True)
class RelationLexicon:
    #: role noun (or "word noun" phrase) -> predicate
    role_nouns: dict[str, str]
    demoting_modifiers: frozenset[str]
    role_preps: frozenset[str]
    verbs: dict[str, str]
    agent_verbs: dict[str, str]
    passive_only: frozenset[str]
    place_verbs: dict[str, str]
    place_preps: frozenset[str]
    institution_words: frozenset[str]
    ambiguous_titles: frozenset[str]
    #: predicate -> (subject types, object types)
    types: dict[str, tuple[frozenset[str], frozenset[str]]]
    copulas: frozenset[str]


def _by_word(groups: dict[str, list[Any]]) -> dict[str, str]:
    """Invert ``{predicate: [words]}`` to ``{word: predicate}``."""
    return {str(word).lower(): predicate for predicate, words in groups.items() for word in words}


@lru_cache(maxsize=1)
def relation_lexicon() -> RelationLexicon:
    """The relation word lists, read once from the package data file."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("relations.yaml").read_text(encoding="utf-8")
    )
    words = {key: frozenset(str(w).lower() for w in raw[key])
             for key in ("demoting_modifiers", "role_preps", "passive_only", "place_preps", "institution_words",
                         "ambiguous_titles", "copulas")}
    types = {p: (frozenset(t["subject"]), frozenset(t["object"])) for p, t in raw["types"].items()}
    return RelationLexicon(
        role_nouns=_by_word(raw["role_nouns"]), verbs=_by_word(raw["verbs"]),
        agent_verbs=_by_word(raw["agent_verbs"]), place_verbs=_by_word(raw["place_verbs"]),
        types=types, **words,
    )


@dataclass(frozen=True, slots=True)
class Ref:
    """An entity and the characters of the phrase that names it."""

    entity: str
    start: int
    end: int


class Base:
    """Tokens, mentions and the relations found so far, for one analysis."""

    def __init__(self, analysis: Analysis, lex: RelationLexicon) -> None:
        self.analysis = analysis
        self.text = analysis.document.text
        self.doc = analysis.doc
        self.lex = lex
        self.resolver = Resolver(analysis, attribution_lexicon())
        self.types = {e.id: e.type for e in analysis.entities}
        self.token_starts = [t.idx for t in self.doc]
        self.found: list[Relation] = []
        #: every claim's content spans as (start, end, claim id), by start
        self.contents = sorted((part.start, part.end, claim.id) for claim in analysis.claims for part in claim.content)
        self.content_starts = [c[0] for c in self.contents]

    # -- tokens and entities --------------------------------------------------------------

    def children(self, tok: Any, deps: Iterable[str] | None = None) -> Iterator[Any]:
        """The children of ``tok`` within :data:`CHILD_WINDOW` tokens (spaCy's own walk over
        a subtree is linear in its size, which is the whole text for one huge sentence)."""
        wanted = frozenset(deps) if deps is not None else None
        lo, hi = max(0, tok.i - CHILD_WINDOW), min(len(self.doc), tok.i + CHILD_WINDOW + 1)
        for i in range(lo, hi):
            child = self.doc[i]
            if i != tok.i and child.head.i == tok.i and (wanted is None or child.dep_ in wanted):
                yield child

    def child(self, tok: Any, *deps: str) -> Any:
        return next(self.children(tok, deps), None)

    def mention_at(self, start: int, end: int) -> Ref | None:
        """The mention that covers the characters ``start:end`` (a token), if any."""
        mentions = self.resolver.mentions
        i = bisect_right(self.resolver.mention_starts, start) - 1
        while i >= 0 and start - mentions[i][0] <= PHRASE_REACH:
            m_start, m_end, eid = mentions[i]
            if m_start <= start and end <= m_end:
                return Ref(eid, m_start, m_end)
            i -= 1
        return None

    def named(self, tok: Any) -> Ref | None:
        """The entity a token names: a mention over it, or a personal pronoun resolved to the
        nearest fitting entity before it (strict: a description is not a name)."""
        ref = self.mention_at(tok.idx, tok.idx + len(tok.text))
        if ref is not None or tok.pos_ != "PRON":
            return ref
        word = tok.lower_
        if word in _PRONOUNS:
            eid = self.resolver.recent(tok.idx, types=frozenset({"PERSON"}), gender=_PRONOUNS[word])
        elif word in _ORG_PRONOUNS:
            eid = self.resolver.recent(tok.idx, types=frozenset({"ORG"}))
        else:
            return None
        return Ref(eid, tok.idx, tok.idx + len(tok.text)) if eid else None

    def phrase(self, tok: Any) -> Ref | None:
        """The entity a noun phrase names, looser than :meth:`named`: its head, else a name
        inside it before the head ("the Pakistani Taliban's media wing" -> the Taliban)."""
        ref = self.named(tok)
        if ref is not None:
            return ref
        start = max(tok.left_edge.idx, tok.idx - PHRASE_REACH)
        eid = self.resolver.entity_in(start, tok.idx + len(tok.text), tok)
        if eid is None:
            return None
        mentions = self.resolver.mentions
        i = bisect_right(self.resolver.mention_starts, start - 1)
        while i < len(mentions) and mentions[i][0] <= tok.idx:
            m_start, m_end, m_eid = mentions[i]
            if m_eid == eid:
                return Ref(eid, m_start, m_end)
            i += 1
        return None

    def adjacent_before(self, tok: Any) -> Ref | None:
        """A mention written right before ``tok``, possibly with "'s": "Lashkar-e-Taiba chief",
        "Jaish's commander" (hyphenated names parse too badly to trust the tree here)."""
        i = bisect_right(self.resolver.mention_starts, tok.idx) - 1
        while i >= 0 and tok.idx - self.resolver.mentions[i][0] <= PHRASE_REACH:
            m_start, m_end, eid = self.resolver.mentions[i]
            gap = self.text[m_end:tok.idx].strip()
            if m_end <= tok.idx and (gap == "" or gap in _POSSESSIVE) and "\n" not in self.text[m_end:tok.idx]:
                return Ref(eid, m_start, m_end)
            i -= 1
        return None

    def adjacent_after(self, tok: Any) -> Ref | None:
        """A mention starting right after ``tok`` (one space): "chief Hafiz Saeed"."""
        end = tok.idx + len(tok.text)
        ref = self.mention_after(end + 1)
        return ref if ref is not None and self.text[end:ref.start] in (" ", "\u00a0") else None

    def mention_after(self, start: int) -> Ref | None:
        """The mention that starts at ``start`` (or, with "the", just after it)."""
        i = bisect_right(self.resolver.mention_starts, start + 4) - 1
        while i >= 0 and self.resolver.mentions[i][0] >= start:
            m_start, m_end, eid = self.resolver.mentions[i]
            if m_start == start or self.text[start:m_start].lower() == "the ":
                return Ref(eid, m_start, m_end)
            i -= 1
        return None

    def token_at(self, char: int) -> Any:
        i = bisect_right(self.token_starts, char) - 1
        return self.doc[i] if i >= 0 else None

    # -- recording --------------------------------------------------------------------------

    def add(self, subject: Ref | None, predicate: str, obj: Ref | None, *cues: Any) -> None:
        """Record a relation if both sides are entities of the allowed types; the evidence
        runs from the first to the last of its phrases and cue words."""
        if subject is None or obj is None or subject.entity == obj.entity:
            return
        subject_types, object_types = self.lex.types[predicate]
        if self.types[subject.entity] not in subject_types or self.types[obj.entity] not in object_types:
            return
        starts = [subject.start, obj.start, *(c.idx for c in cues)]
        ends = [subject.end, obj.end, *(c.idx + len(c.text) for c in cues)]
        evidence = Span.of(self.text, min(starts), max(ends))
        self.found.append(Relation(subject.entity, predicate, obj.entity, evidence, self.claim_of(evidence)))

    def claim_of(self, evidence: Span) -> str | None:
        """The claim whose content holds the evidence: "the police said Khan was a member of
        the group" is the police's word, not the outlet's."""
        i = bisect_right(self.content_starts, evidence.start) - 1
        for start, end, claim_id in reversed(self.contents[max(0, i - MAX_STEPS_BACK):i + 1]):
            if start <= evidence.start and evidence.end <= end:
                return claim_id
        return None

    def negated(self, verb: Any) -> bool:
        return self.child(verb, "neg") is not None
