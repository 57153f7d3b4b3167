"""The learned attribution model: a cue tagger and a span tagger (CRFs) over the rules' output.

Loaded once per pipeline from ``claimgraph/models/attribution/`` (``cue.crfsuite``,
``spans.crfsuite``, card in ``CARD.md``). :meth:`AttributionModel.revise` takes the rules'
drafts of one document and returns the drafts the model keeps or adds:

1. the cue tagger labels every sentence; a rules claim whose cue it does not confirm is
   dropped, a cue it finds that the rules missed opens a new claim;
2. for each cue, the span tagger labels its window (the sentence, the quote it touches,
   the rules' spans for it) with source and content;
3. a source span is typed and resolved by the same :class:`~claimgraph.pipeline.coref.Resolver`
   as the rules' sources; a cue with no content found is no claim.

Claims without a cue (quotes continuing the previous speaker) stay as the rules made them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimgraph.errors import PipelineError
from claimgraph.model import Claim, Source, Span
from claimgraph.pipeline.claims.base import Draft
from claimgraph.pipeline.claims.features import (
    context,
    cue_features,
    cue_window,
    rule_roles,
    sequences,
    span_features,
)
from claimgraph.pipeline.claims.prior import FILE as PRIOR_FILE
from claimgraph.pipeline.claims.prior import CuePrior
from claimgraph.pipeline.quotes import MARK_TOKENS, Quote

if TYPE_CHECKING:
    from claimgraph.pipeline.claims.base import ClaimsBase

NAME = "attribution"
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / NAME
RETRAIN = "python -m claimgraph.training attribution"
_BLANK = re.compile(r"\n[ \t]*\n")
_RELATIVE = frozenset({"WDT", "WP"})
#: parts of speech that end a cue's verb group
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "DET", "NUM", "ADJ"})


def chunks(labels: list[str], prefix: str = "") -> list[tuple[int, int]]:
    """(first, last) offsets of the B/I runs of one label kind (``prefix`` "" for B/I, "-S"...)."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, lab in enumerate(labels):
        if lab == "B" + prefix or (lab == "I" + prefix and start < 0):
            if start >= 0:
                out.append((start, i - 1))
            start = i
        elif lab != "I" + prefix and start >= 0:
            out.append((start, i - 1))
            start = -1
    if start >= 0:
        out.append((start, len(labels) - 1))
    return out


