"""The learned actor and recipient of an event trigger: a choice among the sentence's noun phrases.

The argument rules (:mod:`claimgraph.pipeline.events.args`) read the trigger's own subject and
object; they miss a participant that sits further away in the parse ("launched a mediation
effort between India and Pakistan", "the Cabinet approved a pardon ..., freeing X", "the
United States is willing to provide expertise to the UN"). This model scores every candidate
(the head of each noun phrase of the trigger's sentence near it) for the roles ``actor``,
``recipient`` and ``none`` from features of the pair: the dependency path between trigger and
candidate (with prepositions: "^dobj|vnsubj", "vprep:against|vpobj"), distance and side, the
candidate's relation, part of speech and entity type, the trigger's voice and part of speech,
and whether the rules chose the candidate (the rules stay a feature, as in the BBC Citron
pattern, and the fallback when the model is switched off).

Weights: ``claimgraph/models/event_roles/model.npz`` (feature names, the three classes, float16
weights, intercepts, the decision threshold; no pickle), trained by ``python -m
claimgraph.training event_roles``. Scoring is a sum of weight rows and a softmax in plain
Python over a dict of rows, so a candidate costs a few microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.errors import DataFormatError
from claimgraph.pipeline.events.mentions import type_of_token

ROLES_MODEL = "event_roles"
ROLES_RETRAIN = f"python -m claimgraph.training {ROLES_MODEL}"
ACTOR, RECIPIENT, NO_ROLE = "actor", "recipient", "none"
#: candidates further than this many tokens from the trigger are not considered
WINDOW = 20
#: dependency paths longer than this many steps are one feature value ("long")
MAX_STEPS = 5
_NOUNS = frozenset({"NOUN", "PROPN", "PRON"})
_NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "ORDINAL", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
_RELATIVE = frozenset({"WDT", "WP", "WP$"})


def candidates(trigger: Any, cache: dict[int, int] | None = None) -> Iterator[Any]:
    """Heads of the noun phrases of the trigger's sentence within :data:`WINDOW` tokens: not
    a date or an amount, not a relative pronoun, not a word inside a longer name ("Khan" in
    "Imran Khan" is a candidate, "Imran" is not), except a modifier of the trigger itself
    ("a Taliban attack"). ``cache`` keeps each word's answer for the document's other triggers."""
    doc = trigger.doc
    # the sentence's bounds near the trigger, found without ``tok.sent`` (which walks the whole
    # sentence: a parse may run thousands of tokens into one)
    lo = trigger.i
    while lo > max(0, trigger.i - WINDOW) and not doc[lo].is_sent_start:
        lo -= 1
    hi = trigger.i + 1
    while hi < min(len(doc), trigger.i + WINDOW + 1) and not doc[hi].is_sent_start:
        hi += 1
    # the name the trigger is part of is not its participant ("Operation" in "Operation Northern Shield")
    inside = trigger.head.i if trigger.dep_ in ("compound", "flat") else trigger.i
    for i in range(lo, hi):
        if i == trigger.i or i == inside:
            continue
        found = cache.get(i) if cache is not None else None
        if found is None:
            found = _candidate_word(doc[i])
            if cache is not None:
                cache[i] = found
        if found == _NO or (found != _YES and found != trigger.i):
            continue
        yield doc[i]


_NO, _YES = -2, -1


def _candidate_word(tok: Any) -> int:
    """Whether a word can be a candidate: _YES, _NO, or (a word inside a longer name) the index
    of the head it modifies, which it may be a candidate of ("a Taliban attack")."""
    if tok.pos_ not in _NOUNS or tok.tag_ in _RELATIVE or tok.ent_type_ in _NOT_PARTICIPANTS \
            or not tok.text[:1].isalnum():
        return _NO
    if tok.dep_ in ("compound", "flat") and tok.head.pos_ in _NOUNS:
        return int(tok.head.i)
    return _YES


def _step(tok: Any, up: bool) -> str:
    dep = tok.dep_
    if dep in ("prep", "agent"):
        dep = f"{dep}:{tok.lower_}"
    return ("^" if up else "v") + str(dep)


def ancestry(trigger: Any) -> tuple[list[Any], dict[int, int]]:
    """The trigger and its ancestors (at most :data:`MAX_STEPS` + 3), and each one's height."""
    ups = [trigger]
    for _ in range(MAX_STEPS + 3):
        if ups[-1].head.i == ups[-1].i:
            break
        ups.append(ups[-1].head)
    return ups, {t.i: k for k, t in enumerate(ups)}


