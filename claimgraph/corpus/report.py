"""The corpus report (``claimgraph report``): what ``make run`` prints after ingesting the
sample corpus — counts, the actors merged across articles, the claims several outlets carry
and on whose word, and the events several outlets report, as a timeline."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from claimgraph.corpus.queries import corpus_stats, corroboration, event_groups, merged_entities
from claimgraph.corpus.store import Store
from claimgraph.tables import Section, print_sections


def report_sections(store: Store) -> tuple[str, list[Section]]:
    """The report's headline and its tables."""
    data = corpus_stats(store)
    head = (f"Corpus: {data['documents']} documents, {data['entities']} entities, {data['claims']} claims, "
            f"{data['events']} events, {data['relations']} relations, {data['rejected']} inputs rejected")
    actors = Section("Actors across articles (most documents first)", ("name", "type", "documents", "also called"))
    for e in merged_entities(store, 15):
        actors.add(e["name"], e["type"], e["documents"], ", ".join(e["aliases"]))
    claims = Section("Claims carried by several reports", ("first", "reports", "outlets", "source", "one source?",
                                                           "claim"))
    for g in corroboration(store, 15):
        claims.add(g["first"] or "", g["reports"], ", ".join(g["outlets"]), g["source"] or "",
                   "yes" if g["one_source"] else "no", g["content"])
    events = Section("Events several reports describe (timeline)", ("date", "type", "actor", "where", "reports",
                                                                     "outlets", "trigger"))
    for g in event_groups(store, 25):
        events.add(g["date"] or "", g["type"], g["actor"] or "", g["where"] or "", g["reports"], g["outlets"] or "",
                   g["trigger"] or "")
    anonymous = Section("Anonymous sourcing by outlet", ("outlet", "claims", "anonymous", "share"))
    for r in data["anonymous_by_site"]:
        anonymous.add(r["site"], r["claims"], r["anonymous"], f"{r['share']:.0%}")
    return head, [actors, claims, events, anonymous]


def render_report(store: Store, console: Console) -> None:
    head, sections = report_sections(store)
    console.print(Text(head, style="bold"))
    console.print()
    print_sections(sections, console)
