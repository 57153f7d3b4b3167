"""Scale: a synthetic corpus in the store, and the latency of the questions users ask of it;
ingest throughput with 1 and 2 workers.

Usage:
  python bench/scale.py store  --docs 100000 [--db PATH]   # synthetic documents, then query latency
  python bench/scale.py measure --db PATH                   # query latency again on a store built so
  python bench/scale.py ingest --docs 120                   # real pipeline, 1 vs 2 workers
  python bench/scale.py reingest --db PATH [--code DIR]     # `claimgraph ingest` of one file on a grown store

``store``: the sample corpus is analysed once; each synthetic document is one of those
analyses with every entity renamed from a pool of invented names (persons, groups, places;
consistent within the document, shared across documents so that actors recur), its dates
moved to a random year from 2010 to 2025, and a unique reference line so its id differs. It is
written and linked exactly as ingest does (one transaction to store it, one to link it and
group its claims and events). Reported: write+link time per 1,000 documents, store size per
1,000 documents, and p50/p95 latency of entity profile, search, claims filter and timeline
at the checkpoints given (default 10k, 50k, 100k).

``reingest``: ``claimgraph ingest FILE --db PATH --workers 1`` run three times as a user would on a
grown store — a new article (analysed and linked), the same file again (present), and ``--help``
(the interpreter and imports, for scale) — each in its own process: wall time and peak memory
(of the process and its worker). ``--code DIR`` runs another checkout's claimgraph (the same
run for both sides of a comparison; mind that a newer claimgraph migrates the store it opens).

``ingest``: the sample corpus texts with a varying reference line appended (so none is a
duplicate), ingested into fresh stores with 1 and with 2 worker processes; documents/s each
and the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from claimgraph.corpus.ingest import Ingest  # noqa: E402
from claimgraph.corpus.link import Linker  # noqa: E402
from claimgraph.corpus.profile import entity_profile  # noqa: E402
from claimgraph.corpus.queries import claims, search, timeline  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.model import Analysis, content_id  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

CORPUS = REPO / "claimgraph" / "samples" / "corpus"
FIRST = [
    "Amir", "Bilal", "Dawood", "Farid", "Ghulam", "Habib", "Imran", "Javed", "Kamal", "Latif", "Mansoor", "Nadeem",
    "Omar", "Pervaiz", "Qasim", "Rashid", "Sajid", "Tariq", "Umar", "Waqar", "Yasir", "Zahid", "Asma", "Bushra",
    "Farah", "Huma", "Iqra", "Khadija", "Lubna", "Nadia", "Rabia", "Saima", "Tahira", "Uzma", "Yasmin", "Zainab",
    "Arif", "Basit", "Fahad", "Hamza", "Junaid", "Kashif", "Majid", "Naveed", "Rizwan", "Shakeel", "Tahir", "Wasim",
]
LAST = [
    "Afridi", "Baloch", "Chaudhry", "Durrani", "Effendi", "Faruqi", "Gilani", "Hashmi", "Iqbal", "Jatoi", "Kundi",
    "Lodhi", "Mengal", "Niazi", "Orakzai", "Paracha", "Qureshi", "Raisani", "Shinwari", "Tareen", "Usmani", "Wazir",
    "Yousafzai", "Zardari", "Abbasi", "Bugti", "Chandio", "Dogar", "Khattak", "Lashari", "Malik", "Noon", "Pirzada",
    "Rind", "Sheikh", "Talpur", "Warraich", "Bangash", "Marwat", "Mohmand", "Jadoon", "Swati", "Tanoli",
]
ORG_A = [
    "Northern", "Southern", "Eastern", "Western", "United", "Free", "Islamic", "National", "Popular",
    "Revolutionary", "Frontier", "Mountain", "Valley", "Desert", "River", "Coastal", "Tribal", "Democratic",
    "People's", "Patriotic",
]
ORG_B = [
    "Front", "Movement", "Council", "Brigade", "Army", "Alliance", "League", "Party", "Committee", "Union",
    "Federation", "Network", "Group", "Battalion", "Legion", "Association",
]
PLACES = [f"{a}{b}" for a in ("Kal", "Mir", "Shah", "Dar", "Gul", "Zar", "Nur", "Sar", "Bar", "Kot", "Pir", "Tal")
          for b in ("abad", "pur", "kot", "garh", "khel", "wala", "gai", "zai", "dara", "kalay")]


def pools(rng: random.Random) -> dict[str, list[str]]:
    persons = [f"{f} {m} {last}" for f in FIRST for m in FIRST[:6] for last in LAST]
    rng.shuffle(persons)
    orgs = [f"{a} {n} {b}" for a in ORG_A for n in ("Liberation", "Resistance", "Justice", "Unity", "Defence",
                                                    "Salvation", "Renewal") for b in ORG_B]
    rng.shuffle(orgs)
    return {"PERSON": persons[:20000], "ORG": orgs, "NORP": orgs, "GPE": PLACES, "LOC": PLACES, "FAC": PLACES}


def base_analyses() -> list[dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp()) / "base.db"
    store = Store.open(tmp)
    Ingest(store, Settings(), workers=2).run([str(CORPUS)])
    out = list(store.iter_analyses())
    store.close()
    return out


def _zipf_pick(rng: random.Random, items: list[str]) -> str:
    """Actors recur the way news actors do: a few very often, most rarely."""
    return items[min(len(items) - 1, int(rng.paretovariate(1.1)) - 1)] if rng.random() < 0.6 else rng.choice(items)


def synthetic(rng: random.Random, base: dict[str, Any], n: int, names: dict[str, list[str]]) -> Analysis:
    blob = json.dumps(base, ensure_ascii=False)
    for ent in sorted(base["entities"], key=lambda e: -len(e["name"])):
        pool = names.get(ent["type"])
        if not pool or len(ent["name"]) < 4:
            continue
        new = _zipf_pick(rng, pool)
        blob = blob.replace(ent["name"], new)
        if ent["type"] == "PERSON":
            old_last, new_last = ent["name"].split()[-1], new.split()[-1]
            if len(old_last) > 3:
                blob = re.sub(rf"\b{re.escape(old_last)}\b", new_last, blob)
    blob = re.sub(r"\b20(1\d|2[0-5])\b", lambda _m: str(rng.randint(2010, 2025)), blob)
    obj = json.loads(blob)
    text = obj["document"]["text"] + f"\n\nReference {n}."
    obj["document"]["text"] = text
    obj["document"]["id"] = content_id(text)
    return Analysis.from_json(obj)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def latency(fn: Callable[[str], Any], args: list[str]) -> tuple[float, float]:
    times = []
    for arg in args:
        started = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def measure(store: Store, rng: random.Random, names: dict[str, list[str]], words: list[str], n_docs: int) -> None:
    people = [_zipf_pick(rng, names["PERSON"]) for _ in range(100)]
    groups = [_zipf_pick(rng, names["ORG"]) for _ in range(100)]
    queries = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(100)]
    if store.sqlite:
        db = Path(str(store.engine.url.database))
        size = sum(os.path.getsize(p) for p in db.parent.glob(db.name + "*"))
    else:
        with store.engine.connect() as conn:
            size = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"--- {n_docs} documents: store {size / 1e6:.0f} MB ({size / 1e6 / (n_docs / 1000):.1f} MB per 1k); "
          f"process peak memory {rss:.0f} MB")
    for label, fn, args in (
        ("entity profile (person)", lambda a: entity_profile(store, a), people),
        ("entity profile (group)", lambda a: entity_profile(store, a), groups),
        ("search (two words)", lambda a: search(store, a, limit=20), queries),
        ("claims filter (anonymous, about X)", lambda a: claims(store, about=a, source_type="anonymous", limit=50),
         groups),
        ("timeline", lambda a: timeline(store, a, limit=200), people),
    ):
        p50, p95 = latency(fn, args)
        print(f"{label:38s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    sys.stdout.flush()


def run_store(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    bases = base_analyses()
    names = pools(rng)
    words = sorted({w.lower() for b in bases for c in b["claims"] for part in c["content"]
                    for w in re.findall(r"[A-Za-z]{5,}", part["text"])})
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "scale.db"
    store = Store.open(db)
    linker = Linker(store)
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",")} | {args.docs})
    started = last = time.monotonic()
    for n in range(1, args.docs + 1):
        analysis = synthetic(rng, rng.choice(bases), n, names)
        result = store.write(analysis, f"synthetic#{n}")
        if result.status == "ingested":
            linker.link(result.doc_id)
        if n % 1000 == 0:
            now = time.monotonic()
            print(f"{n} documents, last 1k in {now - last:.1f} s (write+link+group), {now - started:.0f} s total")
            sys.stdout.flush()
            last = now
        if n in checkpoints:
            measure(store, rng, names, words, n)
    store.close()


def run_measure(args: argparse.Namespace) -> None:
    """Latency only, on a store that ``store`` built (say, again once the machine is quiet)."""
    if not args.db:
        sys.exit("measure needs --db, a store that `scale.py store` built")
    rng = random.Random(7)
    names = pools(rng)
    store = Store.open(args.db, create=False)
    with store.engine.connect() as conn:
        words = sorted(r[0] for r in conn.execute(text("SELECT term FROM claims_vocab WHERE length(term) >= 5")))
    measure(store, random.Random(args.seed), names, words, store.count("documents"))
    store.close()


def make_articles(n: int) -> Path:
    """``n`` distinct articles in a fresh folder: sample texts with a reference line each (so
    none is a duplicate of another); bench/engines.py ingests the same."""
    folder = Path(tempfile.mkdtemp()) / "in"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(texts[i % len(texts)] + f"\n\nReference {i}.\n", encoding="utf-8")
    return folder


def run_ingest(args: argparse.Namespace) -> None:
    folder = make_articles(args.docs)
    rates = {}
    for workers in (1, 2):
        store = Store.open(Path(tempfile.mkdtemp()) / f"w{workers}.db")
        started = time.monotonic()
        summary = Ingest(store, Settings(), workers=workers).run([str(folder)])
        elapsed = time.monotonic() - started
        rates[workers] = summary.ingested / elapsed
        print(f"{workers} worker(s): {summary.ingested} documents in {elapsed:.1f} s = {rates[workers]:.2f} docs/s "
              f"(pipeline load included)")
        store.close()
    print(f"speed-up 1 -> 2 workers: {rates[2] / rates[1]:.2f}x")


_PEAK = ("import resource, runpy, sys\n"
         "sys.argv = ['claimgraph'] + sys.argv[1:]\n"
         "try:\n"
         "    runpy.run_module('claimgraph.cli', run_name='__main__')\n"
         "except SystemExit:\n"
         "    pass\n"
         "finally:\n"
         "    peak = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
         "    print(f'PEAK_KB {peak}', file=sys.stderr)\n")


def _timed_cli(code: Path, args: list[str]) -> tuple[float, float, str]:
    """Seconds, peak MB and the last line of stderr of one ``claimgraph`` command."""
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.monotonic()
    # run from the checkout: ``python -c`` puts the working folder first on the path
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], env=env, cwd=code, capture_output=True, text=True,
                          check=False)
    elapsed = time.monotonic() - started
    peak = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB")), 0)
    said = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("PEAK_KB")]
    return elapsed, peak / 1024, said[-1] if said else ""


def run_reingest(args: argparse.Namespace) -> None:
    if not args.db:
        sys.exit("reingest needs --db, a store that `scale.py store` built")
    code = Path(args.code).resolve() if args.code else REPO
    folder = Path(tempfile.mkdtemp())
    article = folder / "reingest.txt"
    first = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")
    article.write_text(first + f"\n\nReingest {time.time()}.\n", encoding="utf-8")
    print(f"store {args.db}, claimgraph from {code}")
    for label, cli in (("new article", ["ingest", str(article), "--db", args.db, "--workers", "1"]),
                       ("same file again (present)", ["ingest", str(article), "--db", args.db, "--workers", "1"]),
                       ("claimgraph --help", ["--help"])):
        elapsed, peak, said = _timed_cli(code, cli)
        print(f"{label:28s} {elapsed:6.1f} s  peak {peak:5.0f} MB   ({said[:90]})")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("store", "measure", "ingest", "reingest"))
    parser.add_argument("--code", help="reingest: the checkout whose claimgraph runs (default: this one)")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db")
    parser.add_argument("--checkpoints", default="10000,50000")
    parser.add_argument("--seed", type=int, default=11, help="measure: which random actors and words to ask for")
    args = parser.parse_args()
    {"store": run_store, "measure": run_measure, "ingest": run_ingest, "reingest": run_reingest}[args.mode](args)


if __name__ == "__main__":
    main()
