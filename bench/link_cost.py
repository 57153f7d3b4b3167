"""What the learned pair decision (#17) costs when a document is written and linked.

Usage: python bench/link_cost.py [--rounds 3]

Analyses the .txt articles of the sample corpus once (publication date from the file name),
then, per round, writes and links them into a fresh SQLite store twice — with the resolver's
rules alone and with the learned pair decision — and prints milliseconds per document for each
(best round). Write+link only: the analysis is not timed. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.corpus.link import Linker  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.model import Analysis, Document  # noqa: E402
from claimgraph.pipeline import Pipeline  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

CORPUS = REPO / "claimgraph" / "samples" / "corpus"


def analyses() -> list[tuple[str, Analysis]]:
    pipeline = Pipeline(Settings())
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        doc = Document.from_text(path.read_text(encoding="utf-8"), published=path.name[:10])
        out.append((str(path), pipeline(doc)))
    return out


def write_and_link(docs: list[tuple[str, Analysis]], settings: Settings) -> float:
    """Seconds to write and link every document into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "corpus.db")
        linker = Linker(store, settings)
        started = time.perf_counter()
        for source, analysis in docs:
            result = store.write(analysis, source=source)
            linker.link(result.doc_id)
        took = time.perf_counter() - started
        store.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    docs = analyses()
    configs = {"rules alone": Settings(use_models=False), "learned pair decision": Settings()}
    best = {name: min(write_and_link(docs, s) for _ in range(args.rounds)) for name, s in configs.items()}
    print(f"documents: {len(docs)}, rounds: {args.rounds} (best round)")
    for name, secs in best.items():
        print(f"{name:24s}: {1000 * secs / len(docs):7.1f} ms per document (write + link)")
    rules, model = best["rules alone"], best["learned pair decision"]
    print(f"learned / rules         : {model / rules:7.2f}  (target <= 1.20)")


if __name__ == "__main__":
    main()
