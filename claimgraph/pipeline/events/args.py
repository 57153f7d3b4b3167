"""The participants, time, place and modality of one event mention, read off the parse.

Actor and recipient come from the trigger's own dependents: subject and object of a verb
(the "by" agent and the passive subject swapped back), "X's attack on Y", "the attack on Y
by X", a name modifying the noun ("a Taliban attack", "a UN designation"), or, for a noun
that is the object of a light verb ("militants carried out the attack"), that verb's
subject. Pronouns and descriptions ("he", "the group", "the commander") resolve to entities
through the claims stage's coreference (:class:`coref.Resolver`), so "he was arrested"
points to the person the text last named. An argument the parse does not give stays None.

Time and place attach by walking up the parse from a date or a place mention: they belong
to the first event trigger or verb they reach, so "in 2004" in "the 2004 hijacking" is the
hijacking's, and "on Thursday" in "he said on Thursday that X attacked Y" is the saying's,
not the attack's.
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import DateRef, Ref, Span
from claimgraph.pipeline.coref import Resolver
from claimgraph.pipeline.events.lexicon import EventLexicon

#: verbs whose conjoined subjects act on each other: "India and Pakistan agreed", "X and Y met"
SYMMETRIC = frozenset({"agree", "meet", "talk", "negotiate", "sign", "cooperate", "collaborate", "partner",
                       "clash", "fight", "discuss", "consult", "confer", "ally", "settle", "reconcile"})
#: common nouns that name participants ("refugees", "the government", "protesters")
ACTOR_NOUNS = frozenset({"government", "refugee", "people", "civilian", "protester", "militant", "soldier", "police",
                         "policeman", "force", "troop", "army", "official", "minister", "leader", "rebel",
                         "fighter", "group", "country", "nation", "state", "authority", "administration",
                         "opposition", "party", "union", "worker", "student", "farmer", "villager", "resident",
                         "family", "community", "court", "council", "committee", "ministry", "agency", "company",
                         "bank", "organization", "organisation", "migrant", "prisoner", "hostage", "journalist",
                         "girl", "schoolgirl", "boy", "child", "woman", "man", "passenger", "pilgrim", "tourist",
                         "engineer", "doctor", "teacher", "guard", "member"})
#: verbs that carry out a nominal event: their subject is its actor
LIGHT_VERBS = frozenset({"commence", "pass", "undertake", "step", "intensify", "resume", "escalate",
                         "carry", "launch", "conduct", "stage", "mount", "claim", "impose", "announce", "order",
                         "make", "commit", "perpetrate", "orchestrate", "plan", "lead", "execute", "file",
                         "issue", "level", "bring", "press", "sign", "hold", "begin", "start", "continue",
                         "open", "initiate", "join", "express", "voice", "lodge", "give", "offer",
                         "provide", "face", "receive"})
#: light verbs whose subject undergoes the event rather than doing it ("Iran faces criticism")
UNDERGO_VERBS = frozenset({"face", "receive", "suffer", "endure", "undergo", "win", "get"})
#: prepositions that introduce a verb's recipient when it has no object
RECIPIENT_PREPS = frozenset({"on", "against", "at", "with", "to", "into", "upon", "toward", "towards"})
#: prepositions after an event noun that introduce its recipient ("the arrest of Khan", "the attack on the base")
NOUN_RECIPIENT_PREPS = frozenset({"on", "against", "of", "at", "upon", "to", "with", "into", "over"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: nouns a place name may modify and still be the place: "the Bannu police station", "Shewa tehsil"
PLACE_NOUNS = frozenset({"station", "camp", "post", "checkpost", "checkpoint", "village", "district", "town",
                         "city", "province", "area", "market", "border", "base", "region", "valley", "tehsil",
                         "crossing", "compound", "bazaar", "road", "highway", "airport", "port", "outskirts",
                         "sector", "zone", "belt", "agency", "county", "state", "capital", "frontier", "side"})
#: at most this many tokens are walked up from a date or place to its event
MAX_WALK = 12


#: pronouns that name no one until coreference resolves them
UNRESOLVED = frozenset({"which", "that", "who", "whom", "whose", "it", "this", "these", "those", "what", "its"})
#: entity labels that never name a participant ("ambushed in March", "killed 40")
_NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _participant(tok: Any | None) -> Any | None:
    """The token, unless it is a date, a time or an amount the parse took for an argument."""
    if tok is None or tok.ent_type_ in _NOT_PARTICIPANTS or tok.pos_ in ("NUM", "ADV", "ADJ"):
        return None
    return tok


class ArgumentReader:
    """Reads arguments for the mentions of one analysed document."""

    def __init__(self, resolver: Resolver, lex: EventLexicon, triggers: set[int]) -> None:
        self.resolver = resolver
        self.doc = resolver.doc
        self.text = resolver.text
        self.lex = lex
        self.triggers = triggers
        #: date or place heads grouped by the trigger that owns them, per list of heads: asking
        #: every head's owner for every trigger was quadratic in a long document (#19)
        self._owned: dict[int, tuple[list[Any], dict[int | None, list[Any]]]] = {}

    # -- participants ---------------------------------------------------------------------------

    def ref(self, head: Any) -> Ref:
        """The phrase headed by ``head`` (its modifiers before it and name parts after it,
        not its relative clauses or prepositional tails) resolved to an entity."""
        doc = self.doc
        first, last = head.left_edge.i, head.i
        for child in head.children:
            if child.i > head.i and child.dep_ in ("compound", "flat"):
                last = max(last, child.right_edge.i)
        while first < head.i and (doc[first].is_punct or doc[first].dep_ in ("cc", "preconj")):
            first += 1
        # a hyphenated name the tokenizer split ("Lashkar-e-Islam's"): take the whole word
        while first > 0 and not doc[first - 1].whitespace_ and (doc[first - 1].is_alpha or doc[first - 1].text in "-–"):
            first -= 1
        if head.i - first > 12:
            first = head.i
        # a line break bounds the phrase: a dateline or headline above is never part of it
        line_start = self.text.rfind("\n", doc[first].idx, head.idx) + 1
        while first < head.i and doc[first].idx < line_start:
            first += 1
        source = self.resolver.source(doc[first], doc[last], head)
        return Ref(source.entity, source.span)

    def usable(self, ref: Ref, trigger: Any) -> bool:
        """Can this phrase be a participant of the trigger's event? Not an unresolved relative
        or neuter pronoun ("which", "that", "it"), not a byline, not a phrase on another line
        than the trigger (a headline or dateline the parser ran into the sentence)."""
        if ref.entity is None and ref.span.text.lower() in UNRESOLVED:
            return False
        text = self.text
        line_start = text.rfind("\n", 0, ref.span.start) + 1
        if text.startswith(("By ", "BY "), line_start):
            return False
        lo, hi = sorted((ref.span.start, trigger.idx))
        return "\n" not in text[lo:hi]

    def actor_like(self, tok: Any) -> bool:
        """A name that can act: a person, group or body by the entities layer's type (which
        knows "Mumbai" is a city even where spaCy's label says ORG)."""
        eid = self.resolver.entity_in(tok.idx, tok.idx + len(tok.text), tok)
        kind = self.resolver.types.get(eid) if eid is not None else tok.ent_type_
        return kind in ("ORG", "NORP", "PERSON")

    def names_someone(self, tok: Any) -> bool:
        """Does the phrase name a participant (a person, group, body or country), not a thing?"""
        eid = self.resolver.entity_in(tok.idx, tok.idx + len(tok.text), tok)
        kind = self.resolver.types.get(eid) if eid is not None else tok.ent_type_
        return kind in ("ORG", "NORP", "PERSON", "GPE") or tok.pos_ == "PRON" or tok.lemma_.lower() in ACTOR_NOUNS

    def verb_arguments(self, tok: Any) -> tuple[Any | None, Any | None]:
        actor = recipient = None
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        for child in tok.children:
            if child.dep_ == "nsubj" and not passive:
                actor = child
            elif child.dep_ == "nsubjpass":
                recipient = child
            elif child.dep_ == "agent":
                actor = next((c for c in child.children if c.dep_ == "pobj"), actor)
            elif child.dep_ in ("dobj", "dative") and recipient is None:
                recipient = child
        if recipient is None or not self.names_someone(recipient):
            # "sent troops to Libya", "provided aid to refugees": when the object is a thing,
            # the one the act is aimed at is the prepositional object that names someone
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS and child.i > tok.i:
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None and (recipient is None or self.names_someone(pobj)):
                        recipient = pobj
                        break
        if recipient is None:
            # "convicted the bank to pay damages": the parser makes the object the infinitive's subject
            for child in tok.children:
                if child.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                    recipient = next((c for c in child.children if c.dep_ == "nsubj"), None)
                    break
        if recipient is None:
            # "agreed to release two hostages", "is willing to send aid to X": the governed act's target
            xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if xcomp is not None:
                recipient = self.verb_arguments(xcomp)[1] if xcomp.i not in self.triggers else None
        if actor is None and passive:
            # "is designated a terrorist group by the UN": the parser hangs the agent on the
            # complement noun rather than on the verb
            for child in tok.children:
                if child.dep_ in ("oprd", "attr", "dobj", "xcomp") and child.i > tok.i:
                    agent = next((c for c in child.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"), None)
                    if agent is not None:
                        actor = next((c for c in agent.children if c.dep_ == "pobj"), None)
                        break
        if actor is None and not passive:
            actor = self._inherited_subject(tok)
        if actor is not None and actor.tag_ in ("WDT", "WP") and actor.head.dep_ == "relcl":
            actor = actor.head.head  # "militants who attacked": the antecedent
        if actor is not None and tok.lemma_.lower() in SYMMETRIC and (recipient is None
                                                                      or not self.names_someone(recipient)):
            # "India and Pakistan agreed to a ceasefire": each is the other's counterpart
            recipient = next((c for c in actor.children if c.dep_ == "conj"), recipient)
        return _participant(actor), _participant(recipient)

    def _inherited_subject(self, tok: Any) -> Any | None:
        """'X stormed the base and killed ...', 'X vowed to attack ...': the subject of the
        verb this one is coordinated with or governed by."""
        for _ in range(3):
            if tok.dep_ == "xcomp" and tok.head.pos_ == "ADJ" and tok.head.dep_ == "acomp":
                tok = tok.head  # "Russia is willing to withdraw": the subject of "is"
            if tok.dep_ not in ("conj", "xcomp", "advcl", "acomp") or tok.head.i == tok.i:
                return None
            if tok.dep_ == "advcl" and tok.tag_ != "VBG":
                return None  # "after police arrived, militants fled": another clause's subject
            tok = tok.head
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return subj
        return None

    def noun_arguments(self, tok: Any) -> tuple[Any | None, Any | None]:
        actor = recipient = None
        for child in tok.children:
            if child.dep_ == "poss":
                actor = child
            elif child.dep_ == "compound" and actor is None and self.actor_like(child):
                actor = child  # "a Taliban attack", "a UN designation"; "the Mumbai attacks" is a place
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                actor = next((c for c in child.children if c.dep_ == "pobj"), actor)  # "criticism from the UN"
            elif child.dep_ == "prep" and child.lower_ in NOUN_RECIPIENT_PREPS and recipient is None:
                recipient = next((c for c in child.children if c.dep_ == "pobj"), None)
        if tok.dep_ in ("compound", "flat") and tok.lower_ == "operation" and tok.head.i != tok.i:
            tok = tok.head  # "launched Operation Sindoor": the name's head is the verb's object
        head = tok.head
        light = tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in LIGHT_VERBS
        if light and head.lemma_.lower() in UNDERGO_VERBS:
            # "Iran faces criticism from the UN": the subject is on the receiving end
            if recipient is None:
                recipient = next((c for c in head.children if c.dep_ == "nsubj"), None)
        elif actor is None and light:
            actor = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if actor is None:
                actor = next((p for a in head.children if a.dep_ == "agent" for p in a.children
                              if p.dep_ == "pobj"), None)
        if recipient is None and light:
            # "filed a lawsuit in the court against X": the parser hangs "against X" on the verb
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("against", "into", "on", "upon") and child.i > tok.i:
                    recipient = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if recipient is not None:
                        break
        return _participant(actor), _participant(recipient)

    # -- time, place, modality --------------------------------------------------------------------

    def owner(self, tok: Any) -> int | None:
        """The event trigger (or other verb) a date or place token belongs to."""
        steps = 0
        while steps < MAX_WALK:
            if tok.i in self.triggers:
                return int(tok.i)
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
                return int(tok.i)
            if tok.head.i == tok.i:
                return None
            tok = tok.head
            steps += 1
        return None

    def modifier_only(self, head: Any, span: Span) -> bool:
        """Is a place name only a modifier of something else ("Indian forces", "Pakistan Army",
        "a UN designation"), not where something happened?"""
        if head.dep_ not in ("compound", "amod", "poss", "nmod"):
            return False
        outer = head.head
        if span.start <= outer.idx < span.end or outer.i == head.i:
            return False
        return outer.ent_type_ not in ("GPE", "LOC", "FAC") and outer.lemma_.lower() not in PLACE_NOUNS

    def head_of(self, span: Span) -> Any | None:
        found = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        return found.root if found is not None and len(found) else None

    def _by_owner(self, heads: list[tuple[Any, Any]]) -> dict[int | None, list[Any]]:
        """``heads`` grouped by :meth:`owner`, in their order; computed once per list."""
        cached = self._owned.get(id(heads))
        if cached is None or cached[0] is not heads:
            groups: dict[int | None, list[Any]] = {}
            for head, ref in heads:
                groups.setdefault(self.owner(head), []).append(ref)
            cached = (heads, groups)
            self._owned[id(heads)] = cached
        return cached[1]

    def when(self, trigger: int, timex_heads: list[tuple[Any, DateRef]]) -> DateRef | None:
        owned: list[DateRef] = self._by_owner(timex_heads).get(trigger, [])
        return owned[0] if owned else None

    def where(self, trigger: int, place_heads: list[tuple[Any, Ref]], taken: set[str]) -> Ref | None:
        owned: list[Ref] = self._by_owner(place_heads).get(trigger, [])
        return next((ref for ref in owned if ref.entity not in taken), None)

    def modality(self, tok: Any) -> str:
        lex = self.lex
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return "negated"
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in lex.future_aux:
                return "future"
            if child.dep_ == "aux" and child.lower_ in lex.hypothetical_aux:
                return "hypothetical"
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "go" and tok.head.tag_ == "VBG":
            return "future"  # "is going to impose"
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.hypothetical_heads:
            return "hypothetical"  # "plans to attack", "threatened to strike"
        if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in lex.hypothetical_heads:
            return "hypothetical"  # "the threat of sanctions" is not a sanction
        if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX") \
                and tok.head.i != tok.i:
            return self.modality(tok.head)  # "will impose sanctions": the sanctions are future too
        return "asserted"
