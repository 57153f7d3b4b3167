"""``python -m claimgraph.training event_types``: train the PLOVER event type classifier.

Data: PLV train, IndiaPoliceEvents train (``--data DIR``, default ``../shared/data``) and the
project's own articles ``corpus/events_*.jsonl`` (train split); examples as
:mod:`claimgraph.training.event_data` describes. Model: multinomial logistic regression over
binary string features (scikit-learn at training time only), written as
``claimgraph/models/event_types/model.npz`` (see :mod:`claimgraph.pipeline.events.model`).

Options:
  --data DIR        the shared data folder (events/plv, events/indiapoliceevents)
  --cache DIR       where spaCy parses are cached (default ~/.cache/claimgraph/events)
  --out DIR         where the model goes (default claimgraph/models/event_types)
  --cv              also print PLV 5-fold cross-validation (type given the gold pair)
  --heldout         also train without the first PLV fifth and score the full pipeline on it
                    (an event with the gold actor and recipient and the right type)

Deterministic: fixed seeds, fixed fold assignment (record order), no sampling at random.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.evaluate.events_scoring import classify, plover_type
from claimgraph.pipeline.events.lexicon import event_lexicon
from claimgraph.pipeline.events.model import MODEL_NAME, NONE, TypeModel
from claimgraph.training.event_data import (
    Example,
    ipe_examples,
    ipe_text,
    load,
    own_examples,
    parse,
    plv_examples,
)

CORPUS_DIR = Path(__file__).parent / "corpus"
MODEL_DIR = Path(__file__).parents[1] / "models" / MODEL_NAME
FOLDS = 5
#: features seen fewer times than this in the training examples are dropped
MIN_COUNT = 2
C = 0.8
#: class weights of the regression (None, or "balanced" to lift the rare root types)
CLASS_WEIGHT: str | None = "balanced"
#: weight of each corpus's examples (PLV codes dyads the way the PLOVER measures do)
CORPUS_WEIGHT = {"plv": 2.0}
#: keep one IndiaPoliceEvents NONE example in this many (they would outnumber every type 30 to 1)
IPE_NONE_EVERY = 6
#: decision thresholds shipped with the model: an untyped mention becomes an event when its best type
#: has this probability; a rule-typed one is dropped when NONE has that one (set by hand, not tuned)
NEW_EVENT_THRESHOLD = 0.6
DROP_THRESHOLD = 0.9


def fit(examples: Sequence[Example]) -> TypeModel:
    """A logistic regression over the examples' features, as a :class:`TypeModel`."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for ex in examples for f in set(ex.features))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, ex in enumerate(examples):
        for c in {index[f] for f in ex.features if f in index}:
            rows.append(r)
            cols.append(c)
    x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(names)))
    y = [ex.label for ex in examples]
    clf = LogisticRegression(C=C, max_iter=3000, random_state=0, class_weight=CLASS_WEIGHT)
    weights = np.array([CORPUS_WEIGHT.get(ex.corpus, 1.0) for ex in examples])
    clf.fit(x, y, sample_weight=weights)
    classes = tuple(str(c) for c in clf.classes_)
    return TypeModel(index, classes, clf.coef_.T.astype(np.float16).astype(np.float32),
                     clf.intercept_.astype(np.float32), NEW_EVENT_THRESHOLD, DROP_THRESHOLD)


