"""The learned entity typer: a multinomial logistic regression over candidate name spans.

For every mention the rules produced it scores the span as written and its variant without a
leading "the", over the classes PER, ORG, LOC, PRO, EVENT, OTHER and NONE (not a
name). Each mention keeps its most name-like variant (span repair), a mention the model calls
NONE with confidence is dropped (non-prose, common words), and each entity's coarse type is
decided by the summed log-probabilities of its mentions. Where the model's coarse type agrees
with the rules' type the rules' finer OntoNotes type stays (GPE vs FAC is theirs); where it
disagrees, the model's wins, refined by spaCy's and the cues' labels.

Weights: ``claimgraph/models/entity_typer/weights.npz`` (vocabulary, coefficients,
intercepts, classes), loaded once per pipeline with ``allow_pickle=False``. Trained by
``python -m claimgraph.training entity_typer``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.errors import PipelineError
from claimgraph.model import Entity, Span
from claimgraph.pipeline.entities.features import DocContext, Features, entity_features, span_features
from claimgraph.pipeline.gazetteer import Gazetteer
from claimgraph.pipeline.mentions import LABEL_TYPES
from claimgraph.pipeline.names import lexicon

MODEL_NAME = "entity_typer"
RETRAIN = "python -m claimgraph.training entity_typer"
CLASSES = ("PER", "ORG", "LOC", "PRO", "EVENT", "OTHER", "NONE")
#: coarse class -> OntoNotes types it covers (the first is the default)
FINE = {"PER": ("PERSON",), "ORG": ("ORG",), "LOC": ("GPE", "LOC", "FAC", "NORP"),
        "PRO": ("PRODUCT", "WORK_OF_ART", "LAW"), "EVENT": ("EVENT",), "OTHER": ("OTHER",)}
COARSE = {fine: coarse for coarse, fines in FINE.items() for fine in fines}
#: a mention is dropped only when the model is this sure it is not a name
DROP_CONFIDENCE = 0.9
#: the model's type replaces the rules' only when its mean log-probability per mention is this
#: much higher than that of the rules' type (the rules stay where the model is unsure)
OVERRIDE_MARGIN = 1.0
#: a variant of a mention's span replaces the span as written only when it is this much more
#: name-like (the corpora disagree on a leading "the"; the rules' choice stays when in doubt)
VARIANT_MARGIN = 0.25


#: features that say a place in so many words: the model never makes such a place a person
PLACE_CUES = frozenset({"next_place_word", "prev_place_word", "cue_place_like", "cue_place_acronym",
                        "place_context", "conj_place", "last_place_word"})
#: features of a lexicon cue that vouches for a name: such a mention is never dropped
KEEP_CUES = PLACE_CUES | {"cue_org_acronym", "cue_language", "cue_holiday"}
#: cue features and the class they vouch for: where the rules' type agrees with a cue, it stays
#: spaCy's own label agreeing with the rules' place type (the model never makes both wrong into a person)
_AGREEING_PLACE = ("ent_spacy=GPE", "ent_spacy=LOC")
CUE_CLASSES = {**dict.fromkeys(PLACE_CUES, "LOC"), **dict.fromkeys(_AGREEING_PLACE, "LOC"),
               "cue_org_acronym": "ORG", "cue_language": "OTHER", "cue_holiday": "EVENT", "prev_title": "PER"}


def model_dir() -> Path:
    return Path(str(resources.files("claimgraph").joinpath("models", MODEL_NAME)))


def variants(text: str, span: Span) -> list[Span]:
    """The span as written and, when it opens with "the", without it. (Adding a "the" the rules
    left out is not offered: the rules leave it out where the name modifies a noun, "the
    Atlanta plant", which the corpora annotate inconsistently.)"""
    out = [span]
    if span.text[:4].lower() == "the " and span.end - span.start > 4:
        out.append(Span.of(text, span.start + 4, span.end))
    return out


class EntityTyper:
    """Weights of the typer and the arithmetic to apply them (numpy, no pickled objects)."""

    def __init__(self, vocabulary: dict[str, int], coef: np.ndarray, intercept: np.ndarray,
                 classes: tuple[str, ...]) -> None:
        self.vocabulary = vocabulary
        self.coef = coef  # (features, classes)
        self.intercept = intercept
        self.classes = classes
        self._none = classes.index("NONE")

    @classmethod
    def load(cls, path: Path) -> EntityTyper:
        if not path.is_file():
            raise PipelineError(f"entity typer weights {path} are missing; rebuild them with `{RETRAIN}` "
                                f"or switch the model off (Settings(disabled_models={{'{MODEL_NAME}'}}))")
        try:
            with np.load(path, allow_pickle=False) as data:
                names = [str(n) for n in data["features"]]
                coef = np.asarray(data["coef"], dtype=np.float32)
                intercept = np.asarray(data["intercept"], dtype=np.float32)
                classes = tuple(str(c) for c in data["classes"])
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise PipelineError(f"entity typer weights {path} are corrupt ({exc}); rebuild them with "
                                f"`{RETRAIN}`") from exc
        if coef.shape != (len(names), len(classes)) or intercept.shape != (len(classes),) \
                or set(classes) != set(CLASSES):
            raise PipelineError(f"entity typer weights {path} do not fit this code (shape {coef.shape}, "
                                f"classes {classes}); rebuild them with `{RETRAIN}`")
        return cls({n: i for i, n in enumerate(names)}, coef, intercept, classes)

    def probabilities(self, rows: list[Features]) -> np.ndarray:
        """Class probabilities of each feature row (softmax of the linear scores)."""
        scores = np.tile(self.intercept, (len(rows), 1))
        for r, feats in enumerate(rows):
            idx = [self.vocabulary[f] for f in feats if f in self.vocabulary]
            if idx:
                vals = np.fromiter((feats[f] for f in feats if f in self.vocabulary), dtype=np.float32)
                scores[r] += vals @ self.coef[idx]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def refine(self, entities: tuple[Entity, ...], doc: Any, text: str,
               gazetteer: Gazetteer | None) -> tuple[Entity, ...]:
        if not entities:
            return entities
        ctx = DocContext(doc, text, gazetteer)
        rows: list[Features] = []
        index: list[tuple[int, int, Span]] = []  # entity, mention, variant
        for e, ent in enumerate(entities):
            shared = entity_features(ctx, ent)
            for m, mention in enumerate(ent.mentions):
                for variant in variants(text, mention):
                    rows.append(span_features(ctx, ent, variant.start, variant.end, shared))
                    index.append((e, m, variant))
        probs = self.probabilities(rows)
        cued_class: dict[int, set[str]] = {}
        for (e, _, _), row in zip(index, rows, strict=True):
            cued_class.setdefault(e, set()).update(CUE_CLASSES[f] for f in row if f in CUE_CLASSES)
        event_words = lexicon().event_prefixes
        for e, ent in enumerate(entities):
            if ent.name.split()[0].lower() in event_words:
                cued_class.setdefault(e, set()).add("EVENT")  # "Operation Zarb-e-Azb"
        best: dict[tuple[int, int], tuple[float, Span, np.ndarray]] = {}
        cued: set[tuple[int, int]] = set()
        for (e, m, variant), p, row in zip(index, probs, rows, strict=True):
            name_like = 1.0 - float(p[self._none])
            if (e, m) not in best or name_like > best[(e, m)][0] + VARIANT_MARGIN:
                best[(e, m)] = (name_like, variant, p)
            if not KEEP_CUES.isdisjoint(row):
                cued.add((e, m))
        out: list[Entity] = []
        for e, ent in enumerate(entities):
            kept: list[Span] = []
            logp = np.zeros(len(self.classes))
            for m in range(len(ent.mentions)):
                name_like, span, p = best[(e, m)]
                if 1.0 - name_like >= DROP_CONFIDENCE and ent.type != "NORP" and (e, m) not in cued:
                    continue  # a people's word, or a name a cue word vouches for, stays
                kept.append(span)
                logp += np.log(np.maximum(p, 1e-9))
            if not kept:
                continue
            logp[self._none] = -np.inf
            coarse = self.classes[int(np.argmax(logp))]
            ruled = COARSE.get(ent.type)
            if ruled in self.classes and (logp.max() - logp[self.classes.index(ruled)]) / len(kept) < OVERRIDE_MARGIN:
                coarse = ruled
            if ruled is not None and ruled in cued_class.get(e, ()):
                coarse = ruled  # a cue word agrees with the rules ("Shewa tehsil", "Operation X", "in Pashto")
            etype = ent.type if COARSE.get(ent.type) == coarse else _fine(coarse, ent, ctx)
            mentions = tuple(sorted(set(kept), key=lambda s: (s.start, s.end)))
            out.append(replace(ent, type=etype, mentions=mentions))
        return tuple(out)


def _fine(coarse: str, entity: Entity, ctx: DocContext) -> str:
    """An OntoNotes type within the model's coarse class: spaCy's label where it is one of them."""
    choices = FINE[coarse]
    for mention in entity.mentions:
        label = ctx.spacy_spans.get((mention.start, mention.end))
        fine = LABEL_TYPES.get(label or "")
        if fine in choices:
            return fine
    return choices[0]


@lru_cache(maxsize=2)
def load_typer(path: str | None = None) -> EntityTyper:
    """The shipped typer (cached: every pipeline in a process shares one copy)."""
    return EntityTyper.load(Path(path) if path else model_dir() / "weights.npz")
