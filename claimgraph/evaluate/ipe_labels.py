"""IndiaPoliceEvents labels from claimgraph's events: the mapping, its word lists, the text repair.

IPE labels every sentence of a Times of India article for what the *police* did: KILL (police
killed someone), ARREST, FORCE (police used force), FAIL (police failed to act) and
ANY_ACTION. claimgraph has no such labels; it finds event mentions (with a PLOVER type when
they have one) and events with actors. The mapping below turns those into sentence labels.
Every word list is in ``ipe_labels.yaml`` next to this module, so the mapping can be read and
reviewed without Python.

A sentence's *cues* are its non-reporting event mentions ("said" is a claim's cue, not a police
action) and its events, each with the trigger lemma, the PLOVER type, the actor text (the
event's actor, else the trigger's syntactic subject or by-agent; empty when unknown, as in a
passive "were arrested") and whether the trigger is negated. "Police side" means a term of the
``police`` list (police, paramilitary, army, the district administration).
KILL, FORCE, ARREST and the state-only actions count only cues that happened: not negated, not
future or hypothetical (the event's modality), since IPE labels what the police did, not what
they may do ("anyone leaving would be arrested").

Then, per sentence:

* FORCE: a cue whose lemma is police-only force (``police_force_lemmas``: firing, lathi-charge,
  teargas); or a cue whose lemma is general force (``force_lemmas``: fire, shoot, beat) whose
  actor is the police side, or, with no known actor, in a sentence naming the police side; or a
  ``police_force_phrases`` phrase in a sentence with at least one cue; or a death cue whose
  actor is the police side ("policemen killed a man").
* KILL: FORCE, and a cue whose lemma names a death (``kill_lemmas``) or a ``kill_phrases``
  phrase ("shot dead"). IPE's KILL is a killing *by the police*, so a death without police
  force ("killed by the mob") is not one.
* ARREST: a cue whose lemma is an arrest (``arrest_lemmas``), or an ``arrest_phrases`` phrase
  ("taken into custody") in a sentence with a cue. No police needed: "were arrested" has none.
* FAIL: a negated cue whose actor is the police side ("police did not intervene"); or, in a
  sentence naming the police side, a cue whose lemma names failure or delay (``fail_lemmas``)
  or a ``fail_phrases`` idiom ("mute spectators").
* ANY_ACTION: KILL, FORCE or ARREST; or a cue whose actor is the police side; or a cue whose
  lemma is a law-and-order action (``security_lemmas``: deploy, patrol, search) in a sentence
  naming the police side; or one of the actions only the state takes (``state_action_lemmas``:
  curfew, lathi-charge), anywhere.

IPE texts carry mojibake (``â€™`` for an apostrophe); :func:`repair` fixes it for the pipeline
and keeps a map back to the original offsets, which the gold sentences index.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.model import Analysis

LABELS = ("ANY_ACTION", "KILL", "ARREST", "FORCE", "FAIL")

#: mojibake sequences of UTF-8 read as cp1252, longest first, and what they stood for
MOJIBAKE = (("â€™", "'"), ("â€˜", "'"), ("â€œ", '"'), ("â€\ufffd", '"'), ("â€”", "-"), ("â€“", "-"),
            ("â€¢", "*"), ("Â\ufffd", " "), ("Â", " "))


def repair(text: str) -> tuple[str, list[int]]:
    """The text with mojibake replaced, and for each repaired index (plus the end) its original index."""
    out: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        if text[i] in "âÂ":
            for bad, good in MOJIBAKE:
                if text.startswith(bad, i):
                    out.append(good)
                    origin.extend([i] * len(good))
                    i += len(bad)
                    break
            else:
                out.append(text[i])
                origin.append(i)
                i += 1
        else:
            out.append(text[i])
            origin.append(i)
            i += 1
    origin.append(len(text))
    return "".join(out), origin


def to_repaired(origin: Sequence[int], offset: int) -> int:
    """The repaired-text offset of an original-text offset (a cut inside a sequence rounds up)."""
    return bisect_left(origin, offset)


@dataclass(frozen=True, slots=True)
class Lexicon:
    police: tuple[str, ...]
    kill_lemmas: frozenset[str]
    kill_phrases: tuple[str, ...]
    arrest_lemmas: frozenset[str]
    arrest_phrases: tuple[str, ...]
    force_lemmas: frozenset[str]
    police_force_lemmas: frozenset[str]
    police_force_phrases: tuple[str, ...]
    fail_lemmas: frozenset[str]
    fail_phrases: tuple[str, ...]
    security_lemmas: frozenset[str]
    state_action_lemmas: frozenset[str]

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> Lexicon:
        def words(key: str) -> list[str]:
            return [str(w).lower() for w in raw.get(key) or ()]

        return cls(
            police=tuple(words("police")), kill_lemmas=frozenset(words("kill_lemmas")),
            kill_phrases=tuple(words("kill_phrases")), arrest_lemmas=frozenset(words("arrest_lemmas")),
            arrest_phrases=tuple(words("arrest_phrases")), force_lemmas=frozenset(words("force_lemmas")),
            police_force_lemmas=frozenset(words("police_force_lemmas")),
            police_force_phrases=tuple(words("police_force_phrases")),
            fail_lemmas=frozenset(words("fail_lemmas")), fail_phrases=tuple(words("fail_phrases")),
            security_lemmas=frozenset(words("security_lemmas")),
            state_action_lemmas=frozenset(words("state_action_lemmas")),
        )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The word lists of ``ipe_labels.yaml`` (read once)."""
    raw = yaml.safe_load(resources.files("claimgraph.evaluate").joinpath("ipe_labels.yaml")
                         .read_text(encoding="utf-8"))
    return Lexicon.from_mapping(raw)


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])" if terms else r"(?!x)x")


