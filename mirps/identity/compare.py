"""Comparison of record pairs, field by field, into discrete agreement levels.

Each field has a fixed list of levels (level 0 is always "missing in one record": no evidence).
The first condition that holds decides the level, in the order listed. The model turns each level
into a weight; the level's reason code is what a registrar or reviewer reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from mirps.identity.table import NameColumns, Table, unique

if TYPE_CHECKING:
    from mirps.identity.model import Model


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    levels: tuple[str, ...]  # reason code per level; index 0 = missing


FIELDS: tuple[Field, ...] = (
    Field("dni", ("dni_missing", "same_dni", "dni_one_digit_off", "dni_different")),
    Field(
        "surnames",
        (
            "surnames_missing",
            "same_surnames",
            "surnames_swapped",
            "second_surname_missing",
            "surnames_sound_alike",
            "surnames_similar",
            "one_surname_shared_other_similar",
            "one_surname_shared",
            "first_surname_similar",
            "surnames_different",
            "names_in_swapped_boxes",  # set after the others: given name typed as surname and back
        ),
    ),
    Field(
        "given",
        (
            "given_missing",
            "same_given_names",
            "same_first_given_name",
            "given_name_shared",
            "given_names_sound_alike",
            "given_names_similar",
            "given_names_somewhat_similar",
            "given_names_different",
        ),
    ),
    Field(
        "birth",
        (
            "birth_missing",
            "same_birth_date",
            "birth_day_month_swapped",
            "birth_estimated_year_close",
            "birth_one_part_off",
            "same_birth_year",
            "birth_different",
        ),
    ),
    Field("sex", ("sex_missing", "same_sex", "sex_different")),
    Field("municipality", ("municipality_missing", "same_municipality", "municipality_different")),
)
FIELD_INDEX = {f.name: k for k, f in enumerate(FIELDS)}
DNI_DIFFERENT = FIELDS[0].levels.index("dni_different")
SAME_DNI = FIELDS[0].levels.index("same_dni")
BIRTH_EXACT = FIELDS[3].levels.index("same_birth_date")


def _pair_similarity(a: np.ndarray, b: np.ndarray, values: list[str], scorer: object) -> np.ndarray:
    """Similarity of value codes a[k] vs b[k], computed once per distinct pair of codes."""
    out = np.zeros(len(a), dtype=np.float32)
    todo = (a != b) & (a > 0) & (b > 0)
    out[(a == b) & (a > 0)] = 1.0
    if not todo.any():
        return out
    lo, hi = np.minimum(a[todo], b[todo]).astype(np.int64), np.maximum(a[todo], b[todo]).astype(np.int64)
    keys, inverse = unique(lo << 32 | hi, inverse=True)
    left = [values[k] for k in (keys >> 32)]
    right = [values[k] for k in (keys & 0xFFFFFFFF)]
    sims = process.cpdist(left, right, scorer=scorer, workers=1, dtype=np.float32)
    out[todo] = np.asarray(sims, dtype=np.float32)[inverse]
    return out


def _jw(col: NameColumns, i: np.ndarray, j: np.ndarray, other: NameColumns | None = None) -> np.ndarray:
    o = other or col
    return _pair_similarity(col.glued[i], o.glued[j], col.glued_values, JaroWinkler.normalized_similarity)


def _same(col: NameColumns, i: np.ndarray, j: np.ndarray, other: NameColumns | None = None) -> np.ndarray:
    """Equal as glued ('delacruz') or as core without particles ('cruz'), and present."""
    o = other or col
    return (col.glued[i] > 0) & ((col.glued[i] == o.glued[j]) | (col.core[i] == o.core[j]))


def _select(conditions: list[np.ndarray], n: int, missing: np.ndarray) -> np.ndarray:
    """Level = 1 + index of the first true condition, the last level when none; 0 when missing."""
    levels = np.select(conditions, np.arange(1, len(conditions) + 1), default=len(conditions) + 1)
    levels[missing] = 0
    return levels.astype(np.int8)


def compare(t: Table, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Agreement levels, one row per pair (i[k], j[k]), one column per field of FIELDS."""
    n = len(i)
    out = np.empty((n, len(FIELDS)), dtype=np.int8)

    # DNI: a one-digit slip or two swapped digits is a typing error, not another person.
    da, db = t.dni[i], t.dni[j]
    dist = np.full(n, 99, dtype=np.int32)
    dist[(da == db) & (da > 0)] = 0
    todo = (da != db) & (da > 0) & (db > 0)
    if todo.any():
        sim = _pair_similarity(da[todo], db[todo], t.dni_values, OSA.normalized_similarity)
        lengths = np.array([len(t.dni_values[k]) for k in da[todo]], dtype=np.float32)
        dist[todo] = np.rint((1.0 - sim) * lengths).astype(np.int32)
    out[:, 0] = _select([dist == 0, dist == 1], n, (da == 0) | (db == 0))

    # Surnames, as a pair: order and a dropped second surname are common slips.
    s1, s2 = t.surname1, t.surname2
    a2, b2 = s2.glued[i] > 0, s2.glued[j] > 0
    same11, same22 = _same(s1, i, j), _same(s2, i, j)
    same12, same21 = _same(s1, i, j, s2), _same(s2, i, j, s1)
    phon11 = (s1.phon[i] == s1.phon[j]) & (s1.phon[i] > 0)
    phon22 = (s2.phon[i] == s2.phon[j]) & (s2.phon[i] > 0)
    jw11, jw22 = _jw(s1, i, j), _jw(s2, i, j)
    jw12, jw21 = _jw(s1, i, j, s2), _jw(s2, i, j, s1)
    only_one = a2 ^ b2
    # one surname in common and the other one a typo away (swapped and misspelt, say) is strong;
    # one in common and the other plainly different is what cousins and namesakes look like
    other_similar = ((same11 & (jw22 >= 0.8)) | (same22 & a2 & (jw11 >= 0.8))
                     | (same12 & (jw21 >= 0.8)) | (same21 & (jw12 >= 0.8)))
    out[:, 1] = _select(
        [
            same11 & (same22 | (~a2 & ~b2)),
            same12 & same21,
            (same11 | same12 | same21) & only_one,
            # sound-alike or similar surnames count as such only when both records have the same
            # number of them: one typo plus a dropped surname is weaker evidence
            phon11 & (phon22 | (~a2 & ~b2)),
            ((jw11 >= 0.92) & ((jw22 >= 0.92) | (~a2 & ~b2))) | ((jw12 >= 0.92) & (jw21 >= 0.92)),
            other_similar,
            same11 | same12 | same21 | (same22 & a2),
            jw11 >= 0.80,
        ],
        n,
        (s1.glued[i] == 0) | (s1.glued[j] == 0),
    )

    # Given names: a second given name is often left out, and which one comes first varies.
    g = t.given
    ga, gb = g.first[i], g.first[j]
    exact = (g.glued[i] == g.glued[j]) | (g.core[i] == g.core[j])
    shared = ((ga == g.second[j]) | (g.second[i] == gb)) & (ga > 0) & (gb > 0)
    jwg = _jw(g, i, j)
    out[:, 2] = _select(
        [
            exact,
            ga == gb,
            shared,
            (g.phon[i] == g.phon[j]) & (g.phon[i] > 0),  # the whole given names sound alike
            jwg >= 0.92,
            jwg >= 0.80,
        ],
        n,
        (g.glued[i] == 0) | (g.glued[j] == 0),
    )

    _crossed_names(t, i, j, out)

    # Birth date: day and month swapped, or one part off, are typing slips.
    ya, yb, ma, mb, dda, ddb = t.year[i], t.year[j], t.month[i], t.month[j], t.day[i], t.day[j]
    same_y, same_m, same_d = ya == yb, ma == mb, dda == ddb
    estimated = t.estimated[i] | t.estimated[j]
    out[:, 3] = _select(
        [
            # an estimated date is a placeholder (1 July): agreeing on it proves little
            same_y & same_m & same_d & ~estimated,
            same_y & (dda == mb) & (ma == ddb) & ~estimated,
            estimated & (np.abs(ya - yb) <= 1),
            (same_y & same_m) | (same_m & same_d & (np.abs(ya - yb) == 1)) | (same_y & same_d),
            same_y,
        ],
        n,
        (ya == 0) | (yb == 0),
    )

    sa, sb = t.sex[i], t.sex[j]
    out[:, 4] = _select([sa == sb], n, (sa == 0) | (sb == 0))
    mua, mub = t.municipality[i], t.municipality[j]
    out[:, 5] = _select([mua == mub], n, (mua == 0) | (mub == 0))
    return out


