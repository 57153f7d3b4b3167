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


# --- #17: the scored incident decision (claimgraph.corpus.incidents) -----------------------------

from datetime import date  # noqa: E402

from claimgraph.corpus.incidents import THRESHOLD, Report, same_incident  # noqa: E402


def report(day: str | None = "2025-01-14", *, published: str | None = "2025-01-15", type: str = "ASSAULT",
           trigger: str = "attack", actors: tuple[str, ...] = (), targets: tuple[str, ...] = (),
           place: str | None = None, place_name: str = "", point: tuple[float, float] | None = None) -> Report:
    return Report(type=type, trigger=trigger, day=date.fromisoformat(day) if day else None,
                  published=date.fromisoformat(published) if published else None, actors=frozenset(actors),
                  targets=frozenset(targets), place=place, place_name=place_name, point=point)


def joins(a: Report, b: Report) -> bool:
    return same_incident(a, b)[0] >= THRESHOLD


def test_an_attack_a_raid_and_an_ambush_of_one_night_are_one_incident() -> None:
    # the events stage types all three ASSAULT; the words differ, the act does not
    assert joins(report(trigger="attack", place="ce-jani"), report(trigger="raid", place="ce-jani"))
    # "overnight" in the next morning's paper: a day apart, a participant shared
    assert joins(report("2025-01-14", actors=("ce-hni",)), report("2025-01-15", actors=("ce-hni",)))


def test_a_missing_date_is_tolerated_within_days_of_publication() -> None:
    assert joins(report(actors=("ce-hni",)), report(None, published="2025-01-16", actors=("ce-hni",)))
    assert not joins(report(actors=("ce-hni",)), report(None, published="2025-02-20", actors=("ce-hni",)))


def test_a_village_and_its_district_town_are_one_place() -> None:
    village, town = (32.93, 70.60), (32.99, 70.60)  # about 7 km apart
    assert joins(report(place="ce-village", point=village), report(place="ce-town", point=town))
    assert not joins(report(place="ce-a", point=village), report(place="ce-b", point=(34.0, 71.5)))


def test_what_keeps_reports_apart() -> None:
    assert not joins(report(type="ASSAULT", place="ce-x"), report(type="PROTEST", place="ce-x"))
    assert not joins(report("2025-01-14", place="ce-x"), report("2025-01-25", place="ce-x"))
    # a country is no evidence: every incident of the day in Pakistan shares it
    assert not joins(report(place="ce-pk", place_name="Pakistan"), report(place="ce-pk", place_name="Pakistan"))
    assert not joins(report(actors=("ce-a",)), report(actors=("ce-b",)))


# --- the same through a real SQLite store and the linker ----------------------------------------

from pathlib import Path  # noqa: E402

from sqlalchemy import select as _select  # noqa: E402

from claimgraph.corpus import schema as s  # noqa: E402
from claimgraph.corpus.link import Linker  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402
from claimgraph.model import Analysis, DateRef, Document, Entity, Event, Ref, Span  # noqa: E402


def _analysis(text: str, published: str, names: dict[str, str], trigger: str, type: str, actor: str | None,
              place: str | None, when: tuple[str, str] | None) -> Analysis:
    doc = Document.from_text(text, published=published)

    def span(word: str) -> Span:
        start = text.index(word)
        return Span.of(text, start, start + len(word))

    ids = {name: f"e{i}" for i, name in enumerate(names)}
    entities = tuple(Entity(ids[n], n, t, (), (span(n),)) for n, t in names.items())
    event = Event("ev1", type, span(trigger), Ref(ids[actor], span(actor)) if actor else None, None,
                  DateRef(when[1], span(when[0])) if when else None, Ref(ids[place], span(place)) if place else None,
                  None)
    return Analysis(document=doc, entities=entities, events=(event,), stages=("entities", "events"))


def test_reports_of_one_raid_group_through_the_store_and_a_protest_does_not(tmp_path: Path) -> None:
    names = {"Harakat al-Sabr": "ORG", "Shewal": "GPE"}
    reports = [
        _analysis("Fighters of Harakat al-Sabr attacked the police post in Shewal on Tuesday, killing three.",
                  "2025-01-15", names, "attacked", "ASSAULT", "Harakat al-Sabr", "Shewal", ("Tuesday", "2025-01-14")),
        # another outlet: another verb, no date of its own, another toll
        _analysis("Gunmen of Harakat al-Sabr raided a checkpoint in Shewal, killing eleven policemen.",
                  "2025-01-16", names, "raided", "ASSAULT", "Harakat al-Sabr", "Shewal", None),
        _analysis("Students protested in Shewal on Tuesday against Harakat al-Sabr.",
                  "2025-01-15", names, "protested", "PROTEST", None, "Shewal", ("Tuesday", "2025-01-14")),
    ]
    store = Store.open(tmp_path / "corpus.db")
    try:
        linker = Linker(store)
        for i, analysis in enumerate(reports):
            linker.link(store.write(analysis, source=f"report-{i}").doc_id)
        with store.engine.connect() as conn:
            groups = dict(conn.execute(_select(s.events.c.type, s.events.c.group_id)
                                       .where(s.events.c.type == "PROTEST")).all())
            assault = {r[0] for r in conn.execute(_select(s.events.c.group_id).where(s.events.c.type == "ASSAULT"))}
    finally:
        store.close()
    assert len(assault) == 1 and None not in assault  # one incident, whatever the toll
    assert groups["PROTEST"] is None
