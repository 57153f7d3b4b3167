"""Questions and exports over a real store built from invented articles by three outlets:
actors merged across documents, the same claim grouped, single-source claims, events,
timelines, profiles, user merges/splits/undo, and every export format — on SQLite and on
PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import text

from claimgraph.corpus.export import EXPORTERS
from claimgraph.corpus.ingest import Ingest
from claimgraph.corpus.link import Linker
from claimgraph.corpus.profile import entity_profile, members_of
from claimgraph.corpus.queries import claims, corpus_stats, events, find_entities, search, timeline
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings
from tests.conftest import BACKENDS, open_backend

ARTICLES = {
    "ledger.jsonl": [
        {"site": "Frontier Ledger", "published": "2025-03-10", "url": "https://ledger.example/1",
         "title": "Militants kill four police officers in Bannu",
         "text": "Militants kill four police officers in Bannu\n\n"
                 "BANNU, March 10, 2025 — Militants attacked a police station in Bannu on Sunday night, killing "
                 "four officers, police said.\n\n"
                 "Security sources said the attack was carried out by Harakat al-Nasr al-Islami (HNI), a group led "
                 "by Muhammad Idris Ghazanfar. The group has not commented.\n\n"
                 "The provincial police chief, Rafiq Anwar, said the station had been attacked twice before."},
        {"site": "Frontier Ledger", "published": "2025-04-02", "url": "https://ledger.example/2",
         "title": "UN panel lists HNI commander",
         "text": "UN panel lists HNI commander\n\n"
                 "NEW YORK, April 2, 2025 — The UN Security Council designated Muhammad Idris Ghazanfar, the "
                 "commander of Harakat al-Nasr al-Islami, as a terrorist on Wednesday.\n\n"
                 "Ghazanfar denied the charges in a video released by the group."},
    ],
}
VALLEY = ("Police station attack in Bannu leaves four dead\n\n"
          "BANNU, March 11, 2025 — Gunmen attacked a police station in Bannu on Sunday night, killing four "
          "officers.\n\n"
          "Security sources said the attack was carried out by Harakat al-Nasr al-Islami (HNI). "
          "Ghazanfar's group later claimed it had killed six policemen.\n\n"
          "Residents said the firing lasted an hour.\n")
TRIBUNE = ("Army vows to hunt down Ghazanfar\n\n"
           "PESHAWAR, March 12, 2025 — The army said on Tuesday it would hunt down Idris Ghazanfar, whose "
           "fighters attacked a police station in Bannu this week.\n\n"
           "Intelligence officials said HNI had received weapons from across the border.\n")


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "ledger.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES["ledger.jsonl"]) + "\n",
                                         encoding="utf-8")
    (folder / "valley.txt").write_text(VALLEY, encoding="utf-8")
    (folder / "tribune.txt").write_text(TRIBUNE, encoding="utf-8")
    st = Store.open(open_backend(request, request.param, folder))
    summary = Ingest(st, Settings(), workers=1).run([str(folder)])
    assert summary.ingested == 4 and not summary.rejected
    return st


def test_one_corpus_entity_for_every_name_of_the_group_and_its_leader(store: Store) -> None:
    group = find_entities(store, "HNI")
    assert group and group[0]["name"] == "Harakat al-Nasr al-Islami" and group[0]["documents"] == 4
    leader = find_entities(store, "Ghazanfar")
    assert leader and leader[0]["name"] == "Muhammad Idris Ghazanfar"
    assert leader[0]["documents"] >= 3
    assert find_entities(store, "Idris Ghazanfar")[0]["id"] == leader[0]["id"]


def test_every_link_has_a_reason_and_a_score(store: Store) -> None:
    leader = find_entities(store, "Ghazanfar")[0]
    members = members_of(store, leader["id"])
    assert len(members) >= 3
    assert all(m["reason"] and m["score"] is not None for m in members)


def test_the_same_claim_from_two_outlets_is_one_group(store: Store) -> None:
    rows = claims(store, about="Harakat al-Nasr al-Islami")
    grouped = [r for r in rows if "carried out by Harakat" in r["content"]]
    assert len(grouped) >= 2
    assert len({r["group_id"] for r in grouped}) == 1
    assert set(grouped[0]["outlets"]) >= {"Frontier Ledger"} and len(grouped[0]["outlets"]) == 2
    assert grouped[0]["one_source"]  # every report rests on anonymous "security sources"


def test_single_source_and_source_type_filters(store: Store) -> None:
    anonymous = claims(store, source_type="anonymous")
    assert anonymous and all(r["source_type"] == "anonymous" for r in anonymous)
    single = claims(store, single_source=True)
    assert any("received weapons" in r["content"] for r in single)


def test_events_filters_and_timeline(store: Store) -> None:
    assaults = events(store, type="ASSAULT", place="Bannu")
    assert assaults and all(e["type"] == "ASSAULT" for e in assaults)
    dated = [e for e in events(store, since="2025-03", until="2025-03") if e["when_value"]]
    assert dated and all(e["when_value"].startswith("2025-03") for e in dated)
    line = timeline(store, "Ghazanfar")
    assert any(e["type"] == "SANCTION" for e in line)
    values = [e["when_value"] for e in line if e["when_value"]]
    assert values == sorted(values)


def test_search_finds_documents_and_claims(store: Store) -> None:
    hits = search(store, "police station")
    assert any(h["kind"] == "document" for h in hits)
    assert any(h["kind"] == "claim" for h in search(store, "weapons border"))
    assert search(store, 'designated AND "Security Council"')


def test_profile(store: Store) -> None:
    profile = entity_profile(store, "HNI")
    assert profile is not None and profile["name"] == "Harakat al-Nasr al-Islami"
    assert "HNI" in profile["aliases"]
    assert any(c["name"] == "Bannu" for c in profile["cooccurring"])
    assert any(r["predicate"] == "leader_of" and r["subject"] == "Muhammad Idris Ghazanfar"
               for r in profile["relations"])
    assert profile["claims_about"]
    assert entity_profile(store, "nobody at all") is None


def test_stats(store: Store) -> None:
    data = corpus_stats(store)
    assert data["documents"] == 4 and data["entities"] > 5
    assert data["claims_by_source_type"].get("anonymous", 0) >= 2
    assert {r["site"] for r in data["anonymous_by_site"]} >= {"Frontier Ledger"}


def test_merge_split_and_undo_are_recorded_and_reversible(store: Store, tmp_path: Path) -> None:
    police = find_entities(store, "Rafiq Anwar")[0]["id"]
    bannu = find_entities(store, "Bannu")[0]["id"]
    linker = Linker(store)
    index = linker.merge(bannu, police, reason="test: wrong on purpose")
    assert find_entities(store, "Rafiq Anwar")[0]["id"] == bannu
    linker.undo(index)
    assert find_entities(store, "Rafiq Anwar")[0]["id"] == police
    # a fresh linker (another process) sees the same state and can split
    members = [m["member"] for m in members_of(store, bannu)]
    new_id = Linker(store).split(bannu, members[:1])
    assert [m["member"] for m in members_of(store, new_id)] == members[:1]
    with store.engine.connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT action FROM merges WHERE by = 'user' ORDER BY id"))]
        undone = conn.execute(text("SELECT count(*) FROM merges WHERE undone = 1")).scalar_one()
    assert actions == ["merge", "undo", "split"] and undone == 1


def test_exports(store: Store, tmp_path: Path) -> None:
    EXPORTERS["jsonl"](store, tmp_path / "a.jsonl")
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(x)["schema"] == "claimgraph.document/1" for x in lines)
    EXPORTERS["csv"](store, tmp_path / "csv")
    with (tmp_path / "csv" / "claims.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) >= 5
    EXPORTERS["gexf"](store, tmp_path / "g.gexf")
    graph = nx.read_gexf(tmp_path / "g.gexf")
    assert any(d.get("label") == "Harakat al-Nasr al-Islami" for _, d in graph.nodes(data=True))
    EXPORTERS["graphml"](store, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == graph.number_of_nodes()
    EXPORTERS["ftm"](store, tmp_path / "f.ftm")
    schemata = {json.loads(x)["schema"] for x in (tmp_path / "f.ftm").read_text(encoding="utf-8").splitlines()}
    assert {"Person", "Organization", "Article", "Mention", "Event"} <= schemata
    EXPORTERS["geojson"](store, tmp_path / "e.geojson")
    geo = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Point" for f in geo["features"])


def test_python_api(tmp_path: Path) -> None:
    import claimgraph

    (tmp_path / "a.txt").write_text(VALLEY, encoding="utf-8")
    with claimgraph.open_store(tmp_path / "api.db") as corpus:
        summary = corpus.ingest([str(tmp_path / "a.txt")], workers=1)
        assert summary.ingested == 1
        assert corpus.stats()["documents"] == 1
        profile = corpus.entity("HNI")
        assert profile is not None and profile["name"] == "Harakat al-Nasr al-Islami"
        assert corpus.search("firing lasted")
        assert corpus.claims(source_type="anonymous")


def test_cli_corpus_commands(store: Store) -> None:
    from typer.testing import CliRunner

    from claimgraph.cli import app

    db = str(store.engine.url.database) if store.sqlite else store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    report = runner.invoke(app, ["report", "--db", db])
    assert report.exit_code == 0 and "Harakat al-Nasr al-Islami" in report.output
    found = runner.invoke(app, ["claims", "--db", db, "--source-type", "anonymous", "--json"])
    assert found.exit_code == 0
    rows = [json.loads(line) for line in found.output.splitlines() if line.startswith("{")]
    assert rows and all(r["source_type"] == "anonymous" for r in rows)
    assert runner.invoke(app, ["entity", "HNI", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["entity", "Nobody Whatsoever", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["entities", "merge", "ce-nope", "ce-none", "--db", db]).exit_code == 2
    if store.sqlite:
        assert runner.invoke(app, ["stats", "--db", str(Path(db).parent / "missing.db")]).exit_code == 2
    else:  # a database that does not exist, on the same server
        assert runner.invoke(app, ["stats", "--db", db.rsplit("/", 1)[0] + "/missing"]).exit_code == 2
    stats = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert stats.exit_code == 0, stats.output