def mentions_any(text: str, terms: tuple[str, ...]) -> bool:
    """Does the lower-cased text hold one of the terms as whole words?"""
    return bool(_pattern(terms).search(text.lower()))


@dataclass(frozen=True, slots=True)
class Cue:
    """One event of a sentence, reduced to what the mapping reads (see the module docstring)."""

    lemma: str
    type: str | None = None
    actor: str = ""
    negated: bool = False
    #: the event's modality (asserted, negated, future, hypothetical); a bare mention is asserted
    modality: str = "asserted"

    @property
    def real(self) -> bool:
        """Did it happen, as the sentence tells it (not negated, future or hypothetical)?"""
        return self.modality == "asserted" and not self.negated


def sentence_labels(sentence: str, cues: Iterable[Cue], lex: Lexicon) -> frozenset[str]:
    """The IPE labels the sentence's event cues imply (the rules of the module docstring)."""
    cues = list(cues)
    if not cues:
        return frozenset()
    police_named = mentions_any(sentence, lex.police)

    def police_actor(c: Cue) -> bool:
        return bool(c.actor) and mentions_any(c.actor, lex.police)

    real = [c for c in cues if c.real]
    force = (any(c.lemma in lex.police_force_lemmas for c in real)
             or any(c.lemma in lex.force_lemmas and (police_actor(c) or (not c.actor and police_named))
                    for c in real)
             or any(c.lemma in lex.kill_lemmas and police_actor(c) for c in real)
             or mentions_any(sentence, lex.police_force_phrases))
    kill = force and (any(c.lemma in lex.kill_lemmas for c in real) or mentions_any(sentence, lex.kill_phrases))
    arrest = any(c.lemma in lex.arrest_lemmas for c in real) or mentions_any(sentence, lex.arrest_phrases)
    fail = (any((c.negated or c.modality == "negated") and police_actor(c) for c in cues)
            or (police_named and (any(c.lemma in lex.fail_lemmas for c in cues)
                                  or mentions_any(sentence, lex.fail_phrases))))
    any_action = (force or arrest or any(police_actor(c) for c in cues)
                  or any(c.lemma in lex.state_action_lemmas for c in real)
                  or (police_named and any(c.lemma in lex.security_lemmas for c in cues)))
    found = {"FORCE": force, "KILL": kill, "ARREST": arrest, "FAIL": fail, "ANY_ACTION": any_action}
    return frozenset(label for label, on in found.items() if on)


def _actor_of(token: Any) -> str:
    """The trigger's syntactic subject or by-agent, as text (empty when it has none)."""
    for child in token.children:
        if child.dep_ in ("nsubj", "csubj"):
            return str(token.doc[child.left_edge.i: child.right_edge.i + 1].text)
        if child.dep_ == "agent":
            return str(token.doc[child.left_edge.i: child.right_edge.i + 1].text)
    return ""


def cues_of(analysis: Analysis, mentions: Sequence[Any]) -> list[tuple[int, Cue]]:
    """Each cue with the character offset of its trigger: mentions first, then events no mention covers.

    ``mentions`` are :class:`claimgraph.pipeline.events.mentions.Mention` objects; an event
    whose trigger overlaps a mention lends it its type and actor.
    """
    doc = analysis.doc
    out: list[tuple[int, Cue]] = []
    used: set[str] = set()
    for m in mentions:
        if m.reporting:
            continue
        event = next((e for e in analysis.events if e.trigger.overlaps(m.trigger)), None)
        token = doc[m.token]
        actor = event.actor.span.text if event is not None and event.actor is not None else _actor_of(token)
        if event is not None:
            used.add(event.id)
        negated = any(c.dep_ == "neg" for c in token.children)
        out.append((m.trigger.start, Cue(m.lemma.lower(), event.type if event else m.type, actor, negated,
                                         event.modality if event else "asserted")))
    for e in analysis.events:
        if e.id in used:
            continue
        span = doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
        lemma = span.root.lemma_.lower() if span is not None else e.trigger.text.lower()
        negated = span is not None and any(c.dep_ == "neg" for c in span.root.children)
        out.append((e.trigger.start, Cue(lemma, e.type, e.actor.span.text if e.actor else "", negated, e.modality)))
    return sorted(out, key=lambda t: t[0])


__all__ = ["LABELS", "Cue", "Lexicon", "cues_of", "load_lexicon", "mentions_any", "repair", "sentence_labels",
           "to_repaired"]
