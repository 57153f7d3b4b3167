"""What the corpus queries' filters accept, defined once for the CLI and the REST API.

Why a module of its own: a typo in a filter ("anonymus", "lastyear") must be an error that
lists the valid values on every edge — exit 2 in the CLI, 422 in the API — never an empty
result with success. Both edges check their parameters with these definitions, and this
module imports nothing heavy, so the CLI's ``--help`` stays fast.
"""

from __future__ import annotations

import re
from datetime import date

from claimgraph.model import ENTITY_TYPES, EVENT_TYPES

SOURCE_TYPES = ("person", "organization", "anonymous", "document", "other")
#: a date or a date prefix: 2018, 2025-03, 2025-03-10
ISO_PREFIX = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: pages are read by asking the index for offset + limit rows: this bounds the work of one page
MAX_OFFSET = 10_000
MAX_LIMIT = 500

#: what a search query may be (the CLI's and the API's help say it)
SEARCH_HELP = ("Words (all must occur), or a query in the store's search syntax: FTS5 on SQLite, "
               "web search on PostgreSQL.")


class FilterError(ValueError):
    """A filter value outside what the queries accept; the message lists the valid values."""


def one_of(value: str | None, choices: tuple[str, ...], what: str, *, upper: bool = False) -> str | None:
    """``value`` normalised to one of ``choices`` (None when absent), else a FilterError listing them."""
    if value is None or value == "":
        return None
    norm = value.upper() if upper else value.lower()
    if norm not in choices:
        raise FilterError(f"no {what} {value!r}; one of {', '.join(choices)}")
    return norm


def date_prefix(value: str | None, what: str) -> str | None:
    """A date or date prefix (2018, 2025-03, 2025-03-10) with a real month and day, else a FilterError."""
    if value is None or value == "":
        return None
    if not re.match(ISO_PREFIX, value):
        raise FilterError(f"{what} {value!r} is not a date: give a year, a month or a day (2018, 2025-03, "
                          "2025-03-10)")
    parts = [int(p) for p in value.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise FilterError(f"{what} {value!r} has no month {parts[1]}")
    if len(parts) > 2:
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            raise FilterError(f"{what} {value!r} is not a day of the calendar") from None
    return value


def page(limit: int, offset: int) -> tuple[int, int]:
    """A page's limit and offset within the bounds every list shares, else a FilterError."""
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"limit {limit} is outside 1–{MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise FilterError(f"offset {offset} is outside 0–{MAX_OFFSET}")
    return limit, offset


def event_type(value: str | None) -> str | None:
    return one_of(value, EVENT_TYPES, "event type", upper=True)


def entity_type(value: str | None) -> str | None:
    return one_of(value, ENTITY_TYPES, "entity type", upper=True)


def source_type(value: str | None) -> str | None:
    return one_of(value, SOURCE_TYPES, "source type")
