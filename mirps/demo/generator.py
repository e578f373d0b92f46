"""Three years of synthetic arrivals, in the order they happened, with the real shapes of §4.

`Generator.plans()` yields `Planned` registrations in chronological order, in bounded memory
(one month of events at a time plus the people due to come back). It never touches the
database: the loaders turn plans into rows, through the registration service or in bulk.

Re-registrations: about one person in seven comes back within the window. When they do, the
registrar finds their earlier record about 60% of the time (mostly thanks to the DNI) and adds
an arrival to it; otherwise a new Person record is made with the slips of `people.py`. The
`true_id` of every plan says who really arrived.
"""

from __future__ import annotations

import heapq
import itertools
import multiprocessing
import random
import threading
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from queue import Empty
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from mirps.demo import figures
from mirps.demo.names import Weighted, pick_weighted
from mirps.demo.people import Human, People, Record, age_from, new_uuid
from mirps.demo.places import Places
from mirps.demo.screening import Screener
from mirps.registration.inputs import ArrivalInput, PersonInput, ScreeningInput

DEFAULT_SEED = 2026
# Chance that a person who came back once comes back again.
AGAIN = 0.25
# Chance that a person arriving alone will come back within the window (tuned so that ~15% of
# people have two or more returns once the returns falling after today are cut off).
FIRST_RETURN = 0.24
_KIDS = Weighted((1, 2, 3, 4), (40, 35, 20, 5))  # children in a family unit


@dataclass(slots=True)
class Planned:
    """One registration to make: an arrival and its screening, on a new or an earlier record."""

    true_id: int
    record_id: uuid.UUID
    new_person: PersonInput | None  # set when this registration creates the record
    sequence: int  # on the record
    arrival: ArrivalInput
    screening: ScreeningInput
    client_uuid: uuid.UUID
    family_key: str  # people registered together share it


@dataclass(slots=True)
class Trip:
    """What people arriving together share."""

    when: datetime
    country: str
    modality: str
    reception_point: str
    entry_point: str
    return_type: str
    travel_mode: str
    family_key: str = ""


@dataclass(slots=True)
class _Event:
    when: datetime
    kind: str  # alone_m, alone_f, uac, family, return
    country: str
    modality: str
    human: Human | None = None


def months_ending(now: datetime, count: int) -> list[date]:
    first = now.date().replace(day=1)
    out = []
    for _i in range(count):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return out[::-1]


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, exactly (largest remainders)."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


