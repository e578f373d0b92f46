"""Synthetic humans and the Person records registrars make of them.

A `Human` is the truth (one real person). A `Record` is what the registry holds: the first
registration copies the truth, a re-registration that the registrar did not link to the
earlier one is a second record with the spellings and slips seen in real registries.
"""

from __future__ import annotations

import functools
import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from mirps.demo import figures
from mirps.demo.names import NamePicker, Weighted, misspell, pick_weighted, strip_accents
from mirps.demo.places import Municipality, Places
from mirps.registration.inputs import DocumentInput, PersonInput
from mirps.registration.names import fold
from mirps.registration.validation import age_on

WG_FIELDS = ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication")


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from the seeded generator, so a seed always gives the same ids."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_for_age(rng: random.Random, day: date, age: int) -> date:
    """A birth date that makes the person exactly `age` on `day`."""
    latest = years_before(day, age)
    earliest = years_before(day, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


@functools.cache
def _age_groups(groups: tuple[tuple[int, int, float], ...]) -> Weighted:
    return Weighted(groups, [g[2] for g in groups])


def age_from(rng: random.Random, groups: tuple[tuple[int, int, float], ...]) -> int:
    lo, hi, _w = _age_groups(groups).pick(rng)
    return lo + int(rng.random() * (hi - lo + 1))


@dataclass(slots=True)
class Record:
    """One Person row of the registry, as a registrar typed it."""

    id: uuid.UUID
    person: PersonInput
    arrivals: int = 0


@dataclass(slots=True)
class Human:
    """The truth about one synthetic person (never stored: only `true_id` is)."""

    true_id: int
    sex: str
    birth: date
    estimated: bool
    given: str
    surname1: str
    surname2: str
    dni: str
    document_situation: str
    home: Municipality
    ethnicity: str
    phone: str
    email: str
    wg: dict[str, int | None]
    documents: list[DocumentInput]
    records: list[Record] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        return age_on(self.birth, day)


class People:
    """Makes humans, their DNIs, and their records."""

    def __init__(
        self, rng: random.Random, places: Places, today: date, reserved_dnis: set[str] | None = None
    ) -> None:
        self.rng = rng
        self.places = places
        self.today = today
        self.names = NamePicker()
        self.next_true_id = 1
        # Every DNI handed out, typos included: the registry keeps DNIs unique.
        self.used_dnis: set[int] = {int(d) for d in (reserved_dnis or ())}

    # --- humans -----------------------------------------------------------------------------

    def human(
        self, *, sex: str, age: int, day: date, home: Municipality | None = None,
        surnames: tuple[str, str] | None = None, ethnicity: str | None = None,
    ) -> Human:
        rng = self.rng
        home = home or self.places.destination(rng)
        adult = age >= 18
        estimated = adult and rng.random() < 0.04  # no papers and unsure of the date of birth
        birth = date(day.year - age, 7, 1) if estimated else birth_for_age(rng, day, age)
        if estimated and birth > day:
            birth = date(day.year - age - 1, 7, 1)
        s1, s2 = surnames or (self.names.surname(rng), self.names.surname(rng))
        given = self.names.given(rng, sex)
        situation = pick_weighted(rng, figures.DNI_SITUATION_ADULT) if adult else "none"
        dni = self.dni(birth, home) if situation == "dni" else ""
        h = Human(
            true_id=self.next_true_id, sex=sex, birth=birth, estimated=estimated, given=given,
            surname1=s1, surname2=s2, dni=dni, document_situation=situation, home=home,
            ethnicity=ethnicity or self._ethnicity(home), phone=self._phone() if adult else "",
            email="", wg=self._wg(age), documents=[],
        )
        if adult and rng.random() < 0.08:
            h.email = f"{fold(given).split(' ')[0]}.{fold(s1).replace(' ', '')}{rng.randint(1, 99)}@example.com"
        h.documents = self._documents(h, adult)
        self.next_true_id += 1
        return h

    def dni(self, birth: date, home: Municipality) -> str:
        """Birth municipality (mostly the home one) + year of registration + a free 5-digit number."""
        rng = self.rng
        muni = home.code if rng.random() < 0.75 else self.places.destination(rng).code
        # Sometimes the birth was registered the year after (domain.md §6).
        year = birth.year + (1 if rng.random() < 0.1 and birth.year < self.today.year else 0)
        while True:
            value = int(f"{muni}{year}{rng.randint(1, 99_999):05d}")
            if value not in self.used_dnis:
                self.used_dnis.add(value)
                return f"{value:013d}"

    def _ethnicity(self, home: Municipality) -> str:
        rng = self.rng
        r = rng.random() * 100
        for code, pct in figures.ETHNICITY_BY_DEPARTMENT.get(home.department, ()):
            if r < pct:
                return code
            r -= pct
        return "undisclosed" if rng.random() < 0.02 else "none"

    def _phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return ""
        return f"+504 {rng.choice('983')}{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"

    def _wg(self, age: int) -> dict[str, int | None]:
        rng = self.rng
        if age < 5 or rng.random() < 0.2:  # the short set is not asked of small children; sometimes skipped
            return dict.fromkeys(WG_FIELDS)
        answers = dict.fromkeys(WG_FIELDS, 1)
        if rng.random() < 0.06 + age / 1000:
            answers[rng.choice(WG_FIELDS)] = 2
        if rng.random() < 0.015:
            answers[rng.choice(WG_FIELDS)] = rng.choice((3, 3, 3, 4))
        return answers

    def _documents(self, h: Human, adult: bool) -> list[DocumentInput]:
        rng = self.rng
        docs = []
        if not adult and rng.random() < 0.6:
            # In Honduras the identity number is given at birth registration: it is on the certificate.
            number = f"{h.home.code}{h.birth.year}{rng.randint(1, 99_999):05d}"
            docs.append(DocumentInput(kind="birth_cert", number=number))
        if adult and rng.random() < 0.08:
            status = "valid" if rng.random() < 0.7 else "expired"
            docs.append(DocumentInput(kind="passport", number=f"{rng.choice('EFGH')}{rng.randint(0, 999_999):06d}", status=status))
        if adult and h.document_situation != "dni" and rng.random() < 0.3:
            docs.append(DocumentInput(kind="consular", number=f"DVC-{rng.randint(2015, 2026)}-{rng.randint(1, 99_999):05d}"))
        return docs

    # --- records ----------------------------------------------------------------------------

    def first_record(self, h: Human) -> Record:
        p = PersonInput(
            given_names=h.given, surname1=h.surname1, surname2=h.surname2, sex=h.sex, nationality="HN",
            document_situation=h.document_situation, birth_date=h.birth, birth_date_estimated=h.estimated,
            dni=h.dni, ethnicity=h.ethnicity, phone=h.phone, email=h.email,
            documents=list(h.documents), **h.wg,
        )
        if self.rng.random() < 0.12:  # some registrars never type accents
            p = replace(p, given_names=strip_accents(p.given_names), surname1=strip_accents(p.surname1),
                        surname2=strip_accents(p.surname2))
        rec = Record(id=new_uuid(self.rng), person=p)
        h.records.append(rec)
        return rec

    def duplicate_record(self, h: Human, arrival_day: date) -> Record:
        """The same human typed again by a registrar who did not find the earlier record."""
        rng = self.rng
        given, s1, s2, birth = h.given, h.surname1, h.surname2, h.birth
        slips = rng.sample(_SLIPS, k=rng.choice((1, 1, 2, 2, 3)))
        for slip in slips:
            if slip == "accents":
                given, s1, s2 = strip_accents(given), strip_accents(s1), strip_accents(s2)
            elif slip == "typo_surname":
                s1 = misspell(s1, rng)
            elif slip == "typo_given":
                given = misspell(given, rng)
            elif slip == "one_given" and " " in given:
                given = given.split(" ")[0]
            elif slip == "no_second_surname":
                s2 = ""
            elif slip == "swapped" and s2:
                s1, s2 = s2, s1
            elif slip == "day_month" and birth.day <= 12 and birth.day != birth.month:
                birth = birth.replace(month=birth.day, day=birth.month)
            elif slip == "digit":
                birth = _birth_digit_slip(rng, birth)
        if birth > arrival_day:
            birth = h.birth
        situation, dni = h.document_situation, h.dni
        if dni:
            # The DNI was not typed (so the earlier record was not found) or was mistyped.
            if rng.random() < 0.75:
                situation, dni = rng.choice(("lost", "expired", "lost")), ""
            else:
                dni = self._dni_slip(dni)
        p = PersonInput(
            given_names=given, surname1=s1, surname2=s2, sex=h.sex, nationality="HN",
            document_situation=situation, birth_date=birth, birth_date_estimated=h.estimated,
            dni=dni, ethnicity=h.ethnicity, phone=h.phone if rng.random() < 0.5 else self._phone(),
            email=h.email if rng.random() < 0.5 else "", documents=[], **h.wg,
        )
        rec = Record(id=new_uuid(rng), person=p)
        h.records.append(rec)
        return rec

    def _dni_slip(self, dni: str) -> str:
        rng = self.rng
        for _attempt in range(20):
            i = rng.randrange(8, 13)  # the 5-digit number: prefix errors would fail validation
            d = str((int(dni[i]) + rng.choice((1, 9, 3, 7))) % 10)
            wrong = dni[:i] + d + dni[i + 1:]
            if int(wrong) not in self.used_dnis:
                self.used_dnis.add(int(wrong))
                return wrong
        return ""


_SLIPS = ("accents", "accents", "typo_surname", "typo_surname", "typo_given", "one_given",
          "no_second_surname", "swapped", "day_month", "digit")


def _birth_digit_slip(rng: random.Random, birth: date) -> date:
    """One digit of the date of birth off: the year's last digit or the day."""
    if rng.random() < 0.5:
        return birth.replace(year=birth.year + rng.choice((-1, 1))) if (birth.month, birth.day) != (2, 29) else birth
    day = birth.day + rng.choice((-1, 1, 10, -10))
    try:
        return birth.replace(day=day)
    except ValueError:
        return birth
