"""``python -m claimgraph.training attribution``: train the cue and span taggers of the claims stage.

Data: PolNeAR's train split (``../shared/data/attribution/polnear/train.jsonl``) and the
project's own annotated articles of split ``train`` (``corpus/claims_*.jsonl``). Each text is
parsed once (cached, see :mod:`claimgraph.training.attribution_data`), the entities stage and
the claims rules run on it, and their output becomes features:

- the cue tagger (CRF) learns, per sentence, which tokens are cues (B/I/O);
- the span tagger (CRF) learns, for each gold cue, which tokens of its window are its source
  and its content.

Both are written to ``claimgraph/models/attribution/``; then the whole stage (rules + model) is
scored on the train split and on PolNeAR dev and the own dev articles, side by side, with
``claimgraph evaluate attribution``'s scorer. Dev is never trained or tuned on.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimgraph.evaluate.attribution import score_documents
from claimgraph.evaluate.data import Record, read_many
from claimgraph.model import Analysis, Span
from claimgraph.pipeline.claims import model as attribution_model
from claimgraph.pipeline.claims.features import (
    context,
    cue_features,
    cue_window,
    rule_roles,
    sequences,
    span_features,
    token_range,
)
from claimgraph.pipeline.claims.prior import FILE as PRIOR_FILE
from claimgraph.pipeline.claims.prior import CuePrior, token_matrix
from claimgraph.pipeline.claims.rules import extract_claims
from claimgraph.pipeline.coref import AttributionLexicon, attribution_lexicon
from claimgraph.pipeline.quotes import find_quotes
from claimgraph.settings import Settings
from claimgraph.training.attribution_data import SHARED, analyses, own_articles

#: CRF training parameters (L1 keeps the model small; L-BFGS is deterministic). c1 = 0.5 was chosen
#: over 0.15 on the held-out train documents (cue F1 70.5 against 69.7, source 74.2 against 71.7)
CUE_PARAMS = {"c1": 0.5, "c2": 0.02, "max_iterations": 80, "feature.possible_transitions": True}
SPAN_PARAMS = {"c1": 0.5, "c2": 0.02, "max_iterations": 100, "feature.possible_transitions": True}
#: the last this many PolNeAR train documents are held out: the choice between the span tagger's
#: spans and the rules' spans (for cues the rules found) is made on them, never on dev
HOLDOUT = 84
#: the cue prior (logistic regression over spaCy's token vectors): inverse L2 weight, iterations,
#: and the number of document folds its training-time probabilities are cross-fitted over
PRIOR_C = 1.0
PRIOR_ITERATIONS = 300
PRIOR_FOLDS = 2

Sequence_ = tuple[list[list[str]], list[str]]


def _gold_spans(text: str, spans: Sequence[dict[str, Any]]) -> list[Span]:
    out = []
    for s in spans:
        start, end = int(s["start"]), int(s["end"])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Span.of(text, start, end))
    return out


def gold_cue_tokens(rec: Record, analysis: Analysis) -> list[bool]:
    """Per token of the parse: whether it lies in a gold cue (what the cue prior learns)."""
    doc = analysis.doc
    starts = [t.idx for t in doc]
    flags = [False] * len(doc)
    for att in rec.layer("attributions"):
        for part in _gold_spans(rec.text, att.get("cue") or ())[:1]:
            lo, hi = token_range(doc, starts, part)
            for i in range(lo, min(hi, len(doc) - 1) + 1):
                flags[i] = True
    return flags


def fit_prior(records: Sequence[Record], docs: Sequence[Analysis], folds: int = PRIOR_FOLDS
              ) -> tuple[CuePrior, list[list[float]]]:
    """The cue prior fitted on all documents, and each document's probabilities from a prior
    fitted without it (cross-fitting by document), so that the tagger learns how far to trust
    the prior on text it has not seen."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mats = [token_matrix(an.doc) for an in docs]
    labels = [np.array(gold_cue_tokens(rec, an), dtype=bool) for rec, an in zip(records, docs, strict=True)]

    def fit(idx: Sequence[int]) -> CuePrior:
        x = np.vstack([mats[i] for i in idx])
        y = np.concatenate([labels[i] for i in idx])
        clf = LogisticRegression(C=PRIOR_C, max_iter=PRIOR_ITERATIONS).fit(x, y)
        return CuePrior(clf.coef_[0], float(clf.intercept_[0]))

    held: list[list[float]] = [[] for _ in docs]
    for k in range(folds):
        prior = fit([i for i in range(len(docs)) if i % folds != k])
        for i in range(k, len(docs), folds):
            held[i] = prior.probabilities(docs[i].doc)
    return fit(range(len(docs))), held


