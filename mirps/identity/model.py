"""The Fellegi–Sunter model: a weight for each agreement level of each field.

m = P(level | same person), u = P(level | different people). A pair's match weight is
log2(prior odds) + the sum of log2(m/u) over its fields; its probability follows from the weight.
u is estimated on random pairs (almost all of them are different people), m and the prior by EM
on the candidate pairs, or both from reviewers' labelled decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mirps.identity.compare import FIELDS
from mirps.identity.table import unique

_FLOOR = 1e-6
PSEUDO_MATCHES = 30.0


@dataclass
class Model:
    m: list[list[float]]  # per field, per level (level 0 unused: missing carries no evidence)
    u: list[list[float]]
    prior: float  # P(same person) among candidate pairs
    auto_threshold: float = 0.95
    review_threshold: float = 0.40
    method: str = "default"
    info: dict[str, Any] = field(default_factory=dict)
    tf: dict[str, dict[str, float]] = field(default_factory=dict)  # see frequency.py

    # --- scoring ------------------------------------------------------------------------------

    def weight_table(self) -> np.ndarray:
        """log2(m/u), padded to the widest field; level 0 weighs nothing."""
        width = max(len(f.levels) for f in FIELDS)
        w = np.zeros((len(FIELDS), width), dtype=np.float64)
        for k, f in enumerate(FIELDS):
            for lv in range(1, len(f.levels)):
                w[k, lv] = np.log2(max(self.m[k][lv], _FLOOR) / max(self.u[k][lv], _FLOOR))
        return w

    def weights(self, levels: np.ndarray, tf: np.ndarray | None = None) -> np.ndarray:
        """Per-pair, per-field weights (the explanation of a score).

        `tf`: the share of the agreed value where a term-frequency adjustment applies (else NaN):
        the weight is then log2(m / share) instead of log2(m / u).
        """
        cols = np.arange(len(FIELDS))
        lv = levels.astype(np.int64)
        w = self.weight_table()[cols, lv]
        if tf is not None:
            hit = ~np.isnan(tf)
            if hit.any():
                width = max(len(f.levels) for f in FIELDS)
                m = np.zeros((len(FIELDS), width))
                for k, mk in enumerate(self.m):
                    m[k, : len(mk)] = mk
                u = np.zeros((len(FIELDS), width))
                for k, uk in enumerate(self.u):
                    u[k, : len(uk)] = uk
                # A rare value may add at most 3 bits: siblings share rare surnames, typos make
                # rare names. A common value ("José", "Hernández") takes away as much as it must.
                share = np.maximum(np.nan_to_num(tf, nan=1.0), u[cols, lv] / 8)
                adjusted = np.log2(np.maximum(m[cols, lv], _FLOOR) / np.clip(share, 1e-9, 1.0))
                w = np.where(hit, adjusted, w)
        return w

    def probability_of(self, weights: np.ndarray) -> np.ndarray:
        total = np.log2(self.prior / (1.0 - self.prior)) + weights.sum(axis=1)
        return 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))

    def probability(self, levels: np.ndarray, tf: np.ndarray | None = None) -> np.ndarray:
        return self.probability_of(self.weights(levels, tf))

    # --- persistence ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "m": self.m, "u": self.u, "prior": self.prior, "method": self.method, "info": self.info, "tf": self.tf,
            "fields": [[f.name, list(f.levels)] for f in FIELDS],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, auto: float, review: float) -> Model:
        return cls(m=data["m"], u=data["u"], prior=data["prior"], auto_threshold=auto,
                   review_threshold=review, method=data.get("method", ""), info=data.get("info", {}),
                   tf=data.get("tf", {}))


# Starting weights (m, u) per level, before any training: rough shares from the re-registration
# slips seen in the demo generator (m) and from name and date frequencies in Honduras (u). EM or
# reviewers' decisions replace them; they only have to rank pairs sensibly on a new registry.
DEFAULT_LEVELS: dict[str, tuple[float, float]] = {
    "same_dni": (0.9, 1e-6), "dni_one_digit_off": (0.06, 1e-5), "dni_different": (0.04, 0.99999),
    "same_surnames": (0.50, 0.0005), "surnames_swapped": (0.05, 0.00005),
    "second_surname_missing": (0.08, 0.0008), "surnames_sound_alike": (0.06, 0.0003),
    "surnames_similar": (0.12, 0.002), "one_surname_shared_other_similar": (0.06, 0.0005),
    "one_surname_shared": (0.04, 0.05),
    "first_surname_similar": (0.02, 0.02), "surnames_different": (0.02, 0.9266),
    "names_in_swapped_boxes": (0.01, 0.00001),
    "same_given_names": (0.6, 0.004), "same_first_given_name": (0.15, 0.01),
    "given_name_shared": (0.05, 0.004), "given_names_sound_alike": (0.05, 0.002),
    "given_names_similar": (0.1, 0.01), "given_names_somewhat_similar": (0.03, 0.05),
    "given_names_different": (0.02, 0.92),
    "same_birth_date": (0.75, 0.00006), "birth_day_month_swapped": (0.06, 0.00001),
    "birth_one_part_off": (0.12, 0.002), "birth_estimated_year_close": (0.03, 0.003),
    "same_birth_year": (0.02, 0.02), "birth_different": (0.02, 0.97493),
    "same_sex": (0.995, 0.5), "sex_different": (0.005, 0.5),
    "same_municipality": (0.6, 0.02), "municipality_different": (0.4, 0.98),
}


def default() -> Model:
    """The starting model: DEFAULT_LEVELS and a prior for a registry of about 100,000 records."""
    m, u = [], []
    for f in FIELDS:
        m.append([0.0] + [DEFAULT_LEVELS[code][0] for code in f.levels[1:]])
        u.append([0.0] + [DEFAULT_LEVELS[code][1] for code in f.levels[1:]])
    return Model(m=m, u=u, prior=2e-6)


def _frequencies(levels: np.ndarray, weights: np.ndarray | None = None) -> list[list[float]]:
    out = []
    for k, f in enumerate(FIELDS):
        counts = np.bincount(levels[:, k], weights=weights, minlength=len(f.levels)).astype(np.float64)
        counts[0] = 0.0
        counts[1:] += 0.5  # a level never seen still gets a small probability
        out.append(list(counts / counts.sum()))
    return out


def distinct_patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of `levels` with their counts (rows coded as one integer: fast at 100M)."""
    if not len(levels):
        return levels, np.zeros(0, dtype=np.int64)
    base = np.int64(16)
    code = np.zeros(len(levels), dtype=np.int64)
    for k in range(levels.shape[1]):
        code = code * base + levels[:, k].astype(np.int64)
    uniq, counts = unique(code, counts=True)
    patterns = np.empty((len(uniq), levels.shape[1]), dtype=levels.dtype)
    rest = uniq.copy()
    for k in range(levels.shape[1] - 1, -1, -1):
        patterns[:, k] = rest % base
        rest //= base
    return patterns, counts


