"""Time each pipeline stage on a generated hostile text, optionally under cProfile (#19):
measurements, not tests.

    PYTHONPATH=$PWD python bench/stage_profile.py --kb 40 80 290            # the repeated-surname text
    PYTHONPATH=$PWD python bench/stage_profile.py --kb 80 --profile entities  # cProfile of one stage

The text repeats one surname in every clause ("Ghazanfar said the Ghazanfar of Ghazanfar told
Ghazanfar that Ghazanfar was in Ghazanfar."), the input that made the entity and event stages
quadratic in the mentions of one name.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimgraph.model import Analysis, Document
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings

VERBS = ("said", "told", "claimed", "reported", "denied", "confirmed")


def repeated_surname(chars: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        clause = (f"Ghazanfar {rng.choice(VERBS)} the Ghazanfar of Ghazanfar told Ghazanfar that Ghazanfar "
                  "was in Ghazanfar. ")
        parts.append(clause)
        size += len(clause)
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=int, nargs="+", default=[40, 80])
    parser.add_argument("--profile", help="print the cProfile of this stage (by cumulative time)")
    args = parser.parse_args(argv)
    pipeline = Pipeline(Settings(time_budget_s=0))
    for kb in args.kb:
        analysis = Analysis(document=Document.from_text(repeated_surname(kb * 1000), source_format="text"))
        times = []
        for name, stage in pipeline._stages:
            profiler = cProfile.Profile() if name == args.profile else None
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            analysis = stage(analysis)
            if profiler is not None:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
            times.append(f"{name} {time.perf_counter() - started:.2f}")
        print(f"{kb} KB: " + ", ".join(times) + " (seconds)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