def save(model: TypeModel, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(model.index, key=model.index.__getitem__)
    path = out / "model.npz"
    np.savez_compressed(path, features=np.array(names), classes=np.array(model.classes),
                        weights=model.weights.astype(np.float16), intercept=model.intercept.astype(np.float32),
                        thresholds=np.array([model.new_event_threshold, model.drop_threshold]))
    return path


def _fold(i: int) -> int:
    return i % FOLDS


class Corpora:
    """The parsed training corpora."""

    def __init__(self, data: Path, cache: Path | None) -> None:
        from claimgraph.pipeline.nlp import load_model
        from claimgraph.settings import Settings

        nlp = load_model(Settings().spacy_model)
        lex = event_lexicon()
        self.lex = lex
        self.plv = load(data / "events" / "plv" / "train.jsonl")
        self.plv_docs = parse(nlp, [r.text for r in self.plv], cache, "plv-train")
        ipe = load(data / "events" / "indiapoliceevents" / "train.jsonl")
        ipe_docs = parse(nlp, [ipe_text(r) for r in ipe], cache, "ipe-train")
        self.ipe_examples = [ex for i, ex in enumerate(ipe_examples(ipe, ipe_docs, lex))
                             if ex.label != NONE or i % IPE_NONE_EVERY == 0]
        own: list[Any] = []
        for path in sorted(CORPUS_DIR.glob("events_*.jsonl")):
            own.extend(load(path))
        self.own_train = [r for r in own if r.raw.get("split") == "train"]
        self.own_dev = [r for r in own if r.raw.get("split") == "dev"]
        self.own_train_docs = parse(nlp, [r.text for r in self.own_train], cache, "own-train")
        self.own_dev_docs = parse(nlp, [r.text for r in self.own_dev], cache, "own-dev")
        self.own_examples = own_examples(self.own_train, self.own_train_docs, lex)

    def plv_examples(self, keep: set[int]) -> list[Example]:
        recs = [r for i, r in enumerate(self.plv) if i in keep]
        docs = [d for i, d in enumerate(self.plv_docs) if i in keep]
        return plv_examples(recs, docs, self.lex)


def cross_validate(corpora: Corpora) -> dict[str, float]:
    """PLV 5-fold CV of the type given the gold pair (the other corpora always train)."""
    from claimgraph.pipeline.events.features import trigger_features
    from claimgraph.pipeline.events.pairs import pair_heads, pair_trigger

    lex = corpora.lex
    gold: list[str] = []
    pred: list[str | None] = []
    train_f1: list[float] = []
    for k in range(FOLDS):
        train_ids = {i for i in range(len(corpora.plv)) if _fold(i) != k}
        examples = corpora.plv_examples(train_ids) + corpora.ipe_examples + corpora.own_examples
        model = fit(examples)
        tr_gold, tr_pred = [], []
        for ex in examples:
            if ex.corpus == "plv" and ex.label != NONE:
                tr_gold.append(ex.label)
                tr_pred.append(model.best_type(ex.features)[0])
        train_f1.append(classify(tr_gold, tr_pred).macro_f1())
        for i, (rec, doc) in enumerate(zip(corpora.plv, corpora.plv_docs, strict=True)):
            if _fold(i) != k:
                continue
            for pair in rec.layer("pairs"):
                gold.append(plover_type(str(pair["type"])))
                actor, recipient = pair.get("actor"), pair.get("recipient")
                if actor is None or recipient is None:
                    pred.append(None)
                    continue
                tok, path = pair_trigger(doc, (actor["start"], actor["end"]),
                                         (recipient["start"], recipient["end"]), lex)
                heads = pair_heads(doc, (actor["start"], actor["end"]), (recipient["start"], recipient["end"]))
                pred.append(None if tok is None else model.best_type(trigger_features(tok, lex, path, heads))[0])
    result = classify(gold, pred)
    return {"cv_macro_f1": result.macro_f1(), "cv_accuracy": result.accuracy,
            "train_macro_f1": sum(train_f1) / len(train_f1)}


def own_dev_scores(corpora: Corpora, model: TypeModel) -> dict[str, float]:
    """Trigger typing on the own dev articles (gold triggers; NONE counts as a wrong type)."""
    dev = own_examples(corpora.own_dev, corpora.own_dev_docs, corpora.lex)
    gold = [ex.label for ex in dev if ex.label != NONE]
    pred = [model.best_type(ex.features)[0] for ex in dev if ex.label != NONE]
    return {"own_dev_macro_f1": classify(gold, list(pred)).macro_f1() if gold else 0.0,
            "own_dev_triggers": float(len(gold))}


def heldout(corpora: Corpora, cache: Path | None) -> dict[str, float]:
    """Train without PLV fold 0, run the full pipeline on fold 0, score end to end."""
    from claimgraph.evaluate.events import score_plv
    from claimgraph.model import Document
    from claimgraph.pipeline import Pipeline
    from claimgraph.pipeline.events import extract_events
    from claimgraph.pipeline.events.pairs import type_for_pair
    from claimgraph.settings import Settings

    train_ids = {i for i in range(len(corpora.plv)) if _fold(i) != 0}
    model = fit(corpora.plv_examples(train_ids) + corpora.ipe_examples + corpora.own_examples)
    pipeline = Pipeline(Settings(), stages=("nlp", "entities", "time", "places", "claims"))
    held = [r for i, r in enumerate(corpora.plv) if _fold(i) == 0]
    docs = []
    for rec in held:
        analysis = pipeline(Document.from_text(rec.text))
        docs.append((rec, analysis.add(events=extract_events(analysis, corpora.lex, model))))
    report = score_plv(docs, lambda a, x, y: type_for_pair(a, x, y, model))
    row = report.rows["end to end"]
    summary = report.rows["type summary"]
    return {"heldout_typed_pct": float(row["typed_pct"]), "heldout_linked_pct": float(row["linked_pct"]),
            "heldout_type_macro_f1": float(summary["macro_f1"])}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimgraph.training event_types",
                                     description="Train the PLOVER event type classifier.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "claimgraph" / "events")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--heldout", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "events" / "plv" / "train.jsonl").is_file():
        print(f"no PLV train data under {args.data} (expected events/plv/train.jsonl)", file=sys.stderr)
        return 2
    started = time.time()
    corpora = Corpora(args.data, args.cache)
    examples = corpora.plv_examples(set(range(len(corpora.plv)))) + corpora.ipe_examples + corpora.own_examples
    print(f"examples: {len(examples)} " + str(dict(Counter(ex.corpus for ex in examples))))
    print("labels: " + str(dict(Counter(ex.label for ex in examples).most_common())))
    model = fit(examples)
    path = save(model, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {len(model.index)} features)")
    figures = own_dev_scores(corpora, model)
    if args.cv:
        figures.update(cross_validate(corpora))
    if args.heldout:
        figures.update(heldout(corpora, args.cache))
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) and value <= 1 else f"{key}: {value}")
    print(f"done in {time.time() - started:.0f} s")
    return 0


__all__ = ["fit", "main", "save"]
