"""The event that links two given participants ("which PLOVER type links this actor and this
recipient?"), the question PLV's coded dyads ask.

:func:`pair_trigger` finds the trigger: the typed trigger on the dependency path between the
two participants' heads (nearest the point where the paths meet), else the typed trigger of
their sentence nearest that point, else the meeting point itself. :func:`type_for_pair`
types it, by the learned model when one is given (with the path's words as features), else
by the lexicon.
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import Analysis
from claimgraph.pipeline.events.features import trigger_features
from claimgraph.pipeline.events.lexicon import EventLexicon, event_lexicon
from claimgraph.pipeline.events.mentions import type_of_token
from claimgraph.pipeline.events.model import TypeModel


def _heads(doc: Any, actor: tuple[int, int], recipient: tuple[int, int]) -> list[Any] | None:
    heads = []
    for start, end in (actor, recipient):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        heads.append(span.root)
    return heads


def _path(heads: list[Any]) -> tuple[Any | None, list[Any]]:
    """The token where the two heads' paths to the root meet, and the path between them
    (the recipient's side first, then the actor's), without the heads themselves."""
    up_a = [heads[0], *heads[0].ancestors]
    up_b = [heads[1], *heads[1].ancestors]
    seen_a = {t.i for t in up_a}
    k_b = next((k for k, t in enumerate(up_b) if t.i in seen_a), len(up_b) - 1)
    meet = up_b[k_b] if up_b[k_b].i in seen_a else None
    k_a = next((k for k, t in enumerate(up_a) if meet is not None and t.i == meet.i), len(up_a) - 1)
    path = ([meet] if meet is not None else []) + up_b[1:k_b] + list(reversed(up_a[1:k_a]))
    shared = [t for t in up_b[1:k_b] if meet is not None and t.dep_ == "conj" and t.head.i == meet.i
              and t.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)]
    if shared:
        # "Iran condemned X and signed a deal with China": the shared subject's second act
        path = shared + [t for t in path if t.i != shared[0].i]
    return meet, [t for t in path if t.i not in (heads[0].i, heads[1].i)]


def pair_heads(doc: Any, actor: tuple[int, int], recipient: tuple[int, int]) -> tuple[Any | None, Any | None]:
    heads = _heads(doc, actor, recipient)
    return (heads[0], heads[1]) if heads is not None else (None, None)


def pair_trigger(doc: Any, actor: tuple[int, int], recipient: tuple[int, int],
                 lex: EventLexicon) -> tuple[Any | None, list[Any]]:
    """The trigger token that links the two participants (or None) and the path between them."""
    heads = _heads(doc, actor, recipient)
    if heads is None:
        return None, []
    meet, path = _path(heads)
    for tok in path:
        typ = type_of_token(tok, lex)
        if typ is not None and (tok.pos_ in ("VERB", "AUX") or lex.is_event_noun(tok.lemma_.lower())):
            return tok, path
        for child in tok.children:  # "signed a deal with China": the verb's object names the event
            if child.dep_ == "dobj" and lex.is_event_noun(child.lemma_.lower()) \
                    and type_of_token(child, lex) is not None and tok.pos_ in ("VERB", "AUX") \
                    and type_of_token(tok, lex) is None:
                return child, path
    centre = meet.i if meet is not None else heads[0].i
    sent = doc[centre].sent
    candidates = [t for t in sent if t.pos_ in ("VERB", "NOUN") and t.i not in (heads[0].i, heads[1].i)]
    candidates.sort(key=lambda t: abs(t.i - centre))
    for tok in candidates:
        if type_of_token(tok, lex) is not None:
            return tok, path
    verbs = [t for t in path if t.pos_ in ("VERB", "NOUN")]
    if verbs:
        return verbs[0], path
    if meet is not None and meet.i not in (heads[0].i, heads[1].i):
        return meet, path
    return (candidates[0] if candidates else None), path


def type_for_pair(analysis: Analysis, actor: tuple[int, int], recipient: tuple[int, int],
                  model: TypeModel | None = None) -> str | None:
    """The PLOVER type of the event that links two participants given as character ranges
    (by ``model`` when given, else by the lexicon; None when the rules find no typed trigger)."""
    doc = analysis.doc
    if doc is None:
        return None
    lex = event_lexicon()
    tok, path = pair_trigger(doc, actor, recipient, lex)
    if tok is None:
        return None
    if model is not None:
        return model.best_type(trigger_features(tok, lex, path, pair_heads(doc, actor, recipient)))[0]
    return type_of_token(tok, lex)


__all__ = ["pair_heads", "pair_trigger", "type_for_pair"]
