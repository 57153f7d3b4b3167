"""Features of one candidate name span for the entity typer.

What a rule sees, as features rather than verdicts: the rules' type for the entity and the
evidence of the mention, spaCy's label (exact span or overlapping) and how the name's tokens
were tagged, the words of the name and around it, cue words (titles, place and team words,
outlets), gazetteer evidence, the kind of line the span is in (prose, table, dateline...) and
how the entity is used across the document. Shared by training and inference, so both see
exactly the same features.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from claimgraph.model import Entity
from claimgraph.pipeline.entities.cue_rules import place_context
from claimgraph.pipeline.entities.cues import cues
from claimgraph.pipeline.entities.nonprose import LineIndex
from claimgraph.pipeline.gazetteer import Gazetteer
from claimgraph.pipeline.mentions import LABEL_TYPES, NON_NAME_LABELS
from claimgraph.pipeline.names import lexicon, name_key

Features = dict[str, float]


def shape(word: str) -> str:
    """Word shape with runs collapsed: "Datta" -> "Xx", "U.N" -> "X.X", "1996-12-06" -> "d-d-d"."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


@dataclass
class DocContext:
    """What every candidate of one document shares: tokens by character, spaCy's entities,
    the non-prose lines and each entity's spaCy labels."""

    doc: Any
    text: str
    gazetteer: Gazetteer | None
    lines: LineIndex = field(init=False)
    token_at: dict[int, int] = field(init=False)
    token_end: dict[int, int] = field(init=False)
    spacy_spans: dict[tuple[int, int], str] = field(init=False)
    spacy_label_of_token: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)
        self.token_at = {t.idx: t.i for t in self.doc}
        self.token_end = {t.idx + len(t.text): t.i for t in self.doc}
        self.spacy_spans = {}
        self.spacy_label_of_token = {}
        for ent in self.doc.ents:
            if ent.label_ in NON_NAME_LABELS:
                continue
            self.spacy_spans[(ent.start_char, ent.end_char)] = ent.label_
            for t in ent:
                self.spacy_label_of_token[t.i] = ent.label_

    def tokens(self, start: int, end: int) -> list[Any]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []


def entity_features(ctx: DocContext, entity: Entity) -> Features:
    """Features of the entity all its mentions share."""
    labels: Counter[str] = Counter()
    for m in entity.mentions:
        for i in (ctx.token_at.get(m.start), ):
            if i is not None and i in ctx.spacy_label_of_token:
                labels[ctx.spacy_label_of_token[i]] += 1
    feats: Features = {f"rules={entity.type}": 1.0, f"ent_n={min(len(entity.mentions), 5)}": 1.0,
                       f"ent_words={min(len(entity.name.split()), 4)}": 1.0}
    if labels:
        top = labels.most_common(1)[0][0]
        feats[f"ent_spacy={top}"] = 1.0
        feats[f"rules={entity.type}|ent_spacy={top}"] = 1.0
    else:
        feats["ent_spacy=none"] = 1.0
    lex = cues()
    key = name_key(entity.name)
    if key in lex.languages:
        feats["cue_language"] = 1.0
    if key in lex.holidays or key.split(" ")[0] in ("eid",):
        feats["cue_holiday"] = 1.0
    if lex.place_like(entity.name):
        feats["cue_place_like"] = 1.0
    return feats


def _add_gazetteer(feats: Features, ctx: DocContext, name: str) -> None:
    gaz = ctx.gazetteer
    if gaz is None:
        return
    if gaz.demonym(name):
        feats["gaz_demonym"] = 1.0
    matches = gaz.lookup(name)
    own = {m.place.feature for m in matches if not m.alternate}
    alt = {m.place.feature for m in matches if m.alternate}
    for feature in own:
        feats[f"gaz={feature}"] = 1.0
    for feature in alt - own:
        feats[f"gaz_alt={feature}"] = 1.0
    if not matches:
        feats["gaz_none"] = 1.0


