"""The learned attribution model (#13): shipped, loaded once, switchable, and a missing or
corrupt file is a clear error naming the file and the command that rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import PipelineError
from claimgraph.model import Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.claims import model
from claimgraph.settings import Settings


def test_the_model_ships_small_with_its_card() -> None:
    files = {p.name: p.stat().st_size for p in model.MODEL_DIR.iterdir()}
    assert {"cue.crfsuite", "spans.crfsuite", "CARD.md"} <= set(files)
    assert sum(files.values()) < 12 * 1024 * 1024


def test_a_missing_file_names_itself_and_the_retrain_command(tmp_path: Path) -> None:
    with pytest.raises(PipelineError) as err:
        model.AttributionModel(tmp_path)
    assert "cue.crfsuite" in str(err.value) and "python -m claimgraph.training attribution" in str(err.value)


def test_a_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    for name in ("cue.crfsuite", "spans.crfsuite"):
        (tmp_path / name).write_bytes(b"not a model")
    with pytest.raises(PipelineError, match=r"unreadable|missing"):
        model.AttributionModel(tmp_path)


def test_the_model_loads_once_per_process() -> None:
    assert model.load() is model.load()


def test_chunks_reads_bio_runs() -> None:
    assert model.chunks(["O", "B", "I", "O", "B", "B", "I"]) == [(1, 2), (4, 4), (5, 6)]
    assert model.chunks(["B-S", "I-S", "B-C", "I-C", "O", "I-C"], "-C") == [(2, 3), (5, 5)]


@pytest.mark.slow
def test_switching_the_model_off_gives_the_rules() -> None:
    text = ("Gen. Faisal Rana, the army spokesman, said on Monday that the operation would go on. "
            "\"We will not stop,\" he said.")
    off = Pipeline(Settings(disabled_models=frozenset({"attribution"})), stages=("nlp", "entities", "claims"))
    rules = Pipeline(Settings(use_models=False), stages=("nlp", "entities", "claims"))
    assert off(Document.from_text(text)).claims == rules(Document.from_text(text)).claims
    on = Pipeline(Settings(), stages=("nlp", "entities", "claims"))
    assert any("the operation would go on" in s.text for c in on(Document.from_text(text)).claims for s in c.content)
