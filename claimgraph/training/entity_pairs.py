"""Train the learned pair decision of cross-document entity resolution (#17):
``python -m claimgraph.training entity_pairs``.

Data: ECB+ train (the ``train`` records of ``shared/data/news/ecbplus/dev.jsonl``; topics
36-45 are not in that file and are never looked for) and the project's own multi-document
stories ``corpus/xdoc_*.jsonl`` (split ``train``; one file is one story, its ``instance`` ids
run across its articles).

How pairs are made: each topic's documents are resolved in file order by the real
:class:`EntityResolver`, with a teacher in place of the model: every candidate pair the
resolver would score is recorded with its features, labelled by whether the document
entity's gold instance (the majority instance of the gold mentions over its names) is the
corpus entity's (the majority over its members), and the teacher then joins the gold
candidate, so later pairs see corpus entities as clean as a good model would leave them.
Pairs where either side has no gold instance are not recorded (the rules decide those).

The model is a logistic regression (scikit-learn, class-balanced, fixed seed); its threshold
is chosen on out-of-fold probabilities of the train topics (5 folds by topic), never on dev.
The script then prints B3 per topic on train and dev side by side: the resolver with the
model, with its rules alone, and the same-head-lemma baseline. Analyses are cached as pickles
under ``--cache`` (a parse of ECB+ train takes minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from claimgraph.corpus.coref.decide import PairChoice, PairDecider
from claimgraph.corpus.coref.features import FEATURE_NAMES
from claimgraph.corpus.coref.model import MODEL_NAME, PairModel, load_decider, model_path
from claimgraph.corpus.resolve import CorpusEntity, DocEntity, EntityResolver, doc_entities
from claimgraph.evaluate import xdoc
from claimgraph.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = 17
MARGIN = 0.1
#: candidates at or above this probability that an entity did not join are merged into the one it did
MERGE_THRESHOLD = 0.9
#: whose decisions shape the corpus while pairs are recorded (see the module's docstring)
STATES = "rules"


def load_docs(path: Path, split: str, cache: Path) -> list[xdoc.Doc]:
    """The analyses (stages up to ``entities``) of one split of a file, cached by content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = cache / f"xdoc-{path.stem}-{digest}-{split}.pkl"
    if cached.is_file():
        docs: list[xdoc.Doc] = pickle.loads(cached.read_bytes())
        return docs
    docs = xdoc.load([path], settings=Settings(), split=split)
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(docs))
    return docs


def gold_members(docs: Sequence[xdoc.Doc]) -> dict[str, str]:
    """``doc#entity`` -> the majority gold instance of the gold mentions over its names."""
    out: dict[str, str] = {}
    for d in docs:
        votes: dict[str, Counter[str]] = {}
        for g in d.record.raw.get("entities") or ():
            start, end, instance = int(g["start"]), int(g["end"]), g.get("instance")
            if not instance or not d.record.in_scored(start, end):
                continue
            ent = xdoc.system_entity(d.analysis, start, end)
            if ent is not None:
                votes.setdefault(ent, Counter())[str(instance)] += 1
        for ent, counter in votes.items():
            out[f"{d.analysis.document.id}#{ent}"] = counter.most_common(1)[0][0]
    return out


class Teacher(PairDecider):
    """Records every scored pair with its gold label and joins the gold candidate."""

    def __init__(self, gold: Mapping[str, str], topic: str, rows: list[tuple[list[float], int, str]],
                 follow: str = "gold") -> None:
        super().__init__(PairModel((0.0,) * len(FEATURE_NAMES), 0.0, 0.5, MARGIN, 2.0))  # never merges
        self.gold, self.topic, self.rows, self.follow = gold, topic, rows, follow

    def _label(self, ce: CorpusEntity) -> str | None:
        votes = Counter(self.gold[k] for k in ce.members if k in self.gold)
        return votes.most_common(1)[0][0] if votes else None

    def choose(self, ent: DocEntity, cands: Mapping[str, str], entities: Mapping[str, CorpusEntity],
               context: frozenset[str], taken: frozenset[str] = frozenset(),
               rules: tuple[str, float] | None = None) -> PairChoice:
        mine = self.gold.get(ent.key)
        if mine is None:
            return PairChoice(None, "", 0.0, (), tie=True)
        match: tuple[str, str] | None = None
        for cid, kind, feats in self.features(ent, cands, entities, context, taken, rules):
            theirs = self._label(entities[cid])
            if theirs is None:
                continue
            self.rows.append((feats, int(theirs == mine), self.topic))
            if theirs == mine and match is None:
                match = (cid, kind)
        if self.follow == "rules":
            return PairChoice(None, "", 0.0, (), tie=True)
        if match is None:
            return PairChoice(None, "", 0.0, ())
        return PairChoice(match[0], match[1], 1.0, ())


