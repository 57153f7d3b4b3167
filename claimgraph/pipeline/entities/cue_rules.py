"""Type evidence and missed names from the cue words of ``lexicons/entity_cues.yaml``.

Languages ("Urdu", "Pashto") are OTHER (the contract has no LANGUAGE type), holidays
("Eid al-Adha") EVENT, organisation acronyms ("UN", "U.N") ORG, place acronyms ("PoK") GPE.
A name next to a place word ("Balakot tehsil", "the village of Shewa") or built like a place
name ("Datta Khel", "Tangai Kalay", "Rawlakote") is a place, not a person; a city's name
before a team word ("the Karachi side") or an outlet noun ("the newspaper Dawn") is an
organisation. Place-cue names spaCy missed entirely become mentions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from claimgraph.model import Span
from claimgraph.pipeline.entities.cues import cues
from claimgraph.pipeline.mentions import W_CUE, Mention, new_evidence
from claimgraph.pipeline.names import lexicon, name_key
from claimgraph.pipeline.span_index import SpanIndex


def _word(tok: Any) -> str:
    return str(tok.lower_).rstrip(".")


_LANGUAGE_BEFORE = frozenset({"in", "speak", "speaks", "spoke", "speaking", "into", "from"})
_LANGUAGE_AFTER = frozenset({"language", "languages", "speaking", "-speaking", "translation", "service", "speakers"})


def _language_use(m: Mention, doc: Any) -> bool:
    """ "in Pashto", "the Urdu language": a language, not a people ("Russian forces")."""
    span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    if prev in _LANGUAGE_BEFORE or nxt in _LANGUAGE_AFTER:
        return True
    return m.evidence.get("NORP", 0) == 0 and span[0].pos_ in ("PROPN", "NOUN")


def cue_evidence(mentions: list[Mention], doc: Any) -> None:
    """Add the cues' evidence to each mention (in place)."""
    lex = cues()
    for m in mentions:
        key = m.key
        name = m.name
        if key in lex.languages and _language_use(m, doc):
            m.evidence["OTHER"] += 3 * W_CUE
            continue
        if key in lex.holidays or key.startswith(("eid ", "eid-")):
            m.evidence["EVENT"] += 3 * W_CUE
            continue
        if key in lex.org_acronyms and sum(c.isupper() for c in name) >= 2 and len(name) <= 8:
            m.evidence["ORG"] += 2 * W_CUE
        if key in lex.place_acronyms:
            m.evidence["GPE"] += 2 * W_CUE
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        person_cue = m.evidence.get("PERSON", 0) > 0
        if nxt is not None and nxt.is_lower and _word(nxt) in lex.place_words_after:
            m.evidence["GPE"] += W_CUE
        if prev is not None and prev.is_lower and _word(prev) in lex.place_words_before:
            m.evidence["GPE"] += W_CUE
        if prev is not None and prev.lower_ == "of" and span.start > 1 \
                and _word(doc[span.start - 2]) in lex.place_words_before:
            m.evidence["GPE"] += W_CUE
        if not person_cue and lex.place_like(name):
            m.evidence["GPE"] += W_CUE
        if not person_cue and m.label == "PERSON" and place_context(span, doc):
            m.evidence["GPE"] += W_CUE  # spaCy's PERSON for a village it does not know
        if nxt is not None and nxt.is_lower and _word(nxt) in lex.team_words:
            m.evidence["ORG"] += W_CUE
        if (prev is not None and prev.is_lower and _word(prev) in lex.outlet_nouns) or (
                nxt is not None and nxt.is_lower and _word(nxt) in lex.outlet_nouns and _word(nxt) != "agency"):
            m.evidence["ORG"] += W_CUE


def conjoined_places(mentions: list[Mention], doc: Any) -> None:
    """A name coordinated with a place ("in Bannu, Lakki Marwat and North Waziristan", "the Shewa
    and Datta Khel areas") is a place too, unless a title says person."""
    placed: dict[int, Mention] = {}
    for m in mentions:
        if m.place_name or m.evidence.get("GPE", 0) >= W_CUE:
            span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
            if span is not None:
                placed.update((t.i, m) for t in span)
    for m in mentions:
        if m.label != "PERSON" or m.evidence.get("PERSON", 0) > 0 or m.evidence.get("GPE", 0) >= W_CUE \
                or m.place_name:
            continue  # only spaCy's PERSON for a village it does not know is in question
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        linked = [c for c in root.children if c.dep_ == "conj"] + ([root.head] if root.dep_ == "conj" else [])
        if any(t.i in placed and placed[t.i] is not m for t in linked):
            m.evidence["GPE"] += W_CUE


