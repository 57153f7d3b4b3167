"""Fuzz ingest with seeded hostile inputs (#19) and kill-and-resume it (#19): measurements, not tests.

    PYTHONPATH=$PWD python bench/fuzz.py --cases 10000 --seed 19            # the fuzz run
    PYTHONPATH=$PWD python bench/fuzz.py --kill-points 3 --seed 19           # kill -9 and resume

The fuzz run writes ``--cases`` inputs of every kind in ``tests/hostile_inputs.py`` into a
temporary folder and ingests it with the real pipeline in worker processes (the CLI's way:
watchdog on, ``--workers``), then prints: crashes (the run raised, or an input was rejected
with a pipeline or store error), hangs (inputs the watchdog stopped, or cut by the time
budget), inputs unaccounted for (met but in no count), the slowest input, and peak RSS of the
parent and of the largest worker. Kill-and-resume ingests one folder uninterrupted, then
again with ``kill -9`` of the process group (parent and workers) at random moments, resumes,
and compares the stores (documents, layers, corpus entities and their counts).
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.corpus.ingest import Ingest  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402
from tests.hostile_inputs import make_inputs, unaccounted  # noqa: E402
from tests.test_crash_safety import _cmd, _env, _folder, derived_counts_mismatch, kill_at, snapshot  # noqa: E402


def fuzz(cases: int, seed: int, workers: int, budget: float) -> int:
    with tempfile.TemporaryDirectory(prefix="claimgraph-fuzz-") as tmp:
        box = Path(tmp) / "box"
        box.mkdir()
        made = make_inputs(box, cases, seed=seed)
        keys: set[str] = set()
        store = Store.open(Path(tmp) / "fuzz.db")
        run = Ingest(store, Settings(time_budget_s=budget), workers=workers, isolate=True,
                     on_progress=lambda _s, k: keys.add(k))
        started = time.monotonic()
        crashed = None
        try:
            summary = run.run([str(box)])
        except Exception as exc:  # the measure: a batch that stops is a crash
            crashed = f"{type(exc).__name__}: {exc}"
            summary = run.summary
        elapsed = time.monotonic() - started
        cut_notes = [note for obj in store.iter_analyses() for note in obj["document"].get("notes", ())
                     if "time budget" in note]
        cut = len(cut_notes)
        store.close()
        errors = [(k, r) for k, r in summary.rejected if "pipeline error" in r or "store error" in r]
        stopped = [(k, r) for k, r in summary.rejected if "time limit" in r or "time budget" in r or "died" in r]
        missing = unaccounted(made, keys)
        parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"cases {cases} (seed {seed}), inputs met {summary.seen}, wall {elapsed:.0f} s, workers {workers}, "
              f"time budget {budget:g} s")
        print(f"  stored {summary.ingested}, present {summary.present}, rejected {len(summary.rejected)}, "
              f"skipped {len(summary.skipped)}")
        print(f"  crashes: {1 if crashed else 0} batch, {len(errors)} inputs with a pipeline/store error")
        print(f"  hangs: {len(stopped)} inputs stopped by the watchdog or over the budget; "
              f"{cut} stored with stages cut")
        print(f"  unaccounted for: {len(missing)}")
        print(f"  slowest input: {summary.slowest[0]:.1f} s ({summary.slowest[1][-70:]})")
        print(f"  peak RSS: parent {parent_mb:.0f} MB, largest worker {child_mb:.0f} MB")
        for key, reason in [*errors, *stopped][:10]:
            print(f"    {key[-60:]}: {reason[:160]}")
        for note in cut_notes[:5]:
            print(f"    cut: {note}")
        for line in missing[:10]:
            print(f"    missing {line}")
        if crashed:
            print(f"    batch crash: {crashed}")
        return 1 if crashed or errors or missing else 0


def kill_and_resume(points: int, seed: int, documents: int) -> int:
    rng = random.Random(seed)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="claimgraph-kill-") as tmp:
        root = Path(tmp)
        folder = _folder(root, "in", documents)
        clean = root / "clean.db"
        subprocess.run(_cmd(folder, clean), capture_output=True, env=_env(), check=True, timeout=1800)
        expected = snapshot(clean)
        for n in range(points):
            db = root / f"killed-{n}.db"
            at = rng.randint(1, documents - 1)
            kill_at(_cmd(folder, db), db, documents=at)
            with sqlite3.connect(db) as conn:
                before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            subprocess.run(_cmd(folder, db), capture_output=True, env=_env(), check=True, timeout=1800)
            same = snapshot(db) == expected and derived_counts_mismatch(db) == 0
            failures += not same
            print(f"kill point {n + 1}: killed at {before} of {documents} documents stored; "
                  f"after the re-run the store {'equals' if same else 'DIFFERS FROM'} the uninterrupted one")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-budget", type=float, default=Settings().time_budget_s)
    parser.add_argument("--kill-points", type=int, default=0, help="run kill-and-resume with this many kill points "
                        "instead of the fuzz run")
    parser.add_argument("--documents", type=int, default=12, help="kill-and-resume: articles in the folder")
    args = parser.parse_args(argv)
    if args.kill_points:
        return kill_and_resume(args.kill_points, args.seed, args.documents)
    return fuzz(args.cases, args.seed, args.workers, args.time_budget)


if __name__ == "__main__":
    sys.exit(main())
