"""An article's text as HTML with its layers marked: entities, claims (source, cue, content),
event triggers, and the outlet's own unattributed sentences.

Why it is built here, in Python, and not in a template: article text is hostile input (a page
may quote ``<script>`` or carry an ``onerror=``), so every piece of text goes through
:func:`markupsafe.escape` and only the tags this module writes are markup. The layers overlap
freely (a claim's content holds entity mentions and event triggers; two claims may share
words), so the text is cut at every span boundary and, between two boundaries, the active
spans are opened in one fixed order (sentence, claim content, claim source and cue, entity,
event). A span that crosses another is closed and reopened as a continuation piece, so the
HTML always nests; only the first piece of a span is focusable and carries its anchor id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

#: nesting order of the layers, outermost first
RANK = {"own": 0, "content": 1, "source": 2, "cue": 2, "entity": 3, "event": 4}


@dataclass(frozen=True, slots=True)
class Ann:
    """One span of one layer and how to draw it."""

    start: int
    end: int
    layer: str
    key: str  # unique per annotation: orders ties and tells pieces of one span apart
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None  # id given to the first piece
    focusable: bool = False

    def order(self) -> tuple[int, int, int, str]:
        return (RANK[self.layer], self.start, -self.end, self.key)

    def open(self, first: bool) -> str:
        classes = next((v for k, v in self.attrs if k == "class"), "")
        parts = [self.tag]
        for name, value in self.attrs:
            if name == "class":
                value = classes + ("" if first else " cont")
            elif name == "href" and not first:
                continue  # a continuation piece is not a second link
            parts.append(f'{name}="{escape(value)}"')
        if first and self.anchor:
            parts.append(f'id="{escape(self.anchor)}"')
        if first and self.focusable:
            parts.append('tabindex="0"')
        tag = "span" if (self.tag == "a" and not first) else self.tag
        parts[0] = tag
        return "<" + " ".join(parts) + ">"

    def close(self, first: bool) -> str:
        return f"</{'span' if (self.tag == 'a' and not first) else self.tag}>"


@dataclass(slots=True)
class Highlighted:
    """The marked-up text and the facts the details panel shows for each marked span."""

    html: Markup
    details: dict[str, dict[str, Any]] = field(default_factory=dict)


def render(text: str, anns: Iterable[Ann]) -> Markup:
    """Escape ``text`` and wrap each annotation's characters in its tag, properly nested."""
    spans = [a for a in anns if 0 <= a.start < a.end <= len(text)]
    bounds = sorted({0, len(text)} | {a.start for a in spans} | {a.end for a in spans})
    starting: dict[int, list[Ann]] = {}
    for a in spans:
        starting.setdefault(a.start, []).append(a)
    out: list[str] = []
    stack: list[tuple[Ann, bool]] = []  # open annotations and whether the open piece is the first
    active: list[Ann] = []  # the spans covering the current piece: a sweep, not a scan of all spans per piece
    for lo, hi in pairwise(bounds):
        active = [a for a in active if a.end > lo] + starting.get(lo, [])
        want = sorted(active, key=Ann.order)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep][0] is want[keep]:
            keep += 1
        for ann, first in reversed(stack[keep:]):
            out.append(ann.close(first))
        del stack[keep:]
        for ann in want[keep:]:
            first = ann.start == lo
            out.append(ann.open(first))
            stack.append((ann, first))
        out.append(str(escape(text[lo:hi])))
    for ann, first in reversed(stack):
        out.append(ann.close(first))
    return Markup("".join(out))


def _source_label(claim: Mapping[str, Any]) -> tuple[str, str]:
    src = claim.get("source")
    if not src:
        return ("(no source found)", "none")
    return (str(src["span"]["text"]), str(src.get("type") or "other"))


def _ref_text(ref: Mapping[str, Any] | None) -> str:
    return str(ref["span"]["text"]) if ref else ""


