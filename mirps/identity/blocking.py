"""Blocking: which pairs are worth comparing.

Each record gets a few keys; two records sharing any key form a candidate pair. Every key rests
on different fields, so a slip in one field (a typo in the surname, a swapped birth date, a
missing DNI) still leaves another key shared. Keys are stable 64-bit hashes of strings, so the
same function fills the database index at registration and drives the batch.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from mirps.identity import normalize as nz
from mirps.identity.table import NameColumns, Table, unique

KEY_VERSION = 1  # bump when the rules change: the stored keys must then be rebuilt
WINDOW = 12  # neighbours paired within a key (sorted by birth date): all pairs of a small group
BATCH_GROUP_CAP = 20_000  # a key shared by more records than this carries no information

_PRIME = np.uint64(0x100000001B3)


@functools.lru_cache(maxsize=500_000)
def _h(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _hashes(values: list[str]) -> np.ndarray:
    return np.array([_h(v) if v else 0 for v in values], dtype=np.uint64)


def _mix(kind: int, *parts: np.ndarray) -> np.ndarray:
    h = np.full(len(parts[0]), np.uint64(_h(f"k{kind}")), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for p in parts:
            h = (h ^ p.astype(np.uint64)) * _PRIME
            h ^= h >> np.uint64(29)
    return h.view(np.int64)


def _phon_hash(col: NameColumns, first_only: bool) -> np.ndarray:
    """Hash of the sound key of the whole name (or its first word), per record; 0 when empty."""
    if first_only:
        per_value = _hashes([nz.phonetic(v) for v in col.first_values])
        return per_value[col.first]
    per_value = _hashes([nz.phonetic_name(v) for v in col.glued_values])
    return per_value[col.glued]


def components(t: Table) -> dict[str, np.ndarray]:
    """The per-record values keys are made of (uint64; 0 = missing)."""
    given = _phon_hash(t.given, first_only=True)
    s1, s2 = _phon_hash(t.surname1, False), _phon_hash(t.surname2, False)
    lo, hi = np.minimum(t.month, t.day).astype(np.uint64), np.maximum(t.month, t.day).astype(np.uint64)
    year = t.year.astype(np.uint64)
    return {
        "given": given, "s1": s1, "s2": s2, "year": year,
        "dob_sorted": year * np.uint64(10000) + lo * np.uint64(100) + hi,
        "dob_exact": year * np.uint64(10000) + t.month.astype(np.uint64) * np.uint64(100) + t.day.astype(np.uint64),
        "md": lo * np.uint64(100) + hi,
        # typing slips seldom hit a name's first letter
        "initial": _hashes([v[:1] for v in t.given.first_values])[t.given.first],
        "muni": _hashes(t.municipality_values)[t.municipality],
        "month": t.month.astype(np.uint64),
        "s1_initial": _hashes([v[:1] for v in t.surname1.glued_values])[t.surname1.glued],
        "dni": _hashes(t.dni_values)[t.dni],
        "pair_lo": np.minimum(s1, s2), "pair_hi": np.maximum(s1, s2),
    }


def birth_order(t: Table) -> np.ndarray:
    """Sort value per record inside a key: birth date (so neighbours are born close together)."""
    return t.year.astype(np.int64) * 10000 + t.month.astype(np.int64) * 100 + t.day.astype(np.int64)


def record_keys(t: Table) -> tuple[np.ndarray, np.ndarray]:
    """(key, record index) for every key of every record."""
    rec = np.arange(t.n, dtype=np.int64)
    c = components(t)
    given, s1, s2, initial = c["given"], c["s1"], c["s2"], c["initial"]
    has_dob = t.year > 0
    surname_pair = c["pair_lo"], c["pair_hi"]
    candidates = [
        (1, t.dni > 0, (c["dni"],)),
        (2, has_dob & (s1 > 0), (c["dob_sorted"], s1)),
        (2, has_dob & (s2 > 0), (c["dob_sorted"], s2)),
        (3, has_dob & (given > 0), (c["dob_sorted"], given)),
        (4, has_dob & (given > 0) & (s1 > 0), (c["year"], given, s1)),
        (4, has_dob & (given > 0) & (s2 > 0), (c["year"], given, s2)),
        (5, (given > 0) & (s1 > 0) & (s2 > 0), (given, *surname_pair)),
        # no birth date needed, and given name and surname typed in each other's box still meet
        (6, (given > 0) & (s1 > 0), (np.minimum(given, s1), np.maximum(given, s1))),
        (7, has_dob & (t.municipality > 0), (c["dob_exact"], c["muni"])),
        # a slip in the year of birth and one in a name: surnames with day and month still meet
        (8, has_dob & (s1 > 0) & (s2 > 0), (*surname_pair, c["md"])),
        (9, has_dob & (s1 > 0) & (initial > 0), (s1, c["md"], initial)),
        (9, has_dob & (s2 > 0) & (initial > 0), (s2, c["md"], initial)),
        # a slipped day and a typo: year and month with surnames, or with the given name
        (10, has_dob & (s1 > 0) & (s2 > 0), (*surname_pair, c["year"], c["month"])),
        (11, has_dob & (s1 > 0) & (initial > 0), (s1, c["year"], c["month"], initial)),
        (12, has_dob & (initial > 0) & (c["s1_initial"] > 0), (initial, c["s1_initial"], c["dob_sorted"])),
        (13, has_dob & (given > 0) & (c["s1_initial"] > 0), (given, c["s1_initial"], c["year"], c["month"])),
        (14, has_dob & (given > 0) & (c["s1_initial"] > 0), (given, c["s1_initial"], c["md"])),
    ]
    keys, recs = [], []
    for kind, mask, parts in candidates:
        if mask.any():
            keys.append(_mix(kind, *(p[mask] for p in parts)))
            recs.append(rec[mask])
    if not keys:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(keys), np.concatenate(recs)


def candidate_pairs(
    keys: np.ndarray, recs: np.ndarray, order_by: np.ndarray | None = None, *, window: int = WINDOW,
    cap: int = BATCH_GROUP_CAP,
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs (i < j) of records sharing a key.

    Within a key, records are sorted by `order_by` (a value per record, e.g. the birth date) and
    each is paired with the next `window` ones: a small group gives all its pairs, a large one
    (a common name without a date) only neighbours, so the pairs grow with the records, not with
    their square. Groups larger than `cap` are left out altogether.
    """
    sort_value = order_by[recs] if order_by is not None else recs
    order = np.lexsort((recs, sort_value, keys))
    k, r = keys[order], recs[order]
    # the same record twice under one key (two surnames alike) counts once
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = (k[1:] != k[:-1]) | (r[1:] != r[:-1])
    k, r = k[keep], r[keep]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    too_big = np.repeat(sizes > cap, sizes)
    n = np.int64(r.max() + 1) if len(r) else np.int64(1)
    codes: list[np.ndarray] = []
    for d in range(1, window + 1):
        same = (k[d:] == k[:-d]) & ~too_big[d:]
        if not same.any():
            break
        a, b = r[:-d][same], r[d:][same]
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not codes:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    (pairs,) = unique(np.concatenate(codes))
    return pairs // n, pairs % n


def pairs_on(t: Table, mask: np.ndarray, parts: tuple[np.ndarray, ...], *, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of records equal on `parts` (where `mask`): a training session's blocking."""
    rec = np.arange(t.n, dtype=np.int64)[mask]
    return candidate_pairs(_mix(99, *(p[mask] for p in parts)), rec, window=window)
