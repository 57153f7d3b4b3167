"""The event evaluator: type classification, dyad linking, attachment, IPE sentence labels, the CLI.

Every text here is invented (PLV and IPE are research-use only and never copied into the
repository). The pure scorers run on hand-made inputs; the CLI runs once per corpus format on
tiny invented record files and skips while the events stage is not built; the benchmark smoke
run skips without ../shared/data.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.errors import DataFormatError
from claimgraph.evaluate import events
from claimgraph.evaluate.data import Record
from claimgraph.evaluate.events_scoring import (
    GoldEvent,
    SysEvent,
    attachment,
    classify,
    in_sentence,
    label_scores,
    links_pair,
    plover_type,
)
from claimgraph.evaluate.ipe_labels import Cue, load_lexicon, repair, sentence_labels, to_repaired
from claimgraph.model import Analysis, Document, Event, Ref, Span
from claimgraph.pipeline.events.mentions import Mention
from claimgraph.settings import Settings
from tests.conftest import shared_data

runner = CliRunner()


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def record(text: str, corpus: str, scored: tuple[tuple[int, int], ...] | None = None, **raw: Any) -> Record:
    return Record("r1", corpus, text, None, None, scored, {"text": text, **raw})


# --- type classification ----------------------------------------------------------------------

def test_yield_is_concede_and_names_are_normalised() -> None:
    assert plover_type("YIELD") == "CONCEDE"
    assert plover_type(" assault ") == "ASSAULT"
    result = classify(["YIELD", "YIELD"], ["CONCEDE", "yield"])
    assert result.accuracy == 1.0 and set(result.per_class) == {"CONCEDE"}


def test_macro_f1_counts_a_never_predicted_class_as_zero() -> None:
    gold = ["ACCUSE", "ACCUSE", "AID", "AID"]
    pred: list[str | None] = ["ACCUSE", "ACCUSE", "ACCUSE", None]  # AID never predicted
    result = classify(gold, pred)
    assert result.accuracy == 0.5
    assert result.abstained == 1
    accuse = result.per_class["ACCUSE"]
    assert (accuse.tp, accuse.fp, accuse.fn) == (2, 1, 0)
    aid = result.per_class["AID"]
    assert (aid.tp, aid.fp, aid.fn) == (0, 0, 2)  # the None is a miss, not a false positive anywhere
    assert result.macro_f1() == pytest.approx((0.8 + 0.0) / 2)


def test_a_class_only_predicted_counts_in_macro_f1_all_only() -> None:
    result = classify(["ACCUSE", "AID"], ["ACCUSE", "RETREAT"])
    assert result.gold_classes == {"ACCUSE", "AID"}
    assert result.macro_f1() == pytest.approx(0.5)
    assert result.macro_f1(include_predicted_only=True) == pytest.approx(1 / 3)
    rows = result.rows()
    assert rows["type summary"]["macro_f1"] == 50.0 and rows["type summary"]["macro_f1_all"] == 33.3
    assert list(rows)[1] in ("type ACCUSE", "type AID")  # gold classes before predicted-only ones


def test_classify_refuses_misaligned_inputs() -> None:
    with pytest.raises(ValueError, match="2 gold"):
        classify(["AID", "AID"], ["AID"])


# --- dyads and attachment ---------------------------------------------------------------------

def test_links_pair_checks_both_roles_and_skips_implicit_ones() -> None:
    ev = SysEvent(trigger=(10, 15), actor=(0, 5), recipient=(20, 30), type="ASSAULT")
    assert links_pair([ev], (2, 4), (25, 26))
    assert not links_pair([ev], (6, 9), (25, 26))  # actor misses
    assert links_pair([ev], None, (25, 26))  # implicit actor: not checked
    assert not links_pair([ev], None, None)  # nothing to link
    assert links_pair([ev], (0, 5), (20, 30), type="ASSAULT")
    assert not links_pair([ev], (0, 5), (20, 30), type="AID")
    no_recipient = SysEvent((10, 15), (0, 5), None, "ACCUSE")
    assert not links_pair([no_recipient], (0, 5), (20, 30))


def test_yield_in_links_pair_type_is_concede() -> None:
    ev = SysEvent((10, 15), (0, 5), (20, 30), "CONCEDE")
    assert links_pair([ev], (0, 5), (20, 30), type="YIELD")


def test_attachment_found_and_correct() -> None:
    gold = [GoldEvent((10, 15), {"Arg0": ((0, 5),), "Arg1": ((20, 30),)}),
            GoldEvent((40, 45), {"Arg0": ((35, 39),)}),
            GoldEvent((50, 55), {"Arg1": ((60, 65),)}),
            GoldEvent((70, 75), {})]
    system = [SysEvent((11, 14), (1, 3), (31, 33)),  # actor right, recipient wrong
              SysEvent((40, 45), None, (46, 48)),  # no actor: Arg0 not found
              SysEvent((52, 53), (47, 49), (60, 62))]
    a0 = attachment(gold, system, role="Arg0")
    assert (a0.gold, a0.found, a0.correct) == (2, 1, 1)
    a1 = attachment(gold, system, role="Arg1")
    assert (a1.gold, a1.found, a1.correct) == (2, 2, 1)
    assert a1.as_dict()["accuracy"] == 50.0 and a0.as_dict()["coverage"] == 50.0
    with pytest.raises(ValueError):
        attachment(gold, system, role="Arg2")


# --- sentences --------------------------------------------------------------------------------

def test_label_scores_and_sentence_lookup() -> None:
    gold = [frozenset({"ARREST", "ANY_ACTION"}), frozenset(), frozenset({"KILL"})]
    pred = [frozenset({"ARREST"}), frozenset({"ARREST"}), frozenset()]
    scores = label_scores(gold, pred, ("ARREST", "KILL", "ANY_ACTION"))
    assert (scores["ARREST"].tp, scores["ARREST"].fp, scores["ARREST"].fn) == (1, 1, 0)
    assert (scores["KILL"].tp, scores["KILL"].fn) == (0, 1)
    assert scores["ANY_ACTION"].fn == 1
    sentences = [(0, 10), (11, 20), (20, 30)]
    assert [in_sentence(x, sentences) for x in (0, 9, 10, 11, 20, 29, 30)] == [0, 0, None, 1, 2, 2, None]


def test_repair_fixes_mojibake_and_maps_offsets_back() -> None:
    raw = "the mayorâ€™s car.Â  â€œstop,â€\ufffd he said."
    text, origin = repair(raw)
    assert text == "the mayor's car.   \"stop,\" he said."
    start, end = at(raw, "he said.")
    assert text[to_repaired(origin, start):to_repaired(origin, end)] == "he said."
    assert to_repaired(origin, len(raw)) == len(text)


LEX = load_lexicon()


def labels(sentence: str, *cues: Cue) -> set[str]:
    return set(sentence_labels(sentence.lower(), cues, LEX))


def test_ipe_force_and_kill_need_the_police() -> None:
    s = "Two men died when the police opened fire on a crowd near the market."
    assert labels(s, Cue("die"), Cue("fire", "ASSAULT", "the police")) == {"KILL", "FORCE", "ANY_ACTION"}
    mob = "Two men died when a crowd attacked a bus near the market."
    assert labels(mob, Cue("die"), Cue("attack", "ASSAULT", "a crowd")) == set()
    gas = "Teargas shells were lobbed at the crowd outside the temple."
    assert labels(gas, Cue("teargas")) == {"FORCE", "ANY_ACTION"}


def test_ipe_a_killing_by_the_police_is_force_and_kill() -> None:
    s = "Policemen killed a man near the bridge."
    assert labels(s, Cue("kill", "ASSAULT", "policemen")) == {"KILL", "FORCE", "ANY_ACTION"}


def test_ipe_only_what_happened_counts_for_arrest_and_force() -> None:
    s = "Officials said anyone leaving home would be arrested."
    assert "ARREST" not in labels(s, Cue("arrest", "COERCE", modality="hypothetical"))
    assert "ARREST" not in labels(s, Cue("arrest", "COERCE", negated=True))


def test_ipe_a_curfew_is_a_state_action_anywhere() -> None:
    assert labels("A curfew was imposed on the old town.", Cue("curfew", "COERCE"), Cue("impose")) \
        == {"ANY_ACTION"}


def test_ipe_arrest_needs_no_police_and_phrases_count() -> None:
    assert labels("Forty workers were arrested on Tuesday.", Cue("arrest", "COERCE")) == {"ARREST", "ANY_ACTION"}
    assert "ARREST" in labels("Ten men were taken into custody overnight.", Cue("take"))
    assert labels("The workers held a rally on Tuesday.", Cue("hold")) == set()


def test_ipe_fail_needs_the_police_side() -> None:
    s = "Residents said the police did not intervene while shops burned."
    assert "FAIL" in labels(s, Cue("intervene", None, "the police", negated=True), Cue("burn"))
    assert "FAIL" in labels("Constables stood there as mute spectators.", Cue("stand", None, "constables"))
    assert "FAIL" not in labels("The shopkeeper did not open on Sunday.", Cue("open", None, "the shopkeeper",
                                                                          negated=True))


def test_ipe_any_action_from_police_actor_or_security_action() -> None:
    assert labels("The police met community leaders on Monday.", Cue("meet", "CONSULT", "the police")) \
        == {"ANY_ACTION"}
    assert labels("Paramilitary forces were deployed in the old city.", Cue("deploy")) == {"ANY_ACTION"}
    assert labels("Curfew was imposed after the clashes.", Cue("impose"), Cue("clash")) == set()  # no police side
    assert labels("The police station stood empty.") == set()  # no cue, no label


# --- scoring whole documents with stand-in stages ---------------------------------------------

PLV_TEXT = "The ministry accused the rebels of shelling the town."


def test_score_plv_with_a_stand_in_type_for_pair() -> None:
    text = PLV_TEXT
    actor, recipient = at(text, "The ministry"), at(text, "the rebels")
    pair = {"actor": {"start": actor[0], "end": actor[1]}, "recipient": {"start": recipient[0], "end": recipient[1]},
            "trigger": None, "type": "ACCUSE"}
    implicit = {**pair, "recipient": None, "type": "YIELD"}
    rec = record(text, "plv", pairs=[pair, implicit])
    ev = Event("e1", "ACCUSE", Span.of(text, *at(text, "accused")), Ref(None, Span.of(text, *actor)),
               Ref(None, Span.of(text, *recipient)), None, None, None)
    analysis = Analysis(document=Document.from_text(text), events=(ev,))
    asked: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def type_for_pair(a: Analysis, act: tuple[int, int], rcp: tuple[int, int]) -> str | None:
        asked.append((act, rcp))
        return "ACCUSE"

    report = events.score_plv([(rec, analysis)], type_for_pair)
    assert asked == [(actor, recipient)]  # the implicit pair gets no question
    assert report.rows["type summary"]["accuracy"] == 50.0
    assert report.rows["type summary"]["no_opinion"] == 1
    assert "type CONCEDE" in report.rows
    assert report.rows["end to end"]["linked"] == 2 and report.rows["end to end"]["typed"] == 1
    assert report.rows["counts"]["implicit_role"] == 1


def test_score_meantime_keeps_only_scored_ranges() -> None:
    text = "Acme bought Zed .\nDate line\nLater Acme sold Zed ."
    scored = (at(text, "Acme bought Zed ."),)
    gold_events = [{"start": s, "end": e, "text": text[s:e], "type": "OTHER", "instance": None, "args": args}
                   for (s, e), args in ((at(text, "bought"), [{"role": "Arg0", **span(text, "Acme")},
                                                               {"role": "Arg1", **span(text, "Zed")}]),
                                        (at(text, "sold"), []))]
    rec = record(text, "meantime", scored, events=gold_events)
    bought, sold, line = at(text, "bought"), at(text, "sold"), at(text, "line")
    mentions = [Mention(1, Span.of(text, *bought), "buy", False, None),
                Mention(9, Span.of(text, *sold), "sell", False, None),  # outside scored: ignored
                Mention(5, Span.of(text, *line), "line", True, None, reporting=True)]  # outside too
    ev = Event("e1", "COOPERATE", Span.of(text, *bought), Ref(None, Span.of(text, *at(text, "Acme"))),
               Ref(None, Span.of(text, *at(text, "."))), None, None, None)
    analysis = Analysis(document=Document.from_text(text), events=(ev,))
    report = events.score_meantime([(rec, analysis)], lambda a: mentions)
    assert report.rows["mentions overlap"]["tp"] == 1
    assert report.rows["mentions overlap"]["fp"] == 0 and report.rows["mentions overlap"]["fn"] == 0
    assert report.rows["attachment actor (Arg0)"]["correct"] == 1
    assert report.rows["attachment recipient (Arg1)"]["found"] == 1
    assert report.rows["attachment recipient (Arg1)"]["correct"] == 0
    assert report.rows["events in scored"] == {"events": 1, "on_gold": 1, "on_gold_pct": 100.0}


def span(text: str, sub: str) -> dict[str, Any]:
    s, e = at(text, sub)
    return {"start": s, "end": e, "text": sub}


def test_mixed_or_unknown_corpora_are_refused(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({"id": "1", "corpus": "plv", "text": "x", "pairs": []}) + "\n"
                 + json.dumps({"id": "2", "corpus": "meantime", "text": "y", "events": []}) + "\n")
    with pytest.raises(DataFormatError, match="mix"):
        events.evaluate([a], settings=Settings())
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"id": "1", "corpus": "polnear", "text": "x", "attributions": []}) + "\n")
    with pytest.raises(DataFormatError, match="polnear"):
        events.evaluate([b], settings=Settings())
    result = runner.invoke(app, ["evaluate", "events", "--data", str(b)])
    assert result.exit_code == 2 and "plv, meantime, ecbplus, indiapoliceevents" in result.output


# --- the CLI on invented files, one per format ------------------------------------------------

def _stage_ready() -> None:
    if "events" not in events.STAGES:
        pytest.skip("no 'events' stage in this build yet")
    from claimgraph.pipeline.events.mentions import find_mentions

    try:
        find_mentions(Analysis(document=Document.from_text("x")))
    except NotImplementedError:
        pytest.skip("pipeline.events.mentions.find_mentions is still a stub")
    except Exception:
        pass


def _invoke(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["evaluate", "events", "--data", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


@pytest.mark.slow
def test_cli_on_invented_plv_records(tmp_path: Path) -> None:
    _stage_ready()
    lines = []
    for i, (text, actor, recipient, label) in enumerate([
        (PLV_TEXT, "The ministry", "the rebels", "ACCUSE"),
        ("Troops shelled the village of Norvik on Friday.", "Troops", "the village of Norvik", "ASSAULT"),
        ("The union agreed to end its strike against the port authority.", "The union", "the port authority",
         "YIELD"),
    ]):
        pair = {"actor": span(text, actor), "recipient": span(text, recipient), "trigger": None, "type": label}
        lines.append(json.dumps({"id": f"t{i}", "corpus": "plv", "split": "test", "text": text, "pairs": [pair]}))
    path = tmp_path / "plv.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = _invoke(path)
    assert out["rows"]["type summary"]["n"] == 3
    assert {"type summary", "end to end", "counts"} <= set(out["rows"])


@pytest.mark.slow
def test_cli_on_invented_meantime_record(tmp_path: Path) -> None:
    _stage_ready()
    text = "Acme buys Zed\nMay 2 , 2011\nAcme announced on Monday that it bought Zed for $ 5 million ."
    scored = [list(at(text, "Acme buys Zed")), list(at(text, "Acme announced on Monday that it bought Zed"))]
    evs = [{**span(text, "buys"), "type": "OTHER", "instance": None,
            "args": [{"role": "Arg0", **span(text, "Acme")}, {"role": "Arg1", **span(text, "Zed")}]},
           {**span(text, "announced"), "type": "SPEECH_COGNITIVE", "instance": None, "args": []},
           {**span(text, "bought"), "type": "OTHER", "instance": None, "args": []}]
    rec = {"id": "m1", "corpus": "meantime", "split": "test", "text": text, "published": "2011-05-02", "url": None,
           "scored": scored, "entities": [], "timex": [], "events": evs, "attributions": []}
    path = tmp_path / "meantime.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    out = _invoke(path)
    assert out["rows"]["mentions overlap"]["tp"] + out["rows"]["mentions overlap"]["fn"] == 3
    assert "attachment actor (Arg0)" in out["rows"]


@pytest.mark.slow
def test_cli_on_invented_ipe_record(tmp_path: Path) -> None:
    _stage_ready()
    sentences = ["Police arrested twelve men in Ranpur on Sunday.",
                 "The shopkeepersâ€™ association held a meeting.",
                 "Two people died when police opened fire on a mob."]
    text = "This story is from March 3, 2002\n\n" + " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append({"start": start if spans else 0, "end": start + len(s), "labels": []})
        pos = start + len(s)
    spans[0]["labels"] = ["ARREST", "ANY_ACTION"]
    spans[2]["labels"] = ["KILL", "FORCE", "ANY_ACTION"]
    rec = {"id": "i1", "corpus": "indiapoliceevents", "split": "test", "text": text, "published": "2002-03-03",
           "url": None, "sentences": spans}
    path = tmp_path / "ipe.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    out = _invoke(path)
    assert out["rows"]["counts"]["sentences"] == 3
    assert out["rows"]["ARREST"]["tp"] + out["rows"]["ARREST"]["fn"] == 1


@pytest.mark.slow
def test_evaluate_smoke_on_five_plv_records(tmp_path: Path) -> None:
    _stage_ready()
    source = shared_data("events/plv/train.jsonl")
    with source.open(encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, 5))
    sample = tmp_path / "five.jsonl"
    sample.write_text("".join(lines), encoding="utf-8")
    report = events.evaluate([sample], settings=Settings())
    assert report.rows["counts"]["sentences"] == 5
    assert 0 <= report.rows["type summary"]["accuracy"] <= 100
