"""JSON from untrusted dumps, with bounded work: a nesting limit and a number-size limit.

Python's ``json`` recurses once per bracket and converts every integer exactly, so one JSONL
line of 10,000 brackets raised ``RecursionError`` and one 5,000-digit number raised
``ValueError: Exceeds the limit (4300 digits)`` — both stopped a whole ingest batch (#19). An
article record is a flat object of a few strings: anything nested deeper than
:data:`MAX_DEPTH` or holding a number longer than :data:`MAX_NUMBER_CHARS` is refused with
:class:`JSONLimitError`, which names the limit, before the parser could exhaust the stack or
spend quadratic time on a huge integer.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: an article record is ``{"text": ..., "url": ...}``: depth 1; metadata may nest a little
MAX_DEPTH = 32
#: digits (with sign, point and exponent) of one JSON number
MAX_NUMBER_CHARS = 64

_SPECIAL = re.compile(r'[\[\]{}"\\]')


class JSONLimitError(ValueError):
    """A JSON value over one of the limits; the message says which."""


def nesting_depth(line: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in ``line``, brackets inside strings not counted
    (``stop_above``: give up counting once deeper). One pass over the characters that matter —
    no backtracking expression, which an adversarial line of escaped quotes makes quadratic."""
    depth = deepest = 0
    in_string = False
    escaped_at = -1  # the position a backslash inside a string escapes
    for match in _SPECIAL.finditer(line):
        ch, at = match.group(), match.start()
        if in_string:
            if at == escaped_at:
                continue
            if ch == "\\":
                escaped_at = at + 1
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _number(kind: str) -> Any:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise JSONLimitError(f"a number of {len(text)} characters (the limit is {MAX_NUMBER_CHARS})")
        return int(text) if kind == "int" else float(text)
    return parse


_PARSE_INT = _number("int")
_PARSE_FLOAT = _number("float")


def loads_bounded(line: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with the limits; raises :class:`JSONLimitError` or
    :class:`json.JSONDecodeError` (both ``ValueError``)."""
    # a cheap test first: most lines have a few brackets
    if line.count("[") + line.count("{") > max_depth and nesting_depth(line, stop_above=max_depth) > max_depth:
        raise JSONLimitError(f"nested more than {max_depth} deep (the limit)")
    try:
        return json.loads(line, parse_int=_PARSE_INT, parse_float=_PARSE_FLOAT)
    except RecursionError:  # only if the bracket count was fooled; never let it reach the batch
        raise JSONLimitError(f"nested deeper than {max_depth}") from None


__all__ = ["MAX_DEPTH", "MAX_NUMBER_CHARS", "JSONLimitError", "loads_bounded", "nesting_depth"]
