"""Which stretches of a text are taken: "does this span overlap any span seen so far?" in
logarithmic time.

Several stages keep one mention per stretch of text by asking that question of every
candidate against every span kept so far, which is quadratic in the mentions of a document:
a 290 KB text that repeats one surname in every clause held a batch for minutes (#19). The
index keeps the union of the added spans as disjoint intervals sorted by start, so a query is
one binary search, and an insertion one search plus the merge of the intervals it overlaps.

Overlap means what :meth:`claimgraph.model.Span.overlaps` means (half-open, sharing at least
one character: ``a.start < b.end and b.start < a.end``); spans that only touch do not overlap
and are kept as separate intervals, so the answers are exactly those of the pairwise loop.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from claimgraph.model import Span


class SpanIndex:
    """The union of the spans added so far, as disjoint ``(start, end)`` intervals."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for span in spans:
            self.add(span)

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, span: Span) -> bool:
        """Whether ``span`` shares a character with any added span."""
        return self._overlapping(span.start, span.end) is not None

    def _overlapping(self, start: int, end: int) -> tuple[int, int] | None:
        """The index range ``[lo, hi)`` of the stored intervals that overlap ``[start, end)``,
        or None. Stored intervals are disjoint, so both their starts and their ends ascend."""
        # intervals with start < end are candidates; of those, the ones with stored end > start overlap,
        # and they are a contiguous run ending at the last candidate
        hi = bisect_left(self._starts, end)
        lo = bisect_left(self._ends, start + 1, 0, hi)
        return (lo, hi) if lo < hi else None

    def add(self, span: Span) -> None:
        """Add a span, merging it with the stored intervals it overlaps."""
        start, end = span.start, span.end
        found = self._overlapping(start, end)
        if found is None:
            # sorted by (start, end), disjoint intervals have ascending ends too (even empty ones)
            pos = self._position(start, end)
            self._starts.insert(pos, start)
            self._ends.insert(pos, end)
            return
        lo, hi = found
        start = min(start, self._starts[lo])
        end = max(end, self._ends[hi - 1])
        del self._starts[lo:hi]
        del self._ends[lo:hi]
        self._starts.insert(lo, start)
        self._ends.insert(lo, end)

    def _position(self, start: int, end: int) -> int:
        pos = bisect_left(self._starts, start)
        while pos < len(self._starts) and self._starts[pos] == start and self._ends[pos] < end:
            pos += 1
        return pos


__all__ = ["SpanIndex"]
