"""The stage table: named stages, checked results, helpful errors."""

from __future__ import annotations

import pytest

from claimgraph.errors import UnknownStage
from claimgraph.model import Document
from claimgraph.pipeline import STAGES, Pipeline


def test_unknown_stage_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownStage, match=r"No stage 'entites'\. Available: nlp, entities"):
        Pipeline(stages=("nlp", "entites"))


def test_stages_run_in_table_order_and_are_recorded() -> None:
    pipeline = Pipeline(stages=("entities", "nlp"))
    assert pipeline.names == ("nlp", "entities")
    result = pipeline(Document.from_text("Angela Merkel met Emmanuel Macron in Paris."))
    assert result.stages == ("nlp", "entities")
    assert result.timex == ()  # the time stage did not run


def test_the_table_names_the_first_half_of_the_pipeline() -> None:
    assert list(STAGES)[:4] == ["nlp", "entities", "time", "places"]
