"""Term-frequency adjustment: agreeing on "José" says less than agreeing on "Eleazar".

The model's weight for an exact agreement on a name is the average over all names; for a given
name it is log2(m / f), f being the share of records that carry that name. The shares are counted
when the model is trained and stored with it, so the lookup at the counter and the batch use the
same figures.
"""

from __future__ import annotations

import numpy as np

from mirps.identity.compare import FIELD_INDEX, FIELDS
from mirps.identity.table import Table

KEEP = 5000  # most frequent values kept; rarer ones share the smallest kept frequency
GIVEN_EXACT = (FIELDS[FIELD_INDEX["given"]].levels.index("same_given_names"),
               FIELDS[FIELD_INDEX["given"]].levels.index("same_first_given_name"))
SURNAME_EXACT = (FIELDS[FIELD_INDEX["surnames"]].levels.index("same_surnames"),
                 FIELDS[FIELD_INDEX["surnames"]].levels.index("surnames_swapped"))


def count(t: Table) -> dict[str, dict[str, float]]:
    """Shares of the most frequent first given names and surnames in a table of records."""
    n = max(t.n, 1)
    given = np.bincount(t.given.first, minlength=len(t.given.first_values))
    surnames = np.bincount(t.surname1.glued, minlength=len(t.surname1.glued_values)) + np.bincount(
        t.surname2.glued, minlength=len(t.surname1.glued_values))
    given[0] = surnames[0] = 0  # the empty value

    def top(counts: np.ndarray, values: list[str]) -> dict[str, float]:
        keep = np.argsort(-counts, kind="stable")[:KEEP]
        return {values[k]: round(float(counts[k]) / n, 8) for k in keep.tolist() if counts[k] > 0}

    return {"given": top(given, t.given.first_values), "surname": top(surnames, t.surname1.glued_values)}


def _per_value(values: list[str], shares: dict[str, float]) -> np.ndarray:
    floor = min(shares.values(), default=np.nan)
    return np.array([shares.get(v, floor) if v else np.nan for v in values], dtype=np.float64)


def pair_tf(t: Table, i: np.ndarray, j: np.ndarray, levels: np.ndarray, tf: dict[str, dict[str, float]]) -> np.ndarray:
    """Per pair and field, the share of the agreed value (NaN where no adjustment applies)."""
    out = np.full(levels.shape, np.nan)
    if not tf or not len(i):
        return out
    g = FIELD_INDEX["given"]
    given = _per_value(t.given.first_values, tf.get("given", {}))[t.given.first]
    hit = np.isin(levels[:, g], GIVEN_EXACT)
    out[hit, g] = given[i[hit]]
    s = FIELD_INDEX["surnames"]
    shares = _per_value(t.surname1.glued_values, tf.get("surname", {}))
    s1, s2 = shares[t.surname1.glued], shares[t.surname2.glued]
    both = np.where(np.isnan(s2), s1, s1 * s2)
    hit = np.isin(levels[:, s], SURNAME_EXACT)
    out[hit, s] = both[i[hit]]
    return out
