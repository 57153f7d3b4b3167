"""Page times over a corpus's hubs (#18): the entity page, the entity API and the claims filter and
timeline of the most documented person, the corpus graph (page and API), the events page and the
home page — in process over HTTP, the response cache off, so every request computes its page.
Prints the first request (a fresh process: nothing kept) and the median and worst of N more.

    python bench/hub_pages.py STORE.db [--rounds 3]

Run it with another checkout's code (``PYTHONPATH=OTHER python bench/hub_pages.py``) for a
before/after pair on copies of one store. Measurements, not tests: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from claimgraph.corpus import browse
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_workspace import time_pages  # the bench folder: one timing loop for both page benches


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    store = Store.open(args.store, create=False)
    hub = browse.list_entities(store, type="PERSON", limit=1)[0]
    group = browse.list_entities(store, type="ORG", limit=1)[0]
    print(f"store: {browse.count_documents(store)} documents; largest person {hub['name']} "
          f"({hub['documents']} documents), largest group {group['name']} ({group['documents']})")
    pages = [f"/entity/{hub['id']}", f"/api/entities/{hub['id']}", f"/entity/{group['id']}", "/graph", "/api/graph",
             "/events", f"/claims?about={hub['id']}", f"/api/claims?about={hub['id']}&source_type=anonymous&limit=50",
             f"/api/timeline?name={quote(hub['id'])}&limit=50", "/"]
    with TestClient(create_app(store, cache=False)) as client:
        time_pages(client, pages, args.rounds, width=64, skip_errors=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
