"""Features of the attribution models, over the spaCy parse, the cue lexicon and the rules' output.

Two sequence labellers (python-crfsuite CRFs), as in BBC Citron:

- the **cue tagger** labels every token of a sentence ``B``/``I``/``O`` (a cue span: "said",
  "has called for", "according to", a colon or a dash before or after a quote). Its features
  are the token's word, lemma, tags and dependency, its membership in the lexicon's lists, the
  clause it governs, whether it is quoted, its neighbours, and the label the rules gave it;
- the **span tagger** labels the tokens around one cue ``B-S``/``I-S`` (source) and
  ``B-C``/``I-C`` (content). Its features say where a token stands from the cue (side,
  distance, and its place in the parse: the cue's subject, its complement, its agent...),
  what it is, whether it is quoted, and the role the rules gave it for that cue.

Features are short strings; everything is computed in one pass per sentence or per cue
window, so the cost is linear in the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimgraph.model import Claim, Span
from claimgraph.pipeline.coref import AttributionLexicon
from claimgraph.pipeline.quotes import MARK_TOKENS, Quote

#: a sequence longer than this many tokens is cut into pieces (a 100,000-character sentence)
MAX_SEQUENCE = 300
#: tokens of a cue window at most (the cue's sentence, the quote it introduces, the rules' spans)
MAX_WINDOW = 260
_DASHES = frozenset({"―", "—", "–", "--"})
_COMP_DEPS = frozenset({"ccomp", "xcomp", "dobj", "pcomp", "advcl", "attr", "oprd", "acomp", "conj"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})

Features = list[str]
#: parts of speech whose tokens get the lexicon's and the dependents' features (the others never head a cue)
_CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADP", "PROPN", "ADJ"})
_CHILD_DEPS = frozenset({"ccomp", "nsubj", "dobj", "xcomp", "prep", "agent", "nsubjpass", "aux", "neg", "prt",
                         "dative", "npadvmod"})


@dataclass(slots=True)
class Context:
    """What every feature function of one document reads: the parse, per-token quote state,
    and the rules' claims as token labels."""

    doc: Any
    lex: AttributionLexicon
    quoted: list[bool]
    rule_cue: list[str]
    #: token index of a rules cue's head -> the rules claim with that cue
    rule_claims: dict[int, Claim]
    #: the tokens, and per token: lower-case word, part of speech (read once: spaCy makes a new
    #: Token object on every ``doc[i]``)
    toks: list[Any]
    lower: list[str]
    pos: list[str]
    lemma: list[str]
    dep: list[str]
    tag: list[str]
    head: list[int]
    #: per token, the cue prior's probability that it is part of a cue (empty: no prior; see
    #: :mod:`.prior`, an option of the training command that did not pay and is off)
    prior: list[float] = field(default_factory=list)


def quoted_tokens(doc: Any, quotes: Sequence[Quote], starts: list[int]) -> list[bool]:
    """Whether each token lies between the marks of a quote."""
    flags = [False] * len(doc)
    for q in quotes:
        for s, e in q.segments:
            lo = bisect_right(starts, s - 1)
            hi = bisect_right(starts, e - 1)
            for i in range(lo, hi):
                flags[i] = True
    return flags


def token_range(doc: Any, starts: list[int], span: Span) -> tuple[int, int]:
    """First and last token of a character span (tokens that start inside it)."""
    lo = bisect_right(starts, span.start - 1)
    hi = bisect_right(starts, span.end - 1) - 1
    return lo, max(lo, hi)


def context(doc: Any, lex: AttributionLexicon, quotes: Sequence[Quote], claims: Sequence[Claim],
            starts: list[int], prior: list[float] | None = None) -> Context:
    rule_cue = ["O"] * len(doc)
    rule_claims: dict[int, Claim] = {}
    for claim in claims:
        if claim.cue is None:
            continue
        lo, hi = token_range(doc, starts, claim.cue)
        if lo >= len(doc):
            continue
        for i in range(lo, hi + 1):
            rule_cue[i] = "B" if i == lo else "I"
        for i in range(lo, hi + 1):
            rule_claims[i] = claim
    toks = list(doc)
    heads = [i + h for i, h in enumerate(doc.to_array("HEAD").astype("int64").tolist())] if len(doc) else []
    return Context(doc, lex, quoted_tokens(doc, quotes, starts), rule_cue, rule_claims, toks,
                   [t.lower_ for t in toks], [t.pos_ for t in toks], [t.lemma_.lower() for t in toks],
                   [t.dep_ for t in toks], [t.tag_ for t in toks], heads, prior or [])


