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
import statistics
import sys
import time
from urllib.parse import quote

from fastapi.testclient import TestClient

from claimgraph.corpus import browse
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app


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
        print(f"{'page':64} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'KB':>6}")
        for path in pages:
            t = time.perf_counter()
            r = client.get(path)
            cold = (time.perf_counter() - t) * 1000
            if r.status_code != 200:
                print(f"{path:64} status {r.status_code}: {r.text[:120]}")
                continue
            times = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t) * 1000)
            median, worst, size = statistics.median(times), max(times), len(r.content) / 1024
            print(f"{path[:64]:64} {cold:9.0f} {median:10.0f} {worst:8.0f} {size:6.0f}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