def span_features(ctx: DocContext, entity: Entity, start: int, end: int, shared: Features) -> Features:
    """Features of the candidate [start, end) as a mention of ``entity``."""
    lex = lexicon()
    cue = cues()
    feats: Features = dict(shared)
    tokens = ctx.tokens(start, end)
    if not tokens:
        feats["no_tokens"] = 1.0
        return feats
    words = [t.text for t in tokens]
    lower = [w.lower() for w in words]
    label = ctx.spacy_spans.get((start, end))
    if label is not None:
        feats[f"spacy_exact={label}"] = 1.0
    else:
        inside = {ctx.spacy_label_of_token.get(t.i) for t in tokens} - {None}
        for lab in inside:
            feats[f"spacy_overlap={lab}"] = 1.0
        if not inside:
            feats["spacy_none"] = 1.0
        starts_before = tokens[0].i - 1 >= 0 and tokens[0].i - 1 in ctx.spacy_label_of_token \
            and tokens[0].i in ctx.spacy_label_of_token
        if starts_before:
            feats["spacy_starts_before"] = 1.0
    rules_type = entity.type
    coarse_spacy = LABEL_TYPES.get(label or "", "none")
    feats[f"rules={rules_type}|spacy={coarse_spacy}"] = 1.0
    feats[f"n_tok={min(len(tokens), 5)}"] = 1.0
    # No bag of words: the name's own words memorise the training sets ("Ford" a person in
    # one, a carmaker in another); shapes, cues and the neighbours' classes generalise.
    feats[f"shape_first={shape(words[0])}"] = 1.0
    feats[f"shape_last={shape(words[-1])}"] = 1.0
    if lower[0] == "the":
        feats["starts_the"] = 1.0
        feats[f"starts_the|rules={rules_type}"] = 1.0
    if len(entity.name) > 0 and name_key(" ".join(words)) != name_key(entity.name):
        feats["short_form"] = 1.0
    if all(w.isupper() for w in words if w.isalpha()):
        feats["all_caps"] = 1.0
    if any(ch.isdigit() for w in words for ch in w):
        feats["has_digit"] = 1.0
    if tokens[0].is_sent_start:
        feats["sent_start"] = 1.0
    doc = ctx.doc
    for step, name in ((-1, "prev"), (1, "next")):
        i = tokens[0].i + step if step < 0 else tokens[-1].i + step
        if 0 <= i < len(doc):
            tok = doc[i]
            feats[f"{name}={tok.lower_ if tok.is_alpha or tok.is_punct else shape(tok.text)}"] = 1.0
            feats[f"{name}_pos={tok.pos_}"] = 1.0
            word = tok.lower_.rstrip(".")
            if word in lex.person_titles or word in cue.honorifics:
                feats[f"{name}_title"] = 1.0
            if word in lex.role_nouns:
                feats[f"{name}_role"] = 1.0
            if word in cue.place_words_after and step > 0:
                feats["next_place_word"] = 1.0
            if word in cue.place_words_before and step < 0:
                feats["prev_place_word"] = 1.0
            if word in cue.team_words and step > 0:
                feats["next_team_word"] = 1.0
            if word in cue.outlet_nouns:
                feats[f"{name}_outlet_word"] = 1.0
            if word in lex.place_prepositions and step < 0:
                feats["prev_place_prep"] = 1.0
            if word in lex.fac_suffixes and step > 0:
                feats["next_fac_word"] = 1.0
        else:
            feats[f"{name}=<edge>"] = 1.0
    root = tokens[-1]
    for t in tokens:
        if t.head.i < tokens[0].i or t.head.i > tokens[-1].i or t.head.i == t.i:
            root = t
            break
    linked = [c for c in root.children if c.dep_ == "conj"] + ([root.head] if root.dep_ == "conj" else [])
    if any(ctx.spacy_label_of_token.get(t.i) in ("GPE", "LOC") for t in linked):
        feats["conj_place"] = 1.0  # "in Bannu, Lakki Marwat and North Waziristan"
    feats[f"dep={root.dep_}"] = 1.0
    feats[f"head_pos={root.head.pos_}"] = 1.0
    key = name_key(" ".join(w for w in words if w.lower() != "the"))
    if key in cue.org_acronyms and any(c.isupper() for c in "".join(words)):
        feats["cue_org_acronym"] = 1.0
    if key in cue.place_acronyms:
        feats["cue_place_acronym"] = 1.0
    if place_context(tokens[0].doc[tokens[0].i:tokens[-1].i + 1], doc):
        feats["place_context"] = 1.0
    if len(tokens) > 1 and lower[-1].rstrip(".") in cue.place_words_after:
        feats["last_place_word"] = 1.0  # "Shewa tehsil", "Bannu district": the cue inside the span
    if set(lower) & lex.org_words_strong:
        feats["org_word"] = 1.0
    _add_gazetteer(feats, ctx, " ".join(w for w in words if w.lower() != "the"))
    line = ctx.lines.at(start)
    feats[f"line={line.kind if line else 'prose'}"] = 1.0
    return feats
