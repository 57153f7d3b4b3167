"""Features of an event trigger for the learned PLOVER type classifier.

One function, :func:`trigger_features`, turns a trigger token of a spaCy parse (and, for a
coded dyad, the tokens on the dependency path between its participants) into a list of
string features. Training (:mod:`claimgraph.training.event_types`) and the pipeline
(:mod:`claimgraph.pipeline.events.model`) call the same function, so what the model saw is
what it gets. The rules' own answer (the lexicon type) is a feature, as in the BBC Citron
pattern: the model learns where to trust it.

Feature families (prefix before ``=``):

* ``l`` lemma, ``w`` word, ``pos``, ``dep``, ``r`` the lexicon's type, ``lp`` lemma with
  particle or preposition ("call_for"), ``neg`` a negation;
* ``c:<dep>`` the lemmas of the trigger's subject, object, agent, particle, prepositions
  and their objects, ``ce:<dep>`` their entity labels, ``h`` / ``hd`` the head's lemma and
  the trigger's relation to it;
* ``p`` / ``pr`` the lemmas and lexicon types on the dyad's path; ``a:`` / ``t:`` the actor's and
  target's head (lemma, entity label, relation, preposition): the coded dyad's, else the trigger's
  own subject and object;
* ``b`` / ``bb`` the words and word pairs between actor and target;
* ``s`` the sentence's content lemmas (a bag of words, the TF-IDF part of the model).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from claimgraph.pipeline.events.lexicon import EventLexicon
from claimgraph.pipeline.events.mentions import type_of_token

_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "agent", "prt", "prep", "attr", "oprd", "xcomp",
                       "compound", "poss", "amod", "acomp", "ccomp"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADV"})
#: sentence words beyond this many tokens either side of the trigger are left out
WINDOW = 25
#: participants further apart than this many tokens give no between-words
BETWEEN = 15


def _lemma(tok: Any) -> str:
    return str(tok.lemma_).lower()


def _arg_features(tok: Any, out: list[str]) -> None:
    for child in tok.children:
        dep = child.dep_
        if dep not in _ARG_DEPS:
            if dep == "neg":
                out.append("neg=1")
            elif dep == "aux" and child.lower_ in ("will", "would", "could", "may", "might", "should"):
                out.append("modal=1")
            continue
        out.append(f"c:{dep}={_lemma(child)}")
        if child.ent_type_:
            out.append(f"ce:{dep}={child.ent_type_}")
        if dep in ("prep", "agent"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                out.append(f"c:{_lemma(child)}={_lemma(pobj)}")
                if pobj.ent_type_:
                    out.append(f"ce:{_lemma(child)}={pobj.ent_type_}")
        elif dep in ("dobj", "xcomp", "attr", "oprd"):
            for grand in child.children:  # "gave a speech": the object's own modifiers
                if grand.dep_ in ("compound", "amod") or (grand.dep_ == "prep" and grand.i > child.i):
                    out.append(f"c2:{dep}={_lemma(grand)}")


def _default_participants(tok: Any) -> tuple[Any | None, Any | None]:
    """The trigger's own subject (or by-agent) and object (or passive subject, or a
    prepositional object): the dyad a mention without a coded pair has."""
    actor = recipient = None
    for child in tok.children:
        if child.dep_ == "nsubj" and actor is None:
            actor = child
        elif child.dep_ == "agent":
            actor = next((g for g in child.children if g.dep_ == "pobj"), actor)
        elif child.dep_ in ("dobj", "nsubjpass") and recipient is None:
            recipient = child
    if recipient is None:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.i > tok.i), None)
        if prep is not None:
            recipient = next((g for g in prep.children if g.dep_ == "pobj"), None)
    return actor, recipient


def _participant_features(role: str, head: Any | None, out: list[str]) -> None:
    if head is None:
        out.append(f"{role}=none")
        return
    out.append(f"{role}:l={_lemma(head)}")
    out.append(f"{role}:e={head.ent_type_ or head.pos_}")
    out.append(f"{role}:d={head.dep_}")
    if head.dep_ == "pobj":
        out.append(f"{role}:prep={head.head.lower_}")


def trigger_features(tok: Any, lex: EventLexicon, path: Sequence[Any] = (),
                     participants: tuple[Any | None, Any | None] | None = None) -> list[str]:
    """The features of one trigger token (and of a dyad's path and heads, when one is given)."""
    lemma = _lemma(tok)
    rule = type_of_token(tok, lex)
    out = [f"l={lemma}", f"w={tok.lower_}", f"pos={tok.pos_}", f"dep={tok.dep_}", f"r={rule}",
           f"lpos={lemma}|{tok.pos_}", "bias=1"]
    for child in tok.children:
        if child.dep_ in ("prt", "prep") and child.i > tok.i:
            out.append(f"lp={lemma}_{child.lower_}")
    _arg_features(tok, out)
    head = tok.head
    if head.i != tok.i:
        out.append(f"h={_lemma(head)}")
        out.append(f"hd={tok.dep_}|{_lemma(head)}")
        head_rule = type_of_token(head, lex)
        if head_rule is not None:
            out.append(f"hr={head_rule}")
    for ptok in path:
        if ptok.i == tok.i:
            continue
        out.append(f"p={_lemma(ptok)}")
        prule = type_of_token(ptok, lex)
        if prule is not None:
            out.append(f"pr={prule}")
        if ptok.pos_ in ("VERB", "NOUN"):  # the path's predicates in full: "x:c:dobj=deal"
            inner: list[str] = [f"l={_lemma(ptok)}"]
            _arg_features(ptok, inner)
            out.extend("x:" + f for f in inner)
    if path:  # the dyad's whole path as one word: "condemn", "sign>deal"
        out.append("ps=" + ">".join(_lemma(t) for t in path[:4]))
    actor, recipient = participants if participants is not None else _default_participants(tok)
    if actor is not None and recipient is not None:
        out.append(f"pd={actor.dep_}|{recipient.dep_}|{recipient.head.lower_ if recipient.dep_ == 'pobj' else ''}")
    _participant_features("a", actor, out)
    _participant_features("t", recipient, out)
    if actor is not None and recipient is not None:
        out.extend(between_features(actor, recipient, BETWEEN))
    out.extend(sentence_features(tok))
    return out


def between_features(a: Any, b: Any, limit: int = BETWEEN) -> list[str]:
    """Words and word pairs between the two participants' heads ("A <condemned the> B"),
    the classic relation-extraction context."""
    lo, hi = sorted((a.i, b.i))
    if hi - lo - 1 > limit or a.sent.start != b.sent.start:
        return ["b=far"]
    doc = a.doc
    lemmas = [_lemma(doc[i]) for i in range(lo + 1, hi) if not doc[i].is_punct]
    out = [f"b={w}" for w in lemmas]
    out.extend(f"bb={x}_{y}" for x, y in pairwise(lemmas))
    return out


def sentence_features(tok: Any) -> Iterable[str]:
    """The content lemmas of the trigger's sentence near it (bag of words)."""
    sent = tok.sent
    lo, hi = max(sent.start, tok.i - WINDOW), min(sent.end, tok.i + WINDOW + 1)
    seen: set[str] = set()
    doc = tok.doc
    for i in range(lo, hi):
        t = doc[i]
        if i == tok.i or t.pos_ not in _CONTENT_POS or not t.is_alpha or t.is_stop:
            continue
        lemma = _lemma(t)
        if lemma not in seen:
            seen.add(lemma)
            yield f"s={lemma}"


__all__ = ["BETWEEN", "WINDOW", "between_features", "sentence_features", "trigger_features"]