SURNAMES_DIFFERENT = FIELDS[1].levels.index("surnames_different")
NAMES_CROSSED = FIELDS[1].levels.index("names_in_swapped_boxes")
GIVEN_DIFFERENT = FIELDS[2].levels.index("given_names_different")


def _crossed_names(t: Table, i: np.ndarray, j: np.ndarray, out: np.ndarray) -> None:
    """Given name and first surname typed in each other's box: the surnames field says so and
    the given-name field carries no evidence (instead of two strong disagreements)."""
    todo = np.flatnonzero(
        (out[:, 1] >= SURNAMES_DIFFERENT - 1) & (out[:, 1] <= SURNAMES_DIFFERENT) & (out[:, 2] >= GIVEN_DIFFERENT - 1)
    )
    if not len(todo):
        return
    g, s = t.given, t.surname1
    ga = [g.glued_values[k] for k in g.glued[i[todo]]]
    gb = [g.glued_values[k] for k in g.glued[j[todo]]]
    sa = [s.glued_values[k] for k in s.glued[i[todo]]]
    sb = [s.glued_values[k] for k in s.glued[j[todo]]]
    scorer = JaroWinkler.normalized_similarity
    one = np.asarray(process.cpdist(ga, sb, scorer=scorer, workers=1, dtype=np.float32))
    two = np.asarray(process.cpdist(sa, gb, scorer=scorer, workers=1, dtype=np.float32))
    crossed = todo[(one >= 0.88) & (two >= 0.88)]
    out[crossed, 1] = NAMES_CROSSED
    out[crossed, 2] = 0