class AttributionModel:
    """The two taggers, opened once; :meth:`revise` runs them on one document."""

    def __init__(self, folder: Path = MODEL_DIR, *, rule_spans: bool | None = None) -> None:
        import pycrfsuite

        #: keep the rules' source and content for a cue the rules found (the span tagger then
        #: serves only the cues the rules missed); chosen at training time, see model.json
        self.rule_spans = bool(rule_spans)
        settings: dict[str, Any] = {}
        config = folder / "model.json"
        try:
            settings = json.loads(config.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            raise PipelineError(f"attribution model file {config} is unreadable ({exc}); rebuild it with "
                                f"`{RETRAIN}`") from exc
        if rule_spans is None:
            self.rule_spans = bool(settings.get("rule_spans", False))
        #: the logistic cue prior over spaCy's token vectors the cue tagger was trained with
        self.prior = CuePrior.load(folder / PRIOR_FILE, RETRAIN) if settings.get("cue_prior") else None

        self.cue = pycrfsuite.Tagger()
        self.spans = pycrfsuite.Tagger()
        for tagger, name in ((self.cue, "cue.crfsuite"), (self.spans, "spans.crfsuite")):
            path = folder / name
            if not path.is_file():
                raise PipelineError(f"attribution model file {path} is missing; rebuild it with `{RETRAIN}` "
                                    f"(or run with --rules-only)")
            try:
                tagger.open(str(path))
            except (OSError, ValueError) as exc:
                raise PipelineError(f"attribution model file {path} is unreadable ({exc}); rebuild it with "
                                    f"`{RETRAIN}`") from exc

    def cues(self, ex: ClaimsBase, ctx: Any) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for lo, hi in sequences(ex.doc, ex.sentences, ex.starts):
            labels = self.cue.tag(cue_features(ctx, lo, hi))
            found.extend((lo + a, lo + b) for a, b in chunks(labels))
        return found

    def revise(self, ex: ClaimsBase, drafts: list[Draft], quotes: list[Quote]) -> list[Draft]:
        doc, text = ex.doc, ex.text
        if len(doc) == 0:
            return drafts
        claims = [Claim("", d.kind, d.source, d.cue, tuple(d.content)) for d in drafts]
        ctx = context(doc, ex.lex, quotes, claims, ex.starts,
                      self.prior.probabilities(doc) if self.prior is not None else None)
        by_claim = {id(c): d for c, d in zip(claims, drafts, strict=True)}
        # quotes continuing a speaker (no cue) and "according to X" stay as the rules read them
        out = [d for d in drafts if d.cue is None or d.kind == "according_to"]
        starts = ex.starts
        for cue_lo, cue_hi in self.cues(ex, ctx):
            if ex.not_a_claim(doc[cue_lo:cue_hi + 1].root):
                continue
            claim = next((ctx.rule_claims[i] for i in range(cue_lo, cue_hi + 1) if i in ctx.rule_claims), None)
            if claim is not None and claim.cue is not None:
                cue_hi = self.verb_group_end(doc, cue_lo, cue_hi, claim.cue.end)
            rule = by_claim.get(id(claim)) if claim is not None else None
            if rule is not None and (self.rule_spans or rule.kind == "according_to"):
                if all(d is not rule for d in out):
                    out.append(rule)
                continue
            lo, hi = cue_window(doc, ex.sent_starts, ex.sentences, starts, cue_lo, cue_hi, quotes, claim)
            roles = rule_roles(doc, starts, claim, lo, hi)
            labels = self.spans.tag(span_features(ctx, cue_lo, cue_hi, lo, hi, roles))
            content = [c for c in (self._span(ex, lo + a, lo + b) for a, b in chunks(labels, "-C")) if c is not None]
            content = self.own_paragraph(ex, doc[cue_lo].idx, content)
            if not content:
                if rule is not None:
                    out.append(rule)  # the tagger found no content where the rules did: theirs stands
                continue
            cue = ex.span(doc[cue_lo].idx, doc[cue_hi].idx + len(doc[cue_hi].text))
            sources = chunks(labels, "-S")
            source = self._source(ex, lo + sources[0][0], lo + sources[0][1], claim) if sources else None
            if rule is not None and rule.source is not None:
                if source is None:
                    source = rule.source  # the tagger saw no source where the rules found one
                elif source.span.overlaps(rule.source.span):
                    # the tagger draws the phrase, the rules say who it is
                    source = Source(rule.source.entity, source.span, rule.source.type, rule.source.subtype)
            kind = self._kind(text, cue, content, rule)
            out.append(Draft(kind, source, cue, content, close=rule.close if rule else -1, cue_token=cue_lo))
        # what a document found or shows ("its review had found that ..."): evidence the rules
        # read from a that-clause, kept where the tagger has no cue of its own
        # and a cue in a sentence the parser ran on across a blank line: the parse (and so the
        # features) join two paragraphs, two speakers; the rules read each paragraph apart
        taken = [d.cue for d in out if d.cue is not None]
        for d in drafts:
            if d.cue is None or any(c.overlaps(d.cue) for c in taken):
                continue
            evidence = d.source is not None and d.source.type == "document" and d.content[0].text[:5].lower() == "that "
            if evidence or _BLANK.search(text, ex.sentence_of(d.cue.start).start, d.cue.start):
                out.append(d)
        return self.join_continued(text, out)

    @staticmethod
    def join_continued(text: str, drafts: list[Draft]) -> list[Draft]:
        """A quote with no cue that goes on, in the same paragraph, from the speaker's claim just
        before it ('"...," Fells told Fox News. "They care about two things."') is more content
        of that claim, as PolNeAR and PARC annotate it, not a claim of its own. One in the next
        paragraph stays a claim of its own (it has no cue; the rules credit it to the speaker)."""
        cued = sorted((d for d in drafts if d.cue is not None and d.source is not None),
                      key=lambda d: max(s.end for s in (d.cue, *d.content) if s is not None))
        out: list[Draft] = []
        for d in drafts:
            if d.cue is not None or d.source is None or d.kind != "direct" or not d.content:
                out.append(d)
                continue
            start = d.content[0].start
            before = [c for c in cued if max(s.end for s in (c.cue, *c.content) if s is not None) <= start]
            prev = before[-1] if before else None
            if prev is None or prev.source is None or not prev.source.span.overlaps(d.source.span) \
                    or _BLANK.search(text, prev.start, start):
                out.append(d)
                continue
            prev.content = [*prev.content, *d.content]
        return out

    @staticmethod
    def verb_group_end(doc: Any, first: int, last: int, rules_end: int) -> int:
        """Where the rules found the same cue, the model's cue ends with the rules' verb group:
        "denounced attempts to label" is the cue "denounced" and the content "attempts to
        label ..." (the words after the rules' cue are nominal). Only the first word after the
        rules' cue decides: "said in a statement" is one cue, as annotators mark it."""
        for i in range(first, last + 1):
            if doc[i].idx >= rules_end:
                return max(first, i - 1) if doc[i].pos_ in _NOMINAL else last
        return last

    @staticmethod
    def own_paragraph(ex: ClaimsBase, cue: int, content: list[Span]) -> list[Span]:
        """Content stays in the cue's paragraph (the parser may run a sentence across a blank
        line, into the next speaker's paragraph); only a quote may go on into the next one."""
        text, view = ex.text, ex.view
        kept: list[Span] = []
        for span in content:
            lo, hi = min(cue, span.start), max(cue, span.start)
            if _BLANK.search(text, lo, hi) and view[span.start] not in MARK_TOKENS:
                continue
            inner = _BLANK.search(text, span.start, span.end)
            if inner is not None and view[span.start] not in MARK_TOKENS:
                span = ex.span(span.start, inner.start())  # the part on the cue's side of the blank line
            kept.append(span)
        return kept

    @staticmethod
    def _span(ex: ClaimsBase, first: int, last: int) -> Span | None:
        """Tokens first..last as content, edge punctuation trimmed as the rules trim it."""
        return ex.token_span(first, last)

    @staticmethod
    def _source(ex: ClaimsBase, first: int, last: int, claim: Claim | None) -> Source:
        doc = ex.doc
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        if claim is not None and claim.source is not None and \
                (claim.source.span.start, claim.source.span.end) == (start, end):
            return claim.source  # the rules' own source: typed and resolved with all they know
        tokens = doc[first:last + 1]
        root = tokens.root
        if first == last and root.tag_ in _RELATIVE:
            return ex.source_of(root)
        return ex.resolver.source(doc[first], doc[last], root)

    @staticmethod
    def _kind(text: str, cue: Span, content: list[Span], rule: Draft | None) -> str:
        if cue.text.lower().startswith("according"):
            return "according_to"
        first = text[content[0].start:content[0].start + 2]
        if any(m in first for m in MARK_TOKENS):
            return "direct" if all(text[c.start:c.start + 1] in MARK_TOKENS or text[c.start:c.start + 2] in
                                   MARK_TOKENS for c in content) else "mixed"
        if any(any(m in text[c.start:c.end] for m in MARK_TOKENS) for c in content):
            return "mixed"
        return rule.kind if rule is not None and rule.kind != "direct" else "indirect"


_LOADED: dict[Path, AttributionModel] = {}


def load(folder: Path = MODEL_DIR) -> AttributionModel:
    """The model of ``folder``, opened once per process and shared by its pipelines."""
    model = _LOADED.get(folder)
    if model is None:
        model = _LOADED[folder] = AttributionModel(folder)
    return model


__all__ = ["MODEL_DIR", "NAME", "AttributionModel", "chunks", "load"]