def pairs(docs: Sequence[xdoc.Doc], follow: str = "gold") -> list[tuple[list[float], int, str]]:
    """Every recorded pair of every topic: (features, label, topic)."""
    rows: list[tuple[list[float], int, str]] = []
    gold = gold_members(docs)
    resolvers: dict[str, EntityResolver] = {}
    for d in docs:
        resolver = resolvers.setdefault(d.topic, EntityResolver(Teacher(gold, d.topic, rows, follow)))
        resolver.resolve(doc_entities(d.analysis))
    return rows


def fit(rows: Sequence[tuple[list[float], int, str]], balanced: bool) -> tuple[Any, float, dict[str, float]]:
    """The regression, the threshold chosen on out-of-fold probabilities, and pair figures."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows])
    groups = np.array([r[2] for r in rows])

    def model() -> Any:
        return LogisticRegression(C=1.0, class_weight="balanced" if balanced else None, max_iter=2000,
                                  random_state=SEED)

    oof = np.zeros(len(rows))
    for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
        oof[te] = model().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    best = (0.0, 0.5, 0.0, 0.0)
    for t in np.arange(0.30, 0.96, 0.025):
        pred = oof >= t
        tp = float((pred & (y == 1)).sum())
        p = tp / max(pred.sum(), 1)
        r = tp / max((y == 1).sum(), 1)
        # precision counts double: a wrong merge misleads a reader, a missed one costs a click
        f = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        if f > best[0]:
            best = (f, float(round(t, 3)), p, r)
    final = model().fit(x, y)
    figures = {"pairs": len(rows), "positive": int(y.sum()), "oof_f05": round(100 * best[0], 1),
               "oof_precision": round(100 * best[2], 1), "oof_recall": round(100 * best[3], 1)}
    return final, best[1], figures


def b3_rows(docs: Sequence[xdoc.Doc], model_file: Path) -> dict[str, dict[str, float | int]]:
    gold = {m: label for d in docs for m, label in xdoc.gold_mentions(d.record)}
    learned = load_decider(Settings(), model_file)
    labels: dict[str, Mapping[Any, Hashable]] = {
        "resolver + pair model": xdoc.entity_labels(docs, decider=learned),
        "resolver, rules only": xdoc.entity_labels(docs),
        "baseline: same head lemma": xdoc.baseline_labels(docs),
    }
    return {name: xdoc.score_row(gold, dict(lab)) for name, lab in labels.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m claimgraph.training {MODEL_NAME}", description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared/data folder")
    parser.add_argument("--cache", type=Path, default=Path("/work/cache/xdoc"), help="where analyses are kept")
    parser.add_argument("--out", type=Path, default=model_path(), help="the model file to write")
    parser.add_argument("--states", choices=("gold", "rules", "both"), default=STATES,
                        help="whose decisions shape the corpus while pairs are recorded")
    parser.add_argument("--balanced", action="store_true", help="weigh the classes equally")
    args = parser.parse_args(argv)
    ecb = args.shared / "news" / "ecbplus" / "dev.jsonl"
    train = load_docs(ecb, "train", args.cache)
    stories = [d for f in sorted(CORPUS.glob("xdoc_*.jsonl")) for d in load_docs(f, "train", args.cache)]
    follow = ("gold", "rules") if args.states == "both" else (args.states,)
    rows = [r for f in follow for r in pairs(train, f) + pairs(stories, f)]
    final, threshold, figures = fit(rows, args.balanced)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "model": MODEL_NAME, "features": list(FEATURE_NAMES),
        "coef": [round(float(w), 6) for w in final.coef_[0]], "intercept": round(float(final.intercept_[0]), 6),
        "threshold": threshold, "margin": MARGIN, "merge_threshold": MERGE_THRESHOLD,
        "trained_on": {"ecbplus_train_docs": len(train), "story_docs": len(stories)}, "figures": figures,
    }, indent=1) + "\n", encoding="utf-8")
    PairModel.read(args.out)
    print(f"pairs {figures['pairs']} ({figures['positive']} same actor); threshold {threshold} "
          f"(out-of-fold F0.5 {figures['oof_f05']}, P {figures['oof_precision']}, R {figures['oof_recall']})")
    for name, w in sorted(zip(FEATURE_NAMES, final.coef_[0], strict=True), key=lambda t: -abs(t[1]))[:12]:
        print(f"  {w:+.2f}  {name}")
    dev = load_docs(ecb, "dev", args.cache)
    print("B3 per ECB+ topic, train | dev (P / R / F1; CoNLL F1)")
    tr, dv = b3_rows(train, args.out), b3_rows(dev, args.out)
    for name in tr:
        a, b = tr[name], dv[name]
        print(f"  {name:28s} {a['b3_p']:5.1f} / {a['b3_r']:5.1f} / {a['b3_f1']:5.1f}; {a['conll_f1']:5.1f}  |  "
              f"{b['b3_p']:5.1f} / {b['b3_r']:5.1f} / {b['b3_f1']:5.1f}; {b['conll_f1']:5.1f}")
    return 0


__all__ = ["main"]
