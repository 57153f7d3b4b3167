"""Stage ``time``: every time expression of the article, normalised against its publication date.

Detection (:mod:`claimgraph.pipeline.time_detect`) merges the project's patterns with
spaCy's DATE/TIME entities; normalisation (:mod:`claimgraph.pipeline.timenorm`) is a
pure function of the expression, the publication date and the tense of its clause.
This module adds the two things only a parsed document knows: the tense of the clause
an expression sits in ("will meet on Saturday" points forward), and the day a sentence
is about, which a bare clock time ("at 18:00 UTC") belongs to.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis, Span, Timex
from claimgraph.pipeline import Stage
from claimgraph.pipeline.time_calendar import Tense
from claimgraph.pipeline.time_detect import Candidate, detect
from claimgraph.pipeline.time_lexicon import lexicon
from claimgraph.pipeline.timenorm import Norm, normalize
from claimgraph.settings import Settings

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_MODAL_AUX = frozenset({"would", "could", "might", "may", "should", "must", "can", "ca"})
_PERFECT_AUX = frozenset({"has", "have", "'ve", "had", "'d"})
_LEX_POD = lexicon().parts_of_day
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: words after which an infinitive points forward: "is set to begin", "plans to vote", "due to open"
_FUTURE_GOVERNORS = frozenset({"plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "want",
                               "go", "prepare", "promise", "vow", "pledge", "slate", "poise", "likely",
                               "ready", "seek", "propose", "threaten", "need", "try"})


def anchor_date(published: str | None) -> dt.date | None:
    """The publication date as a date ("2021-03-17" or a full ISO timestamp); None when absent or bad."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def verb_tense(verb: Any, depth: int = 0) -> Tense | None:
    """Tense of a spaCy verb token from its tag and auxiliaries; None for modals ("would", "could").

    An infinitive takes its time from the word that governs it: after "set", "due",
    "plan", "expect" ("is set to begin on Wednesday") it looks forward; otherwise it
    shares the governing clause's tense ("announced the agreement to buy it in February").
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if "to" in words:
        governor = verb.head
        if governor.i == verb.i or depth > 2:
            return None
        upper = _governing_verb(governor, verb.i)
        outer = None if upper is None else verb_tense(upper, depth + 1)
        if governor.lemma_.lower() in _FUTURE_GOVERNORS and outer != "past":
            return "future"  # "is set to begin", "plans to vote"; not "was due to start"
        return outer
    if words & _MODAL_AUX:
        return None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and (words & _PERFECT_AUX or not auxes):
        return "past"  # "has announced", and "plans announced in January"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _governing_verb(tok: Any, origin: int) -> Any:
    """The nearest verb at or above ``tok`` in the parse, not crossing a line break from token ``origin``.

    A headline that spaCy ran into the first sentence must not lend its tense to the
    body ("Afghan forces launch ..." over "pushed into the villages on Sunday").
    """
    doc = tok.doc
    for _ in range(8):
        lo, hi = sorted((origin, tok.i))
        if any("\n" in doc[k].text_with_ws for k in range(lo, hi)):
            return None
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def clause_tense(doc: Any, start: int, end: int) -> Tense | None:
    """Tense of the verb that governs the characters [start, end) of ``doc``, if one can be found.

    The present counts only for an expression that modifies the verb itself ("votes on
    Thursday" is a schedule); inside a noun phrase ("is raising questions about Monday's
    debate") the present tense of the clause says nothing about the expression.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _governing_verb(span.root, span.root.i)
    if verb is None:
        return None
    tense = verb_tense(verb)
    if tense == "present":
        tok = span.root.head
        for _ in range(8):  # spaCy hands out a new Token object per access: compare indices
            if tok.i == verb.i or tok.head.i == tok.i:
                break
            if tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                return None
            tok = tok.head
    return tense


class _Sentences:
    """Which sentence a character offset falls in, by bisection over sentence starts.

    A line break also ends a sentence: spaCy sometimes runs a headline into the first
    sentence, and a headline's "night" must not take the day of the sentence below.
    """

    def __init__(self, doc: Any, text: str) -> None:
        breaks = [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.starts = sorted({0, *(s.start_char for s in doc.sents), *breaks})

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _with_reference(cands: list[Candidate], norms: list[Norm], sents: _Sentences, text: str,
                    anchor: dt.date | None, tenses: list[Tense | None]) -> list[Norm]:
    """Re-read TIMEs against the nearest day named in the same sentence ("Tuesday ... at 18:00 UTC")."""
    days = [(c.start, sents.index(c.start), n.value) for c, n in zip(cands, norms, strict=True)
            if n.type == "DATE" and n.value and _DAY_VALUE.match(n.value)]
    out = []
    for c, n, tense in zip(cands, norms, tenses, strict=True):
        if n.type == "TIME":
            sent = sents.index(c.start)
            near = [(abs(pos - c.start), value) for pos, s, value in days if s == sent and value]
            if near:
                ref = dt.date.fromisoformat(min(near)[1])
                n = normalize(c.expr or text[c.start:c.end], anchor, tense=tense, reference=ref)
        out.append(n)
    return out


_THE_UNIT = re.compile(r"^(?:later in |earlier in |during )?the (?:entire |whole |full )?(?P<unit>day|month|year)$",
                       re.I)
_SAME_LAST_YEAR = re.compile(r"^the same (?:month|period|quarter|time|week)(?: of)?(?: the)? "
                             r"(?:last year|a year (?:ago|earlier|before)|(?:the )?(?:previous|prior) year)$", re.I)
_YEAR_BEFORE = re.compile(r"^the (?:year (?:before|earlier|previous|prior)|previous year|prior year)$", re.I)
_WIDTH = {"day": 10, "month": 7, "year": 4}
_PRECISION = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}"), "month": re.compile(r"^\d{4}-\d{2}$"),
              "year": re.compile(r"^\d{4}$")}


