"""The learned entity typer: its weights load once, and a missing or corrupt file says which
file and how to rebuild it (never a silent fall-back to the rules)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimgraph.errors import PipelineError
from claimgraph.model import Span
from claimgraph.pipeline.entities.model import CLASSES, EntityTyper, load_typer, model_dir, variants


def test_shipped_weights_load_and_fit_the_budget() -> None:
    path = model_dir() / "weights.npz"
    assert path.stat().st_size < 12 * 1024 * 1024
    typer = load_typer()
    assert set(typer.classes) == set(CLASSES)
    assert load_typer() is typer  # loaded once per process
    assert (model_dir() / "CARD.md").is_file()


def test_missing_weights_name_the_file_and_the_command(tmp_path: Path) -> None:
    missing = tmp_path / "weights.npz"
    with pytest.raises(PipelineError, match=r"weights\.npz.*python -m claimgraph\.training entity_typer"):
        EntityTyper.load(missing)


def test_corrupt_weights_name_the_file_and_the_command(tmp_path: Path) -> None:
    corrupt = tmp_path / "weights.npz"
    corrupt.write_bytes(b"not a numpy archive")
    with pytest.raises(PipelineError, match=r"corrupt.*python -m claimgraph\.training entity_typer"):
        EntityTyper.load(corrupt)
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, features=np.array(["a"]), coef=np.zeros((2, 3)), intercept=np.zeros(3),
             classes=np.array(["PER", "ORG", "LOC"]))
    with pytest.raises(PipelineError, match="do not fit"):
        EntityTyper.load(wrong)


def test_probabilities_are_a_softmax_over_the_classes() -> None:
    typer = load_typer()
    probs = typer.probabilities([{"rules=PERSON": 1.0}, {}])
    assert probs.shape == (2, len(CLASSES))
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_span_variants_without_the() -> None:
    text = "Officials of the Frontier Corps met the press."
    with_the = Span.of(text, text.index("the Frontier"), text.index(" met"))
    assert [v.text for v in variants(text, with_the)] == ["the Frontier Corps", "Frontier Corps"]
    bare = Span.of(text, text.index("Frontier"), text.index(" met"))
    assert [v.text for v in variants(text, bare)] == ["Frontier Corps"]