class Generator:
    def __init__(
        self, *, size: int, seed: int = DEFAULT_SEED, now: datetime, months: int = 36,
        reserved_dnis: set[str] | None = None,
    ) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now.astimezone(self.tz)
        # A minute of margin: the registration service refuses arrivals in the future.
        self.end = self.now - timedelta(minutes=1)
        self.months = months_ending(self.now, months)
        self.places = Places()
        self.people = People(self.rng, self.places, self.now.date(), reserved_dnis)
        self.screener = Screener(self.rng, self.places)
        self._families = itertools.count(1)
        self._tiebreak = itertools.count()
        self._returns: list[tuple[datetime, int, Human]] = []
        self._event_weights = {y: _event_weights(figures.year_mix(y)) for y in figures.YEARS}

    # --- the stream ---------------------------------------------------------------------------

    def plans(self) -> Iterator[Planned]:
        weights = []
        for m in self.months:
            start = datetime.combine(m, time(), self.tz)
            stop = min(_next_month(start), self.end)
            share = max((stop - start) / (_next_month(start) - start), 0.0)
            weights.append(figures.month_weight(m) * share)
        quotas = allocate(self.size, weights)
        made = 0
        target = 0
        for i, (m, quota) in enumerate(zip(self.months, quotas, strict=True)):
            start = datetime.combine(m, time(), self.tz)
            stop = min(_next_month(start), self.end)
            target += quota
            last = i == len(self.months) - 1
            events = self._due_returns(stop, room=target - made, last=last)
            persons = len(events)
            while made + persons < target:
                ev = self._new_event(start, stop)
                persons += 1 if ev.kind != "family" else 2  # a family is at least 2 people
                events.append(ev)
            events.sort(key=lambda e: e.when)
            room = target - made
            for ev in events:
                for plan in self._realise(ev, room):
                    made += 1
                    room -= 1
                    yield plan
                if room <= 0:
                    break

    def _due_returns(self, stop: datetime, *, room: int, last: bool) -> list[_Event]:
        """People scheduled to come back before `stop`; those over this month's volume wait a month."""
        due: list[_Event] = []
        late: list[tuple[datetime, int, Human]] = []
        while self._returns and self._returns[0][0] < stop:
            when, tie, human = heapq.heappop(self._returns)
            if len(due) < room:
                country, modality = self._country_modality(when.year, adult=True)
                clocked = self._clock(when, modality)
                due.append(_Event(clocked if clocked < self.end else when, "return", country, modality, human))
            elif not last:
                late.append((when + timedelta(days=30), tie, human))
        for item in late:
            if item[0] < self.end:
                heapq.heappush(self._returns, item)
        return due

    def _new_event(self, start: datetime, stop: datetime) -> _Event:
        rng = self.rng
        kind = self._event_weights[min(max(start.year, min(figures.YEARS)), max(figures.YEARS))].pick(rng)
        country, modality = self._country_modality(start.year, adult=kind.startswith("alone"))
        return _Event(self._moment(start, stop, modality), kind, country, modality)

    def _country_modality(self, year: int, *, adult: bool) -> tuple[str, str]:
        rng = self.rng
        country = pick_weighted(rng, figures.year_mix(year).countries)
        r = rng.random()
        if r < figures.AIR_SHARE.get(country, 0.0):
            return country, "air"
        if r < figures.AIR_SHARE.get(country, 0.0) + figures.SEA_SHARE.get(country, 0.0):
            return country, "sea"
        return country, "land"

    def _moment(self, start: datetime, stop: datetime, modality: str) -> datetime:
        """A time in [start, stop): charter flights land on weekdays in daytime, buses at any hour."""
        rng = self.rng
        span = (stop - start).total_seconds()
        for _attempt in range(8):
            t = start + timedelta(seconds=rng.random() * span)
            if modality == "air" and t.weekday() >= 5 and rng.random() < 0.8:
                continue
            t = self._clock(t, modality)
            if start <= t < stop:
                return t
        return start + timedelta(seconds=rng.random() * span)

    def _clock(self, t: datetime, modality: str) -> datetime:
        """The same day at an hour that fits the modality."""
        hours = {"air": (8, 17), "land": (5, 21)}.get(modality, (7, 15))
        return t.replace(hour=self.rng.randint(*hours), minute=self.rng.randrange(60))

    # --- events to plans -------------------------------------------------------------------

    def _realise(self, ev: _Event, room: int) -> list[Planned]:
        rng = self.rng
        day = ev.when.date()
        if ev.kind == "return":
            assert ev.human is not None
            h = ev.human
            uac = h.age_on(day) < 18 and rng.random() < 0.8
            return [self._register(h, self._trip(ev, "unaccompanied_child" if uac else "alone"), role="return")]
        if ev.kind in ("alone_m", "alone_f"):
            h = self.people.human(sex="M" if ev.kind == "alone_m" else "F", age=age_from(rng, figures.ADULT_AGES), day=day)
            return [self._register(h, self._trip(ev, "alone"), role="adult")]
        if ev.kind == "uac" or room < 2:
            boy = rng.random() < 0.75
            h = self.people.human(sex="M" if boy else "F", age=age_from(rng, figures.UAC_AGES), day=day)
            return [self._register(h, self._trip(ev, "unaccompanied_child"), role="uac")]
        return self._family(ev, room)

    def _family(self, ev: _Event, room: int) -> list[Planned]:
        rng = self.rng
        day = ev.when.date()
        couple = rng.random() < 0.15 and room >= 3
        n_kids = min(_KIDS.pick(rng), room - (2 if couple else 1))
        kid_ages = [age_from(rng, figures.FAMILY_CHILD_AGES) for _k in range(n_kids)]
        oldest = max(kid_ages)
        home = self.places.destination(rng)
        adults: list[Human] = []
        sexes = ["M", "F"] if couple else ["F" if rng.random() < 0.75 else "M"]
        for sex in sexes:
            age = max(age_from(rng, figures.ADULT_AGES), oldest + 16 + rng.randint(0, 8))
            adults.append(self.people.human(sex=sex, age=min(age, 70), day=day, home=home))
        father = next((a for a in adults if a.sex == "M"), None)
        mother = next((a for a in adults if a.sex == "F"), None)
        if father and mother:
            surnames = (father.surname1, mother.surname1)
        elif mother:  # father absent: his surname, or both of the mother's when he did not recognise the child
            surnames = (self.people.names.surname(rng), mother.surname1) if rng.random() < 0.7 else (mother.surname1, mother.surname2)
        else:
            assert father is not None
            surnames = (father.surname1, self.people.names.surname(rng))
        trip = self._trip(ev, "family_unit")
        trip.family_key = f"family-{next(self._families)}"
        plans = [self._register(a, trip, role="parent", single=not couple) for a in adults]
        boys_share = _family_boys_share(day.year)
        for age in kid_ages:
            kid = self.people.human(
                sex="M" if rng.random() < boys_share else "F", age=age, day=day, home=home,
                surnames=surnames, ethnicity=adults[0].ethnicity,
            )
            plans.append(self._register(kid, trip, role="child", parent=adults[0]))
        return plans

    def _trip(self, ev: _Event, travel_mode: str) -> Trip:
        rng = self.rng
        if travel_mode == "alone":
            rp = "camr-sps" if ev.modality == "air" else "camr-omoa"
        else:
            rp = "canfm-belen"  # DINAF's centre receives children and family units
        if ev.country in figures.ENTRY_UNKNOWN and ev.modality == "land":
            entry = ""
        elif ev.modality == "air":
            entry = pick_weighted(rng, figures.ENTRY_AIR)
        elif ev.modality == "sea":
            entry = pick_weighted(rng, figures.ENTRY_SEA)
        else:
            entry = pick_weighted(rng, figures.ENTRY_LAND)
        return_type = pick_weighted(rng, figures.RETURN_TYPES.get(ev.country, figures.RETURN_TYPES_OTHER))
        return Trip(ev.when, ev.country, ev.modality, rp, entry, return_type, travel_mode)

    def _register(
        self, h: Human, trip: Trip, *, role: str, single: bool = False, parent: Human | None = None
    ) -> Planned:
        rng = self.rng
        day = trip.when.date()
        record, new_person = self._record_for(h, day)
        record.arrivals += 1
        birth = record.person.birth_date
        assert birth is not None
        age = _age(birth, day)
        travel_mode = trip.travel_mode
        reception_point = trip.reception_point
        if travel_mode == "unaccompanied_child" and age >= 18:
            # This record's date of birth makes them an adult: registered as travelling alone.
            travel_mode = "alone"
            reception_point = "camr-sps" if trip.modality == "air" else "camr-omoa"
        destination = h.home if rng.random() < 0.85 or role in ("parent", "child") else self.places.destination(rng)
        arrival, screening = self.screener.arrival_and_screening(
            h, trip, age=age, role=role, single=single, parent=parent, destination=destination,
            person=record.person, travel_mode=travel_mode, reception_point=reception_point,
        )
        if role in ("adult", "uac", "return") and travel_mode != "family_unit":
            self._maybe_schedule_return(h, trip, first=role != "return")
        return Planned(
            true_id=h.true_id, record_id=record.id, new_person=new_person, sequence=record.arrivals,
            arrival=arrival, screening=screening, client_uuid=new_uuid(rng), family_key=trip.family_key,
        )

    def _record_for(self, h: Human, day: date) -> tuple[Record, PersonInput | None]:
        if not h.records:
            rec = self.people.first_record(h)
            return rec, rec.person
        with_dni = [r for r in h.records if r.person.dni]
        found = 0.72 if with_dni else 0.45
        if self.rng.random() < found:
            return (with_dni[0] if with_dni else self.rng.choice(h.records)), None
        rec = self.people.duplicate_record(h, day)
        return rec, rec.person

    def _maybe_schedule_return(self, h: Human, trip: Trip, *, first: bool) -> None:
        rng = self.rng
        if rng.random() >= (FIRST_RETURN if first else AGAIN):
            return
        # Caught in transit in Mexico or Guatemala, people try again within months.
        mean = 90 if trip.country in ("MX", "GT") else 240
        when = trip.when + timedelta(days=30 + rng.expovariate(1 / mean), minutes=rng.randrange(-600, 600))
        if when < self.end:
            heapq.heappush(self._returns, (when, next(self._tiebreak), h))


