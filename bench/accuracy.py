"""Accuracy: every evaluation on the shared/data benchmarks, printed as Markdown.

Usage: python bench/accuracy.py [--only ner|time|geo|attribution|events|xdoc]

Reads ../shared/data (never copied into the repository). The same figures come from
`claimgraph evaluate ner|time|geo|attribution|events|xdoc --data FILE`; this script runs them on the splits
bench/RESULTS.md reports, train and dev apart.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.evaluate.scoring import Report  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

DATA = REPO.parent / "shared" / "data"
MEANTIME = DATA / "news" / "meantime"
RUNS = {
    "ner": [("MEANTIME airbus+apple (train)", ["airbus", "apple"]), ("MEANTIME gm (dev)", ["gm"]),
            ("MEANTIME airbus+apple+gm", ["airbus", "apple", "gm"])],
    "time": [("MEANTIME airbus+apple (train)", ["airbus", "apple"]), ("MEANTIME gm (dev)", ["gm"]),
             ("MEANTIME airbus+apple+gm", ["airbus", "apple", "gm"])],
    "geo": [("GeoWebNews (all 200)", ["gwn"])],
    "attribution": [("PolNeAR dev", ["polnear-dev"])],
    "events": [("PLV train", ["plv-train"]), ("MEANTIME gm (dev)", ["gm"]), ("IndiaPoliceEvents dev", ["ipe-dev"])],
    # cross-document entity coreference: ECB+ is one file holding both splits (see SPLITS)
    "xdoc": [("ECB+ train", ["ecbplus-train"]), ("ECB+ dev", ["ecbplus-dev"]),
             ("MEANTIME airbus+apple+gm", ["airbus", "apple", "gm"])],
}
#: run name -> the split of its file to keep (files that hold several splits)
SPLITS = {"ecbplus-train": "train", "ecbplus-dev": "dev"}


def paths(names: list[str]) -> list[Path]:
    special = {"gwn": DATA / "geo" / "gwn.jsonl", "polnear-dev": DATA / "attribution" / "polnear" / "dev.jsonl",
               "plv-train": DATA / "events" / "plv" / "train.jsonl",
               "ipe-dev": DATA / "events" / "indiapoliceevents" / "dev.jsonl",
               "ecbplus-train": DATA / "news" / "ecbplus" / "dev.jsonl",
               "ecbplus-dev": DATA / "news" / "ecbplus" / "dev.jsonl"}
    return [special.get(n, MEANTIME / f"{n}.jsonl") for n in names]


def markdown(report: Report, label: str, seconds: float) -> str:
    columns: list[str] = []
    for row in report.rows.values():
        columns.extend(k for k in row if k not in columns)
    lines = [f"#### {label} — {report.title} ({seconds:.0f} s)", "",
             "| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in report.rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    lines += [f"_{n}_" for n in report.notes]
    sections = [markdown(section, label, seconds) for section in report.sections]
    return "\n".join([*lines, *sections]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(RUNS))
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no benchmark data at {DATA}")
    settings = Settings()
    for task, runs in RUNS.items():
        if args.only and task != args.only:
            continue
        evaluator = importlib.import_module(f"claimgraph.evaluate.{task}")
        for label, names in runs:
            start = time.perf_counter()
            split = {SPLITS[n] for n in names if n in SPLITS}
            options = {"split": split.pop()} if split else {}
            report = evaluator.evaluate(paths(names), settings=settings, **options)
            print(markdown(report, label, time.perf_counter() - start))


if __name__ == "__main__":
    main()
