"""Speed: articles/s of the bare spaCy pipeline vs full ``analyze`` on the same texts.

Usage: python bench/speed.py [--rounds 3] [--meantime]

The same articles go through both in the same run: first ``nlp(text)`` alone (the bare
spaCy pipeline), then ``Analyzer.analyze(path)`` (ingest + every stage). Models and the
gazetteer load before timing starts; their load time and the peak RSS are reported too.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.analyzer import Analyzer  # noqa: E402
from claimgraph.model import Document  # noqa: E402
from claimgraph.pipeline.nlp import load_model  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--meantime", action="store_true", help="also time the MEANTIME texts (shared/data)")
    args = parser.parse_args()

    settings = Settings()
    t0 = time.perf_counter()
    analyzer = Analyzer(settings)
    analyzer.pipeline  # noqa: B018  (the pipeline loads on first use: time the load here, not in the loop)
    load_s = time.perf_counter() - t0
    nlp = load_model(settings.spacy_model)

    samples = sorted(p for p in (REPO / "claimgraph" / "samples").iterdir() if p.suffix in {".txt", ".html"})
    inputs: list[Path | Document] = list(samples)
    meantime = REPO.parent / "shared" / "data" / "news" / "meantime"
    if args.meantime and meantime.is_dir():
        for f in sorted(meantime.glob("*.jsonl")):
            for line in f.open(encoding="utf-8"):
                rec = json.loads(line)
                inputs.append(Document.from_text(rec["text"], published=rec.get("published")))
    texts = [analyzer.load(i).text for i in inputs]
    words = sum(len(t.split()) for t in texts)

    for i in inputs[:3]:  # warm up both paths
        analyzer.analyze(i)
    bare, full = [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for text in texts:
            nlp(text)
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        for i in inputs:
            analyzer.analyze(i)
        full.append(time.perf_counter() - t)
    n = len(inputs)
    bare_rate = n / min(bare)
    full_rate = n / min(full)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {n} ({words} words), rounds: {args.rounds} (best round reported)")
    print(f"pipeline load (spaCy + gazetteer + lexicons): {load_s:.2f} s")
    print(f"bare spaCy pipeline : {bare_rate:7.2f} articles/s")
    print(f"full analyze        : {full_rate:7.2f} articles/s")
    print(f"ratio full / bare   : {full_rate / bare_rate:7.2f}  (target >= 0.6)")
    print(f"peak RSS            : {rss_mb:7.0f} MB")


if __name__ == "__main__":
    main()
