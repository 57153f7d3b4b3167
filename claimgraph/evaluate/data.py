"""Reader for the benchmark format of ``shared/data`` (one JSON record per line).

Only the parts of a text inside ``scored`` ranges are fully annotated; the helpers here
let every scorer keep just those gold and predicted spans, so that a correct prediction
in an unannotated sentence never counts as a false positive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.errors import DataFormatError

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    corpus: str
    text: str
    published: str | None
    url: str | None
    scored: tuple[Range, ...] | None
    raw: dict[str, Any]

    def layer(self, key: str) -> list[dict[str, Any]]:
        value = self.raw.get(key)
        if value is None:
            raise DataFormatError(f"record {self.id!r} of corpus {self.corpus!r} has no {key!r} layer")
        return list(value)

    def in_scored(self, start: int, end: int) -> bool:
        """Is [start, end) inside one scored range (always true when the record has none)?"""
        if self.scored is None:
            return True
        return any(lo <= start and end <= hi for lo, hi in self.scored)


def read_records(path: str | Path) -> Iterator[Record]:
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"{path}: no such data file")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                scored = obj.get("scored")
                yield Record(
                    id=str(obj["id"]), corpus=str(obj["corpus"]), text=obj["text"],
                    published=obj.get("published"), url=obj.get("url"),
                    scored=None if scored is None else tuple((int(a), int(b)) for a, b in scored),
                    raw=obj,
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataFormatError(f"{path}:{lineno}: not a shared/data record ({exc})") from exc


def read_many(paths: Sequence[str | Path]) -> list[Record]:
    return [rec for p in paths for rec in read_records(p)]
