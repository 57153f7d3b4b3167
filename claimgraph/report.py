"""The readable report of one analysis (``claimgraph analyze --format text|markdown``).

The report is a list of :class:`~claimgraph.tables.Section` tables built once from the
analysis and drawn either for a terminal or pipe (Rich) or as Markdown, so both formats say
the same thing. Cells are never cut: a name or a place that does not fit wraps.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.text import Text

from claimgraph.coverage import shares
from claimgraph.model import Analysis, Claim, Event, Ref
from claimgraph.pipeline.names import name_key
from claimgraph.tables import Section, markdown_table, print_sections

_TYPE_ORDER = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "OTHER")


def header_lines(analysis: Analysis) -> list[str]:
    """Title, the document's metadata, its size, and any ingest notes."""
    doc = analysis.document
    lines = [doc.title or "(untitled)"]
    meta = [f"{k}: {v}" for k, v in (("published", doc.published), ("site", doc.site),
                                       ("author", doc.author), ("url", doc.url)) if v]
    if meta:
        lines.append(" · ".join(meta))
    lines.append(f"id {doc.id} · {len(doc.text)} chars · {len(analysis.sentences)} sentences")
    lines.extend(f"note: {note}" for note in doc.notes)
    return lines


def _entities(analysis: Analysis) -> Section:
    section = Section("Entities", ("type", "name", "also called", "mentions", "place"))
    by_type = defaultdict(list)
    for ent in analysis.entities:
        by_type[ent.type].append(ent)
    for etype in sorted(by_type, key=lambda t: _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 99):
        for ent in sorted(by_type[etype], key=lambda e: -len(e.mentions)):
            geo = analysis.places.get(ent.id)
            place = f"{geo.country or '?'} {geo.lat:.2f},{geo.lon:.2f}" if geo else ""
            section.add(etype, ent.name, ", ".join(ent.aliases), len(ent.mentions), place)
    return section


def _dates(analysis: Analysis) -> Section:
    section = Section("Dates", ("expression", "type", "value"))
    for tx in analysis.timex:
        section.add(tx.span.text, tx.type, tx.value or (f"({tx.duration})" if tx.duration else "—"))
    return section


def _source_label(analysis: Analysis, claim: Claim, names: dict[str, str], forms: dict[str, set[str]]) -> str:
    src = claim.source
    if src is None:
        return "(no source found)"
    if src.entity and name_key(src.span.text) in forms.get(src.entity, ()):
        return names[src.entity]  # the source is named: "Qureshi" is Hafiz Rahman Qureshi
    if src.entity:
        return f"{src.span.text} → {names.get(src.entity, src.entity)}"
    return src.span.text


def _claims(analysis: Analysis) -> Section:
    sh = shares(analysis)
    section = Section(f"Claims — outlet's own {sh.own:.0%}, attributed {sh.attributed:.0%} "
                      f"(anonymous {sh.anonymous:.0%}) of the text", ("source", "type", "cue", "says"))
    names = {e.id: e.name for e in analysis.entities}
    forms = {e.id: {name_key(n) for n in (e.name, *e.aliases)} for e in analysis.entities}
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in analysis.claims:
        by_source[_source_label(analysis, claim, names, forms)].append(claim)
    for source, claims in sorted(by_source.items(), key=lambda kv: -len(kv[1])):
        for n, claim in enumerate(claims):
            section.add(source if n == 0 else "", claim.source.type if claim.source else "",
                        claim.cue.text if claim.cue else "", " … ".join(c.text for c in claim.content))
    return section


def _ref_name(ref: Ref | None, names: dict[str, str]) -> str:
    if ref is None:
        return "?"
    return names.get(ref.entity, ref.span.text) if ref.entity else ref.span.text


def _events(analysis: Analysis) -> Section:
    """A timeline: dated events in date order (a year sorts before the days in it), then
    the undated ones in text order; who reports each, the outlet when no claim holds it."""
    section = Section("Events (timeline)", ("date", "type", "who → whom", "where", "trigger", "according to"))
    names = {e.id: e.name for e in analysis.entities}
    claims = {c.id: c for c in analysis.claims}

    def order(event: Event) -> tuple[int, str, int]:
        value = event.when.value if event.when and event.when.value else None
        return (0 if value else 1, value or "", event.trigger.start)

    for event in sorted(analysis.events, key=order):
        date = event.when.value if event.when and event.when.value else "—"
        if event.when and event.when.value and event.when.span.text not in (event.trigger.text, event.when.value):
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
        section.add(date, event.type, f"{_ref_name(event.actor, names)} → {_ref_name(event.recipient, names)}",
                    _ref_name(event.where, names) if event.where else "", trigger, said)
    return section


def _relations(analysis: Analysis) -> Section:
    section = Section("Relations", ("subject", "relation", "object", "evidence"))
    names = {e.id: e.name for e in analysis.entities}
    for rel in analysis.relations:
        section.add(names.get(rel.subject, rel.subject), rel.predicate.replace("_", " "),
                    names.get(rel.object, rel.object), rel.evidence.text)
    return section


def sections(analysis: Analysis) -> list[Section]:
    """The report's tables, in reading order; empty layers are left out."""
    parts = [_entities(analysis)]
    if analysis.timex:
        parts.append(_dates(analysis))
    if analysis.claims:
        parts.append(_claims(analysis))
    if analysis.events:
        parts.append(_events(analysis))
    if analysis.relations:
        parts.append(_relations(analysis))
    return parts


def render(analysis: Analysis, console: Console) -> None:
    """The report for a terminal (boxed tables) or a pipe (plain columns); nothing is cut."""
    head = header_lines(analysis)
    console.print(Text(head[0], style="bold"))
    for line in head[1:]:
        console.print(Text(line, style="yellow" if line.startswith("note:") else "dim"))
    console.print()
    print_sections(sections(analysis), console)


def render_markdown(analysis: Analysis) -> str:
    """The report as Markdown, for notes and tickets."""
    head = header_lines(analysis)
    out = [f"# {head[0]}", ""] + [f"{line}  " for line in head[1:]] + [""]
    return "\n".join(out) + "\n".join(markdown_table(s) for s in sections(analysis))
