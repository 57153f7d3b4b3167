"""The disagreements view (#16): casualty counts read from wording, incidents gathered across
outlets, and the sample corpus's conflicting tolls with both sources — in the query, the API,
the page and the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimgraph.cli import app as cli_app
from claimgraph.corpus.casualties import counts_in, stored_counts, tally
from claimgraph.corpus.disagreements import disagreements, incidents
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app


@pytest.mark.parametrize(("text", "expected"), [
    ("He said three policemen had been killed and two wounded", {"killed": 3, "injured": 2}),
    ("its fighters had killed 11 policemen", {"killed": 11}),
    ("Five policemen and a shopkeeper were killed in Tuesday night's attack", {"killed": 6}),
    ("at least 12 dead", {"killed": 12}),
    ("The ISPR said four soldiers and six attackers had died", {"killed": 10}),
    ("the group said it had killed more than 30 soldiers", {"killed": 30}),
    ("In March 2023, two policemen were killed at a checkpoint", {"killed": 2}),
    ("Three civilians, including a 14-year-old boy, were killed", {"killed": 3}),
    ("The March 27 strike killed the leader's brother", {}),
    ("Police arrested 14 suspects after 3 workers were abducted", {"arrested": 14, "abducted": 3}),
    ("more than 1,200 people died", {"killed": 1200}),
    ("A younger brother was killed", {}),
    ("The talks resumed on Monday", {}),
])
def test_casualty_counts_from_wording(text: str, expected: dict[str, int]) -> None:
    assert tally(counts_in(text)) == expected


def test_count_keeps_qualifier_and_what() -> None:
    found = counts_in("the group said it had killed more than 30 soldiers")
    assert [str(c) for c in found] == ["more than 30 soldiers"]


def test_stored_counts_read_defensively() -> None:
    assert stored_counts({"counts": {"killed": 4, "injured": 2.0}}) == {"killed": 4, "injured": 2}
    assert stored_counts({"counts": [{"kind": "Killed", "number": 3}]}) == {"killed": 3}
    assert stored_counts({"counts": {"killed": "many", "bogus": 3, "arrested": -1, "injured": True}}) == {}
    assert stored_counts({}) == {} and stored_counts({"counts": "3 dead"}) == {}


def test_incidents_join_reports_a_day_apart_on_the_same_target() -> None:
    rows = [{"doc_id": "a", "type": "ASSAULT", "when_value": "2025-01-14", "recipient_text": "the Jani Khel police "
             "station", "group_id": None, "start": 0, "trigger": "attacked"},
            {"doc_id": "b", "type": "ASSAULT", "when_value": "2025-01-15TNI", "recipient_text": "a police station",
             "group_id": None, "start": 0, "trigger": "attack"},
            {"doc_id": "c", "type": "ASSAULT", "when_value": "2025-01-20", "recipient_text": "a police station",
             "group_id": None, "start": 0, "trigger": "attack"},
            {"doc_id": "d", "type": "PROTEST", "when_value": "2025-01-14", "recipient_text": "the police station",
             "group_id": None, "start": 0, "trigger": "protest"}]
    assert incidents(rows) == [[0, 1]]


@pytest.fixture(scope="module")
def store(sample_corpus_db: Path) -> Iterator[Store]:
    s = Store.open(sample_corpus_db, create=False)
    yield s
    s.close()


def jani_khel(groups: list[dict]) -> dict:  # type: ignore[type-arg]
    found = [g for g in groups if g["kind"] == "event" and g["date"] == "2025-01-14"
             and any("police station" in v["wording"] for v in g["versions"])]
    assert found, [g["what"] for g in groups]
    return found[0]


def test_sample_corpus_lists_the_conflicting_jani_khel_tolls_with_their_sources(store: Store) -> None:
    groups, total = disagreements(store, kind="event", limit=100)
    assert total == len(groups) > 0
    g = jani_khel(groups)
    assert g["numbers_differ"] and g["sources_differ"]
    killed = {t["number"]: t["by"] for t in g["tolls"]["killed"]}
    assert {3, 11} <= set(killed), killed  # the police's figure and the militants' claim
    police = {(b["site"], (b["source"] or "").lower()) for b in killed[3]}
    assert any("police" in source for _, source in police)
    militants = {b["site"] for b in killed[11]}
    assert militants and all(b["source"] for b in killed[11])
    assert len({b["site"] for n in killed for b in killed[n]}) >= 2  # more than one outlet
    flagged = [x["numbers_differ"] for x in groups]
    assert flagged == sorted(flagged, reverse=True)  # differing numbers first


def test_disagreements_api_page_and_cli(store: Store, sample_corpus_db: Path) -> None:
    client = TestClient(create_app(store))
    page = client.get("/api/disagreements", params={"kind": "event", "limit": 50}).json()
    assert page["total"] >= len(page["items"]) > 0
    assert jani_khel(page["items"])["numbers_differ"]
    assert client.get("/api/disagreements", params={"kind": "rumour"}).status_code == 422
    html = client.get("/disagreements", params={"kind": "event"}).text
    assert "numbers differ" in html and re.search(r"<strong>11</strong> — <a href=\"/document/\w+#(event|claim)-", html)
    threes = re.findall(r'<li class="toll"><strong>3</strong>(.*?)</li>', html)
    assert any("police" in t.lower() for t in threes)
    assert 'href="/disagreements"' in client.get("/").text
    result = CliRunner().invoke(cli_app, ["disagreements", "--db", str(sample_corpus_db), "--kind", "event",
                                          "--limit", "50", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert jani_khel(lines)["numbers_differ"]
    table = CliRunner().invoke(cli_app, ["disagreements", "--db", str(sample_corpus_db), "--limit", "3"])
    assert table.exit_code == 0 and "Disagreements" in table.output and "groups shown" in table.output
    bad = CliRunner().invoke(cli_app, ["disagreements", "--db", str(sample_corpus_db), "--kind", "x"])
    assert bad.exit_code == 2


def test_disagreements_on_each_backend(sample_corpus: str) -> None:
    """The same view from SQLite and PostgreSQL (their orderings of undated rows differ)."""
    opened = Store.open(sample_corpus, create=False)
    try:
        groups, total = disagreements(opened, kind="event", limit=100)
        assert total == len(groups) and jani_khel(groups)["numbers_differ"]
        claims, claim_total = disagreements(opened, kind="claim", limit=5)
        assert claim_total >= len(claims) > 0
    finally:
        opened.close()
