"""The corpus report (``claimgraph report``): what ``make run`` prints after ingesting the
sample corpus — counts, the actors merged across articles, the claims several outlets carry
and on whose word, and the events several outlets report, as a timeline."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from claimgraph.corpus.queries import corpus_stats, corroboration, event_groups, merged_entities
from claimgraph.corpus.store import Store


def render_report(store: Store, console: Console) -> None:
    data = corpus_stats(store)
    console.print(f"[bold]Corpus[/bold]: {data['documents']} documents, {data['entities']} entities, "
                  f"{data['claims']} claims, {data['events']} events, {data['relations']} relations, "
                  f"{data['rejected']} inputs rejected")

    table = Table(title="Actors across articles (most documents first)", expand=True)
    for col in ("name", "type", "documents", "also called"):
        table.add_column(col)
    for e in merged_entities(store, 15):
        table.add_row(e["name"], e["type"], str(e["documents"]), ", ".join(e["aliases"])[:120])
    console.print(table)

    table = Table(title="Claims carried by several reports", expand=True)
    for col in ("first", "reports", "outlets", "source", "one source?", "claim"):
        table.add_column(col)
    for g in corroboration(store, 15):
        table.add_row(g["first"] or "", str(g["reports"]), ", ".join(g["outlets"]), g["source"] or "",
                      "yes" if g["one_source"] else "no", g["content"][:140])
    console.print(table)

    table = Table(title="Events several reports describe (timeline)", expand=True)
    for col in ("date", "type", "actor", "where", "reports", "outlets", "trigger"):
        table.add_column(col)
    for g in event_groups(store, 25):
        table.add_row(g["date"] or "", g["type"], g["actor"] or "", g["where"] or "", str(g["reports"]),
                      g["outlets"] or "", g["trigger"] or "")
    console.print(table)

    table = Table(title="Anonymous sourcing by outlet", expand=True)
    for col in ("outlet", "claims", "anonymous", "share"):
        table.add_column(col)
    for r in data["anonymous_by_site"]:
        table.add_row(r["site"], str(r["claims"]), str(r["anonymous"]), f"{r['share']:.0%}")
    console.print(table)