#: lexicon lists a token's lemma may be in, and the feature each gives
_LEX_LISTS = (("cue_verbs", "lx=cue"), ("attitude_verbs", "lx=att"), ("cue_nouns", "lx=noun"),
              ("raising_verbs", "lx=raise"), ("mixed_verbs", "lx=mixed"), ("belief_verbs", "lx=belief"),
              ("cue_preps", "lx=prep"), ("document_heads", "lx=doc"))


def _lex_tags(lemma: str, lex: AttributionLexicon) -> list[str]:
    return [tag for attribute, tag in _LEX_LISTS if lemma in getattr(lex, attribute)]


def cue_features(ctx: Context, first: int, last: int) -> list[Features]:
    """Features of tokens first..last (one sequence) for the cue tagger."""
    lex, toks, lower, pos, rule, quoted = ctx.lex, ctx.toks, ctx.lower, ctx.pos, ctx.rule_cue, ctx.quoted
    lemmas, deps, tags, heads = ctx.lemma, ctx.dep, ctx.tag, ctx.head
    n = len(toks)
    out: list[Features] = []
    for i in range(first, last + 1):
        lemma = lemmas[i]
        dep = deps[i]
        h = heads[i]
        f = [
            "b", "w=" + lower[i], "l=" + lemma, "p=" + pos[i], "t=" + tags[i], "d=" + dep,
            "hl=" + lemmas[h], "dhp=" + dep + pos[h], "r=" + rule[i], "q" + str(quoted[i]),
            "pl=" + pos[i] + lemma,
        ]
        if pos[i] in _CUE_POS:
            tok = toks[i]
            f.extend(_lex_tags(lemma, lex))
            f.extend("c=" + c.dep_ for c in tok.children if c.dep_ in _CHILD_DEPS)
        if ctx.prior:
            p = ctx.prior[i]
            f.append(f"pr={min(9, int(p * 10))}")
            if p > 0.5:
                f.append("prhi")
        text = lower[i]
        if text in MARK_TOKENS:
            f.append("mark")
        elif text in _DASHES or text == ":":
            f.append("sep=" + text)
        if i == first:
            f.append("ss")
        for k in (-2, -1, 1, 2):
            j = i + k
            if 0 <= j < n:
                f.append(f"{k}w={lower[j]}")
                if k in (-1, 1):
                    f.append(f"{k}p={pos[j]}")
                    f.append(f"{k}r={rule[j]}")
                    f.append(f"{k}q{quoted[j]}")
            else:
                f.append(f"{k}edge")
        out.append(f)
    return out


def sequences(doc: Any, sentences: Sequence[Span], starts: list[int]) -> list[tuple[int, int]]:
    """Token ranges the cue tagger labels: sentences, cut at a line break (the parser may run a
    sentence on into the next paragraph, another speaker's) and at :data:`MAX_SEQUENCE` tokens."""
    out: list[tuple[int, int]] = []
    for sent in sentences:
        lo, hi = token_range(doc, starts, sent)
        if lo >= len(doc) or hi < lo:
            continue
        while lo <= hi:
            end = min(hi, lo + MAX_SEQUENCE - 1)
            for j in range(lo, end):
                if doc[j].is_space and "\n" in doc[j].text:
                    end = j
                    break
            out.append((lo, end))
            lo = end + 1
    return out


# -- the span tagger ----------------------------------------------------------------------------


def _relation(ctx: Context, head: Any, span_lo: int, span_hi: int) -> dict[int, str]:
    """Each token's place in the parse relative to the cue's head: in its subject, its
    complement, its agent, the clause it hangs on, or elsewhere."""
    rel: dict[int, str] = {}

    def mark(node: Any, name: str) -> None:
        lo, hi = max(span_lo, node.left_edge.i), min(span_hi, node.right_edge.i)
        for j in range(lo, hi + 1):
            rel.setdefault(j, name)

    for child in head.children:
        if child.dep_ in _SUBJ_DEPS:
            mark(child, "subj")
        elif child.dep_ == "agent":
            mark(child, "agent")
        elif child.dep_ == "poss":
            mark(child, "poss")
        elif child.dep_ == "prep":
            mark(child, "prep-" + child.lower_)
        elif child.dep_ in _COMP_DEPS:
            mark(child, "comp-" + child.dep_)
        elif child.dep_ == "parataxis":
            mark(child, "para")
    up = head.head
    if up.i != head.i:
        # "X, he said, ...": the clause the cue hangs on; its own subject may be the source
        for child in up.children:
            if child.dep_ in _SUBJ_DEPS and child.i != head.i:
                mark(child, "up-subj")
        mark(up, "up-" + head.dep_)
    return rel


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 3, 5, 8, 12, 20, 40):
        if n <= limit:
            return str(limit)
    return "far"