def _next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _family_boys_share(year: int) -> float:
    """Boys among children in families, so that all minors come out with the year's boys/girls."""
    mix = figures.year_mix(year)
    minors = mix.boys + mix.girls
    uac = figures.UAC_SHARE_OF_MINORS * minors
    return min(max((mix.boys - 0.75 * uac) / (minors - uac), 0.35), 0.65)


def _event_weights(mix: figures.YearMix) -> Weighted:
    """Event kinds weighted so that the PEOPLE come out with the year's sex and age shares.

    Families are one or two adults (mostly a mother) with 1.9 children on average; the adults
    arriving alone make up the rest of the adult shares.
    """
    minors = mix.boys + mix.girls
    uac = figures.UAC_SHARE_OF_MINORS * minors
    families = (minors - uac) / 1.9
    single, couple = 0.85, 0.15
    family_women = families * (single * 0.75 + couple)
    family_men = families * (single * 0.25 + couple)
    kinds = ["alone_m", "alone_f", "uac", "family"]
    weights = [max(mix.men - family_men, 0.0), max(mix.women - family_women, 0.0), uac, families]
    return Weighted(kinds, weights)


class InBackground:
    """Runs a generator in a forked process, on the second core, and yields its plans here.

    Generation is ~15% of a bulk load's CPU time; in a child process it overlaps the writes.
    The child touches no database. `next_true_id` is the generator's count once exhausted.
    """

    def __init__(self, generator: Generator, chunk: int = 2000, depth: int = 8, fork: bool | None = None) -> None:
        self.generator = generator
        # fork() copies only the calling thread: a lock another thread holds (a test's live server,
        # a logging handler) would stay held in the child for ever. By default, fork only when
        # this process has a single thread, and generate here otherwise.
        self.fork = threading.active_count() == 1 if fork is None else fork
        self.chunk = chunk
        self.depth = depth  # chunks waiting at most: memory stays bounded
        self.next_true_id = 0

    def __iter__(self) -> Iterator[Planned]:
        if not self.fork:
            yield from self.generator.plans()
            self.next_true_id = self.generator.people.next_true_id
            return
        ctx = multiprocessing.get_context("fork")
        queue: multiprocessing.Queue[Any] = ctx.Queue(maxsize=self.depth)
        child = ctx.Process(target=_produce, args=(self.generator, queue, self.chunk), daemon=True)
        child.start()
        try:
            while True:
                try:
                    item = queue.get(timeout=5)
                except Empty:
                    if not child.is_alive():
                        raise RuntimeError(f"the generator process ended early (exit code {child.exitcode})") from None
                    continue
                if isinstance(item, int):
                    self.next_true_id = item
                    return
                if isinstance(item, str):
                    raise RuntimeError(f"the generator failed:\n{item}")
                yield from item
        finally:
            child.join(timeout=5)
            if child.is_alive():
                child.terminate()


def _produce(generator: Generator, queue: multiprocessing.Queue[Any], chunk: int) -> None:
    try:
        batch: list[Planned] = []
        for plan in generator.plans():
            batch.append(plan)
            if len(batch) == chunk:
                queue.put(batch)
                batch = []
        if batch:
            queue.put(batch)
        queue.put(generator.people.next_true_id)
    except Exception:
        queue.put(traceback.format_exc())
