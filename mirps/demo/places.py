"""Where synthetic returnees go: department by the real shares, then a municipality within it."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mirps.demo import figures
from mirps.demo.names import Weighted

# The same file the geo migration loads, so every code drawn here exists in the database.
ADMIN_AREAS = Path(__file__).resolve().parent.parent / "geo" / "hn_admin_areas.csv"

NEIGHBOURHOODS = (
    "Barrio El Centro", "Barrio Abajo", "Barrio La Cruz", "Barrio San José", "Barrio El Calvario",
    "Barrio Las Flores", "Colonia Las Palmas", "Colonia Los Pinos", "Colonia Santa Fe",
    "Colonia El Carmen", "Colonia Nueva Esperanza", "Colonia San Miguel", "Colonia La Pradera",
    "Colonia Villa Nueva", "Colonia Los Ángeles", "Colonia El Progreso", "Colonia La Guadalupe",
    "Colonia San Francisco", "Colonia Brisas del Valle", "Colonia Suyapa", "Aldea El Rosario",
    "Aldea San Juan", "Aldea Agua Blanca", "Aldea Las Mesas", "Caserío Los Laureles",
    "Caserío El Naranjo", "Aldea Buena Vista", "Aldea La Montañita",
)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    department: str


@cache
def municipalities() -> tuple[Municipality, ...]:
    with ADMIN_AREAS.open(encoding="utf-8") as f:
        return tuple(
            Municipality(r["municipality_code"], r["municipality_name"], r["department_code"])
            for r in csv.DictReader(f)
        )


class Places:
    """Draws destinations with the real department shares (cumulative weights built once)."""

    def __init__(self) -> None:
        by_dept: dict[str, list[Municipality]] = {}
        for m in municipalities():
            by_dept.setdefault(m.department, []).append(m)
        self.by_code = {m.code: m for m in municipalities()}
        self._depts = Weighted([d for d, _n in figures.DEPARTMENTS], [n for _d, n in figures.DEPARTMENTS])
        self._munis: dict[str, Weighted] = {}
        for dept, items in by_dept.items():
            weights = [
                figures.MUNICIPALITY_PULL.get(m.code)
                or (figures.SEAT_PULL if m.code.endswith("01") else figures.OTHER_PULL)
                for m in items
            ]
            self._munis[dept] = Weighted(items, weights)
        self._all = list(municipalities())

    def destination(self, rng: random.Random) -> Municipality:
        return self._munis[self._depts.pick(rng)].pick(rng)

    def anywhere(self, rng: random.Random) -> Municipality:
        return rng.choice(self._all)

    def address(self, rng: random.Random, muni: Municipality) -> str:
        return f"{rng.choice(NEIGHBOURHOODS)}, casa {rng.randint(1, 120)}, {muni.name}"
