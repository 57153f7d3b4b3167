"""Cost of the claims stage (#13) against the bare spaCy pipeline, on the same texts.

Usage: python bench/attribution_speed.py [--rounds 3] [--polnear N]

The texts (the bundled samples, and the first N PolNeAR dev articles when given) are parsed once
by the bare spaCy pipeline (timed: the baseline), the entities stage runs once (untimed), then the
claims stage runs on the rules alone and with the learned model (each timed, best round).
Printed: seconds per round and each claims variant as a share of the bare spaCy time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.analyzer import Analyzer  # noqa: E402
from claimgraph.model import Analysis, Document, Span  # noqa: E402
from claimgraph.pipeline import STAGES  # noqa: E402
from claimgraph.pipeline.nlp import load_model  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--polnear", type=int, default=0, help="also the first N PolNeAR dev articles")
    args = parser.parse_args()
    settings = Settings()
    analyzer = Analyzer(settings)
    samples = sorted(p for p in (REPO / "claimgraph" / "samples").iterdir() if p.suffix in {".txt", ".html"})
    texts = [analyzer.load(p).text for p in samples]
    dev = REPO.parent / "shared" / "data" / "attribution" / "polnear" / "dev.jsonl"
    if args.polnear and dev.is_file():
        with dev.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line, _ in zip(fh, range(args.polnear), strict=False)]
    nlp = load_model(settings.spacy_model)
    entities = STAGES["entities"](settings)
    rules = STAGES["claims"](Settings(use_models=False))
    model = STAGES["claims"](settings)
    bare: list[float] = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        docs = [nlp(text) for text in texts]
        bare.append(time.perf_counter() - t)
    analyses = []
    for text, doc in zip(texts, docs, strict=True):
        a = Analysis(document=Document.from_text(text)).add(
            doc=doc, sentences=tuple(Span.of(text, s.start_char, s.end_char) for s in doc.sents))
        analyses.append(entities(a))
    timing: dict[str, list[float]] = {"rules": [], "model": []}
    for _ in range(args.rounds):
        for name, stage in (("rules", rules), ("model", model)):
            t = time.perf_counter()
            for a in analyses:
                stage(a)
            timing[name].append(time.perf_counter() - t)
    base = min(bare)
    words = sum(len(t.split()) for t in texts)
    print(f"texts: {len(texts)} ({words} words), rounds: {args.rounds} (best round reported)")
    print(f"bare spaCy pipeline : {base:7.2f} s")
    for name, runs in timing.items():
        print(f"claims, {name:5}       : {min(runs):7.2f} s = {100 * min(runs) / base:5.1f} % of bare spaCy")


if __name__ == "__main__":
    main()
