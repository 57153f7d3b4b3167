"""The learned PLOVER type classifier: loading the shipped weights and scoring a trigger.

The model is a multinomial logistic regression over the string features of
:mod:`claimgraph.pipeline.events.features`, trained by ``python -m claimgraph.training
event_types`` and shipped as ``claimgraph/models/event_types/model.npz`` (feature names,
class names, a float16 weight matrix, the intercepts and the decision thresholds; no
pickle, so loading runs no code). Scoring is a sum of the weight rows of the features
present and a softmax: no scikit-learn at run time.

Classes are the 16 PLOVER root types and ``NONE`` (a mention that reports no political act).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.errors import DataFormatError

MODEL_NAME = "event_types"
NONE = "NONE"
RETRAIN = f"python -m claimgraph.training {MODEL_NAME}"


@dataclass(frozen=True, slots=True)
class TypeModel:
    """Weights of the trigger type classifier and the thresholds the pipeline applies."""

    index: dict[str, int]
    classes: tuple[str, ...]
    weights: Any  # float32 array (features x classes)
    intercept: Any  # float32 array (classes,)
    #: a mention the rules leave untyped becomes an event only when its best type has this probability
    new_event_threshold: float
    #: a rule-typed mention is dropped as no political act only when NONE has this probability
    drop_threshold: float

    def probabilities(self, features: list[str]) -> dict[str, float]:
        rows = [self.index[f] for f in set(features) if f in self.index]
        scores = self.intercept + (self.weights[rows].sum(axis=0) if rows else 0.0)
        top = float(scores.max())
        exp = [math.exp(float(s) - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def best_type(self, features: list[str]) -> tuple[str, float, float]:
        """(the most probable PLOVER type, its probability, the probability of NONE)."""
        probs = self.probabilities(features)
        none = probs.pop(NONE, 0.0)
        typ = max(probs, key=probs.__getitem__)
        return typ, probs[typ], none


def model_path() -> Path:
    return Path(__file__).resolve().parents[2] / "models" / MODEL_NAME / "model.npz"


def load_model(path: Path | None = None) -> TypeModel:
    """Read the weights; a missing or corrupt file is an error naming it and the command that rebuilds it."""
    path = path or model_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            features = [str(f) for f in data["features"]]
            classes = tuple(str(c) for c in data["classes"])
            weights = data["weights"].astype(np.float32)
            intercept = data["intercept"].astype(np.float32)
            thresholds = data["thresholds"].astype(np.float64)
    except (OSError, KeyError, ValueError) as exc:
        raise DataFormatError(f"event type model {path} is missing or unreadable ({exc}); rebuild it with "
                              f"`{RETRAIN}` or run with Settings(disabled_models={{'{MODEL_NAME}'}})") from exc
    if weights.shape != (len(features), len(classes)) or intercept.shape != (len(classes),):
        raise DataFormatError(f"event type model {path} has inconsistent shapes; rebuild it with `{RETRAIN}`")
    return TypeModel({f: i for i, f in enumerate(features)}, classes, weights, intercept,
                     float(thresholds[0]), float(thresholds[1]))


@lru_cache(maxsize=1)
def shipped_model() -> TypeModel:
    """The packaged model, read once per process (pipelines share it)."""
    return load_model()


__all__ = ["MODEL_NAME", "NONE", "RETRAIN", "TypeModel", "load_model", "model_path", "shipped_model"]
