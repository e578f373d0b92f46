"""The batch engine: block, compare, train, score and cluster a whole set of records.

Pure computation on columns (no database): `identity.batch` feeds it the registry, and
`bench/identity.py` feeds it files, so the benchmark measures exactly what production runs.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from mirps.identity import blocking, compare, frequency, table
from mirps.identity.model import Model, default, distinct_patterns, estimate_u, train_em

Progress = Callable[[str, float], None]
CHUNK = 1_000_000  # pairs compared at once: bounds memory whatever the size of the registry
RANDOM_PAIRS = 400_000


@dataclass
class Records:
    """Input records as columns (one list per field, same length)."""

    given_names: Sequence[str]
    surname1: Sequence[str]
    surname2: Sequence[str]
    sex: Sequence[str]
    birth_date: Sequence[date | None]
    dni: Sequence[str]
    municipality: Sequence[str]
    arrival_date: Sequence[date | None]
    estimated: Sequence[bool]

    def table(self) -> table.Table:
        return table.build(
            given_names=self.given_names, surname1=self.surname1, surname2=self.surname2,
            sex=self.sex, birth_date=self.birth_date, dni=self.dni, municipality=self.municipality,
            arrival_date=self.arrival_date, estimated=self.estimated,
        )


@dataclass
class Resolution:
    pair_i: np.ndarray
    pair_j: np.ndarray
    probability: np.ndarray
    linked: np.ndarray  # linked automatically (and kept by the clustering's safety rules)
    review: np.ndarray  # uncertain, or above the threshold but barred by a safety rule
    cluster: np.ndarray  # label per record
    model: Model
    timings: dict[str, float] = field(default_factory=dict)


def _levels(t: table.Table, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    out = np.empty((len(i), len(compare.FIELDS)), dtype=np.int8)
    for s in range(0, len(i), CHUNK):
        out[s : s + CHUNK] = compare.compare(t, i[s : s + CHUNK], j[s : s + CHUNK])
    return out


# Training sessions, as in Splink: pairs blocked on some fields estimate the m of the others.
# Within one birth date, names of non-matches are as unrelated as in random pairs; within one
# name, birth dates are; so each session's non-matches look like u on the fields it trains.
SESSIONS = (
    ("birth", ("dob_exact",), ("dni", "surnames", "given", "sex", "municipality")),
    ("names", ("given", "s1", "s2"), ("dni", "birth", "sex", "municipality")),
)


def train(t: table.Table, levels: np.ndarray, *, seed: int = 7, start: Model | None = None) -> Model:
    rng = np.random.default_rng(seed)
    size = min(RANDOM_PAIRS, max(t.n * 4, 1000))
    ri, rj = rng.integers(0, t.n, size=size), rng.integers(0, t.n, size=size)
    keep = ri != rj
    u = estimate_u(compare.compare(t, ri[keep], rj[keep]))
    comp = blocking.components(t)
    m_sum = [np.zeros(len(f.levels)) for f in compare.FIELDS]
    m_n = [0] * len(compare.FIELDS)
    info: dict[str, object] = {}
    for name, block_on, trains in SESSIONS:
        mask = np.logical_and.reduce([comp[c] > 0 for c in block_on])
        si, sj = blocking.pairs_on(t, mask, tuple(comp[c] for c in block_on), window=4)
        if len(si) < 50:
            continue
        if len(si) > 2_000_000:
            pick = rng.choice(len(si), 2_000_000, replace=False)
            si, sj = si[pick], sj[pick]
        lv = compare.compare(t, si, sj)
        for k, f in enumerate(compare.FIELDS):
            if f.name not in trains:
                lv[:, k] = 0  # the blocked-on fields carry no evidence in this session
        session = train_em(lv, u, start=start)
        info[name] = {"pairs": len(si), "prior": round(session.prior, 4), "iterations": session.info["iterations"]}
        for k, f in enumerate(compare.FIELDS):
            if f.name in trains:
                m_sum[k] += np.array(session.m[k])
                m_n[k] += 1
    base = start or default()
    m = [list(m_sum[k] / m_n[k]) if m_n[k] else list(base.m[k]) for k in range(len(compare.FIELDS))]
    _exact_weighs_most(m, u)
    model = Model(m=m, u=u, prior=0.1, method="em", info=info, tf=frequency.count(t))
    # The prior: the share of matches among candidate pairs (weights fixed), turned into the odds
    # that any two records are one person, which is what the weights were measured against.
    patterns, counts = distinct_patterns(levels)
    for _ in range(30):
        p = model.probability(patterns)
        share = float((p * counts).sum() / max(counts.sum(), 1))
        if abs(share - model.prior) < 1e-7:
            break
        model.prior = min(max(share, 1e-9), 0.999)
    expected = model.prior * len(levels)
    model.info["prior_candidates"] = round(model.prior, 5)
    model.prior = float(np.clip(expected / max(t.n * (t.n - 1) / 2, 1), 1e-12, 0.5))
    return model


def _exact_weighs_most(m: list[list[float]], u: list[list[float]]) -> None:
    """Exact agreement (level 1) never weighs less than a partial one.

    A registry can hold no examples of it (two records with the same DNI are found at the counter,
    so re-registrations never share one), and EM then gives it almost no m; the same DNI must
    still count as the strongest evidence.
    """
    for mk, uk in zip(m, u, strict=True):
        weights = [np.log2(max(mk[lv], 1e-9) / max(uk[lv], 1e-9)) for lv in range(1, len(mk))]
        best_other = max(weights[1:], default=0.0)
        if weights[0] < best_other + 1:
            mk[1] = min(uk[1] * 2 ** (best_other + 1), 0.5)
            total = sum(mk[1:])
            mk[1:] = [x / total for x in mk[1:]]


def resolve(
    records: Records | table.Table,
    *,
    model: Model | None = None,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[int, int]] = (),
    progress: Progress | None = None,
    threshold: float | None = None,
) -> Resolution:
    """Cluster the records. Without a model, one is trained by EM on the data itself.

    `threshold` overrides the model's automatic-link threshold (the benchmark compares engines
    at one probability).
    """
    say = progress or (lambda stage, share: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    t = records.table() if isinstance(records, Records) else records
    lap("prepare")
    say("blocking", 0.15)
    keys, recs = blocking.record_keys(t)
    i, j = blocking.candidate_pairs(keys, recs, blocking.birth_order(t))
    del keys, recs
    lap("blocking")
    say("comparing", 0.35)
    levels = _levels(t, i, j)
    lap("comparing")
    if model is None:
        say("training", 0.55)
        model = train(t, levels)
        lap("training")
    say("scoring", 0.7)
    if threshold is not None:
        model = dataclasses.replace(model, auto_threshold=threshold)
    p = np.empty(len(i), dtype=np.float32)
    wanted = np.empty(len(i), dtype=bool)
    impossible = np.empty(len(i), dtype=bool)
    for s in range(0, len(i), CHUNK):  # in chunks: per-field weights of 20M pairs would take GBs
        ci, cj, lv = i[s : s + CHUNK], j[s : s + CHUNK], levels[s : s + CHUNK]
        tf = frequency.pair_tf(t, ci, cj, lv, model.tf)
        p[s : s + CHUNK] = model.probability(lv, tf)
        barred = compare.conflicts(t, ci, cj, lv, model, tf)
        wanted[s : s + CHUNK] = (p[s : s + CHUNK] >= model.auto_threshold) & ~barred
        impossible[s : s + CHUNK] = compare.hard_conflicts(t, ci, cj, lv)
    lap("scoring")
    say("clustering", 0.8)
    cluster, linked = _cluster(t, i, j, p, wanted, must_link, cannot_link)
    review = (p >= model.review_threshold) & ~linked & ~impossible & (cluster[i] != cluster[j])
    lap("clustering")
    say("done", 1.0)
    return Resolution(i, j, p, linked, review, cluster, model, timings)


class _Clusters:
    """Union–find that refuses a union breaking a safety rule of the whole cluster."""

    def __init__(self, t: table.Table, cannot_link: Sequence[tuple[int, int]]) -> None:
        self.parent = np.arange(t.n, dtype=np.int64)
        self.t = t
        self.members: dict[int, list[int]] = {}
        self.dnis: dict[int, set[str]] = {}
        self.cannot: dict[int, set[int]] = {}
        for a, b in cannot_link:
            self.cannot.setdefault(a, set()).add(b)
            self.cannot.setdefault(b, set()).add(a)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    def _members(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def _dnis(self, root: int) -> set[str]:
        if root not in self.dnis:
            t = self.t
            self.dnis[root] = {t.dni_values[t.dni[r]] for r in self._members(root) if t.dni_valid[r]}
        return self.dnis[root]

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and not self._compatible(ra, rb):
            return False
        if len(self._members(ra)) < len(self._members(rb)):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] = self._members(ra) + self._members(rb)
        self.members.pop(rb, None)
        self.dnis[ra] = self._dnis(ra) | self._dnis(rb)
        self.dnis.pop(rb, None)
        return True

    def _compatible(self, ra: int, rb: int) -> bool:
        if not dnis_compatible(self._dnis(ra), self._dnis(rb)):
            return False
        if self.cannot:
            ma = self._members(ra)
            mb = set(self._members(rb))
            if any(self.cannot.get(x, set()) & mb for x in ma):
                return False
        return True


def dnis_compatible(left: set[str], right: set[str]) -> bool:
    """Can two persons holding these valid DNIs be one? Yes when either holds none, they share
    one, or two differ only by a typing slip."""
    return not left or not right or bool(left & right) or any(one_slip(x, y) for x in left for y in right)


def one_slip(a: str, b: str) -> bool:
    """Same length and one digit different, or two neighbouring digits swapped."""
    if len(a) != len(b):
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def _cluster(
    t: table.Table, i: np.ndarray, j: np.ndarray, p: np.ndarray, wanted: np.ndarray,
    must_link: Sequence[tuple[int, int]], cannot_link: Sequence[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    uf = _Clusters(t, cannot_link)
    for a, b in must_link:
        uf.union(a, b, force=True)
    idx = np.flatnonzero(wanted)
    idx = idx[np.argsort(-p[idx], kind="stable")]  # strongest evidence first
    linked = np.zeros(len(i), dtype=bool)
    for k, a, b in zip(idx.tolist(), i[idx].tolist(), j[idx].tolist(), strict=True):
        linked[k] = uf.union(a, b)
    labels = np.fromiter((uf.find(x) for x in range(t.n)), dtype=np.int64, count=t.n)
    return labels, linked
