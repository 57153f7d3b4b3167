"""Speed of the ``entities`` stage against bare spaCy on the same texts (#12).

Usage: python bench/entity_stage_time.py [--rounds 3]

Parses the MEANTIME gm and airbus texts (../shared/data) with the bare spaCy pipeline, then runs
the entity rules and the learned typer over the parses, each timed apart (CPU time of this
process, best round), and prints each as a share of the bare spaCy time. A stage may add about
3 % of it (BRIEF); ``bench/speed.py`` measures the whole analysis.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.evaluate.data import read_many  # noqa: E402
from claimgraph.pipeline.entities.model import load_typer  # noqa: E402
from claimgraph.pipeline.entities.rules import extract_entities  # noqa: E402
from claimgraph.pipeline.gazetteer import load_gazetteer  # noqa: E402
from claimgraph.pipeline.nlp import load_model  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

MEANTIME = REPO.parent / "shared" / "data" / "news" / "meantime"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    files = [MEANTIME / "gm.jsonl", MEANTIME / "airbus.jsonl"]
    if not all(f.is_file() for f in files):
        print(f"no MEANTIME data under {MEANTIME}", file=sys.stderr)
        return 1
    settings = Settings()
    nlp = load_model(settings.spacy_model)
    gazetteer = load_gazetteer(settings.gazetteer_min_population)
    typer = load_typer()
    texts = [r.text for r in read_many(files)]
    best = {"spacy": float("inf"), "rules": float("inf"), "typer": float("inf")}
    for _ in range(args.rounds):
        t = time.process_time()
        docs = [nlp(text) for text in texts]
        best["spacy"] = min(best["spacy"], time.process_time() - t)
        t = time.process_time()
        entities = [extract_entities(doc, text, gazetteer) for doc, text in zip(docs, texts, strict=True)]
        best["rules"] = min(best["rules"], time.process_time() - t)
        t = time.process_time()
        for ents, doc, text in zip(entities, docs, texts, strict=True):
            typer.refine(ents, doc, text, gazetteer)
        best["typer"] = min(best["typer"], time.process_time() - t)
    print(f"texts: {len(texts)}, rounds: {args.rounds} (best CPU time)")
    for name, seconds in best.items():
        share = "" if name == "spacy" else f"  ({100 * seconds / best['spacy']:.1f} % of bare spaCy)"
        print(f"{name:6} {seconds:6.2f} s{share}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
