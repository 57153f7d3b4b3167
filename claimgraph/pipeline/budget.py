"""A time budget for one document's pass through the pipeline.

Hostile text can make a stage slow (#19: a 290 KB text repeating one surname took 5.5
minutes); a budget keeps one document from holding a batch. Between stages the budget is a
clock check. Inside a stage it is an interval timer (``SIGALRM``) that raises
:class:`BudgetSpent` in the running Python code, so even a loop with no checks of its own
stops — only in the main thread (signals are delivered there alone), which is where ``analyze``
and each ingest worker run a document; elsewhere (a web server's threads) stages are checked
between one another only. C code (a long regular expression, a spaCy component) ends before
the signal is seen; batch ingest's watchdog (:mod:`claimgraph.corpus.workers`) stops those.
An outer timer already set (a test runner's time-out) is put back, with its remaining time,
when the stage ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class BudgetSpent(BaseException):
    """The document's time budget ran out inside a stage (a BaseException, like KeyboardInterrupt, so
    that a stage's own `except Exception` cannot swallow it)."""


def _raise(_signum: int, _frame: FrameType | None) -> None:
    raise BudgetSpent


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`BudgetSpent` in this block after ``seconds`` (main thread only; elsewhere a
    no-op). Nested timers are restored on exit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _raise)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer - (time.monotonic() - started)))


__all__ = ["BudgetSpent", "alarm"]
