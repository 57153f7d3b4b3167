"""Start-up: how long everyday commands take before they answer (#15).

Usage: python bench/startup.py [--runs 5] [--db STORE]

Each command runs as a fresh process (as a user types it), ``--runs`` times; the median wall
time is printed with its ratio to ``python -c "import spacy"`` measured in the same run, so
figures from a loaded machine can still be compared. Without ``--db`` the sample corpus is
ingested into a temporary store first (not timed).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "claimgraph.cli"]
SHORT = REPO / "claimgraph" / "samples" / "khyber_police_attack.txt"


def timed(cmd: list[str], runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` runs and the last exit code."""
    times, code = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        code = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - t0)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="an existing store for stats/search (default: ingest the sample corpus)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.txt"
        empty.write_text("")
        db = args.db
        if db is None:
            db = str(Path(tmp) / "corpus.db")
            subprocess.run([*CLI, "ingest", str(REPO / "claimgraph" / "samples" / "corpus"), "--db", db],
                           cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cases = {
            'python -c "import spacy"': [sys.executable, "-c", "import spacy"],
            "claimgraph --help": [*CLI, "--help"],
            "claimgraph analyze EMPTY": [*CLI, "analyze", str(empty)],
            f"claimgraph analyze {SHORT.name}": [*CLI, "analyze", str(SHORT)],
            "claimgraph stats": [*CLI, "stats", "--db", db],
            "claimgraph search police": [*CLI, "search", "police", "--db", db],
        }
        results = {name: timed(cmd, args.runs) for name, cmd in cases.items()}
    base = results['python -c "import spacy"'][0]
    print(f"| command | median of {args.runs} (s) | × import spacy | exit |")
    print("|---|---|---|---|")
    for name, (seconds, code) in results.items():
        print(f"| `{name}` | {seconds:.2f} | {seconds / base:.2f} | {code} |")


if __name__ == "__main__":
    main()
