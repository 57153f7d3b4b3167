"""The learned actor/recipient chooser of the events stage and the dating of an act by the
occasion it happened at (#14, second pass), on sentences the project wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimgraph.errors import DataFormatError
from claimgraph.model import Analysis, Document, Event
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.events.roles import (
    ACTOR,
    NO_ROLE,
    RECIPIENT,
    ROLES_MODEL,
    RoleModel,
    choose,
    load_roles,
    roles_path,
    save_roles,
)
from claimgraph.settings import Settings

STAGES = ("nlp", "entities", "time", "places", "claims", "events")
CLASSES = (ACTOR, NO_ROLE, RECIPIENT)


class _Tok:
    def __init__(self, i: int) -> None:
        self.i = i


def test_missing_roles_model_names_the_file_and_the_command(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"python -m claimgraph\.training event_roles") as info:
        load_roles(tmp_path / "model.npz")
    assert "model.npz" in str(info.value)


def test_corrupt_roles_model_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "model.npz"
    np.savez(bad, features=np.array(["p=vnsubj"]), classes=np.array(CLASSES),
             weights=np.zeros((2, 3), dtype=np.float16), intercept=np.zeros(3), threshold=np.array(0.3))
    with pytest.raises(DataFormatError, match="inconsistent"):
        load_roles(bad)


def test_saved_roles_model_reads_back(tmp_path: Path) -> None:
    model = RoleModel({"p=vnsubj": (2.0, 0.0, -1.0)}, CLASSES, (0.0, 0.5, 0.0), 0.3)
    back = load_roles(save_roles(model, tmp_path))
    assert back.classes == CLASSES and back.threshold == pytest.approx(0.3)
    assert back.probabilities(["p=vnsubj"])[ACTOR] == pytest.approx(model.probabilities(["p=vnsubj"])[ACTOR])


def test_choice_takes_the_best_candidate_per_role_above_the_threshold() -> None:
    a, b, c = _Tok(1), _Tok(2), _Tok(3)
    scored = [(a, [], {ACTOR: 0.8, RECIPIENT: 0.1, NO_ROLE: 0.1}),
              (b, [], {ACTOR: 0.1, RECIPIENT: 0.6, NO_ROLE: 0.3}),
              (c, [], {ACTOR: 0.05, RECIPIENT: 0.2, NO_ROLE: 0.75})]
    assert choose(0.3, scored) == (a, b)
    assert choose(0.7, scored) == (a, None)  # no recipient is sure enough
    # one token never takes both roles
    both = [(a, [], {ACTOR: 0.5, RECIPIENT: 0.45, NO_ROLE: 0.05})]
    assert choose(0.3, both) == (a, None)


def test_the_shipped_roles_model_is_small_and_loads() -> None:
    assert roles_path().stat().st_size < 1_000_000
    assert set(load_roles().classes) == set(CLASSES)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(stages=STAGES)


def run(pipeline: Pipeline, text: str, published: str | None = "2025-03-09") -> Analysis:
    analysis = pipeline(Document.from_text(text, published=published))
    for e in analysis.events:
        for span in (e.trigger, *(r.span for r in (e.actor, e.recipient) if r)):
            assert text[span.start:span.end] == span.text
    return analysis


def event(analysis: Analysis, trigger: str) -> Event:
    found = [e for e in analysis.events if e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in analysis.events]
    return found[0]


@pytest.mark.slow
def test_a_nominal_act_takes_the_light_verbs_subject_and_its_parties(pipeline: Pipeline) -> None:
    a = run(pipeline, "Prime Minister Anwar Kakar on Monday launched a mediation effort between Qatar and Bahrain.")
    mediation = event(a, "mediation")
    assert mediation.actor is not None and "Kakar" in mediation.actor.span.text
    assert mediation.recipient is not None and mediation.recipient.span.text in ("Qatar", "Qatar and Bahrain")


@pytest.mark.slow
def test_plain_clauses_keep_their_subject_and_object(pipeline: Pipeline) -> None:
    a = run(pipeline, "Police arrested two suspects in Quetta. The suspects were questioned by the CTD.")
    arrested = event(a, "arrested")
    assert arrested.actor is not None and arrested.actor.span.text == "Police"
    assert arrested.recipient is not None and arrested.recipient.span.text == "two suspects"


@pytest.mark.slow
def test_the_roles_model_is_switchable() -> None:
    text = "The Taliban government freed three engineers after the council approved their release."
    rules = Pipeline(Settings(disabled_models=frozenset({ROLES_MODEL})), stages=STAGES)(Document.from_text(text))
    freed = event(rules, "freed")
    assert freed.actor is not None and "Taliban" in freed.actor.span.text  # the rules' subject


@pytest.mark.slow
def test_an_act_at_an_occasion_takes_the_date_the_document_gives_it(pipeline: Pipeline) -> None:
    a = run(pipeline, "The commander has threatened traders in Miranshah in a recording of a rally.\n\n"
                      "Local elders said the gathering was held on Thursday near the border.")
    threatened = event(a, "threatened")
    assert threatened.when is not None and threatened.when.value == "2025-03-06"
    # an act at an occasion the document does not date keeps its own rule
    b = run(pipeline, "The commander has threatened traders in Miranshah in a recording of a rally.")
    assert event(b, "threatened").when is None or event(b, "threatened").when.value != "2025-03-06"
