"""Shared machinery of the claims stage: the draft a claim is built in, and the
helpers every pass uses (spans trimmed to their words, the speaker of a cue verb, the
sentence of a position by bisection). The passes themselves are in :mod:`claimgraph.pipeline.claims.rules`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from claimgraph.model import Analysis, Source, Span
from claimgraph.pipeline.coref import AttributionLexicon, Resolver
from claimgraph.pipeline.quotes import MARK_TOKENS, MARKS, Quote, marks_view

#: tokens looked at after a quote for its cue, and before it
WINDOW_AFTER = 10
WINDOW_BEFORE = 12
#: at most this many characters between two quotes of one speaker split around the cue
MAX_SPLIT_GAP = 120
#: content found through the parse is never longer than this (quotes are bounded by paragraphs)
MAX_CONTENT = 3000
#: a floating quote continues a speaker quoted at most this many characters earlier
MAX_FLOAT_GAP = 1500
VERB_POS = frozenset({"VERB", "AUX"})
MODALS = frozenset({"will", "'ll", "’ll", "can", "ca", "could", "should", "might", "may", "must", "shall"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
STOPS = frozenset(".!?") | MARK_TOKENS
#: Cue verbs whose direct object is the listener, not the content: "told the jury that ...".
LISTENER_CUES = frozenset({"tell", "assure", "inform", "remind", "warn", "brief"})
#: dependents of a cue verb written right before it that belong to the cue
_CUE_MODIFIERS = frozenset({"aux", "auxpass", "neg", "advmod"})
_EDGE_PUNCT = ",;:—–-" + "".join(MARKS)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: a wire dateline at the start of a lede: "BANNU, Pakistan —", "PESHAWAR (Reuters) -", "KABUL:"
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{1,30}(?:,\s*[A-Z][\w .'-]{1,30})?(?:\s*\([^)\n]{1,30}\))?"
                       r"\s*(?:[—–:]|--|-(?=\s))\s*")
#: tags of a finite verb (a past participle is VBN: "the man called Bob" is a modifier)
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
#: entity types (none for a common noun) a speaker set off before its cue may have
_SPEAKER_ENTS = frozenset({"", "PERSON", "ORG", "NORP", "GPE"})
#: participles that give the name of the one a phrase describes: "a man identified as ..."
_NAMING_VERBS = frozenset({"identify", "name"})


@dataclass(slots=True)
class Draft:
    kind: str
    source: Source | None
    cue: Span | None
    content: list[Span]
    #: where the last quote of a direct claim closed, and the cue's token (to join split quotes)
    close: int = -1
    cue_token: int = -1

    @property
    def start(self) -> int:
        spans = [s for s in (self.source.span if self.source else None, self.cue, *self.content) if s]
        return min(s.start for s in spans)


class ClaimsBase:
    def __init__(self, analysis: Analysis, lex: AttributionLexicon) -> None:
        self.text = analysis.document.text
        #: the text with two-character quote marks as straight ones (same offsets), for mark checks
        self.view = marks_view(self.text)
        self.doc = analysis.doc
        self.lex = lex
        self.resolver = Resolver(analysis, lex)
        self.starts = [t.idx for t in self.doc]
        self.sentences = analysis.sentences or (Span.of(self.text, 0, len(self.text)),)
        self.sent_starts = [s.start for s in self.sentences]
        self.used: set[int] = set()
        self.quoted: list[tuple[int, int]] = []  # direct content ranges, sorted
        self.drafts: list[Draft] = []
        self.phrase_starts = {phrase[0] for phrase in lex.according_to}
        self.phrase_opens: list[int] = []
        self.phrases: list[Quote] = []

    # -- helpers ------------------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)

    def token_span(self, first: int, last: int) -> Span | None:
        """Tokens first..last as a span, punctuation trimmed from the edges ("that" is kept,
        as PolNeAR and PARC annotate content). Quote marks stay when they pair up inside."""
        doc = self.doc
        while first <= last and (doc[first].is_punct or doc[first].is_space or doc[first].text in _EDGE_PUNCT):
            if doc[first].text in MARK_TOKENS and self._paired(first, last):
                break
            first += 1
        while last >= first and (doc[last].text in _EDGE_PUNCT or doc[last].is_space
                                 or (doc[last].is_punct and doc[last].text not in "?!")):
            if doc[last].text in MARK_TOKENS and self._paired(first, last):
                break
            last -= 1
        if first > last:
            return None
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        if end - start > MAX_CONTENT:
            return None  # a parse that long delimits nothing (and nested ones would copy it n times)
        return self.span(start, end)

    def _paired(self, first: int, last: int) -> bool:
        if last - first > 400:
            return False  # a long stretch: do not count (keeps the stage linear)
        return sum(self.doc[i].text in MARK_TOKENS for i in range(first, last + 1)) % 2 == 0

    def clip(self, span: Span | None, anchor: int) -> Span | None:
        """The part of a span on the line of ``anchor`` (a headline or a dateline above is
        never part of a claim, whatever the parse says), without a wire dateline that opens
        it ("BANNU, Pakistan — Gunmen attacked ...": the content starts at "Gunmen")."""
        if span is None:
            return span
        if "\n" in span.text:
            start = max(span.start, self.text.rfind("\n", span.start, anchor) + 1)
            end = self.text.find("\n", anchor, span.end)
            end = span.end if end < 0 else end
            while start < end and self.text[start] in " \t,;:":
                start += 1
            while end > start and self.text[end - 1] in " \t,;:":
                end -= 1
            if start >= end:
                return None
            span = self.span(start, end)
        dateline = _DATELINE.match(span.text)
        if dateline is not None and span.start + dateline.end() < min(span.end, anchor):
            span = self.span(span.start + dateline.end(), span.end)
        return span

    def cue_span(self, tok: Any) -> Span:
        """The cue verb with its particle ("pointed out"), a colon right after it, and the auxiliaries, negation and
        adverbs right before it ("has also said", "did not deny", "jokingly offered"): they
        say how the claim was made, and attribution corpora mark them as part of the cue."""
        end = tok
        for child in tok.children:
            if child.dep_ == "prt" and child.i == tok.i + 1:
                end = child
        if end.i + 1 < len(self.doc) and self.doc[end.i + 1].text == ":":
            end = self.doc[end.i + 1]  # "he said: ...": the colon introduces, as the verb does
        start = tok
        j = tok.i - 1
        while j >= 0 and tok.i - j <= 4:
            before = self.doc[j]
            if before.head.i != tok.i or before.dep_ not in _CUE_MODIFIERS or before.tag_ in ("WRB", "WDT"):
                break
            start = before
            j -= 1
        return self.span(start.idx, end.idx + len(end.text))

    def is_cue(self, tok: Any) -> bool:
        return tok.pos_ in VERB_POS and tok.lemma_.lower() in self.lex.cue_verbs

    def subject(self, verb: Any) -> Any | None:
        """The speaker of a cue verb: its subject, the agent of a passive, or the subject of
        the verb it is coordinated with or subordinated to ("he smiled and said", "implying").
        A subject a blank line away (a headline's noun the parser hung on the first
        sentence's verb) is none; then a name set off right before the cue
        ("In New Delhi, Randhir Mehta, a spokesman, said") is looked for, see :meth:`fronted_speaker`."""
        found = self._parsed_subject(verb)
        if found is not None:
            between = self.text[min(found.idx, verb.idx):max(found.idx, verb.idx)]
            # a blank line always parts them; a single line break (some archives wrap lines
            # inside sentences) only when the subject is not the cue's own
            if not self.same_paragraph(found, verb) or ("\n" in between and found.head.i != verb.i):
                found = None
        if found is None and not any(c.dep_ in ("nsubjpass", "auxpass", "csubj") for c in verb.children):
            found = self.fronted_speaker(verb)
        return found

    def _parsed_subject(self, verb: Any) -> Any | None:
        seen = 0
        tok = verb
        head = verb.head
        if verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.i != head.i and self.is_cue(head.head) \
                and not any(c.dep_ in _SUBJECT_DEPS or c.dep_ == "nsubjpass" for c in verb.children):
            # "X confirmed that A but said B": the parser hangs the second cue on A; its
            # subject is the first cue's
            tok = head.head
        while seen < 4:
            for child in tok.children:
                if tok is not verb and child.dep_ == "nsubjpass" and child.lower_ != "it":
                    return child  # "X is shown in the video saying ...": the one shown speaks
                if child.dep_ == "nsubjpass" or (child.dep_ == "nsubj" and child.lower_ == "it"
                                                 and any(c.dep_ == "auxpass" for c in tok.children)):
                    for agent in tok.children:
                        if agent.dep_ == "agent":
                            return next((c for c in agent.children if c.dep_ == "pobj"), None)
                    return None
                if child.dep_ in _SUBJECT_DEPS:
                    return child  # a relative pronoun too: source_of resolves it to its antecedent
            if tok.dep_ == "acl" and tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN") and (
                    tok.tag_ == "VBG" or (tok.tag_ in _FINITE and tok.head.dep_ == "ROOT")):
                # "a letter warning that ...", "emails showing ..."; and a finite verb the parser
                # hung on a noun left without a verb: "The governor, speaking in Abuja, called for ..."
                return tok.head
            if tok.dep_ not in ("conj", "advcl", "xcomp") or tok.head.i == tok.i:
                return None
            tok = tok.head
            seen += 1
        return None

    def same_paragraph(self, a: Any, b: Any) -> bool:
        """Whether no blank line parts tokens ``a`` and ``b``: the parser may join a headline
        or a dateline to the first sentence, and hang one's verb on the other's."""
        return not _BLANK_LINE.search(self.text, min(a.idx, b.idx), max(a.idx, b.idx))

    def fronted_speaker(self, verb: Any) -> Any | None:
        """'In New Delhi, Randhir Mehta, a spokesman for the ministry, said ...': after a
        fronted phrase the parser may hang the name on that phrase and leave the cue without
        a subject. The speaker is then the name (or noun) with an appositive that ends, with
        its comma, right before the cue, on the cue's line."""
        doc = self.doc
        comma = verb.i - 1
        if comma < 1 or doc[comma].text != ",":
            return None
        for k in range(max(0, verb.i - 60), comma):
            tok = doc[k]
            if tok.right_edge.i not in (comma, comma - 1) or tok.pos_ not in ("PROPN", "NOUN") \
                    or tok.ent_type_ not in _SPEAKER_ENTS or "\n" in self.text[tok.idx:verb.idx]:
                continue
            if any(c.dep_ == "appos" for c in tok.children):
                return tok
        return None

    def source_of(self, head: Any, cue: Any = None) -> Source:
        if head.tag_ in ("WDT", "WP") and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
            # "the SFO, which said ...": the relative pronoun is the source's span (as
            # annotators mark it), whom it stands for comes from its antecedent
            antecedent = self.source_of(head.head.head, head.head)
            return Source(antecedent.entity, self.span(head.idx, head.idx + len(head.text)), antecedent.type)
        first, last = head.left_edge.i, head.right_edge.i
        clause = None
        for child in head.children:
            if child.i > head.i and child.dep_ in ("relcl", "acl") and first < child.left_edge.i <= last:
                last = child.left_edge.i - 1  # "Barkley, who said ...," / "a report published Wednesday"
                clause = child
                break
        if cue is not None and first <= cue.i <= last:
            # "the SFO, which said ...": the phrase ends before the clause holding the cue
            for child in head.children:
                if child.i > head.i and child.left_edge.i <= cue.i <= child.right_edge.i:
                    last = child.left_edge.i - 1
        doc = self.doc
        while last > first and (doc[last].is_space or doc[last].dep_ == "case" or (
                doc[last].is_punct and not (doc[last].text == ")" and "(" in doc[first:last].text))):
            last -= 1
        while first < last and (self.doc[first].is_punct or self.doc[first].is_space):
            first += 1
        # a line break (a headline, a dateline's own line) bounds the phrase
        line_start = self.text.rfind("\n", doc[first].idx, head.idx) + 1
        while first < head.i and doc[first].idx < line_start:
            first += 1
        line_end = self.text.find("\n", head.idx, doc[last].idx)
        while line_end >= 0 and last > head.i and doc[last].idx >= line_end:
            last -= 1
        # "QUETTA, Pakistan (AP) — Provincial minister Ali Baloch": the dateline is not the source
        for i in range(min(last, first + 15) - 1, first - 1, -1):
            if doc[i].text in ("—", "–", "--") and "(" in doc[first:i].text:
                first = i + 1
                head = doc[first:last + 1].root if head.i < first else head
                break
        # "X, the commander of Y,": an appositive keeps its closing comma, as annotators do
        if last + 1 < len(doc) and doc[last + 1].text == "," and any(
                doc[i].text == "," for i in range(first, min(last, first + 80))):
            last += 1
        source = self.resolver.source(doc[first], doc[last], head)
        if source.entity is None and clause is not None and source.type in ("anonymous", "other", "person"):
            named = self.identified_as(clause)
            if named is not None:
                source = Source(named, source.span, "person")
        return source

    def identified_as(self, clause: Any) -> str | None:
        """The person a participle clause names: "One of the men, identified by the FSB as
        Igor Shemetov," speaks as Shemetov; the phrase itself names no one."""
        if clause.lemma_.lower() not in _NAMING_VERBS:
            return None
        # the name right after "as", however it was parsed ("identified by the FSB as X")
        doc, resolver = self.doc, self.resolver
        for t in doc[clause.i + 1:min(clause.i + 12, len(doc) - 1)]:
            if t.lower_ == "as":
                eid = resolver.entity_at(doc[t.i + 1].idx)
                return eid if eid is not None and resolver.types.get(eid) == "PERSON" else None
            if t.text in STOPS or t.text in (";", ":"):
                break
        for child in clause.children:  # "a woman named Mary Jones"
            if child.dep_ in ("oprd", "dobj", "attr") and child.i > clause.i:
                eid = resolver.entity_at(child.idx)
                if eid is not None and resolver.types.get(eid) == "PERSON":
                    return eid
        return None

    def not_a_claim(self, tok: Any, lemma: str | None = None) -> bool:
        """Cue candidates that report no claim here: an event verb ("militants attacked the
        post"), a request for anonymity ("who asked not to be named", "declined to be
        identified"), and a question put to the speaker ("Asked about the report, X said"),
        whose asker is the reporter. The learned cue tagger is held to the same rule."""
        lex = self.lex
        lemma = lemma or tok.lemma_.lower()
        if lemma in lex.event_verbs:
            return True
        if lemma == "declare" and any(c.dep_ in ("oprd", "attr", "xcomp") for c in tok.children):
            return True  # "declared an absconder", "declared him a proclaimed offender": an act, not a claim
        if lemma in lex.anonymity_verbs:
            after = self.doc[tok.i + 1:min(len(self.doc), tok.i + 7)]
            if any(t.lower_ in lex.anonymity_words for t in after if t.i <= tok.right_edge.i):
                return True
        return lemma == "ask" and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "ROOT", "csubj", "acl") and not any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children)

    def nested(self, pos: int, *, beliefs: bool) -> bool:
        """Whether a cue lies inside a quoted phrase (what someone says they told or heard
        is part of their claim) or, for a verb of belief, inside the content of a claim found
        so far ("she said she thinks ..." is one claim)."""
        i = bisect_right(self.phrase_opens, pos) - 1
        if i >= 0 and pos < self.phrases[i].close:
            return True
        return beliefs and any(c.start <= pos < c.end for d in self.drafts[-8:] for c in d.content)

    def unasserted(self, tok: Any) -> bool:
        """A cue not (yet) uttered: "will tell", "can't say", "going to say", "to tell"."""
        if tok.dep_ == "xcomp":
            return True
        return any(c.dep_ == "aux" and (c.lower_ in MODALS or c.tag_ == "TO") for c in tok.children)

    def inside_quote(self, pos: int) -> bool:
        i = bisect_right(self.quoted, (pos, 1 << 60)) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def sentence_of(self, pos: int) -> Span:
        return self.sentences[max(0, bisect_right(self.sent_starts, pos) - 1)]

    def tok_after(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def tok_before(self, pos: int) -> int:
        return bisect_left(self.starts, pos) - 1


    def embeds_quote(self, span: Span, phrases: list[Quote]) -> Span | None:
        """The content with the quoted phrase it embeds (None when it embeds none); a phrase
        that closes just after the content's last word is taken in whole, marks included."""
        i = bisect_left(self.phrase_opens, span.start - 1)
        if i >= len(phrases) or phrases[i].start >= span.end:
            return None
        q = phrases[i]
        if q.close >= span.end and q.close - span.end <= 2:
            return self.span(span.start, q.close + 1)
        return span