def examples(rec: Record, analysis: Analysis, lex: AttributionLexicon,
             prior: list[float] | None = None) -> tuple[list[Sequence_], list[Sequence_]]:
    """Cue sequences (every sentence) and span sequences (one per gold cue) of one document."""
    doc, text = analysis.doc, rec.text
    quotes = find_quotes(text)
    claims = extract_claims(analysis, lex)
    starts = [t.idx for t in doc]
    ctx = context(doc, lex, quotes, claims, starts, prior)
    gold = rec.layer("attributions")
    cue_labels = ["O"] * len(doc)
    span_seqs: list[Sequence_] = []
    sentences = analysis.sentences
    sent_starts = [s.start for s in sentences]
    for att in gold:
        cue_parts = _gold_spans(text, att.get("cue") or ())
        if not cue_parts:
            continue
        ranges = [token_range(doc, starts, p) for p in cue_parts]
        for lo, hi in ranges:
            for i in range(lo, min(hi, len(doc) - 1) + 1):
                cue_labels[i] = "B" if i == lo else "I"
        cue_lo, cue_hi = ranges[0]
        if cue_lo >= len(doc):
            continue
        cue_hi = min(cue_hi, len(doc) - 1)
        claim = next((ctx.rule_claims[i] for i in range(cue_lo, cue_hi + 1) if i in ctx.rule_claims), None)
        lo, hi = cue_window(doc, sent_starts, sentences, starts, cue_lo, cue_hi, quotes, claim)
        labels = ["O"] * (hi - lo + 1)
        for role, key in (("C", "content"), ("S", "source")):
            for part in _gold_spans(text, att.get(key) or ()):
                a, b = token_range(doc, starts, part)
                for j in range(max(a, lo), min(b, hi) + 1):
                    labels[j - lo] = ("B-" if j in (a, lo) else "I-") + role
        feats = span_features(ctx, cue_lo, cue_hi, lo, hi, rule_roles(doc, starts, claim, lo, hi))
        span_seqs.append((feats, labels))
    cue_seqs = [(cue_features(ctx, lo, hi), cue_labels[lo:hi + 1]) for lo, hi in sequences(doc, sentences, starts)]
    return cue_seqs, span_seqs


