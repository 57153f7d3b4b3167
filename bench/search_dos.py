"""Search under hostile queries (#20): how long each takes, or how it is refused.

Usage:
  python bench/search_dos.py --db PATH      # a SQLite store (copied; the copy gets one more article)

The copy gets one article that repeats a word 50,000 times ("zebra"), then these run through
``claimgraph.corpus.search.search`` (what the CLI and the API call): a plain word, the repeated
word, 4 prefix terms, 48 and 166 prefix terms of one letter and of two letters, and 24 and 25 words.
Printed: the query, the seconds it took, and its hits or the refusal's message.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.corpus.deadline import QueryTimeout  # noqa: E402
from claimgraph.corpus.search import QueryTooComplex, search  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.model import Analysis, Document  # noqa: E402

QUERIES = [
    ("plain word", "police"),
    ("repeated word (50,000 times in one article)", "zebra"),
    ("4 prefix terms", "pol* sta* ban* arm*"),
    ("48 prefix terms a*", " ".join(["a*"] * 48)),
    ("48 prefix terms ab*", " ".join(["ab*"] * 48)),
    ("166 prefix terms a*", " ".join(["a*"] * 166)),
    ("25 words", " ".join(f"word{i}" for i in range(25))),
    ("24 words", " ".join(f"word{i}" for i in range(24))),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="claimgraph-search-") as tmp:
        db = Path(tmp) / "corpus.db"
        shutil.copy(args.db, db)
        store = Store.open(db)
        text = "Zebra count\n\nThe survey counted one animal. " + "zebra " * 50_000
        store.write(Analysis(document=Document.from_text(text, title="Zebra count")), "zebra.txt")
        docs = store.count("documents")
        print(f"{docs} documents (one repeats a word 50,000 times)")
        for label, query in QUERIES:
            started = time.perf_counter()
            try:
                hits = search(store, query, limit=50)
                outcome = f"{len(hits)} hits"
            except (QueryTooComplex, QueryTimeout) as exc:
                outcome = f"refused: {exc}"
            print(f"{label:45s} {time.perf_counter() - started:8.3f} s   {outcome}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