def dependency_path(trigger: Any, cand: Any, above: tuple[list[Any], dict[int, int]] | None = None
                    ) -> tuple[list[str], Any | None]:
    """The steps from trigger up to the lowest common ancestor and down to the candidate,
    and that ancestor when it is neither of the two (the pivot: "launched" in "X launched a
    mediation"). An empty list when no path of at most :data:`MAX_STEPS` + 3 steps joins them.
    ``above`` is the trigger's :func:`ancestry`, when the caller has it."""
    ups, level = above if above is not None else ancestry(trigger)
    downs: list[Any] = []
    tok = cand
    for _ in range(MAX_STEPS + 3):
        if tok.i in level:
            break
        downs.append(tok)
        if tok.head.i == tok.i:
            return [], None
        tok = tok.head
    else:
        return [], None
    if tok.i not in level:
        return [], None
    k = level[tok.i]
    steps = [_step(t, True) for t in ups[:k]] + [_step(t, False) for t in reversed(downs)]  # short lists
    pivot = tok if tok.i not in (trigger.i, cand.i) else None
    return steps, pivot


def _distance(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "far"


def pair_features(trigger: Any, cand: Any, kind: str | None, rule_actor: Any | None,
                  rule_recipient: Any | None, passive: bool, reporting: frozenset[str],
                  rule_type: str | None = None, above: tuple[list[Any], dict[int, int]] | None = None) -> list[str]:
    """Features of one (trigger, candidate) pair. ``kind`` is the candidate's entity type from
    the entities layer (PERSON, ORG, NORP, GPE, ... or None); ``rule_type`` the lexicon's type
    of the trigger, which tells "Khan's arrest" (Khan undergoes it) from "the group's attack"."""
    steps, pivot = dependency_path(trigger, cand, above)
    path = "|".join(steps) if steps and len(steps) <= MAX_STEPS else "long"
    nominal = trigger.pos_ != "VERB"
    voice = "nom" if nominal else "pass" if passive else "act"
    out = ["bias=1", f"p={path}", f"pv={path}|{voice}", f"voice={voice}", f"n={min(len(steps), 6)}",
           f"side={'L' if cand.i < trigger.i else 'R'}", f"dist={_distance(abs(cand.i - trigger.i))}",
           f"cd={cand.dep_}", f"cpos={cand.pos_}", f"ck={kind}", f"ckd={kind}|{cand.dep_}"]
    if steps and len(steps) <= 2:
        out.append(f"pt={path}|{rule_type}")
    if steps:
        out.append(f"p1={steps[0]}|{voice}")
        out.append(f"pl={steps[-1]}")
        out.append(f"pl={steps[-1]}|{kind}")
    if pivot is not None:
        out.append(f"pvt={pivot.pos_}")
        if pivot.lemma_.lower() in reporting:
            out.append("pvt=reporting")
    if cand.pos_ == "PRON":
        out.append(f"pron={cand.lower_}")
    if rule_actor is not None and rule_actor.i == cand.i:
        out.append("ra=1")
        out.append(f"ra={voice}")
    if rule_recipient is not None and rule_recipient.i == cand.i:
        out.append("rr=1")
        out.append(f"rr={voice}")
    if rule_actor is None:
        out.append(f"ra0={path}")
    if rule_recipient is None:
        out.append(f"rr0={path}")
    return out


@dataclass(frozen=True, slots=True)
class RoleModel:
    """Weights of the role classifier and the probability a choice needs."""

    rows: dict[str, tuple[float, ...]]
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    #: a candidate takes a role when the model gives it at least this probability
    threshold: float

    def probabilities(self, features: list[str]) -> dict[str, float]:
        scores = list(self.intercept)
        rows = self.rows
        for f in set(features):
            row = rows.get(f)
            if row is not None:
                for k, w in enumerate(row):
                    scores[k] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}


