"""The readable text report of one analysis (``claimgraph analyze --format text``)."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimgraph.coverage import shares
from claimgraph.model import Analysis, Claim, Event, Ref
from claimgraph.pipeline.names import name_key

_TYPE_ORDER = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "OTHER")


def _header(analysis: Analysis) -> Text:
    doc = analysis.document
    out = Text()
    out.append(doc.title or "(untitled)", style="bold")
    meta = [f"{k}: {v}" for k, v in (("published", doc.published), ("site", doc.site),
                                       ("author", doc.author), ("url", doc.url)) if v]
    if meta:
        out.append("\n" + " · ".join(meta), style="dim")
    out.append(f"\nid {doc.id} · {len(doc.text)} chars · {len(analysis.sentences)} sentences", style="dim")
    for note in doc.notes:
        out.append(f"\nnote: {note}", style="yellow")
    return out


def _entities(analysis: Analysis) -> Table:
    table = Table(title="Entities", show_lines=False, expand=True)
    table.add_column("type", style="cyan", no_wrap=True)
    table.add_column("name", style="bold")
    table.add_column("also called")
    table.add_column("mentions", justify="right")
    table.add_column("place")
    by_type = defaultdict(list)
    for ent in analysis.entities:
        by_type[ent.type].append(ent)
    for etype in sorted(by_type, key=lambda t: _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 99):
        for ent in sorted(by_type[etype], key=lambda e: -len(e.mentions)):
            geo = analysis.places.get(ent.id)
            place = f"{geo.country or '?'} {geo.lat:.2f},{geo.lon:.2f}" if geo else ""
            table.add_row(etype, ent.name, ", ".join(ent.aliases), str(len(ent.mentions)), place)
    return table


def _dates(analysis: Analysis) -> Table:
    table = Table(title="Dates", expand=True)
    table.add_column("expression")
    table.add_column("type", style="cyan")
    table.add_column("value", style="bold")
    for tx in analysis.timex:
        value = tx.value or (f"({tx.duration})" if tx.duration else "—")
        table.add_row(tx.span.text, tx.type, value)
    return table


def _claims(analysis: Analysis) -> Table:
    sh = shares(analysis)
    table = Table(title=f"Claims — outlet's own {sh.own:.0%}, attributed {sh.attributed:.0%} "
                        f"(anonymous {sh.anonymous:.0%}) of the text", expand=True)
    table.add_column("source", style="bold")
    table.add_column("type", style="cyan")
    table.add_column("cue")
    table.add_column("says")
    names = {e.id: e.name for e in analysis.entities}
    forms = {e.id: {name_key(n) for n in (e.name, *e.aliases)} for e in analysis.entities}
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in analysis.claims:
        src = claim.source
        if src is None:
            key = "(no source found)"
        elif src.entity and name_key(src.span.text) in forms.get(src.entity, ()):
            key = names[src.entity]  # the source is named: "Qureshi" is Hafiz Rahman Qureshi
        elif src.entity:
            key = f"{src.span.text} → {names.get(src.entity, src.entity)}"
        else:
            key = src.span.text
        by_source[key].append(claim)
    for source, claims in sorted(by_source.items(), key=lambda kv: -len(kv[1])):
        for n, claim in enumerate(claims):
            content = " … ".join(c.text for c in claim.content)
            table.add_row(source if n == 0 else "", claim.source.type if claim.source else "",
                          claim.cue.text if claim.cue else "", content[:160] + ("…" if len(content) > 160 else ""))
    return table


def _ref_name(analysis: Analysis, ref: Ref | None, names: dict[str, str]) -> str:
    if ref is None:
        return "?"
    return names.get(ref.entity, ref.span.text) if ref.entity else ref.span.text


def _events(analysis: Analysis) -> Table:
    """A timeline: dated events in date order (a year sorts before the days in it), then
    the undated ones in text order; who reports each, the outlet when no claim holds it."""
    table = Table(title="Events (timeline)", expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("type", style="cyan", no_wrap=True)
    table.add_column("who → whom")
    table.add_column("where")
    table.add_column("trigger")
    table.add_column("according to")
    names = {e.id: e.name for e in analysis.entities}
    claims = {c.id: c for c in analysis.claims}

    def order(event: Event) -> tuple[int, str, int]:
        value = event.when.value if event.when and event.when.value else None
        return (0 if value else 1, value or "", event.trigger.start)

    for event in sorted(analysis.events, key=order):
        date = event.when.value if event.when and event.when.value else "—"
        if event.when and event.when.span.text != event.trigger.text and event.when.value:
            date += f" ({event.when.span.text})"
        claim = claims.get(event.claim) if event.claim else None
        if claim is None:
            said = "the outlet"
        elif claim.source is None:
            said = "(unnamed)"
        else:
            said = names.get(claim.source.entity, claim.source.span.text) if claim.source.entity \
                else claim.source.span.text
        trigger = event.trigger.text + ("" if event.modality == "asserted" else f" [{event.modality}]")
        table.add_row(date, event.type, f"{_ref_name(analysis, event.actor, names)} → "
                                         f"{_ref_name(analysis, event.recipient, names)}",
                      _ref_name(analysis, event.where, names) if event.where else "", trigger, said)
    return table


def render(analysis: Analysis, console: Console) -> None:
    parts: list[Panel | Table | Text] = [_entities(analysis)]
    if analysis.timex:
        parts.append(_dates(analysis))
    if analysis.claims:
        parts.append(_claims(analysis))
    if analysis.events:
        parts.append(_events(analysis))
    console.print(Panel(Group(_header(analysis), *parts), expand=True))
