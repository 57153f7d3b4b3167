"""The cue prior: a logistic regression over spaCy's contextual token vectors (``doc.tensor``).

The CRF cue tagger sees words, lemmas and the parse; the cue verbs it has not seen often
("hoping", "perceived", "endorsed") are where it misses most. The tok2vec layer of the spaCy
model already computes, for every token, a 96-dimensional vector of its word in context, so a
linear model over that vector (and its head's) costs one matrix product per document and gives
every token a probability of being part of a cue. The tagger reads it, bucketed, as a feature.

Weights: ``cue_prior.json`` in the model folder (``{"weights": [...], "bias": b}``), fitted by
``python -m claimgraph.training attribution``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.errors import PipelineError

FILE = "cue_prior.json"


def token_matrix(doc: Any) -> Any:
    """Per token: its contextual vector and its syntactic head's, side by side (tokens x 2·width).
    A doc without vectors (a parse read back without them) is an error, not a silent change."""
    tensor = getattr(doc, "tensor", None)
    if tensor is None or len(doc) == 0 or getattr(tensor, "shape", (0,))[0] != len(doc):
        raise PipelineError("the attribution model needs the spaCy parse's token vectors (doc.tensor); "
                            "this document's parse has none")
    x = np.asarray(tensor, dtype=np.float32)
    heads = np.arange(len(doc)) + doc.to_array("HEAD").astype("int64")
    return np.hstack([x, x[np.clip(heads, 0, len(doc) - 1)]])


class CuePrior:
    """A fitted logistic regression: ``probabilities(doc)`` gives each token's cue probability."""

    def __init__(self, weights: Any, bias: float) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = float(bias)

    @classmethod
    def load(cls, path: Path, retrain: str) -> CuePrior:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["weights"], data["bias"])
        except FileNotFoundError as exc:
            raise PipelineError(f"attribution model file {path} is missing; rebuild it with `{retrain}` "
                                f"(or run with --rules-only)") from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PipelineError(f"attribution model file {path} is unreadable ({exc}); rebuild it with "
                                f"`{retrain}`") from exc

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"weights": [round(float(w), 6) for w in self.weights],
                                    "bias": round(self.bias, 6)}) + "\n", encoding="utf-8")

    def probabilities(self, doc: Any) -> list[float]:
        if len(doc) == 0:
            return []
        z = token_matrix(doc) @ self.weights + self.bias
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).tolist()  # type: ignore[no-any-return]


__all__ = ["FILE", "CuePrior", "token_matrix"]
