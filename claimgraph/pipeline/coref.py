"""Who is the source of a claim: the attribution word lists and a small in-document
coreference written for sources.

A source noun phrase is typed and, where the text allows, resolved to an entity of the
``entities`` layer:

- a name: the entity whose mention overlaps the phrase's head (else any mention in it);
- "he"/"she": the nearest preceding person whose known gender fits (titles and role
  nouns such as "Mrs" or "spokeswoman" tell it), subjects preferred over other mentions;
- "they"/"it": the nearest preceding organisation;
- a description ("the commander", "the agency"): the entities the text gave that role or
  kind noun (``AliasIndex.lookup_role``), nearest first; for a kind noun ("the agency")
  with no such entity, the nearest organisation;
- anonymous heads ("officials", "security sources", "One said") and documents ("the
  indictment") get their own types; an organisation named inside them ("Pentagon
  officials", "a UN report") is kept as the entity they speak for. A role noun after
  "a"/"an" ("an ECP spokesman") introduces someone new and unnamed: anonymous too;
- "the registry", "the commission": the organisation whose name ends on that noun
  ("National Civil Registry"), nearest first; a name with a kind noun before it ("the
  industry association Eurofer") is an organisation even when no entity was found.

Every search walks back from the source over a bounded number of mentions, so the cost
per claim does not grow with the article.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.model import Analysis, Entity, Source, Span
from claimgraph.pipeline.names import AliasIndex, lexicon

#: how far back (characters) a pronoun or description looks for its entity
WINDOW = 2000
#: how many preceding mentions are looked at, at most
MAX_STEPS = 60
_ORG_TYPES = frozenset({"ORG", "GPE", "NORP"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: determiners that introduce someone new: "an ECP spokesman" is not a person named before
_INDEFINITE = frozenset({"a", "an", "another", "one"})
#: words that end the head of an organisation's name: "Ministry of Defence" is a ministry
_NAME_TAIL = frozenset({"of", "for", "on", "in", "and", "&"})


@dataclass(frozen=True, slots=True)
class AttributionLexicon:
    cue_verbs: frozenset[str]
    pro_clause_cues: frozenset[str]
    pro_clauses: frozenset[str]
    belief_verbs: frozenset[str]
    object_cues: frozenset[str]
    mixed_verbs: frozenset[str]
    attitude_verbs: frozenset[str]
    clause_only_cues: frozenset[str]
    headline_labels: frozenset[str]
    raising_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    anonymous_heads: frozenset[str]
    document_heads: frozenset[str]
    organization_heads: frozenset[str]
    nearest_org_nouns: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    neuter_pronouns: frozenset[str]
    male_words: frozenset[str]
    female_words: frozenset[str]
    anonymity_words: frozenset[str]
    anonymity_verbs: frozenset[str]
    event_verbs: frozenset[str]
    #: "call for", "refer to": the prepositions that belong to a cue verb, by verb lemma
    cue_preps: dict[str, frozenset[str]]
    #: subtype of an anonymous source -> words of the phrase that make it, in order of precedence
    anonymous_subtypes: tuple[tuple[str, frozenset[str]], ...] = ()


@lru_cache(maxsize=1)
def attribution_lexicon() -> AttributionLexicon:
    """The attribution word lists, read once from the package data file."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("attribution.yaml").read_text(encoding="utf-8")
    )
    words = {key: frozenset(str(w).lower() for w in raw[key])
             for key in AttributionLexicon.__slots__ if key not in ("according_to", "cue_preps", "anonymous_subtypes")}
    phrases = tuple(tuple(str(p).lower().split()) for p in raw["according_to"])
    preps: dict[str, set[str]] = {}
    for entry in raw["cue_preps"]:
        verb, prep = str(entry).lower().split()
        preps.setdefault(verb, set()).add(prep)
    subtypes = tuple((str(name), frozenset(str(w).lower() for w in ws))
                     for name, ws in raw["anonymous_subtypes"].items())
    return AttributionLexicon(according_to=phrases, cue_preps={v: frozenset(p) for v, p in preps.items()},
                              anonymous_subtypes=subtypes, **words)


def anonymous_subtype(phrase: str, lex: AttributionLexicon) -> str:
    """The kind of an unnamed source, from the words of its phrase: security (security and
    intelligence services, the military), police, family, witness, agency, official, or other."""
    words = {w.strip(".,'’\"()").lower() for w in phrase.split()}
    words |= {w[:-2] for w in words if w.endswith(("'s", "’s"))}
    for name, markers in lex.anonymous_subtypes:
        if words & markers:
            return name
    return "other"


