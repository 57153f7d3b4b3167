"""Attribution evaluation (who says what) on PolNeAR- or MEANTIME-format data.

Every claim of the ``claims`` stage is a predicted attribution: its source span (none when
the claim has no source), its cue, its content fragments. Figures, per role (cue, source,
content): exact P/R/F1 and BBC Citron's token-overlap P/R/F1; attribution-level P/R/F1
(all three roles match, exactly or by overlap); and speaker resolution of pronoun sources.
The definitions are in :mod:`claimgraph.evaluate.attribution_scoring` and
:mod:`claimgraph.evaluate.attribution_speaker`, and summed up in the report's notes.

With ``scored`` ranges (MEANTIME) an attribution, gold or predicted, is kept when its cue
(or, without a cue, its first span) lies inside one. MEANTIME attributions are derived from
speech events: their content is the head of the reported event, not the clause, so its
content figures are not comparable with PolNeAR's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from claimgraph.errors import PipelineError
from claimgraph.evaluate.attribution_scoring import (
    ROLES,
    Attribution,
    Range,
    Tokens,
    attribution_prf,
    from_claim,
    from_gold,
    role_exact,
    role_overlap,
)
from claimgraph.evaluate.attribution_speaker import speaker_resolution
from claimgraph.evaluate.data import Record, read_many
from claimgraph.evaluate.scoring import Report
from claimgraph.model import Analysis, Document, Entity
from claimgraph.pipeline import STAGES, Pipeline
from claimgraph.settings import Settings

STAGE_NAMES = ("nlp", "entities", "claims")

NOTES = (
    "roles are sets of character spans (content split by the cue is two spans), whitespace trimmed; "
    "exact = same span set; every attribution is one role instance, paired one to one; an attribution with no "
    "span at all is dropped",
    "overlap as in BBC Citron: tokens are \\w+ or one punctuation mark, a token is in a span when they share a "
    "character; instances paired one to one by largest token overlap (Citron sums every pair); "
    "P = overlapping tokens / predicted tokens, R = overlapping tokens / gold tokens",
    "attribution exact: all three roles exact (no source on both sides matches); attribution overlap: every "
    "role shares a token with its gold counterpart or is missing on both sides",
    "pronoun sources: gold sources that are one personal/possessive pronoun; found = a claim whose source and "
    "cue overlap the gold ones; resolved = that claim's source has an entity",
    "speaker resolution (proxy, PolNeAR has no coreference): for he/she/him/his/her/hers/himself/herself, the "
    "antecedent is the nearest earlier non-pronoun gold source in the pronoun's sentence or the 3 before whose "
    "honorific (Mr./Ms./Mrs.), if any, agrees in gender; judged only when it is name-like (head before any comma "
    "ends in a capitalised non-generic word); right when the predicted entity has a mention overlapping it or its "
    "name/an alias and the antecedent's words contain one another; unresolved counts as wrong. The proxy errs "
    "when the pronoun is not about the latest named speaker or that speaker is an organisation",
)


def _kept(items: Sequence[Attribution], rec: Record) -> list[Attribution]:
    out = []
    for a in items:
        anchor = a.anchor()
        if anchor is not None and rec.in_scored(*anchor):
            out.append(a)
    return out


def _pipeline(settings: Settings) -> Pipeline:
    missing = [name for name in STAGE_NAMES if name not in STAGES]
    if missing:
        raise PipelineError(f"evaluate attribution needs the {', '.join(map(repr, missing))} stage, which this "
                            f"build does not have (stages: {', '.join(STAGES)})")
    return Pipeline(settings, stages=STAGE_NAMES)


def score_documents(docs: Sequence[tuple[Record, Analysis]]) -> Report:
    """Score analyses (with their ``claims`` layer) against the records they were made from."""
    gold: list[Attribution] = []
    pred: list[Attribution] = []
    tokens: dict[str, Tokens] = {}
    texts: dict[str, str] = {}
    sentences: dict[str, tuple[Range, ...]] = {}
    entities: dict[str, dict[str, Entity]] = {}
    for rec, analysis in docs:
        texts[rec.id] = rec.text
        tokens[rec.id] = Tokens(rec.text)
        sentences[rec.id] = tuple((s.start, s.end) for s in analysis.sentences)
        entities[rec.id] = {e.id: e for e in analysis.entities}
        gold.extend(_kept([from_gold(rec.id, rec.text, a) for a in rec.layer("attributions")], rec))
        pred.extend(_kept([from_claim(rec.id, rec.text, c) for c in analysis.claims], rec))

    report = Report(title=f"Attribution ({len(docs)} documents, {len(gold)} gold attributions, "
                          f"{len(pred)} predicted claims)")
    for role in ROLES:
        report.rows[f"{role} exact"] = role_exact(pred, gold, role).as_dict()
        report.rows[f"{role} overlap"] = role_overlap(pred, gold, role, tokens).as_dict()
    for mode in ("exact", "overlap"):
        report.rows[f"attribution {mode}"] = attribution_prf(pred, gold, mode=mode, tokens=tokens).as_dict()
    report.rows.update(speaker_resolution(pred, gold, texts=texts, sentences=sentences,
                                          entities=entities).rows())
    report.rows["counts"] = {
        "documents": len(docs), "gold": len(gold), "gold_with_source": sum(1 for g in gold if g.source),
        "gold_discontinuous_content": sum(1 for g in gold if len(g.content) > 1),
        "predicted": len(pred), "predicted_with_source": sum(1 for p in pred if p.source),
        "predicted_source_entity": sum(1 for p in pred if p.entity is not None),
    }
    report.notes.extend(NOTES)
    if any(rec.scored is not None for rec, _ in docs):
        report.notes.append("scored ranges: an attribution is kept when its cue (else its first span) lies in one")
    return report


def evaluate(paths: Sequence[str | Path], *, settings: Settings) -> Report:
    """Run nlp, entities and claims on every record of the files and score the claims."""
    pipeline = _pipeline(settings)
    records = read_many(paths)
    docs = [(rec, pipeline(Document.from_text(rec.text, published=rec.published))) for rec in records]
    report = score_documents(docs)
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    return report


__all__ = ["evaluate", "score_documents"]