def train_crf(seqs: list[Sequence_], params: dict[str, Any], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in seqs:
        trainer.append(feats, labels)
    trainer.set_params(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


def train_both(cue_seqs: list[Sequence_], span_seqs: list[Sequence_], c1: float, out: Path) -> None:
    """The two CRFs, each in its own process where the platform forks (a CRF trains on one core;
    the machine has two): same files, same figures, half the wall time."""
    import multiprocessing as mp

    cue_params = {**CUE_PARAMS, "c1": c1}
    if "fork" not in mp.get_all_start_methods():
        train_crf(cue_seqs, cue_params, out / "cue.crfsuite")
        train_crf(span_seqs, {**SPAN_PARAMS, "c1": c1}, out / "spans.crfsuite")
        return
    child = mp.get_context("fork").Process(target=train_crf, args=(span_seqs, {**SPAN_PARAMS, "c1": c1},
                                                                   out / "spans.crfsuite"))
    child.start()
    train_crf(cue_seqs, cue_params, out / "cue.crfsuite")
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"training the span tagger failed (exit code {child.exitcode})")


def score(records: list[Record], docs: list[Analysis], lex: AttributionLexicon,
          model: attribution_model.AttributionModel | None) -> dict[str, Any]:
    pairs = [(rec, an.add(claims=extract_claims(an, lex, model))) for rec, an in zip(records, docs, strict=True)]
    rows = score_documents(pairs).rows
    keep = ("cue exact", "source exact", "content exact", "content overlap", "attribution exact", "pronoun sources",
            "speaker resolution he/she (proxy antecedent)")
    return {k: rows[k] for k in keep if k in rows}


def _line(name: str, figures: dict[str, Any]) -> str:
    def f1(key: str) -> str:
        return f"{figures[key]['f1']:.1f}" if key in figures else "-"
    pron = figures.get("pronoun sources", {})
    speaker = figures.get("speaker resolution he/she (proxy antecedent)", {})
    return (f"| {name} | {f1('cue exact')} | {f1('source exact')} | {f1('content exact')} | "
            f"{f1('content overlap')} | {f1('attribution exact')} | {pron.get('found_pct', 0):.1f} / "
            f"{pron.get('resolved_pct_of_found', 0):.1f} / {speaker.get('acc', 0):.1f} |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimgraph.training attribution", description=__doc__)
    parser.add_argument("--train", default=str(SHARED / "train.jsonl"), help="PolNeAR train split (JSONL)")
    parser.add_argument("--dev", default=str(SHARED / "dev.jsonl"), help="PolNeAR dev split, measured only")
    parser.add_argument("--out", default=str(attribution_model.MODEL_DIR), help="model folder")
    parser.add_argument("--holdout", type=int, default=HOLDOUT,
                        help="last N PolNeAR train documents held out for the span-source choice")
    parser.add_argument("--no-score", action="store_true", help="skip scoring train and dev after training")
    parser.add_argument("--c1", type=float, default=CUE_PARAMS["c1"], help="L1 weight of both CRFs")
    parser.add_argument("--score-only", action="store_true", help="score the model in --out, train nothing")
    parser.add_argument("--prior", action="store_true",
                        help="give the cue tagger the cue prior over spaCy's token vectors (measured, did not pay)")
    args = parser.parse_args(argv)
    settings = Settings(use_models=False)
    lex = attribution_lexicon()
    t0 = time.perf_counter()
    polnear = read_many([args.train])
    polnear_docs = list(analyses(polnear, settings))
    cut = len(polnear) - args.holdout
    own_train = own_articles("train")
    own_docs = list(analyses(own_train, settings))
    train_records = polnear[:cut] + own_train
    train_docs = polnear_docs[:cut] + own_docs
    print(f"loaded {len(polnear)} PolNeAR ({cut} trained on, {args.holdout} held out) + {len(own_train)} own "
          f"train documents in {time.perf_counter() - t0:.0f} s", flush=True)
    out = Path(args.out)
    held = (polnear[cut:], polnear_docs[cut:])
    if args.score_only:
        return _score_all(args, out, polnear[:cut], polnear_docs[:cut], held, own_train, own_docs, lex, settings, t0)
    out.mkdir(parents=True, exist_ok=True)
    use_prior = bool(args.prior)
    priors: list[list[float] | None] = [None] * len(train_docs)
    (out / PRIOR_FILE).unlink(missing_ok=True)
    if use_prior:
        prior, fitted = fit_prior(train_records, train_docs)
        prior.save(out / PRIOR_FILE)
        priors = list(fitted)
        print(f"cue prior fitted ({time.perf_counter() - t0:.0f} s)", flush=True)
    cue_seqs: list[Sequence_] = []
    span_seqs: list[Sequence_] = []
    for rec, an, probs in zip(train_records, train_docs, priors, strict=True):
        c, s = examples(rec, an, lex, probs)
        cue_seqs.extend(c)
        span_seqs.extend(s)
    print(f"{len(cue_seqs)} cue sequences, {len(span_seqs)} span sequences "
          f"({time.perf_counter() - t0:.0f} s)", flush=True)
    train_both(cue_seqs, span_seqs, args.c1, out)
    print(f"cue and span taggers trained ({time.perf_counter() - t0:.0f} s)", flush=True)
    _write_config(out, {"rule_spans": False, "holdout": args.holdout, "cue_prior": use_prior})
    if held[0]:
        tagger = score(*held, lex, attribution_model.AttributionModel(out, rule_spans=False))
        rules = score(*held, lex, attribution_model.AttributionModel(out, rule_spans=True))
        def key(fig: dict[str, Any]) -> float:
            return float(fig["source exact"]["f1"] + fig["content exact"]["f1"])
        rule_spans = key(rules) > key(tagger)
        print(_line("held-out train, span tagger", tagger))
        print(_line("held-out train, rules' spans", rules))
    else:
        rule_spans = False
    _write_config(out, {"rule_spans": rule_spans, "holdout": args.holdout, "cue_prior": use_prior})
    print(f"spans of the rules' cues from: {'the rules' if rule_spans else 'the span tagger'}", flush=True)
    if args.no_score:
        return 0
    return _score_all(args, out, polnear[:cut], polnear_docs[:cut], held, own_train, own_docs, lex, settings, t0)


def _write_config(out: Path, config: dict[str, Any]) -> None:
    (out / "model.json").write_text(json.dumps(config) + "\n", encoding="utf-8")


def _score_all(args: argparse.Namespace, out: Path, trained: list[Record], trained_docs: list[Analysis],
               held: tuple[list[Record], list[Analysis]], own_train: list[Record], own_docs: list[Analysis],
               lex: AttributionLexicon, settings: Settings, t0: float) -> int:
    """Rules and model side by side on every set; the figures go to the card's ``figures.json``."""
    model = attribution_model.AttributionModel(out)
    figures: dict[str, Any] = {}
    dev_polnear = read_many([args.dev])
    own_dev = own_articles("dev")
    sets = [("PolNeAR train (trained on)", trained, trained_docs),
            ("PolNeAR train (held out)", *held),
            ("PolNeAR dev", dev_polnear, list(analyses(dev_polnear, settings))),
            ("own train", own_train, own_docs),
            ("own dev", own_dev, list(analyses(own_dev, settings)))]
    print("| set | cue F1 | source F1 | content F1 | content overlap F1 | attribution F1 | "
          "pronoun sources found / resolved / right % |")
    print("|---|---|---|---|---|---|---|")
    for name, recs, docs in sets:
        if not recs:
            continue
        for variant, m in (("rules", None), ("model", model)):
            figures[f"{name} {variant}"] = fig = score(recs, docs, lex, m)
            print(_line(f"{name}, {variant}", fig), flush=True)
    (out / "figures.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


__all__ = ["examples", "fit_prior", "gold_cue_tokens", "main"]
