"""Ingest throughput by engine: 1 local process, 2 local processes, and Ray with 2 local
actors, on the same synthetic articles into fresh SQLite stores.

Usage:
  python bench/engines.py --docs 200 [--ray-workers 2] [--skip cpu,local1,local2,ray]

The articles are the sample corpus's texts, each with a distinct reference line appended (so
every one is a new document, as in ``bench/scale.py ingest``). Each run is timed from the
call to the end of writing and linking, so model loading in the workers or actors is
included, as a user would see it (the pipeline's CPU time per article, without writing, is
measured too, for capacity planning); Ray's own start-up (``ray.init``) is reported apart, since
a cluster is started once and used for many runs. Peak memory: of the single process (the
pipeline plus the writer), and of the largest worker process. Numbers depend on how busy the
machine is: run it on a quiet one, and note its cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.corpus.ingest import Ingest, Summary  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from scale import make_articles  # noqa: E402


def report(label: str, summary: Summary, elapsed: float) -> float:
    rate = summary.ingested / elapsed
    print(f"{label:28s} {summary.ingested:5d} documents in {elapsed:7.1f} s = {rate:6.2f} docs/s"
          f"   (rejected {len(summary.rejected)})")
    sys.stdout.flush()
    return rate


def run_local(folder: Path, workers: int) -> tuple[Summary, float]:
    store = Store.open(Path(tempfile.mkdtemp()) / f"local{workers}.db")
    started = time.monotonic()
    summary = Ingest(store, Settings(), workers=workers).run([str(folder)])
    elapsed = time.monotonic() - started
    store.close()
    return summary, elapsed


def run_cpu(folder: Path, n: int) -> float:
    """CPU seconds per article of the pipeline alone (no writing), in this process: the
    per-core rate for capacity planning, less sensitive than wall time to a busy machine."""
    from claimgraph.analyzer import Analyzer

    analyzer = Analyzer(Settings())
    paths = sorted(folder.glob("*.txt"))[:n]
    analyzer.analyze(paths[0])  # first call warms caches
    started = time.process_time()
    for path in paths:
        analyzer.analyze(path)
    return (time.process_time() - started) / len(paths)


def run_ray(folder: Path, workers: int) -> tuple[Summary, float, float]:
    import ray

    from claimgraph.corpus.distributed import RayIngest

    started = time.monotonic()
    ray.init(num_cpus=workers, include_dashboard=False, logging_level="warning")
    boot = time.monotonic() - started
    store = Store.open(Path(tempfile.mkdtemp()) / "ray.db")
    started = time.monotonic()
    summary = RayIngest(store, Settings(), workers=workers).run([str(folder)])
    elapsed = time.monotonic() - started
    store.close()
    ray.shutdown()
    return summary, elapsed, boot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--ray-workers", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated: cpu, local1, local2, ray")
    parser.add_argument("--cpu-docs", type=int, default=100, help="articles for the CPU-time measure")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    folder = make_articles(args.docs)
    print(f"{args.docs} synthetic articles; machine: {os.cpu_count()} cores, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rates: dict[str, float] = {}
    if "local1" not in skip:
        summary, elapsed = run_local(folder, 1)
        rates["local1"] = report("local, 1 process", summary, elapsed)
        print(f"  peak memory of the process (pipeline + writer): "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if "cpu" not in skip:
        per_doc = run_cpu(folder, min(args.cpu_docs, args.docs))
        print(f"pipeline alone: {per_doc * 1000:.0f} ms CPU per article = {1 / per_doc:.1f} articles/s per core")
    if "local2" not in skip:
        summary, elapsed = run_local(folder, 2)
        rates["local2"] = report("local, 2 processes", summary, elapsed)
        print(f"  peak memory of the largest worker: "
              f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    if "ray" not in skip:
        summary, elapsed, boot = run_ray(folder, args.ray_workers)
        rates["ray"] = report(f"ray, {args.ray_workers} local actors", summary, elapsed)
        print(f"  ray.init took {boot:.1f} s (not included)")
    if "local1" in rates:
        for key, rate in rates.items():
            print(f"speed-up {key} vs 1 process: {rate / rates['local1']:.2f}x")


if __name__ == "__main__":
    main()