def place_context(span: Any, doc: Any) -> bool:
    """ "residents of X", "parts of X", "returned to X", "fled from X", "cleared X": the words
    around the name say it is a place."""
    lex = cues()
    if span.start == 0:
        return False
    prev = doc[span.start - 1]
    if prev.lower_ == "of" and span.start > 1 and _word(doc[span.start - 2]) in lex.place_nouns_of:
        return True
    if prev.lower_ in ("to", "from", "into") and prev.head.lemma_.lower() in lex.motion_verbs:
        return True
    root = span.root
    return bool(root.dep_ == "dobj" and root.head.lemma_.lower() == "clear")


def cue_mentions(doc: Any, text: str, mentions: list[Mention]) -> list[Mention]:
    """Places spaCy's NER missed that a place word or a place-name ending gives away:
    "Balakot tehsil", "the village of Shewa", "Rawlakote"."""
    lex = cues()
    found = _phrases(text, mentions)
    common = lexicon().person_titles | lexicon().role_nouns | lex.honorifics
    taken = SpanIndex(m.span for m in [*mentions, *found])  # linear in mentions (#19)
    i = 0
    while i < len(doc):
        tok = doc[i]
        if not (tok.is_title and tok.is_alpha and tok.pos_ == "PROPN") or tok.lower_ in common:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].is_title and doc[j + 1].is_alpha and doc[j + 1].pos_ == "PROPN":
            j += 1
        start, end = doc[i].idx, doc[j].idx + len(doc[j].text)
        name = text[start:end]
        nxt = doc[j + 1] if j + 1 < len(doc) else None
        prev = doc[i - 1] if i > 0 else None
        cue = (nxt is not None and nxt.is_lower and _word(nxt) in lex.place_words_after) or (
            prev is not None and prev.is_lower and _word(prev) in lex.place_words_before) or (
            not tok.is_sent_start and lex.place_like(name))
        span = Span.of(text, start, end)
        if cue and len(name) >= 4 and not taken.overlaps(span):
            found.append(Mention(span=span, name=name, key=name_key(name), label=None,
                                 evidence=new_evidence(GPE=W_CUE)))
        i = j + 1
    return found


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern[str]:
    """ "Pakistan-occupied Kashmir", "Indian-administered Kashmir", and place acronyms ("PoK")."""
    lex = cues()
    occupied = "|".join(sorted(lex.occupation_words))
    acronyms = "|".join(re.escape(a) for a in sorted(lex.place_acronyms, key=len, reverse=True) if " " not in a)
    return re.compile(r"(?<![\w-])(?:[A-Z][a-z]+-(?:" + occupied + r")\s+[A-Z][a-z]+|(?:" + acronyms + r"))(?![\w-])",
                      re.IGNORECASE)


def place_phrases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Occupied/administered regions and place acronyms, replacing the pieces spaCy split them into."""
    found: list[Mention] = []
    for match in _place_pattern().finditer(text):
        surface = match.group(0)
        if not surface[:1].isupper() or ("-" not in surface and sum(c.isupper() for c in surface) < 2):
            continue
        span = Span.of(text, match.start(), match.end())
        found.append(Mention(span=span, name=surface, key=name_key(surface), label=None,
                             evidence=new_evidence(GPE=2 * W_CUE)))
    if not found:
        return mentions
    kept = [m for m in mentions if not any(m.span.overlaps(f.span) for f in found)]
    return sorted([*kept, *found], key=lambda m: m.span.start)


def join_group_names(mentions: list[Mention], text: str) -> list[Mention]:
    """ "Afghan" + "Taliban" written together is one organisation's name, "Afghan Taliban"."""
    lex = cues()
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.span.start):
        prev = out[-1] if out else None
        if prev is not None and m.key in lex.group_heads and text[prev.span.end:m.span.start] == " " \
                and (prev.label == "NORP" or prev.evidence.get("NORP", 0) > 0) and prev.parts == 1:
            span = Span.of(text, prev.span.start, m.span.end)
            out[-1] = Mention(span=span, name=span.text, key=name_key(span.text), label="ORG",
                              evidence=new_evidence(ORG=2 * W_CUE))
            continue
        out.append(m)
    return out


@lru_cache(maxsize=1)
def _phrase_pattern() -> re.Pattern[str]:
    lex = cues()
    words = sorted(lex.holidays | lex.languages, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


def _phrases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Holidays and languages spaCy left untagged ("Eid al-Adha", "Pashto"), written capitalised."""
    lex = cues()
    taken = SpanIndex(m.span for m in mentions)
    found: list[Mention] = []
    for match in _phrase_pattern().finditer(text):
        if not match.group(0)[:1].isupper():
            continue
        span = Span.of(text, match.start(), match.end())
        if taken.overlaps(span):
            continue
        key = name_key(span.text)
        etype = "EVENT" if key in lex.holidays else "OTHER"
        found.append(Mention(span=span, name=span.text, key=key, label=None, evidence=new_evidence(**{etype: W_CUE})))
    return found
