"""Gold names of every NER set on one scale: MEANTIME's coarse types (PER, ORG, LOC, PRO, EVENT).

The sets annotate differently, so each record's gold is read by its corpus:
- MEANTIME (``meantime``): name mentions with PER/ORG/LOC/PRO/FIN/MIX; untyped ones are neutral.
- ECB+ (``ecbplus``): every participant mention (names, nominals, pronouns), with spans such as
  "in Los Angeles" or "attorney , Shawn Holley". A mention counts as a name where it holds a
  run of capitalised words; the name is the first run (with a "the" right before it inside the
  mention, as MEANTIME writes it; titles, role nouns and people's words before it left out),
  further runs are neutral, and a run that is one
  sentence-initial word ("He", "Lawyer") is neutral. ECB+ marks participants of the annotated
  events only, so precision on it is a lower bound for every system.
- GUM (``gum``, converted by :mod:`claimgraph.evaluate.gum`): already coarse.
- The project's own articles (``claimgraph``): OntoNotes types, mapped.
Items with type ``None`` are neutral: a prediction overlapping one is neither credit nor blame.
"""

from __future__ import annotations

import re

from claimgraph.evaluate.data import Record
from claimgraph.evaluate.scoring import Item
from claimgraph.pipeline.names import Lexicon, demonym_keys, lexicon, name_key

#: contract entity type -> MEANTIME ent_type (PER, ORG, LOC, PRO; FIN and MIX are rare)
TO_MEANTIME = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "LOC",
    "PRODUCT": "PRO", "WORK_OF_ART": "PRO", "LAW": "PRO", "EVENT": "EVENT", "OTHER": "OTHER",
    "LANGUAGE": "OTHER",
}
#: ECB+ participant tag -> coarse type (None: neutral)
ECB_TYPES: dict[str, str | None] = {
    "HUMAN_PART_PER": "PER", "HUMAN_PART_ORG": "ORG", "HUMAN_PART_GPE": "LOC", "LOC_GEO": "LOC",
    "LOC_FAC": "LOC", "NON_HUMAN_PART": "PRO", "HUMAN_PART_VEH": "PRO",
}
_FUNCTION_WORDS = frozenset({
    "he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "our", "this", "that",
    "these", "those", "the", "a", "an", "in", "at", "on", "near", "to", "from", "of", "by", "for",
    "with", "into", "outside", "inside", "across", "after", "before", "some", "one", "two", "both",
})
_CONNECTORS = frozenset({"of", "de", "and", "&", "-", "al", "la", "du", "von", "van", "der", "bin"})
_TOKEN = re.compile(r"\S+")


def gold_items(rec: Record) -> tuple[list[Item], list[Item]]:
    """Typed gold items and neutral ones of a record, inside its scored ranges."""
    typed: list[Item] = []
    neutral: list[Item] = []
    for item in _items(rec):
        if rec.in_scored(item.start, item.end):
            (typed if item.label else neutral).append(item)
    return typed, neutral


def _items(rec: Record) -> list[Item]:
    ents = rec.layer("entities")
    if rec.corpus == "ecbplus":
        return _ecb_items(rec)
    if rec.corpus in ("meantime", "gum"):
        return [Item(rec.id, e["start"], e["end"], e["type"] or "") for e in ents]
    return [Item(rec.id, e["start"], e["end"], TO_MEANTIME.get(e["type"] or "", "OTHER") if e["type"] else "")
            for e in ents]


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or before.endswith("\n") or bool(re.search(r"[.!?\"'] $|\n\S* ?$", before))


def _strip_titles(run: list[tuple[int, int, str]], lex: Lexicon) -> list[tuple[int, int, str]]:
    """A run without leading titles, role nouns and people's words ("Dr . Sanjay Gupta",
    "Comedian Ellen DeGeneres", "Australian Robert Buckley": the name is the rest, as MEANTIME
    and GUM write it) and without a trailing connector."""
    while len(run) > 1 and (run[0][2].lower().rstrip(".") in lex.person_titles | lex.role_nouns
                            or name_key(run[0][2]) in demonym_keys()):
        run = run[1:]
    if len(run) == 1 and run[0][2].lower().rstrip(".") in lex.person_titles:
        return []  # "Dr" of "Dr . Sanjay Gupta": the name is the next run
    while run and not run[-1][2][:1].isupper():
        run = run[:-1]
    return run


def _ecb_items(rec: Record) -> list[Item]:
    out: list[Item] = []
    seen: set[tuple[int, int]] = set()
    for ent in rec.layer("entities"):
        words = [(m.start() + ent["start"], m.end() + ent["start"], m.group(0))
                 for m in _TOKEN.finditer(rec.text[ent["start"]:ent["end"]])]
        runs: list[list[tuple[int, int, str]]] = []
        current: list[tuple[int, int, str]] = []
        for word in words:
            form = word[2]
            capital = form[:1].isupper() and form.lower() not in _FUNCTION_WORDS
            if capital or (current and form.lower() in _CONNECTORS):
                current.append(word)
            else:
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        lex = lexicon()
        runs = [_strip_titles(run, lex) for run in runs]
        runs = [run for run in runs if run]
        for n, run in enumerate(runs):
            start, end = run[0][0], run[-1][1]
            label = ECB_TYPES.get(ent["type"]) if n == 0 else None
            if len(run) == 1 and _sentence_initial(rec.text, start):
                label = None  # "He", "Lawyer", "Police" at the start of a sentence
            if n == 0 and label:
                the = rec.text[max(ent["start"], start - 4):start]
                if the in ("the ", "The "):
                    start -= 4
            if (start, end) in seen:
                continue
            seen.add((start, end))
            out.append(Item(rec.id, start, end, label or ""))
    return out
