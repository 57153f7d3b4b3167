"""The learned attribution model (#13): shipped, loaded once, switchable, and a missing or
corrupt file is a clear error naming the file and the command that rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import PipelineError
from claimgraph.model import Document, Source, Span
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.claims import model
from claimgraph.pipeline.claims.base import Draft
from claimgraph.pipeline.claims.prior import CuePrior
from claimgraph.pipeline.nlp import load_model
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


def test_a_missing_cue_prior_names_itself(tmp_path: Path) -> None:
    for name in ("cue.crfsuite", "spans.crfsuite"):
        (tmp_path / name).write_bytes((model.MODEL_DIR / name).read_bytes())
    (tmp_path / "model.json").write_text('{"cue_prior": true}', encoding="utf-8")
    with pytest.raises(PipelineError) as err:
        model.AttributionModel(tmp_path)
    assert "cue_prior.json" in str(err.value) and "python -m claimgraph.training attribution" in str(err.value)


def test_the_cue_prior_round_trips(tmp_path: Path) -> None:
    prior = CuePrior([0.5, -0.25, 1.0], 0.1)
    prior.save(tmp_path / "p.json")
    again = CuePrior.load(tmp_path / "p.json", "retrain")
    assert again.weights.tolist() == [0.5, -0.25, 1.0] and again.bias == pytest.approx(0.1)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(PipelineError, match="unreadable"):
        CuePrior.load(tmp_path / "bad.json", "retrain")


@pytest.mark.slow
def test_the_cue_prior_reads_the_parse_vectors() -> None:
    nlp = load_model(Settings().spacy_model)
    doc = nlp("The minister said the talks had failed.")
    width = doc.tensor.shape[1]
    probs = CuePrior([0.0] * (2 * width), 0.0).probabilities(doc)
    assert probs == pytest.approx([0.5] * len(doc))
    bare = nlp.make_doc("No vectors here.")
    with pytest.raises(PipelineError, match="token vectors"):
        CuePrior([0.0] * (2 * width), 0.0).probabilities(bare)


@pytest.mark.slow
def test_a_cue_keeps_its_prepositional_phrase() -> None:
    """'said in a statement' is one cue (PolNeAR marks it so); 'denounced attempts to ...' is
    the cue 'denounced' with its object as content."""
    nlp = load_model(Settings().spacy_model)
    doc = nlp("The ministry said in a statement that the talks had failed.")
    said = next(t for t in doc if t.text == "said")
    last = next(t for t in doc if t.text == "statement").i
    assert model.AttributionModel.verb_group_end(doc, said.i, last, said.idx + 4) == last
    doc = nlp("He denounced attempts to designate militants as terrorists.")
    verb = next(t for t in doc if t.text == "denounced")
    assert model.AttributionModel.verb_group_end(doc, verb.i, verb.i + 2, verb.idx + 9) == verb.i


def _draft(text: str, source: str, cue: str | None, content: str, kind: str = "direct") -> Draft:
    def span(part: str) -> Span:
        start = text.index(part)
        return Span.of(text, start, start + len(part))

    return Draft(kind, Source("e1", span(source), "person"), span(cue) if cue else None, [span(content)])


def test_a_quote_going_on_in_the_paragraph_is_more_of_the_same_claim() -> None:
    text = ('"We will not stop," Fells told the radio. "They care about two things."\n\n'
            '"Nobody listens to us."')
    said = _draft(text, "Fells", "told", '"We will not stop,"')
    more = _draft(text, "Fells", None, '"They care about two things."')
    apart = _draft(text, "Fells", None, '"Nobody listens to us."')
    out = model.AttributionModel.join_continued(text, [said, more, apart])
    assert out == [said, apart]
    assert [c.text for c in said.content] == ['"We will not stop,"', '"They care about two things."']


def test_a_quote_of_another_speaker_stays_apart() -> None:
    text = '"We will not stop," Fells said. "They are lying," Khan said.'
    said = _draft(text, "Fells", "said", '"We will not stop,"')
    other = Draft("direct", Source("e2", Span.of(text, text.index("Khan"), text.index("Khan") + 4), "person"),
                  None, [Span.of(text, text.index('"They'), text.index('"They') + 15)])
    assert model.AttributionModel.join_continued(text, [said, other]) == [said, other]
