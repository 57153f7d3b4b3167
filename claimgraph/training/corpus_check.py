"""Check the project's annotated articles (``corpus/*.jsonl``): offsets, ids, splits.

``python -m claimgraph.training.corpus_check`` exits 1 and names file, line and span for the
first problems it finds, so a hand-written article cannot silently teach a model wrong offsets.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).with_name("corpus")
SPAN_LAYERS = ("entities", "timex", "toponyms", "events")


def _spans(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for layer in SPAN_LAYERS:
        for item in record.get(layer) or []:
            yield layer, item
            for arg in item.get("args") or []:
                yield f"{layer}.args", arg
    for attribution in record.get("attributions") or []:
        for part in ("source", "cue", "content"):
            for span in attribution.get(part) or []:
                yield f"attributions.{part}", span
    for pair in record.get("pairs") or []:
        for part in ("actor", "recipient", "trigger"):
            if pair.get(part):
                yield f"pairs.{part}", pair[part]


def problems(paths: list[Path]) -> list[str]:
    """Every offset, id and split problem in ``paths``, as 'file:line: what' strings."""
    found: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                found.append(f"{where}: not JSON ({exc})")
                continue
            rid = str(record.get("id"))
            if rid in seen:
                found.append(f"{where}: id {rid!r} already used in {seen[rid]}")
            seen[rid] = where
            if record.get("split") not in ("train", "dev"):
                found.append(f"{where}: split must be 'train' or 'dev'")
            text = record.get("text")
            if not isinstance(text, str) or not text:
                found.append(f"{where}: no text")
                continue
            for layer, span in _spans(record):
                start, end = span.get("start"), span.get("end")
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    found.append(f"{where}: {layer} span {start}-{end} outside the text")
                elif text[start:end] != span.get("text"):
                    found.append(f"{where}: {layer} span {start}-{end} is {text[start:end]!r}, "
                                 f"not {span.get('text')!r}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(CORPUS_DIR.glob("*.jsonl"))
    found = problems(paths)
    for line in found[:50]:
        print(line, file=sys.stderr)
    print(f"{len(paths)} files, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
