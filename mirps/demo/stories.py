"""A few hand-made cases for a newcomer to try, registered through the real service.

1. A man who came back once before: typing his DNI at the counter suggests the earlier arrival.
2. A mother with two children, registered together at CANFM Belén (one family group).
3. An adult with fear of return after gang threats: urgent, in SEDH's queue.
4. An unaccompanied 15-year-old: urgent, in DINAF's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from mirps.core.access import Actor
from mirps.demo.models import ArrivalTruth, PersonTruth
from mirps.demo.people import years_before
from mirps.registration.inputs import ArrivalInput, DocumentInput, PersonInput, ScreeningInput
from mirps.registration.models import Arrival
from mirps.registration.names import dni_display
from mirps.registration.services import arrival_register

RETURNING_DNI = "0501199001234"
MOTHER_DNI = "0801199312077"
STORY_DNIS = frozenset({RETURNING_DNI, MOTHER_DNI})  # the generator never hands these out


@dataclass(frozen=True)
class Story:
    title: str
    hint: str


def _aged(day: date, years: int, extra_days: int) -> date:
    """A date of birth that makes someone `years` old on `day`, `extra_days` past the birthday."""
    return years_before(day, years) - timedelta(days=extra_days)


@transaction.atomic
def stories_create(*, registrars: dict[str, Actor], now: datetime, first_true_id: int) -> list[Story]:
    today = now.date()
    sps, belen = registrars["camr-sps"], registrars["canfm-belen"]
    omoa = registrars["camr-omoa"]
    true_id = first_true_id
    out: list[Story] = []

    def register(actor: Actor, **kw: object) -> Arrival:
        nonlocal true_id
        arrival, _created = arrival_register(actor=actor, **kw)  # type: ignore[arg-type]
        PersonTruth.objects.get_or_create(person_id=arrival.person_id, defaults={"true_id": true_id})
        ArrivalTruth.objects.create(arrival_id=arrival.pk, true_id=true_id)
        return arrival

    # 1. Returned from Mexico by land five months ago; comes back today by air.
    earlier = now - timedelta(days=152, hours=3)
    register(
        omoa,
        person=PersonInput(
            given_names="Juan Carlos", surname1="Hernández", surname2="López", sex="M",
            birth_date=date(1990, 3, 14), document_situation="dni", dni=RETURNING_DNI,
            phone="+504 9876-5432",
        ),
        arrival=ArrivalInput(
            arrived_at=earlier, reception_point="camr-omoa", entry_point="corinto", modality="land",
            country_from="MX", return_type="deported", travel_mode="alone", destination="0501",
            months_abroad=2, reasons=["unemployment", "better_job"], immediate_needs=["transport", "food"],
            skill_trade="Construcción", skill_years=8, stay_address="Colonia Rivera Hernández, casa 12, San Pedro Sula",
        ),
        screening=ScreeningInput(consent_registration=True, consent_referral=True),
    )
    out.append(Story(
        "A returning person",
        f"Sign in as registro.sps and register DNI {dni_display(RETURNING_DNI)} (Juan Carlos Hernández López): "
        "his earlier arrival at CAMR Omoa will be suggested.",
    ))
    true_id += 1

    # 2. A mother and two children, deported together by air from the United States.
    when = now - timedelta(hours=3)
    trip = {"arrived_at": when, "reception_point": "canfm-belen", "entry_point": "rvm-airport", "modality": "air",
            "country_from": "US", "return_type": "deported", "travel_mode": "family_unit", "destination": "0801",
            "months_abroad": 14, "stay_address": "Colonia Villa Nueva, casa 40, Distrito Central"}
    mother = register(
        belen,
        person=PersonInput(
            given_names="Dania Marisol", surname1="Rápalo", surname2="Cruz", sex="F", birth_date=date(1993, 8, 2),
            document_situation="dni", dni=MOTHER_DNI, phone="+504 3312-4455",
        ),
        arrival=ArrivalInput(**trip, reasons=["low_income", "family"], immediate_needs=["transport", "food", "call"]),  # type: ignore[arg-type]
        screening=ScreeningInput(specific_needs=["SP-PT"], consent_registration=True, consent_referral=True),
    )
    for given, sex, age in (("Génesis Abigail", "F", 9), ("Dilan Josué", "M", 4)):
        true_id += 1
        register(
            belen,
            person=PersonInput(
                given_names=given, surname1="Ortiz", surname2="Rápalo", sex=sex,
                birth_date=_aged(today, age, 190), document_situation="none",
                documents=[DocumentInput(kind="birth_cert", number=f"0801{today.year - age}0{age}311")],
            ),
            arrival=ArrivalInput(**trip, reasons=["family"], immediate_needs=["food"]),  # type: ignore[arg-type]
            screening=ScreeningInput(consent_registration=True),
            family_group_id=mother.family_group_id,
        )
    out.append(Story(
        "A family",
        "Dania Marisol Rápalo Cruz arrived at CANFM Belén today with Génesis (9) and Dilan (4): "
        "sign in as registro.belen to see the family group.",
    ))
    true_id += 1

    # 3. Fear of return after gang threats and extortion: urgent, for SEDH.
    register(
        sps,
        person=PersonInput(
            given_names="Elvin Josué", surname1="Maradiaga", surname2="Flores", sex="M",
            birth_date=_aged(today, 24, 60), document_situation="lost",
        ),
        arrival=ArrivalInput(
            arrived_at=now - timedelta(hours=2), reception_point="camr-sps", entry_point="rvm-airport",
            modality="air", country_from="US", return_type="deported", travel_mode="alone", destination="0502",
            months_abroad=30, reasons=["violence", "unemployment"], immediate_needs=["shelter", "psychosocial", "documents"],
        ),
        screening=ScreeningInput(
            fear_of_return=True, fear_municipality="0502", violence_types=["threat", "extortion"],
            perpetrator_types=["gang"], displaced_before=True,
            violence_narrative="Refiere amenazas y extorsión por parte de una pandilla en su colonia antes de salir del país.",
            consent_registration=True, consent_referral=True,
        ),
    )
    out.append(Story(
        "An urgent case for SEDH",
        "Elvin Josué Maradiaga Flores fears to return to Choloma after gang threats: "
        "sign in as proteccion.sedh to find him at the top of the queue.",
    ))
    true_id += 1

    # 4. An unaccompanied boy returned by land from Mexico: urgent, for DINAF.
    register(
        belen,
        person=PersonInput(
            given_names="Brayan Alexis", surname1="Martínez", surname2="Ortiz", sex="M",
            birth_date=_aged(today, 15, 120), document_situation="none",
        ),
        arrival=ArrivalInput(
            arrived_at=now - timedelta(hours=1), reception_point="canfm-belen", entry_point="corinto",
            modality="land", country_from="MX", return_type="assisted", travel_mode="unaccompanied_child",
            destination="1804", months_abroad=1, reasons=["family"], immediate_needs=["call", "food", "transport"],
        ),
        screening=ScreeningInput(specific_needs=["SC-UC"], consent_registration=True, consent_referral=True),
    )
    out.append(Story(
        "An unaccompanied child for DINAF",
        "Brayan Alexis Martínez Ortiz (15) travelled alone from Mexico: sign in as proteccion.dinaf to see him.",
    ))
    return out
