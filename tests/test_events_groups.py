"""Event groups across documents (#14): reports of the same day join whatever the time of day
each gives ("on Tuesday" and "Tuesday night"; "overnight" in the next morning's paper)."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from claimgraph.corpus.groups import _same_day


def _values(day: str) -> list[str]:
    engine = create_engine("sqlite://")
    meta = MetaData()
    events = Table("ev", meta, Column("when_value", String))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(events), [{"when_value": v} for v in ("2025-01-14", "2025-01-14TNI", "2025-01-15",
                                                                 "2025-01", "2025")])
        return sorted(r[0] for r in conn.execute(select(events.c.when_value).where(_same_day(events.c.when_value,
                                                                                              day))))


def test_the_same_day_at_any_time_of_day() -> None:
    assert _values("2025-01-14") == ["2025-01-14", "2025-01-14TNI"]
    assert _values("2025-01-14TNI") == ["2025-01-14", "2025-01-14TNI"]


def test_coarser_dates_must_be_equal() -> None:
    assert _values("2025-01") == ["2025-01"]
    assert _values("2025") == ["2025"]