def conflicts(t: Table, i: np.ndarray, j: np.ndarray, levels: np.ndarray, model: Model,
              tf: np.ndarray | None = None) -> np.ndarray:
    """Pairs that must never be linked automatically, whatever their score.

    - two valid DNIs that differ by more than a typing slip: two people;
    - one a minor and the other an adult at their arrivals, with birth dates that differ, unless
      the other fields alone reach the automatic threshold (the dates must not decide whether a
      child's record goes into an adult's file);
    - birth years more than two apart (neither estimated) without the same DNI;
    - a record with almost nothing: no DNI and either no birth date or a single name.
    """
    dni_clash = (levels[:, 0] == DNI_DIFFERENT) & t.dni_valid[i] & t.dni_valid[j]
    ma, mb = t.minor[i], t.minor[j]
    age_clash = (ma >= 0) & (mb >= 0) & (ma != mb) & (levels[:, 3] != BIRTH_EXACT)
    if age_clash.any():
        without_birth = levels[age_clash].copy()
        without_birth[:, FIELD_INDEX["birth"]] = 0
        rest = model.probability(without_birth, None if tf is None else tf[age_clash])
        age_clash[age_clash] = rest < model.auto_threshold
    # Birth years more than two apart on real (not estimated) dates, without the same DNI to
    # settle it: a human decides.
    ya, yb = t.year[i], t.year[j]
    years_apart = ((ya > 0) & (yb > 0) & (np.abs(ya - yb) > 2) & ~t.estimated[i] & ~t.estimated[j]
                   & (levels[:, 0] != SAME_DNI))
    thin = sparse(t)
    return dni_clash | age_clash | years_apart | thin[i] | thin[j]


def sparse(t: Table) -> np.ndarray:
    """Records too thin to link on their own (no DNI, and no birth date or only one name)."""
    one_name = (t.given.glued == 0) | (t.surname1.glued == 0)
    return (t.dni == 0) & ((t.year == 0) | one_name)


def hard_conflicts(t: Table, i: np.ndarray, j: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Pairs that cannot be one person at all: not even offered for review."""
    return (levels[:, 0] == DNI_DIFFERENT) & t.dni_valid[i] & t.dni_valid[j]
