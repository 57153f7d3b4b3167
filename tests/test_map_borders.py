"""The map's packaged admin-1 borders, and the command that builds them from Natural Earth."""

from __future__ import annotations

import json

import pytest

from claimgraph.web.borders_build import OUTPUT, simplify_lines


def test_packaged_admin1_lines_are_valid_geojson_over_the_whole_world() -> None:
    data = json.loads(OUTPUT.read_text(encoding="utf-8"))
    (feature,) = data["features"]
    lines = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "MultiLineString" and len(lines) > 5000
    assert all(len(line) >= 2 for line in lines)
    xs = [p[0] for line in lines for p in line]
    ys = [p[1] for line in lines for p in line]
    assert -180 <= min(xs) < -100 and 100 < max(xs) <= 180 and min(ys) >= -90 and max(ys) <= 90
    # Pakistan's provinces are there (Khyber Pakhtunkhwa meets Punjab near 71-74 E, 30-36 N)
    assert any(70 < x < 75 and 30 < y < 36 for x, y in zip(xs, ys, strict=True))
    assert (OUTPUT.parent / "LICENSE").read_text(encoding="utf-8").count("public domain")


def test_simplify_joins_pieces_drops_specks_and_rounds() -> None:
    pytest.importorskip("shapely")
    zigzag = [(0.0, 0.0), (0.5, 0.001), (1.0, 0.0)]  # within tolerance: becomes a straight line
    continued = [(1.0, 0.0), (2.0, 1.0)]  # meets the first at (1, 0): joined into one line
    speck = [(10.0, 10.0), (10.001, 10.001)]  # collapses to one point once rounded
    lines = simplify_lines(iter([zigzag, continued, speck]), tolerance=0.01, decimals=2)
    assert lines == [[[0.0, 0.0], [1.0, 0.0], [2.0, 1.0]]]
