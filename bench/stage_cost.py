"""Stage cost: milliseconds per article of each pipeline stage against the bare spaCy pipeline.

Usage: python bench/stage_cost.py [--rounds 3] [--stages time,places] [FILE.jsonl ...]

The bundled samples (and any JSONL files in shared/data's format) go through the pipeline
once to warm up, then each stage is timed on its own over the same articles, best of
``--rounds``; the bare spaCy time is the ``nlp`` stage. Issue #12 asks that places and time
together add at most ~10 % of it. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.evaluate.data import read_many  # noqa: E402
from claimgraph.ingest import load_document  # noqa: E402
from claimgraph.model import Analysis, Document  # noqa: E402
from claimgraph.pipeline import Pipeline  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stages", default="time,places")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    settings = Settings()
    samples = sorted((REPO / "claimgraph" / "samples").glob("*.txt"))
    documents = [load_document(str(p), settings=settings) for p in samples]
    documents += [Document.from_text(r.text, published=r.published) for r in read_many(args.files)]
    measured = args.stages.split(",")
    pipeline = Pipeline(settings, stages=("nlp", "entities", *measured))
    stages = dict(pipeline._stages)
    base = [pipeline(d) for d in documents]  # warm-up; the layers the measured stages read
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name in ("nlp", *measured):
            t0 = time.perf_counter()
            for doc, analysis in zip(documents, base, strict=True):
                stages[name](Analysis(document=doc) if name == "nlp" else analysis)
            ms = 1000 * (time.perf_counter() - t0) / len(documents)
            best[name] = min(best.get(name, ms), ms)
    added = sum(best[n] for n in measured)
    print(json.dumps({"articles": len(documents), "ms_per_article": {k: round(v, 2) for k, v in best.items()},
                      "added_share_of_spacy": round(added / best["nlp"], 3)}))


if __name__ == "__main__":
    main()
