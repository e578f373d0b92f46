"""Scoring one record against a few others, with the model in force: shared by the lookup at the
counter and the check made when a registration is saved."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import numpy as np

from mirps.identity import blocking, compare, frequency, table
from mirps.identity.model import Model, default


@dataclass(frozen=True, slots=True)
class Fields:
    """A record's fields as the engine reads them."""

    given_names: str
    surname1: str
    surname2: str = ""
    sex: str = ""
    birth_date: date | None = None
    dni: str = ""
    municipality: str = ""
    arrival_date: date | None = None
    estimated: bool = False


def build(rows: list[Fields]) -> table.Table:
    return table.build(
        given_names=[r.given_names for r in rows], surname1=[r.surname1 for r in rows],
        surname2=[r.surname2 for r in rows], sex=[r.sex for r in rows],
        birth_date=[r.birth_date for r in rows], dni=[r.dni for r in rows],
        municipality=[r.municipality for r in rows], arrival_date=[r.arrival_date for r in rows],
        estimated=[r.estimated for r in rows],
    )


def keys_of(fields: Fields) -> list[int]:
    keys, _recs = blocking.record_keys(build([fields]))
    return sorted({int(k) for k in keys})


@dataclass(frozen=True, slots=True)
class Scored:
    index: int  # position in the list of others
    probability: float
    levels: tuple[int, ...]
    weights: tuple[float, ...]
    barred: bool  # a safety rule forbids linking automatically
    impossible: bool  # cannot be the same person (two different valid DNIs)


def score(query: Fields, others: list[Fields], model: Model, *, top: int = 15) -> list[Scored]:
    """The `top` best of the other records scored against the query, best first."""
    if not others:
        return []
    t = build([query, *others])
    j = np.arange(1, len(others) + 1)
    i = np.zeros_like(j)
    levels = compare.compare(t, i, j)
    tf = frequency.pair_tf(t, i, j, levels, model.tf)
    p = model.probability(levels, tf)
    best = np.argsort(-p, kind="stable")[:top]
    i, j, levels, tf, p = i[best], j[best], levels[best], tf[best], p[best]
    w = model.weights(levels, tf)
    barred = compare.conflicts(t, i, j, levels, model, tf)
    impossible = compare.hard_conflicts(t, i, j, levels)
    return [
        Scored(int(k), float(p[n]), tuple(int(x) for x in levels[n]), tuple(round(float(x), 2) for x in w[n]),
               bool(barred[n]), bool(impossible[n]))
        for n, k in enumerate(best.tolist())
    ]


def reasons(levels: tuple[int, ...], weights: tuple[float, ...]) -> list[tuple[str, float]]:
    """(reason code, weight) of each field with evidence, strongest first."""
    out = [
        (compare.FIELDS[k].levels[lv], weights[k])
        for k, lv in enumerate(levels) if lv > 0
    ]
    return sorted(out, key=lambda r: -abs(r[1]))


@functools.lru_cache(maxsize=1)
def default_model() -> Model:
    return default()
