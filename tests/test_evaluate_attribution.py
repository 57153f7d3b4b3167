"""The attribution evaluator: role scores, token overlap, attribution level and speaker resolution.

All texts here are invented. The PolNeAR smoke run at the end only checks that a report with
the expected rows comes out (benchmarks are not tests) and skips without the data or stage.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import PipelineError
from claimgraph.evaluate import attribution
from claimgraph.evaluate.attribution_scoring import (
    Attribution,
    Tokens,
    attribution_pairs,
    attribution_prf,
    from_claim,
    from_gold,
    role_exact,
    role_overlap,
    spans_of,
)
from claimgraph.evaluate.attribution_speaker import (
    antecedent,
    entity_matches,
    name_like,
    pronoun_of,
    speaker_resolution,
)
from claimgraph.evaluate.data import Record
from claimgraph.model import Analysis, Claim, Document, Entity, Source, Span
from claimgraph.pipeline import STAGES

REPO = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO.parent / "shared" / "data" / "attribution" / "polnear" / "dev.jsonl"

TEXT = "Officials said on Monday that the plan was sound. The union said it would strike."
#        tokens: Officials0 said1 on2 Monday3 that4 the5 plan6 was7 sound8 .9
#                The10 union11 said12 it13 would14 strike15 .16


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def gold_obj(text: str, source: list[str], cue: list[str], content: list[str]) -> dict[str, Any]:
    def spans(subs: list[str]) -> list[dict[str, Any]]:
        return [{"start": s, "end": e, "text": text[s:e]} for s, e in (at(text, x) for x in subs)]

    return {"source": spans(source), "cue": spans(cue), "content": spans(content)}


def attr(text: str, source: list[tuple[int, int]], cue: list[tuple[int, int]], content: list[tuple[int, int]],
         doc: str = "d", entity: str | None = None) -> Attribution:
    return Attribution(doc, spans_of(text, source), spans_of(text, cue), spans_of(text, content), entity)


_ids = itertools.count()


def claim(text: str, source: tuple[int, int] | None, cue: tuple[int, int] | None,
          content: list[tuple[int, int]], entity: str | None = None) -> Claim:
    src = Source(entity, Span.of(text, *source), "person") if source else None
    return Claim(f"c{next(_ids)}", "indirect", src, Span.of(text, *cue) if cue else None,
                 tuple(Span.of(text, s, e) for s, e in content))


# --- normalisation and tokens ---------------------------------------------------------------

def test_spans_of_trims_sorts_and_dedupes() -> None:
    text = "  ab  cd "
    assert spans_of(text, [(4, 9), (0, 4), (2, 4), (5, 5)]) == ((2, 4), (6, 8))


def test_tokens_cover_words_and_punctuation() -> None:
    tok = Tokens(TEXT)
    assert len(tok) == 17
    assert tok.ids([at(TEXT, "that the plan was sound")]) == frozenset(range(4, 9))
    assert tok.ids([at(TEXT, "sound.")]) == frozenset({8, 9})
    assert tok.ids([(at(TEXT, "Monday")[0] + 2, at(TEXT, "Monday")[1] - 1)]) == frozenset({3})  # part of a token
    assert tok.ids([]) == frozenset()


def test_from_gold_and_from_claim_agree() -> None:
    g = from_gold("d", TEXT, gold_obj(TEXT, ["Officials"], ["said"], ["that the plan was sound"]))
    c = from_claim("d", TEXT, claim(TEXT, at(TEXT, "Officials"), at(TEXT, "said"),
                                    [at(TEXT, "that the plan was sound")], entity="e1"))
    assert g == c  # the entity takes no part in equality
    assert c.entity == "e1" and g.entity is None
    no_source = from_claim("d", TEXT, claim(TEXT, None, at(TEXT, "said"), [at(TEXT, "that the plan")]))
    assert no_source.source == () and no_source.anchor() == at(TEXT, "said")
    no_cue = attr(TEXT, [at(TEXT, "The union")], [], [at(TEXT, "it would strike")])
    assert no_cue.anchor() == at(TEXT, "The union")
    assert attr(TEXT, [], [], []).anchor() is None
    with pytest.raises(ValueError):
        no_cue.role("speaker")


# --- exact vs overlap -----------------------------------------------------------------------

def test_exact_vs_overlap_per_role() -> None:
    gold = [attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "that the plan was sound")])]
    # right source and cue; content with the period included: no exact credit, overlap 5 of 6 tokens
    pred = [attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "that the plan was sound.")])]
    tokens = {"d": Tokens(TEXT)}
    assert role_exact(pred, gold, "cue").as_dict()["f1"] == 100.0
    assert role_exact(pred, gold, "source").tp == 1
    content = role_exact(pred, gold, "content")
    assert (content.tp, content.fp, content.fn) == (0, 1, 1)
    overlap = role_overlap(pred, gold, "content", tokens)
    assert (overlap.overlap, overlap.pred_tokens, overlap.gold_tokens) == (5, 6, 5)
    assert overlap.as_dict()["p"] == round(100 * 5 / 6, 1) and overlap.as_dict()["r"] == 100.0
    assert attribution_prf(pred, gold, mode="exact").tp == 0
    assert attribution_prf(pred, gold, mode="overlap", tokens=tokens).tp == 1


def test_token_overlap_worked_example() -> None:
    """Gold: two attributions, contents of 5 and 3 tokens; one prediction whose content
    ("on Monday that the plan", 5 tokens) shares 3 tokens with the first: P = 3/5, R = 3/8."""
    gold = [attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "that the plan was sound")]),
            attr(TEXT, [at(TEXT, "The union")], [at(TEXT, "said", 1)], [at(TEXT, "it would strike")])]
    pred = [attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "on Monday that the plan")])]
    result = role_overlap(pred, gold, "content", {"d": Tokens(TEXT)})
    assert (result.overlap, result.pred_tokens, result.gold_tokens, result.pairs) == (3, 5, 8, 1)
    assert result.precision == pytest.approx(0.6)
    assert result.recall == pytest.approx(0.375)
    assert result.as_dict()["f1"] == round(100 * 2 * 0.6 * 0.375 / 0.975, 1) == 46.2
    # source: "Officials" found, "The union" (2 tokens) missed
    source = role_overlap(pred, gold, "source", {"d": Tokens(TEXT)})
    assert (source.overlap, source.pred_tokens, source.gold_tokens) == (1, 1, 3)


def test_overlap_pairs_one_to_one() -> None:
    """A content running over both gold contents is credited for one of them only (Citron
    would sum both pairs)."""
    gold = [attr(TEXT, [], [at(TEXT, "said")], [at(TEXT, "that the plan was sound")]),
            attr(TEXT, [], [at(TEXT, "said", 1)], [at(TEXT, "it would strike")])]
    wide = (at(TEXT, "that")[0], at(TEXT, "strike")[1])
    pred = [attr(TEXT, [], [at(TEXT, "said")], [wide])]
    result = role_overlap(pred, gold, "content", {"d": Tokens(TEXT)})
    assert (result.overlap, result.pred_tokens, result.gold_tokens) == (5, 12, 8)


def test_discontinuous_content() -> None:
    text = '"We are ready," the mayor said, "and the money is there."'
    parts = [at(text, "We are ready,"), at(text, "and the money is there.")]
    gold = [attr(text, [at(text, "the mayor")], [at(text, "said")], parts)]
    same = [attr(text, [at(text, "the mayor")], [at(text, "said")], list(reversed(parts)))]
    assert role_exact(same, gold, "content").tp == 1
    assert attribution_prf(same, gold, mode="exact").tp == 1
    one_part = [attr(text, [at(text, "the mayor")], [at(text, "said")], parts[:1])]
    assert role_exact(one_part, gold, "content").tp == 0
    tokens = {"d": Tokens(text)}
    overlap = role_overlap(one_part, gold, "content", tokens)
    assert (overlap.overlap, overlap.pred_tokens, overlap.gold_tokens) == (4, 4, 10)
    assert attribution_prf(one_part, gold, mode="overlap", tokens=tokens).tp == 1
    # one span over both fragments (the cue inside it) is not the gold span set
    whole = [attr(text, [at(text, "the mayor")], [at(text, "said")], [(parts[0][0], parts[1][1])])]
    assert role_exact(whole, gold, "content").tp == 0


def test_missing_source() -> None:
    text = "The plan was sound, according to a memo. Prices will rise, it was reported."
    gold = [attr(text, [at(text, "a memo")], [at(text, "according to")], [at(text, "The plan was sound")]),
            attr(text, [], [at(text, "was reported")], [at(text, "Prices will rise")])]
    pred = [attr(text, [at(text, "a memo")], [at(text, "according to")], [at(text, "The plan was sound")]),
            attr(text, [], [at(text, "was reported")], [at(text, "Prices will rise")])]
    tokens = {"d": Tokens(text)}
    assert attribution_prf(pred, gold, mode="exact").as_dict()["f1"] == 100.0
    assert attribution_prf(pred, gold, mode="overlap", tokens=tokens).tp == 2
    source = role_exact(pred, gold, "source")
    assert (source.tp, source.fp, source.fn) == (1, 0, 0)  # a missing source is no instance
    # a source the gold lacks: a false positive for the role, no attribution match
    invented = [attr(text, [at(text, "it")], [at(text, "was reported")], [at(text, "Prices will rise")])]
    assert role_exact(invented, gold, "source").fp == 1
    assert attribution_prf(invented, gold, mode="exact").tp == 0
    assert attribution_prf(invented, gold, mode="overlap", tokens=tokens).tp == 0


def test_attribution_pairs_are_one_to_one_and_per_document() -> None:
    g = attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "that the plan was sound")])
    twice = [g, g]
    assert len(attribution_pairs(twice, [g], mode="exact")) == 1
    other_doc = [attr(TEXT, [at(TEXT, "Officials")], [at(TEXT, "said")], [at(TEXT, "that the plan was sound")],
                      doc="e")]
    tokens = {"d": Tokens(TEXT), "e": Tokens(TEXT)}
    assert attribution_pairs(other_doc, [g], mode="exact") == []
    assert attribution_pairs(other_doc, [g], mode="overlap", tokens=tokens) == []
    with pytest.raises(ValueError):
        attribution_pairs([g], [g], mode="fuzzy")


# --- speaker resolution ---------------------------------------------------------------------

SPEECH = ("Officials agreed. Maria Lopez said the budget was balanced. "
          "She added that taxes would fall. They said nothing more.")
SENTENCES = (at(SPEECH, "Officials agreed."), at(SPEECH, "Maria Lopez said the budget was balanced."),
             at(SPEECH, "She added that taxes would fall."), at(SPEECH, "They said nothing more."))


def _speech_gold() -> list[Attribution]:
    return [attr(SPEECH, [at(SPEECH, "Officials")], [at(SPEECH, "agreed")], []),
            attr(SPEECH, [at(SPEECH, "Maria Lopez")], [at(SPEECH, "said")], [at(SPEECH, "the budget was balanced")]),
            attr(SPEECH, [at(SPEECH, "She")], [at(SPEECH, "added")], [at(SPEECH, "that taxes would fall")]),
            attr(SPEECH, [at(SPEECH, "They")], [at(SPEECH, "said", 1)], [at(SPEECH, "nothing more")])]


def _entity(eid: str, name: str, mention: tuple[int, int] | None = None, aliases: tuple[str, ...] = ()) -> Entity:
    mentions = (Span.of(SPEECH, *mention),) if mention else ()
    return Entity(eid, name, "PERSON", aliases, mentions)


def test_name_like_and_pronouns() -> None:
    assert name_like("The New York Post") and name_like("Sen. Maria Lopez")
    assert name_like("White House spokesman Carl Berg") and name_like("Maria Lopez, the mayor,")
    assert not name_like("Officials") and not name_like("the president") and not name_like("He")
    assert not name_like("a Maria Lopez statement") and not name_like("The Republican nominee")
    assert not name_like("The mayor, Maria Lopez,")  # the head is descriptive
    gold = _speech_gold()
    assert [pronoun_of(SPEECH, g) for g in gold] == [None, None, "she", "they"]


def test_entity_matches_by_mention_or_name() -> None:
    ante = at(SPEECH, "Maria Lopez")
    assert entity_matches(_entity("e1", "Maria Lopez", ante), ante, "Maria Lopez")
    assert entity_matches(_entity("e1", "Lopez"), ante, "Maria Lopez")
    assert entity_matches(_entity("e1", "Maria Lopez"), ante, "Lopez's")
    assert entity_matches(_entity("e1", "M. L.", aliases=("Maria Lopez",)), ante, "Maria Lopez")
    assert not entity_matches(_entity("e2", "Carlos Lopez"), ante, "Maria Lopez")


def test_speaker_resolution_right_wrong_and_unresolved() -> None:
    gold = _speech_gold()
    she, they = at(SPEECH, "She"), at(SPEECH, "They")
    entities = {"e1": _entity("e1", "Maria Lopez", at(SPEECH, "Maria Lopez")), "e2": _entity("e2", "Carlos Ruiz"),
                "e3": _entity("e3", "Officials")}
    kwargs: dict[str, Any] = {"texts": {"d": SPEECH}, "sentences": {"d": SENTENCES}, "entities": {"d": entities}}

    def run(entity: str | None) -> dict[str, dict[str, float | int]]:
        pred = [attr(SPEECH, [she], [at(SPEECH, "added")], [at(SPEECH, "that taxes would fall")], entity=entity),
                attr(SPEECH, [they], [at(SPEECH, "said", 1)], [at(SPEECH, "nothing more")], entity="e3")]
        return speaker_resolution(pred, gold, **kwargs).rows()

    right = run("e1")
    assert right["pronoun sources"] == {"n": 2, "found": 2, "found_pct": 100.0, "resolved_to_entity": 2,
                                        "resolved_pct_of_found": 100.0}
    assert right["speaker resolution he/she (proxy antecedent)"] == {
        "acc": 100.0, "n": 1, "correct": 1, "found": 1, "not_judged": 0}
    assert run("e2")["speaker resolution he/she (proxy antecedent)"]["correct"] == 0
    unresolved = run(None)
    assert unresolved["pronoun sources"]["resolved_to_entity"] == 1
    assert unresolved["speaker resolution he/she (proxy antecedent)"]["n"] == 1
    assert unresolved["speaker resolution he/she (proxy antecedent)"]["correct"] == 0
    # not found: the predicted cue does not overlap the gold one
    missed = [attr(SPEECH, [she], [at(SPEECH, "fall")], [], entity="e1")]
    counts = speaker_resolution(missed, gold, **kwargs)
    assert (counts.pronouns, counts.found, counts.judged) == (2, 0, 0)


def test_speaker_resolution_window_and_not_judged() -> None:
    gold = _speech_gold()
    pred = [attr(SPEECH, [at(SPEECH, "She")], [at(SPEECH, "added")], [], entity="e1")]
    entities = {"d": {"e1": _entity("e1", "Maria Lopez")}}
    # the nearest earlier source is generic ("Officials"): not judged
    without_name = [g for g in gold if g.source != (at(SPEECH, "Maria Lopez"),)]
    counts = speaker_resolution(pred, without_name, texts={"d": SPEECH}, sentences={"d": SENTENCES},
                                entities=entities)
    assert (counts.person_found, counts.not_judged, counts.judged) == (1, 1, 0)
    # the name lies more than three sentences back: outside the window
    m = SENTENCES[1][0]
    far = (SENTENCES[0], SENTENCES[1], (m + 1, m + 2), (m + 2, m + 3), (m + 3, m + 4), SENTENCES[2], SENTENCES[3])
    counts = speaker_resolution(pred, gold, texts={"d": SPEECH}, sentences={"d": far}, entities=entities)
    assert counts.not_judged == 1


# --- whole documents ------------------------------------------------------------------------

def _record(text: str, attributions: list[dict[str, Any]], scored: tuple[tuple[int, int], ...] | None = None,
            rid: str = "r1") -> Record:
    raw: dict[str, Any] = {"id": rid, "corpus": "test", "text": text, "attributions": attributions}
    return Record(rid, "test", text, None, None, scored, raw)


EXPECTED_ROWS = {
    "cue exact", "cue overlap", "source exact", "source overlap", "content exact", "content overlap",
    "attribution exact", "attribution overlap", "pronoun sources", "speaker resolution he/she (proxy antecedent)",
    "counts",
}


def test_score_documents_rows_and_scored_ranges() -> None:
    rec = _record(TEXT, [gold_obj(TEXT, ["Officials"], ["said"], ["that the plan was sound"]),
                         gold_obj(TEXT, ["The union"], ["union said"], ["it would strike"])])
    # the second gold cue is "union said" on purpose: the predicted "said" misses it exactly
    claims = (claim(TEXT, at(TEXT, "Officials"), at(TEXT, "said"), [at(TEXT, "that the plan was sound")]),
              claim(TEXT, at(TEXT, "The union"), at(TEXT, "said", 1), [at(TEXT, "it would strike")]))
    analysis = Analysis(document=Document.from_text(TEXT), claims=claims)
    report = attribution.score_documents([(rec, analysis)])
    assert set(report.rows) == EXPECTED_ROWS
    assert report.rows["cue exact"]["tp"] == 1 and report.rows["cue overlap"]["pairs"] == 2
    assert report.rows["attribution exact"]["tp"] == 1 and report.rows["attribution overlap"]["tp"] == 2
    assert report.rows["counts"]["gold"] == 2 and report.rows["counts"]["predicted"] == 2
    assert report.notes
    # only the first sentence scored: both sides keep one attribution
    first = (0, TEXT.index(".") + 1)
    rec_scored = _record(TEXT, rec.raw["attributions"], scored=(first,))
    report = attribution.score_documents([(rec_scored, analysis)])
    assert report.rows["counts"]["gold"] == 1 and report.rows["counts"]["predicted"] == 1
    assert report.rows["attribution exact"]["f1"] == 100.0


def test_evaluate_needs_the_claims_stage(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a build without the stage, without reordering the real table (deleting and restoring a
    # key would move "claims" after "events")
    monkeypatch.setattr(attribution, "STAGES", {k: v for k, v in STAGES.items() if k != "claims"})
    from claimgraph.settings import Settings

    with pytest.raises(PipelineError, match="claims"):
        attribution.evaluate([tmp_path / "none.jsonl"], settings=Settings())


@pytest.mark.slow
def test_evaluate_smoke_on_three_polnear_dev_documents(tmp_path: Path) -> None:
    if not POLNEAR_DEV.is_file():
        pytest.skip(f"benchmark data not present: {POLNEAR_DEV}")
    if "claims" not in STAGES:
        pytest.skip("no 'claims' stage in this build")
    from claimgraph.settings import Settings

    with POLNEAR_DEV.open(encoding="utf-8") as fh:
        lines = [line for line in itertools.islice(fh, 3)]
    sample = tmp_path / "three.jsonl"
    sample.write_text("".join(lines), encoding="utf-8")
    report = attribution.evaluate([sample], settings=Settings())
    assert set(report.rows) == EXPECTED_ROWS
    assert report.rows["counts"]["documents"] == 3
    for name in EXPECTED_ROWS - {"pronoun sources", "speaker resolution he/she (proxy antecedent)", "counts"}:
        assert 0 <= report.rows[name]["p"] <= 100 and 0 <= report.rows[name]["f1"] <= 100


def test_antecedent_gender_and_descriptive_latest_speaker() -> None:
    text = "Mr. Smith said taxes would rise. Ms. Jones said they would not. She added that cuts were coming."
    sentences = (at(text, "Mr. Smith said taxes would rise."), at(text, "Ms. Jones said they would not."),
                 at(text, "She added that cuts were coming."))
    gold = [attr(text, [at(text, "Mr. Smith")], [at(text, "said")], [at(text, "taxes would rise")]),
            attr(text, [at(text, "Ms. Jones")], [at(text, "said", 1)], [at(text, "they would not")]),
            attr(text, [at(text, "She")], [at(text, "added")], [at(text, "that cuts were coming")])]
    assert antecedent(gold, text, gold[2], sentences) == at(text, "Ms. Jones")
    he = text.replace("She added", "He added")
    gold_he = [attr(he, g.source, g.cue, g.content) for g in gold]
    assert antecedent(gold_he, he, gold_he[2], sentences) == at(he, "Mr. Smith")  # gender skips Ms. Jones
    # the latest speaker is descriptive: no judgement, and no skipping back to an earlier name
    desc = "Maria Lopez said taxes would rise. The mayor said they would not. She added that cuts were coming."
    gold_desc = [attr(desc, [at(desc, "Maria Lopez")], [at(desc, "said")], []),
                 attr(desc, [at(desc, "The mayor")], [at(desc, "said", 1)], []),
                 attr(desc, [at(desc, "She")], [at(desc, "added")], [])]
    assert antecedent(gold_desc, desc, gold_desc[2], ()) is None