Scored = list[tuple[Any, list[str], dict[str, float]]]


def score_candidates(trigger: Any, reader: Any, model: RoleModel | None, rule_actor: Any | None,
                     rule_recipient: Any | None, reporting: frozenset[str], rule_type: str | None = None) -> Scored:
    """Each candidate of the trigger with its features and (when ``model`` is given) its role
    probabilities; ``reader`` is the document's :class:`args.ArgumentReader` (entity types);
    ``rule_type`` the lexicon's type of the trigger, when the caller knows it."""
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in trigger.children)
    if rule_type is None:
        rule_type = type_of_token(trigger, reader.lex)
    above = ancestry(trigger)
    cache = reader.role_cache
    kinds = reader.kind_cache
    out = []
    for cand in candidates(trigger, cache):
        kind = kinds[cand.i] if cand.i in kinds else kinds.setdefault(cand.i, reader.kind_of(cand))
        feats = pair_features(trigger, cand, kind, rule_actor, rule_recipient, passive, reporting, rule_type, above)
        out.append((cand, feats, model.probabilities(feats) if model is not None else {}))
    return out


def choose(threshold: float, scored: Scored) -> tuple[Any | None, Any | None]:
    """The actor and the recipient among scored candidates: the most probable for each role
    when it reaches the threshold, the two different tokens."""
    best_a = max(scored, key=lambda s: s[2][ACTOR], default=None)
    actor = best_a[0] if best_a is not None and best_a[2][ACTOR] >= threshold else None
    rest = [s for s in scored if actor is None or s[0].i != actor.i]
    best_r = max(rest, key=lambda s: s[2][RECIPIENT], default=None)
    recipient = best_r[0] if best_r is not None and best_r[2][RECIPIENT] >= threshold else None
    return actor, recipient


def roles_path() -> Path:
    return Path(__file__).resolve().parents[2] / "models" / ROLES_MODEL / "model.npz"


def load_roles(path: Path | None = None) -> RoleModel:
    """Read the weights; a missing or corrupt file is an error naming it and the command that rebuilds it."""
    path = path or roles_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            features = [str(f) for f in data["features"]]
            classes = tuple(str(c) for c in data["classes"])
            weights = data["weights"].astype(np.float64)
            intercept = tuple(float(x) for x in data["intercept"])
            threshold = float(data["threshold"])
    except (OSError, KeyError, ValueError) as exc:
        raise DataFormatError(f"event role model {path} is missing or unreadable ({exc}); rebuild it with "
                              f"`{ROLES_RETRAIN}` or run with Settings(disabled_models={{'{ROLES_MODEL}'}})") from exc
    if weights.shape != (len(features), len(classes)) or len(intercept) != len(classes) \
            or set(classes) != {ACTOR, RECIPIENT, NO_ROLE}:
        raise DataFormatError(f"event role model {path} has inconsistent shapes or classes; rebuild it with "
                              f"`{ROLES_RETRAIN}`")
    rows = {f: tuple(float(w) for w in weights[i]) for i, f in enumerate(features)}
    return RoleModel(rows, classes, intercept, threshold)


def save_roles(model: RoleModel, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(model.rows)
    path = out / "model.npz"
    weights = np.array([model.rows[f] for f in names], dtype=np.float16).reshape(len(names), len(model.classes))
    np.savez_compressed(path, features=np.array(names), classes=np.array(model.classes), weights=weights,
                        intercept=np.array(model.intercept, dtype=np.float32), threshold=np.array(model.threshold))
    return path


@lru_cache(maxsize=1)
def shipped_roles() -> RoleModel:
    """The packaged model, read once per process."""
    return load_roles()


__all__ = ["ACTOR", "NO_ROLE", "RECIPIENT", "ROLES_MODEL", "RoleModel", "ancestry", "candidates", "choose",
           "dependency_path", "load_roles", "pair_features", "roles_path", "save_roles", "score_candidates",
           "shipped_roles"]
