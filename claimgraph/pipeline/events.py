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
from claimgraph.model import Analysis, DateRef, Event, Ref
from claimgraph.pipeline import Stage
from claimgraph.pipeline.coref import Resolver, attribution_lexicon
from claimgraph.pipeline.event_args import PLACE_TYPES, ArgumentReader
from claimgraph.pipeline.event_lexicon import EventLexicon, event_lexicon
from claimgraph.pipeline.event_mentions import Mention, find_mentions, type_of_token
from claimgraph.settings import Settings

#: verb tags whose tense makes an undated event today's news ("is attacking", "has attacked")
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_REFLEXIVE = frozenset({"itself", "himself", "herself", "themselves", "themself"})


def _todays_news(tok: Any) -> bool:
    """Present, present perfect or progressive with no time of its own: the event is as
    recent as the article. A bare past tense ("attacked") could be any time."""
    if tok.pos_ != "VERB":
        return False
    if tok.tag_ in _PRESENT_TAGS:
        return True
    auxes = [c.lower_ for c in tok.children if c.dep_ == "aux"]
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    if any(a in ("has", "have") for a in auxes) and not passive:
        return True  # "has attacked"; "has been banned" is a standing state, not today's act
    return tok.tag_ == "VBG" and any(a in ("is", "are", "am") for a in auxes)


class _Builder:
    def __init__(self, analysis: Analysis, lex: EventLexicon) -> None:
        self.analysis = analysis
        self.doc = analysis.doc
        self.lex = lex
        self.resolver = Resolver(analysis, attribution_lexicon())
        self.mentions = find_mentions(analysis, lex)
        self.args = ArgumentReader(self.resolver, lex, {m.token for m in self.mentions})
        self.nominal_triggers = {m.token for m in self.mentions if m.nominal}
        self.timex_heads = [(h, DateRef(t.value, t.span)) for t in analysis.timex
                            if t.type in ("DATE", "TIME") and (h := self.args.head_of(t.span)) is not None]
        self.place_heads: list[tuple[Any, Ref]] = []
        for ent in analysis.entities:
            if ent.type in PLACE_TYPES:
                for m in ent.mentions:
                    head = self.args.head_of(m)
                    if head is not None:
                        self.place_heads.append((head, Ref(ent.id, m)))
        self.place_heads.sort(key=lambda p: p[1].span.start)
        contents = sorted(((s.start, s.end, c.id) for c in analysis.claims for s in c.content),
                          key=lambda x: (x[0], -x[1]))
        self.contents = contents
        self.content_starts = [c[0] for c in contents]

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
        if actor is not None and recipient is not None and actor.entity is not None \
                and recipient.entity == actor.entity and recipient.span.text.lower() not in _REFLEXIVE \
                and recipient.span.text != actor.span.text:
            # "the Council designated the group": a description resolved to the actor
            # itself is a coreference miss, not a self-directed act
            recipient = Ref(None, recipient.span)
        taken = {r.entity for r in (actor, recipient) if r is not None and r.entity}
        when = self.args.when(m.token, self.timex_heads)
        if when is None and cause is not None:
            when = self.args.when(cause.i, self.timex_heads)
        published = self.analysis.document.published
        if when is None and published and _todays_news(tok):
            when = DateRef(published[:10], m.trigger)  # the span is the tense that dates it
        where = self.args.where(m.token, self.place_heads, taken)
        if where is None and cause is not None:
            where = self.args.where(cause.i, self.place_heads, taken)
        return Event(f"ev{n}", str(m.type), m.trigger, actor, recipient, when, where,
                     self.claim_of(m.trigger.start), self.args.modality(tok))

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
            events[k] = replace(e, when=e.when or h.when, where=e.where or h.where)
        return tuple(events)


def extract_events(analysis: Analysis, lex: EventLexicon | None = None) -> tuple[Event, ...]:
    if analysis.doc is None or not analysis.document.text.strip():
        return ()
    return _Builder(analysis, lex or event_lexicon()).run()


def type_for_pair(analysis: Analysis, actor: tuple[int, int], recipient: tuple[int, int]) -> str | None:
    """The PLOVER type of the event that links two participants given as character ranges:
    the typed trigger on the dependency path between their heads (nearest the point where
    the paths meet), else the typed trigger of their sentence nearest that point."""
    doc = analysis.doc
    if doc is None:
        return None
    lex = event_lexicon()
    heads = []
    for start, end in (actor, recipient):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        heads.append(span.root)
    up_a = [heads[0], *heads[0].ancestors]
    up_b = [heads[1], *heads[1].ancestors]
    seen_a = {t.i for t in up_a}
    k_b = next((k for k, t in enumerate(up_b) if t.i in seen_a), len(up_b) - 1)
    meet = up_b[k_b] if up_b[k_b].i in seen_a else None
    k_a = next((k for k, t in enumerate(up_a) if meet is not None and t.i == meet.i), len(up_a) - 1)
    # the recipient's own predicate first ("condemned the US", "a deal with China"), up to
    # where the two paths meet, then the actor's side
    path = ([meet] if meet is not None else []) + up_b[1:k_b] + list(reversed(up_a[1:k_a]))
    shared = [t for t in up_b[1:k_b] if meet is not None and t.dep_ == "conj" and t.head.i == meet.i
              and t.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)]
    if shared:
        # "Iran condemned X and signed a deal with China": the shared subject's second act
        path = shared + [t for t in path if t.i != shared[0].i]
    for tok in path:
        if tok.i in (heads[0].i, heads[1].i):
            continue
        typ = type_of_token(tok, lex)
        if typ is not None and (tok.pos_ in ("VERB", "AUX") or lex.is_event_noun(tok.lemma_.lower())):
            return typ
        for child in tok.children:  # "signed a deal with China": the verb's object names the event
            if child.dep_ == "dobj" and lex.is_event_noun(child.lemma_.lower()):
                typ = type_of_token(child, lex)
                if typ is not None and tok.pos_ in ("VERB", "AUX") and type_of_token(tok, lex) is None:
                    return typ
    centre = meet.i if meet is not None else heads[0].i
    sent = doc[centre].sent
    candidates = [t for t in sent if t.pos_ in ("VERB", "NOUN") and t.i not in (heads[0].i, heads[1].i)]
    candidates.sort(key=lambda t: abs(t.i - centre))
    for tok in candidates:
        typ = type_of_token(tok, lex)
        if typ is not None:
            return typ
    return None


def make_stage(settings: Settings) -> Stage:
    lex = event_lexicon()

    def run(analysis: Analysis) -> Analysis:
        if analysis.doc is None:
            raise PipelineError("stage 'events' needs the 'nlp' stage to run first")
        return analysis.add(events=extract_events(analysis, lex))

    return run


__all__ = ["extract_events", "make_stage", "type_for_pair"]
