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
* ``p`` / ``pr`` the lemmas and lexicon types on the dyad's path;
* ``s`` the sentence's content lemmas (a bag of words, the TF-IDF part of the model).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from claimgraph.pipeline.events.lexicon import EventLexicon
from claimgraph.pipeline.events.mentions import type_of_token

_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "agent", "prt", "prep", "attr", "oprd", "xcomp",
                       "compound", "poss", "amod", "acomp", "ccomp"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADV"})
#: sentence words beyond this many tokens either side of the trigger are left out
WINDOW = 25


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


def trigger_features(tok: Any, lex: EventLexicon, path: Sequence[Any] = ()) -> list[str]:
    """The features of one trigger token (and of a dyad's path, when one is given)."""
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
    out.extend(sentence_features(tok))
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


__all__ = ["WINDOW", "sentence_features", "trigger_features"]
