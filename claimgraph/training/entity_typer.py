"""Train the entity typer (claimgraph/models/entity_typer): ``python -m claimgraph.training entity_typer``.

Data (train splits only): MEANTIME airbus + apple, ECB+ records with split "train", GUM's train
documents (converted from a local checkout: ``--gum PATH``, default the converted file under
``/work/cache/ner/gum``), and the project's own ``corpus/entities_*.jsonl`` (split "train").
Candidates are the mentions the rules produce and their "the" variants; each is labelled with
the gold coarse type of the name it matches exactly, NONE when it matches no name (for ECB+,
which marks only event participants, only where it overlaps one with other bounds), and left
out where it overlaps a neutral span. spaCy parses are cached as DocBin files (``--cache``).
Deterministic: a fixed solver, no sampling. Prints train and dev figures side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.evaluate.data import Record, read_many
from claimgraph.evaluate.ner_gold import TO_MEANTIME, gold_items
from claimgraph.evaluate.scoring import Item, score
from claimgraph.pipeline.entities.features import DocContext, Features, entity_features, span_features
from claimgraph.pipeline.entities.model import CLASSES, EntityTyper, model_dir, variants
from claimgraph.pipeline.entities.rules import extract_entities
from claimgraph.pipeline.gazetteer import Gazetteer, load_gazetteer
from claimgraph.pipeline.mentions import LABEL_TYPES, NON_NAME_LABELS
from claimgraph.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
CORPUS = Path(__file__).resolve().parent / "corpus"


def _sets(shared: Path, gum: Path) -> dict[str, tuple[list[Path], str | None, str]]:
    """name -> (files, split filter, role)."""
    meantime = shared / "news" / "meantime"
    ecb = shared / "news" / "ecbplus" / "dev.jsonl"
    own = sorted(CORPUS.glob("entities_*.jsonl"))
    return {
        "MEANTIME airbus+apple": ([meantime / "airbus.jsonl", meantime / "apple.jsonl"], None, "train"),
        "ECB+ train": ([ecb], "train", "train"),
        "GUM train": ([gum / "gum_train.jsonl"], None, "train"),
        "claimgraph train": (own, "train", "train"),
        "MEANTIME gm": ([meantime / "gm.jsonl"], None, "dev"),
        "ECB+ dev": ([ecb], "dev", "dev"),
        "GUM dev (news-like)": ([gum / "gum_dev_news.jsonl"], None, "dev"),
        "claimgraph dev": (own, "dev", "dev"),
    }


def parsed(records: list[Record], cache: Path, nlp: Any) -> list[Any]:
    """spaCy Docs of the records, parsed once and kept as a DocBin under ``cache``."""
    from spacy.tokens import DocBin

    digest = hashlib.sha256("\x00".join(r.text for r in records).encode()).hexdigest()[:16]
    path = cache / f"parses-{digest}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe((r.text for r in records), batch_size=16))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


def candidates(rec: Record, doc: Any, gazetteer: Gazetteer, *, label: bool) -> Iterator[tuple[Features, str]]:
    """Feature rows of every candidate span of one document, with their gold class."""
    entities = extract_entities(doc, rec.text, gazetteer)
    typed, neutral = gold_items(rec)
    exact = {(g.start, g.end): g.label for g in typed}
    ctx = DocContext(doc, rec.text, gazetteer)
    for ent in entities:
        shared = entity_features(ctx, ent)
        for mention in ent.mentions:
            for span in variants(rec.text, mention):
                if not rec.in_scored(span.start, span.end):
                    continue
                if any(span.start < n.end and n.start < span.end for n in neutral):
                    continue
                gold = exact.get((span.start, span.end))
                if gold is None:
                    overlaps = any(span.start < g.end and g.start < span.end for g in typed)
                    if rec.corpus == "ecbplus" and not overlaps:
                        continue
                    gold = "NONE"
                elif gold not in CLASSES:
                    gold = "OTHER"
                yield span_features(ctx, ent, span.start, span.end, shared), gold


def _predictions(rec: Record, doc: Any, gazetteer: Gazetteer, typer: EntityTyper | None) -> tuple[
        list[Item], list[Item], list[Item]]:
    entities = extract_entities(doc, rec.text, gazetteer)
    if typer is not None:
        entities = typer.refine(entities, doc, rec.text, gazetteer)
    typed, neutral = gold_items(rec)

    def keep(items: list[Item]) -> list[Item]:
        return [p for p in items if rec.in_scored(p.start, p.end)
                and not any(p.start < n.end and n.start < p.end for n in neutral)]

    ours = keep([Item(rec.id, m.start, m.end, TO_MEANTIME[e.type]) for e in entities for m in e.mentions])
    spacy = keep([Item(rec.id, e.start_char, e.end_char, TO_MEANTIME[LABEL_TYPES.get(e.label_, "OTHER")])
                  for e in doc.ents if e.label_ not in NON_NAME_LABELS])
    return typed, ours, spacy


def figures(data: list[tuple[Record, Any]], gazetteer: Gazetteer,
            typer: EntityTyper | None) -> dict[str, Any]:
    """Typed exact F1 of bare spaCy, the rules and the rules + typer, overall and per type."""
    gold: list[Item] = []
    rules: list[Item] = []
    model: list[Item] = []
    spacy: list[Item] = []
    for rec, doc in data:
        g, r, s = _predictions(rec, doc, gazetteer, None)
        gold += g
        rules += r
        spacy += s
        if typer is not None:
            model += _predictions(rec, doc, gazetteer, typer)[1]
    out: dict[str, Any] = {"gold": len(gold)}
    for name, pred in (("spacy", spacy), ("rules", rules), ("typer", model)):
        if name == "typer" and typer is None:
            continue
        out[name] = 100 * score(pred, gold, mode="exact", typed=True).f1
        out[f"{name}_types"] = {
            lab: 100 * score([p for p in pred if p.label == lab], [x for x in gold if x.label == lab],
                             mode="exact", typed=True).f1
            for lab in sorted({x.label for x in gold if x.label})}
    out["types_gold"] = dict(Counter(x.label for x in gold))
    return out


def fit(rows: list[Features], labels: list[str], *, c: float, min_count: int) -> EntityTyper:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(f for row in rows for f in row)
    rows = [{f: v for f, v in row.items() if counts[f] >= min_count} for row in rows]
    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
    clf.fit(x, labels)
    classes = tuple(str(k) for k in clf.classes_)
    coef = np.zeros((len(vec.feature_names_), len(CLASSES)), dtype=np.float32)
    intercept = np.full(len(CLASSES), -30.0, dtype=np.float32)  # a class never seen is never predicted
    for k, cls in enumerate(classes):
        coef[:, CLASSES.index(cls)] = clf.coef_[k]
        intercept[CLASSES.index(cls)] = clf.intercept_[k]
    names = [str(n) for n in vec.feature_names_]
    return EntityTyper({n: i for i, n in enumerate(names)}, coef, intercept, CLASSES)


def save(typer: EntityTyper, path: Path) -> None:
    names = sorted(typer.vocabulary, key=typer.vocabulary.__getitem__)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, features=np.array(names), coef=typer.coef.astype(np.float16).astype(np.float32),
                        intercept=typer.intercept, classes=np.array(typer.classes))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimgraph.training entity_typer", description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared/data folder")
    parser.add_argument("--gum", type=Path, default=Path("/work/cache/ner/gum"),
                        help="folder with gum_train.jsonl and gum_dev_news.jsonl "
                             "(python -m claimgraph.evaluate.gum CHECKOUT FOLDER writes them)")
    parser.add_argument("--cache", type=Path, default=Path("/work/cache/ner"), help="where spaCy parses are kept")
    parser.add_argument("--out", type=Path, default=model_dir() / "weights.npz")
    parser.add_argument("--c", type=float, default=0.2, help="inverse regularisation strength")
    parser.add_argument("--min-count", type=int, default=3, help="features seen fewer times are dropped")
    parser.add_argument("--figures", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    started = time.time()
    settings = Settings()
    from claimgraph.pipeline.nlp import load_model

    nlp = load_model(settings.spacy_model)
    gazetteer = load_gazetteer(settings.gazetteer_min_population)
    data: dict[str, list[tuple[Record, Any]]] = {}
    roles: dict[str, str] = {}
    for name, (files, split, role) in _sets(args.shared, args.gum).items():
        present = [f for f in files if f.is_file()]
        if not present:
            print(f"{name}: no data ({', '.join(str(f) for f in files)}), skipped", file=sys.stderr)
            continue
        records = [r for r in read_many(present) if split is None or r.raw.get("split") == split]
        data[name] = list(zip(records, parsed(records, args.cache, nlp), strict=True))
        roles[name] = role
        print(f"{name}: {len(records)} documents parsed ({time.time() - started:.0f}s)", file=sys.stderr)
    rows: list[Features] = []
    labels: list[str] = []
    for name, pairs in data.items():
        if roles[name] != "train":
            continue
        for rec, doc in pairs:
            for feats, label in candidates(rec, doc, gazetteer, label=True):
                rows.append(feats)
                labels.append(label)
    print(f"{len(rows)} training candidates: {dict(Counter(labels))}", file=sys.stderr)
    typer = fit(rows, labels, c=args.c, min_count=args.min_count)
    save(typer, args.out)
    typer = EntityTyper.load(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(typer.vocabulary)} features)")
    report = {name: figures(pairs, gazetteer, typer) for name, pairs in data.items()}
    print(f"{'set':28} {'role':6} {'gold':>5} {'spaCy':>6} {'rules':>6} {'typer':>6}")
    for name, fig in report.items():
        print(f"{name:28} {roles[name]:6} {fig['gold']:>5} {fig['spacy']:6.1f} {fig['rules']:6.1f} {fig['typer']:6.1f}")
        for lab, n in sorted(fig["types_gold"].items()):
            print(f"{'  ' + lab:28} {'':6} {n:>5} {fig['spacy_types'][lab]:6.1f} {fig['rules_types'][lab]:6.1f} "
                  f"{fig['typer_types'][lab]:6.1f}")
    if args.figures:
        args.figures.write_text(json.dumps(report, indent=1))
    print(f"trained in {time.time() - started:.0f}s")
    return 0
