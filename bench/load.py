"""Load: ``claimgraph serve`` on a store, N concurrent clients on the API and the pages for T
seconds while an ingest writes new documents into the same store; errors and latency per route.

Usage:
  python bench/load.py [--db PATH] [--clients 50] [--seconds 60] [--no-writer] [--think 0] [--json OUT]
                       [--workers N] [--threads N] [--no-cache]

Without ``--db`` the sample corpus is ingested into a temporary store first (about a minute).
Everything runs on loopback (127.0.0.1) and is bounded: at most 200 clients and 600 seconds.

The server is a real subprocess (``python -m claimgraph.cli serve``); the clients are one
asyncio process, each sending its next request as soon as the last one is answered (closed
loop: with ``--think S`` a client waits S seconds between requests, as a reader would). Routes
rotate per client, over a few entities and documents of the store. The writer ingests the
sample's plain-text articles, each with a reference line that makes it a new document (a real
``claimgraph ingest`` process: pipeline, write, link); the clients start once it has written its
first document, and it is stopped when they finish.

An error is any response of status 500 or more, any transport failure or time-out, and any
body that says "database is locked"; 4xx answers are counted apart (there should be none).
Printed: per route, requests, errors, p50, p95 and max in milliseconds; then all routes
together, requests per second, and the writer's documents and failures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "claimgraph" / "samples" / "corpus"
HOST = "127.0.0.1"
MAX_CLIENTS = 200
MAX_SECONDS = 600


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    client_errors: int = 0
    samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(what[:200])


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimgraph.cli", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def build_sample_store(folder: Path) -> Path:
    db = folder / "corpus.db"
    print(f"ingesting the sample corpus into {db} …", flush=True)
    subprocess.run(_cli("ingest", str(CORPUS), "--db", str(db)), check=True, env=_env(), cwd=REPO,
                   stdout=subprocess.DEVNULL)
    return db


def start_server(db: Path, port: int, log: Path, extra: list[str]) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    proc = subprocess.Popen(_cli("serve", "--db", str(db), "--host", HOST, "--port", str(port), *extra), env=_env(),
                            cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: see {log}")
        try:
            if httpx.get(f"http://{HOST}:{port}/api/stats", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start in 120 s")


def routes(base: str) -> list[tuple[str, str]]:
    """(name, url) pairs: every page and the main API lists, over a few entities and documents."""
    ents = httpx.get(f"{base}/api/entities?limit=5&order=documents", timeout=30).json()["items"]
    docs = httpx.get(f"{base}/api/documents?limit=10", timeout=30).json()["items"]
    out = [("/", "/"), ("/search", "/search?q=police"), ("/documents", "/documents"), ("/claims", "/claims"),
           ("/events", "/events"), ("/graph", "/graph"), ("/api/documents", "/api/documents"),
           ("/api/entities", "/api/entities"), ("/api/search", "/api/search?q=ceasefire"),
           ("/api/claims", "/api/claims"), ("/api/events", "/api/events"), ("/api/graph", "/api/graph"),
           ("/api/stats", "/api/stats")]
    for i, e in enumerate(ents):
        out += [("/entity/{id}", f"/entity/{e['id']}"), ("/api/entities/{id}", f"/api/entities/{e['id']}")]
        if i < 2:
            out.append(("/api/timeline", "/api/timeline?" + str(httpx.QueryParams({"name": e["name"]}))))
    for d in docs[:5]:
        out += [("/document/{id}", f"/document/{d['id']}"), ("/api/documents/{id}", f"/api/documents/{d['id']}")]
    return out


async def client(n: int, base: str, plan: list[tuple[str, str]], until: float, think: float,
                 tallies: dict[str, Tally]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        i = n
        while time.monotonic() < until:
            name, url = plan[i % len(plan)]
            i += 1
            tally = tallies.setdefault(name, Tally())
            started = time.perf_counter()
            try:
                r = await http.get(url)
            except httpx.HTTPError as exc:
                tally.error(f"{type(exc).__name__}: {exc}")
                continue
            tally.latencies.append(time.perf_counter() - started)
            if r.status_code >= 500 or "database is locked" in r.text:
                tally.error(f"{r.status_code} {r.text[:150]}")
            elif r.status_code >= 400:
                tally.client_errors += 1
            if think:
                await asyncio.sleep(think)


class Writer:
    """One ``claimgraph ingest`` process over rounds of the sample's plain-text articles, each with
    a reference line naming its round (so every one is a new document): more than it can write
    in the run, so it writes throughout, and is stopped when the run ends."""

    def __init__(self, db: Path, folder: Path, rounds: int = 40) -> None:
        self.db = db
        for n in range(rounds):
            for p in sorted(CORPUS.glob("*.txt")):  # plain articles: a line appended keeps them valid
                (folder / f"r{n:02d}_{p.name}").write_text(
                    p.read_text(encoding="utf-8") + f"\n\nReference: load round {n}.\n", encoding="utf-8")
        self.log = folder.parent / "writer.log"
        self.proc = subprocess.Popen(_cli("ingest", str(folder), "--db", str(db), "--workers", "1"), env=_env(),
                                     cwd=REPO, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)

    def documents(self) -> int:
        import sqlite3

        with sqlite3.connect(self.db, timeout=30) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def wait_first_write(self, timeout: float = 300) -> None:
        """Until the writer has stored a document (its pipeline is loaded and it is writing)."""
        start, end = self.documents(), time.monotonic() + timeout
        while self.documents() == start:
            if self.proc.poll() is not None or time.monotonic() > end:
                raise SystemExit(f"the writer wrote nothing (see {self.log})")
            time.sleep(1)

    def stop(self) -> dict[str, Any]:
        still_running = self.proc.poll() is None
        if still_running:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        out = self.log.read_text(encoding="utf-8", errors="replace")
        return {"writing_at_the_end": still_running, "exit": self.proc.returncode,
                "locked": out.count("database is locked"), "tracebacks": out.count("Traceback")}


def ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(base: str, plan: list[tuple[str, str]], clients: int, seconds: float,
              think: float) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    until = time.monotonic() + seconds
    await asyncio.gather(*(client(n, base, plan, until, think, tallies) for n in range(clients)))
    return tallies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="the store (a SQLite file); default: the sample corpus, ingested now")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=0.0, help="seconds a client waits between requests")
    ap.add_argument("--no-writer", action="store_true", help="no ingest during the run")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--workers", type=int, help="serve --workers (server processes)")
    ap.add_argument("--threads", type=int, help="serve --threads (requests at once per process)")
    ap.add_argument("--no-cache", action="store_true", help="serve --no-cache (compute every answer)")
    args = ap.parse_args(argv)
    clients, seconds = min(max(args.clients, 1), MAX_CLIENTS), min(max(args.seconds, 1.0), MAX_SECONDS)
    with tempfile.TemporaryDirectory(prefix="claimgraph-load-") as tmp:
        folder = Path(tmp)
        db = args.db or build_sample_store(folder)
        if args.db and not args.no_writer:  # the writer must not grow the user's store: work on a copy
            copy = folder / "corpus.db"
            subprocess.run([sys.executable, "-c", "import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); "
                            "d=sqlite3.connect(sys.argv[2]); s.backup(d)", str(args.db), str(copy)], check=True)
            db = copy
        port = _free_port()
        log = folder / "server.log"
        extra = [*(["--workers", str(args.workers)] if args.workers else []),
                 *(["--threads", str(args.threads)] if args.threads else []),
                 *(["--no-cache"] if args.no_cache else [])]
        server = start_server(db, port, log, extra)
        base = f"http://{HOST}:{port}"
        try:
            plan = routes(base)
            for _, url in plan:  # one request per route first: what a server's first visitor pays
                httpx.get(base + url, timeout=120)
            written: dict[str, Any] = {}
            wfolder = folder / "writer"
            wfolder.mkdir()
            ingest = None
            if not args.no_writer:
                ingest = Writer(db, wfolder)
                ingest.wait_first_write()
                before = ingest.documents()
            started = time.monotonic()
            tallies = asyncio.run(run(base, plan, clients, seconds, args.think))
            elapsed = time.monotonic() - started
            if ingest is not None:
                written["documents_during_run"] = ingest.documents() - before
                written.update(ingest.stop())
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log = log.read_text(encoding="utf-8", errors="replace")
    every = [x for t in tallies.values() for x in t.latencies]
    errors = sum(t.errors for t in tallies.values())
    print(f"\n{clients} clients, {seconds:g} s, think {args.think:g} s, serve {' '.join(extra) or 'defaults'}, writer: "
          f"{'no' if args.no_writer else written}")
    print(f"{'route':22s} {'requests':>8s} {'errors':>6s} {'4xx':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}")
    rows = {}
    for name in sorted(tallies):
        t = tallies[name]
        rows[name] = {"requests": len(t.latencies), "errors": t.errors, "4xx": t.client_errors,
                      "p50_ms": round(ms(t.latencies, 0.5)), "p95_ms": round(ms(t.latencies, 0.95)),
                      "max_ms": round(ms(t.latencies, 1.0))}
        r = rows[name]
        print(f"{name:22s} {r['requests']:8d} {r['errors']:6d} {r['4xx']:4d} {r['p50_ms']:8d} {r['p95_ms']:8d} "
              f"{r['max_ms']:8d}")
        for sample in t.samples:
            print(f"    e.g. {sample}")
    total = {"requests": len(every), "errors": errors, "rps": round(len(every) / elapsed, 1),
             "p50_ms": round(ms(every, 0.5)), "p95_ms": round(ms(every, 0.95)), "max_ms": round(ms(every, 1.0)),
             "server_locked_lines": server_log.count("database is locked"),
             "server_tracebacks": server_log.count("Traceback")}
    print(f"{'all':22s} {total['requests']:8d} {errors:6d} {'':4s} {total['p50_ms']:8d} {total['p95_ms']:8d} "
          f"{total['max_ms']:8d}   {total['rps']} req/s; server log: {total['server_locked_lines']} 'database is "
          f"locked', {total['server_tracebacks']} tracebacks")
    if args.json:
        args.json.write_text(json.dumps({"clients": clients, "seconds": seconds, "think": args.think, "serve": extra,
                                         "writer": written, "routes": rows, "all": total}, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