def layers(obj: Mapping[str, Any], links: Mapping[str, str | None]) -> tuple[list[Ann], dict[str, dict[str, Any]]]:
    """The annotations of a contract object (``links``: local entity id -> corpus entity id)
    and, per claim and event, the facts the details panel shows."""
    anns: list[Ann] = []
    details: dict[str, dict[str, Any]] = {}
    for sent_no, sent in enumerate(obj.get("sentences") or []):
        if not sent.get("claims") and sent["text"].strip():
            anns.append(Ann(sent["start"], sent["end"], "own", f"s{sent_no}", "span",
                            (("class", "own"), ("title", "The outlet's own assertion: no source is given"))))
    for claim in obj.get("claims", []):
        cid = claim["id"]
        source, source_type = _source_label(claim)
        cue = claim["cue"]["text"] if claim.get("cue") else ""
        title = f"Claim ({claim['kind']}) · source: {source} ({source_type})" + (f" · cue: {cue}" if cue else "")
        details[cid] = {"kind": "claim", "claim_kind": claim["kind"], "source": source, "source_type": source_type,
                        "cue": cue, "content": " … ".join(p["text"] for p in claim["content"])}
        for n, part in enumerate(claim["content"]):
            anns.append(Ann(part["start"], part["end"], "content", f"{cid}.{n}", "mark",
                            (("class", f"claim st-{source_type}"), ("data-claim", cid),
                             ("data-source", source), ("data-source-type", source_type), ("title", title)),
                            anchor=f"claim-{cid}" if n == 0 else None, focusable=n == 0))
        if claim.get("source"):
            span = claim["source"]["span"]
            anns.append(Ann(span["start"], span["end"], "source", f"{cid}.src", "span",
                            (("class", f"claim-source st-{source_type}"), ("data-claim", cid),
                             ("title", f"Source of a claim: {source} ({source_type})"))))
        if claim.get("cue"):
            span = claim["cue"]
            anns.append(Ann(span["start"], span["end"], "cue", f"{cid}.cue", "span",
                            (("class", "claim-cue"), ("data-claim", cid), ("title", f"Cue: {cue}"))))
    # two entities' mentions may overlap ("Peshawar" inside "Peshawar Press Club"): a link
    # cannot hold a link, so the longer mention is drawn and the one inside it is not
    mentions = sorted(((m["start"], m["end"], n, ent) for ent in obj.get("entities", [])
                       for n, m in enumerate(ent.get("mentions", []))), key=lambda t: (t[0], t[0] - t[1]))
    last_end = -1
    for start, end, n, ent in mentions:
        if start < last_end:
            continue
        last_end = end
        corpus_id = links.get(ent["id"])
        attrs: tuple[tuple[str, str], ...] = (("class", f"ent et-{ent['type']}"), ("data-type", ent["type"]),
                                              ("data-name", ent["name"]), ("title", f"{ent['type']} · {ent['name']}"))
        if corpus_id:
            attrs = (*attrs, ("data-entity", corpus_id), ("href", f"/entity/{corpus_id}"))
        anns.append(Ann(start, end, "entity", f"{ent['id']}.{n}", "a" if corpus_id else "span", attrs,
                        focusable=not corpus_id))
    for ev in obj.get("events", []):
        when = (ev.get("when") or {}).get("value") or ""
        actor, recipient = _ref_text(ev.get("actor")), _ref_text(ev.get("recipient"))
        where = _ref_text(ev.get("where"))
        bits = [ev["type"], when or "undated"]
        if actor or recipient:
            bits.append(f"{actor or '?'} → {recipient or '?'}")
        if where:
            bits.append(f"at {where}")
        details[ev["id"]] = {"kind": "event", "type": ev["type"], "date": when, "actor": actor,
                             "recipient": recipient, "where": where, "trigger": ev["trigger"]["text"],
                             "claim": ev.get("claim") or "", "modality": ev.get("modality") or ""}
        trig = ev["trigger"]
        anns.append(Ann(trig["start"], trig["end"], "event", ev["id"], "span",
                        (("class", f"event ev-{ev['type']}"), ("data-event", ev["id"]), ("data-type", ev["type"]),
                         ("data-date", when), ("title", " · ".join(bits))),
                        anchor=f"event-{ev['id']}", focusable=True))
    return anns, details


def highlight(obj: Mapping[str, Any], links: Mapping[str, str | None]) -> Highlighted:
    """The document's text, marked up, with the details of its claims and events."""
    anns, details = layers(obj, links)
    return Highlighted(render(obj["document"]["text"], anns), details)


def claims_by_source(obj: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's claims grouped by who makes them (in order of first appearance)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for claim in sorted(obj.get("claims", []), key=lambda c: min(p["start"] for p in c["content"])):
        source, source_type = _source_label(claim)
        groups.setdefault((source, source_type), []).append({
            "id": claim["id"], "kind": claim["kind"], "cue": claim["cue"]["text"] if claim.get("cue") else "",
            "content": " … ".join(p["text"] for p in claim["content"])})
    return [{"source": s, "source_type": t, "claims": cs} for (s, t), cs in groups.items()]


def own_assertions(obj: Mapping[str, Any]) -> tuple[list[str], float]:
    """The sentences no claim covers (the outlet speaking for itself) and their share of the text."""
    sentences = [s for s in obj.get("sentences") or [] if s["text"].strip()]
    own = [s["text"].strip() for s in sentences if not s.get("claims")]
    total = sum(len(s["text"].strip()) for s in sentences) or 1
    return own, sum(len(t) for t in own) / total