def anaphoric(cands: list[Candidate], norms: list[Norm], sents: _Sentences, text: str) -> list[Norm]:
    """Values that only the dates named before them give (TimeML's anchoring on the text).

    "later in the day" is the last day the story named ("said on Tuesday ... later in the
    day"); a bare "morning" takes that day too; "the same month a year ago" is the month
    the sentence names ("in January") a year earlier; "the year previous" is the year
    before the one the sentence just named. Without such a date the value stays unknown.
    """
    out = list(norms)
    for k, (c, n) in enumerate(zip(cands, norms, strict=True)):
        expr = " ".join((c.expr or text[c.start:c.end]).split())
        if n.value is not None and not _YEAR_BEFORE.match(expr) and not _THE_UNIT.match(expr):
            continue
        sent = sents.index(c.start)
        before = [(j, out[j].value or "") for j in range(k - 1, -1, -1) if out[j].value]
        same_sentence = [(j, v) for j, v in before if sents.index(cands[j].start) == sent]
        m = _THE_UNIT.match(expr)
        if m or (n.type == "TIME" and re.fullmatch(r"(?:the )?[a-z]+", expr.lower())):
            unit = m.group("unit").lower() if m else "day"
            # the day may be named sentences before; a month or year must be in this sentence
            pool = before if unit == "day" else same_sentence
            day = next((v for _, v in pool if _PRECISION[unit].match(v[:_WIDTH[unit]])), None)
            if day:
                value = day[:10] if unit == "day" else day[:7] if unit == "month" else day[:4]
                if n.type == "TIME":
                    pod = _LEX_POD.get(expr.lower().removeprefix("the "))
                    out[k] = n._replace(value=f"{value}T{pod}" if pod else None)
                else:
                    out[k] = n._replace(value=value)
            continue
        if _SAME_LAST_YEAR.match(expr):
            ref = next((v for _, v in same_sentence if _PRECISION["month"].match(v) or re.match(r"^\d{4}-Q\d$", v)),
                       None)
            if ref:
                out[k] = Norm("DATE", f"{int(ref[:4]) - 1:04d}{ref[4:]}", n.duration)
            continue
        if _YEAR_BEFORE.match(expr):
            ref = next((v for _, v in same_sentence if _PRECISION["year"].match(v)), None)
            if ref:
                out[k] = Norm("DATE", f"{int(ref) - 1:04d}", n.duration)
    return out


def _tense(doc: Any, c: Candidate, headline_end: int) -> Tense | None:
    """Clause tense, except that a headline's present tense says nothing.

    In the body, "Pakistan votes on Thursday" is a schedule (the normaliser reads a
    present-tense weekday forward); a headline uses the present for what already happened.
    """
    tense = clause_tense(doc, c.start, c.end)
    if tense == "present" and 0 <= c.start < headline_end:
        return None
    return tense


def timexes(text: str, doc: Any, published: str | None) -> tuple[Timex, ...]:
    """The time layer of one document: spans in text order with ids ``t1, t2, ...``."""
    anchor = anchor_date(published)
    cands = detect(text, doc.ents)
    headline_end = text.find("\n")
    tenses = [_tense(doc, c, headline_end) for c in cands]
    norms = [normalize(c.expr or text[c.start:c.end], anchor, tense=t)
             for c, t in zip(cands, tenses, strict=True)]
    sents = _Sentences(doc, text)
    norms = _with_reference(cands, norms, sents, text, anchor, tenses)
    norms = anaphoric(cands, norms, sents, text)
    return tuple(
        Timex(f"t{i}", Span.of(text, c.start, c.end), n.type, timeml_value(n), n.duration)
        for i, (c, n) in enumerate(zip(cands, norms, strict=True), 1)
    )


def timeml_value(n: Norm) -> str | None:
    """TimeML's ``value``: a duration or a frequency carries its length there too (``P3Y``)."""
    if n.value is None and n.type in ("DURATION", "SET"):
        return n.duration
    return n.value


def make_stage(settings: Settings) -> Stage:
    """The stage needs no model of its own: patterns compile at import, the lexicon loads once."""

    def run(analysis: Analysis) -> Analysis:
        if analysis.doc is None:
            raise PipelineError("stage 'time' needs the 'nlp' stage to run first (no spaCy Doc)")
        return analysis.add(timex=timexes(analysis.document.text, analysis.doc, analysis.document.published))

    return run


__all__ = ["anchor_date", "clause_tense", "make_stage", "timexes", "verb_tense"]
