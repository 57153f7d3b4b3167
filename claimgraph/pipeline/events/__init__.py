"""Stage ``events``: what happened, to whom, when, where, and who says so.

Every event mention with a PLOVER root type (:mod:`event_mentions`) becomes an
:class:`Event` with its actor and recipient (:mod:`event_args`), its date (a time
expression of the time layer attached to it, else the publication date when the verb's
tense says it is today's news), its place (a place entity attached to it), its modality,
and the claim whose content holds it: "the commander said his family was killed by
soldiers" is an ASSAULT the commander reports, not one the outlet asserts.

Mentions without a PLOVER type (a merger, a launch) and reporting verbs are not stored;
:func:`event_mentions.find_mentions` still lists them for evaluation.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Any

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis, DateRef, Event, Ref, Span
from claimgraph.pipeline import Stage
from claimgraph.pipeline.coref import Resolver, attribution_lexicon
from claimgraph.pipeline.events.args import MAX_WALK, PLACE_TYPES, ArgumentReader
from claimgraph.pipeline.events.dates import in_headline, is_point, night_before, todays_news, when_clause_head
from claimgraph.pipeline.events.features import trigger_features
from claimgraph.pipeline.events.lexicon import EventLexicon, event_lexicon
from claimgraph.pipeline.events.mentions import Mention, find_mentions
from claimgraph.pipeline.events.model import MODEL_NAME, NONE, TypeModel, shipped_model
from claimgraph.pipeline.events.numbers import counts_of
from claimgraph.pipeline.events.pairs import type_for_pair
from claimgraph.settings import Settings

#: the model retypes a rule-typed mention when it gives its own type this share of the act probability ...
OVERRIDE = 0.6
#: ... and the rules' type less than this share
KEEP_RULE = 0.2
_REFLEXIVE = frozenset({"itself", "himself", "herself", "themselves", "themself"})


class _Builder:
    def __init__(self, analysis: Analysis, lex: EventLexicon, model: TypeModel | None) -> None:
        self.analysis = analysis
        self.doc = analysis.doc
        self.lex = lex
        self.resolver = Resolver(analysis, attribution_lexicon())
        self.cues = attribution_lexicon().cue_verbs
        self.mentions = [typed for m in find_mentions(analysis, lex) if (typed := self.typed(m, model)) is not None]
        self.args = ArgumentReader(self.resolver, lex, {m.token for m in self.mentions})
        self.nominal_triggers = {m.token for m in self.mentions if m.nominal}
        published = analysis.document.published
        self.timex_heads: list[tuple[Any, DateRef]] = []
        for t in analysis.timex:
            if t.point is None:  # "now", "the past", a length: no calendar date an event can take
                continue
            ref = night_before(DateRef(t.point, t.span), published)
            if t.type in ("DATE", "TIME") and (h := self.args.head_of(t.span)) is not None:
                self.timex_heads.append((h, ref))
        self.place_heads: list[tuple[Any, Ref]] = []
        for ent in analysis.entities:
            if ent.type in PLACE_TYPES:
                for m in ent.mentions:
                    head = self.args.head_of(m)
                    if head is not None and not self.args.modifier_only(head, m):
                        self.place_heads.append((head, Ref(ent.id, m)))
        self.place_heads.sort(key=lambda p: p[1].span.start)
        contents = sorted(((s.start, s.end, c.id) for c in analysis.claims for s in c.content),
                          key=lambda x: (x[0], -x[1]))
        self.contents = contents
        self.content_starts = [c[0] for c in contents]

    def typed(self, m: Mention, model: TypeModel | None) -> Mention | None:
        """The mention with the model's type: a rule-typed mention keeps an event unless the
        model is sure it reports no act; an untyped one becomes an event when the model is
        sure of a type. Reporting verbs stay claims' cues. Without a model, the rules decide."""
        if m.lemma == "operation" and m.nominal and self.did_harm(self.doc[m.token]):
            return replace(m, type="ASSAULT")  # "Operation Sindoor, strikes that destroyed nine bases"
        if model is None or m.reporting:
            return m
        probs = model.probabilities(trigger_features(self.doc[m.token], self.lex))
        none = probs.pop(NONE, 0.0)
        typ = max(probs, key=probs.__getitem__)
        if m.type is not None:
            if none >= model.drop_threshold:
                return None
            rest = max(1e-9, 1.0 - none)  # the type probabilities given that it is an act
            if probs[typ] / rest >= OVERRIDE and probs.get(m.type, 0.0) / rest < KEEP_RULE:
                return replace(m, type=typ)
            return m
        if probs[typ] >= model.new_event_threshold:
            return replace(m, type=typ)
        return m

    def did_harm(self, tok: Any) -> bool:
        """Does the operation's sentence say it struck (an ASSAULT word there)?"""
        return any(t.i != tok.i and t.lemma_.lower() in self.lex.harm_words for t in tok.sent)

    def claim_of(self, pos: int) -> str | None:
        """The innermost claim whose content holds ``pos``."""
        best: tuple[int, str] | None = None
        i = bisect_right(self.content_starts, pos) - 1
        steps = 0
        while i >= 0 and steps < 50:
            start, end, cid = self.contents[i]
            if start <= pos < end and (best is None or end - start < best[0]):
                best = (end - start, cid)
            i -= 1
            steps += 1
        return best[1] if best else None

    def event(self, n: int, m: Mention) -> Event:
        tok = self.doc[m.token]
        actor_tok, recipient_tok = (self.args.noun_arguments(tok) if m.nominal else self.args.verb_arguments(tok))
        cause = None
        if actor_tok is not None and not m.nominal and actor_tok.i in self.nominal_triggers:
            # "the 2008 Mumbai attacks killed 166 people": the killers are the attackers, and
            # the killing happened when and where the attacks did
            cause = actor_tok
            actor_tok = self.args.noun_arguments(cause)[0]
        actor = self.args.ref(actor_tok) if actor_tok is not None else None
        recipient = self.args.ref(recipient_tok) if recipient_tok is not None else None
        if actor is not None and not self.args.usable(actor, tok):
            actor = None
        if recipient is not None and not self.args.usable(recipient, tok):
            recipient = None
        if actor is not None and recipient is not None and actor.entity is not None \
                and recipient.entity == actor.entity and recipient.span.text.lower() not in _REFLEXIVE \
                and recipient.span.text != actor.span.text:
            # "the Council designated the group": a description resolved to the actor
            # itself is a coreference miss, not a self-directed act
            recipient = Ref(None, recipient.span)
        taken = {r.entity for r in (actor, recipient) if r is not None and r.entity}
        modality = self.args.modality(tok)
        when = self.date(tok, cause, modality)
        where = self.args.where(m.token, self.place_heads, taken)
        if where is None and cause is not None:
            where = self.args.where(cause.i, self.place_heads, taken)
        claim = self.claim_of(m.trigger.start)
        counts = counts_of(tok, self.analysis.document.text, claim)
        return Event(f"ev{n}", str(m.type), m.trigger, actor, recipient, when, where, claim, modality, counts)

    def date(self, tok: Any, cause: Any | None, modality: str) -> DateRef | None:
        """The event's date, in the order :mod:`claimgraph.pipeline.events.dates` gives."""
        published = self.analysis.document.published
        verb = tok
        if tok.pos_ != "VERB" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB":
            verb = tok.head  # "has imposed sanctions on Wednesday": the light verb's tense and date
        when = self.args.when(tok.i, self.timex_heads)
        if when is None and verb is not tok:
            when = self.args.when(verb.i, self.timex_heads)
        if when is None and cause is not None:
            when = self.args.when(cause.i, self.timex_heads)
        clause = when_clause_head(tok)
        if when is None and clause is not None:
            when = self.args.when(clause.i, self.timex_heads)  # "in 1999, when he was freed"
        if when is None:
            when = self.sentence_date(tok)
        if when is None and published and modality == "asserted" and todays_news(verb) \
                and not in_headline(tok, self.analysis.document.title):
            # "has placed them on its list, the ministry said on Wednesday": no later than the saying
            said = self.saying_date(tok)
            return said or DateRef(published[:10], Span.of(self.analysis.document.text, verb.idx,
                                                            verb.idx + len(verb.text)))
        return when

    def saying_date(self, tok: Any) -> DateRef | None:
        heads = self.reporting_heads(tok)
        return next((ref for h, ref in self.timex_heads if self.args.owner(h) in heads and is_point(ref)), None)

    def reporting_heads(self, tok: Any) -> set[int]:
        """The verbs that report the trigger's clause ("said on Tuesday that ..."): their date is
        the saying's, not the event's."""
        out: set[int] = set()
        child = tok
        for _ in range(MAX_WALK):  # a parse may chain thousands of conjuncts: walk a clause's height
            head = child.head
            if head.i == child.i:
                break
            if child.dep_ in ("ccomp", "parataxis") or head.lemma_.lower() in self.cues:
                out.add(int(head.i))
            child = head
        return out

    def sentence_date(self, tok: Any) -> DateRef | None:
        """The point in time the trigger's sentence names, nearest the trigger."""
        sent = tok.sent
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children):
            return None  # "had bombed": before the sentence's time, not at it
        reported_by = self.reporting_heads(tok)
        text = self.analysis.document.text
        # a line break bounds the sentence: a headline or dateline the parser ran into it is not it
        lo = max(sent.start_char, text.rfind("\n", 0, tok.idx) + 1)
        hi = text.find("\n", tok.idx)
        hi = sent.end_char if hi < 0 else min(hi, sent.end_char)
        inside = [(abs(h.i - tok.i), ref) for h, ref in self.timex_heads
                  if lo <= h.idx < hi and is_point(ref) and self.args.owner(h) not in reported_by]
        return min(inside, key=lambda x: x[0])[1] if inside else None

    def top_event(self, k: int, typed: list[Mention], by_token: dict[int, int]) -> int:
        """The outermost event a chain of shared-subject clauses ("killing", "wounding") hangs from."""
        for _ in range(6):
            tok = self.doc[typed[k].token]
            head = by_token.get(tok.head.i)
            if head is None or head == k or tok.dep_ not in ("advcl", "conj", "xcomp") \
                    or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                return k
            k = head
        return k

    def run(self) -> tuple[Event, ...]:
        typed = [m for m in self.mentions if m.type is not None]
        events = [self.event(n, m) for n, m in enumerate(typed, 1)]
        by_token = {m.token: k for k, m in enumerate(typed)}
        for k, m in enumerate(typed):
            tok = self.doc[m.token]
            head = by_token.get(tok.head.i)
            if head is None or head == k or tok.dep_ not in ("advcl", "conj", "xcomp"):
                continue
            # "attacked a police post on Saturday, killing three": the killing shares the
            # attack's date and place unless it has its own
            e, h = events[k], events[head]
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            events[k] = replace(e, when=e.when or h.when, where=e.where or (None if own_subject else h.where))
            if e.counts and not own_subject:
                top = self.top_event(k, typed, by_token)  # the attack's toll: "attacked ..., killing three"
                events[top] = replace(events[top], counts=events[top].counts + e.counts)
        return tuple(events)


def extract_events(analysis: Analysis, lex: EventLexicon | None = None,
                   model: TypeModel | None = None) -> tuple[Event, ...]:
    """The events of an analysed document, typed by ``model`` when given, else by the lexicon."""
    if analysis.doc is None or not analysis.document.text.strip():
        return ()
    return _Builder(analysis, lex or event_lexicon(), model).run()


def make_stage(settings: Settings) -> Stage:
    lex = event_lexicon()
    model = shipped_model() if settings.model_enabled(MODEL_NAME) else None

    def run(analysis: Analysis) -> Analysis:
        if analysis.doc is None:
            raise PipelineError("stage 'events' needs the 'nlp' stage to run first")
        return analysis.add(events=extract_events(analysis, lex, model))

    return run


__all__ = ["extract_events", "make_stage", "type_for_pair"]
