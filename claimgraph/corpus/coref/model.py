"""Loading the pair model: a logistic regression kept as plain JSON (weights per named
feature, intercept, threshold), scored with a dot product, so the corpus layer needs no
scikit-learn at run time and a model file is a few kilobytes anyone can read."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from claimgraph.corpus.coref.features import FEATURE_NAMES
from claimgraph.errors import ClaimgraphError

if TYPE_CHECKING:
    from claimgraph.corpus.coref.decide import PairDecider
    from claimgraph.settings import Settings

MODEL_NAME = "entity_pairs"
RETRAIN = f"python -m claimgraph.training {MODEL_NAME}"


class PairModelError(ClaimgraphError):
    """The pair model's file is missing, unreadable, or was trained on other features."""


@dataclass(frozen=True, slots=True)
class PairModel:
    coef: tuple[float, ...]
    intercept: float
    #: a pair at or above this probability may merge
    threshold: float
    #: a second candidate within this much of the best leaves the choice to the rules' tie-breaks
    margin: float
    #: a candidate the entity did not join but scores at least this high is the same actor: merged
    merge_threshold: float = 1.0

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.coef, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def read(cls, path: Path) -> PairModel:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            names = tuple(raw["features"])
            model = cls(tuple(float(w) for w in raw["coef"]), float(raw["intercept"]), float(raw["threshold"]),
                        float(raw["margin"]), float(raw["merge_threshold"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PairModelError(f"cannot read the entity pair model {path}: {exc}; rebuild it with `{RETRAIN}`") \
                from exc
        if names != FEATURE_NAMES or len(model.coef) != len(FEATURE_NAMES):
            raise PairModelError(f"the entity pair model {path} was trained on other features than this code "
                                 f"computes; rebuild it with `{RETRAIN}`")
        return model


def model_path() -> Path:
    return Path(str(resources.files("claimgraph").joinpath("models", MODEL_NAME, "model.json")))


def load_decider(settings: Settings | None = None, path: Path | None = None) -> PairDecider | None:
    """The learned decision when ``settings`` enable it (the default settings do), else None
    (the resolver's rules decide). Load once per linker or evaluation, not per document."""
    from claimgraph.corpus.coref.decide import PairDecider
    from claimgraph.settings import Settings

    settings = settings or Settings()
    if not settings.model_enabled(MODEL_NAME):
        return None
    return PairDecider(PairModel.read(path or model_path()))


__all__ = ["MODEL_NAME", "PairModel", "PairModelError", "load_decider", "model_path"]
