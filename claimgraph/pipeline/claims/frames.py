"""Claims whose content is not a clause: what a cue verb's object, infinitive or
preposition carries ("criticized the plan", "called for a ceasefire", "urged them to
stay"), and raising frames where the speaker is unnamed ("the talks seemed to stall",
"he is expected to resign", "the group is said to hold 40 hostages").

News attribution (PolNeAR, PARC) counts stances, requests and evaluations as attributions,
not only speech: "X endorsed Y" tells the reader what X holds, and who holds it. These
frames follow the parse only; which verbs they apply to is data (``attitude_verbs``,
``cue_preps``, ``raising_verbs`` in ``lexicons/attribution.yaml``).
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import Span
from claimgraph.pipeline.claims.base import LISTENER_CUES, ClaimsBase, Draft
from claimgraph.pipeline.quotes import Quote

#: dependents that carry what a cue verb says, wants or judges, when it has no that-clause
_COMPLEMENTS = frozenset({"dobj", "xcomp", "ccomp", "oprd", "dative"})
#: verbs whose object is the person spoken to, not what is said (unless nothing else is)
_LISTENER_OBJECTS = LISTENER_CUES | {"ask", "urge", "thank", "congratulate"}


class FramesMixin(ClaimsBase):
    """Complement and raising frames, used by the indirect-speech pass."""

    def complement(self, tok: Any, lemma: str) -> tuple[int, int, Any] | None:
        """The tokens (first, last) that are the content of a cue verb without a
        that-clause, and the preposition that belongs to the cue ("called for"), if any."""
        preps = self.lex.cue_preps.get(lemma, frozenset())
        picked: list[Any] = []
        cue_prep = None
        for child in tok.children:
            if child.i <= tok.i:
                continue
            if child.dep_ in _COMPLEMENTS:
                picked.append(child)
            elif child.dep_ == "prep" and picked and child.lower_ == "as":
                picked.append(child)  # "described Malik as a commander"
            elif child.dep_ == "prep" and child.lower_ in preps \
                    and any(c.dep_ in ("pobj", "pcomp") for c in child.children):
                if not picked and cue_prep is None:
                    cue_prep = child  # "called for talks": the preposition is part of the cue
                picked.append(child)  # "criticized X for Y": part of the content
        if not picked:
            return None
        if lemma in _LISTENER_OBJECTS and len(picked) > 1:
            picked = [c for c in picked if c.dep_ not in ("dobj", "dative")] or picked
        elif lemma in _LISTENER_OBJECTS and picked[0].dep_ in ("dobj", "dative") and lemma != "ask":
            return None  # "told reporters", "thanked the crowd": no content
        first = min(c.left_edge.i for c in picked)
        if cue_prep is not None:
            first = min((c.left_edge.i for c in cue_prep.children if c.dep_ in ("pobj", "pcomp")), default=first)
        last = max(c.right_edge.i for c in picked)
        if picked[0].pos_ == "PRON" and last == first and picked[0].lower_ in ("it", "this", "that"):
            return None  # "he said it": the content is elsewhere
        return first, last, cue_prep

    def cue_with(self, tok: Any, prep: Any) -> Span:
        """The cue with its preposition: "called for", "referring to"."""
        cue = self.cue_span(tok)
        if prep is None:
            return cue
        return self.span(cue.start, max(cue.end, prep.idx + len(prep.text)))

    def raising(self, tok: Any, lemma: str, phrases: list[Quote]) -> bool:
        """'X seemed to Y', 'X is expected to Y', 'X is said to Y': the content is X and
        the infinitive, in two spans; the source is the agent ("by analysts") or none."""
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if lemma not in self.lex.raising_verbs and not passive:
            return False
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
        comp = next((c for c in tok.children if c.dep_ in ("xcomp", "oprd") and c.i > tok.i), None)
        if subj is None or comp is None or (subj.pos_ == "PRON" and subj.lower_ in ("it", "there")):
            return False
        if self.nested(tok.idx, beliefs=True) or self.unasserted(tok):
            return True
        parts = [self.clip(self.token_span(subj.left_edge.i, subj.right_edge.i), tok.idx),
                 self.clip(self.token_span(comp.left_edge.i, comp.right_edge.i), tok.idx)]
        content = [p for p in parts if p is not None]
        if len(content) < 2 or self.inside_quote(content[0].start):
            return True
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        speaker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        self.used.add(tok.i)
        mixed = any(self.embeds_quote(c, phrases) for c in content)
        self.drafts.append(Draft("mixed" if mixed else "indirect",
                                 self.source_of(speaker) if speaker is not None else None,
                                 self.cue_span(tok), content))
        return True
