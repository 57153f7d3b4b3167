"""The rules of stage ``claims``: who says what. Each attributed statement becomes a :class:`Claim`
with its source, its cue and its content.

Passes over the parse the ``nlp`` stage made (no other model), in this order:

1. direct quotes (:mod:`quotes`): a quote with a cue verb right after it ('"...," he
   said') or right before it ('he said: "..."'). A quote that follows its cue clause
   ('"...," he said, "..."', or the next paragraph of a long quote) joins the same claim
   as a further content span. Content keeps its quote marks, as PolNeAR and PARC do;
2. headline attributions: 'Khan: Talks Will Resume Next Week' (a named speaker only);
3. indirect speech: a cue verb of the lexicon and its clausal complement ('he said
   (that) ...', "that" kept; coordinated 'that A and that B' together; after 'told
   <listener>' the that-clause, never the listener), pro-forms ('half said so'), a few verbs with a direct object
   ('denied the report'), parenthetical cues ('This campaign, he says, is different'; 'X, he said, and Y'),
   cue nouns with a "that" clause ('his claim that ...'), "according to X", and verbs that
   frame a quoted phrase ('praised X as "..."'). Indirect speech that embeds a quoted
   phrase is mixed. Cues inside a quoted phrase, modal or future cues ('will tell') and
   beliefs inside another claim ('she said she thinks') are not claims of their own;
4. floating quotes: a whole quoted sentence with no cue continues the previous speaker;
5. pronoun sources prefer the latest speaker ("He added ..."), see :mod:`claimgraph.pipeline.claims.sources`.

Sources are typed and resolved by :mod:`coref`. Everything is local to a cue (bounded
token windows; a quote's or a token's sentence found by bisection; content found through
the parse capped at :data:`claimgraph.pipeline.claims.base.MAX_CONTENT` characters), so the stage is linear in
the text even for one huge sentence or hundreds of stray quote marks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Any

from claimgraph.model import Analysis, Claim, Source, Span
from claimgraph.pipeline.claims.base import (
    LISTENER_CUES,
    MAX_FLOAT_GAP,
    MAX_SPLIT_GAP,
    STOPS,
    VERB_POS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    Draft,
)
from claimgraph.pipeline.claims.frames import FramesMixin
from claimgraph.pipeline.claims.model import AttributionModel
from claimgraph.pipeline.claims.sources import SourcesMixin
from claimgraph.pipeline.coref import AttributionLexicon, anonymous_subtype, attribution_lexicon
from claimgraph.pipeline.quotes import MARK_TOKENS, MARKS, Quote, find_quotes

#: subjects that are the writer or a quoted speaker, never a source of their own
FIRST_PERSON = frozenset({"i", "we"})


class _Extractor(FramesMixin, SourcesMixin):
    """The passes, in the order :meth:`run` calls them."""

    # -- pass 1: direct quotes ----------------------------------------------------------------

    def standalone(self, q: Quote) -> bool:
        """A quote that is a sentence or a clause of its own, not a phrase inside one."""
        i = q.open - 1
        while i >= 0 and self.view[i] in " \t":
            i -= 1
        if i < 0 or self.view[i] in "\n.!?:,;—–" or self.view[i] in MARKS:
            return True
        t = self.tok_before(q.open)
        return t >= 0 and self.is_cue(self.doc[t])

    def cue_after(self, q: Quote) -> tuple[Any, Any] | None:
        doc = self.doc
        if self.text[q.end - 1:q.end] == ".":
            return None  # the quote ended its sentence: what follows is a new one
        i = self.tok_after(q.close + 1)
        while i < len(doc) and (doc[i].is_punct and doc[i].text not in MARK_TOKENS) and doc[i].text not in ".!?":
            i += 1
        first = i
        for j in range(first, min(len(doc), first + WINDOW_AFTER)):
            tok = doc[j]
            if tok.text in STOPS or "\n" in tok.text:
                break
            if not self.is_cue(tok) or j in self.used:
                continue
            if any(c.dep_ == "ccomp" and c.i > j and not any(
                    t.text in MARK_TOKENS for t in doc[j + 1:c.left_edge.i + 1]) for c in tok.children):
                break  # the cue of a clause of its own: '"...", she said, adding that ...'
            subj = self.subject(tok)
            if j == first or (subj is not None and subj.left_edge.i <= first <= subj.right_edge.i):
                nxt = doc[j + 1] if j + 1 < len(doc) else None
                if subj is None and nxt is not None and nxt.head.i == j and nxt.pos_ in ("PROPN", "PRON", "NOUN"):
                    subj = nxt  # "said Khan", parsed as something other than a subject
                if subj is not None and subj.idx < q.close:
                    subj = None
                return tok, subj
            break
        return None

    def cue_before(self, q: Quote) -> tuple[Any, Any] | None:
        doc = self.doc
        i = self.tok_before(q.open)
        if i < 0:
            return None
        if doc[i].text not in (":", ",") and not self.is_cue(doc[i]):
            return None
        for j in range(i, max(-1, i - WINDOW_BEFORE), -1):
            tok = doc[j]
            if j < i and (tok.text in STOPS or "\n" in tok.text):
                break
            if self.is_cue(tok) and j not in self.used:
                return tok, self.subject(tok)
        return None

    def direct(self, quotes: list[Quote]) -> list[Quote]:
        """Claims for the quotes with a cue; returns the standalone quotes left without one."""
        left: list[Quote] = []
        last: Draft | None = None
        for q in quotes:
            if not self.standalone(q):
                continue
            segments = [self.span(s, e) for s, e in q.outer]
            found = self.cue_after(q)
            if found is None and last is not None and last.close < q.open <= last.close + MAX_SPLIT_GAP \
                    and last.cue_token >= 0 and last.close < self.doc[last.cue_token].idx < q.open \
                    and "\n" not in self.text[last.close:q.open]:
                last.content.extend(segments)
                last.close = q.close
                self.quoted.extend(q.outer)
                continue
            if found is None:
                found = self.cue_before(q)
            if found is None:
                left.append(q)
                last = None
                continue
            cue, subj = found
            self.used.add(cue.i)
            draft = Draft("direct", self.source_of(subj, cue) if subj is not None else None, self.cue_span(cue),
                          segments, close=q.close, cue_token=cue.i)
            self.drafts.append(draft)
            self.quoted.extend(q.outer)
            last = draft
        return left

    # -- pass 1b: headline attributions ----------------------------------------------------------

    def headlines(self) -> None:
        """'Khan: Talks Will Resume Next Week' — a short line opened by a name or a noun
        phrase and a colon: the phrase is the source, the colon the cue, the rest the content."""
        text = self.text
        start = 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            colon = text.find(":", start, min(end, start + 60))
            if colon > start and end - start <= 300 and not text[colon - 1].isdigit():
                self.headline(start, colon, end)
            start = end + 1

    def headline(self, start: int, colon: int, end: int) -> None:
        doc = self.doc
        first, last = self.tok_after(start), self.tok_before(colon)
        if not 0 <= first <= last or last - first > 5 or not doc[first].text[:1].isupper():
            return
        tokens = doc[first:last + 1]
        if all(t.text.isupper() or not t.is_alpha for t in tokens):
            return  # a dateline ("PESHAWAR: The lawyer for ..."), not a speaker
        if any(t.pos_ == "PRON" or (t.pos_ in VERB_POS and (t.text[:1].islower() or t.i == tokens.root.i))
               for t in tokens) \
                or any(t.lower_ in self.lex.headline_labels for t in tokens):
            return  # "UPDATE: ...", "Watch: ...", "Here is why: ..."
        s, e = colon + 1, end
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        if len(self.text[s:e].split()) < 3 or self.inside_quote(s):
            return
        content = self.span(s, e)
        root = tokens.root
        source = self.resolver.source(doc[first], doc[last], root)
        named = source.entity is not None or all(t.text[:1].isupper() or not t.is_alpha for t in tokens)
        if not named and source.type not in ("document", "organization", "anonymous"):
            return  # only a name, or a noun that can speak ("Poll: ...", "Officials: ..."), opens a claim
        self.drafts.append(Draft("direct" if self.view[s] in MARKS else "indirect", source,
                                 self.span(colon, colon + 1), [content]))
        self.quoted.append((s, e))
        self.quoted.sort()

    # -- pass 2: indirect speech ----------------------------------------------------------------

    def indirect(self, phrases: list[Quote]) -> None:
        self.quoted.sort()
        lex = self.lex
        for tok in self.doc:
            if tok.i in self.used or self.inside_quote(tok.idx):
                continue
            lemma = tok.lemma_.lower()
            if tok.lower_ in self.phrase_starts:
                self.according(tok, phrases)
            elif tok.pos_ in VERB_POS and (lemma in lex.cue_verbs or lemma in lex.attitude_verbs
                                           or lemma in lex.raising_verbs or lemma in lex.cue_preps):
                self.cue_verb(tok, lemma, phrases)
            elif tok.pos_ == "NOUN" and lemma in lex.cue_nouns:
                self.cue_noun(tok, phrases)
            if tok.pos_ == "VERB" and lemma in lex.mixed_verbs and tok.i not in self.used:
                self.mixed_verb(tok, phrases)

    def listener_clause(self, tok: Any) -> tuple[int, int] | None:
        """'told the jury (during the trial) that ...': the parser often hangs the
        that-clause on a noun after the listener; the content runs from that "that" to the
        end of the cue's clause."""
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if obj is None:
            return None
        doc = self.doc
        for j in range(obj.i + 1, min(tok.right_edge.i, obj.i + 12) + 1):
            t = doc[j]
            if t.text in STOPS or t.text in (";", ":") or "\n" in t.text:
                return None
            if t.lower_ == "that" and j + 1 < len(doc) and doc[j + 1].pos_ not in VERB_POS \
                    and doc[j + 1].pos_ != "AUX" and not doc[j + 1].is_punct:
                return j, tok.right_edge.i
        return None

    def cue_verb(self, tok: Any, lemma: str, phrases: list[Quote]) -> None:
        if self.not_a_claim(tok, lemma):
            return
        # a clause in the cue's paragraph first: the parser may hang a headline's verb on the cue too
        comps = sorted((c for c in tok.children if c.dep_ == "ccomp"), key=lambda c: not self.same_paragraph(c, tok))
        comp = comps[0] if comps else None
        if comp is None and self.raising(tok, lemma, phrases):
            return
        lex = self.lex
        if lemma not in lex.cue_verbs and lemma not in lex.attitude_verbs:
            if lemma in lex.cue_preps:  # "pushed for talks": a cue only with its preposition
                self.frame(tok, lemma, phrases, prep_only=True)
            return
        if comp is None and lemma in LISTENER_CUES:
            found = self.listener_clause(tok)
            if found is not None:
                self.add_indirect(tok, lemma, phrases, *found)
                return
        if comp is None and (lemma in self.lex.object_cues or lemma in self.lex.pro_clause_cues):
            comp = next((c for c in tok.children if c.dep_ == "dobj" and c.ent_type_ != "PERSON"
                         and (c.pos_ != "PRON" or lemma in self.lex.pro_clause_cues)), None)
        if comp is None and lemma in self.lex.pro_clause_cues:
            # "half said so", "72 percent said yes"
            comp = next((c for c in tok.children if c.lower_ in self.lex.pro_clauses and c.i > tok.i), None)
        if comp is None and tok.dep_ == "parataxis" and (tok.head.i > tok.i or self.interrupts(tok)):
            self.parenthetical(tok, phrases)
            return
        if comp is None:
            if lemma not in lex.clause_only_cues:
                self.frame(tok, lemma, phrases)
            return
        last = self.coordinated_end(tok, comp) if comp.dep_ == "ccomp" else comp.right_edge.i
        self.add_indirect(tok, lemma, phrases, comp.left_edge.i, last)

    def frame(self, tok: Any, lemma: str, phrases: list[Quote], *, prep_only: bool = False) -> None:
        """A cue verb whose content is its object, infinitive or preposition."""
        found = self.complement(tok, lemma)
        if found is None or (prep_only and found[2] is None):
            return
        first, last, prep = found
        self.add_indirect(tok, lemma, phrases, first, last, cue=self.cue_with(tok, prep))

    def coordinated_end(self, tok: Any, comp: Any) -> int:
        """The end of the content when further clauses are coordinated with the first:
        'said that A(,) and that B' (the parser hangs B on the cue, as a second ccomp or as
        a conj opened by "that")."""
        doc, last = self.doc, int(comp.right_edge.i)
        for child in comp.children:
            if child.dep_ == "conj" and self.is_cue(child) and not any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
                # "confirmed that A but said B": B is the second cue's, not part of A
                last = int(child.left_edge.i) - 1
                while last > comp.i and (doc[last].dep_ == "cc" or doc[last].is_punct):
                    last -= 1
                return last
        for child in tok.children:
            if child.i <= last:
                continue
            if child.dep_ in ("punct", "cc") and child.right_edge.i == child.i:
                continue
            clause = child.dep_ == "ccomp" or (child.dep_ == "conj" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in child.children))
            between = doc[last + 1:child.left_edge.i]
            if not clause or any(not (t.is_punct or t.dep_ == "cc") for t in between) \
                    or any(t.text in STOPS for t in between):
                break
            last = int(child.right_edge.i)
        return last

    def add_indirect(self, tok: Any, lemma: str, phrases: list[Quote], first: int, last: int,
                     cue: Span | None = None) -> None:
        if self.nested(tok.idx, beliefs=lemma in self.lex.belief_verbs) or self.unasserted(tok):
            return
        content = self.clip(self.token_span(first, last), tok.idx)
        if content is None or self.inside_quote(content.start) or content.start <= tok.idx < content.end:
            return
        subj = self.subject(tok)
        if subj is not None and lemma in self.lex.belief_verbs and subj.lower_ in FIRST_PERSON:
            return  # "I think ...": a quoted speaker's (inside a transcript) or the author's own
        mixed = self.embeds_quote(content, phrases)
        self.used.add(tok.i)
        source = self.source_of(subj, tok) if subj is not None else None
        self.drafts.append(Draft("mixed" if mixed else "indirect", source, cue or self.cue_span(tok),
                                 [mixed or content]))

    def parenthetical(self, tok: Any, phrases: list[Quote]) -> None:
        """'This campaign, he says, is different': the content is the clause around the cue,
        in two spans when the cue interrupts it."""
        head, subj = tok.head, self.subject(tok)
        if subj is None or head.right_edge.i - head.left_edge.i > 200:
            return
        after = tok.right_edge.i + 1
        while after < len(self.doc) and (self.doc[after].text == "," or self.doc[after].dep_ == "cc"):
            after += 1  # 'X, Qaisrani said, and Y': the second span starts at Y
        parts = [self.token_span(head.left_edge.i, tok.left_edge.i - 1),
                 self.token_span(after, head.right_edge.i)]
        content = [c for c in (self.clip(p, tok.idx) for p in parts) if c is not None]
        if not content or self.inside_quote(content[0].start):
            return
        self.used.add(tok.i)
        kind = "mixed" if any(self.embeds_quote(c, phrases) for c in content) else "indirect"
        self.drafts.append(Draft(kind, self.source_of(subj, tok), self.cue_span(tok), content))

    def interrupts(self, tok: Any) -> bool:
        """A cue set off by commas after the start of its clause, with more of the clause
        after it: 'X, Qaisrani said, and Y'."""
        doc, first, last = self.doc, tok.left_edge.i, tok.right_edge.i
        if doc[first].text != ",":
            first -= 1
        if doc[last].text != ",":
            last += 1
        if first <= 0 or last + 1 >= len(doc) or doc[first].text != "," or doc[last].text != ",":
            return False
        return tok.head.right_edge.i > last + 1 and doc[last + 1].text not in STOPS

    def cue_noun(self, tok: Any, phrases: list[Quote]) -> None:
        clause = None
        for child in tok.children:
            if child.dep_ in ("acl", "ccomp", "appos") and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in child.children):
                clause = child
        if clause is None:
            return
        content = self.clip(self.token_span(clause.left_edge.i, clause.right_edge.i), tok.idx)
        if content is None or content.start <= tok.idx < content.end:
            return
        speaker = None
        for child in tok.children:
            if child.dep_ == "poss":
                speaker = child
            elif child.dep_ == "prep" and child.lower_ == "by":
                speaker = next((c for c in child.children if c.dep_ == "pobj"), speaker)
        mixed = self.embeds_quote(content, phrases)
        self.used.add(tok.i)
        self.drafts.append(Draft("mixed" if mixed else "indirect",
                                 self.source_of(speaker) if speaker is not None else None,
                                 self.cue_span(tok), [mixed or content]))

    def according(self, tok: Any, phrases: list[Quote]) -> None:
        doc = self.doc
        for phrase in self.lex.according_to:
            end = tok.i + len(phrase)
            if end > len(doc) or tuple(t.lower_ for t in doc[tok.i:end]) != phrase:
                continue
            last = doc[end - 1]
            pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
            if pobj is None:
                return
            sent = self.sentence_of(tok.idx)
            # the sentence, but never across a line break (a headline above, a dateline)
            line_start = self.text.rfind("\n", sent.start, tok.idx) + 1 or sent.start
            line_end = self.text.find("\n", tok.idx, sent.end)
            lo = self.tok_after(max(sent.start, line_start))
            hi = self.tok_before(sent.end if line_end < 0 else line_end)
            right = max(pobj.right_edge.i, end - 1)
            parts = [self.token_span(lo, tok.i - 1), self.token_span(right + 1, hi)]
            content = [p for p in parts if p is not None and any(ch.isalnum() for ch in p.text)]
            if not content:
                return
            self.used.add(tok.i)
            self.drafts.append(Draft("according_to", self.source_of(pobj),
                                     self.span(tok.idx, last.idx + len(last.text)), content))
            return

    def mixed_verb(self, tok: Any, phrases: list[Quote]) -> None:
        if tok.right_edge.i <= tok.i:
            return
        found = self.clip(self.token_span(tok.i + 1, tok.right_edge.i), tok.idx)
        content = self.embeds_quote(found, phrases) if found is not None else None
        if content is None:
            return
        subj = self.subject(tok)
        self.used.add(tok.i)
        self.drafts.append(Draft("mixed", self.source_of(subj, tok) if subj is not None else None,
                                 self.cue_span(tok), [content]))

    # -- pass 3: floating quotes ----------------------------------------------------------------

    def floating(self, quotes: list[Quote]) -> None:
        spoken = sorted((d for d in self.drafts if d.source is not None), key=lambda d: d.content[-1].end)
        ends = [d.content[-1].end for d in spoken]
        for q in quotes:
            i = q.open - 1
            while i >= 0 and self.view[i] in " \t":
                i -= 1
            if i >= 0 and self.view[i] not in "\n.!?" and self.view[i] not in MARKS:
                continue  # not a sentence of its own
            k = bisect_right(ends, q.open) - 1
            if k < 0 or q.open - ends[k] > MAX_FLOAT_GAP:
                continue
            self.drafts.append(Draft("direct", spoken[k].source, None,
                                     [self.span(s, e) for s, e in q.outer]))

    def run(self, model: AttributionModel | None = None) -> tuple[Claim, ...]:
        quotes = find_quotes(self.text)
        phrases = [q for q in quotes if not self.standalone(q)]
        self.phrase_opens = [q.open for q in phrases]
        self.phrases = phrases
        left = self.direct(quotes)
        self.quoted.sort()
        self.headlines()
        self.indirect(phrases)
        self.floating(left)
        drafts = self.drafts
        if model is not None:
            drafts = model.revise(self, drafts, quotes)
        drafts = sorted(drafts, key=lambda d: d.start)
        self.pronouns(drafts)
        return tuple(Claim(f"c{n}", d.kind, self.typed(d.source), d.cue, tuple(d.content))
                     for n, d in enumerate(drafts, 1))

    def typed(self, source: Source | None) -> Source | None:
        """An anonymous source with its subtype (security, official, agency, police, witness,
        family, other): one rule for every unnamed source, whichever pass found it."""
        if source is None or source.type != "anonymous" or source.subtype is not None:
            return source
        return replace(source, subtype=anonymous_subtype(source.span.text, self.lex))


def extract_claims(analysis: Analysis, lex: AttributionLexicon | None = None,
                   model: AttributionModel | None = None) -> tuple[Claim, ...]:
    """The claims of one analysis: the rules' alone, or revised by the learned ``model``."""
    if not analysis.document.text.strip():
        return ()
    return _Extractor(analysis, lex or attribution_lexicon()).run(model)
