"""Exports that carry the workspace's edges (#16): the GEXF and GraphML hold typed, dated event
edges and claim edges besides co-mentions and relations, and open in networkx; FtM events name
their parties, place and source; the event table loads in pandas (or the csv module) with the
documented columns and dtypes."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from claimgraph.corpus.export import EXPORTERS
from claimgraph.corpus.export_events import COLUMNS, PANDAS_DTYPES
from claimgraph.corpus.store import Store


@pytest.fixture(scope="module")
def store(sample_corpus_db: Path) -> Store:
    return Store.open(sample_corpus_db, create=False)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_exports_open_in_networkx_with_typed_event_edges(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"corpus.{fmt}"
    EXPORTERS[fmt](store, out)
    graph = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    kinds = Counter(d["kind"] for _, _, d in graph.edges(data=True))
    assert kinds["event"] > 0 and kinds["claim"] > 0 and kinds["co-mention"] > 0
    events = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "event"]
    assert all(d["event_type"] and d["label"] == d["event_type"] and d["directed"] == "true" for *_, d in events)
    assert any(d["date"] for *_, d in events) and all(d["document"] and d["site"] for *_, d in events)
    assert all(graph.nodes[u].get("type") and graph.nodes[v].get("type") for u, v, _ in events)
    comentions = [(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == "co-mention"]
    assert all(d["directed"] == "false" for _, _, d in graph.edges(data=True) if d["kind"] == "co-mention")
    assert len(comentions) == len({frozenset(p) for p in comentions})  # one edge per pair
    claims = [d for *_, d in graph.edges(data=True) if d["kind"] == "claim"]
    assert all(d["source"] and d["evidence"] for d in claims)


def test_ftm_events_name_parties_place_and_source(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "corpus.ftm.jsonl"
    EXPORTERS["ftm"](store, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = {r["id"] for r in rows}
    events = [r for r in rows if r["id"].startswith("cg-event-")]
    assert events and all(r["schema"] == "Event" for r in events)
    involved = [r for r in events if len(r["properties"].get("involved", [])) == 2]
    assert involved and all(set(r["properties"]["involved"]) <= ids for r in involved)
    assert any("addressEntity" in r["properties"] and r["properties"].get("date") for r in events)
    assert any("on the word of" in r["properties"]["description"][0] for r in events)


def test_event_table_has_the_documented_columns_and_dtypes(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    EXPORTERS["events-table"](store, out)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == store.count("events")
    placed = [r for r in rows if r["lat"]]
    assert placed and all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in placed)
    assert {r["precision"] for r in placed} <= {"point", "area", "country", "region", "continent", ""}
    assert all(r["sentence"] and r["outlet"] and r["type"] for r in rows)
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(out, dtype=PANDAS_DTYPES, keep_default_na=False, na_values=[""])
    assert list(frame.columns) == list(COLUMNS) and len(frame) == len(rows)
    assert str(frame["lat"].dtype) == "float64" and str(frame["lon"].dtype) == "float64"
    assert str(frame["date"].dtype) == "string" and frame["type"].notna().all()


#: The FtM 4 properties each schema the export writes may carry (checked against followthemoney
#: 4.11.2's model; the library itself is too heavy to be a test dependency).
FTM_PROPERTIES = {
    "Note": {"name", "summary", "description", "entity", "proof", "namesMentioned", "publisher", "sourceUrl",
             "createdAt"},
    "Article": {"title", "sourceUrl", "publishedAt", "publisher"},
}


def test_ftm_claims_are_notes_with_their_source(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "corpus.ftm.jsonl"
    EXPORTERS["ftm"](store, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = {r["id"] for r in rows}
    notes = [r for r in rows if r["schema"] == "Note"]
    assert len(notes) == store.count("claims")
    for schema, allowed in FTM_PROPERTIES.items():
        assert all(set(r["properties"]) <= allowed for r in rows if r["schema"] == schema), schema
    # every reference resolves inside the export: the note's entity and its proof
    assert all(set(r["properties"]["entity"] + r["properties"]["proof"]) <= ids for r in notes)
    by_entity = [r for r in notes if not r["properties"]["entity"][0].startswith("cg-doc-")]
    assert by_entity, "claims whose source is a linked entity are attached to that entity"
    sources = {r["id"]: r for r in rows}
    person_notes = [r for r in by_entity if sources[r["properties"]["entity"][0]]["schema"] == "Person"]
    assert person_notes and all(r["properties"]["description"][0] for r in person_notes)
    anonymous = [r for r in notes if "(anonymous)" in r["properties"]["summary"][0]]
    assert anonymous  # the source's kind stays in the summary: an unnamed source is marked as such
    assert any(r["properties"].get("namesMentioned") for r in notes)
