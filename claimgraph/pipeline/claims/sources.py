"""Sources carried over from one claim to the next: news writes a speaker's name once and
then "he said", "the agency said", "It added". Run after every claim is found, in text order.

The latest speaker is the best antecedent for such a source, better than the nearest
mention (PolNeAR's pronoun sources mostly continue the previous claim's source), unless the
text has moved on: a sentence between them whose subject is someone else of the same kind
("Ospina told supporters ... Carrizosa conceded. ... he congratulated Ospina and said ...":
"he" is Carrizosa, the one the text moved on to). The same holds for an organisation's "it" and for "the agency" when no
entity was described with that noun, and for an unnamed speaker ("One said ... he said").
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import Source
from claimgraph.pipeline.claims.base import MAX_FLOAT_GAP, MAX_SPLIT_GAP, ClaimsBase, Draft

#: a pronoun or description continues a speaker quoted at most this many characters before
MAX_CARRY = MAX_FLOAT_GAP // 2
_ORGS = frozenset({"ORG", "GPE", "NORP"})
#: what "it" or "the agency" may stand for; not a nationality ("a British journal" said)
_SPEAKING_ORGS = frozenset({"ORG", "GPE"})
#: what may come before a main clause's subject: "On Monday, ...", "Later, ...", "As ..., "
_FRONTED = frozenset({"prep", "advmod", "npadvmod", "advcl", "punct", "cc", "mark"})


class SourcesMixin(ClaimsBase):
    """The pass that hands a claim's source on to the pronouns and descriptions after it."""

    def pronouns(self, drafts: list[Draft]) -> None:
        """Pronoun sources prefer the latest speaker: "he" or "she" after a person's claim
        (gender permitting) is that person, whoever else was named in between ("Khan said
        ... the army ... Ali ... He added ..."), unless someone else became the subject of a
        sentence since; "they" right after a claim of anonymous or collective sources
        ("officials said ... They added ...") are those sources again."""
        previous: Draft | None = None
        speaking_org: Draft | None = None  # the latest claim of a named organisation
        spoken: list[Draft] = []  # claims with a resolved source, latest last
        for draft in drafts:
            src = draft.source
            if src is not None and previous is not None and previous.source is not None:
                if src.span == previous.source.span:
                    # coordinated or serial cues share their subject: "he praised X and asserted ..."
                    draft.source = previous.source
                else:
                    draft.source = self.carried(draft, previous) or src
            if draft.source is not None and draft.source.entity is None and draft.source is src:
                draft.source = self.described(draft.source, spoken) or draft.source
            if draft.source is not None and draft.source.entity is not None:
                spoken = [*spoken[-12:], draft]
            if src is not None and speaking_org is not None and draft.source is src:
                draft.source = self.carried_org(draft, speaking_org) or src
            if src is not None and not (previous is not None and self.within(draft, previous)):
                previous = draft  # a claim inside another's content ("said X had never said so") is no new speaker
            if draft.source is not None and draft.source.type == "organization" and draft.source.entity \
                    and self.resolver.types.get(draft.source.entity) in _SPEAKING_ORGS:
                speaking_org = draft

    def described(self, src: Source, spoken: list[Draft]) -> Source | None:
        """'The commander said', 'the spokesman added': a definite role noun with no entity
        of its own is the latest speaker whose source phrase used that noun ("The commander
        of the coast guard, Brig. Gen. Khaled al-Qamali, said ... The commander said")."""
        head = self.head_of(src)
        if head.pos_ != "NOUN" or head.tag_ != "NN" or not any(c.lower_ == "the" for c in head.children):
            return None
        lemma = head.lemma_.lower()
        for previous in reversed(spoken):
            prev = previous.source
            if prev is None or prev.entity is None or not 0 <= src.span.start - prev.span.end < MAX_FLOAT_GAP:
                continue
            # the phrase, and what stands before it in its sentence ("The commander of X, Gen. Y")
            line = self.text.rfind("\n", 0, prev.span.start) + 1
            phrase = self.text[max(line, prev.span.start - 100):prev.span.end]
            if lemma in (w.strip(",.").lower() for w in phrase.split()):
                return Source(prev.entity, src.span, prev.type)
        return None

    @staticmethod
    def within(draft: Draft, outer: Draft) -> bool:
        """Whether ``draft``'s cue lies inside the content of ``outer``: what the speaker
        reports someone else said, not a new speaker of the text."""
        if draft.cue is None:
            return False
        return any(c.start <= draft.cue.start < c.end for c in outer.content)

    def carried(self, draft: Draft, previous: Draft) -> Source | None:
        """The previous claim's source (or the one the text moved on to), when ``draft``'s
        source only refers back to it; else None."""
        lex = self.lex
        src, prev = draft.source, previous.source
        assert src is not None and prev is not None
        word = src.span.text.lower()
        gap = src.span.start - prev.span.end
        if word in lex.male_pronouns or word in lex.female_pronouns:
            if not 0 <= gap < MAX_CARRY:
                return None
            gender = "m" if word in lex.male_pronouns else "f"
            topic = self.topic(previous, draft, frozenset({"PERSON"}), gender)
            if topic is not None:
                return Source(topic, src.span, "person")  # "... Carrizosa conceded. ... he said"
            if prev.entity is not None and prev.type == "person" \
                    and self.resolver.gender.get(prev.entity) in (gender, None):
                return Source(prev.entity, src.span, "person")
            if prev.type == "anonymous" and src.type == "person" and self.singular(prev):
                return Source(prev.entity, src.span, "anonymous")  # "One said ... he said"
            return None
        if word in lex.plural_pronouns and prev.type == "anonymous" \
                and src.span.start - previous.start < MAX_SPLIT_GAP * 3:
            return Source(prev.entity, src.span, "anonymous")
        return None

    def carried_org(self, draft: Draft, previous: Draft) -> Source | None:
        """The organisation of ``previous`` (the latest claim of a named organisation), when
        ``draft``'s source is "it" or "the agency" and the text has not moved on to another
        organisation since: "The FSB said ... by the SBU. The agency said" is the FSB."""
        src, prev = draft.source, previous.source
        assert src is not None and prev is not None
        gap = src.span.start - prev.span.end
        if src.type == "organization" and src.entity != prev.entity and 0 <= gap < MAX_CARRY \
                and (src.span.text.lower() in self.lex.neuter_pronouns or self.kind_description(src, prev.entity)) \
                and self.topic(previous, draft, _ORGS) is None:
            return Source(prev.entity, src.span, "organization")
        return None

    def head_of(self, src: Source) -> Any:
        first, last = self.tok_after(src.span.start), self.tok_before(src.span.end)
        return self.doc[first:last + 1].root

    def singular(self, src: Source) -> bool:
        head = self.head_of(src)
        return head.tag_ not in ("NNS", "NNPS") and (head.pos_ != "NUM" or head.lower_ == "one")

    def kind_description(self, src: Source, target: str | None) -> bool:
        """'the agency', 'the group': a kind noun after "the" that may stand for ``target``
        (any organisation for a generic kind noun, else one whose name ends on it), while
        the text never described the entity it was resolved to with that noun ("Orlan, a
        company, ..."): then that entity was only the nearest one."""
        head = self.head_of(src)
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or not any(c.lower_ == "the" for c in head.children):
            return False
        described = self.resolver.index.lookup_role(lemma)
        if src.entity is not None and src.entity in described:
            return False
        return lemma in self.lex.nearest_org_nouns or target in described | self.resolver.kinds.get(lemma, set())

    def topic(self, previous: Draft, draft: Draft, types: frozenset[str], gender: str | None = None) -> str | None:
        """The entity of ``types`` (and ``gender``), other than the previous speaker, that
        was last the subject of a main clause between the previous claim and ``draft``'s
        source: the text has moved on to it. None when it has not, or when a pronoun that
        fits came back to the subject since ("Fowler said ... He added ..., should Clinton
        attempt a return ... he said"). Quotes and the draft's own content are what someone
        says, not the text's topic, and are skipped."""
        resolver, doc = self.resolver, self.doc
        assert draft.source is not None
        speaker = previous.source.entity if previous.source is not None else None
        end = max(s.end for s in (previous.source.span if previous.source else None, previous.cue,
                                  *previous.content) if s is not None)
        pronouns = self.lex.neuter_pronouns if gender is None else \
            self.lex.male_pronouns if gender == "m" else self.lex.female_pronouns
        found = None
        for i in range(self.tok_after(end), self.tok_after(draft.source.span.start)):
            tok = doc[i]
            if tok.dep_ != "nsubj" or self.inside_quote(tok.idx) or any(c.start <= tok.idx < c.end
                                                                         for c in draft.content):
                continue
            if tok.pos_ == "PRON":
                if tok.lower_ in pronouns and (tok.is_sent_start or self.opens_sentence(tok)):
                    found = None
                continue
            if not self.opens_sentence(tok):
                continue
            eid = resolver.entity_at(tok.idx)
            if eid is None or eid == speaker or resolver.types.get(eid) not in types:
                continue
            if gender is None or resolver.gender.get(eid) in (gender, None):
                found = eid
        return found

    def opens_sentence(self, subj: Any) -> bool:
        """Whether ``subj`` is the subject of its sentence's main verb with nothing before it
        but adverbials ("On Monday, Carrizosa conceded"); not "He added a note, should
        Clinton attempt a return", which the parser may make Clinton's sentence."""
        root = subj.head
        if root.dep_ != "ROOT" or root.i < subj.i:
            return False
        return all(c.dep_ in _FRONTED or c.i == subj.i for c in root.children if c.i < subj.i)