def estimate_u(levels_random: np.ndarray) -> list[list[float]]:
    """u from random pairs: at a country's scale, two random records are two people."""
    return _frequencies(levels_random)


def train_em(levels: np.ndarray, u: list[list[float]], *, start: Model | None = None,
             iterations: int = 40, tolerance: float = 1e-6) -> Model:
    """EM for m and the prior on candidate pairs, u held fixed (as estimated on random pairs).

    Works on the distinct agreement patterns with their counts, so a million pairs cost the same
    as a few thousand patterns.
    """
    model = start or default()
    # Start from a candidate-level prior: most blocked pairs are not matches, many are.
    model = Model(m=[list(x) for x in model.m], u=u, prior=0.1,
                  auto_threshold=model.auto_threshold, review_threshold=model.review_threshold)
    patterns, counts = distinct_patterns(levels)
    counts = counts.astype(np.float64)
    prior_m = [list(np.asarray(x) / max(sum(x), 1e-12)) for x in default().m]
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007 - the count is reported
        p = model.probability(patterns)
        m_new = []
        for k, f in enumerate(FIELDS):
            w = np.bincount(patterns[:, k], weights=p * counts, minlength=len(f.levels))
            w[0] = 0.0
            # Pseudo-matches spread as the starting weights: a level no match happened to show
            # in a small registry keeps a plausible m instead of one that forbids it (-14 bits).
            w[1:] += PSEUDO_MATCHES * np.asarray(prior_m[k][1:])
            m_new.append(list(w / w.sum()))
        prior = float(np.clip((p * counts).sum() / counts.sum(), 1e-6, 0.999))
        change = max(abs(prior - model.prior), *(abs(a - b) for x, y in zip(m_new, model.m, strict=True) for a, b in zip(x, y, strict=True)))
        model.m, model.prior = m_new, prior
        if change < tolerance:
            break
    model.method = "em"
    model.info = {"iterations": done, "pairs": int(counts.sum()), "patterns": len(patterns)}
    return model


def train_labelled(levels: np.ndarray, same: np.ndarray, *, base: Model) -> Model:
    """m from reviewers' "same person" decisions; u stays from random pairs.

    Reviewed "different people" pairs are near-misses, not a sample of all pairs, so they say
    nothing about u; they only enter the prior (the share of same-person decisions).
    """
    if same.sum() == 0 or (~same).sum() == 0:
        raise ValueError("labelled training needs decisions of both kinds")
    return Model(
        m=_frequencies(levels[same]), u=base.u, prior=float(np.clip(same.mean(), 1e-4, 0.999)),
        auto_threshold=base.auto_threshold, review_threshold=base.review_threshold, tf=base.tf,
        method="labelled", info={"same": int(same.sum()), "different": int((~same).sum())},
    )