def cue_window(doc: Any, sentences_starts: list[int], sentences: Sequence[Span], starts: list[int],
               cue_lo: int, cue_hi: int, quotes: Sequence[Quote], claim: Claim | None) -> tuple[int, int]:
    """Tokens the span tagger looks at for one cue: its sentence, widened to the quote that
    touches it and to the rules' spans for this cue, at most :data:`MAX_WINDOW` tokens."""
    k = max(0, bisect_right(sentences_starts, doc[cue_lo].idx) - 1)
    sent = sentences[k]
    lo_c, hi_c = sent.start, sent.end
    for q in quotes:
        if q.close >= lo_c and q.open <= hi_c:
            lo_c, hi_c = min(lo_c, q.open), max(hi_c, q.close + 1)
    if claim is not None:
        for s in (claim.source.span if claim.source else None, *claim.content):
            if s is not None:
                lo_c, hi_c = min(lo_c, s.start), max(hi_c, s.end)
    lo = bisect_right(starts, lo_c - 1)
    hi = bisect_right(starts, hi_c - 1) - 1
    lo = max(lo, cue_lo - MAX_WINDOW // 2)
    hi = min(hi, lo + MAX_WINDOW - 1, len(doc) - 1)
    if cue_hi > hi:
        hi = min(len(doc) - 1, cue_hi + 20)
        lo = max(0, min(lo, hi - MAX_WINDOW + 1))
    return lo, hi


def rule_roles(doc: Any, starts: list[int], claim: Claim | None, lo: int, hi: int) -> list[str]:
    """The rules' role of each window token for this cue: S (source), C (content), or O."""
    roles = ["O"] * (hi - lo + 1)
    if claim is None:
        return roles
    parts: list[tuple[str, Span]] = [("C", c) for c in claim.content]
    if claim.source is not None:
        parts.append(("S", claim.source.span))
    for role, span in parts:
        a, b = token_range(doc, starts, span)
        for j in range(max(a, lo), min(b, hi) + 1):
            if doc[j].idx < span.end:
                roles[j - lo] = role
    return roles


def span_features(ctx: Context, cue_lo: int, cue_hi: int, lo: int, hi: int, roles: list[str]) -> list[Features]:
    """Features of tokens lo..hi for the span tagger, given the cue tokens cue_lo..cue_hi."""
    doc, toks, lower, pos, quoted = ctx.doc, ctx.toks, ctx.lower, ctx.pos, ctx.quoted
    cue = doc[cue_lo:cue_hi + 1]
    head = cue.root
    rel = _relation(ctx, head, lo, hi)
    cue_lemma = head.lemma_.lower()
    cue_kind = "v" if head.pos_ in ("VERB", "AUX") else "n" if head.pos_ in ("NOUN", "PROPN") else head.pos_
    out: list[Features] = []
    for i in range(lo, hi + 1):
        tok = toks[i]
        if cue_lo <= i <= cue_hi:
            side, dist = "cue", 0
        elif i < cue_lo:
            side, dist = "bef", cue_lo - i
        else:
            side, dist = "aft", i - cue_hi
        r = rel.get(i, "none")
        role = roles[i - lo]
        f = [
            "b", "s=" + side, "sd=" + side + _bucket(dist), "rel=" + r, "rs=" + r + side,
            "w=" + lower[i], "p=" + pos[i], "d=" + tok.dep_, "dp=" + tok.dep_ + pos[i],
            "q=" + str(quoted[i]), "rr=" + role, "rrs=" + role + side, "rrel=" + role + r,
            "ck=" + cue_kind, "cl=" + cue_lemma, "ent=" + tok.ent_type_, "rp=" + r + pos[i],
        ]
        if tok.text in MARK_TOKENS:
            f.append("mark")
        if tok.is_sent_start:
            f.append("ss")
        if tok.text in _DASHES or tok.text == ":":
            f.append("sep")
        for k in (-1, 1):
            j = i + k
            if lo <= j <= hi:
                f.append(f"{k}w={lower[j]}")
                f.append(f"{k}rr={roles[j - lo]}")
                f.append(f"{k}rel={rel.get(j, 'none')}")
                f.append(f"{k}q={quoted[j]}")
            else:
                f.append(f"{k}edge")
        out.append(f)
    return out


__all__ = ["Context", "context", "cue_features", "cue_window", "quoted_tokens", "rule_roles", "sequences",
           "span_features", "token_range"]
