"""Render times of the analyst's workspace pages (#16): entity list, claims explorer,
disagreements, map, graph, entity page — in process over HTTP (httpx ASGI transport), with the
response cache off, so every request computes its page. Prints the median and the worst of N
requests per page, cold (first request) apart.

    python bench/web_workspace.py STORE.db [--rounds 5]

Measurements, not tests: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from fastapi.testclient import TestClient

from claimgraph.corpus import browse
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    store = Store.open(args.store, create=False)
    top = browse.list_entities(store, limit=1)[0]["id"]
    pages = ["/entities", "/entities?type=PERSON&order=name&page_no=2", "/claims", "/claims?sort=outlets&short=hide",
             "/disagreements", "/disagreements?kind=event&differing=1", "/map", "/map?since=2025-03&until=2025-04",
             "/graph", f"/entity/{top}", "/api/disagreements?limit=20"]
    with TestClient(create_app(store, cache=False)) as client:
        time_pages(client, pages, args.rounds, width=48, skip_errors=False)
    store.close()
    return 0


def time_pages(client: TestClient, pages: list[str], rounds: int, *, width: int, skip_errors: bool) -> None:
    """Print, per page, the first request's time, the median and worst of ``rounds`` more, and the
    size. A page that does not answer 200 stops the run, or (``skip_errors``) is reported and
    skipped, for benches over stores where a hub may time out."""
    print(f"{'page':{width}} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'KB':>6}")
    for path in pages:
        t = time.perf_counter()
        r = client.get(path)
        first = (time.perf_counter() - t) * 1000
        if r.status_code != 200:
            if not skip_errors:
                raise SystemExit(f"{path}: status {r.status_code}")
            print(f"{path:{width}} status {r.status_code}: {r.text[:120]}")
            continue
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t) * 1000)
        median, worst, size = statistics.median(times), max(times), len(r.content) / 1024
        print(f"{path[:width]:{width}} {first:9.0f} {median:10.0f} {worst:8.0f} {size:6.0f}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
