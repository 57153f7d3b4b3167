"""Stage ``relations``: affiliation and role ties between the document's entities, each
with the words that state it and the claim (if any) it is part of.

Predicates and word lists are data (``lexicons/relations.yaml``, where each predicate is
described); the patterns are general and read the parse the ``nlp`` stage made:

- role nouns ("commander", "member", "founder", "wing") tie the entity they describe to the
  organisation or place after "of"/"for", possessing them ("Y's commander") or written right
  before them ("Lashkar-e-Taiba chief Hafiz Saeed"). The described entity comes from an
  appositive ("X, the commander of Y"; "the commander of Y, X"), a copula or a verb of
  appointment ("X is a longtime operative of Y", "X became head of Y", "X served as chief
  of Y", "they named X chief of Y"), or a name right after the noun ("chief Hafiz Saeed").
  A role noun that is the object of another verb describes nobody: "X met the commander of
  Y" says nothing about X;
- verbs: "X heads/leads/founded/joined Y", and their passives and participles ("Y, founded
  by X", "Y is led by X");
- charges and designations, whose doer is the relation's object: "Y charged X", "X was
  chargesheeted by Y", "the UN designated X" -> (X, charged_by/designated_by, Y);
- places: "Y is based/headquartered in Z", "the Z-based Y", "Y, located in Z"; a facility,
  or an organisation named after a building ("the Binoria seminary"), written right before
  "in Z"; and a town followed by its country or province ("Quetta, Pakistan") when the
  gazetteer of the ``places`` stage agrees. A group "in Z" is not placed: "the commander of
  the Northern Alliance in Kabul" says where the commander was.

Leader nouns count as leader_of only for the one leader: "a commander of Y", "the deputy
chief of Y" and, as a title before a name, "Taliban commander X" are member_of.

Names resolve to entities through their mentions (a parse token inside a mention), with
:class:`coref.Resolver` for phrases and for "he"/"she"/"it"/"they"; a side that is not an
entity drops the relation, and so does a negated verb ("X is not a member of Y"). Each
pattern looks at a bounded window of tokens around its cue word, so the stage stays linear
in the text even on one huge sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis, Relation
from claimgraph.pipeline import Stage
from claimgraph.pipeline.relations_base import SUBJECTS, Base, Ref, RelationLexicon, relation_lexicon
from claimgraph.settings import Settings

_RELATIVE = frozenset({"who", "that", "which", "whom"})


class _Extractor(Base):
    """The patterns; :meth:`run` calls them token by token."""

    # -- patterns -----------------------------------------------------------------------------

    def role_predicate(self, tok: Any) -> str | None:
        """The predicate a role noun states, demoted to member_of for one of several leaders."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        before = self.doc[tok.i - 1].lower_ if tok.i > 0 else ""
        after = self.doc[tok.i + 1].lower_ if tok.i + 1 < len(self.doc) else ""
        nouns = self.lex.role_nouns
        predicate = nouns.get(f"{before} {lemma}") or nouns.get(f"{lemma} {after}") or nouns.get(lemma)
        if predicate is None:
            return None
        if predicate == "leader_of":
            det = self.child(tok, "det")
            mods = {c.lower_ for c in self.children(tok, ("amod", "compound", "nmod"))}
            if (det is not None and det.lower_ in ("a", "an", "one")) or tok.tag_ in ("NNS", "NNPS") \
                    or mods & self.lex.demoting_modifiers or before in self.lex.demoting_modifiers:
                return "member_of"
        return predicate

    def role_objects(self, tok: Any) -> Iterator[Ref]:
        """What a role noun ties its holder to: "of/for Y", "Y's", or a name right before it.
        The "of" may hang on the second word of a two-word role ("director general of Y")."""
        heads = [tok, *(c for c in self.children(tok, ("amod", "compound", "appos")) if c.i == tok.i + 1)]
        for prep in (p for head in heads for p in self.children(head, ("prep",))):
            if prep.lower_ in self.lex.role_preps:
                pobj = self.child(prep, "pobj")
                ref = self.phrase(pobj) if pobj is not None else None
                if ref is not None:
                    yield ref
        poss = self.child(tok, "poss")
        ref = self.named(poss) if poss is not None else None
        if ref is not None:
            yield ref
        first = tok
        if tok.i > 0 and f"{self.doc[tok.i - 1].lower_} {tok.lemma_.lower()}" in self.lex.role_nouns:
            first = self.doc[tok.i - 1]  # "Punjab chief minister X"
        ref = self.adjacent_before(first)
        if ref is not None and ref.end <= first.idx:
            yield ref

    def role_holders(self, tok: Any) -> Iterator[Ref]:
        """Whom a role noun describes: an appositive, a copula's subject, a name after it."""
        if tok.dep_ == "appos":
            ref = self.named(tok.head)
            if ref is not None:
                yield ref
        for appos in self.children(tok, ("appos",)):
            ref = self.named(appos)
            if ref is not None:
                yield ref
        late = self.late_appositive(tok)
        if late is not None:
            yield late
        title = self.title_of(tok)
        if title is not None:
            yield title
        verb = tok.head
        if tok.dep_ == "pobj" and tok.head.lower_ == "as":
            verb = tok.head.head  # "X served as chief of Y", "they appointed X as head of Y"
        elif tok.dep_ not in ("attr", "oprd", "acomp", "nsubj"):
            return
        if verb.lemma_.lower() not in self.lex.copulas or self.negated(verb):
            return
        if tok.dep_ == "nsubj":  # "the commander of Y is X"
            attr = self.child(verb, "attr")
            ref = self.named(attr) if attr is not None else None
            if ref is not None:
                yield ref
            return
        holder = self.child(verb, "dobj") or self.subject(verb)
        ref = self.named(holder) if holder is not None else None
        if ref is not None:
            yield ref

    def title_of(self, tok: Any) -> Ref | None:
        """The name a role noun is the title of: "chief Hafiz Saeed" (title right before it)."""
        after = self.adjacent_after(tok)
        if after is not None and tok.dep_ in ("compound", "nmod", "appos", "amod") and tok.head.i > tok.i:
            return after
        return self.named(tok.head) if tok.dep_ == "compound" else None

    def late_appositive(self, tok: Any) -> Ref | None:
        """"The commander of Lashkar-e-Islam, Hafiz Qureshi, ...": the parser often hangs the
        appositive name on the last word of a hyphenated name instead of on the role noun.
        A person's name parsed as an appositive right after "<role> of <name>," is the role's."""
        for prep in self.children(tok, ("prep",)):
            pobj = self.child(prep, "pobj") if prep.lower_ in self.lex.role_preps else None
            ref = self.phrase(pobj) if pobj is not None else None
            if ref is None or self.text[ref.end:ref.end + 2] != ", ":
                continue
            after = self.mention_after(ref.end + 2)
            if after is None or self.types[after.entity] != "PERSON":
                continue
            last = self.token_at(after.end - 1)
            if last is not None and last.dep_ == "appos" and last.head.i != tok.i:
                return after
        return None

    def subject(self, verb: Any) -> Any:
        """A verb's subject, through a relative pronoun to the noun it stands for."""
        subj = self.child(verb, *SUBJECTS)
        if subj is not None and subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return verb.head
        if subj is None and verb.dep_ == "conj":
            return self.subject(verb.head)  # "X joined LeT and later led Y"
        return subj

    def roles(self, tok: Any) -> None:
        predicate = self.role_predicate(tok)
        if predicate is None:
            return
        for obj in self.role_objects(tok):
            for holder in self.role_holders(tok):
                self.add(holder, self.as_title(tok, predicate, holder, obj), obj, tok)

    def as_title(self, tok: Any, predicate: str, holder: Ref, obj: Ref) -> str:
        """"Taliban commander Mullah Yaqoob" is one of its commanders, where "Taliban chief X"
        is its chief: an ambiguous title before a name, with no possessive, is member_of."""
        if predicate != "leader_of" or tok.lemma_.lower() not in self.lex.ambiguous_titles:
            return predicate
        before_name = holder.start > tok.idx and obj.end <= tok.idx
        possessive = self.text[obj.end:obj.end + 2] in ("'s", "’s")
        return "member_of" if before_name and not possessive else predicate

    def verbs(self, tok: Any) -> None:
        """"X heads Y", "Y, founded by X", "Y charged X", "X was listed by Y"."""
        if tok.pos_ not in ("VERB", "AUX") or self.negated(tok):
            return
        lemma, word = tok.lemma_.lower(), tok.lower_
        doer_first = self.lex.verbs.get(lemma) or self.lex.verbs.get(word)
        doer_last = self.lex.agent_verbs.get(lemma) or self.lex.agent_verbs.get(word)
        predicate = doer_first or doer_last
        if predicate is None or self.joins_in(tok):
            return
        agent = self.child(tok, "agent")
        by = self.child(agent, "pobj") if agent is not None else None
        passive = tok.tag_ == "VBN" and (agent is not None or self.child(tok, "nsubjpass", "auxpass") is not None)
        if passive:
            patient = self.child(tok, "nsubjpass")
            if patient is None and tok.dep_ in ("acl", "relcl", "amod"):
                patient = tok.head  # "Y, founded by X"; "X, designated a terrorist by Y"
            doer = by
        else:
            if doer_last and (lemma in self.lex.passive_only or word in self.lex.passive_only):
                return
            patient, doer = self.child(tok, "dobj"), self.subject(tok)
        if doer is None:
            return
        if patient is not None:
            patient_ref = self.phrase(patient) if passive else self.named(patient)
        elif not passive:
            patient_ref = self.object_after(tok)  # "heads Tehrik-i-Taliban Pakistan", misparsed
        else:
            return
        doer_ref = self.named(doer)
        if doer_first:
            self.add(doer_ref, predicate, patient_ref, tok)
        else:
            self.add(patient_ref, predicate, doer_ref, tok)

    def joins_in(self, verb: Any) -> bool:
        """"Britain joined France in condemning the raid": joining in an act, not a body."""
        if verb.lemma_.lower() != "join":
            return False
        for prep in self.children(verb, ("prep",)):
            if prep.lower_ == "in" and any(c.tag_ == "VBG" or c.dep_ == "pcomp" for c in self.children(prep)):
                return True
        return False

    def object_after(self, verb: Any) -> Ref | None:
        """A name right after a verb with no parsed object: long hyphenated names often come
        out as an adverbial. Not a possessor ("leads Y's army" is not "leads Y")."""
        ref = self.adjacent_after(verb)
        if ref is None or self.text[ref.end:ref.end + 2] in ("'s", "’s"):
            return None
        return ref

    def places(self, tok: Any) -> None:
        """"Y is based in Z", "Y, headquartered in Z", "the Z-based Y"."""
        word, lemma = tok.lower_, tok.lemma_.lower()
        predicate = self.lex.place_verbs.get(word) or self.lex.place_verbs.get(lemma)
        if predicate is not None and not self.negated(tok):
            holder = self.child(tok, *SUBJECTS)
            if holder is None and tok.dep_ in ("acl", "amod", "relcl"):
                holder = tok.head
            holder_ref = self.named(holder) if holder is not None else None
            for prep in self.children(tok, ("prep",)):
                if prep.lower_ in self.lex.place_preps:
                    pobj = self.child(prep, "pobj")
                    self.add(holder_ref, predicate, self.named(pobj) if pobj is not None else None, tok)
            if tok.i > 0 and self.doc[tok.i - 1].text in "-‐‑" and tok.head.i > tok.i:
                self.add(self.named(tok.head), predicate, self.adjacent_before(self.doc[tok.i - 1]), tok)

    def institution(self, ref: Ref) -> bool:
        """A place-bound entity: a facility, or an organisation named after a building or a
        site ("the Darul Uloom seminary", "Jinnah Hospital"), not a group that operates there."""
        words = self.text[ref.start:ref.end].lower().split()
        return self.types[ref.entity] == "FAC" or (bool(words) and words[-1] in self.lex.institution_words)

    def located(self) -> None:
        """Pairs of names written next to each other (the parser attaches "in Z" to the verb
        as often as to the noun, so this reads the text):

        - "the Marriott Hotel in Islamabad": a facility or an institution, "in", a place;
        - "Quetta, Pakistan": a town and, after a comma, the country or province the gazetteer
          (the ``places`` stage) puts it in; without that stage nothing is added.
        """
        places = self.analysis.places
        for (a_start, a_end, a_id), (b_start, b_end, b_id) in pairwise(self.resolver.mentions):
            gap = self.text[a_end:b_start]
            first, second = Ref(a_id, a_start, a_end), Ref(b_id, b_start, b_end)
            if gap == " in " and self.institution(first):
                self.add(first, "located_in", second)
            elif gap == ", " and a_id in places and b_id in places:
                town, region = places[a_id], places[b_id]
                if region.feature in ("country", "admin1") and town.feature != "country" \
                        and town.country and town.country == region.country:
                    self.add(first, "located_in", second)

    def run(self) -> tuple[Relation, ...]:
        for tok in self.doc:
            self.roles(tok)
            self.verbs(tok)
            self.places(tok)
        self.located()
        seen: set[tuple[str, str, str]] = set()
        out: list[Relation] = []
        for rel in sorted(self.found, key=lambda r: (r.evidence.start, r.evidence.end)):
            key = (rel.subject, rel.predicate, rel.object)
            if key not in seen:
                seen.add(key)
                out.append(rel)
        return tuple(out)


def extract_relations(analysis: Analysis, lex: RelationLexicon | None = None) -> tuple[Relation, ...]:
    """The relations of one analysis (needs the ``nlp`` and ``entities`` layers; uses the
    ``claims`` and ``places`` layers when they are there), first evidence per triple."""
    if analysis.doc is None:
        raise PipelineError("stage 'relations' needs the 'nlp' stage to run first")
    if not analysis.entities:
        return ()
    return _Extractor(analysis, lex or relation_lexicon()).run()


def make_stage(settings: Settings) -> Stage:
    lex = relation_lexicon()  # read the word lists once, before the first document

    def run(analysis: Analysis) -> Analysis:
        return analysis.add(relations=extract_relations(analysis, lex))

    return run