def _gender(entity: Entity, text: str, lex: AttributionLexicon) -> str | None:
    """"m", "f" or None, from the titles before its mentions and the roles the text gives it."""
    words = set(entity.roles)
    for mention in entity.mentions[:20]:
        before = text[max(0, mention.start - 12):mention.start].split()
        if before:
            words.add(before[-1].lower().rstrip("."))
    male, female = bool(words & lex.male_words), bool(words & lex.female_words)
    return "m" if male and not female else "f" if female and not male else None


def name_head(name: str) -> str | None:
    """The kind noun an organisation's name ends on, lower case: "registry" for "National
    Civil Registry", "ministry" for "Ministry of External Affairs". A text that has named the
    organisation in full goes on to call it by that noun ("the registry"); one-word names
    have no such noun."""
    words = name.split()
    for n, word in enumerate(words):
        if word.lower() in _NAME_TAIL:
            words = words[:n]
            break
    if len(words) < 2 or not words[-1].isalpha():
        return None
    return words[-1].lower()


class Resolver:
    """Types source phrases and resolves them to the entities of one analysis."""

    def __init__(self, analysis: Analysis, lex: AttributionLexicon) -> None:
        self.text = analysis.document.text
        self.doc = analysis.doc
        self.lex = lex
        self.index = AliasIndex.of(analysis.entities)
        self.types = {e.id: e.type for e in analysis.entities}
        self.gender = {e.id: _gender(e, self.text, lex) for e in analysis.entities if e.type == "PERSON"}
        #: kind noun -> organisations whose name ends on it ("the registry": National Civil Registry)
        self.kinds: dict[str, set[str]] = {}
        for ent in analysis.entities:
            kind = name_head(ent.name) if ent.type == "ORG" else None
            if kind is not None:
                self.kinds.setdefault(kind, set()).add(ent.id)
        mentions = sorted((m.start, m.end, e.id) for e in analysis.entities for m in e.mentions)
        self.mentions = mentions
        self.mention_starts = [m[0] for m in mentions]
        self.token_starts = [t.idx for t in self.doc]

    # -- mentions -------------------------------------------------------------------------

    def entity_in(self, start: int, end: int, head: Any = None) -> str | None:
        """The entity a phrase names: the mention over its head; else a person named in it
        ("a Commission spokesperson, Lucía Herrero"); else a name modifying the head from
        before it ("a UN report", "Pakistani officials"), a possessor ("Awan's lawyer") last.
        A place in a modifier after the head ("speaking to reporters in Lahore") is not it."""
        lo = bisect_left(self.mention_starts, start - 200)
        hi = bisect_left(self.mention_starts, end)
        head_at = head.idx if head is not None else end
        person = before = possessor = None
        for m_start, m_end, eid in self.mentions[lo:hi]:
            if m_end <= start or m_start < start:
                continue
            if m_start <= head_at < m_end:
                return eid
            owns = m_start < head_at and self.text[m_end:m_end + 2] in ("'s", "’s")
            if self.types[eid] == "PERSON" and person is None and not owns:
                person = eid  # "Whitcombe's barrister, Rebecca Lowther": Lowther, not Whitcombe
            elif owns:
                possessor = possessor or eid
            elif m_start < head_at:
                before = before or eid
        return person or before or possessor

    def entity_at(self, pos: int) -> str | None:
        """The entity with a mention covering character ``pos``, if any."""
        i = bisect_right(self.mention_starts, pos) - 1
        for m_start, m_end, eid in reversed(self.mentions[max(0, i - 8):i + 1]):
            if m_start <= pos < m_end:
                return eid
        return None

    def covers(self, eid: str, pos: int) -> bool:
        """Whether a mention of entity ``eid`` covers character ``pos``."""
        i = bisect_right(self.mention_starts, pos) - 1
        return any(other == eid and m_start <= pos < m_end
                   for m_start, m_end, other in self.mentions[max(0, i - 8):i + 1])

    def _is_subject(self, start: int) -> bool:
        i = bisect_right(self.token_starts, start) - 1
        if i < 0:
            return False
        tok = self.doc[i]
        root = tok
        while root.dep_ in ("compound", "flat") and root.head.i != root.i:
            root = root.head
        return root.dep_ in _SUBJECT_DEPS

    def recent(self, pos: int, ok: set[str] | None = None, types: frozenset[str] | None = None,
               gender: str | None = None) -> str | None:
        """The entity mentioned nearest before ``pos`` among those allowed; a subject counts
        as half as far away as any other mention."""
        best: tuple[float, str] | None = None
        i = bisect_left(self.mention_starts, pos) - 1
        steps = 0
        while i >= 0 and steps < MAX_STEPS:
            m_start, m_end, eid = self.mentions[i]
            i -= 1
            steps += 1
            if pos - m_end > WINDOW:
                break
            if m_end > pos:
                continue
            if ok is not None and eid not in ok:
                continue
            if types is not None and self.types[eid] not in types:
                continue
            if gender is not None and self.gender.get(eid) not in (gender, None):
                continue
            distance = (pos - m_end) * (0.5 if self._is_subject(m_start) else 1.0)
            if best is None or distance < best[0]:
                best = (distance, eid)
        return best[1] if best else None

    # -- sources ----------------------------------------------------------------------------

    def _type_of(self, eid: str) -> str:
        etype = self.types[eid]
        return "person" if etype == "PERSON" else "organization" if etype in _ORG_TYPES else "other"

    def source(self, first: Any, last: Any, head: Any) -> Source:
        """The source whose phrase runs from token ``first`` to ``last`` with head ``head``."""
        lex, names = self.lex, lexicon()
        start, end = first.idx, last.idx + len(last.text)
        span = Span.of(self.text, start, end)
        word = head.lower_
        lemma = head.lemma_.lower()
        if head.pos_ == "PRON":
            if word in lex.male_pronouns or word in lex.female_pronouns:
                gender = "m" if word in lex.male_pronouns else "f"
                eid = self.recent(start, types=frozenset({"PERSON"}), gender=gender)
                return Source(eid, span, "person")
            if word in lex.plural_pronouns or word in lex.neuter_pronouns:
                eid = self.recent(start, types=frozenset({"ORG"}))
                return Source(eid, span, "organization" if eid else "other")
            return Source(None, span, "other")
        named = self.entity_in(start, end, head)
        # the head itself is (part of) the name: "The Financial Conduct Authority" is no anonymous authority
        head_named = named is not None and self.covers(named, head.idx)
        if word in lex.document_heads or lemma in lex.document_heads:
            return Source(named, span, "document")
        role = lemma in names.role_nouns or lemma in names.person_titles
        plural_role = head.tag_ in ("NNS", "NNPS") and role
        if not head_named and (word in lex.anonymous_heads or lemma in lex.anonymous_heads or plural_role):
            return Source(named if named and self.types[named] in _ORG_TYPES else None, span, "anonymous")
        if not head_named and role and (named is None or self.types[named] != "PERSON") \
                and any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in head.children):
            # "An ECP spokesman said": someone new and unnamed, speaking for the organisation named
            return Source(named if named and self.types[named] in _ORG_TYPES else None, span, "anonymous")
        plural_body = head.tag_ in ("NNS", "NNPS") and not head_named and (
            lemma in names.org_nouns or lemma in lex.organization_heads)
        if plural_body and (named is None or self.types[named] != "ORG") \
                and not any(c.lower_ == "the" for c in head.children):
            # "Indian agencies", "security agencies": unnamed bodies, as anonymous as "Indian security sources"
            return Source(named if named and self.types[named] in _ORG_TYPES else None, span, "anonymous")
        if named is not None:
            return Source(named, span, self._type_of(named))
        if role:
            eid = self.recent(start, ok=self.index.lookup_role(lemma))
            return Source(eid, span, "person")
        if head.pos_ == "NUM":
            return Source(None, span, "anonymous")  # "One said", "Two of them told": unnamed people
        org_kind = lemma in names.org_nouns or lemma in lex.organization_heads
        if org_kind or (lemma in self.kinds and any(c.lower_ == "the" for c in head.children)):
            eid = self.recent(start, ok=self.index.lookup_role(lemma)) \
                or self.recent(start, ok=self.kinds.get(lemma, set()))
            if eid is None and lemma in lex.nearest_org_nouns and any(c.lower_ == "the" for c in head.children):
                eid = self.recent(start, types=frozenset({"ORG"}))
            return Source(eid, span, "organization")
        if head.pos_ == "PROPN" and any(c.dep_ in ("compound", "nmod", "appos") and (
                c.lemma_.lower() in names.org_nouns or c.lemma_.lower() in lex.organization_heads)
                for c in head.children):
            return Source(None, span, "organization")  # "the industry association Eurofer", no entity found
        return Source(None, span, "other")
