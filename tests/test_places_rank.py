"""Ranking rules of the places stage on synthetic gazetteer entries (no data files)."""

from __future__ import annotations

from claimgraph.pipeline.gazetteer import Gazetteer
from claimgraph.pipeline.geo_rank import Candidate, Evidence, Query, Ranker
from claimgraph.pipeline.geo_sources import Place

TOWN = Place("Kupwara", 34.03, 74.26, "IN", "1", "city", 14_711, "Kashmir")
SRINAGAR = Place("Srinagar", 34.09, 74.81, "IN", "2", "city", 1_180_570, "Kashmir")
BIG = Place("Hyderabad", 17.38, 78.46, "IN", "3", "city", 6_993_262, "Telangana", fame=34)
OTHER = Place("Hyderabad", 25.40, 68.38, "PK", "4", "city", 1_921_275, "Sindh", fame=44)

RANKER = Ranker(Gazetteer([], {}, {}, {}, {}))


def cand(place: Place) -> Candidate:
    return Candidate(place, False, Query(place.name))


def test_evidence_without_removes_an_entitys_own_vote() -> None:
    total, own = Evidence(), Evidence()
    own.vote("IN", 2.0, "Kashmir")
    own.points.append((34.0, 74.0))
    total.add(own)
    total.vote("PK", 1.0)
    rest = total.without(own)
    assert rest.countries == {"PK": 1.0} and not rest.admin1 and not rest.points
    assert total.country_share("IN") == 1.0 and total.country_share("PK") == 0.5


def test_minor_town_needs_support_from_the_article() -> None:
    assert RANKER.decide([cand(TOWN)], Evidence()).place is None
    near = Evidence(points=[(SRINAGAR.lat, SRINAGAR.lon)])
    assert RANKER.decide([cand(TOWN)], near).place == TOWN
    province = Evidence()
    province.vote("IN", 1.0, "Kashmir")
    assert RANKER.decide([cand(TOWN)], province).place == TOWN


def test_article_country_decides_between_namesakes() -> None:
    pakistan = Evidence()
    pakistan.vote("PK", 3.0)
    assert RANKER.decide([cand(BIG), cand(OTHER)], pakistan).place == OTHER
    india = Evidence()
    india.vote("IN", 3.0)
    assert RANKER.decide([cand(BIG), cand(OTHER)], india).place == BIG


def test_close_scores_between_distant_places_are_refused() -> None:
    twin = Place("Hyderabad", 25.40, 68.38, "PK", "5", "city", 6_993_262, "Sindh", fame=34)
    decision = RANKER.decide([cand(BIG), cand(twin)], Evidence())
    assert decision.place is None and decision.margin < 0.5


def test_nearby_rivals_are_the_same_answer() -> None:
    twin = Place("Kupwara", 34.05, 74.27, "IN", "6", "admin2", 14_711, "Kashmir")
    assert RANKER.decide([cand(SRINAGAR), cand(twin)], Evidence()).place is not None
