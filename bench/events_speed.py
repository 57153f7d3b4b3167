"""Speed of the events stage against the bare spaCy pipeline, on the bundled samples and the
sample corpus: the time ``extract_events`` takes with the learned type model and with the rules
alone, as a share of ``nlp(text)`` on the same texts.

Usage: python bench/events_speed.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.evaluate.events_story import corpus_documents  # noqa: E402
from claimgraph.pipeline import Pipeline  # noqa: E402
from claimgraph.pipeline.events import extract_events  # noqa: E402
from claimgraph.pipeline.events.lexicon import event_lexicon  # noqa: E402
from claimgraph.pipeline.events.model import shipped_model  # noqa: E402
from claimgraph.pipeline.nlp import load_model  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    docs = list(corpus_documents(settings).values())
    nlp = load_model(settings.spacy_model)
    before = Pipeline(settings, stages=("nlp", "entities", "time", "places", "claims"))
    analyses = [before(d) for d in docs]
    lex, model = event_lexicon(), shipped_model()
    best = {"spacy": 1e9, "events (model)": 1e9, "events (rules)": 1e9}
    for _ in range(args.rounds):
        t = time.perf_counter()
        for d in docs:
            nlp(d.text)
        best["spacy"] = min(best["spacy"], time.perf_counter() - t)
        t = time.perf_counter()
        for a in analyses:
            extract_events(a, lex, model)
        best["events (model)"] = min(best["events (model)"], time.perf_counter() - t)
        t = time.perf_counter()
        for a in analyses:
            extract_events(a, lex, None)
        best["events (rules)"] = min(best["events (rules)"], time.perf_counter() - t)
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} articles, {words} words, best of {args.rounds} rounds")
    for name, secs in best.items():
        print(f"{name:16s} {secs:7.2f} s  {100 * secs / best['spacy']:6.1f} % of bare spaCy")


if __name__ == "__main__":
    main()
